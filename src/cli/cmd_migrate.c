/* cmd_migrate.c - bidrag migrate: show the schema state and apply pending migrations. (not built
 * yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_migrate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag migrate: not available yet\n");
    return 2;
}
