/* store_outbox.h - the outbox of notifications (migration 0057): one row
 * per event and recipient, queued inside the event's transaction, sent
 * later by service/notify through an SMTP relay. */
#ifndef BIDRAG_STORE_STORE_OUTBOX_H
#define BIDRAG_STORE_STORE_OUTBOX_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

#define STORE_OUTBOX_SUBJECT_LEN 256
#define STORE_OUTBOX_BODY_LEN 4096
#define STORE_OUTBOX_ADDR_LEN 256

enum store_outbox_state { OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_FAILED };

struct store_outbox {
    long long id;
    char event[32];   /* submitted, returned, decided, deadline */
    char object[128]; /* the case or program/recipient it is about */
    char dedup[192];  /* the event's key: one message per event */
    char to_addr[STORE_OUTBOX_ADDR_LEN];
    char lang[4]; /* sv, en */
    char subject[STORE_OUTBOX_SUBJECT_LEN];
    char body[STORE_OUTBOX_BODY_LEN];
    char state[12]; /* pending, sent, failed */
    int attempts;
    char next_at[32]; /* the earliest next try (ISO 8601 UTC) */
    char last_error[256];
    char created_at[32];
    char sent_at[32]; /* "" until sent */
};

/* Queue m (state pending, no attempt yet); m->id is set. A message whose
 * dedup key is queued already is not queued again: *queued = 0 (may be
 * NULL) and ERR_OK. */
ERR_MUST_CHECK enum err store_outbox_add(struct store *s, struct store_outbox *m, int *queued);
/* Pending messages due at now (next_at <= now), oldest first, at most
 * max; caller frees *out. */
ERR_MUST_CHECK enum err store_outbox_due(struct store *s, const char *now, size_t max,
                                         struct store_outbox **out, size_t *n);
/* Messages, newest first, in state (NULL: all), at most max; caller
 * frees *out. */
ERR_MUST_CHECK enum err store_outbox_list(struct store *s, const char *state, size_t max,
                                          struct store_outbox **out, size_t *n);
/* Write the outcome of an attempt: state, attempts, next_at, last_error,
 * sent_at of m, only while the row is still pending (ERR_CONFLICT
 * otherwise: someone else sent it). */
ERR_MUST_CHECK enum err store_outbox_mark(struct store *s, const struct store_outbox *m);

#endif
