/* payacct.c - bankgiro, plusgiro and IBAN: parse, check, normalise. */
#include "core/payacct.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/ocr.h"
#include "util/str.h"

enum payacct_kind payacct_kind_parse(const char *s)
{
    if (!s)
        return PAYACCT_NONE;
    if (strcasecmp(s, "bankgiro") == 0 || strcasecmp(s, "bg") == 0)
        return PAYACCT_BANKGIRO;
    if (strcasecmp(s, "plusgiro") == 0 || strcasecmp(s, "pg") == 0)
        return PAYACCT_PLUSGIRO;
    if (strcasecmp(s, "iban") == 0)
        return PAYACCT_IBAN;
    return PAYACCT_NONE;
}

const char *payacct_kind_id(enum payacct_kind k)
{
    switch (k) {
    case PAYACCT_BANKGIRO:
        return "bankgiro";
    case PAYACCT_PLUSGIRO:
        return "plusgiro";
    case PAYACCT_IBAN:
        return "iban";
    case PAYACCT_NONE:
        break;
    }
    return "";
}

const char *payacct_kind_label_sv(enum payacct_kind k)
{
    switch (k) {
    case PAYACCT_BANKGIRO:
        return N_("Bankgiro");
    case PAYACCT_PLUSGIRO:
        return N_("Plusgiro");
    case PAYACCT_IBAN:
        return "IBAN";
    case PAYACCT_NONE:
        break;
    }
    return "";
}

int payacct_mod10_ok(const char *digits)
{
    size_t len = strlen(digits);
    if (len < 2 || digits[len - 1] < '0' || digits[len - 1] > '9')
        return 0;
    return ocr_luhn_digit(digits, len - 1) == digits[len - 1] - '0';
}

int payacct_iban_mod97(const char *iban)
{
    size_t len = strlen(iban);
    if (len < 4)
        return -1;
    int rem = 0;
    /* the first four characters move to the end; letters count A=10..Z=35 */
    for (size_t k = 0; k < len; k++) {
        char c = iban[(k + 4) % len];
        if (c >= '0' && c <= '9') {
            rem = (rem * 10 + (c - '0')) % 97;
        } else if (c >= 'A' && c <= 'Z') {
            int v = c - 'A' + 10;
            rem = (rem * 100 + v) % 97;
        } else {
            return -1;
        }
    }
    return rem;
}

struct iban_country {
    const char cc[3];
    int len;
    const char *name;
};

static const struct iban_country countries[] = {
    {"SE", 24, N_("Sverige")},        {"NO", 15, N_("Norge")},     {"DK", 18, N_("Danmark")},
    {"FI", 18, N_("Finland")},        {"IS", 26, N_("Island")},    {"DE", 22, N_("Tyskland")},
    {"GB", 22, N_("Storbritannien")}, {"FR", 27, N_("Frankrike")}, {"NL", 18, N_("Nederländerna")},
    {"BE", 16, N_("Belgien")},        {"ES", 24, N_("Spanien")},   {"IT", 27, N_("Italien")},
    {"AT", 20, N_("Österrike")},      {"CH", 21, N_("Schweiz")},   {"PL", 28, N_("Polen")},
    {"IE", 22, N_("Irland")},         {"EE", 20, N_("Estland")},   {"LV", 21, N_("Lettland")},
    {"LT", 20, N_("Litauen")},        {"PT", 25, N_("Portugal")},  {"LU", 20, N_("Luxemburg")},
};

/* Strip spaces and hyphens; digits and (letters when allow_alpha, made
 * capitals) kept. Returns -1 on another character, -2 when too long. */
static int clean(const char *s, char *out, size_t n, int allow_alpha)
{
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z' && allow_alpha)
            c = (char)(c - 'a' + 'A');
        int ok = (c >= '0' && c <= '9') || (allow_alpha && c >= 'A' && c <= 'Z');
        if (!ok)
            return -1;
        if (k + 1 >= n)
            return -2;
        out[k++] = c;
    }
    out[k] = '\0';
    return (int)k;
}

static enum err fail(struct payacct *out, struct msg *why, enum err e, struct msgkey text)
{
    memset(out, 0, sizeof(*out));
    if (why)
        msg_set(why, text);
    return e;
}

static enum err parse_giro(enum payacct_kind kind, const char *s, struct payacct *out,
                           struct msg *why)
{
    int bg = kind == PAYACCT_BANKGIRO;
    char d[40];
    int len = clean(s, d, sizeof(d), 0);
    if (len < 0)
        return fail(out, why, ERR_PARSE,
                    bg ? M_("Bankgironumret får bara innehålla siffror och bindestreck")
                       : M_("Plusgironumret får bara innehålla siffror och bindestreck"));
    if (bg && (len < 7 || len > 8))
        return fail(out, why, ERR_PARSE, M_("Bankgironumret ska ha 7 eller 8 siffror"));
    if (!bg && (len < 2 || len > 8))
        return fail(out, why, ERR_PARSE, M_("Plusgironumret ska ha 2–8 siffror"));
    if (!payacct_mod10_ok(d))
        return fail(out, why, ERR_INVALID,
                    bg ? M_("Kontrollsiffran stämmer inte för bankgironumret")
                       : M_("Kontrollsiffran stämmer inte för plusgironumret"));
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    str_copy(out->number, sizeof(out->number), d);
    if (bg) {
        int head = len - 4;
        snprintf(out->display, sizeof(out->display), "%.*s-%s", head, d, d + head);
    } else {
        /* pairs from the right before the check digit: "90 20 01-9" */
        char body[16];
        size_t bl = (size_t)len - 1, k = 0;
        for (size_t i = 0; i < bl; i++) {
            if (i > 0 && (bl - i) % 2 == 0)
                body[k++] = ' ';
            body[k++] = d[i];
        }
        body[k] = '\0';
        snprintf(out->display, sizeof(out->display), "%s-%c", body, d[len - 1]);
    }
    return ERR_OK;
}

static enum err parse_iban(const char *s, struct payacct *out, struct msg *why)
{
    char d[40];
    int len = clean(s, d, sizeof(d), 1);
    if (len == -1)
        return fail(out, why, ERR_PARSE,
                    M_("IBAN får bara innehålla bokstäver, siffror och mellanslag"));
    if (len == -2 || len > 34)
        return fail(out, why, ERR_PARSE, M_("IBAN får ha högst 34 tecken"));
    if (len < 15 || d[0] < 'A' || d[0] > 'Z' || d[1] < 'A' || d[1] > 'Z' || d[2] < '0' ||
        d[2] > '9' || d[3] < '0' || d[3] > '9')
        return fail(out, why, ERR_PARSE,
                    M_("IBAN ska börja med landskod och två kontrollsiffror, t.ex. SE45 5000 …"));
    for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
        if (memcmp(countries[i].cc, d, 2) != 0)
            continue;
        if (len != countries[i].len) {
            memset(out, 0, sizeof(*out));
            if (why)
                msg_setf(why, M_("IBAN för {1} ska ha {2} tecken"), msg_text(countries[i].name),
                         msg_int(countries[i].len));
            return ERR_PARSE;
        }
        break;
    }
    if (d[0] == 'S' && d[1] == 'E')
        for (int i = 4; i < len; i++)
            if (d[i] < '0' || d[i] > '9')
                return fail(out, why, ERR_PARSE,
                            M_("Ett svenskt IBAN har bara siffror efter landskoden"));
    if (payacct_iban_mod97(d) != 1)
        return fail(out, why, ERR_INVALID, M_("Kontrollsiffrorna stämmer inte för IBAN-numret"));
    memset(out, 0, sizeof(*out));
    out->kind = PAYACCT_IBAN;
    str_copy(out->number, sizeof(out->number), d);
    size_t k = 0;
    for (int i = 0; i < len && k + 2 < sizeof(out->display); i++) {
        if (i > 0 && i % 4 == 0)
            out->display[k++] = ' ';
        out->display[k++] = d[i];
    }
    out->display[k] = '\0';
    return ERR_OK;
}

enum err payacct_parse(enum payacct_kind kind, const char *s, struct payacct *out, struct msg *why)
{
    if (!s || strlen(s) > PAYACCT_INPUT_MAX)
        return fail(out, why, ERR_PARSE, M_("Kontonumret är för långt"));
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return fail(out, why, ERR_PARSE, M_("Ange ett kontonummer"));
    if (kind == PAYACCT_NONE) {
        int alpha0 = (p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z';
        int alpha1 = (p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z';
        if (alpha0 && alpha1)
            kind = PAYACCT_IBAN;
        else
            return fail(out, why, ERR_PARSE, M_("Ange om kontot är bankgiro, plusgiro eller IBAN"));
    }
    if (kind == PAYACCT_IBAN)
        return parse_iban(p, out, why);
    return parse_giro(kind, p, out, why);
}
