/* cmd_migrate.c - bidrag migrate: apply pending migrations and show the
 * schema state. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "store/migrations.h"
#include "store/store.h"

int cmd_migrate(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *v = NULL;
    struct store *s = NULL;
    int applied = 0, available = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: bidrag migrate [--db FILE]\n\nApply pending schema migrations "
                   "(creating the database if needed) and show the state.\n");
            return 0;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v) {
                fprintf(stderr, "usage: bidrag migrate [--db FILE]\n");
                return 2;
            }
            db = v;
        } else {
            fprintf(stderr, "usage: bidrag migrate [--db FILE]\n");
            return 2;
        }
    }
    if (store_open(db, STORE_OPEN_CREATE, &s) != ERR_OK) {
        fprintf(stderr, "bidrag migrate: cannot open or migrate database '%s'\n", db);
        return 1;
    }
    if (store_schema_version(s, &applied, &available) != ERR_OK) {
        fprintf(stderr, "bidrag migrate: %s\n", store_errmsg(s));
        store_close(s);
        return 1;
    }
    printf("database: %s\nschema: %d (this build knows up to %d)\n", store_path(s), applied,
           available);
    for (int i = 0; i < store_migrations_count; i++)
        printf("  %04d %s %s\n", store_migrations[i].number, store_migrations[i].name,
               store_migrations[i].number <= applied ? "applied" : "pending");
    store_close(s);
    return applied >= available ? 0 : 1;
}
