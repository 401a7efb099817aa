/* svc.h - fixture for tools/checksrc.pl: a service function not marked. */
#include "store/store.h"

enum err svc_do(struct store *s);
ERR_MUST_CHECK enum err svc_done(struct store *s);
