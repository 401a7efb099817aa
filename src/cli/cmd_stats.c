/* cmd_stats.c - bidrag stats: workforce statistics: import, synth, table. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_stats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag stats: not available yet\n");
    return 2;
}
