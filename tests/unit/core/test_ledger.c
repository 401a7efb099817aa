/* test_ledger.c - the appropriation ledger: the rules one by one with
 * their Swedish messages, a program's items from its decision, and 20 000
 * random bookings against a reference written here from the rule's words,
 * checking after each that nothing more is paid from an item than it
 * holds and that a refused booking changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"

#define KR(x) ((int64_t)(x)*100)

static uint64_t rng_state = UINT64_C(0x853C49E6748FEA9B);

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static void book_ok(struct ledger *l, enum ledger_kind k, const char *item, int64_t amount)
{
    char msg[300] = "";
    enum err e = ledger_book(l, k, item, amount, msg, sizeof(msg));
    if (e != ERR_OK)
        fail_msg("%s %s %lld: %s", ledger_kind_id(k), item, (long long)amount, msg);
}

static void book_refused(struct ledger *l, enum ledger_kind k, const char *item, int64_t amount,
                         const char *want)
{
    char msg[300] = "";
    struct ledger_balance before, after;
    ledger_balance(l, NULL, &before);
    assert_int_not_equal(ledger_book(l, k, item, amount, msg, sizeof(msg)), ERR_OK);
    ledger_balance(l, NULL, &after);
    assert_memory_equal(&before, &after, sizeof(before));
    if (want)
        assert_string_equal(msg, want);
}

static void test_rules(void **state)
{
    (void)state;
    struct ledger l;
    ledger_init(&l, KR(50));
    assert_int_equal(ledger_add_item(&l, "56", KR(1000)), ERR_OK);
    assert_int_equal(ledger_add_item(&l, "12", KR(500)), ERR_OK);
    assert_int_equal(ledger_add_item(&l, "56", KR(1)), ERR_CONFLICT);
    assert_int_equal(ledger_add_item(&l, "", KR(1)), ERR_INVALID);
    assert_int_equal(ledger_add_item(&l, "x", -1), ERR_INVALID);

    book_refused(&l, LEDGER_DECIDE, "56", KR(1),
                 "Anslagsposten 56: beslutat 1 kr kan inte överstiga fördelat 0 kr");
    book_ok(&l, LEDGER_ALLOCATE, "56", KR(960));
    book_refused(&l, LEDGER_ALLOCATE, "56", KR(41),
                 "Anslagsposten 56: fördelat och egna kostnader 1 001 kr kan inte överstiga "
                 "postens belopp med återbetalningar 1 000 kr");
    book_ok(&l, LEDGER_OWN_COST, "56", KR(40));
    book_refused(&l, LEDGER_OWN_COST, "56", KR(1), NULL); /* the item is full */
    book_ok(&l, LEDGER_OWN_COST, "12", KR(10));
    book_refused(&l, LEDGER_OWN_COST, "12", 1,
                 "Anslagsposten 12: egna kostnader blir 50,01 kr över programmets tak för "
                 "egna kostnader 50 kr");
    book_ok(&l, LEDGER_DECIDE, "56", KR(900));
    book_refused(&l, LEDGER_PAY, "56", KR(901),
                 "Anslagsposten 56: utbetalt 901 kr kan inte överstiga beslutat 900 kr");
    book_ok(&l, LEDGER_PAY, "56", KR(900));
    book_refused(&l, LEDGER_REPAY, "56", KR(901),
                 "Anslagsposten 56: återbetalt 901 kr kan inte överstiga utbetalt 900 kr");
    book_ok(&l, LEDGER_REPAY, "56", KR(100));
    book_refused(&l, LEDGER_PAY, "99", KR(1), "Anslagsposten 99 finns inte i programmet");
    book_refused(&l, LEDGER_PAY, "56", 0, NULL);
    /* a correction may not make a total negative or break a rule */
    book_refused(&l, LEDGER_DECIDE, "56", -KR(901),
                 "Anslagsposten 56: ett belopp blir negativt med rättelsen -901 kr");
    book_refused(&l, LEDGER_DECIDE, "56", -KR(1), NULL); /* paid would pass decided */

    struct ledger_balance b;
    assert_int_equal(ledger_balance(&l, "56", &b), ERR_OK);
    assert_int_equal(b.amount, KR(1000));
    assert_int_equal(b.allocated, KR(960));
    assert_int_equal(b.decided, KR(900));
    assert_int_equal(b.paid, KR(900));
    assert_int_equal(b.repaid, KR(100));
    assert_int_equal(b.own_cost, KR(40));
    assert_int_equal(b.available, KR(1000 + 100 - 40 - 900));
    /* the repayment made room: an own cost within the cap now fits */
    book_refused(&l, LEDGER_OWN_COST, "56", KR(1), NULL); /* the cap: 40 + 10 = 50 */
    assert_int_equal(ledger_own_cost_total(&l), KR(50));
    assert_int_equal(ledger_balance(&l, NULL, &b), ERR_OK);
    assert_int_equal(b.amount, KR(1500));
    assert_int_equal(b.own_cost, KR(50));
    assert_int_equal(ledger_balance(&l, "nope", &b), ERR_NOTFOUND);
    assert_string_equal(ledger_kind_id(LEDGER_OWN_COST), "own_cost");
    assert_int_equal(ledger_kind_parse("repay"), LEDGER_REPAY);
    assert_int_equal(ledger_kind_parse("steal"), -1);
    ledger_release(&l);
}

static void test_from_program(void **state)
{
    (void)state;
    /* kompetens-2026: three items, 1 063 000 000 kr, own costs at most 50 000 000 kr */
    struct appropriation ap[3] = {
        {"56", "Anslag 1:6 ap. 56", 393000000, 1, ""},
        {"16", "Anslag 1:6 ap. 16", 200000000, 2, ""},
        {"12", "Anslag 1:6 ap. 12", 470000000, 3, ""},
    };
    struct program p;
    memset(&p, 0, sizeof(p));
    p.approp = ap;
    p.napprop = 3;
    p.own_cost_cap_kr = 50000000;
    struct ledger l;
    ledger_init(&l, 0);
    assert_int_equal(ledger_from_program(&l, &p), ERR_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.own_cost_cap, KR(50000000));
    struct ledger_balance b;
    assert_int_equal(ledger_balance(&l, NULL, &b), ERR_OK);
    assert_int_equal(b.amount, KR(1063000000));
    assert_int_equal(b.available, KR(1063000000));
    /* the whole allocation (1 013 000 000 kr) and the whole own-cost cap fit */
    book_ok(&l, LEDGER_ALLOCATE, "56", KR(393000000));
    book_ok(&l, LEDGER_ALLOCATE, "16", KR(200000000));
    book_ok(&l, LEDGER_ALLOCATE, "12", KR(420000000));
    book_ok(&l, LEDGER_OWN_COST, "12", KR(50000000));
    book_refused(&l, LEDGER_OWN_COST, "12", 1, NULL);
    ap[1].id[0] = '\0';
    assert_int_equal(ledger_from_program(&l, &p), ERR_INVALID);
    assert_int_equal(l.n, 0);
    ledger_release(&l);
}

/* ---- the reference, from the rule's words ----
 * "A booking is accepted only if afterwards, for its item, 0 <= repaid <=
 * paid <= decided <= allocated, allocated + own cost <= amount + repaid,
 * own cost >= 0, and the program's own costs stay within the cap." */
struct ref_item {
    int64_t amount, v[LEDGER_KIND_COUNT];
};

static int ref_book(struct ref_item *items, size_t n, int64_t cap, size_t it, int kind, int64_t x)
{
    struct ref_item t = items[it];
    t.v[kind] += x;
    int64_t alloc = t.v[LEDGER_ALLOCATE], dec = t.v[LEDGER_DECIDE], paid = t.v[LEDGER_PAY],
            rep = t.v[LEDGER_REPAY], own = t.v[LEDGER_OWN_COST];
    int64_t own_all = 0;
    for (size_t i = 0; i < n; i++)
        own_all += i == it ? own : items[i].v[LEDGER_OWN_COST];
    int ok = x != 0 && alloc >= 0 && dec >= 0 && paid >= 0 && rep >= 0 && own >= 0 && rep <= paid &&
             paid <= dec && dec <= alloc && alloc + own <= t.amount + rep && own_all <= cap;
    if (ok)
        items[it] = t;
    return ok;
}

/* Own costs go to the program's own-cost item and nowhere else. */
static void test_own_cost_item(void **state)
{
    (void)state;
    struct appropriation ap[2] = {{"56", "a", 1000, 1, ""}, {"12", "b", 1000, 2, ""}};
    struct program p;
    memset(&p, 0, sizeof(p));
    p.approp = ap;
    p.napprop = 2;
    p.own_cost_cap_kr = 100;
    snprintf(p.own_cost_appropriation, sizeof(p.own_cost_appropriation), "12");
    struct ledger l;
    ledger_init(&l, 0);
    assert_int_equal(ledger_from_program(&l, &p), ERR_OK);
    book_refused(&l, LEDGER_OWN_COST, "56", KR(10),
                 "Egna kostnader bokas mot anslagsposten 12, inte 56");
    book_ok(&l, LEDGER_OWN_COST, "12", KR(10));
    ledger_release(&l);
}

/* The split rule worked out on paper for a small block, then for
 * kompetens-2026 block 3's two items. */
static void test_split_by_hand(void **state)
{
    (void)state;
    /* B = 10, items 3 and 7, recipients 3, 3, 4: C = 3, 6, 10.
     * item 1: floor(9/10)=0, floor(18/10)-0=1, floor(30/10)-1=2 -> 0,1,2 (3)
     * item 2: the rest 3,2,2 (7) */
    const int64_t a[3] = {3, 3, 4}, it[2] = {3, 7};
    int64_t sh[6];
    assert_int_equal(ledger_split_block(10, a, 3, it, 2, sh), ERR_OK);
    const int64_t want[6] = {0, 3, 1, 2, 2, 2};
    for (int i = 0; i < 6; i++)
        assert_int_equal(sh[i], want[i]);
    /* a decision of 2 öre... of 250 öre on the third (a = 4, s = 2, 2):
     * floor(250*2/4) = 125, the rest 125 */
    int64_t out[2];
    assert_int_equal(ledger_split_amount(250, 4, &sh[4], 2, out), ERR_OK);
    assert_int_equal(out[0], 125);
    assert_int_equal(out[1], 125);
    /* 1 öre on the second (s = 1, 2 of 3): floor(1/3) = 0, the rest 1 */
    assert_int_equal(ledger_split_amount(1, 3, &sh[2], 2, out), ERR_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    /* bad input */
    const int64_t it_bad[2] = {3, 6};
    assert_int_equal(ledger_split_block(10, a, 3, it_bad, 2, sh), ERR_INVALID);
    const int64_t a_big[3] = {3, 3, 5};
    assert_int_equal(ledger_split_block(10, a_big, 3, it, 2, sh), ERR_INVALID);
    assert_int_equal(ledger_split_block(10, a, 3, it, 0, sh), ERR_INVALID);
    assert_int_equal(ledger_split_amount(-1, 4, &sh[4], 2, out), ERR_INVALID);
    const int64_t zero[2] = {0, 0};
    assert_int_equal(ledger_split_amount(5, 0, zero, 2, out), ERR_INVALID);
    /* a recipient outside the allocation: by the items' amounts */
    assert_int_equal(ledger_split_amount(1000, 0, it, 2, out), ERR_OK);
    assert_int_equal(out[0], 300);
    assert_int_equal(out[1], 700);
    /* block 3: B = 573 000 000, items 56: 153 000 000 and 12: 420 000 000;
     * two recipients of 1 000 001 and 2 000 000 kr:
     * item 56: floor(1000001*153/573) = floor(267 015.97..) = 267 015,
     *          floor(3000001*153/573) = floor(801 047.38..) = 801 047 -> 534 032
     * item 12: 1000001-267015 = 732 986, 2000000-534032 = 1 465 968 */
    const int64_t a3[2] = {1000001, 2000000}, it3[2] = {153000000, 420000000};
    int64_t sh3[4];
    assert_int_equal(ledger_split_block(573000000, a3, 2, it3, 2, sh3), ERR_OK);
    assert_int_equal(sh3[0], 267015);
    assert_int_equal(sh3[1], 732986);
    assert_int_equal(sh3[2], 534032);
    assert_int_equal(sh3[3], 1465968);
}

/* The split's promises on random blocks: every row sums to the
 * recipient's amount, every item totals floor(C_n*I_k/B) (and I_k when
 * the block is fully allocated) with the last taking the rest, every
 * share of an item but the last within 1 kr of a_r*I_k/B and the last's
 * within K-1 kr, no share negative with two items; and a decision's split
 * sums to the decision with each part within 1 öre of d*s_k/a (the last
 * within K-1). Checked in exact rational arithmetic (|share*B - a*I| < B). */
static void test_split_property(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        size_t nrec = 1 + rng_next() % 40, nit = 1 + rng_next() % 4;
        int64_t a[40], it[4], sh[160];
        int64_t scale = round % 3 == 0 ? 10 : round % 3 == 1 ? 1000000 : INT64_C(100000000000);
        int64_t block = 0;
        for (size_t r = 0; r < nrec; r++) {
            a[r] = (int64_t)(rng_next() % (uint64_t)scale);
            block += a[r];
        }
        int full = rng_next() % 4 != 0;
        if (!full)
            block += (int64_t)(rng_next() % (uint64_t)scale);
        if (block < (int64_t)nit) {
            round--;
            continue;
        }
        /* items: nit positive parts of block */
        int64_t left = block;
        for (size_t k = 0; k + 1 < nit; k++) {
            int64_t room = left - (int64_t)(nit - 1 - k);
            it[k] = 1 + (int64_t)(rng_next() % (uint64_t)room);
            if (it[k] > room)
                it[k] = room;
            left -= it[k];
        }
        it[nit - 1] = left;
        enum err e = ledger_split_block(block, a, nrec, it, nit, sh);
        if (e == ERR_LIMIT && nit >= 3)
            continue; /* a last share would be negative: refused, as documented */
        assert_int_equal(e, ERR_OK);
        int64_t cn = 0;
        for (size_t r = 0; r < nrec; r++)
            cn += a[r];
        for (size_t k = 0; k < nit; k++) {
            int64_t tot = 0;
            for (size_t r = 0; r < nrec; r++) {
                int64_t s_ = sh[r * nit + k];
                if (nit == 2)
                    assert_true(s_ >= 0);
                __int128 dev = (__int128)s_ * block - (__int128)a[r] * it[k];
                if (dev < 0)
                    dev = -dev;
                int64_t tol = k + 1 < nit || nit == 1 ? 1 : (int64_t)nit - 1;
                if (dev >= (__int128)block * tol)
                    fail_msg("round %d item %zu recipient %zu: %lld for %lld*%lld/%lld", round, k,
                             r, (long long)s_, (long long)a[r], (long long)it[k], (long long)block);
                tot += s_;
            }
            if (k + 1 < nit)
                assert_int_equal(tot, (int64_t)((__int128)cn * it[k] / block));
            if (full)
                assert_int_equal(tot, it[k]);
        }
        for (size_t r = 0; r < nrec; r++) {
            int64_t row = 0;
            for (size_t k = 0; k < nit; k++)
                row += sh[r * nit + k];
            assert_int_equal(row, a[r]);
            if (!a[r])
                continue;
            /* a decision of d <= a_r kr in öre */
            int64_t d = (int64_t)(rng_next() % (uint64_t)(a[r] * 100 + 1)), out[4], sum = 0;
            assert_int_equal(ledger_split_amount(d, a[r], &sh[r * nit], nit, out), ERR_OK);
            for (size_t k = 0; k < nit; k++) {
                assert_true(out[k] >= 0);
                __int128 dev = (__int128)out[k] * a[r] - (__int128)d * sh[r * nit + k];
                if (dev < 0)
                    dev = -dev;
                int64_t tol = k + 1 < nit || nit == 1 ? 1 : (int64_t)nit - 1;
                assert_true(dev < (__int128)a[r] * tol);
                sum += out[k];
            }
            assert_int_equal(sum, d);
        }
    }
}

static void test_random_against_reference(void **state)
{
    (void)state;
    const char *ids[4] = {"56", "16", "12", "7"};
    int accepted[LEDGER_KIND_COUNT] = {0}, refused = 0;
    for (int round = 0; round < 20; round++) {
        struct ledger l;
        int64_t cap = KR((int64_t)(rng_next() % 1000));
        ledger_init(&l, cap);
        struct ref_item ref[4];
        memset(ref, 0, sizeof(ref));
        for (size_t i = 0; i < 4; i++) {
            ref[i].amount = KR((int64_t)(rng_next() % 10000));
            assert_int_equal(ledger_add_item(&l, ids[i], ref[i].amount), ERR_OK);
        }
        for (int step = 0; step < 1000; step++) {
            size_t it = rng_next() % 4;
            int kind = (int)(rng_next() % LEDGER_KIND_COUNT);
            int64_t x = (int64_t)(rng_next() % 3000) * 100 + (int64_t)(rng_next() % 3) * 37;
            if (rng_next() % 8 == 0)
                x = -x;
            char msg[300] = "";
            int want = ref_book(ref, 4, cap, it, kind, x);
            enum err e = ledger_book(&l, (enum ledger_kind)kind, ids[it], x, msg, sizeof(msg));
            if ((e == ERR_OK) != want)
                fail_msg("round %d step %d: %s %s %lld: ledger %s, reference %s (%s)", round, step,
                         ledger_kind_id((enum ledger_kind)kind), ids[it], (long long)x, err_str(e),
                         want ? "accepts" : "refuses", msg);
            if (e != ERR_OK) {
                assert_true(msg[0] != '\0');
                refused++;
            } else {
                accepted[kind]++;
            }
            for (size_t i = 0; i < 4; i++) {
                struct ledger_balance b;
                assert_int_equal(ledger_balance(&l, ids[i], &b), ERR_OK);
                assert_int_equal(b.allocated, ref[i].v[LEDGER_ALLOCATE]);
                assert_int_equal(b.decided, ref[i].v[LEDGER_DECIDE]);
                assert_int_equal(b.paid, ref[i].v[LEDGER_PAY]);
                assert_int_equal(b.repaid, ref[i].v[LEDGER_REPAY]);
                assert_int_equal(b.own_cost, ref[i].v[LEDGER_OWN_COST]);
                /* never more paid from an item than it holds */
                assert_true(b.paid - b.repaid + b.own_cost <= b.amount);
                assert_true(b.available >= 0);
                assert_int_equal(b.available, b.amount + b.repaid - b.own_cost - b.decided);
            }
            assert_true(ledger_own_cost_total(&l) <= cap);
        }
        ledger_release(&l);
    }
    /* the walk exercised every kind of booking both ways */
    for (int k = 0; k < LEDGER_KIND_COUNT; k++)
        if (accepted[k] < 100)
            fail_msg("only %d %s bookings accepted", accepted[k],
                     ledger_kind_id((enum ledger_kind)k));
    assert_true(refused > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_from_program),
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_own_cost_item),
        cmocka_unit_test(test_split_by_hand),
        cmocka_unit_test(test_split_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
