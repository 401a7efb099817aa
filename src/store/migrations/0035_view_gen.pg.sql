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
    n BIGINT NOT NULL
);
CREATE FUNCTION view_gen_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE view_gen SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER view_gen_org AFTER INSERT OR UPDATE OR DELETE ON org
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_series AFTER INSERT OR UPDATE OR DELETE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_series_value AFTER INSERT OR UPDATE OR DELETE ON series_value
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_program AFTER INSERT OR UPDATE OR DELETE ON program
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_program_file AFTER INSERT OR UPDATE OR DELETE ON program_file
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_req_decision AFTER INSERT OR UPDATE OR DELETE ON req_decision
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
CREATE TRIGGER view_gen_req_redist_run AFTER INSERT OR UPDATE OR DELETE ON req_redist_run
    FOR EACH STATEMENT EXECUTE FUNCTION view_gen_bump();
