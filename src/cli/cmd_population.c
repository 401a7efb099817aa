/* cmd_population.c - bidrag population: import or list population series. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_population(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag population: not available yet\n");
    return 2;
}
