/* test_csvout.c - CSV fields: RFC 4180 quoting, formula neutralisation as
 * OWASP describes it for CSV injection, plain numbers left alone, decimal
 * marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "io/csvout.h"

static const char *text(struct buf *b, const char *s, char sep)
{
    buf_reset(b);
    csvout_text(b, s, sep);
    buf_putc(b, '\0');
    return b->p;
}

static void test_text(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    /* formulas: an apostrophe in front, quoted */
    assert_string_equal(text(&b, "=1+2*cmd|calc!A0", ','), "\"'=1+2*cmd|calc!A0\"");
    assert_string_equal(text(&b, "+1+1", ','), "\"'+1+1\"");
    assert_string_equal(text(&b, "-2+3", ','), "\"'-2+3\"");
    assert_string_equal(text(&b, "@SUM(A1)", ','), "\"'@SUM(A1)\"");
    assert_string_equal(text(&b, "\t=1", ','), "\"'\t=1\"");
    assert_string_equal(text(&b, "\r=1", ','), "\"'\r=1\"");
    assert_string_equal(text(&b, "=\"a\",b", ','), "\"'=\"\"a\"\",b\"");
    assert_true(csvout_risky("=x") && csvout_risky("-x") && !csvout_risky("x=1"));
    /* plain numbers are numbers to a spreadsheet, not formulas */
    assert_string_equal(text(&b, "-4", ','), "-4");
    assert_string_equal(text(&b, "+46", ','), "+46");
    assert_string_equal(text(&b, "-1.5", ','), "-1.5");
    assert_string_equal(text(&b, "-1,5", ';'), "-1,5");
    assert_string_equal(text(&b, "-1,5", ','), "\"-1,5\"");
    assert_string_equal(text(&b, "-", ','), "\"'-\"");
    assert_string_equal(text(&b, "-1.", ','), "\"'-1.\"");
    /* ordinary quoting */
    assert_string_equal(text(&b, "Stockholms län", ','), "Stockholms län");
    assert_string_equal(text(&b, "a;b", ';'), "\"a;b\"");
    assert_string_equal(text(&b, "a;b", ','), "a;b");
    assert_string_equal(text(&b, "say \"hi\"", ','), "\"say \"\"hi\"\"\"");
    assert_string_equal(text(&b, " lead", ','), "\" lead\"");
    assert_string_equal(text(&b, "line\nbreak", ','), "\"line\nbreak\"");
    assert_string_equal(text(&b, "", ','), "");
    assert_string_equal(text(&b, NULL, ','), "");
    buf_release(&b);
}

static void test_number(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    csvout_number(&b, 1234.5, 1, '.');
    buf_putc(&b, ' ');
    csvout_number(&b, 1234.5, 2, ',');
    buf_putc(&b, ' ');
    csvout_number(&b, -0.001, 2, ',');
    buf_putc(&b, ' ');
    csvout_number(&b, -3, 0, ',');
    buf_putc(&b, '\0');
    assert_string_equal(b.p, "1234.5 1234,50 0,00 -3");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_text), cmocka_unit_test(test_number)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
