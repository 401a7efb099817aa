/* cmd_token.c - bidrag token: personal API tokens (create, list, revoke).
 * The secret is printed once; only its hash is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/auth.h"
#include "store/store_auth.h"
#include "util/clock.h"
#include "util/str.h"

static const char usage[] =
    "usage: bidrag token create LOGIN --name NAME [--org CODE] [--db URL]\n"
    "       bidrag token list [LOGIN] [--db URL]\n"
    "       bidrag token revoke ID [--db URL]\n"
    "\n"
    "create prints the token once; send it as 'Authorization: Bearer TOKEN'.\n"
    "--org makes the token act for that organisation (recipient roles).\n";

int cmd_token(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *name = NULL, *org = "", *v = NULL;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc = 1;
    struct store *s = NULL;
    char actor[160], msg[256];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto usage;
            db = v;
        } else if (cliopt_is(argv[i], "--name")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto usage;
            name = v;
        } else if (cliopt_is(argv[i], "--org")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto usage;
            org = v;
        } else if (argv[i][0] == '-' || npos == 2) {
            fprintf(stderr, "bidrag token: unexpected '%s'\n", argv[i]);
            goto usage;
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos == 0)
        goto usage;
    if (auth_init() != ERR_OK) {
        fprintf(stderr, "bidrag token: cannot initialise libsodium\n");
        return 1;
    }
    if (store_open(db, STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag token: %s\n", store_open_error());
        return 1;
    }
    int64_t now = clock_from_env();
    struct auth_actor by = {cliopt_actor(actor, sizeof(actor)), ""};
    if (strcmp(pos[0], "create") == 0 && npos == 2) {
        char tok[AUTH_TOKEN_LEN];
        if (!name) {
            fprintf(stderr, "bidrag token create: --name is required\n");
            rc = 2;
            goto out;
        }
        if (auth_token_create(s, &by, pos[1], name, org, now, tok, msg, sizeof(msg)) != ERR_OK) {
            fprintf(stderr, "bidrag token create: %s\n", msg);
            goto out;
        }
        printf("%s\n", tok);
        rc = 0;
    } else if (strcmp(pos[0], "list") == 0) {
        struct store_token *t = NULL;
        size_t n = 0;
        long long account = -1;
        if (npos == 2) {
            struct store_account a;
            if (store_account_get(s, pos[1], &a) != ERR_OK) {
                fprintf(stderr, "bidrag token list: no user '%s'\n", pos[1]);
                goto out;
            }
            account = a.id;
        }
        if (store_token_list(s, account, &t, &n) != ERR_OK) {
            fprintf(stderr, "bidrag token list: %s\n", store_errmsg(s));
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            struct store_account a;
            if (store_account_get_id(s, t[i].account_id, &a) != ERR_OK)
                str_copy(a.login, sizeof(a.login), "?");
            printf("%lld\t%s\t%s\t%s\t%s%s\n", t[i].id, a.login, t[i].name,
                   t[i].org[0] ? t[i].org : "-", t[i].created_at, t[i].revoked ? "\trevoked" : "");
        }
        free(t);
        rc = 0;
    } else if (strcmp(pos[0], "revoke") == 0 && npos == 2) {
        int64_t id;
        if (str_parse_i64(pos[1], &id) != ERR_OK) {
            fprintf(stderr, "bidrag token revoke: '%s' is not a token id\n", pos[1]);
            rc = 2;
            goto out;
        }
        enum err e = auth_token_revoke(s, &by, (long long)id, -1, now);
        if (e != ERR_OK) {
            fprintf(stderr, "bidrag token revoke: %s\n",
                    e == ERR_NOTFOUND ? "no such token" : store_errmsg(s));
            goto out;
        }
        printf("revoked token %lld\n", (long long)id);
        rc = 0;
    } else {
        store_close(s);
        goto usage;
    }
out:
    store_close(s);
    return rc;
usage:
    fputs(usage, stderr);
    return 2;
}
