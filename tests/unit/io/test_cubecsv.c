/* test_cubecsv.c - the cube CSV writers: BOM, header, code columns,
 * decimals per measure, status symbols and quoting, checked against
 * hand-written files; the Swedish Excel variant (semicolon, decimal
 * comma); the machine CSV of codes; text that would be a formula
 * neutralised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/cube.h"
#include "io/cubecsv.h"
#include "util/buf.h"

static void test_csv(void **state)
{
    (void)state;
    struct cube c;
    cube_init(&c);
    const char *rc[] = {"01", "03"};
    const char *rl[] = {"Stockholms l\xc3\xa4n", "Uppsala, l\xc3\xa4n \"U\""};
    const char *mc[] = {"n", "r"};
    const char *ml[] = {"Antal", "Per 100 000"};
    const char *yc[] = {"2024"};
    assert_int_equal(cube_add_dim(&c, "region", "Region", 2, rc, rl), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "tid", "\xc3\x85r", 1, yc, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "m\xc3\xa5tt", "M\xc3\xa5tt", 2, mc, ml), ERR_OK);
    c.dims[2].is_contents = 1;
    c.dims[2].val_decimals = calloc(2, sizeof(int));
    c.dims[2].val_decimals[1] = 1;
    assert_int_equal(cube_alloc_cells(&c), ERR_OK);
    c.value[0] = 1234;
    c.value[1] = 56.25; /* rounds to 56.2 (binary: 56.25 is exact, %.1f gives 56.2) */
    c.status[2] = CUBE_SUPPRESSED;
    c.value[3] = -0.01; /* shown as 0.0, not -0.0 */
    cube_set_str(&c.contents, "Legitimerade");
    struct buf b;
    buf_init(&b, BUF_DEFAULT_MAX);
    assert_int_equal(cubecsv_write(&c, &b), ERR_OK);
    const char *want =
        "\xEF\xBB\xBF"
        "Region (code),Region,\xc3\x85r,M\xc3\xa5tt (code),M\xc3\xa5tt,Legitimerade\r\n"
        "01,Stockholms l\xc3\xa4n,2024,n,Antal,1234\r\n"
        "01,Stockholms l\xc3\xa4n,2024,r,Per 100 000,56.2\r\n"
        "03,\"Uppsala, l\xc3\xa4n \"\"U\"\"\",2024,n,Antal,x\r\n"
        "03,\"Uppsala, l\xc3\xa4n \"\"U\"\"\",2024,r,Per 100 000,0.0\r\n";
    assert_string_equal(b.p, want);
    /* missing and not-applicable cells, no contents: "value" column */
    buf_reset(&b);
    free(c.contents);
    c.contents = NULL;
    c.status[0] = CUBE_MISSING;
    c.status[1] = CUBE_NA;
    assert_int_equal(cubecsv_write(&c, &b), ERR_OK);
    assert_non_null(strstr(b.p, ",value\r\n"));
    assert_non_null(strstr(b.p, ",Antal,..\r\n"));
    assert_non_null(strstr(b.p, ",Per 100 000,.\r\n"));
    buf_release(&b);
    cube_release(&c);
}

/* A cube with a label a spreadsheet would run, and a decimal. */
static void small_cube(struct cube *c)
{
    cube_init(c);
    const char *sc[] = {"=1+2*cmd|calc!A0", "allm"};
    const char *sl[] = {"=1+2*cmd|calc!A0", "Allmänmedicin"};
    const char *mc[] = {"fte"};
    assert_int_equal(cube_add_dim(c, "specialty", "specialitet", 2, sc, sl), ERR_OK);
    assert_int_equal(cube_add_dim(c, "measure", "mått", 1, mc, NULL), ERR_OK);
    c->dims[1].is_contents = 1;
    c->dims[1].val_decimals = calloc(1, sizeof(int));
    c->dims[1].val_decimals[0] = 2;
    assert_int_equal(cube_alloc_cells(c), ERR_OK);
    c->value[0] = 12.5;
    c->status[1] = CUBE_MISSING;
}

static void test_excel_sv_and_codes(void **state)
{
    (void)state;
    struct cube c;
    small_cube(&c);
    struct buf b;
    buf_init(&b, BUF_DEFAULT_MAX);
    struct cubecsv_opts sv = {';', ','};
    assert_int_equal(cubecsv_write_opts(&c, &sv, &b), ERR_OK);
    buf_putc(&b, '\0');
    const char *want = "\xEF\xBB\xBF"
                       "specialitet (code);specialitet;mått;value\r\n"
                       "\"'=1+2*cmd|calc!A0\";\"'=1+2*cmd|calc!A0\";fte;12,50\r\n"
                       "allm;Allmänmedicin;fte;..\r\n";
    assert_string_equal(b.p, want);
    buf_reset(&b);
    assert_int_equal(cubecsv_write_codes(&c, &b), ERR_OK);
    buf_putc(&b, '\0');
    assert_string_equal(b.p, "specialty,fte\n\"'=1+2*cmd|calc!A0\",12.50\nallm,..\n");
    /* a separator equal to the decimal mark is refused */
    struct cubecsv_opts bad = {',', ','};
    assert_int_equal(cubecsv_write_opts(&c, &bad, &b), ERR_INVALID);
    buf_release(&b);
    cube_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_csv),
                                       cmocka_unit_test(test_excel_sv_and_codes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
