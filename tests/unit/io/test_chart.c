/* test_chart.c - bar and line charts of hand-made cubes in SVG and PNG:
 * PNG signature and size, SVG well-formed (libxml2's xmlReadFile, loaded
 * with dlopen since the tests do not link libxml2) with its title, the
 * error cases and Swedish number formatting.
 *
 * Set BIDRAG_CHART_DIR to keep the charts there for looking at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/chart.h"

/* fontconfig leaks a little while parsing its configuration (outside our
 * reach, even after chart_cleanup); tell LeakSanitizer, when present. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static char outdir[256];
static int keep;

static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("BIDRAG_CHART_DIR");
    if (dir && *dir) {
        snprintf(outdir, sizeof(outdir), "%s", dir);
        keep = 1;
        return 0;
    }
    const char *base = getenv("TMPDIR");
    snprintf(outdir, sizeof(outdir), "%s/test_chart.XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(outdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    chart_cleanup();
    if (keep)
        return 0;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", outdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void out_path(char *p, size_t n, const char *name)
{
    snprintf(p, n, "%s/%s", outdir, name);
}

static const char *const region_codes[] = {"01", "03", "04", "05", "06", "07", "08",
                                           "09", "10", "12", "13", "14", "17", "18",
                                           "19", "20", "21", "22", "23", "24", "25"};
static const char *const region_names[] = {"Region Stockholm",
                                           "Region Uppsala",
                                           "Region Sörmland",
                                           "Region Östergötland",
                                           "Region Jönköpings län",
                                           "Region Kronoberg",
                                           "Region Kalmar län",
                                           "Region Gotland",
                                           "Region Blekinge",
                                           "Region Skåne",
                                           "Region Halland",
                                           "Västra Götalandsregionen",
                                           "Region Värmland",
                                           "Region Örebro län",
                                           "Region Västmanland",
                                           "Region Dalarna",
                                           "Region Gävleborg",
                                           "Region Västernorrland",
                                           "Region Jämtland Härjedalen",
                                           "Region Västerbotten",
                                           "Region Norrbotten"};

/* Nurses per region in one year: region (21) × år (1) × mått (1). */
static void bar_cube(struct cube *c)
{
    cube_init(c);
    const char *const y[] = {"2024"};
    const char *const mc[] = {"ssk"};
    const char *const ml[] = {"Legitimerade sjuksköterskor"};
    assert_int_equal(cube_set_str(&c->title, "Legitimerade sjuksköterskor per region 2024"),
                     ERR_OK);
    assert_int_equal(cube_set_str(&c->source, "Socialstyrelsen, syntetiska data"), ERR_OK);
    assert_int_equal(cube_set_str(&c->note, "Prickar (..) = undertryckt p.g.a. röjandekontroll"),
                     ERR_OK);
    assert_int_equal(cube_set_str(&c->unit, "Antal personer"), ERR_OK);
    assert_int_equal(cube_add_dim(c, "region", "region", 21, region_codes, region_names), ERR_OK);
    assert_int_equal(cube_add_dim(c, "tid", "år", 1, y, NULL), ERR_OK);
    c->dims[1].is_time = 1;
    assert_int_equal(cube_add_dim(c, "ContentsCode", "tabellinnehåll", 1, mc, ml), ERR_OK);
    c->dims[2].is_contents = 1;
    assert_int_equal(cube_alloc_cells(c), ERR_OK);
    static const double pop[] = {2454, 402, 301, 471, 367, 203, 246, 61,  159, 1414, 340,
                                 1744, 283, 307, 280, 288, 288, 244, 132, 275, 249};
    for (size_t i = 0; i < 21; i++)
        c->value[i] = pop[i] * 10.3 + (double)i;
    c->status[7] = CUBE_SUPPRESSED; /* Gotland */
    c->value[7] = 0;
    c->status[18] = CUBE_MISSING;
    c->value[18] = 0;
}

/* Four professions over ten years in one region: region (1) × yrke (4) × år (10). */
static void line_cube(struct cube *c)
{
    cube_init(c);
    const char *const r[] = {"00"};
    const char *const rl[] = {"Riket"};
    const char *const pc[] = {"lak", "ssk", "usk", "bm"};
    const char *const pl[] = {"Läkare", "Sjuksköterskor", "Undersköterskor", "Barnmorskor"};
    const char *const yc[] = {"2015", "2016", "2017", "2018", "2019",
                              "2020", "2021", "2022", "2023", "2024"};
    assert_int_equal(cube_set_str(&c->title, "Legitimerad personal & undersköterskor 2015–2024"),
                     ERR_OK);
    assert_int_equal(cube_set_str(&c->source, "Socialstyrelsen, syntetiska data"), ERR_OK);
    assert_int_equal(cube_set_str(&c->unit, "Antal sysselsatta"), ERR_OK);
    assert_int_equal(cube_add_dim(c, "region", "region", 1, r, rl), ERR_OK);
    assert_int_equal(cube_add_dim(c, "yrke", "yrke", 4, pc, pl), ERR_OK);
    assert_int_equal(cube_add_dim(c, "tid", "år", 10, yc, NULL), ERR_OK);
    c->dims[2].is_time = 1;
    assert_int_equal(cube_alloc_cells(c), ERR_OK);
    static const double base[] = {36000, 105000, 150000, 7600};
    static const double grow[] = {900, 700, -800, 60};
    for (size_t p = 0; p < 4; p++)
        for (size_t y = 0; y < 10; y++)
            c->value[p * 10 + y] = base[p] + grow[p] * (double)y + (double)((y * 37) % 11) * 100;
    c->status[1 * 10 + 4] = CUBE_SUPPRESSED;
    c->value[1 * 10 + 4] = 0;
    c->status[3 * 10 + 9] = CUBE_MISSING;
    c->value[3 * 10 + 9] = 0;
}

static void check_png(const char *path, int w, int h)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char b[24];
    assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_memory_equal(b, sig, 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    unsigned long pw = (unsigned long)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
    unsigned long ph = (unsigned long)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
    assert_int_equal(pw, (unsigned long)w);
    assert_int_equal(ph, (unsigned long)h);
    assert_true(size > 5000); /* a blank image compresses to far less */
}

/* xmlReadFile through dlopen: 1 if path is well-formed XML. */
static int xml_well_formed(const char *path)
{
    void *lib = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        fail_msg("libxml2 not found (install libxml2): %s", dlerror());
    void *(*read_file)(const char *, const char *, int) = NULL;
    void (*free_doc)(void *) = NULL;
    void (*cleanup)(void) = NULL;
    *(void **)&read_file = dlsym(lib, "xmlReadFile");
    *(void **)&free_doc = dlsym(lib, "xmlFreeDoc");
    *(void **)&cleanup = dlsym(lib, "xmlCleanupParser");
    assert_non_null(read_file);
    assert_non_null(free_doc);
    assert_non_null(cleanup);
    void *doc = read_file(path, NULL, 2048 /* XML_PARSE_NONET */);
    int ok = doc != NULL;
    if (doc)
        free_doc(doc);
    cleanup();
    dlclose(lib);
    return ok;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

static void test_bars(void **state)
{
    (void)state;
    struct cube c;
    bar_cube(&c);
    char p[300];
    struct chart_opts o = {.kind = CHART_BARS, .format = CHART_PNG};
    out_path(p, sizeof(p), "bars.png");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    check_png(p, 900, 560);

    o.format = CHART_SVG;
    out_path(p, sizeof(p), "bars.svg");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    assert_true(xml_well_formed(p));
    char *svg = slurp(p);
    assert_non_null(strstr(svg, "<title>Legitimerade sjuksköterskor per region 2024</title>"));
    /* the symbols of core/cube.h, as in every other output */
    assert_non_null(strstr(svg, "1 värde med sekretess, röjandekontroll (x)"));
    assert_non_null(strstr(svg, "1 värde saknas (..)"));
    free(svg);

    /* a larger PNG of another size */
    o.format = CHART_PNG;
    o.width = 1200;
    o.height = 800;
    o.title = "Egen rubrik";
    out_path(p, sizeof(p), "bars-large.png");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    check_png(p, 1200, 800);
    cube_release(&c);
}

static void test_lines(void **state)
{
    (void)state;
    struct cube c;
    line_cube(&c);
    char p[300];
    struct chart_opts o = {.kind = CHART_LINES, .format = CHART_PNG};
    out_path(p, sizeof(p), "lines.png");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    check_png(p, 900, 560);

    o.format = CHART_SVG;
    out_path(p, sizeof(p), "lines.svg");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    assert_true(xml_well_formed(p));
    char *svg = slurp(p);
    /* the & in the title is escaped, the document still well-formed */
    assert_non_null(
        strstr(svg, "<title>Legitimerad personal &amp; undersköterskor 2015–2024</title>"));
    free(svg);

    /* a single line (no series dimension) with negative values */
    struct cube one;
    cube_init(&one);
    const char *const yc[] = {"2020", "2021", "2022", "2023"};
    assert_int_equal(cube_add_dim(&one, "tid", "år", 4, yc, NULL), ERR_OK);
    one.dims[0].is_time = 1;
    assert_int_equal(cube_alloc_cells(&one), ERR_OK);
    one.value[0] = -12.5;
    one.value[1] = 3.25;
    one.value[2] = 0.5;
    one.status[3] = CUBE_NA;
    one.decimals = 1;
    o.format = CHART_PNG;
    out_path(p, sizeof(p), "line-one.png");
    assert_int_equal(chart_render_cube(&one, &o, p), ERR_OK);
    check_png(p, 900, 560);
    o.kind = CHART_BARS;
    out_path(p, sizeof(p), "bars-negative.png");
    assert_int_equal(chart_render_cube(&one, &o, p), ERR_OK);
    cube_release(&one);
    cube_release(&c);
}

/* 21 regions over 8 years: the legend shrinks to fit all of them. */
static void test_lines_many(void **state)
{
    (void)state;
    struct cube c;
    cube_init(&c);
    const char *const yc[] = {"2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024"};
    assert_int_equal(cube_set_str(&c.title, "Läkare per 100 000 invånare efter region"), ERR_OK);
    assert_int_equal(cube_set_str(&c.source, "Socialstyrelsen, syntetiska data"), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "region", "region", 21, region_codes, region_names), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "tid", "år", 8, yc, NULL), ERR_OK);
    c.dims[1].is_time = 1;
    c.decimals = 1;
    assert_int_equal(cube_alloc_cells(&c), ERR_OK);
    for (size_t i = 0; i < c.ncells; i++)
        c.value[i] = 380.0 + (double)((i * 7919) % 97) + (double)(i % 8) * 4.5;
    c.status[5] = CUBE_SUPPRESSED;
    c.status[60] = CUBE_SUPPRESSED;
    char p[300];
    struct chart_opts o = {.kind = CHART_LINES, .format = CHART_PNG};
    out_path(p, sizeof(p), "lines-21.png");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    check_png(p, 900, 560);
    cube_release(&c);
}

static void test_errors(void **state)
{
    (void)state;
    struct cube c;
    line_cube(&c);
    char p[300];
    out_path(p, sizeof(p), "error.png");
    struct chart_opts o = {.kind = CHART_BARS, .format = CHART_PNG};
    /* bars need exactly one multi-valued dimension; yrke and tid are two */
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    assert_int_not_equal(access(p, F_OK), 0);
    o.format = CHART_SVG;
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    assert_int_not_equal(access(p, F_OK), 0);
    /* lines need a time dimension */
    o.kind = CHART_LINES;
    c.dims[2].is_time = 0;
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    c.dims[2].is_time = 1;
    /* bad options */
    o.kind = 7;
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    o.kind = CHART_LINES;
    o.format = 0;
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    o.format = CHART_PNG;
    o.width = 50;
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_INVALID);
    o.width = 0;
    assert_int_equal(chart_render_cube(NULL, &o, p), ERR_INVALID);
    assert_int_equal(chart_render_cube(&c, NULL, p), ERR_INVALID);
    /* unwritable paths */
    assert_int_equal(chart_render_cube(&c, &o, "/nonexistent-dir/x.png"), ERR_IO);
    o.format = CHART_SVG;
    assert_int_equal(chart_render_cube(&c, &o, "/nonexistent-dir/x.svg"), ERR_IO);
    cube_release(&c);

    /* lines with two multi-valued dimensions besides time */
    struct cube two;
    cube_init(&two);
    const char *const a[] = {"a", "b"};
    const char *const yc[] = {"2023", "2024"};
    assert_int_equal(cube_add_dim(&two, "x", "x", 2, a, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&two, "y", "y", 2, a, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&two, "tid", "år", 2, yc, NULL), ERR_OK);
    two.dims[2].is_time = 1;
    assert_int_equal(cube_alloc_cells(&two), ERR_OK);
    o.format = CHART_PNG;
    assert_int_equal(chart_render_cube(&two, &o, p), ERR_INVALID);
    cube_release(&two);
}

static void test_fmt_number(void **state)
{
    (void)state;
    char b[64];
    chart_fmt_number(b, sizeof(b), 1234567.84, 1);
    assert_string_equal(b, "1\xc2\xa0"
                           "234\xc2\xa0"
                           "567,8");
    chart_fmt_number(b, sizeof(b), 999, 0);
    assert_string_equal(b, "999");
    chart_fmt_number(b, sizeof(b), 1000, 0);
    assert_string_equal(b, "1\xc2\xa0"
                           "000");
    chart_fmt_number(b, sizeof(b), -1234, 0);
    assert_string_equal(b, "\xe2\x88\x92"
                           "1\xc2\xa0"
                           "234");
    chart_fmt_number(b, sizeof(b), -0.04, 1);
    assert_string_equal(b, "0,0");
    chart_fmt_number(b, sizeof(b), 0.25, 2);
    assert_string_equal(b, "0,25");
    chart_fmt_number(b, sizeof(b), 12.5, 0);
    assert_string_equal(b, "12"); /* printf rounds half to even */
    char small[5];
    chart_fmt_number(small, sizeof(small), 123456, 0);
    assert_string_equal(small, "123"); /* truncated, terminated */
}

/* Into a buffer: the SVG the file gets (cairo numbers its surfaces, so
 * the ids differ between two drawings); a PNG signature; chart_check
 * answers without drawing; a table view without totals. */
static void test_buffer(void **state)
{
    (void)state;
    struct cube c;
    bar_cube(&c);
    struct chart_opts o = {.kind = CHART_BARS, .format = CHART_SVG};
    struct buf b;
    buf_init(&b, (size_t)64 << 20);
    assert_int_equal(chart_render_cube_buf(&c, &o, &b), ERR_OK);
    char p[300];
    out_path(p, sizeof(p), "buf.svg");
    assert_int_equal(chart_render_cube(&c, &o, p), ERR_OK);
    char *svg = slurp(p);
    assert_true(strlen(svg) > b.len - 64 && strlen(svg) < b.len + 64);
    buf_putc(&b, '\0');
    assert_non_null(strstr(b.p, "<title>Legitimerade sjuksköterskor per region 2024</title>"));
    assert_int_equal(memcmp(b.p, svg, 200), 0);
    free(svg);
    buf_reset(&b);
    o.format = CHART_PNG;
    assert_int_equal(chart_render_cube_buf(&c, &o, &b), ERR_OK);
    assert_true(b.len > 8 && memcmp(b.p, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_int_equal(chart_check(&c, CHART_BARS), ERR_OK);
    buf_release(&b);
    cube_release(&c);
    /* two varying dimensions: no chart, and none drawn */
    struct cube two;
    cube_init(&two);
    const char *const a[] = {"1", "2"}, *const m[] = {"n"};
    assert_int_equal(cube_add_dim(&two, "a", "a", 2, a, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&two, "b", "b", 2, a, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&two, "m", "m", 1, m, NULL), ERR_OK);
    assert_int_equal(cube_alloc_cells(&two), ERR_OK);
    assert_int_equal(chart_check(&two, CHART_BARS), ERR_INVALID);
    /* with a total on b, the view without it has one varying dimension */
    two.dims[1].total = 1;
    struct cube v;
    assert_int_equal(cube_chart_view(&two, &v), ERR_OK);
    assert_int_equal(v.dims[1].n, 1);
    assert_int_equal(chart_check(&v, CHART_BARS), ERR_OK);
    cube_release(&v);
    cube_release(&two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer),     cmocka_unit_test(test_fmt_number),
        cmocka_unit_test(test_bars),       cmocka_unit_test(test_lines),
        cmocka_unit_test(test_lines_many), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
