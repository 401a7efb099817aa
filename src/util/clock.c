/* clock.c - time as a value: Unix seconds <-> ISO 8601 UTC text. */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/str.h"

void clock_iso(char *out, size_t n, int64_t t)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    struct date d = date_from_days(days);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.y, d.m, d.d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}

static int two(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

enum err clock_parse(const char *s, int64_t *out)
{
    if (!s)
        return ERR_PARSE;
    size_t len = strlen(s);
    if (len > 0 && len <= 12 && str_is_digits(s, len))
        return str_parse_i64(s, out);
    char day[11];
    if (len != 10 && len != 20)
        return ERR_PARSE;
    memcpy(day, s, 10);
    day[10] = '\0';
    struct date d;
    if (date_parse(day, &d) != ERR_OK)
        return ERR_PARSE;
    int64_t t = date_days(d) * 86400;
    if (len == 20) {
        if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
            return ERR_PARSE;
        int h = two(s + 11), m = two(s + 14), sec = two(s + 17);
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
            return ERR_PARSE;
        t += h * 3600 + m * 60 + sec;
    }
    *out = t;
    return ERR_OK;
}

int64_t clock_from_env(void)
{
    const char *env = getenv("BIDRAG_NOW");
    int64_t t;
    if (env && clock_parse(env, &t) == ERR_OK)
        return t;
    return (int64_t)time(NULL);
}
