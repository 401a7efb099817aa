/* cmd_key.c - bidrag key: split an amount by weights from a CSV file. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_key(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag key: not available yet\n");
    return 2;
}
