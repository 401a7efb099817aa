/* reqmove.c - requisitions made before the case engine, moved onto it
 * (reqmove.h says what goes where). */
#include "service/reqmove.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reqcase.h"
#include "service/auth.h"
#include "store/store_auth.h"
#include "store/store_case.h"
#include "store/store_req.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/str.h"

/* ---- the history ---- */

#define MOVE_EVENTS_MAX 100000

struct events {
    struct store_case_event *v;
    size_t n, cap;
    enum err e;
};

static enum err event_push(struct events *h, enum case_verb verb, int version, const char *message,
                           const char *at, const char *by)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 16;
        if (nc > MOVE_EVENTS_MAX)
            return ERR_LIMIT;
        struct store_case_event *nv = realloc(h->v, nc * sizeof(*nv));
        if (!nv)
            return ERR_NOMEM;
        h->v = nv;
        h->cap = nc;
    }
    struct store_case_event *ev = &h->v[h->n];
    memset(ev, 0, sizeof(*ev));
    ev->id = (long long)h->n; /* the order they were found in, for ties */
    str_copy(ev->verb, sizeof(ev->verb), case_verb_id(verb));
    ev->version = version;
    str_copy(ev->message, sizeof(ev->message), message ? message : "");
    str_copy(ev->at, sizeof(ev->at), at);
    str_copy(ev->by, sizeof(ev->by), by);
    h->n++;
    return ERR_OK;
}

static int event_cmp(const void *a, const void *b)
{
    const struct store_case_event *x = a, *y = b;
    int c = strcmp(x->at, y->at);
    if (c)
        return c;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The history from the audit trail of "requisition:CASE", in its order:
 * saves, submissions, returns and the decisions that decided it. A first
 * walk counts (with_events 0); the second writes the events. */
struct trail {
    struct events *h;
    const struct store_req *row;
    const struct store_req_decision *d; /* the requisition's decisions */
    size_t nd;
    int with_events;
    int submits, decides, returns; /* seen so far */
    int returns_all;               /* counted by the first walk */
};

static int is_original(const struct store_req_decision *d)
{
    return strcmp(d->kind, "supplementary") != 0;
}

static int trail_row(void *ctx, const struct store_audit *a)
{
    struct trail *t = ctx;
    struct events *h = t->h;
    if (strcmp(a->action, "requisition.save") == 0) {
        if (t->with_events)
            h->e = event_push(h, CASE_SAVE, 0, NULL, a->at, a->actor);
    } else if (strcmp(a->action, "requisition.submit") == 0) {
        t->submits++;
        if (t->with_events)
            h->e = event_push(h, CASE_SUBMIT, t->submits, NULL, a->at, a->actor);
    } else if (strcmp(a->action, "requisition.return") == 0) {
        t->returns++;
        /* the trail keeps the digest of what was written, not the text:
         * the message is the row's for the return it stands in */
        const char *m =
            t->returns == t->returns_all && t->row->state == REQ_RETURNED ? t->row->message : NULL;
        if (t->with_events)
            h->e = event_push(h, CASE_RETURN, t->submits, m, a->at, a->actor);
    } else if (strcmp(a->action, "requisition.approve") == 0 ||
               strcmp(a->action, "requisition.reject") == 0 ||
               strcmp(a->action, "requisition.bulk-approve") == 0) {
        /* the decisions that decided it, in the order they were made */
        int k = 0;
        for (size_t i = 0; i < t->nd; i++) {
            if (!is_original(&t->d[i]))
                continue;
            if (k++ == t->decides && t->with_events)
                h->e = event_push(h, CASE_DECIDE, t->submits, t->d[i].number, a->at, a->actor);
        }
        t->decides++;
    }
    return h->e != ERR_OK;
}

/* The history of a requisition: from its trail when the trail has every
 * submission and deciding decision, else from its rows (versions, saves
 * and returns of the trail, decisions) in the order of their times;
 * supplementary decisions after. */
static enum err history(struct svc_call *c, const struct store_req *row,
                        const struct store_req_decision *d, size_t nd, struct events *h)
{
    char object[64];
    struct trail t;
    memset(&t, 0, sizeof(t));
    t.h = h;
    t.row = row;
    t.d = d;
    t.nd = nd;
    snprintf(object, sizeof(object), "requisition:%s", row->case_no);
    enum err e = store_audit_each(c->s, object, 0, trail_row, &t);
    int originals = 0;
    for (size_t i = 0; i < nd; i++)
        originals += is_original(&d[i]);
    int whole = t.submits == row->version && t.decides == originals;
    t.returns_all = t.returns;
    t.submits = t.decides = t.returns = 0;
    t.with_events = 1;
    if (e == ERR_OK)
        e = store_audit_each(c->s, object, 0, trail_row, &t);
    if (e == ERR_OK)
        e = h->e;
    if (e != ERR_OK || whole) {
        for (size_t i = 0; e == ERR_OK && i < nd; i++)
            if (!is_original(&d[i]))
                e = event_push(h, CASE_DECIDE, row->version, d[i].number, d[i].decided_at,
                               d[i].decided_by);
        return e;
    }
    /* an incomplete trail: keep its saves and returns, the rest from the
     * rows, by time */
    size_t kept = 0;
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->v[i].verb, case_verb_id(CASE_SAVE)) ||
            !strcmp(h->v[i].verb, case_verb_id(CASE_RETURN)))
            h->v[kept++] = h->v[i];
    h->n = kept;
    struct store_req_version *v = NULL;
    size_t nv = 0;
    e = store_req_versions(c->s, row->id, &v, &nv);
    for (size_t i = 0; e == ERR_OK && i < nv; i++)
        e = event_push(h, CASE_SUBMIT, v[i].version, NULL, v[i].saved_at, v[i].saved_by);
    free(v);
    for (size_t i = 0; e == ERR_OK && i < nd; i++)
        e = event_push(h, CASE_DECIDE, row->version, d[i].number, d[i].decided_at, d[i].decided_by);
    for (size_t i = 0; i < h->n; i++)
        h->v[i].id = (long long)i;
    if (e == ERR_OK && h->n > 1)
        qsort(h->v, h->n, sizeof(*h->v), event_cmp);
    return e;
}

/* ---- one requisition ---- */

static void old_canon(const struct store_req *row, struct buf *b)
{
    buf_init(b, 8192);
    buf_printf(b, "case=%s\nstate=%s\nversion=%d\nrevision=%lld\napproved=%lld\nmessage=%s\n",
               row->case_no, req_state_id(row->state), row->version, row->revision,
               (long long)row->approved_ore, row->message);
}

static void new_canon(const struct store_case *c, size_t nversions, size_t ndecisions,
                      struct buf *b)
{
    buf_init(b, 16384);
    buf_printf(b,
               "case=%s\nkind=%s\nstate=%s\noutcome=%s\nversion=%d\nrevision=%lld\nmessage=%s\n"
               "moved=versions:%zu decisions:%zu\n",
               c->number, c->kind, case_state_id(c->state), case_outcome_id(c->outcome), c->version,
               c->revision, c->message, nversions, ndecisions);
}

/* Version v of the old requisition as a case version with its plan file;
 * ERR_NOTFOUND when it has no such version (a case without a draft). */
static enum err move_version(struct svc_call *c, const struct case_kind *k,
                             const struct store_req *row, const struct store_case *cs, int v,
                             char digest[65], struct req_move_report *rep)
{
    struct req_form f;
    struct store_case_version cv;
    json_t *j = NULL;
    char *text = NULL;
    memset(&cv, 0, sizeof(cv));
    enum err e = store_req_form_get(c->s, row->id, v, &f, cv.saved_at, cv.saved_by);
    if (e != ERR_OK)
        return e;
    e = reqcase_to_json(&f, &j);
    if (e == ERR_OK)
        e = case_canon(k, j, &text);
    if (e == ERR_OK) {
        cv.version = v;
        cv.content = text;
        sha256_hex_of(text, strlen(text), cv.digest);
        memcpy(digest, cv.digest, 65);
        cv.amount_ore = k->codec.amount ? k->codec.amount(j) : -1;
        e = store_case_version_put(c->s, cs->id, &cv);
    }
    if (e == ERR_OK)
        rep->versions += v > 0;
    if (e == ERR_OK && f.plan.sha256[0]) {
        struct buf bytes;
        char type[80];
        buf_init(&bytes, (size_t)REQ_PLAN_MAX_BYTES + 1);
        e = store_req_plan_get(c->s, f.plan.sha256, type, sizeof(type), &bytes);
        if (e == ERR_OK)
            e = store_case_blob_put(c->s, f.plan.sha256, type, bytes.p, bytes.len);
        buf_release(&bytes);
        if (e == ERR_OK) {
            struct store_case_file file;
            memset(&file, 0, sizeof(file));
            file.version = v;
            str_copy(file.slot, sizeof(file.slot), "plan");
            str_copy(file.name, sizeof(file.name),
                     f.plan.name[0] ? f.plan.name : "produktionsplan");
            str_copy(file.sha256, sizeof(file.sha256), f.plan.sha256);
            str_copy(file.content_type, sizeof(file.content_type),
                     f.plan.content_type[0] ? f.plan.content_type : type);
            file.size = f.plan.size;
            str_copy(file.added_at, sizeof(file.added_at), cv.saved_at);
            str_copy(file.added_by, sizeof(file.added_by), cv.saved_by);
            e = store_case_file_put(c->s, cs->id, &file);
        }
        if (e == ERR_OK)
            rep->files++;
    }
    json_decref(j);
    free(text);
    req_form_release(&f);
    return e;
}

static enum err move_keys(struct svc_call *c, const struct store_req *row,
                          const struct store_case *cs, char (*digests)[65], int nver,
                          struct req_move_report *rep)
{
    struct store_req_idem *keys = NULL;
    size_t n = 0;
    enum err e = store_req_idems(c->s, row->id, &keys, &n);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        long long id = 0;
        int ver = 0;
        char seen[65];
        if (keys[i].version < 1 || keys[i].version > nver)
            continue; /* names no version that was moved */
        e = store_case_idem_get(c->s, cs->party, keys[i].key, &id, &ver, seen);
        if (e == ERR_OK) { /* the recipient's key of another program: the first keeps it */
            continue;
        }
        if (e != ERR_NOTFOUND)
            break;
        e = store_case_idem_put(c->s, cs->party, keys[i].key, cs->id, keys[i].version,
                                digests[keys[i].version], keys[i].at);
        if (e == ERR_OK)
            rep->keys++;
    }
    free(keys);
    return e;
}

static enum err move_one(struct svc_call *c, const struct case_kind *k, const char *case_no,
                         struct req_move_report *rep)
{
    struct store_req row;
    struct store_case cs, old;
    struct store_req_decision *d = NULL;
    size_t nd = 0;
    struct events h = {NULL, 0, 0, ERR_OK};
    char(*digests)[65] = NULL;
    enum err e = store_req_get_case(c->s, case_no, &row);
    if (e != ERR_OK)
        return e;
    e = store_case_get(c->s, row.case_no, &cs);
    if (e == ERR_OK) { /* moved already */
        rep->skipped++;
        return ERR_OK;
    }
    if (e != ERR_NOTFOUND)
        return e;
    memset(&cs, 0, sizeof(cs));
    str_copy(cs.kind, sizeof(cs.kind), k->id);
    str_copy(cs.number, sizeof(cs.number), row.case_no);
    str_copy(cs.program, sizeof(cs.program), row.program);
    str_copy(cs.party, sizeof(cs.party), row.recipient);
    /* the subject case_open_in gives a kind of one case per program and
     * party */
    if ((size_t)snprintf(cs.subject, sizeof(cs.subject), "%s/%s", row.program, row.recipient) >=
        sizeof(cs.subject))
        return ERR_INVALID;
    e = store_case_create(c->s, &cs, row.created_at, row.created_by);
    if (e != ERR_OK)
        return e;
    digests = calloc((size_t)row.version + 1, sizeof(*digests));
    if (!digests)
        return ERR_NOMEM;
    for (int v = 0; e == ERR_OK && v <= row.version; v++) {
        e = move_version(c, k, &row, &cs, v, digests[v], rep);
        if (e == ERR_NOTFOUND && v == 0)
            e = ERR_OK; /* no draft kept */
    }
    if (e == ERR_OK)
        e = move_keys(c, &row, &cs, digests, row.version, rep);
    free(digests);

    enum case_outcome outcome = CASE_OUTCOME_NONE;
    if (e == ERR_OK)
        e = store_req_decisions(c->s, NULL, row.id, &d, &nd);
    for (size_t i = 0; e == ERR_OK && i < nd; i++) {
        struct store_case_decision x;
        const char *kind = reqcase_decision_kind_of(d[i].kind, d[i].amount_ore, row.requested_ore);
        if (!kind[0]) {
            e = ERR_STORE;
            break;
        }
        memset(&x, 0, sizeof(x));
        str_copy(x.number, sizeof(x.number), d[i].number);
        x.case_id = cs.id;
        str_copy(x.kind, sizeof(x.kind), kind);
        str_copy(x.block, sizeof(x.block), d[i].block);
        x.amount_ore = d[i].amount_ore;
        /* the old row kept the reasons of its one decision (a grant in
         * part, a rejection) as its message */
        int original = strcmp(d[i].kind, "supplementary") != 0;
        if (original && (row.state == REQ_APPROVED || row.state == REQ_REJECTED))
            str_copy(x.reasons, sizeof(x.reasons), row.message);
        str_copy(x.decided_on, sizeof(x.decided_on), d[i].decided_on);
        str_copy(x.decided_at, sizeof(x.decided_at), d[i].decided_at);
        str_copy(x.decided_by, sizeof(x.decided_by), d[i].decided_by);
        x.run_id = d[i].run_id > 0 ? d[i].run_id : -1;
        e = store_case_decision_add(c->s, &x);
        if (e == ERR_OK && original) {
            int o = case_outcome_parse(kind);
            outcome = o > 0 ? (enum case_outcome)o : outcome;
        }
        if (e == ERR_OK)
            rep->decisions++;
    }
    if (e == ERR_OK)
        e = history(c, &row, d, nd, &h);
    free(d);

    for (size_t i = 0; e == ERR_OK && i < h.n; i++)
        e = store_case_event_add(c->s, cs.id, &h.v[i]);
    if (e == ERR_OK)
        rep->events += h.n;
    free(h.v);

    /* where it stands */
    if (e == ERR_OK) {
        old = cs;
        switch (row.state) {
        case REQ_DRAFT:
            cs.state = CASE_DRAFT;
            break;
        case REQ_SUBMITTED:
            cs.state = CASE_SUBMITTED;
            break;
        case REQ_RETURNED:
            cs.state = CASE_RETURNED;
            str_copy(cs.message, sizeof(cs.message), row.message);
            break;
        case REQ_APPROVED:
        case REQ_REJECTED:
            cs.state = CASE_DECIDED;
            if (outcome == CASE_OUTCOME_NONE) /* decided without a decision row */
                e = ERR_STORE;
            cs.outcome = outcome;
            break;
        }
        cs.version = row.version;
        if (e == ERR_OK)
            e = store_case_update(c->s, &cs, old.revision, row.updated_at, row.updated_by);
        /* the revision goes on from the old row's: a page opened before
         * the move still names the case as it stands */
        for (int guard = 0; e == ERR_OK && cs.revision < row.revision && guard < 100000; guard++)
            e = store_case_update(c->s, &cs, cs.revision, row.updated_at, row.updated_by);
    }
    if (e == ERR_OK)
        e = store_case_get(c->s, cs.number, &cs);
    if (e == ERR_OK) {
        char object[64];
        struct buf before, after;
        old_canon(&row, &before);
        new_canon(&cs, (size_t)row.version, nd, &after);
        snprintf(object, sizeof(object), "requisition:%s", row.case_no);
        e = svc_audit(c, object, before.p, after.p);
        buf_release(&before);
        buf_release(&after);
    }
    if (e == ERR_OK)
        rep->cases++;
    return e;
}

enum err req_move(struct store *s, const struct svc_actor *who, int64_t now,
                  struct req_move_report *out, struct svc_result *res)
{
    struct svc_call c;
    struct store_req *rows = NULL;
    size_t n = 0;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_REQ_MOVE, now, res);
    const struct case_kind *k = reqcase_kind();
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK) {
        struct store_req_filter f = {NULL, -1, NULL, 0, 0};
        e = store_req_list(s, &f, &rows, &n);
    }
    for (size_t i = 0; e == ERR_OK && i < n; i++)
        e = move_one(&c, k, rows[i].case_no, out);
    free(rows);
    if (e == ERR_OK && out->cases == 0) {
        svc_rollback(&c); /* nothing to move: nothing written */
    }
    if (e == ERR_OK)
        msg_setf(&res->msg, M_("{1} rekvisitioner har flyttats till ärendemotorn."),
                 msg_int((long long)out->cases));
    else
        e = svc_fail(&c, e, M_("Rekvisitionerna kunde inte flyttas; ingenting har ändrats."));
    return svc_end(&c, e);
}

enum err req_move_installation(struct store *s, int64_t now, struct req_move_report *out,
                               struct svc_result *res)
{
    struct store_req *rows = NULL;
    size_t n = 0;
    struct store_req_filter f = {NULL, -1, NULL, 1, 0};
    memset(out, 0, sizeof(*out));
    svc_result_init(res);
    enum err e = store_req_list(s, &f, &rows, &n);
    free(rows);
    if (e != ERR_OK || n == 0)
        return e;
    struct svc_actor op;
    e = auth_operator_ensure(s, now, res);
    if (e == ERR_OK)
        e = svc_actor_cli(s, NULL, "", &op, res);
    if (e == ERR_OK)
        e = req_move(s, &op, now, out, res);
    return e;
}
