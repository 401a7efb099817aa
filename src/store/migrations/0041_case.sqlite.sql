-- 0041: the generic case engine (core/casekind.h, store/store_case.h): a
-- case of a kind (requisition now; follow-up reports, reclaims, forecast
-- reports, applications next) with its versions as canonical JSON,
-- idempotency keys of submissions scoped to the party, decisions with
-- their own numbers and reasons, attachments by content digest, officer
-- notes and the case's history. The PostgreSQL script beside it differs
-- only in the types of ids and bytes and in how versions are frozen.

-- revision moves on every change: a change names the revision it was based
-- on and fails when another change came first (optimistic concurrency).
-- subject is the kind's uniqueness key (program and party for a
-- requisition), NULL when the kind allows several cases side by side.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    program_id TEXT NOT NULL DEFAULT '',
    party TEXT NOT NULL,
    subject TEXT,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'decided',
        'withdrawn')),
    outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'approved', 'partly_approved',
        'rejected')),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    revision INTEGER NOT NULL DEFAULT 1,
    assigned_to TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (kind, subject)
);
CREATE INDEX cases_queue ON cases (kind, state);
CREATE INDEX cases_party ON cases (party, kind);

-- Version 0 is the working draft (replaced on each save); versions 1, 2, ...
-- are submissions and never change. amount_ore is NULL for a kind that asks
-- for no money.
CREATE TABLE case_versions (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL CHECK (version >= 0),
    content TEXT NOT NULL,
    digest TEXT NOT NULL,
    amount_ore INTEGER,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);
CREATE TRIGGER case_versions_frozen_u BEFORE UPDATE ON case_versions WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot change'); END;
CREATE TRIGGER case_versions_frozen_d BEFORE DELETE ON case_versions WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot be removed'); END;

-- A submission's idempotency key, one party's own: the same key with the
-- same content gives back the same receipt and creates nothing.
CREATE TABLE case_idem (
    party TEXT NOT NULL,
    key TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL,
    digest TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (party, key)
);

-- Decisions (beslut) with their own numbers: on a case (approved, partly
-- approved, rejected) and supplementary ones (from a redistribution run).
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('approved', 'partly_approved', 'rejected',
        'supplementary')),
    block_id TEXT NOT NULL DEFAULT '',
    amount_ore INTEGER NOT NULL CHECK (amount_ore >= 0),
    reasons TEXT NOT NULL DEFAULT '',
    appeal TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX decisions_case ON decisions (case_id);

-- Attached files' bytes, kept once by content digest while a case file
-- names them (the store removes a blob with its last case file).
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    data BLOB NOT NULL
);
-- A case's files under the slot they fill ("plan", "diploma", ...): on the
-- working draft (version 0) or as submitted with a version.
CREATE TABLE case_files (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL CHECK (version >= 0),
    slot TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (case_id, version, slot)
);
CREATE INDEX case_files_blob ON case_files (sha256);

-- Officers' notes, for the agency only.
CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    text TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    noted_by TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id);

-- The history of a case: submitted, returned (with the message), decided,
-- assigned, withdrawn.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    verb TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    event_at TEXT NOT NULL,
    event_by TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);
