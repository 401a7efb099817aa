/* cmd_serve.c - bidrag serve: run the web server. (not built yet) */
#include <stdio.h>

#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "bidrag serve: not available yet\n");
    return 2;
}
