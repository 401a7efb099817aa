-- 0040: the operator's account. The command line acts as a named account:
-- the one given with --as, else this one. It is an administrator that
-- never logs in (pwhash '!' matches no password, and single sign-on
-- refuses it) and takes no decision (a decision needs a named person).
-- A login 'operator' that exists already is left as it is.
INSERT INTO account (login, name, pwhash, disabled, created_at)
    SELECT 'operator', 'Driften (kommandoraden)', '!', 0, '1970-01-01T00:00:00Z'
    WHERE NOT EXISTS (SELECT 1 FROM account WHERE login = 'operator');
INSERT INTO account_role (account_id, role, org, granted_at)
    SELECT id, 'admin', '', '1970-01-01T00:00:00Z' FROM account
    WHERE login = 'operator' AND pwhash = '!'
      AND NOT EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = account.id
                      AND r.role = 'admin' AND r.org = '');
