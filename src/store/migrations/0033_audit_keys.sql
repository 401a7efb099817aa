-- 0033: the audit trail authenticated with a key the database does not
-- hold (service/auditkey.h). Each record names the entity whose rows it
-- changed and the digest of those rows afterwards (store_entity.h), the
-- id of the key that signed it and its signature. Rows written before
-- keys existed keep '' here: they are covered by the first checkpoint.
ALTER TABLE audit ADD COLUMN entity TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN rows_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN sig TEXT NOT NULL DEFAULT '';
