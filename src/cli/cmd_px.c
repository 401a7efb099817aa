/* cmd_px.c - bidrag px: read PX files (px cat). (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_px(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag px: not available yet\n");
    return 2;
}
