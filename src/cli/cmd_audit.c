/* cmd_audit.c - bidrag audit: verify the signed audit trail, list it,
 * print the signed head for the daily report, rotate its key. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/audit.h"
#include "util/clock.h"
#include "util/str.h"

#define EXTRA_MAX 16

static const char usage[] =
    "usage: bidrag audit verify [--checkpoints FILE]... [--db URL]\n"
    "       bidrag audit list [--object OBJECT] [--limit N] [--db URL]\n"
    "       bidrag audit checkpoint [--restored] [--db URL]\n"
    "       bidrag audit rotate-key [--db URL]\n"
    "\n"
    "verify walks the whole trail (order, links, hashes, signatures), compares every\n"
    "checkpoint with the row it names (those in the checkpoints file, and those in\n"
    "each FILE, e.g. lines kept from the daily reports) and every business entity's\n"
    "rows with its latest record; it exits 0 when all holds, 1 naming each problem\n"
    "(audit row, checkpoint, entity and table).\n"
    "checkpoint signs the head into the checkpoints file after checking the tail,\n"
    "and prints it with the public key that verifies it: the line for the daily\n"
    "report. --restored says that an older copy of the database was put back on\n"
    "purpose (bidrag restore does so itself).\n"
    "rotate-key makes a new key for the rows to come; the old keys are kept.\n"
    "The key ring is keys/audit.key and the checkpoints audit/checkpoints in the\n"
    "database's folder, or $BIDRAG_AUDIT_KEY and $BIDRAG_AUDIT_CHECKPOINTS.\n";

static int print_row(void *ctx, const struct store_audit *a)
{
    (void)ctx;
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a->seq, a->at, a->actor,
           a->org[0] ? a->org : "-", a->action, a->object, a->before[0] ? a->before : "-",
           a->after[0] ? a->after : "-", a->hash);
    return 0;
}

static void print_report(const char *what, const struct audit_report *r)
{
    long long kept = r->problems < AUDIT_PROBLEMS ? r->problems : AUDIT_PROBLEMS;
    for (long long i = 0; i < kept; i++)
        fprintf(stderr, "bidrag audit %s: %s\n", what, r->problem[i]);
    if (r->problems > kept)
        fprintf(stderr, "bidrag audit %s: and %lld more problems\n", what, r->problems - kept);
    if (r->note[0])
        fprintf(stderr, "bidrag audit %s: note: %s\n", what, r->note);
}

static int verify(struct store *s, const char *const *extra, size_t nextra)
{
    struct audit_report r;
    enum err e = audit_verify_with(s, extra, nextra, &r);
    if (e == ERR_OK) {
        printf("audit trail intact: %lld records, %lld checkpoints, %lld entities\n", r.rows,
               r.checkpoints, r.entities);
        if (r.note[0])
            printf("note: %s\n", r.note);
        return 0;
    }
    if (e == ERR_INVALID) {
        print_report("verify", &r);
        fprintf(stderr, "bidrag audit verify: %lld problem%s in %lld records\n", r.problems,
                r.problems == 1 ? "" : "s", r.rows);
    } else {
        fprintf(stderr, "bidrag audit verify: %s\n", store_errmsg(s));
    }
    return 1;
}

static int checkpoint(struct store *s, int restored)
{
    struct audit_report r;
    struct audit_checkpoint c;
    struct audit_paths p;
    struct auditkey_ring ring = {NULL, 0};
    char msg[300], line[AUDITKEY_LINE_MAX], pub[65];
    enum err e = audit_checkpoint(s, restored ? "restore" : "manual", clock_from_env(), &c, &r);
    if (e != ERR_OK) {
        print_report("checkpoint", &r);
        return 1;
    }
    if (audit_paths_of(s, &p) != ERR_OK || auditkey_load(p.key, &ring, msg, sizeof(msg)) != ERR_OK)
        return 1;
    const struct auditkey *k = auditkey_find(&ring, c.key);
    if (!k) {
        auditkey_ring_release(&ring);
        return 1;
    }
    auditkey_cp_format(&c, line);
    auditkey_public(k, pub);
    printf("%sbidrag-audit-public-key v1 key=%s ed25519=%s\n", line, k->id, pub);
    auditkey_ring_release(&ring);
    return 0;
}

static int rotate(struct store *s)
{
    struct audit_report r;
    char id[STORE_KEY_ID_LEN], who[160];
    if (audit_rotate_key(s, cliopt_actor(who, sizeof(who)), clock_from_env(), id, &r) != ERR_OK) {
        print_report("rotate-key", &r);
        if (!r.problems)
            fprintf(stderr, "bidrag audit rotate-key: %s\n", store_errmsg(s));
        return 1;
    }
    printf("audit key %s signs the records from now on; the older keys stay in the ring\n", id);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    const char *db = cliopt_db_default(), *object = NULL, *v = NULL, *sub = NULL;
    const char *extra[EXTRA_MAX];
    size_t nextra = 0;
    int64_t limit = 0;
    int restored = 0;
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
        } else if (cliopt_is(argv[i], "--checkpoints")) {
            v = cliopt_val(argc, argv, &i);
            if (!v || nextra == EXTRA_MAX)
                goto usage;
            extra[nextra++] = v;
        } else if (strcmp(argv[i], "--restored") == 0) {
            restored = 1;
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
    if (!sub || (strcmp(sub, "verify") != 0 && strcmp(sub, "list") != 0 &&
                 strcmp(sub, "checkpoint") != 0 && strcmp(sub, "rotate-key") != 0))
        goto usage;
    if ((nextra && strcmp(sub, "verify") != 0) || (restored && strcmp(sub, "checkpoint") != 0))
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
        /* the action's rule (granskare, admin), then the whole check */
        struct msg why;
        enum err ce = svc_check(s, &who, ACT_AUDIT_VERIFY, NULL, &why);
        if (ce == ERR_OK) {
            rc = verify(s, extra, nextra);
        } else {
            res.msg = why;
            cli_print_result("audit verify", ce, &res, cli_lang(LANG_EN));
        }
    } else if (strcmp(sub, "checkpoint") == 0) {
        rc = checkpoint(s, restored);
    } else if (strcmp(sub, "rotate-key") == 0) {
        rc = rotate(s);
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
