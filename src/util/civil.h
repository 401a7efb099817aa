/* civil.h - the one civil clock: Europe/Stockholm dates and times from
 * Unix seconds, and the requisition windows and deadlines that hang on
 * them. Everything that asks "what day is it", "is the window open" or
 * "how many days are left" asks here, with the time passed in (the clock
 * is injected: see clock.h), so that every page, PDF and command gives the
 * same answer at the same instant.
 *
 * Stockholm keeps CET (UTC+1) and, from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October, CEST (UTC+2): the EU
 * rule Sweden has followed since 1996, computed here without the system's
 * time-zone database so that no machine setting can change a deadline.
 *
 * A window is open from its first day to its last day inclusive; a
 * deadline is met on its day and passed the day after. */
#ifndef BIDRAG_UTIL_CIVIL_H
#define BIDRAG_UTIL_CIVIL_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"

#define CIVIL_TIME_LEN 17 /* "2026-04-15 12:00" + NUL */
#define CIVIL_ISO_LEN 20  /* "2026-04-15T12:00:00" + NUL */

/* Seconds Stockholm is ahead of UTC at t (3600 or 7200). */
int64_t civil_offset(int64_t t);
/* The Stockholm date at t: "today". */
struct date civil_date(int64_t t);
/* The Unix time at which day d begins in Stockholm (00:00 local). */
int64_t civil_day_start(struct date d);
/* "2026-04-15 12:00", Stockholm time, into out (CIVIL_TIME_LEN bytes). */
void civil_fmt(char *out, size_t n, int64_t t);
/* "2026-04-15T12:00:00", Stockholm local time with seconds and without an
 * offset (ISO 8601 local time, as pain.001's CreDtTm), into out
 * (CIVIL_ISO_LEN bytes). */
void civil_iso_local(char *out, size_t n, int64_t t);

/* Where today stands in a window [opens, closes]. */
enum civil_window_state {
    CIVIL_WINDOW_UNSET = 0, /* no last day set */
    CIVIL_WINDOW_NOT_OPEN,  /* before the first day */
    CIVIL_WINDOW_OPEN,      /* first day .. the day before the last */
    CIVIL_WINDOW_LAST_DAY,  /* the last day: still open */
    CIVIL_WINDOW_CLOSED     /* after the last day */
};
struct civil_window {
    enum civil_window_state state;
    struct date opens, closes; /* as given (opens may be unset: open until closes) */
    int64_t days_left;         /* OPEN: whole days after today up to closes; LAST_DAY: 0 */
    int64_t days_to_open;      /* NOT_OPEN: days until opens */
};
struct civil_window civil_window_at(struct date opens, struct date closes, struct date today);
/* 1 while requisitions (or reports) may be handed in: OPEN or LAST_DAY. */
int civil_window_is_open(const struct civil_window *w);

/* Where today stands against a deadline (the last day to act). */
enum civil_deadline_state {
    CIVIL_DEADLINE_UNSET = 0,
    CIVIL_DEADLINE_AHEAD, /* days > 0 left after today */
    CIVIL_DEADLINE_TODAY, /* the last day is today */
    CIVIL_DEADLINE_PASSED /* days > 0 since the last day */
};
struct civil_deadline {
    enum civil_deadline_state state;
    struct date due;
    int64_t days; /* AHEAD: days left; PASSED: days overdue; else 0 */
};
struct civil_deadline civil_deadline_at(struct date due, struct date today);
/* Reminders: offsets are days relative to the deadline (7 = a week
 * before, 0 = on the day, -3 = three days after). Returns the index of the
 * offset that falls on today, or -1 if none does. */
int civil_reminder_today(struct date due, struct date today, const int *offsets, size_t n);

#endif
