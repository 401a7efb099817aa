/* cli.h - the subcommand table and the helpers every cmd_*.c shares. */
#ifndef BIDRAG_CLI_H
#define BIDRAG_CLI_H

#include <stddef.h>

struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

const struct cli_command *cli_commands(size_t *n);
int cmd_help(int argc, char **argv);
/* One function per subcommand, each in its own cmd_<name>.c. */
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_orgs(int argc, char **argv);
int cmd_population(int argc, char **argv);
int cmd_metric(int argc, char **argv);
int cmd_program(int argc, char **argv);
int cmd_allocate(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_redistribute(int argc, char **argv);
int cmd_payment(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_px(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_requisition(int argc, char **argv);

/* ---- helpers shared by the cmd_*.c files (cli_common.c) ---- */
#include <stdio.h>
#include "service/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"

/* The database path: --db value if given, else $BIDRAG_DB, else var/bidrag.db. */
const char *cli_db_path(const char *opt);
/* The folder of shipped data: --data value, $BIDRAG_DATA, ./data, or the
 * source tree's data/. */
const char *cli_data_dir(const char *opt);
/* Now as ISO 8601 UTC ("2026-11-23T10:00:00Z"); $BIDRAG_NOW overrides it
 * (tests stand on any day). */
const char *cli_now(void);
/* Open the store (existing unless create); prints the reason and returns
 * NULL on failure. */
struct store *cli_open_store(const char *db, int create);
/* Give the organisations of a database made before migration 0063 their
 * official names from data/reference (refdata_update_names, as the
 * system): `bidrag migrate` and `bidrag init` on an existing database.
 * Says how many on stdout unless quiet; 0, or 1 with the problems said. */
int cli_update_names(struct store *s, const char *data, const char *what, int quiet);
/* Print diagnostics to stderr. */
void cli_print_diag(const struct diag *d);
/* Write b to path, or to stdout when path is NULL or "-". 0 on success. */
int cli_write_out(const char *path, const struct buf *b);
/* The account the command acts as (svc.h): as (--as), else $BIDRAG_AS,
 * else the operator's account, acting for org ("" = the agency). 0, or
 * -1 with the reason said on stderr. */
int cli_actor(struct store *s, const char *as, const char *org, struct svc_actor *who);
/* The language for messages to people: LC_ALL, LC_MESSAGES or LANG when
 * it starts with "sv" or "en", else dflt (Swedish for the grant work,
 * English for the operator's commands). */
enum lang cli_lang(enum lang dflt);
/* Say the outcome of a service call: on failure "bidrag WHAT: message" on
 * stderr (the error's name when there is no message), else the message
 * on stdout; then every field message as "  field: message". */
void cli_print_result(const char *what, enum err e, const struct svc_result *res, enum lang l);
/* The time of the command: $BIDRAG_NOW or the system clock. */
int64_t cli_time(void);
/* 1 if arg is -h or --help. */
int cli_is_help(const char *arg);
/* A PROGRAM argument: a path to a program file (it holds a '/' or ends in
 * .ini) or a stored program's id. Only the command line reads program
 * files by path; the web opens stored programs. Caller releases v. */
struct program_view;
ERR_MUST_CHECK enum err cli_open_program(struct store *s, const struct svc_actor *who,
                                         const char *arg, struct program_view *v, struct diag *d,
                                         struct svc_result *res);

#endif
