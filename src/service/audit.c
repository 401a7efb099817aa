/* audit.c - the hash-chained audit trail. */
#include "service/audit.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

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
    snprintf(seq, sizeof(seq), "%lld", a->seq);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)a->prev, strlen(a->prev));
    field(&st, "bidrag-audit-1");
    field(&st, seq);
    field(&st, a->at);
    field(&st, a->actor);
    field(&st, a->org);
    field(&st, a->action);
    field(&st, a->object);
    field(&st, a->before);
    field(&st, a->after);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

enum err audit_append(struct store *s, const char *actor, const char *org, const char *action,
                      const char *object, const char *before, const char *after, int64_t now)
{
    assert(store_in_transaction(s)); /* the change and its record land together */
    struct store_audit a, last;
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
    audit_record_hash(&a, a.hash);
    return store_audit_insert(s, &a);
}

struct verify_walk {
    struct audit_report *r;
    long long expect_seq;
    char prev[STORE_HASH_HEX];
    int broken;
};

static int verify_row(void *ctx, const struct store_audit *a)
{
    struct verify_walk *w = ctx;
    struct audit_report *r = w->r;
    char h[STORE_HASH_HEX];
    r->rows++;
    if (a->seq != w->expect_seq) {
        r->first_bad = w->expect_seq;
        if (a->seq > w->expect_seq)
            snprintf(r->msg, sizeof(r->msg), "audit row %lld is missing (deleted)", w->expect_seq);
        else
            snprintf(r->msg, sizeof(r->msg), "audit row %lld is out of order", a->seq);
        w->broken = 1;
        return 1;
    }
    if (strcmp(a->prev, w->prev) != 0) {
        r->first_bad = a->seq;
        snprintf(r->msg, sizeof(r->msg),
                 "audit row %lld does not follow row %lld (previous hash differs)", a->seq,
                 a->seq - 1);
        w->broken = 1;
        return 1;
    }
    audit_record_hash(a, h);
    if (strcmp(h, a->hash) != 0) {
        r->first_bad = a->seq;
        snprintf(r->msg, sizeof(r->msg), "audit row %lld was changed (hash differs)", a->seq);
        w->broken = 1;
        return 1;
    }
    str_copy(w->prev, sizeof(w->prev), a->hash);
    w->expect_seq++;
    return 0;
}

enum err audit_chain_check(struct store *s, struct audit_report *r)
{
    struct verify_walk w;
    memset(r, 0, sizeof(*r));
    memset(&w, 0, sizeof(w));
    w.r = r;
    w.expect_seq = 1;
    str_copy(w.prev, sizeof(w.prev), genesis);
    enum err e = store_audit_each(s, NULL, 0, verify_row, &w);
    if (e != ERR_OK)
        return e;
    if (w.broken)
        return ERR_INVALID;
    long long head_seq;
    char head_hash[STORE_HASH_HEX];
    e = store_audit_head(s, &head_seq, head_hash);
    if (e != ERR_OK)
        return e;
    long long last = w.expect_seq - 1;
    if (head_seq != last || (last > 0 && strcmp(head_hash, w.prev) != 0)) {
        r->first_bad = last + 1;
        if (head_seq > last)
            snprintf(r->msg, sizeof(r->msg),
                     "audit rows %lld to %lld are missing (the trail was cut short)", last + 1,
                     head_seq);
        else
            snprintf(r->msg, sizeof(r->msg), "audit head (row %lld) does not match row %lld",
                     head_seq, last);
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err audit_verify(struct store *s, const struct svc_actor *who, int64_t now,
                      struct audit_report *r, struct svc_result *res)
{
    struct svc_call c;
    memset(r, 0, sizeof(*r));
    enum err e = svc_begin(&c, s, who, ACT_AUDIT_VERIFY, now, res);
    if (e == ERR_OK)
        e = audit_chain_check(s, r);
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

int64_t audit_time(const char *iso)
{
    int64_t t = 0;
    if (!iso || clock_parse(iso, &t) != ERR_OK)
        return 0;
    return t;
}
