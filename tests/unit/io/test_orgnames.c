/* test_orgnames.c - the official names in the reference data (column
 * `namn` of data/reference/kommuner.csv, written once by
 * tools/official-names; the rule and its sources in
 * data/reference/PROVENANCE.md). Checked independently of that script:
 * the file is read here with plain stdio and compared with names written
 * by hand from the rule's hard cases (every exception, all 14 "stad",
 * vowel endings å/ä/ö/y, names ending in s or x, hyphenated and two-word
 * names, a consonant ending that takes the genitive s), and as a whole:
 * 290 rows, the existing columns first and `namn` last, every name ends
 * in " kommun" or " stad" except Gotland's "Region Gotland", no name twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXROWS 400

struct row {
    char code[8];
    char shortname[64];
    char name[96];
};

static const char *src(void)
{
    const char *s = getenv("BIDRAG_SRC");
    return s ? s : BIDRAG_SOURCE_DIR;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* Read kommunkod (column 1), kommun (column 2) and the last column. */
static size_t read_rows(struct row *rows, size_t max, char *header, size_t hn)
{
    char path[1200], line[512];
    snprintf(path, sizeof(path), "%s/data/reference/kommuner.csv", src());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(header, (int)hn, f));
    header[strcspn(header, "\r\n")] = '\0';
    size_t n = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        assert_true(n < max);
        char *c1 = strchr(line, ',');
        assert_non_null(c1);
        char *c2 = strchr(c1 + 1, ',');
        assert_non_null(c2);
        char *last = strrchr(line, ',');
        *c1 = *c2 = '\0';
        assert_true(strlen(line) < sizeof(rows[n].code));
        assert_true(strlen(c1 + 1) < sizeof(rows[n].shortname));
        assert_true(strlen(last + 1) < sizeof(rows[n].name));
        memcpy(rows[n].code, line, strlen(line) + 1);
        memcpy(rows[n].shortname, c1 + 1, strlen(c1 + 1) + 1);
        memcpy(rows[n].name, last + 1, strlen(last + 1) + 1);
        n++;
    }
    fclose(f);
    return n;
}

static const struct row *find(const struct row *rows, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].code, code) == 0)
            return &rows[i];
    return NULL;
}

/* Written by hand from the rule (PROVENANCE.md), not from the script. */
static const struct {
    const char *code, *shortname, *name;
} hard[] = {
    /* the exceptions */
    {"2080", "Falun", "Falu kommun"},
    {"1421", "Orust", "Orust kommun"},
    {"0880", "Kalmar", "Kalmar kommun"},
    {"0980", "Gotland", "Region Gotland"},
    /* the 14 that call themselves stad */
    {"1490", "Borås", "Borås stad"},
    {"1480", "Göteborg", "Göteborgs stad"},
    {"2583", "Haparanda", "Haparanda stad"},
    {"1283", "Helsingborg", "Helsingborgs stad"},
    {"1282", "Landskrona", "Landskrona stad"},
    {"0186", "Lidingö", "Lidingö stad"},
    {"1280", "Malmö", "Malmö stad"},
    {"1481", "Mölndal", "Mölndals stad"},
    {"0184", "Solna", "Solna stad"},
    {"0180", "Stockholm", "Stockholms stad"},
    {"0183", "Sundbyberg", "Sundbybergs stad"},
    {"1488", "Trollhättan", "Trollhättans stad"},
    {"0187", "Vaxholm", "Vaxholms stad"},
    {"1980", "Västerås", "Västerås stad"},
    /* consonant endings: the genitive s */
    {"1281", "Lund", "Lunds kommun"},
    {"1463", "Mark", "Marks kommun"},
    {"1715", "Kil", "Kils kommun"},
    {"2084", "Avesta", "Avesta kommun"},
    /* vowel endings å, ä, ö, y, e, a: none */
    {"2480", "Umeå", "Umeå kommun"},
    {"1984", "Arboga", "Arboga kommun"},
    {"0120", "Värmdö", "Värmdö kommun"},
    {"0160", "Täby", "Täby kommun"},
    {"1440", "Ale", "Ale kommun"},
    {"2283", "Sollefteå", "Sollefteå kommun"},
    /* s and x endings: none */
    {"1489", "Alingsås", "Alingsås kommun"},
    {"2514", "Kalix", "Kalix kommun"},
    {"2513", "Överkalix", "Överkalix kommun"},
    {"1862", "Degerfors", "Degerfors kommun"},
    /* hyphenated and two-word names */
    {"2023", "Malung-Sälen", "Malung-Sälens kommun"},
    {"1438", "Dals-Ed", "Dals-Eds kommun"},
    {"0139", "Upplands-Bro", "Upplands-Bro kommun"},
    {"0114", "Upplands Väsby", "Upplands Väsby kommun"},
    {"1462", "Lilla Edet", "Lilla Edets kommun"},
    {"1256", "Östra Göinge", "Östra Göinge kommun"},
};

static void test_hard_cases(void **state)
{
    (void)state;
    static struct row rows[MAXROWS];
    char header[512];
    size_t n = read_rows(rows, MAXROWS, header, sizeof(header));
    for (size_t i = 0; i < sizeof(hard) / sizeof(hard[0]); i++) {
        const struct row *r = find(rows, n, hard[i].code);
        if (!r)
            fail_msg("kommunkod %s is not in kommuner.csv", hard[i].code);
        assert_string_equal(r->shortname, hard[i].shortname);
        if (strcmp(r->name, hard[i].name) != 0)
            fail_msg("%s %s: '%s', expected '%s'", hard[i].code, hard[i].shortname, r->name,
                     hard[i].name);
    }
}

static void test_whole_column(void **state)
{
    (void)state;
    static struct row rows[MAXROWS];
    char header[512];
    size_t n = read_rows(rows, MAXROWS, header, sizeof(header));
    /* the existing columns unchanged and in their order, namn last */
    assert_string_equal(header, "kommunkod,kommun,lanskod,lan,orgnr,namn");
    assert_int_equal(n, 290);
    size_t stad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *nm = rows[i].name;
        if (strcmp(rows[i].code, "0980") == 0) {
            assert_string_equal(nm, "Region Gotland");
            continue;
        }
        if (!ends_with(nm, " kommun") && !ends_with(nm, " stad"))
            fail_msg("%s: '%s' ends in neither ' kommun' nor ' stad'", rows[i].code, nm);
        stad += ends_with(nm, " stad");
        /* the official name begins with the short name (its genitive, or
         * Falun's "Falu") */
        size_t sl = strlen(rows[i].shortname);
        if (strcmp(rows[i].code, "2080") != 0 && strncmp(nm, rows[i].shortname, sl) != 0)
            fail_msg("%s: '%s' does not begin with '%s'", rows[i].code, nm, rows[i].shortname);
        for (size_t j = 0; j < i; j++)
            if (strcmp(rows[j].name, nm) == 0)
                fail_msg("'%s' twice (%s and %s)", nm, rows[j].code, rows[i].code);
    }
    assert_int_equal(stad, 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hard_cases),
        cmocka_unit_test(test_whole_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
