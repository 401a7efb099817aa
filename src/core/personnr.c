/* personnr.c - personnummer, samordningsnummer and foreign identities. */
#include "core/personnr.h"

#include <stdio.h>
#include <string.h>

#include "core/ocr.h"
#include "util/sha256.h"

/* ISO 3166-1 alpha-2, the 249 officially assigned codes (iso-codes 4.15;
 * tests/unit/core/test_personnr.c compares them with the system's copy),
 * then XK. */
static const char countries[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICK"
    "CLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGS"
    "GTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULV"
    "LYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
    "PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTR"
    "TTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW"
    "XK";

const char *personnr_kind_id(enum personnr_kind k)
{
    switch (k) {
    case PERSONNR_PERSONNUMMER:
        return "personnummer";
    case PERSONNR_SAMORDNINGSNUMMER:
        return "samordningsnummer";
    case PERSONNR_FOREIGN:
        return "foreign";
    default:
        return "";
    }
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The date of birth and kind of twelve digits, without the check digit's
 * test; PERSONNR_NONE if the date is not valid. */
static enum personnr_kind date_of(const char *d, struct date *born)
{
    struct date b = {num(d, 4), num(d + 4, 2), num(d + 6, 2)};
    enum personnr_kind k = PERSONNR_PERSONNUMMER;
    if (b.d > 60) {
        b.d -= 60;
        k = PERSONNR_SAMORDNINGSNUMMER;
    }
    if (!date_valid(b))
        return PERSONNR_NONE;
    *born = b;
    return k;
}

enum personnr_kind personnr_kind_of(const char *s)
{
    struct date b;
    if (!s || strlen(s) != PERSONNR_DIGITS)
        return PERSONNR_NONE;
    for (int i = 0; i < PERSONNR_DIGITS; i++)
        if (s[i] < '0' || s[i] > '9')
            return PERSONNR_NONE;
    enum personnr_kind k = date_of(s, &b);
    if (k == PERSONNR_NONE || ocr_luhn_digit(s + 2, 9) != s[11] - '0')
        return PERSONNR_NONE;
    return k;
}

int personnr_ok(const char *s)
{
    return personnr_kind_of(s) != PERSONNR_NONE;
}

static enum err refuse(enum err e, const char *msg, const char **why, char *out,
                       enum personnr_kind *kind)
{
    out[0] = '\0';
    if (kind)
        *kind = PERSONNR_NONE;
    if (why)
        *why = msg;
    return e;
}

enum err personnr_parse(const char *s, struct date today, char out[PERSONNR_SIZE],
                        enum personnr_kind *kind, struct date *born, const char **why)
{
    char d[PERSONNR_SIZE];
    size_t k = 0;
    char sep = 0;
    out[0] = '\0';
    if (kind)
        *kind = PERSONNR_NONE;
    if (why)
        *why = "";
    if (!s || !date_valid(today))
        return refuse(ERR_PARSE, PERSONNR_MSG_EMPTY, why, out, kind);
    size_t len = strlen(s);
    if (len > PERSONNR_INPUT_MAX)
        return refuse(ERR_PARSE, PERSONNR_MSG_LENGTH, why, out, kind);
    size_t a = 0, b = len;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (a == b)
        return refuse(ERR_PARSE, PERSONNR_MSG_EMPTY, why, out, kind);
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (k >= PERSONNR_DIGITS)
                return refuse(ERR_PARSE, PERSONNR_MSG_LENGTH, why, out, kind);
            d[k++] = c;
        } else if ((c == '-' || c == '+') && !sep) {
            sep = c;
            if (b - i - 1 != 4)
                return refuse(ERR_PARSE, PERSONNR_MSG_SEPARATOR, why, out, kind);
        } else {
            return refuse(ERR_PARSE, PERSONNR_MSG_CHARS, why, out, kind);
        }
    }
    d[k] = '\0';
    if (k != 10 && k != 12)
        return refuse(ERR_PARSE, PERSONNR_MSG_LENGTH, why, out, kind);
    char full[PERSONNR_SIZE];
    if (k == 12) {
        if (sep == '+')
            return refuse(ERR_PARSE, PERSONNR_MSG_PLUS12, why, out, kind);
        memcpy(full, d, PERSONNR_SIZE);
    } else {
        /* the century: at most 99 this year with '-', 100 or more with '+' */
        int base = sep == '+' ? today.y - 100 : today.y;
        int yy = num(d, 2);
        int year = base - (((base - yy) % 100) + 100) % 100;
        full[0] = (char)('0' + year / 1000 % 10);
        full[1] = (char)('0' + year / 100 % 10);
        full[2] = (char)('0' + year / 10 % 10);
        full[3] = (char)('0' + year % 10);
        memcpy(full + 4, d + 2, 8);
        full[12] = '\0';
    }
    struct date bd;
    enum personnr_kind kd = date_of(full, &bd);
    if (kd == PERSONNR_NONE)
        return refuse(ERR_INVALID, PERSONNR_MSG_DATE, why, out, kind);
    if (date_cmp(bd, today) > 0)
        return refuse(ERR_INVALID, PERSONNR_MSG_FUTURE, why, out, kind);
    if (ocr_luhn_digit(full + 2, 9) != full[11] - '0')
        return refuse(ERR_INVALID, PERSONNR_MSG_CHECK, why, out, kind);
    memcpy(out, full, PERSONNR_SIZE);
    if (kind)
        *kind = kd;
    if (born)
        *born = bd;
    return ERR_OK;
}

void personnr_format(const char *s, char out[PERSONNR_DISPLAY_SIZE])
{
    out[0] = '\0';
    if (!personnr_ok(s))
        return;
    memcpy(out, s, 8);
    out[8] = '-';
    memcpy(out + 9, s + 8, 4);
    out[13] = '\0';
}

void personnr_mask(const char *s, char out[PERSONNR_MASKED_SIZE])
{
    out[0] = '\0';
    if (!personnr_ok(s))
        return;
    memcpy(out, s, 8);
    memcpy(out + 8, "-****", 6);
}

int personnr_country_ok(const char *code)
{
    if (!code || strlen(code) != 2)
        return 0;
    char c[2];
    for (int i = 0; i < 2; i++) {
        char x = code[i];
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 'a' + 'A');
        if (x < 'A' || x > 'Z')
            return 0;
        c[i] = x;
    }
    for (size_t i = 0; i + 1 < sizeof(countries); i += 2)
        if (countries[i] == c[0] && countries[i + 1] == c[1])
            return 1;
    return 0;
}

enum err personnr_foreign(struct date born, const char *foreign_id, const char *country,
                          struct date today, struct personnr_ident *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    if (why)
        *why = "";
    if (!date_valid(born) || !date_valid(today)) {
        if (why)
            *why = PERSONNR_MSG_BORN;
        return ERR_INVALID;
    }
    if (date_cmp(born, today) > 0) {
        if (why)
            *why = PERSONNR_MSG_BORN_FUTURE;
        return ERR_INVALID;
    }
    size_t k = 0;
    for (const char *p = foreign_id ? foreign_id : ""; *p; p++) {
        char c = *p;
        if (c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (k >= PERSONNR_FOREIGN_ID_MAX ||
            !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
            memset(out, 0, sizeof(*out));
            if (why)
                *why = PERSONNR_MSG_FOREIGN_ID;
            return ERR_INVALID;
        }
        out->foreign_id[k++] = c;
    }
    out->foreign_id[k] = '\0';
    if (k == 0) {
        memset(out, 0, sizeof(*out));
        if (why)
            *why = PERSONNR_MSG_FOREIGN_ID;
        return ERR_INVALID;
    }
    if (!personnr_country_ok(country)) {
        memset(out, 0, sizeof(*out));
        if (why)
            *why = PERSONNR_MSG_COUNTRY;
        return ERR_INVALID;
    }
    for (int i = 0; i < 2; i++)
        out->country[i] = (char)(country[i] >= 'a' ? country[i] - 'a' + 'A' : country[i]);
    out->country[2] = '\0';
    out->born = born;
    out->kind = PERSONNR_FOREIGN;
    return ERR_OK;
}

enum err personnr_ident_parse(const char *s, struct date today, struct personnr_ident *out,
                              const char **why)
{
    memset(out, 0, sizeof(*out));
    enum err e = personnr_parse(s, today, out->number, &out->kind, &out->born, why);
    if (e != ERR_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

/* 1 if a foreign id is 1..MAX of A-Z 0-9 '-'. */
static int foreign_id_ok(const char *s)
{
    size_t k = strnlen(s, PERSONNR_FOREIGN_ID_MAX + 1);
    if (k == 0 || k > PERSONNR_FOREIGN_ID_MAX)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

static int ident_ok(const struct personnr_ident *id)
{
    if (id->kind == PERSONNR_PERSONNUMMER || id->kind == PERSONNR_SAMORDNINGSNUMMER)
        return personnr_kind_of(id->number) == id->kind;
    if (id->kind == PERSONNR_FOREIGN)
        return date_valid(id->born) && foreign_id_ok(id->foreign_id) &&
               personnr_country_ok(id->country) && id->country[0] <= 'Z' && id->country[1] <= 'Z';
    return 0;
}

enum err personnr_ident_key(const struct personnr_ident *id, char out[PERSONNR_KEY_SIZE])
{
    out[0] = '\0';
    if (!ident_ok(id))
        return ERR_INVALID;
    if (id->kind == PERSONNR_FOREIGN)
        snprintf(out, PERSONNR_KEY_SIZE, "F%04d%02d%02d%s%s", id->born.y, id->born.m, id->born.d,
                 id->country, id->foreign_id);
    else
        snprintf(out, PERSONNR_KEY_SIZE, "%s", id->number);
    return ERR_OK;
}

void personnr_ident_mask(const struct personnr_ident *id, char out[PERSONNR_KEY_SIZE])
{
    out[0] = '\0';
    if (!ident_ok(id))
        return;
    if (id->kind == PERSONNR_FOREIGN)
        snprintf(out, PERSONNR_KEY_SIZE, "%04d%02d%02d (%s) ****", id->born.y, id->born.m,
                 id->born.d, id->country);
    else
        personnr_mask(id->number, out);
}

void personnr_hmac_sha256(const unsigned char *key, size_t keylen, const void *msg, size_t n,
                          unsigned char out[32])
{
    unsigned char k[64], pad[64], inner[32];
    struct sha256 h;
    memset(k, 0, sizeof(k));
    if (keylen > sizeof(k)) {
        sha256_init(&h);
        sha256_update(&h, key, keylen);
        sha256_final(&h, k);
    } else if (keylen) {
        memcpy(k, key, keylen);
    }
    for (size_t i = 0; i < 64; i++)
        pad[i] = (unsigned char)(k[i] ^ 0x36);
    sha256_init(&h);
    sha256_update(&h, pad, sizeof(pad));
    sha256_update(&h, msg, n);
    sha256_final(&h, inner);
    for (size_t i = 0; i < 64; i++)
        pad[i] = (unsigned char)(k[i] ^ 0x5c);
    sha256_init(&h);
    sha256_update(&h, pad, sizeof(pad));
    sha256_update(&h, inner, sizeof(inner));
    sha256_final(&h, out);
    memset(k, 0, sizeof(k));
    memset(pad, 0, sizeof(pad));
}

enum err personnr_logref(const char *stored_key, const unsigned char *logkey, size_t keylen,
                         char out[PERSONNR_LOGREF_SIZE])
{
    out[0] = '\0';
    if (!stored_key || !stored_key[0] || !logkey || keylen < PERSONNR_LOGKEY_MIN)
        return ERR_INVALID;
    unsigned char mac[32];
    char hex[65];
    personnr_hmac_sha256(logkey, keylen, stored_key, strlen(stored_key), mac);
    sha256_hex(mac, hex);
    snprintf(out, PERSONNR_LOGREF_SIZE, "p:%.20s", hex);
    return ERR_OK;
}
