/* cmd_key.c - bidrag key: the officer's everyday "split N kr by these
 * weights", exactly, without a program or a database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "io/csv.h"
#include "io/valfile.h"
#include "util/money.h"
#include "util/str.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: bidrag key --total N --weights FILE.csv [--fixed N] [--exclude CODE,...]\n"
               "                  [--format csv|table] [--out FILE]\n"
               "FILE.csv has the header code,weight (extra columns ignored); the output CSV\n"
               "has the header code,amount. Amounts in whole kronor; --fixed gives every\n"
               "recipient that amount first and splits the rest by weight.\n");
}

struct kline {
    char code[16];
    int64_t weight;
    long line;
};

static int cmp_kline(const void *a, const void *b)
{
    return strcmp(((const struct kline *)a)->code, ((const struct kline *)b)->code);
}

int cmd_key(int argc, char **argv)
{
    static const struct option opts[] = {
        {"total", required_argument, 0, 't'},  {"weights", required_argument, 0, 'w'},
        {"fixed", required_argument, 0, 'F'},  {"exclude", required_argument, 0, 'x'},
        {"format", required_argument, 0, 'f'}, {"out", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *total_s = NULL, *weights = NULL, *fixed_s = NULL, *exclude = NULL;
    const char *format = "csv", *out = NULL;
    int c;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "t:w:F:x:f:o:h", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 't':
            total_s = optarg;
            break;
        case 'w':
            weights = optarg;
            break;
        case 'F':
            fixed_s = optarg;
            break;
        case 'x':
            exclude = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!total_s || !weights || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(format, "csv") && strcmp(format, "table")) {
        fprintf(stderr, "bidrag key: unknown format '%s' (csv, table)\n", format);
        return 2;
    }
    int64_t total = 0, fixed = 0;
    if (money_parse_kr(total_s, &total) || total < 0) {
        fprintf(stderr, "bidrag key: --total '%s' is not a whole number of kronor\n", total_s);
        return 2;
    }
    if (fixed_s && (money_parse_kr(fixed_s, &fixed) || fixed < 0)) {
        fprintf(stderr, "bidrag key: --fixed '%s' is not a whole number of kronor\n", fixed_s);
        return 2;
    }
    struct csv_table t;
    struct diag d;
    diag_init(&d, 20);
    int rc = 0;
    struct kline *kl = NULL;
    struct alloc_item *items = NULL;
    struct buf b;
    buf_init(&b, (size_t)1 << 28);
    if (csv_read_file(weights, &t, &d)) {
        cli_print_diag(&d);
        diag_release(&d);
        return 1;
    }
    int cc = csv_col(&t, "code"), wc = csv_col(&t, "weight");
    if (cc < 0 || wc < 0) {
        fprintf(stderr, "%s:1: expected the header code,weight\n", weights);
        rc = 1;
        goto out;
    }
    kl = calloc(t.nrows ? t.nrows : 1, sizeof(*kl));
    items = calloc(t.nrows ? t.nrows : 1, sizeof(*items));
    if (!kl || !items) {
        rc = 1;
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < t.nrows; i++) {
        const struct csv_row *r = &t.rows[i];
        const char *code = (size_t)cc < r->n ? r->f[cc] : "";
        const char *w = (size_t)wc < r->n ? r->f[wc] : "";
        if (!code[0] || str_copy(kl[n].code, sizeof(kl[n].code), code)) {
            diag_add(&d, weights, r->line, "code '%s' is empty or longer than 15 bytes", code);
            continue;
        }
        if (money_parse_kr(w, &kl[n].weight) || kl[n].weight < 0 || strstr(w, "kr")) {
            diag_add(&d, weights, r->line, "weight '%s' for '%s' is not a whole number >= 0", w,
                     code);
            continue;
        }
        kl[n].line = r->line;
        n++;
    }
    qsort(kl, n, sizeof(*kl), cmp_kline);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(kl[i].code, kl[i - 1].code))
            diag_add(&d, weights, kl[i].line, "'%s' appears twice (also on line %ld)", kl[i].code,
                     kl[i - 1].line);
    if (n == 0)
        diag_add(&d, weights, 0, "the file holds no weights");
    /* exclusions */
    char ex[4096] = "";
    if (exclude && str_copy(ex, sizeof(ex), exclude)) {
        fprintf(stderr, "bidrag key: --exclude is too long\n");
        rc = 2;
        goto out;
    }
    size_t nexcl = 0;
    for (char *p = ex; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *code = str_trim(p);
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(kl[i].code, code)) {
                items[i].eligible = -1; /* mark */
                found = 1;
            }
        if (!found)
            diag_add(&d, NULL, 0, "--exclude: '%s' is not in %s", code, weights);
        nexcl++;
        p = comma ? comma + 1 : NULL;
    }
    if (d.total) {
        cli_print_diag(&d);
        rc = 1;
        goto out;
    }
    size_t nrec = 0;
    for (size_t i = 0; i < n; i++) {
        int excluded = items[i].eligible == -1;
        items[i].eligible = !excluded;
        items[i].weight = kl[i].weight;
        nrec += !excluded;
    }
    enum err e = alloc_split_fixed(total, fixed, items, n, NULL);
    if (e == ERR_CONFLICT) {
        fprintf(stderr,
                "bidrag key: the fixed part %s × %zu recipients is larger than the total %s\n",
                fixed_s, nrec, total_s);
        rc = 1;
        goto out;
    }
    if (e) {
        fprintf(stderr, "bidrag key: %s\n",
                e == ERR_LIMIT ? "the weights are too large (their sum overflows)"
                               : "no recipient has a weight above 0");
        rc = 1;
        goto out;
    }
    int table = !strcmp(format, "table");
    if (table)
        buf_printf(&b, "%-8s %20s\n", "Kod", "Belopp (kr)");
    else
        buf_puts(&b, "code,amount\n");
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i].eligible)
            continue;
        int64_t amt = fixed + items[i].share;
        sum += amt;
        if (table) {
            char a[32];
            money_fmt_kr(a, sizeof(a), amt);
            buf_printf(&b, "%-8s %20s\n", kl[i].code, a);
        } else {
            csv_put_field(&b, kl[i].code);
            buf_printf(&b, ",%lld\n", (long long)amt);
        }
    }
    if (table) {
        char a[32];
        money_fmt_kr(a, sizeof(a), sum);
        buf_printf(&b, "%-8s %20s\n", "Summa", a);
    }
    if (b.failed || cli_write_out(out, &b))
        rc = 1;
out:
    buf_release(&b);
    free(kl);
    free(items);
    csv_table_release(&t);
    diag_release(&d);
    return rc;
}
