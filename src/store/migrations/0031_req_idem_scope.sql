-- 0031: a submission's idempotency key belongs to one recipient's
-- requisition in one program. Global keys let one organisation's key block
-- another's submission and tell it that the key exists.
CREATE TABLE req_idem_scoped (
    recipient TEXT NOT NULL,
    program_id TEXT NOT NULL,
    key TEXT NOT NULL,
    requisition_id INTEGER NOT NULL REFERENCES requisition(id),
    version INTEGER NOT NULL,
    digest TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (recipient, program_id, key)
);
INSERT INTO req_idem_scoped (recipient, program_id, key, requisition_id, version, digest, at)
    SELECT r.recipient, r.program_id, i.key, i.requisition_id, i.version, i.digest, i.at
    FROM req_idem i JOIN requisition r ON r.id = i.requisition_id;
DROP TABLE req_idem;
ALTER TABLE req_idem_scoped RENAME TO req_idem;
