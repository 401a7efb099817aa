-- 0061: the generation of everything a page shows (web/keep.c keeps
-- rendered pages and API answers in memory while it is unchanged). Every
-- change to a table a page can show bumps it in the same transaction, by
-- these triggers, whichever code path or process writes. Not watched:
-- session (touched on every request; a kept answer is one session's and
-- the session is checked on every request before it is served),
-- login_throttle (never shown), audit_head (written with an audit row,
-- which is watched), schema_migration and the generation tables. A new
-- table gets its triggers here too: test_store's data_gen test fails on a
-- table that is neither watched nor named as not watched. The one row is
-- made by store_data_gen_init (the server's start), never here: a copy's
-- target (store_copy.c copies data_gen last) must start without it.
CREATE TABLE data_gen (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
CREATE FUNCTION data_gen_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_gen SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER data_gen_org AFTER INSERT OR UPDATE OR DELETE ON org
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_series AFTER INSERT OR UPDATE OR DELETE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_series_value AFTER INSERT OR UPDATE OR DELETE ON series_value
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_program AFTER INSERT OR UPDATE OR DELETE ON program
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_program_file AFTER INSERT OR UPDATE OR DELETE ON program_file
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_account AFTER INSERT OR UPDATE OR DELETE ON account
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_account_role AFTER INSERT OR UPDATE OR DELETE ON account_role
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_api_token AFTER INSERT OR UPDATE OR DELETE ON api_token
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_audit AFTER INSERT OR UPDATE OR DELETE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_counter AFTER INSERT OR UPDATE OR DELETE ON req_counter
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_requisition AFTER INSERT OR UPDATE OR DELETE ON requisition
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_version AFTER INSERT OR UPDATE OR DELETE ON req_version
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_measure AFTER INSERT OR UPDATE OR DELETE ON req_measure
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_idem AFTER INSERT OR UPDATE OR DELETE ON req_idem
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_decision AFTER INSERT OR UPDATE OR DELETE ON req_decision
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_redist_run AFTER INSERT OR UPDATE OR DELETE ON req_redist_run
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_req_plan_blob AFTER INSERT OR UPDATE OR DELETE ON req_plan_blob
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_org_invite AFTER INSERT OR UPDATE OR DELETE ON org_invite
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_cases AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_case_versions AFTER INSERT OR UPDATE OR DELETE ON case_versions
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_case_idem AFTER INSERT OR UPDATE OR DELETE ON case_idem
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_decisions AFTER INSERT OR UPDATE OR DELETE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_blobs AFTER INSERT OR UPDATE OR DELETE ON blobs
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_case_files AFTER INSERT OR UPDATE OR DELETE ON case_files
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_case_notes AFTER INSERT OR UPDATE OR DELETE ON case_notes
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_case_events AFTER INSERT OR UPDATE OR DELETE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_program_standin AFTER INSERT OR UPDATE OR DELETE ON program_standin
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_outbox AFTER INSERT OR UPDATE OR DELETE ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_pay_batch AFTER INSERT OR UPDATE OR DELETE ON pay_batch
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_payment AFTER INSERT OR UPDATE OR DELETE ON payment
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_pay_file AFTER INSERT OR UPDATE OR DELETE ON pay_file
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_pay_settings AFTER INSERT OR UPDATE OR DELETE ON pay_settings
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
CREATE TRIGGER data_gen_pay_limit AFTER INSERT OR UPDATE OR DELETE ON pay_limit
    FOR EACH STATEMENT EXECUTE FUNCTION data_gen_bump();
