/* orgnr.c - Swedish organisation numbers: parse, check, classify. */
#include "core/orgnr.h"

#include <stdio.h>
#include <string.h>

#include "core/ocr.h"
#include "util/str.h"

int orgnr_check_digit(const char *s)
{
    /* nine digits, weights 2,1,2,... from the left = from the right */
    return s && strnlen(s, 9) == 9 ? ocr_luhn_digit(s, 9) : -1;
}

int orgnr_ok(const char *s)
{
    if (!s || !str_is_digits(s, ORGNR_DIGITS))
        return 0;
    if (s[2] < '2')
        return 0;
    return orgnr_check_digit(s) == s[9] - '0';
}

static void say(char *msg, size_t n, const char *text)
{
    if (msg && n)
        snprintf(msg, n, "%s", text);
}

enum err orgnr_parse(const char *s, char out[ORGNR_SIZE], char *msg, size_t n)
{
    char digits[16];
    size_t k = 0;
    int dash = 0;
    out[0] = '\0';
    say(msg, n, "");
    if (!s) {
        say(msg, n, "Ange ett organisationsnummer");
        return ERR_PARSE;
    }
    size_t len = strlen(s);
    if (len > ORGNR_INPUT_MAX) {
        say(msg, n, "Organisationsnumret ska ha 10 siffror");
        return ERR_PARSE;
    }
    size_t a = 0, b = len;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (a == b) {
        say(msg, n, "Ange ett organisationsnummer");
        return ERR_PARSE;
    }
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (k >= sizeof(digits) - 1) {
                say(msg, n, "Organisationsnumret ska ha 10 siffror");
                return ERR_PARSE;
            }
            digits[k++] = c;
        } else if ((c == '-' || c == ' ') && !dash && k > 0 && i + 1 < b) {
            /* one separator, between the first part and the last four */
            dash = 1;
            if (b - i - 1 != 4) {
                say(msg, n, "Skriv organisationsnumret som 212000-0142");
                return ERR_PARSE;
            }
        } else {
            say(msg, n, "Organisationsnumret får bara innehålla siffror och ett bindestreck");
            return ERR_PARSE;
        }
    }
    digits[k] = '\0';
    const char *p = digits;
    if (k == 12 && digits[0] == '1' && digits[1] == '6') {
        p = digits + 2; /* the century prefix some registers write */
        k = 10;
    }
    if (k != ORGNR_DIGITS) {
        say(msg, n, "Organisationsnumret ska ha 10 siffror");
        return ERR_PARSE;
    }
    if (p[2] < '2') {
        say(msg, n, "Numret är ett personnummer, inte en juridisk persons organisationsnummer");
        return ERR_INVALID;
    }
    if (orgnr_check_digit(p) != p[9] - '0') {
        say(msg, n, "Kontrollsiffran stämmer inte för organisationsnumret");
        return ERR_INVALID;
    }
    memcpy(out, p, ORGNR_DIGITS);
    out[ORGNR_DIGITS] = '\0';
    return ERR_OK;
}

void orgnr_format(const char *s, char out[ORGNR_DISPLAY_SIZE])
{
    if (!s || !str_is_digits(s, ORGNR_DIGITS)) {
        out[0] = '\0';
        return;
    }
    memcpy(out, s, 6);
    out[6] = '-';
    memcpy(out + 7, s + 6, 4);
    out[11] = '\0';
}

const char *orgnr_group_sv(const char *s)
{
    if (!s || s[0] < '0' || s[0] > '9')
        return "";
    switch (s[0]) {
    case '2':
        return "Stat, region, kommun, församling";
    case '3':
        return "Utländskt företag";
    case '5':
        return "Aktiebolag";
    case '6':
        return "Enkelt bolag";
    case '7':
        return "Ekonomisk förening";
    case '8':
        return "Ideell förening eller stiftelse";
    case '9':
        return "Handelsbolag eller kommanditbolag";
    default:
        return "";
    }
}

int orgnr_fits_recipient(const char *s, enum role role, const char *code)
{
    if (!orgnr_ok(s) || !code)
        return 0;
    if (role == ROLE_KOMMUN)
        return str_is_digits(code, 4) && str_starts(s, ORGNR_KOMMUN_PREFIX);
    if (role == ROLE_REGION) {
        if (!str_is_digits(code, 2))
            return 0;
        if (strcmp(code, ORGNR_GOTLAND_LANSKOD) == 0)
            return strcmp(s, ORGNR_GOTLAND) == 0;
        return str_starts(s, ORGNR_REGION_PREFIX);
    }
    return 0;
}
