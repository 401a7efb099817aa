/* test_i18n.c - catalog lookup, language negotiation, number and date
 * formats, and that every text the pages pass through T() has an English
 * translation (scans the sources in BIDRAG_SRC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>

#include "../skip.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/i18n_catalog.h"

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(i18n_tr(LANG_EN, "Logga in"), "Log in");
    assert_string_equal(i18n_tr(LANG_SV, "Logga in"), "Logga in");
    assert_string_equal(i18n_tr(LANG_EN, "ingen sådan text"), "ingen sådan text");
    assert_string_equal(i18n_tr(LANG_EN, NULL), "");
    /* no duplicate keys */
    for (size_t i = 0; i < i18n_catalog_en_count; i++)
        for (size_t j = i + 1; j < i18n_catalog_en_count; j++)
            assert_true(strcmp(i18n_catalog_en[i].sv, i18n_catalog_en[j].sv) != 0);
}

static void test_negotiate(void **state)
{
    (void)state;
    assert_int_equal(i18n_negotiate(NULL, NULL, NULL), LANG_SV);
    assert_int_equal(i18n_negotiate("en", NULL, NULL), LANG_EN);
    assert_int_equal(i18n_negotiate("sv", "en", "en"), LANG_SV);
    assert_int_equal(i18n_negotiate("xx", "en", NULL), LANG_EN);
    assert_int_equal(i18n_negotiate(NULL, NULL, "en-GB,en;q=0.9"), LANG_EN);
    assert_int_equal(i18n_negotiate(NULL, NULL, "sv-SE,sv;q=0.9,en;q=0.8"), LANG_SV);
    assert_int_equal(i18n_negotiate(NULL, NULL, "de,en;q=0.3,sv;q=0.2"), LANG_EN);
    assert_int_equal(i18n_negotiate(NULL, NULL, "en;q=0,sv"), LANG_SV);
    assert_int_equal(i18n_negotiate(NULL, NULL, "fr"), LANG_SV);
    assert_int_equal(i18n_negotiate(NULL, NULL, "enx,q=;;,,"), LANG_SV);
}

static void test_formats(void **state)
{
    (void)state;
    char out[64];
    i18n_fmt_int(LANG_SV, out, sizeof(out), 1234567);
    assert_string_equal(out, "1\xc2\xa0"
                             "234\xc2\xa0"
                             "567");
    i18n_fmt_int(LANG_EN, out, sizeof(out), -1234567);
    assert_string_equal(out, "-1,234,567");
    i18n_fmt_int(LANG_EN, out, sizeof(out), 999);
    assert_string_equal(out, "999");
    i18n_fmt_int(LANG_EN, out, sizeof(out), INT64_MIN);
    assert_string_equal(out, "-9,223,372,036,854,775,808");
    i18n_fmt_money(LANG_SV, out, sizeof(out), 123456789);
    assert_string_equal(out, "1\xc2\xa0"
                             "234\xc2\xa0"
                             "567,89\xc2\xa0kr");
    i18n_fmt_money(LANG_EN, out, sizeof(out), -50);
    assert_string_equal(out, "SEK -0.50");
    struct date d = {2026, 1, 22};
    i18n_fmt_date(LANG_SV, out, sizeof(out), d);
    assert_string_equal(out, "22 januari 2026");
    i18n_fmt_date(LANG_EN, out, sizeof(out), d);
    assert_string_equal(out, "22 January 2026");
    char tiny[4];
    i18n_fmt_int(LANG_SV, tiny, sizeof(tiny), 1234567);
    assert_true(strlen(tiny) < sizeof(tiny));
}

/* Every T(r, "...") literal in the .c files of src/web must be in the catalog. */
static void scan(const char *path, int *missing)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    assert_int_equal(buf_read_file(&b, path), ERR_OK);
    const char *p = b.p;
    for (p = strstr(p, "T(r, \""); p; p = strstr(p, "T(r, \"")) {
        char text[1024];
        size_t n = 0;
        p += 5;
        /* one or more adjacent string literals */
        while (*p == '"') {
            p++;
            while (*p && *p != '"' && n + 1 < sizeof(text)) {
                if (*p == '\\' && p[1])
                    p++;
                text[n++] = *p++;
            }
            if (*p == '"')
                p++;
            while (*p == ' ' || *p == '\n')
                p++;
        }
        text[n] = '\0';
        int found = 0;
        for (size_t i = 0; i < i18n_catalog_en_count && !found; i++)
            found = strcmp(i18n_catalog_en[i].sv, text) == 0;
        if (!found) {
            fprintf(stderr, "%s: no English for \"%s\"\n", path, text);
            (*missing)++;
        }
    }
    buf_release(&b);
}

static void test_catalog_complete(void **state)
{
    (void)state;
    const char *src = getenv("BIDRAG_SRC");
    if (!src)
        test_skip("BIDRAG_SRC is not set (ctest sets it)");
    /* every .c file of the web layer */
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/src/web", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int missing = 0, files = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        scan(path, &missing);
        files++;
    }
    closedir(d);
    assert_true(files >= 5);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_catalog_complete),
    };
    return test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
