/* main.c - the bidrag command: a table of git-style subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/requisition.h"

static const struct cli_command commands[] = {
    {"init", cmd_init, "create the database with reference data and shipped programs"},
    {"migrate", cmd_migrate, "show the schema state and apply pending migrations"},
    {"orgs", cmd_orgs, "list recipients (kommuner and regioner)"},
    {"population", cmd_population, "import or list population series"},
    {"metric", cmd_metric, "import or list metric series"},
    {"program", cmd_program, "check, load, list and show programs"},
    {"allocate", cmd_allocate, "compute a program's allocation"},
    {"key", cmd_key, "split an amount by weights from a CSV file"},
    {"requisition", cmd_requisition, "requisitions: submit, review, decide, redistribute"},
    {"redistribute", cmd_redistribute, "reallocate what was not requisitioned"},
    {"payment", cmd_payment, "paying out: payments, batches, attestation, bank files"},
    {"ledger", cmd_ledger, "the appropriation ledger: balances, own costs, exports, SIE"},
    {"px", cmd_px, "read PX files (px cat)"},
    {"stats", cmd_stats, "workforce statistics: import, synth, table"},
    {"serve", cmd_serve, "run the web server"},
    {"user", cmd_user, "manage user accounts"},
    {"token", cmd_token, "manage personal API tokens"},
    {"audit", cmd_audit, "verify and list the audit trail"},
    {"outbox", cmd_outbox, "notifications: send the pending e-mail, list them"},
    {"backup", cmd_backup, "copy the database while it runs"},
    {"restore", cmd_restore, "put a checked backup back"},
    {"db", cmd_db, "move an installation to another database (db copy)"},
    {"help", cmd_help, "show the commands"},
};

const struct cli_command *cli_commands(size_t *n)
{
    *n = sizeof(commands) / sizeof(commands[0]);
    return commands;
}

int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    size_t n;
    const struct cli_command *c = cli_commands(&n);
    printf("usage: bidrag [--db URL] [--as LOGIN] COMMAND [ARGS]\n\n"
           "  --db URL     the database (sqlite:FILE or a path; else $BIDRAG_DB, var/bidrag.db)\n"
           "  --as LOGIN   the account to act as (else $BIDRAG_AS, else the operator's)\n\n"
           "commands:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-22s %s\n", c[i].name, c[i].help);
    return 0;
}

/* Options before the command hold for every command: --db URL and --as
 * LOGIN are as $BIDRAG_DB and $BIDRAG_AS (a command's own --db or --as
 * still wins). Returns the index of the command, or -1 after an error. */
static int global_options(int argc, char **argv)
{
    int i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0 && !cli_is_help(argv[i])) {
        const char *name = argv[i];
        const char *var = strcmp(name, "--db") == 0   ? "BIDRAG_DB"
                          : strcmp(name, "--as") == 0 ? "BIDRAG_AS"
                                                      : NULL;
        if (!var) {
            fprintf(stderr, "bidrag: unknown option '%s' (see 'bidrag help')\n", name);
            return -1;
        }
        if (i + 1 >= argc || !argv[i + 1][0]) {
            fprintf(stderr, "bidrag: option '%s' needs a value\n", name);
            return -1;
        }
        if (setenv(var, argv[i + 1], 1) != 0) {
            fprintf(stderr, "bidrag: cannot set '%s'\n", name);
            return -1;
        }
        i += 2;
    }
    return i;
}

int main(int argc, char **argv)
{
    int first = global_options(argc, argv);
    if (first < 0)
        return 2;
    argc -= first - 1;
    argv += first - 1;
    /* the kinds of case, known to every subcommand from the start */
    if (req_service_init() != ERR_OK) {
        fprintf(stderr, "bidrag: cannot register the requisition kind of case\n");
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(argc, argv);
    size_t n;
    const struct cli_command *c = cli_commands(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], c[i].name) == 0)
            return c[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "bidrag: unknown command '%s' (see 'bidrag help')\n", argv[1]);
    return 2;
}

/* LeakSanitizer (the ASan test build): fontconfig keeps its configuration
 * for the life of the process (pango loads it for PDFs and charts); that
 * is not a leak of ours. Unused in normal builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
