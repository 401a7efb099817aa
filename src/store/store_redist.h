/* store_redist.h - storage of redistribution runs: what was not
 * requisitioned in a block of a program, shared out once per program and
 * block (service/requisition.c's req_redistribute decides; this only
 * keeps). A run belongs to the program, not to any one case: the
 * supplementary decisions it wrote name it by id. Part of the store
 * interface, free of SQL.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Times are ISO 8601 UTC text supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_REDIST_H
#define BIDRAG_STORE_STORE_REDIST_H

#include <stdint.h>

#include "store/store.h"

struct store_redist_run {
    long long id;
    char program[64];
    char block[32];
    int64_t unrequisitioned_ore, redistributed_ore, remaining_ore;
    char run_at[32];
    char run_by[128];
};
/* ERR_NOTFOUND if the block was not redistributed. */
ERR_MUST_CHECK enum err store_redist_run_get(struct store *s, const char *program,
                                             const char *block, struct store_redist_run *out);
/* ERR_CONFLICT if it was; r->id is set. */
ERR_MUST_CHECK enum err store_redist_run_add(struct store *s, struct store_redist_run *r);

#endif
