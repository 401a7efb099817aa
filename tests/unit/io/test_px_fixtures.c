/* test_px_fixtures.c - conformance of the PX reader on every file under
 * $BIDRAG_SHARED/px-fixtures: each valid file reads (and survives a write
 * -> read round trip), each file under error/fatal/ is rejected with a
 * message "path:line: ..." naming a PX keyword. The one exception is
 * error/fatal/template_av_BE0101F1error.px, the clean template the fatal
 * files were made from: it is byte-identical to the copy in
 * error/continue/ and must read. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../skip.h"
#include "core/cube.h"
#include "io/px.h"
#include "util/buf.h"
#include "util/err.h"

static size_t n_read, n_rejected, n_warned, n_failed;
static char keywords[120][32];
static size_t n_keywords;

static int is_px(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && (strcmp(path + n - 3, ".px") == 0 || strcmp(path + n - 3, ".PX") == 0);
}

static int names_keyword(const char *msg)
{
    for (size_t i = 0; i < n_keywords; i++)
        if (strstr(msg, keywords[i]))
            return 1;
    return 0;
}

/* "path:N: " with N > 0 at the start of msg */
static int has_line(const char *msg, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(msg, path, n) != 0 || msg[n] != ':')
        return 0;
    char *end = NULL;
    long line = strtol(msg + n + 1, &end, 10);
    return line > 0 && end && *end == ':';
}

static int same_table(const struct cube *a, const struct cube *b)
{
    if (a->ndims != b->ndims || a->ncells != b->ncells || a->decimals != b->decimals)
        return 0;
    for (size_t i = 0; i < a->ndims; i++) {
        if (strcmp(a->dims[i].code, b->dims[i].code) || a->dims[i].n != b->dims[i].n ||
            strcmp(a->dims[i].label, b->dims[i].label))
            return 0;
        for (size_t k = 0; k < a->dims[i].n; k++)
            if (strcmp(a->dims[i].val_codes[k], b->dims[i].val_codes[k]) ||
                strcmp(a->dims[i].val_labels[k], b->dims[i].val_labels[k]))
                return 0;
    }
    for (size_t i = 0; i < a->ncells; i++)
        if (a->status[i] != b->status[i] || (a->status[i] == CUBE_OK && a->value[i] != b->value[i]))
            return 0;
    return 1;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F || !is_px(path))
        return 0;
    int fatal = strstr(path, "/error/fatal/") && !strstr(path, "template_av_BE0101F1error.px");
    struct buf in, out;
    struct cube c, r;
    struct diag dg;
    buf_init(&in, PX_MAX_BYTES);
    buf_init(&out, BUF_DEFAULT_MAX);
    cube_init(&c);
    cube_init(&r);
    diag_init(&dg, 0);
    assert_int_equal(buf_read_file(&in, path), ERR_OK);
    long *lines = NULL;
    enum err e = px_read_cube(in.p, in.len, path, NULL, &c, &lines, &dg);
    if (fatal) {
        const char *last = dg.n ? dg.msg[dg.n - 1] : "";
        if (e != ERR_OK && has_line(last, path) && names_keyword(last)) {
            n_rejected++;
        } else {
            fprintf(stderr, "NOT REJECTED PROPERLY: %s: %s\n", path, last);
            n_failed++;
        }
    } else if (e != ERR_OK) {
        fprintf(stderr, "DOES NOT READ: %s\n", path);
        diag_print(&dg, stderr);
        n_failed++;
    } else {
        n_read++;
        if (dg.n)
            n_warned++;
        for (size_t i = 0; i < c.ncells; i++)
            if (lines[i] < 0) {
                fprintf(stderr, "BAD LINE: %s cell %zu\n", path, i);
                n_failed++;
                break;
            }
        struct diag d2;
        diag_init(&d2, 0);
        if (px_write_cube(&c, &out) != ERR_OK ||
            px_read_cube(out.p, out.len, "rt.px", NULL, &r, NULL, &d2) != ERR_OK ||
            !same_table(&c, &r)) {
            fprintf(stderr, "ROUND TRIP FAILS: %s\n", path);
            diag_print(&d2, stderr);
            n_failed++;
        }
        diag_release(&d2);
    }
    free(lines);
    diag_release(&dg);
    cube_release(&c);
    cube_release(&r);
    buf_release(&in);
    buf_release(&out);
    return 0;
}

static void load_keywords(const char *dir)
{
    char p[4096];
    int pn = snprintf(p, sizeof(p), "%.4000s/px_keywords_2013.csv", dir);
    assert_true(pn > 0 && (size_t)pn < sizeof(p));
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char line[512];
    while (fgets(line, sizeof(line), f) && n_keywords < 120) {
        char *comma = strchr(line, ',');
        if (!comma || strncmp(line, "keyword,", 8) == 0)
            continue;
        *comma = '\0';
        if (strlen(line) < sizeof(keywords[0]))
            memcpy(keywords[n_keywords++], line, strlen(line) + 1);
    }
    fclose(f);
    assert_true(n_keywords > 50);
}

static void test_all_fixtures(void **state)
{
    (void)state;
    const char *shared = getenv("BIDRAG_SHARED");
    if (!shared)
        test_skip("BIDRAG_SHARED is not set (ctest sets it)");
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/px-fixtures", shared);
    load_keywords(dir);
    assert_int_equal(nftw(dir, visit, 16, FTW_PHYS), 0);
    printf("px fixtures: %zu read (%zu with warnings), %zu fatal rejected, %zu failures\n", n_read,
           n_warned, n_rejected, n_failed);
    assert_int_equal(n_failed, 0);
    assert_int_equal(n_rejected, 20);
    assert_int_equal(n_read, 94);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_all_fixtures)};
    return test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
