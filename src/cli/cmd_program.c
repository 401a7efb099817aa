/* cmd_program.c - bidrag program: check, load, list and show programs. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_program(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag program: not available yet\n");
    return 2;
}
