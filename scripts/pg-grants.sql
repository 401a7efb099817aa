-- pg-grants.sql - what the servers' role may do with Bidrag's tables in
-- PostgreSQL (docs/operations.md, "PostgreSQL"). Run as the owner after
-- every `bidrag migrate` (it is idempotent; new tables get their grants):
--
--   psql -v app=bidrag_app -d bidrag -U bidrag_owner -f scripts/pg-grants.sql
--
-- The servers' role reads and writes the rows of every table, but:
--   audit             the trail's history: it may read and add, never
--                     change, remove or empty (UPDATE, DELETE, TRUNCATE)
--   schema_migration  the schema's state: read only
\set ON_ERROR_STOP on
BEGIN;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
REVOKE UPDATE, DELETE ON audit FROM :"app";
REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM :"app";
COMMIT;
