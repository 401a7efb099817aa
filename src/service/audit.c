/* audit.c - the signed, hash-chained audit trail: records, checkpoints,
 * keys and the whole check (see audit.h). */
#include "service/audit.h"

#include <assert.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_entity.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

static FILE *audit_log;

void audit_set_log(FILE *log)
{
    audit_log = log;
}

void audit_digest(const char *text, char out[STORE_HASH_HEX])
{
    if (!text) {
        out[0] = '\0';
        return;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

static void field(crypto_hash_sha256_state *st, const char *v)
{
    char len[24];
    int n = snprintf(len, sizeof(len), "%zu:", strlen(v));
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
    crypto_hash_sha256_update(st, (const unsigned char *)v, strlen(v));
    crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

void audit_record_hash(const struct store_audit *a, char out[STORE_HASH_HEX])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    char seq[24];
    int signed_row = a->key_id[0] != '\0';
    snprintf(seq, sizeof(seq), "%lld", a->seq);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)a->prev, strlen(a->prev));
    field(&st, signed_row ? "bidrag-audit-2" : "bidrag-audit-1");
    field(&st, seq);
    field(&st, a->at);
    field(&st, a->actor);
    field(&st, a->org);
    field(&st, a->action);
    field(&st, a->object);
    field(&st, a->before);
    field(&st, a->after);
    if (signed_row) {
        field(&st, a->entity);
        field(&st, a->rows);
        field(&st, a->key_id);
    }
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

int64_t audit_time(const char *iso)
{
    int64_t t = 0;
    if (!iso || clock_parse(iso, &t) != ERR_OK)
        return 0;
    return t;
}

enum err audit_paths_of(struct store *s, struct audit_paths *p)
{
    char folder[AUDITKEY_PATH_MAX];
    enum err e = store_folder(s, folder, sizeof(folder));
    if (e == ERR_NOTFOUND)
        return auditkey_paths(NULL, p);
    if (e != ERR_OK)
        return e;
    return auditkey_paths(folder, p);
}

/* ---- the report ---- */

static void problem(struct audit_report *r, long long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(struct audit_report *r, long long row, const char *fmt, ...)
{
    char m[AUDIT_MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof(m), fmt, ap);
    va_end(ap);
    if (r->problems < AUDIT_PROBLEMS)
        str_copy(r->problem[r->problems], sizeof(r->problem[0]), m);
    if (r->problems == 0)
        str_copy(r->msg, sizeof(r->msg), m);
    if (row > 0 && (r->first_bad == 0 || row < r->first_bad))
        r->first_bad = row;
    r->problems++;
}

/* "requisition 'REK-2026-0001'" for "requisition:REK-2026-0001" */
static void entity_label(const char *name, char *out, size_t n)
{
    const char *colon = strchr(name, ':');
    if (!colon)
        snprintf(out, n, "'%s'", name);
    else
        snprintf(out, n, "%.*s '%s'", (int)(colon - name), name, colon + 1);
}

/* ---- the walk over rows ---- */

struct walk {
    struct audit_report *r;
    const struct auditkey_ring *ring;
    long long expect; /* the seq the next row should have */
    int have_prev;    /* prev holds the hash of the row before */
    char prev[STORE_HASH_HEX];
    long long bad_from; /* a run of rows whose signature fails: first */
    long long bad_to;   /* ... and last */
    char bad_key[STORE_KEY_ID_LEN];
    long long unkeyed; /* signed rows while there is no key ring */
    /* the checkpoints to compare, by seq */
    const struct audit_checkpoint **cps;
    const char **cp_file; /* the file of each */
    size_t ncps, cp_at;
    long long cp_mismatch;
    /* the entities' latest records (verify only) */
    struct ent_map *ents;
    enum err e; /* a failure that stops the walk */
};

static void flush_bad(struct walk *w)
{
    if (!w->bad_from)
        return;
    if (w->bad_from == w->bad_to)
        problem(w->r, w->bad_from,
                "audit row %lld is not authentic (its signature does not match key '%s'): "
                "changed, re-chained or forged",
                w->bad_from, w->bad_key);
    else
        problem(w->r, w->bad_from,
                "audit rows %lld to %lld are not authentic (their signatures do not match key "
                "'%s'): changed, re-chained or forged",
                w->bad_from, w->bad_to, w->bad_key);
    w->bad_from = w->bad_to = 0;
}

/* Is row a signed as it should be? Reports what is not. */
static void check_signature(struct walk *w, const struct store_audit *a)
{
    const struct auditkey *k = auditkey_for(w->ring, a->seq);
    if (w->ring->n == 0) {
        if (a->key_id[0])
            w->unkeyed++;
        return;
    }
    if (!k) {
        if (a->key_id[0])
            problem(w->r, a->seq,
                    "audit row %lld names key '%s', but no key signs rows before row %lld", a->seq,
                    a->key_id, w->ring->k[0].from);
        return; /* a row from before keys existed */
    }
    if (!a->key_id[0]) {
        problem(w->r, a->seq, "audit row %lld is not signed (every row from %lld on must be)",
                a->seq, w->ring->k[0].from);
        return;
    }
    if (strcmp(a->key_id, k->id) != 0) {
        problem(w->r, a->seq, "audit row %lld names key '%s', but key '%s' signs row %lld", a->seq,
                a->key_id, k->id, a->seq);
        return;
    }
    if (auditkey_record_ok(k, a->hash, a->sig)) {
        flush_bad(w);
        return;
    }
    if (w->bad_from && w->bad_to == a->seq - 1 && strcmp(w->bad_key, k->id) == 0) {
        w->bad_to = a->seq;
        return;
    }
    flush_bad(w);
    w->bad_from = w->bad_to = a->seq;
    str_copy(w->bad_key, sizeof(w->bad_key), k->id);
}

/* Where a checkpoint was read: "'file':line", or the last in a file. */
static void cp_where(const char *file, long line, char *out, size_t n)
{
    if (line > 0)
        snprintf(out, n, "checkpoint '%s':%ld", file, line);
    else
        snprintf(out, n, "the last checkpoint in '%s'", file);
}

/* Compare the checkpoints that name row a. */
static void check_checkpoints(struct walk *w, const struct store_audit *a)
{
    while (w->cp_at < w->ncps && w->cps[w->cp_at]->seq < a->seq)
        w->cp_at++; /* rows that are missing: reported as such */
    for (; w->cp_at < w->ncps && w->cps[w->cp_at]->seq == a->seq; w->cp_at++) {
        const struct audit_checkpoint *c = w->cps[w->cp_at];
        w->r->checkpoints++;
        if (strcmp(c->hash, a->hash) == 0)
            continue;
        char where[AUDITKEY_PATH_MAX + 40];
        cp_where(w->cp_file[w->cp_at], c->line, where, sizeof(where));
        if (w->cp_mismatch++ == 0)
            problem(w->r, a->seq,
                    "%s (row %lld, %s) does not match audit row %lld: the trail was rewritten "
                    "after it",
                    where, c->seq, c->at, a->seq);
    }
}

struct ent_slot {
    char *name;
    char *rows;
    long long seq;
    int seen;
};
struct ent_map {
    struct ent_slot *slot;
    size_t cap, n;
};

static size_t ent_hash(const char *s)
{
    size_t h = 1469598103934665603ULL & SIZE_MAX;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
    return h;
}

static struct ent_slot *ent_find(struct ent_map *m, const char *name)
{
    if (!m->cap)
        return NULL;
    for (size_t i = ent_hash(name) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slot[i].name)
            return NULL;
        if (strcmp(m->slot[i].name, name) == 0)
            return &m->slot[i];
    }
}

static enum err ent_put(struct ent_map *m, const char *name, const char *rows, long long seq)
{
    struct ent_slot *s = ent_find(m, name);
    if (!s) {
        if ((m->n + 1) * 10 >= m->cap * 7) {
            size_t nc = m->cap ? m->cap * 2 : 1024;
            struct ent_slot *ns = calloc(nc, sizeof(*ns));
            if (!ns)
                return ERR_NOMEM;
            for (size_t i = 0; i < m->cap; i++) {
                if (!m->slot[i].name)
                    continue;
                size_t j = ent_hash(m->slot[i].name) & (nc - 1);
                while (ns[j].name)
                    j = (j + 1) & (nc - 1);
                ns[j] = m->slot[i];
            }
            free(m->slot);
            m->slot = ns;
            m->cap = nc;
        }
        size_t j = ent_hash(name) & (m->cap - 1);
        while (m->slot[j].name)
            j = (j + 1) & (m->cap - 1);
        s = &m->slot[j];
        s->name = strdup(name);
        if (!s->name)
            return ERR_NOMEM;
        m->n++;
    }
    char *copy = strdup(rows);
    if (!copy)
        return ERR_NOMEM;
    free(s->rows);
    s->rows = copy;
    s->seq = seq;
    return ERR_OK;
}

static void ent_release(struct ent_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slot[i].name);
        free(m->slot[i].rows);
    }
    free(m->slot);
    memset(m, 0, sizeof(*m));
}

static int walk_row(void *ctx, const struct store_audit *a)
{
    struct walk *w = ctx;
    struct audit_report *r = w->r;
    char h[STORE_HASH_HEX];
    r->rows++;
    if (a->seq != w->expect) {
        if (a->seq > w->expect && a->seq == w->expect + 1)
            problem(r, w->expect, "audit row %lld is missing (deleted)", w->expect);
        else if (a->seq > w->expect)
            problem(r, w->expect, "audit rows %lld to %lld are missing (deleted)", w->expect,
                    a->seq - 1);
        else
            problem(r, a->seq, "audit row %lld is out of order", a->seq);
        w->have_prev = 0;
    }
    if (w->have_prev && strcmp(a->prev, w->prev) != 0)
        problem(r, a->seq, "audit row %lld does not follow row %lld (previous hash differs)",
                a->seq, a->seq - 1);
    if (a->seq == 1 && w->expect == 1 && strcmp(a->prev, genesis) != 0)
        problem(r, 1, "audit row 1 does not start the trail (previous hash is not zero)");
    audit_record_hash(a, h);
    if (strcmp(h, a->hash) != 0)
        problem(r, a->seq, "audit row %lld was changed (hash differs)", a->seq);
    else
        check_signature(w, a);
    check_checkpoints(w, a);
    if (w->ents && a->entity[0]) {
        w->e = ent_put(w->ents, a->entity, a->rows, a->seq);
        if (w->e != ERR_OK)
            return 1;
    }
    str_copy(w->prev, sizeof(w->prev), a->hash);
    w->have_prev = 1;
    w->expect = a->seq + 1;
    return 0;
}

/* ---- checkpoints read for a check ---- */

struct cp_set {
    struct audit_checkpoint *all; /* every line of every file */
    const char **file;            /* the file of each */
    size_t n;
    const struct audit_checkpoint **use; /* those to compare, by seq */
    const char **use_file;
    size_t nuse;
};

static void cp_set_release(struct cp_set *c)
{
    free(c->all);
    free(c->file);
    free(c->use);
    free(c->use_file);
    memset(c, 0, sizeof(*c));
}

static enum err cp_set_add(struct cp_set *c, const char *path, struct audit_report *r, int *found)
{
    struct audit_checkpoint *cps = NULL;
    size_t n = 0;
    char msg[300];
    *found = 0;
    enum err e = auditkey_cp_read(path, &cps, &n, msg, sizeof(msg));
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK) {
        problem(r, 0, "%s", msg);
        return ERR_OK;
    }
    *found = 1;
    struct audit_checkpoint *na = realloc(c->all, (c->n + n + 1) * sizeof(*na));
    const char **nf = na ? realloc(c->file, (c->n + n + 1) * sizeof(*nf)) : NULL;
    if (na)
        c->all = na;
    if (!nf) {
        free(cps);
        return ERR_NOMEM;
    }
    c->file = nf;
    for (size_t i = 0; i < n; i++) {
        c->all[c->n + i] = cps[i];
        c->file[c->n + i] = path;
    }
    c->n += n;
    free(cps);
    return ERR_OK;
}

static int cp_by_seq(const void *x, const void *y)
{
    const struct audit_checkpoint *a = *(const struct audit_checkpoint *const *)x;
    const struct audit_checkpoint *b = *(const struct audit_checkpoint *const *)y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Check each line's signature and leave in use, by seq, the checkpoints
 * that still hold: those before a restore past their row do not. */
static enum err cp_set_prepare(struct cp_set *c, const struct auditkey_ring *ring,
                               struct audit_report *r)
{
    char *ok = calloc(c->n + 1, 1);
    c->use = calloc(c->n + 1, sizeof(*c->use));
    c->use_file = calloc(c->n + 1, sizeof(*c->use_file));
    if (!ok || !c->use || !c->use_file) {
        free(ok);
        return ERR_NOMEM;
    }
    long long restores = 0, dropped = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct audit_checkpoint *k = &c->all[i];
        if (k->bad)
            problem(r, 0, "checkpoint '%s':%ld is no checkpoint line", c->file[i], k->line);
        else if (!auditkey_find(ring, k->key))
            problem(r, 0, "checkpoint '%s':%ld is signed by key '%s', which the key ring lacks",
                    c->file[i], k->line, k->key);
        else if (!auditkey_cp_ok(ring, k))
            problem(r, 0, "checkpoint '%s':%ld is not authentic (its signature does not verify)",
                    c->file[i], k->line);
        else
            ok[i] = 1;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!ok[i])
            continue;
        const struct audit_checkpoint *k = &c->all[i];
        int superseded = 0;
        for (size_t j = 0; j < c->n && !superseded; j++) {
            const struct audit_checkpoint *x = &c->all[j];
            if (j == i || !ok[j] || strcmp(x->event, "restore") != 0 || x->seq >= k->seq)
                continue;
            if (c->file[j] == c->file[i] ? x->line > k->line : strcmp(k->at, x->at) <= 0)
                superseded = 1;
        }
        if (superseded) {
            dropped++;
            continue;
        }
        if (strcmp(k->event, "restore") == 0)
            restores++;
        c->use[c->nuse] = k;
        c->nuse++;
    }
    free(ok);
    /* by seq, each with the file it came from */
    qsort(c->use, c->nuse, sizeof(*c->use), cp_by_seq);
    for (size_t i = 0; i < c->nuse; i++)
        c->use_file[i] = c->file[c->use[i] - c->all];
    if (restores)
        snprintf(r->note, sizeof(r->note),
                 "an older copy of the database was put back %lld time(s) with 'bidrag restore'; "
                 "%lld checkpoint(s) from before no longer apply",
                 restores, dropped);
    return ERR_OK;
}

/* The last row (its seq; 0 when the trail is empty). */
static enum err last_row(struct store *s, struct store_audit *a)
{
    enum err e = store_audit_last(s, a);
    if (e == ERR_NOTFOUND) {
        memset(a, 0, sizeof(*a));
        return ERR_OK;
    }
    return e;
}

/* A checkpoint past the end of the trail means rows are gone. */
static void check_beyond(const struct audit_checkpoint *k, const char *file, long long last,
                         struct audit_report *r)
{
    char where[AUDITKEY_PATH_MAX + 40];
    if (!k || k->seq <= last)
        return;
    r->checkpoints++;
    cp_where(file, k->line, where, sizeof(where));
    problem(r, last + 1,
            "%s (row %lld, %s) names audit row %lld, but the trail ends at row %lld: rows %lld "
            "to %lld are missing (the trail was cut or wiped, or an older copy of the database "
            "put back)",
            where, k->seq, k->at, k->seq, last, last + 1, k->seq);
}

struct ent_walk {
    struct store *s;
    struct ent_map *m;
    struct audit_report *r;
    enum err e;
};

/* Compare the entity's rows now with what its latest record says. */
static void compare_entity(struct ent_walk *w, const char *name, const struct ent_slot *sl)
{
    char now[STORE_ROWS_LEN], label[STORE_ENTITY_LEN + 16];
    long long rows = 0;
    w->r->entities++;
    entity_label(name, label, sizeof(label));
    if (!sl) {
        problem(w->r, 0, "%s: rows without an audit record (made behind the trail)", label);
        return;
    }
    w->e = store_entity_digest(w->s, name, now, &rows);
    if (w->e != ERR_OK)
        return;
    if (strcmp(now, sl->rows) == 0)
        return;
    /* name the tables that differ: "table=digest" pairs in both */
    char tables[200] = "";
    size_t used = 0;
    const char *p = now;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            size_t nl = (size_t)(eq - p) + 1; /* "table=" */
            const char *q = sl->rows;
            int same = 0, known = 0;
            while (*q) {
                const char *qs = strchr(q, ' ');
                size_t ql = qs ? (size_t)(qs - q) : strlen(q);
                if (ql > nl && memcmp(q, p, nl) == 0) {
                    known = 1;
                    same = ql == len && memcmp(q, p, len) == 0;
                }
                q += ql + (qs ? 1 : 0);
            }
            if (known && !same) {
                int k = snprintf(tables + used, sizeof(tables) - used, "%s'%.*s'", used ? ", " : "",
                                 (int)(nl - 1), p);
                if (k > 0 && (size_t)k < sizeof(tables) - used)
                    used += (size_t)k;
            }
        }
        p += len + (sp ? 1 : 0);
    }
    if (!sl->rows[0])
        problem(w->r, 0, "%s: its latest audit record (row %lld) holds no digest of its rows",
                label, sl->seq);
    else if (rows == 0)
        problem(w->r, 0,
                "%s: its rows were removed behind the trail (audit row %lld says "
                "what they were)",
                label, sl->seq);
    else
        problem(w->r, 0, "%s: table %s differs from audit row %lld (changed behind the trail)",
                label, used ? tables : "(unknown)", sl->seq);
}

static int each_entity(void *ctx, const char *name)
{
    struct ent_walk *w = ctx;
    struct ent_slot *sl = ent_find(w->m, name);
    if (sl)
        sl->seen = 1;
    compare_entity(w, name, sl);
    return w->e != ERR_OK;
}

static enum err check_entities(struct store *s, struct ent_map *m, struct audit_report *r)
{
    struct ent_walk w = {s, m, r, ERR_OK};
    enum err e = store_entity_each(s, each_entity, &w);
    if (e == ERR_OK)
        e = w.e;
    /* entities the trail describes that have no rows now */
    for (size_t i = 0; e == ERR_OK && i < m->cap; i++) {
        const struct ent_slot *sl = &m->slot[i];
        if (!sl->name || sl->seen)
            continue;
        compare_entity(&w, sl->name, sl);
        e = w.e;
    }
    return e;
}

/* The key ring of p, or an empty one with the reason as a problem
 * (rows != 0) when it cannot be read. */
static enum err ring_for_check(const struct audit_paths *p, struct auditkey_ring *ring,
                               struct audit_report *r, int *missing)
{
    char msg[300];
    *missing = 0;
    enum err e = auditkey_load(p->key, ring, msg, sizeof(msg));
    if (e == ERR_NOTFOUND) {
        *missing = 1;
        return ERR_OK;
    }
    if (e != ERR_OK)
        problem(r, 0, "%s", msg);
    return e == ERR_NOMEM ? e : ERR_OK;
}

/* audit_verify_with, with the paths at given (NULL: the database's own). */
static enum err verify(struct store *s, const struct audit_paths *given, const char *const *extra,
                       size_t nextra, struct audit_report *r)
{
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    struct cp_set cps;
    struct ent_map ents;
    struct walk w;
    int missing = 0, found = 0, any_found = 0;
    memset(r, 0, sizeof(*r));
    memset(&cps, 0, sizeof(cps));
    memset(&ents, 0, sizeof(ents));
    memset(&w, 0, sizeof(w));
    enum err e = ERR_OK;
    if (given)
        p = *given;
    else
        e = audit_paths_of(s, &p);
    if (e == ERR_OK)
        e = ring_for_check(&p, &ring, r, &missing);
    if (e == ERR_OK)
        e = cp_set_add(&cps, p.checkpoints, r, &found);
    any_found = found;
    for (size_t i = 0; e == ERR_OK && i < nextra; i++) {
        e = cp_set_add(&cps, extra[i], r, &found);
        if (e == ERR_OK && !found)
            problem(r, 0, "checkpoints '%s': no such file", extra[i]);
        any_found |= found;
    }
    if (e == ERR_OK)
        e = cp_set_prepare(&cps, &ring, r);
    if (e != ERR_OK)
        goto out;
    w.r = r;
    w.ring = &ring;
    w.expect = 1;
    w.cps = cps.use;
    w.cp_file = cps.use_file;
    w.ncps = cps.nuse;
    w.ents = &ents;
    e = store_audit_each(s, NULL, 0, walk_row, &w);
    if (e == ERR_OK)
        e = w.e;
    if (e != ERR_OK)
        goto out;
    flush_bad(&w);
    long long end = w.expect - 1;
    if (w.cp_mismatch > 1)
        problem(r, 0, "%lld more checkpoints do not match their rows", w.cp_mismatch - 1);
    if (cps.nuse)
        check_beyond(cps.use[cps.nuse - 1], cps.use_file[cps.nuse - 1], end, r);
    if (w.unkeyed)
        problem(r, 0,
                "no audit key '%s', but %lld rows of the trail are signed: the key ring is lost "
                "or was moved; put it back from the backup",
                p.key, w.unkeyed);
    else if (missing && end > 0)
        problem(r, 0,
                "no audit key '%s': the trail's %lld rows are from before audit keys and cannot "
                "be authenticated; 'bidrag migrate' makes the key and seals them",
                p.key, end);
    if (end > 0 && !any_found)
        problem(r, 0,
                "no checkpoint in '%s' for a trail of %lld rows: a cut or wiped trail cannot "
                "be told from a short one",
                p.checkpoints, end);
    /* the head kept in the database (it tells a naive cut) */
    long long head_seq = 0;
    char head_hash[STORE_HASH_HEX];
    e = store_audit_head(s, &head_seq, head_hash);
    if (e != ERR_OK)
        goto out;
    if (head_seq > end)
        problem(r, end + 1, "audit rows %lld to %lld are missing (the trail was cut short)",
                end + 1, head_seq);
    else if (head_seq != end || (end > 0 && strcmp(head_hash, w.prev) != 0))
        problem(r, end, "audit head (row %lld) does not match row %lld", head_seq, end);
    e = check_entities(s, &ents, r);
out:
    ent_release(&ents);
    cp_set_release(&cps);
    auditkey_ring_release(&ring);
    if (e != ERR_OK)
        return e;
    return r->problems ? ERR_INVALID : ERR_OK;
}

enum err audit_verify_with(struct store *s, const char *const *extra, size_t nextra,
                           struct audit_report *r)
{
    return verify(s, NULL, extra, nextra, r);
}

enum err audit_verify_at(struct store *s, const struct audit_paths *p, struct audit_report *r)
{
    return verify(s, p, NULL, 0, r);
}

enum err audit_verify(struct store *s, struct audit_report *r)
{
    return verify(s, NULL, NULL, 0, r);
}

/* The tail from the last checkpoint of p (authentic, its row there with
 * its hash) with the ring given. */
static enum err tail_check(struct store *s, const struct audit_paths *p,
                           const struct auditkey_ring *ring, struct audit_report *r)
{
    struct audit_checkpoint cp;
    char msg[300];
    struct walk w;
    memset(&w, 0, sizeof(w));
    const struct audit_checkpoint *one = &cp;
    const char *file = p->checkpoints;
    enum err e = auditkey_cp_last(p->checkpoints, &cp, msg, sizeof(msg));
    if (e != ERR_OK && e != ERR_NOTFOUND) {
        problem(r, 0, "%s", msg);
        return ERR_INVALID;
    }
    int have_cp = e == ERR_OK;
    if (have_cp && !auditkey_cp_ok(ring, &cp)) {
        problem(r, 0,
                "the last checkpoint in '%s' is not authentic (its signature does not verify)",
                p->checkpoints);
        return ERR_INVALID;
    }
    w.r = r;
    w.ring = ring;
    w.expect = have_cp ? cp.seq : 1;
    w.cps = have_cp ? &one : NULL;
    w.cp_file = &file;
    w.ncps = have_cp ? 1 : 0;
    e = store_audit_since(s, w.expect, walk_row, &w);
    if (e != ERR_OK)
        return e;
    flush_bad(&w);
    if (have_cp && w.expect <= cp.seq) {
        struct store_audit last;
        e = last_row(s, &last);
        if (e != ERR_OK)
            return e;
        check_beyond(&cp, file, last.seq, r);
    }
    return r->problems ? ERR_INVALID : ERR_OK;
}

enum err audit_tail_check(struct store *s, struct audit_report *r)
{
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    int missing = 0;
    memset(r, 0, sizeof(*r));
    enum err e = audit_paths_of(s, &p);
    if (e == ERR_OK)
        e = ring_for_check(&p, &ring, r, &missing);
    if (e == ERR_OK && !r->problems)
        e = tail_check(s, &p, &ring, r);
    auditkey_ring_release(&ring);
    if (e != ERR_OK)
        return e;
    return r->problems ? ERR_INVALID : ERR_OK;
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
    FILE *f = audit_log ? audit_log : stderr;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fflush(f);
}

enum err audit_checkpoint(struct store *s, const char *event, int64_t now,
                          struct audit_checkpoint *out, struct audit_report *r)
{
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    struct store_audit head;
    struct audit_checkpoint c, prev;
    char msg[300] = "", line[AUDITKEY_LINE_MAX];
    memset(r, 0, sizeof(*r));
    assert(auditkey_event_ok(event));
    enum err e = audit_paths_of(s, &p);
    if (e == ERR_OK)
        e = auditkey_load(p.key, &ring, msg, sizeof(msg));
    if (e != ERR_OK) {
        problem(r, 0, "%s", e == ERR_LIMIT ? "the audit paths are too long" : msg);
        goto out;
    }
    e = last_row(s, &head);
    if (e != ERR_OK)
        goto out;
    if (head.seq == 0) {
        problem(r, 0, "the audit trail is empty: there is no head to sign");
        e = ERR_NOTFOUND;
        goto out;
    }
    if (strcmp(event, "interval") == 0 &&
        auditkey_cp_last(p.checkpoints, &prev, msg, sizeof(msg)) == ERR_OK &&
        prev.seq == head.seq && strcmp(prev.hash, head.hash) == 0) {
        if (out)
            *out = prev;
        goto out;
    }
    if (strcmp(event, "restore") != 0) {
        e = tail_check(s, &p, &ring, r);
        if (e != ERR_OK)
            goto out;
    }
    memset(&c, 0, sizeof(c));
    c.seq = head.seq;
    str_copy(c.hash, sizeof(c.hash), head.hash);
    clock_iso(c.at, sizeof(c.at), now);
    str_copy(c.event, sizeof(c.event), event);
    auditkey_cp_sign(&ring.k[ring.n - 1], &c, line);
    e = auditkey_cp_append(p.checkpoints, line, msg, sizeof(msg));
    if (e != ERR_OK) {
        problem(r, 0, "%s", msg);
        goto out;
    }
    if (audit_log)
        log_line("audit checkpoint: %s", line);
    if (out)
        *out = c;
out:
    auditkey_ring_release(&ring);
    return e;
}

/* After a commit that appended: a checkpoint when AUDIT_CHECKPOINT_EVERY
 * records have come since the last one (or there is none yet). */
static void after_commit(struct store *s, void *ctx)
{
    (void)ctx;
    struct audit_paths p;
    struct audit_checkpoint last;
    struct store_audit head;
    char msg[300];
    if (audit_paths_of(s, &p) != ERR_OK || last_row(s, &head) != ERR_OK || head.seq == 0)
        return;
    enum err e = auditkey_cp_last(p.checkpoints, &last, msg, sizeof(msg));
    if (e == ERR_OK && head.seq < last.seq + AUDIT_CHECKPOINT_EVERY)
        return;
    struct audit_report *r = malloc(sizeof(*r));
    if (!r)
        return;
    if (audit_checkpoint(s, "every", audit_time(head.at), NULL, r) != ERR_OK)
        log_line("audit checkpoint not written to '%s': %s\n", p.checkpoints, r->msg);
    free(r);
}

enum err audit_append(struct store *s, const char *actor, const char *org, const char *action,
                      const char *object, const char *before, const char *after, int64_t now)
{
    assert(store_in_transaction(s)); /* the change and its record land together */
    struct store_audit a, last;
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    char msg[400];
    memset(&a, 0, sizeof(a));
    enum err e = store_audit_last(s, &last);
    if (e == ERR_NOTFOUND) {
        a.seq = 1;
        str_copy(a.prev, sizeof(a.prev), genesis);
    } else if (e == ERR_OK) {
        a.seq = last.seq + 1;
        str_copy(a.prev, sizeof(a.prev), last.hash);
    } else {
        return e;
    }
    clock_iso(a.at, sizeof(a.at), now);
    if (str_copy(a.actor, sizeof(a.actor), actor ? actor : "system") ||
        str_copy(a.org, sizeof(a.org), org ? org : "") ||
        str_copy(a.action, sizeof(a.action), action) ||
        str_copy(a.object, sizeof(a.object), object ? object : ""))
        return ERR_LIMIT;
    audit_digest(before, a.before);
    audit_digest(after, a.after);
    e = audit_paths_of(s, &p);
    if (e != ERR_OK) {
        store_set_errmsg(s, "the audit key's path is too long");
        return e;
    }
    e = auditkey_load(p.key, &ring, msg, sizeof(msg));
    if (e == ERR_NOTFOUND && a.seq == 1) {
        e = auditkey_add(p.key, 1, a.at, &ring, msg, sizeof(msg));
    } else if (e == ERR_NOTFOUND) {
        snprintf(msg, sizeof(msg),
                 "no audit key '%.300s' for a trail of %lld records: 'bidrag migrate' makes one",
                 p.key, a.seq - 1);
        e = ERR_DENIED;
    }
    const struct auditkey *k = e == ERR_OK ? auditkey_for(&ring, a.seq) : NULL;
    if (e == ERR_OK && !k) {
        snprintf(msg, sizeof(msg), "audit key '%.300s' signs no row before %lld, not row %lld",
                 p.key, ring.k[0].from, a.seq);
        e = ERR_INVALID;
    }
    if (e != ERR_OK) {
        store_set_errmsg(s, msg);
        goto out;
    }
    e = store_entity_of(s, a.object, a.entity);
    if (e == ERR_OK && a.entity[0])
        e = store_entity_digest(s, a.entity, a.rows, NULL);
    if (e != ERR_OK)
        goto out;
    str_copy(a.key_id, sizeof(a.key_id), k->id);
    audit_record_hash(&a, a.hash);
    auditkey_sign_record(k, a.hash, a.sig);
    e = store_audit_insert(s, &a);
    if (e == ERR_OK)
        store_after_commit(s, after_commit, NULL);
out:
    auditkey_ring_release(&ring);
    return e;
}

/* ---- keys ---- */

struct name_list {
    char (*name)[STORE_ENTITY_LEN];
    size_t n, cap;
    enum err e;
};

static int collect_name(void *ctx, const char *name)
{
    struct name_list *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        void *p = realloc(l->name, nc * sizeof(*l->name));
        if (!p) {
            l->e = ERR_NOMEM;
            return 1;
        }
        l->name = p;
        l->cap = nc;
    }
    str_copy(l->name[l->n++], STORE_ENTITY_LEN, name);
    return 0;
}

/* Inside a transaction: a new key from the row after the head; for a
 * trail from before keys, baseline records of every entity first. */
static enum err new_key(struct store *s, const struct audit_paths *p, struct auditkey_ring *ring,
                        const char *actor, int64_t now, int first, struct audit_report *r)
{
    struct store_audit head;
    char at[CLOCK_ISO_LEN], msg[400], object[64], detail[128];
    struct name_list l = {NULL, 0, 0, ERR_OK};
    enum err e = last_row(s, &head);
    if (e != ERR_OK)
        return e;
    clock_iso(at, sizeof(at), now);
    e = auditkey_add(p->key, head.seq + 1, at, ring, msg, sizeof(msg));
    if (e != ERR_OK) {
        problem(r, 0, "%s", msg);
        return e;
    }
    const struct auditkey *k = &ring->k[ring->n - 1];
    if (first) {
        e = store_entity_each(s, collect_name, &l);
        if (e == ERR_OK)
            e = l.e;
        for (size_t i = 0; e == ERR_OK && i < l.n; i++)
            e = audit_append(s, actor, "", "audit.baseline", l.name[i], NULL, NULL, now);
        free(l.name);
    }
    snprintf(object, sizeof(object), "audit-key:%s", k->id);
    snprintf(detail, sizeof(detail), "key=%s from=%lld", k->id, k->from);
    if (e == ERR_OK)
        e = audit_append(s, actor, "", first ? "audit.key" : "audit.rotate-key", object, NULL,
                         detail, now);
    if (e != ERR_OK)
        problem(r, 0, "cannot write the audit records: %s", store_errmsg(s));
    return e;
}

/* The first key of a trail (inside a transaction of its own), then a
 * checkpoint that seals what was there before it. */
static enum err first_key(struct store *s, const struct audit_paths *p, struct auditkey_ring *ring,
                          const char *actor, int64_t now, struct audit_report *r)
{
    struct audit_checkpoint c;
    struct audit_report cr;
    struct store_audit head;
    enum err e = last_row(s, &head);
    if (e != ERR_OK)
        return e;
    /* a signed trail whose ring is gone is no trail from before keys: a
     * new key would seal whatever was done to it */
    if (head.key_id[0]) {
        problem(r, 0,
                "no audit key '%s', but audit row %lld is signed with key '%s': the key ring "
                "is lost or was moved; put it back from the backup (a new key would seal "
                "whatever was done to the trail)",
                p->key, head.seq, head.key_id);
        return ERR_DENIED;
    }
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = new_key(s, p, ring, actor, now, 1, r);
    if (e == ERR_OK)
        e = store_commit(s);
    else
        store_rollback(s);
    if (e == ERR_OK && audit_checkpoint(s, "rotate", now, &c, &cr) != ERR_OK) {
        problem(r, 0, "%s", cr.msg);
        e = ERR_INVALID;
    }
    return e;
}

enum err audit_key_ensure(struct store *s, const char *actor, int64_t now, int *made,
                          struct audit_report *r)
{
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    struct store_audit head;
    char msg[300];
    memset(r, 0, sizeof(*r));
    *made = 0;
    enum err e = audit_paths_of(s, &p);
    if (e == ERR_OK)
        e = auditkey_load(p.key, &ring, msg, sizeof(msg));
    if (e == ERR_NOTFOUND) {
        e = last_row(s, &head);
        /* the first record of a new trail makes the key */
        if (e == ERR_OK && head.seq > 0) {
            e = first_key(s, &p, &ring, actor, now, r);
            *made = e == ERR_OK;
        }
    } else if (e != ERR_OK) {
        problem(r, 0, "%s", msg);
    }
    auditkey_ring_release(&ring);
    return e;
}

enum err audit_rotate_key(struct store *s, const char *actor, int64_t now,
                          char id[STORE_KEY_ID_LEN], struct audit_report *r)
{
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    struct audit_checkpoint c;
    char msg[300];
    memset(r, 0, sizeof(*r));
    id[0] = '\0';
    enum err e = audit_paths_of(s, &p);
    if (e == ERR_OK)
        e = auditkey_load(p.key, &ring, msg, sizeof(msg));
    if (e == ERR_NOTFOUND) {
        e = first_key(s, &p, &ring, actor, now, r);
        if (e == ERR_OK)
            str_copy(id, STORE_KEY_ID_LEN, ring.k[ring.n - 1].id);
        goto out;
    }
    if (e != ERR_OK) {
        problem(r, 0, "%s", msg);
        goto out;
    }
    /* never rotate over a tail that does not hold */
    e = tail_check(s, &p, &ring, r);
    if (e != ERR_OK)
        goto out;
    e = store_begin(s);
    if (e != ERR_OK)
        goto out;
    e = new_key(s, &p, &ring, actor, now, 0, r);
    if (e == ERR_OK)
        e = store_commit(s);
    else
        store_rollback(s);
    if (e != ERR_OK)
        goto out;
    str_copy(id, STORE_KEY_ID_LEN, ring.k[ring.n - 1].id);
    e = audit_checkpoint(s, "rotate", now, &c, r);
out:
    auditkey_ring_release(&ring);
    return e;
}

enum err audit_verify_as(struct store *s, const struct svc_actor *who, int64_t now,
                         struct audit_report *r, struct svc_result *res)
{
    struct svc_call c;
    memset(r, 0, sizeof(*r));
    enum err e = svc_begin(&c, s, who, ACT_AUDIT_VERIFY, now, res);
    if (e == ERR_OK)
        e = audit_verify(s, r);
    if (e == ERR_INVALID) /* the trail is broken: the report says where */
        e = svc_failf(&c, e, M_("Loggen är bruten vid post {1}."), msg_int(r->first_bad));
    return svc_end(&c, e);
}

enum err audit_list(struct store *s, const struct svc_actor *who, int64_t now, const char *object,
                    size_t limit, int (*fn)(void *ctx, const struct store_audit *a), void *ctx,
                    struct svc_result *res)
{
    struct svc_call c;
    enum err e = svc_begin(&c, s, who, ACT_AUDIT_READ, now, res);
    if (e == ERR_OK)
        e = store_audit_each(s, object, limit, fn, ctx);
    return svc_end(&c, e);
}
