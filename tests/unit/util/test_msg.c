/* test_msg.c - messages as keys with typed arguments: placeholders in any
 * order, arguments formatted per language (money, dates, catalog texts),
 * a placeholder past the arguments left as it is, and text cut at a
 * character boundary, never inside one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/msg.h"
#include "util/str.h"

static const char *render(const struct msg *m, enum lang l)
{
    static char out[512];
    msg_render(m, l, out, sizeof(out));
    return out;
}

static void test_placeholders_and_types(void **state)
{
    (void)state;
    struct msg m;
    struct date d = {2026, 1, 22};
    msg_setf(&m, M_("{2} före {1}: {3}, {4}"), msg_str("a"), msg_int(2026), msg_money(123456),
             msg_date(d));
    assert_string_equal(render(&m, LANG_SV), "2026 före a: 1 234,56 kr, 22 januari 2026");
    /* no catalog entry for this key: the Swedish text, English formats */
    assert_string_equal(render(&m, LANG_EN), "2026 före a: SEK 1,234.56, 22 January 2026");
    msg_setf(&m, M_("{1}"), msg_money(100000000));
    assert_string_equal(render(&m, LANG_SV), "1 000 000 kr");
    assert_string_equal(render(&m, LANG_EN), "SEK 1,000,000");
    msg_setf(&m, M_("{1}"), msg_kr(2100));
    assert_string_equal(render(&m, LANG_EN), "SEK 2,100");
    /* a catalog text as argument is translated too */
    msg_setf(&m, M_("{1}"), msg_text("Sverige"));
    assert_string_equal(render(&m, LANG_SV), "Sverige");
    assert_string_equal(render(&m, LANG_EN), "Sweden");
    /* a placeholder past the arguments stays; a brace alone too */
    msg_setf(&m, M_("{1} {2} {x}"), msg_str("a"));
    assert_string_equal(render(&m, LANG_SV), "a {2} {x}");
    /* a format string in an argument is text */
    msg_setf(&m, M_("'{1}'"), msg_str("%s%n{1}"));
    assert_string_equal(render(&m, LANG_SV), "'%s%n{1}'");
}

static void test_catalog(void **state)
{
    (void)state;
    struct msg m;
    msg_setf(&m, M_("Rekvisitionen {1} är mottagen (version {2})."), msg_str("REK-2026-000001"),
             msg_int(2));
    assert_string_equal(render(&m, LANG_SV),
                        "Rekvisitionen REK-2026-000001 är mottagen (version 2).");
    assert_string_equal(render(&m, LANG_EN),
                        "Requisition REK-2026-000001 is received (version 2).");
    msg_clear(&m);
    assert_true(msg_empty(&m));
    assert_string_equal(render(&m, LANG_EN), "");
}

static void test_cut_at_characters(void **state)
{
    (void)state;
    struct msg m;
    char small[8];
    /* "åäö" are two bytes each: 7 bytes hold three characters at most */
    msg_setf(&m, M_("{1}"), msg_str("åäöåäö"));
    msg_render(&m, LANG_SV, small, sizeof(small));
    assert_string_equal(small, "åäö");
    assert_true(str_utf8_len(small, strlen(small)) >= 0);
    for (size_t n = 1; n <= sizeof(small); n++) {
        msg_render(&m, LANG_SV, small, n);
        assert_true(strlen(small) < n);
        assert_true(str_utf8_len(small, strlen(small)) >= 0);
    }
    /* an argument longer than it may be is cut at a character */
    char big[400];
    memset(big, 0, sizeof(big));
    for (size_t i = 0; i + 2 < sizeof(big) - 1; i += 2)
        memcpy(big + i, "ä", 2);
    struct msg_arg a = msg_str(big);
    assert_true(strlen(a.s) < MSG_ARG_LEN);
    assert_true(str_utf8_len(a.s, strlen(a.s)) >= 0);
}

static void test_issues(void **state)
{
    (void)state;
    struct msg_issues is;
    msg_issues_clear(&is);
    for (int i = 0; i < MSG_ISSUES_MAX + 5; i++)
        msg_issue_addf(&is, "amount", M_("Beloppet får vara högst {1}"), msg_money(100));
    assert_int_equal(is.n, MSG_ISSUES_MAX);
    assert_non_null(msg_issues_find(&is, "amount"));
    assert_null(msg_issues_find(&is, "account"));
    assert_string_equal(render(msg_issues_find(&is, "amount"), LANG_EN),
                        "The amount may be at most SEK 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders_and_types),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_cut_at_characters),
        cmocka_unit_test(test_issues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
