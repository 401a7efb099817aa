/* requisition.c - requisition actions: save, submit, return, approve,
 * reject, bulk approve, redistribute; queue, diff, dashboard. Each is one
 * action of the action table (svc.h): rights from the roles the store
 * holds, each change one transaction with its audit record. */
#include "service/requisition.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "core/redist.h"
#include "core/redistplan.h"
#include "core/reqcase.h"
#include "io/pdfdoc.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/notify.h"
#include "store/store_auth.h"
#include "store/store_redist.h"
#include "util/money.h"
#include "util/sha256.h"
#include "util/str.h"

enum err req_service_init(void)
{
    return reqcase_register();
}

static void status_set(struct req_status *st, const struct req_row *row)
{
    if (!st)
        return;
    str_copy(st->case_no, sizeof(st->case_no), row->case_no);
    st->revision = row->revision;
    st->version = row->version;
    st->state = row->state;
}

static void status_clear(struct req_status *st)
{
    if (st)
        memset(st, 0, sizeof(*st));
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

/* The action that reads for the side the actor acts for. */
static enum action_id read_action(const struct svc_actor *who)
{
    return who->org[0] ? ACT_REQ_READ : ACT_REQ_REVIEW_READ;
}

/* Does the call's actor act for the organisation behind recipient code? */
static int own(const struct svc_call *c, const char *code)
{
    return c->who.org[0] && org_same(c->who.org, code);
}

/* Open the program; messages to c. */
static enum err open_program(struct svc_call *c, const char *program, struct program_view *pv)
{
    struct diag d;
    diag_init(&d, 5);
    const char *id = program ? program : "";
    enum err e = programs_get_kept(c->s, id, pv, &d);
    if (e == ERR_OK && !pv->allocated)
        e = ERR_INVALID;
    if (e == ERR_NOTFOUND && !pv->prog.id[0])
        e = svc_failf(c, e, M_("Statsbidraget '{1}' finns inte."), msg_str(id));
    else if (e == ERR_STORE || e == ERR_LIMIT || e == ERR_NOMEM || e == ERR_IO)
        e = svc_failf(c, e,
                      M_("Statsbidraget '{1}' kan inte öppnas just nu. Försök igen om en stund."),
                      msg_str(id));
    else if (e != ERR_OK)
        e = svc_failf(c, e, M_("Statsbidraget '{1}' kan inte öppnas: {2}"), msg_str(id),
                      msg_str(d.n ? d.msg[0] : err_str(e)));
    diag_release(&d);
    return e;
}

static enum err not_found(struct svc_call *c)
{
    return svc_fail(c, ERR_NOTFOUND, M_("Ärendet finns inte."));
}

/* ---- four eyes: who prepared or submitted a case ---- */

#define PREPARERS_MAX 4096

struct preparers {
    char (*login)[128];
    size_t n, cap;
};

static void preparers_release(struct preparers *p)
{
    free(p->login);
    memset(p, 0, sizeof(*p));
}

static enum err preparers_add(struct preparers *p, const char *login)
{
    if (!login || !login[0])
        return ERR_OK;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->login[i], login) == 0)
            return ERR_OK;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        if (nc > PREPARERS_MAX)
            return ERR_LIMIT;
        char(*nl)[128] = realloc(p->login, nc * sizeof(*nl));
        if (!nl)
            return ERR_NOMEM;
        p->login = nl;
        p->cap = nc;
    }
    str_copy(p->login[p->n++], sizeof(p->login[0]), login);
    return ERR_OK;
}

/* Everyone in the case's history: who created it, saved its draft,
 * submitted any of its versions, and whom its events record as saving,
 * submitting or attaching to it (those moved from before the engine
 * included: service/reqmove.h). */
static enum err case_preparers(struct store *s, const struct req_row *row, struct preparers *p)
{
    struct store_case_version *v = NULL, draft;
    struct store_case_event *ev = NULL;
    size_t nv = 0, nev = 0;
    enum err e = preparers_add(p, row->created_by);
    if (e == ERR_OK)
        e = store_case_versions(s, row->id, &v, &nv);
    for (size_t i = 0; e == ERR_OK && i < nv; i++)
        e = preparers_add(p, v[i].saved_by);
    free(v);
    if (e == ERR_OK) {
        e = store_case_version_get(s, row->id, 0, &draft);
        if (e == ERR_OK) {
            e = preparers_add(p, draft.saved_by);
            store_case_version_release(&draft);
        } else if (e == ERR_NOTFOUND) {
            e = ERR_OK;
        }
    }
    if (e == ERR_OK)
        e = store_case_events(s, row->id, &ev, &nev);
    for (size_t i = 0; e == ERR_OK && i < nev; i++)
        if (!strcmp(ev[i].verb, case_verb_id(CASE_SAVE)) ||
            !strcmp(ev[i].verb, case_verb_id(CASE_SUBMIT)) ||
            !strcmp(ev[i].verb, case_verb_id(CASE_ATTACH)))
            e = preparers_add(p, ev[i].by);
    free(ev);
    return e;
}

/* ERR_DENIED (said) when the actor is in the case's history. */
static enum err four_eyes(struct svc_call *c, const struct req_row *row)
{
    struct preparers p;
    memset(&p, 0, sizeof(p));
    enum err e = case_preparers(c->s, row, &p);
    const char **v = NULL;
    if (e == ERR_OK && p.n) {
        v = calloc(p.n, sizeof(*v));
        e = v ? ERR_OK : ERR_NOMEM;
    }
    for (size_t i = 0; e == ERR_OK && i < p.n; i++)
        v[i] = p.login[i];
    if (e == ERR_OK)
        e = svc_check_four_eyes(c, v, p.n,
                                M_("Du har själv förberett eller skickat in rekvisitionen {1} och "
                                   "kan därför inte besluta i den."),
                                row->case_no);
    free(v);
    preparers_release(&p);
    return e;
}

/* ---- reading ---- */

void req_view_release(struct req_view *v)
{
    program_view_release(&v->pv);
    req_form_release(&v->form);
    req_form_release(&v->latest);
    free(v->versions);
    free(v->decisions);
    memset(v, 0, sizeof(*v));
}

/* The form with its defaults: the program, the recipient, the maximum. */
static void form_defaults(struct req_view *v, const char *recipient)
{
    req_form_init(&v->form);
    str_copy(v->form.program, sizeof(v->form.program), v->pv.prog.id);
    str_copy(v->form.recipient, sizeof(v->form.recipient), recipient);
    v->form.amount_ore = v->max_ore;
}

/* May the actor decide this submitted case? A reason of separation of
 * duties goes to v->duty_msg. */
static enum err review_rights(struct svc_call *c, struct req_view *v)
{
    enum action_deny why = ACT_DENY_NONE;
    struct msg m;
    if (svc_call_may(c, ACT_REQ_APPROVE, "", &why, &m) != ERR_OK) {
        if (why == ACT_DENY_RECIPIENT || why == ACT_DENY_IMPERSONAL)
            v->duty_msg = m;
        return ERR_OK;
    }
    struct msg keep = c->res->msg;
    msg_clear(&c->res->msg);
    enum err e = four_eyes(c, &v->row);
    if (e == ERR_DENIED) {
        v->duty_msg = c->res->msg;
        e = ERR_OK;
    } else if (e == ERR_OK) {
        v->may_review = 1;
    }
    c->res->msg = keep;
    return e;
}

static enum err view_fill(struct svc_call *c, const char *recipient, struct req_view *v)
{
    struct store *s = c->s;
    const struct recipient *rc = find_recipient(&v->pv.rec, recipient);
    v->max_ore = req_max_ore(&v->pv.alloc, recipient);
    if (!rc || v->max_ore <= 0)
        return svc_failf(c, ERR_NOTFOUND, M_("'{1}' är inte bidragsmottagare i statsbidraget."),
                         msg_str(recipient));
    enum err e = svc_check_owner(c, recipient);
    if (e != ERR_OK)
        return e;
    str_copy(v->recipient_name, sizeof(v->recipient_name), rc->official_name);
    e = reqdata_get(s, v->pv.prog.id, recipient, &v->row);
    if (e == ERR_NOTFOUND) {
        v->exists = 0;
        form_defaults(v, recipient);
        v->row.approved_ore = -1;
        v->row.requested_ore = -1;
    } else if (e != ERR_OK) {
        return e;
    } else {
        v->exists = 1;
        /* the draft is the recipient's working copy: the agency sees only
         * what was submitted */
        e = own(c, recipient) ? reqdata_form_get(s, v->row.id, 0, &v->form, NULL, NULL)
                              : ERR_NOTFOUND;
        if (e == ERR_NOTFOUND) {
            req_form_release(&v->form);
            form_defaults(v, recipient);
            e = ERR_OK;
        }
        if (e == ERR_OK && v->row.version > 0) {
            req_form_release(&v->latest);
            e = reqdata_form_get(s, v->row.id, v->row.version, &v->latest, NULL, NULL);
        }
        if (e == ERR_OK)
            e = reqdata_versions(s, v->row.id, &v->versions, &v->nversions);
        if (e == ERR_OK)
            e = reqdata_decisions(s, NULL, v->row.id, &v->decisions, &v->ndecisions);
        if (e != ERR_OK)
            return e;
    }
    v->window_open = req_window_check(&v->pv.prog, c->today, &v->window_msg) == ERR_OK;
    int editable = !v->exists || req_action_allowed(v->row.state, REQ_ACT_SAVE);
    if (own(c, recipient) && editable) {
        enum action_deny why = ACT_DENY_NONE;
        struct msg m;
        v->may_save = svc_call_may(c, ACT_REQ_SAVE, recipient, &why, &m) == ERR_OK &&
                      req_window_save_check(&v->pv.prog, c->today, NULL) == ERR_OK;
        if (why == ACT_DENY_AGENCY)
            v->duty_msg = m;
        v->may_submit =
            v->window_open && svc_call_may(c, ACT_REQ_SUBMIT, recipient, NULL, NULL) == ERR_OK;
    }
    if (!c->who.org[0] && v->exists && v->row.state == REQ_SUBMITTED)
        return review_rights(c, v);
    return ERR_OK;
}

enum err req_open(struct store *s, const struct svc_actor *who, int64_t now, const char *program,
                  const char *recipient, struct req_view *out, struct svc_result *res)
{
    struct svc_call c;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = open_program(&c, program, &out->pv);
    if (e == ERR_OK)
        e = view_fill(&c, recipient ? recipient : "", out);
    return svc_end(&c, e);
}

static enum err case_readable(struct svc_call *c, const char *case_no, struct req_row *row);

enum err req_open_case(struct store *s, const struct svc_actor *who, int64_t now,
                       const char *case_no, struct req_view *out, struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row); /* another organisation's: as if absent */
    if (e == ERR_OK)
        e = open_program(&c, row.program, &out->pv);
    if (e == ERR_OK)
        e = view_fill(&c, row.recipient, out);
    return svc_end(&c, e);
}

static enum err conflict(struct svc_call *c, const struct req_row *row, struct req_status *st)
{
    int64_t t = 0;
    if (clock_parse(row->updated_at, &t) != ERR_OK)
        t = 0;
    status_set(st, row);
    return svc_failf(c, ERR_CONFLICT,
                     M_("Rekvisitionen {1} har ändrats av {2} ({3}) sedan du öppnade den. "
                        "Ingenting har sparats. Öppna rekvisitionen igen och gör om ändringen."),
                     msg_str(row->case_no), msg_str(row->updated_by), msg_time(t));
}

/* Hash and type an uploaded plan into the form copy. */
static void plan_prepare(struct req_form *f)
{
    if (!f->plan_data)
        return;
    const char *t = req_plan_type(f->plan_data, f->plan_len);
    str_copy(f->plan.content_type, sizeof(f->plan.content_type), t ? t : "");
    f->plan.size = (int64_t)f->plan_len;
    sha256_hex_of(f->plan_data, f->plan_len, f->plan.sha256);
    if (!f->plan.name[0])
        str_copy(f->plan.name, sizeof(f->plan.name), "produktionsplan");
}

/* The engine's refusal of a plan past the recipient's quota (ERR_LIMIT
 * with an issue on "plan") in the requisition's words. */
static enum err plan_quota(struct svc_call *c, enum err e)
{
    if (e != ERR_LIMIT || !msg_issues_find(&c->res->issues, "plan"))
        return e;
    msg_issues_clear(&c->res->issues);
    msg_clear(&c->res->msg);
    msg_issue_addf(&c->res->issues, "plan",
                   M_("Organisationens produktionsplaner får ta högst {1} MiB tillsammans, "
                      "och den här filen skulle gå över gränsen. Kontakta Socialstyrelsen om "
                      "ni behöver lämna fler"),
                   msg_int(REQ_PLAN_ORG_MAX_BYTES >> 20));
    return svc_fail(c, ERR_INVALID, M_("Produktionsplanen kunde inte sparas."));
}

/* The plan of the form as the engine's file for its slot (NULL: no new
 * upload). */
static const struct case_file_in *plan_file(const struct req_form *f, struct case_file_in *in)
{
    if (!f->plan_data)
        return NULL;
    in->slot = "plan";
    in->name = f->plan.name;
    in->content_type = f->plan.content_type;
    in->data = f->plan_data;
    in->len = f->plan_len;
    return in;
}

/* A form that names no plan and brings none takes the draft's away (the
 * bytes go when nothing else names them). Inside the transaction. */
static enum err plan_dropped(struct svc_call *c, long long case_id, const struct req_form *f)
{
    if (f->plan_data || f->plan.sha256[0])
        return ERR_OK;
    enum err e = store_case_file_remove(c->s, case_id, 0, "plan");
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

/* Start of an action by a recipient: the program, the recipient, whose. */
static enum err recipient_action(struct svc_call *c, const struct req_form *f,
                                 struct program_view *pv, int64_t *max_ore)
{
    enum err e = open_program(c, f->program, pv);
    if (e == ERR_OK)
        e = programs_open_gate(c, pv); /* no requisition on unconfirmed stand-in data */
    if (e != ERR_OK)
        return e;
    *max_ore = req_max_ore(&pv->alloc, f->recipient);
    if (!find_recipient(&pv->rec, f->recipient) || *max_ore <= 0)
        return svc_failf(c, ERR_NOTFOUND, M_("'{1}' är inte bidragsmottagare i statsbidraget."),
                         msg_str(f->recipient));
    e = svc_check_owner(c, f->recipient);
    if (e == ERR_DENIED) {
        msg_clear(&c->res->msg);
        return svc_fail(c, e, M_("Du kan bara rekvirera för den organisation du företräder."));
    }
    return e;
}

/* Get the requisition, opening its case when absent (based_on must then
 * be 0), inside the call's transaction. On return *rev is the revision to
 * change it from. */
static enum err get_or_create(struct svc_call *c, const char *program, const char *recipient,
                              long long based_on, struct req_row *row, long long *rev, int *created,
                              struct req_status *st)
{
    struct case_status cs;
    enum err e = case_open_in(c, reqcase_kind(), program, recipient, &cs, created);
    if (e == ERR_CONFLICT && msg_empty(&c->res->msg))
        return svc_fail(c, e,
                        M_("Någon annan började samtidigt på rekvisitionen. Ingenting har "
                           "sparats. Öppna rekvisitionen igen."));
    if (e == ERR_OK)
        e = reqdata_get_case(c->s, cs.number, row);
    if (e != ERR_OK)
        return e;
    if (*created) {
        if (based_on != 0)
            return svc_fail(c, ERR_CONFLICT,
                            M_("Rekvisitionen finns inte längre. Ingenting har sparats."));
        *rev = row->revision;
        return ERR_OK;
    }
    if (row->revision != based_on)
        return conflict(c, row, st);
    *rev = based_on;
    return ERR_OK;
}

static enum err state_refusal(struct svc_call *c, enum req_state st)
{
    switch (st) {
    case REQ_SUBMITTED:
        return svc_fail(c, ERR_DENIED,
                        M_("Rekvisitionen är inskickad och väntar på beslut; den kan inte ändras "
                           "nu."));
    case REQ_APPROVED:
        return svc_fail(c, ERR_DENIED, M_("Rekvisitionen är beviljad och kan inte ändras."));
    case REQ_REJECTED:
        return svc_fail(c, ERR_DENIED, M_("Rekvisitionen är avslagen och kan inte ändras."));
    case REQ_DRAFT:
    case REQ_RETURNED:
        break;
    }
    return svc_fail(c, ERR_DENIED, M_("Rekvisitionen kan inte ändras nu."));
}

enum err req_save_draft(struct store *s, const struct svc_actor *who, int64_t now,
                        const struct req_form *f, long long based_on, struct req_status *st,
                        struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_form copy;
    struct req_row row;
    struct case_file_in fin;
    struct case_status cst;
    json_t *content = NULL;
    int64_t max_ore = 0;
    long long rev = 0;
    int created = 0, saved = 0;
    memset(&pv, 0, sizeof(pv));
    status_clear(st);
    enum err e = svc_begin(&c, s, who, ACT_REQ_SAVE, now, res);
    if (e != ERR_OK) {
        req_form_init(&copy);
        goto out;
    }
    e = req_form_copy(&copy, f);
    if (e != ERR_OK) {
        req_form_init(&copy);
        goto out;
    }
    e = recipient_action(&c, f, &pv, &max_ore);
    if (e != ERR_OK)
        goto out;
    /* after the last day there is nothing to save for */
    struct msg closed;
    if (req_window_save_check(&pv.prog, c.today, &closed) != ERR_OK) {
        res->msg = closed;
        e = ERR_DENIED;
        goto out;
    }
    plan_prepare(&copy);
    if (req_validate(&copy, &pv.prog, max_ore, 0, &res->issues) > 0) {
        e = svc_fail(&c, ERR_INVALID, M_("Utkastet kunde inte sparas: rätta de markerade fälten."));
        goto out;
    }
    e = reqcase_to_json(&copy, &content);
    if (e != ERR_OK) {
        e = svc_fail(&c, e, M_("Rekvisitionen är för stor."));
        goto out;
    }
    e = svc_write(&c);
    if (e == ERR_OK) /* the maximum was the current program's */
        e = programs_view_current(&c, &pv, f->recipient);
    if (e == ERR_OK)
        e = get_or_create(&c, pv.prog.id, f->recipient, based_on, &row, &rev, &created, st);
    if (e != ERR_OK)
        goto out;
    if (!req_action_allowed(row.state, REQ_ACT_SAVE)) {
        status_set(st, &row);
        e = state_refusal(&c, row.state);
        goto out;
    }
    e = plan_dropped(&c, row.id, &copy);
    struct reqcase_ctx ctx = {&pv.prog, max_ore, &copy.plan};
    if (e == ERR_OK)
        e = case_save_in(&c, reqcase_kind(), row.case_no, rev, content, &ctx,
                         plan_file(&copy, &fin), &cst);
    if (e == ERR_CONFLICT)
        e = conflict(&c, &row, st);
    e = plan_quota(&c, e);
    if (e == ERR_OK)
        e = reqdata_get_case(s, row.case_no, &row);
    saved = e == ERR_OK;
out:
    e = svc_end(&c, e);
    if (e == ERR_OK && saved) {
        status_set(st, &row);
        /* hints: what would stop a submission */
        msg_issues_clear(&res->issues);
        req_validate(&copy, &pv.prog, max_ore, 1, &res->issues);
        msg_setf(&res->msg, M_("Utkastet är sparat ({1})."), msg_str(row.case_no));
    }
    json_decref(content);
    program_view_release(&pv);
    req_form_release(&copy);
    return e;
}

static void receipt_fill(struct req_receipt *rc, const struct program_view *pv,
                         const struct req_row *row, const struct req_form *f, int version,
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
    str_copy(rc->recipient_name, sizeof(rc->recipient_name), x ? x->official_name : "");
    rc->amount_ore = f->amount_ore;
}

/* An identical repeat of a submission with the same key: its receipt,
 * nothing changed (the transaction is undone). ERR_NOTFOUND when the key
 * is new. digest: of the content's canonical text (the engine's). */
static enum err idem_repeat(struct svc_call *c, const struct program_view *pv,
                            const struct req_form *f, const char *idem_key, const char *digest,
                            struct req_receipt *rc, struct req_status *st)
{
    long long id = 0;
    int ver = 0;
    char seen[65];
    enum err e = store_case_idem_get(c->s, f->recipient, idem_key, &id, &ver, seen);
    if (e != ERR_OK)
        return e;
    struct req_row old;
    struct req_form prev;
    char at[32], by[STORE_CASE_WHO_LEN];
    if (strcmp(seen, digest) != 0)
        return svc_fail(c, ERR_CONFLICT,
                        M_("Formuläret har redan skickats in med annat innehåll. Öppna "
                           "rekvisitionen igen."));
    e = reqdata_get(c->s, pv->prog.id, f->recipient, &old);
    if (e == ERR_NOTFOUND || (e == ERR_OK && old.id != id))
        return svc_fail(c, ERR_CONFLICT,
                        M_("Formuläret har redan skickats in för en annan rekvisition."));
    if (e == ERR_OK)
        e = reqdata_form_get(c->s, id, ver, &prev, at, by);
    if (e != ERR_OK) {
        req_form_release(&prev);
        return e == ERR_NOTFOUND ? ERR_STORE : e;
    }
    svc_rollback(c); /* nothing changed */
    receipt_fill(rc, pv, &old, &prev, ver, at, by);
    req_form_release(&prev);
    rc->repeated = 1;
    status_set(st, &old);
    msg_setf(&c->res->msg, M_("Rekvisitionen {1} version {2} var redan mottagen."),
             msg_str(old.case_no), msg_int(ver));
    return ERR_OK;
}

enum err req_submit(struct store *s, const struct svc_actor *who, int64_t now,
                    const struct req_form *f, long long based_on, const char *idem_key,
                    struct req_receipt *rc, struct req_status *st, struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_form copy;
    struct req_row row;
    struct case_file_in fin;
    struct case_receipt crc;
    struct case_status cst;
    json_t *content = NULL;
    char *canon = NULL, digest[65] = "";
    int64_t max_ore = 0;
    long long rev = 0;
    int created = 0, submitted = 0;
    memset(&pv, 0, sizeof(pv));
    memset(rc, 0, sizeof(*rc));
    status_clear(st);
    req_form_init(&copy);
    enum err e = svc_begin(&c, s, who, ACT_REQ_SUBMIT, now, res);
    if (e == ERR_DENIED && !msg_empty(&res->msg) &&
        svc_call_may(&c, ACT_REQ_SAVE, "", NULL, NULL) == ERR_OK) {
        msg_clear(&res->msg);
        e = svc_fail(&c, e,
                     M_("Som uppgiftssamordnare kan du spara utkast men inte skicka in. Be "
                        "ombudet eller en representant att skicka in rekvisitionen."));
    }
    if (e != ERR_OK)
        goto out;
    req_form_release(&copy);
    e = req_form_copy(&copy, f);
    if (e != ERR_OK) {
        req_form_init(&copy);
        goto out;
    }
    e = recipient_action(&c, f, &pv, &max_ore);
    if (e != ERR_OK)
        goto out;
    plan_prepare(&copy);
    if (copy.amount_ore < 0)
        copy.amount_ore = max_ore;
    e = reqcase_to_json(&copy, &content);
    if (e == ERR_OK)
        e = case_canon(reqcase_kind(), content, &canon);
    if (e != ERR_OK) {
        e = svc_fail(&c, e, M_("Rekvisitionen är för stor."));
        goto out;
    }
    sha256_hex_of(canon, strlen(canon), digest);
    e = svc_write(&c);
    if (e == ERR_OK) /* the maximum was the current program's */
        e = programs_view_current(&c, &pv, f->recipient);
    if (e != ERR_OK)
        goto out;
    if (idem_key && idem_key[0]) {
        e = idem_repeat(&c, &pv, f, idem_key, digest, rc, st);
        if (e != ERR_NOTFOUND)
            goto out;
        e = ERR_OK;
    }
    /* after the repeat check: a receipted POST repeated after the window
     * closed still gets its receipt */
    struct msg why;
    if (req_window_check(&pv.prog, c.today, &why) != ERR_OK) {
        res->msg = why;
        e = ERR_DENIED;
        goto out;
    }
    if (req_validate(&copy, &pv.prog, max_ore, 1, &res->issues) > 0) {
        e = svc_fail(&c, ERR_INVALID,
                     M_("Rekvisitionen är inte komplett: rätta de markerade fälten och skicka in "
                        "igen."));
        goto out;
    }
    e = get_or_create(&c, pv.prog.id, f->recipient, based_on, &row, &rev, &created, st);
    if (e != ERR_OK)
        goto out;
    if (!req_action_allowed(row.state, REQ_ACT_SUBMIT)) {
        status_set(st, &row);
        e = state_refusal(&c, row.state);
        goto out;
    }
    e = plan_dropped(&c, row.id, &copy);
    struct reqcase_ctx ctx = {&pv.prog, max_ore, &copy.plan};
    if (e == ERR_OK)
        e = case_submit_in(&c, reqcase_kind(), row.case_no, rev, content, &ctx,
                           plan_file(&copy, &fin), idem_key, &crc, &cst);
    if (e == ERR_CONFLICT)
        e = conflict(&c, &row, st);
    e = plan_quota(&c, e);
    if (e == ERR_OK)
        e = reqdata_get_case(s, row.case_no, &row);
    if (e == ERR_OK)
        e = notify_req(&c, NOTIFY_SUBMITTED, &row, NULL);
    submitted = e == ERR_OK ? row.version : 0;
out:
    e = svc_end(&c, e); /* commits; undone when it fails */
    if (e == ERR_OK && submitted) {
        receipt_fill(rc, &pv, &row, &copy, submitted, c.nowiso, c.who.login);
        status_set(st, &row);
        msg_setf(&res->msg, M_("Rekvisitionen {1} är mottagen (version {2})."),
                 msg_str(row.case_no), msg_int(submitted));
    }
    json_decref(content);
    free(canon);
    program_view_release(&pv);
    req_form_release(&copy);
    return e;
}

/* ---- deciding ---- */

/* The requisition case_no in the state to decide, at the revision the
 * officer saw, not in the officer's own history; opens the transaction. */
static enum err review_begin(struct svc_call *c, const char *case_no, long long based_on,
                             struct req_row *row, struct req_status *st)
{
    enum err e = reqdata_get_case(c->s, case_no ? case_no : "", row);
    if (e == ERR_NOTFOUND)
        return not_found(c);
    if (e == ERR_OK)
        e = four_eyes(c, row);
    if (e == ERR_OK && !c->in_txn)
        e = svc_write(c);
    if (e == ERR_OK)
        e = reqdata_get_case(c->s, case_no, row); /* again, inside the transaction */
    if (e == ERR_NOTFOUND)
        return not_found(c);
    if (e != ERR_OK)
        return e;
    if (row->revision != based_on)
        return conflict(c, row, st);
    if (row->state != REQ_SUBMITTED) {
        status_set(st, row);
        return svc_failf(c, ERR_DENIED, M_("Rekvisitionen är {1} och kan inte prövas nu."),
                         msg_text(req_state_label_sv(row->state)));
    }
    return ERR_OK;
}

/* The row after an engine step, and where it stands. */
static enum err review_done(struct svc_call *c, struct req_row *row, struct req_status *st)
{
    enum err e = reqdata_get_case(c->s, row->case_no, row);
    if (e == ERR_OK)
        status_set(st, row);
    return e;
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

enum err req_return(struct store *s, const struct svc_actor *who, int64_t now, const char *case_no,
                    long long based_on, const char *message, struct req_status *st,
                    struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    status_clear(st);
    enum err e = svc_begin(&c, s, who, ACT_REQ_RETURN, now, res);
    if (e == ERR_OK && !message_ok(message)) {
        msg_issue_addf(&res->issues, "message",
                       M_("Skriv vad som ska kompletteras (högst {1} tecken)"),
                       msg_int(REQ_MESSAGE_MAX_CHARS));
        e = svc_fail(&c, ERR_INVALID, M_("Skriv ett meddelande till mottagaren."));
    }
    if (e == ERR_OK)
        e = review_begin(&c, case_no, based_on, &row, st);
    struct case_status cst;
    if (e == ERR_OK)
        e = case_return_in(&c, reqcase_kind(), row.case_no, based_on, message, &cst);
    if (e == ERR_OK)
        e = review_done(&c, &row, st);
    if (e == ERR_OK)
        e = notify_req(&c, NOTIFY_RETURNED, &row, NULL);
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("Rekvisitionen {1} är returnerad för komplettering."),
                 msg_str(row.case_no));
    return svc_end(&c, e);
}

/* Approve inside the open transaction (row checked); amount decided. */
static enum err approve_in_txn(struct svc_call *c, struct req_row *row, long long based_on,
                               int64_t amount_ore, const char *reasons, char number[REQ_CASE_LEN],
                               struct req_status *st)
{
    assert(store_in_transaction(c->s));
    struct store_case_decision d;
    struct case_status cst;
    struct case_decision_in in = {amount_ore, reasons ? reasons : "", "", ""};
    enum err e = case_decide_in(c, reqcase_kind(), row->case_no, based_on, &in, &d, &cst);
    if (e != ERR_OK)
        return e;
    str_copy(number, REQ_CASE_LEN, d.number);
    e = review_done(c, row, st);
    if (e == ERR_OK)
        e = notify_req(c, NOTIFY_DECIDED, row, d.number);
    return e;
}

enum err req_approve(struct store *s, const struct svc_actor *who, int64_t now, const char *case_no,
                     long long based_on, int64_t amount_ore, const char *reasons,
                     struct req_status *st, struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct program_view pv;
    int64_t max_ore = 0;
    memset(&pv, 0, sizeof(pv));
    status_clear(st);
    enum err e = svc_begin(&c, s, who, ACT_REQ_APPROVE, now, res);
    if (e == ERR_OK) {
        e = reqdata_get_case(s, case_no ? case_no : "", &row);
        if (e == ERR_NOTFOUND)
            e = not_found(&c);
    }
    if (e == ERR_OK)
        e = open_program(&c, row.program, &pv);
    if (e == ERR_OK)
        max_ore = req_max_ore(&pv.alloc, row.recipient);
    program_view_release(&pv);
    if (e == ERR_OK)
        e = review_begin(&c, case_no, based_on, &row, st);
    int64_t amt = 0;
    if (e == ERR_OK)
        amt = amount_ore < 0 ? row.requested_ore : amount_ore;
    if (e == ERR_OK && (amt <= 0 || amt % MONEY_ORE_PER_KR != 0 || amt > max_ore)) {
        msg_issue_addf(&res->issues, "amount", M_("Beloppet ska vara hela kronor, högst {1}"),
                       msg_money(max_ore));
        e = svc_fail(&c, ERR_INVALID, M_("Beloppet kan inte beviljas."));
    }
    /* less than requested: the decision gives its reasons (förvaltningslagen
     * 32 §); a grant in full keeps none */
    int partial = e == ERR_OK && row.requested_ore >= 0 && amt < row.requested_ore;
    if (partial && !message_ok(reasons ? reasons : "")) {
        msg_issue_addf(&res->issues, "reasons",
                       M_("Skriv skälen till att mindre än det rekvirerade beloppet beviljas "
                          "(högst {1} tecken)"),
                       msg_int(REQ_MESSAGE_MAX_CHARS));
        e = svc_fail(&c, ERR_INVALID,
                     M_("Ett beslut som beviljar mindre än det rekvirerade beloppet behöver skäl "
                        "(förvaltningslagen 32 §)."));
    }
    char number[REQ_CASE_LEN];
    if (e == ERR_OK)
        e = approve_in_txn(&c, &row, based_on, amt, partial ? reasons : NULL, number, st);
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("Rekvisitionen {1} är beviljad med {2} (beslut {3})."),
                 msg_str(row.case_no), msg_money(amt), msg_str(number));
    return svc_end(&c, e);
}

enum err req_reject(struct store *s, const struct svc_actor *who, int64_t now, const char *case_no,
                    long long based_on, const char *reason, struct req_status *st,
                    struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct store_case_decision d;
    struct case_status cst;
    status_clear(st);
    enum err e = svc_begin(&c, s, who, ACT_REQ_REJECT, now, res);
    if (e == ERR_OK && !message_ok(reason)) {
        msg_issue_addf(&res->issues, "reason", M_("Skriv skälet till avslaget (högst {1} tecken)"),
                       msg_int(REQ_MESSAGE_MAX_CHARS));
        e = svc_fail(&c, ERR_INVALID, M_("Ett avslag behöver ett skäl."));
    }
    if (e == ERR_OK)
        e = review_begin(&c, case_no, based_on, &row, st);
    struct case_decision_in in = {0, reason, "", ""};
    if (e == ERR_OK)
        e = case_decide_in(&c, reqcase_kind(), row.case_no, based_on, &in, &d, &cst);
    if (e == ERR_OK)
        e = review_done(&c, &row, st);
    if (e == ERR_OK)
        e = notify_req(&c, NOTIFY_DECIDED, &row, d.number);
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("Rekvisitionen {1} är avslagen (beslut {2})."), msg_str(row.case_no),
                 msg_str(d.number));
    return svc_end(&c, e);
}

void req_bulk_preview_release(struct req_bulk_preview *p)
{
    free(p->lines);
    memset(p, 0, sizeof(*p));
}

/* The recipient's official name from the allocation (first block that has
 * it). */
static void alloc_name(const struct program_view *pv, const char *code, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t b = 0; b < pv->alloc.nblocks; b++) {
        const struct alloc_line *l = key_line(&pv->alloc.blocks[b], code);
        if (l) {
            str_copy(out, cap, l->r.official_name);
            return;
        }
    }
}

/* The one rule of what a bulk approval takes, asked by the preview and by
 * the approval alike: every submitted requisition of the program that is
 * complete, asks for its maximum, and that the actor neither prepared nor
 * submitted (four eyes); the rest is counted in out->left. rows[] (n) are
 * the submitted requisitions; pick[] (out->n) receives the index of each
 * one taken. out->digest names the selection: the program and each case
 * with its revision and amount, so a confirmation names what was shown. */
static enum err bulk_select(struct svc_call *c, const struct program_view *pv,
                            const struct req_row *rows, size_t n, size_t *pick,
                            struct req_bulk_preview *out)
{
    struct sha256 h;
    unsigned char d[32];
    char line[128];
    enum err e = ERR_OK;
    memset(out, 0, sizeof(*out));
    out->lines = calloc(n ? n : 1, sizeof(*out->lines));
    if (!out->lines)
        return ERR_NOMEM;
    sha256_init(&h);
    sha256_update(&h, pv->prog.id, strlen(pv->prog.id));
    sha256_update(&h, "\n", 1);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        struct req_form form;
        struct msg_issues is;
        int64_t max_ore = req_max_ore(&pv->alloc, rows[i].recipient);
        e = reqdata_form_get(c->s, rows[i].id, rows[i].version, &form, NULL, NULL);
        if (e != ERR_OK)
            break;
        int complete = req_validate(&form, &pv->prog, max_ore, 1, &is) == 0;
        int64_t amount = form.amount_ore;
        req_form_release(&form);
        /* a case the officer prepared or submitted is left for another */
        struct msg keep = c->res->msg;
        e = four_eyes(c, &rows[i]);
        c->res->msg = keep;
        if (!complete || amount != max_ore || e == ERR_DENIED) {
            e = e == ERR_DENIED ? ERR_OK : e;
            out->left++;
            continue;
        }
        if (e != ERR_OK)
            break;
        struct req_bulk_line *l = &out->lines[out->n];
        str_copy(l->case_no, sizeof(l->case_no), rows[i].case_no);
        str_copy(l->recipient, sizeof(l->recipient), rows[i].recipient);
        alloc_name(pv, rows[i].recipient, l->name, sizeof(l->name));
        l->amount_ore = amount;
        out->total_ore += amount;
        pick[out->n++] = i;
        int k = snprintf(line, sizeof(line), "%s %lld %lld\n", rows[i].case_no,
                         (long long)rows[i].revision, (long long)amount);
        sha256_update(&h, line, (size_t)k);
    }
    sha256_final(&h, d);
    sha256_hex(d, out->digest);
    msg_setf(&out->question, M_("Bevilja {1} rekvisitioner, totalt {2}?"), msg_int((int64_t)out->n),
             msg_money(out->total_ore));
    if (e != ERR_OK)
        req_bulk_preview_release(out);
    return e;
}

/* Preview (confirm NULL: nothing written) or approval of the selection
 * whose digest the officer confirms. */
static enum err bulk(struct store *s, const struct svc_actor *who, int64_t now, const char *program,
                     const char *confirm, struct req_bulk_preview *out, struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_row *rows = NULL;
    size_t n = 0, *pick = NULL;
    /* the selection confirmed, copied before out is cleared: a caller may
     * pass the digest of the very preview it hands in again */
    char confirmed[sizeof(out->digest)];
    if (confirm)
        str_copy(confirmed, sizeof(confirmed), confirm);
    confirm = confirm ? confirmed : NULL;
    memset(out, 0, sizeof(*out));
    memset(&pv, 0, sizeof(pv));
    enum err e = svc_begin(&c, s, who, ACT_REQ_BULK_APPROVE, now, res);
    if (e == ERR_OK)
        e = open_program(&c, program, &pv);
    if (e == ERR_OK && confirm)
        e = svc_write(&c); /* the selection is read under the write lock */
    struct req_filter f = {pv.prog.id, REQ_SUBMITTED, NULL, 0, 0};
    if (e == ERR_OK)
        e = reqdata_list(s, &f, &rows, &n);
    if (e == ERR_OK) {
        pick = calloc(n ? n : 1, sizeof(*pick));
        e = pick ? ERR_OK : ERR_NOMEM;
    }
    if (e == ERR_OK)
        e = bulk_select(&c, &pv, rows, n, pick, out);
    if (e == ERR_OK && confirm && strcmp(confirm, out->digest) != 0)
        e = svc_fail(&c, ERR_CONFLICT,
                     M_("Urvalet har ändrats sedan förhandsgranskningen. Inget har beviljats; "
                        "granska det nya urvalet och bekräfta igen."));
    for (size_t j = 0; e == ERR_OK && confirm && j < out->n; j++) {
        /* each approval is a savepoint inside the one transaction: a
         * failure undoes the whole bulk approval */
        char number[REQ_CASE_LEN];
        struct req_row *row = &rows[pick[j]];
        e = store_begin(s);
        if (e == ERR_OK) {
            e = approve_in_txn(&c, row, row->revision, out->lines[j].amount_ore, NULL, number,
                               NULL);
            if (e == ERR_OK)
                e = store_commit(s);
            else
                store_rollback(s);
        }
    }
    if (e == ERR_OK && confirm && !c.audited)
        svc_rollback(&c); /* nothing was approved: nothing changed */
    e = svc_end(&c, e);
    if (e == ERR_OK && confirm)
        msg_setf(&res->msg,
                 M_("{1} rekvisitioner beviljades med sitt högsta belopp; {2} återstår att "
                    "pröva."),
                 msg_int((int64_t)out->n), msg_int((int64_t)out->left));
    else if (e == ERR_OK)
        res->msg = out->question;
    if (e != ERR_OK && e != ERR_CONFLICT)
        req_bulk_preview_release(out); /* all of it was undone */
    free(pick);
    free(rows);
    program_view_release(&pv);
    return e;
}

enum err req_bulk_preview(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *program, struct req_bulk_preview *out, struct svc_result *res)
{
    return bulk(s, who, now, program, NULL, out, res);
}

enum err req_bulk_approve(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *program, const char *digest, struct req_bulk_preview *out,
                          struct svc_result *res)
{
    return bulk(s, who, now, program, digest ? digest : "", out, res);
}

/* Block b of the program as plan p computed it (core/redistplan: the one
 * rule, also behind the offline what-if) into ob; when write, the run is
 * kept: the run row, a supplementary decision per recipient with an extra
 * amount, and the block's audit record with the rounds. A block
 * redistributed by an earlier run is reported as it was and left alone. */
static enum err redistribute_block(struct svc_call *c, const struct program_view *pv, size_t b,
                                   const struct redistplan *p, const struct req_row *rows, size_t n,
                                   int write, struct req_redist_block *ob, size_t *decisions)
{
    const struct block_result *br = &pv->alloc.blocks[b];
    const struct redistplan_block *pb = &p->blocks[b];
    const struct redist_result *rr = &pb->res;
    struct store_redist_run run;
    str_copy(ob->block, sizeof(ob->block), br->b->id);
    str_copy(ob->title, sizeof(ob->title), br->b->title);
    enum err e = store_redist_run_get(c->s, pv->prog.id, br->b->id, &run);
    if (e == ERR_OK) {
        ob->done_before = 1;
        ob->unrequisitioned_ore = run.unrequisitioned_ore;
        ob->redistributed_ore = run.redistributed_ore;
        ob->remaining_ore = run.remaining_ore;
        return ERR_OK;
    }
    if (e != ERR_NOTFOUND)
        return e;
    ob->unrequisitioned_ore = rr->pot_kr * MONEY_ORE_PER_KR;
    ob->redistributed_ore = rr->redistributed_kr * MONEY_ORE_PER_KR;
    ob->remaining_ore = rr->remaining_kr * MONEY_ORE_PER_KR;
    ob->rounds = rr->nrounds;
    for (size_t k = 0; k < br->n; k++) {
        if (pb->lines[k].takes_part)
            ob->participants++;
        if (pb->lines[k].capped)
            ob->capped++;
        if (pb->lines[k].extra_kr > 0 && pb->requisitioned[k])
            ob->recipients++;
    }
    if (!write)
        return ERR_OK;
    memset(&run, 0, sizeof(run));
    str_copy(run.program, sizeof(run.program), pv->prog.id);
    str_copy(run.block, sizeof(run.block), br->b->id);
    run.unrequisitioned_ore = ob->unrequisitioned_ore;
    run.redistributed_ore = ob->redistributed_ore;
    run.remaining_ore = ob->remaining_ore;
    str_copy(run.run_at, sizeof(run.run_at), c->nowiso);
    str_copy(run.run_by, sizeof(run.run_by), c->who.login);
    e = store_redist_run_add(c->s, &run);
    struct buf after;
    buf_init(&after, (size_t)1 << 20);
    /* the explanation: the pot, every round, then each supplement */
    buf_printf(&after,
               "program=%s\nblock=%s\nunrequisitioned=%lld\nredistributed=%lld\n"
               "remaining=%lld\nweights=the block's key weights (a fixed part does not count)\n"
               "participants=approved for the full amount and opted in\n",
               pv->prog.id, br->b->id, (long long)run.unrequisitioned_ore,
               (long long)run.redistributed_ore, (long long)run.remaining_ore);
    for (size_t r = 0; r < rr->nrounds; r++)
        buf_printf(&after, "round %zu: pot=%lld participants=%zu capped=%zu capped_kr=%lld\n",
                   r + 1, (long long)rr->rounds[r].pot_kr, rr->rounds[r].nparticipants,
                   rr->rounds[r].ncapped, (long long)rr->rounds[r].capped_kr);
    /* in the key's order */
    for (size_t k = 0; k < br->n && e == ERR_OK; k++) {
        const struct redist_line *x = &pb->lines[k];
        size_t i = 0;
        while (i < n && key_line(br, rows[i].recipient) != &br->lines[k])
            i++;
        if (x->extra_kr <= 0 || i == n)
            continue;
        struct store_case_decision d;
        e = case_supplement_in(c, reqcase_kind(), rows[i].case_no, br->b->id,
                               x->extra_kr * MONEY_ORE_PER_KR, run.id, &d, NULL);
        if (e == ERR_OK)
            e = notify_req(c, NOTIFY_DECIDED, &rows[i], d.number);
        if (e == ERR_OK)
            buf_printf(&after, "%s %s %s %lld round=%zu%s\n", d.number, rows[i].case_no,
                       rows[i].recipient, (long long)d.amount_ore, x->round,
                       x->capped ? " capped" : "");
        (*decisions)++;
    }
    char object[160];
    snprintf(object, sizeof(object), "redistribution:%s/%s", pv->prog.id, br->b->id);
    if (e == ERR_OK)
        e = svc_audit(c, object, NULL, after.p);
    buf_release(&after);
    return e;
}

/* The redistribution run or its preview (write = 0: nothing is written;
 * preview, if given, receives every recipient's supplement). */
/* The digest of what a preview shows: the program, each block and whether
 * an earlier run did it, each recipient's supplement. A confirmation names
 * it, so nothing is redistributed but what the officer saw. */
static void redist_digest(const char *program, const struct req_redist_report *out,
                          const struct req_redist_preview *pre, char digest[65])
{
    struct sha256 h;
    unsigned char d[32];
    char line[128];
    sha256_init(&h);
    sha256_update(&h, program, strlen(program));
    sha256_update(&h, "\n", 1);
    for (size_t b = 0; b < out->nblocks; b++) {
        int k = snprintf(line, sizeof(line), "block %s %d\n", out->blocks[b].block,
                         out->blocks[b].done_before);
        sha256_update(&h, line, (size_t)k);
    }
    for (size_t i = 0; i < pre->n; i++) {
        int k = snprintf(line, sizeof(line), "%s %lld\n", pre->lines[i].code,
                         (long long)pre->lines[i].extra_ore);
        sha256_update(&h, line, (size_t)k);
    }
    sha256_final(&h, d);
    sha256_hex(d, digest);
}

static enum err redistribute(struct store *s, const struct svc_actor *who, int64_t now,
                             const char *program, const char *confirm,
                             struct req_redist_report *out, struct req_redist_preview *preview,
                             struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_redist_preview own;
    /* the run is previewed first, under the write lock, and written only
     * when the preview's digest is the one the officer confirmed */
    int write = confirm != NULL;
    char confirmed[65] = "";
    if (confirm)
        str_copy(confirmed, sizeof(confirmed), confirm);
    if (!preview)
        preview = &own;
    memset(preview, 0, sizeof(*preview));
    struct req_row *rows = NULL;
    struct redistplan_req *reqs = NULL;
    struct redistplan plan;
    size_t n = 0;
    memset(&plan, 0, sizeof(plan));
    memset(out, 0, sizeof(*out));
    memset(&pv, 0, sizeof(pv));
    enum err e = svc_begin(&c, s, who, ACT_REQ_REDISTRIBUTE, now, res);
    if (e == ERR_OK)
        e = open_program(&c, program, &pv);
    if (e != ERR_OK)
        goto out;
    if (pv.prog.redistribution != PROG_REDIST_YES) {
        e = svc_fail(&c, ERR_DENIED,
                     M_("Beslutet om statsbidraget medger ingen omfördelning. Det som inte "
                        "rekvireras betalas inte ut."));
        goto out;
    }
    if (!date_is_set(pv.prog.redistribution_date) ||
        date_cmp(c.today, pv.prog.redistribution_date) < 0) {
        e = svc_failf(&c, ERR_DENIED, M_("Omfördelning kan göras tidigast {1}."),
                      msg_date(pv.prog.redistribution_date));
        goto out;
    }
    if (pv.alloc.nblocks > sizeof(out->blocks) / sizeof(out->blocks[0])) {
        e = svc_fail(&c, ERR_LIMIT, M_("Statsbidraget har för många block."));
        goto out;
    }
    if (write)
        e = svc_write(&c);
    long long counts[REQ_STATE_COUNT];
    if (e == ERR_OK)
        e = reqdata_counts(s, pv.prog.id, NULL, counts);
    if (e == ERR_OK && counts[REQ_SUBMITTED] > 0)
        e = svc_failf(&c, ERR_DENIED,
                      M_("{1} rekvisitioner väntar på beslut. Pröva dem före omfördelningen."),
                      msg_int(counts[REQ_SUBMITTED]));
    struct req_filter f = {pv.prog.id, REQ_APPROVED, NULL, 0, 0};
    if (e == ERR_OK)
        e = reqdata_list(s, &f, &rows, &n);
    if (e == ERR_OK) {
        reqs = calloc(n ? n : 1, sizeof(*reqs));
        e = reqs ? ERR_OK : ERR_NOMEM;
    }
    /* each approved requisition as the rule takes it (core/redistplan):
     * the amount approved, the opt-in and the cap of the approved version */
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        struct req_form form;
        e = reqdata_form_get(s, rows[i].id, rows[i].version, &form, NULL, NULL);
        if (e != ERR_OK)
            break;
        str_copy(reqs[i].code, sizeof(reqs[i].code), rows[i].recipient);
        reqs[i].approved_kr =
            rows[i].approved_ore > 0 ? rows[i].approved_ore / MONEY_ORE_PER_KR : 0;
        reqs[i].opt_in = form.opt_in;
        reqs[i].cap_kr = form.extra_cap_ore == REQ_EXTRA_ANY ? REDIST_NO_CAP
                         : form.extra_cap_ore > 0            ? form.extra_cap_ore / MONEY_ORE_PER_KR
                                                             : 0;
        req_form_release(&form);
    }
    if (e == ERR_OK) {
        e = redistplan_run(&pv.alloc, reqs, n, &plan);
        if (e != ERR_OK)
            e = svc_fail(&c, e, M_("Omfördelningen kunde inte beräknas."));
    }
    out->nblocks = e == ERR_OK ? pv.alloc.nblocks : 0;
    if (e == ERR_OK) {
        size_t cap = 1;
        for (size_t b = 0; b < out->nblocks; b++)
            cap += pv.alloc.blocks[b].n;
        preview->lines = calloc(cap, sizeof(*preview->lines));
        e = preview->lines ? ERR_OK : ERR_NOMEM;
    }
    for (size_t b = 0; e == ERR_OK && b < out->nblocks; b++) {
        const struct block_result *br = &pv.alloc.blocks[b];
        const struct redist_line *lines = plan.blocks[b].lines;
        e = redistribute_block(&c, &pv, b, &plan, rows, n, 0, &out->blocks[b], &out->decisions);
        /* the preview: each recipient with a supplement, over the blocks
         * not redistributed before */
        for (size_t k = 0; e == ERR_OK && !out->blocks[b].done_before && k < br->n; k++) {
            if (lines[k].extra_kr <= 0)
                continue;
            size_t j = 0;
            while (j < preview->n && strcmp(preview->lines[j].code, br->lines[k].r.code))
                j++;
            if (j == preview->n) {
                str_copy(preview->lines[j].code, sizeof(preview->lines[j].code),
                         br->lines[k].r.code);
                str_copy(preview->lines[j].name, sizeof(preview->lines[j].name),
                         br->lines[k].r.official_name);
                preview->n++;
            }
            preview->lines[j].extra_ore += lines[k].extra_kr * MONEY_ORE_PER_KR;
            preview->total_ore += lines[k].extra_kr * MONEY_ORE_PER_KR;
        }
    }
    if (e == ERR_OK)
        redist_digest(pv.prog.id, out, preview, preview->digest);
    if (e == ERR_OK && write && strcmp(confirmed, preview->digest) != 0)
        e = svc_fail(&c, ERR_CONFLICT,
                     M_("Underlaget har ändrats sedan förhandsgranskningen. Inget har fördelats "
                        "om; granska den nya förhandsgranskningen och bekräfta igen."));
    if (e == ERR_OK && write) {
        /* the run, as previewed: every block again, now written */
        size_t nb = out->nblocks;
        memset(out, 0, sizeof(*out));
        out->nblocks = nb;
        for (size_t b = 0; e == ERR_OK && b < nb; b++)
            e = redistribute_block(&c, &pv, b, &plan, rows, n, 1, &out->blocks[b], &out->decisions);
    }
    if (e == ERR_OK && write && !c.audited)
        svc_rollback(&c); /* every block was done before: nothing changed */
out:
    e = svc_end(&c, e);
    if (e == ERR_OK && write)
        msg_setf(&res->msg, M_("Omfördelningen gav {1} tilläggsbeslut."),
                 msg_int((int64_t)out->decisions));
    if (preview == &own || (e != ERR_OK && e != ERR_CONFLICT))
        req_redist_preview_release(preview);
    redistplan_release(&plan);
    free(reqs);
    free(rows);
    program_view_release(&pv);
    return e;
}

void req_redist_preview_release(struct req_redist_preview *p)
{
    free(p->lines);
    memset(p, 0, sizeof(*p));
}

enum err req_redistribute_preview(struct store *s, const struct svc_actor *who, int64_t now,
                                  const char *program, struct req_redist_report *out,
                                  struct req_redist_preview *preview, struct svc_result *res)
{
    return redistribute(s, who, now, program, NULL, out, preview, res);
}

enum err req_redistribute(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *program, const char *digest, struct req_redist_report *out,
                          struct req_redist_preview *preview, struct svc_result *res)
{
    return redistribute(s, who, now, program, digest ? digest : "", out, preview, res);
}

/* ---- lists, versions, dashboard, files ---- */

enum err req_queue_list(struct store *s, const struct svc_actor *who, int64_t now,
                        const struct req_filter *f, struct req_queue *out, struct svc_result *res)
{
    struct svc_call c;
    memset(out, 0, sizeof(*out));
    struct req_filter g = *f;
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK && who->org[0]) {
        /* an organisation lists its own (Gotland: the kommun the region's
         * and back) */
        if (!g.recipient)
            g.recipient = c.who.org;
        e = svc_check_owner(&c, g.recipient);
        if (e == ERR_DENIED) {
            msg_clear(&res->msg);
            e = svc_fail(&c, e, M_("Du kan bara se din egen organisations rekvisitioner."));
        }
    }
    if (e == ERR_OK)
        e = reqdata_list(s, &g, &out->rows, &out->n);
    if (e == ERR_OK)
        e = reqdata_counts(s, g.program, g.recipient, out->counts);
    if (e != ERR_OK)
        req_queue_release(out);
    return svc_end(&c, e);
}

void req_queue_release(struct req_queue *q)
{
    free(q->rows);
    memset(q, 0, sizeof(*q));
}

/* The requisition by case number, readable by the call's actor (another
 * organisation's reads as absent). */
static enum err case_readable(struct svc_call *c, const char *case_no, struct req_row *row)
{
    enum err e = reqdata_get_case(c->s, case_no ? case_no : "", row);
    if (e == ERR_NOTFOUND)
        return not_found(c);
    if (e != ERR_OK)
        return e;
    e = svc_check_owner(c, row->recipient);
    if (e == ERR_DENIED) {
        msg_clear(&c->res->msg);
        return not_found(c);
    }
    return e;
}

static enum err no_version(struct svc_call *c)
{
    return svc_fail(c, ERR_NOTFOUND, M_("Versionen finns inte."));
}

/* Version 0, the draft, is the organisation's working copy: ERR_NOTFOUND
 * (as if absent) for anyone else, the agency included. */
static enum err draft_readable(struct svc_call *c, const struct req_row *row, int version)
{
    if (version > 0)
        return ERR_OK;
    return own(c, row->recipient) && version == 0 ? ERR_OK : no_version(c);
}

enum err req_version_diff(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *case_no, int v1, int v2, char (*fields)[32], size_t max,
                          size_t *n, struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct req_form x, y;
    *n = 0;
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    if (e == ERR_OK)
        e = draft_readable(&c, &row, v1);
    if (e == ERR_OK)
        e = draft_readable(&c, &row, v2);
    if (e == ERR_OK)
        e = reqdata_form_get(s, row.id, v1, &x, NULL, NULL);
    if (e == ERR_NOTFOUND && msg_empty(&res->msg))
        e = no_version(&c);
    if (e != ERR_OK)
        return svc_end(&c, e);
    e = reqdata_form_get(s, row.id, v2, &y, NULL, NULL);
    if (e == ERR_OK) {
        *n = req_form_diff(&x, &y, fields, max);
        req_form_release(&y);
    } else if (e == ERR_NOTFOUND) {
        e = no_version(&c);
    }
    req_form_release(&x);
    return svc_end(&c, e);
}

void req_dashboard_release(struct req_dashboard *d)
{
    free(d->lines);
    free(d->blocks);
    memset(d, 0, sizeof(*d));
}

enum err req_dashboard_get(struct store *s, const struct svc_actor *who, int64_t now,
                           const char *program, struct req_dashboard *out, struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_row *rows = NULL;
    struct req_decision_row *dec = NULL;
    size_t n = 0, nd = 0;
    memset(out, 0, sizeof(*out));
    memset(&pv, 0, sizeof(pv));
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = open_program(&c, program, &pv);
    if (e != ERR_OK)
        goto out;
    int agency = !c.who.org[0];
    struct req_filter f = {pv.prog.id, -1, NULL, 0, 0};
    e = reqdata_list(s, &f, &rows, &n);
    if (e == ERR_OK)
        e = reqdata_decisions(s, pv.prog.id, 0, &dec, &nd);
    if (e != ERR_OK)
        goto out;
    size_t nrec = pv.rec.nk + pv.rec.nr;
    out->lines = calloc(nrec ? nrec : 1, sizeof(*out->lines));
    out->blocks = calloc(pv.alloc.nblocks ? pv.alloc.nblocks : 1, sizeof(*out->blocks));
    if (!out->lines || !out->blocks) {
        e = ERR_NOMEM;
        goto out;
    }
    out->nblocks = pv.alloc.nblocks;
    for (size_t b = 0; b < pv.alloc.nblocks; b++) {
        struct req_dash_block *db = &out->blocks[b];
        const struct block_result *br = &pv.alloc.blocks[b];
        str_copy(db->id, sizeof(db->id), br->b->id);
        str_copy(db->title, sizeof(db->title), br->b->title);
        db->allocated_ore = br->allocated_kr * MONEY_ORE_PER_KR;
        struct store_redist_run run;
        if (store_redist_run_get(s, pv.prog.id, br->b->id, &run) == ERR_OK) {
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
        if (!agency && !own(&c, rc->code))
            continue;
        struct req_dash_line *l = &out->lines[out->nlines++];
        str_copy(l->code, sizeof(l->code), rc->code);
        str_copy(l->name, sizeof(l->name), rc->name);
        str_copy(l->lan, sizeof(l->lan), rc->lan_code);
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
    for (size_t b = 0; b < out->nblocks; b++) {
        struct req_dash_block *db = &out->blocks[b];
        db->left_ore =
            req_left_ore(db->allocated_ore, db->approved_ore, db->redistributed, db->remaining_ore);
    }
out:
    if (e != ERR_OK)
        req_dashboard_release(out);
    free(rows);
    free(dec);
    program_view_release(&pv);
    return svc_end(&c, e);
}

enum err req_plan_fetch(struct store *s, const struct svc_actor *who, int64_t now,
                        const char *case_no, int version, char *content_type, size_t n,
                        struct buf *out, struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct req_form f;
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    if (e == ERR_OK)
        e = draft_readable(&c, &row, version);
    if (e != ERR_OK)
        return svc_end(&c, e);
    e = reqdata_form_get(s, row.id, version, &f, NULL, NULL);
    if (e == ERR_NOTFOUND)
        return svc_end(&c, no_version(&c));
    if (e != ERR_OK)
        return svc_end(&c, e);
    if (!f.plan.sha256[0])
        e = svc_fail(&c, ERR_NOTFOUND, M_("Ingen produktionsplan är bifogad."));
    else
        e = store_case_blob_get(s, f.plan.sha256, content_type, n, out);
    req_form_release(&f);
    return svc_end(&c, e);
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

enum err req_receipt_pdf(struct store *s, const struct svc_actor *who, int64_t now,
                         const char *case_no, int version, struct buf *out, struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct req_form f;
    struct program_view pv;
    char at[32], by[128], byname[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)], when[24], account[80];
    char contact[sizeof(f.contact_name) + sizeof(f.contact_email) + sizeof(f.contact_phone) + 8];
    memset(&pv, 0, sizeof(pv));
    req_form_init(&f);
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    if (e == ERR_OK && version <= 0)
        e = no_version(&c);
    if (e == ERR_OK) {
        e = reqdata_form_get(s, row.id, version, &f, at, by);
        if (e == ERR_NOTFOUND)
            e = no_version(&c);
    }
    if (e == ERR_OK)
        e = open_program(&c, row.program, &pv);
    if (e != ERR_OK)
        goto out;
    int64_t t = 0;
    if (clock_parse(at, &t) != ERR_OK)
        t = 0;
    civil_fmt(when, sizeof(when), t);
    person_name(s, by, byname, sizeof(byname));
    snprintf(contact, sizeof(contact), "%s, %s, %s", f.contact_name, f.contact_email,
             f.contact_phone);
    struct payacct pa;
    if (payacct_parse(payacct_kind_parse(f.account_kind), f.account, &pa, NULL) == ERR_OK)
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
                               rc ? rc->official_name : row.recipient,
                               byname,
                               f.amount_ore,
                               ms,
                               f.nmeasures,
                               contact,
                               account,
                               f.opt_in,
                               f.plan.name,
                               programs_standin_note(&pv)};
    e = pdfdoc_receipt(&x, out);
    if (e != ERR_OK)
        e = svc_fail(&c, e, M_("Kvittensen kunde inte skapas."));
out:
    req_form_release(&f);
    program_view_release(&pv);
    return svc_end(&c, e);
}

enum err req_decisions_list(struct store *s, const struct svc_actor *who, int64_t now,
                            const char *case_no, struct req_decision_row **out, size_t *n,
                            struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    if (e == ERR_OK)
        e = reqdata_decisions(s, NULL, row.id, out, n);
    return svc_end(&c, e);
}

enum err req_decisions_of_program(struct store *s, const struct svc_actor *who, int64_t now,
                                  const char *program, struct req_decision_row **out, size_t *n,
                                  struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_REQ_REVIEW_READ, now, res);
    if (e == ERR_OK)
        e = reqdata_decisions(s, program ? program : "", 0, out, n);
    return svc_end(&c, e);
}

long long req_revision_of(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *case_no)
{
    struct svc_call c;
    struct svc_result res;
    struct req_row row;
    enum err e = svc_begin(&c, s, who, read_action(who), now, &res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    e = svc_end(&c, e);
    return e == ERR_OK ? row.revision : -1;
}

enum err req_decision_pdf(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *number, struct buf *out, struct svc_result *res)
{
    struct svc_call c;
    struct program_view pv;
    struct req_row row;
    struct req_decision_row one;
    char byname[STR_UTF8_SIZE(STORE_NAME_MAX_CHARS)];
    memset(&pv, 0, sizeof(pv));
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK) {
        e = reqdata_decision_get(s, number ? number : "", &one);
        if (e == ERR_NOTFOUND)
            e = svc_fail(&c, e, M_("Beslutet finns inte."));
    }
    const struct req_decision_row *d = &one;
    if (e == ERR_OK)
        e = case_readable(&c, d->case_no, &row);
    if (e == ERR_OK)
        e = open_program(&c, row.program, &pv);
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
    x.recipient_name = rc ? rc->official_name : row.recipient;
    x.amount_ore = d->amount_ore;
    x.requested_ore = row.requested_ore;
    /* the reasons of a rejection, or of granting less than requested */
    if (x.kind == PDFDOC_REJECTION ||
        (x.kind == PDFDOC_ORIGINAL && row.requested_ore >= 0 && d->amount_ore < row.requested_ore))
        x.reason = d->reasons; /* the decision keeps its reasons */
    for (size_t b = 0; b < pv.prog.nblocks; b++)
        if (d->block[0] && strcmp(pv.prog.blocks[b].id, d->block) == 0)
            x.block_title = pv.prog.blocks[b].title;
    if (date_parse(d->decided_on, &x.decided_on) != ERR_OK)
        x.decided_on = c.today;
    x.reporting_deadline = pv.prog.reporting_deadline;
    x.repayment_deadline = pv.prog.repayment_deadline;
    x.appeal_none = pv.prog.appeal == PROG_APPEAL_NONE;
    x.appeal_basis = pv.prog.appeal_basis;
    x.decided_by = byname;
    x.standin_note = programs_standin_note(&pv);
    e = pdfdoc_decision(&x, out);
    if (e != ERR_OK)
        e = svc_fail(&c, e, M_("Beslutet kunde inte skapas."));
out:
    program_view_release(&pv);
    return svc_end(&c, e);
}

enum err req_receipt_get(struct store *s, const struct svc_actor *who, int64_t now,
                         const char *case_no, int version, struct req_receipt *rc,
                         struct svc_result *res)
{
    struct svc_call c;
    struct req_row row;
    struct req_form f;
    struct program_view pv;
    char at[32], by[128];
    memset(rc, 0, sizeof(*rc));
    memset(&pv, 0, sizeof(pv));
    enum err e = svc_begin(&c, s, who, read_action(who), now, res);
    if (e == ERR_OK)
        e = case_readable(&c, case_no, &row);
    if (e == ERR_OK && version <= 0)
        e = no_version(&c);
    if (e != ERR_OK)
        return svc_end(&c, e);
    e = reqdata_form_get(s, row.id, version, &f, at, by);
    if (e == ERR_NOTFOUND)
        return svc_end(&c, no_version(&c));
    if (e != ERR_OK)
        return svc_end(&c, e);
    e = open_program(&c, row.program, &pv);
    if (e == ERR_OK)
        receipt_fill(rc, &pv, &row, &f, version, at, by);
    req_form_release(&f);
    program_view_release(&pv);
    return svc_end(&c, e);
}

void req_overview_release(struct req_overview *o)
{
    free(o->items);
    memset(o, 0, sizeof(*o));
}

enum err req_overview_get(struct store *s, const struct svc_actor *who, int64_t now,
                          struct req_overview *out, struct svc_result *res)
{
    struct svc_call c;
    struct store_program *progs = NULL;
    size_t np = 0, cap = 0;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_REQ_READ, now, res);
    if (e == ERR_OK)
        e = store_program_list(s, &progs, &np);
    for (size_t i = 0; i < np && e == ERR_OK; i++) {
        struct program_view pv;
        if (programs_get(s, progs[i].id, &pv, NULL) != ERR_OK || !pv.allocated) {
            program_view_release(&pv); /* a program that cannot be opened is left out */
            continue;
        }
        /* the organisation's codes: the one acted for, and its other role */
        for (size_t k = 0; k < pv.rec.nk + pv.rec.nr && e == ERR_OK; k++) {
            const struct recipient *rc =
                k < pv.rec.nk ? &pv.rec.kommuner[k] : &pv.rec.regioner[k - pv.rec.nk];
            if (!own(&c, rc->code))
                continue;
            int64_t max_ore = req_max_ore(&pv.alloc, rc->code);
            if (max_ore <= 0)
                continue;
            if (out->n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                struct req_overview_item *ni = realloc(out->items, nc * sizeof(*ni));
                if (!ni) {
                    e = ERR_NOMEM;
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
            it->window_open = req_window_check(&pv.prog, c.today, NULL) == ERR_OK;
            struct req_row row;
            enum err ge = reqdata_get(s, pv.prog.id, rc->code, &row);
            if (ge == ERR_OK) {
                it->has_req = 1;
                str_copy(it->case_no, sizeof(it->case_no), row.case_no);
                it->state = row.state;
                it->revision = row.revision;
            } else if (ge != ERR_NOTFOUND) {
                e = ge;
            }
        }
        program_view_release(&pv);
    }
    for (size_t i = 0; i < np; i++)
        store_program_release(&progs[i]);
    free(progs);
    if (e != ERR_OK)
        req_overview_release(out);
    return svc_end(&c, e);
}
