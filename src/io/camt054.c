/* camt054.c - the camt.054.001.02 debit and credit notification reader. */
#include "io/camt054.h"

#include <stdlib.h>
#include <string.h>

#include "io/isoxml.h"

void camt054_init(struct camt054_report *r)
{
    memset(r, 0, sizeof(*r));
}

void camt054_release(struct camt054_report *r)
{
    free(r->items);
    memset(r, 0, sizeof(*r));
}

int camt054_is_paid(const struct camt054_item *it)
{
    return !it->credit && it->booked && !it->reversal && it->e2e[0];
}

struct ctx {
    const char *name;
    struct diag *d;
    int bad;
};

static void fail(struct ctx *c, xmlNodePtr at, const char *what, const char *detail)
{
    diag_add(c->d, c->name, isoxml_line(at), "%s%s", what, detail ? detail : "");
    c->bad++;
}

/* Optional text of at most max_chars characters and n - 1 bytes. */
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

/* An SEK amount element: 1 and *ore on success, else an error counted. */
static int amount_of(struct ctx *c, xmlNodePtr node, const char *what, int64_t *ore)
{
    char t[64];
    if (isoxml_text(node, t, sizeof(t)) != ERR_OK || isoxml_amount(t, ore) != ERR_OK) {
        diag_add(c->d, c->name, isoxml_line(node),
                 "'%s' is not an amount with at most two decimals", what);
        c->bad++;
        return 0;
    }
    xmlChar *ccy = xmlGetProp(node, (const xmlChar *)"Ccy");
    int sek = ccy && strcmp((const char *)ccy, "SEK") == 0;
    if (!sek) {
        diag_add(c->d, c->name, isoxml_line(node), "'%s' is in '%s'; only SEK is read", what,
                 ccy ? (const char *)ccy : "");
        c->bad++;
    }
    xmlFree(ccy);
    return sek;
}

static void date_of(struct ctx *c, xmlNodePtr parent, const char *tag, struct date *out)
{
    xmlNodePtr dn = isoxml_child(parent, tag);
    if (!dn)
        return;
    xmlNodePtr v = isoxml_child(dn, "Dt");
    if (!v)
        v = isoxml_child(dn, "DtTm");
    char t[64];
    if (!v || isoxml_text(v, t, sizeof(t)) != ERR_OK || isoxml_date(t, out) != ERR_OK) {
        diag_add(c->d, c->name, isoxml_line(dn), "'%s' has no valid 'Dt' or 'DtTm'", tag);
        memset(out, 0, sizeof(*out));
        c->bad++;
    }
}

static void id_of(struct ctx *c, xmlNodePtr node, const char *what, char *out)
{
    char big[PAYMENT_ID_SIZE * 4];
    text_of(c, node, what, big, sizeof(big), PAYMENT_ID_MAX);
    if (strlen(big) > PAYMENT_ID_MAX) {
        diag_add(c->d, c->name, isoxml_line(node), "'%s' is longer than %d bytes", what,
                 PAYMENT_ID_MAX);
        big[0] = '\0';
        c->bad++;
    }
    memcpy(out, big, strlen(big) + 1);
}

/* The details of one transaction (tx may be NULL: the entry alone). */
static void details(struct ctx *c, xmlNodePtr tx, struct camt054_item *it)
{
    if (!tx)
        return;
    it->line = isoxml_line(tx);
    xmlNodePtr refs = isoxml_child(tx, "Refs");
    id_of(c, isoxml_child(refs, "EndToEndId"), "EndToEndId", it->e2e);
    if (strcmp(it->e2e, "NOTPROVIDED") == 0)
        it->e2e[0] = '\0';
    char own[PAYMENT_ID_SIZE];
    id_of(c, isoxml_child(refs, "AcctSvcrRef"), "AcctSvcrRef", own);
    if (own[0])
        memcpy(it->bank_ref, own, strlen(own) + 1);
    xmlNodePtr rp = isoxml_child(tx, "RltdPties");
    xmlNodePtr who = isoxml_path(rp, it->credit ? "Dbtr/Nm" : "Cdtr/Nm");
    text_of(c, who, it->credit ? "Dbtr/Nm" : "Cdtr/Nm", it->party, sizeof(it->party),
            CAMT054_TEXT_MAX_CHARS);
    xmlNodePtr ri = isoxml_child(tx, "RmtInf");
    text_of(c, isoxml_child(ri, "Ustrd"), "Ustrd", it->ustrd, sizeof(it->ustrd),
            CAMT054_TEXT_MAX_CHARS);
    for (xmlNodePtr st = isoxml_child(ri, "Strd"); st && !it->ref[0]; st = isoxml_next(st)) {
        xmlNodePtr cri = isoxml_child(st, "CdtrRefInf");
        xmlNodePtr ref = isoxml_child(cri, "Ref");
        if (!ref)
            continue;
        id_of(c, ref, "CdtrRefInf/Ref", it->ref);
        it->ocr = payment_ocr_ok(it->ref);
    }
}

enum err camt054_read(const char *data, size_t n, const char *name, struct camt054_report *r,
                      struct diag *d)
{
    camt054_init(r);
    xmlDocPtr doc = NULL;
    xmlNodePtr m = NULL;
    struct ctx c = {name, d, 0};
    enum err e = isoxml_open(data, n, name, CAMT054_NS, "BkToCstmrDbtCdtNtfctn", &doc, &m, d);
    if (e)
        return e;
    e = ERR_PARSE;
    xmlNodePtr mid = isoxml_path(m, "GrpHdr/MsgId");
    if (!mid) {
        diag_add(d, name, isoxml_line(m), "no 'GrpHdr/MsgId'");
        goto out;
    }
    id_of(&c, mid, "MsgId", r->msg_id);
    xmlNodePtr nt = isoxml_child(m, "Ntfctn");
    if (!nt) {
        diag_add(d, name, isoxml_line(m), "no 'Ntfctn'");
        goto out;
    }
    xmlNodePtr acct = isoxml_path(nt, "Acct/Id/IBAN");
    if (!acct)
        acct = isoxml_path(nt, "Acct/Id/Othr/Id");
    text_of(&c, acct, "Acct/Id", r->account, sizeof(r->account), 34);

    size_t count = 0;
    for (xmlNodePtr f = nt; f; f = isoxml_next(f))
        for (xmlNodePtr en = isoxml_child(f, "Ntry"); en; en = isoxml_next(en)) {
            size_t k = 0;
            for (xmlNodePtr dt = isoxml_child(en, "NtryDtls"); dt; dt = isoxml_next(dt))
                for (xmlNodePtr tx = isoxml_child(dt, "TxDtls"); tx; tx = isoxml_next(tx))
                    k++;
            count += k ? k : 1;
            if (count > CAMT054_ITEMS_MAX)
                break;
        }
    if (count > CAMT054_ITEMS_MAX) {
        diag_add(d, name, isoxml_line(m), "more than %d transactions", CAMT054_ITEMS_MAX);
        e = ERR_LIMIT;
        goto out;
    }
    if (count) {
        r->items = calloc(count, sizeof(*r->items));
        if (!r->items) {
            e = ERR_NOMEM;
            goto out;
        }
    }
    for (xmlNodePtr f = nt; f; f = isoxml_next(f)) {
        for (xmlNodePtr en = isoxml_child(f, "Ntry"); en; en = isoxml_next(en)) {
            struct camt054_item base;
            memset(&base, 0, sizeof(base));
            base.line = isoxml_line(en);
            int64_t entry_amt = 0;
            xmlNodePtr amt = isoxml_child(en, "Amt");
            if (!amt)
                fail(&c, en, "an entry without 'Amt'", NULL);
            else
                amount_of(&c, amt, "Amt", &entry_amt);
            char t[16];
            xmlNodePtr ind = isoxml_child(en, "CdtDbtInd");
            if (!ind || isoxml_text(ind, t, sizeof(t)) != ERR_OK ||
                (strcmp(t, "CRDT") != 0 && strcmp(t, "DBIT") != 0)) {
                fail(&c, ind ? ind : en, "'CdtDbtInd' is not CRDT or DBIT", NULL);
            } else {
                base.credit = strcmp(t, "CRDT") == 0;
            }
            xmlNodePtr sts = isoxml_child(en, "Sts");
            if (!sts || isoxml_text(sts, t, sizeof(t)) != ERR_OK ||
                (strcmp(t, "BOOK") != 0 && strcmp(t, "PDNG") != 0 && strcmp(t, "INFO") != 0)) {
                fail(&c, sts ? sts : en, "'Sts' is not BOOK, PDNG or INFO", NULL);
            } else {
                base.booked = strcmp(t, "BOOK") == 0;
            }
            xmlNodePtr rv = isoxml_child(en, "RvslInd");
            if (rv) {
                if (isoxml_text(rv, t, sizeof(t)) != ERR_OK ||
                    (strcmp(t, "true") && strcmp(t, "false") && strcmp(t, "1") && strcmp(t, "0")))
                    fail(&c, rv, "'RvslInd' is not a boolean", NULL);
                else
                    base.reversal = strcmp(t, "true") == 0 || strcmp(t, "1") == 0;
            }
            date_of(&c, en, "BookgDt", &base.date);
            if (!date_is_set(base.date))
                date_of(&c, en, "ValDt", &base.date);
            id_of(&c, isoxml_child(en, "AcctSvcrRef"), "AcctSvcrRef", base.bank_ref);

            size_t first = r->n, k = 0;
            int64_t sum = 0;
            int all_amounts = 1;
            for (xmlNodePtr dt = isoxml_child(en, "NtryDtls"); dt; dt = isoxml_next(dt)) {
                for (xmlNodePtr tx = isoxml_child(dt, "TxDtls"); tx; tx = isoxml_next(tx)) {
                    struct camt054_item *it = &r->items[r->n++];
                    *it = base;
                    details(&c, tx, it);
                    xmlNodePtr ta = isoxml_path(tx, "AmtDtls/TxAmt/Amt");
                    if (!ta)
                        ta = isoxml_path(tx, "AmtDtls/InstdAmt/Amt");
                    if (ta) {
                        if (amount_of(&c, ta, "AmtDtls", &it->amount))
                            sum += it->amount;
                    } else {
                        all_amounts = 0;
                        it->amount = entry_amt;
                    }
                    k++;
                }
            }
            if (k == 0) {
                struct camt054_item *it = &r->items[r->n++];
                *it = base;
                it->amount = entry_amt;
            } else if (k > 1 && !all_amounts) {
                fail(&c, en, "a batch entry whose transactions do not all give their amount", NULL);
            } else if (k > 1 && sum != entry_amt && !c.bad) {
                fail(&c, en, "the transactions of a batch entry do not add up to its 'Amt'", NULL);
            }
            for (size_t i = first; i < r->n; i++)
                if (r->items[i].amount <= 0 && !c.bad)
                    fail(&c, en, "an entry or transaction of zero", NULL);
        }
    }
    e = c.bad ? ERR_PARSE : ERR_OK;
out:
    if (e)
        camt054_release(r);
    xmlFreeDoc(doc);
    return e;
}
