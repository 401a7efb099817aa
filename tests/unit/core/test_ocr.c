/* test_ocr.c - Luhn digits and bankgiro OCR references: hand cases from
 * Bankgirot's description (length digit, then the Luhn digit), round
 * trips, single-digit errors caught, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/ocr.h"
#include "core/reclaim.h"

static void test_luhn(void **state)
{
    (void)state;
    /* the classic examples: 7992739871 (Luhn's own), a personnummer */
    assert_int_equal(ocr_luhn_digit("7992739871", 10), 3);
    assert_int_equal(ocr_luhn_digit("811218987", 9), 6);
    assert_int_equal(ocr_luhn_digit("", 0), 0);
    assert_int_equal(ocr_luhn_digit("12a", 3), -1);
}

static void test_make_parse(void **state)
{
    (void)state;
    char out[OCR_SIZE], body[OCR_SIZE];
    /* "12345": 5 digits + length digit 7 -> "123457", Luhn over it: 1*2?
     * weights from the right: 7*2=14->5, 5, 4*2=8, 3, 2*2=4, 1 -> 26 -> 4 */
    assert_int_equal(ocr_make("12345", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "1234574");
    assert_int_equal(ocr_parse("1234574", body, sizeof(body)), ERR_OK);
    assert_string_equal(body, "12345");
    assert_int_equal(ocr_parse("123 457 4", body, sizeof(body)), ERR_OK);
    assert_string_equal(body, "12345");
    /* the reclaim OCR is one of them: 2027, 1 -> "202700000120" */
    assert_int_equal(ocr_make("2027000001", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "202700000120");
    char rc[RECLAIM_OCR_SIZE];
    assert_int_equal(reclaim_ocr(2027, 1, rc), ERR_OK);
    assert_string_equal(rc, "202700000120");
    /* an empty body: the length digit alone (2), then its Luhn digit */
    assert_int_equal(ocr_make("", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "26"); /* "2", Luhn: 2*2=4 -> 6 */
    /* every single-digit change is caught */
    assert_int_equal(ocr_make("20260000417", out, sizeof(out)), ERR_OK);
    size_t n = strlen(out);
    for (size_t i = 0; i < n; i++)
        for (char c = '0'; c <= '9'; c++) {
            if (c == out[i])
                continue;
            char t[OCR_SIZE];
            memcpy(t, out, n + 1);
            t[i] = c;
            assert_int_equal(ocr_parse(t, body, sizeof(body)), ERR_PARSE);
            assert_string_equal(body, "");
        }
    /* bad input */
    assert_int_equal(ocr_make("12a", out, sizeof(out)), ERR_INVALID);
    assert_string_equal(out, "");
    assert_int_equal(ocr_make("123456789012345678901234", out, sizeof(out)), ERR_INVALID);
    assert_int_equal(ocr_make("12345678901234567890123", out, sizeof(out)), ERR_OK);
    assert_int_equal(strlen(out), 25);
    assert_int_equal(out[23], '5'); /* 25 digits */
    assert_int_equal(ocr_make("12345", out, 7), ERR_LIMIT);
    assert_int_equal(ocr_make(NULL, out, sizeof(out)), ERR_INVALID);
    assert_int_equal(ocr_parse(NULL, body, sizeof(body)), ERR_PARSE);
    assert_int_equal(ocr_parse("", body, sizeof(body)), ERR_PARSE);
    assert_int_equal(ocr_parse("5", body, sizeof(body)), ERR_PARSE);
    assert_int_equal(ocr_parse("1234-574", body, sizeof(body)), ERR_PARSE);
    assert_int_equal(ocr_parse("12345678901234567890123456", body, sizeof(body)), ERR_PARSE);
    assert_int_equal(ocr_parse("1234574", body, 5), ERR_LIMIT);
    /* a right Luhn digit with a wrong length digit is refused */
    char t[OCR_SIZE] = "123458";
    t[6] = (char)('0' + ocr_luhn_digit(t, 6));
    t[7] = '\0';
    assert_int_equal(ocr_parse(t, body, sizeof(body)), ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_make_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
