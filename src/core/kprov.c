/* kprov.c - the knowledge-test route's steps and attempts. */
#include "core/kprov.h"

#include <stdio.h>
#include <string.h>

#include "util/civil.h"
#include "util/str.h"

static const char *const state_ids[KPROV_NSTATES] = {
    "submitted", "incomplete", "rejected",        "theory",   "practical", "course",
    "service",   "licence",    "licence_applied", "licensed", "refused",   "exhausted"};

const char *kprov_state_id(enum kprov_state s)
{
    return (int)s >= 0 && s < KPROV_NSTATES ? state_ids[s] : "";
}

int kprov_final(enum kprov_state s)
{
    return s == KPROV_REJECTED || s == KPROV_LICENSED || s == KPROV_REFUSED || s == KPROV_EXHAUSTED;
}

const char *kprov_part_id(enum kprov_part p)
{
    return p == KPROV_PART_THEORY ? "theory" : p == KPROV_PART_PRACTICAL ? "practical" : "";
}

void kprov_rules_agency(struct kprov_rules *r)
{
    memset(r, 0, sizeof(*r));
    r->theory_attempts = 3;
    r->practical_attempts = 3;
    r->period_years = 5;
    r->close_months = 1;
}

void kprov_rules_umu(struct kprov_rules *r)
{
    kprov_rules_agency(r);
    r->theory_attempts = 5;
}

static int mdays(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : n[m - 1];
}

/* d moved by months (either sign), the day clamped to the month's end. */
static struct date add_months(struct date d, int months)
{
    int m0 = d.y * 12 + (d.m - 1) + months;
    struct date u = {m0 / 12, m0 % 12 + 1, d.d};
    if (u.d > mdays(u.y, u.m))
        u.d = mdays(u.y, u.m);
    return u;
}

struct date kprov_registration_closes(const struct kprov_rules *r, const struct kprov_sitting *s)
{
    return add_months(s->on, -(r->close_months > 0 ? r->close_months : 0));
}

static enum err refuse(const char **why, const char *msg)
{
    *why = msg;
    return ERR_INVALID;
}

/* 1 if on is valid and not before after (when after is set). */
static int date_after(struct date on, struct date after)
{
    return date_valid(on) && (!date_is_set(after) || date_cmp(on, after) >= 0);
}

void kprov_init(struct kprov_case *c, const char *profession, struct date submitted_on)
{
    memset(c, 0, sizeof(*c));
    c->state = KPROV_SUBMITTED;
    str_copy(c->profession, sizeof(c->profession), profession ? profession : "");
    c->submitted_on = submitted_on;
}

enum err kprov_request_completion(struct kprov_case *c, struct date due, const char **why)
{
    *why = "";
    if (c->state != KPROV_SUBMITTED)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_after(due, c->submitted_on))
        return refuse(why, KPROV_MSG_DATE);
    c->state = KPROV_INCOMPLETE;
    c->completion_due = due;
    return ERR_OK;
}

enum err kprov_complete(struct kprov_case *c, const char **why)
{
    *why = "";
    if (c->state != KPROV_INCOMPLETE)
        return refuse(why, KPROV_MSG_STATE);
    c->state = KPROV_SUBMITTED;
    c->completion_due = (struct date){0, 0, 0};
    return ERR_OK;
}

enum err kprov_assess(struct kprov_case *c, int may_proceed, struct date on, const char **why)
{
    *why = "";
    if (c->state != KPROV_SUBMITTED)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_after(on, c->submitted_on))
        return refuse(why, KPROV_MSG_DATE);
    c->assessed_on = on;
    c->state = may_proceed ? KPROV_THEORY : KPROV_REJECTED;
    if (!may_proceed)
        c->decided_on = on;
    return ERR_OK;
}

static int limit_of(const struct kprov_rules *r, enum kprov_part p)
{
    return p == KPROV_PART_THEORY ? r->theory_attempts : r->practical_attempts;
}

int kprov_attempts_left(const struct kprov_rules *r, const struct kprov_case *c,
                        enum kprov_part part, struct date sitting_on)
{
    if (part != KPROV_PART_THEORY && part != KPROV_PART_PRACTICAL)
        return 0;
    struct date end = kprov_period_ends(r, c);
    if (date_is_set(end) && date_cmp(sitting_on, end) >= 0)
        return 0;
    int left = limit_of(r, part) - c->attempts[part];
    return left > 0 ? left : 0;
}

static enum kprov_part part_of(enum kprov_state s)
{
    return s == KPROV_THEORY      ? KPROV_PART_THEORY
           : s == KPROV_PRACTICAL ? KPROV_PART_PRACTICAL
                                  : KPROV_PART_NONE;
}

struct date kprov_period_ends(const struct kprov_rules *r, const struct kprov_case *c)
{
    struct date none = {0, 0, 0};
    if (!date_valid(c->first_attempt) || r->period_years <= 0)
        return none;
    return add_months(c->first_attempt, 12 * r->period_years);
}

void kprov_expire(const struct kprov_rules *r, struct kprov_case *c, struct date today,
                  const char **decision)
{
    *decision = NULL;
    if (part_of(c->state) == KPROV_PART_NONE || !date_valid(today))
        return;
    struct date end = kprov_period_ends(r, c);
    if (!date_is_set(end) || date_cmp(today, end) < 0)
        return;
    if (c->registered[0] && date_cmp(c->registered_on_sitting, end) < 0)
        return; /* a sitting inside the period is still to be reported */
    c->state = KPROV_EXHAUSTED;
    c->decided_on = today;
    *decision = KPROV_DEC_EXHAUSTED;
}

enum err kprov_register(const struct kprov_rules *r, struct kprov_case *c, struct kprov_sitting *s,
                        struct date today, const char **why)
{
    *why = "";
    enum kprov_part part = part_of(c->state);
    if (part == KPROV_PART_NONE)
        return refuse(why, KPROV_MSG_STATE);
    if (c->registered[0])
        return refuse(why, KPROV_MSG_ALREADY);
    if (s->part != part)
        return refuse(why, KPROV_MSG_PART);
    if (!date_valid(s->on) || !date_valid(today))
        return refuse(why, KPROV_MSG_DATE);
    struct civil_window w =
        civil_window_at((struct date){0, 0, 0}, kprov_registration_closes(r, s), today);
    if (!civil_window_is_open(&w))
        return refuse(why, KPROV_MSG_CLOSED);
    if (s->capacity <= 0 || s->registered >= s->capacity) {
        *why = KPROV_MSG_FULL;
        return ERR_LIMIT;
    }
    struct date end = kprov_period_ends(r, c);
    if (date_is_set(end) && date_cmp(s->on, end) >= 0)
        return refuse(why, KPROV_MSG_PERIOD);
    if (kprov_attempts_left(r, c, part, s->on) <= 0)
        return refuse(why, KPROV_MSG_NO_ATTEMPTS);
    s->registered++;
    str_copy(c->registered, sizeof(c->registered), s->id);
    c->registered_part = part;
    c->registered_on_sitting = s->on;
    return ERR_OK;
}

enum err kprov_unregister(const struct kprov_rules *r, struct kprov_case *c,
                          struct kprov_sitting *s, struct date today, const char **why)
{
    *why = "";
    if (!c->registered[0] || strcmp(c->registered, s->id) != 0)
        return refuse(why, KPROV_MSG_NOT_REGISTERED);
    struct civil_window w =
        civil_window_at((struct date){0, 0, 0}, kprov_registration_closes(r, s), today);
    if (!civil_window_is_open(&w))
        return refuse(why, KPROV_MSG_CLOSED);
    if (s->registered > 0)
        s->registered--;
    c->registered[0] = '\0';
    c->registered_part = KPROV_PART_NONE;
    c->registered_on_sitting = (struct date){0, 0, 0};
    return ERR_OK;
}

enum err kprov_result(const struct kprov_rules *r, struct kprov_case *c, const char *sitting_id,
                      enum kprov_result res, struct date on, const char **decision,
                      const char **why)
{
    *why = "";
    *decision = NULL;
    enum kprov_part part = part_of(c->state);
    if (part == KPROV_PART_NONE)
        return refuse(why, KPROV_MSG_STATE);
    if (!c->registered[0] || !sitting_id || strcmp(c->registered, sitting_id) != 0 ||
        c->registered_part != part)
        return refuse(why, KPROV_MSG_NOT_REGISTERED);
    if (!date_valid(on))
        return refuse(why, KPROV_MSG_DATE);
    if (date_cmp(on, c->registered_on_sitting) < 0)
        return refuse(why, KPROV_MSG_BEFORE);
    if (res != KPROV_PASS && res != KPROV_FAIL && res != KPROV_ABSENT)
        return refuse(why, KPROV_MSG_STATE);
    struct date sat = c->registered_on_sitting;
    int counts = res != KPROV_ABSENT || r->absent_counts;
    if (counts) {
        c->attempts[part]++;
        if (!date_is_set(c->first_attempt))
            c->first_attempt = sat;
    }
    c->registered[0] = '\0';
    c->registered_part = KPROV_PART_NONE;
    c->registered_on_sitting = (struct date){0, 0, 0};
    if (res == KPROV_PASS) {
        if (part == KPROV_PART_THEORY) {
            c->theory_passed = on;
            c->state = KPROV_PRACTICAL;
        } else {
            c->practical_passed = on;
            c->state = KPROV_COURSE;
        }
        return ERR_OK;
    }
    if (c->attempts[part] >= limit_of(r, part)) {
        c->state = KPROV_EXHAUSTED;
        c->decided_on = on;
        *decision = KPROV_DEC_EXHAUSTED;
    }
    return ERR_OK;
}

enum err kprov_course_done(struct kprov_case *c, struct date on, const char **why)
{
    *why = "";
    if (c->state != KPROV_COURSE)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_valid(on))
        return refuse(why, KPROV_MSG_DATE);
    c->course_done = on;
    c->state = KPROV_SERVICE;
    return ERR_OK;
}

enum err kprov_service_done(struct kprov_case *c, struct date on, const char **why)
{
    *why = "";
    if (c->state != KPROV_SERVICE)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_valid(on))
        return refuse(why, KPROV_MSG_DATE);
    c->service_done = on;
    c->state = KPROV_LICENCE;
    return ERR_OK;
}

enum err kprov_apply_licence(struct kprov_case *c, struct date on, const char **why)
{
    *why = "";
    if (c->state != KPROV_LICENCE)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_after(on, c->service_done))
        return refuse(why, KPROV_MSG_DATE);
    c->licence_applied = on;
    c->state = KPROV_LICENCE_APPLIED;
    return ERR_OK;
}

enum err kprov_decide_licence(struct kprov_case *c, int grant, int fee_paid, struct date on,
                              const char **why)
{
    *why = "";
    if (c->state != KPROV_LICENCE_APPLIED)
        return refuse(why, KPROV_MSG_STATE);
    if (!date_after(on, c->licence_applied))
        return refuse(why, KPROV_MSG_DATE);
    if (grant && !fee_paid)
        return refuse(why, KPROV_MSG_FEE);
    c->state = grant ? KPROV_LICENSED : KPROV_REFUSED;
    c->decided_on = on;
    return ERR_OK;
}
