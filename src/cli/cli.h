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
int cmd_px(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
