/* cmd_init.c - bidrag init: create the database (if absent) with the
 * reference data, the demo metric sets and the shipped programs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/perm.h"
#include "service/audit.h"
#include "service/auth.h"
#include "util/clock.h"
#include "service/programs.h"
#include "service/refdata.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Import every demo metric file data/demo/metric-NAME.csv as metric NAME. */
static int load_metrics(struct store *s, const struct svc_actor *sys, const char *data, int quiet)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/demo", data);
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int rc = 0;
    struct dirent *de;
    for (de = readdir(dp); de; de = readdir(dp)) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        if (strncmp(n, "metric-", 7) != 0 || len < 12 || strcmp(n + len - 4, ".csv") != 0)
            continue;
        char name[64], path[2048];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 11), n + 7);
        snprintf(path, sizeof(path), "%s/%s", dir, n);
        struct import_opts o = {SERIES_METRIC, name, NULL, 1};
        struct series se;
        struct diag d;
        struct svc_result res;
        diag_init(&d, 20);
        if (refdata_import(s, sys, cli_time(), path, &o, &se, &d, &res)) {
            cli_print_diag(&d);
            rc = 1;
        } else {
            if (!quiet)
                printf("  metric %-26s %zu values (illustrative)\n", name, se.n);
            series_release(&se);
        }
        diag_release(&d);
    }
    closedir(dp);
    return rc;
}

static int load_programs(struct store *s, const struct svc_actor *sys, const char *data, int quiet)
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
    for (de = readdir(dp); de && n < 256; de = readdir(dp)) {
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
        struct svc_result res;
        diag_init(&d, 50);
        if (programs_load(s, sys, cli_time(), path, &d, &res)) {
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

/* The demo's decision on stand-in data (issue 11): the shipped programs
 * rest on a fallback population date or illustrative data, and no
 * program opens for requisition on those until an officer confirms them.
 * So that the demo can be requisitioned, init confirms them as the
 * operator's account with the reason "demo" (audited, shown on each
 * program page) and says so; --no-confirm-standin leaves it to an
 * officer. */
static int confirm_standins(struct store *s, int quiet)
{
    struct svc_actor op;
    struct svc_result res;
    struct store_program *ps = NULL;
    size_t n = 0;
    int64_t now = cli_time();
    if (auth_operator_ensure(s, now, &res) != ERR_OK ||
        svc_actor_cli(s, NULL, "", &op, &res) != ERR_OK ||
        programs_list(s, &op, now, &ps, &n, &res) != ERR_OK) {
        char m[512];
        msg_render(&res.msg, LANG_EN, m, sizeof(m));
        fprintf(stderr, "bidrag init: %s\n", m[0] ? m : store_errmsg(s));
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        enum err e = programs_confirm_standin(s, &op, now, ps[i].id, "demo", &res);
        if (e == ERR_OK && !quiet)
            printf("  stand-in data of %s confirmed by the operator (reason: demo)\n", ps[i].id);
        else if (e != ERR_OK && e != ERR_INVALID && e != ERR_CONFLICT) {
            char m[512];
            msg_render(&res.msg, LANG_EN, m, sizeof(m));
            fprintf(stderr, "bidrag init: %s: %s\n", ps[i].id, m[0] ? m : err_str(e));
            rc = 1;
        }
    }
    programs_list_free(ps, n);
    return rc;
}

/* The demo accounts: one per role, the recipient roles for Stockholms
 * stad (0180) and Region Stockholm (01). Their passwords are random and
 * shown once: the block is appended to out, which init prints last;
 * nothing keeps them in clear text. */
static int demo_accounts(struct store *s, const struct svc_actor *sys, struct buf *out,
                         const char *db)
{
    static const struct {
        const char *login, *name, *role, *org;
    } demo[] = {
        {"admin", "Ada Admin", "admin", ""},
        {"handlaggare", "Hanna Handläggare", "handlaggare", ""},
        {"attestant", "Atte Attestant", "attestant", ""},
        {"analytiker", "Anna Analytiker", "analytiker", ""},
        {"granskare", "Greta Granskare", "granskare", ""},
        {"ombud", "Olle Ombud", "ombud", "0180"},
        {"representant", "Rut Representant", "representant", "0180"},
        {"samordnare", "Sam Samordnare", "uppgiftssamordnare", "0180"},
        {"regionombud", "Rita Regionombud", "ombud", "01"},
    };
    int64_t now = clock_from_env();
    buf_printf(out, "\nDemo accounts (the passwords are shown only now):\n");
    for (size_t i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
        /* 16 characters from an alphabet without look-alikes */
        static const char abc[] = "abcdefghjkmnpqrstuvwxyz23456789";
        char pw[20];
        for (int k = 0; k < 16; k++)
            pw[k] = abc[randombytes_uniform(sizeof(abc) - 1)];
        pw[16] = '\0';
        struct svc_result res;
        enum perm_role role;
        svc_result_init(&res);
        if (auth_user_add(s, sys, now, demo[i].login, demo[i].name, pw, &res) ||
            perm_parse(demo[i].role, &role) ||
            auth_user_role(s, sys, now, demo[i].login, role, demo[i].org, 1, &res)) {
            char m[512];
            msg_render(&res.msg, LANG_EN, m, sizeof(m));
            fprintf(stderr, "bidrag init: demo account '%s': %s\n", demo[i].login, m);
            return 1;
        }
        buf_printf(out, "  %-13s %-17s %-20s %s\n", demo[i].login, pw, demo[i].role,
                   demo[i].org[0] ? demo[i].org : "");
    }
    buf_printf(out, "A new password for an account: bidrag user passwd LOGIN --db %s\n", db);
    return 0;
}

/* The audit trail's key, made before anything is recorded when absent
 * (for a database from before keys: its records sealed, its entities
 * recorded as they stand). */
static int audit_key(struct store *s)
{
    struct audit_report r;
    int made = 0;
    if (audit_key_ensure(s, "system", clock_from_env(), &made, &r) != ERR_OK) {
        fprintf(stderr, "bidrag init: %s\n", r.msg[0] ? r.msg : "cannot make the audit key");
        return 1;
    }
    return 0;
}

/* A checkpoint of the head that init left. */
static int audit_seal(struct store *s, int quiet)
{
    struct audit_report r;
    struct audit_paths p;
    struct audit_checkpoint c;
    if (audit_paths_of(s, &p) != ERR_OK)
        return 1;
    if (audit_checkpoint(s, "init", clock_from_env(), &c, &r) != ERR_OK) {
        fprintf(stderr, "bidrag init: %s\n", r.msg);
        return 1;
    }
    if (!quiet)
        printf("  audit key %s, checkpoints in %s\n", p.key, p.checkpoints);
    return 0;
}

int cmd_init(int argc, char **argv)
{
    static const struct cliopt init_opts[] = {
        CLIOPT_DB,
        {"--data", NULL, "DIR", 0, NULL, "the shipped data (else $BIDRAG_DATA, ./data)"},
        {"--quiet", "-q", NULL, 0, NULL, "say nothing on success"},
        {"--no-demo-accounts", NULL, NULL, 0, NULL, "make no demo accounts"},
        {"--no-confirm-standin", NULL, NULL, 0, NULL,
         "leave the shipped programs' stand-in data for an officer to confirm"},
    };
    static const struct cliopt_cmd init_cmd = {
        "init",
        "",
        0,
        0,
        init_opts,
        CLIOPT_N(init_opts),
        "Create the database if absent, with the kommuner and regioner, the SCB\n"
        "population 2024-12-31, the illustrative demo metrics and the programs in\n"
        "DIR/programs, and demo accounts for every role whose passwords it prints\n"
        "once. Running it again reloads the programs. The shipped programs rest on\n"
        "stand-in data (a fallback population date, illustrative tables): so that the\n"
        "demo can be requisitioned, init confirms them as the operator's account with\n"
        "the reason 'demo' (audited, shown on the program pages) unless\n"
        "--no-confirm-standin is given.\n"};
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&init_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_get(&ca, "--db"), *data = cliopt_get(&ca, "--data");
    int quiet = cliopt_flag(&ca, "--quiet"), no_demo = cliopt_flag(&ca, "--no-demo-accounts");
    int no_confirm = cliopt_flag(&ca, "--no-confirm-standin");
    db = cli_db_path(db);
    data = cli_data_dir(data);
    struct store *s = cli_open_store(db, 1);
    if (!s)
        return 1;
    int rc = audit_key(s);
    if (rc) {
        store_close(s);
        return rc;
    }
    struct svc_actor sys;
    struct svc_result res;
    struct org_list orgs = {NULL, 0};
    svc_actor_system(&sys); /* bidrag init is the system's own doing */
    if (auth_init() != ERR_OK || refdata_orgs(s, &sys, cli_time(), &orgs, &res) != ERR_OK) {
        fprintf(stderr, "bidrag init: %s\n", store_errmsg(s));
        store_close(s);
        return 1;
    }
    long long norg = (long long)orgs.n;
    org_list_release(&orgs);
    if (norg == 0) {
        char kp[1024], rp[1024], pp[1024];
        snprintf(kp, sizeof(kp), "%s/reference/kommuner.csv", data);
        snprintf(rp, sizeof(rp), "%s/reference/regioner.csv", data);
        snprintf(pp, sizeof(pp), "%s/reference/folkmangd_kommun_2024-12-31.csv", data);
        struct diag d;
        diag_init(&d, 20);
        if (refdata_load_orgs(s, &sys, cli_time(), kp, rp, &d, &res)) {
            cli_print_diag(&d);
            rc = 1;
        }
        struct import_opts o = {SERIES_POPULATION, "folkmangd", NULL, 0};
        struct series se;
        if (!rc && refdata_import(s, &sys, cli_time(), pp, &o, &se, &d, &res)) {
            cli_print_diag(&d);
            rc = 1;
        } else if (!rc) {
            if (!quiet)
                printf("bidrag: created %s\n  290 kommuner and 21 regioner\n  population "
                       "2024-12-31 (%zu kommuner)\n",
                       db, se.n);
            series_release(&se);
        }
        diag_release(&d);
        if (!rc)
            rc = load_metrics(s, &sys, data, quiet);
        if (!rc)
            rc = load_programs(s, &sys, data, quiet);
        if (!rc && !no_confirm)
            rc = confirm_standins(s, quiet);
        struct buf acc;
        buf_init(&acc, 1 << 16);
        if (!rc && !no_demo)
            rc = demo_accounts(s, &sys, &acc, db);
        if (!rc)
            rc = audit_seal(s, quiet);
        /* the accounts last, in one block */
        if (!rc && !quiet && acc.len)
            fwrite(acc.p, 1, acc.len, stdout);
        buf_release(&acc);
        store_close(s);
        return rc;
    } else if (!quiet) {
        printf("bidrag: %s exists (%lld organisations); loading the programs again\n", db, norg);
    }
    /* a database from before migration 0063 gets the official names */
    rc = cli_update_names(s, data, "init", quiet);
    if (!rc)
        rc = load_programs(s, &sys, data, quiet);
    if (!rc && !no_confirm)
        rc = confirm_standins(s, quiet);
    if (!rc)
        rc = audit_seal(s, quiet);
    store_close(s);
    return rc;
}
