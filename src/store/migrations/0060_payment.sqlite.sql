-- 0060: paying out (issue 13; core/payment.h, docs/payments.md). A
-- payment pays one instalment of an approved decision to the payee the
-- requisition gave; payments are gathered into a batch (utbetalningsomgång)
-- by a handläggare and attested by another person within their limit;
-- an attested batch's bank file (pain.001.001.03) is kept byte for byte
-- with the header it was made with, so that it is made again identically;
-- the bank's replies move payments on. The whole is one audited entity
-- ("payments", store_entity.h). The PostgreSQL script beside it differs
-- only in the types of ids.
CREATE TABLE pay_batch (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('open', 'attested', 'filed')),
    prepared_by TEXT NOT NULL DEFAULT '',
    attested_by TEXT NOT NULL DEFAULT '',
    attested_at TEXT NOT NULL DEFAULT '',
    returned_by TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    file_id TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE payment (
    id INTEGER PRIMARY KEY,
    decision TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 99),
    issue INTEGER NOT NULL CHECK (issue BETWEEN 1 AND 99),
    case_no TEXT NOT NULL,
    program_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    diarienummer TEXT NOT NULL,
    amount_ore INTEGER NOT NULL CHECK (amount_ore > 0),
    due TEXT NOT NULL,
    payee_kind TEXT NOT NULL,
    payee_number TEXT NOT NULL,
    payee_clearing TEXT NOT NULL DEFAULT '',
    payee_bic TEXT NOT NULL DEFAULT '',
    payee_name TEXT NOT NULL,
    ocr TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('created', 'in_batch', 'attested', 'in_file',
        'accepted', 'booked', 'rejected')),
    batch_id INTEGER REFERENCES pay_batch (id),
    file_id TEXT NOT NULL DEFAULT '',
    bank_code TEXT NOT NULL DEFAULT '',
    bank_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (decision, seq)
);
CREATE INDEX payment_batch ON payment (batch_id);
CREATE INDEX payment_program ON payment (program_id, state);

-- a file is live until the bank refuses it whole ('refused')
CREATE TABLE pay_file (
    msg_id TEXT PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES pay_batch (id),
    created TEXT NOT NULL,
    today TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('live', 'refused')),
    bank_status TEXT NOT NULL DEFAULT '',
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL
);

-- the agency's bank settings (one row; docs/payments.md "Settings per bank")
CREATE TABLE pay_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    bank TEXT NOT NULL,
    debtor_name TEXT NOT NULL,
    debtor_iban TEXT NOT NULL,
    debtor_bic TEXT NOT NULL,
    initg_id TEXT NOT NULL,
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL
);

-- each attestant's limit (beloppsgräns): the largest batch total attested
CREATE TABLE pay_limit (
    login TEXT PRIMARY KEY,
    limit_ore INTEGER NOT NULL CHECK (limit_ore >= 0),
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL
);
