/* cmd_init.c - bidrag init: create the database with reference data and shipped programs. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_init(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag init: not available yet\n");
    return 2;
}
