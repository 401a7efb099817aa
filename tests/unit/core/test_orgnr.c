/* test_orgnr.c - organisation numbers: spellings, the check digit, the
 * legal-person structure, Swedish messages, the groups, which number fits
 * which recipient (Gotland holds both roles with its kommun's number);
 * and every number shipped in data/reference passes a Luhn check written
 * here independently (a table, not the code under test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/orgnr.h"

static void ok(const char *in, const char *want)
{
    char out[ORGNR_SIZE];
    char msg[200] = "x";
    enum err e = orgnr_parse(in, out, msg, sizeof(msg));
    if (e != ERR_OK)
        fail_msg("'%s': %s", in, msg);
    assert_string_equal(out, want);
    assert_string_equal(msg, "");
}

static void bad(const char *in, enum err want, const char *msg_want)
{
    char out[ORGNR_SIZE] = "junk";
    char msg[200] = "";
    assert_int_equal(orgnr_parse(in, out, msg, sizeof(msg)), want);
    assert_string_equal(msg, msg_want);
    assert_string_equal(out, "");
}

static void test_spellings(void **state)
{
    (void)state;
    ok("212000-0142", "2120000142");
    ok("2120000142", "2120000142");
    ok(" 212000-0142 ", "2120000142");
    ok("212000 0142", "2120000142");
    ok("16212000-0142", "2120000142");
    ok("162120000142", "2120000142");
    ok("232100-0016", "2321000016");
    ok("556036-0793", "5560360793");
    ok("202100-5489", "2021005489");
}

static void test_refused(void **state)
{
    (void)state;
    bad("212000-0143", ERR_INVALID, "Kontrollsiffran stämmer inte för organisationsnumret");
    bad("2120000144", ERR_INVALID, "Kontrollsiffran stämmer inte för organisationsnumret");
    /* a personnummer (month 12 in the third and fourth digits) */
    bad("811218-9876", ERR_INVALID,
        "Numret är ett personnummer, inte en juridisk persons organisationsnummer");
    bad("212000-014", ERR_PARSE, "Skriv organisationsnumret som 212000-0142");
    bad("21200-00142", ERR_PARSE, "Skriv organisationsnumret som 212000-0142");
    bad("212000014", ERR_PARSE, "Organisationsnumret ska ha 10 siffror");
    bad("21200001420", ERR_PARSE, "Organisationsnumret ska ha 10 siffror");
    bad("172120000142", ERR_PARSE, "Organisationsnumret ska ha 10 siffror");
    bad("212000+0142", ERR_PARSE,
        "Organisationsnumret får bara innehålla siffror och ett bindestreck");
    bad("212000--0142", ERR_PARSE, "Skriv organisationsnumret som 212000-0142");
    bad("SE2120000142", ERR_PARSE,
        "Organisationsnumret får bara innehålla siffror och ett bindestreck");
    bad("-2120000142", ERR_PARSE,
        "Organisationsnumret får bara innehålla siffror och ett bindestreck");
    bad("", ERR_PARSE, "Ange ett organisationsnummer");
    bad("   ", ERR_PARSE, "Ange ett organisationsnummer");
    bad(NULL, ERR_PARSE, "Ange ett organisationsnummer");
    bad("212000-0142212000-0142212000-0142", ERR_PARSE, "Organisationsnumret ska ha 10 siffror");
    /* a small message buffer is cut, never overrun */
    char out[ORGNR_SIZE], msg[5];
    assert_int_equal(orgnr_parse("2120000143", out, msg, sizeof(msg)), ERR_INVALID);
    assert_string_equal(msg, "Kont");
}

static void test_check_digit_and_format(void **state)
{
    (void)state;
    assert_int_equal(orgnr_check_digit("212000014"), 2);
    assert_int_equal(orgnr_check_digit("232100001"), 6);
    assert_int_equal(orgnr_check_digit("21200A014"), -1);
    assert_int_equal(orgnr_check_digit("2120"), -1);
    assert_true(orgnr_ok("2120000142"));
    assert_false(orgnr_ok("212000-0142"));
    assert_false(orgnr_ok("2120000143"));
    assert_false(orgnr_ok("1912121212"));
    assert_false(orgnr_ok(NULL));
    char f[ORGNR_DISPLAY_SIZE];
    orgnr_format("2120000142", f);
    assert_string_equal(f, "212000-0142");
    orgnr_format("212000014", f);
    assert_string_equal(f, "");
    assert_string_equal(orgnr_group_sv("2120000142"), "Stat, region, kommun, församling");
    assert_string_equal(orgnr_group_sv("5560360793"), "Aktiebolag");
    assert_string_equal(orgnr_group_sv("4120000000"), "");
    assert_string_equal(orgnr_group_sv(""), "");
}

static void test_fits_recipient(void **state)
{
    (void)state;
    assert_true(orgnr_fits_recipient("2120000142", ROLE_KOMMUN, "0180"));
    assert_false(orgnr_fits_recipient("2321000016", ROLE_KOMMUN, "0180"));
    assert_true(orgnr_fits_recipient("2321000016", ROLE_REGION, "01"));
    assert_false(orgnr_fits_recipient("2120000142", ROLE_REGION, "01"));
    /* Gotland: the kommun's number in both roles, and only that one */
    assert_true(orgnr_fits_recipient(ORGNR_GOTLAND, ROLE_KOMMUN, "0980"));
    assert_true(orgnr_fits_recipient(ORGNR_GOTLAND, ROLE_REGION, "09"));
    assert_false(orgnr_fits_recipient("2321000016", ROLE_REGION, "09"));
    assert_false(orgnr_fits_recipient("2120000143", ROLE_KOMMUN, "0180"));
    assert_false(orgnr_fits_recipient("2120000142", ROLE_KOMMUN, "180"));
    assert_false(orgnr_fits_recipient("2120000142", ROLE_KOMMUN, NULL));
    assert_false(orgnr_fits_recipient("5560360793", ROLE_REGION, "01"));
}

/* Luhn by table: the doubled value of each digit, looked up */
static int luhn_table_ok(const char *s)
{
    static const int dbl[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    int sum = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        int v = s[len - 1 - i] - '0';
        sum += (i % 2) ? dbl[v] : v;
    }
    return sum % 10 == 0;
}

static void check_file(const char *file, int col, const char *prefix, size_t want_rows)
{
    char path[1200];
    const char *src = getenv("BIDRAG_SRC");
    snprintf(path, sizeof(path), "%s/data/reference/%s", src ? src : BIDRAG_SOURCE_DIR, file);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    size_t rows = 0;
    assert_non_null(fgets(line, sizeof(line), f)); /* header */
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *field = line;
        for (int i = 0; i < col && field; i++) {
            field = strchr(field, ',');
            if (field)
                field++;
        }
        assert_non_null(field);
        field[strcspn(field, ",")] = '\0'; /* kommuner.csv has namn after orgnr */
        assert_int_equal(strlen(field), 10);
        if (!luhn_table_ok(field) || field[2] < '2')
            fail_msg("%s: '%s' fails", file, field);
        if (strncmp(field, prefix, 6) != 0 && strcmp(field, "2120000803") != 0)
            fail_msg("%s: '%s' does not begin %s", file, field, prefix);
        assert_true(orgnr_ok(field)); /* and the module agrees */
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, want_rows);
}

static void test_shipped_numbers(void **state)
{
    (void)state;
    check_file("kommuner.csv", 4, "212000", 290);
    check_file("regioner.csv", 5, "232100", 21);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_check_digit_and_format),
        cmocka_unit_test(test_fits_recipient),
        cmocka_unit_test(test_shipped_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
