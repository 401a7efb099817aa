/* cmd_orgs.c - bidrag orgs: list recipients (kommuner and regioner). (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_orgs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag orgs: not available yet\n");
    return 2;
}
