/* test_svrl.c - reading SVRL reports: findings with their rule, flag,
 * location and text (white space collapsed, cut at a character boundary),
 * an assertion without a flag counted as fatal, fired rules counted;
 * refused with name:line: not well-formed, a document type declaration
 * (and its entities), another root or namespace, empty, too many
 * findings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/svrl.h"
#include "util/buf.h"
#include "util/str.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<svrl:schematron-output xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\" title=\"Rules\">\n"

static const char report[] =
    HEAD "  <svrl:active-pattern id=\"p\"/>\n"
         "  <svrl:fired-rule context=\"/\"/>\n"
         "  <svrl:failed-assert location=\"/Q{x}Invoice[1]\" flag=\"fatal\"\n"
         "      id=\"PEPPOL-EN16931-R003\" test=\"cbc:BuyerReference\">\n"
         "    <svrl:text>A buyer reference\n   or purchase order reference MUST be "
         "provided.</svrl:text>\n"
         "  </svrl:failed-assert>\n"
         "  <svrl:fired-rule context=\"cbc:ID\"/>\n"
         "  <svrl:failed-assert location=\"/a\" flag=\"warning\" id=\"SE-R-011\">\n"
         "    <svrl:text>Betalning <b>bör</b> ske med bankgiro – åäö</svrl:text>\n"
         "  </svrl:failed-assert>\n"
         "  <svrl:successful-report location=\"/b\" flag=\"information\" id=\"I-1\">\n"
         "    <svrl:text>note</svrl:text>\n"
         "  </svrl:successful-report>\n"
         "  <svrl:failed-assert location=\"/c\" id=\"X-1\"><svrl:text>no "
         "flag</svrl:text></svrl:failed-assert>\n"
         "</svrl:schematron-output>\n";

static void test_report(void **state)
{
    (void)state;
    struct svrl_report r;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(svrl_parse(report, strlen(report), "r.svrl", &r, &d), ERR_OK);
    assert_int_equal(d.total, 0);
    assert_int_equal(r.fired, 2);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.nfatal, 2);
    assert_int_equal(r.nwarning, 1);
    assert_int_equal(r.ninfo, 1);
    assert_string_equal(r.title, "Rules");
    assert_int_equal(r.v[0].flag, SVRL_FATAL);
    assert_string_equal(r.v[0].rule, "PEPPOL-EN16931-R003");
    assert_string_equal(r.v[0].location, "/Q{x}Invoice[1]");
    assert_string_equal(r.v[0].text,
                        "A buyer reference or purchase order reference MUST be provided.");
    assert_int_equal(r.v[1].flag, SVRL_WARNING);
    assert_string_equal(r.v[1].text, "Betalning bör ske med bankgiro – åäö");
    assert_int_equal(r.v[2].flag, SVRL_INFO);
    assert_int_equal(r.v[3].flag, SVRL_FATAL); /* no flag: fatal */
    assert_string_equal(r.v[3].rule, "X-1");
    assert_string_equal(svrl_flag_name(SVRL_WARNING), "warning");
    svrl_report_release(&r);
    assert_null(r.v);
    diag_release(&d);
}

static void test_clean_and_empty_report(void **state)
{
    (void)state;
    static const char clean[] = HEAD "<svrl:fired-rule context=\"/\"/></svrl:schematron-output>";
    struct svrl_report r;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(svrl_parse(clean, strlen(clean), "c.svrl", &r, &d), ERR_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.fired, 1);
    svrl_report_release(&r);
    static const char none[] = HEAD "</svrl:schematron-output>";
    assert_int_equal(svrl_parse(none, strlen(none), "n.svrl", &r, &d), ERR_OK);
    assert_int_equal(r.fired, 0); /* the caller refuses a report of rules that never ran */
    svrl_report_release(&r);
    diag_release(&d);
}

static void test_long_text_cut(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, HEAD "<svrl:failed-assert flag=\"fatal\" id=\"L\"><svrl:text>");
    for (int i = 0; i < 2000; i++)
        buf_puts(&b, "ö");
    buf_puts(&b, "</svrl:text></svrl:failed-assert></svrl:schematron-output>");
    struct svrl_report r;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(svrl_parse(b.p, b.len, "l.svrl", &r, &d), ERR_OK);
    size_t len = strlen(r.v[0].text);
    assert_true(len <= 1023 && len >= 1020);
    assert_true(str_utf8_len(r.v[0].text, len) > 0); /* still UTF-8 */
    assert_int_equal(len % 2, 0);                    /* whole characters */
    svrl_report_release(&r);
    diag_release(&d);
    buf_release(&b);
}

static void bad(const char *xml, enum err want, const char *msg)
{
    struct svrl_report r;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(svrl_parse(xml, strlen(xml), "bad.svrl", &r, &d), want);
    assert_null(r.v);
    assert_int_equal(r.n, 0);
    assert_true(d.n >= 1);
    if (!strstr(d.msg[0], msg))
        fail_msg("got '%s', want '%s'", d.msg[0], msg);
    diag_release(&d);
}

static void test_refused(void **state)
{
    (void)state;
    bad("", ERR_PARSE, "bad.svrl: the report is empty");
    bad("<svrl:schematron-output xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\">", ERR_PARSE,
        "bad.svrl:1: not well-formed XML");
    bad("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b "
        "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
        "<svrl:schematron-output xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\">&b;"
        "</svrl:schematron-output>",
        ERR_PARSE, "a document type declaration is not accepted");
    bad("<?xml version=\"1.0\"?>\n<report/>", ERR_PARSE,
        "bad.svrl:2: the root element is not svrl:schematron-output");
    bad("<svrl:schematron-output xmlns:svrl=\"http://example.com/other\"/>", ERR_PARSE,
        "the root element is not svrl:schematron-output");
    /* too many findings */
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, HEAD);
    for (int i = 0; i <= SVRL_MAX_FINDINGS; i++)
        buf_puts(&b, "<svrl:failed-assert flag=\"fatal\"/>");
    buf_puts(&b, "</svrl:schematron-output>");
    bad(b.p, ERR_LIMIT, "more than 10000 findings");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_clean_and_empty_report),
        cmocka_unit_test(test_long_text_cut),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
