/* test_csv.c - the CSV cell writer neutralises spreadsheet formulas the
 * way OWASP describes (a leading = + - @ tab or CR gets a ' and quotes),
 * quotes what needs quoting, and the reader keeps the header's line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "io/csv.h"

static const char *cell(struct buf *b, const char *s)
{
    buf_reset(b);
    assert_int_equal(csv_put_field(b, s), ERR_OK);
    return b->p;
}

static void test_formulas_neutralised(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_string_equal(cell(&b, "=1+2*cmd|' /C calc'!A0"), "\"'=1+2*cmd|' /C calc'!A0\"");
    assert_string_equal(cell(&b, "+46 8 123"), "\"'+46 8 123\"");
    assert_string_equal(cell(&b, "-2+3"), "\"'-2+3\"");
    assert_string_equal(cell(&b, "@SUM(A1)"), "\"'@SUM(A1)\"");
    assert_string_equal(cell(&b, "\t=1"), "\"'\t=1\"");
    assert_string_equal(cell(&b, "\r=1"), "\"'\r=1\"");
    assert_string_equal(cell(&b, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    /* ordinary text is left alone, quoted only where CSV needs it */
    assert_string_equal(cell(&b, "Upplands Väsby"), "Upplands Väsby");
    assert_string_equal(cell(&b, "a=b"), "a=b");
    assert_string_equal(cell(&b, "Malung-Sälen"), "Malung-Sälen");
    assert_string_equal(cell(&b, "a,b"), "\"a,b\"");
    assert_string_equal(cell(&b, "a;b"), "\"a;b\"");
    assert_string_equal(cell(&b, "a\tb"), "\"a\tb\"");
    assert_string_equal(cell(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(cell(&b, ""), "");
    /* a plain number is a number to a spreadsheet, not a formula */
    assert_string_equal(cell(&b, "-4"), "-4");
    assert_string_equal(cell(&b, "+46"), "+46");
    assert_string_equal(cell(&b, "-1.5"), "-1.5");
    assert_string_equal(cell(&b, "-1,5"), "\"-1,5\"");
    assert_string_equal(cell(&b, "-"), "\"'-\"");
    assert_string_equal(cell(&b, "-1."), "\"'-1.\"");
    assert_string_equal(cell(&b, "-1e3"), "\"'-1e3\"");
    /* numbers with a decimal mark, no -0 */
    buf_reset(&b);
    assert_int_equal(csv_put_number(&b, 1234.5, 1, '.'), ERR_OK);
    buf_putc(&b, ' ');
    csv_put_number(&b, 1234.5, 2, ',');
    buf_putc(&b, ' ');
    csv_put_number(&b, -0.001, 2, ',');
    buf_putc(&b, ' ');
    csv_put_number(&b, -3, 0, ',');
    buf_putc(&b, '\0');
    assert_string_equal(b.p, "1234.5 1234,50 0,00 -3");
    buf_release(&b);
}

static void test_header_line(void **state)
{
    (void)state;
    const char *text = "# a comment\n\ncode,value\n0114,3\n";
    struct csv_table t;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(csv_read(text, strlen(text), "h.csv", &t, &d), ERR_OK);
    assert_int_equal(t.header_line, 3);
    assert_int_equal(t.nrows, 1);
    assert_int_equal(t.rows[0].line, 4);
    csv_table_release(&t);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas_neutralised),
        cmocka_unit_test(test_header_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
