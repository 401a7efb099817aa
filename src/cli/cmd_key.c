/* cmd_key.c - bidrag key: the officer's everyday "split N kr by these
 * weights", exactly, without a program or a database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/alloc.h"
#include "core/key.h"
#include "io/csv.h"
#include "util/money.h"

static const struct cliopt key_opts[] = {
    {"--total", NULL, "N", CLIOPT_REQUIRED, NULL, "the amount to split, whole kronor"},
    {"--weights", NULL, "FILE.csv", CLIOPT_REQUIRED, NULL, "the weights, header code,weight"},
    {"--fixed", NULL, "N", 0, NULL, "every recipient gets N kronor first"},
    {"--exclude", NULL, "CODE,...", 0, NULL, "recipients left out"},
    {"--format", NULL, "FORMAT", 0, "csv|table", "the output"},
    {"--out", NULL, "FILE", 0, NULL, "write there instead of stdout"},
};

static const struct cliopt_cmd key_cmd = {
    "key",
    "",
    0,
    0,
    key_opts,
    CLIOPT_N(key_opts),
    "FILE.csv has the header code,weight (extra columns ignored); the output CSV\n"
    "has the header code,amount. Amounts in whole kronor; --fixed gives every\n"
    "recipient that amount first and splits the rest by weight.\n"};

int cmd_key(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&key_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *total_s = cliopt_get(&ca, "--total"), *weights = cliopt_get(&ca, "--weights");
    const char *fixed_s = cliopt_get(&ca, "--fixed"), *exclude = cliopt_get(&ca, "--exclude");
    const char *format = cliopt_or(&ca, "--format", "csv"), *out = cliopt_get(&ca, "--out");
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
    struct key_weight *kl = NULL;
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
        key_weight_add(kl, &n, weights, r->line, (size_t)cc < r->n ? r->f[cc] : "",
                       (size_t)wc < r->n ? r->f[wc] : "", &d);
    }
    key_weights_check(kl, n, weights, exclude, &d);
    if (d.total) {
        cli_print_diag(&d);
        rc = 1;
        goto out;
    }
    size_t nrec = 0;
    for (size_t i = 0; i < n; i++) {
        int excluded = kl[i].excluded;
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
