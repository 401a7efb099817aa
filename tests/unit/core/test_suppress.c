/* test_suppress.c - primary and secondary cell suppression, with hand-made
 * tables where primary suppression alone would leak a cell, and a property
 * test over random tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/suppress.h"

/* 1 if some line along a dimension with a total holds exactly one
 * suppressed cell (so it could be recomputed from the margin). */
static int leaks(size_t nd, const size_t *n, const int *has_total, const unsigned char *mark)
{
    size_t ncells = 1, stride[8];
    for (size_t d = nd; d-- > 0;) {
        stride[d] = ncells;
        ncells *= n[d];
    }
    for (size_t d = 0; d < nd; d++) {
        if (!has_total[d])
            continue;
        for (size_t c = 0; c < ncells; c++) {
            if ((c / stride[d]) % n[d] != 0)
                continue;
            size_t k = 0;
            for (size_t i = 0; i < n[d]; i++)
                k += mark[c + i * stride[d]] != SUPPRESS_NONE;
            if (k == 1)
                return 1;
        }
    }
    return 0;
}

/* 3 × 3 table plus totals (4 × 4), row-major, the totals computed here. */
static void with_totals(const double in[3][3], double out[16])
{
    memset(out, 0, 16 * sizeof(double));
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            out[r * 4 + c] = in[r][c];
            out[r * 4 + 3] += in[r][c];
            out[12 + c] += in[r][c];
            out[15] += in[r][c];
        }
}

static void test_nothing_small(void **state)
{
    (void)state;
    const double in[3][3] = {{10, 20, 30}, {5, 6, 7}, {0, 8, 9}};
    double t[16];
    unsigned char mark[16];
    size_t n[2] = {4, 4};
    int ht[2] = {1, 1};
    struct suppress_result r;
    with_totals(in, t);
    assert_int_equal(suppress_table(2, n, ht, t, 5, mark, &r), ERR_OK);
    assert_int_equal(r.primary, 0);
    assert_int_equal(r.secondary, 0);
    for (int i = 0; i < 16; i++)
        assert_int_equal(mark[i], SUPPRESS_NONE); /* the zero is published */
}

/* One small cell: primary alone would leak it through its row and column
 * totals. Hand-computed result:
 *        c0  c1  c2 | tot
 *   r0    3  10  12 |  25     3 primary; 10 = smallest other in row 0
 *   r1    8  20  30 |  58     8 = smallest other in column 0
 *   r2    9  40  50 |  99
 *   tot  20  70  92 | 182
 * then row 1 has 8 alone -> 20 (smallest other in row 1); column 1 then
 * holds 10 and 20: two, stable. */
static void test_secondary_row_and_column(void **state)
{
    (void)state;
    const double in[3][3] = {{3, 10, 12}, {8, 20, 30}, {9, 40, 50}};
    double t[16];
    unsigned char mark[16];
    size_t n[2] = {4, 4};
    int ht[2] = {1, 1};
    struct suppress_result r;
    with_totals(in, t);
    assert_int_equal(suppress_table(2, n, ht, t, 5, mark, &r), ERR_OK);
    assert_int_equal(r.primary, 1);
    assert_int_equal(mark[0], SUPPRESS_PRIMARY);
    assert_int_equal(mark[1], SUPPRESS_SECONDARY); /* r0 c1 = 10 */
    assert_int_equal(mark[4], SUPPRESS_SECONDARY); /* r1 c0 = 8 */
    assert_int_equal(mark[5], SUPPRESS_SECONDARY); /* r1 c1 = 20 */
    assert_int_equal(r.secondary, 3);
    for (int i = 0; i < 16; i++)
        if (i != 0 && i != 1 && i != 4 && i != 5)
            assert_int_equal(mark[i], SUPPRESS_NONE);
    assert_false(leaks(2, n, ht, mark));
}

/* Zeros are published and never chosen; a total can be.
 *   r0    3   0   0 |   3     3 and its row total 3 are both primary (< 5)
 *   r1    6   7   8 |  21
 *   r2    9  10  11 |  30
 *   tot  18  17  19 |  54
 * column 0 holds 3 alone -> 6 (smallest other non-zero); the column of
 * row totals holds 3 alone -> 21; row 1 then holds 6 and 21: stable. */
static void test_zeros_and_totals(void **state)
{
    (void)state;
    const double in[3][3] = {{3, 0, 0}, {6, 7, 8}, {9, 10, 11}};
    double t[16];
    unsigned char mark[16];
    size_t n[2] = {4, 4};
    int ht[2] = {1, 1};
    struct suppress_result r;
    with_totals(in, t);
    assert_int_equal(suppress_table(2, n, ht, t, 5, mark, &r), ERR_OK);
    assert_int_equal(r.primary, 2);
    assert_int_equal(mark[0], SUPPRESS_PRIMARY);
    assert_int_equal(mark[3], SUPPRESS_PRIMARY);
    assert_int_equal(mark[1], SUPPRESS_NONE); /* zeros stay */
    assert_int_equal(mark[2], SUPPRESS_NONE);
    assert_int_not_equal(mark[4], SUPPRESS_NONE); /* 6 */
    assert_int_not_equal(mark[7], SUPPRESS_NONE); /* 21 */
    assert_false(leaks(2, n, ht, mark));
    for (int i = 0; i < 16; i++)
        if (mark[i] != SUPPRESS_NONE)
            assert_true(t[i] > 0);
}

/* A dimension without a total (year) makes no lines. */
static void test_no_total_dimension(void **state)
{
    (void)state;
    /* 2 years × (2 values + total) */
    double t[6] = {3, 10, 13, 20, 30, 50};
    unsigned char mark[6];
    size_t n[2] = {2, 3};
    int ht[2] = {0, 1};
    struct suppress_result r;
    assert_int_equal(suppress_table(2, n, ht, t, 5, mark, &r), ERR_OK);
    assert_int_equal(mark[0], SUPPRESS_PRIMARY);
    assert_int_equal(mark[1], SUPPRESS_SECONDARY);
    assert_int_equal(mark[2], SUPPRESS_NONE);
    assert_int_equal(mark[3] | mark[4] | mark[5], SUPPRESS_NONE);
}

static void test_threshold_off(void **state)
{
    (void)state;
    double t[3] = {1, 2, 3};
    unsigned char mark[3];
    size_t n[1] = {3};
    int ht[1] = {1};
    struct suppress_result r;
    assert_int_equal(suppress_table(1, n, ht, t, 0, mark, &r), ERR_OK);
    assert_int_equal(r.primary + r.secondary, 0);
}

/* Random 3-dimensional tables with margins: after suppression no line has a
 * lone suppressed cell, every primary cell is small and non-zero, and no
 * zero is suppressed. */
static void test_property_random(void **state)
{
    (void)state;
    srand(12345);
    for (int iter = 0; iter < 200; iter++) {
        size_t in[3] = {(size_t)(1 + rand() % 5), (size_t)(1 + rand() % 4),
                        (size_t)(2 + rand() % 3)};
        size_t n[3] = {in[0] + 1, in[1] + 1, in[2] + 1};
        int ht[3] = {1, 1, 1};
        size_t nc = n[0] * n[1] * n[2];
        double *t = calloc(nc, sizeof(double));
        unsigned char *mark = calloc(nc, 1);
        assert_non_null(t);
        assert_non_null(mark);
        for (size_t a = 0; a < in[0]; a++)
            for (size_t b = 0; b < in[1]; b++)
                for (size_t c = 0; c < in[2]; c++) {
                    int v = rand() % 4 == 0 ? 0 : rand() % 30;
                    t[(a * n[1] + b) * n[2] + c] = v;
                }
        /* margins */
        for (size_t a = 0; a < n[0]; a++)
            for (size_t b = 0; b < n[1]; b++)
                for (size_t c = 0; c < n[2]; c++) {
                    if (a < in[0] && b < in[1] && c < in[2])
                        continue;
                    double s = 0;
                    for (size_t x = 0; x < in[0]; x++)
                        for (size_t y = 0; y < in[1]; y++)
                            for (size_t z = 0; z < in[2]; z++)
                                if ((a == in[0] || a == x) && (b == in[1] || b == y) &&
                                    (c == in[2] || c == z))
                                    s += t[(x * n[1] + y) * n[2] + z];
                    t[(a * n[1] + b) * n[2] + c] = s;
                }
        struct suppress_result r;
        assert_int_equal(suppress_table(3, n, ht, t, 5, mark, &r), ERR_OK);
        assert_false(leaks(3, n, ht, mark));
        for (size_t i = 0; i < nc; i++) {
            if (mark[i] == SUPPRESS_PRIMARY)
                assert_true(t[i] > 0 && t[i] < 5);
            if (t[i] > 0 && t[i] < 5)
                assert_int_equal(mark[i], SUPPRESS_PRIMARY);
            if (t[i] == 0)
                assert_int_equal(mark[i], SUPPRESS_NONE);
        }
        free(t);
        free(mark);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_small),    cmocka_unit_test(test_secondary_row_and_column),
        cmocka_unit_test(test_zeros_and_totals), cmocka_unit_test(test_no_total_dimension),
        cmocka_unit_test(test_threshold_off),    cmocka_unit_test(test_property_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
