/* cmd_allocate.c - bidrag allocate: compute a program's allocation. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_allocate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag allocate: not available yet\n");
    return 2;
}
