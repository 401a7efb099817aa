/* test_xlsx.c - the XLSX writer: tables with a SUM row and cubes with
 * suppression symbols, checked by unzipping the parts of the written file
 * (needs the unzip program). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/xlsx.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_xlsx.XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

/* The bytes of one member of the zip at path (caller frees), or NULL. */
static char *zip_member(const char *path, const char *member)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", path, member);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    while (b) {
        size_t got = fread(b + len, 1, cap - len - 1, p);
        len += got;
        if (got == 0)
            break;
        if (cap - len < 2) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    int rc = pclose(p);
    if (b)
        b[len] = '\0';
    if (rc != 0 || len == 0) {
        free(b);
        return NULL;
    }
    return b;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not found in:\n%.2000s", needle, hay);
}

static void test_tables(void **state)
{
    (void)state;
    char path[300];
    tmp_path(path, sizeof(path), "fordelning.xlsx");
    const char *const header[] = {"Kod", "Mottagare", "Belopp (kr)", "Andel"};
    const struct xlsx_cell cells[] = {
        {XLSX_STR, "01", 0, 0},
        {XLSX_STR, "Region Stockholm", 0, 0},
        {XLSX_INT, NULL, 4761905, 0},
        {XLSX_NUM, NULL, 0, 0.25},
        {XLSX_STR, "03", 0, 0},
        {XLSX_STR, "Region Uppsala", 0, 0},
        {XLSX_INT, NULL, 4761905, 0},
        {XLSX_NUM, NULL, 0, 0.5},
        {XLSX_STR, "04", 0, 0},
        {XLSX_STR, "Region Sörmland", 0, 0},
        {XLSX_INT, NULL, 1234567890123, 0},
        {XLSX_EMPTY, NULL, 0, 0},
    };
    struct xlsx_table t = {.sheet = "Fördelning",
                           .title = "Fördelning av statsbidrag 2026",
                           .ncols = 4,
                           .header = header,
                           .nrows = 3,
                           .cells = cells,
                           .sum_row = 1};
    const char *const keys[] = {"Diarienummer", "Anslag"};
    const char *const vals[] = {"S2026/01234", "1:6 ap.7"};
    struct xlsx_meta meta = {.sheet = "Program", .n = 2, .keys = keys, .values = vals};
    assert_int_equal(xlsx_write_tables(path, &t, 1, &meta), ERR_OK);

    char *wbx = zip_member(path, "xl/workbook.xml");
    assert_non_null(wbx);
    assert_contains(wbx, "name=\"Fördelning\"");
    assert_contains(wbx, "name=\"Program\"");
    free(wbx);

    char *sheet = zip_member(path, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    /* title in row 1, header in row 3, data in rows 4-6, sum in row 7 */
    assert_contains(sheet, "<c r=\"C4\" s=\"");
    assert_contains(sheet, "<v>4761905</v>");
    assert_contains(sheet, "<v>1234567890123</v>");
    assert_contains(sheet, "<f>SUM(C4:C6)</f><v>1234577413933</v>");
    assert_null(strstr(sheet, "SUM(D")); /* only integer columns are summed */
    assert_null(strstr(sheet, "SUM(A"));
    assert_contains(sheet, "ySplit=\"3\"");
    assert_contains(sheet, "state=\"frozen\"");
    assert_contains(sheet, "<col min=\"2\" max=\"2\" width=\"18");
    free(sheet);

    char *ss = zip_member(path, "xl/sharedStrings.xml");
    assert_non_null(ss);
    assert_contains(ss, ">Summa<");
    assert_contains(ss, ">Region Sörmland<");
    assert_contains(ss, ">Fördelning av statsbidrag 2026<");
    assert_contains(ss, ">Belopp (kr)<");
    assert_contains(ss, ">S2026/01234<");
    free(ss);

    char *styles = zip_member(path, "xl/styles.xml");
    assert_non_null(styles);
    assert_contains(styles, "formatCode=\"#,##0\"");
    assert_contains(styles, "<b/>");
    free(styles);
}

static void test_tables_errors(void **state)
{
    (void)state;
    char path[300];
    tmp_path(path, sizeof(path), "bad.xlsx");
    const char *const header[] = {"A"};
    const struct xlsx_cell cells[] = {{XLSX_INT, NULL, 1, 0}};
    struct xlsx_table t = {
        .sheet = "ogiltigt[namn]", .ncols = 1, .header = header, .nrows = 1, .cells = cells};
    assert_int_equal(xlsx_write_tables(path, &t, 1, NULL), ERR_INVALID);
    assert_int_not_equal(access(path, F_OK), 0); /* nothing written */
    t.sheet = "ett alldeles för långt bladnamn över 31 tecken";
    assert_int_equal(xlsx_write_tables(path, &t, 1, NULL), ERR_INVALID);
    t.sheet = "Blad";
    t.ncols = 0;
    assert_int_equal(xlsx_write_tables(path, &t, 1, NULL), ERR_INVALID);
    t.ncols = 1;
    assert_int_equal(xlsx_write_tables("/nonexistent-dir/x.xlsx", &t, 1, NULL), ERR_IO);
    assert_int_equal(xlsx_write_tables(NULL, &t, 1, NULL), ERR_INVALID);
    /* two sheets with the same name */
    struct xlsx_table two[2] = {t, t};
    assert_int_equal(xlsx_write_tables(path, two, 2, NULL), ERR_INVALID);
}

/* region (3) × år (2) × mått (2, contents); one suppressed and one missing cell. */
static void build_cube(struct cube *c, int with_contents)
{
    cube_init(c);
    const char *const rc[] = {"01", "03", "25"};
    const char *const rl[] = {"Stockholms län", "Uppsala län", "Norrbottens län"};
    const char *const yc[] = {"2023", "2024"};
    const char *const mc[] = {"antal", "per100k"};
    const char *const ml[] = {"Antal", "Per 100 000 invånare"};
    assert_int_equal(cube_set_str(&c->title, "Legitimerade sjuksköterskor efter region och år"),
                     ERR_OK);
    assert_int_equal(cube_set_str(&c->source, "Socialstyrelsen, syntetiska data"), ERR_OK);
    assert_int_equal(cube_set_str(&c->note, "Celler med färre än 5 personer är undertryckta"),
                     ERR_OK);
    assert_int_equal(cube_set_str(&c->unit, "personer"), ERR_OK);
    assert_int_equal(cube_add_dim(c, "region", "region", 3, rc, rl), ERR_OK);
    assert_int_equal(cube_add_dim(c, "tid", "år", 2, yc, NULL), ERR_OK);
    c->dims[1].is_time = 1;
    if (with_contents) {
        assert_int_equal(cube_add_dim(c, "ContentsCode", "tabellinnehåll", 2, mc, ml), ERR_OK);
        struct cube_dim *d = &c->dims[2];
        d->is_contents = 1;
        d->val_decimals = calloc(2, sizeof(int));
        d->val_units = calloc(2, sizeof(char *));
        assert_non_null(d->val_decimals);
        assert_non_null(d->val_units);
        d->val_decimals[1] = 1;
        d->val_units[0] = strdup("personer");
        d->val_units[1] = strdup("per 100 000");
    }
    assert_int_equal(cube_alloc_cells(c), ERR_OK);
    for (size_t i = 0; i < c->ncells; i++)
        c->value[i] = 1000.0 * (double)(i + 1) + (with_contents ? 0.25 : 0.0);
    c->value[0] = 23456;
    c->status[2] = CUBE_SUPPRESSED;
    c->value[2] = 0;
    c->status[c->ncells - 1] = CUBE_MISSING;
    c->value[c->ncells - 1] = 0;
}

static void test_cube(void **state)
{
    (void)state;
    char path[300];
    tmp_path(path, sizeof(path), "kub.xlsx");
    struct cube c;
    build_cube(&c, 1);
    assert_int_equal(xlsx_write_cube(&c, path), ERR_OK);

    char *wbx = zip_member(path, "xl/workbook.xml");
    assert_non_null(wbx);
    assert_contains(wbx, "name=\"Tabell\"");
    assert_contains(wbx, "name=\"Om tabellen\"");
    free(wbx);

    char *sheet = zip_member(path, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    /* columns: region, år, Antal, Per 100 000; header row 3, data rows 4-9 */
    assert_contains(sheet, "<c r=\"C4\" s=\"");
    assert_contains(sheet, "<v>23456</v>");
    assert_contains(sheet, "<v>2000.25</v>"); /* cell 1: Stockholm 2023 per 100k */
    assert_contains(sheet, "<autoFilter ref=\"A3:D9\"/>");
    assert_contains(sheet, "ySplit=\"3\"");
    assert_null(strstr(sheet, "<c r=\"E")); /* exactly four columns */
    free(sheet);

    char *ss = zip_member(path, "xl/sharedStrings.xml");
    assert_non_null(ss);
    assert_contains(ss, ">Stockholms län<");
    assert_contains(ss, ">Norrbottens län<");
    assert_contains(ss, ">2024<");
    assert_contains(ss, ">Antal (personer)<");
    assert_contains(ss, ">Per 100 000 invånare (per 100 000)<");
    /* the symbols of core/cube.h: x withheld, .. missing, . cannot occur */
    assert_contains(ss, ">x<");
    assert_contains(ss, ">..<");
    assert_contains(ss, ">Teckenförklaring<");
    assert_contains(ss, ">Sekretess (röjandekontroll) (1 celler)<");
    assert_contains(ss, ">Uppgift saknas (1 celler)<");
    assert_contains(ss, ">Socialstyrelsen, syntetiska data<");
    assert_contains(ss, ">Celler med färre än 5 personer är undertryckta<");
    free(ss);

    char *styles = zip_member(path, "xl/styles.xml");
    assert_non_null(styles);
    assert_contains(styles, "formatCode=\"#,##0\"");
    assert_contains(styles, "formatCode=\"#,##0.0\"");
    free(styles);
    cube_release(&c);
}

static void test_cube_single_value(void **state)
{
    (void)state;
    char path[300];
    tmp_path(path, sizeof(path), "kub1.xlsx");
    struct cube c;
    build_cube(&c, 0);
    c.status[3] = CUBE_NA;
    assert_int_equal(xlsx_write_cube(&c, path), ERR_OK);
    char *sheet = zip_member(path, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    assert_contains(sheet, "<autoFilter ref=\"A3:C9\"/>");
    assert_null(strstr(sheet, "<c r=\"D"));
    free(sheet);
    char *ss = zip_member(path, "xl/sharedStrings.xml");
    assert_non_null(ss);
    assert_contains(ss, ">Värde (personer)<");
    assert_contains(ss, ">Uppgift kan inte förekomma (1 celler)<");
    free(ss);
    cube_release(&c);
    assert_int_equal(xlsx_write_cube(NULL, path), ERR_INVALID);
}

/* Into a buffer (no file made by the caller): a ZIP with the same sheet
 * as the file. */
static void test_cube_buffer(void **state)
{
    (void)state;
    struct cube c;
    build_cube(&c, 1);
    struct buf b;
    buf_init(&b, (size_t)64 << 20);
    assert_int_equal(xlsx_write_cube_buf(&c, &b), ERR_OK);
    assert_true(b.len > 1000 && memcmp(b.p, "PK\x03\x04", 4) == 0);
    char path[300];
    tmp_path(path, sizeof(path), "from-buffer.xlsx");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.p, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
    char *sheet = zip_member(path, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    assert_contains(sheet, "<v>23456</v>");
    free(sheet);
    buf_release(&b);
    cube_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_buffer),       cmocka_unit_test(test_tables),
        cmocka_unit_test(test_tables_errors),     cmocka_unit_test(test_cube),
        cmocka_unit_test(test_cube_single_value),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
