/* svc.c - fixture for tools/checksrc.pl: a service owns its transaction. */
#include "store/store.h"

enum err svc_put(struct store *s, int id)
{
    enum err e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_thing_put(s, id);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    return store_commit(s);
}
