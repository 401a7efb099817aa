/* cmd_restore.c - bidrag restore: put a backup back after checking it
 * (integrity check, schema not newer than this build; store_restore).
 * Stop the server first; the current database is kept aside
 * (FILE.before-restore for a database file). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/audit.h"
#include "service/backup.h"
#include "store/store.h"
#include "util/clock.h"

/* The audit trail now ends where the backup's did: a signed checkpoint
 * of event "restore" says so, so that the checkpoints taken since no
 * longer count against it (an older copy put back without this one is
 * what an attacker does). */
static int note_restore(const char *db)
{
    struct store *s = NULL;
    struct audit_report r;
    struct audit_checkpoint c;
    if (store_open(db, STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag restore: %s\n", store_open_error());
        return 1;
    }
    enum err e = audit_checkpoint(s, "restore", clock_from_env(), &c, &r);
    store_close(s);
    if (e == ERR_OK) {
        printf("the audit trail goes on from row %lld (checkpoint 'restore')\n", c.seq);
        return 0;
    }
    if (e == ERR_NOTFOUND) /* no trail or no key: nothing checkpointed to undo */
        return 0;
    fprintf(stderr, "bidrag restore: %s\n", r.msg);
    return 1;
}

static const struct cliopt restore_opts[] = {CLIOPT_DB};
static const struct cliopt_cmd restore_cmd = {
    "restore",
    "FILE",
    1,
    1,
    restore_opts,
    CLIOPT_N(restore_opts),
    "Check the backup FILE and put it in place of the database (stop the server\n"
    "first).\n"};

int cmd_restore(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&restore_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default()), *file = cliopt_arg(&ca, 0);
    char msg[512], keep[4096];
    int applied = 0;
    if (backup_restore(db, file, &applied, keep, sizeof(keep), msg, sizeof(msg)) != ERR_OK) {
        fprintf(stderr, "bidrag restore: %s\n", msg);
        return 1;
    }
    printf("restored '%s' from '%s' (schema %d); the previous database is '%s'\n", db, file,
           applied, keep);
    return note_restore(db);
}
