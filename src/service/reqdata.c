/* reqdata.c - a requisition's rows read from the case engine's tables
 * (reqdata.h). */
#include "service/reqdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reqcase.h"
#include "util/str.h"

static const char *kind_id(void)
{
    return reqcase_kind()->id;
}

/* The case's decision that decided it (not a supplementary one), NULL if
 * none. */
static const struct store_case_decision *deciding(const struct store_case_decision *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].kind, "supplementary") != 0)
            return &d[i];
    return NULL;
}

enum err reqdata_of_case(struct store *s, const struct store_case *c, struct req_row *out)
{
    memset(out, 0, sizeof(*out));
    if (strcmp(c->kind, kind_id()) != 0)
        return ERR_NOTFOUND;
    int st = reqcase_req_state(c->state, c->outcome);
    if (st < 0)
        return ERR_NOTFOUND;
    out->id = c->id;
    str_copy(out->program, sizeof(out->program), c->program);
    str_copy(out->recipient, sizeof(out->recipient), c->party);
    str_copy(out->case_no, sizeof(out->case_no), c->number);
    out->state = (enum req_state)st;
    out->version = c->version;
    out->revision = c->revision;
    out->approved_ore = -1;
    out->requested_ore = c->version > 0 ? c->asked_ore : -1;
    str_copy(out->created_at, sizeof(out->created_at), c->created_at);
    str_copy(out->created_by, sizeof(out->created_by), c->created_by);
    str_copy(out->updated_at, sizeof(out->updated_at), c->updated_at);
    str_copy(out->updated_by, sizeof(out->updated_by), c->updated_by);
    if (c->state == CASE_RETURNED)
        str_copy(out->message, sizeof(out->message), c->message);
    if (c->state != CASE_DECIDED)
        return ERR_OK;
    struct store_case_decision *d = NULL;
    size_t n = 0;
    enum err e = store_case_decisions(s, c->id, &d, &n);
    if (e != ERR_OK)
        return e;
    const struct store_case_decision *x = deciding(d, n);
    if (x) {
        str_copy(out->message, sizeof(out->message), x->reasons);
        if (out->state == REQ_APPROVED)
            out->approved_ore = x->amount_ore;
    }
    free(d);
    return ERR_OK;
}

enum err reqdata_get_case(struct store *s, const char *case_no, struct req_row *out)
{
    struct store_case c;
    enum err e = store_case_get(s, case_no ? case_no : "", &c);
    return e == ERR_OK ? reqdata_of_case(s, &c, out) : e;
}

enum err reqdata_get(struct store *s, const char *program, const char *recipient,
                     struct req_row *out)
{
    struct store_case c;
    char subject[STORE_CASE_SUBJECT_LEN];
    /* the uniqueness key case_open_in gives the kind: program/party */
    int w = snprintf(subject, sizeof(subject), "%s/%s", program ? program : "",
                     recipient ? recipient : "");
    if (w < 0 || (size_t)w >= sizeof(subject))
        return ERR_NOTFOUND;
    enum err e = store_case_get_subject(s, kind_id(), subject, &c);
    return e == ERR_OK ? reqdata_of_case(s, &c, out) : e;
}

enum err reqdata_form_get(struct store *s, long long case_id, int version, struct req_form *f,
                          char *at, char *by)
{
    struct store_case_version v;
    struct store_case_file *files = NULL;
    size_t nf = 0;
    req_form_init(f);
    enum err e = store_case_version_get(s, case_id, version, &v);
    if (e != ERR_OK)
        return e;
    json_error_t jerr;
    json_t *j = json_loads(v.content, 0, &jerr);
    if (!j) {
        store_case_version_release(&v);
        return ERR_STORE;
    }
    req_form_release(f);
    e = reqcase_from_json(j, f, NULL);
    json_decref(j);
    if (e != ERR_OK) {
        store_case_version_release(&v);
        return e == ERR_PARSE ? ERR_STORE : e;
    }
    if (at)
        str_copy(at, 32, v.saved_at);
    if (by)
        str_copy(by, STORE_CASE_WHO_LEN, v.saved_by);
    store_case_version_release(&v);
    e = store_case_files(s, case_id, version, &files, &nf);
    for (size_t i = 0; e == ERR_OK && i < nf; i++) {
        if (strcmp(files[i].slot, "plan") != 0)
            continue;
        str_copy(f->plan.name, sizeof(f->plan.name), files[i].name);
        str_copy(f->plan.content_type, sizeof(f->plan.content_type), files[i].content_type);
        f->plan.size = files[i].size;
        str_copy(f->plan.sha256, sizeof(f->plan.sha256), files[i].sha256);
    }
    free(files);
    return e;
}

enum err reqdata_versions(struct store *s, long long case_id, struct req_version_row **out,
                          size_t *n)
{
    struct store_case_version *v = NULL;
    size_t nv = 0;
    *out = NULL;
    *n = 0;
    enum err e = store_case_versions(s, case_id, &v, &nv);
    if (e != ERR_OK)
        return e;
    *out = calloc(nv ? nv : 1, sizeof(**out));
    if (!*out) {
        free(v);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < nv; i++) {
        (*out)[i].version = v[i].version;
        (*out)[i].amount_ore = v[i].amount_ore;
        str_copy((*out)[i].saved_at, sizeof((*out)[i].saved_at), v[i].saved_at);
        str_copy((*out)[i].saved_by, sizeof((*out)[i].saved_by), v[i].saved_by);
    }
    *n = nv;
    free(v);
    return ERR_OK;
}

static void decision_of(const struct store_case *c, const struct store_case_decision *d,
                        struct req_decision_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = d->id;
    str_copy(out->number, sizeof(out->number), d->number);
    out->req_id = c->id;
    str_copy(out->case_no, sizeof(out->case_no), c->number);
    str_copy(out->recipient, sizeof(out->recipient), c->party);
    str_copy(out->kind, sizeof(out->kind), reqcase_decision_kind(d->kind));
    str_copy(out->block, sizeof(out->block), d->block);
    out->amount_ore = d->amount_ore;
    str_copy(out->reasons, sizeof(out->reasons), d->reasons);
    str_copy(out->decided_on, sizeof(out->decided_on), d->decided_on);
    str_copy(out->decided_at, sizeof(out->decided_at), d->decided_at);
    str_copy(out->decided_by, sizeof(out->decided_by), d->decided_by);
    out->run_id = d->run_id > 0 ? d->run_id : 0;
}

/* Append the decisions of case c to *out (n of cap). */
static enum err decisions_add(struct store *s, const struct store_case *c,
                              struct req_decision_row **out, size_t *n, size_t *cap)
{
    struct store_case_decision *d = NULL;
    size_t nd = 0;
    enum err e = store_case_decisions(s, c->id, &d, &nd);
    if (e != ERR_OK)
        return e;
    if (*n + nd > *cap) {
        size_t nc = *cap ? *cap : 8;
        while (nc < *n + nd)
            nc *= 2;
        struct req_decision_row *nv = realloc(*out, nc * sizeof(*nv));
        if (!nv) {
            free(d);
            return ERR_NOMEM;
        }
        *out = nv;
        *cap = nc;
    }
    for (size_t i = 0; i < nd; i++)
        decision_of(c, &d[i], &(*out)[(*n)++]);
    free(d);
    return ERR_OK;
}

static int decision_cmp(const void *a, const void *b)
{
    const struct req_decision_row *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

enum err reqdata_decisions(struct store *s, const char *program, long long case_id,
                           struct req_decision_row **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    enum err e = ERR_OK;
    if (case_id > 0) {
        struct store_case c;
        e = store_case_get_id(s, case_id, &c);
        if (e == ERR_OK)
            e = decisions_add(s, &c, out, n, &cap);
    } else {
        struct store_case *cs = NULL;
        size_t nc = 0;
        struct store_case_filter f = {kind_id(), program, NULL, NULL, -1, 0, 0};
        e = store_case_list(s, &f, &cs, &nc);
        for (size_t i = 0; e == ERR_OK && i < nc; i++)
            e = decisions_add(s, &cs[i], out, n, &cap);
        free(cs);
        if (e == ERR_OK && *n > 1)
            qsort(*out, *n, sizeof(**out), decision_cmp);
    }
    if (e != ERR_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

enum err reqdata_decision_get(struct store *s, const char *number, struct req_decision_row *out)
{
    struct store_case_decision d;
    struct store_case c;
    enum err e = store_case_decision_get(s, number ? number : "", &d);
    if (e == ERR_OK)
        e = store_case_get_id(s, d.case_id, &c);
    if (e == ERR_OK && strcmp(c.kind, kind_id()) != 0)
        e = ERR_NOTFOUND;
    if (e == ERR_OK)
        decision_of(&c, &d, out);
    return e;
}

/* The engine's state and outcomes of a requisition state. */
static void state_of(enum req_state st, enum case_state *cs, int *approved_only, int *rejected_only)
{
    *approved_only = *rejected_only = 0;
    switch (st) {
    case REQ_DRAFT:
        *cs = CASE_DRAFT;
        return;
    case REQ_SUBMITTED:
        *cs = CASE_SUBMITTED;
        return;
    case REQ_RETURNED:
        *cs = CASE_RETURNED;
        return;
    case REQ_APPROVED:
        *cs = CASE_DECIDED;
        *approved_only = 1;
        return;
    case REQ_REJECTED:
        *cs = CASE_DECIDED;
        *rejected_only = 1;
        return;
    }
    *cs = CASE_DRAFT;
}

enum err reqdata_list(struct store *s, const struct req_filter *f, struct req_row **out, size_t *n)
{
    struct store_case *cs = NULL;
    size_t nc = 0;
    enum case_state st = CASE_DRAFT;
    int approved_only = 0, rejected_only = 0;
    *out = NULL;
    *n = 0;
    if (f->state >= 0)
        state_of((enum req_state)f->state, &st, &approved_only, &rejected_only);
    struct store_case_filter g = {
        kind_id(), f->program, f->recipient, NULL, f->state >= 0 ? (int)st : -1, 0, 0};
    enum err e = store_case_list(s, &g, &cs, &nc);
    if (e != ERR_OK)
        return e;
    *out = calloc(nc ? nc : 1, sizeof(**out));
    if (!*out) {
        free(cs);
        return ERR_NOMEM;
    }
    size_t skipped = 0;
    for (size_t i = 0; e == ERR_OK && i < nc; i++) {
        if (approved_only && cs[i].outcome == CASE_REJECTED)
            continue;
        if (rejected_only && cs[i].outcome != CASE_REJECTED)
            continue;
        if (reqcase_req_state(cs[i].state, cs[i].outcome) < 0)
            continue;
        if (skipped < f->offset) {
            skipped++;
            continue;
        }
        if (f->limit && *n == f->limit)
            break;
        e = reqdata_of_case(s, &cs[i], &(*out)[*n]);
        if (e == ERR_OK)
            (*n)++;
    }
    free(cs);
    if (e != ERR_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

enum err reqdata_counts(struct store *s, const char *program, const char *recipient,
                        long long counts[REQ_STATE_COUNT])
{
    struct store_case_counts c;
    struct store_case_filter f = {kind_id(), program, recipient, NULL, -1, 0, 0};
    memset(counts, 0, sizeof(long long) * REQ_STATE_COUNT);
    enum err e = store_case_counts(s, &f, &c);
    if (e != ERR_OK)
        return e;
    for (int st = 0; st < CASE_STATE_COUNT; st++)
        for (int o = 0; o < CASE_OUTCOME_COUNT; o++) {
            int r = reqcase_req_state((enum case_state)st, (enum case_outcome)o);
            if (r >= 0 && c.n[st][o])
                counts[r] += c.n[st][o];
        }
    return ERR_OK;
}
