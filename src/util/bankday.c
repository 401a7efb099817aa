/* bankday.c - Swedish holidays and the next bank day. */
#include "util/bankday.h"

int bankday_weekday(struct date d)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t days = date_days(d);
    int64_t w = ((days % 7) + 7 + 3) % 7; /* 0 = Monday */
    return (int)w + 1;
}

struct date bankday_easter(int y)
{
    /* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    struct date out = {y, (h + l - 7 * m + 114) / 31, ((h + l - 7 * m + 114) % 31) + 1};
    return out;
}

struct date bankday_add_days(struct date d, long n)
{
    return date_from_days(date_days(d) + n);
}

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return md[m - 1];
}

struct date bankday_add_months(struct date d, int n)
{
    int total = d.y * 12 + (d.m - 1) + n;
    struct date out;
    out.y = total / 12;
    out.m = total % 12 + 1;
    int last = month_days(out.y, out.m);
    out.d = d.d > last ? last : d.d;
    return out;
}

static int same(struct date a, int y, int m, int d)
{
    return a.y == y && a.m == m && a.d == d;
}

const char *bankday_holiday(struct date d)
{
    if (same(d, d.y, 1, 1))
        return "nyårsdagen";
    if (same(d, d.y, 1, 6))
        return "trettondedag jul";
    if (same(d, d.y, 5, 1))
        return "första maj";
    if (same(d, d.y, 6, 6))
        return "nationaldagen";
    if (same(d, d.y, 12, 24))
        return "julafton";
    if (same(d, d.y, 12, 25))
        return "juldagen";
    if (same(d, d.y, 12, 26))
        return "annandag jul";
    if (same(d, d.y, 12, 31))
        return "nyårsafton";
    int64_t day = date_days(d);
    int64_t easter = date_days(bankday_easter(d.y));
    if (day == easter - 2)
        return "långfredagen";
    if (day == easter)
        return "påskdagen";
    if (day == easter + 1)
        return "annandag påsk";
    if (day == easter + 39)
        return "Kristi himmelsfärdsdag";
    if (day == easter + 49)
        return "pingstdagen";
    int w = bankday_weekday(d);
    /* midsommardagen: the Saturday 20-26 June; its eve the Friday before */
    if (d.m == 6 && d.d >= 20 && d.d <= 26 && w == 6)
        return "midsommardagen";
    if (d.m == 6 && d.d >= 19 && d.d <= 25 && w == 5)
        return "midsommarafton";
    /* alla helgons dag: the Saturday 31 October - 6 November */
    if (w == 6 && ((d.m == 10 && d.d == 31) || (d.m == 11 && d.d <= 6)))
        return "alla helgons dag";
    return NULL;
}

int bankday_is_bankday(struct date d)
{
    int w = bankday_weekday(d);
    return w <= 5 && bankday_holiday(d) == NULL;
}

struct date bankday_next(struct date d)
{
    /* at most a few days: a long weekend at Easter is four days */
    for (int i = 0; i < 14 && !bankday_is_bankday(d); i++)
        d = bankday_add_days(d, 1);
    return d;
}
