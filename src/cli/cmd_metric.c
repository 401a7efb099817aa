/* cmd_metric.c - bidrag metric: import or list metric series. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_metric(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag metric: not available yet\n");
    return 2;
}
