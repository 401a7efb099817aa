/* cli_opts.c - option helpers shared by the web-side commands. */
#include "cli/cli_opts.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cliopt_db_default(void)
{
    return cli_db_path(NULL);
}

int cliopt_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cliopt_val(int argc, char **argv, int *i)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    (*i)++;
    return argv[*i];
}

const char *cliopt_actor(char *out, size_t n)
{
    const char *u = getenv("USER");
    if (u && u[0])
        snprintf(out, n, "cli:%s", u);
    else
        snprintf(out, n, "cli");
    return out;
}

int cliopt_read_secret(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return -1;
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return 0;
}
