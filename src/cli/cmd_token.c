/* cmd_token.c - bidrag token: personal API tokens (create, list, revoke).
 * The secret is printed once; only its hash is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/auth.h"
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
    struct svc_actor by;
    struct svc_result res;
    enum lang lang = cli_lang(LANG_EN);
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
    if (cli_actor(s, NULL, "", &by) != 0)
        goto out;
    if (strcmp(pos[0], "create") == 0 && npos == 2) {
        char tok[AUTH_TOKEN_LEN];
        if (!name) {
            fprintf(stderr, "bidrag token create: --name is required\n");
            rc = 2;
            goto out;
        }
        enum err e = auth_token_create(s, &by, now, pos[1], name, org, tok, &res);
        if (e != ERR_OK) {
            cli_print_result("token create", e, &res, lang);
            goto out;
        }
        printf("%s\n", tok);
        rc = 0;
    } else if (strcmp(pos[0], "list") == 0) {
        struct auth_token_info *t = NULL;
        size_t n = 0;
        enum err e = auth_token_list(s, &by, now, npos == 2 ? pos[1] : NULL, &t, &n, &res);
        if (e != ERR_OK) {
            cli_print_result("token list", e, &res, lang);
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s%s\n", t[i].t.id, t[i].login, t[i].t.name,
                   t[i].t.org[0] ? t[i].t.org : "-", t[i].t.created_at,
                   t[i].t.revoked ? "\trevoked" : "");
        free(t);
        rc = 0;
    } else if (strcmp(pos[0], "revoke") == 0 && npos == 2) {
        int64_t id;
        if (str_parse_i64(pos[1], &id) != ERR_OK) {
            fprintf(stderr, "bidrag token revoke: '%s' is not a token id\n", pos[1]);
            rc = 2;
            goto out;
        }
        enum err e = auth_token_revoke(s, &by, now, (long long)id, &res);
        if (e != ERR_OK) {
            cli_print_result("token revoke", e, &res, lang);
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
