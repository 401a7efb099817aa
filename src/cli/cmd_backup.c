/* cmd_backup.c - bidrag backup: a consistent copy of the database, taken
 * while the server runs (SQLite online backup), then checked. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/backup.h"
#include "store/store.h"

int cmd_backup(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *v = NULL, *file = NULL;
    struct store *s = NULL;
    struct stat sb;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: bidrag backup FILE [--db URL]\n\nCopy the database consistently "
                   "to FILE (which must not exist), also while the server runs.\n");
            return 0;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v) {
                fprintf(stderr, "usage: bidrag backup FILE [--db URL]\n");
                return 2;
            }
            db = v;
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            fprintf(stderr, "usage: bidrag backup FILE [--db URL]\n");
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: bidrag backup FILE [--db URL]\n");
        return 2;
    }
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
