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
    n INTEGER NOT NULL
);
CREATE TRIGGER data_gen_org_i AFTER INSERT ON org
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_org_u AFTER UPDATE ON org
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_org_d AFTER DELETE ON org
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_i AFTER INSERT ON series
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_u AFTER UPDATE ON series
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_d AFTER DELETE ON series
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_value_i AFTER INSERT ON series_value
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_value_u AFTER UPDATE ON series_value
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_series_value_d AFTER DELETE ON series_value
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_i AFTER INSERT ON program
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_u AFTER UPDATE ON program
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_d AFTER DELETE ON program
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_file_i AFTER INSERT ON program_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_file_u AFTER UPDATE ON program_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_file_d AFTER DELETE ON program_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_i AFTER INSERT ON account
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_u AFTER UPDATE ON account
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_d AFTER DELETE ON account
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_role_i AFTER INSERT ON account_role
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_role_u AFTER UPDATE ON account_role
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_account_role_d AFTER DELETE ON account_role
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_api_token_i AFTER INSERT ON api_token
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_api_token_u AFTER UPDATE ON api_token
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_api_token_d AFTER DELETE ON api_token
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_audit_i AFTER INSERT ON audit
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_audit_u AFTER UPDATE ON audit
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_audit_d AFTER DELETE ON audit
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_counter_i AFTER INSERT ON req_counter
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_counter_u AFTER UPDATE ON req_counter
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_counter_d AFTER DELETE ON req_counter
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_requisition_i AFTER INSERT ON requisition
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_requisition_u AFTER UPDATE ON requisition
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_requisition_d AFTER DELETE ON requisition
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_version_i AFTER INSERT ON req_version
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_version_u AFTER UPDATE ON req_version
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_version_d AFTER DELETE ON req_version
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_measure_i AFTER INSERT ON req_measure
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_measure_u AFTER UPDATE ON req_measure
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_measure_d AFTER DELETE ON req_measure
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_idem_i AFTER INSERT ON req_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_idem_u AFTER UPDATE ON req_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_idem_d AFTER DELETE ON req_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_decision_i AFTER INSERT ON req_decision
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_decision_u AFTER UPDATE ON req_decision
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_decision_d AFTER DELETE ON req_decision
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_redist_run_i AFTER INSERT ON req_redist_run
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_redist_run_u AFTER UPDATE ON req_redist_run
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_redist_run_d AFTER DELETE ON req_redist_run
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_plan_blob_i AFTER INSERT ON req_plan_blob
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_plan_blob_u AFTER UPDATE ON req_plan_blob
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_req_plan_blob_d AFTER DELETE ON req_plan_blob
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_org_invite_i AFTER INSERT ON org_invite
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_org_invite_u AFTER UPDATE ON org_invite
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_org_invite_d AFTER DELETE ON org_invite
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_cases_i AFTER INSERT ON cases
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_cases_u AFTER UPDATE ON cases
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_cases_d AFTER DELETE ON cases
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_versions_i AFTER INSERT ON case_versions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_versions_u AFTER UPDATE ON case_versions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_versions_d AFTER DELETE ON case_versions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_idem_i AFTER INSERT ON case_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_idem_u AFTER UPDATE ON case_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_idem_d AFTER DELETE ON case_idem
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_decisions_i AFTER INSERT ON decisions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_decisions_u AFTER UPDATE ON decisions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_decisions_d AFTER DELETE ON decisions
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_blobs_i AFTER INSERT ON blobs
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_blobs_u AFTER UPDATE ON blobs
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_blobs_d AFTER DELETE ON blobs
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_files_i AFTER INSERT ON case_files
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_files_u AFTER UPDATE ON case_files
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_files_d AFTER DELETE ON case_files
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_notes_i AFTER INSERT ON case_notes
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_notes_u AFTER UPDATE ON case_notes
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_notes_d AFTER DELETE ON case_notes
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_events_i AFTER INSERT ON case_events
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_events_u AFTER UPDATE ON case_events
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_case_events_d AFTER DELETE ON case_events
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_standin_i AFTER INSERT ON program_standin
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_standin_u AFTER UPDATE ON program_standin
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_program_standin_d AFTER DELETE ON program_standin
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_outbox_i AFTER INSERT ON outbox
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_outbox_u AFTER UPDATE ON outbox
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_outbox_d AFTER DELETE ON outbox
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_batch_i AFTER INSERT ON pay_batch
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_batch_u AFTER UPDATE ON pay_batch
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_batch_d AFTER DELETE ON pay_batch
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_payment_i AFTER INSERT ON payment
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_payment_u AFTER UPDATE ON payment
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_payment_d AFTER DELETE ON payment
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_file_i AFTER INSERT ON pay_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_file_u AFTER UPDATE ON pay_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_file_d AFTER DELETE ON pay_file
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_settings_i AFTER INSERT ON pay_settings
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_settings_u AFTER UPDATE ON pay_settings
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_settings_d AFTER DELETE ON pay_settings
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_limit_i AFTER INSERT ON pay_limit
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_limit_u AFTER UPDATE ON pay_limit
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_pay_limit_d AFTER DELETE ON pay_limit
    BEGIN UPDATE data_gen SET n = n + 1; END;
