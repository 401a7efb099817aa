/* test_redistplan.c - a program's redistribution over several blocks, with
 * the amounts worked out by hand in the comments: an approved amount is
 * split over the recipient's blocks, only those approved for their full
 * amount that opted in take part, a cap used up in one block is used up
 * in the next, and what nobody can take stays unpaid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/redistplan.h"

/* block 1: 01, 02, 03 with weights 1, 1, 2 and amounts 100, 100, 200;
 * block 2: 01, 02, 03 with weights 1, 1, 1 and amounts 50 each */
static struct alloc_line l1[3], l2[3];
static struct block bk[2];
static struct block_result br[2];
static struct allocation a;

static void line(struct alloc_line *l, const char *code, int64_t w, int64_t amount)
{
    memset(l, 0, sizeof(*l));
    snprintf(l->r.code, sizeof(l->r.code), "%s", code);
    l->weight = w;
    l->amount_kr = amount;
}

static void setup(void)
{
    line(&l1[0], "01", 1, 100);
    line(&l1[1], "02", 1, 100);
    line(&l1[2], "03", 2, 200);
    line(&l2[0], "01", 1, 50);
    line(&l2[1], "02", 1, 50);
    line(&l2[2], "03", 1, 50);
    memset(bk, 0, sizeof(bk));
    snprintf(bk[0].id, sizeof(bk[0].id), "1");
    snprintf(bk[1].id, sizeof(bk[1].id), "2");
    br[0] = (struct block_result){.b = &bk[0], .n = 3, .lines = l1, .allocated_kr = 400};
    br[1] = (struct block_result){.b = &bk[1], .n = 3, .lines = l2, .allocated_kr = 150};
    a = (struct allocation){.nblocks = 2, .blocks = br, .total_kr = 550};
}

static struct redistplan_req rq(const char *code, int64_t kr, int opt_in, int64_t cap)
{
    struct redistplan_req r;
    memset(&r, 0, sizeof(r));
    snprintf(r.code, sizeof(r.code), "%s", code);
    r.approved_kr = kr;
    r.opt_in = opt_in;
    r.cap_kr = cap;
    return r;
}

static void test_cap_carries_over(void **state)
{
    (void)state;
    setup();
    /* 01 and 02 approved in full (150 = 100 + 50), 01 can use 60 more;
     * 03 requisitioned nothing. Block 1: pot 400 - 200 = 200; round 1
     * gives 100 each, 01 reaches 60; round 2 gives the other 140 to 02.
     * Block 2: pot 150 - 100 = 50; 01 has nothing left to use: all to 02. */
    struct redistplan_req r[2] = {rq("01", 150, 1, 60), rq("02", 150, 1, REDIST_NO_CAP)};
    struct redistplan p;
    assert_int_equal(redistplan_run(&a, r, 2, &p), ERR_OK);
    assert_int_equal(p.blocks[0].res.pot_kr, 200);
    assert_int_equal(p.blocks[0].lines[0].extra_kr, 60);
    assert_true(p.blocks[0].lines[0].capped);
    assert_int_equal(p.blocks[0].lines[0].round, 1);
    assert_int_equal(p.blocks[0].lines[1].extra_kr, 140);
    assert_int_equal(p.blocks[0].lines[1].round, 2);
    assert_int_equal(p.blocks[0].lines[2].extra_kr, 0);
    assert_int_equal(p.blocks[0].res.nrounds, 2);
    assert_int_equal(p.blocks[1].res.pot_kr, 50);
    assert_int_equal(p.blocks[1].lines[0].extra_kr, 0);
    assert_int_equal(p.blocks[1].lines[1].extra_kr, 50);
    assert_int_equal(p.blocks[1].approved_line_kr[0], 50);
    assert_int_equal(p.pot_kr, 250);
    assert_int_equal(p.redistributed_kr, 250);
    assert_int_equal(p.remaining_kr, 0);
    redistplan_release(&p);
}

static void test_reduced_takes_no_part(void **state)
{
    (void)state;
    setup();
    /* 02 approved 149 of 150: split 99 + 49 and the krona left to block 1
     * (100 + 49); it does not take part. Block 1: pot 200, 01 takes its
     * 60, 140 unpaid. Block 2: pot 150 - 99 = 51, nobody can take it. */
    struct redistplan_req r[2] = {rq("01", 150, 1, 60), rq("02", 149, 1, REDIST_NO_CAP)};
    struct redistplan p;
    assert_int_equal(redistplan_run(&a, r, 2, &p), ERR_OK);
    assert_int_equal(p.blocks[0].approved_line_kr[1], 100);
    assert_int_equal(p.blocks[1].approved_line_kr[1], 49);
    assert_false(p.blocks[0].lines[1].takes_part);
    assert_int_equal(p.blocks[0].lines[0].extra_kr, 60);
    assert_int_equal(p.blocks[0].lines[1].extra_kr, 0);
    assert_int_equal(p.blocks[0].res.remaining_kr, 140);
    assert_int_equal(p.blocks[1].res.pot_kr, 51);
    assert_int_equal(p.blocks[1].res.remaining_kr, 51);
    assert_int_equal(p.redistributed_kr, 60);
    assert_int_equal(p.remaining_kr, 191);
    redistplan_release(&p);
    /* opted out, or opted in without anything approved: nobody takes part */
    struct redistplan_req o[2] = {rq("01", 150, 0, REDIST_NO_CAP), rq("03", 0, 1, REDIST_NO_CAP)};
    assert_int_equal(redistplan_run(&a, o, 2, &p), ERR_OK);
    assert_int_equal(p.redistributed_kr, 0);
    assert_int_equal(p.remaining_kr, 550 - 150);
    redistplan_release(&p);
    /* a negative amount or cap is refused */
    struct redistplan_req n[1] = {rq("01", -1, 1, 5)};
    assert_int_equal(redistplan_run(&a, n, 1, &p), ERR_INVALID);
    redistplan_release(&p);
    n[0] = rq("01", 150, 1, -5);
    assert_int_equal(redistplan_run(&a, n, 1, &p), ERR_INVALID);
    redistplan_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_carries_over),
        cmocka_unit_test(test_reduced_takes_no_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
