-- pg-setup.sql - a PostgreSQL database for Bidrag, with two roles of
-- least privilege (docs/operations.md, "PostgreSQL"). Run once, as a
-- superuser (postgres):
--
--   psql -v owner=bidrag_owner -v app=bidrag_app -v db=bidrag -f scripts/pg-setup.sql
--
-- :owner owns the database and its tables: `bidrag migrate` and `bidrag db
-- copy` run as it. :app is the role of the servers (`bidrag serve`) and
-- of every other command: it reads and writes rows, never the schema,
-- and only adds to the audit trail (scripts/pg-grants.sql, run after
-- every `bidrag migrate`). Give both passwords (\password) or map them
-- to certificates in pg_hba.conf; no password is in this file.
\set ON_ERROR_STOP on
-- the roles, unless they are there already (a second database for a
-- restore uses the same ones)
SELECT format('CREATE ROLE %I LOGIN', :'owner')
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app')
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
-- UTF-8 text, ordered byte by byte as SQLite orders it (the store checks
-- both when it connects); template0 so that the locale can be chosen
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'
    TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
\connect :"db"
-- the tables live in public, which only the database's owner may create
-- in (PostgreSQL 15's default, made sure of)
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
