/* cmd_user.c - bidrag user: add accounts, set passwords, grant and revoke
 * roles, list accounts, as the account the command acts as (an
 * administrator: the operator's unless --as or $BIDRAG_AS says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/perm.h"
#include "service/auth.h"
#include "util/clock.h"

static const char user_about[] =
    "subcommands:\n"
    "  bidrag user add LOGIN --name NAME [--sso] [--db URL]\n"
    "  bidrag user passwd LOGIN [--db URL]\n"
    "  bidrag user role LOGIN ROLE [--org CODE] [--remove] [--db URL]\n"
    "  bidrag user disable|enable LOGIN [--db URL]\n"
    "  bidrag user list [--db URL]\n"
    "\n"
    "add and passwd read the password from the first line of standard input;\n"
    "--sso makes an account without a password (single sign-on only; LOGIN is\n"
    "the personal identity the proxy sends).\n"
    "roles: admin, handlaggare, attestant, analytiker, granskare (agency), and\n"
    "ombud, representant, uppgiftssamordnare (with --org: kommun code 4 digits or\n"
    "region code 2 digits).\n";

static int list(struct store *s, const struct svc_actor *who, int64_t now)
{
    struct auth_user *u = NULL;
    size_t n = 0;
    struct svc_result res;
    enum err e = auth_user_list(s, who, now, &u, &n, &res);
    if (e != ERR_OK) {
        cli_print_result("user", e, &res, cli_lang(LANG_EN));
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct store_account *a = &u[i].account;
        const char *kind = !a->pwhash[0]                          ? "sso"
                           : strcmp(a->pwhash, SVC_NO_LOGIN) == 0 ? "operator"
                                                                  : "password";
        printf("%s\t%s\t%s%s\t", a->login, a->name, kind, a->disabled ? ",disabled" : "");
        for (size_t j = 0; j < u[i].ngrants; j++) {
            const struct store_grant *g = &u[i].grants[j];
            printf("%s%s%s%s", j ? "," : "", g->role, g->org[0] ? "@" : "", g->org);
        }
        printf("\n");
    }
    auth_users_free(u, n);
    return 0;
}

static const struct cliopt user_opts[] = {
    {"--name", NULL, "NAME", 0, NULL, "the person's name (add)"},
    {"--sso", NULL, NULL, 0, NULL, "no password: single sign-on only (add)"},
    {"--org", NULL, "CODE", 0, NULL, "the organisation of a recipient role (role)"},
    {"--remove", NULL, NULL, 0, NULL, "revoke the role instead (role)"},
    CLIOPT_DB,
};
static const struct cliopt_cmd user_cmd = {
    "user",    "add|passwd|role|disable|enable|list [LOGIN [ROLE]]",
    1,         3,
    user_opts, CLIOPT_N(user_opts),
    user_about};

int cmd_user(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&user_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default()), *name = cliopt_get(&ca, "--name");
    const char *org = cliopt_or(&ca, "--org", "");
    const char *pos[3] = {cliopt_arg(&ca, 0), cliopt_arg(&ca, 1), cliopt_arg(&ca, 2)};
    int npos = (int)cliopt_nargs(&ca), sso = cliopt_flag(&ca, "--sso");
    int remove = cliopt_flag(&ca, "--remove"), rc = 2;
    struct store *s = NULL;
    char password[AUTH_PASSWORD_MAX + 2];
    struct svc_actor by;
    struct svc_result res;
    enum lang lang = cli_lang(LANG_EN);
    password[0] = '\0';
    const char *sub = pos[0];
    int64_t now = clock_from_env();
    if (auth_init() != ERR_OK) {
        fprintf(stderr, "bidrag user: cannot initialise libsodium\n");
        return 1;
    }
    int create = strcmp(sub, "add") == 0;
    if (store_open(db, create ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag user: %s\n", store_open_error());
        return 1;
    }
    rc = 1;
    if (cli_actor(s, NULL, "", &by) != 0)
        goto out;
    if (strcmp(sub, "list") == 0 && npos == 1) {
        rc = list(s, &by, now);
    } else if (create && npos == 2) {
        if (!name) {
            fprintf(stderr, "bidrag user add: --name is required\n");
            rc = 2;
            goto out;
        }
        if (!sso && cliopt_read_secret(password, sizeof(password)) != 0) {
            fprintf(stderr, "bidrag user add: no password on standard input (or use --sso)\n");
            goto out;
        }
        enum err e = auth_user_add(s, &by, now, pos[1], name, sso ? NULL : password, &res);
        if (e != ERR_OK) {
            cli_print_result("user add", e, &res, lang);
            goto out;
        }
        printf("added user '%s'\n", pos[1]);
        rc = 0;
    } else if (strcmp(sub, "passwd") == 0 && npos == 2) {
        if (cliopt_read_secret(password, sizeof(password)) != 0) {
            fprintf(stderr, "bidrag user passwd: no password on standard input\n");
            goto out;
        }
        enum err e = auth_user_passwd(s, &by, now, pos[1], password, &res);
        if (e != ERR_OK) {
            cli_print_result("user passwd", e, &res, lang);
            goto out;
        }
        printf("changed the password of '%s'\n", pos[1]);
        rc = 0;
    } else if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && npos == 2) {
        int off = strcmp(sub, "disable") == 0;
        enum err e = auth_user_disable(s, &by, now, pos[1], off, &res);
        if (e != ERR_OK) {
            cli_print_result(off ? "user disable" : "user enable", e, &res, lang);
            goto out;
        }
        printf("%s '%s'\n", off ? "disabled" : "enabled", pos[1]);
        rc = 0;
    } else if (strcmp(sub, "role") == 0 && npos == 3) {
        enum perm_role r;
        if (perm_parse(pos[2], &r) != ERR_OK) {
            fprintf(stderr, "bidrag user role: unknown role '%s'\n", pos[2]);
            rc = 2;
            goto out;
        }
        enum err e = auth_user_role(s, &by, now, pos[1], r, org, !remove, &res);
        if (e != ERR_OK) {
            cli_print_result("user role", e, &res, lang);
            goto out;
        }
        printf("%s role '%s'%s%s %s '%s'\n", remove ? "removed" : "granted", perm_id(r),
               org[0] ? " for " : "", org, remove ? "from" : "to", pos[1]);
        rc = 0;
    } else {
        store_close(s);
        goto usage;
    }
out:
    memset(password, 0, sizeof(password));
    store_close(s);
    return rc;
usage:
    cliopt_help(&user_cmd, stderr);
    return 2;
}
