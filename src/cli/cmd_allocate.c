/* cmd_allocate.c - bidrag allocate: a program's allocation as a table,
 * CSV, JSON or XLSX, or the explanation of one recipient's amount. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/allocfmt.h"
#include "service/programs.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: bidrag allocate PROGRAM [--format table|csv|json|xlsx] [--out FILE]\n"
               "                       [--explain CODE] [--db URL]\n"
               "PROGRAM is a stored program id (bidrag program list) or a program file.\n");
}

int cmd_allocate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'},  {"out", required_argument, 0, 'o'},
        {"explain", required_argument, 0, 'e'}, {"db", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    const char *format = "table", *out = NULL, *explain = NULL, *db = NULL;
    int c;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "f:o:e:d:h", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'e':
            explain = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    int is_xlsx = strcmp(format, "xlsx") == 0;
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json") && !is_xlsx) {
        fprintf(stderr, "bidrag allocate: unknown format '%s' (table, csv, json, xlsx)\n", format);
        return 2;
    }
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
    enum err oe = cli_open_program(s, &who, argv[optind], &v, &d, &res);
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
