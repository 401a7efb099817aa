/* cli_opts.h - the one option parser of the command line: every command
 * (and every subcommand) declares its options once in a table - name,
 * value, required or optional, repeatable, the allowed values, help -
 * and the parser reads argv against it, refuses unknown options, missing
 * values and wrong argument counts with a message naming the command's
 * --help, and writes that --help from the same table. Nothing is copied
 * out of argv: the getters read it again, so no argument is ever dropped
 * for want of room. */
#ifndef BIDRAG_CLI_OPTS_H
#define BIDRAG_CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

enum {
    CLIOPT_REQUIRED = 1, /* the command refuses to run without it */
    CLIOPT_REPEAT = 2    /* every value is kept (cliopt_count, cliopt_nth); given
                          * again, another option's last value counts */
};

struct cliopt {
    const char *name;    /* "--total" */
    const char *alias;   /* a short form ("-o"), or NULL */
    const char *arg;     /* the value's name in the help ("N"); NULL: a flag */
    unsigned flags;      /* CLIOPT_REQUIRED, CLIOPT_REPEAT */
    const char *choices; /* the allowed values, "csv|table", or NULL */
    const char *help;
};

struct cliopt_cmd {
    const char *name;     /* as typed after "bidrag": "key", "requisition approve" */
    const char *synopsis; /* the positional arguments: "PROGRAM CODE", "" */
    int min_args;         /* positional arguments at least */
    int max_args;         /* at most; -1: any number */
    const struct cliopt *opts;
    size_t nopts;
    const char *about; /* what the command does and its files, or NULL */
};

/* A parsed command line: argv itself, checked against cmd. */
struct cliopt_args {
    const struct cliopt_cmd *cmd;
    int argc;
    char **argv;
};

#define CLIOPT_N(a) (sizeof(a) / sizeof((a)[0]))
/* The --db option most commands take. */
#define CLIOPT_DB                                                                                  \
    {                                                                                              \
        "--db", NULL, "URL", 0, NULL,                                                              \
            "the database (else --db before the command, $BIDRAG_DB, var/bidrag.db)"               \
    }

/* Check argv[1..argc-1] (argv[0] is the command's word) against cmd. 1:
 * go on with *a; 0: return *exit_code (0 after --help was printed on
 * stdout, 2 after the reason and "see 'bidrag NAME --help'" on stderr). */
int cliopt_parse(const struct cliopt_cmd *cmd, int argc, char **argv, struct cliopt_args *a,
                 int *exit_code);
/* The last value of option name (which must be in the table), or NULL. */
const char *cliopt_get(const struct cliopt_args *a, const char *name);
/* As cliopt_get, or dflt when the option is not given. */
const char *cliopt_or(const struct cliopt_args *a, const char *name, const char *dflt);
/* 1 if the option (a flag or one with a value) is given. */
int cliopt_flag(const struct cliopt_args *a, const char *name);
/* How many times a repeatable option is given, and its i-th value. */
size_t cliopt_count(const struct cliopt_args *a, const char *name);
const char *cliopt_nth(const struct cliopt_args *a, const char *name, size_t i);
/* The positional arguments. */
size_t cliopt_nargs(const struct cliopt_args *a);
const char *cliopt_arg(const struct cliopt_args *a, size_t i);
/* The help of cmd, generated from its table, to f. */
void cliopt_help(const struct cliopt_cmd *cmd, FILE *f);
/* One usage line of cmd ("bidrag key --total N [--fixed N] ..."). */
void cliopt_usage_line(const struct cliopt_cmd *cmd, FILE *f);
/* A command made of subcommands (bidrag requisition approve ...): the one
 * argv[1] names, or NULL with *exit_code set after the group's help (no
 * subcommand, --help) or an unknown subcommand named on stderr. */
const struct cliopt_cmd *cliopt_sub(const char *group, const struct cliopt_cmd *const *subs,
                                    size_t n, int argc, char **argv, int *exit_code);

/* The database path: BIDRAG_DB if set, else var/bidrag.db. */
const char *cliopt_db_default(void);
/* The actor named in the audit trail for command-line changes:
 * "cli:$USER" (or "cli"). */
const char *cliopt_actor(char *out, size_t n);
/* Read one line (the password) from stdin without its newline; 0 on
 * success. */
int cliopt_read_secret(char *out, size_t n);

#endif
