/* cmd_backup.c - bidrag backup: a consistent copy of the database, taken
 * while the server runs (SQLite online backup), then checked. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/backup.h"
#include "store/store.h"

static const struct cliopt backup_opts[] = {CLIOPT_DB};
static const struct cliopt_cmd backup_cmd = {
    "backup",
    "FILE",
    1,
    1,
    backup_opts,
    CLIOPT_N(backup_opts),
    "Copy the database consistently to FILE (which must not exist), also while the\n"
    "server runs.\n"};

int cmd_backup(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&backup_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default()), *file = cliopt_arg(&ca, 0);
    struct store *s = NULL;
    struct stat sb;
    if (stat(file, &sb) == 0) {
        fprintf(stderr, "bidrag backup: '%s' exists already\n", file);
        return 1;
    }
    if (store_open(db, STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag backup: %s\n", store_open_error());
        return 1;
    }
    struct svc_actor who;
    struct svc_result res;
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    enum err e = backup_take(s, &who, cli_time(), file, &res);
    char name[512];
    snprintf(name, sizeof(name), "%s", store_name(s));
    store_close(s);
    if (e != ERR_OK) {
        cli_print_result("backup", e, &res, cli_lang(LANG_EN));
        return 1;
    }
    printf("backed up '%s' to '%s'\n", name, file);
    return 0;
}
