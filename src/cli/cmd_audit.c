/* cmd_audit.c - bidrag audit: verify and list the audit trail. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_audit(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag audit: not available yet\n");
    return 2;
}
