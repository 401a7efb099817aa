-- 0062: the appropriation ledger's own rows (issue 13; core/ledger.h,
-- docs/payments.md "The appropriation ledger"). The ledger's allocations,
-- decisions and payments are read from where they are kept (the program's
-- allocation, req_decision, payment); what only the ledger knows is the
-- agency's own costs charged to an item (ledger.own_cost), one row each,
-- never changed (a correction is a row with a negative amount). One
-- audited entity per program, "ledger:PROGRAM" (store_entity.h). Watched
-- by data_gen (0061) like every table a page shows. The PostgreSQL
-- script beside it differs only in the id's type and the trigger form.
CREATE TABLE ledger_cost (
    id INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL,
    item TEXT NOT NULL,
    amount_ore BIGINT NOT NULL CHECK (amount_ore <> 0),
    booked_on TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ledger_cost_program ON ledger_cost (program_id, id);
CREATE TRIGGER data_gen_ledger_cost_i AFTER INSERT ON ledger_cost
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_ledger_cost_u AFTER UPDATE ON ledger_cost
    BEGIN UPDATE data_gen SET n = n + 1; END;
CREATE TRIGGER data_gen_ledger_cost_d AFTER DELETE ON ledger_cost
    BEGIN UPDATE data_gen SET n = n + 1; END;
