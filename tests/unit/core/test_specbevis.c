/* test_specbevis.c - the specialist certificate's completeness by hand:
 * a complete HSLF-FS 2021:8 application (BT 6 months, ST 5½ years), then
 * one thing taken away at a time and the finding that names it; the
 * day counts at their edges; two and three signatures; SOSFS 2015:8
 * (5 years, no BT); the expert's review; the supervisor-training notice
 * from core/suptrain's records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/specbevis.h"

static struct date D(int y, int m, int d) {
    struct date x = {y, m, d};
    return x;
}

static void
signer(struct specbevis_signer *s, const char *name, const char *person, int spec)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "%s", name);
    snprintf(s->person, sizeof(s->person), "%s", person);
    s->specialist = spec;
    s->signed_on = D(2027, 9, 1);
}

static void act(struct specbevis_application *a, enum specbevis_activity k, const char *title)
{
    struct specbevis_activity_cert *c = &a->acts[a->nacts++];
    c->kind = k;
    snprintf(c->title, sizeof(c->title), "%s", title);
    signer(&c->signer, "Kursledare", "", 1);
}

/* Complete to the day: BT 2022-01-01..2022-07-02 is 183 days (6 months),
 * the rest to 2027-07-02 1 826 more: 2 009 days, 5 years 6 months. */
static void complete(struct specbevis_application *a)
{
    memset(a, 0, sizeof(*a));
    a->regime = SPECBEVIS_HSLF_2021_8;
    snprintf(a->specialty, sizeof(a->specialty), "Allmänmedicin");
    a->periods[0] = (struct specbevis_period){D(2022, 1, 1), D(2022, 7, 2), 100, 1}; /* 183 d */
    a->periods[1] = (struct specbevis_period){D(2022, 7, 3), D(2027, 7, 2), 100, 0}; /* 1826 d */
    a->nperiods = 2;
    a->bt_certificate = 1;
    signer(&a->main_supervisor, "Anna Handledare", "197001011234", 1);
    signer(&a->head, "Bo Verksamhetschef", "196501011234", 1);
    act(a, SPECBEVIS_ACT_CLINICAL, "Vårdcentral Norr");
    act(a, SPECBEVIS_ACT_COURSE, "Palliativ vård");
    act(a, SPECBEVIS_ACT_SCIENTIFIC, "Uppsats om antibiotika");
    act(a, SPECBEVIS_ACT_QUALITY, "Förbättringsarbete om väntetider");
    snprintf(a->expert, sizeof(a->expert), "Extern Sakkunnig");
    a->review = SPECBEVIS_REVIEW_APPROVE;
    a->reviewed_on = D(2027, 10, 1);
}

static size_t check(const struct specbevis_application *a, struct specbevis_finding *f)
{
    return specbevis_check(a, 1, NULL, NULL, 0, D(2027, 10, 2), f, 16);
}

static void only(const struct specbevis_application *a, const char *msg)
{
    struct specbevis_finding f[16];
    size_t n = check(a, f);
    if (n != 1 || strcmp(f[0].msg, msg) != 0)
        fail_msg("wanted only '%s', got %zu findings, first '%s'", msg, n, n ? f[0].msg : "");
    assert_false(specbevis_complete(f, n));
}

static void test_days(void **state)
{
    (void)state;
    assert_int_equal(specbevis_days_for_months(66), 2009);
    assert_int_equal(specbevis_days_for_months(60), 1827);
    assert_int_equal(specbevis_days_for_months(6), 183);
    assert_int_equal(specbevis_days_for_months(0), 0);
    struct specbevis_application a;
    complete(&a);
    assert_int_equal(specbevis_fulltime_days(&a, 1), 183);
    assert_int_equal(specbevis_fulltime_days(&a, 0), 2009);
    a.periods[1].percent = 50; /* half time counts half */
    assert_int_equal(specbevis_fulltime_days(&a, 0), 183 + 913);
}

static void test_complete(void **state)
{
    (void)state;
    struct specbevis_application a;
    struct specbevis_finding f[16];
    complete(&a);
    assert_int_equal(check(&a, f), 0);
    /* one day short of ST, one day short of BT */
    complete(&a);
    a.periods[1].to = D(2027, 7, 1);
    only(&a, SPECBEVIS_MSG_ST_SHORT);
    complete(&a);
    a.periods[0].to = D(2022, 7, 1);
    a.periods[1].from = D(2022, 7, 2);
    only(&a, SPECBEVIS_MSG_BT_SHORT);
    complete(&a);
    a.bt_certificate = 0;
    only(&a, SPECBEVIS_MSG_BT_CERT);
    complete(&a);
    a.periods[1].percent = 0;
    struct specbevis_finding g[16];
    size_t n = check(&a, g);
    assert_int_equal(n, 2);
    assert_string_equal(g[0].msg, SPECBEVIS_MSG_PERIOD_BAD);
    assert_string_equal(g[1].msg, SPECBEVIS_MSG_ST_SHORT);
    /* signatures */
    complete(&a);
    a.main_supervisor.signed_on = D(0, 0, 0);
    only(&a, SPECBEVIS_MSG_SUPERVISOR);
    complete(&a);
    a.main_supervisor.specialist = 0;
    only(&a, SPECBEVIS_MSG_SUPERVISOR_SPEC);
    complete(&a);
    a.head.name[0] = '\0';
    only(&a, SPECBEVIS_MSG_HEAD);
    /* a head who is not a specialist: three signatures */
    complete(&a);
    a.head.specialist = 0;
    only(&a, SPECBEVIS_MSG_DELEGATE);
    signer(&a.delegate, "Cecilia Specialist", "197501011234", 1);
    assert_int_equal(check(&a, f), 0);
    a.delegate.specialist = 0;
    only(&a, SPECBEVIS_MSG_DELEGATE_SPEC);
    signer(&a.delegate, "Anna Handledare", "197001011234", 1);
    only(&a, SPECBEVIS_MSG_DELEGATE_SAME);
    /* activities: missing, unsigned, auskultation not required */
    complete(&a);
    a.nacts = 3; /* no quality work */
    only(&a, SPECBEVIS_MSG_ACTIVITY);
    n = check(&a, f);
    assert_int_equal(f[0].act, SPECBEVIS_ACT_QUALITY);
    assert_int_equal(f[0].count, 1);
    assert_string_equal(specbevis_activity_label_sv(f[0].act), "Kvalitets- och utvecklingsarbete");
    complete(&a);
    a.acts[0].signer.signed_on = D(0, 0, 0);
    only(&a, SPECBEVIS_MSG_ACTIVITY_SIGN);
    /* the review */
    complete(&a);
    a.review = SPECBEVIS_REVIEW_NONE;
    only(&a, SPECBEVIS_MSG_REVIEW);
    assert_int_equal(specbevis_check(&a, 0, NULL, NULL, 0, D(2027, 10, 2), f, 16), 0);
    a.review = SPECBEVIS_REVIEW_COMPLETE;
    only(&a, SPECBEVIS_MSG_REVIEW_NOT_APPROVED);
    /* no regime: that alone */
    complete(&a);
    a.regime = SPECBEVIS_NONE;
    only(&a, SPECBEVIS_MSG_REGIME);
    /* findings beyond max are counted */
    memset(&a, 0, sizeof(a));
    a.regime = SPECBEVIS_HSLF_2021_8;
    n = specbevis_check(&a, 1, NULL, NULL, 0, D(2027, 10, 2), f, 2);
    assert_true(n > 2);
}

static void test_sosfs(void **state)
{
    (void)state;
    struct specbevis_application a;
    struct specbevis_finding f[16];
    complete(&a);
    a.regime = SPECBEVIS_SOSFS_2015_8;
    a.bt_certificate = 0;
    only(&a, SPECBEVIS_MSG_BT_SOSFS); /* periods marked BT */
    a.periods[0].bt = 0;
    assert_int_equal(check(&a, f), 0);
    /* 1827 days is enough for SOSFS 2015:8 */
    a.periods[0] = (struct specbevis_period){D(2022, 1, 1), D(2026, 12, 31), 100, 0}; /* 1826 */
    a.nperiods = 1;
    only(&a, SPECBEVIS_MSG_ST_SHORT);
    a.periods[0].to = D(2027, 1, 1);
    assert_int_equal(check(&a, f), 0);
    assert_string_equal(specbevis_regime_name(a.regime), "SOSFS 2015:8");
}

static void test_supervisor_training(void **state)
{
    (void)state;
    struct specbevis_application a;
    struct specbevis_finding f[16];
    struct suptrain_rules sr;
    suptrain_rules_default(&sr);
    complete(&a);
    size_t n = specbevis_check(&a, 1, &sr, NULL, 0, D(2027, 10, 2), f, 16);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].msg, SPECBEVIS_MSG_NO_SUPTRAIN);
    assert_int_equal(f[0].blocking, 0);
    assert_true(specbevis_complete(f, n)); /* a notice does not block */
    struct suptrain_record rec;
    memset(&rec, 0, sizeof(rec));
    snprintf(rec.person, sizeof(rec.person), "197001011234");
    rec.completed_on = D(2020, 5, 1);
    rec.recognised_on = D(2020, 6, 1);
    rec.areas = SUPTRAIN_ALL_AREAS;
    assert_int_equal(specbevis_check(&a, 1, &sr, &rec, 1, D(2027, 10, 2), f, 16), 0);
    /* someone else's recognition does not count */
    snprintf(rec.person, sizeof(rec.person), "197001021234");
    assert_int_equal(specbevis_check(&a, 1, &sr, &rec, 1, D(2027, 10, 2), f, 16), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_sosfs),
        cmocka_unit_test(test_supervisor_training),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
