/* cmd_redistribute.c - bidrag redistribute: reallocate what was not requisitioned. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_redistribute(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag redistribute: not available yet\n");
    return 2;
}
