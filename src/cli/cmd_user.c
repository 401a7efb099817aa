/* cmd_user.c - bidrag user: add accounts, set passwords, grant and revoke
 * roles, list accounts. Every change is audited as "cli:$USER". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/perm.h"
#include "service/auth.h"
#include "store/store_auth.h"
#include "util/clock.h"

static const char usage[] =
    "usage: bidrag user add LOGIN --name NAME [--sso] [--db URL]\n"
    "       bidrag user passwd LOGIN [--db URL]\n"
    "       bidrag user role LOGIN ROLE [--org CODE] [--remove] [--db URL]\n"
    "       bidrag user disable|enable LOGIN [--db URL]\n"
    "       bidrag user list [--db URL]\n"
    "\n"
    "add and passwd read the password from the first line of standard input;\n"
    "--sso makes an account without a password (single sign-on only; LOGIN is\n"
    "the personal identity the proxy sends).\n"
    "roles: admin, handlaggare, attestant, analytiker, granskare (agency), and\n"
    "ombud, representant, uppgiftssamordnare (with --org: kommun code 4 digits or\n"
    "region code 2 digits).\n";

static int list(struct store *s)
{
    struct store_account *a = NULL;
    size_t n = 0;
    if (store_account_list(s, &a, &n) != ERR_OK) {
        fprintf(stderr, "bidrag user: %s\n", store_errmsg(s));
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct store_grant *g = NULL;
        size_t ng = 0;
        printf("%s\t%s\t%s%s\t", a[i].login, a[i].name, a[i].pwhash[0] ? "password" : "sso",
               a[i].disabled ? ",disabled" : "");
        if (store_grant_list(s, a[i].id, &g, &ng) == ERR_OK) {
            for (size_t j = 0; j < ng; j++)
                printf("%s%s%s%s", j ? "," : "", g[j].role, g[j].org[0] ? "@" : "", g[j].org);
            free(g);
        }
        printf("\n");
    }
    free(a);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *name = NULL, *org = "", *v = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0, sso = 0, remove = 0, rc = 2;
    struct store *s = NULL;
    char actor[160], msg[256], password[AUTH_PASSWORD_MAX + 2];
    password[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--sso") == 0) {
            sso = 1;
        } else if (strcmp(argv[i], "--remove") == 0) {
            remove = 1;
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
        } else if (argv[i][0] == '-' || npos == 3) {
            fprintf(stderr, "bidrag user: unexpected '%s'\n", argv[i]);
            goto usage;
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos == 0)
        goto usage;
    const char *sub = pos[0];
    int64_t now = clock_from_env();
    struct auth_actor by = {cliopt_actor(actor, sizeof(actor)), ""};
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
    if (strcmp(sub, "list") == 0 && npos == 1) {
        rc = list(s);
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
        if (auth_user_add(s, &by, pos[1], name, sso ? NULL : password, now, msg, sizeof(msg)) !=
            ERR_OK) {
            fprintf(stderr, "bidrag user add: %s\n", msg);
            goto out;
        }
        printf("added user '%s'\n", pos[1]);
        rc = 0;
    } else if (strcmp(sub, "passwd") == 0 && npos == 2) {
        if (cliopt_read_secret(password, sizeof(password)) != 0) {
            fprintf(stderr, "bidrag user passwd: no password on standard input\n");
            goto out;
        }
        if (auth_user_passwd(s, &by, pos[1], password, now, msg, sizeof(msg)) != ERR_OK) {
            fprintf(stderr, "bidrag user passwd: %s\n", msg);
            goto out;
        }
        printf("changed the password of '%s'\n", pos[1]);
        rc = 0;
    } else if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && npos == 2) {
        int off = strcmp(sub, "disable") == 0;
        if (auth_user_disable(s, &by, pos[1], off, now, msg, sizeof(msg)) != ERR_OK) {
            fprintf(stderr, "bidrag user %s: %s\n", sub, msg);
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
        if (auth_user_role(s, &by, pos[1], r, org, !remove, now, msg, sizeof(msg)) != ERR_OK) {
            fprintf(stderr, "bidrag user role: %s\n", msg);
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
    fputs(usage, stderr);
    return 2;
}
