/* store_copy.h - moving an installation from one database to another
 * (`bidrag db copy`, e.g. from SQLite to PostgreSQL): every table in
 * dependency order, in one transaction on the target, into a target that
 * must be empty, each table's rows counted and its money summed on both
 * sides before the target commits. The copy holds the source's write
 * lock while it runs: nothing changes under it. Both stores are open
 * (store_open has brought both to this build's schema). */
#ifndef BIDRAG_STORE_COPY_H
#define BIDRAG_STORE_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_COPY_MAX_TABLES 64
#define STORE_COPY_MAX_MONEY 8

/* A money column (its name ends in _ore) and its sum, the same on both. */
struct store_copy_money {
    char column[64];
    int64_t sum;
};

struct store_copy_table {
    char name[64];
    long long rows;
    size_t nmoney;
    struct store_copy_money money[STORE_COPY_MAX_MONEY];
};

struct store_copy_report {
    size_t ntables;
    struct store_copy_table tables[STORE_COPY_MAX_TABLES];
    long long rows; /* in all tables */
    char msg[640];  /* why not, when the copy fails */
};

/* A check of the copied data run on the target inside the copy's
 * transaction, after every table is copied and verified and before the
 * commit (the audit chain's, by the service): ERR_OK lets the copy
 * commit, anything else undoes it with msg (n bytes) saying why. */
struct store_copy_check {
    enum err (*fn)(void *ctx, struct store *from, struct store *to, char *msg, size_t n);
    void *ctx;
};

/* Copy every table of from into the empty to (ERR_CONFLICT, naming a
 * table with rows, when it is not empty), verify counts and sums of money
 * per table, run check (may be NULL), commit. *r tells what was copied, or
 * in r->msg why nothing was. */
ERR_MUST_CHECK enum err store_copy(struct store *from, struct store *to,
                                   const struct store_copy_check *check,
                                   struct store_copy_report *r);

/* The tables store_copy copies, parents before the tables that refer to
 * them. Every table of the schema but schema_migration (each database
 * keeps its own) must be here: tests/unit/store/test_copy.c checks it. */
const char *const *store_copy_tables(size_t *n);

#endif
