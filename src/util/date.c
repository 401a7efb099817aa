/* date.c - civil dates: parse, validate, day numbers, formatting. */
#include "util/date.h"

#include <stdio.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
    static const int t[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : t[m - 1];
}

int date_valid(struct date d)
{
    return d.y >= 1900 && d.y <= 2999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= mdays(d.y, d.m);
}

int date_is_set(struct date d)
{
    return d.y != 0;
}

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

enum err date_parse(const char *s, struct date *out)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return ERR_PARSE;
        } else if (!dig(s[i])) {
            return ERR_PARSE;
        }
    }
    if (s[10] != '\0')
        return ERR_PARSE;
    struct date d;
    d.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d.m = (s[5] - '0') * 10 + (s[6] - '0');
    d.d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!date_valid(d))
        return ERR_INVALID;
    *out = d;
    return ERR_OK;
}

/* Howard Hinnant's days_from_civil. */
int64_t date_days(struct date d)
{
    int64_t y = d.y - (d.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = d.m > 2 ? d.m - 3 : d.m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d.d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct date date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    struct date r = {(int)(y + (m <= 2)), (int)m, (int)dd};
    return r;
}

int date_cmp(struct date a, struct date b)
{
    int64_t x = date_days(a), y = date_days(b);
    return x < y ? -1 : x > y;
}

void date_fmt(char *out, size_t n, struct date d)
{
    if (!date_is_set(d))
        snprintf(out, n, "%s", "");
    else
        snprintf(out, n, "%04d-%02d-%02d", d.y, d.m, d.d);
}

void date_fmt_sv(char *out, size_t n, struct date d)
{
    static const char *mn[] = {"januari",   "februari", "mars",     "april",
                               "maj",       "juni",     "juli",     "augusti",
                               "september", "oktober",  "november", "december"};
    if (!date_valid(d))
        snprintf(out, n, "%s", "");
    else
        snprintf(out, n, "%d %s %d", d.d, mn[d.m - 1], d.y);
}
