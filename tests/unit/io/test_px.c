/* test_px.c - the PX reader and writer on hand-made files: encodings,
 * KEYS, strings over several lines, data symbols, languages, errors that
 * name the keyword and the line, and write -> read round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cube.h"
#include "io/px.h"
#include "util/buf.h"
#include "util/err.h"

/* A small valid table: 2 regions x 2 years, Latin-1 text. */
#define HEAD                                                                                       \
    "CHARSET=\"ANSI\";\n"                                                                          \
    "AXIS-VERSION=\"2006\";\n"                                                                     \
    "CODEPAGE=\"iso-8859-1\";\n"                                                                   \
    "DECIMALS=1;\n"                                                                                \
    "MATRIX=\"T1\";\n"                                                                             \
    "SUBJECT-CODE=\"BE\";\n"                                                                       \
    "SUBJECT-AREA=\"Befolkning\";\n"                                                               \
    "TITLE=\"Folkm\xe4ngd efter region och \xe5r\";\n"                                             \
    "CONTENTS=\"Folkm\xe4ngd\";\n"                                                                 \
    "UNITS=\"antal\";\n"                                                                           \
    "STUB=\"region\";\n"                                                                           \
    "HEADING=\"\xe5r\";\n"                                                                         \
    "VALUES(\"region\")=\"0114 Upplands V\xe4sby\",\n\"0115 Vallentuna\";\n"                       \
    "VALUES(\"\xe5r\")=\"2023\",\"2024\";\n"                                                       \
    "TIMEVAL(\"\xe5r\")=TLIST(A1),\"2023\",\"2024\";\n"                                            \
    "CODES(\"region\")=\"0114\",\"0115\";\n"                                                       \
    "SOURCE=\"SCB\";\n"                                                                            \
    "NOTE=\"En l\xe5ng not som forts\xe4tter \"\n\"p\xe5 n\xe4sta rad\";\n"

static int read_px(const char *text, const char *lang, struct cube *c, long **lines,
                   struct diag *dg)
{
    return px_read_cube(text, strlen(text), "t.px", lang, c, lines, dg);
}

/* 1 if some message of dg contains s. */
static int diag_has(const struct diag *dg, const char *s)
{
    for (size_t i = 0; i < dg->n; i++)
        if (strstr(dg->msg[i], s))
            return 1;
    return 0;
}

static void test_latin1_table(void **state)
{
    (void)state;
    const char *px = HEAD "DATA=\n47000.5 48000\n"
                          "\"..\" 16000.25;\n";
    struct cube c;
    struct diag dg;
    long *lines = NULL;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(read_px(px, NULL, &c, &lines, &dg), ERR_OK);
    assert_int_equal(c.ndims, 2);
    assert_string_equal(c.title, "Folkm\xc3\xa4ngd efter region och \xc3\xa5r");
    assert_string_equal(c.dims[0].code, "region");
    assert_string_equal(c.dims[0].val_codes[0], "0114");
    assert_string_equal(c.dims[0].val_labels[0], "0114 Upplands V\xc3\xa4sby");
    assert_string_equal(c.dims[1].code, "\xc3\xa5r");
    assert_true(c.dims[1].is_time);
    assert_false(c.dims[0].is_time);
    assert_int_equal(c.ncells, 4);
    assert_true(c.value[0] == 47000.5);
    assert_true(c.value[1] == 48000);
    assert_int_equal(c.status[2], CUBE_MISSING);
    assert_true(c.value[3] == 16000.25);
    assert_int_equal(c.decimals, 1);
    assert_string_equal(c.unit, "antal");
    assert_string_equal(c.source, "SCB");
    assert_string_equal(c.matrix, "T1");
    assert_string_equal(c.note,
                        "En l\xc3\xa5ng not som forts\xc3\xa4tter p\xc3\xa5 n\xc3\xa4sta rad");
    /* DATA= stands on line 21, the values on lines 22 and 23 */
    assert_int_equal(lines[0], 22);
    assert_int_equal(lines[1], 22);
    assert_int_equal(lines[2], 23);
    assert_int_equal(lines[3], 23);
    free(lines);
    cube_release(&c);
    diag_release(&dg);
}

static void test_utf8_and_symbols(void **state)
{
    (void)state;
    const char *px =
        "\xef\xbb\xbf"
        "CHARSET=\"ANSI\";\r\nCODEPAGE=\"utf-8\";\r\nDECIMALS=0;\r\n"
        "MATRIX=\"T\";\r\nSUBJECT-CODE=\"S\";\r\nSUBJECT-AREA=\"A\";\r\n"
        "TITLE=\"Sjuksk\xc3\xb6terskor\";\r\nCONTENTS=\"C\";\r\nUNITS=\"st\";\r\n"
        "HEADING=\"k\xc3\xb6n\";\r\n"
        "VALUES(\"k\xc3\xb6n\")=\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\";\r\n"
        "DATA=\r\n\".\" \"..\" \"...\" \"....\"\t\".....\" \"......\" \"-\" -3.5e1\r\n;";
    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(read_px(px, NULL, &c, NULL, &dg), ERR_OK);
    assert_string_equal(c.title, "Sjuksk\xc3\xb6terskor");
    assert_int_equal(c.status[0], CUBE_NA);
    assert_int_equal(c.status[1], CUBE_MISSING);
    assert_int_equal(c.status[2], CUBE_SUPPRESSED);
    assert_int_equal(c.status[3], CUBE_SUPPRESSED);
    assert_int_equal(c.status[4], CUBE_SUPPRESSED);
    assert_int_equal(c.status[5], CUBE_MISSING);
    assert_int_equal(c.status[6], CUBE_OK);
    assert_true(c.value[6] == 0);
    assert_true(c.value[7] == -35);
    cube_release(&c);
    diag_release(&dg);
}

static void test_windows1252(void **state)
{
    (void)state;
    /* 0x80 is the euro sign in Windows-1252 */
    const char *px = "CODEPAGE=\"windows-1252\";\nDECIMALS=0;\nMATRIX=\"T\";\nSUBJECT-CODE=\"S\";\n"
                     "SUBJECT-AREA=\"A\";\nTITLE=\"T\";\nCONTENTS=\"C\";\nUNITS=\"\x80\";\n"
                     "STUB=\"v\";\nVALUES(\"v\")=\"x\";\nDATA=1;\n";
    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(read_px(px, NULL, &c, NULL, &dg), ERR_OK);
    assert_string_equal(c.unit, "\xe2\x82\xac");
    cube_release(&c);
    diag_release(&dg);
}

static void test_keys(void **state)
{
    (void)state;
    const char *px = "DECIMALS=0;\nMATRIX=\"T\";\nSUBJECT-CODE=\"S\";\nSUBJECT-AREA=\"A\";\n"
                     "TITLE=\"T\";\nCONTENTS=\"C\";\nUNITS=\"u\";\n"
                     "STUB=\"a\",\"b\";\nHEADING=\"h\";\n"
                     "VALUES(\"a\")=\"a1\",\"a2\";\nVALUES(\"b\")=\"b1\",\"b2\",\"b3\";\n"
                     "VALUES(\"h\")=\"h1\",\"h2\";\nCODES(\"a\")=\"A1\",\"A2\";\n"
                     "KEYS(\"a\")=CODES;\n"
                     "DATA=\n\"A2\",1 2 3 4 5 6\n;\n";
    struct cube c;
    struct diag dg;
    long *lines = NULL;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(read_px(px, NULL, &c, &lines, &dg), ERR_OK);
    assert_int_equal(c.ncells, 12);
    for (size_t i = 0; i < 6; i++) {
        assert_true(c.value[i] == 0);
        assert_int_equal(lines[i], 0);
        assert_true(c.value[6 + i] == (double)(i + 1));
        assert_int_equal(lines[6 + i], 16);
    }
    free(lines);
    /* an unknown key names the line */
    const char *bad = "DECIMALS=0;\nMATRIX=\"T\";\nSUBJECT-CODE=\"S\";\nSUBJECT-AREA=\"A\";\n"
                      "TITLE=\"T\";\nCONTENTS=\"C\";\nUNITS=\"u\";\nSTUB=\"a\";\nHEADING=\"h\";\n"
                      "VALUES(\"a\")=\"a1\";\nVALUES(\"h\")=\"h1\";\nKEYS(\"a\")=VALUES;\n"
                      "DATA=\n\"a1\" 1\n\"zz\" 2;\n";
    assert_int_equal(read_px(bad, NULL, &c, NULL, &dg), ERR_INVALID);
    assert_true(diag_has(&dg, "t.px:15: DATA key \"zz\""));
    cube_release(&c);
    diag_release(&dg);
}

static void test_languages(void **state)
{
    (void)state;
    const char *px = "LANGUAGE=\"en\";\nLANGUAGES=\"en\",\"sv\";\nDECIMALS=0;\nMATRIX=\"T\";\n"
                     "SUBJECT-CODE=\"S\";\nSUBJECT-AREA=\"Population\";\n"
                     "SUBJECT-AREA[sv]=\"Befolkning\";\nTITLE=\"People\";\nTITLE[sv]=\"Folk\";\n"
                     "CONTENTS=\"C\";\nUNITS=\"number\";\nUNITS[sv]=\"antal\";\n"
                     "STUB=\"sex\";\nSTUB[sv]=\"k\xc3\xb6n\";\n"
                     "VALUES(\"sex\")=\"men\",\"women\";\n"
                     "VALUES[sv](\"k\xc3\xb6n\")=\"m\xc3\xa4n\",\"kvinnor\";\n"
                     "CODES(\"sex\")=\"1\",\"2\";\n"
                     "TITLE[de]=\"Leute\";\n"
                     "DATA=1 2;\n";
    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(read_px(px, NULL, &c, NULL, &dg), ERR_OK);
    assert_string_equal(c.title, "People");
    assert_string_equal(c.dims[0].val_labels[1], "women");
    assert_true(diag_has(&dg, "t.px:18: warning: TITLE[de]"));
    assert_int_equal(read_px(px, "sv", &c, NULL, &dg), ERR_OK);
    assert_string_equal(c.title, "Folk");
    assert_string_equal(c.unit, "antal");
    assert_string_equal(c.lang, "sv");
    assert_string_equal(c.dims[0].code, "sex");
    assert_string_equal(c.dims[0].label, "k\xc3\xb6n");
    assert_string_equal(c.dims[0].val_codes[0], "1");
    assert_string_equal(c.dims[0].val_labels[0], "m\xc3\xa4n");
    assert_int_equal(read_px(px, "fi", &c, NULL, &dg), ERR_NOTFOUND);
    assert_true(diag_has(&dg, "language \"fi\""));
    cube_release(&c);
    diag_release(&dg);
}

/* The message of a rejected file names the keyword and the line. */
static void expect_error(const char *px, enum err want, const char *msg)
{
    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    enum err e = read_px(px, NULL, &c, NULL, &dg);
    if (e != want || !diag_has(&dg, msg)) {
        for (size_t i = 0; i < dg.n; i++)
            fprintf(stderr, "  got: %s\n", dg.msg[i]);
        fprintf(stderr, "  want: %s (%s)\n", msg, err_str(want));
    }
    assert_int_equal(e, want);
    assert_true(diag_has(&dg, msg));
    assert_int_equal(c.ncells, 0);
    cube_release(&c);
    diag_release(&dg);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(HEAD "DATA=\n1 2\n3;\n", ERR_INVALID,
                 "t.px:21: DATA has 3 values, expected 4 (STUB \xc3\x97 HEADING = 2 \xc3\x97 2)");
    expect_error(HEAD "DATA=\n1 2 3 4 5;\n", ERR_INVALID, "t.px:21: DATA has 5 values, expected 4");
    expect_error(HEAD "DATA=\n1 2 abc 4;\n", ERR_PARSE,
                 "t.px:22: DATA value \"abc\" is not a number");
    expect_error(HEAD "DATA=\n1 2 nan 4;\n", ERR_PARSE, "t.px:22: DATA value \"nan\"");
    expect_error(HEAD, ERR_INVALID, "mandatory keyword DATA is missing");
    /* a broken quote in MATRIX is fatal, in NOTE only a warning */
    expect_error("MATRIX=\"T\"1\";\n" HEAD "DATA=1 2 3 4;", ERR_PARSE,
                 "t.px:1: MATRIX: expected \",\" or \";\" after a value, found \"1\"");
    expect_error("CODES(\"region\")=\"01\",\"02\",\"03\";\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: CODES(\"region\") has 3 codes, expected 2 (VALUES)");
    expect_error("VALUES(\"regio\")=\"a\";\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: VALUES(\"regio\"): \"regio\" is not a variable");
    expect_error("CONTVARIABLE=\"regio\";\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: CONTVARIABLE \"regio\"");
    expect_error("CONTVARIABLE=\"region\";\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: UNITS(\"0114 Upplands V\xc3\xa4sby\") is missing");
    expect_error("DECIMALS=x;\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: DECIMALS must be a whole number 0-15, not \"x\"");
    expect_error("CHARSET=\"ANSI\";\nTITLE=\"T\";\nDATA=1;\n", ERR_INVALID,
                 "t.px:3: mandatory keyword MATRIX is missing");
    expect_error("CODEPAGE=\"no-such-codepage\";\n" HEAD "DATA=1 2 3 4;", ERR_INVALID,
                 "t.px:1: CODEPAGE \"no-such-codepage\" is not a known encoding");
    expect_error("TITLE=\"unterminated\n", ERR_PARSE, "TITLE: string is not closed");
    expect_error("=\"x\";\n", ERR_PARSE, "t.px:1: expected a keyword");

    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    const char *warn = "NOTEX=\"bro\"ken\";\nSHOWDECIMALS=7;\n" HEAD "DATA=1 2 3 4;";
    assert_int_equal(read_px(warn, NULL, &c, NULL, &dg), ERR_OK);
    assert_true(diag_has(&dg, "t.px:1: warning: NOTEX skipped"));
    assert_true(diag_has(&dg, "t.px:2: warning: SHOWDECIMALS 7 is more than DECIMALS 1"));
    cube_release(&c);
    diag_release(&dg);
}

static void test_caps(void **state)
{
    (void)state;
    struct cube c;
    struct diag dg;
    cube_init(&c);
    diag_init(&dg, 0);
    assert_int_equal(px_read_cube("", PX_MAX_BYTES + 1, "big.px", NULL, &c, NULL, &dg), ERR_LIMIT);
    assert_true(diag_has(&dg, "big.px: file is"));
    /* 5000 x 5000 cells is over PX_MAX_CELLS */
    struct buf b;
    buf_init(&b, BUF_DEFAULT_MAX);
    buf_puts(&b, "DECIMALS=0;\nMATRIX=\"T\";\nSUBJECT-CODE=\"S\";\nSUBJECT-AREA=\"A\";\n"
                 "TITLE=\"T\";\nCONTENTS=\"C\";\nUNITS=\"u\";\nSTUB=\"a\";\nHEADING=\"b\";\n");
    for (int v = 0; v < 2; v++) {
        buf_printf(&b, "VALUES(\"%c\")=", v ? 'b' : 'a');
        for (int i = 0; i < 5000; i++)
            buf_printf(&b, "%s\"%d\"", i ? "," : "", i);
        buf_puts(&b, ";\n");
    }
    buf_puts(&b, "DATA=1;\n");
    assert_int_equal(px_read_cube(b.p, b.len, "t.px", NULL, &c, NULL, &dg), ERR_LIMIT);
    assert_true(diag_has(&dg, "more than 20000000 cells"));
    buf_release(&b);
    cube_release(&c);
    diag_release(&dg);
}

/* Two cubes hold the same table. */
static void assert_same_cube(const struct cube *a, const struct cube *b)
{
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->decimals, b->decimals);
    assert_int_equal(a->ndims, b->ndims);
    assert_int_equal(a->ncells, b->ncells);
    if (a->source || b->source)
        assert_string_equal(a->source, b->source);
    if (a->note || b->note)
        assert_string_equal(a->note, b->note);
    for (size_t i = 0; i < a->ndims; i++) {
        const struct cube_dim *x = &a->dims[i], *y = &b->dims[i];
        assert_string_equal(x->code, y->code);
        assert_string_equal(x->label, y->label);
        assert_int_equal(x->n, y->n);
        assert_int_equal(x->is_contents, y->is_contents);
        for (size_t k = 0; k < x->n; k++) {
            assert_string_equal(x->val_codes[k], y->val_codes[k]);
            assert_string_equal(x->val_labels[k], y->val_labels[k]);
            if (x->is_contents) {
                assert_string_equal(x->val_units[k], y->val_units[k]);
                assert_int_equal(x->val_decimals[k], y->val_decimals[k]);
            }
        }
    }
    for (size_t i = 0; i < a->ncells; i++) {
        assert_int_equal(a->status[i], b->status[i]);
        if (a->status[i] == CUBE_OK)
            assert_true(a->value[i] == b->value[i]);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    struct cube c, r;
    cube_init(&c);
    cube_init(&r);
    const char *rc[] = {"01", "03", "0114"};
    const char *rl[] = {"Stockholms l\xc3\xa4n", "Uppsala l\xc3\xa4n", "Upplands V\xc3\xa4sby"};
    const char *mc[] = {"ssk", "lak"};
    const char *ml[] = {"Sjuksk\xc3\xb6terskor", "L\xc3\xa4kare per 100 000 inv"};
    const char *yc[] = {"2023", "2024"};
    assert_int_equal(cube_add_dim(&c, "region", "region", 3, rc, rl), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "yrke", "yrke", 2, mc, ml), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "tid", "\xc3\xa5r", 2, yc, NULL), ERR_OK);
    c.dims[2].is_time = 1;
    c.dims[1].is_contents = 1;
    c.dims[1].val_units = calloc(2, sizeof(char *));
    c.dims[1].val_decimals = calloc(2, sizeof(int));
    c.dims[1].val_units[0] = strdup("antal");
    c.dims[1].val_units[1] = strdup("per 100 000");
    c.dims[1].val_decimals[0] = 0;
    c.dims[1].val_decimals[1] = 1;
    assert_int_equal(cube_alloc_cells(&c), ERR_OK);
    for (size_t i = 0; i < c.ncells; i++)
        c.value[i] = (double)i * 1000.25 - 3;
    c.value[1] = 1e-7;
    c.status[5] = CUBE_SUPPRESSED;
    c.value[5] = 0;
    c.status[6] = CUBE_MISSING;
    c.value[6] = 0;
    c.status[7] = CUBE_NA;
    c.value[7] = 0;
    cube_set_str(&c.title, "Legitimerad personal efter region, yrke och \xc3\xa5r");
    cube_set_str(&c.source, "Socialstyrelsen");
    cube_set_str(&c.note, "Celler under 5 undertrycks (x).");
    cube_set_str(&c.unit, "antal");
    cube_set_str(&c.updated, "2025-03-01T08:00:00");
    c.decimals = 0;
    struct buf out;
    buf_init(&out, BUF_DEFAULT_MAX);
    assert_int_equal(px_write_cube(&c, &out), ERR_OK);
    assert_non_null(strstr(out.p, "AXIS-VERSION=\"2013\";\n"));
    assert_non_null(strstr(out.p, "CODEPAGE=\"utf-8\";\n"));
    assert_non_null(strstr(out.p, "STUB=\"region\",\"yrke\";\nHEADING=\"\xc3\xa5r\";\n"));
    assert_non_null(strstr(out.p, "TIMEVAL(\"\xc3\xa5r\")=TLIST(A1),\"2023\",\"2024\";\n"));
    assert_non_null(strstr(out.p, "CONTVARIABLE=\"yrke\";\n"));
    assert_non_null(strstr(out.p, "VARIABLECODE(\"\xc3\xa5r\")=\"tid\";\n"));
    assert_non_null(strstr(out.p, "DATASYMBOL3=\"x\";\n"));
    assert_non_null(strstr(out.p, " \"...\"\n\"..\" \".\"\n"));
    struct diag dg;
    diag_init(&dg, 0);
    enum err e = px_read_cube(out.p, out.len, "rt.px", NULL, &r, NULL, &dg);
    diag_print(&dg, stderr);
    assert_int_equal(e, ERR_OK);
    assert_int_equal(dg.total, 0);
    assert_same_cube(&c, &r);
    assert_true(r.dims[2].is_time);
    assert_string_equal(r.updated, "2025-03-01T08:00:00");
    /* and once more: the written files are identical */
    struct buf again;
    buf_init(&again, BUF_DEFAULT_MAX);
    assert_int_equal(px_write_cube(&r, &again), ERR_OK);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.p, out.p, out.len);
    buf_release(&again);
    /* PX strings cannot hold a quote: it becomes an apostrophe */
    buf_reset(&out);
    cube_set_str(&c.source, "SCB \"RTB\"\nrad 2");
    assert_int_equal(px_write_cube(&c, &out), ERR_OK);
    assert_non_null(strstr(out.p, "SOURCE=\"SCB 'RTB'#rad 2\";\n"));
    buf_release(&out);
    diag_release(&dg);
    cube_release(&r);
    cube_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin1_table), cmocka_unit_test(test_utf8_and_symbols),
        cmocka_unit_test(test_windows1252),  cmocka_unit_test(test_keys),
        cmocka_unit_test(test_languages),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_caps),         cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
