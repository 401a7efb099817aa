/* cmd_audit.c - bidrag audit: verify the hash-chained audit trail, list it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/audit.h"
#include "util/clock.h"
#include "util/str.h"

static const char usage[] = "usage: bidrag audit verify [--db URL]\n"
                            "       bidrag audit list [--object OBJECT] [--limit N] [--db URL]\n"
                            "\n"
                            "verify exits 0 when the trail is intact, 1 naming the first broken\n"
                            "link when a row was changed, removed or the trail cut short.\n";

static int print_row(void *ctx, const struct store_audit *a)
{
    (void)ctx;
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a->seq, a->at, a->actor,
           a->org[0] ? a->org : "-", a->action, a->object, a->before[0] ? a->before : "-",
           a->after[0] ? a->after : "-", a->hash);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *object = NULL, *v = NULL, *sub = NULL;
    int64_t limit = 0;
    struct store *s = NULL;
    int rc = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto usage;
            db = v;
        } else if (cliopt_is(argv[i], "--object")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto usage;
            object = v;
        } else if (cliopt_is(argv[i], "--limit")) {
            v = cliopt_val(argc, argv, &i);
            if (!v || str_parse_i64(v, &limit) != ERR_OK || limit < 0)
                goto usage;
        } else if (!sub && argv[i][0] != '-') {
            sub = argv[i];
        } else {
            fprintf(stderr, "bidrag audit: unexpected '%s'\n", argv[i]);
            goto usage;
        }
    }
    if (!sub || (strcmp(sub, "verify") != 0 && strcmp(sub, "list") != 0))
        goto usage;
    if (store_open(db, STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag audit: %s\n", store_open_error());
        return 1;
    }
    struct svc_actor who;
    struct svc_result res;
    int64_t now = clock_from_env();
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    if (strcmp(sub, "verify") == 0) {
        struct audit_report r;
        enum err e = audit_verify(s, &who, now, &r, &res);
        if (e == ERR_OK) {
            printf("audit trail intact: %lld records\n", r.rows);
            rc = 0;
        } else if (e == ERR_INVALID) {
            fprintf(stderr, "bidrag audit verify: %s\n", r.msg);
        } else {
            cli_print_result("audit verify", e, &res, cli_lang(LANG_EN));
        }
    } else {
        enum err e = audit_list(s, &who, now, object, (size_t)limit, print_row, NULL, &res);
        if (e != ERR_OK)
            cli_print_result("audit list", e, &res, cli_lang(LANG_EN));
        else
            rc = 0;
    }
    store_close(s);
    return rc;
usage:
    fputs(usage, stderr);
    return 2;
}
