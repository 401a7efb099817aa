-- 0057: the outbox of notifications (issue 11): a message per event (a
-- requisition submitted, returned, decided; a deadline coming), written
-- in the same transaction as the event, so that nothing is lost, and
-- keyed by the event (dedup) so that nothing is queued twice. `bidrag
-- outbox send` sends what is pending through the configured SMTP relay
-- and marks each row sent, or pending again with the reason and the time
-- of the next try (backoff), or failed after the last try. The text is
-- rendered when queued, in the recipient's language; no personal data
-- beyond the address and what the message needs.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    object TEXT NOT NULL,
    dedup TEXT NOT NULL UNIQUE,
    to_addr TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at TEXT NOT NULL,
    last_error TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_at, id);
