/* case.c - the case engine's service (case.h): open, save, submit,
 * withdraw, return, decide, note, assign, attach; reading, history and
 * the version diff. Each change is one action of the kind (svc.h): the
 * roles from the store, one transaction, one audit record. */
#include "service/case.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "store/store_auth.h"
#include "util/sha256.h"
#include "util/str.h"

#define NAME_MAX_CHARS 200

static const char *const state_labels[CASE_STATE_COUNT] = {N_("utkast"), N_("inskickat"),
                                                           N_("returnerat för komplettering"),
                                                           N_("beslutat"), N_("återkallat")};

const char *case_state_label_sv(enum case_state s)
{
    if ((int)s < 0 || (int)s >= CASE_STATE_COUNT)
        return "";
    return state_labels[s];
}

static void status_set(struct case_status *st, const struct store_case *row)
{
    if (!st)
        return;
    str_copy(st->number, sizeof(st->number), row->number);
    st->revision = row->revision;
    st->version = row->version;
    st->state = row->state;
    st->outcome = row->outcome;
}

static void status_clear(struct case_status *st)
{
    if (st)
        memset(st, 0, sizeof(*st));
}

/* The number, copied before the status (which may hold it) is cleared. */
static const char *number_copy(char nb[CASE_NUMBER_LEN], const char *number)
{
    str_copy(nb, CASE_NUMBER_LEN, number ? number : "");
    return nb;
}

/* The audit object of a case: "KIND:NUMBER". */
static void object_of(const struct store_case *row, char *out, size_t n)
{
    snprintf(out, n, "%s:%s", row->kind, row->number);
}

/* The case's row as text for an audit record's before and after. */
static void row_canon(const struct store_case *row, struct buf *b)
{
    buf_init(b, 16384);
    buf_printf(b,
               "case=%s\nkind=%s\nstate=%s\noutcome=%s\nversion=%d\nrevision=%lld\nassigned=%s\n"
               "message=%s\n",
               row->number, row->kind, case_state_id(row->state), case_outcome_id(row->outcome),
               row->version, row->revision, row->assigned_to, row->message);
}

/* Text for people: by the rules of util/str.h, not blank, at most max
 * characters. */
static int text_ok(const char *t, size_t max)
{
    if (!t || !str_text_fits(t, STR_TEXT_LINES, max))
        return 0;
    const char *p = t;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return *p != '\0';
}

static enum err not_found(struct svc_call *c)
{
    return svc_fail(c, ERR_NOTFOUND, M_("Ärendet finns inte."));
}

/* The action of a kind, or a refusal when the kind offers none. */
static enum err kind_action(const struct case_kind *k, enum action_id a, struct svc_result *res,
                            enum action_id *out)
{
    *out = a;
    if (k && a < ACT_COUNT)
        return ERR_OK;
    svc_result_init(res);
    msg_set(&res->msg, M_("Ärendeslaget medger inte den åtgärden."));
    res->e = ERR_INVALID;
    return ERR_INVALID;
}

/* The case of kind k with this number (another kind's is not found). */
static enum err load(struct svc_call *c, const struct case_kind *k, const char *number,
                     struct store_case *row)
{
    enum err e = store_case_get(c->s, number ? number : "", row);
    if (e == ERR_OK && strcmp(row->kind, k->id) != 0)
        e = ERR_NOTFOUND;
    return e == ERR_NOTFOUND ? not_found(c) : e;
}

/* Is the actor the party of a case? For an organisation's case, acting
 * for it (the action's scope said the roles); for a person's, being it. */
static enum err party_check(struct svc_call *c, const struct case_kind *k, const char *party)
{
    if (k->party == CASE_PARTY_ORG)
        return svc_check_owner(c, party);
    if (strcmp(c->who.login, party) == 0)
        return ERR_OK;
    return svc_fail(c, ERR_DENIED, M_("Ärendet är någon annans."));
}

/* ---- four eyes: who prepared or submitted a case ---- */

#define PREPARERS_MAX 4096

struct preparers {
    const char **v;
    size_t n, cap;
};

static enum err preparers_add(struct preparers *p, const char *login)
{
    if (!login || !login[0])
        return ERR_OK;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i], login) == 0)
            return ERR_OK;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        if (nc > PREPARERS_MAX)
            return ERR_LIMIT;
        const char **nv = realloc(p->v, nc * sizeof(*nv));
        if (!nv)
            return ERR_NOMEM;
        p->v = nv;
        p->cap = nc;
    }
    p->v[p->n++] = login;
    return ERR_OK;
}

/* ERR_DENIED (said) when the actor created the case, saved its draft,
 * attached to it or submitted any of its versions. */
static enum err four_eyes(struct svc_call *c, const struct case_kind *k,
                          const struct store_case *row)
{
    struct preparers p = {NULL, 0, 0};
    struct store_case_version *v = NULL, draft;
    struct store_case_event *ev = NULL;
    size_t nv = 0, nev = 0;
    int have_draft = 0;
    enum err e = preparers_add(&p, row->created_by);
    if (e == ERR_OK)
        e = store_case_versions(c->s, row->id, &v, &nv);
    for (size_t i = 0; e == ERR_OK && i < nv; i++)
        e = preparers_add(&p, v[i].saved_by);
    if (e == ERR_OK) {
        e = store_case_version_get(c->s, row->id, 0, &draft);
        have_draft = e == ERR_OK;
        if (e == ERR_OK)
            e = preparers_add(&p, draft.saved_by);
        else if (e == ERR_NOTFOUND)
            e = ERR_OK;
    }
    if (e == ERR_OK)
        e = store_case_events(c->s, row->id, &ev, &nev);
    for (size_t i = 0; e == ERR_OK && i < nev; i++) {
        if (!strcmp(ev[i].verb, case_verb_id(CASE_SAVE)) ||
            !strcmp(ev[i].verb, case_verb_id(CASE_SUBMIT)) ||
            !strcmp(ev[i].verb, case_verb_id(CASE_ATTACH)))
            e = preparers_add(&p, ev[i].by);
    }
    if (e == ERR_OK)
        e = svc_check_four_eyes(c, p.v, p.n,
                                M_("Du har själv förberett eller skickat in ärendet {1} och kan "
                                   "därför inte besluta i det."),
                                row->number);
    (void)k;
    free(p.v);
    free(v);
    free(ev);
    if (have_draft)
        store_case_version_release(&draft);
    return e;
}

/* ---- the steps every change takes ---- */

static enum err event_add(struct svc_call *c, const struct store_case *row, enum case_verb verb,
                          int version, const char *message)
{
    struct store_case_event ev;
    memset(&ev, 0, sizeof(ev));
    str_copy(ev.verb, sizeof(ev.verb), case_verb_id(verb));
    ev.version = version;
    str_copy(ev.message, sizeof(ev.message), message ? message : "");
    str_copy(ev.at, sizeof(ev.at), c->nowiso);
    str_copy(ev.by, sizeof(ev.by), c->who.login);
    return store_case_event_add(c->s, row->id, &ev);
}

/* Read the case, check who acts (the party's own, or four eyes for an
 * agency decision), open the transaction, read it again inside, and
 * check the revision and that the state allows verb; *to gets the state
 * after it. */
static enum err step_begin(struct svc_call *c, const struct case_kind *k, const char *number,
                           enum case_verb verb, long long based_on, int party_side,
                           struct store_case *row, enum case_state *to, struct case_status *st)
{
    enum err e = load(c, k, number, row);
    if (e == ERR_OK && party_side)
        e = party_check(c, k, row->party);
    if (e == ERR_OK && !party_side && (c->act->flags & ACT_FOUR_EYES))
        e = four_eyes(c, k, row);
    if (e == ERR_OK && !c->in_txn)
        e = svc_write(c);
    if (e == ERR_OK)
        e = load(c, k, number, row); /* again, inside the transaction */
    if (e != ERR_OK)
        return e;
    status_set(st, row);
    if (based_on >= 0 && row->revision != based_on)
        return svc_failf(c, ERR_CONFLICT,
                         M_("Ärendet {1} har ändrats av någon annan sedan du öppnade det. Öppna "
                            "det igen och gör om ändringen."),
                         msg_str(row->number));
    if (case_transition(row->state, verb, to) != ERR_OK)
        return svc_failf(c, ERR_CONFLICT, M_("Ärendet {1} är {2} och kan inte ändras så nu."),
                         msg_str(row->number), msg_text(case_state_label_sv(row->state)));
    return ERR_OK;
}

/* Write the row (its revision moves on) and the audit record. */
static enum err step_end(struct svc_call *c, struct store_case *row, const struct store_case *old,
                         const char *before, const char *after, struct case_status *st)
{
    char object[CASE_KIND_LEN + CASE_NUMBER_LEN + 2];
    struct buf b, a;
    enum err e = store_case_update(c->s, row, old->revision, c->nowiso, c->who.login);
    if (e == ERR_CONFLICT)
        e = svc_failf(c, e,
                      M_("Ärendet {1} har ändrats av någon annan sedan du öppnade det. Öppna "
                         "det igen och gör om ändringen."),
                      msg_str(row->number));
    row_canon(old, &b);
    row_canon(row, &a);
    object_of(row, object, sizeof(object));
    if (e == ERR_OK)
        e = svc_audit(c, object, before ? before : b.p, after ? after : a.p);
    buf_release(&b);
    buf_release(&a);
    if (e == ERR_OK)
        status_set(st, row);
    return e;
}

/* A change of the case's row alone, with its event: the state after
 * verb, and message (the return's) and assigned (the officer) where not
 * NULL. */
struct row_change {
    enum case_verb verb;
    int party_side;
    const char *event; /* the event's message */
    const char *message;
    const char *assigned;
};

static enum err row_step(struct svc_call *c, const struct case_kind *k, const char *number,
                         long long based_on, const struct row_change *ch, struct store_case *row,
                         struct case_status *st)
{
    struct store_case old;
    enum case_state to;
    enum err e = step_begin(c, k, number, ch->verb, based_on, ch->party_side, row, &to, st);
    if (e != ERR_OK)
        return e;
    old = *row;
    e = event_add(c, row, ch->verb, row->version, ch->event);
    if (e != ERR_OK)
        return e;
    row->state = to;
    if (ch->message)
        str_copy(row->message, sizeof(row->message), ch->message);
    if (ch->assigned)
        str_copy(row->assigned_to, sizeof(row->assigned_to), ch->assigned);
    return step_end(c, row, &old, NULL, NULL, st);
}

/* ---- files ---- */

/* What can be said of a file before the case is read: its slot, name,
 * type (by its bytes where the slot sniffs) and size; *sl and digest get
 * the slot and the bytes' digest. */
static enum err file_check(struct svc_call *c, const struct case_kind *k,
                           const struct case_file_in *f, const struct case_slot **sl,
                           char digest[65])
{
    struct svc_result *res = c->res;
    *sl = case_slot_find(k, f->slot);
    if (!*sl)
        return svc_failf(c, ERR_INVALID, M_("Ärendet har ingen plats för filen '{1}'."),
                         msg_str(f->slot ? f->slot : ""));
    if (!text_ok(f->name, NAME_MAX_CHARS) || strchr(f->name, '\n')) {
        msg_issue_addf(&res->issues, (*sl)->name, M_("Filens namn: en rad, högst {1} tecken"),
                       msg_int(NAME_MAX_CHARS));
        return svc_fail(c, ERR_INVALID, M_("Filens namn kan inte sparas."));
    }
    if (!case_slot_allows(*sl, f->content_type) || !f->data || f->len == 0 ||
        ((*sl)->sniff && !(*sl)->sniff(f->data, f->len, f->content_type))) {
        msg_issue_add(&res->issues, (*sl)->name,
                      M_("Filen är tom eller av en typ som inte tas emot"));
        return svc_fail(c, ERR_INVALID, M_("Filen kan inte tas emot."));
    }
    if ((int64_t)f->len > (*sl)->max_bytes) {
        msg_issue_addf(&res->issues, (*sl)->name, M_("Filen är större än {1} byte"),
                       msg_int((*sl)->max_bytes));
        return svc_fail(c, ERR_LIMIT, M_("Filen är för stor."));
    }
    sha256_hex_of(f->data, f->len, digest);
    return ERR_OK;
}

/* Keep a checked file in its slot of the case's version (inside the
 * transaction), within the party's quota. */
static enum err file_store(struct svc_call *c, const struct case_kind *k,
                           const struct store_case *row, int version, const struct case_slot *sl,
                           const struct case_file_in *in, const char *digest)
{
    struct store_case_file f;
    enum err e = store_case_blob_put(c->s, digest, in->content_type, in->data, in->len);
    if (e == ERR_OK) {
        memset(&f, 0, sizeof(f));
        f.version = version;
        str_copy(f.slot, sizeof(f.slot), sl->name);
        str_copy(f.name, sizeof(f.name), in->name);
        str_copy(f.sha256, sizeof(f.sha256), digest);
        str_copy(f.content_type, sizeof(f.content_type), in->content_type);
        f.size = (int64_t)in->len;
        str_copy(f.added_at, sizeof(f.added_at), c->nowiso);
        str_copy(f.added_by, sizeof(f.added_by), c->who.login);
        e = store_case_file_put(c->s, row->id, &f);
    }
    int64_t used = 0;
    if (e == ERR_OK && k->party_quota > 0)
        e = store_case_usage(c->s, row->party, &used);
    if (e == ERR_OK && k->party_quota > 0 && used > k->party_quota) {
        msg_issue_addf(&c->res->issues, sl->name,
                       M_("Filerna får tillsammans vara högst {1} byte: ta bort någon först"),
                       msg_int(k->party_quota));
        e = svc_fail(c, ERR_LIMIT, M_("Utrymmet för filer är fullt."));
    }
    return e;
}

/* ---- the party's actions ---- */

enum err case_open_in(struct svc_call *c, const struct case_kind *k, const char *program,
                      const char *party, struct case_status *st, int *created)
{
    struct store_case row;
    char subject[STORE_CASE_SUBJECT_LEN] = "";
    enum err e = ERR_OK;
    *created = 0;
    status_clear(st);
    if (!party || !party[0])
        e = svc_fail(c, ERR_INVALID, M_("Ange vems ärendet är."));
    if (e == ERR_OK)
        e = party_check(c, k, party);
    if (e == ERR_OK && k->unique == CASE_UNIQUE_PROGRAM_PARTY) {
        int w = snprintf(subject, sizeof(subject), "%s/%s", program ? program : "", party);
        if (w < 0 || (size_t)w >= sizeof(subject))
            e = svc_fail(c, ERR_INVALID, M_("Ärendet kan inte skapas."));
    }
    if (e == ERR_OK && !c->in_txn)
        e = svc_write(c);
    if (e == ERR_OK && subject[0]) {
        e = store_case_get_subject(c->s, k->id, subject, &row);
        if (e == ERR_OK) {
            status_set(st, &row);
            return ERR_OK;
        }
        if (e == ERR_NOTFOUND)
            e = ERR_OK;
    }
    long long n = 0;
    if (e == ERR_OK)
        e = store_counter_next(c->s, k->prefix, c->today.y, &n);
    if (e == ERR_OK) {
        memset(&row, 0, sizeof(row));
        str_copy(row.kind, sizeof(row.kind), k->id);
        str_copy(row.program, sizeof(row.program), program ? program : "");
        str_copy(row.party, sizeof(row.party), party);
        str_copy(row.subject, sizeof(row.subject), subject);
        e = case_number_fmt(row.number, sizeof(row.number), k->prefix, c->today.y, n);
    }
    if (e == ERR_OK)
        e = store_case_create(c->s, &row, c->nowiso, c->who.login);
    if (e == ERR_OK) {
        status_set(st, &row);
        *created = 1;
    }
    return e;
}

enum err case_open(struct store *s, const struct svc_actor *who, int64_t now,
                   const struct case_kind *k, const char *program, const char *party,
                   struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    struct store_case row;
    int created = 0;
    status_clear(st);
    enum action_id act;
    if (kind_action(k, k ? k->act.save : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_open_in(&c, k, program, party, st, &created);
    if (e == ERR_OK && !created) {
        svc_rollback(&c); /* there is one: nothing to write */
        return svc_end(&c, ERR_OK);
    }
    if (e == ERR_OK)
        e = store_case_get(s, st->number, &row);
    if (e == ERR_OK) {
        char object[CASE_KIND_LEN + CASE_NUMBER_LEN + 2];
        struct buf a;
        row_canon(&row, &a);
        object_of(&row, object, sizeof(object));
        e = svc_audit(&c, object, NULL, a.p);
        buf_release(&a);
    }
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("Ärendet {1} är skapat."), msg_str(row.number));
    return svc_end(&c, e);
}

/* The canonical text of content by the kind's codec, with its digest. */
static enum err canon_of(struct svc_call *c, const struct case_kind *k, const json_t *content,
                         char **text, char digest[65])
{
    enum err e = case_canon(k, content, text);
    if (e == ERR_LIMIT || e == ERR_INVALID)
        return svc_fail(c, ERR_LIMIT, M_("Ärendets innehåll är för stort."));
    if (e == ERR_OK)
        sha256_hex_of(*text, strlen(*text), digest);
    return e;
}

static enum err version_put(struct svc_call *c, const struct case_kind *k,
                            const struct store_case *row, int version, const json_t *content,
                            const char *text, const char *digest)
{
    struct store_case_version v;
    memset(&v, 0, sizeof(v));
    v.version = version;
    v.content = (char *)text;
    str_copy(v.digest, sizeof(v.digest), digest);
    v.amount_ore = k->codec.amount ? k->codec.amount(content) : -1;
    str_copy(v.saved_at, sizeof(v.saved_at), c->nowiso);
    str_copy(v.saved_by, sizeof(v.saved_by), c->who.login);
    return store_case_version_put(c->s, row->id, &v);
}

enum err case_save_in(struct svc_call *c, const struct case_kind *k, const char *number,
                      long long based_on, const json_t *content, const void *ctx,
                      const struct case_file_in *file, struct case_status *st)
{
    struct store_case row, old;
    enum case_state to;
    const struct case_slot *sl = NULL;
    char *text = NULL, digest[65], fdigest[65];
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    enum err e = ERR_OK;
    if (!json_is_object(content))
        e = svc_fail(c, ERR_INVALID, M_("Ärendets innehåll saknas."));
    if (e == ERR_OK && k->codec.validate(content, ctx, 0, &c->res->issues) > 0)
        e = svc_fail(c, ERR_INVALID, M_("Utkastet kan inte sparas: rätta de markerade fälten."));
    if (e == ERR_OK && file)
        e = file_check(c, k, file, &sl, fdigest);
    if (e == ERR_OK)
        e = canon_of(c, k, content, &text, digest);
    if (e == ERR_OK)
        e = step_begin(c, k, number, CASE_SAVE, based_on, 1, &row, &to, st);
    if (e == ERR_OK) {
        old = row;
        e = version_put(c, k, &row, 0, content, text, digest);
    }
    if (e == ERR_OK && file)
        e = file_store(c, k, &row, 0, sl, file, fdigest);
    if (e == ERR_OK)
        e = event_add(c, &row, CASE_SAVE, 0, NULL);
    if (e == ERR_OK) {
        row.state = to;
        e = step_end(c, &row, &old, NULL, NULL, st);
    }
    if (e == ERR_OK)
        msg_setf(&c->res->msg, M_("Utkastet till {1} är sparat."), msg_str(row.number));
    free(text);
    return e;
}

enum err case_save(struct store *s, const struct svc_actor *who, int64_t now,
                   const struct case_kind *k, const char *number, long long based_on,
                   const json_t *content, const void *ctx, struct case_status *st,
                   struct svc_result *res)
{
    struct svc_call c;
    enum action_id act;
    if (kind_action(k, k ? k->act.save : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_save_in(&c, k, number, based_on, content, ctx, NULL, st);
    struct msg done = res->msg;
    e = svc_end(&c, e);
    if (e == ERR_OK) {
        /* what would stop a submission, as hints */
        msg_issues_clear(&res->issues);
        (void)k->codec.validate(content, ctx, 1, &res->issues);
        res->msg = done;
    }
    return e;
}

/* The receipt of version `version` as stored. */
static enum err receipt_of(struct store *s, const struct store_case *row, int version,
                           struct case_receipt *rc)
{
    struct store_case_version v;
    enum err e = store_case_version_get(s, row->id, version, &v);
    if (e != ERR_OK)
        return e;
    memset(rc, 0, sizeof(*rc));
    str_copy(rc->number, sizeof(rc->number), row->number);
    rc->version = version;
    str_copy(rc->at, sizeof(rc->at), v.saved_at);
    str_copy(rc->by, sizeof(rc->by), v.saved_by);
    str_copy(rc->digest, sizeof(rc->digest), v.digest);
    rc->amount_ore = v.amount_ore;
    store_case_version_release(&v);
    return ERR_OK;
}

/* A key already used by the party: the first receipt when it is the same
 * content on the same case (nothing changes), a conflict otherwise.
 * ERR_NOTFOUND when the key is new. */
static enum err idem_repeat(struct svc_call *c, const struct store_case *row, const char *key,
                            const char *digest, struct case_receipt *rc, struct case_status *st)
{
    long long id = 0;
    int ver = 0;
    char seen[65];
    enum err e = store_case_idem_get(c->s, row->party, key, &id, &ver, seen);
    if (e != ERR_OK)
        return e;
    if (id != row->id)
        return svc_fail(c, ERR_CONFLICT,
                        M_("Formuläret har redan skickats in för ett annat ärende."));
    if (strcmp(seen, digest) != 0)
        return svc_fail(c, ERR_CONFLICT,
                        M_("Formuläret har redan skickats in med annat innehåll. Öppna ärendet "
                           "igen."));
    e = receipt_of(c->s, row, ver, rc);
    if (e != ERR_OK)
        return e == ERR_NOTFOUND ? ERR_STORE : e;
    svc_rollback(c); /* nothing changed */
    rc->repeated = 1;
    status_set(st, row);
    msg_setf(&c->res->msg, M_("Ärendet {1} version {2} var redan mottaget."), msg_str(row->number),
             msg_int(ver));
    return ERR_OK;
}

enum err case_submit_in(struct svc_call *c, const struct case_kind *k, const char *number,
                        long long based_on, const json_t *content, const void *ctx,
                        const struct case_file_in *file, const char *idem_key,
                        struct case_receipt *rc, struct case_status *st)
{
    struct store *s = c->s;
    struct store_case row, old;
    struct store_case_version prev, draft;
    enum case_state to;
    const struct case_slot *sl = NULL;
    json_t *parsed = NULL;
    char *text = NULL, digest[65], fdigest[65];
    int have_prev = 0, have_draft = 0;
    memset(rc, 0, sizeof(*rc));
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    enum err e = file ? file_check(c, k, file, &sl, fdigest) : ERR_OK;
    if (e == ERR_OK)
        e = load(c, k, number, &row);
    if (e == ERR_OK)
        e = party_check(c, k, row.party);
    if (e == ERR_OK && !c->in_txn)
        e = svc_write(c);
    if (e == ERR_OK)
        e = load(c, k, number, &row);
    if (e == ERR_OK)
        status_set(st, &row);
    if (e == ERR_OK && !content) {
        e = store_case_version_get(s, row.id, 0, &draft);
        have_draft = e == ERR_OK;
        if (e == ERR_NOTFOUND)
            e = svc_fail(c, ERR_INVALID, M_("Det finns inget sparat utkast att skicka in."));
        if (e == ERR_OK && case_content_parse(k, draft.content, &parsed) != ERR_OK)
            e = ERR_STORE;
        content = parsed;
    }
    if (e == ERR_OK && !json_is_object(content))
        e = svc_fail(c, ERR_INVALID, M_("Ärendets innehåll saknas."));
    if (e == ERR_OK)
        e = canon_of(c, k, content, &text, digest);
    /* before the revision and the state: a repeated POST gets its
     * receipt however the case has moved on since */
    if (e == ERR_OK && idem_key && idem_key[0]) {
        e = idem_repeat(c, &row, idem_key, digest, rc, st);
        if (e != ERR_NOTFOUND)
            goto out;
        e = ERR_OK;
    }
    if (e == ERR_OK) {
        status_set(st, &row);
        if (based_on >= 0 && row.revision != based_on)
            e = svc_failf(c, ERR_CONFLICT,
                          M_("Ärendet {1} har ändrats av någon annan sedan du öppnade det. Öppna "
                             "det igen och gör om ändringen."),
                          msg_str(row.number));
    }
    if (e == ERR_OK && case_transition(row.state, CASE_SUBMIT, &to) != ERR_OK)
        e = svc_failf(c, ERR_CONFLICT, M_("Ärendet {1} är {2} och kan inte skickas in nu."),
                      msg_str(row.number), msg_text(case_state_label_sv(row.state)));
    if (e == ERR_OK && k->codec.validate(content, ctx, 1, &c->res->issues) > 0)
        e = svc_fail(c, ERR_INVALID,
                     M_("Ärendet är inte komplett: rätta de markerade fälten och skicka in "
                        "igen."));
    int version = row.version + 1;
    if (e == ERR_OK && row.version > 0) {
        e = store_case_version_get(s, row.id, row.version, &prev);
        have_prev = e == ERR_OK;
    }
    if (e == ERR_OK) {
        old = row;
        e = version_put(c, k, &row, version, content, text, digest);
    }
    if (e == ERR_OK)
        e = version_put(c, k, &row, 0, content, text, digest);
    if (e == ERR_OK && file)
        e = file_store(c, k, &row, 0, sl, file, fdigest);
    if (e == ERR_OK)
        e = store_case_files_freeze(s, row.id, version);
    if (e == ERR_OK && idem_key && idem_key[0])
        e = store_case_idem_put(s, row.party, idem_key, row.id, version, digest, c->nowiso);
    if (e == ERR_OK)
        e = event_add(c, &row, CASE_SUBMIT, version, NULL);
    if (e == ERR_OK) {
        row.state = to;
        row.version = version;
        row.message[0] = '\0';
        e = step_end(c, &row, &old, have_prev ? prev.content : NULL, text, st);
    }
    if (e == ERR_OK)
        e = receipt_of(s, &row, version, rc);
    if (e == ERR_OK)
        msg_setf(&c->res->msg, M_("Ärendet {1} är mottaget (version {2})."), msg_str(row.number),
                 msg_int(version));
out:
    if (have_prev)
        store_case_version_release(&prev);
    if (have_draft)
        store_case_version_release(&draft);
    json_decref(parsed);
    free(text);
    return e;
}

enum err case_submit(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct case_kind *k, const char *number, long long based_on,
                     const json_t *content, const void *ctx, const char *idem_key,
                     struct case_receipt *rc, struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    memset(rc, 0, sizeof(*rc));
    enum action_id act;
    if (kind_action(k, k ? k->act.submit : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_submit_in(&c, k, number, based_on, content, ctx, NULL, idem_key, rc, st);
    return svc_end(&c, e);
}

enum err case_withdraw_in(struct svc_call *c, const struct case_kind *k, const char *number,
                          long long based_on, struct case_status *st)
{
    struct store_case row;
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    struct row_change ch = {CASE_WITHDRAW, 1, NULL, NULL, NULL};
    enum err e = row_step(c, k, number, based_on, &ch, &row, st);
    if (e == ERR_OK)
        msg_setf(&c->res->msg, M_("Ärendet {1} är återkallat."), msg_str(row.number));
    return e;
}

enum err case_withdraw(struct store *s, const struct svc_actor *who, int64_t now,
                       const struct case_kind *k, const char *number, long long based_on,
                       struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    enum action_id act;
    if (kind_action(k, k ? k->act.withdraw : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_withdraw_in(&c, k, number, based_on, st);
    return svc_end(&c, e);
}

/* ---- the agency's actions ---- */

enum err case_return_in(struct svc_call *c, const struct case_kind *k, const char *number,
                        long long based_on, const char *message, struct case_status *st)
{
    struct store_case row;
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    enum err e = ERR_OK;
    if (!text_ok(message, STORE_CASE_MESSAGE_MAX_CHARS)) {
        msg_issue_addf(&c->res->issues, "message",
                       M_("Skriv vad som ska kompletteras (högst {1} tecken)"),
                       msg_int(STORE_CASE_MESSAGE_MAX_CHARS));
        e = svc_fail(c, ERR_INVALID, M_("Skriv ett meddelande till den som skickade in."));
    }
    struct row_change ch = {CASE_RETURN, 0, message, message, NULL};
    if (e == ERR_OK)
        e = row_step(c, k, number, based_on, &ch, &row, st);
    if (e == ERR_OK)
        msg_setf(&c->res->msg, M_("Ärendet {1} är returnerat för komplettering."),
                 msg_str(row.number));
    return e;
}

enum err case_return(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct case_kind *k, const char *number, long long based_on,
                     const char *message, struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    enum action_id act;
    if (kind_action(k, k ? k->act.ret : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_return_in(&c, k, number, based_on, message, st);
    return svc_end(&c, e);
}

/* The decision's own text for the audit record. */
static void decision_canon(const struct store_case *row, const struct store_case_decision *d,
                           struct buf *b)
{
    row_canon(row, b);
    buf_printf(b, "decision=%s\noutcome=%s\nblock=%s\namount=%lld\nreasons=%s\nappeal=%s\n",
               d->number, d->kind, d->block, (long long)d->amount_ore, d->reasons, d->appeal);
}

/* A decision row of the case, numbered from the kind's decision series
 * (inside the open transaction). */
static enum err decision_new(struct svc_call *c, const struct case_kind *k,
                             const struct store_case *row, const char *kind, const char *block,
                             int64_t amount_ore, const char *reasons, const char *appeal,
                             long long run_id, struct store_case_decision *d)
{
    long long n = 0;
    memset(d, 0, sizeof(*d));
    enum err e = store_counter_next(c->s, k->decision, c->today.y, &n);
    if (e == ERR_OK)
        e = case_number_fmt(d->number, sizeof(d->number), k->decision, c->today.y, n);
    if (e != ERR_OK)
        return e;
    d->case_id = row->id;
    str_copy(d->kind, sizeof(d->kind), kind);
    str_copy(d->block, sizeof(d->block), block ? block : "");
    d->amount_ore = amount_ore;
    str_copy(d->reasons, sizeof(d->reasons), reasons ? reasons : "");
    str_copy(d->appeal, sizeof(d->appeal), appeal ? appeal : "");
    date_fmt(d->decided_on, sizeof(d->decided_on), c->today);
    str_copy(d->decided_at, sizeof(d->decided_at), c->nowiso);
    str_copy(d->decided_by, sizeof(d->decided_by), c->who.login);
    d->run_id = run_id;
    return store_case_decision_add(c->s, d);
}

enum err case_decide_in(struct svc_call *c, const struct case_kind *k, const char *number,
                        long long based_on, const struct case_decision_in *in,
                        struct store_case_decision *out, struct case_status *st)
{
    struct svc_result *res = c->res;
    struct store_case row, old;
    struct store_case_decision d;
    enum case_state to;
    const char *reasons = in && in->reasons ? in->reasons : "";
    const char *appeal = in && in->appeal ? in->appeal : "";
    memset(&d, 0, sizeof(d));
    if (out)
        memset(out, 0, sizeof(*out));
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    int64_t granted = in ? in->granted_ore : -1;
    enum err e = ERR_OK;
    if (granted < 0) {
        msg_issue_add(&res->issues, "amount", M_("Ange det beviljade beloppet"));
        e = svc_fail(c, ERR_INVALID, M_("Beslutet saknar belopp."));
    }
    if (e == ERR_OK)
        e = step_begin(c, k, number, CASE_DECIDE, based_on, 0, &row, &to, st);
    int64_t asked = k->codec.amount ? row.asked_ore : -1;
    if (e == ERR_OK && ((asked >= 0 && granted > asked) || (asked < 0 && granted > 1))) {
        msg_issue_addf(&res->issues, "amount", M_("Högst det begärda beloppet, {1}"),
                       msg_money(asked < 0 ? 0 : asked));
        e = svc_fail(c, ERR_INVALID, M_("Beslutet kan inte bevilja mer än vad som begärts."));
    }
    enum case_outcome o = case_outcome_of(asked, granted);
    if (e == ERR_OK && case_outcome_needs_reasons(o) &&
        !text_ok(reasons, STORE_CASE_REASONS_MAX_CHARS)) {
        msg_issue_addf(&res->issues, "reasons",
                       M_("Skriv skälen för beslutet (högst {1} tecken): ett beslut som inte "
                          "beviljar allt som begärts ska motiveras"),
                       msg_int(STORE_CASE_REASONS_MAX_CHARS));
        e = svc_fail(c, ERR_INVALID, M_("Beslutet behöver skäl (förvaltningslagen 32 §)."));
    }
    if (e == ERR_OK && reasons[0] && !text_ok(reasons, STORE_CASE_REASONS_MAX_CHARS)) {
        msg_issue_addf(&res->issues, "reasons", M_("Högst {1} tecken"),
                       msg_int(STORE_CASE_REASONS_MAX_CHARS));
        e = svc_fail(c, ERR_INVALID, M_("Skälen för beslutet kan inte sparas."));
    }
    if (e == ERR_OK && !str_text_fits(appeal, STR_TEXT_LINES, STORE_CASE_APPEAL_MAX_CHARS))
        e = svc_fail(c, ERR_INVALID, M_("Överklagandehänvisningen kan inte sparas."));
    if (e == ERR_OK && in && in->block && strlen(in->block) >= sizeof(d.block))
        e = svc_fail(c, ERR_INVALID, M_("Beslutet kan inte sparas."));
    if (e == ERR_OK) {
        old = row;
        e = decision_new(c, k, &row, case_outcome_id(o), in->block, asked < 0 ? 0 : granted,
                         reasons, appeal, -1, &d);
    }
    if (e == ERR_OK)
        e = event_add(c, &row, CASE_DECIDE, row.version, d.number);
    if (e == ERR_OK) {
        struct buf b, a;
        row.state = to;
        row.outcome = o;
        row.message[0] = '\0';
        row_canon(&old, &b);
        decision_canon(&row, &d, &a);
        e = step_end(c, &row, &old, b.p, a.p, st);
        buf_release(&b);
        buf_release(&a);
    }
    if (e == ERR_OK) {
        if (out)
            *out = d;
        msg_setf(&res->msg, M_("Ärendet {1} är beslutat: {2} (beslut {3})."), msg_str(row.number),
                 msg_text(o == CASE_APPROVED          ? N_("beviljat")
                          : o == CASE_PARTLY_APPROVED ? N_("delvis beviljat")
                                                      : N_("avslaget")),
                 msg_str(d.number));
    }
    return e;
}

enum err case_decide(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct case_kind *k, const char *number, long long based_on,
                     const struct case_decision_in *in, struct store_case_decision *out,
                     struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    int64_t granted = in ? in->granted_ore : -1;
    if (out)
        memset(out, 0, sizeof(*out));
    enum action_id act;
    if (kind_action(k, k ? (granted > 0 ? k->act.approve : k->act.reject) : ACT_COUNT, res, &act) !=
        ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = case_decide_in(&c, k, number, based_on, in, out, st);
    return svc_end(&c, e);
}

enum err case_supplement_in(struct svc_call *c, const struct case_kind *k, const char *number,
                            const char *block, int64_t amount_ore, long long run_id,
                            struct store_case_decision *out, struct case_status *st)
{
    struct store_case row, old;
    struct store_case_decision d;
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    if (out)
        memset(out, 0, sizeof(*out));
    enum err e = ERR_OK;
    if (amount_ore <= 0 || (block && strlen(block) >= sizeof(d.block)))
        e = svc_fail(c, ERR_INVALID, M_("Beslutet kan inte sparas."));
    if (e == ERR_OK && !c->in_txn)
        e = svc_write(c);
    if (e == ERR_OK)
        e = load(c, k, number, &row);
    if (e != ERR_OK)
        return e;
    status_set(st, &row);
    if (row.state != CASE_DECIDED ||
        (row.outcome != CASE_APPROVED && row.outcome != CASE_PARTLY_APPROVED))
        return svc_failf(c, ERR_CONFLICT,
                         M_("Ärendet {1} är inte beviljat och kan inte få ett tilläggsbeslut."),
                         msg_str(row.number));
    old = row;
    e = decision_new(c, k, &row, "supplementary", block, amount_ore, "", "", run_id, &d);
    if (e == ERR_OK)
        e = event_add(c, &row, CASE_DECIDE, row.version, d.number);
    if (e == ERR_OK) {
        struct buf b, a;
        row_canon(&old, &b);
        decision_canon(&row, &d, &a);
        e = step_end(c, &row, &old, b.p, a.p, st);
        buf_release(&b);
        buf_release(&a);
    }
    if (e == ERR_OK && out)
        *out = d;
    return e;
}

enum err case_note(struct store *s, const struct svc_actor *who, int64_t now,
                   const struct case_kind *k, const char *number, const char *text, long long *id,
                   struct svc_result *res)
{
    struct svc_call c;
    struct store_case row;
    enum action_id act;
    long long nid = 0;
    if (id)
        *id = 0;
    if (kind_action(k, k ? k->act.note : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK && !text_ok(text, STORE_CASE_NOTE_MAX_CHARS)) {
        msg_issue_addf(&res->issues, "note", M_("Skriv anteckningen (högst {1} tecken)"),
                       msg_int(STORE_CASE_NOTE_MAX_CHARS));
        e = svc_fail(&c, ERR_INVALID, M_("Anteckningen är tom eller för lång."));
    }
    if (e == ERR_OK)
        e = load(&c, k, number, &row);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = load(&c, k, number, &row);
    if (e == ERR_OK && case_transition(row.state, CASE_NOTE, NULL) != ERR_OK)
        e = svc_failf(&c, ERR_CONFLICT, M_("Ärendet {1} är {2}: det tar inte emot anteckningar."),
                      msg_str(row.number), msg_text(case_state_label_sv(row.state)));
    if (e == ERR_OK)
        e = store_case_note_add(s, row.id, text, c.nowiso, c.who.login, &nid);
    if (e == ERR_OK) {
        char object[CASE_KIND_LEN + CASE_NUMBER_LEN + 2];
        struct buf a;
        row_canon(&row, &a);
        buf_printf(&a, "note=%lld\n%s\n", nid, text);
        object_of(&row, object, sizeof(object));
        e = svc_audit(&c, object, NULL, a.p);
        buf_release(&a);
    }
    if (e == ERR_OK) {
        if (id)
            *id = nid;
        msg_setf(&res->msg, M_("Anteckningen är sparad i ärendet {1}."), msg_str(row.number));
    }
    return svc_end(&c, e);
}

/* May login review cases of kind k for the agency? */
static enum err officer_check(struct svc_call *c, const struct case_kind *k, const char *login)
{
    struct store_account acc;
    struct store_grant *g = NULL;
    size_t ng = 0;
    unsigned roles = 0;
    enum err e = store_account_get(c->s, login, &acc);
    if (e == ERR_OK && acc.disabled)
        e = ERR_NOTFOUND;
    if (e == ERR_OK)
        e = store_grant_list(c->s, acc.id, &g, &ng);
    for (size_t i = 0; e == ERR_OK && i < ng; i++) {
        enum perm_role r;
        if (!g[i].org[0] && perm_parse(g[i].role, &r) == ERR_OK)
            roles |= (unsigned)r;
    }
    free(g);
    if (e == ERR_OK && !(roles & action_get(k->act.review)->roles))
        e = ERR_NOTFOUND;
    if (e == ERR_NOTFOUND) {
        msg_issue_add(&c->res->issues, "officer", M_("Välj en handläggare som får pröva ärendet"));
        return svc_failf(c, ERR_INVALID, M_("'{1}' kan inte få ärendet."), msg_str(login));
    }
    return e;
}

enum err case_assign(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct case_kind *k, const char *number, long long based_on,
                     const char *officer, struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    struct store_case row;
    enum action_id act;
    const char *to_whom = officer ? officer : "";
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    if (kind_action(k, k ? k->act.assign : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK && strlen(to_whom) >= sizeof(row.assigned_to))
        e = officer_check(&c, k, "");
    else if (e == ERR_OK && to_whom[0])
        e = officer_check(&c, k, to_whom);
    struct row_change ch = {CASE_ASSIGN, 0, to_whom, NULL, to_whom};
    if (e == ERR_OK)
        e = row_step(&c, k, number, based_on, &ch, &row, st);
    if (e == ERR_OK && to_whom[0])
        msg_setf(&res->msg, M_("Ärendet {1} är fördelat till {2}."), msg_str(row.number),
                 msg_str(to_whom));
    else if (e == ERR_OK)
        msg_setf(&res->msg, M_("Ärendet {1} är inte längre fördelat."), msg_str(row.number));
    return svc_end(&c, e);
}

enum err case_attach(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct case_kind *k, const char *number, long long based_on,
                     const char *slot, const char *name, const char *content_type, const void *data,
                     size_t len, struct case_status *st, struct svc_result *res)
{
    struct svc_call c;
    struct store_case row, old;
    enum case_state to;
    enum action_id act;
    const struct case_slot *sl = NULL;
    char digest[65];
    char nb[CASE_NUMBER_LEN];
    number = number_copy(nb, number); /* st->number may be it */
    if (kind_action(k, k ? k->act.save : ACT_COUNT, res, &act) != ERR_OK)
        return ERR_INVALID;
    const struct case_file_in in = {slot, name, content_type, data, len};
    enum err e = svc_begin(&c, s, who, act, now, res);
    if (e == ERR_OK)
        e = file_check(&c, k, &in, &sl, digest);
    if (e == ERR_OK)
        e = step_begin(&c, k, number, CASE_ATTACH, based_on, 1, &row, &to, st);
    /* on the draft while the party may still change it; once submitted,
     * on the latest version */
    int version = 0;
    if (e == ERR_OK && case_transition(row.state, CASE_SAVE, NULL) != ERR_OK)
        version = row.version;
    if (e == ERR_OK)
        e = file_store(&c, k, &row, version, sl, &in, digest);
    if (e == ERR_OK)
        e = event_add(&c, &row, CASE_ATTACH, version, sl->name);
    if (e == ERR_OK) {
        struct buf a;
        old = row;
        row.state = to;
        row_canon(&row, &a);
        buf_printf(&a, "file=%s\nversion=%d\nsha256=%s\nsize=%zu\n", sl->name, version, digest,
                   len);
        e = step_end(&c, &row, &old, NULL, a.p, st);
        buf_release(&a);
    }
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("Filen {1} är bifogad ärendet {2}."), msg_str(name),
                 msg_str(row.number));
    return svc_end(&c, e);
}

/* ---- reading ---- */

void case_view_release(struct case_view *v)
{
    json_decref(v->draft);
    json_decref(v->latest);
    free(v->versions);
    free(v->decisions);
    free(v->files);
    store_case_notes_release(v->notes, v->nnotes);
    free(v->events);
    memset(v, 0, sizeof(*v));
}

/* Start a read of a case: the party with the kind's read action, the
 * agency with its review action; row read and checked. *party says
 * which side asks. */
static enum err read_begin(struct svc_call *c, struct store *s, const struct svc_actor *who,
                           int64_t now, const struct case_kind *k, const char *number,
                           struct store_case *row, int *party, struct svc_result *res)
{
    enum action_id act = ACT_COUNT;
    if (k)
        act = who->org[0] || k->party == CASE_PARTY_PERSON ? k->act.read : k->act.review;
    enum err e = svc_begin(c, s, who, act < ACT_COUNT ? act : ACT_PUBLIC, now, res);
    if (e == ERR_OK && act >= ACT_COUNT)
        e = svc_fail(c, ERR_INVALID, M_("Ärendeslaget medger inte den åtgärden."));
    if (e == ERR_OK)
        e = load(c, k, number, row);
    *party = 0;
    if (e == ERR_OK && act == k->act.read) {
        e = party_check(c, k, row->party);
        *party = 1;
    }
    /* the agency does not see a case before it is submitted */
    if (e == ERR_OK && !*party && row->version == 0)
        e = not_found(c);
    return e;
}

static enum err content_get(struct store *s, const struct case_kind *k, long long id, int version,
                            json_t **out)
{
    struct store_case_version v;
    enum err e = store_case_version_get(s, id, version, &v);
    if (e != ERR_OK)
        return e;
    e = case_content_parse(k, v.content, out);
    store_case_version_release(&v);
    return e == ERR_OK ? ERR_OK : ERR_STORE;
}

enum err case_get(struct store *s, const struct svc_actor *who, int64_t now,
                  const struct case_kind *k, const char *number, struct case_view *out,
                  struct svc_result *res)
{
    struct svc_call c;
    int party = 0;
    memset(out, 0, sizeof(*out));
    enum err e = read_begin(&c, s, who, now, k, number, &out->row, &party, res);
    long long id = out->row.id;
    if (e == ERR_OK && party) {
        e = content_get(s, k, id, 0, &out->draft);
        if (e == ERR_NOTFOUND)
            e = ERR_OK;
    }
    if (e == ERR_OK && out->row.version > 0)
        e = content_get(s, k, id, out->row.version, &out->latest);
    if (e == ERR_OK)
        e = store_case_versions(s, id, &out->versions, &out->nversions);
    if (e == ERR_OK)
        e = store_case_decisions(s, id, &out->decisions, &out->ndecisions);
    if (e == ERR_OK && out->row.version > 0)
        e = store_case_files(s, id, out->row.version, &out->files, &out->nfiles);
    if (e == ERR_OK && party) {
        struct store_case_file *d = NULL;
        size_t nd = 0;
        e = store_case_files(s, id, 0, &d, &nd);
        if (e == ERR_OK && nd) {
            struct store_case_file *all = realloc(out->files, (out->nfiles + nd) * sizeof(*all));
            if (!all) {
                e = ERR_NOMEM;
            } else {
                memcpy(all + out->nfiles, d, nd * sizeof(*d));
                out->files = all;
                out->nfiles += nd;
            }
        }
        free(d);
    }
    if (e == ERR_OK && !party)
        e = store_case_notes(s, id, &out->notes, &out->nnotes);
    if (e == ERR_OK)
        e = store_case_events(s, id, &out->events, &out->nevents);
    return svc_end(&c, e);
}

enum err case_history(struct store *s, const struct svc_actor *who, int64_t now,
                      const struct case_kind *k, const char *number, struct store_case_event **out,
                      size_t *n, struct svc_result *res)
{
    struct svc_call c;
    struct store_case row;
    int party = 0;
    *out = NULL;
    *n = 0;
    enum err e = read_begin(&c, s, who, now, k, number, &row, &party, res);
    if (e == ERR_OK)
        e = store_case_events(s, row.id, out, n);
    return svc_end(&c, e);
}

enum err case_diff(struct store *s, const struct svc_actor *who, int64_t now,
                   const struct case_kind *k, const char *number, int v1, int v2,
                   struct case_diff *out, struct svc_result *res)
{
    struct svc_call c;
    struct store_case row;
    json_t *a = NULL, *b = NULL;
    int party = 0;
    out->n = 0;
    enum err e = read_begin(&c, s, who, now, k, number, &row, &party, res);
    if (e == ERR_OK && ((!party && (v1 == 0 || v2 == 0)) || v1 < 0 || v2 < 0 || v1 > row.version ||
                        v2 > row.version))
        e = svc_fail(&c, ERR_NOTFOUND, M_("Versionen finns inte."));
    if (e == ERR_OK)
        e = content_get(s, k, row.id, v1, &a);
    if (e == ERR_OK)
        e = content_get(s, k, row.id, v2, &b);
    if (e == ERR_NOTFOUND)
        e = svc_fail(&c, ERR_NOTFOUND, M_("Versionen finns inte."));
    if (e == ERR_OK)
        e = k->codec.diff ? k->codec.diff(a, b, out) : case_diff_fields(k, a, b, out);
    json_decref(a);
    json_decref(b);
    return svc_end(&c, e);
}
