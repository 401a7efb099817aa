/* sie.c - SIE type 4I export, code page 437, CR LF. */
#include "io/sie.h"

#include <inttypes.h>
#include <string.h>

/* Unicode of code page 437's bytes 0x80-0xFF. */
static const unsigned short cp437_high[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
    0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
    0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

void sie_settings_default(struct sie_settings *s)
{
    memset(s, 0, sizeof(*s));
    str_copy(s->program, sizeof(s->program), "Bidrag");
    str_copy(s->version, sizeof(s->version), "1.0");
    str_copy(s->company, sizeof(s->company), "Socialstyrelsen");
    str_copy(s->grant.number, sizeof(s->grant.number), "7731");
    str_copy(s->grant.name, sizeof(s->grant.name), "Lämnade bidrag till kommuner och regioner");
    str_copy(s->bank.number, sizeof(s->bank.number), "1930");
    str_copy(s->bank.name, sizeof(s->bank.name), "Räntekonto i Riksgälden");
    s->book_financing = 0;
    str_copy(s->settlement.number, sizeof(s->settlement.number), "1911");
    str_copy(s->settlement.name, sizeof(s->settlement.name), "Avräkning med statsverket");
    str_copy(s->financing.number, sizeof(s->financing.number), "7311");
    str_copy(s->financing.name, sizeof(s->financing.name),
             "Medel från statens budget för finansiering av bidrag");
    str_copy(s->own_cost.number, sizeof(s->own_cost.number), "5890");
    str_copy(s->own_cost.name, sizeof(s->own_cost.name),
             "Övriga driftkostnader, statsbidragets administration");
    s->dim_project = 6;
    s->dim_item = 20;
}

enum err sie_cp437(const char *in, char *out, size_t n, char bad[5])
{
    if (n)
        out[0] = '\0';
    if (bad)
        bad[0] = '\0';
    size_t len = strlen(in), k = 0;
    if (str_utf8_len(in, len) < 0)
        return ERR_PARSE;
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t w;
        if (p[i] < 0x80) {
            cp = p[i];
            w = 1;
        } else if (p[i] < 0xE0) {
            cp = ((unsigned)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
            w = 2;
        } else if (p[i] < 0xF0) {
            cp = ((unsigned)(p[i] & 0x0F) << 12) | ((unsigned)(p[i + 1] & 0x3F) << 6) |
                 (p[i + 2] & 0x3F);
            w = 3;
        } else {
            cp = 0x110000; /* outside the code page */
            w = 4;
        }
        int byte = -1;
        if (cp >= 0x20 && cp < 0x7F)
            byte = (int)cp;
        for (int j = 0; byte < 0 && cp >= 0x80 && j < 128; j++)
            if (cp437_high[j] == cp)
                byte = 0x80 + j;
        if (byte < 0) {
            if (bad) {
                memcpy(bad, p + i, w);
                bad[w] = '\0';
            }
            if (n)
                out[0] = '\0';
            return ERR_INVALID;
        }
        if (k + 1 >= n)
            return ERR_LIMIT;
        out[k++] = (char)byte;
        i += w;
    }
    if (n)
        out[k] = '\0';
    return ERR_OK;
}

/* A quoted string: CP437 with \" for a quote and / for a backslash. */
static enum err put_string(struct buf *b, const char *utf8, char bad[5])
{
    char t[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS) + 8];
    enum err e = sie_cp437(utf8, t, sizeof(t), bad);
    if (e)
        return e;
    buf_putc(b, '"');
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            buf_puts(b, "\\\"");
        else if (*p == '\\')
            buf_putc(b, '/');
        else
            buf_putc(b, *p);
    }
    buf_putc(b, '"');
    return ERR_OK;
}

/* YYYYMMDD of a valid date (checked before). */
static void ymd(char out[9], struct date d)
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
    snprintf(out, 9, "%04u%02u%02u", y, m, dd);
}

static void amount(char *out, size_t n, int64_t ore)
{
    int64_t mag = ore < 0 ? -ore : ore;
    snprintf(out, n, "%s%" PRId64 ".%02" PRId64, ore < 0 ? "-" : "", mag / 100, mag % 100);
}

static int account_ok(const struct sie_account *a)
{
    size_t len = strlen(a->number);
    return len >= 4 && len <= 6 && str_is_digits(a->number, len) && a->name[0] &&
           str_text_fits(a->name, 0, SIE_TEXT_MAX_CHARS);
}

static int object_ok(const char *s)
{
    size_t len = strlen(s);
    if (len > 20)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

static int orgnr_ok(const char *s)
{
    if (strlen(s) != 11 || s[6] != '-')
        return 0;
    char digits[11];
    memcpy(digits, s, 6);
    memcpy(digits + 6, s + 7, 4);
    digits[10] = '\0';
    if (!str_is_digits(digits, 10))
        return 0;
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        int v = digits[9 - i] - '0';
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static void trans(struct buf *b, const struct sie_settings *s, const struct sie_account *a,
                  const struct sie_booking *bk, int with_objects, int64_t ore)
{
    char amt[40];
    amount(amt, sizeof(amt), ore);
    buf_printf(b, "   #TRANS %s {", a->number);
    if (with_objects) {
        const char *sep = "";
        if (s->cost_centre[0]) {
            buf_printf(b, "1 \"%s\"", s->cost_centre);
            sep = " ";
        }
        if (bk->project[0]) {
            buf_printf(b, "%s%d \"%s\"", sep, s->dim_project, bk->project);
            sep = " ";
        }
        if (bk->item[0])
            buf_printf(b, "%s%d \"%s\"", sep, s->dim_item, bk->item);
    }
    buf_printf(b, "} %s\r\n", amt);
}

static int settings_ok(const struct sie_settings *s, struct diag *d)
{
    int bad = 0;
    if (!s->program[0] || !object_ok(s->program) || !object_ok(s->version)) {
        diag_add(d, NULL, 0, "settings: the program name '%s' or version '%s' is not plain",
                 s->program, s->version);
        bad++;
    }
    if (!s->company[0] || !str_text_fits(s->company, 0, SIE_TEXT_MAX_CHARS)) {
        diag_add(d, NULL, 0, "settings: the company name is not set");
        bad++;
    }
    if (!orgnr_ok(s->orgnr)) {
        diag_add(d, NULL, 0,
                 "settings: the organisation number '%s' is not NNNNNN-NNNN with its check digit",
                 s->orgnr);
        bad++;
    }
    const struct sie_account *acc[] = {&s->grant, &s->bank, &s->own_cost, &s->settlement,
                                       &s->financing};
    const char *what[] = {"grant", "bank", "own cost", "settlement", "financing"};
    for (size_t i = 0; i < (s->book_financing ? 5u : 3u); i++) {
        if (!account_ok(acc[i])) {
            diag_add(d, NULL, 0, "settings: the %s account '%s' is not 4-6 digits with a name",
                     what[i], acc[i]->number);
            bad++;
        }
    }
    if (!object_ok(s->cost_centre) || s->dim_project < 1 || s->dim_project > 99 ||
        s->dim_item < 1 || s->dim_item > 99 || s->dim_item == s->dim_project ||
        s->dim_project == 1 || s->dim_item == 1) {
        diag_add(d, NULL, 0, "settings: the cost centre or dimensions are not usable");
        bad++;
    }
    return bad;
}

enum err sie_write(const struct sie_settings *s, struct date gen, const char *sign,
                   const struct sie_booking *b, size_t n, struct buf *out, struct diag *d)
{
    size_t start = out->len;
    int failed_before = out->failed;
    out->failed = 0;
    char bad[5];
    enum err e = ERR_INVALID;
    int nbad = settings_ok(s, d);
    if (!date_valid(gen)) {
        diag_add(d, NULL, 0, "settings: the generation date is not set");
        nbad++;
    }
    char signed_by[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS)];
    if (sign && (!str_text_fits(sign, 0, SIE_TEXT_MAX_CHARS) ||
                 sie_cp437(sign, signed_by, sizeof(signed_by), bad) != ERR_OK)) {
        diag_add(d, NULL, 0, "settings: the signature cannot be written in code page 437");
        nbad++;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sie_booking *bk = &b[i];
        char t[STR_UTF8_SIZE(SIE_TEXT_MAX_CHARS)];
        if (bk->kind != SIE_PAYMENT && bk->kind != SIE_REPAYMENT && bk->kind != SIE_OWN_COST) {
            diag_add(d, NULL, 0, "booking %zu: neither a payment, a repayment nor an own cost",
                     i + 1);
            nbad++;
        }
        if (!date_valid(bk->date)) {
            diag_add(d, NULL, 0, "booking %zu: no date", i + 1);
            nbad++;
        }
        int64_t lo = bk->kind == SIE_OWN_COST ? -INT64_C(1000000000000000) : 1;
        if (bk->amount < lo || bk->amount == 0 || bk->amount > INT64_C(1000000000000000)) {
            diag_add(d, NULL, 0, "booking %zu: the amount %" PRId64 " öre is out of range", i + 1,
                     bk->amount);
            nbad++;
        }
        if (!str_text_fits(bk->text, 0, SIE_TEXT_MAX_CHARS) ||
            sie_cp437(bk->text, t, sizeof(t), bad) != ERR_OK) {
            diag_add(d, NULL, 0,
                     "booking %zu: the text has a character code page 437 lacks "
                     "('%s') or is longer than 100 characters",
                     i + 1, bad);
            nbad++;
        }
        if (!object_ok(bk->project) || !object_ok(bk->item)) {
            diag_add(d, NULL, 0,
                     "booking %zu: the project '%s' or item '%s' is not a plain object id", i + 1,
                     bk->project, bk->item);
            nbad++;
        }
    }
    if (nbad)
        goto out;

    char day[9];
    buf_puts(out, "#FLAGGA 0\r\n");
    buf_puts(out, "#PROGRAM ");
    put_string(out, s->program, bad);
    buf_putc(out, ' ');
    put_string(out, s->version, bad);
    buf_puts(out, "\r\n#FORMAT PC8\r\n");
    ymd(day, gen);
    buf_printf(out, "#GEN %s", day);
    if (sign && *sign) {
        buf_putc(out, ' ');
        put_string(out, sign, bad);
    }
    buf_puts(out, "\r\n#SIETYP 4\r\n#FNAMN ");
    put_string(out, s->company, bad);
    buf_printf(out, "\r\n#ORGNR %s\r\n", s->orgnr);
    if (s->cost_centre[0]) {
        buf_puts(out, "#DIM 1 ");
        put_string(out, "Kostnadsställe", bad);
        buf_puts(out, "\r\n");
    }
    buf_printf(out, "#DIM %d \"Projekt\"\r\n", s->dim_project);
    buf_printf(out, "#DIM %d \"Anslagspost\"\r\n", s->dim_item);
    const struct sie_account *acc[] = {&s->bank, &s->settlement, &s->financing, &s->own_cost,
                                       &s->grant};
    for (size_t i = 0; i < 5; i++) {
        if (!s->book_financing && (acc[i] == &s->settlement || acc[i] == &s->financing))
            continue;
        buf_printf(out, "#KONTO %s ", acc[i]->number);
        put_string(out, acc[i]->name, bad);
        buf_puts(out, "\r\n");
    }
    for (size_t i = 0; i < n; i++) {
        const struct sie_booking *bk = &b[i];
        int64_t x = bk->kind == SIE_REPAYMENT ? -bk->amount : bk->amount;
        ymd(day, bk->date);
        buf_printf(out, "#VER \"\" \"\" %s ", day);
        put_string(out, bk->text, bad);
        buf_puts(out, "\r\n{\r\n");
        trans(out, s, bk->kind == SIE_OWN_COST ? &s->own_cost : &s->grant, bk, 1, x);
        trans(out, s, &s->bank, bk, 0, -x);
        if (s->book_financing) {
            trans(out, s, &s->settlement, bk, 0, x);
            trans(out, s, &s->financing, bk, 1, -x);
        }
        buf_puts(out, "}\r\n");
    }
    e = out->failed ? ERR_LIMIT : ERR_OK;
    if (e)
        diag_add(d, NULL, 0, "file: larger than the buffer's cap of %zu bytes", out->max);
out:
    if (e && out->p) {
        out->len = start;
        out->p[start] = '\0';
    }
    out->failed = out->failed || failed_before;
    return e;
}
