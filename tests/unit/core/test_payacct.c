/* test_payacct.c - bankgiro, plusgiro and IBAN: spellings, check digits,
 * normalised and display forms, Swedish messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/payacct.h"
#include "../msgtext.h"

static void ok(enum payacct_kind k, const char *in, const char *number, const char *display)
{
    struct payacct p;
    struct msg why;
    msg_clear(&why);
    enum err e = payacct_parse(k, in, &p, &why);
    if (e != ERR_OK)
        fail_msg("'%s': %s", in, msgtext(&why));
    assert_string_equal(p.number, number);
    assert_string_equal(p.display, display);
}

static void bad(enum payacct_kind k, const char *in, enum err want, const char *msg_want)
{
    struct payacct p;
    struct msg why;
    msg_clear(&why);
    assert_int_equal(payacct_parse(k, in, &p, &why), want);
    assert_string_equal(msgtext(&why), msg_want);
    assert_int_equal(p.kind, PAYACCT_NONE);
}

static void test_bankgiro(void **state)
{
    (void)state;
    ok(PAYACCT_BANKGIRO, "5050-1055", "50501055", "5050-1055");
    ok(PAYACCT_BANKGIRO, "5050 1055", "50501055", "5050-1055");
    ok(PAYACCT_BANKGIRO, " 50501055 ", "50501055", "5050-1055");
    ok(PAYACCT_BANKGIRO, "505-0109", "5050109", "505-0109");
    ok(PAYACCT_BANKGIRO, "1234-5674", "12345674", "1234-5674");
    bad(PAYACCT_BANKGIRO, "5050-1056", ERR_INVALID,
        "Kontrollsiffran stämmer inte för bankgironumret");
    bad(PAYACCT_BANKGIRO, "505-010", ERR_PARSE, "Bankgironumret ska ha 7 eller 8 siffror");
    bad(PAYACCT_BANKGIRO, "123456789", ERR_PARSE, "Bankgironumret ska ha 7 eller 8 siffror");
    bad(PAYACCT_BANKGIRO, "5050/1055", ERR_PARSE,
        "Bankgironumret får bara innehålla siffror och bindestreck");
    bad(PAYACCT_BANKGIRO, "", ERR_PARSE, "Ange ett kontonummer");
    bad(PAYACCT_BANKGIRO, "   ", ERR_PARSE, "Ange ett kontonummer");
}

static void test_plusgiro(void **state)
{
    (void)state;
    ok(PAYACCT_PLUSGIRO, "902001-7", "9020017", "90 20 01-7");
    ok(PAYACCT_PLUSGIRO, "90 20 01-7", "9020017", "90 20 01-7");
    ok(PAYACCT_PLUSGIRO, "4774-6", "47746", "47 74-6");
    ok(PAYACCT_PLUSGIRO, "10-9", "109", "10-9");
    ok(PAYACCT_PLUSGIRO, "1234566", "1234566", "12 34 56-6");
    bad(PAYACCT_PLUSGIRO, "902001-8", ERR_INVALID,
        "Kontrollsiffran stämmer inte för plusgironumret");
    bad(PAYACCT_PLUSGIRO, "1", ERR_PARSE, "Plusgironumret ska ha 2–8 siffror");
    bad(PAYACCT_PLUSGIRO, "123456789", ERR_PARSE, "Plusgironumret ska ha 2–8 siffror");
}

static void test_iban(void **state)
{
    (void)state;
    ok(PAYACCT_IBAN, "SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466",
       "SE45 5000 0000 0583 9825 7466");
    ok(PAYACCT_IBAN, "se4550000000058398257466", "SE4550000000058398257466",
       "SE45 5000 0000 0583 9825 7466");
    ok(PAYACCT_NONE, "SE72 8000 0810 3400 0978 3242", "SE7280000810340009783242",
       "SE72 8000 0810 3400 0978 3242");
    ok(PAYACCT_IBAN, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
       "DE89 3704 0044 0532 0130 00");
    ok(PAYACCT_IBAN, "NO93 8601 1117 947", "NO9386011117947", "NO93 8601 1117 947");
    bad(PAYACCT_IBAN, "SE45 5000 0000 0583 9825 7467", ERR_INVALID,
        "Kontrollsiffrorna stämmer inte för IBAN-numret");
    bad(PAYACCT_IBAN, "SE45 5000 0000 0583 9825 746", ERR_PARSE,
        "IBAN för Sverige ska ha 24 tecken");
    bad(PAYACCT_IBAN, "4550000000058398257466", ERR_PARSE,
        "IBAN ska börja med landskod och två kontrollsiffror, t.ex. SE45 5000 …");
    bad(PAYACCT_IBAN, "SE45 5000 0000 0583 9825 746!", ERR_PARSE,
        "IBAN får bara innehålla bokstäver, siffror och mellanslag");
    bad(PAYACCT_IBAN, "SE45 5000 0000 0583 9825 74AB", ERR_PARSE,
        "Ett svenskt IBAN har bara siffror efter landskoden");
    bad(PAYACCT_NONE, "5050-1055", ERR_PARSE, "Ange om kontot är bankgiro, plusgiro eller IBAN");
    assert_int_equal(payacct_iban_mod97("GB82WEST12345698765432"), 1);
    assert_int_equal(payacct_iban_mod97("GB82west12345698765432"), -1);
}

static void test_kinds(void **state)
{
    (void)state;
    assert_int_equal(payacct_kind_parse("Bankgiro"), PAYACCT_BANKGIRO);
    assert_int_equal(payacct_kind_parse("pg"), PAYACCT_PLUSGIRO);
    assert_int_equal(payacct_kind_parse("IBAN"), PAYACCT_IBAN);
    assert_int_equal(payacct_kind_parse("swift"), PAYACCT_NONE);
    assert_string_equal(payacct_kind_id(PAYACCT_IBAN), "iban");
    assert_string_equal(payacct_kind_label_sv(PAYACCT_BANKGIRO), "Bankgiro");
    assert_true(payacct_mod10_ok("50501055"));
    assert_false(payacct_mod10_ok("5"));
    /* the longest accepted spelling, and one beyond */
    char long_in[80];
    memset(long_in, ' ', sizeof(long_in));
    long_in[79] = '\0';
    struct payacct p;
    struct msg why;
    assert_int_equal(payacct_parse(PAYACCT_BANKGIRO, long_in, &p, &why), ERR_PARSE);
    assert_string_equal(msgtext(&why), "Kontonumret är för långt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bankgiro),
        cmocka_unit_test(test_plusgiro),
        cmocka_unit_test(test_iban),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
