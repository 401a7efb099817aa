/* csvout.c - CSV fields: quoting, formula neutralisation, numbers. */
#include "io/csvout.h"

#include <stdio.h>
#include <string.h>

/* A plain number ("-4", "+46", "-1.5"): a spreadsheet reads it as a
 * number, never as a formula. */
static int plain_number(const char *s)
{
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0, marks = 0;
    for (; s[i]; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if ((s[i] == '.' || s[i] == ',') && marks == 0 && digits > 0)
            marks++;
        else
            return 0;
    }
    return digits > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
}

int csvout_risky(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL && !plain_number(s);
}

void csvout_text(struct buf *out, const char *s, char sep)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    int risky = csvout_risky(s);
    int quote = risky || memchr(s, sep, n) != NULL || strpbrk(s, "\"\r\n") != NULL ||
                (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        buf_append(out, s, n);
        return;
    }
    buf_putc(out, '"');
    if (risky)
        buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}

void csvout_number(struct buf *out, double v, int decimals, char dec)
{
    char num[400];
    if (decimals < 0 || decimals > 15)
        decimals = 15;
    snprintf(num, sizeof(num), "%.*f", decimals, v);
    /* no "-0" for a value that rounds to zero */
    if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
        memmove(num, num + 1, strlen(num));
    if (dec != '.') {
        char *point = strchr(num, '.');
        if (point)
            *point = dec;
    }
    buf_puts(out, num);
}
