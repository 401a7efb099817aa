/* action.c - the action table and the one check of who may do what. */
#include "core/action.h"

#include <assert.h>
#include <string.h>

#include "core/org.h"
#include "core/perm.h"

#define ALL PERM_ALL_MASK
#define RECIPIENT PERM_RECIPIENT_MASK
#define SUBMITTERS (PERM_OMBUD | PERM_REPRESENTANT)
#define ADMIN PERM_ADMIN
#define AUDITORS (PERM_GRANSKARE | PERM_ADMIN)
/* who reads submitted requisitions at the agency (not the analysts: they
 * see statistics only), and who decides them */
#define REQ_READERS (PERM_HANDLAGGARE | PERM_ADMIN | PERM_ATTESTANT | PERM_GRANSKARE)
#define DECIDERS (PERM_HANDLAGGARE | PERM_ADMIN)
#define W ACT_WRITES

static const struct action table[ACT_COUNT] = {
    /* id, name, roles, scope, flags, what (Swedish) */
    {ACT_PUBLIC, "public", 0, ACT_SCOPE_PUBLIC, 0, "Se inloggningssidan och sidans utseende"},
    {ACT_HEALTH, "health", 0, ACT_SCOPE_PUBLIC, 0, "Fråga om tjänsten fungerar"},
    {ACT_LOGIN, "login", 0, ACT_SCOPE_PUBLIC, W, "Logga in"},
    {ACT_SESSION_ORG, "session.org", 0, ACT_SCOPE_SELF, W, "Välja vem man företräder"},
    {ACT_LOGOUT, "logout", 0, ACT_SCOPE_SELF, W, "Logga ut"},
    {ACT_INVITE_ANSWER, "invitation.answer", 0, ACT_SCOPE_SELF, W, "Svara på en inbjudan"},
    {ACT_START, "start.read", ALL, ACT_SCOPE_ANY, 0, "Se startsidan"},
    {ACT_ACCOUNT_READ, "account.read", ALL, ACT_SCOPE_ANY, 0, "Se sitt eget konto"},
    {ACT_ACCOUNT_PASSWD, "account.passwd", ALL, ACT_SCOPE_ANY, W, "Byta sitt eget lösenord"},
    {ACT_ACCOUNT_TOKEN, "account.token", ALL, ACT_SCOPE_ANY, W,
     "Skapa och återkalla sina egna API-nycklar"},
    {ACT_ORG_READ, "org.read", RECIPIENT, ACT_SCOPE_ORG, 0,
     "Se organisationens sida och vilka som företräder den"},
    {ACT_ORG_MEMBERS, "org.members", SUBMITTERS, ACT_SCOPE_ORG, W,
     "Bjuda in eller ta bort personer som företräder organisationen"},
    {ACT_USER_READ, "user.list", ADMIN, ACT_SCOPE_AGENCY, 0, "Se användare och roller"},
    {ACT_USER_ADD, "user.add", ADMIN, ACT_SCOPE_AGENCY, W, "Lägga till en användare"},
    {ACT_USER_PASSWD, "user.passwd", ADMIN, ACT_SCOPE_AGENCY, W,
     "Sätta en annan användares lösenord"},
    {ACT_USER_DISABLE, "user.disable", ADMIN, ACT_SCOPE_AGENCY, W,
     "Stänga av eller slå på en användare"},
    {ACT_USER_ROLE, "user.role", ADMIN, ACT_SCOPE_AGENCY, W, "Ge eller ta bort en roll"},
    {ACT_TOKEN_CREATE, "token.create", ADMIN, ACT_SCOPE_AGENCY, W,
     "Skapa en API-nyckel åt en användare"},
    {ACT_TOKEN_READ, "token.list", ADMIN, ACT_SCOPE_AGENCY, 0, "Se alla API-nycklar"},
    {ACT_TOKEN_REVOKE, "token.revoke", ADMIN, ACT_SCOPE_AGENCY, W, "Återkalla en API-nyckel"},
    {ACT_AUDIT_READ, "audit.read", AUDITORS, ACT_SCOPE_AGENCY, 0, "Läsa granskningsloggen"},
    {ACT_AUDIT_VERIFY, "audit.verify", AUDITORS, ACT_SCOPE_AGENCY, 0,
     "Kontrollera att granskningsloggen är obruten"},
    {ACT_ORGS_READ, "orgs.read", ALL, ACT_SCOPE_ANY, 0, "Se kommuner och regioner"},
    {ACT_ORGS_LOAD, "orgs.load", ADMIN, ACT_SCOPE_AGENCY, W, "Läsa in kommuner och regioner"},
    {ACT_SERIES_READ, "series.read", ALL, ACT_SCOPE_ANY, 0, "Se befolknings- och måttserier"},
    {ACT_SERIES_IMPORT, "series.import", PERM_ADMIN | PERM_HANDLAGGARE | PERM_ANALYTIKER,
     ACT_SCOPE_AGENCY, W, "Läsa in en befolknings- eller måttserie"},
    {ACT_PROGRAM_READ, "program.read", ALL, ACT_SCOPE_ANY, 0,
     "Se statsbidragen och deras fördelning"},
    {ACT_PROGRAM_CHECK, "program.check", ALL, ACT_SCOPE_ANY, 0, "Kontrollera en programfil"},
    {ACT_PROGRAM_LOAD, "program.load", DECIDERS, ACT_SCOPE_AGENCY, W,
     "Läsa in ett regeringsbeslut som program"},
    {ACT_PROGRAM_STANDIN, "program.confirm_standin", DECIDERS, ACT_SCOPE_AGENCY, W,
     "Bekräfta att ett statsbidrag får öppnas för rekvisition på ersättningsuppgifter"},
    {ACT_REQ_READ, "requisition.read", RECIPIENT, ACT_SCOPE_ORG, 0,
     "Se organisationens rekvisitioner, kvittenser och beslut"},
    {ACT_REQ_SAVE, "requisition.save", RECIPIENT, ACT_SCOPE_ORG, W,
     "Fylla i och spara ett utkast till rekvisition"},
    {ACT_REQ_SUBMIT, "requisition.submit", SUBMITTERS, ACT_SCOPE_ORG, W,
     "Skicka in en rekvisition"},
    {ACT_REQ_REVIEW_READ, "requisition.queue", REQ_READERS, ACT_SCOPE_AGENCY, 0,
     "Se inskickade rekvisitioner, beslut och översikter"},
    {ACT_REQ_RETURN, "requisition.return", DECIDERS, ACT_SCOPE_AGENCY, W | ACT_FOUR_EYES,
     "Returnera en rekvisition för komplettering"},
    {ACT_REQ_APPROVE, "requisition.approve", DECIDERS, ACT_SCOPE_AGENCY, W | ACT_FOUR_EYES,
     "Bevilja en rekvisition"},
    {ACT_REQ_REJECT, "requisition.reject", DECIDERS, ACT_SCOPE_AGENCY, W | ACT_FOUR_EYES,
     "Avslå en rekvisition"},
    {ACT_REQ_BULK_APPROVE, "requisition.bulk-approve", DECIDERS, ACT_SCOPE_AGENCY,
     W | ACT_FOUR_EYES | ACT_BULK, "Bevilja alla kompletta rekvisitioner med högsta belopp"},
    {ACT_REQ_REDISTRIBUTE, "requisition.redistribute", DECIDERS, ACT_SCOPE_AGENCY,
     W | ACT_FOUR_EYES | ACT_BULK, "Fördela om det som inte rekvirerats"},
    {ACT_REQ_WITHDRAW, "requisition.withdraw", SUBMITTERS, ACT_SCOPE_ORG, W,
     "Återkalla en inskickad rekvisition innan beslut"},
    {ACT_REQ_NOTE, "requisition.note", PERM_HANDLAGGARE, ACT_SCOPE_AGENCY, W,
     "Skriva en tjänsteanteckning i en rekvisition"},
    {ACT_REQ_ASSIGN, "requisition.assign", PERM_HANDLAGGARE, ACT_SCOPE_AGENCY, W,
     "Fördela en rekvisition till en handläggare"},
    /* the data move of an installation made before the requisition ran
     * on the case engine (service/reqmove.h): the operator's account */
    {ACT_REQ_MOVE, "requisition.move", PERM_ADMIN, ACT_SCOPE_AGENCY, W,
     "Flytta rekvisitioner gjorda före ärendemotorn in i den"},
    {ACT_STATS_READ, "stats.read", ALL, ACT_SCOPE_ANY, 0,
     "Se publicerad personalstatistik (röjandeskyddad)"},
    /* a saved query is a file of the statistics store, not a change of
     * the database: nothing to audit */
    {ACT_STATS_QUERY_SAVE, "stats.query.save", ALL, ACT_SCOPE_ANY, 0,
     "Spara en tabellfråga med en fast adress"},
    {ACT_STATS_EXACT, "stats.exact", PERM_ANALYTIKER, ACT_SCOPE_AGENCY, ACT_READS_PII,
     "Ta fram oskyddade tabeller ur mikrodata"},
    {ACT_STATS_IMPORT, "stats.import", PERM_ANALYTIKER | PERM_ADMIN, ACT_SCOPE_AGENCY, W,
     "Läsa in mikrodata till personalstatistiken"},
    /* paying out: handläggare prepare, an attestant other than the
     * preparer attests within their limit (core/payment.c checks the
     * batch's own four eyes; ACT_FOUR_EYES keeps the operator's account
     * out) */
    {ACT_PAY_READ, "payment.read", REQ_READERS, ACT_SCOPE_AGENCY, 0,
     "Se utbetalningar, utbetalningsomgångar och bankfiler"},
    {ACT_PAY_SETTINGS, "payment.settings", ADMIN, ACT_SCOPE_AGENCY, W,
     "Ange myndighetens bankinställningar för utbetalningar"},
    {ACT_PAY_LIMIT, "payment.limit", ADMIN, ACT_SCOPE_AGENCY, W, "Ange en attestants beloppsgräns"},
    {ACT_PAY_CREATE, "payment.create", DECIDERS, ACT_SCOPE_AGENCY, W,
     "Skapa utbetalningar av beviljade beslut"},
    {ACT_PAY_BATCH, "payment.batch", PERM_HANDLAGGARE, ACT_SCOPE_AGENCY, W,
     "Sammanställa en utbetalningsomgång"},
    {ACT_PAY_ATTEST, "payment.attest", PERM_ATTESTANT, ACT_SCOPE_AGENCY, W | ACT_FOUR_EYES,
     "Attestera eller skicka tillbaka en utbetalningsomgång"},
    {ACT_PAY_FILE, "payment.file", PERM_HANDLAGGARE | PERM_ATTESTANT, ACT_SCOPE_AGENCY, W,
     "Skapa bankfilen för en attesterad utbetalningsomgång"},
    {ACT_PAY_REPLY, "payment.reply", PERM_HANDLAGGARE | PERM_ATTESTANT, ACT_SCOPE_AGENCY, W,
     "Läsa in bankens svar på en bankfil"},
    {ACT_PAY_REISSUE, "payment.reissue", PERM_HANDLAGGARE, ACT_SCOPE_AGENCY, W,
     "Ställa ut en av banken avvisad utbetalning på nytt"},
    {ACT_PAY_ORG_READ, "payment.org.read", RECIPIENT, ACT_SCOPE_ORG, 0,
     "Se organisationens utbetalningar"},
    {ACT_LEDGER_READ, "ledger.read", REQ_READERS, ACT_SCOPE_AGENCY, 0,
     "Se anslagsredovisningen per program och anslagspost"},
    {ACT_LEDGER_OWN_COST, "ledger.own_cost", DECIDERS, ACT_SCOPE_AGENCY, W,
     "Boka myndighetens egna kostnader mot en anslagspost"},
    {ACT_OUTBOX_READ, "outbox.list", ADMIN, ACT_SCOPE_AGENCY, 0,
     "Se utkorgen med aviseringar och om de är skickade"},
    {ACT_OUTBOX_SEND, "outbox.send", ADMIN, ACT_SCOPE_AGENCY, W,
     "Skicka väntande aviseringar via e-post"},
    {ACT_BACKUP, "backup", ADMIN, ACT_SCOPE_AGENCY, 0, "Ta en säkerhetskopia av databasen"},
};

const struct action *action_get(enum action_id id)
{
    assert(id >= 0 && id < ACT_COUNT);
    assert(table[id].id == id); /* the table is in enum order */
    return &table[id];
}

const struct action *action_table(size_t *n)
{
    *n = ACT_COUNT;
    return table;
}

const struct action *action_find(const char *name)
{
    for (size_t i = 0; name && i < ACT_COUNT; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

static enum err deny(enum action_deny *why, enum action_deny reason)
{
    if (why)
        *why = reason;
    return ERR_DENIED;
}

enum err action_allowed(const struct action *a, const struct action_who *w, const char *owner_org,
                        enum action_deny *why)
{
    const char *org = w->org ? w->org : "";
    if (why)
        *why = ACT_DENY_NONE;
    switch (a->scope) {
    case ACT_SCOPE_PUBLIC:
        return ERR_OK;
    case ACT_SCOPE_SELF:
        return w->person ? ERR_OK : deny(why, ACT_DENY_LOGIN);
    case ACT_SCOPE_ANY:
        if (!w->person)
            return deny(why, ACT_DENY_LOGIN);
        return (w->roles & a->roles) ? ERR_OK : deny(why, ACT_DENY_ROLE);
    case ACT_SCOPE_AGENCY:
        if (!w->person)
            return deny(why, ACT_DENY_LOGIN);
        if (org[0])
            return deny(why, ACT_DENY_CONTEXT);
        if (!(w->roles & a->roles))
            return deny(why, ACT_DENY_ROLE);
        if ((a->flags & ACT_FOUR_EYES) && (w->held & PERM_RECIPIENT_MASK))
            return deny(why, ACT_DENY_RECIPIENT);
        if ((a->flags & ACT_FOUR_EYES) && w->impersonal)
            return deny(why, ACT_DENY_IMPERSONAL);
        return ERR_OK;
    case ACT_SCOPE_ORG:
        if (!w->person)
            return deny(why, ACT_DENY_LOGIN);
        if (!org[0])
            return deny(why, ACT_DENY_CONTEXT);
        if (!(w->roles & a->roles))
            return deny(why, ACT_DENY_ROLE);
        if (w->held & PERM_AGENCY_MASK)
            return deny(why, ACT_DENY_AGENCY);
        if (owner_org && owner_org[0] && !org_same(org, owner_org))
            return deny(why, ACT_DENY_OWNER);
        return ERR_OK;
    }
    return deny(why, ACT_DENY_ROLE);
}
