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

static const char token_about[] =
    "subcommands:\n"
    "  bidrag token create LOGIN --name NAME [--org CODE] [--db URL]\n"
    "  bidrag token list [LOGIN] [--db URL]\n"
    "  bidrag token revoke ID [--db URL]\n"
    "\n"
    "create prints the token once; send it as 'Authorization: Bearer TOKEN'.\n"
    "--org makes the token act for that organisation (recipient roles).\n";

static const struct cliopt token_opts[] = {
    {"--name", NULL, "NAME", 0, NULL, "the token's name (create)"},
    {"--org", NULL, "CODE", 0, NULL, "act for that organisation (create)"},
    CLIOPT_DB,
};
static const struct cliopt_cmd token_cmd = {
    "token", "create|list|revoke [LOGIN|ID]", 1, 2, token_opts, CLIOPT_N(token_opts), token_about};

int cmd_token(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&token_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default()), *name = cliopt_get(&ca, "--name");
    const char *org = cliopt_or(&ca, "--org", "");
    const char *pos[2] = {cliopt_arg(&ca, 0), cliopt_arg(&ca, 1)};
    int npos = (int)cliopt_nargs(&ca), rc = 1;
    struct store *s = NULL;
    struct svc_actor by;
    struct svc_result res;
    enum lang lang = cli_lang(LANG_EN);
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
    cliopt_help(&token_cmd, stderr);
    return 2;
}
