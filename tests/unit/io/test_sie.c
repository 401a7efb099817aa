/* test_sie.c - SIE 4I export read back by an independent parser written
 * here: bytes decoded from code page 437 with iconv, CR LF on every line,
 * the records in the order SIE 4 asks and none that 4I forbids, one #VER
 * per booking whose #TRANS rows sum to zero, every account declared, the
 * amounts, texts and objects as given. The code page table is checked
 * against iconv's. Bad settings and bookings append nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/sie.h"

/* --- an independent SIE reader ----------------------------------------- */

#define MAXF 16

struct rec {
    char label[16];
    char f[MAXF][256]; /* fields, strings unquoted and unescaped, {...} kept whole */
    int nf;
};

/* Code page 437 bytes to UTF-8 with iconv. */
static void from_cp437(const char *in, size_t n, char *out, size_t outn)
{
    iconv_t cd = iconv_open("UTF-8", "CP437");
    assert_true(cd != (iconv_t)-1);
    char *ip = (char *)in, *op = out;
    size_t il = n, ol = outn - 1;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    *op = '\0';
    iconv_close(cd);
}

static void parse_line(const char *line, struct rec *r)
{
    memset(r, 0, sizeof(*r));
    const char *p = line;
    while (*p == ' ')
        p++;
    size_t k = 0;
    while (*p && *p != ' ' && k + 1 < sizeof(r->label))
        r->label[k++] = *p++;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        assert_true(r->nf < MAXF);
        char *o = r->f[r->nf];
        size_t j = 0;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1] == '"')
                    p++;
                o[j++] = *p++;
            }
            assert_true(*p == '"');
            p++;
        } else if (*p == '{') {
            while (*p && *p != '}')
                o[j++] = *p++;
            assert_true(*p == '}');
            o[j++] = *p++;
        } else {
            while (*p && *p != ' ')
                o[j++] = *p++;
        }
        o[j] = '\0';
        r->nf++;
    }
}

/* "-1234.5" -> öre, with at most two decimals. */
static int64_t ore_of(const char *s)
{
    int neg = *s == '-';
    if (neg)
        s++;
    const char *dot = strchr(s, '.');
    int64_t whole = strtoll(s, NULL, 10), frac = 0;
    if (dot) {
        size_t fd = strlen(dot + 1);
        assert_true(fd >= 1 && fd <= 2);
        frac = strtoll(dot + 1, NULL, 10) * (fd == 1 ? 10 : 1);
    }
    return (neg ? -1 : 1) * (whole * 100 + frac);
}

struct parsed {
    struct rec *r;
    size_t n;
};

static void parse_file(const struct buf *b, struct parsed *out)
{
    /* every line ends in CR LF, no bare LF or CR */
    for (size_t i = 0; i < b->len; i++) {
        if (b->p[i] == '\n')
            assert_true(i > 0 && b->p[i - 1] == '\r');
        if (b->p[i] == '\r')
            assert_true(i + 1 < b->len && b->p[i + 1] == '\n');
    }
    assert_true(b->len >= 2 && b->p[b->len - 1] == '\n');
    char *utf8 = malloc(b->len * 3 + 1);
    assert_non_null(utf8);
    from_cp437(b->p, b->len, utf8, b->len * 3 + 1);
    out->r = calloc(b->len / 2 + 1, sizeof(*out->r));
    out->n = 0;
    char *line = utf8;
    while (*line) {
        char *end = strstr(line, "\r\n");
        assert_non_null(end);
        *end = '\0';
        parse_line(line, &out->r[out->n++]);
        line = end + 2;
    }
    free(utf8);
}

static void settings(struct sie_settings *s)
{
    sie_settings_default(s);
    snprintf(s->orgnr, sizeof(s->orgnr), "202100-9994"); /* fictitious, valid check digit */
}

static void booking(struct sie_booking *b, enum sie_kind k, int day, int64_t amount,
                    const char *text, const char *item)
{
    memset(b, 0, sizeof(*b));
    b->kind = k;
    b->date = (struct date){2026, 3, day};
    b->amount = amount;
    snprintf(b->text, sizeof(b->text), "%s", text);
    snprintf(b->project, sizeof(b->project), "kompetens-2026");
    snprintf(b->item, sizeof(b->item), "%s", item);
}

static void check(const struct sie_settings *s, const struct sie_booking *bk, size_t n,
                  const struct buf *file)
{
    struct parsed p;
    parse_file(file, &p);
    /* the head, in order */
    const char *order[] = {"#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#FNAMN", "#ORGNR"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(p.r[i].label, order[i]);
    assert_string_equal(p.r[0].f[0], "0");
    assert_string_equal(p.r[1].f[0], "Bidrag");
    assert_string_equal(p.r[2].f[0], "PC8");
    assert_string_equal(p.r[3].f[0], "20260320");
    assert_string_equal(p.r[4].f[0], "4");
    assert_string_equal(p.r[5].f[0], s->company);
    assert_string_equal(p.r[6].f[0], s->orgnr);
    /* accounts declared, vouchers balanced and as booked */
    char declared[16][256];
    size_t ndecl = 0, nver = 0;
    int64_t grant_total = 0, want_total = 0, own_total = 0, want_own = 0;
    for (size_t i = 7; i < p.n; i++) {
        const struct rec *r = &p.r[i];
        assert_true(strcmp(r->label, "#IB") && strcmp(r->label, "#UB") &&
                    strcmp(r->label, "#RES") && strcmp(r->label, "#PSALDO"));
        if (!strcmp(r->label, "#KONTO")) {
            snprintf(declared[ndecl++], sizeof(declared[0]), "%s", r->f[0]);
            continue;
        }
        if (strcmp(r->label, "#VER") != 0)
            continue;
        const struct sie_booking *b = &bk[nver++];
        assert_string_equal(r->f[0], "");
        assert_string_equal(r->f[1], "");
        char day[16];
        snprintf(day, sizeof(day), "%04d%02d%02d", b->date.y, b->date.m, b->date.d);
        assert_string_equal(r->f[2], day);
        assert_string_equal(r->f[3], b->text);
        assert_string_equal(p.r[i + 1].label, "{");
        int64_t sum = 0;
        size_t j = i + 2;
        int rows = 0;
        for (; strcmp(p.r[j].label, "}") != 0; j++) {
            const struct rec *t = &p.r[j];
            assert_string_equal(t->label, "#TRANS");
            int known = 0;
            for (size_t k = 0; k < ndecl; k++)
                known |= !strcmp(declared[k], t->f[0]);
            assert_true(known);
            int64_t a = ore_of(t->f[2]);
            sum += a;
            rows++;
            if (!strcmp(t->f[0], s->own_cost.number)) {
                assert_int_equal(b->kind, SIE_OWN_COST);
                assert_int_equal(a, b->amount);
                own_total += a;
            }
            if (!strcmp(t->f[0], s->grant.number)) {
                assert_int_not_equal(b->kind, SIE_OWN_COST);
                int64_t want = b->kind == SIE_PAYMENT ? b->amount : -b->amount;
                assert_int_equal(a, want);
                grant_total += a;
                char obj[200];
                snprintf(obj, sizeof(obj), "{%s%s%s%d \"%s\" %d \"%s\"}",
                         s->cost_centre[0] ? "1 \"" : "", s->cost_centre,
                         s->cost_centre[0] ? "\" " : "", s->dim_project, b->project, s->dim_item,
                         b->item);
                assert_string_equal(t->f[1], obj);
            }
        }
        assert_int_equal(sum, 0);
        assert_int_equal(rows, s->book_financing ? 4 : 2);
        if (b->kind == SIE_OWN_COST)
            want_own += b->amount;
        else
            want_total += b->kind == SIE_PAYMENT ? b->amount : -b->amount;
        i = j;
    }
    assert_int_equal(nver, n);
    assert_int_equal(grant_total, want_total);
    assert_int_equal(own_total, want_own);
    free(p.r);
}

static void test_export(void **state)
{
    (void)state;
    struct sie_settings s;
    settings(&s);
    struct sie_booking b[6];
    booking(&b[0], SIE_PAYMENT, 16, 12500000, "Utbetalning BES-2026-000001-1-1 Ale kommun", "56");
    booking(&b[1], SIE_PAYMENT, 16, 99, "Utbetalning BES-2026-000002-1-1 Östra Göinge kommun",
            "12");
    booking(&b[2], SIE_REPAYMENT, 18, 4821050, "Återbetalning \"REK-2026-000007\" Åre", "56");
    booking(&b[3], SIE_PAYMENT, 19, 100000000000, "Utbetalning Ångermanland é ü ½", "16");
    /* own costs: one, and a correction of part of it */
    booking(&b[4], SIE_OWN_COST, 20, 2500000, "Egen kostnad: konsult för uppföljning", "12");
    booking(&b[5], SIE_OWN_COST, 20, -50000, "Rättelse av egen kostnad", "12");
    for (int variant = 0; variant < 2; variant++) {
        if (variant == 1) {
            s.book_financing = 1;
            snprintf(s.cost_centre, sizeof(s.cost_centre), "K-410");
        }
        struct buf out;
        struct diag d;
        buf_init(&out, 0);
        diag_init(&d, 20);
        enum err e = sie_write(&s, (struct date){2026, 3, 20}, "anna", b, 6, &out, &d);
        if (e) {
            diag_print(&d, stderr);
            fail_msg("sie_write: %s", err_str(e));
        }
        check(&s, b, 6, &out);
        /* the Swedish letters in code page 437: Å = 0x8F, ä = 0x84, ö = 0x94 */
        assert_non_null(memchr(out.p, 0x8F, out.len));
        assert_non_null(memchr(out.p, 0x84, out.len));
        assert_non_null(memchr(out.p, 0x94, out.len));
        assert_null(strstr(out.p, "\xC3")); /* no UTF-8 left */
        assert_non_null(strstr(out.p, "#GEN 20260320 \"anna\"\r\n"));
        assert_non_null(strstr(out.p, "\\\"REK-2026-000007\\\""));
        buf_release(&out);
        diag_release(&d);
    }
}

static void test_cp437_against_iconv(void **state)
{
    (void)state;
    /* every byte 0x20-0xFE: iconv's Unicode for it maps back to it */
    iconv_t cd = iconv_open("UTF-8", "CP437");
    assert_true(cd != (iconv_t)-1);
    for (int byte = 0x20; byte < 0x100; byte++) {
        if (byte == 0x7F)
            continue;
        char in[1] = {(char)byte}, utf8[8] = {0};
        char *ip = in, *op = utf8;
        size_t il = 1, ol = sizeof(utf8) - 1;
        assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
        char back[8], bad[5];
        enum err e = sie_cp437(utf8, back, sizeof(back), bad);
        if (e != ERR_OK)
            fail_msg("byte 0x%02x ('%s'): %s", byte, utf8, err_str(e));
        assert_int_equal(strlen(back), 1);
        assert_int_equal((unsigned char)back[0], byte);
    }
    iconv_close(cd);
    char out[16], bad[5];
    assert_int_equal(sie_cp437("5 €", out, sizeof(out), bad), ERR_INVALID);
    assert_string_equal(bad, "€");
    assert_int_equal(sie_cp437("ø", out, sizeof(out), bad), ERR_INVALID);
    assert_int_equal(sie_cp437("a\tb", out, sizeof(out), bad), ERR_INVALID);
    assert_int_equal(sie_cp437("\xC3", out, sizeof(out), bad), ERR_PARSE);
    assert_int_equal(sie_cp437("abcdef", out, 4, bad), ERR_LIMIT);
}

static void refused(const struct sie_settings *s, const struct sie_booking *b, size_t n,
                    const char *want)
{
    struct buf out;
    struct diag d;
    buf_init(&out, 0);
    buf_puts(&out, "keep");
    diag_init(&d, 20);
    assert_int_equal(sie_write(s, (struct date){2026, 3, 20}, "", b, n, &out, &d), ERR_INVALID);
    assert_string_equal(out.p, "keep");
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found) {
        diag_print(&d, stderr);
        fail_msg("no message with '%s'", want);
    }
    buf_release(&out);
    diag_release(&d);
}

static void test_refused(void **state)
{
    (void)state;
    struct sie_settings s, t;
    settings(&s);
    struct sie_booking b[1], c[1];
    booking(&b[0], SIE_PAYMENT, 16, 100, "Utbetalning", "56");
    sie_settings_default(&t);
    refused(&t, b, 1, "settings: the organisation number '' is not NNNNNN-NNNN");
    t = s;
    snprintf(t.orgnr, sizeof(t.orgnr), "202100-9999");
    refused(&t, b, 1, "with its check digit");
    t = s;
    snprintf(t.grant.number, sizeof(t.grant.number), "77");
    refused(&t, b, 1, "settings: the grant account '77' is not 4-6 digits with a name");
    t = s;
    t.book_financing = 1;
    t.financing.name[0] = '\0';
    refused(&t, b, 1, "settings: the financing account '7311'");
    t = s;
    snprintf(t.cost_centre, sizeof(t.cost_centre), "K 1");
    refused(&t, b, 1, "the cost centre or dimensions are not usable");
    c[0] = b[0];
    c[0].amount = 0;
    refused(&s, c, 1, "booking 1: the amount 0 öre is out of range");
    c[0] = b[0];
    snprintf(c[0].text, sizeof(c[0].text), "Pris i €");
    refused(&s, c, 1, "booking 1: the text has a character code page 437 lacks ('€')");
    c[0] = b[0];
    c[0].date = (struct date){2026, 2, 30};
    refused(&s, c, 1, "booking 1: no date");
    c[0] = b[0];
    snprintf(c[0].item, sizeof(c[0].item), "ap \"56\"");
    refused(&s, c, 1, "is not a plain object id");
    c[0] = b[0];
    c[0].kind = (enum sie_kind)7;
    refused(&s, c, 1, "booking 1: neither a payment, a repayment nor an own cost");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_cp437_against_iconv),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
