/* keep.c - rendered responses kept in memory, checked against the data
 * generation and the statistics folder's mark (keep.h says when an
 * answer is kept and served). One table for the whole server under one
 * mutex, held only to find, add or drop an entry: an entry's bytes are
 * never changed once kept and are copied out under a reference. */
#include "web/keep.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "service/statsvc.h"
#include "util/str.h"
#include "web/web.h"

#define KEEP_BUCKETS 8192 /* a power of two */

struct keep_entry {
    struct keep_entry *next;     /* in its bucket */
    struct keep_entry *lru_prev; /* towards the most recently used */
    struct keep_entry *lru_next; /* towards the least recently used */
    int refs;                    /* the table's one and each reader's */
    int in_table;
    uint64_t hash;
    char *key;
    size_t keylen;
    int64_t gen;
    char mark[320];
    int status;
    int is_data; /* the body was r->data (else r->out) */
    char ctype[128];
    size_t nhdr;
    char *hdr_name[WEB_MAX_HEADERS];
    char *hdr_value[WEB_MAX_HEADERS];
    char *body;
    size_t len;
    size_t bytes; /* charged to the table */
};

static struct {
    pthread_mutex_t lock;
    struct keep_entry *bucket[KEEP_BUCKETS];
    struct keep_entry *mru, *lru;
    size_t entries, bytes;
    uint64_t hits, puts;
} kt = {PTHREAD_MUTEX_INITIALIZER, {NULL}, NULL, NULL, 0, 0, 0, 0};

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void entry_free(struct keep_entry *e)
{
    for (size_t i = 0; i < e->nhdr; i++) {
        free(e->hdr_name[i]);
        free(e->hdr_value[i]);
    }
    free(e->key);
    free(e->body);
    free(e);
}

/* Drop a reference (under kt.lock); the last one frees. */
static void entry_unref(struct keep_entry *e)
{
    if (--e->refs == 0)
        entry_free(e);
}

static void lru_unlink(struct keep_entry *e)
{
    if (e->lru_prev)
        e->lru_prev->lru_next = e->lru_next;
    else
        kt.mru = e->lru_next;
    if (e->lru_next)
        e->lru_next->lru_prev = e->lru_prev;
    else
        kt.lru = e->lru_prev;
    e->lru_prev = e->lru_next = NULL;
}

static void lru_front(struct keep_entry *e)
{
    e->lru_prev = NULL;
    e->lru_next = kt.mru;
    if (kt.mru)
        kt.mru->lru_prev = e;
    kt.mru = e;
    if (!kt.lru)
        kt.lru = e;
}

/* Take e out of the table (under kt.lock). */
static void entry_remove(struct keep_entry *e)
{
    struct keep_entry **pp = &kt.bucket[e->hash & (KEEP_BUCKETS - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->next;
    if (*pp)
        *pp = e->next;
    lru_unlink(e);
    e->in_table = 0;
    kt.entries--;
    kt.bytes -= e->bytes;
    entry_unref(e);
}

static struct keep_entry *entry_find(uint64_t hash, const char *key, size_t keylen)
{
    for (struct keep_entry *e = kt.bucket[hash & (KEEP_BUCKETS - 1)]; e; e = e->next)
        if (e->hash == hash && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
            return e;
    return NULL;
}

/* ---- the key ---- */

static void key_part(struct buf *b, const char *s, size_t n)
{
    buf_printf(b, "%zu:", n);
    buf_append(b, s, n);
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *name,
                               const char *value)
{
    (void)kind;
    struct buf *b = cls;
    key_part(b, name, strlen(name));
    key_part(b, value ? value : "", value ? strlen(value) : 0);
    return MHD_YES;
}

/* The viewer and what was asked, as one string (length-prefixed parts:
 * no two different requests give the same key). */
static int make_key(struct web_req *r, struct buf *b)
{
    char part[160];
    key_part(b, r->method, strlen(r->method));
    key_part(b, r->path, strlen(r->path));
    buf_puts(b, "?");
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, b);
    snprintf(part, sizeof(part), "|%d|%d|%lld|%d|%u|", (int)r->lang,
             r->route && (r->route->flags & WEB_API) ? 1 : 0,
             r->authed ? (long long)r->sess.account.id : -1LL, r->sess.row.org_chosen,
             r->sess.roles);
    buf_puts(b, part);
    key_part(b, r->sess.row.org, strlen(r->sess.row.org));
    key_part(b, r->sess.row.id_hash, strlen(r->sess.row.id_hash));
    key_part(b, r->sess.row.csrf, strlen(r->sess.row.csrf));
    /* the clock: the civil date, and the minute for anything finer */
    snprintf(part, sizeof(part), "|%04d-%02d-%02d|%lld", r->today.y, r->today.m, r->today.d,
             (long long)(r->now / 60));
    buf_puts(b, part);
    return b->failed ? -1 : 0;
}

/* The statistics folder: the database's folder plus /stats (as the
 * statistics pages read it). */
static void stats_mark(struct web_req *r, char *out, size_t n)
{
    char folder[1024], dir[1100];
    if (store_url_folder(r->cfg->db_path, folder, sizeof(folder)) != ERR_OK || !folder[0])
        str_copy(dir, sizeof(dir), "stats");
    else
        snprintf(dir, sizeof(dir), "%s/stats", folder);
    statsvc_store_mark(dir, out, n);
}

/* ---- serving ---- */

static int fill_from(struct web_req *r, const struct keep_entry *e)
{
    struct buf *to = e->is_data ? &r->data : &r->out.b;
    buf_reset(to);
    if (buf_append(to, e->body, e->len) != ERR_OK)
        return -1;
    r->has_data = e->is_data;
    r->status = e->status;
    r->ctype = e->ctype[0] ? arena_strdup(r->arena, e->ctype) : NULL;
    for (size_t i = 0; i < e->nhdr && r->nhdr < WEB_MAX_HEADERS; i++) {
        const char *nm = arena_strdup(r->arena, e->hdr_name[i]);
        const char *v = arena_strdup(r->arena, e->hdr_value[i]);
        if (!nm || !v)
            return -1;
        r->hdr[r->nhdr].name = nm;
        r->hdr[r->nhdr].value = v;
        r->nhdr++;
    }
    return 0;
}

int keep_serve(struct web_req *r, struct keep_tag *t)
{
    memset(t, 0, sizeof(*t));
    t->first_hdr = r->nhdr;
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        return 0;
    /* read before rendering: an answer is never older than what it is
     * kept under */
    if (r->have_data_gen)
        t->gen = r->data_gen; /* read with the auth generation (routes.c) */
    else if (svc_data_gen(r->store, &t->gen) != ERR_OK)
        return 0;
    if (r->route && (r->route->flags & WEB_STATS))
        stats_mark(r, t->mark, sizeof(t->mark));
    struct buf b;
    buf_init(&b, 64 << 10);
    if (make_key(r, &b) != 0) {
        buf_release(&b);
        return 0;
    }
    t->key = arena_strndup(r->arena, b.p, b.len);
    t->keylen = b.len;
    buf_release(&b);
    if (!t->key)
        return 0;
    t->hash = fnv(t->key, t->keylen);
    t->ok = 1;
    pthread_mutex_lock(&kt.lock);
    struct keep_entry *e = entry_find(t->hash, t->key, t->keylen);
    if (e && (e->gen != t->gen || strcmp(e->mark, t->mark) != 0)) {
        entry_remove(e); /* stale: something it shows has changed */
        e = NULL;
    }
    if (e) {
        e->refs++;
        lru_unlink(e);
        lru_front(e);
        kt.hits++;
    }
    pthread_mutex_unlock(&kt.lock);
    if (!e)
        return 0;
    int rc = fill_from(r, e);
    pthread_mutex_lock(&kt.lock);
    entry_unref(e);
    pthread_mutex_unlock(&kt.lock);
    if (rc != 0) { /* no room: render it */
        r->nhdr = t->first_hdr;
        buf_reset(&r->data);
        buf_reset(&r->out.b);
        r->has_data = 0;
        return 0;
    }
    r->kept = 1;
    return 1;
}

void keep_put(struct web_req *r, const struct keep_tag *t)
{
    if (!t->ok || r->status != 200)
        return;
    const struct buf *from = r->has_data ? &r->data : &r->out.b;
    if (from->failed || !from->p || from->len == 0 || from->len > KEEP_MAX_BYTES / 8)
        return;
    for (size_t i = t->first_hdr; i < r->nhdr; i++)
        if (strcasecmp(r->hdr[i].name, "Set-Cookie") == 0)
            return;
    /* rendering it wrote something (an audit record): it must run again */
    int64_t gen = 0;
    if (svc_data_gen(r->store, &gen) != ERR_OK || gen != t->gen)
        return;
    struct keep_entry *e = calloc(1, sizeof(*e));
    if (!e)
        return;
    e->refs = 1;
    e->hash = t->hash;
    e->keylen = t->keylen;
    e->key = malloc(t->keylen);
    e->body = malloc(from->len);
    e->len = from->len;
    e->gen = t->gen;
    e->status = r->status;
    e->is_data = r->has_data;
    str_copy(e->mark, sizeof(e->mark), t->mark);
    if (r->ctype && str_copy(e->ctype, sizeof(e->ctype), r->ctype) != 0)
        goto drop;
    if (!e->key || !e->body)
        goto drop;
    memcpy(e->key, t->key, t->keylen);
    memcpy(e->body, from->p, from->len);
    e->bytes = sizeof(*e) + e->keylen + e->len;
    for (size_t i = t->first_hdr; i < r->nhdr; i++) {
        e->hdr_name[e->nhdr] = strdup(r->hdr[i].name);
        e->hdr_value[e->nhdr] = strdup(r->hdr[i].value);
        e->nhdr++;
        if (!e->hdr_name[e->nhdr - 1] || !e->hdr_value[e->nhdr - 1])
            goto drop;
        e->bytes += strlen(r->hdr[i].name) + strlen(r->hdr[i].value) + 2;
    }
    pthread_mutex_lock(&kt.lock);
    struct keep_entry *old = entry_find(e->hash, e->key, e->keylen);
    if (old)
        entry_remove(old);
    while (kt.lru && (kt.entries >= KEEP_MAX_ENTRIES || kt.bytes + e->bytes > KEEP_MAX_BYTES))
        entry_remove(kt.lru);
    struct keep_entry **head = &kt.bucket[e->hash & (KEEP_BUCKETS - 1)];
    e->next = *head;
    *head = e;
    e->in_table = 1;
    lru_front(e);
    kt.entries++;
    kt.bytes += e->bytes;
    kt.puts++;
    pthread_mutex_unlock(&kt.lock);
    return;
drop:
    entry_free(e);
}

void keep_stats_get(struct keep_stats *out)
{
    pthread_mutex_lock(&kt.lock);
    out->hits = kt.hits;
    out->puts = kt.puts;
    out->entries = kt.entries;
    out->bytes = kt.bytes;
    pthread_mutex_unlock(&kt.lock);
}

void keep_clear(void)
{
    pthread_mutex_lock(&kt.lock);
    while (kt.lru)
        entry_remove(kt.lru);
    pthread_mutex_unlock(&kt.lock);
}
