/* cmd_ledger.c - bidrag ledger: a program's appropriation ledger from the
 * command line (service/ledgersvc.h): the balances per item and the
 * bookings, the agency's own costs registered, the ledger as CSV or XLSX
 * and the money's bookings as a SIE 4I file for the finance system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/ledgerfmt.h"
#include "io/pdfdoc.h"
#include "service/ledgersvc.h"
#include "util/civil.h"
#include "util/money.h"
#include "util/str.h"

#define AS_OPT                                                                                     \
    {                                                                                              \
        "--as", NULL, "LOGIN", 0, NULL, "the account to act as (the operator's if left out)"       \
    }

static const char ledger_about[] =
    "The appropriation ledger (docs/payments.md): 'show' prints each appropriation\n"
    "item's balances in öre (allocated, decided, paid, repaid, own cost, available)\n"
    "and, with --bookings, every booking; 'own-cost' books the agency's own costs\n"
    "against the program's own-cost item within its cap; 'export' writes the ledger\n"
    "as CSV or XLSX; 'sie' writes the payments, repayments and own costs as a SIE 4I\n"
    "file for the finance system; 'document' writes the agency's requisition of the\n"
    "funds from Kammarkollegiet or its repayment and financial report as PDF.\n";

static const struct cliopt show_opts[] = {
    {"--bookings", NULL, NULL, 0, NULL, "print the bookings instead of the balances"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt cost_opts[] = {
    {"--text", NULL, "TEXT", CLIOPT_REQUIRED, NULL, "what the cost is (1-200 characters)"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt export_opts[] = {
    {"--out", "-o", "FILE", CLIOPT_REQUIRED, NULL, "where to write (.csv or .xlsx)"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt sie_opts[] = {
    {"--out", "-o", "FILE.si", CLIOPT_REQUIRED, NULL, "where to write the SIE 4I file"},
    {"--orgnr", NULL, "NNNNNN-NNNN", CLIOPT_REQUIRED, NULL, "the agency's organisation number"},
    {"--company", NULL, "TEXT", 0, NULL, "the agency's name (Socialstyrelsen)"},
    {"--grant-account", NULL, "NNNN", 0, NULL, "account of grants paid (7731)"},
    {"--bank-account", NULL, "NNNN", 0, NULL, "account money leaves from (1930)"},
    {"--own-cost-account", NULL, "NNNN", 0, NULL, "account of own costs (5890)"},
    {"--cost-centre", NULL, "ID", 0, NULL, "cost centre, dimension 1 (none)"},
    AS_OPT,
    CLIOPT_DB,
};

static const struct cliopt doc_opts[] = {
    {"--out", "-o", "FILE.pdf", CLIOPT_REQUIRED, NULL, "where to write the PDF"},
    AS_OPT,
    CLIOPT_DB,
};

static const struct cliopt_cmd sub_show = {"ledger show", "PROGRAM",           1,           1,
                                           show_opts,     CLIOPT_N(show_opts), ledger_about};
static const struct cliopt_cmd sub_cost = {"ledger own-cost", "PROGRAM ITEM KRONOR", 3,           3,
                                           cost_opts,         CLIOPT_N(cost_opts),   ledger_about};
static const struct cliopt_cmd sub_export = {"ledger export",       "PROGRAM",   1, 1, export_opts,
                                             CLIOPT_N(export_opts), ledger_about};
static const struct cliopt_cmd sub_sie = {"ledger sie", "PROGRAM",          1,           1,
                                          sie_opts,     CLIOPT_N(sie_opts), ledger_about};
static const struct cliopt_cmd sub_doc = {
    "ledger document", "PROGRAM requisition|report", 2,           2,
    doc_opts,          CLIOPT_N(doc_opts),           ledger_about};
static const struct cliopt_cmd *const ledger_subs[] = {&sub_show, &sub_cost, &sub_export, &sub_sie,
                                                       &sub_doc};

static int done(const char *what, enum err e, const struct svc_result *res)
{
    cli_print_result(what, e, res, cli_lang(LANG_SV));
    return e == ERR_OK ? 0 : 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

static void account(struct sie_account *a, const char *number)
{
    if (number)
        str_copy(a->number, sizeof(a->number), number);
}

static int run(const struct cliopt_cmd *sc, const struct cliopt_args *ca, struct store *s,
               const struct svc_actor *who)
{
    int64_t now = cli_time();
    struct svc_result res;
    enum err e;
    if (sc == &sub_cost) {
        int64_t ore = 0;
        if (money_parse(cliopt_arg(ca, 2), &ore) != ERR_OK || ore == 0) {
            fprintf(stderr,
                    "bidrag ledger own-cost: KRONOR is an amount of kronor other than 0, not "
                    "'%s'\n",
                    cliopt_arg(ca, 2));
            return 2;
        }
        e = ledgersvc_own_cost(s, who, now, cliopt_arg(ca, 0), cliopt_arg(ca, 1), ore,
                               cliopt_get(ca, "--text"), &res);
        if (e == ERR_OK) {
            char m[64];
            money_fmt_ore(m, sizeof(m), ore);
            printf("own cost of %s booked against item %s\n", m, cliopt_arg(ca, 1));
        }
        return done("ledger own-cost", e, &res);
    }
    int kind = -1;
    if (sc == &sub_doc) {
        kind = strcmp(cliopt_arg(ca, 1), "requisition") == 0 ? PDFDOC_KK_REQUISITION
               : strcmp(cliopt_arg(ca, 1), "report") == 0    ? PDFDOC_KK_REPORT
                                                             : -1;
        if (kind < 0) {
            fprintf(stderr,
                    "bidrag ledger document: the document is 'requisition' or 'report', not "
                    "'%s'\n",
                    cliopt_arg(ca, 1));
            return 2;
        }
    }
    struct ledgersvc_view v;
    e = ledgersvc_open(s, who, now, cliopt_arg(ca, 0), &v, &res);
    if (e != ERR_OK) {
        ledgersvc_view_release(&v);
        return done("ledger", e, &res);
    }
    for (size_t i = 0; i < v.nproblems; i++)
        fprintf(stderr, "bidrag ledger: not booked: %s\n", v.problems[i]);
    struct buf out;
    buf_init(&out, 0);
    int rc = 0;
    if (sc == &sub_show) {
        e = cliopt_flag(ca, "--bookings") ? ledgerfmt_bookings_csv(v.b, v.n, &out)
                                          : ledgerfmt_balances_csv(&v.l, v.names, &out);
        if (e == ERR_OK)
            fwrite(out.p, 1, out.len, stdout);
    } else if (sc == &sub_export) {
        const char *path = cliopt_get(ca, "--out");
        if (ends_with(path, ".xlsx")) {
            char made[CIVIL_TIME_LEN];
            civil_fmt(made, sizeof(made), now);
            struct ledgerfmt_head h = {v.program, v.title, v.diarienummer, v.decision, made};
            e = ledgerfmt_xlsx(&h, &v.l, v.names, v.b, v.n, &out);
        } else if (ends_with(path, ".csv")) {
            e = ledgerfmt_balances_csv(&v.l, v.names, &out);
            if (e == ERR_OK)
                e = buf_puts(&out, "\n");
            if (e == ERR_OK)
                e = ledgerfmt_bookings_csv(v.b, v.n, &out);
        } else {
            fprintf(stderr, "bidrag ledger export: '%s' is neither .csv nor .xlsx\n", path);
            rc = 2;
        }
        if (!rc && e == ERR_OK && cli_write_out(path, &out) != 0)
            rc = 1;
    } else if (sc == &sub_doc) {
        struct pdfdoc_kk k = {(enum pdfdoc_kk_kind)kind,
                              v.diarienummer,
                              v.title,
                              v.decision,
                              kind == PDFDOC_KK_REQUISITION ? v.kammarkollegiet_requisition
                                                            : v.final_report,
                              civil_date(now),
                              &v.l,
                              (const char(*)[200])v.names};
        e = pdfdoc_kammarkollegiet(&k, &out);
        if (e == ERR_OK && cli_write_out(cliopt_get(ca, "--out"), &out) != 0)
            rc = 1;
    } else {
        struct sie_settings ss;
        sie_settings_default(&ss);
        str_copy(ss.orgnr, sizeof(ss.orgnr), cliopt_get(ca, "--orgnr"));
        if (cliopt_get(ca, "--company"))
            str_copy(ss.company, sizeof(ss.company), cliopt_get(ca, "--company"));
        account(&ss.grant, cliopt_get(ca, "--grant-account"));
        account(&ss.bank, cliopt_get(ca, "--bank-account"));
        account(&ss.own_cost, cliopt_get(ca, "--own-cost-account"));
        if (cliopt_get(ca, "--cost-centre"))
            str_copy(ss.cost_centre, sizeof(ss.cost_centre), cliopt_get(ca, "--cost-centre"));
        struct diag d;
        diag_init(&d, 50);
        e = ledgerfmt_sie(&ss, v.program, v.b, v.n, civil_date(now), who->login, &out, &d);
        if (e != ERR_OK) {
            diag_print(&d, stderr);
            rc = 1;
        } else if (cli_write_out(cliopt_get(ca, "--out"), &out) != 0) {
            rc = 1;
        }
        diag_release(&d);
    }
    if (e != ERR_OK && !rc) {
        fprintf(stderr, "bidrag ledger: %s\n", err_str(e));
        rc = 1;
    }
    buf_release(&out);
    ledgersvc_view_release(&v);
    return rc;
}

int cmd_ledger(int argc, char **argv)
{
    int ex;
    struct cliopt_args ca;
    const struct cliopt_cmd *sc =
        cliopt_sub("ledger", ledger_subs, CLIOPT_N(ledger_subs), argc, argv, &ex);
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    struct store *s = cli_open_store(cli_db_path(cliopt_get(&ca, "--db")), 0);
    if (!s)
        return 1;
    struct svc_actor who;
    int rc = 1;
    if (cli_actor(s, cliopt_get(&ca, "--as"), "", &who) == 0)
        rc = run(sc, &ca, s, &who);
    store_close(s);
    return rc;
}
