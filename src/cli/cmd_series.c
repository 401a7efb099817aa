/* cmd_series.c - bidrag population|metric import|list: series of values
 * per recipient, imported all-or-nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/refdata.h"
#include "util/money.h"
#include "util/str.h"

static void usage(FILE *f, int metric)
{
    if (metric)
        fprintf(f, "usage: bidrag metric import FILE.csv --name NAME [--illustrative] [--db URL]\n"
                   "       bidrag metric list [--db URL]\n"
                   "FILE.csv has the header code,value (whole numbers >= 0 per kommunkod or "
                   "länskod).\n");
    else
        fprintf(f, "usage: bidrag population import FILE [--date YYYY-MM-DD] [--db URL]\n"
                   "       bidrag population list [--db URL]\n"
                   "FILE is an SCB CSV export or PX file (region × population); the reference "
                   "date is\ntaken from the file when it names one, else give --date.\n");
}

static int run(int argc, char **argv, int metric)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},   {"date", required_argument, 0, 'D'},
        {"name", required_argument, 0, 'n'}, {"illustrative", no_argument, 0, 'i'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    const char *db = NULL, *date = NULL, *name = NULL;
    int illustrative = 0, c;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "d:D:n:ih", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'i':
            illustrative = 1;
            break;
        case 'h':
            usage(stdout, metric);
            return 0;
        default:
            usage(stderr, metric);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr, metric);
        return 2;
    }
    const char *sub = argv[optind++];
    int is_import = !strcmp(sub, "import"), is_list = !strcmp(sub, "list");
    if ((!is_import && !is_list) || (is_import && optind != argc - 1) ||
        (is_list && optind != argc)) {
        usage(stderr, metric);
        return 2;
    }
    if (is_import && metric && !name) {
        fprintf(stderr, "bidrag metric import: --name NAME is required\n");
        return 2;
    }
    if (name) {
        for (const char *q = name; *q; q++)
            if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_' || *q == '-')) {
                fprintf(stderr,
                        "bidrag metric import: --name '%s' may only hold a-z, 0-9, '_' "
                        "and '-'\n",
                        name);
                return 2;
            }
        if (strlen(name) >= 60) {
            fprintf(stderr, "bidrag metric import: --name is too long\n");
            return 2;
        }
    }
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    int rc = 0;
    struct svc_actor who;
    struct svc_result res;
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    if (is_import) {
        struct import_opts o = {metric ? SERIES_METRIC : SERIES_POPULATION,
                                metric ? name : "folkmangd", date, illustrative};
        struct series se;
        struct diag d;
        diag_init(&d, 20);
        enum err e = refdata_import(s, &who, cli_time(), argv[optind], &o, &se, &d, &res);
        if (e != ERR_OK) {
            if (d.total)
                cli_print_diag(&d);
            else
                cli_print_result(metric ? "metric import" : "population import", e, &res,
                                 cli_lang(LANG_SV));
            fprintf(stderr, "bidrag: nothing was imported\n");
            rc = 1;
        } else {
            char ds[16];
            date_fmt(ds, sizeof(ds), se.date);
            printf("%s: %zu värden inlästa som %s %s%s%s\n", argv[optind], se.n,
                   metric ? "mått" : "befolkning", se.name, ds[0] ? " per " : "", ds);
            series_release(&se);
        }
        diag_release(&d);
    } else {
        struct store_series_info *info = NULL;
        size_t n = 0;
        enum err e = refdata_series_list(s, &who, cli_time(), &info, &n, &res);
        if (e != ERR_OK) {
            cli_print_result(metric ? "metric list" : "population list", e, &res,
                             cli_lang(LANG_SV));
            rc = 1;
        }
        for (size_t i = 0; i < n; i++) {
            if ((info[i].kind == SERIES_METRIC) != metric)
                continue;
            printf("%-28s %-10s %5lld värden  %s%s  (inläst %s)\n", info[i].name, info[i].date,
                   info[i].count, info[i].source, info[i].illustrative ? "  ILLUSTRATIV" : "",
                   info[i].imported_at);
        }
        free(info);
    }
    store_close(s);
    return rc;
}

int cmd_population(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int cmd_metric(int argc, char **argv)
{
    return run(argc, argv, 1);
}
