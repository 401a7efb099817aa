/* cmd_redistribute.c - bidrag redistribute: reallocate what was not
 * requisitioned in a block among the recipients that opted in, exactly,
 * by the block's key restricted to them. Until the e-service holds the
 * requisitions, they come from a CSV file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/csv.h"
#include "service/programs.h"
#include "util/money.h"
#include "util/str.h"

static const struct cliopt redistribute_opts[] = {
    {"--block", NULL, "ID", 0, NULL, "the block to compute (with --requisitions)"},
    {"--requisitions", NULL, "FILE.csv", 0, NULL,
     "the requisitions, header code,requisitioned,opt_in"},
    {"--format", NULL, "FORMAT", 0, "csv|table", "the output of a computation from a file (csv)"},
    {"--as", NULL, "LOGIN", 0, NULL, "the account to act as"},
    CLIOPT_DB,
};

static const struct cliopt_cmd redistribute_cmd = {
    "redistribute",
    "PROGRAM",
    1,
    1,
    redistribute_opts,
    CLIOPT_N(redistribute_opts),
    "Without --requisitions: run the redistribution of the program's requisitions\n"
    "in the database as supplementary decisions (after its redistribution date;\n"
    "running it again changes nothing), as 'bidrag requisition redistribute'.\n"
    "With --block and --requisitions: compute a block's redistribution from a file,\n"
    "storing nothing. FILE.csv has the header code,requisitioned,opt_in (kronor; opt_in 1\n"
    "or 0); recipients not in the file requisitioned nothing.\n"};

int cmd_redistribute(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&redistribute_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *block = cliopt_get(&ca, "--block"), *reqs = cliopt_get(&ca, "--requisitions");
    const char *format = cliopt_or(&ca, "--format", "csv"), *db = cliopt_get(&ca, "--db");
    if (!block && !reqs) {
        /* the database run of the e-service: "requisition redistribute"
         * with every argument passed on */
        char **args = calloc((size_t)argc + 2, sizeof(*args));
        if (!args) {
            fprintf(stderr, "bidrag redistribute: out of memory\n");
            return 1;
        }
        int n = 0;
        args[n++] = "requisition";
        args[n++] = "redistribute";
        for (int i = 1; i < argc; i++)
            args[n++] = argv[i];
        args[n] = NULL;
        int rc = cmd_requisition(n, args);
        free(args);
        return rc;
    }
    if (!block || !reqs) {
        fprintf(stderr, "bidrag redistribute: --block and --requisitions go together (see 'bidrag "
                        "redistribute --help')\n");
        return 2;
    }
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    struct program_view v;
    struct diag d;
    diag_init(&d, 50);
    struct csv_table t;
    memset(&t, 0, sizeof(t));
    int64_t *req = NULL, *extra = NULL;
    int *opt = NULL;
    struct buf b;
    buf_init(&b, 1 << 24);
    int rc = 1;
    struct svc_actor who;
    struct svc_result res;
    memset(&v, 0, sizeof(v));
    if (cli_actor(s, cliopt_get(&ca, "--as"), "", &who) != 0)
        goto out;
    enum err oe = cli_open_program(s, &who, cliopt_arg(&ca, 0), &v, &d, &res);
    if (oe != ERR_OK) {
        if (d.total)
            cli_print_diag(&d);
        else
            cli_print_result("redistribute", oe, &res, cli_lang(LANG_SV));
        goto out;
    }
    const struct block_result *br = NULL;
    for (size_t i = 0; i < v.alloc.nblocks; i++)
        if (!strcmp(v.alloc.blocks[i].b->id, block))
            br = &v.alloc.blocks[i];
    if (!br) {
        fprintf(stderr, "bidrag redistribute: program '%s' has no block '%s'\n", v.prog.id, block);
        goto out;
    }
    if (csv_read_file(reqs, &t, &d)) {
        cli_print_diag(&d);
        goto out;
    }
    int cc = csv_col(&t, "code"), rcol = csv_col(&t, "requisitioned"), oc = csv_col(&t, "opt_in");
    if (cc < 0 || rcol < 0 || oc < 0) {
        fprintf(stderr, "%s:1: expected the header code,requisitioned,opt_in\n", reqs);
        goto out;
    }
    req = calloc(br->n, sizeof(*req));
    extra = calloc(br->n, sizeof(*extra));
    opt = calloc(br->n, sizeof(*opt));
    unsigned char *seen = calloc(br->n, 1);
    if (!req || !extra || !opt || !seen) {
        free(seen);
        goto out;
    }
    for (size_t i = 0; i < t.nrows; i++) {
        const struct csv_row *r = &t.rows[i];
        const char *code = (size_t)cc < r->n ? r->f[cc] : "";
        const char *rq = (size_t)rcol < r->n ? r->f[rcol] : "";
        const char *op = (size_t)oc < r->n ? r->f[oc] : "";
        const struct alloc_line *l = key_line(br, code);
        if (!l) {
            diag_add(&d, reqs, r->line, "'%s' is not a recipient in block '%s'", code, block);
            continue;
        }
        size_t k = (size_t)(l - br->lines);
        int64_t amt = 0;
        if (money_parse_kr(rq, &amt) || amt < 0 || strstr(rq, "kr")) {
            diag_add(&d, reqs, r->line, "requisitioned '%s' is not a whole number of kronor", rq);
            continue;
        }
        if (amt > l->amount_kr) {
            char m[32];
            money_fmt_kr(m, sizeof(m), l->amount_kr);
            diag_add(&d, reqs, r->line, "'%s' requisitioned more than its amount (%s kr)", code, m);
            continue;
        }
        if (strcmp(op, "0") && strcmp(op, "1")) {
            diag_add(&d, reqs, r->line, "opt_in '%s' must be 1 or 0", op);
            continue;
        }
        if (seen[k]) {
            diag_add(&d, reqs, r->line, "'%s' appears twice", code);
            continue;
        }
        seen[k] = 1;
        req[k] = amt;
        opt[k] = op[0] == '1';
    }
    free(seen);
    if (d.total) {
        cli_print_diag(&d);
        goto out;
    }
    int64_t done = 0, left = 0;
    if (key_redistribute(br, req, opt, extra, &done, &left)) {
        fprintf(stderr, "bidrag redistribute: cannot redistribute\n");
        goto out;
    }
    int table = !strcmp(format, "table");
    if (table)
        buf_printf(&b, "%-5s %-28s %15s %15s %7s %13s %15s\n", "Kod", "Mottagare", "Belopp",
                   "Rekvirerat", "Önskar", "Tillägg", "Slutligt");
    else
        buf_puts(&b, "code,amount,requisitioned,opt_in,supplement,final\n");
    for (size_t i = 0; i < br->n; i++) {
        const struct alloc_line *l = &br->lines[i];
        if (table) {
            char a1[32], a2[32], a3[32], a4[32];
            money_fmt_kr(a1, sizeof(a1), l->amount_kr);
            money_fmt_kr(a2, sizeof(a2), req[i]);
            money_fmt_kr(a3, sizeof(a3), extra[i]);
            money_fmt_kr(a4, sizeof(a4), req[i] + extra[i]);
            char nm[160];
            buf_printf(&b, "%-5s %s %15s %15s %6s %13s %15s\n", l->r.code,
                       str_pad(nm, sizeof(nm), l->r.name, 28, 0), a1, a2, opt[i] ? "ja" : "nej", a3,
                       a4);
        } else {
            buf_printf(&b, "%s,%lld,%lld,%d,%lld,%lld\n", l->r.code, (long long)l->amount_kr,
                       (long long)req[i], opt[i], (long long)extra[i],
                       (long long)(req[i] + extra[i]));
        }
    }
    char a[32], r2[32];
    money_fmt_kr(a, sizeof(a), done);
    money_fmt_kr(r2, sizeof(r2), left);
    fprintf(stderr, "omfördelat: %s kr; kvar utan mottagare: %s kr\n", a, r2);
    rc = b.failed || cli_write_out(NULL, &b) ? 1 : 0;
out:
    buf_release(&b);
    free(req);
    free(extra);
    free(opt);
    csv_table_release(&t);
    diag_release(&d);
    program_view_release(&v);
    store_close(s);
    return rc;
}
