/* cmd_token.c - bidrag token: manage personal API tokens. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_token(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag token: not available yet\n");
    return 2;
}
