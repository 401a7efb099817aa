/* store.h - fixture for tools/checksrc.pl: a store interface. */
#include "util/err.h"

struct store;
ERR_MUST_CHECK enum err store_open(const char *path, struct store **out);
void store_close(struct store *s);
ERR_MUST_CHECK enum err store_begin(struct store *s);
ERR_MUST_CHECK enum err store_commit(struct store *s);
void store_rollback(struct store *s);
ERR_MUST_CHECK enum err store_thing_get(struct store *s, int id, int *out);
ERR_MUST_CHECK enum err store_thing_put(struct store *s, int id);
