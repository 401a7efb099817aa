/* test_orgref.c - the organisation numbers in the reference data: the
 * shipped files load (290 kommuner, 21 regioner, Gotland one number in
 * both roles) and equal the extracts kept with their provenance in
 * data/reference/sources; broken copies are refused with path:line and the subject
 * quoted: a wrong check digit, a personnummer, a missing column or value,
 * a region with a kommun's prefix, a number given twice, Gotland's region
 * with another number than its kommun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../skip.h"
#include "io/orgref.h"
#include "util/buf.h"

static const char *src(void)
{
    const char *s = getenv("BIDRAG_SRC");
    return s ? s : BIDRAG_SOURCE_DIR;
}

static void ref_path(char *out, size_t n, const char *file)
{
    snprintf(out, n, "%s/data/reference/%s", src(), file);
}

static void test_shipped(void **state)
{
    (void)state;
    char k[1200], r[1200];
    ref_path(k, sizeof(k), "kommuner.csv");
    ref_path(r, sizeof(r), "regioner.csv");
    struct orgref_list l;
    struct diag d;
    diag_init(&d, 20);
    enum err e = orgref_load(k, r, &l, &d);
    if (e)
        diag_print(&d, stderr);
    assert_int_equal(e, ERR_OK);
    assert_int_equal(l.n, 311);
    assert_int_equal(l.nkommun, 290);
    assert_int_equal(l.nregion, 21);
    const struct orgref *o = orgref_find(&l, ROLE_KOMMUN, "0180");
    assert_non_null(o);
    assert_string_equal(o->name, "Stockholm");
    assert_string_equal(o->official_name, "Stockholms stad");
    assert_string_equal(o->orgnr, "2120000142");
    assert_string_equal(orgref_find(&l, ROLE_KOMMUN, "1281")->official_name, "Lunds kommun");
    assert_string_equal(orgref_find(&l, ROLE_REGION, "12")->official_name, "Region Skåne");
    o = orgref_find(&l, ROLE_REGION, "01");
    assert_non_null(o);
    assert_string_equal(o->name, "Region Stockholm");
    assert_string_equal(o->orgnr, "2321000016");
    const struct orgref *gk = orgref_find(&l, ROLE_KOMMUN, "0980");
    const struct orgref *gr = orgref_find(&l, ROLE_REGION, "09");
    assert_non_null(gk);
    assert_non_null(gr);
    assert_string_equal(gk->orgnr, ORGNR_GOTLAND);
    assert_string_equal(gr->orgnr, ORGNR_GOTLAND);
    assert_null(orgref_find(&l, ROLE_REGION, "02"));
    assert_null(orgref_find(&l, ROLE_KOMMUN, "01800"));
    for (size_t i = 0; i < l.n; i++)
        assert_true(orgnr_fits_recipient(l.v[i].orgnr, l.v[i].role, l.v[i].code));
    orgref_list_release(&l);
    diag_release(&d);
}

/* The product's numbers are the ones its provenance names: compare every
 * row with the extracts in data/reference/sources (PROVENANCE.md), read
 * here with plain stdio, so an edit to one and not the other fails. */
static void compare(const char *shipped, int code_col, int nr_col, const char *extract,
                    int ecode_col, int enr_col)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/data/reference/sources/%s", src(), extract);
    FILE *fe = fopen(path, "r");
    assert_non_null(fe);
    char want[400][2][16];
    size_t nwant = 0;
    char line[1024];
    assert_non_null(fgets(line, sizeof(line), fe));
    while (fgets(line, sizeof(line), fe) && nwant < 400) {
        char *f[8] = {0};
        int nf = 0;
        char *p = line;
        f[nf++] = p;
        while (*p && nf < 8) {
            if (*p == ',') {
                *p = '\0';
                f[nf++] = p + 1;
            }
            if (*p == '"')
                break; /* quoted sources follow the columns wanted */
            p++;
        }
        snprintf(want[nwant][0], 16, "%.15s", f[ecode_col]);
        snprintf(want[nwant][1], 16, "%.10s", f[enr_col]);
        nwant++;
    }
    fclose(fe);
    ref_path(path, sizeof(path), shipped);
    FILE *fs = fopen(path, "r");
    assert_non_null(fs);
    assert_non_null(fgets(line, sizeof(line), fs));
    size_t n = 0;
    while (fgets(line, sizeof(line), fs)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *f[8] = {0};
        int nf = 0;
        char *p = line;
        f[nf++] = p;
        for (; *p && nf < 8; p++)
            if (*p == ',') {
                *p = '\0';
                f[nf++] = p + 1;
            }
        assert_true(nf > nr_col);
        assert_true(n < nwant);
        assert_string_equal(f[code_col], want[n][0]);
        assert_string_equal(f[nr_col], want[n][1]);
        n++;
    }
    fclose(fs);
    assert_int_equal(n, nwant);
}

static void test_same_as_provenance(void **state)
{
    (void)state;
    compare("kommuner.csv", 0, 4, "orgnr_kommuner_source.csv", 0, 2);
    compare("regioner.csv", 0, 5, "orgnr_regioner_source.csv", 0, 2);
}

/* --- broken copies ---------------------------------------------------- */

static char dir[256];

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/orgref.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char p[400];
    snprintf(p, sizeof(p), "%s/k.csv", dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/r.csv", dir);
    unlink(p);
    rmdir(dir);
    return 0;
}

static const char kommuner[] =
    "kommunkod,kommun,lanskod,lan,orgnr,namn\n"
    "0114,Upplands Väsby,01,Stockholms län,2120000019,Upplands Väsby kommun\n"
    "0180,Stockholm,01,Stockholms län,2120000142,Stockholms stad\n"
    "0980,Gotland,09,Gotlands län,2120000803,Region Gotland\n";
static const char regioner[] = "lanskod,lan,region,antal_kommuner,notering,orgnr\n"
                               "01,Stockholms län,Region Stockholm,2,,2321000016\n"
                               "09,Gotlands län,Region Gotland,1,ett,2120000803\n";

static void put_file(const char *name, const char *text)
{
    char p[400];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Replace the first occurrence of from in text by to. */
static const char *edit(const char *text, const char *from, const char *to)
{
    static char out[4096];
    const char *p = strstr(text, from);
    assert_non_null(p);
    snprintf(out, sizeof(out), "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    return out;
}

static enum err load(const char *k, const char *r, struct diag *d)
{
    put_file("k.csv", k);
    put_file("r.csv", r);
    char kp[400], rp[400];
    snprintf(kp, sizeof(kp), "%s/k.csv", dir);
    snprintf(rp, sizeof(rp), "%s/r.csv", dir);
    struct orgref_list l;
    enum err e = orgref_load(kp, rp, &l, d);
    if (e == ERR_OK) {
        assert_int_equal(l.n, 5);
        orgref_list_release(&l);
    } else {
        assert_null(l.v);
        assert_int_equal(l.n, 0);
    }
    return e;
}

static void expect(const char *k, const char *r, enum err want, const char *file, const char *msg)
{
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(load(k, r, &d), want);
    assert_true(d.n >= 1);
    char full[600];
    snprintf(full, sizeof(full), "%s/%s", dir, file);
    if (!strstr(d.msg[0], full) || !strstr(d.msg[0], msg))
        fail_msg("got '%s', want '%s' and '%s'", d.msg[0], full, msg);
    diag_release(&d);
}

static void test_good_copy(void **state)
{
    (void)state;
    struct diag d;
    diag_init(&d, 10);
    assert_int_equal(load(kommuner, regioner, &d), ERR_OK);
    assert_int_equal(d.total, 0);
    diag_release(&d);
}

static void test_broken_copies(void **state)
{
    (void)state;
    expect(edit(kommuner, "2120000142", "2120000143"), regioner, ERR_INVALID, "k.csv:3:",
           "the organisation number '2120000143' of kommun '0180' has a wrong check digit");
    expect(edit(kommuner, "2120000142", "8112189876"), regioner, ERR_INVALID,
           "k.csv:3:", "of kommun '0180' is not a legal person's number");
    expect(edit(kommuner, "2120000142", "212000-0142"), regioner, ERR_INVALID,
           "k.csv:3:", "'212000-0142' of kommun '0180' is not ten digits");
    expect(edit(kommuner, "2120000142", ""), regioner, ERR_INVALID,
           "k.csv:3:", "the organisation number '' of kommun '0180' is missing");
    expect(edit(kommuner, "2120000142", "2321000016"), regioner, ERR_INVALID,
           "k.csv:3:", "of kommun '0180' does not begin 212000");
    expect(kommuner, edit(regioner, "2321000016", "2120000142"), ERR_INVALID,
           "r.csv:2:", "the organisation number '2120000142' of region '01' does not begin 232100");
    expect(edit(kommuner, "2120000019", "2120000142"), regioner, ERR_INVALID,
           "k.csv:3:", "the organisation number '2120000142' is also given at");
    expect(kommuner, edit(regioner, "1,ett,2120000803", "1,ett,2321000016"), ERR_INVALID,
           "r.csv:3:", "region '09' is its län's only kommun and must have the kommun's");
    expect(edit(kommuner, ",orgnr", ",nummer"), regioner, ERR_PARSE,
           "k.csv:1:", "expected the columns kommunkod, kommun, lanskod, orgnr and namn");
    /* a kommuner.csv from before the official names */
    expect(edit(kommuner, ",orgnr,namn", ",orgnr"), regioner, ERR_PARSE,
           "k.csv:1:", "expected the columns kommunkod, kommun, lanskod, orgnr and namn");
    expect(edit(kommuner, ",Stockholms stad", ","), regioner, ERR_INVALID,
           "k.csv:3:", "the official name (column namn) of kommun '0180' is empty");
    expect(kommuner, edit(regioner, ",orgnr", ""), ERR_PARSE,
           "r.csv:1:", "expected the columns lanskod, region, antal_kommuner and orgnr");
    expect(edit(kommuner, "0114,", "114,"), regioner, ERR_INVALID,
           "k.csv:2:", "'114' is not a kommunkod");
    /* every problem is reported, not only the first */
    struct diag d;
    diag_init(&d, 10);
    char k2[4096], k3[4096];
    snprintf(k2, sizeof(k2), "%s", edit(kommuner, "2120000142", "2120000143"));
    snprintf(k3, sizeof(k3), "%s", edit(k2, "2120000019", "2120000018"));
    assert_int_equal(load(k3, regioner, &d), ERR_INVALID);
    assert_int_equal(d.total, 2);
    diag_release(&d);
    /* a missing file */
    struct orgref_list l;
    diag_init(&d, 10);
    assert_int_not_equal(orgref_load("/nonexistent/k.csv", "/nonexistent/r.csv", &l, &d), ERR_OK);
    assert_true(d.n >= 1);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_same_as_provenance),
        cmocka_unit_test(test_good_copy),
        cmocka_unit_test(test_broken_copies),
    };
    return test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
