/* cmd_user.c - bidrag user: manage user accounts. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag user: not available yet\n");
    return 2;
}
