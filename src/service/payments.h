/* payments.h - paying out (issue 13): payments of approved decisions,
 * batches (utbetalningsomgångar) prepared by a handläggare and attested by
 * another person within their limit, the bank file (ISO 20022
 * pain.001.001.03, validated against the ISO XSD before it is kept), and
 * the bank's replies (pain.002 status reports, camt.054 debit
 * notifications). One action each, in the call shape of service/svc.h;
 * the rules of a payment and a batch are core/payment.h's, the formats
 * io/pain001.h, io/pain002.h and io/camt054.h; docs/payments.md describes
 * the whole.
 *
 * Every change is one transaction with one audit record on the object
 * "payments" (one audited entity: a batch moves many payments at once).
 * Nothing is paid twice: a decision's instalment has one payment, a
 * payment is in at most one live file, and a file made again for the same
 * batch is the same bytes. */
#ifndef BIDRAG_SERVICE_PAYMENTS_H
#define BIDRAG_SERVICE_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "io/pain001.h"
#include "service/svc.h"
#include "store/store_pay.h"
#include "util/buf.h"

/* The agency's bank and its own details (name, IBAN, the id the bank
 * gave it; bic "" keeps the bank's). Action payment.settings. */
ERR_MUST_CHECK enum err pay_settings_set(struct store *s, const struct svc_actor *who, int64_t now,
                                         enum pain001_bank bank, const char *debtor_name,
                                         const char *debtor_iban, const char *debtor_bic,
                                         const char *initg_id, struct svc_result *res);

/* An attestant's limit (beloppsgräns) in öre. Action payment.limit. */
ERR_MUST_CHECK enum err pay_limit_set(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *login, int64_t limit_ore, struct svc_result *res);

/* Create a payment for every granted decision of program (an original or
 * supplementary decision with an amount) that has none yet: the amount
 * decided, due on the decision's date, to the account of the
 * requisition's latest version. *created and *total_ore say what was
 * made (0 when everything had its payment). Action payment.create. */
ERR_MUST_CHECK enum err pay_create(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *program, size_t *created, int64_t *total_ore,
                                   struct svc_result *res);

/* A new batch holding every created payment (of program; NULL: of all
 * programs); the actor is its preparer. ERR_NOTFOUND when there is
 * nothing to pay. number gets the batch's number ("UTB-2026-0001").
 * Action payment.batch. */
ERR_MUST_CHECK enum err pay_batch_new(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *program, char number[PAYMENT_ID_SIZE], size_t *n,
                                      int64_t *total_ore, struct svc_result *res);
/* Take the payment of decision (instalment 1) out of an open batch, by
 * its preparer. Action payment.batch. */
ERR_MUST_CHECK enum err pay_batch_remove(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *batch, const char *decision,
                                         struct svc_result *res);
/* Attest the batch: an attestant who did not prepare it, whose limit
 * covers its total. Action payment.attest. */
ERR_MUST_CHECK enum err pay_batch_attest(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *batch, struct svc_result *res);
/* Send an open batch back to its preparer with a reason. Action
 * payment.attest. */
ERR_MUST_CHECK enum err pay_batch_return(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *batch, const char *reason,
                                         struct svc_result *res);

/* The bank file of an attested batch, into out: made, validated against
 * the ISO XSD found under data_dir (XSDCHECK_PAIN001) and kept, the first
 * time; the same bytes again later while it is live. A file that fails
 * validation is never kept or given: ERR_INVALID with the errors in d.
 * msg_id gets the file's MsgId. Action payment.file. */
ERR_MUST_CHECK enum err pay_batch_file(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *batch, const char *data_dir, struct buf *out,
                                       char msg_id[PAYMENT_ID_SIZE], struct diag *d,
                                       struct svc_result *res);

/* What a bank reply did. */
struct pay_reply_sum {
    char format[16];            /* "pain.002", "camt.054" */
    char file[PAYMENT_ID_SIZE]; /* pain.002: our file it answers */
    size_t accepted, rejected, booked, unchanged;
    size_t unknown;   /* statuses this reader does not know: left as they were */
    size_t unmatched; /* entries naming no payment of ours (credits included) */
    int file_refused; /* pain.002: the bank refused the whole file */
};
/* Read a bank reply (name for messages) and apply it: a pain.002 accepts
 * or rejects payments of the file it names (a whole-file refusal puts the
 * batch back to attested, ready for a new file); a camt.054 books the
 * payments its booked debits name. Malformed input: ERR_PARSE with
 * "name:line: ..." in d, nothing changed. Action payment.reply. */
ERR_MUST_CHECK enum err pay_reply(struct store *s, const struct svc_actor *who, int64_t now,
                                  const char *data, size_t n, const char *name,
                                  struct pay_reply_sum *sum, struct diag *d,
                                  struct svc_result *res);

/* Issue a payment the bank rejected again (a new end-to-end id), in no
 * batch. Action payment.reissue. */
ERR_MUST_CHECK enum err pay_reissue(struct store *s, const struct svc_actor *who, int64_t now,
                                    const char *decision, struct svc_result *res);

/* The kept bank file of a filed batch (action payment.read): the bytes
 * given when it was made. ERR_NOTFOUND before. */
ERR_MUST_CHECK enum err pay_file_get(struct store *s, const struct svc_actor *who, int64_t now,
                                     const char *batch, struct buf *out,
                                     char msg_id[PAYMENT_ID_SIZE], struct svc_result *res);

/* The organisation's own payments (action payment.org.read, its
 * ombud, representant and uppgiftssamordnare): Gotland's two codes are
 * one organisation. Caller frees *out. */
ERR_MUST_CHECK enum err pay_of_org(struct store *s, const struct svc_actor *who, int64_t now,
                                   const char *org, struct store_payment **out, size_t *n,
                                   struct svc_result *res);

/* A batch's state for screens, a catalog text: "öppen", "attesterad",
 * "i bankfil". */
const char *pay_batch_state_label_sv(enum payment_batch_state st);

/* Reading, for the agency (action payment.read); callers free *out.
 * pay_list: of a program and of a batch (each NULL: any). */
ERR_MUST_CHECK enum err pay_list(struct store *s, const struct svc_actor *who, int64_t now,
                                 const char *program, const char *batch, struct store_payment **out,
                                 size_t *n, struct svc_result *res);
ERR_MUST_CHECK enum err pay_batches(struct store *s, const struct svc_actor *who, int64_t now,
                                    struct store_pay_batch **out, size_t *n,
                                    struct svc_result *res);

#endif
