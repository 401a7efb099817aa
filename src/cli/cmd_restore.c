/* cmd_restore.c - bidrag restore: put a checked backup back. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_restore(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag restore: not available yet\n");
    return 2;
}
