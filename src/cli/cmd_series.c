/* cmd_series.c - bidrag population|metric import|list: series of values
 * per recipient, imported all-or-nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/refdata.h"
#include "util/i18n.h"
#include "util/money.h"
#include "util/msg.h"
#include "util/str.h"

static const struct cliopt pop_import_opts[] = {
    {"--date", NULL, "YYYY-MM-DD", 0, NULL, "the reference date when the file names none"},
    {"--only", NULL, "CODE,...", 0, NULL,
     "a table of only these recipients (all kommuner or all länskoder)"},
    CLIOPT_DB,
};
static const struct cliopt metric_import_opts[] = {
    {"--name", NULL, "NAME", CLIOPT_REQUIRED, NULL, "the metric's name (a-z, 0-9, '_', '-')"},
    {"--illustrative", NULL, NULL, 0, NULL, "label the values illustrative wherever shown"},
    CLIOPT_DB,
};
static const struct cliopt list_opts[] = {CLIOPT_DB};

static const struct cliopt_cmd pop_import = {
    "population import",
    "FILE",
    1,
    1,
    pop_import_opts,
    CLIOPT_N(pop_import_opts),
    "FILE is an SCB CSV export or PX file (region × population); the reference date is\n"
    "taken from the file when it names one, else give --date. Every kommun (or every\n"
    "region) must have a value, unless --only names the codes a published table covers:\n"
    "then the file must hold exactly those, nothing is invented for the others, and\n"
    "they are named (a key over the series refuses to allocate on them).\n"};
static const struct cliopt_cmd pop_list = {"population list",   "",  0, 0, list_opts,
                                           CLIOPT_N(list_opts), NULL};
static const struct cliopt_cmd metric_import = {
    "metric import",
    "FILE.csv",
    1,
    1,
    metric_import_opts,
    CLIOPT_N(metric_import_opts),
    "FILE.csv has the header code,value (whole numbers >= 0 per kommunkod or länskod).\n"};
static const struct cliopt_cmd metric_list = {"metric list",       "",  0, 0, list_opts,
                                              CLIOPT_N(list_opts), NULL};
static const struct cliopt_cmd *const pop_subs[] = {&pop_import, &pop_list};
static const struct cliopt_cmd *const metric_subs[] = {&metric_import, &metric_list};

static int run(int argc, char **argv, int metric)
{
    int ex;
    const struct cliopt_cmd *sc =
        metric ? cliopt_sub("metric", metric_subs, CLIOPT_N(metric_subs), argc, argv, &ex)
               : cliopt_sub("population", pop_subs, CLIOPT_N(pop_subs), argc, argv, &ex);
    struct cliopt_args ca;
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    int is_import = sc == &pop_import || sc == &metric_import;
    const char *db = cliopt_get(&ca, "--db");
    const char *date = metric ? NULL : is_import ? cliopt_get(&ca, "--date") : NULL;
    const char *name = sc == &metric_import ? cliopt_get(&ca, "--name") : NULL;
    int illustrative = sc == &metric_import && cliopt_flag(&ca, "--illustrative");
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
        const char *only = sc == &pop_import ? cliopt_get(&ca, "--only") : NULL;
        struct recipient *missing = NULL;
        size_t nmissing = 0;
        enum err e =
            only ? refdata_import_only(s, &who, cli_time(), cliopt_arg(&ca, 0), &o, only, &se,
                                       &missing, &nmissing, &d, &res)
                 : refdata_import(s, &who, cli_time(), cliopt_arg(&ca, 0), &o, &se, &d, &res);
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
            enum lang lg = cli_lang(LANG_SV);
            printf(i18n_tr(lg, N_("%s: %zu värden inlästa som %s %s%s%s\n")), cliopt_arg(&ca, 0),
                   se.n, metric ? i18n_tr(lg, N_("mått")) : i18n_tr(lg, N_("befolkning")), se.name,
                   ds[0] ? i18n_tr(lg, N_(" per ")) : "", ds);
            /* --only: who has no value, by name */
            if (only)
                printf(i18n_tr(lg, N_("%zu mottagare saknar värde i tabellen%s\n")), nmissing,
                       nmissing ? ":" : "");
            for (size_t i = 0; i < nmissing; i++)
                printf("  %s %s\n", missing[i].code, missing[i].name);
            series_release(&se);
        }
        free(missing);
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
            enum lang lg = cli_lang(LANG_SV);
            printf(i18n_tr(lg, N_("%-28s %-10s %5lld värden  %s%s  (inläst %s)\n")), info[i].name,
                   info[i].date, info[i].count, info[i].source,
                   info[i].illustrative ? i18n_tr(lg, N_("  ILLUSTRATIV")) : "",
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
