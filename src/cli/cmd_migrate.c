/* cmd_migrate.c - bidrag migrate: apply pending migrations and show the
 * schema state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/audit.h"
#include "service/reqmove.h"
#include "store/store.h"
#include "util/clock.h"

static const struct cliopt migrate_opts[] = {
    CLIOPT_DB,
    {"--data", NULL, "DIR", 0, NULL,
     "the shipped data, for the organisations' official names (else $BIDRAG_DATA, ./data)"},
};
static const struct cliopt_cmd migrate_cmd = {
    "migrate",
    "",
    0,
    0,
    migrate_opts,
    CLIOPT_N(migrate_opts),
    "Apply pending schema migrations (creating the database if needed) and show the\n"
    "state. A database made before the official names (migration 0063) gets them from\n"
    "data/reference/kommuner.csv and regioner.csv, in one audited change.\n"};

int cmd_migrate(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&migrate_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default());
    struct store *s = NULL;
    int applied = 0, available = 0;
    if (store_open(db, STORE_OPEN_CREATE, &s) != ERR_OK) {
        fprintf(stderr, "bidrag migrate: %s\n", store_open_error());
        return 1;
    }
    struct store_migration *list = NULL;
    size_t n = 0;
    if (store_schema_version(s, &applied, &available) != ERR_OK ||
        store_migration_list(s, &list, &n) != ERR_OK) {
        fprintf(stderr, "bidrag migrate: %s\n", store_errmsg(s));
        store_close(s);
        return 1;
    }
    printf("database: %s\nschema: %d (this build knows up to %d)\n", store_name(s), applied,
           available);
    for (size_t i = 0; i < n; i++)
        printf("  %04d %s %s\n", list[i].number, list[i].name,
               list[i].applied ? "applied" : "pending");
    free(list);
    /* a trail from before audit keys gets its key now */
    struct audit_report r;
    int made = 0;
    char who[160];
    if (audit_key_ensure(s, cliopt_actor(who, sizeof(who)), clock_from_env(), &made, &r) !=
        ERR_OK) {
        fprintf(stderr, "bidrag migrate: %s\n", r.msg[0] ? r.msg : store_errmsg(s));
        store_close(s);
        return 1;
    }
    if (made) {
        struct audit_paths p;
        if (audit_paths_of(s, &p) == ERR_OK)
            printf("audit key: made %s\n", p.key);
    }
    /* requisitions made before the e-service ran on the case engine move
     * onto it (service/reqmove.h) */
    struct req_move_report mv;
    struct svc_result res;
    if (req_move_installation(s, clock_from_env(), &mv, &res) != ERR_OK) {
        char m[512];
        msg_render(&res.msg, cli_lang(LANG_EN), m, sizeof(m));
        fprintf(stderr, "bidrag migrate: %s\n", m[0] ? m : store_errmsg(s));
        store_close(s);
        return 1;
    }
    if (mv.cases)
        printf("requisitions: %zu moved onto the case engine\n", mv.cases);
    int rc = cli_update_names(s, cli_data_dir(cliopt_get(&ca, "--data")), "migrate", 0);
    store_close(s);
    return rc ? rc : applied >= available ? 0 : 1;
}
