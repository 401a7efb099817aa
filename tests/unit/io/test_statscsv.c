/* test_statscsv.c - the microdata CSV parser: header forms, every field
 * rule, the occupation mapping (licence first, else SSYK). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/statscsv.h"

static struct statscsv_ref *ref;

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    static char d1[1024], d2[1024];
    snprintf(d1, sizeof(d1), "%s/data/reference", src ? src : BIDRAG_SOURCE_DIR);
    snprintf(d2, sizeof(d2), "%s/data", src ? src : BIDRAG_SOURCE_DIR);
    const char *dirs[2] = {d1, d2};
    struct diag d;
    diag_init(&d, 10);
    ref = malloc(sizeof(*ref));
    if (!ref || statscsv_ref_load(ref, dirs, 2, &d) != ERR_OK) {
        diag_print(&d, stderr);
        diag_release(&d);
        return -1;
    }
    diag_release(&d);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(ref);
    return 0;
}

static int occ_of(const char *code)
{
    for (size_t i = 0; i < ref->nocc; i++)
        if (strcmp(ref->occ_code[i], code) == 0)
            return (int)i;
    return -1;
}

static int parse(const char *line, struct statscsv_row *r, char *msg)
{
    struct statscsv_dialect dl = {',', 10};
    return statscsv_parse_line(ref, &dl, line, strlen(line), r, msg, 256);
}

static int parse_sni(const char *line, struct statscsv_row *r, char *msg)
{
    struct statscsv_dialect dl = {',', 11};
    return statscsv_parse_line(ref, &dl, line, strlen(line), r, msg, 256);
}

static int caretype_of(const char *code)
{
    for (size_t i = 0; i < ref->ncaretype; i++)
        if (strcmp(ref->caretype_code[i], code) == 0)
            return (int)i;
    return -1;
}

static void test_reference(void **state)
{
    (void)state;
    assert_int_equal(ref->nkommun, 290);
    assert_int_equal(ref->nregion, 21);
    assert_int_equal(ref->nlicence, 23); /* 22 + none */
    assert_int_equal(ref->nocc, 37);     /* 22 + 14 + ovrigt */
}

static void test_header(void **state)
{
    (void)state;
    char msg[256];
    struct statscsv_dialect dl;
    const char *h = "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte";
    assert_int_equal(statscsv_header(h, strlen(h), &dl, msg, sizeof(msg)), 0);
    assert_int_equal(dl.delim, ',');
    assert_int_equal(dl.nfields, 10);
    const char *b = "\xef\xbb\xbfyear;person;sex;birth_year;licence;ssyk;specialty;sector;kommun;"
                    "fte\r";
    assert_int_equal(statscsv_header(b, strlen(b), &dl, msg, sizeof(msg)), 0);
    assert_int_equal(dl.delim, ';');
    const char *x = "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun";
    assert_int_equal(statscsv_header(x, strlen(x), &dl, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "expected header"));
    const char *y = "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte,x";
    assert_int_equal(statscsv_header(y, strlen(y), &dl, msg, sizeof(msg)), -1);
    const char *z = "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte,sni";
    assert_int_equal(statscsv_header(z, strlen(z), &dl, msg, sizeof(msg)), 0);
    assert_int_equal(dl.nfields, 11);
    const char *w = "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte,sni,x";
    assert_int_equal(statscsv_header(w, strlen(w), &dl, msg, sizeof(msg)), -1);
}

/* The care type from the workplace's SNI code, and the occupations that
 * count only in health and care workplaces. */
static void test_caretype(void **state)
{
    (void)state;
    struct statscsv_row r;
    char msg[256];
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,region,0180,1.00,86211", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("primarvard"));
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,region,0180,1.00,86102", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("specialiserad"));
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,kommun,0180,1.00,87301", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("kommunal"));
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,kommun,0180,1.00,85201", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("annan"));
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,kommun,0180,1.00,", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("okand"));
    assert_int_equal(parse("2024,p,1,1980,,5321,,kommun,0180,1.00", &r, msg), 0);
    assert_int_equal(r.caretype, caretype_of("okand"));
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,kommun,0180,1.00,8621", &r, msg), -1);
    assert_string_equal(msg, "sni '8621' is not a five-digit SNI code");
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,kommun,0180,1.00", &r, msg), -1);
    assert_string_equal(msg, "expected 11 fields, found 10");
    /* a system developer counts in health care, not at a school or an IT firm */
    assert_int_equal(parse_sni("2024,p,1,1980,,2512,,region,0180,1.00,86102", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("systemutvecklare"));
    assert_int_equal(parse_sni("2024,p,1,1980,,2512,,privat,0180,1.00,62100", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("ovrigt"));
    assert_int_equal(parse_sni("2024,p,1,1980,,2351,,kommun,0180,1.00,85201", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("ovrigt"));
    assert_int_equal(parse_sni("2024,p,1,1980,,2351,,kommun,0180,1.00,88102", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("specialpedagog"));
    /* without sni it cannot be told: kept */
    assert_int_equal(parse("2024,p,1,1980,,2512,,privat,0180,1.00", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("systemutvecklare"));
    /* other groups are not limited */
    assert_int_equal(parse_sni("2024,p,1,1980,,5321,,privat,0180,1.00,62100", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("underskoterska"));
}

static void test_good_rows(void **state)
{
    (void)state;
    struct statscsv_row r;
    char msg[256];
    assert_int_equal(parse("2024,p1,2,1980,läkare,2211,allmänmedicin,region,0180,1.00", &r, msg),
                     0);
    assert_int_equal(r.year, 2024);
    assert_int_equal(r.sex, 2);
    assert_int_equal(r.fte, 100);
    assert_int_equal(r.ageband, 2); /* 44: 40-49 */
    assert_int_equal(r.occ, occ_of("lakare"));
    assert_int_equal(r.specialty_len, strlen("allmänmedicin"));
    assert_string_equal(ref->kommun_code[r.kommun], "0180");
    /* no licence: the SSYK code decides */
    assert_int_equal(parse("2024,p2,1,1990,,5323,,kommun,0114,.5", &r, msg), 0);
    assert_int_equal(r.fte, 50);
    assert_int_equal(r.occ, occ_of("underskoterska"));
    assert_int_equal(parse("2024,p2,1,1990,,2211,,kommun,0114,0.500", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("lakare"));
    assert_int_equal(parse("2024,p2,1,1990,,2283,,kommun,0114,1", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("ovrigt")); /* shared by audionom and logoped */
    assert_int_equal(parse("2024,p2,1,1990,logoped,2283,,kommun,0114,0", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("logoped"));
    assert_int_equal(r.fte, 0);
    /* a licensed nurse working as a manager stays a nurse */
    assert_int_equal(parse("2024,p3,2,1970,sjuksköterska,1512,,region,0380,1", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("sjukskoterska"));
    assert_int_equal(parse("2024,p3,2,1970,,1512,,region,0380,\"1,00\"\r", &r, msg), 0);
    assert_int_equal(r.occ, occ_of("chef"));
    assert_int_equal(r.fte, 100);
}

static void test_bad_rows(void **state)
{
    (void)state;
    struct statscsv_row r;
    char msg[256];
    static const struct {
        const char *line, *msg;
    } cases[] = {
        {"2024,p,1,1980,,5323,,kommun,0114", "expected 10 fields, found 9"},
        {"2024,p,1,1980,,5323,,kommun,0114,1,", "expected 10 fields, found 11"},
        {"1900,p,1,1880,,5323,,kommun,0114,1", "year '1900' is not a year 1950-2100"},
        {"2024,p,0,1980,,5323,,kommun,0114,1", "sex '0' must be 1 (man) or 2 (woman)"},
        {"2024,p,1,2010,,5323,,kommun,0114,1", "impossible age 14"},
        {"2024,p,1,1938,,5323,,kommun,0114,1", "impossible age 86"},
        {"2024,p,1,1980,tandskoterska,5323,,kommun,0114,1", "unknown licence 'tandskoterska'"},
        {"2024,p,1,1980,,532,,kommun,0114,1", "unknown ssyk code '532'"},
        {"2024,p,1,1980,,0000,,kommun,0114,1", "unknown ssyk code '0000'"},
        {"2024,p,1,1980,,5323,,Kommun,0114,1", "unknown sector 'Kommun'"},
        {"2024,p,1,1980,,5323,,kommun,114,1", "unknown kommun code '114'"},
        {"2024,p,1,1980,,5323,,kommun,0114,1.01", "fte '1.01' is not a number 0.00-1.00"},
        {"2024,p,1,1980,,5323,,kommun,0114,0.125", "fte '0.125' is not a number"},
        {"2024,p,1,1980,,5323,,kommun,0114,-1", "fte '-1' is not a number"},
        {"2024,p,1,1980,,5323,,kommun,0114,", "fte '' is not a number"},
        {"2024,\"p,1,1980,,5323,,kommun,0114,1", "unterminated quote in field 2"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        msg[0] = '\0';
        assert_int_equal(parse(cases[i].line, &r, msg), -1);
        if (!strstr(msg, cases[i].msg))
            fail_msg("line '%s': got '%s', want '%s'", cases[i].line, msg, cases[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference), cmocka_unit_test(test_caretype),
        cmocka_unit_test(test_header),    cmocka_unit_test(test_good_rows),
        cmocka_unit_test(test_bad_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
