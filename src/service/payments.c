/* payments.c - paying out's actions (payments.h). */
#include "service/payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/camt054.h"
#include "io/pain002.h"
#include "core/org.h"
#include "core/perm.h"
#include "io/xsdcheck.h"
#include "service/requisition.h"
#include "util/civil.h"
#include "util/sha256.h"
#include "util/str.h"

#define AUDIT_OBJECT "payments"

/* 1 if the n bytes of data hold needle. */
static int holds(const char *data, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (data[i] == needle[0] && memcmp(data + i, needle, k) == 0)
            return 1;
    return 0;
}

/* A refusal of core/payment.c, whose sentence is Swedish text. */
static enum err core_fail(struct svc_call *c, enum err e, const char *sentence)
{
    return svc_failf(c, e, M_("{1}"), msg_str(sentence));
}

static enum err audit(struct svc_call *c, const char *what)
{
    return svc_audit(c, AUDIT_OBJECT, NULL, what);
}

static void stamp(struct svc_call *c, struct store_payment *r)
{
    str_copy(r->updated_at, sizeof(r->updated_at), c->nowiso);
    str_copy(r->updated_by, sizeof(r->updated_by), c->who.login);
}

enum err pay_settings_set(struct store *s, const struct svc_actor *who, int64_t now,
                          enum pain001_bank bank, const char *debtor_name, const char *debtor_iban,
                          const char *debtor_bic, const char *initg_id, struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_SETTINGS, now, res);
    if (e != ERR_OK)
        return svc_end(&c, e);
    struct pain001_settings ps;
    pain001_settings_default(&ps, bank);
    char bad[5] = "";
    if (payment_bank_text(debtor_name ? debtor_name : "", ps.debtor_name, sizeof(ps.debtor_name),
                          PAYMENT_NAME_MAX_CHARS, 0, bad) != ERR_OK ||
        !ps.debtor_name[0])
        msg_issue_add(&res->issues, "debtor_name",
                      M_("Ange myndighetens namn med tecken som banken tar emot."));
    struct payacct acct;
    if (!debtor_iban || payacct_parse(PAYACCT_IBAN, debtor_iban, &acct, NULL) != ERR_OK)
        msg_issue_add(&res->issues, "debtor_iban", M_("Ange myndighetens konto som ett IBAN."));
    else
        str_copy(ps.debtor_iban, sizeof(ps.debtor_iban), acct.number);
    if (debtor_bic && debtor_bic[0]) {
        if (!payment_bic_ok(debtor_bic))
            msg_issue_add(&res->issues, "debtor_bic", M_("BIC-koden har fel form."));
        else
            str_copy(ps.debtor_bic, sizeof(ps.debtor_bic), debtor_bic);
    }
    if (!initg_id || !payment_bank_id_ok(initg_id))
        msg_issue_add(&res->issues, "initg_id",
                      M_("Ange det id som banken har gett myndigheten (1–35 tecken)."));
    else
        str_copy(ps.initg_id, sizeof(ps.initg_id), initg_id);
    if (res->issues.n > 0)
        return svc_end(&c, svc_fail(&c, ERR_INVALID, M_("Bankinställningarna är inte kompletta.")));
    struct store_pay_settings row;
    memset(&row, 0, sizeof(row));
    str_copy(row.bank, sizeof(row.bank), bank == PAIN001_SWEDBANK ? "swedbank" : "danske");
    str_copy(row.debtor_name, sizeof(row.debtor_name), ps.debtor_name);
    str_copy(row.debtor_iban, sizeof(row.debtor_iban), ps.debtor_iban);
    if (debtor_bic && debtor_bic[0])
        str_copy(row.debtor_bic, sizeof(row.debtor_bic), ps.debtor_bic);
    str_copy(row.initg_id, sizeof(row.initg_id), ps.initg_id);
    e = svc_write(&c);
    if (e == ERR_OK)
        e = store_pay_settings_put(s, &row, c.nowiso, c.who.login);
    char what[256];
    snprintf(what, sizeof(what), "settings %s %s %s", ps.bank, ps.debtor_iban, ps.initg_id);
    if (e == ERR_OK)
        e = audit(&c, what);
    return svc_end(&c, e);
}

enum err pay_limit_set(struct store *s, const struct svc_actor *who, int64_t now, const char *login,
                       int64_t limit_ore, struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_LIMIT, now, res);
    if (e != ERR_OK)
        return svc_end(&c, e);
    struct store_account acc;
    if (!login || store_account_get(s, login, &acc) != ERR_OK)
        return svc_end(&c, svc_failf(&c, ERR_NOTFOUND, M_("Det finns ingen användare '{1}'."),
                                     msg_str(login ? login : "")));
    if (limit_ore < 0 || limit_ore > PAYMENT_AMOUNT_MAX)
        return svc_end(&c, svc_fail(&c, ERR_INVALID, M_("Beloppsgränsen är inte ett belopp.")));
    e = svc_write(&c);
    if (e == ERR_OK)
        e = store_pay_limit_put(s, acc.login, limit_ore, c.nowiso, c.who.login);
    char what[256];
    snprintf(what, sizeof(what), "limit %s %lld", acc.login, (long long)limit_ore);
    if (e == ERR_OK)
        e = audit(&c, what);
    return svc_end(&c, e);
}

/* What a decision pays, gathered through the requisition service before
 * the payment action's own transaction. */
struct source {
    char decision[PAYMENT_DECISION_SIZE];
    char case_no[PAYMENT_CASE_SIZE];
    char recipient[5];
    int64_t amount;
    struct date due;
    struct payment_payee payee;
    char problem[200]; /* why it cannot be paid, "" if it can */
};

static enum err gather(struct store *s, const struct svc_actor *who, int64_t now,
                       const char *program, char *dnr, size_t dnrn, struct source **out,
                       size_t *nout, struct svc_result *res)
{
    struct req_decision_row *d = NULL;
    size_t nd = 0;
    *out = NULL;
    *nout = 0;
    enum err e = req_decisions_of_program(s, who, now, program, &d, &nd, res);
    if (e != ERR_OK)
        return e;
    struct source *src = calloc(nd ? nd : 1, sizeof(*src));
    if (!src) {
        free(d);
        return ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; e == ERR_OK && i < nd; i++) {
        if (strcmp(d[i].kind, "rejection") == 0 || d[i].amount_ore <= 0)
            continue;
        struct source *x = &src[n];
        str_copy(x->decision, sizeof(x->decision), d[i].number);
        str_copy(x->case_no, sizeof(x->case_no), d[i].case_no);
        str_copy(x->recipient, sizeof(x->recipient), d[i].recipient);
        x->amount = d[i].amount_ore;
        if (date_parse(d[i].decided_on, &x->due) != ERR_OK)
            x->due = civil_date(now);
        struct req_view v;
        memset(&v, 0, sizeof(v));
        e = req_open_case(s, who, now, d[i].case_no, &v, res);
        if (e == ERR_OK) {
            str_copy(dnr, dnrn, v.pv.prog.diarienummer);
            char msg[200] = "";
            if (payment_payee_set(&x->payee, payment_acct_parse(v.latest.account_kind),
                                  v.latest.account, NULL, v.recipient_name, msg,
                                  sizeof(msg)) != ERR_OK)
                snprintf(x->problem, sizeof(x->problem), "%s", msg[0] ? msg : "inget konto");
        }
        req_view_release(&v);
        n++;
    }
    free(d);
    if (e != ERR_OK) {
        free(src);
        return e;
    }
    *out = src;
    *nout = n;
    return ERR_OK;
}

enum err pay_create(struct store *s, const struct svc_actor *who, int64_t now, const char *program,
                    size_t *created, int64_t *total_ore, struct svc_result *res)
{
    *created = 0;
    *total_ore = 0;
    struct msg why;
    svc_result_init(res);
    enum err e = svc_check(s, who, ACT_PAY_CREATE, "", &why);
    if (e != ERR_OK) {
        res->msg = why;
        res->e = e;
        return e;
    }
    struct source *src = NULL;
    size_t nsrc = 0;
    char dnr[64] = "";
    e = gather(s, who, now, program, dnr, sizeof(dnr), &src, &nsrc, res);
    if (e != ERR_OK)
        return e;
    struct svc_call c;
    e = svc_begin(&c, s, who, ACT_PAY_CREATE, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    for (size_t i = 0; e == ERR_OK && i < nsrc; i++) {
        struct store_payment old;
        enum err g = store_pay_get(s, src[i].decision, 1, &old);
        if (g == ERR_OK)
            continue; /* paid or being paid already */
        if (g != ERR_NOTFOUND) {
            e = g;
            break;
        }
        if (src[i].problem[0]) {
            e = svc_failf(&c, ERR_INVALID, M_("Beslut {1} kan inte betalas ut: {2}"),
                          msg_str(src[i].decision), msg_str(src[i].problem));
            break;
        }
        struct store_payment r;
        memset(&r, 0, sizeof(r));
        struct payment *p = &r.p;
        str_copy(p->decision, sizeof(p->decision), src[i].decision);
        p->seq = 1;
        p->issue = 1;
        str_copy(p->case_no, sizeof(p->case_no), src[i].case_no);
        str_copy(p->diarienummer, sizeof(p->diarienummer), dnr);
        p->amount = src[i].amount;
        p->due = src[i].due;
        p->payee = src[i].payee;
        p->state = PAYMENT_CREATED;
        char msg[256] = "";
        if (payment_check(p, msg, sizeof(msg)) != ERR_OK) {
            e = svc_failf(&c, ERR_INVALID, M_("Beslut {1} kan inte betalas ut: {2}"),
                          msg_str(src[i].decision), msg_str(msg));
            break;
        }
        str_copy(r.program, sizeof(r.program), program);
        str_copy(r.recipient, sizeof(r.recipient), src[i].recipient);
        r.batch_id = -1;
        str_copy(r.created_at, sizeof(r.created_at), c.nowiso);
        str_copy(r.created_by, sizeof(r.created_by), c.who.login);
        stamp(&c, &r);
        e = store_pay_add(s, &r);
        if (e == ERR_OK) {
            (*created)++;
            *total_ore += p->amount;
        }
    }
    free(src);
    char what[200];
    snprintf(what, sizeof(what), "create %s %zu %lld", program, *created, (long long)*total_ore);
    if (e == ERR_OK && *created == 0)
        svc_rollback(&c); /* nothing to make: no change, no record */
    else if (e == ERR_OK)
        e = audit(&c, what);
    return svc_end(&c, e);
}

/* Load a batch and its payments (inside the call). */
static enum err batch_load(struct svc_call *c, const char *number, struct store_pay_batch *b,
                           struct store_payment **ps, size_t *n)
{
    *ps = NULL;
    *n = 0;
    enum err e = store_pay_batch_get(c->s, number ? number : "", b);
    if (e == ERR_NOTFOUND)
        return svc_failf(c, ERR_NOTFOUND, M_("Det finns ingen utbetalningsomgång {1}."),
                         msg_str(number ? number : ""));
    if (e != ERR_OK)
        return e;
    struct store_pay_filter f = {NULL, b->id, -1, NULL, NULL, NULL};
    return store_pay_list(c->s, &f, ps, n);
}

/* The start of an action on one batch: the call, its transaction, the
 * batch and its payments read inside it. */
static enum err batch_begin(struct svc_call *c, struct store *s, const struct svc_actor *who,
                            enum action_id act, int64_t now, const char *batch,
                            struct svc_result *res, struct store_pay_batch *b,
                            struct store_payment **ps, size_t *np)
{
    *ps = NULL;
    *np = 0;
    enum err e = svc_begin(c, s, who, act, now, res);
    if (e == ERR_OK)
        e = svc_write(c);
    if (e == ERR_OK)
        e = batch_load(c, batch, b, ps, np);
    return e;
}

/* core/payment.c works on arrays of struct payment: copy out and back. */
static struct payment *values_of(struct store_payment *ps, size_t n)
{
    struct payment *v = calloc(n ? n : 1, sizeof(*v));
    if (v)
        for (size_t i = 0; i < n; i++)
            v[i] = ps[i].p;
    return v;
}

static enum err values_back(struct svc_call *c, struct store_payment *ps, const struct payment *v,
                            size_t n)
{
    enum err e = ERR_OK;
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        if (memcmp(&ps[i].p, &v[i], sizeof(v[i])) == 0)
            continue;
        ps[i].p = v[i];
        stamp(c, &ps[i]);
        e = store_pay_update(c->s, &ps[i]);
    }
    return e;
}

enum err pay_batch_new(struct store *s, const struct svc_actor *who, int64_t now,
                       const char *program, char number[PAYMENT_ID_SIZE], size_t *n,
                       int64_t *total_ore, struct svc_result *res)
{
    number[0] = '\0';
    *n = 0;
    *total_ore = 0;
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_BATCH, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct store_pay_filter f = {program, 0, PAYMENT_CREATED, NULL, NULL, NULL};
    if (e == ERR_OK)
        e = store_pay_list(s, &f, &ps, &np);
    if (e == ERR_OK && np == 0)
        e = svc_fail(&c, ERR_NOTFOUND, M_("Det finns inga utbetalningar att sammanställa."));
    long long seq = 0;
    if (e == ERR_OK)
        e = store_counter_next(s, "UTB", c.today.y, &seq);
    struct store_pay_batch b;
    memset(&b, 0, sizeof(b));
    if (e == ERR_OK) {
        snprintf(b.number, sizeof(b.number), "UTB-%04d-%04lld", c.today.y, seq);
        str_copy(b.b.id, sizeof(b.b.id), b.number);
        b.b.state = PAYMENT_BATCH_OPEN;
        str_copy(b.created_at, sizeof(b.created_at), c.nowiso);
        str_copy(b.created_by, sizeof(b.created_by), c.who.login);
        e = store_pay_batch_add(s, &b);
    }
    for (size_t i = 0; e == ERR_OK && i < np; i++) {
        char msg[256] = "";
        if (payment_batch_add(&b.b, &ps[i].p, c.who.login, msg, sizeof(msg)) != ERR_OK) {
            e = core_fail(&c, ERR_CONFLICT, msg);
            break;
        }
        ps[i].batch_id = b.id;
        stamp(&c, &ps[i]);
        e = store_pay_update(s, &ps[i]);
        *total_ore += ps[i].p.amount;
    }
    if (e == ERR_OK)
        e = store_pay_batch_update(s, &b);
    char what[200];
    snprintf(what, sizeof(what), "batch %s %zu %lld", b.number, np, (long long)*total_ore);
    if (e == ERR_OK)
        e = audit(&c, what);
    if (e == ERR_OK) {
        str_copy(number, PAYMENT_ID_SIZE, b.number);
        *n = np;
    } else {
        *total_ore = 0;
    }
    free(ps);
    return svc_end(&c, e);
}

enum err pay_batch_remove(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *batch, const char *decision, struct svc_result *res)
{
    struct svc_call c;
    struct store_pay_batch b;
    struct store_payment *ps = NULL;
    size_t np = 0;
    enum err e = batch_begin(&c, s, who, ACT_PAY_BATCH, now, batch, res, &b, &ps, &np);
    size_t i = 0;
    while (e == ERR_OK && i < np && strcmp(ps[i].p.decision, decision ? decision : "") != 0)
        i++;
    if (e == ERR_OK && i == np)
        e = svc_failf(&c, ERR_NOTFOUND, M_("Beslut {1} finns inte i omgång {2}."),
                      msg_str(decision ? decision : ""), msg_str(b.number));
    if (e == ERR_OK) {
        char msg[256] = "";
        if (payment_batch_remove(&b.b, &ps[i].p, c.who.login, msg, sizeof(msg)) != ERR_OK)
            e = core_fail(&c, ERR_CONFLICT, msg);
    }
    if (e == ERR_OK) {
        ps[i].batch_id = -1;
        stamp(&c, &ps[i]);
        e = store_pay_update(s, &ps[i]);
    }
    char what[200];
    snprintf(what, sizeof(what), "unbatch %s %s", batch ? batch : "", decision ? decision : "");
    if (e == ERR_OK)
        e = audit(&c, what);
    free(ps);
    return svc_end(&c, e);
}

static enum err attestant_of(struct svc_call *c, struct payment_attestant *a)
{
    int64_t limit = 0;
    enum err e = store_pay_limit_get(c->s, c->who.login, &limit);
    if (e == ERR_NOTFOUND) {
        limit = 0; /* no limit set: attests nothing */
        e = ERR_OK;
    }
    a->login = c->who.login;
    a->is_attestant = (c->roles & PERM_ATTESTANT) != 0;
    a->limit = limit;
    return e;
}

enum err pay_batch_attest(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *batch, struct svc_result *res)
{
    struct svc_call c;
    struct store_pay_batch b;
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct payment *v = NULL;
    struct payment_attestant a;
    enum err e = batch_begin(&c, s, who, ACT_PAY_ATTEST, now, batch, res, &b, &ps, &np);
    if (e == ERR_OK)
        e = attestant_of(&c, &a);
    if (e == ERR_OK) {
        v = values_of(ps, np);
        if (!v)
            e = ERR_NOMEM;
    }
    if (e == ERR_OK) {
        char msg[256] = "";
        enum err r = payment_batch_attest(&b.b, v, np, &a, msg, sizeof(msg));
        if (r != ERR_OK)
            e = core_fail(&c, r, msg);
    }
    if (e == ERR_OK)
        e = values_back(&c, ps, v, np);
    if (e == ERR_OK) {
        str_copy(b.attested_at, sizeof(b.attested_at), c.nowiso);
        e = store_pay_batch_update(s, &b);
    }
    char what[200];
    snprintf(what, sizeof(what), "attest %s", batch ? batch : "");
    if (e == ERR_OK)
        e = audit(&c, what);
    free(v);
    free(ps);
    return svc_end(&c, e);
}

enum err pay_batch_return(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *batch, const char *reason, struct svc_result *res)
{
    struct svc_call c;
    struct store_pay_batch b;
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct payment_attestant a;
    enum err e = batch_begin(&c, s, who, ACT_PAY_ATTEST, now, batch, res, &b, &ps, &np);
    if (e == ERR_OK)
        e = attestant_of(&c, &a);
    if (e == ERR_OK) {
        char msg[256] = "";
        enum err r = payment_batch_return(&b.b, &a, reason ? reason : "", msg, sizeof(msg));
        if (r != ERR_OK)
            e = core_fail(&c, r, msg);
    }
    if (e == ERR_OK)
        e = store_pay_batch_update(s, &b);
    char what[400];
    snprintf(what, sizeof(what), "return %s %s", batch ? batch : "", reason ? reason : "");
    if (e == ERR_OK)
        e = audit(&c, what);
    free(ps);
    return svc_end(&c, e);
}

/* The agency's settings over its bank's defaults. */
static enum err settings_of(struct store *s, struct pain001_settings *out)
{
    struct store_pay_settings row;
    enum err e = store_pay_settings_get(s, &row);
    if (e != ERR_OK)
        return e;
    pain001_settings_default(out,
                             strcmp(row.bank, "swedbank") == 0 ? PAIN001_SWEDBANK : PAIN001_DANSKE);
    str_copy(out->debtor_name, sizeof(out->debtor_name), row.debtor_name);
    str_copy(out->debtor_iban, sizeof(out->debtor_iban), row.debtor_iban);
    if (row.debtor_bic[0])
        str_copy(out->debtor_bic, sizeof(out->debtor_bic), row.debtor_bic);
    str_copy(out->initg_id, sizeof(out->initg_id), row.initg_id);
    return ERR_OK;
}

static enum err file_make(struct svc_call *c, const struct pain001_settings *ps,
                          const struct pain001_header *h, struct payment *v, size_t n,
                          const char *data_dir, struct buf *out, struct diag *d)
{
    enum err e = pain001_write(ps, h, v, n, out, d);
    if (e == ERR_INVALID)
        return svc_fail(c, ERR_INVALID, M_("Bankfilen kan inte skapas; se felen nedan."));
    if (e != ERR_OK)
        return e;
    char xsd[1024];
    if (snprintf(xsd, sizeof(xsd), "%s/%s", data_dir, XSDCHECK_PAIN001) >= (int)sizeof(xsd))
        return ERR_LIMIT;
    struct xsdcheck *x = NULL;
    e = xsdcheck_open(xsd, &x, d);
    if (e != ERR_OK)
        return svc_fail(c, ERR_IO, M_("ISO-schemat för bankfiler kan inte läsas."));
    e = xsdcheck_validate(x, out->p, out->len, h->msg_id, d);
    xsdcheck_free(x);
    if (e != ERR_OK)
        return svc_fail(c, ERR_INVALID,
                        M_("Bankfilen följer inte ISO 20022-schemat och lämnas inte ut."));
    return ERR_OK;
}

enum err pay_batch_file(struct store *s, const struct svc_actor *who, int64_t now,
                        const char *batch, const char *data_dir, struct buf *out,
                        char msg_id[PAYMENT_ID_SIZE], struct diag *d, struct svc_result *res)
{
    msg_id[0] = '\0';
    struct svc_call c;
    struct store_pay_batch b;
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct payment *v = NULL;
    enum err e = batch_begin(&c, s, who, ACT_PAY_FILE, now, batch, res, &b, &ps, &np);
    if (e == ERR_OK && b.b.state == PAYMENT_BATCH_FILED && b.b.file_id[0]) {
        /* made already: the same bytes again, nothing changes */
        struct store_pay_file f;
        memset(&f, 0, sizeof(f));
        e = store_pay_file_get(s, b.b.file_id, &f);
        if (e == ERR_OK)
            e = buf_append(out, f.content, f.len);
        if (e == ERR_OK)
            str_copy(msg_id, PAYMENT_ID_SIZE, f.msg_id);
        store_pay_file_release(&f);
        free(ps);
        svc_rollback(&c);
        return svc_end(&c, e);
    }
    if (e == ERR_OK && b.b.state != PAYMENT_BATCH_ATTESTED)
        e = svc_failf(&c, ERR_CONFLICT, M_("Omgång {1} är inte attesterad."), msg_str(b.number));
    struct pain001_settings set;
    if (e == ERR_OK) {
        e = settings_of(s, &set);
        if (e == ERR_NOTFOUND)
            e = svc_fail(&c, ERR_CONFLICT,
                         M_("Myndighetens bankinställningar saknas (bidrag payment settings)."));
    }
    int64_t nfiles = 0;
    if (e == ERR_OK)
        e = store_pay_file_count(s, b.id, &nfiles);
    struct pain001_header h;
    memset(&h, 0, sizeof(h));
    if (e == ERR_OK) {
        char id[64];
        snprintf(id, sizeof(id), "%s-%lld", b.number, (long long)nfiles + 1);
        if (strlen(id) > PAIN001_MSG_ID_MAX)
            e = ERR_LIMIT;
        str_copy(h.msg_id, sizeof(h.msg_id), id);
        civil_iso_local(h.created, sizeof(h.created), now);
        h.today = c.today;
        if (e == ERR_OK) {
            v = values_of(ps, np);
            if (!v)
                e = ERR_NOMEM;
        }
    }
    if (e == ERR_OK) {
        char msg[256] = "";
        enum err r = payment_batch_file(&b.b, v, np, h.msg_id, msg, sizeof(msg));
        if (r != ERR_OK)
            e = core_fail(&c, r, msg);
    }
    if (e == ERR_OK)
        e = file_make(&c, &set, &h, v, np, data_dir, out, d);
    if (e == ERR_OK)
        e = values_back(&c, ps, v, np);
    if (e == ERR_OK)
        e = store_pay_batch_update(s, &b);
    struct store_pay_file f;
    memset(&f, 0, sizeof(f));
    if (e == ERR_OK) {
        str_copy(f.msg_id, sizeof(f.msg_id), h.msg_id);
        f.batch_id = b.id;
        str_copy(f.created, sizeof(f.created), h.created);
        date_fmt(f.today, sizeof(f.today), h.today);
        struct sha256 sh;
        unsigned char dg[32];
        sha256_init(&sh);
        sha256_update(&sh, out->p, out->len);
        sha256_final(&sh, dg);
        sha256_hex(dg, f.sha256);
        f.content = out->p;
        f.len = out->len;
        str_copy(f.state, sizeof(f.state), "live");
        str_copy(f.made_at, sizeof(f.made_at), c.nowiso);
        str_copy(f.made_by, sizeof(f.made_by), c.who.login);
        e = store_pay_file_add(s, &f);
    }
    char what[200];
    snprintf(what, sizeof(what), "file %s %s %s", b.number, h.msg_id, f.sha256);
    if (e == ERR_OK)
        e = audit(&c, what);
    if (e == ERR_OK)
        str_copy(msg_id, PAYMENT_ID_SIZE, h.msg_id);
    else
        buf_reset(out);
    free(v);
    free(ps);
    return svc_end(&c, e);
}

/* Apply ev to the payment with end-to-end id e2e; *found 0 if none. */
static enum err apply_e2e(struct svc_call *c, const char *e2e, enum payment_event ev,
                          const char *arg, int *found, int *changed)
{
    char decision[PAYMENT_DECISION_SIZE];
    int seq = 0, issue = 0;
    *found = 0;
    *changed = 0;
    if (payment_e2e_parse(e2e, decision, sizeof(decision), &seq, &issue) != ERR_OK)
        return ERR_OK;
    struct store_payment r;
    enum err e = store_pay_get(c->s, decision, seq, &r);
    if (e == ERR_NOTFOUND || (e == ERR_OK && r.p.issue != issue))
        return ERR_OK; /* not ours, or about an earlier issue: stale */
    if (e != ERR_OK)
        return e;
    *found = 1;
    /* a report repeated, or arriving after the debit: nothing new */
    if ((ev == PAYMENT_EV_BANK_REJECT && r.p.state == PAYMENT_REJECTED) ||
        (ev == PAYMENT_EV_BANK_ACCEPT && r.p.state == PAYMENT_BOOKED))
        return ERR_OK;
    char msg[256] = "";
    enum err a = payment_apply(&r.p, ev, arg, changed, msg, sizeof(msg));
    if (a != ERR_OK)
        return core_fail(c, a, msg);
    if (*changed) {
        stamp(c, &r);
        e = store_pay_update(c->s, &r);
    }
    return e;
}

static enum err reply_pain002(struct svc_call *c, const struct pain002_report *r,
                              struct pay_reply_sum *sum)
{
    str_copy(sum->file, sizeof(sum->file), r->orig_msg_id);
    struct store_pay_file f;
    memset(&f, 0, sizeof(f));
    enum err e = store_pay_file_get(c->s, r->orig_msg_id, &f);
    store_pay_file_release(&f);
    if (e == ERR_NOTFOUND)
        return svc_failf(c, ERR_NOTFOUND, M_("Svaret gäller fil {1}, som inte är vår."),
                         msg_str(r->orig_msg_id));
    if (e != ERR_OK)
        return e;
    if (r->group.outcome == PAIN002_REJECTED) {
        /* the whole file refused: back to attested, ready for a new file */
        struct store_pay_batch b;
        struct store_payment *ps = NULL;
        size_t np = 0;
        struct payment *v = NULL;
        e = store_pay_batch_get_id(c->s, f.batch_id, &b);
        struct store_pay_filter pf = {NULL, f.batch_id, -1, NULL, NULL, NULL};
        if (e == ERR_OK)
            e = store_pay_list(c->s, &pf, &ps, &np);
        if (e == ERR_OK) {
            v = values_of(ps, np);
            if (!v)
                e = ERR_NOMEM;
        }
        if (e == ERR_OK && strcmp(b.b.file_id, r->orig_msg_id) == 0) {
            char msg[256] = "";
            enum err a = payment_batch_file_rejected(&b.b, v, np, r->orig_msg_id, msg, sizeof(msg));
            if (a != ERR_OK)
                e = core_fail(c, a, msg);
            if (e == ERR_OK)
                e = values_back(c, ps, v, np);
            if (e == ERR_OK)
                e = store_pay_batch_update(c->s, &b);
        }
        if (e == ERR_OK)
            e = store_pay_file_set(c->s, r->orig_msg_id, "refused", r->group.code);
        sum->file_refused = 1;
        free(v);
        free(ps);
        return e;
    }
    /* each payment of the file: what the report says of it */
    struct store_payment *ps = NULL;
    size_t np = 0;
    struct store_pay_filter pf = {NULL, -1, -1, r->orig_msg_id, NULL, NULL};
    e = store_pay_list(c->s, &pf, &ps, &np);
    for (size_t i = 0; e == ERR_OK && i < np; i++) {
        char e2e[PAYMENT_ID_SIZE];
        if (payment_e2e_of(&ps[i].p, e2e) != ERR_OK)
            continue;
        const struct pain002_status *why = NULL;
        enum pain002_outcome o = pain002_effective(r, e2e, NULL, &why);
        int found = 0, changed = 0;
        if (o == PAIN002_ACCEPTED) {
            e = apply_e2e(c, e2e, PAYMENT_EV_BANK_ACCEPT, NULL, &found, &changed);
            if (changed)
                sum->accepted++;
            else
                sum->unchanged++;
        } else if (o == PAIN002_REJECTED) {
            char arg[STR_UTF8_SIZE(PAYMENT_REASON_MAX_CHARS) + 40];
            const char *code = why && why->reason.code[0] ? why->reason.code : "NARR";
            snprintf(arg, sizeof(arg), "%s %s", code,
                     why && why->reason.info[0] ? why->reason.info : pain002_reason_label_sv(code));
            e = apply_e2e(c, e2e, PAYMENT_EV_BANK_REJECT, arg, &found, &changed);
            if (changed)
                sum->rejected++;
            else
                sum->unchanged++;
        } else if (o == PAIN002_UNKNOWN) {
            sum->unknown++;
        } else {
            sum->unchanged++;
        }
    }
    /* transactions the report names that are none of this file's */
    for (size_t t = 0; e == ERR_OK && t < r->ntxs; t++) {
        size_t i = 0;
        char e2e[PAYMENT_ID_SIZE] = "";
        for (; i < np; i++)
            if (payment_e2e_of(&ps[i].p, e2e) == ERR_OK && strcmp(e2e, r->txs[t].e2e) == 0)
                break;
        if (i == np)
            sum->unmatched++;
    }
    if (e == ERR_OK)
        e = store_pay_file_set(c->s, r->orig_msg_id, "live", r->group.code);
    free(ps);
    return e;
}

static enum err reply_camt054(struct svc_call *c, const struct camt054_report *r,
                              struct pay_reply_sum *sum)
{
    enum err e = ERR_OK;
    for (size_t i = 0; e == ERR_OK && i < r->n; i++) {
        const struct camt054_item *it = &r->items[i];
        if (!camt054_is_paid(it)) {
            sum->unmatched++; /* credits go to the follow-up's repayment matching */
            continue;
        }
        int found = 0, changed = 0;
        e = apply_e2e(c, it->e2e, PAYMENT_EV_BOOK, NULL, &found, &changed);
        if (!found)
            sum->unmatched++;
        else if (changed)
            sum->booked++;
        else
            sum->unchanged++;
    }
    return e;
}

enum err pay_reply(struct store *s, const struct svc_actor *who, int64_t now, const char *data,
                   size_t n, const char *name, struct pay_reply_sum *sum, struct diag *d,
                   struct svc_result *res)
{
    memset(sum, 0, sizeof(*sum));
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_REPLY, now, res);
    if (e != ERR_OK)
        return svc_end(&c, e);
    int is002 = holds(data, n, PAIN002_NS);
    int is054 = holds(data, n, CAMT054_NS);
    if (is002 == is054)
        return svc_end(&c, svc_fail(&c, ERR_PARSE,
                                    M_("Filen är varken en statusrapport (pain.002.001.03) eller "
                                       "en avisering (camt.054.001.02).")));
    struct pain002_report p2;
    struct camt054_report c54;
    pain002_init(&p2);
    camt054_init(&c54);
    if (is002) {
        str_copy(sum->format, sizeof(sum->format), "pain.002");
        e = pain002_read(data, n, name, &p2, d);
    } else {
        str_copy(sum->format, sizeof(sum->format), "camt.054");
        e = camt054_read(data, n, name, &c54, d);
    }
    if (e != ERR_OK)
        e = svc_fail(&c, ERR_PARSE, M_("Bankens svar kan inte läsas; se felen nedan."));
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = is002 ? reply_pain002(&c, &p2, sum) : reply_camt054(&c, &c54, sum);
    char what[300];
    snprintf(what, sizeof(what), "reply %s %s %s accepted=%zu rejected=%zu booked=%zu", sum->format,
             name ? name : "", is002 ? p2.msg_id : c54.msg_id, sum->accepted, sum->rejected,
             sum->booked);
    if (e == ERR_OK)
        e = audit(&c, what);
    pain002_release(&p2);
    camt054_release(&c54);
    return svc_end(&c, e);
}

enum err pay_reissue(struct store *s, const struct svc_actor *who, int64_t now,
                     const char *decision, struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_REISSUE, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    struct store_payment r;
    if (e == ERR_OK) {
        e = store_pay_get(s, decision ? decision : "", 1, &r);
        if (e == ERR_NOTFOUND)
            e = svc_failf(&c, ERR_NOTFOUND, M_("Beslut {1} har ingen utbetalning."),
                          msg_str(decision ? decision : ""));
    }
    if (e == ERR_OK) {
        char msg[256] = "";
        int changed = 0;
        enum err a = payment_apply(&r.p, PAYMENT_EV_REISSUE, NULL, &changed, msg, sizeof(msg));
        if (a != ERR_OK)
            e = core_fail(&c, a, msg);
    }
    if (e == ERR_OK) {
        r.batch_id = -1;
        stamp(&c, &r);
        e = store_pay_update(s, &r);
    }
    char what[200];
    snprintf(what, sizeof(what), "reissue %s %d", decision ? decision : "",
             e == ERR_OK ? r.p.issue : 0);
    if (e == ERR_OK)
        e = audit(&c, what);
    return svc_end(&c, e);
}

enum err pay_list(struct store *s, const struct svc_actor *who, int64_t now, const char *program,
                  const char *batch, struct store_payment **out, size_t *n, struct svc_result *res)
{
    *out = NULL;
    *n = 0;
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_READ, now, res);
    struct store_pay_filter f = {program, -1, -1, NULL, NULL, NULL};
    struct store_pay_batch b;
    if (e == ERR_OK && batch) {
        e = store_pay_batch_get(s, batch, &b);
        if (e == ERR_NOTFOUND)
            e = svc_failf(&c, ERR_NOTFOUND, M_("Det finns ingen utbetalningsomgång {1}."),
                          msg_str(batch));
        f.batch_id = b.id;
    }
    if (e == ERR_OK)
        e = store_pay_list(s, &f, out, n);
    return svc_end(&c, e);
}

enum err pay_batches(struct store *s, const struct svc_actor *who, int64_t now,
                     struct store_pay_batch **out, size_t *n, struct svc_result *res)
{
    *out = NULL;
    *n = 0;
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_READ, now, res);
    if (e == ERR_OK)
        e = store_pay_batches(s, out, n);
    return svc_end(&c, e);
}

enum err pay_file_get(struct store *s, const struct svc_actor *who, int64_t now, const char *batch,
                      struct buf *out, char msg_id[PAYMENT_ID_SIZE], struct svc_result *res)
{
    msg_id[0] = '\0';
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_READ, now, res);
    struct store_pay_batch b;
    if (e == ERR_OK) {
        e = store_pay_batch_get(s, batch ? batch : "", &b);
        if (e == ERR_NOTFOUND)
            e = svc_failf(&c, ERR_NOTFOUND, M_("Det finns ingen utbetalningsomgång {1}."),
                          msg_str(batch ? batch : ""));
    }
    if (e == ERR_OK && !b.b.file_id[0])
        e = svc_failf(&c, ERR_NOTFOUND, M_("Omgång {1} har ingen bankfil än."), msg_str(b.number));
    struct store_pay_file f;
    memset(&f, 0, sizeof(f));
    if (e == ERR_OK)
        e = store_pay_file_get(s, b.b.file_id, &f);
    if (e == ERR_OK)
        e = buf_append(out, f.content, f.len);
    if (e == ERR_OK)
        str_copy(msg_id, PAYMENT_ID_SIZE, f.msg_id);
    store_pay_file_release(&f);
    return svc_end(&c, e);
}

const char *pay_batch_state_label_sv(enum payment_batch_state st)
{
    static const char *const labels[] = {N_("öppen"), N_("attesterad"), N_("i bankfil")};
    return (unsigned)st < sizeof(labels) / sizeof(labels[0]) ? labels[st] : "";
}

enum err pay_of_org(struct store *s, const struct svc_actor *who, int64_t now, const char *org,
                    struct store_payment **out, size_t *n, struct svc_result *res)
{
    *out = NULL;
    *n = 0;
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_PAY_ORG_READ, now, res);
    if (e == ERR_OK)
        e = svc_check_owner(&c, org ? org : "");
    /* Gotland: the kommun's code and the region's are one organisation */
    const char *twin = org_same(org, "0980") && strcmp(org, "0980") != 0 ? "0980"
                       : org_same(org, "09") && strcmp(org, "09") != 0   ? "09"
                                                                         : org;
    struct store_pay_filter f = {NULL, -1, -1, NULL, org, twin};
    if (e == ERR_OK)
        e = store_pay_list(s, &f, out, n);
    return svc_end(&c, e);
}
