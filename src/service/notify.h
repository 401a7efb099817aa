/* notify.h - notifications: the events of a case (a requisition
 * submitted, returned for completion, decided) queued as e-mail in the
 * outbox (store_outbox.h) inside the event's own transaction, one line
 * per event in the service that performs it; and the outbox sent through
 * the configured SMTP relay (io/smtp.h) with retry and backoff, or
 * listed. Texts come from the catalog (po/): accounts keep no language
 * and the address is the one a form gives, so every message is in Swedish
 * with the same in English below it (the subject "Swedish / English"); a
 * message carries the case, the organisation, the program and where to
 * look in the e-service, nothing more. */
#ifndef BIDRAG_SERVICE_NOTIFY_H
#define BIDRAG_SERVICE_NOTIFY_H

#include <stddef.h>

#include "io/smtp.h"
#include "service/svc.h"
#include "store/store_outbox.h"
#include "service/reqdata.h"
#include "util/civil.h"

enum notify_event {
    NOTIFY_SUBMITTED, /* the receipt, to the address the submitted form gives */
    NOTIFY_RETURNED,  /* returned for completion */
    NOTIFY_DECIDED    /* a decision (approval, rejection, supplement): its number */
};

/* Queue the message of event ev about requisition row inside c's open
 * transaction (the caller's event and its message land together or not
 * at all; the event's key queues it once). decision: the decision's
 * number for NOTIFY_DECIDED, else NULL. Nothing is queued when the
 * requisition gives no usable address. */
ERR_MUST_CHECK enum err notify_req(struct svc_call *c, enum notify_event ev,
                                   const struct req_row *row, const char *decision);

/* Attempts before a message is given up as failed, and the backoff: the
 * n-th failed attempt waits NOTIFY_BACKOFF_S * 2^(n-1) seconds, at most
 * NOTIFY_BACKOFF_MAX_S. */
#define NOTIFY_MAX_ATTEMPTS 8
#define NOTIFY_BACKOFF_S 60
#define NOTIFY_BACKOFF_MAX_S (6 * 3600)

/* Deadline reminders: NOTIFY_REMIND_DAYS days before a requisition
 * window closes and on its last day, to each requisition still a draft
 * or returned (at the address its form gives: an organisation that never
 * started one has none). */
#define NOTIFY_REMIND_DAYS 7

struct notify_report {
    size_t reminders;           /* deadline reminders queued by this run */
    size_t sent, retry, failed; /* this run: accepted, pending again, given up */
};
/* ACT_OUTBOX_SEND: queue today's deadline reminders (once per requisition
 * and day: the event's key), then send every pending message that is due
 * at now (at most
 * max) through the relay conf; each outcome is written in its own
 * transaction with its audit record (sent; pending again with the reason
 * and the next try; failed after NOTIFY_MAX_ATTEMPTS), so a message the
 * relay accepted is never sent again. */
ERR_MUST_CHECK enum err notify_send(struct store *s, const struct svc_actor *who, int64_t now,
                                    const struct smtp_conf *conf, size_t max,
                                    struct notify_report *rep, struct svc_result *res);
/* ACT_OUTBOX_READ: the newest messages (state NULL: all); caller frees
 * *out. */
ERR_MUST_CHECK enum err notify_list(struct store *s, const struct svc_actor *who, int64_t now,
                                    const char *state, size_t max, struct store_outbox **out,
                                    size_t *n, struct svc_result *res);

/* What waits for a recipient organisation's people (the start page):
 * cases returned for completion, decisions of the last
 * NOTIFY_DECISION_DAYS days, and the windows open now in which the
 * organisation has not submitted, with the days left (util/civil). One
 * definition over req_overview_get and req_decisions_list, with their
 * rights. */
#define NOTIFY_DECISION_DAYS 30
#define NOTIFY_WAIT_MAX 64
enum notify_wait_kind { WAIT_RETURNED, WAIT_DECISION, WAIT_DEADLINE };
struct notify_wait_item {
    enum notify_wait_kind kind;
    char program[64];
    char title[200];
    char recipient[5];
    char case_no[REQ_CASE_LEN];
    char number[REQ_CASE_LEN]; /* WAIT_DECISION: the decision */
    char decided_on[11];
    struct civil_window window; /* WAIT_DEADLINE */
};
struct notify_waiting {
    size_t returned, decisions, deadlines;
    size_t n;
    struct notify_wait_item items[NOTIFY_WAIT_MAX];
};
ERR_MUST_CHECK enum err notify_waiting_get(struct store *s, const struct svc_actor *who,
                                           int64_t now, struct notify_waiting *out,
                                           struct svc_result *res);

#endif
