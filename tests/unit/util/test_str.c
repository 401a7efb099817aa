/* test_str.c - strict integers, trimming, UTF-8 length and padding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/str.h"

static void test_parse_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(str_parse_i64(" 42 ", &v), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(str_parse_i64("-9223372036854775808", &v), ERR_OK);
    assert_int_equal(v, INT64_MIN);
    assert_int_equal(str_parse_i64("9223372036854775808", &v), ERR_LIMIT);
    assert_int_equal(str_parse_i64("4x", &v), ERR_PARSE);
    assert_int_equal(str_parse_i64("", &v), ERR_PARSE);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_int_equal(str_utf8_len("åäö", strlen("åäö")), 3);
    assert_int_equal(str_utf8_len("\xe5", 1), -1);     /* Latin-1 å */
    assert_int_equal(str_utf8_len("\xc0\xaf", 2), -1); /* overlong */
    char out[64];
    assert_string_equal(str_pad(out, sizeof(out), "Örebro", 8, 0), "Örebro  ");
    assert_string_equal(str_pad(out, sizeof(out), "Örebro", 8, 1), "  Örebro");
    assert_string_equal(str_pad(out, sizeof(out), "Västerås", 4, 0), "Väst");
    char small[4];
    assert_string_equal(str_pad(small, sizeof(small), "abcdef", 6, 0), "abc");
}

/* Unicode Table 3-7, the well-formed UTF-8 byte sequences, written out
 * independently of str.c: 1 if b[0..n) is exactly one of them. */
static int well_formed(const unsigned char *b, size_t n)
{
    static const struct {
        unsigned char lo[4], hi[4];
        size_t n;
    } rows[] = {
        {{0x00}, {0x7F}, 1},
        {{0xC2, 0x80}, {0xDF, 0xBF}, 2},
        {{0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}, 3},
        {{0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}, 3},
        {{0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}, 3},
        {{0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, 3},
        {{0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}, 4},
        {{0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}, 4},
        {{0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, 4},
    };
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        if (rows[r].n != n)
            continue;
        size_t i = 0;
        while (i < n && b[i] >= rows[r].lo[i] && b[i] <= rows[r].hi[i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Every 1-, 2- and 3-byte string and a sample of the 4-byte ones against
 * the table: surrogates, overlong forms and code points above U+10FFFF
 * are refused. */
static void test_utf8_strict(void **state)
{
    (void)state;
    unsigned char b[4];
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char)x;
        assert_int_equal(str_utf8_len((char *)b, 1), well_formed(b, 1) ? 1 : -1);
    }
    for (unsigned x = 0; x < 0x10000; x++) {
        b[0] = (unsigned char)(x >> 8);
        b[1] = (unsigned char)x;
        long want = well_formed(b, 2) ? 1 : (well_formed(b, 1) && well_formed(b + 1, 1)) ? 2 : -1;
        if (str_utf8_len((char *)b, 2) != want)
            fail_msg("%02x %02x: %ld, want %ld", b[0], b[1], str_utf8_len((char *)b, 2), want);
    }
    for (unsigned x = 0xE00000; x < 0xF00000; x++) {
        b[0] = (unsigned char)(x >> 16);
        b[1] = (unsigned char)(x >> 8);
        b[2] = (unsigned char)x;
        if ((str_utf8_len((char *)b, 3) == 1) != well_formed(b, 3))
            fail_msg("%02x %02x %02x", b[0], b[1], b[2]);
    }
    static const unsigned char edge[] = {0x00, 0x7F, 0x80, 0x8F, 0x90,
                                         0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (unsigned x = 0xF0; x < 0x100; x++)
        for (unsigned y = 0; y < 256; y++)
            for (size_t i = 0; i < sizeof(edge); i++)
                for (size_t j = 0; j < sizeof(edge); j++) {
                    b[0] = (unsigned char)x;
                    b[1] = (unsigned char)y;
                    b[2] = edge[i];
                    b[3] = edge[j];
                    if ((str_utf8_len((char *)b, 4) == 1) != well_formed(b, 4))
                        fail_msg("%02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
                }
    /* the ones from the report: a surrogate, U+110000, an overlong NUL */
    assert_int_equal(str_utf8_len("\xed\xa0\x80", 3), -1);
    assert_int_equal(str_utf8_len("\xf4\x90\x80\x80", 4), -1);
    assert_int_equal(str_utf8_len("\xe0\x80\x80", 3), -1);
    assert_int_equal(str_utf8_len("\xf0\x9f\x98\x80", 4), 1); /* U+1F600 */
    assert_int_equal(str_utf8_len("\xef\xbf\xbf", 3), 1);     /* U+FFFF */
    /* cut short */
    assert_int_equal(str_utf8_len("\xc3\xa4\xc3", 3), -1);
}

/* The one rule for outside text: characters, not bytes; no control
 * characters but tab, and line ends only where allowed. */
static void test_text_rule(void **state)
{
    (void)state;
    assert_int_equal(str_text_chars("åäö", strlen("åäö"), 0), 3);
    assert_int_equal(str_text_chars("a\tb", 3, 0), 3);
    assert_int_equal(str_text_chars("a\nb", 3, 0), -1);
    assert_int_equal(str_text_chars("a\r\nb", 4, STR_TEXT_LINES), 4);
    assert_int_equal(str_text_chars("a\x7f", 2, STR_TEXT_LINES), -1);
    assert_int_equal(str_text_chars("a\x01", 2, STR_TEXT_LINES), -1);
    assert_int_equal(str_text_chars("\xed\xa0\x80", 3, 0), -1);
    /* 2 000 characters of "ä" are 4 000 bytes and fit */
    char big[STR_UTF8_SIZE(2001)];
    size_t o = 0;
    for (int i = 0; i < 2000; i++) {
        big[o++] = '\xc3';
        big[o++] = '\xa4';
    }
    big[o] = '\0';
    assert_true(str_text_fits(big, 0, 2000));
    assert_false(str_text_fits(big, 0, 1999));
    assert_false(str_text_fits(NULL, 0, 10));
    assert_int_equal(STR_UTF8_SIZE(2000), 8001);
}

static void test_trim_copy(void **state)
{
    (void)state;
    char s[] = "  hej \r\n";
    assert_string_equal(str_trim(s), "hej");
    char d[4];
    assert_int_equal(str_copy(d, sizeof(d), "abcd"), 1);
    assert_string_equal(d, "abc");
    assert_true(str_is_digits("0114", 4));
    assert_false(str_is_digits("011", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_i64),   cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf8_strict), cmocka_unit_test(test_text_rule),
        cmocka_unit_test(test_trim_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
