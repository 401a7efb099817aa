-- 0050: an officer's confirmation that a program may open for
-- requisition on stand-in data (issue 11: no decisions on stand-in data).
-- A program whose key rests on a fallback population date or an
-- illustrative series opens only once the named series is loaded or a
-- confirmation's basis (the stand-ins it confirmed, as text) equals the
-- program's stand-ins now; a later reload or import that changes them
-- needs a new confirmation. Rows are kept: the history of confirmations.
CREATE TABLE program_standin (
    id INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL,
    basis TEXT NOT NULL,
    reason TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
CREATE INDEX program_standin_program ON program_standin (program_id, id);
