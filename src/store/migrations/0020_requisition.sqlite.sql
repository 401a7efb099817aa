-- 0020: requisitions (rekvisitioner): one per (program, recipient), with a
-- case number, a state, every submission kept as an immutable version with
-- its measures, idempotency keys of submissions, decisions (beslut),
-- redistribution runs and production plan files.

-- Counters for case and decision numbers, per kind and year.
CREATE TABLE req_counter (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
);

-- revision moves on every change: a change names the revision it was based
-- on and fails when another change came first (optimistic concurrency).
CREATE TABLE requisition (
    id INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    case_no TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved',
        'rejected')),
    version INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    message TEXT NOT NULL DEFAULT '',
    approved_ore INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (program_id, recipient)
);
CREATE INDEX requisition_state ON requisition (program_id, state);

-- Version 0 is the working draft (replaced on each save); versions 1, 2, ...
-- are submissions and never change.
CREATE TABLE req_version (
    requisition_id INTEGER NOT NULL REFERENCES requisition(id),
    version INTEGER NOT NULL CHECK (version >= 0),
    amount_ore INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    account_kind TEXT NOT NULL,
    account TEXT NOT NULL,
    opt_in INTEGER NOT NULL CHECK (opt_in IN (0, 1)),
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    plan_name TEXT NOT NULL DEFAULT '',
    plan_type TEXT NOT NULL DEFAULT '',
    plan_size INTEGER NOT NULL DEFAULT 0,
    plan_sha256 TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (requisition_id, version)
);

CREATE TABLE req_measure (
    requisition_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    description TEXT NOT NULL,
    planned_ore INTEGER NOT NULL,
    PRIMARY KEY (requisition_id, version, seq),
    FOREIGN KEY (requisition_id, version) REFERENCES req_version (requisition_id, version)
);

-- Submitted versions are immutable.
CREATE TRIGGER req_version_frozen_u BEFORE UPDATE ON req_version WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot change'); END;
CREATE TRIGGER req_version_frozen_d BEFORE DELETE ON req_version WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot be removed'); END;
CREATE TRIGGER req_measure_frozen_u BEFORE UPDATE ON req_measure WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot change'); END;
CREATE TRIGGER req_measure_frozen_d BEFORE DELETE ON req_measure WHEN OLD.version > 0
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot be removed'); END;

-- A submission's idempotency key: the same key with the same content gives
-- back the same receipt and creates nothing.
CREATE TABLE req_idem (
    key TEXT PRIMARY KEY,
    requisition_id INTEGER NOT NULL REFERENCES requisition(id),
    version INTEGER NOT NULL,
    digest TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Decisions (beslut): the original one on a requisition, and supplementary
-- ones from redistribution (one per block and recipient).
CREATE TABLE req_decision (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    requisition_id INTEGER NOT NULL REFERENCES requisition(id),
    kind TEXT NOT NULL CHECK (kind IN ('original', 'supplementary', 'rejection')),
    block_id TEXT NOT NULL DEFAULT '',
    amount_ore INTEGER NOT NULL CHECK (amount_ore >= 0),
    decided_on TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX req_decision_req ON req_decision (requisition_id);

-- A redistribution of one block of a program; at most once.
CREATE TABLE req_redist_run (
    id INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL,
    block_id TEXT NOT NULL,
    unrequisitioned_ore INTEGER NOT NULL,
    redistributed_ore INTEGER NOT NULL,
    remaining_ore INTEGER NOT NULL,
    run_at TEXT NOT NULL,
    run_by TEXT NOT NULL,
    UNIQUE (program_id, block_id)
);

-- Production plan files by content digest.
CREATE TABLE req_plan_blob (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
