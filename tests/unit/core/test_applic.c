/* test_applic.c - what the application types share: type and document
 * ids, file types from the bytes and the size caps, what is still missing
 * (translations included), fee OCR references (checked against digits
 * computed by hand with a separate Luhn), paid/unpaid from payments,
 * retention and the cases due for deletion, decisions with reasons and
 * their versioned appeal clauses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/applic.h"
#include "core/reclaim.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
test_ids(void **state)
{
    (void)state;
    for (int t = APPLIC_NONE + 1; t < APPLIC_NTYPES; t++) {
        assert_int_equal(applic_type_of(applic_type_id((enum applic_type)t)), t);
        assert_int_equal(strlen(applic_type_prefix((enum applic_type)t)), 3);
    }
    assert_int_equal(applic_type_of("nope"), APPLIC_NONE);
    assert_int_equal(applic_type_of(NULL), APPLIC_NONE);
    assert_string_equal(applic_type_id(APPLIC_NTYPES), "");
    for (int d = APPLIC_DOC_NONE + 1; d < APPLIC_NDOCS; d++) {
        assert_int_equal(applic_doc_of(applic_doc_id((enum applic_doc)d)), d);
        assert_true(applic_doc_label_sv((enum applic_doc)d)[0]);
    }
    assert_string_equal(applic_doc_label_sv(APPLIC_DOC_DIPLOMA), "Examensbevis");
}

static void test_files(void **state)
{
    (void)state;
    static unsigned char pdf[2000];
    memset(pdf, ' ', sizeof(pdf));
    memcpy(pdf, "%PDF-1.7\n", 9);
    memcpy(pdf + sizeof(pdf) - 6, "%%EOF\n", 6);
    static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J',
                                         'F',  'I',  'F',  0,    1, 0xff, 0xd9};
    unsigned char png[8 + 25 + 12];
    memset(png, 0, sizeof(png));
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    memcpy(png + 8, "\0\0\0\rIHDR", 8);
    memcpy(png + 8 + 25, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    assert_int_equal(applic_sniff(pdf, sizeof(pdf)), APPLIC_FT_PDF);
    assert_int_equal(applic_sniff(jpeg, sizeof(jpeg)), APPLIC_FT_JPEG);
    assert_int_equal(applic_sniff(png, sizeof(png)), APPLIC_FT_PNG);
    assert_string_equal(applic_ftype_mime(APPLIC_FT_PNG), "image/png");
    /* cut short, or something else with a right name */
    assert_int_equal(applic_sniff(pdf, 1000), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff(jpeg, sizeof(jpeg) - 2), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff(png, sizeof(png) - 1), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff((const unsigned char *)"PK\3\4 a zip", 11), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff((const unsigned char *)"%PDF-", 5), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff(NULL, 10), APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_sniff(pdf, 0), APPLIC_FT_UNKNOWN);

    struct applic_file_rules r = {1500, 5000, 3};
    enum applic_ftype t;
    const char *why;
    assert_int_equal(applic_file_check(NULL, pdf, sizeof(pdf), 0, 0, &t, &why), ERR_OK);
    assert_int_equal(t, APPLIC_FT_PDF);
    assert_int_equal(applic_file_check(&r, pdf, sizeof(pdf), 0, 0, &t, &why), ERR_LIMIT);
    assert_string_equal(why, APPLIC_MSG_FILE_SIZE);
    r.file_max = 2000; /* exactly the file */
    assert_int_equal(applic_file_check(&r, pdf, sizeof(pdf), 0, 3000, &t, &why), ERR_OK);
    assert_int_equal(applic_file_check(&r, pdf, sizeof(pdf), 0, 3001, &t, &why), ERR_LIMIT);
    assert_string_equal(why, APPLIC_MSG_CASE_SIZE);
    assert_int_equal(applic_file_check(&r, pdf, sizeof(pdf), 3, 0, &t, &why), ERR_LIMIT);
    assert_string_equal(why, APPLIC_MSG_CASE_FILES);
    assert_int_equal(applic_file_check(&r, pdf, 0, 0, 0, &t, &why), ERR_INVALID);
    assert_string_equal(why, APPLIC_MSG_FILE_EMPTY);
    assert_int_equal(applic_file_check(&r, (const unsigned char *)"hello", 5, 0, 0, &t, &why),
                     ERR_INVALID);
    assert_string_equal(why, APPLIC_MSG_FILE_TYPE);
    assert_int_equal(t, APPLIC_FT_UNKNOWN);
    assert_int_equal(applic_file_check(&r, pdf, sizeof(pdf), 0, SIZE_MAX, &t, &why), ERR_LIMIT);
}

static void test_missing(void **state)
{
    (void)state;
    /* the education assessment: ID, diploma, transcript translated */
    const struct applic_need needs[] = {
        {APPLIC_DOC_ID, 1, 0},
        {APPLIC_DOC_DIPLOMA, 1, 1},
        {APPLIC_DOC_TRANSCRIPT, 2, 1},
    };
    struct applic_missing m[8];
    size_t n;
    assert_int_equal(applic_missing(needs, 3, NULL, 0, m, 8, &n), 3);
    assert_int_equal(n, 3);
    assert_string_equal(m[0].msg, APPLIC_MSG_MISSING);
    assert_int_equal(m[2].doc, APPLIC_DOC_TRANSCRIPT);
    assert_int_equal(m[2].count, 2);
    struct applic_attachment att[] = {
        {APPLIC_DOC_ID, "ar", -1, 0},         /* no translation needed */
        {APPLIC_DOC_DIPLOMA, "ar", -1, 0},    /* needs one */
        {APPLIC_DOC_TRANSCRIPT, "en", -1, 0}, /* fine */
        {APPLIC_DOC_TRANSCRIPT, "fa", -1, 0}, /* translated below */
        {APPLIC_DOC_TRANSLATION, "sv", 3, 0},
        {APPLIC_DOC_TRANSLATION, "sv", 1, 1}, /* rejected: does not count */
    };
    assert_int_equal(applic_missing(needs, 3, att, 6, m, 8, &n), 1);
    assert_string_equal(m[0].msg, APPLIC_MSG_NEEDS_TRANSLATION);
    assert_int_equal(m[0].doc, APPLIC_DOC_DIPLOMA);
    assert_int_equal(m[0].count, 1);
    att[5].rejected = 0;
    assert_int_equal(applic_missing(needs, 3, att, 6, m, 8, &n), 0);
    assert_int_equal(n, 0);
    /* a rejected document does not count; cut to max */
    att[0].rejected = 1;
    att[2].rejected = 1;
    assert_int_equal(applic_missing(needs, 3, att, 6, m, 1, &n), 2);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].doc, APPLIC_DOC_ID);
}

static void test_needs(void **state)
{
    (void)state;
    size_t n;
    const struct applic_need *nd = applic_needs(APPLIC_KPROV, "assessment", &n);
    assert_int_equal(n, 4);
    struct applic_missing m[8];
    size_t k;
    /* nothing attached: each named */
    assert_int_equal(applic_missing(nd, n, NULL, 0, m, 8, &k), 4);
    assert_int_equal(m[0].doc, APPLIC_DOC_ID);
    assert_int_equal(m[3].doc, APPLIC_DOC_SYLLABUS);
    /* a diploma in Arabic alone needs its translation */
    const struct applic_attachment att[] = {{APPLIC_DOC_ID, "ar", -1, 0},
                                            {APPLIC_DOC_DIPLOMA, "ar", -1, 0},
                                            {APPLIC_DOC_TRANSCRIPT, "en", -1, 0},
                                            {APPLIC_DOC_SYLLABUS, "sv", -1, 0}};
    assert_int_equal(applic_missing(nd, n, att, 4, m, 8, &k), 1);
    assert_string_equal(m[0].msg, APPLIC_MSG_NEEDS_TRANSLATION);
    assert_int_equal(m[0].doc, APPLIC_DOC_DIPLOMA);
    nd = applic_needs(APPLIC_KPROV, "licence", &n);
    assert_int_equal(n, 3);
    nd = applic_needs(APPLIC_SPECIALIST, "application", &n);
    assert_int_equal(n, 3);
    assert_int_equal(nd[2].min, 4);
    nd = applic_needs(APPLIC_SUPTRAIN, "application", &n);
    assert_int_equal(n, 1);
    assert_int_equal(nd[0].doc, APPLIC_DOC_TRAINING_CERT);
    assert_null(applic_needs(APPLIC_SUPTRAIN, "licence", &n));
    assert_int_equal(n, 0);
    assert_null(applic_needs(APPLIC_KPROV, NULL, &n));
}

static void test_fees(void **state)
{
    (void)state;
    struct applic_fees f;
    applic_fees_default(&f);
    assert_int_equal(f.fee[APPLIC_KPROV], 290000);
    assert_int_equal(f.fee[APPLIC_SPECIALIST], 290000);
    char ocr[APPLIC_OCR_SIZE];
    /* digits worked out by hand with the Luhn weights from the right */
    assert_int_equal(applic_ocr(APPLIC_KPROV, 2026, 1, ocr), ERR_OK);
    assert_string_equal(ocr, "1202600000138");
    assert_int_equal(applic_ocr(APPLIC_SPECIALIST, 2026, 42, ocr), ERR_OK);
    assert_string_equal(ocr, "2202600004238");
    assert_int_equal(applic_ocr(APPLIC_SUPTRAIN, 2027, 999999, ocr), ERR_OK);
    assert_string_equal(ocr, "3202799999932");
    assert_int_equal(applic_ocr(APPLIC_NONE, 2026, 1, ocr), ERR_INVALID);
    assert_string_equal(ocr, "");
    assert_int_equal(applic_ocr(APPLIC_KPROV, 2026, 0, ocr), ERR_INVALID);
    assert_int_equal(applic_ocr(APPLIC_KPROV, 1999, 1, ocr), ERR_INVALID);
    assert_int_equal(applic_ocr(APPLIC_KPROV, 2026, 1000000, ocr), ERR_INVALID);
    enum applic_type t;
    int y;
    long q;
    assert_int_equal(applic_ocr_parse("2 2026 0000 4238", &t, &y, &q), ERR_OK);
    assert_int_equal(t, APPLIC_SPECIALIST);
    assert_int_equal(y, 2026);
    assert_int_equal(q, 42);
    assert_int_equal(applic_ocr_parse("2202600004239", &t, &y, &q), ERR_PARSE);
    assert_int_equal(t, APPLIC_NONE);
    /* a reclaim invoice's reference is never ours, nor ours theirs */
    char rc[RECLAIM_OCR_SIZE];
    assert_int_equal(reclaim_ocr(2026, 1, rc), ERR_OK);
    assert_int_equal(applic_ocr_parse(rc, &t, &y, &q), ERR_PARSE);
    assert_int_equal(reclaim_ocr_parse("1202600000138", &y, &q), ERR_PARSE);
    /* type digit 0 or 9 with right check digits */
    char body[OCR_SIZE];
    assert_int_equal(ocr_make("02026000001", body, sizeof(body)), ERR_OK);
    assert_int_equal(applic_ocr_parse(body, &t, &y, &q), ERR_PARSE);

    /* paid / unpaid */
    struct applic_payment p[] = {
        {"1202600000138", 100000, {2026, 3, 1}},
        {"2202600004238", 290000, {2026, 3, 2}},    /* another case */
        {"1202600000139", 190000, {2026, 3, 3}},    /* a typo: not matched */
        {"120 2600 000 138", 190000, {2026, 3, 4}}, /* spaces: matched */
        {"1202600000138", -5, {2026, 3, 5}},        /* not a payment */
        {"1202600000138", 10000, {2026, 3, 6}},
    };
    struct applic_fee_status s;
    applic_fee_status(290000, "1202600000138", p, 1, &s);
    assert_int_equal(s.state, APPLIC_FEE_PART_PAID);
    assert_int_equal(s.paid, 100000);
    assert_false(date_is_set(s.paid_on));
    applic_fee_status(290000, "1202600000138", p, 4, &s);
    assert_int_equal(s.state, APPLIC_FEE_PAID);
    assert_int_equal(s.paid, 290000);
    assert_int_equal(date_cmp(s.paid_on, D(2026, 3, 4)), 0);
    applic_fee_status(290000, "1202600000138", p, 6, &s);
    assert_int_equal(s.state, APPLIC_FEE_OVERPAID);
    assert_int_equal(s.paid, 300000);
    assert_int_equal(date_cmp(s.paid_on, D(2026, 3, 4)), 0);
    applic_fee_status(290000, "1202600000138", NULL, 0, &s);
    assert_int_equal(s.state, APPLIC_FEE_UNPAID);
    applic_fee_status(0, "3202799999932", p, 6, &s);
    assert_int_equal(s.state, APPLIC_FEE_NONE);
    assert_string_equal(applic_fee_state_id(APPLIC_FEE_PART_PAID), "part_paid");
}

static void test_retention(void **state)
{
    (void)state;
    struct applic_retention r;
    applic_retention_default(&r);
    r.months[APPLIC_SUPTRAIN] = 0; /* kept for ever */
    const struct applic_case_ref c[] = {
        {APPLIC_KPROV, {2016, 2, 29}, 0, 0},     /* until 2026-02-28 */
        {APPLIC_KPROV, {2016, 3, 1}, 0, 0},      /* until 2026-03-01 */
        {APPLIC_SPECIALIST, {2015, 6, 1}, 1, 0}, /* appeal open */
        {APPLIC_SPECIALIST, {2015, 6, 1}, 0, 1}, /* on hold */
        {APPLIC_SPECIALIST, {2015, 6, 1}, 0, 0}, /* due */
        {APPLIC_SPECIALIST, {0, 0, 0}, 0, 0},    /* open */
        {APPLIC_SUPTRAIN, {2000, 1, 1}, 0, 0},   /* for ever */
        {APPLIC_NONE, {2000, 1, 1}, 0, 0},
    };
    size_t n = sizeof(c) / sizeof(c[0]);
    assert_int_equal(date_cmp(applic_retention_until(&r, &c[0]), D(2026, 2, 28)), 0);
    assert_int_equal(date_cmp(applic_retention_until(&r, &c[1]), D(2026, 3, 1)), 0);
    assert_false(date_is_set(applic_retention_until(&r, &c[5])));
    assert_false(date_is_set(applic_retention_until(&r, &c[6])));
    size_t due[8];
    assert_int_equal(applic_retention_due(&r, c, n, D(2026, 2, 27), due, 8), 1);
    assert_int_equal(due[0], 4);
    assert_int_equal(applic_retention_due(&r, c, n, D(2026, 2, 28), due, 8), 2);
    assert_int_equal(due[0], 0);
    assert_int_equal(due[1], 4);
    assert_int_equal(applic_retention_due(&r, c, n, D(2026, 3, 1), due, 1), 3);
    assert_int_equal(due[0], 0);
    assert_int_equal(applic_retention_due(&r, c, n, D(2025, 1, 1), due, 8), 0);
}

static void test_decide(void **state)
{
    (void)state;
    size_t nb;
    const struct appeal_clause *b = appeal_builtin(&nb);
    char msg[200];
    assert_int_equal(appeal_table_check(b, nb, msg, sizeof(msg)), ERR_OK);
    struct applic_decision d;
    const char *why;
    assert_int_equal(
        applic_decide("kprov.assessment", APPLIC_GRANTED, NULL, D(2026, 3, 1), b, nb, &d, &why),
        ERR_OK);
    assert_non_null(d.appeal);
    assert_non_null(strstr(d.appeal->text, "tre veckor"));
    assert_non_null(strstr(d.appeal->text, "förvaltningsrätten"));
    assert_int_equal(
        applic_decide("kprov.assessment", APPLIC_REJECTED, "", D(2026, 3, 1), b, nb, &d, &why),
        ERR_INVALID);
    assert_string_equal(why, APPLIC_MSG_NO_REASONS);
    assert_int_equal(
        applic_decide("kprov.assessment", APPLIC_OUTCOME_NONE, "x", D(2026, 3, 1), b, nb, &d, &why),
        ERR_INVALID);
    assert_string_equal(why, APPLIC_MSG_NO_OUTCOME);
    assert_int_equal(applic_decide("kprov.assessment", APPLIC_REJECTED, "bad \x01 text",
                                   D(2026, 3, 1), b, nb, &d, &why),
                     ERR_INVALID);
    assert_string_equal(why, APPLIC_MSG_REASONS_LONG);
    assert_int_equal(
        applic_decide("kprov.assessment", APPLIC_REJECTED, "Skäl", D(2018, 6, 30), b, nb, &d, &why),
        ERR_INVALID); /* before förvaltningslagen 2017:900 */
    assert_string_equal(why, APPLIC_MSG_NO_APPEAL);

    /* versions: a type's own clause from its day, the default before */
    const struct appeal_clause t[] = {
        {"default", {2018, 7, 1}, "Standardtext.", "x"},
        {"kprov.licence", {2027, 1, 1}, "Legitimation 2027.", "x"},
        {"kprov.licence", {2026, 7, 1}, "Legitimation 2026.", "x"},
    };
    assert_int_equal(appeal_table_check(t, 3, msg, sizeof(msg)), ERR_OK);
    assert_string_equal(appeal_for(t, 3, "kprov.licence", D(2026, 6, 30))->text, "Standardtext.");
    assert_string_equal(appeal_for(t, 3, "kprov.licence", D(2026, 7, 1))->text,
                        "Legitimation 2026.");
    assert_string_equal(appeal_for(t, 3, "kprov.licence", D(2027, 5, 1))->text,
                        "Legitimation 2027.");
    assert_string_equal(appeal_for(t, 3, "specialist.decision", D(2027, 5, 1))->text,
                        "Standardtext.");
    assert_null(appeal_for(t + 1, 2, "specialist.decision", D(2027, 5, 1)));
    assert_int_equal(
        applic_decide("kprov.licence", APPLIC_REJECTED, "Skäl", D(2027, 1, 1), t, 3, &d, &why),
        ERR_OK);
    assert_string_equal(d.appeal->text, "Legitimation 2027.");
    assert_string_equal(d.reasons, "Skäl");
    /* bad tables */
    const struct appeal_clause bad1[] = {{"kprov.licence", {2027, 1, 1}, "x", "x"}};
    assert_int_equal(appeal_table_check(bad1, 1, msg, sizeof(msg)), ERR_INVALID);
    assert_string_equal(msg, "appeal clauses: no 'default' clause");
    const struct appeal_clause bad2[] = {{"default", {2018, 7, 1}, "a", "x"},
                                         {"default", {2018, 7, 1}, "b", "x"}};
    assert_int_equal(appeal_table_check(bad2, 2, msg, sizeof(msg)), ERR_INVALID);
    assert_non_null(strstr(msg, "same day"));
    const struct appeal_clause bad3[] = {{"Default", {2018, 7, 1}, "a", "x"}};
    assert_int_equal(appeal_table_check(bad3, 1, msg, sizeof(msg)), ERR_INVALID);
    const struct appeal_clause bad4[] = {{"default", {2018, 2, 30}, "a", "x"}};
    assert_int_equal(appeal_table_check(bad4, 1, msg, sizeof(msg)), ERR_INVALID);
    const struct appeal_clause bad5[] = {{"default", {2018, 7, 1}, "", "x"}};
    assert_int_equal(appeal_table_check(bad5, 1, msg, sizeof(msg)), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),     cmocka_unit_test(test_files),
        cmocka_unit_test(test_missing), cmocka_unit_test(test_needs),
        cmocka_unit_test(test_fees),    cmocka_unit_test(test_retention),
        cmocka_unit_test(test_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
