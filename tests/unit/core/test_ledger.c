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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
