/* store_pay.h - storage of paying out (migration 0060): payments (one
 * instalment of a decision each, core/payment.h's value with where it
 * belongs), batches, the bank files byte for byte, the agency's bank
 * settings and the attestants' limits. One audited entity, "payments"
 * (store_entity.h). Part of the store interface, free of SQL; no business
 * rule lives here: service/payments.c decides, core/payment.c says how a
 * payment and a batch may change.
 *
 * Every function returns enum err; on ERR_STORE store_errmsg() says why.
 * Times are ISO 8601 UTC text supplied by the caller. */
#ifndef BIDRAG_STORE_STORE_PAY_H
#define BIDRAG_STORE_STORE_PAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/payment.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/str.h"

#define STORE_PAY_WHO_LEN 128

/* A stored payment: the value core/payment.c works on, and where it
 * belongs. */
struct store_payment {
    long long id;
    struct payment p;
    char program[64];
    char recipient[5];
    long long batch_id; /* -1: in no batch */
    char created_at[32];
    char created_by[STORE_PAY_WHO_LEN];
    char updated_at[32];
    char updated_by[STORE_PAY_WHO_LEN];
};

/* Add a payment (created, in no batch); r->id is set. ERR_CONFLICT when
 * the decision's instalment has one already. */
ERR_MUST_CHECK enum err store_pay_add(struct store *s, struct store_payment *r);
/* Write state, issue, payee, batch, file and the bank's reason of r. */
ERR_MUST_CHECK enum err store_pay_update(struct store *s, const struct store_payment *r);
/* By decision and instalment; ERR_NOTFOUND if none. */
ERR_MUST_CHECK enum err store_pay_get(struct store *s, const char *decision, int seq,
                                      struct store_payment *out);

struct store_pay_filter {
    const char *program;                /* NULL: all */
    long long batch_id;                 /* -1: any; 0: in no batch */
    int state;                          /* -1: all, else enum payment_state */
    const char *file_id;                /* NULL: any */
    const char *recipient, *recipient2; /* NULL: any; else either code */
};
/* Payments matching f, by decision and instalment; caller frees *out. */
ERR_MUST_CHECK enum err store_pay_list(struct store *s, const struct store_pay_filter *f,
                                       struct store_payment **out, size_t *n);
/* The decisions (numbers) that have a payment, of a program; caller
 * frees *out (n rows of PAYMENT_DECISION_SIZE bytes). */
ERR_MUST_CHECK enum err store_pay_decisions(struct store *s, const char *program,
                                            char (**out)[PAYMENT_DECISION_SIZE], size_t *n);

struct store_pay_batch {
    long long id;
    char number[PAYMENT_ID_SIZE];
    struct payment_batch b; /* b.id is the number */
    char attested_at[32];
    char created_at[32];
    char created_by[STORE_PAY_WHO_LEN];
};
/* Add b (its number given by the caller); b->id set. ERR_CONFLICT if the
 * number is taken. */
ERR_MUST_CHECK enum err store_pay_batch_add(struct store *s, struct store_pay_batch *b);
/* Write state, preparer, attestation, return and file of b. */
ERR_MUST_CHECK enum err store_pay_batch_update(struct store *s, const struct store_pay_batch *b);
/* By number; ERR_NOTFOUND if none. */
ERR_MUST_CHECK enum err store_pay_batch_get(struct store *s, const char *number,
                                            struct store_pay_batch *out);
ERR_MUST_CHECK enum err store_pay_batch_get_id(struct store *s, long long id,
                                               struct store_pay_batch *out);
/* Every batch, newest first; caller frees *out. */
ERR_MUST_CHECK enum err store_pay_batches(struct store *s, struct store_pay_batch **out, size_t *n);

struct store_pay_file {
    char msg_id[PAYMENT_ID_SIZE];
    long long batch_id;
    char created[20]; /* the header's creation time */
    char today[11];   /* the header's date */
    char sha256[65];
    char *content; /* owned */
    size_t len;
    char state[8]; /* "live", "refused" */
    char bank_status[16];
    char made_at[32];
    char made_by[STORE_PAY_WHO_LEN];
};
void store_pay_file_release(struct store_pay_file *f);
ERR_MUST_CHECK enum err store_pay_file_add(struct store *s, const struct store_pay_file *f);
/* Set a file's state and the bank's status of it. */
ERR_MUST_CHECK enum err store_pay_file_set(struct store *s, const char *msg_id, const char *state,
                                           const char *bank_status);
/* By its MsgId; ERR_NOTFOUND if none. Release with store_pay_file_release. */
ERR_MUST_CHECK enum err store_pay_file_get(struct store *s, const char *msg_id,
                                           struct store_pay_file *out);
/* How many files a batch has had (to number the next). */
ERR_MUST_CHECK enum err store_pay_file_count(struct store *s, long long batch_id, int64_t *n);

/* The agency's bank settings (what the agency fills in; the bank's own
 * defaults are io/pain001's). */
struct store_pay_settings {
    char bank[16]; /* "danske", "swedbank" */
    char debtor_name[STR_UTF8_SIZE(PAYMENT_NAME_MAX_CHARS)];
    char debtor_iban[40];
    char debtor_bic[12]; /* "" : the bank's */
    char initg_id[PAYMENT_ID_SIZE];
};
/* ERR_NOTFOUND until set. */
ERR_MUST_CHECK enum err store_pay_settings_get(struct store *s, struct store_pay_settings *out);
ERR_MUST_CHECK enum err store_pay_settings_put(struct store *s, const struct store_pay_settings *in,
                                               const char *at, const char *by);

/* An attestant's limit in öre; ERR_NOTFOUND when none is set. */
ERR_MUST_CHECK enum err store_pay_limit_get(struct store *s, const char *login, int64_t *limit);
ERR_MUST_CHECK enum err store_pay_limit_put(struct store *s, const char *login, int64_t limit,
                                            const char *at, const char *by);

#endif
