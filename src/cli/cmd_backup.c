/* cmd_backup.c - bidrag backup: copy the database while it runs. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_backup(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag backup: not available yet\n");
    return 2;
}
