/* keep.h - rendered responses kept in memory (routes flagged WEB_KEEP).
 *
 * A GET of a kept route is answered from memory when the same viewer
 * asked for the same thing and nothing it can show has changed since:
 *
 * - the key is the method, the path and its query, the language, the
 *   viewer (the session or token's account, the organisation acted for,
 *   its roles there and the session itself, whose CSRF value pages
 *   carry) and the civil date and minute of the request's clock;
 * - the entry holds the database's data generation (store_data_gen,
 *   migration 0061: bumped by triggers on every table a page can show,
 *   whichever process writes) and the statistics folder's mark
 *   (statsvc_store_mark: a new import or publish, a saved query), both
 *   read before the page was rendered; it is served only while both are
 *   still the same, so an answer is never older than the data;
 * - an answer whose rendering wrote anything (an audit record of an
 *   unprotected statistics table) is not kept: its write would be
 *   skipped; nor a non-200, nor one that sets a cookie.
 *
 * Authorisation is not cached: routes.c authenticates the viewer and
 * checks the route's action on every request before this is asked.
 * Memory is bounded (KEEP_MAX_BYTES, KEEP_MAX_ENTRIES; the least recently
 * used entries go first). */
#ifndef BIDRAG_WEB_KEEP_H
#define BIDRAG_WEB_KEEP_H

#include <stddef.h>
#include <stdint.h>

struct web_req;

#define KEEP_MAX_BYTES ((size_t)64 << 20)
#define KEEP_MAX_ENTRIES 4096

/* What a request's answer is kept under (filled by keep_serve). */
struct keep_tag {
    int ok; /* 0: the answer is not to be kept (no generation to check) */
    uint64_t hash;
    char *key; /* in the request's arena */
    size_t keylen;
    int64_t gen;
    char mark[320];
    size_t first_hdr; /* r->nhdr before the handler ran */
};

/* 1 when r was answered from memory (status, type, headers and body set
 * as the handler would); 0 when the handler is to run, with t filled for
 * keep_put. */
int keep_serve(struct web_req *r, struct keep_tag *t);
/* After the handler: keep r's answer under t when it may be kept. */
void keep_put(struct web_req *r, const struct keep_tag *t);
/* Counters, for tests and the bench: answers served from memory, kept,
 * and entries held now. */
struct keep_stats {
    uint64_t hits, puts;
    size_t entries, bytes;
};
void keep_stats_get(struct keep_stats *out);
/* Forget everything (at the server's start and stop). */
void keep_clear(void);

#endif
