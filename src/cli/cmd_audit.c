/* cmd_audit.c - bidrag audit: verify the signed audit trail, list it,
 * print the signed head for the daily report, rotate its key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/audit.h"
#include "util/clock.h"
#include "util/str.h"

static const char audit_about[] =
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

static const struct cliopt audit_verify_opts[] = {
    {"--checkpoints", NULL, "FILE", CLIOPT_REPEAT, NULL, "checkpoint lines kept elsewhere"},
    CLIOPT_DB,
};
static const struct cliopt audit_list_opts[] = {
    {"--object", NULL, "OBJECT", 0, NULL, "only the records of this object"},
    {"--limit", NULL, "N", 0, NULL, "at most N records (0: all)"},
    CLIOPT_DB,
};
static const struct cliopt audit_checkpoint_opts[] = {
    {"--restored", NULL, NULL, 0, NULL, "an older copy of the database was put back on purpose"},
    CLIOPT_DB,
};
static const struct cliopt audit_db_opts[] = {CLIOPT_DB};
static const struct cliopt_cmd sub_verify = {
    "audit verify", "", 0, 0, audit_verify_opts, CLIOPT_N(audit_verify_opts), audit_about};
static const struct cliopt_cmd sub_list = {
    "audit list", "", 0, 0, audit_list_opts, CLIOPT_N(audit_list_opts), audit_about};
static const struct cliopt_cmd sub_checkpoint = {
    "audit checkpoint", "", 0, 0, audit_checkpoint_opts, CLIOPT_N(audit_checkpoint_opts),
    audit_about};
static const struct cliopt_cmd sub_rotate = {
    "audit rotate-key", "", 0, 0, audit_db_opts, CLIOPT_N(audit_db_opts), audit_about};
static const struct cliopt_cmd *const audit_subs[] = {&sub_verify, &sub_list, &sub_checkpoint,
                                                      &sub_rotate};

int cmd_audit(int argc, char **argv)
{
    int ex;
    const struct cliopt_cmd *sc =
        cliopt_sub("audit", audit_subs, CLIOPT_N(audit_subs), argc, argv, &ex);
    struct cliopt_args ca;
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    const char *db = cliopt_or(&ca, "--db", cliopt_db_default());
    const char *object = sc == &sub_list ? cliopt_get(&ca, "--object") : NULL;
    const char *lim = sc == &sub_list ? cliopt_get(&ca, "--limit") : NULL;
    int restored = sc == &sub_checkpoint && cliopt_flag(&ca, "--restored");
    size_t nextra = sc == &sub_verify ? cliopt_count(&ca, "--checkpoints") : 0;
    int64_t limit = 0;
    struct store *s = NULL;
    int rc = 1;
    if (lim && (str_parse_i64(lim, &limit) != ERR_OK || limit < 0)) {
        fprintf(stderr, "bidrag audit list: --limit '%s' is not a whole number >= 0\n", lim);
        return 2;
    }
    const char **extra = calloc(nextra ? nextra : 1, sizeof(*extra));
    if (!extra) {
        fprintf(stderr, "bidrag audit: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < nextra; i++)
        extra[i] = cliopt_nth(&ca, "--checkpoints", i);
    if (store_open(db, STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "bidrag audit: %s\n", store_open_error());
        free(extra);
        return 1;
    }
    struct svc_actor who;
    struct svc_result res;
    int64_t now = clock_from_env();
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        free(extra);
        return 1;
    }
    if (sc == &sub_verify) {
        /* the action's rule (granskare, admin), then the whole check */
        struct msg why;
        enum err ce = svc_check(s, &who, ACT_AUDIT_VERIFY, NULL, &why);
        if (ce == ERR_OK) {
            rc = verify(s, extra, nextra);
        } else {
            res.msg = why;
            cli_print_result("audit verify", ce, &res, cli_lang(LANG_EN));
        }
    } else if (sc == &sub_checkpoint) {
        rc = checkpoint(s, restored);
    } else if (sc == &sub_rotate) {
        rc = rotate(s);
    } else {
        enum err e = audit_list(s, &who, now, object, (size_t)limit, print_row, NULL, &res);
        if (e != ERR_OK)
            cli_print_result("audit list", e, &res, cli_lang(LANG_EN));
        else
            rc = 0;
    }
    store_close(s);
    free(extra);
    return rc;
}
