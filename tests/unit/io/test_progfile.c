/* test_progfile.c - the program file reader: every field, line numbers,
 * several errors in one pass, inih's limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/key.h"
#include "io/progfile.h"

static const char *full = "# a comment\n"
                          "[program]\n"
                          "id = demo-1\n"
                          "title = Demo med åäö\n"
                          "diarienummer = S2026/00001\n"
                          "decision_date = 2026-01-22\n"
                          "total = 1 013 000 000\n"
                          "own_cost_cap = 50_000_000\n"
                          "own_cost_appropriation = 56\n"
                          "kammarkollegiet_requisition = 2026-12-01\n"
                          "requisition_opens = 2026-03-02\n"
                          "requisition_closes = 2026-10-30\n"
                          "production_plan = yes\n"
                          "\n"
                          "[appropriation 56]\n"
                          "name = Vårdsatsning\n"
                          "amount = 1 063 000 000\n"
                          "[purpose vfu]\n"
                          "title = VFU ; inline comment\n"
                          "[block 1]\n"
                          "title = Kommuner\n"
                          "recipients = kommuner\n"
                          "amount = 240 000 000\n"
                          "fixed = 500 000\n"
                          "key = population\n"
                          "population_date = 2025-11-01\n"
                          "population_fallback = 2024-12-31\n"
                          "exclude = 0114, 0115\n"
                          "appropriation = 56: 240 000 000\n"
                          "[block 2]\n"
                          "recipients = 01,03\n"
                          "amount = 773 000 000\n"
                          "key = metric_per_100k\n"
                          "metric = at\n"
                          "population_date = 2024-12-31\n"
                          "eligible = metric:at\n"
                          "among = all\n"
                          "appropriation = 56\n";

static void test_full(void **state)
{
    (void)state;
    struct program p;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(progfile_parse(full, strlen(full), "f.ini", &p, &d), ERR_OK);
    assert_int_equal(d.total, 0);
    assert_string_equal(p.id, "demo-1");
    assert_string_equal(p.title, "Demo med åäö");
    assert_int_equal(p.total_kr, 1013000000);
    assert_int_equal(p.total_line, 7);
    assert_int_equal(p.own_cost_cap_kr, 50000000);
    assert_int_equal(p.requisition_closes.m, 10);
    assert_true(p.production_plan);
    assert_int_equal(p.napprop, 1);
    assert_string_equal(p.approp[0].name, "Vårdsatsning");
    assert_int_equal(p.approp[0].line, 15);
    assert_int_equal(p.npurposes, 1);
    assert_string_equal(p.purposes[0].title, "VFU");
    assert_int_equal(p.nblocks, 2);
    const struct block *b = &p.blocks[0];
    assert_string_equal(b->id, "1");
    assert_int_equal(b->line, 20);
    assert_int_equal(b->role, ROLE_KOMMUN);
    assert_int_equal(b->fixed_kr, 500000);
    assert_int_equal(b->key, KEY_POPULATION);
    assert_int_equal(b->pop_fallback.y, 2024);
    assert_int_equal(b->exclude.n, 2);
    assert_int_equal(b->nfund, 1);
    assert_int_equal(b->fund[0].amount_kr, 240000000);
    assert_string_equal(b->exclude.code[1], "0115");
    b = &p.blocks[1];
    assert_int_equal(b->role, ROLE_REGION);
    assert_int_equal(b->list.n, 2);
    assert_int_equal(b->key, KEY_METRIC_PER_100K);
    assert_string_equal(b->eligible_metric, "at");
    assert_int_equal(b->among, AMONG_ALL);
    assert_int_equal(b->nfund, 1);
    assert_string_equal(b->fund[0].id, "56");
    assert_int_equal(program_validate(&p, &d), ERR_OK);
    program_release(&p);
    diag_release(&d);
}

/* The English twins of the shown texts: read, chosen by language, and
 * checked as text like the Swedish ones. */
static void test_english(void **state)
{
    (void)state;
    static const char *en = "[program]\n"
                            "id = e\n"
                            "title = Stärkt\n"
                            "title_en = Strengthened\n"
                            "decision = Uppdrag\n"
                            "decision_en = Assignment\n"
                            "diarienummer = S1\n"
                            "total = 10\n"
                            "[appropriation 1]\n"
                            "name = Anslag\n"
                            "name_en = Appropriation\n"
                            "amount = 10\n"
                            "[purpose a]\n"
                            "title = Ändamål\n"
                            "title_en = Purpose\n"
                            "[block 1]\n"
                            "title = Regioner\n"
                            "title_en = Regions\n"
                            "note = Lika delning\n"
                            "note_en = Equal split\n"
                            "recipients = regioner\n"
                            "amount = 10\n"
                            "key = equal\n"
                            "appropriation = 1\n";
    struct program p;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(progfile_parse(en, strlen(en), "e.ini", &p, &d), ERR_OK);
    assert_string_equal(program_text(LANG_EN, p.title, p.title_en), "Strengthened");
    assert_string_equal(program_text(LANG_SV, p.title, p.title_en), "Stärkt");
    assert_string_equal(p.decision_en, "Assignment");
    assert_string_equal(p.approp[0].name_en, "Appropriation");
    assert_string_equal(p.purposes[0].title_en, "Purpose");
    assert_string_equal(p.blocks[0].title_en, "Regions");
    assert_string_equal(program_text(LANG_EN, p.blocks[0].note, p.blocks[0].note_en),
                        "Equal split");
    assert_string_equal(program_text(LANG_EN, p.diarienummer, ""), "S1"); /* no twin: Swedish */
    program_release(&p);
    diag_release(&d);
    static const char *bad = "[program]\nid = e\ntitle = T\ntitle_en = bad\x01text\n";
    diag_init(&d, 10);
    assert_int_not_equal(progfile_parse(bad, strlen(bad), "b.ini", &p, &d), ERR_OK);
    assert_true(d.n >= 1);
    assert_non_null(strstr(d.msg[0], "b.ini:4: 'title_en' is not valid text"));
    program_release(&p);
    diag_release(&d);
}

static void test_many_errors_one_pass(void **state)
{
    (void)state;
    const char *bad = "[program]\n"
                      "id = Bad Id\n"
                      "colour = red\n"
                      "total = many\n"
                      "[block 1]\n"
                      "key = lottery\n"
                      "among = some\n"
                      "recipients = 01,9\n"
                      "[thing]\n"
                      "x = 1\n";
    struct program p;
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(progfile_parse(bad, strlen(bad), "b.ini", &p, &d), ERR_PARSE);
    const char *want[] = {"b.ini:2: 'id'",
                          "b.ini:3: unknown key 'colour' in [program]",
                          "b.ini:4: 'total'",
                          "b.ini:6: unknown key kind 'lottery'",
                          "b.ini:7: 'among'",
                          "b.ini:8: 'recipients': '9'",
                          "b.ini:9: unknown section [thing]"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int found = 0;
        for (size_t k = 0; k < d.n; k++)
            found |= strncmp(d.msg[k], want[i], strlen(want[i])) == 0;
        if (!found)
            fail_msg("missing message starting with %s", want[i]);
    }
    program_release(&p);
    diag_release(&d);
}

static void test_limits(void **state)
{
    (void)state;
    char xs[301], text[600];
    memset(xs, 'x', 300);
    xs[300] = '\0';
    snprintf(text, sizeof(text), "[program]\ntitle = %s\nid = ok\n", xs);
    struct program p;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(progfile_parse(text, strlen(text), "l.ini", &p, &d), ERR_PARSE);
    assert_non_null(strstr(d.msg[0], "l.ini:2: line is longer"));
    assert_string_equal(p.id, "ok"); /* the next line is still read */
    program_release(&p);
    diag_release(&d);

    diag_init(&d, 10);
    const char nul[] = "[program]\nid = a\0b\n";
    assert_int_equal(progfile_parse(nul, sizeof(nul) - 1, "n.ini", &p, &d), ERR_PARSE);
    assert_non_null(strstr(d.msg[0], "NUL"));
    program_release(&p);
    diag_release(&d);

    diag_init(&d, 10);
    const char ctl[] = "[program]\nid = ok\ntitle = Ring\x07klocka\n";
    assert_int_equal(progfile_parse(ctl, sizeof(ctl) - 1, "c.ini", &p, &d), ERR_PARSE);
    assert_non_null(strstr(d.msg[0], "c.ini:3: 'title' is not valid text"));
    program_release(&p);
    diag_release(&d);

    diag_init(&d, 10);
    const char *bom = "\xEF\xBB\xBF[program]\nid = bom\n";
    assert_int_equal(progfile_parse(bom, strlen(bom), "bom.ini", &p, &d), ERR_OK);
    assert_string_equal(p.id, "bom");
    program_release(&p);
    diag_release(&d);
}

/* A key given twice, a section given twice and an indented line that
 * inih would take as a continuation all used to load silently, the last
 * value winning. */
static void test_duplicates(void **state)
{
    (void)state;
    const char *bad = "[program]\n"        /* 1 */
                      "id = dup\n"         /* 2 */
                      "total = 1 000\n"    /* 3 */
                      "total = 9 000\n"    /* 4 */
                      "[block 1]\n"        /* 5 */
                      "amount = 1 000\n"   /* 6 */
                      "  amount = 5 000\n" /* 7 */
                      "[purpose a]\n"      /* 8 */
                      "title = A\n"        /* 9 */
                      "[purpose a]\n"      /* 10 */
                      "title = B\n"        /* 11 */
                      "[program]\n"        /* 12 */
                      "title = Andra\n"    /* 13 */
                      "[block 2]\n"        /* 14 */
                      "title = ok\n"       /* 15 */
                      "note = a\n"         /* 16 */
                      "[block 3]\n"        /* 17 */
                      "note = the same key in another section is fine\n";
    struct program p;
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(progfile_parse(bad, strlen(bad), "d.ini", &p, &d), ERR_PARSE);
    const char *want[] = {
        "d.ini:4: 'total' is given twice in [program] (first on line 3)",
        "d.ini:7: indented line continues 'amount'",
        "d.ini:10: section [purpose a] is given twice (first on line 8)",
        "d.ini:12: section [program] is given twice (first on line 1)",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int found = 0;
        for (size_t k = 0; k < d.n; k++)
            found |= strncmp(d.msg[k], want[i], strlen(want[i])) == 0;
        if (!found)
            fail_msg("missing message starting with %s", want[i]);
    }
    assert_int_equal(d.total, 4);
    program_release(&p);
    diag_release(&d);
}

/* The rules the decisions carry: redistribution only where the program
 * says so, each block funded by named appropriation items that add up,
 * every item fully used, a definite appeal clause, the agency's own
 * Kammarkollegiet date after the recipients' dates. */
static const char *rules_base = "[program]\n"
                                "id = r\n"
                                "title = R\n"
                                "diarienummer = D\n"
                                "total = 1 000\n"
                                "own_cost_cap = 100\n"
                                "requisition_closes = 2026-10-30\n";

static void check_rules(const char *extra, const char *blocks, const char *want)
{
    char text[2000];
    snprintf(text, sizeof(text), "%s%s%s", rules_base, extra, blocks);
    struct program p;
    struct diag d;
    diag_init(&d, 20);
    enum err e = progfile_parse(text, strlen(text), "r.ini", &p, &d);
    if (!e)
        e = program_validate(&p, &d);
    if (!want) {
        if (e)
            diag_print(&d, stderr);
        assert_int_equal(e, ERR_OK);
    } else {
        int found = 0;
        for (size_t k = 0; k < d.n; k++)
            found |= strstr(d.msg[k], want) != NULL;
        if (!found) {
            diag_print(&d, stderr);
            fail_msg("missing message containing %s", want);
        }
    }
    program_release(&p);
    diag_release(&d);
}

static void test_decision_rules(void **state)
{
    (void)state;
    const char *two_items = "[appropriation a]\nname = A\namount = 700\n"
                            "[appropriation b]\nname = B\namount = 400\n";
    const char *blocks_ok = "[block 1]\nrecipients = regioner\namount = 600\nkey = equal\n"
                            "appropriation = a\n"
                            "[block 2]\nrecipients = kommuner\namount = 400\nkey = equal\n"
                            "appropriation = a: 100, b: 300\n";
    char extra[600];
    snprintf(extra, sizeof(extra), "own_cost_appropriation = b\n%s", two_items);
    check_rules(extra, blocks_ok, NULL);
    /* a block with no item */
    check_rules(extra,
                "[block 1]\nrecipients = regioner\namount = 600\nkey = equal\n"
                "appropriation = a\n"
                "[block 2]\nrecipients = kommuner\namount = 400\nkey = equal\n",
                "r.ini:20: block '2' names no appropriation item");
    /* split amounts that do not add up to the block */
    check_rules(extra,
                "[block 1]\nrecipients = regioner\namount = 600\nkey = equal\n"
                "appropriation = a\n"
                "[block 2]\nrecipients = kommuner\namount = 400\nkey = equal\n"
                "appropriation = a: 100, b: 200\n",
                "block '2': its appropriation items give 300 kr but the block is 400 kr");
    /* an item over- or under-used */
    check_rules(extra,
                "[block 1]\nrecipients = regioner\namount = 600\nkey = equal\n"
                "appropriation = b\n"
                "[block 2]\nrecipients = kommuner\namount = 400\nkey = equal\n"
                "appropriation = a: 100, b: 300\n",
                "[appropriation b] is 400 kr but the blocks and own costs it funds use 1 000 kr");
    /* own costs with items but no item named for them */
    check_rules(two_items, blocks_ok, "no 'own_cost_appropriation'");
    snprintf(extra, sizeof(extra), "own_cost_appropriation = c\n%s", two_items);
    check_rules(extra, blocks_ok, "r.ini:8: 'own_cost_appropriation': no [appropriation c]");
    /* malformed funding */
    snprintf(extra, sizeof(extra), "own_cost_appropriation = b\n%s", two_items);
    check_rules(extra, "[block 1]\nappropriation = a, b: 3\n", "each needs its amount");
    check_rules(extra, "[block 1]\nappropriation = a: 1, a: 2\n", "item 'a' is given twice");
    check_rules(extra, "[block 1]\nappropriation = a: lots\n", "'lots' is not a positive amount");
    check_rules(extra, "[block 1]\nappropriation = A B\n", "'A B' is not an appropriation item");
    check_rules(extra, "[block 1]\nappropriation = a:1,b:1,c:1,d:1,e:1\n", "at most four");
    /* redistribution only where the program says so */
    const char *one = "[block 1]\nrecipients = regioner\namount = 1 000\nkey = equal\n";
    check_rules("redistribution_date = 2026-11-02\n", one,
                "'redistribution_date' is given but the decision provides no redistribution");
    check_rules("redistribution = no\nredistribution_date = 2026-11-02\n", one,
                "'redistribution_date' is given but the decision provides no redistribution");
    check_rules("redistribution = yes\n", one,
                "'redistribution = yes' needs 'redistribution_date'");
    check_rules("redistribution = maybe\n", one, "'redistribution': 'maybe' must be yes or no");
    check_rules("redistribution = yes\nredistribution_date = 2026-11-02\n", one, NULL);
    /* appeal */
    check_rules("appeal = none\n", one, "'appeal = none' needs 'appeal_basis'");
    check_rules("appeal = never\n", one, "'appeal': 'never' must be court or none");
    check_rules("appeal = none\nappeal_basis = 20 § förordningen\n", one, NULL);
    /* the agency's Kammarkollegiet date comes after the recipients' dates */
    check_rules("kammarkollegiet_requisition = 2026-10-01\n", one,
                "'requisition_closes' is after 'kammarkollegiet_requisition'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),           cmocka_unit_test(test_many_errors_one_pass),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_decision_rules), cmocka_unit_test(test_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
