/* pain002.c - the pain.002.001.03 status report reader. */
#include "io/pain002.h"

#include <stdlib.h>
#include <string.h>

#include "io/isoxml.h"

static const char *const outcome_ids[] = {"none",     "unknown", "pending",
                                          "accepted", "partial", "rejected"};

const char *pain002_outcome_id(enum pain002_outcome o)
{
    return (unsigned)o < sizeof(outcome_ids) / sizeof(outcome_ids[0]) ? outcome_ids[o] : "";
}

enum pain002_outcome pain002_outcome_of(const char *code)
{
    static const struct {
        const char *code;
        enum pain002_outcome o;
    } map[] = {
        {"ACCP", PAIN002_ACCEPTED}, {"ACSP", PAIN002_ACCEPTED}, {"ACSC", PAIN002_ACCEPTED},
        {"ACWC", PAIN002_ACCEPTED}, {"ACTC", PAIN002_PENDING},  {"RCVD", PAIN002_PENDING},
        {"PDNG", PAIN002_PENDING},  {"PART", PAIN002_PARTIAL},  {"RJCT", PAIN002_REJECTED},
    };
    if (!code || !*code)
        return PAIN002_NONE;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(code, map[i].code) == 0)
            return map[i].o;
    return PAIN002_UNKNOWN;
}

const char *pain002_reason_label_sv(const char *code)
{
    /* ISO 20022 ExternalStatusReason1Code, the ones Swedish banks use */
    static const struct {
        const char *code, *sv;
    } map[] = {
        {"AC01", "Felaktigt kontonummer"},
        {"AC04", "Kontot är avslutat"},
        {"AC06", "Kontot är spärrat"},
        {"AC13", "Ogiltig kontotyp hos betalaren"},
        {"AG01", "Transaktionen är inte tillåten på kontot"},
        {"AG02", "Ogiltig transaktionskod"},
        {"AM01", "Beloppet är noll"},
        {"AM02", "Beloppet är inte tillåtet"},
        {"AM04", "Täckning saknas"},
        {"AM05", "Dubblett"},
        {"AM09", "Fel belopp"},
        {"AM10", "Kontrollsumman stämmer inte"},
        {"BE01", "Mottagaren stämmer inte med kontot"},
        {"BE04", "Mottagarens adress saknas"},
        {"BE05", "Okänd avsändare (initierande part)"},
        {"BE06", "Okänd kund"},
        {"BE07", "Betalarens adress saknas"},
        {"CH03", "Betalningsdagen ligger för långt fram"},
        {"CH04", "Betalningsdagen har passerat"},
        {"CH16", "Felaktigt innehåll i betalningen"},
        {"CURR", "Felaktig valuta"},
        {"CUST", "Kunden har stoppat betalningen"},
        {"DS04", "Ordern avvisades av banken"},
        {"DT01", "Ogiltigt datum"},
        {"DUPL", "Betalningen är en dubblett"},
        {"FF01", "Ogiltigt filformat"},
        {"MS02", "Ej angiven orsak från kunden"},
        {"MS03", "Ej angiven orsak från banken"},
        {"NARR", "Se tilläggsinformationen"},
        {"RC01", "Felaktig bankidentifikation (BIC)"},
        {"RF01", "Ogiltig referens (OCR)"},
        {"RR01", "Betalarens konto eller identitet saknas"},
        {"RR02", "Betalarens namn eller adress saknas"},
        {"RR03", "Mottagarens namn eller adress saknas"},
        {"RR04", "Regelverksskäl"},
        {"TM01", "Mottagen efter brytpunkten"},
    };
    for (size_t i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(code, map[i].code) == 0)
            return map[i].sv;
    return "okänd orsakskod";
}

void pain002_init(struct pain002_report *r)
{
    memset(r, 0, sizeof(*r));
}

void pain002_release(struct pain002_report *r)
{
    free(r->pmtinfs);
    free(r->txs);
    memset(r, 0, sizeof(*r));
}

struct ctx {
    const char *name;
    struct diag *d;
    int bad;
};

/* Text of an optional element into out; an error (counted) if it is
 * longer than max characters or not text. */
static void text_of(struct ctx *c, xmlNodePtr node, const char *what, char *out, size_t n,
                    size_t max_chars)
{
    out[0] = '\0';
    if (!node)
        return;
    if (isoxml_text(node, out, n) != ERR_OK || !str_text_fits(out, 0, max_chars)) {
        diag_add(c->d, c->name, isoxml_line(node), "'%s' is longer than %zu characters", what,
                 max_chars);
        out[0] = '\0';
        c->bad++;
    }
}

static int code_ok(const char *s)
{
    size_t len = strlen(s);
    if (len < 1 || len > 4)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* A status element (GrpSts, PmtInfSts, TxSts) and the first StsRsnInf
 * beside it under parent. */
static void status_of(struct ctx *c, xmlNodePtr parent, const char *tag, struct pain002_status *st)
{
    memset(st, 0, sizeof(*st));
    st->line = isoxml_line(parent);
    xmlNodePtr s = isoxml_child(parent, tag);
    if (s) {
        char code[64];
        st->line = isoxml_line(s);
        if (isoxml_text(s, code, sizeof(code)) != ERR_OK || !code_ok(code)) {
            diag_add(c->d, c->name, isoxml_line(s), "'%s' is not a status code of 1-4 capitals",
                     tag);
            c->bad++;
        } else {
            memcpy(st->code, code, strlen(code) + 1);
            st->outcome = pain002_outcome_of(code);
        }
    }
    xmlNodePtr ri = isoxml_child(parent, "StsRsnInf");
    if (!ri)
        return;
    xmlNodePtr cd = isoxml_path(ri, "Rsn/Cd");
    xmlNodePtr pr = isoxml_path(ri, "Rsn/Prtry");
    if (cd) {
        text_of(c, cd, "Rsn/Cd", st->reason.code, sizeof(st->reason.code), 4);
        if (st->reason.code[0] && !code_ok(st->reason.code)) {
            diag_add(c->d, c->name, isoxml_line(cd), "'Rsn/Cd' is not a code of 1-4 capitals");
            c->bad++;
        }
    } else if (pr) {
        text_of(c, pr, "Rsn/Prtry", st->reason.code, sizeof(st->reason.code), PAYMENT_ID_MAX);
        st->reason.proprietary = 1;
    }
    text_of(c, isoxml_child(ri, "AddtlInf"), "AddtlInf", st->reason.info, sizeof(st->reason.info),
            PAIN002_INFO_MAX_CHARS);
}

/* An identifier: at most 35 bytes (ours are ASCII; a longer one is
 * malformed, not cut). out holds PAYMENT_ID_SIZE * 4 bytes. */
static void id_of(struct ctx *c, xmlNodePtr node, const char *what, char *out)
{
    text_of(c, node, what, out, PAYMENT_ID_SIZE * 4, PAYMENT_ID_MAX);
    if (strlen(out) > PAYMENT_ID_MAX) {
        diag_add(c->d, c->name, isoxml_line(node), "'%s' is longer than %d bytes", what,
                 PAYMENT_ID_MAX);
        out[0] = '\0';
        c->bad++;
    }
}

enum err pain002_read(const char *data, size_t n, const char *name, struct pain002_report *r,
                      struct diag *d)
{
    pain002_init(r);
    xmlDocPtr doc = NULL;
    xmlNodePtr m = NULL;
    struct ctx c = {name, d, 0};
    char big[PAYMENT_ID_SIZE * 4];
    enum err e = isoxml_open(data, n, name, PAIN002_NS, "CstmrPmtStsRpt", &doc, &m, d);
    if (e)
        return e;
    e = ERR_PARSE;
    xmlNodePtr gh = isoxml_child(m, "GrpHdr");
    xmlNodePtr mid = isoxml_child(gh, "MsgId");
    if (!mid) {
        diag_add(d, name, isoxml_line(gh ? gh : m), "no 'GrpHdr/MsgId'");
        goto out;
    }
    id_of(&c, mid, "MsgId", big);
    str_copy(r->msg_id, sizeof(r->msg_id), big);
    xmlNodePtr og = isoxml_child(m, "OrgnlGrpInfAndSts");
    xmlNodePtr omid = isoxml_child(og, "OrgnlMsgId");
    if (!omid) {
        diag_add(d, name, isoxml_line(og ? og : m), "no 'OrgnlGrpInfAndSts/OrgnlMsgId'");
        goto out;
    }
    id_of(&c, omid, "OrgnlMsgId", big);
    str_copy(r->orig_msg_id, sizeof(r->orig_msg_id), big);
    if (!r->orig_msg_id[0] && !c.bad) {
        diag_add(d, name, isoxml_line(omid), "'OrgnlMsgId' is empty");
        c.bad++;
    }
    xmlNodePtr onm = isoxml_child(og, "OrgnlMsgNmId");
    text_of(&c, onm, "OrgnlMsgNmId", big, sizeof(big), PAYMENT_ID_MAX);
    if (onm && big[0] && strncmp(big, "pain.001", 8) != 0) {
        diag_add(d, name, isoxml_line(onm), "the report is on a '%s', not on a pain.001 file", big);
        c.bad++;
    }
    status_of(&c, og, "GrpSts", &r->group);

    size_t npi = 0, ntx = 0;
    for (xmlNodePtr pi = isoxml_child(m, "OrgnlPmtInfAndSts"); pi; pi = isoxml_next(pi)) {
        npi++;
        for (xmlNodePtr tx = isoxml_child(pi, "TxInfAndSts"); tx; tx = isoxml_next(tx))
            ntx++;
    }
    if (npi > PAIN002_PMTINF_MAX || ntx > PAIN002_TX_MAX) {
        diag_add(d, name, isoxml_line(m), "more than %d payment blocks or %d transactions",
                 PAIN002_PMTINF_MAX, PAIN002_TX_MAX);
        e = ERR_LIMIT;
        goto out;
    }
    if (npi) {
        r->pmtinfs = calloc(npi, sizeof(*r->pmtinfs));
        if (!r->pmtinfs) {
            e = ERR_NOMEM;
            goto out;
        }
    }
    if (ntx) {
        r->txs = calloc(ntx, sizeof(*r->txs));
        if (!r->txs) {
            e = ERR_NOMEM;
            goto out;
        }
    }
    for (xmlNodePtr pi = isoxml_child(m, "OrgnlPmtInfAndSts"); pi; pi = isoxml_next(pi)) {
        struct pain002_pmtinf *bp = &r->pmtinfs[r->npmtinfs];
        xmlNodePtr pid = isoxml_child(pi, "OrgnlPmtInfId");
        if (!pid) {
            diag_add(d, name, isoxml_line(pi), "no 'OrgnlPmtInfId'");
            c.bad++;
        }
        id_of(&c, pid, "OrgnlPmtInfId", big);
        str_copy(bp->id, sizeof(bp->id), big);
        status_of(&c, pi, "PmtInfSts", &bp->st);
        for (xmlNodePtr tx = isoxml_child(pi, "TxInfAndSts"); tx; tx = isoxml_next(tx)) {
            struct pain002_tx *t = &r->txs[r->ntxs];
            xmlNodePtr eid = isoxml_child(tx, "OrgnlEndToEndId");
            if (!eid)
                eid = isoxml_child(tx, "OrgnlInstrId");
            id_of(&c, eid, "OrgnlEndToEndId", big);
            if (!big[0] && !c.bad) {
                diag_add(d, name, isoxml_line(tx),
                         "a transaction status names no 'OrgnlEndToEndId' or 'OrgnlInstrId'");
                c.bad++;
            }
            str_copy(t->e2e, sizeof(t->e2e), big);
            t->pmtinf = r->npmtinfs;
            status_of(&c, tx, "TxSts", &t->st);
            r->ntxs++;
        }
        r->npmtinfs++;
    }
    e = c.bad ? ERR_PARSE : ERR_OK;
out:
    if (e)
        pain002_release(r);
    xmlFreeDoc(doc);
    return e;
}

static const struct pain002_pmtinf *find_pmtinf(const struct pain002_report *r, const char *id)
{
    for (size_t i = 0; id && i < r->npmtinfs; i++)
        if (strcmp(r->pmtinfs[i].id, id) == 0)
            return &r->pmtinfs[i];
    return NULL;
}

enum pain002_outcome pain002_effective(const struct pain002_report *r, const char *e2e,
                                       const char *pmtinf_id, const struct pain002_status **why)
{
    const struct pain002_status *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    const struct pain002_pmtinf *pi = find_pmtinf(r, pmtinf_id);
    for (size_t i = 0; e2e && i < r->ntxs; i++) {
        if (strcmp(r->txs[i].e2e, e2e) != 0)
            continue;
        if (r->txs[i].st.outcome != PAIN002_NONE) {
            *why = &r->txs[i].st;
            return r->txs[i].st.outcome;
        }
        pi = &r->pmtinfs[r->txs[i].pmtinf];
        break;
    }
    if (pi && pi->st.outcome != PAIN002_NONE && pi->st.outcome != PAIN002_PARTIAL) {
        *why = &pi->st;
        return pi->st.outcome;
    }
    if (r->group.outcome != PAIN002_NONE && r->group.outcome != PAIN002_PARTIAL) {
        *why = &r->group;
        return r->group.outcome;
    }
    return PAIN002_NONE;
}
