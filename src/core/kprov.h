/* kprov.h - the knowledge-test route (kunskapsprov) to a Swedish licence
 * for those trained outside the EU/EEA, as a state machine over a plain
 * struct. Pure: dates come in, nothing is stored here.
 *
 * The steps (research notes §6.1, legitimation.socialstyrelsen.se and
 * Umeå universitet's pages):
 *
 *   submitted -> (incomplete -> submitted)* -> assessed: may proceed | rejected
 *   -> theory part (registered for a sitting, result; again while attempts
 *      are left) -> practical part (the same) -> regulations course done
 *   -> practical service done -> licence applied (fee paid) -> licence
 *      granted | refused
 *
 * with "exhausted" when a part's attempts or the period run out. The
 * attempt limits and the period are configuration (kprov_rules): the
 * agency's page says 3 theory + 3 practical, Umeå's 5 theory + 3
 * practical, both within 5 years of the first attempt. Registration for a
 * sitting closes one month before it (Umeå: three steps, closing one month
 * before); sittings have a capacity set by officers.
 *
 * Each transition that is a decision says so (its decision type, for
 * core/applic's applic_decide and core/appeal's clauses). Refusals are
 * lower-case English message keys (KPROV_MSG_*). */
#ifndef BIDRAG_CORE_KPROV_H
#define BIDRAG_CORE_KPROV_H

#include <stddef.h>

#include "util/date.h"
#include "util/err.h"

enum kprov_state {
    KPROV_SUBMITTED = 0,
    KPROV_INCOMPLETE,      /* completion requested, with a deadline */
    KPROV_REJECTED,        /* assessment: may not proceed (final) */
    KPROV_THEORY,          /* may proceed: theory part next */
    KPROV_PRACTICAL,       /* theory passed: practical part next */
    KPROV_COURSE,          /* test passed: regulations course next */
    KPROV_SERVICE,         /* course done: practical service next */
    KPROV_LICENCE,         /* service done: licence application next */
    KPROV_LICENCE_APPLIED, /* applied, fee to be paid / decision pending */
    KPROV_LICENSED,        /* licence granted (final) */
    KPROV_REFUSED,         /* licence refused (final) */
    KPROV_EXHAUSTED,       /* attempts or period used up (final) */
    KPROV_NSTATES
};
/* "submitted", "incomplete", "rejected", "theory", ...; "" otherwise. */
const char *kprov_state_id(enum kprov_state s);
/* 1 for the final states. */
int kprov_final(enum kprov_state s);

enum kprov_part { KPROV_PART_NONE = 0, KPROV_PART_THEORY, KPROV_PART_PRACTICAL };
/* "theory", "practical"; "" otherwise. */
const char *kprov_part_id(enum kprov_part p);

/* Decision types (core/appeal), one per step that decides. */
#define KPROV_DEC_ASSESSMENT "kprov.assessment"
#define KPROV_DEC_EXHAUSTED "kprov.exhausted"
#define KPROV_DEC_LICENCE "kprov.licence"

struct kprov_rules {
    int theory_attempts;    /* at most this many theory attempts */
    int practical_attempts; /* at most this many practical attempts */
    int period_years;       /* all attempts within this many years of the first */
    int close_months;       /* registration closes this many months before */
    int absent_counts;      /* 1: a registered candidate who does not come used an attempt */
};
/* Socialstyrelsen's page: 3 + 3 in 5 years; Umeå's page: 5 + 3 in 5 years. */
void kprov_rules_agency(struct kprov_rules *r);
void kprov_rules_umu(struct kprov_rules *r);

struct kprov_sitting {
    char id[24]; /* "T-2026-10" */
    enum kprov_part part;
    struct date on; /* the day of the test */
    char place[64]; /* "Umeå" */
    int capacity;   /* seats (> 0) */
    int registered; /* seats taken */
};
/* The last day to register for s (its date less close_months, the day
 * clamped to the month's end). */
struct date kprov_registration_closes(const struct kprov_rules *r, const struct kprov_sitting *s);

struct kprov_case {
    enum kprov_state state;
    char profession[32]; /* "lakare", "sjukskoterska", ... */
    struct date submitted_on, completion_due, assessed_on;
    struct date first_attempt; /* the period runs from here */
    int attempts[3];           /* by part (index KPROV_PART_*) */
    char registered[24];       /* the sitting registered for, "" if none */
    enum kprov_part registered_part;
    struct date registered_on_sitting; /* that sitting's date */
    struct date theory_passed, practical_passed, course_done, service_done;
    struct date licence_applied, decided_on;
};

#define KPROV_MSG_STATE "case is not at this step"
#define KPROV_MSG_PART "sitting is not for the part the case is at"
#define KPROV_MSG_CLOSED "registration for the sitting has closed"
#define KPROV_MSG_FULL "sitting is full"
#define KPROV_MSG_ALREADY "case is already registered for a sitting"
#define KPROV_MSG_NO_ATTEMPTS "no attempts left for this part"
#define KPROV_MSG_PERIOD "sitting is after the period for attempts"
#define KPROV_MSG_NOT_REGISTERED "case is not registered for this sitting"
#define KPROV_MSG_BEFORE "result is dated before the sitting"
#define KPROV_MSG_DATE "date missing or before the previous step"
#define KPROV_MSG_FEE "fee is not paid"

/* A new case submitted on a valid date. */
void kprov_init(struct kprov_case *c, const char *profession, struct date submitted_on);

/* The officer asks for completion by due (SUBMITTED -> INCOMPLETE); the
 * applicant completes (INCOMPLETE -> SUBMITTED). */
enum err kprov_request_completion(struct kprov_case *c, struct date due, const char **why);
enum err kprov_complete(struct kprov_case *c, const char **why);

/* The assessment decision (KPROV_DEC_ASSESSMENT): may proceed -> THEORY,
 * or not -> REJECTED. From SUBMITTED only. */
enum err kprov_assess(struct kprov_case *c, int may_proceed, struct date on, const char **why);

/* Attempts left for a part on a sitting date under the rules: 0 when the
 * limit is used or the sitting falls after the period. */
int kprov_attempts_left(const struct kprov_rules *r, const struct kprov_case *c,
                        enum kprov_part part, struct date sitting_on);

/* The period's end for a case whose first attempt was made: the first
 * attempt's date plus period_years (unset before any attempt or with no
 * period). */
struct date kprov_period_ends(const struct kprov_rules *r, const struct kprov_case *c);
/* On today, a case at the theory or practical part whose period has
 * ended (today >= kprov_period_ends) and that is not registered for a
 * sitting before that end becomes EXHAUSTED (*decision =
 * KPROV_DEC_EXHAUSTED); otherwise nothing changes and *decision is NULL.
 * For the officers' daily run. */
void kprov_expire(const struct kprov_rules *r, struct kprov_case *c, struct date today,
                  const char **decision);

/* Register for sitting s on today: the case at that part, not registered
 * already, registration open (today <= closes), a seat free, an attempt
 * left within the period. Takes a seat (s->registered++). */
enum err kprov_register(const struct kprov_rules *r, struct kprov_case *c, struct kprov_sitting *s,
                        struct date today, const char **why);
/* Withdraw a registration before the registration closes (the seat is
 * given back); after it, the attempt is kept as registered. */
enum err kprov_unregister(const struct kprov_rules *r, struct kprov_case *c,
                          struct kprov_sitting *s, struct date today, const char **why);

enum kprov_result { KPROV_PASS = 1, KPROV_FAIL, KPROV_ABSENT };
/* Record the result of the sitting the case is registered for. A pass
 * moves to the next part (or to COURSE after the practical); a fail (or
 * an absence when absent_counts) uses an attempt, and when none is left
 * the case is EXHAUSTED (*decision = KPROV_DEC_EXHAUSTED, a decision
 * with the appeal clause). The first attempt starts the period.
 * *decision is NULL when the step is no decision. */
enum err kprov_result(const struct kprov_rules *r, struct kprov_case *c, const char *sitting_id,
                      enum kprov_result res, struct date on, const char **decision,
                      const char **why);

/* The regulations course (COURSE -> SERVICE) and the practical service
 * (SERVICE -> LICENCE) recorded as done on a date. */
enum err kprov_course_done(struct kprov_case *c, struct date on, const char **why);
enum err kprov_service_done(struct kprov_case *c, struct date on, const char **why);
/* The licence application (LICENCE -> LICENCE_APPLIED). */
enum err kprov_apply_licence(struct kprov_case *c, struct date on, const char **why);
/* The licence decision (KPROV_DEC_LICENCE): the fee must be paid to
 * grant. LICENCE_APPLIED -> LICENSED | REFUSED. */
enum err kprov_decide_licence(struct kprov_case *c, int grant, int fee_paid, struct date on,
                              const char **why);

#endif
