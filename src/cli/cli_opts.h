/* cli_opts.h - option helpers shared by the web-side commands (serve,
 * user, token, audit, migrate, backup, restore). */
#ifndef BIDRAG_CLI_OPTS_H
#define BIDRAG_CLI_OPTS_H

#include <stddef.h>

/* The database path: BIDRAG_DB if set, else var/bidrag.db. */
const char *cliopt_db_default(void);
/* If argv[*i] is `name VALUE` or `name=VALUE`, set *val, advance *i past
 * it and return 1; return -1 if the value is missing, 0 if no match. */
int cliopt_value(int argc, char **argv, int *i, const char *name, const char **val);
/* The actor named in the audit trail for command-line changes:
 * "cli:$USER" (or "cli"). */
const char *cliopt_actor(char *out, size_t n);
/* Read one line (the password) from stdin without its newline; 0 on
 * success. */
int cliopt_read_secret(char *out, size_t n);

#endif
