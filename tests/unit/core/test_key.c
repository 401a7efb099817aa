/* test_key.c - every key kind on hand-computed cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/key.h"
#include "util/str.h"

/* 21 regions "01".."21" and 4 kommuner "0101".."0104" in län 01/02 */
static struct recipient regs[21], koms[4];
static struct series pop, met, tab;

static const struct series *popcb(void *ctx, struct date d)
{
    (void)ctx;
    return d.y == 2024 && d.m == 12 && d.d == 31 ? &pop : NULL;
}

static const struct series *metcb(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "m") ? &met : NULL;
}

static const struct series *tabcb(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "t.csv") ? &tab : NULL;
}

static struct key_data kd;

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < 21; i++) {
        snprintf(regs[i].code, sizeof(regs[i].code), "%02d", i + 1);
        snprintf(regs[i].name, sizeof(regs[i].name), "Region %d", i + 1);
        regs[i].role = ROLE_REGION;
    }
    for (int i = 0; i < 4; i++) {
        snprintf(koms[i].code, sizeof(koms[i].code), "01%02d", i + 1);
        koms[i].role = ROLE_KOMMUN;
        str_copy(koms[i].lan_code, 3, i < 2 ? "01" : "02");
    }
    series_init(&pop, SERIES_POPULATION);
    series_init(&met, SERIES_METRIC);
    series_init(&tab, SERIES_METRIC);
    kd = (struct key_data){koms, 4, regs, 21, popcb, metcb, tabcb, NULL};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    series_release(&pop);
    series_release(&met);
    series_release(&tab);
    return 0;
}

static void one_block(struct program *p, struct block *b, enum role role, int64_t amount,
                      enum key_kind key)
{
    program_init(p);
    memset(b, 0, sizeof(*b));
    str_copy(p->id, sizeof(p->id), "p");
    str_copy(p->title, sizeof(p->title), "T");
    str_copy(p->diarienummer, sizeof(p->diarienummer), "D");
    p->total_kr = amount;
    str_copy(b->id, sizeof(b->id), "1");
    b->role = role;
    b->amount_kr = amount;
    b->key = key;
    p->blocks = b;
    p->nblocks = 1;
}

static void test_equal_uneven(void **state)
{
    (void)state;
    /* 100 000 000 / 21 = 4 761 904 rest 16: the 16 lowest codes get +1 */
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_REGION, 100000000, KEY_EQUAL);
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    const struct block_result *br = &a.blocks[0];
    assert_int_equal(br->n, 21);
    for (int i = 0; i < 21; i++)
        assert_int_equal(br->lines[i].amount_kr, i < 16 ? 4761905 : 4761904);
    assert_int_equal(a.total_kr, 100000000);
    assert_int_equal(br->leftover_kr, 16);
    allocation_release(&a);
    diag_release(&d);
}

static void test_fixed_plus_population(void **state)
{
    (void)state;
    /* 4 kommuner, 1 000 kr each + 1 001 kr by population 1:1:1:0 */
    series_release(&pop);
    series_init(&pop, SERIES_POPULATION);
    series_push(&pop, "0101", 100);
    series_push(&pop, "0102", 100);
    series_push(&pop, "0103", 100);
    series_push(&pop, "0104", 0);
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_KOMMUN, 5001, KEY_POPULATION);
    b.fixed_kr = 1000;
    date_parse("2025-11-01", &b.pop_date);
    date_parse("2024-12-31", &b.pop_fallback);
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    const struct block_result *br = &a.blocks[0];
    assert_true(br->pop_fallback);
    assert_int_equal(br->pot_kr, 1001);
    /* 1001/3 = 333 rest 2: equal remainders -> lower codes first */
    assert_int_equal(br->lines[0].amount_kr, 1334);
    assert_int_equal(br->lines[1].amount_kr, 1334);
    assert_int_equal(br->lines[2].amount_kr, 1333);
    /* zero weight gets only the fixed part */
    assert_int_equal(br->lines[3].amount_kr, 1000);
    assert_int_equal(a.total_kr, 5001);
    allocation_release(&a);

    /* without the fallback, the missing date is an error naming the date */
    memset(&b.pop_fallback, 0, sizeof(b.pop_fallback));
    b.pop_line = 7;
    str_copy(p.source_file, sizeof(p.source_file), "x.ini");
    assert_int_not_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    assert_non_null(strstr(d.msg[0], "x.ini:7:"));
    assert_non_null(strstr(d.msg[0], "2025-11-01"));
    allocation_release(&a);

    /* a fixed part larger than the block */
    diag_release(&d);
    diag_init(&d, 10);
    date_parse("2024-12-31", &b.pop_date);
    b.fixed_kr = 2000;
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_INVALID);
    assert_non_null(strstr(d.msg[0], "larger than the block"));
    allocation_release(&a);
    diag_release(&d);
}

static void test_exclusion_and_tie(void **state)
{
    (void)state;
    /* equal split of 10 kr among regions 01..21 except 01 and 05: 20 → 19
     * recipients, 10/19 = 0 rest 10 each: ties, so the 10 lowest codes of
     * those left get 1 kr */
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_REGION, 10, KEY_EQUAL);
    code_list_add(&b.exclude, "01");
    code_list_add(&b.exclude, "05");
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    const struct block_result *br = &a.blocks[0];
    int got = 0;
    for (int i = 0; i < 21; i++) {
        const struct alloc_line *l = &br->lines[i];
        if (i == 0 || i == 4) {
            assert_true(l->excluded);
            assert_int_equal(l->amount_kr, 0);
            continue;
        }
        int expect = got < 10 ? 1 : 0;
        assert_int_equal(l->amount_kr, expect);
        got += expect;
    }
    assert_int_equal(a.total_kr, 10);
    assert_int_equal(br->lines[11].amount_kr, 1); /* "12" is the 10th recipient */
    assert_int_equal(br->lines[12].amount_kr, 0);
    allocation_release(&a);
    code_list_release(&b.exclude);
    diag_release(&d);
}

static void test_among_all_forfeits(void **state)
{
    (void)state;
    /* 44 000 000 equally among all 21; only regions with metric m > 0 get it */
    series_release(&met);
    series_init(&met, SERIES_METRIC);
    for (int i = 0; i < 21; i++)
        series_push(&met, regs[i].code, i == 9 || i == 20 ? 0 : 3);
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_REGION, 44000000, KEY_EQUAL);
    str_copy(b.eligible_metric, sizeof(b.eligible_metric), "m");
    b.among = AMONG_ALL;
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    const struct block_result *br = &a.blocks[0];
    /* 44 000 000 / 21 = 2 095 238 rest 2 -> 01, 02 get +1 */
    assert_int_equal(br->lines[0].amount_kr, 2095239);
    assert_int_equal(br->lines[2].amount_kr, 2095238);
    assert_int_equal(br->lines[9].amount_kr, 0);
    assert_true(br->lines[9].forfeited);
    assert_int_equal(br->forfeited_kr, 2 * 2095238);
    assert_int_equal(br->allocated_kr + br->forfeited_kr, 44000000);
    allocation_release(&a);

    /* the other reading: among the eligible only, the whole block is met */
    b.among = AMONG_ELIGIBLE;
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    br = &a.blocks[0];
    assert_int_equal(br->allocated_kr, 44000000);
    assert_int_equal(br->lines[9].amount_kr, 0);
    assert_int_equal(br->lines[0].amount_kr, 44000000 / 19 + 1); /* 2 315 789 rest 9 */
    allocation_release(&a);
    diag_release(&d);
}

static void test_per_100k_and_metric(void **state)
{
    (void)state;
    /* two regions: 01 has 10 posts per 1 000 000 (1.0 / 100k), 02 has 3
     * posts per 100 000 (3.0 / 100k): the split is 1:3 */
    series_release(&pop);
    series_init(&pop, SERIES_POPULATION);
    series_push(&pop, "01", 1000000);
    series_push(&pop, "02", 100000);
    series_release(&met);
    series_init(&met, SERIES_METRIC);
    series_push(&met, "01", 10);
    series_push(&met, "02", 3);
    const char *dup;
    series_sort(&pop, &dup);
    series_sort(&met, &dup);
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_REGION, 1000, KEY_METRIC_PER_100K);
    code_list_add(&b.list, "01");
    code_list_add(&b.list, "02");
    str_copy(b.metric, sizeof(b.metric), "m");
    date_parse("2024-12-31", &b.pop_date);
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    assert_int_equal(a.blocks[0].lines[0].weight, 1 * KEY_RATE_SCALE);
    assert_int_equal(a.blocks[0].lines[0].amount_kr, 250);
    assert_int_equal(a.blocks[0].lines[1].amount_kr, 750);
    allocation_release(&a);
    /* plain metric: 10:3 of 1 300 */
    b.key = KEY_METRIC;
    b.amount_kr = p.total_kr = 1300;
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    assert_int_equal(a.blocks[0].lines[0].amount_kr, 1000);
    assert_int_equal(a.blocks[0].lines[1].amount_kr, 300);
    allocation_release(&a);
    code_list_release(&b.list);
    diag_release(&d);
}

static void test_table_must_add_up(void **state)
{
    (void)state;
    series_release(&tab);
    series_init(&tab, SERIES_METRIC);
    for (int i = 0; i < 21; i++)
        series_push(&tab, regs[i].code, 100 + i);
    struct program p;
    struct block b;
    int64_t sum = 0;
    for (int i = 0; i < 21; i++)
        sum += 100 + i;
    one_block(&p, &b, ROLE_REGION, sum, KEY_TABLE);
    str_copy(b.table, sizeof(b.table), "t.csv");
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_OK);
    for (int i = 0; i < 21; i++)
        assert_int_equal(a.blocks[0].lines[i].amount_kr, 100 + i);
    allocation_release(&a);
    b.amount_kr = p.total_kr = sum + 1;
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_INVALID);
    assert_non_null(strstr(d.msg[0], "adds up to"));
    allocation_release(&a);
    diag_release(&d);
}

static void test_no_eligible(void **state)
{
    (void)state;
    series_release(&met);
    series_init(&met, SERIES_METRIC);
    struct program p;
    struct block b;
    one_block(&p, &b, ROLE_REGION, 1000, KEY_EQUAL);
    str_copy(b.eligible_metric, sizeof(b.eligible_metric), "m");
    struct allocation a;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(key_allocate(&p, &kd, &a, &d), ERR_INVALID);
    assert_non_null(strstr(d.msg[0], "no eligible recipient"));
    allocation_release(&a);
    diag_release(&d);
}

static void test_split_fixed(void **state)
{
    (void)state;
    /* 100 kr: 10 kr to each of the three eligible, the 70 left by 2:1:0 */
    struct alloc_item it[4] = {
        {2, 1, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0}};
    assert_int_equal(alloc_split_fixed(100, 10, it, 4, NULL), ERR_OK);
    assert_int_equal(10 + it[0].share, 57); /* 46.67 -> 46 + 1 leftover */
    assert_int_equal(10 + it[1].share, 33);
    assert_int_equal(10 + it[2].share, 10); /* zero weight: the fixed part only */
    assert_int_equal(it[3].share, 0);       /* not eligible: nothing */
    assert_int_equal(alloc_split_fixed(29, 10, it, 4, NULL), ERR_CONFLICT);
    assert_int_equal(alloc_split_fixed(30, 10, it, 4, NULL), ERR_OK);
}

static void test_validate(void **state)
{
    (void)state;
    struct program p;
    struct block b[2];
    one_block(&p, &b[0], ROLE_REGION, 100, KEY_EQUAL);
    memset(&b[1], 0, sizeof(b[1]));
    str_copy(b[1].id, sizeof(b[1].id), "2");
    b[1].role = ROLE_KOMMUN;
    b[1].amount_kr = 50;
    b[1].key = KEY_POPULATION; /* without a date */
    b[1].key_line = 9;
    p.blocks = b;
    p.nblocks = 2;
    p.total_line = 3;
    str_copy(p.source_file, sizeof(p.source_file), "f.ini");
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(program_validate(&p, &d), ERR_INVALID);
    int saw_sum = 0, saw_date = 0;
    for (size_t i = 0; i < d.n; i++) {
        saw_sum |= strstr(d.msg[i],
                          "f.ini:3: the blocks add up to 150 kr but the total is 100 kr") != NULL;
        saw_date |= strstr(d.msg[i], "f.ini:9:") && strstr(d.msg[i], "population_date");
    }
    assert_true(saw_sum);
    assert_true(saw_date);
    diag_release(&d);
}

/* the weights of `bidrag key`: each row checked, sorted, twice refused,
 * exclusions marked and unknown ones named */
static void test_weights(void **state)
{
    (void)state;
    struct key_weight w[8];
    size_t n = 0;
    struct diag d;
    diag_init(&d, 20);
    key_weight_add(w, &n, "w.csv", 2, "0180", "30", &d);
    key_weight_add(w, &n, "w.csv", 3, "0114", "10", &d);
    key_weight_add(w, &n, "w.csv", 4, "", "5", &d);                 /* empty code */
    key_weight_add(w, &n, "w.csv", 5, "0123456789abcdef", "5", &d); /* 16 bytes */
    key_weight_add(w, &n, "w.csv", 6, "0115", "-1", &d);            /* negative */
    key_weight_add(w, &n, "w.csv", 7, "0116", "5 kr", &d);          /* a unit */
    key_weight_add(w, &n, "w.csv", 8, "0117", "1,5", &d);           /* not whole */
    assert_int_equal(n, 2);
    assert_int_equal(d.total, 5);
    assert_string_equal(d.msg[0], "w.csv:4: code '' is empty or longer than 15 bytes");
    assert_non_null(strstr(d.msg[4], "w.csv:8: weight '1,5'"));
    diag_release(&d);
    diag_init(&d, 20);
    key_weight_add(w, &n, "w.csv", 9, "0114", "7", &d);
    key_weights_check(w, n, "w.csv", " 0180 ,0999", &d);
    assert_string_equal(w[0].code, "0114");
    assert_string_equal(w[2].code, "0180");
    assert_int_equal(w[2].excluded, 1);
    assert_int_equal(w[0].excluded, 0);
    assert_int_equal(d.total, 2); /* 0114 twice, 0999 unknown */
    assert_string_equal(d.msg[0], "w.csv:9: '0114' appears twice (also on line 3)");
    assert_string_equal(d.msg[1], "--exclude: '0999' is not in w.csv");
    diag_release(&d);
    diag_init(&d, 20);
    key_weights_check(w, 0, "w.csv", NULL, &d);
    assert_int_equal(d.total, 1);
    assert_non_null(strstr(d.msg[0], "no weights"));
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_uneven),
        cmocka_unit_test(test_fixed_plus_population),
        cmocka_unit_test(test_exclusion_and_tie),
        cmocka_unit_test(test_among_all_forfeits),
        cmocka_unit_test(test_per_100k_and_metric),
        cmocka_unit_test(test_table_must_add_up),
        cmocka_unit_test(test_no_eligible),
        cmocka_unit_test(test_split_fixed),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_weights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
