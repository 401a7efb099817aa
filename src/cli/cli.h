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

#endif
