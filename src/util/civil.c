/* civil.c - Europe/Stockholm dates and times, windows and deadlines. */
#include "util/civil.h"

#include <stdio.h>

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Day number of the last Sunday of month m of year y. */
static int64_t last_sunday(int y, int m)
{
    struct date first_next = {m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1};
    int64_t last = date_days(first_next) - 1;
    /* 1970-01-01 was a Thursday: (days + 4) % 7 == 0 on Sundays */
    int64_t wd = ((last + 4) % 7 + 7) % 7;
    return last - wd;
}

int64_t civil_offset(int64_t t)
{
    struct date utc = date_from_days(floor_div(t, 86400));
    int64_t start = last_sunday(utc.y, 3) * 86400 + 3600;
    int64_t end = last_sunday(utc.y, 10) * 86400 + 3600;
    return (t >= start && t < end) ? 7200 : 3600;
}

struct date civil_date(int64_t t)
{
    return date_from_days(floor_div(t + civil_offset(t), 86400));
}

int64_t civil_day_start(struct date d)
{
    int64_t local = date_days(d) * 86400;
    /* the offset at local midnight is the offset one hour before it in
     * UTC terms, as no change happens between 22:00 and 02:00 UTC+x */
    int64_t guess = local - 3600;
    return local - civil_offset(guess);
}

void civil_fmt(char *out, size_t n, int64_t t)
{
    int64_t lt = t + civil_offset(t);
    int64_t day = floor_div(lt, 86400);
    int64_t sec = lt - day * 86400;
    char d[11];
    date_fmt(d, sizeof(d), date_from_days(day));
    snprintf(out, n, "%s %02d:%02d", d, (int)(sec / 3600), (int)(sec / 60 % 60));
}

void civil_iso_local(char *out, size_t n, int64_t t)
{
    int64_t lt = t + civil_offset(t);
    int64_t day = floor_div(lt, 86400);
    int64_t sec = lt - day * 86400;
    char d[11];
    date_fmt(d, sizeof(d), date_from_days(day));
    snprintf(out, n, "%sT%02d:%02d:%02d", d, (int)(sec / 3600), (int)(sec / 60 % 60),
             (int)(sec % 60));
}

struct civil_window civil_window_at(struct date opens, struct date closes, struct date today)
{
    struct civil_window w = {CIVIL_WINDOW_UNSET, opens, closes, 0, 0};
    if (!date_is_set(closes))
        return w;
    int64_t t = date_days(today);
    if (date_is_set(opens) && t < date_days(opens)) {
        w.state = CIVIL_WINDOW_NOT_OPEN;
        w.days_to_open = date_days(opens) - t;
        return w;
    }
    int64_t left = date_days(closes) - t;
    if (left < 0)
        w.state = CIVIL_WINDOW_CLOSED;
    else if (left == 0)
        w.state = CIVIL_WINDOW_LAST_DAY;
    else
        w.state = CIVIL_WINDOW_OPEN;
    w.days_left = left > 0 ? left : 0;
    return w;
}

int civil_window_is_open(const struct civil_window *w)
{
    return w->state == CIVIL_WINDOW_OPEN || w->state == CIVIL_WINDOW_LAST_DAY;
}

struct civil_deadline civil_deadline_at(struct date due, struct date today)
{
    struct civil_deadline d = {CIVIL_DEADLINE_UNSET, due, 0};
    if (!date_is_set(due))
        return d;
    int64_t left = date_days(due) - date_days(today);
    if (left > 0) {
        d.state = CIVIL_DEADLINE_AHEAD;
        d.days = left;
    } else if (left == 0) {
        d.state = CIVIL_DEADLINE_TODAY;
    } else {
        d.state = CIVIL_DEADLINE_PASSED;
        d.days = -left;
    }
    return d;
}

int civil_reminder_today(struct date due, struct date today, const int *offsets, size_t n)
{
    if (!date_is_set(due))
        return -1;
    int64_t before = date_days(due) - date_days(today);
    for (size_t i = 0; i < n; i++)
        if (offsets[i] == before)
            return (int)i;
    return -1;
}
