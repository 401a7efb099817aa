/* cmd_restore.c - bidrag restore: put a backup back after checking it
 * (integrity check, schema not newer than this build). Stop the server
 * first; the current database is kept as FILE.before-restore. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "store/store.h"
#include "store/store_auth.h"

int cmd_restore(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *v = NULL, *file = NULL;
    char msg[512], tmp[4096], keep[4096], side[4200];
    struct store *s = NULL;
    struct stat sb;
    int applied = 0, available = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: bidrag restore FILE [--db FILE]\n\nCheck the backup FILE and put it "
                   "in place of the database (stop the server first).\n");
            return 0;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v) {
                fprintf(stderr, "usage: bidrag restore FILE [--db FILE]\n");
                return 2;
            }
            db = v;
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            fprintf(stderr, "usage: bidrag restore FILE [--db FILE]\n");
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: bidrag restore FILE [--db FILE]\n");
        return 2;
    }
    if (store_file_check(file, msg, sizeof(msg)) != ERR_OK) {
        fprintf(stderr, "bidrag restore: %s\n", msg);
        return 1;
    }
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restoring", db) >= sizeof(tmp) ||
        (size_t)snprintf(keep, sizeof(keep), "%s.before-restore", db) >= sizeof(keep)) {
        fprintf(stderr, "bidrag restore: database path too long\n");
        return 1;
    }
    unlink(tmp);
    if (store_file_copy(file, tmp, msg, sizeof(msg)) != ERR_OK) {
        fprintf(stderr, "bidrag restore: %s\n", msg);
        unlink(tmp);
        return 1;
    }
    /* Check the schema before migrating: a backup from a newer build is
     * refused. Opening applies this build's pending migrations. */
    if (store_open(tmp, STORE_OPEN_EXISTING, &s) != ERR_OK ||
        store_schema_version(s, &applied, &available) != ERR_OK) {
        fprintf(stderr, "bidrag restore: '%s' is not a bidrag database\n", file);
        store_close(s);
        unlink(tmp);
        return 1;
    }
    store_close(s);
    if (applied > available) {
        fprintf(stderr, "bidrag restore: '%s' has schema %d, newer than this build (%d)\n", file,
                applied, available);
        unlink(tmp);
        return 1;
    }
    if (stat(db, &sb) == 0) {
        unlink(keep);
        if (rename(db, keep) != 0) {
            fprintf(stderr, "bidrag restore: cannot move '%s' aside\n", db);
            unlink(tmp);
            return 1;
        }
    }
    snprintf(side, sizeof(side), "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db);
    unlink(side);
    snprintf(side, sizeof(side), "%s-wal", tmp);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", tmp);
    unlink(side);
    if (rename(tmp, db) != 0) {
        fprintf(stderr, "bidrag restore: cannot put '%s' in place\n", db);
        return 1;
    }
    printf("restored '%s' from '%s' (schema %d); the previous database is '%s'\n", db, file,
           applied, keep);
    return 0;
}
