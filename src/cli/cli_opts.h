/* cli_opts.h - option helpers shared by the web-side commands (serve,
 * user, token, audit, migrate, backup, restore). */
#ifndef BIDRAG_CLI_OPTS_H
#define BIDRAG_CLI_OPTS_H

#include <stddef.h>

/* The database path: BIDRAG_DB if set, else var/bidrag.db. */
const char *cliopt_db_default(void);
/* 1 if arg is the option `name`, alone or as "name=VALUE". */
int cliopt_is(const char *arg, const char *name);
/* The value of the option at argv[*i]: after its '=', or the next
 * argument (then *i advances past it); NULL when missing. */
const char *cliopt_val(int argc, char **argv, int *i);
/* The actor named in the audit trail for command-line changes:
 * "cli:$USER" (or "cli"). */
const char *cliopt_actor(char *out, size_t n);
/* Read one line (the password) from stdin without its newline; 0 on
 * success. */
int cliopt_read_secret(char *out, size_t n);

#endif
