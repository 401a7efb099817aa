/* date.h - civil dates (Europe/Stockholm calendar days), no clock.
 *
 * A date is held as struct date and compared through its day number
 * (days since 1970-01-01, proleptic Gregorian). The clock is never read
 * here: "today" is always passed in by the caller. */
#ifndef BIDRAG_UTIL_DATE_H
#define BIDRAG_UTIL_DATE_H

#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

struct date {
    int y, m, d;
};

/* Parse "YYYY-MM-DD" strictly (valid day of month, years 1900-2999). */
enum err date_parse(const char *s, struct date *out);
int date_valid(struct date d);
/* Days since 1970-01-01. */
int64_t date_days(struct date d);
struct date date_from_days(int64_t days);
/* <0, 0, >0 */
int date_cmp(struct date a, struct date b);
/* "2026-01-22" into out (at least 11 bytes). */
void date_fmt(char *out, size_t n, struct date d);
/* Swedish long form: "22 januari 2026". */
void date_fmt_sv(char *out, size_t n, struct date d);
int date_is_set(struct date d);

#endif
