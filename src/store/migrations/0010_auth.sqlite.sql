-- 0010: accounts, roles, sessions, API tokens, login throttling, audit trail.

-- A person who can log in: locally (pwhash set, Argon2id string) or through
-- the single sign-on proxy (login = the personal identity from the header).
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    pwhash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
);

-- A role held by an account: agency roles with org = '', recipient roles
-- for one organisation (kommun code 4 digits or region code 2 digits).
CREATE TABLE account_role (
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'handlaggare', 'attestant', 'analytiker',
        'granskare', 'ombud', 'representant', 'uppgiftssamordnare')),
    org TEXT NOT NULL DEFAULT '',
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, role, org),
    CHECK ((role IN ('ombud', 'representant', 'uppgiftssamordnare')) = (org <> ''))
);
-- One ombud per organisation.
CREATE UNIQUE INDEX account_role_one_ombud ON account_role (org) WHERE role = 'ombud';

-- A login session; the cookie holds a random token, only its hash is kept.
CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    org TEXT NOT NULL DEFAULT '',
    org_chosen INTEGER NOT NULL DEFAULT 0,
    csrf TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- Personal API tokens, stored as the hash of the secret.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    org TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

-- Failed logins per account ('account', login) and per address ('addr', ip).
CREATE TABLE login_throttle (
    kind TEXT NOT NULL CHECK (kind IN ('account', 'addr')),
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key)
);

-- The audit trail: one row per state change, hash-chained:
-- hash = sha256(prev_hash || canonical record). before/after are digests.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    org TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before_digest TEXT NOT NULL,
    after_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_object ON audit (object);

-- The chain's head (last seq and hash), so that removing the newest rows
-- is detected as well.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
