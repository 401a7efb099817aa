/* test_progview.c - the kept program views (programs_view) are never
 * stale: after each change an allocation depends on (a program reloaded,
 * a population series imported, a metric imported) the next call shows
 * the new numbers at once, and what it shows - the view and the bytes
 * kept with it - is byte for byte a fresh computation's
 * (programs_get). Unchanged, the same view is handed out again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "io/allocfmt.h"
#include "service/programs.h"
#include "service/refdata.h"

static char dir[256], dbpath[300], prog[320], pop[320], met[320];
static struct store *s;
static struct svc_actor sys;
static struct svc_result res;
static const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void load_program(long long total)
{
    char text[600];
    snprintf(text, sizeof(text),
             "[program]\nid = vy\ntitle = Vy\ndiarienummer = S1\ntotal = %lld\n"
             "[block 1]\nrecipients = regioner\namount = %lld\nkey = population\n"
             "population_date = 2024-12-31\n"
             "[block 2]\nrecipients = regioner\namount = 1000\nkey = metric\nmetric = vikt\n",
             total + 1000, total);
    write_file(prog, text);
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(programs_load(s, &sys, T0, prog, &d, &res), ERR_OK);
    diag_release(&d);
}

/* A value per region (the codes of data/reference/regioner.csv): Stockholm's
 * (01) is stockholm, every other region's other. */
static void write_regions(const char *path, long long stockholm, long long other)
{
    char k[512];
    const char *src = getenv("BIDRAG_SRC");
    snprintf(k, sizeof(k), "%s/data/reference/regioner.csv", src ? src : BIDRAG_SOURCE_DIR);
    FILE *in = fopen(k, "r");
    assert_non_null(in);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fprintf(out, "code,value\n");
    char line[512];
    int first = 1, n = 0;
    while (fgets(line, sizeof(line), in)) {
        size_t len = strcspn(line, ",");
        if (first || len == 0 || len >= 8) {
            first = 0;
            continue;
        }
        line[len] = '\0';
        fprintf(out, "%s,%lld\n", line, strcmp(line, "01") == 0 ? stockholm : other);
        n++;
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(n, 21);
}

static void import(const char *path, const struct import_opts *o)
{
    struct series sr;
    struct diag d;
    diag_init(&d, 20);
    enum err e = refdata_import(s, &sys, T0, path, o, &sr, &d, &res);
    if (e != ERR_OK)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    series_release(&sr);
    diag_release(&d);
}

/* Population of the regioner: Stockholm's is stockholm, every other 1000. */
static void import_population(long long stockholm)
{
    struct import_opts o = {SERIES_POPULATION, "folkmangd", "2024-12-31", 0};
    write_regions(pop, stockholm, 1000);
    import(pop, &o);
}

/* The metric vikt: Stockholm's is stockholm, every other region's 10. */
static void import_metric(long long stockholm)
{
    struct import_opts o = {SERIES_METRIC, "vikt", NULL, 0};
    write_regions(met, stockholm, 10);
    import(met, &o);
}

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    char k[512], r[512];
    if (!src)
        src = BIDRAG_SOURCE_DIR;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-progview-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    snprintf(prog, sizeof(prog), "%s/vy.ini", dir);
    snprintf(pop, sizeof(pop), "%s/pop.csv", dir);
    snprintf(met, sizeof(met), "%s/vikt.csv", dir);
    if (store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    svc_actor_system(&sys);
    struct diag d;
    diag_init(&d, 20);
    snprintf(k, sizeof(k), "%s/data/reference/kommuner.csv", src);
    snprintf(r, sizeof(r), "%s/data/reference/regioner.csv", src);
    int rc = refdata_load_orgs(s, &sys, T0, k, r, &d, &res) != ERR_OK;
    diag_release(&d);
    if (!rc)
        rc = programs_cache_init(s) != ERR_OK;
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    programs_cache_clear();
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void json_of(void *ctx, const struct program_view *v, struct buf *out)
{
    (void)ctx;
    if (allocfmt_json(&v->alloc, out) != ERR_OK)
        out->failed = 1;
}

/* The kept view's JSON (as the view and as its memo) equals a fresh
 * computation's; returns the kept view (the caller releases it). */
static struct programs_shared *check_current(struct buf *fresh)
{
    struct program_view v;
    buf_reset(fresh);
    assert_int_equal(programs_get(s, "vy", &v, NULL), ERR_OK);
    assert_int_equal(allocfmt_json(&v.alloc, fresh), ERR_OK);
    program_view_release(&v);

    struct programs_shared *ps = NULL;
    int found = 0;
    assert_int_equal(programs_view(s, &sys, T0, "vy", &ps, &found, &res), ERR_OK);
    assert_true(found);
    assert_true(programs_shared_gen(ps) > 0); /* kept, not made for this call alone */
    struct buf kept;
    buf_init(&kept, 1 << 24);
    assert_int_equal(allocfmt_json(&programs_shared_view(ps)->alloc, &kept), ERR_OK);
    assert_int_equal(kept.len, fresh->len);
    assert_memory_equal(kept.p, fresh->p, fresh->len);
    buf_release(&kept);
    const char *bytes;
    size_t len;
    assert_int_equal(programs_shared_memo(ps, "json", json_of, NULL, &bytes, &len), ERR_OK);
    assert_int_equal(len, fresh->len);
    assert_memory_equal(bytes, fresh->p, len);
    return ps;
}

/* The amount of Stockholm's region in block b of the kept view. */
static int64_t stockholm_amount(const struct programs_shared *ps, size_t b)
{
    const struct allocation *a = &programs_shared_view(ps)->alloc;
    const struct block_result *br = &a->blocks[b];
    for (size_t i = 0; i < br->n; i++)
        if (strcmp(br->lines[i].r.code, "01") == 0)
            return br->lines[i].amount_kr;
    fail_msg("no line for region 01 in block %zu", b);
    return -1;
}

static void test_never_stale(void **state)
{
    (void)state;
    struct buf fresh;
    buf_init(&fresh, 1 << 24);
    import_population(21000);
    import_metric(800);
    load_program(41000);
    struct programs_shared *a = check_current(&fresh);
    /* 21 regioner: Stockholm 21000 of 41000 people, the rest 1000 each */
    assert_int_equal(stockholm_amount(a, 0), 21000);
    assert_int_equal(stockholm_amount(a, 1), 800); /* 800 of 1000 */
    /* nothing changed: the same view again */
    struct programs_shared *again = check_current(&fresh);
    assert_ptr_equal(a, again);
    programs_shared_release(again);

    /* the program reloaded with another amount */
    load_program(82000);
    struct programs_shared *b = check_current(&fresh);
    assert_ptr_not_equal(a, b);
    assert_int_equal(stockholm_amount(b, 0), 42000);
    programs_shared_release(a); /* the old view outlives its replacement while in use */

    /* a population series imported anew */
    import_population(62000); /* 62000 of 82000 people */
    struct programs_shared *c = check_current(&fresh);
    assert_ptr_not_equal(b, c);
    assert_int_equal(stockholm_amount(c, 0), 62000);
    programs_shared_release(b);

    /* a metric imported anew */
    import_metric(200);
    struct programs_shared *d = check_current(&fresh);
    assert_ptr_not_equal(c, d);
    assert_int_equal(stockholm_amount(d, 1), 500); /* 200 of 400 */
    programs_shared_release(c);
    programs_shared_release(d);
    buf_release(&fresh);
}

/* Stockholm's amount in block b of a view. */
static int64_t amount_01(const struct program_view *v, size_t b)
{
    const struct block_result *br = &v->alloc.blocks[b];
    for (size_t i = 0; i < br->n; i++)
        if (strcmp(br->lines[i].r.code, "01") == 0)
            return br->lines[i].amount_kr;
    fail_msg("no line for region 01 in block %zu", b);
    return -1;
}

/* The requisitions' copy of the kept view (programs_get_kept): the kept
 * view itself, not computed again; a copy taken before a change is told
 * stale by programs_view_current inside a later transaction, and the next
 * copy has the change. */
static void test_kept_copy(void **state)
{
    (void)state;
    struct program_view v1, v2, v3;
    struct svc_call c;
    import_population(21000);
    import_metric(800);
    load_program(41000);
    assert_int_equal(programs_get_kept(s, "vy", &v1, NULL), ERR_OK);
    assert_non_null(v1.kept);
    assert_true(v1.gen > 0);
    assert_int_equal(amount_01(&v1, 0), 21000);
    assert_int_equal(programs_get_kept(s, "vy", &v2, NULL), ERR_OK);
    assert_ptr_equal(v1.kept, v2.kept); /* nothing computed again */
    assert_ptr_equal(v1.alloc.blocks, v2.alloc.blocks);
    assert_int_equal(v1.gen, v2.gen);
    program_view_release(&v2); /* gives back its reference, not the view */
    assert_int_equal(amount_01(&v1, 0), 21000);

    /* unchanged: current inside a transaction */
    assert_int_equal(svc_begin(&c, s, &sys, ACT_PROGRAM_LOAD, T0, &res), ERR_OK);
    assert_int_equal(svc_write(&c), ERR_OK);
    assert_int_equal(programs_view_current(&c, &v1, "01"), ERR_OK);
    svc_rollback(&c);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);

    /* another program loaded: the generation moves on, but vy's text and
     * region 01's maximum are what they were: still current */
    char other[400];
    snprintf(other, sizeof(other), "%s/annat.ini", dir);
    write_file(other, "[program]\nid = annat\ntitle = Annat\ndiarienummer = S2\ntotal = 5000\n"
                      "[block 1]\nrecipients = regioner\namount = 5000\nkey = population\n"
                      "population_date = 2024-12-31\n");
    struct diag d;
    diag_init(&d, 20);
    assert_int_equal(programs_load(s, &sys, T0, other, &d, &res), ERR_OK);
    diag_release(&d);
    assert_int_equal(svc_begin(&c, s, &sys, ACT_PROGRAM_LOAD, T0, &res), ERR_OK);
    assert_int_equal(svc_write(&c), ERR_OK);
    assert_int_equal(programs_view_current(&c, &v1, "01"), ERR_OK);
    svc_rollback(&c);
    assert_int_equal(svc_end(&c, ERR_OK), ERR_OK);

    /* the program reloaded with other amounts in between: v1 is stale,
     * and said so */
    load_program(82000);
    assert_int_equal(svc_begin(&c, s, &sys, ACT_PROGRAM_LOAD, T0, &res), ERR_OK);
    assert_int_equal(svc_write(&c), ERR_OK);
    assert_int_equal(programs_view_current(&c, &v1, "01"), ERR_LIMIT);
    assert_false(msg_empty(&res.msg));
    svc_rollback(&c);
    assert_int_equal(svc_end(&c, ERR_LIMIT), ERR_LIMIT);
    assert_int_equal(programs_get_kept(s, "vy", &v3, NULL), ERR_OK);
    assert_true(v3.gen > v1.gen);
    assert_int_equal(amount_01(&v3, 0), 42000);
    assert_int_equal(amount_01(&v1, 0), 21000); /* the old copy stays whole while held */
    program_view_release(&v1);
    program_view_release(&v3);
    /* an unknown program: as programs_get */
    assert_int_equal(programs_get_kept(s, "finns-inte", &v1, NULL), ERR_NOTFOUND);
    program_view_release(&v1);
}

/* An unknown program: not found, nothing kept. */
static void test_unknown_program(void **state)
{
    (void)state;
    struct programs_shared *ps = NULL;
    int found = 1;
    assert_int_equal(programs_view(s, &sys, T0, "finns-inte", &ps, &found, &res), ERR_NOTFOUND);
    assert_null(ps);
    assert_false(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_never_stale),
        cmocka_unit_test(test_unknown_program),
        cmocka_unit_test(test_kept_copy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
