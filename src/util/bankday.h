/* bankday.h - Swedish weekdays, public holidays and the day a deadline
 * moves to. Pure: no clock, no time-zone database.
 *
 * Lag (1930:173) om beräkning av lagstadgad tid, 2 §: a time limit that
 * ends on a Saturday, a Sunday or another public holiday (allmän
 * helgdag), or on midsommarafton, julafton or nyårsafton, ends instead on
 * the next weekday that is none of these. The public holidays are those
 * of lag (1989:253) om allmänna helgdagar: nyårsdagen, trettondedag jul,
 * långfredagen, påskdagen, annandag påsk, första maj, Kristi
 * himmelsfärdsdag, pingstdagen, nationaldagen, midsommardagen, alla
 * helgons dag, juldagen and annandag jul (Easter by the Gregorian
 * computus). Bank days (bankdagar) are the same days. */
#ifndef BIDRAG_UTIL_BANKDAY_H
#define BIDRAG_UTIL_BANKDAY_H

#include "util/date.h"

/* Day of the week, 1 = Monday .. 7 = Sunday. */
int bankday_weekday(struct date d);
/* Easter Sunday of year y (1900-2999). */
struct date bankday_easter(int y);
/* The Swedish name of the holiday or the eve the 1930 act treats as one
 * ("juldagen", "midsommarafton"), or NULL on an ordinary day. Saturdays
 * and Sundays that are nothing else give NULL. */
const char *bankday_holiday(struct date d);
/* 1 if d is a weekday that is neither a holiday nor such an eve. */
int bankday_is_bankday(struct date d);
/* d if it is a bank day, else the next one. */
struct date bankday_next(struct date d);
/* d plus n calendar days (n may be negative). */
struct date bankday_add_days(struct date d, long n);
/* d plus n months, the day kept or cut to the month's last day
 * (2027-01-31 + 1 month = 2027-02-28). */
struct date bankday_add_months(struct date d, int n);

#endif
