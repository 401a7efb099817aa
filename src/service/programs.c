/* programs.c - check, load and open programs with their allocation. */
#include "service/programs.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/requisition.h"
#include "io/progfile.h"
#include "io/valfile.h"
#include "service/audit.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/str.h"

#define PROGRAM_MAX_BYTES (1u << 20)

void program_view_release(struct program_view *v)
{
    if (v->kept) {
        /* a copy of a kept view: only its own series cache is its own */
        for (size_t i = 0; i < v->nseries; i++) {
            series_release(v->series[i]);
            free(v->series[i]);
        }
        free(v->series);
        programs_shared_release(v->kept);
        memset(v, 0, sizeof(*v));
        return;
    }
    if (v->allocated || v->alloc.blocks)
        allocation_release(&v->alloc);
    program_release(&v->prog);
    recipients_release(&v->rec);
    for (size_t i = 0; i < v->nseries; i++) {
        series_release(v->series[i]);
        free(v->series[i]);
    }
    free(v->series);
    store_program_release(&v->stored);
    memset(v, 0, sizeof(*v));
}

/* Keep a series in the view's cache; returns it, or NULL on no memory. */
static struct series *cache_put(struct program_view *v, struct series *s)
{
    struct series **ns = realloc(v->series, (v->nseries + 1) * sizeof(*ns));
    struct series *one = malloc(sizeof(*one));
    if (!ns || !one) {
        free(one);
        if (ns)
            v->series = ns;
        series_release(s);
        return NULL;
    }
    v->series = ns;
    *one = *s;
    v->series[v->nseries++] = one;
    return one;
}

static struct series *cache_find(struct program_view *v, enum series_kind kind, const char *name,
                                 struct date d)
{
    for (size_t i = 0; i < v->nseries; i++) {
        struct series *s = v->series[i];
        if (s->kind == kind && strcmp(s->name, name) == 0 &&
            (kind != SERIES_POPULATION || date_cmp(s->date, d) == 0))
            return s;
    }
    return NULL;
}

static const struct series *cb_population(void *ctx, struct date d)
{
    struct program_view *v = ctx;
    struct series *c = cache_find(v, SERIES_POPULATION, "folkmangd", d);
    if (c)
        return c;
    char ds[16];
    date_fmt(ds, sizeof(ds), d);
    struct series s;
    if (store_series_get(v->s, SERIES_POPULATION, "folkmangd", ds, &s) != ERR_OK)
        return NULL;
    if (series_fill_regions(&s, v->rec.kommuner, v->rec.nk, v->rec.regioner, v->rec.nr)) {
        series_release(&s);
        return NULL;
    }
    return cache_put(v, &s);
}

static const struct series *cb_metric(void *ctx, const char *name)
{
    struct program_view *v = ctx;
    struct date none = {0, 0, 0};
    struct series *c = cache_find(v, SERIES_METRIC, name, none);
    if (c)
        return c;
    struct series s;
    if (store_series_get(v->s, SERIES_METRIC, name, "", &s) != ERR_OK)
        return NULL;
    return cache_put(v, &s);
}

/* Key tables are kept as series of kind METRIC named "table:FILE". */
static const struct series *cb_table(void *ctx, const char *name)
{
    struct program_view *v = ctx;
    char key[160];
    snprintf(key, sizeof(key), "table:%s", name);
    struct date none = {0, 0, 0};
    struct series *c = cache_find(v, SERIES_METRIC, key, none);
    if (c)
        return c;
    struct series s;
    long *lines = NULL;
    struct diag d;
    diag_init(&d, 50);
    struct valfile_opts vo = {"amount", 0};
    enum err e = ERR_NOTFOUND;
    const char *comment_src = NULL;
    struct buf text;
    buf_init(&text, PROGRAM_MAX_BYTES * 16);
    for (size_t i = 0; i < v->stored.nfiles; i++)
        if (strcmp(v->stored.files[i].name, name) == 0) {
            buf_append(&text, v->stored.files[i].content, v->stored.files[i].len);
            e = ERR_OK;
        }
    char path[1024];
    snprintf(path, sizeof(path), "%s%s%s", v->dir, v->dir[0] ? "/" : "", name);
    if (e && v->dir[0])
        e = buf_read_file(&text, path);
    if (!e)
        e = valfile_parse(text.p, text.len, name, SERIES_METRIC, &vo, &s, &lines, &d);
    comment_src = text.p;
    if (!e) {
        /* a first comment starting with ILLUSTRATIV marks demo data */
        const char *q = comment_src;
        while (*q == ' ' || *q == '#')
            q++;
        s.illustrative = strncasecmp(q, "illustrativ", 11) == 0;
        const char *dup;
        series_sort(&s, &dup);
        str_copy(s.name, sizeof(s.name), key);
    }
    buf_release(&text);
    free(lines);
    diag_release(&d);
    if (e)
        return NULL;
    return cache_put(v, &s);
}

/* Read a program file (at most PROGRAM_MAX_BYTES); b is released on
 * failure. */
static enum err read_file(const char *path, struct buf *b, struct diag *d)
{
    buf_init(b, PROGRAM_MAX_BYTES);
    enum err e = buf_read_file_diag(b, path, d);
    if (e)
        buf_release(b);
    return e;
}

static enum err view_compute(struct store *s, struct program_view *v, struct diag *d)
{
    enum err e = refdata_recipients(s, &v->rec);
    if (e) {
        diag_add(d, NULL, 0, "cannot read the recipients: %s", store_errmsg(s));
        return e;
    }
    if (v->rec.nk == 0 && v->rec.nr == 0) {
        diag_add(d, NULL, 0, "the database holds no recipients (run 'bidrag init')");
        return ERR_NOTFOUND;
    }
    struct key_data kd = {v->rec.kommuner, v->rec.nk, v->rec.regioner, v->rec.nr,
                          cb_population,   cb_metric, cb_table,        v};
    e = key_allocate(&v->prog, &kd, &v->alloc, d);
    v->allocated = e == ERR_OK;
    return e;
}

/* Validate and allocate a parsed program. */
static enum err view_finish(struct store *s, struct program_view *v, enum err e, struct diag *d)
{
    if (!e)
        e = program_validate(&v->prog, d);
    if (!e)
        e = view_compute(s, v, d);
    return e;
}

/* A place for diagnostics when the caller gives none. */
struct diag_or_local {
    struct diag local;
    struct diag *d;
};
static struct diag *diag_use(struct diag_or_local *x, struct diag *d)
{
    diag_init(&x->local, 20);
    x->d = d ? d : &x->local;
    return x->d;
}

enum err programs_get(struct store *s, const char *id, struct program_view *v, struct diag *d)
{
    struct diag_or_local dl;
    d = diag_use(&dl, d);
    memset(v, 0, sizeof(*v));
    v->s = s;
    enum err e = store_program_get(s, id ? id : "", &v->stored);
    if (e) {
        diag_add(d, NULL, 0, "%s",
                 e == ERR_NOTFOUND ? "no such program (see 'bidrag program list')"
                                   : store_errmsg(s));
    } else {
        e = progfile_parse(v->stored.source, strlen(v->stored.source), v->stored.source_name,
                           &v->prog, d);
        e = view_finish(s, v, e, d);
    }
    diag_release(&dl.local);
    return e;
}

/* The message of a program that did not open. */
static enum err open_failed(struct svc_call *c, const char *id, const struct program_view *v,
                            enum err e)
{
    if (e == ERR_NOTFOUND && !v->prog.id[0])
        return svc_failf(c, e, M_("Statsbidraget '{1}' finns inte."), msg_str(id));
    if (e == ERR_STORE || e == ERR_LIMIT || e == ERR_NOMEM || e == ERR_IO)
        return e;
    return svc_failf(c, e,
                     M_("Fördelningen i '{1}' kan inte beräknas just nu: underlag saknas. "
                        "Kontakta handläggaren."),
                     msg_str(id));
}

enum err programs_open(struct store *s, const struct svc_actor *who, int64_t now, const char *id,
                       struct program_view *v, struct diag *d, struct svc_result *res)
{
    struct svc_call c;
    memset(v, 0, sizeof(*v));
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_READ, now, res);
    if (e == ERR_OK) {
        e = programs_get(s, id, v, d);
        if (e != ERR_OK)
            e = open_failed(&c, id ? id : "", v, e);
    }
    return svc_end(&c, e);
}

enum err programs_list(struct store *s, const struct svc_actor *who, int64_t now,
                       struct store_program **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_READ, now, res);
    if (e == ERR_OK)
        e = store_program_list(s, out, n);
    return svc_end(&c, e);
}

void programs_list_free(struct store_program *ps, size_t n)
{
    for (size_t i = 0; ps && i < n; i++)
        store_program_release(&ps[i]);
    free(ps);
}

/* Open the program file at path into v. */
static enum err open_file(struct store *s, const char *path, struct program_view *v, struct diag *d)
{
    memset(v, 0, sizeof(*v));
    v->s = s;
    struct buf b;
    enum err e = read_file(path, &b, d);
    if (e)
        return e;
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(v->dir, sizeof(v->dir), "%.*s", (int)(slash - path), path);
    else
        str_copy(v->dir, sizeof(v->dir), ".");
    e = progfile_parse(b.p, b.len, path, &v->prog, d);
    buf_release(&b);
    return view_finish(s, v, e, d);
}

/* A file that did not open or check: its diagnostics say why. */
static enum err file_failed(struct svc_call *c, const char *path, enum err e)
{
    if (e == ERR_STORE || e == ERR_LIMIT || e == ERR_NOMEM)
        return e;
    return svc_failf(c, e, M_("Programfilen '{1}' har fel."), msg_str(path));
}

enum err programs_open_file(struct store *s, const struct svc_actor *who, int64_t now,
                            const char *path, struct program_view *v, struct diag *d,
                            struct svc_result *res)
{
    struct svc_call c;
    struct diag_or_local dl;
    memset(v, 0, sizeof(*v));
    d = diag_use(&dl, d);
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_CHECK, now, res);
    if (e == ERR_OK) {
        e = open_file(s, path ? path : "", v, d);
        if (e != ERR_OK)
            e = file_failed(&c, path ? path : "", e);
    }
    diag_release(&dl.local);
    return svc_end(&c, e);
}

enum err programs_check(struct store *s, const struct svc_actor *who, int64_t now, const char *path,
                        struct diag *d, struct svc_result *res)
{
    struct program_view v;
    enum err e = programs_open_file(s, who, now, path, &v, d, res);
    program_view_release(&v);
    return e;
}

enum err programs_load(struct store *s, const struct svc_actor *who, int64_t now, const char *path,
                       struct diag *d, struct svc_result *res)
{
    struct svc_call c;
    struct program_view v;
    struct buf src;
    struct diag_or_local dl;
    buf_init(&src, PROGRAM_MAX_BYTES); /* released at out even if never read */
    memset(&v, 0, sizeof(v));
    struct store_program sp;
    memset(&sp, 0, sizeof(sp));
    d = diag_use(&dl, d);
    if (!path)
        path = "";
    /* attach every key table the blocks name */
    struct store_program_file files[16];
    struct buf fb[16];
    size_t nf = 0;
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_LOAD, now, res);
    if (e != ERR_OK)
        goto out;
    e = open_file(s, path, &v, d);
    if (e == ERR_OK)
        e = read_file(path, &src, d);
    if (e != ERR_OK) {
        e = file_failed(&c, path, e);
        goto out;
    }
    str_copy(sp.id, sizeof(sp.id), v.prog.id);
    str_copy(sp.title, sizeof(sp.title), v.prog.title);
    str_copy(sp.diarienummer, sizeof(sp.diarienummer), v.prog.diarienummer);
    sp.total_ore = v.prog.total_kr * 100;
    const char *base = strrchr(path, '/');
    str_copy(sp.source_name, sizeof(sp.source_name), base ? base + 1 : path);
    sp.source = src.p;
    str_copy(sp.loaded_at, sizeof(sp.loaded_at), c.nowiso);
    for (size_t i = 0; i < v.prog.nblocks && !e; i++) {
        const struct block *b = &v.prog.blocks[i];
        if (b->key != KEY_TABLE)
            continue;
        int dup = 0;
        for (size_t k = 0; k < nf; k++)
            dup |= strcmp(files[k].name, b->table) == 0;
        if (dup)
            continue;
        if (nf == 16) {
            diag_add(d, path, b->table_line, "at most 16 key tables per program");
            e = file_failed(&c, path, ERR_LIMIT);
            break;
        }
        char fp[1024];
        snprintf(fp, sizeof(fp), "%s/%s", v.dir, b->table);
        buf_init(&fb[nf], PROGRAM_MAX_BYTES * 16);
        e = buf_read_file(&fb[nf], fp);
        if (e) {
            diag_add(d, fp, 0, "cannot read the key table");
            buf_release(&fb[nf]);
            e = file_failed(&c, path, e);
            break;
        }
        memset(&files[nf], 0, sizeof(files[nf]));
        str_copy(files[nf].name, sizeof(files[nf].name), b->table);
        files[nf].content = fb[nf].p;
        files[nf].len = fb[nf].len;
        nf++;
    }
    sp.files = files;
    sp.nfiles = nf;
    if (!e) {
        /* the program and its audit record in one transaction */
        struct store_program old;
        memset(&old, 0, sizeof(old));
        int had = 0;
        e = svc_write(&c);
        if (!e) {
            e = store_program_get(s, sp.id, &old);
            had = e == ERR_OK;
            if (e == ERR_NOTFOUND)
                e = ERR_OK;
        }
        if (!e) {
            e = store_program_put(s, &sp);
            if (e)
                diag_add(d, path, 0, "cannot store the program: %s", store_errmsg(s));
        }
        if (!e) {
            char obj[96];
            snprintf(obj, sizeof(obj), "program:%s", sp.id);
            e = svc_audit_verb(&c, had ? "program.reload" : "program.load", obj,
                               had ? old.source : NULL, sp.source);
            if (e)
                diag_add(d, path, 0, "cannot write the audit record: %s", store_errmsg(s));
        }
        if (had)
            store_program_release(&old);
    }
    for (size_t k = 0; k < nf; k++)
        buf_release(&fb[k]);
out:
    buf_release(&src);
    program_view_release(&v);
    diag_release(&dl.local);
    return svc_end(&c, e);
}

/* ---- the shared views ---- */

#define CACHE_SLOTS 64 /* (database, program) pairs kept */
#define MEMO_MAX 16    /* memos per view */
#define MEMO_KEY_LEN 48
#define MEMO_BYTES_MAX ((size_t)64 << 20)

struct memo {
    char key[MEMO_KEY_LEN];
    char *bytes;
    size_t len;
};

struct programs_shared {
    struct program_view v;
    int64_t gen;          /* 0: made for one call, not kept */
    int refs;             /* under cache_lock */
    pthread_mutex_t lock; /* the memos */
    struct memo memo[MEMO_MAX];
    size_t nmemo;
};

struct cache_slot {
    char db[512]; /* store_name: which database */
    char id[64];
    struct programs_shared *p;
    uint64_t used; /* for eviction: the least recently used goes */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_slot cache[CACHE_SLOTS];
static uint64_t cache_tick;

static void shared_free(struct programs_shared *p)
{
    program_view_release(&p->v);
    for (size_t i = 0; i < p->nmemo; i++)
        free(p->memo[i].bytes);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* Drop a reference (cache_lock held). */
static void unref_locked(struct programs_shared *p)
{
    if (p && --p->refs == 0)
        shared_free(p);
}

void programs_shared_release(struct programs_shared *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&cache_lock);
    unref_locked(p);
    pthread_mutex_unlock(&cache_lock);
}

const struct program_view *programs_shared_view(const struct programs_shared *p)
{
    return &p->v;
}

int64_t programs_shared_gen(const struct programs_shared *p)
{
    return p->gen;
}

void programs_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        unref_locked(cache[i].p);
        memset(&cache[i], 0, sizeof(cache[i]));
    }
    pthread_mutex_unlock(&cache_lock);
}

/* The kept view of (db, id) at generation gen, with a reference for the
 * caller, or NULL. */
static struct programs_shared *cache_get(const char *db, const char *id, int64_t gen)
{
    struct programs_shared *found = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct cache_slot *c = &cache[i];
        if (c->p && c->p->gen == gen && strcmp(c->id, id) == 0 && strcmp(c->db, db) == 0) {
            found = c->p;
            found->refs++;
            c->used = ++cache_tick;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

/* Keep p for (db, id), in place of an older one or the least recently
 * used slot. */
static void cache_put_view(const char *db, const char *id, struct programs_shared *p)
{
    pthread_mutex_lock(&cache_lock);
    struct cache_slot *slot = NULL;
    for (size_t i = 0; i < CACHE_SLOTS && !slot; i++)
        if (cache[i].p && strcmp(cache[i].id, id) == 0 && strcmp(cache[i].db, db) == 0)
            slot = &cache[i];
    if (slot && slot->p->gen > p->gen) {
        pthread_mutex_unlock(&cache_lock); /* a newer one is kept already */
        return;
    }
    for (size_t i = 0; i < CACHE_SLOTS && !slot; i++)
        if (!cache[i].p)
            slot = &cache[i];
    if (!slot) {
        slot = &cache[0];
        for (size_t i = 1; i < CACHE_SLOTS; i++)
            if (cache[i].used < slot->used)
                slot = &cache[i];
    }
    unref_locked(slot->p);
    str_copy(slot->db, sizeof(slot->db), db);
    str_copy(slot->id, sizeof(slot->id), id);
    slot->p = p;
    slot->used = ++cache_tick;
    p->refs++;
    pthread_mutex_unlock(&cache_lock);
}

enum err programs_view(struct store *s, const struct svc_actor *who, int64_t now, const char *id,
                       struct programs_shared **out, int *found, struct svc_result *res)
{
    struct svc_call c;
    struct programs_shared *p = NULL;
    int64_t before = 0, after = 0;
    const char *db = store_name(s);
    *out = NULL;
    if (found)
        *found = 0;
    if (!id)
        id = "";
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_READ, now, res);
    if (e != ERR_OK)
        goto out;
    int counted = store_view_gen(s, &before) == ERR_OK;
    if (counted) {
        p = cache_get(db, id, before);
        if (p)
            goto out;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        e = ERR_NOMEM;
        goto out;
    }
    p->refs = 1;
    pthread_mutex_init(&p->lock, NULL);
    e = programs_get(s, id, &p->v, NULL);
    if (e != ERR_OK) {
        e = open_failed(&c, id, &p->v, e);
        if (found)
            *found = p->v.prog.id[0] != 0;
        programs_shared_release(p);
        p = NULL;
        goto out;
    }
    /* kept only when nothing it read changed while it was computed */
    if (counted && store_view_gen(s, &after) == ERR_OK && after == before) {
        p->gen = before;
        cache_put_view(db, id, p);
    }
out:
    if (p && found)
        *found = 1;
    *out = p;
    return svc_end(&c, e);
}

enum err programs_get_kept(struct store *s, const char *id, struct program_view *v, struct diag *d)
{
    struct programs_shared *p = NULL;
    int64_t before = 0, after = 0;
    const char *db = store_name(s);
    memset(v, 0, sizeof(*v));
    if (!id)
        id = "";
    int counted = store_view_gen(s, &before) == ERR_OK;
    if (counted)
        p = cache_get(db, id, before);
    if (!p) {
        p = calloc(1, sizeof(*p));
        if (!p)
            return ERR_NOMEM;
        p->refs = 1;
        pthread_mutex_init(&p->lock, NULL);
        enum err e = programs_get(s, id, &p->v, d);
        if (e != ERR_OK) {
            *v = p->v; /* the caller's, to say what failed */
            memset(&p->v, 0, sizeof(p->v));
            programs_shared_release(p);
            return e;
        }
        /* kept only when nothing it read changed while it was computed */
        if (counted && store_view_gen(s, &after) == ERR_OK && after == before) {
            p->gen = before;
            cache_put_view(db, id, p);
        }
    }
    *v = p->v;
    v->series = NULL; /* a series read later is the copy's own */
    v->nseries = 0;
    v->s = s;
    v->kept = p;
    v->gen = p->gen;
    return ERR_OK;
}

enum err programs_view_current(struct svc_call *c, const struct program_view *v,
                               const char *recipient)
{
    int64_t gen = 0;
    if (!v->kept || v->gen == 0)
        return ERR_OK; /* computed for this call: as current as it ever was */
    enum err e = store_view_gen(c->s, &gen);
    if (e == ERR_OK && gen == v->gen)
        return ERR_OK;
    if (e == ERR_OK) {
        /* something an allocation depends on changed (a decision does,
         * for the redistribution): the view of now - kept already when
         * another request made it - is compared on what the action used,
         * the program's text and the recipient's maximum */
        struct program_view now;
        e = programs_get_kept(c->s, v->prog.id, &now, NULL);
        if (e == ERR_OK &&
            (strcmp(now.stored.loaded_at, v->stored.loaded_at) != 0 ||
             strcmp(now.stored.source ? now.stored.source : "",
                    v->stored.source ? v->stored.source : "") != 0 ||
             req_max_ore(&now.alloc, recipient) != req_max_ore(&v->alloc, recipient)))
            e = ERR_LIMIT;
        program_view_release(&now);
        if (e == ERR_OK)
            return ERR_OK;
    }
    return svc_failf(c, e,
                     M_("Statsbidraget '{1}' kan inte öppnas just nu. Försök igen om en stund."),
                     msg_str(v->prog.id));
}

enum err programs_shared_memo(struct programs_shared *p, const char *key,
                              void (*make)(void *ctx, const struct program_view *v,
                                           struct buf *out),
                              void *ctx, const char **bytes, size_t *len)
{
    enum err e = ERR_OK;
    *bytes = NULL;
    *len = 0;
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->nmemo; i++)
        if (strcmp(p->memo[i].key, key) == 0) {
            *bytes = p->memo[i].bytes;
            *len = p->memo[i].len;
            goto out;
        }
    if (p->nmemo == MEMO_MAX) {
        e = ERR_LIMIT;
        goto out;
    }
    struct buf b;
    buf_init(&b, MEMO_BYTES_MAX);
    make(ctx, &p->v, &b);
    buf_putc(&b, '\0'); /* never counted in len: the bytes are a C string too */
    if (b.failed) {
        buf_release(&b);
        e = ERR_LIMIT;
        goto out;
    }
    struct memo *m = &p->memo[p->nmemo++];
    str_copy(m->key, sizeof(m->key), key);
    m->len = b.len - 1;
    m->bytes = buf_steal(&b);
    if (!m->bytes) {
        p->nmemo--;
        e = ERR_NOMEM;
        goto out;
    }
    *bytes = m->bytes;
    *len = m->len;
out:
    pthread_mutex_unlock(&p->lock);
    return e;
}

enum err programs_cache_init(struct store *s)
{
    int64_t gen = 0;
    if (store_view_gen(s, &gen) == ERR_OK)
        return ERR_OK;
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_view_gen_init(s);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}

/* ---- stand-in data ---- */

int programs_standin_basis(const struct program_view *v, char *out, size_t n)
{
    size_t used = 0;
    int any = 0;
    out[0] = '\0';
    for (size_t i = 0; v->allocated && i < v->alloc.nblocks; i++) {
        const struct block_result *br = &v->alloc.blocks[i];
        char used_d[16], named[16];
        int w = 0;
        if (br->pop_fallback) {
            date_fmt(used_d, sizeof(used_d), br->pop_used);
            date_fmt(named, sizeof(named), br->b->pop_date);
            w = snprintf(out + used, n - used, "block %s: population %s for %s\n", br->b->id,
                         used_d, named);
            any = 1;
        }
        if (w >= 0 && (size_t)w < n - used)
            used += (size_t)w;
        w = 0;
        if (br->illustrative) {
            w = snprintf(out + used, n - used, "block %s: illustrative %s%s%s\n", br->b->id,
                         br->b->metric, br->b->table, br->b->eligible_metric);
            any = 1;
        }
        if (w >= 0 && (size_t)w < n - used)
            used += (size_t)w;
    }
    return any;
}

enum err programs_standin_of(struct store *s, const struct program_view *v,
                             struct programs_standin *out)
{
    char basis[STORE_STANDIN_BASIS_LEN];
    memset(out, 0, sizeof(*out));
    out->standin = programs_standin_basis(v, basis, sizeof(basis));
    enum err e = store_standin_last(s, v->prog.id, &out->last);
    if (e == ERR_NOTFOUND) {
        memset(&out->last, 0, sizeof(out->last));
        return ERR_OK;
    }
    if (e == ERR_OK)
        out->confirmed = out->standin && strcmp(out->last.basis, basis) == 0;
    return e;
}

enum err programs_standin_get(struct store *s, const struct svc_actor *who, int64_t now,
                              const struct program_view *v, struct programs_standin *out,
                              struct svc_result *res)
{
    struct svc_call c;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_READ, now, res);
    if (e == ERR_OK)
        e = programs_standin_of(s, v, out);
    return svc_end(&c, e);
}

enum err programs_confirm_standin(struct store *s, const struct svc_actor *who, int64_t now,
                                  const char *id, const char *reason, struct svc_result *res)
{
    struct svc_call c;
    struct program_view v;
    struct store_standin row;
    struct programs_standin st;
    char text[STR_UTF8_SIZE(STORE_STANDIN_REASON_MAX_CHARS) + 8];
    memset(&v, 0, sizeof(v));
    memset(&row, 0, sizeof(row));
    enum err e = svc_begin(&c, s, who, ACT_PROGRAM_STANDIN, now, res);
    if (e != ERR_OK)
        goto out;
    if (!reason || !str_text_fits(reason, STR_TEXT_LINES, STORE_STANDIN_REASON_MAX_CHARS) ||
        strlen(reason) >= sizeof(text)) {
        msg_issue_add(&res->issues, "reason",
                      M_("Skälet får vara högst 250 tecken, utan styrtecken."));
        e = svc_fail(&c, ERR_INVALID, M_("Bekräftelsen kunde inte sparas: rätta skälet."));
        goto out;
    }
    str_copy(text, sizeof(text), reason);
    str_trim(text);
    if (!text[0]) {
        msg_issue_add(&res->issues, "reason",
                      M_("Ange varför statsbidraget får öppnas på ersättningsuppgifterna."));
        e = svc_fail(&c, ERR_INVALID, M_("Bekräftelsen kunde inte sparas: rätta skälet."));
        goto out;
    }
    e = programs_get(s, id, &v, NULL);
    if (e != ERR_OK) {
        e = open_failed(&c, id ? id : "", &v, e);
        goto out;
    }
    if (!programs_standin_basis(&v, row.basis, sizeof(row.basis))) {
        e = svc_failf(&c, ERR_INVALID,
                      M_("Fördelningen i {1} bygger inte på ersättningsuppgifter. Det finns "
                         "inget att bekräfta."),
                      msg_str(v.prog.title));
        goto out;
    }
    e = svc_write(&c);
    if (e == ERR_OK)
        e = programs_standin_of(s, &v, &st);
    if (e == ERR_OK && st.confirmed) {
        e = svc_failf(&c, ERR_CONFLICT,
                      M_("Ersättningsuppgifterna för {1} är redan bekräftade av {2}."),
                      msg_str(v.prog.title), msg_str(st.last.confirmed_by));
        goto out;
    }
    if (e != ERR_OK)
        goto out;
    str_copy(row.program, sizeof(row.program), v.prog.id);
    str_copy(row.reason, sizeof(row.reason), text);
    str_copy(row.confirmed_by, sizeof(row.confirmed_by), c.who.login);
    str_copy(row.confirmed_at, sizeof(row.confirmed_at), c.nowiso);
    e = store_standin_add(s, &row);
    if (e == ERR_OK) {
        struct buf after;
        char obj[96];
        buf_init(&after, (size_t)1 << 16);
        buf_printf(&after, "program=%s\nstandin_confirmed=%lld\nbasis=%s\nreason=%s\n", row.program,
                   row.id, row.basis, row.reason);
        snprintf(obj, sizeof(obj), "program:%s", row.program);
        e = after.failed ? ERR_LIMIT : svc_audit(&c, obj, NULL, after.p);
        buf_release(&after);
    }
    if (e == ERR_OK)
        msg_setf(&res->msg,
                 M_("Ersättningsuppgifterna för {1} är bekräftade. Statsbidraget kan öppnas för "
                    "rekvisition."),
                 msg_str(v.prog.title));
out:
    program_view_release(&v);
    return svc_end(&c, e);
}

enum err programs_open_gate(struct svc_call *c, const struct program_view *pv)
{
    struct programs_standin st;
    enum err e = programs_standin_of(c->s, pv, &st);
    if (e != ERR_OK || !st.standin || st.confirmed)
        return e;
    return svc_failf(c, ERR_DENIED,
                     M_("{1} kan inte rekvireras ännu: fördelningen bygger på "
                        "ersättningsuppgifter som ingen handläggare har bekräftat. Kontakta "
                        "Socialstyrelsen."),
                     msg_str(pv->prog.title));
}

const char *programs_standin_note(const struct program_view *pv)
{
    char basis[STORE_STANDIN_BASIS_LEN];
    if (!programs_standin_basis(pv, basis, sizeof(basis)))
        return NULL;
    return N_("Beloppen bygger på ersättningsuppgifter, inte på de uppgifter som beslutet anger "
              "(ett annat befolkningsdatum eller illustrativa uppgifter).");
}

void programs_standin_warn(const struct program_view *v, const char *file, struct diag *d)
{
    int any = 0;
    for (size_t i = 0; v->allocated && i < v->alloc.nblocks; i++) {
        const struct block_result *br = &v->alloc.blocks[i];
        char used_d[16], named[16];
        if (br->pop_fallback) {
            date_fmt(used_d, sizeof(used_d), br->pop_used);
            date_fmt(named, sizeof(named), br->b->pop_date);
            diag_add(d, file, br->b->key_line ? br->b->key_line : br->b->line,
                     "warning: block '%s' uses the population of %s: the decision names %s, "
                     "which is not loaded ('bidrag population import')",
                     br->b->id, used_d, named);
            any = 1;
        }
        if (br->illustrative) {
            any = 1;
            diag_add(d, file, br->b->key_line ? br->b->key_line : br->b->line,
                     "warning: block '%s' rests on illustrative data (%s%s%s), not the "
                     "decision's",
                     br->b->id, br->b->metric, br->b->table, br->b->eligible_metric);
        }
    }
    if (any)
        diag_add(d, file, 0,
                 "warning: program '%s' cannot open for requisition until the named series "
                 "is loaded or an officer confirms the stand-in ('bidrag program confirm-standin "
                 "%s --reason TEXT')",
                 v->prog.id, v->prog.id);
}
