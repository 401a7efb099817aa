/* requisition.c - requisition actions: save, submit, return, approve,
 * reject, bulk approve, redistribute; queue, diff, dashboard. Each change
 * is one transaction with its audit record. */
#include "service/requisition.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "io/pdfdoc.h"
#include "service/audit.h"
#include "service/duty.h"
#include "util/money.h"
#include "util/str.h"

#define REQ_REVIEW_MASK (PERM_HANDLAGGARE | PERM_ADMIN)
/* agency roles that read requisitions (not the analysts: statistics only) */
#define REQ_READ_MASK (PERM_ADMIN | PERM_HANDLAGGARE | PERM_ATTESTANT | PERM_GRANSKARE)

static void res_init(struct req_result *r)
{
    memset(r, 0, sizeof(*r));
}

static enum err res_fail(struct req_result *r, enum err e, const char *msg)
{
    if (r && !r->msg[0])
        str_copy(r->msg, sizeof(r->msg), msg);
    return e;
}

static void res_set(struct req_result *r, const struct store_req *row)
{
    str_copy(r->case_no, sizeof(r->case_no), row->case_no);
    r->revision = row->revision;
    r->version = row->version;
    r->state = row->state;
}

static enum err store_failed(struct store *s, struct req_result *r, enum err e)
{
    if (e == ERR_LIMIT)
        return res_fail(r, e, "Systemet är upptaget just nu. Försök igen om en stund.");
    if (e == ERR_NOMEM)
        return res_fail(r, e, "Det gick inte att spara: minnet räckte inte.");
    (void)s; /* SQLite's own words are for the log (server.c), never the screen */
    return res_fail(r, e, "Det gick inte att spara. Försök igen om en stund.");
}

/* The next number of a series in a year ("REK-2026-000001"), drawn
 * inside the open transaction: it is used exactly when that commits. */
static enum err next_number(struct store *s, const char *series, int year, char out[REQ_CASE_LEN])
{
    long long n = 0;
    enum err e = store_counter_next(s, series, year, &n);
    return e == ERR_OK ? req_number_fmt(out, REQ_CASE_LEN, series, year, n) : e;
}

static void hex_sha256(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, (unsigned long long)len);
    for (size_t i = 0; i < sizeof(h); i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void now_iso(int64_t now, char out[CLOCK_ISO_LEN])
{
    clock_iso(out, CLOCK_ISO_LEN, now);
}

/* The recipient with this code, NULL if none. */
static const struct recipient *find_recipient(const struct recipients *rec, const char *code)
{
    enum role role = org_code_role(code);
    if (role == ROLE_KOMMUN)
        return org_find(rec->kommuner, rec->nk, code);
    if (role == ROLE_REGION)
        return org_find(rec->regioner, rec->nr, code);
    return NULL;
}

static int is_agency(const struct req_actor *a)
{
    return (!a->org || !a->org[0]) && (a->roles & REQ_READ_MASK);
}

static int is_reviewer(const struct req_actor *a)
{
    return is_agency(a) && (a->roles & REQ_REVIEW_MASK);
}

/* Does the actor act for the organisation behind recipient code? */
static int acts_for(const struct recipients *rec, const struct req_actor *a, const char *code)
{
    if (!a->org || !a->org[0] || !(a->roles & PERM_RECIPIENT_MASK))
        return 0;
    if (strcmp(a->org, code) == 0)
        return 1;
    const struct recipient *x = find_recipient(rec, a->org);
    const struct recipient *y = find_recipient(rec, code);
    return x && y && x->org == y->org; /* Gotland: 0980 and 09 */
}

static int may_read(const struct recipients *rec, const struct req_actor *a, const char *code)
{
    return is_agency(a) || acts_for(rec, a, code);
}

/* Open the program; messages to r. */
static enum err open_program(struct store *s, const char *program, struct program_view *pv,
                             struct req_result *r)
{
    struct diag d;
    diag_init(&d, 5);
    memset(pv, 0, sizeof(*pv));
    enum err e = ERR_OK;
    e = programs_open(s, program ? program : "", pv, &d);
    if (e == ERR_OK && !pv->allocated)
        e = ERR_INVALID;
    if (e != ERR_OK) {
        char m[300];
        if (e == ERR_NOTFOUND)
            snprintf(m, sizeof(m), "Statsbidraget '%.100s' finns inte.", program ? program : "");
        else if (e == ERR_STORE || e == ERR_LIMIT || e == ERR_NOMEM || e == ERR_IO)
            snprintf(m, sizeof(m),
                     "Statsbidraget '%.100s' kan inte öppnas just nu. Försök igen "
                     "om en stund.",
                     program ? program : "");
        else
            snprintf(m, sizeof(m), "Statsbidraget '%.100s' kan inte öppnas: %.150s",
                     program ? program : "", d.n ? d.msg[0] : err_str(e));
        res_fail(r, e, m);
    }
    diag_release(&d);
    return e;
}

static enum err form_canon_text(const struct req_form *f, struct buf *b)
{
    buf_init(b, (size_t)1 << 20);
    return req_form_canon(f, b);
}

static void row_canon(const struct store_req *row, struct buf *b)
{
    buf_init(b, 8192);
    buf_printf(b, "case=%s\nstate=%s\nversion=%d\nrevision=%lld\napproved=%lld\nmessage=%s\n",
               row->case_no, req_state_id(row->state), row->version, row->revision,
               (long long)row->approved_ore, row->message);
}

void req_view_release(struct req_view *v)
{
    program_view_release(&v->pv);
    req_form_release(&v->form);
    req_form_release(&v->latest);
    free(v->versions);
    free(v->decisions);
    memset(v, 0, sizeof(*v));
}

static enum err view_fill(struct store *s, const struct req_actor *a, const char *recipient,
                          int64_t now, struct req_view *v, struct req_result *r)
{
    const struct recipient *rc = find_recipient(&v->pv.rec, recipient);
    v->max_ore = req_max_ore(&v->pv.alloc, recipient);
    if (!rc || v->max_ore <= 0) {
        char m[200];
        snprintf(m, sizeof(m), "'%.8s' är inte bidragsmottagare i statsbidraget.", recipient);
        return res_fail(r, ERR_NOTFOUND, m);
    }
    if (!may_read(&v->pv.rec, a, recipient))
        return res_fail(r, ERR_DENIED, "Du har inte behörighet till den här rekvisitionen.");
    str_copy(v->recipient_name, sizeof(v->recipient_name), rc->name);
    enum err e = store_req_get(s, v->pv.prog.id, recipient, &v->row);
    if (e == ERR_NOTFOUND) {
        v->exists = 0;
        req_form_init(&v->form);
        str_copy(v->form.program, sizeof(v->form.program), v->pv.prog.id);
        str_copy(v->form.recipient, sizeof(v->form.recipient), recipient);
        v->form.amount_ore = v->max_ore;
        v->row.approved_ore = -1;
        v->row.requested_ore = -1;
    } else if (e != ERR_OK) {
        return store_failed(s, r, e);
    } else {
        v->exists = 1;
        res_set(r, &v->row);
        /* the draft is the recipient's working copy: the agency sees only
         * what was submitted */
        e = acts_for(&v->pv.rec, a, recipient)
                ? store_req_form_get(s, v->row.id, 0, &v->form, NULL, NULL)
                : ERR_NOTFOUND;
        if (e == ERR_NOTFOUND) {
            req_form_init(&v->form);
            str_copy(v->form.program, sizeof(v->form.program), v->pv.prog.id);
            str_copy(v->form.recipient, sizeof(v->form.recipient), recipient);
            v->form.amount_ore = v->max_ore;
            e = ERR_OK;
        }
        if (e == ERR_OK && v->row.version > 0)
            e = store_req_form_get(s, v->row.id, v->row.version, &v->latest, NULL, NULL);
        if (e == ERR_OK)
            e = store_req_versions(s, v->row.id, &v->versions, &v->nversions);
        if (e == ERR_OK)
            e = store_req_decisions(s, NULL, v->row.id, &v->decisions, &v->ndecisions);
        if (e != ERR_OK)
            return store_failed(s, r, e);
    }
    struct date today = civil_date(now);
    v->window_open =
        req_window_check(&v->pv.prog, today, v->window_msg, sizeof(v->window_msg)) == ERR_OK;
    int editable = !v->exists || req_action_allowed(v->row.state, REQ_ACT_SAVE);
    int own = acts_for(&v->pv.rec, a, recipient);
    v->may_save = own && editable && req_may_save(a->roles);
    v->may_submit = own && editable && v->window_open && req_may_submit(a->roles);
    v->may_review = is_reviewer(a) && v->exists && v->row.state == REQ_SUBMITTED;
    /* separation of duties: the reason goes to the page */
    enum err de = ERR_OK;
    if (v->may_save || v->may_submit)
        de = duty_check(s, a->login, DUTY_FOR_RECIPIENT, NULL, v->duty_msg, sizeof(v->duty_msg));
    else if (v->may_review)
        de = duty_check(s, a->login, DUTY_DECIDE, v->row.case_no, v->duty_msg, sizeof(v->duty_msg));
    if (de == ERR_DENIED)
        v->may_save = v->may_submit = v->may_review = 0;
    else if (de != ERR_OK)
        return store_failed(s, r, de);
    return ERR_OK;
}

enum err req_open(struct store *s, const struct req_actor *a, const char *program,
                  const char *recipient, int64_t now, struct req_view *out, struct req_result *r)
{
    res_init(r);
    memset(out, 0, sizeof(*out));
    enum err e = open_program(s, program, &out->pv, r);
    if (e != ERR_OK)
        return e;
    return view_fill(s, a, recipient ? recipient : "", now, out, r);
}

enum err req_open_case(struct store *s, const struct req_actor *a, const char *case_no, int64_t now,
                       struct req_view *out, struct req_result *r)
{
    struct store_req row;
    res_init(r);
    memset(out, 0, sizeof(*out));
    enum err e = store_req_get_case(s, case_no ? case_no : "", &row);
    if (e == ERR_NOTFOUND)
        return res_fail(r, e, "Ärendet finns inte.");
    if (e != ERR_OK)
        return store_failed(s, r, e);
    e = req_open(s, a, row.program, row.recipient, now, out, r);
    if (e == ERR_DENIED) { /* another organisation's case: as if absent */
        res_init(r);
        return res_fail(r, ERR_NOTFOUND, "Ärendet finns inte.");
    }
    return e;
}

static enum err conflict(struct req_result *r, const struct store_req *row)
{
    char m[400];
    snprintf(m, sizeof(m),
             "Rekvisitionen %s har ändrats av %.100s (%.20s) sedan du öppnade den. Ingenting "
             "har sparats. Öppna rekvisitionen igen och gör om ändringen.",
             row->case_no, row->updated_by, row->updated_at);
    res_set(r, row);
    return res_fail(r, ERR_CONFLICT, m);
}

/* Hash and type an uploaded plan into the form copy. */
static void plan_prepare(struct req_form *f)
{
    if (!f->plan_data)
        return;
    const char *t = req_plan_type(f->plan_data, f->plan_len);
    str_copy(f->plan.content_type, sizeof(f->plan.content_type), t ? t : "");
    f->plan.size = (int64_t)f->plan_len;
    hex_sha256(f->plan_data, f->plan_len, f->plan.sha256);
    if (!f->plan.name[0])
        str_copy(f->plan.name, sizeof(f->plan.name), "produktionsplan");
}

/* After a version 0 that named old_plan was replaced: forget that file
 * unless another version names it, and hold the recipient's plan files
 * to REQ_PLAN_ORG_MAX_BYTES when new_upload brought one. Inside the
 * transaction. */
static enum err plan_housekeeping(struct store *s, const char *recipient, const char *old_plan,
                                  const struct req_form *now, struct req_result *r)
{
    enum err e = ERR_OK;
    if (old_plan[0] && strcmp(old_plan, now->plan.sha256) != 0)
        e = store_req_plan_forget(s, old_plan);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    if (!now->plan_data)
        return ERR_OK;
    int64_t used = 0;
    e = store_req_plan_usage(s, recipient, &used);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    if (used > REQ_PLAN_ORG_MAX_BYTES) {
        req_issues_add(&r->issues, "plan",
                       "Organisationens produktionsplaner får ta högst %lld MiB tillsammans, och "
                       "den här filen skulle gå över gränsen. Kontakta Socialstyrelsen om ni "
                       "behöver lämna fler",
                       (long long)(REQ_PLAN_ORG_MAX_BYTES >> 20));
        return res_fail(r, ERR_INVALID, "Produktionsplanen kunde inte sparas.");
    }
    return ERR_OK;
}

/* Start of an action by a recipient: the program, the recipient, rights. */
static enum err recipient_action(struct store *s, const struct req_actor *a,
                                 const struct req_form *f, struct program_view *pv,
                                 int64_t *max_ore, struct req_result *r)
{
    enum err e = open_program(s, f->program, pv, r);
    if (e != ERR_OK)
        return e;
    *max_ore = req_max_ore(&pv->alloc, f->recipient);
    if (!find_recipient(&pv->rec, f->recipient) || *max_ore <= 0) {
        char m[200];
        snprintf(m, sizeof(m), "'%.8s' är inte bidragsmottagare i statsbidraget.", f->recipient);
        return res_fail(r, ERR_NOTFOUND, m);
    }
    if (!acts_for(&pv->rec, a, f->recipient))
        return res_fail(r, ERR_DENIED, "Du kan bara rekvirera för den organisation du företräder.");
    char m[300];
    e = duty_check(s, a->login, DUTY_FOR_RECIPIENT, NULL, m, sizeof(m));
    if (e == ERR_DENIED)
        return res_fail(r, e, m);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    return ERR_OK;
}

/* Get the requisition, creating the draft row when absent (based_on must
 * then be 0). On return *rev is the revision to update from. */
static enum err get_or_create(struct store *s, const struct req_actor *a, const char *program,
                              const char *recipient, long long based_on, const char *nowiso,
                              struct store_req *row, long long *rev, int *created,
                              struct req_result *r)
{
    *created = 0;
    enum err e = store_req_get(s, program, recipient, row);
    if (e == ERR_NOTFOUND) {
        if (based_on != 0)
            return res_fail(r, ERR_CONFLICT,
                            "Rekvisitionen finns inte längre. Ingenting har "
                            "sparats.");
        int year = 2000;
        char y[5];
        memcpy(y, nowiso, 4);
        y[4] = '\0';
        int64_t yy = 0;
        if (str_parse_i64(y, &yy) == ERR_OK)
            year = (int)yy;
        char case_no[REQ_CASE_LEN];
        e = next_number(s, "REK", year, case_no);
        if (e == ERR_OK)
            e = store_req_create(s, program, recipient, case_no, nowiso, a->login, row);
        if (e == ERR_CONFLICT)
            return res_fail(r, e,
                            "Någon annan började samtidigt på rekvisitionen. Ingenting har "
                            "sparats. Öppna rekvisitionen igen.");
        if (e != ERR_OK)
            return store_failed(s, r, e);
        *created = 1;
        *rev = row->revision;
        return ERR_OK;
    }
    if (e != ERR_OK)
        return store_failed(s, r, e);
    if (row->revision != based_on)
        return conflict(r, row);
    *rev = based_on;
    return ERR_OK;
}

static const char *state_msg(enum req_state st)
{
    switch (st) {
    case REQ_SUBMITTED:
        return "Rekvisitionen är inskickad och väntar på beslut; den kan inte ändras nu.";
    case REQ_APPROVED:
        return "Rekvisitionen är beviljad och kan inte ändras.";
    case REQ_REJECTED:
        return "Rekvisitionen är avslagen och kan inte ändras.";
    case REQ_DRAFT:
    case REQ_RETURNED:
        break;
    }
    return "Rekvisitionen kan inte ändras nu.";
}

enum err req_save_draft(struct store *s, const struct req_actor *a, const struct req_form *f,
                        long long based_on, int64_t now, struct req_result *r)
{
    struct program_view pv;
    struct req_form cur, copy;
    struct buf before, after;
    struct store_req row;
    char nowiso[CLOCK_ISO_LEN], object[64];
    int64_t max_ore = 0;
    long long rev = 0;
    int created = 0, have_cur = 0, in_txn = 0;
    res_init(r);
    req_form_init(&cur);
    buf_init(&before, 1);
    buf_init(&after, 1);
    enum err e = req_form_copy(&copy, f);
    if (e != ERR_OK)
        return res_fail(r, e, "Det gick inte att spara: minnet räckte inte.");
    e = recipient_action(s, a, f, &pv, &max_ore, r);
    if (e != ERR_OK)
        goto out;
    if (!req_may_save(a->roles)) {
        e = res_fail(r, ERR_DENIED, "Du har inte behörighet att ändra rekvisitionen.");
        goto out;
    }
    plan_prepare(&copy);
    if (req_validate(&copy, &pv.prog, max_ore, 0, &r->issues) > 0) {
        e = res_fail(r, ERR_INVALID, "Utkastet kunde inte sparas: rätta de markerade fälten.");
        goto out;
    }
    now_iso(now, nowiso);
    e = store_begin(s);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    in_txn = 1;
    e = get_or_create(s, a, pv.prog.id, f->recipient, based_on, nowiso, &row, &rev, &created, r);
    if (e != ERR_OK)
        goto out;
    if (!req_action_allowed(row.state, REQ_ACT_SAVE)) {
        res_set(r, &row);
        e = res_fail(r, ERR_DENIED, state_msg(row.state));
        goto out;
    }
    if (!created && store_req_form_get(s, row.id, 0, &cur, NULL, NULL) == ERR_OK) {
        have_cur = 1;
        form_canon_text(&cur, &before);
    }
    if (copy.plan_data) {
        e = store_req_plan_put(s, copy.plan.sha256, copy.plan.content_type, copy.plan_data,
                               copy.plan_len);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
    }
    e = store_req_form_put(s, row.id, 0, &copy, nowiso, a->login);
    if (e == ERR_OK)
        e = store_req_update(s, &row, rev, nowiso, a->login);
    if (e == ERR_CONFLICT) {
        e = conflict(r, &row);
        goto out;
    }
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    e = plan_housekeeping(s, f->recipient, have_cur ? cur.plan.sha256 : "", &copy, r);
    if (e != ERR_OK)
        goto out;
    form_canon_text(&copy, &after);
    snprintf(object, sizeof(object), "requisition:%s", row.case_no);
    e = audit_append(s, a->login, a->org ? a->org : "", "requisition.save", object,
                     have_cur ? before.p : NULL, after.p, now);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    e = store_commit(s);
    in_txn = 0;
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    res_set(r, &row);
    /* hints: what would stop a submission */
    req_validate(&copy, &pv.prog, max_ore, 1, &r->issues);
    snprintf(r->msg, sizeof(r->msg), "Utkastet är sparat (%s).", row.case_no);
out:
    if (in_txn)
        store_rollback(s);
    program_view_release(&pv);
    req_form_release(&cur);
    req_form_release(&copy);
    buf_release(&before);
    buf_release(&after);
    return e;
}

static void receipt_fill(struct req_receipt *rc, const struct program_view *pv,
                         const struct store_req *row, const struct req_form *f, int version,
                         const char *at, const char *by)
{
    memset(rc, 0, sizeof(*rc));
    str_copy(rc->case_no, sizeof(rc->case_no), row->case_no);
    rc->version = version;
    str_copy(rc->at, sizeof(rc->at), at);
    str_copy(rc->by, sizeof(rc->by), by);
    str_copy(rc->program, sizeof(rc->program), pv->prog.id);
    str_copy(rc->program_title, sizeof(rc->program_title), pv->prog.title);
    str_copy(rc->diarienummer, sizeof(rc->diarienummer), pv->prog.diarienummer);
    str_copy(rc->recipient, sizeof(rc->recipient), row->recipient);
    const struct recipient *x = find_recipient(&pv->rec, row->recipient);
    str_copy(rc->recipient_name, sizeof(rc->recipient_name), x ? x->name : "");
    rc->amount_ore = f->amount_ore;
}

enum err req_submit(struct store *s, const struct req_actor *a, const struct req_form *f,
                    long long based_on, const char *idem_key, int64_t now, struct req_receipt *rc,
                    struct req_result *r)
{
    struct program_view pv;
    struct req_form copy, prev;
    struct buf canon, before;
    struct store_req row;
    char nowiso[CLOCK_ISO_LEN], object[64], digest[65], m[300];
    int64_t max_ore = 0;
    long long rev = 0;
    int created = 0, in_txn = 0;
    res_init(r);
    memset(rc, 0, sizeof(*rc));
    req_form_init(&prev);
    buf_init(&canon, 1);
    buf_init(&before, 1);
    enum err e = req_form_copy(&copy, f);
    if (e != ERR_OK)
        return res_fail(r, e, "Det gick inte att skicka in: minnet räckte inte.");
    e = recipient_action(s, a, f, &pv, &max_ore, r);
    if (e != ERR_OK)
        goto out;
    if (!req_may_submit(a->roles)) {
        e = res_fail(r, ERR_DENIED,
                     (a->roles & PERM_UPPGIFTSSAMORDNARE)
                         ? "Som uppgiftssamordnare kan du spara utkast men inte skicka in. Be "
                           "ombudet eller en representant att skicka in rekvisitionen."
                         : "Du har inte behörighet att skicka in rekvisitionen.");
        goto out;
    }
    plan_prepare(&copy);
    if (copy.amount_ore < 0)
        copy.amount_ore = max_ore;
    e = form_canon_text(&copy, &canon);
    if (e != ERR_OK) {
        e = res_fail(r, e, "Rekvisitionen är för stor.");
        goto out;
    }
    hex_sha256(canon.p, canon.len, digest);
    now_iso(now, nowiso);
    e = store_begin(s);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    in_txn = 1;
    if (idem_key && idem_key[0]) {
        long long id = 0;
        int ver = 0;
        char seen[65];
        e = store_req_idem_get(s, f->recipient, pv.prog.id, idem_key, &id, &ver, seen);
        if (e == ERR_OK) {
            struct store_req old;
            char at[32], by[128];
            if (strcmp(seen, digest) != 0) {
                e = res_fail(r, ERR_CONFLICT,
                             "Formuläret har redan skickats in med annat innehåll. Öppna "
                             "rekvisitionen igen.");
                goto out;
            }
            e = store_req_get(s, pv.prog.id, f->recipient, &old);
            if (e == ERR_NOTFOUND || (e == ERR_OK && old.id != id)) {
                e = res_fail(r, ERR_CONFLICT,
                             "Formuläret har redan skickats in för en annan rekvisition.");
                goto out;
            }
            if (e == ERR_OK)
                e = store_req_form_get(s, id, ver, &prev, at, by);
            if (e != ERR_OK) {
                e = store_failed(s, r, e);
                goto out;
            }
            store_rollback(s);
            in_txn = 0;
            receipt_fill(rc, &pv, &old, &prev, ver, at, by);
            rc->repeated = 1;
            res_set(r, &old);
            snprintf(r->msg, sizeof(r->msg), "Rekvisitionen %s version %d var redan mottagen.",
                     old.case_no, ver);
            e = ERR_OK;
            goto out;
        }
        if (e != ERR_NOTFOUND) {
            e = store_failed(s, r, e);
            goto out;
        }
    }
    /* after the repeat check: a receipted POST repeated after the window
     * closed still gets its receipt */
    e = req_window_check(&pv.prog, civil_date(now), m, sizeof(m));
    if (e != ERR_OK) {
        e = res_fail(r, e, m);
        goto out;
    }
    if (req_validate(&copy, &pv.prog, max_ore, 1, &r->issues) > 0) {
        e = res_fail(r, ERR_INVALID,
                     "Rekvisitionen är inte komplett: rätta de markerade fälten och skicka in "
                     "igen.");
        goto out;
    }
    e = get_or_create(s, a, pv.prog.id, f->recipient, based_on, nowiso, &row, &rev, &created, r);
    if (e != ERR_OK)
        goto out;
    if (!req_action_allowed(row.state, REQ_ACT_SUBMIT)) {
        res_set(r, &row);
        e = res_fail(r, ERR_DENIED, state_msg(row.state));
        goto out;
    }
    if (row.version > 0 && store_req_form_get(s, row.id, row.version, &prev, NULL, NULL) == ERR_OK)
        form_canon_text(&prev, &before);
    char old_plan[65] = "";
    if (!created) {
        struct req_form draft;
        req_form_init(&draft);
        if (store_req_form_get(s, row.id, 0, &draft, NULL, NULL) == ERR_OK)
            str_copy(old_plan, sizeof(old_plan), draft.plan.sha256);
        req_form_release(&draft);
    }
    if (copy.plan_data) {
        e = store_req_plan_put(s, copy.plan.sha256, copy.plan.content_type, copy.plan_data,
                               copy.plan_len);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
    }
    int version = row.version + 1;
    e = store_req_form_put(s, row.id, version, &copy, nowiso, a->login);
    if (e == ERR_OK)
        e = store_req_form_put(s, row.id, 0, &copy, nowiso, a->login);
    if (e == ERR_OK) {
        row.state = REQ_SUBMITTED;
        row.version = version;
        row.message[0] = '\0';
        e = store_req_update(s, &row, rev, nowiso, a->login);
        if (e == ERR_CONFLICT) {
            e = conflict(r, &row);
            goto out;
        }
    }
    if (e == ERR_OK && idem_key && idem_key[0])
        e = store_req_idem_put(s, row.recipient, pv.prog.id, idem_key, row.id, version, digest,
                               nowiso);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    e = plan_housekeeping(s, f->recipient, old_plan, &copy, r);
    if (e != ERR_OK)
        goto out;
    snprintf(object, sizeof(object), "requisition:%s", row.case_no);
    e = audit_append(s, a->login, a->org ? a->org : "", "requisition.submit", object,
                     before.len ? before.p : NULL, canon.p, now);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    e = store_commit(s); /* ends the transaction, undone when it fails */
    in_txn = 0;
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    receipt_fill(rc, &pv, &row, &copy, version, nowiso, a->login);
    res_set(r, &row);
    snprintf(r->msg, sizeof(r->msg), "Rekvisitionen %s är mottagen (version %d).", row.case_no,
             version);
out:
    if (in_txn)
        store_rollback(s);
    program_view_release(&pv);
    req_form_release(&prev);
    req_form_release(&copy);
    buf_release(&canon);
    buf_release(&before);
    return e;
}

/* Start of an agency review action: rights, the requisition in the right
 * state at the right revision; opens a transaction. */
static enum err review_begin(struct store *s, const struct req_actor *a, const char *case_no,
                             long long based_on, struct store_req *row, struct req_result *r)
{
    char m[300];
    if (!is_reviewer(a))
        return res_fail(r, ERR_DENIED, "Bara handläggare kan pröva rekvisitioner.");
    enum err e = duty_check(s, a->login, DUTY_DECIDE, case_no ? case_no : "", m, sizeof(m));
    if (e == ERR_DENIED)
        return res_fail(r, e, m);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    e = store_begin(s);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    e = store_req_get_case(s, case_no ? case_no : "", row);
    if (e == ERR_NOTFOUND) {
        store_rollback(s);
        return res_fail(r, e, "Ärendet finns inte.");
    }
    if (e != ERR_OK) {
        store_rollback(s);
        return store_failed(s, r, e);
    }
    if (row->revision != based_on) {
        store_rollback(s);
        return conflict(r, row);
    }
    if (row->state != REQ_SUBMITTED) {
        store_rollback(s);
        res_set(r, row);
        snprintf(m, sizeof(m), "Rekvisitionen är %s och kan inte prövas nu.",
                 req_state_label_sv(row->state));
        return res_fail(r, ERR_DENIED, m);
    }
    return ERR_OK;
}

/* Write the new row state, the audit record and commit. */
static enum err review_finish(struct store *s, const struct req_actor *a, const char *action,
                              struct store_req *row, const struct store_req *old,
                              long long based_on, int64_t now, struct req_result *r)
{
    char nowiso[CLOCK_ISO_LEN], object[64];
    struct buf before, after;
    now_iso(now, nowiso);
    enum err e = store_req_update(s, row, based_on, nowiso, a->login);
    if (e == ERR_CONFLICT) {
        store_rollback(s);
        return conflict(r, old);
    }
    row_canon(old, &before);
    row_canon(row, &after);
    snprintf(object, sizeof(object), "requisition:%s", row->case_no);
    if (e == ERR_OK)
        e = audit_append(s, a->login, a->org ? a->org : "", action, object, before.p, after.p, now);
    buf_release(&before);
    buf_release(&after);
    if (e != ERR_OK) {
        store_rollback(s);
        return store_failed(s, r, e);
    }
    e = store_commit(s); /* ends the level, undone when it fails */
    if (e != ERR_OK)
        return store_failed(s, r, e);
    res_set(r, row);
    return ERR_OK;
}

/* A message to the recipient: text by the rules of util/str.h, not blank,
 * at most REQ_MESSAGE_MAX_CHARS characters (the field holds that many). */
static int message_ok(const char *t)
{
    if (!str_text_fits(t, STR_TEXT_LINES, REQ_MESSAGE_MAX_CHARS))
        return 0;
    const char *p = t;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return *p != '\0';
}

enum err req_return(struct store *s, const struct req_actor *a, const char *case_no,
                    long long based_on, const char *message, int64_t now, struct req_result *r)
{
    struct store_req row, old;
    res_init(r);
    if (!message_ok(message)) {
        req_issues_add(&r->issues, "message", "Skriv vad som ska kompletteras (högst %d tecken)",
                       REQ_MESSAGE_MAX_CHARS);
        return res_fail(r, ERR_INVALID, "Skriv ett meddelande till mottagaren.");
    }
    enum err e = review_begin(s, a, case_no, based_on, &row, r);
    if (e != ERR_OK)
        return e;
    old = row;
    row.state = REQ_RETURNED;
    str_copy(row.message, sizeof(row.message), message);
    e = review_finish(s, a, "requisition.return", &row, &old, based_on, now, r);
    if (e == ERR_OK)
        snprintf(r->msg, sizeof(r->msg), "Rekvisitionen %s är returnerad för komplettering.",
                 row.case_no);
    return e;
}

static int year_of(const char *iso)
{
    int64_t y = 0;
    char b[5];
    memcpy(b, iso, 4);
    b[4] = '\0';
    return str_parse_i64(b, &y) == ERR_OK ? (int)y : 2000;
}

/* Add a decision inside the open transaction. */
static enum err decision_add(struct store *s, const struct req_actor *a,
                             const struct store_req *row, const char *kind, const char *block,
                             int64_t amount_ore, long long run_id, int64_t now,
                             struct store_req_decision *d)
{
    assert(store_in_transaction(s));
    char nowiso[CLOCK_ISO_LEN];
    now_iso(now, nowiso);
    memset(d, 0, sizeof(*d));
    d->req_id = row->id;
    str_copy(d->case_no, sizeof(d->case_no), row->case_no);
    str_copy(d->recipient, sizeof(d->recipient), row->recipient);
    str_copy(d->kind, sizeof(d->kind), kind);
    str_copy(d->block, sizeof(d->block), block ? block : "");
    d->amount_ore = amount_ore;
    date_fmt(d->decided_on, sizeof(d->decided_on), civil_date(now));
    str_copy(d->decided_at, sizeof(d->decided_at), nowiso);
    str_copy(d->decided_by, sizeof(d->decided_by), a->login);
    d->run_id = run_id;
    enum err e = next_number(s, "BES", year_of(d->decided_on), d->number);
    return e == ERR_OK ? store_req_decision_add(s, d) : e;
}

/* Approve inside an open transaction (row checked); amount decided. */
static enum err approve_in_txn(struct store *s, const struct req_actor *a, struct store_req *row,
                               long long based_on, int64_t amount_ore, int64_t now,
                               char number[REQ_CASE_LEN], struct req_result *r)
{
    assert(store_in_transaction(s));
    struct store_req old = *row;
    struct store_req_decision d;
    enum err e = decision_add(s, a, row, "original", NULL, amount_ore, 0, now, &d);
    if (e != ERR_OK) {
        store_rollback(s);
        return store_failed(s, r, e);
    }
    row->state = REQ_APPROVED;
    row->approved_ore = amount_ore;
    row->message[0] = '\0';
    str_copy(number, REQ_CASE_LEN, d.number);
    return review_finish(s, a, "requisition.approve", row, &old, based_on, now, r);
}

/* The recipient's maximum in a program; 0 if unknown. */
static int64_t max_of(struct store *s, const char *program, const char *code,
                      struct program_view *pv, struct req_result *r, enum err *e)
{
    *e = open_program(s, program, pv, r);
    if (*e != ERR_OK)
        return 0;
    return req_max_ore(&pv->alloc, code);
}

enum err req_approve(struct store *s, const struct req_actor *a, const char *case_no,
                     long long based_on, int64_t amount_ore, int64_t now, struct req_result *r)
{
    struct store_req row;
    struct program_view pv;
    char m[64];
    res_init(r);
    memset(&pv, 0, sizeof(pv));
    if (!is_reviewer(a))
        return res_fail(r, ERR_DENIED, "Bara handläggare kan pröva rekvisitioner.");
    enum err e = store_req_get_case(s, case_no ? case_no : "", &row);
    if (e == ERR_NOTFOUND)
        return res_fail(r, e, "Ärendet finns inte.");
    if (e != ERR_OK)
        return store_failed(s, r, e);
    int64_t max_ore = max_of(s, row.program, row.recipient, &pv, r, &e);
    program_view_release(&pv);
    if (e != ERR_OK)
        return e;
    e = review_begin(s, a, case_no, based_on, &row, r);
    if (e != ERR_OK)
        return e;
    int64_t amt = amount_ore < 0 ? row.requested_ore : amount_ore;
    if (amt <= 0 || amt % MONEY_ORE_PER_KR != 0 || amt > max_ore) {
        store_rollback(s);
        money_fmt_ore(m, sizeof(m), max_ore);
        req_issues_add(&r->issues, "amount", "Beloppet ska vara hela kronor, högst %s", m);
        return res_fail(r, ERR_INVALID, "Beloppet kan inte beviljas.");
    }
    char number[REQ_CASE_LEN];
    e = approve_in_txn(s, a, &row, based_on, amt, now, number, r);
    if (e == ERR_OK) {
        money_fmt_ore(m, sizeof(m), amt);
        snprintf(r->msg, sizeof(r->msg), "Rekvisitionen %s är beviljad med %s (beslut %s).",
                 row.case_no, m, number);
    }
    return e;
}

enum err req_reject(struct store *s, const struct req_actor *a, const char *case_no,
                    long long based_on, const char *reason, int64_t now, struct req_result *r)
{
    struct store_req row, old;
    struct store_req_decision d;
    res_init(r);
    if (!message_ok(reason)) {
        req_issues_add(&r->issues, "reason", "Skriv skälet till avslaget (högst %d tecken)",
                       REQ_MESSAGE_MAX_CHARS);
        return res_fail(r, ERR_INVALID, "Ett avslag behöver ett skäl.");
    }
    enum err e = review_begin(s, a, case_no, based_on, &row, r);
    if (e != ERR_OK)
        return e;
    old = row;
    e = decision_add(s, a, &row, "rejection", NULL, 0, 0, now, &d);
    if (e != ERR_OK) {
        store_rollback(s);
        return store_failed(s, r, e);
    }
    row.state = REQ_REJECTED;
    str_copy(row.message, sizeof(row.message), reason);
    e = review_finish(s, a, "requisition.reject", &row, &old, based_on, now, r);
    if (e == ERR_OK)
        snprintf(r->msg, sizeof(r->msg), "Rekvisitionen %s är avslagen (beslut %s).", row.case_no,
                 d.number);
    return e;
}

enum err req_bulk_approve(struct store *s, const struct req_actor *a, const char *program,
                          int64_t now, size_t *approved, size_t *left, struct req_result *r)
{
    struct program_view pv;
    struct store_req *rows = NULL;
    size_t n = 0;
    int in_txn = 0;
    res_init(r);
    *approved = *left = 0;
    memset(&pv, 0, sizeof(pv));
    char m[300];
    if (!is_reviewer(a))
        return res_fail(r, ERR_DENIED, "Bara handläggare kan pröva rekvisitioner.");
    enum err e = duty_check(s, a->login, DUTY_DECIDE, NULL, m, sizeof(m));
    if (e == ERR_DENIED)
        return res_fail(r, e, m);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    e = open_program(s, program, &pv, r);
    if (e != ERR_OK)
        goto out;
    e = store_begin(s);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    in_txn = 1;
    struct store_req_filter f = {pv.prog.id, REQ_SUBMITTED, NULL, 0, 0};
    e = store_req_list(s, &f, &rows, &n);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct req_form form;
        struct req_issues is;
        int64_t max_ore = req_max_ore(&pv.alloc, rows[i].recipient);
        e = store_req_form_get(s, rows[i].id, rows[i].version, &form, NULL, NULL);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
        int complete = req_validate(&form, &pv.prog, max_ore, 1, &is) == 0;
        int64_t amount = form.amount_ore;
        req_form_release(&form);
        /* a case the officer prepared or submitted is left for another */
        e = duty_check(s, a->login, DUTY_DECIDE, rows[i].case_no, m, sizeof(m));
        if (e != ERR_OK && e != ERR_DENIED) {
            e = store_failed(s, r, e);
            goto out;
        }
        if (!complete || amount != max_ore || e == ERR_DENIED) {
            e = ERR_OK;
            (*left)++;
            continue;
        }
        /* each approval is a savepoint inside the one transaction: a
         * failing one is undone by approve_in_txn, and the whole bulk
         * approval then goes (out: rolls the outer transaction back) */
        char number[REQ_CASE_LEN];
        e = store_begin(s);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
        e = approve_in_txn(s, a, &rows[i], rows[i].revision, amount, now, number, r);
        if (e != ERR_OK)
            goto out;
        (*approved)++;
    }
    e = store_commit(s);
    in_txn = 0;
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    memset(r->case_no, 0, sizeof(r->case_no));
    snprintf(r->msg, sizeof(r->msg),
             "%zu rekvisitioner beviljades med sitt högsta belopp; %zu återstår att pröva.",
             *approved, *left);
out:
    if (in_txn)
        store_rollback(s);
    if (e != ERR_OK)
        *approved = 0; /* all of it was undone */
    free(rows);
    program_view_release(&pv);
    return e;
}

/* Approved amount per recipient and block, and opt-ins, for a block. */
struct redist_in {
    int64_t *req_kr;
    int *opt_in;
    int64_t *extra_kr;
    const struct store_req **row; /* requisition of line i, NULL if none */
};

enum err req_redistribute(struct store *s, const struct req_actor *a, const char *program,
                          int64_t now, struct req_redist_report *out, struct req_result *r)
{
    struct program_view pv;
    struct store_req *rows = NULL;
    int *opt = NULL;
    size_t n = 0;
    int in_txn = 0;
    char nowiso[CLOCK_ISO_LEN], m[300];
    struct redist_in in;
    memset(&in, 0, sizeof(in));
    res_init(r);
    memset(out, 0, sizeof(*out));
    memset(&pv, 0, sizeof(pv));
    if (!is_reviewer(a))
        return res_fail(r, ERR_DENIED, "Bara handläggare kan fördela om medel.");
    enum err e = duty_check(s, a->login, DUTY_DECIDE, NULL, m, sizeof(m));
    if (e == ERR_DENIED)
        return res_fail(r, e, m);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    e = open_program(s, program, &pv, r);
    if (e != ERR_OK)
        goto out;
    struct date today = civil_date(now);
    if (!date_is_set(pv.prog.redistribution_date) ||
        date_cmp(today, pv.prog.redistribution_date) < 0) {
        char d[64] = "";
        if (date_is_set(pv.prog.redistribution_date))
            date_fmt_sv(d, sizeof(d), pv.prog.redistribution_date);
        snprintf(m, sizeof(m), "Omfördelning kan göras tidigast %s.",
                 d[0] ? d : "när omfördelningsdatumet är satt");
        e = res_fail(r, ERR_DENIED, m);
        goto out;
    }
    if (pv.alloc.nblocks > sizeof(out->blocks) / sizeof(out->blocks[0])) {
        e = res_fail(r, ERR_LIMIT, "Statsbidraget har för många block.");
        goto out;
    }
    now_iso(now, nowiso);
    e = store_begin(s);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    in_txn = 1;
    long long counts[REQ_STATE_COUNT];
    e = store_req_counts(s, pv.prog.id, NULL, counts);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    if (counts[REQ_SUBMITTED] > 0) {
        snprintf(m, sizeof(m),
                 "%lld rekvisitioner väntar på beslut. Pröva dem före omfördelningen.",
                 counts[REQ_SUBMITTED]);
        e = res_fail(r, ERR_DENIED, m);
        goto out;
    }
    struct store_req_filter f = {pv.prog.id, REQ_APPROVED, NULL, 0, 0};
    e = store_req_list(s, &f, &rows, &n);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    /* opt-in of each approved requisition, from its approved version */
    opt = calloc(n ? n : 1, sizeof(*opt));
    if (!opt) {
        e = res_fail(r, ERR_NOMEM, "Minnet räckte inte.");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct req_form form;
        e = store_req_form_get(s, rows[i].id, rows[i].version, &form, NULL, NULL);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
        opt[i] = form.opt_in;
        req_form_release(&form);
    }
    int64_t split[16];
    out->nblocks = pv.alloc.nblocks;
    for (size_t b = 0; b < pv.alloc.nblocks; b++) {
        const struct block_result *br = &pv.alloc.blocks[b];
        struct req_redist_block *ob = &out->blocks[b];
        struct store_req_run run;
        str_copy(ob->block, sizeof(ob->block), br->b->id);
        e = store_req_run_get(s, pv.prog.id, br->b->id, &run);
        if (e == ERR_OK) {
            ob->done_before = 1;
            ob->unrequisitioned_ore = run.unrequisitioned_ore;
            ob->redistributed_ore = run.redistributed_ore;
            ob->remaining_ore = run.remaining_ore;
            continue;
        }
        if (e != ERR_NOTFOUND) {
            e = store_failed(s, r, e);
            goto out;
        }
        free(in.req_kr);
        free(in.opt_in);
        free(in.extra_kr);
        free(in.row);
        in.req_kr = calloc(br->n + 1, sizeof(*in.req_kr));
        in.opt_in = calloc(br->n + 1, sizeof(*in.opt_in));
        in.extra_kr = calloc(br->n + 1, sizeof(*in.extra_kr));
        in.row = calloc(br->n + 1, sizeof(*in.row));
        if (!in.req_kr || !in.opt_in || !in.extra_kr || !in.row) {
            e = res_fail(r, ERR_NOMEM, "Minnet räckte inte.");
            goto out;
        }
        int64_t requisitioned = 0;
        for (size_t i = 0; i < n; i++) {
            const struct alloc_line *l = key_line(br, rows[i].recipient);
            if (!l)
                continue;
            size_t k = (size_t)(l - br->lines);
            req_split_blocks(&pv.alloc, rows[i].recipient, rows[i].approved_ore / MONEY_ORE_PER_KR,
                             split);
            in.req_kr[k] = split[b];
            in.opt_in[k] = opt[i];
            in.row[k] = &rows[i];
            requisitioned += split[b];
        }
        int64_t done = 0, remaining = 0;
        e = key_redistribute(br, in.req_kr, in.opt_in, in.extra_kr, &done, &remaining);
        if (e != ERR_OK) {
            e = res_fail(r, e, "Omfördelningen kunde inte beräknas.");
            goto out;
        }
        memset(&run, 0, sizeof(run));
        str_copy(run.program, sizeof(run.program), pv.prog.id);
        str_copy(run.block, sizeof(run.block), br->b->id);
        run.unrequisitioned_ore = (br->allocated_kr - requisitioned) * MONEY_ORE_PER_KR;
        run.redistributed_ore = done * MONEY_ORE_PER_KR;
        run.remaining_ore = remaining * MONEY_ORE_PER_KR;
        str_copy(run.run_at, sizeof(run.run_at), nowiso);
        str_copy(run.run_by, sizeof(run.run_by), a->login);
        e = store_req_run_add(s, &run);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
        ob->unrequisitioned_ore = run.unrequisitioned_ore;
        ob->redistributed_ore = run.redistributed_ore;
        ob->remaining_ore = run.remaining_ore;
        struct buf after;
        buf_init(&after, (size_t)1 << 20);
        buf_printf(&after, "program=%s\nblock=%s\nunrequisitioned=%lld\nredistributed=%lld\n",
                   pv.prog.id, br->b->id, (long long)run.unrequisitioned_ore,
                   (long long)run.redistributed_ore);
        for (size_t k = 0; k < br->n && e == ERR_OK; k++) {
            if (in.extra_kr[k] <= 0 || !in.row[k])
                continue;
            struct store_req_decision d;
            e = decision_add(s, a, in.row[k], "supplementary", br->b->id,
                             in.extra_kr[k] * MONEY_ORE_PER_KR, run.id, now, &d);
            if (e == ERR_OK)
                buf_printf(&after, "%s %s %s %lld\n", d.number, d.case_no, d.recipient,
                           (long long)d.amount_ore);
            ob->recipients++;
            out->decisions++;
        }
        char object[160];
        snprintf(object, sizeof(object), "redistribution:%s/%s", pv.prog.id, br->b->id);
        if (e == ERR_OK)
            e = audit_append(s, a->login, a->org ? a->org : "", "requisition.redistribute", object,
                             NULL, after.p, now);
        buf_release(&after);
        if (e != ERR_OK) {
            e = store_failed(s, r, e);
            goto out;
        }
    }
    e = store_commit(s);
    in_txn = 0;
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    snprintf(r->msg, sizeof(r->msg), "Omfördelningen gav %zu tilläggsbeslut.", out->decisions);
out:
    if (in_txn)
        store_rollback(s);
    free(in.req_kr);
    free(in.opt_in);
    free(in.extra_kr);
    free(in.row);
    free(opt);
    free(rows);
    program_view_release(&pv);
    return e;
}

enum err req_queue_list(struct store *s, const struct req_actor *a,
                        const struct store_req_filter *f, struct req_queue *out,
                        struct req_result *r)
{
    res_init(r);
    memset(out, 0, sizeof(*out));
    struct store_req_filter g = *f;
    if (!is_agency(a)) {
        if (!a->org || !a->org[0] || !(a->roles & PERM_RECIPIENT_MASK))
            return res_fail(r, ERR_DENIED, "Du har inte behörighet till rekvisitionerna.");
        if (g.recipient && strcmp(g.recipient, a->org) != 0) {
            /* Gotland: the kommun may list the region's and back */
            struct recipients rec;
            memset(&rec, 0, sizeof(rec));
            enum err e = refdata_recipients(s, &rec);
            int ok = e == ERR_OK && acts_for(&rec, a, g.recipient);
            recipients_release(&rec);
            if (!ok)
                return res_fail(r, ERR_DENIED,
                                "Du kan bara se din egen organisations rekvisitioner.");
        } else {
            g.recipient = a->org;
        }
    }
    enum err e = store_req_list(s, &g, &out->rows, &out->n);
    if (e == ERR_OK)
        e = store_req_counts(s, g.program, g.recipient, out->counts);
    if (e != ERR_OK) {
        req_queue_release(out);
        return store_failed(s, r, e);
    }
    return ERR_OK;
}

void req_queue_release(struct req_queue *q)
{
    free(q->rows);
    memset(q, 0, sizeof(*q));
}

/* The requisition by case number, readable by the actor. */
static enum err case_readable(struct store *s, const struct req_actor *a, const char *case_no,
                              struct store_req *row, struct req_result *r)
{
    enum err e = store_req_get_case(s, case_no ? case_no : "", row);
    if (e == ERR_NOTFOUND)
        return res_fail(r, e, "Ärendet finns inte.");
    if (e != ERR_OK)
        return store_failed(s, r, e);
    if (is_agency(a))
        return ERR_OK;
    struct recipients rec;
    memset(&rec, 0, sizeof(rec));
    e = refdata_recipients(s, &rec);
    int ok = e == ERR_OK && acts_for(&rec, a, row->recipient);
    recipients_release(&rec);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    if (!ok)
        return res_fail(r, ERR_NOTFOUND, "Ärendet finns inte.");
    return ERR_OK;
}

/* Version 0, the draft, is the organisation's working copy: ERR_NOTFOUND
 * (as if absent) for anyone else, the agency included. */
static enum err draft_readable(struct store *s, const struct req_actor *a,
                               const struct store_req *row, int version, struct req_result *r)
{
    if (version > 0)
        return ERR_OK;
    struct recipients rec;
    memset(&rec, 0, sizeof(rec));
    enum err e = refdata_recipients(s, &rec);
    int own = e == ERR_OK && acts_for(&rec, a, row->recipient);
    recipients_release(&rec);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    return own && version == 0 ? ERR_OK : res_fail(r, ERR_NOTFOUND, "Versionen finns inte.");
}

enum err req_version_diff(struct store *s, const struct req_actor *a, const char *case_no, int v1,
                          int v2, char (*fields)[32], size_t max, size_t *n, struct req_result *r)
{
    struct store_req row;
    struct req_form x, y;
    res_init(r);
    *n = 0;
    enum err e = case_readable(s, a, case_no, &row, r);
    if (e == ERR_OK)
        e = draft_readable(s, a, &row, v1, r);
    if (e == ERR_OK)
        e = draft_readable(s, a, &row, v2, r);
    if (e != ERR_OK)
        return e;
    e = store_req_form_get(s, row.id, v1, &x, NULL, NULL);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? res_fail(r, e, "Versionen finns inte.") : store_failed(s, r, e);
    e = store_req_form_get(s, row.id, v2, &y, NULL, NULL);
    if (e != ERR_OK) {
        req_form_release(&x);
        return e == ERR_NOTFOUND ? res_fail(r, e, "Versionen finns inte.") : store_failed(s, r, e);
    }
    *n = req_form_diff(&x, &y, fields, max);
    req_form_release(&x);
    req_form_release(&y);
    res_set(r, &row);
    return ERR_OK;
}

void req_dashboard_release(struct req_dashboard *d)
{
    free(d->lines);
    free(d->blocks);
    memset(d, 0, sizeof(*d));
}

enum err req_dashboard_get(struct store *s, const struct req_actor *a, const char *program,
                           struct req_dashboard *out, struct req_result *r)
{
    struct program_view pv;
    struct store_req *rows = NULL;
    struct store_req_decision *dec = NULL;
    size_t n = 0, nd = 0;
    res_init(r);
    memset(out, 0, sizeof(*out));
    enum err e = open_program(s, program, &pv, r);
    if (e != ERR_OK)
        goto out;
    int agency = is_agency(a);
    if (!agency && (!a->org || !a->org[0] || !(a->roles & PERM_RECIPIENT_MASK))) {
        e = res_fail(r, ERR_DENIED, "Du har inte behörighet till statsbidragets siffror.");
        goto out;
    }
    struct store_req_filter f = {pv.prog.id, -1, NULL, 0, 0};
    e = store_req_list(s, &f, &rows, &n);
    if (e == ERR_OK)
        e = store_req_decisions(s, pv.prog.id, 0, &dec, &nd);
    if (e != ERR_OK) {
        e = store_failed(s, r, e);
        goto out;
    }
    size_t nrec = pv.rec.nk + pv.rec.nr;
    out->lines = calloc(nrec ? nrec : 1, sizeof(*out->lines));
    out->blocks = calloc(pv.alloc.nblocks ? pv.alloc.nblocks : 1, sizeof(*out->blocks));
    if (!out->lines || !out->blocks) {
        e = res_fail(r, ERR_NOMEM, "Minnet räckte inte.");
        goto out;
    }
    out->nblocks = pv.alloc.nblocks;
    for (size_t b = 0; b < pv.alloc.nblocks; b++) {
        struct req_dash_block *db = &out->blocks[b];
        const struct block_result *br = &pv.alloc.blocks[b];
        str_copy(db->id, sizeof(db->id), br->b->id);
        str_copy(db->title, sizeof(db->title), br->b->title);
        db->allocated_ore = br->allocated_kr * MONEY_ORE_PER_KR;
        struct store_req_run run;
        if (store_req_run_get(s, pv.prog.id, br->b->id, &run) == ERR_OK) {
            db->redistributed = 1;
            db->redistributed_ore = run.redistributed_ore;
            db->remaining_ore = run.remaining_ore;
        }
    }
    int64_t split[16];
    for (size_t i = 0; i < nrec; i++) {
        const struct recipient *rc =
            i < pv.rec.nk ? &pv.rec.kommuner[i] : &pv.rec.regioner[i - pv.rec.nk];
        int64_t max_ore = req_max_ore(&pv.alloc, rc->code);
        if (max_ore <= 0)
            continue;
        if (!agency && !acts_for(&pv.rec, a, rc->code))
            continue;
        struct req_dash_line *l = &out->lines[out->nlines++];
        str_copy(l->code, sizeof(l->code), rc->code);
        str_copy(l->name, sizeof(l->name), rc->name);
        l->allocated_ore = max_ore;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(rows[k].recipient, rc->code) != 0)
                continue;
            l->has_req = 1;
            l->state = rows[k].state;
            str_copy(l->case_no, sizeof(l->case_no), rows[k].case_no);
            l->requested_ore = rows[k].requested_ore > 0 ? rows[k].requested_ore : 0;
            out->counts[rows[k].state]++;
            if (l->requested_ore > 0 && pv.alloc.nblocks <= 16) {
                req_split_blocks(&pv.alloc, rc->code, l->requested_ore / MONEY_ORE_PER_KR, split);
                for (size_t b = 0; b < pv.alloc.nblocks; b++)
                    out->blocks[b].requested_ore += split[b] * MONEY_ORE_PER_KR;
            }
            if (rows[k].state == REQ_APPROVED && rows[k].approved_ore > 0) {
                l->approved_ore = rows[k].approved_ore;
                if (pv.alloc.nblocks <= 16) {
                    req_split_blocks(&pv.alloc, rc->code, l->approved_ore / MONEY_ORE_PER_KR,
                                     split);
                    for (size_t b = 0; b < pv.alloc.nblocks; b++)
                        out->blocks[b].approved_ore += split[b] * MONEY_ORE_PER_KR;
                }
            }
        }
        for (size_t k = 0; k < nd; k++)
            if (strcmp(dec[k].recipient, rc->code) == 0 &&
                strcmp(dec[k].kind, "supplementary") == 0)
                l->supplementary_ore += dec[k].amount_ore;
        out->allocated_ore += l->allocated_ore;
        out->requested_ore += l->requested_ore;
        out->approved_ore += l->approved_ore;
        out->supplementary_ore += l->supplementary_ore;
    }
out:
    if (e != ERR_OK)
        req_dashboard_release(out);
    free(rows);
    free(dec);
    program_view_release(&pv);
    return e;
}

enum err req_plan_fetch(struct store *s, const struct req_actor *a, const char *case_no,
                        int version, char *content_type, size_t n, struct buf *out,
                        struct req_result *r)
{
    struct store_req row;
    struct req_form f;
    res_init(r);
    enum err e = case_readable(s, a, case_no, &row, r);
    if (e != ERR_OK)
        return e;
    e = draft_readable(s, a, &row, version, r);
    if (e != ERR_OK)
        return e;
    e = store_req_form_get(s, row.id, version, &f, NULL, NULL);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? res_fail(r, e, "Versionen finns inte.") : store_failed(s, r, e);
    if (!f.plan.sha256[0]) {
        req_form_release(&f);
        return res_fail(r, ERR_NOTFOUND, "Ingen produktionsplan är bifogad.");
    }
    e = store_req_plan_get(s, f.plan.sha256, content_type, n, out);
    req_form_release(&f);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    return ERR_OK;
}

static const char *purpose_title(const struct program *p, const char *id)
{
    for (size_t i = 0; i < p->npurposes; i++)
        if (strcmp(p->purposes[i].id, id) == 0)
            return p->purposes[i].title;
    return id;
}

/* The display name of a login (the account's name, else the login). */
static void person_name(struct store *s, const char *login, char *out, size_t n)
{
    struct store_account acc;
    if (store_account_get(s, login, &acc) == ERR_OK && acc.name[0])
        str_copy(out, n, acc.name);
    else
        str_copy(out, n, login);
}

enum err req_receipt_pdf(struct store *s, const struct req_actor *a, const char *case_no,
                         int version, struct buf *out, struct req_result *r)
{
    struct store_req row;
    struct req_form f;
    struct program_view pv;
    char at[32], by[128], byname[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)], when[24], account[80];
    char contact[sizeof(f.contact_name) + sizeof(f.contact_email) + sizeof(f.contact_phone) + 8];
    res_init(r);
    memset(&pv, 0, sizeof(pv));
    req_form_init(&f);
    enum err e = case_readable(s, a, case_no, &row, r);
    if (e != ERR_OK)
        return e;
    if (version <= 0)
        return res_fail(r, ERR_NOTFOUND, "Versionen finns inte.");
    e = store_req_form_get(s, row.id, version, &f, at, by);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? res_fail(r, e, "Versionen finns inte.") : store_failed(s, r, e);
    e = open_program(s, row.program, &pv, r);
    if (e != ERR_OK)
        goto out;
    int64_t t = 0;
    clock_parse(at, &t);
    civil_fmt(when, sizeof(when), t);
    person_name(s, by, byname, sizeof(byname));
    snprintf(contact, sizeof(contact), "%s, %s, %s", f.contact_name, f.contact_email,
             f.contact_phone);
    struct payacct pa;
    char msg[200];
    if (payacct_parse(payacct_kind_parse(f.account_kind), f.account, &pa, msg, sizeof(msg)) ==
        ERR_OK)
        snprintf(account, sizeof(account), "%s %s", payacct_kind_label_sv(pa.kind), pa.display);
    else
        str_copy(account, sizeof(account), f.account);
    struct pdfdoc_measure ms[REQ_MEASURES_MAX];
    for (size_t i = 0; i < f.nmeasures; i++) {
        ms[i].purpose = purpose_title(&pv.prog, f.measures[i].purpose);
        ms[i].description = f.measures[i].description;
        ms[i].planned_ore = f.measures[i].planned_ore;
    }
    const struct recipient *rc = find_recipient(&pv.rec, row.recipient);
    struct pdfdoc_receipt x = {row.case_no,
                               version,
                               when,
                               pv.prog.diarienummer,
                               pv.prog.title,
                               row.recipient,
                               rc ? rc->name : row.recipient,
                               byname,
                               f.amount_ore,
                               ms,
                               f.nmeasures,
                               contact,
                               account,
                               f.opt_in,
                               f.plan.name};
    e = pdfdoc_receipt(&x, out);
    if (e != ERR_OK)
        res_fail(r, e, "Kvittensen kunde inte skapas.");
out:
    req_form_release(&f);
    program_view_release(&pv);
    return e;
}

enum err req_decisions_list(struct store *s, const struct req_actor *a, const char *case_no,
                            struct store_req_decision **out, size_t *n, struct req_result *r)
{
    struct store_req row;
    res_init(r);
    *out = NULL;
    *n = 0;
    enum err e = case_readable(s, a, case_no, &row, r);
    if (e != ERR_OK)
        return e;
    e = store_req_decisions(s, NULL, row.id, out, n);
    return e == ERR_OK ? ERR_OK : store_failed(s, r, e);
}

enum err req_decision_pdf(struct store *s, const struct req_actor *a, const char *number,
                          struct buf *out, struct req_result *r)
{
    struct program_view pv;
    struct store_req row;
    char byname[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)];
    res_init(r);
    memset(&pv, 0, sizeof(pv));
    struct store_req_decision one;
    enum err e = store_req_decision_get(s, number ? number : "", &one);
    if (e == ERR_NOTFOUND)
        return res_fail(r, e, "Beslutet finns inte.");
    if (e != ERR_OK)
        return store_failed(s, r, e);
    const struct store_req_decision *d = &one;
    e = case_readable(s, a, d->case_no, &row, r);
    if (e != ERR_OK)
        goto out;
    e = open_program(s, row.program, &pv, r);
    if (e != ERR_OK)
        goto out;
    person_name(s, d->decided_by, byname, sizeof(byname));
    const struct recipient *rc = find_recipient(&pv.rec, row.recipient);
    struct pdfdoc_decision x;
    memset(&x, 0, sizeof(x));
    x.kind = strcmp(d->kind, "supplementary") == 0 ? PDFDOC_SUPPLEMENTARY
             : strcmp(d->kind, "rejection") == 0   ? PDFDOC_REJECTION
                                                   : PDFDOC_ORIGINAL;
    x.number = d->number;
    x.case_no = row.case_no;
    x.diarienummer = pv.prog.diarienummer;
    x.program_title = pv.prog.title;
    x.recipient_code = row.recipient;
    x.recipient_name = rc ? rc->name : row.recipient;
    x.amount_ore = d->amount_ore;
    x.requested_ore = row.requested_ore;
    x.reason = x.kind == PDFDOC_REJECTION ? row.message : NULL;
    for (size_t b = 0; b < pv.prog.nblocks; b++)
        if (d->block[0] && strcmp(pv.prog.blocks[b].id, d->block) == 0)
            x.block_title = pv.prog.blocks[b].title;
    date_parse(d->decided_on, &x.decided_on);
    x.reporting_deadline = pv.prog.reporting_deadline;
    x.repayment_deadline = pv.prog.repayment_deadline;
    x.decided_by = byname;
    e = pdfdoc_decision(&x, out);
    if (e != ERR_OK)
        res_fail(r, e, "Beslutet kunde inte skapas.");
out:
    program_view_release(&pv);
    return e;
}

enum err req_receipt_get(struct store *s, const struct req_actor *a, const char *case_no,
                         int version, struct req_receipt *rc, struct req_result *r)
{
    struct store_req row;
    struct req_form f;
    struct program_view pv;
    char at[32], by[128];
    res_init(r);
    memset(rc, 0, sizeof(*rc));
    memset(&pv, 0, sizeof(pv));
    enum err e = case_readable(s, a, case_no, &row, r);
    if (e != ERR_OK)
        return e;
    if (version <= 0)
        return res_fail(r, ERR_NOTFOUND, "Versionen finns inte.");
    e = store_req_form_get(s, row.id, version, &f, at, by);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? res_fail(r, e, "Versionen finns inte.") : store_failed(s, r, e);
    e = open_program(s, row.program, &pv, r);
    if (e == ERR_OK) {
        receipt_fill(rc, &pv, &row, &f, version, at, by);
        res_set(r, &row);
    }
    req_form_release(&f);
    program_view_release(&pv);
    return e;
}

void req_overview_release(struct req_overview *o)
{
    free(o->items);
    memset(o, 0, sizeof(*o));
}

enum err req_overview_get(struct store *s, const struct req_actor *a, int64_t now,
                          struct req_overview *out, struct req_result *r)
{
    struct store_program *progs = NULL;
    size_t np = 0, cap = 0;
    res_init(r);
    memset(out, 0, sizeof(*out));
    if (!a->org || !a->org[0] || !(a->roles & PERM_RECIPIENT_MASK))
        return res_fail(r, ERR_DENIED, "Välj vilken organisation du företräder.");
    enum err e = store_program_list(s, &progs, &np);
    if (e != ERR_OK)
        return store_failed(s, r, e);
    struct date today = civil_date(now);
    for (size_t i = 0; i < np && e == ERR_OK; i++) {
        struct program_view pv;
        struct req_result pr;
        res_init(&pr);
        if (open_program(s, progs[i].id, &pv, &pr) != ERR_OK) {
            program_view_release(&pv); /* a program that cannot be opened is left out */
            continue;
        }
        /* the organisation's codes: the one acted for, and its other role */
        const struct recipient *me = find_recipient(&pv.rec, a->org);
        for (size_t k = 0; me && k < pv.rec.nk + pv.rec.nr && e == ERR_OK; k++) {
            const struct recipient *rc =
                k < pv.rec.nk ? &pv.rec.kommuner[k] : &pv.rec.regioner[k - pv.rec.nk];
            if (rc->org != me->org)
                continue;
            int64_t max_ore = req_max_ore(&pv.alloc, rc->code);
            if (max_ore <= 0)
                continue;
            if (out->n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                struct req_overview_item *ni = realloc(out->items, nc * sizeof(*ni));
                if (!ni) {
                    e = res_fail(r, ERR_NOMEM, "Minnet räckte inte.");
                    break;
                }
                out->items = ni;
                cap = nc;
            }
            struct req_overview_item *it = &out->items[out->n++];
            memset(it, 0, sizeof(*it));
            str_copy(it->program, sizeof(it->program), pv.prog.id);
            str_copy(it->title, sizeof(it->title), pv.prog.title);
            str_copy(it->diarienummer, sizeof(it->diarienummer), pv.prog.diarienummer);
            str_copy(it->recipient, sizeof(it->recipient), rc->code);
            it->max_ore = max_ore;
            it->opens = pv.prog.requisition_opens;
            it->closes = pv.prog.requisition_closes;
            char m[200];
            it->window_open = req_window_check(&pv.prog, today, m, sizeof(m)) == ERR_OK;
            struct store_req row;
            enum err ge = store_req_get(s, pv.prog.id, rc->code, &row);
            if (ge == ERR_OK) {
                it->has_req = 1;
                str_copy(it->case_no, sizeof(it->case_no), row.case_no);
                it->state = row.state;
                it->revision = row.revision;
            } else if (ge != ERR_NOTFOUND) {
                e = store_failed(s, r, ge);
            }
        }
        program_view_release(&pv);
    }
    for (size_t i = 0; i < np; i++)
        store_program_release(&progs[i]);
    free(progs);
    if (e != ERR_OK)
        req_overview_release(out);
    return e;
}
