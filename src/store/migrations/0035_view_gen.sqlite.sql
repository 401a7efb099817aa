-- 0035: the generation of the computed program views (service/programs.c
-- keeps each program's allocation in memory). Every change to what an
-- allocation depends on bumps it in the same transaction, by these
-- triggers, whichever code path writes: the recipients, the series and
-- their values, the programs and their key tables, decisions and
-- redistribution runs. A reader that sees the same generation before and
-- after computing knows its result is current. The one row is made by
-- store_view_gen_init (the server's start), never here: a copy's target
-- (store_copy.c, which copies view_gen last) must start without it.
CREATE TABLE view_gen (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
CREATE TRIGGER view_gen_org_i AFTER INSERT ON org
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_org_u AFTER UPDATE ON org
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_org_d AFTER DELETE ON org
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_i AFTER INSERT ON series
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_u AFTER UPDATE ON series
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_d AFTER DELETE ON series
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_value_i AFTER INSERT ON series_value
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_value_u AFTER UPDATE ON series_value
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_series_value_d AFTER DELETE ON series_value
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_i AFTER INSERT ON program
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_u AFTER UPDATE ON program
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_d AFTER DELETE ON program
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_file_i AFTER INSERT ON program_file
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_file_u AFTER UPDATE ON program_file
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_program_file_d AFTER DELETE ON program_file
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_decision_i AFTER INSERT ON req_decision
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_decision_u AFTER UPDATE ON req_decision
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_decision_d AFTER DELETE ON req_decision
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_redist_run_i AFTER INSERT ON req_redist_run
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_redist_run_u AFTER UPDATE ON req_redist_run
    BEGIN UPDATE view_gen SET n = n + 1; END;
CREATE TRIGGER view_gen_req_redist_run_d AFTER DELETE ON req_redist_run
    BEGIN UPDATE view_gen SET n = n + 1; END;
