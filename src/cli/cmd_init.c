/* cmd_init.c - bidrag init: create the database (if absent) with the
 * reference data, the demo metric sets and the shipped programs. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/programs.h"
#include "service/refdata.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Import every demo metric file data/demo/metric-NAME.csv as metric NAME. */
static int load_metrics(struct store *s, const char *data, int quiet)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/demo", data);
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        if (strncmp(n, "metric-", 7) != 0 || len < 12 || strcmp(n + len - 4, ".csv") != 0)
            continue;
        char name[64], path[2048];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 11), n + 7);
        snprintf(path, sizeof(path), "%s/%s", dir, n);
        struct import_opts o = {SERIES_METRIC, name, NULL, 1, cli_now()};
        struct series se;
        struct diag d;
        diag_init(&d, 20);
        if (refdata_import(s, path, &o, &se, &d)) {
            cli_print_diag(&d);
            rc = 1;
        } else {
            if (!quiet)
                printf("  mått %-28s %zu värden (illustrativa)\n", name, se.n);
            series_release(&se);
        }
        diag_release(&d);
    }
    closedir(dp);
    return rc;
}

static int load_programs(struct store *s, const char *data, int quiet)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/programs", data);
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "bidrag init: no folder '%s'\n", dir);
        return 1;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && n < 256) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".ini") == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof(char *), cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        struct diag d;
        diag_init(&d, 50);
        if (programs_load(s, path, cli_now(), &d)) {
            cli_print_diag(&d);
            rc = 1;
        } else if (!quiet) {
            printf("  program %s\n", names[i]);
        }
        diag_release(&d);
        free(names[i]);
    }
    return rc;
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"data", required_argument, 0, 'D'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *data = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:D:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'D':
            data = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            printf("usage: bidrag init [--db FILE] [--data DIR] [--quiet]\n"
                   "Create the database if absent, with the kommuner and regioner, the SCB\n"
                   "population 2024-12-31, the illustrative demo metrics and the programs in\n"
                   "DIR/programs. Running it again reloads the programs.\n");
            return 0;
        default:
            return 2;
        }
    }
    db = cli_db_path(db);
    data = cli_data_dir(data);
    struct store *s = cli_open_store(db, 1);
    if (!s)
        return 1;
    int rc = 0;
    long long norg = 0;
    if (store_org_count(s, &norg)) {
        fprintf(stderr, "bidrag init: %s\n", store_errmsg(s));
        store_close(s);
        return 1;
    }
    if (norg == 0) {
        char kp[1024], rp[1024], pp[1024];
        snprintf(kp, sizeof(kp), "%s/reference/kommuner.csv", data);
        snprintf(rp, sizeof(rp), "%s/reference/regioner.csv", data);
        snprintf(pp, sizeof(pp), "%s/reference/folkmangd_kommun_2024-12-31.csv", data);
        struct diag d;
        diag_init(&d, 20);
        if (refdata_load_orgs(s, kp, rp, &d)) {
            cli_print_diag(&d);
            rc = 1;
        }
        struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0, cli_now()};
        struct series se;
        if (!rc && refdata_import(s, pp, &o, &se, &d)) {
            cli_print_diag(&d);
            rc = 1;
        } else if (!rc) {
            if (!quiet)
                printf("bidrag: skapade %s\n  290 kommuner och 21 regioner\n  befolkning "
                       "2024-12-31 (%zu kommuner)\n",
                       db, se.n);
            series_release(&se);
        }
        diag_release(&d);
        if (!rc)
            rc = load_metrics(s, data, quiet);
    } else if (!quiet) {
        printf("bidrag: %s finns redan (%lld organisationer); läser in programmen igen\n", db,
               norg);
    }
    if (!rc)
        rc = load_programs(s, data, quiet);
    store_close(s);
    return rc;
}
