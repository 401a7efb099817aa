-- 0045: the generation of who may do what (service/auth.c keeps sessions,
-- tokens and roles in memory while it is unchanged). Every change that
-- can end or narrow a person's access bumps it in the same transaction,
-- by these triggers, whichever code path writes: accounts (disabled, a
-- new password), their roles, a session ended or its organisation
-- chosen, a token revoked or removed. A session's last_seen (touched on
-- use) and new sessions or tokens do not: no kept row depends on them.
-- The one row is made by store_auth_gen_init (the server's start), never
-- here: a copy's target (store_copy.c copies auth_gen last) must start
-- without it.
CREATE TABLE auth_gen (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
CREATE TRIGGER auth_gen_account_i AFTER INSERT ON account
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_account_u AFTER UPDATE ON account
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_account_d AFTER DELETE ON account
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_account_role_i AFTER INSERT ON account_role
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_account_role_u AFTER UPDATE ON account_role
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_account_role_d AFTER DELETE ON account_role
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_session_u AFTER UPDATE OF account_id, org, org_chosen, csrf, created
    ON session
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_session_d AFTER DELETE ON session
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_api_token_u AFTER UPDATE ON api_token
    BEGIN UPDATE auth_gen SET n = n + 1; END;
CREATE TRIGGER auth_gen_api_token_d AFTER DELETE ON api_token
    BEGIN UPDATE auth_gen SET n = n + 1; END;
