-- 0032: invitations to act for an organisation. An ombud (or representant)
-- invites a login; nothing is granted until that person accepts, so the
-- answer to the invitation never tells whether the login exists, and agency
-- staff can be refused at acceptance. The login is kept as typed: it need
-- not name an account.
CREATE TABLE org_invite (
    org TEXT NOT NULL,
    login TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('representant', 'uppgiftssamordnare')),
    invited_by TEXT NOT NULL,
    invited_at TEXT NOT NULL,
    PRIMARY KEY (org, login, role)
);
CREATE INDEX org_invite_login ON org_invite (login);
