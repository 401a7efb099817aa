/* cmd_allocate.c - bidrag allocate: a program's allocation as a table,
 * CSV, JSON or XLSX, or the explanation of one recipient's amount. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/allocfmt.h"
#include "service/programs.h"

static const struct cliopt allocate_opts[] = {
    {"--format", NULL, "FORMAT", 0, "table|csv|json|xlsx", "the output (table)"},
    {"--out", NULL, "FILE", 0, NULL, "write there instead of stdout (xlsx needs it)"},
    {"--explain", NULL, "CODE", 0, NULL, "explain one recipient's amount"},
    CLIOPT_DB,
};

static const struct cliopt_cmd allocate_cmd = {
    "allocate",
    "PROGRAM",
    1,
    1,
    allocate_opts,
    CLIOPT_N(allocate_opts),
    "PROGRAM is a stored program id (bidrag program list) or a program file.\n"};

int cmd_allocate(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&allocate_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *format = cliopt_or(&ca, "--format", "table"), *out = cliopt_get(&ca, "--out");
    const char *explain = cliopt_get(&ca, "--explain"), *db = cliopt_get(&ca, "--db");
    int is_xlsx = strcmp(format, "xlsx") == 0;
    if (is_xlsx && !out) {
        fprintf(stderr, "bidrag allocate: --format xlsx needs --out FILE.xlsx\n");
        return 2;
    }
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    struct program_view v;
    struct diag d;
    diag_init(&d, 100);
    struct buf b;
    buf_init(&b, (size_t)1 << 28);
    int rc = 0;
    struct svc_actor who;
    struct svc_result res;
    memset(&v, 0, sizeof(v));
    if (cli_actor(s, NULL, "", &who) != 0) {
        rc = 1;
        goto out;
    }
    enum err oe = cli_open_program(s, &who, cliopt_arg(&ca, 0), &v, &d, &res);
    if (oe != ERR_OK) {
        if (d.total)
            cli_print_diag(&d);
        else
            cli_print_result("allocate", oe, &res, cli_lang(LANG_SV));
        rc = 1;
        goto out;
    }
    enum err e;
    if (explain) {
        e = allocfmt_explain(&v.alloc, explain, &b);
        if (e == ERR_NOTFOUND) {
            fprintf(stderr, "bidrag allocate: '%s' is not a recipient in program '%s'\n", explain,
                    v.prog.id);
            rc = 1;
            goto out;
        }
    } else if (is_xlsx) {
        e = allocfmt_xlsx(&v.alloc, out);
        if (e) {
            fprintf(stderr, "bidrag allocate: cannot write '%s'\n", out);
            rc = 1;
        }
        goto out;
    } else if (!strcmp(format, "csv")) {
        e = allocfmt_csv(&v.alloc, &b);
    } else if (!strcmp(format, "json")) {
        e = allocfmt_json(&v.alloc, &b);
    } else {
        e = allocfmt_table(&v.alloc, &b);
    }
    if (e) {
        fprintf(stderr, "bidrag allocate: %s\n", err_str(e));
        rc = 1;
    } else if (cli_write_out(out, &b)) {
        rc = 1;
    }
out:
    buf_release(&b);
    diag_release(&d);
    program_view_release(&v);
    store_close(s);
    return rc;
}
