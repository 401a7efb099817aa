/* cmd_requisition.c - bidrag requisition: the requisition e-service from
 * the command line, through the same service functions as the pages:
 * list, show, save/submit for a recipient (as a named account), return,
 * approve, reject, bulk-approve, redistribute, dashboard, and the receipt
 * and decision PDFs, as the account --as (or $BIDRAG_AS) names, else the
 * operator's account: reading and the operator's own work go without
 * --as, a decision needs a named handläggare (--as), and saving or
 * submitting a person acting for the recipient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/auth.h"
#include "service/requisition.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/money.h"
#include "util/msg.h"
#include "util/str.h"

#define COMMON {"--as", NULL, "LOGIN", 0, NULL, "the account to act as"}, CLIOPT_DB
#define ACTING                                                                                     \
    {"--as", NULL, "LOGIN", 0, NULL, "the person acting for the recipient (or $BIDRAG_AS)"},       \
        CLIOPT_DB

static const struct cliopt list_opts[] = {
    {"--state", NULL, "STATE", 0, "draft|submitted|returned|approved|rejected",
     "only in this state"},
    {"--recipient", NULL, "CODE", 0, NULL, "only this recipient's"},
    COMMON,
};
static const struct cliopt form_opts[] = {
    {"--set", NULL, "FIELD=VALUE", CLIOPT_REPEAT, NULL, "set a field of the form"},
    {"--key", NULL, "IDEMPOTENCY-KEY", 0, NULL, "the same key submits once"},
    ACTING,
};
static const struct cliopt return_opts[] = {
    {"--message", NULL, "TEXT", CLIOPT_REQUIRED, NULL, "what the recipient must complete"},
    COMMON,
};
static const struct cliopt approve_opts[] = {
    {"--amount", NULL, "KRONOR", 0, NULL, "grant less than requisitioned"},
    {"--reasons", NULL, "TEXT", 0, NULL,
     "why less than requisitioned is granted (required then; printed in the decision)"},
    COMMON,
};
static const struct cliopt reject_opts[] = {
    {"--reason", NULL, "TEXT", CLIOPT_REQUIRED, NULL, "the reason for the decision"},
    COMMON,
};
static const struct cliopt receipt_opts[] = {
    {"--version", NULL, "N", CLIOPT_REQUIRED, NULL, "the submitted version"},
    {"--out", "-o", "FILE.pdf", 0, NULL, "write there instead of stdout"},
    COMMON,
};
static const struct cliopt decision_opts[] = {
    {"--out", "-o", "FILE.pdf", 0, NULL, "write there instead of stdout"},
    COMMON,
};
static const struct cliopt common_opts[] = {COMMON};
static const struct cliopt bulk_opts[] = {
    {"--confirm", NULL, "SELECTION", 0, NULL,
     "approve the selection the preview named (without: the preview only)"},
    COMMON,
};
static const struct cliopt redist_opts[] = {
    {"--confirm", NULL, "DIGEST", 0, NULL,
     "run the redistribution the preview named (without: the preview only)"},
    COMMON,
};
static const char redist_about[] =
    "Without --confirm, shows each recipient's supplementary amount and the digest to\n"
    "confirm; nothing is redistributed if anything has changed since the preview.\n";
static const char bulk_about[] =
    "Without --confirm, shows what would be approved and the selection to confirm;\n"
    "nothing is approved if the selection has changed since.\n";

static const char form_about[] =
    "FIELD is amount, measure.N.purpose, measure.N.description, measure.N.planned,\n"
    "contact_name, contact_email, contact_phone, account_kind, account, opt_in, confirmed.\n"
    "$BIDRAG_NOW sets the time.\n";

#define SUB(var, name, syn, n, opts, about)                                                        \
    static const struct cliopt_cmd var = {"requisition " name, syn,  n, n, opts,                   \
                                          CLIOPT_N(opts),      about}
SUB(sub_list, "list", "PROGRAM", 1, list_opts, NULL);
SUB(sub_show, "show", "CASE", 1, common_opts, NULL);
SUB(sub_save, "save", "PROGRAM CODE", 2, form_opts, form_about);
SUB(sub_submit, "submit", "PROGRAM CODE", 2, form_opts, form_about);
SUB(sub_return, "return", "CASE", 1, return_opts, NULL);
SUB(sub_approve, "approve", "CASE", 1, approve_opts, NULL);
SUB(sub_reject, "reject", "CASE", 1, reject_opts, NULL);
SUB(sub_bulk, "bulk-approve", "PROGRAM", 1, bulk_opts, bulk_about);
SUB(sub_redistribute, "redistribute", "PROGRAM", 1, redist_opts, redist_about);
SUB(sub_dashboard, "dashboard", "PROGRAM", 1, common_opts, NULL);
SUB(sub_receipt, "receipt", "CASE", 1, receipt_opts, NULL);
SUB(sub_decision, "decision", "NUMBER", 1, decision_opts, NULL);
static const struct cliopt_cmd *const subs[] = {
    &sub_list,   &sub_show, &sub_save,         &sub_submit,    &sub_return,  &sub_approve,
    &sub_reject, &sub_bulk, &sub_redistribute, &sub_dashboard, &sub_receipt, &sub_decision};

struct opts {
    const char *db, *as, *state, *recipient, *message, *reason, *reasons, *amount, *key, *out,
        *version, *confirm;
    const char *args[3];
    int nargs;
    const struct cliopt_args *ca; /* for the --set values */
    int nsets;
};

/* The options the subcommand's table holds, into o. */
static void fill(const struct cliopt_args *ca, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    struct {
        const char *name;
        const char **dst;
    } named[] = {{"--db", &o->db},           {"--as", &o->as},
                 {"--state", &o->state},     {"--recipient", &o->recipient},
                 {"--message", &o->message}, {"--reason", &o->reason},
                 {"--amount", &o->amount},   {"--key", &o->key},
                 {"--out", &o->out},         {"--version", &o->version},
                 {"--reasons", &o->reasons}, {"--confirm", &o->confirm}};
    for (size_t k = 0; k < ca->cmd->nopts; k++) {
        const char *name = ca->cmd->opts[k].name;
        for (size_t j = 0; j < sizeof(named) / sizeof(named[0]); j++)
            if (strcmp(named[j].name, name) == 0)
                *named[j].dst = cliopt_get(ca, name);
        if (strcmp(name, "--set") == 0)
            o->nsets = (int)cliopt_count(ca, "--set");
    }
    if (!o->db)
        o->db = cliopt_db_default();
    o->ca = ca;
    o->args[0] = ca->argv[0];
    o->nargs = 1;
    for (size_t i = 0; i < cliopt_nargs(ca) && i < 2; i++)
        o->args[o->nargs++] = cliopt_arg(ca, i);
}

/* The language of this command's words (Swedish unless LANG says English)
 * and its texts from the catalog: X(N_("...")). */
#define LG cli_lang(LANG_SV)
#define X(s) i18n_tr(LG, s)

static void print_result(const char *what, enum err e, const struct svc_result *r)
{
    char name[64];
    snprintf(name, sizeof(name), "requisition %s", what);
    cli_print_result(name, e, r, cli_lang(LANG_SV));
}

static void kr(char *out, size_t n, int64_t ore)
{
    if (ore < 0)
        str_copy(out, n, "-");
    else if (LG == LANG_EN)
        i18n_fmt_money(LANG_EN, out, n, ore);
    else
        money_fmt_ore(out, n, ore);
}

static int do_list(struct store *s, const struct svc_actor *a, const struct opts *o, int64_t now)
{
    struct req_filter f = {o->args[1], -1, o->recipient, 0, 0};
    if (o->state) {
        f.state = req_state_parse(o->state);
        if (f.state < 0) {
            fprintf(stderr, "bidrag requisition: unknown state '%s'\n", o->state);
            return 2;
        }
    }
    struct req_queue q;
    struct svc_result r;
    enum err e = req_queue_list(s, a, now, &f, &q, &r);
    if (e != ERR_OK) {
        print_result("list", e, &r);
        return 1;
    }
    printf("%-16s %-4s %-12s %3s %18s %18s\n", X(N_("ärende")), X(N_("kod")), "status", "ver",
           X(N_("rekvirerat")), X(N_("beviljat")));
    for (size_t i = 0; i < q.n; i++) {
        char a1[40], a2[40];
        kr(a1, sizeof(a1), q.rows[i].requested_ore);
        kr(a2, sizeof(a2), q.rows[i].approved_ore);
        printf("%-16s %-4s %-12s %3d %18s %18s\n", q.rows[i].case_no, q.rows[i].recipient,
               req_state_id(q.rows[i].state), q.rows[i].version, a1, a2);
    }
    printf(X(N_("utkast %lld, inskickade %lld, returnerade %lld, beviljade %lld, avslagna %lld\n")),
           q.counts[REQ_DRAFT], q.counts[REQ_SUBMITTED], q.counts[REQ_RETURNED],
           q.counts[REQ_APPROVED], q.counts[REQ_REJECTED]);
    req_queue_release(&q);
    return 0;
}

static int do_show(struct store *s, const struct svc_actor *a, const char *case_no, int64_t now)
{
    struct req_view v;
    struct svc_result r;
    char b[40];
    enum err e = req_open_case(s, a, now, case_no, &v, &r);
    if (e != ERR_OK) {
        print_result("show", e, &r);
        req_view_release(&v);
        return 1;
    }
    const struct req_form *f = v.row.version > 0 ? &v.latest : &v.form;
    printf(X(N_("ärende       %s\nprogram      %s (%s)\nmottagare    %s %s\nstatus       %s\n")),
           v.row.case_no, v.pv.prog.id, v.pv.prog.diarienummer, v.row.recipient, v.recipient_name,
           i18n_tr(LG, req_state_label_sv(v.row.state)));
    printf("version      %d (revision %lld)\n", v.row.version, v.row.revision);
    kr(b, sizeof(b), v.max_ore);
    printf(X(N_("högst        %s\n")), b);
    if (v.row.version == 0 && !a->org[0]) {
        /* the draft is the organisation's own; the agency sees submissions */
        printf("%s\n", X(N_("(ingen version inskickad)")));
        req_view_release(&v);
        return 0;
    }
    kr(b, sizeof(b), f->amount_ore);
    printf(X(N_("belopp       %s\n")), b);
    printf(X(N_("kontakt      %s, %s, %s\n")), f->contact_name, f->contact_email, f->contact_phone);
    printf(X(N_("konto        %s %s\nomfördelning %s\n")), f->account_kind, f->account,
           f->opt_in ? X(N_("ja")) : X(N_("nej")));
    for (size_t i = 0; i < f->nmeasures; i++) {
        kr(b, sizeof(b), f->measures[i].planned_ore);
        printf(X(N_("insats %zu     [%s] %s (%s)\n")), i + 1, f->measures[i].purpose,
               f->measures[i].description, b);
    }
    if (v.row.message[0])
        printf(X(N_("meddelande   %s\n")), v.row.message);
    for (size_t i = 0; i < v.nversions; i++)
        printf(X(N_("version %d   %s av %s\n")), v.versions[i].version, v.versions[i].saved_at,
               v.versions[i].saved_by);
    for (size_t i = 0; i < v.ndecisions; i++) {
        kr(b, sizeof(b), v.decisions[i].amount_ore);
        printf(X(N_("beslut       %s %s %s %s\n")), v.decisions[i].number, v.decisions[i].kind,
               v.decisions[i].decided_on, b);
    }
    req_view_release(&v);
    return 0;
}

static int do_form(struct store *s, const struct svc_actor *a, const struct opts *o, int submit,
                   int64_t now)
{
    struct req_view v;
    struct svc_result r;
    struct req_form f;
    int rc = 1;
    enum err e = req_open(s, a, now, o->args[1], o->args[2], &v, &r);
    if (e != ERR_OK) {
        print_result(submit ? "submit" : "save", e, &r);
        req_view_release(&v);
        return 1;
    }
    long long rev = v.exists ? v.row.revision : 0;
    e = req_form_copy(&f, &v.form);
    req_view_release(&v);
    if (e != ERR_OK) {
        fprintf(stderr, "bidrag requisition %s: %s\n", submit ? "submit" : "save", err_str(e));
        return 1;
    }
    svc_result_init(&r);
    for (int i = 0; i < o->nsets; i++) {
        char name[64];
        const char *set = cliopt_nth(o->ca, "--set", (size_t)i);
        const char *eq = strchr(set, '=');
        if (!eq || (size_t)(eq - set) >= sizeof(name)) {
            fprintf(stderr, "bidrag requisition: --set wants FIELD=VALUE, not '%s'\n", set);
            goto out;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(eq - set), set);
        e = req_form_set(&f, name, eq + 1, &r.issues);
        if (e == ERR_NOTFOUND) {
            fprintf(stderr, "bidrag requisition: no field '%s'\n", name);
            goto out;
        }
    }
    if (r.issues.n) {
        print_result(submit ? "submit" : "save", ERR_PARSE, &r);
        goto out;
    }
    req_form_trim(&f);
    if (submit) {
        struct req_receipt rc2;
        e = req_submit(s, a, now, &f, rev, o->key, &rc2, NULL, &r);
        print_result("submit", e, &r);
        if (e == ERR_OK)
            printf(X(N_("kvittens: %s version %d mottagen %s, diarienummer %s\n")), rc2.case_no,
                   rc2.version, rc2.at, rc2.diarienummer);
    } else {
        e = req_save_draft(s, a, now, &f, rev, NULL, &r);
        print_result("save", e, &r);
    }
    rc = e == ERR_OK ? 0 : 1;
out:
    req_form_release(&f);
    return rc;
}

static int do_pdf(struct store *s, const struct svc_actor *a, const struct opts *o, int receipt,
                  int64_t now)
{
    struct buf b;
    struct svc_result r;
    enum err e;
    buf_init(&b, (size_t)16 << 20);
    if (receipt) {
        int64_t ver = 0;
        if (!o->version || str_parse_i64(o->version, &ver) != ERR_OK || ver < 1 || ver > 100000) {
            fprintf(stderr, "bidrag requisition receipt: --version '%s' is not a version number\n",
                    o->version ? o->version : "");
            buf_release(&b);
            return 2;
        }
        e = req_receipt_pdf(s, a, now, o->args[1], (int)ver, &b, &r);
    } else {
        e = req_decision_pdf(s, a, now, o->args[1], &b, &r);
    }
    int rc = 1;
    if (e != ERR_OK)
        print_result(receipt ? "receipt" : "decision", e, &r);
    else
        rc = cli_write_out(o->out, &b) == 0 ? 0 : 1;
    buf_release(&b);
    return rc;
}

int cmd_requisition(int argc, char **argv)
{
    struct opts o;
    int ex;
    const struct cliopt_cmd *sc = cliopt_sub("requisition", subs, CLIOPT_N(subs), argc, argv, &ex);
    struct cliopt_args ca;
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    fill(&ca, &o);
    const char *sub = o.args[0];
    int64_t now = 0;
    if (clock_parse(cli_now(), &now) != ERR_OK)
        now = clock_from_env();
    int recipient_side = sc == &sub_save || sc == &sub_submit;
    if (recipient_side && !o.as && !(getenv("BIDRAG_AS") && getenv("BIDRAG_AS")[0])) {
        fprintf(stderr,
                "bidrag %s: a named person acts for the recipient: give --as LOGIN (see "
                "'bidrag %s --help')\n",
                sc->name, sc->name);
        return 2;
    }
    if (auth_init() != ERR_OK)
        return 1;
    struct store *s = cli_open_store(o.db, 0);
    if (!s)
        return 1;
    struct svc_actor a;
    struct svc_result r;
    int rc = 1;
    enum err e;
    if (cli_actor(s, o.as, recipient_side ? o.args[2] : "", &a) != 0)
        goto out;
    if (strcmp(sub, "list") == 0) {
        rc = do_list(s, &a, &o, now);
    } else if (strcmp(sub, "show") == 0) {
        rc = do_show(s, &a, o.args[1], now);
    } else if (recipient_side) {
        rc = do_form(s, &a, &o, strcmp(sub, "submit") == 0, now);
    } else if (strcmp(sub, "return") == 0 || strcmp(sub, "reject") == 0) {
        int ret = strcmp(sub, "return") == 0;
        const char *text = ret ? o.message : o.reason;
        long long rev = req_revision_of(s, &a, now, o.args[1]);
        e = ret ? req_return(s, &a, now, o.args[1], rev, text, NULL, &r)
                : req_reject(s, &a, now, o.args[1], rev, text, NULL, &r);
        print_result(sub, e, &r);
        rc = e == ERR_OK ? 0 : 1;
    } else if (strcmp(sub, "approve") == 0) {
        int64_t amount = -1;
        if (o.amount && (money_parse(o.amount, &amount) != ERR_OK || amount <= 0)) {
            fprintf(stderr, "bidrag requisition: amount '%s' is not a sum of kronor\n", o.amount);
            rc = 2;
            goto out;
        }
        e = req_approve(s, &a, now, o.args[1], req_revision_of(s, &a, now, o.args[1]), amount,
                        o.reasons, NULL, &r);
        print_result(sub, e, &r);
        rc = e == ERR_OK ? 0 : 1;
    } else if (strcmp(sub, "bulk-approve") == 0) {
        struct req_bulk_preview pre;
        e = o.confirm ? req_bulk_approve(s, &a, now, o.args[1], o.confirm, &pre, &r)
                      : req_bulk_preview(s, &a, now, o.args[1], &pre, &r);
        print_result(sub, e, &r);
        if (e == ERR_OK || (e == ERR_CONFLICT && pre.lines)) {
            char x[40];
            for (size_t i = 0; i < pre.n; i++) {
                kr(x, sizeof(x), pre.lines[i].amount_ore);
                printf("%-16s %-4s %-40s %18s\n", pre.lines[i].case_no, pre.lines[i].recipient,
                       pre.lines[i].name, x);
            }
            kr(x, sizeof(x), pre.total_ore);
            printf(X(N_("totalt %zu rekvisitioner %18s; kvar att pröva %zu\n")), pre.n, x,
                   pre.left);
            if ((!o.confirm || e == ERR_CONFLICT) && pre.n)
                printf(X(N_("bekräfta: bidrag requisition bulk-approve %s --confirm %s\n")),
                       o.args[1], pre.digest);
        }
        req_bulk_preview_release(&pre);
        rc = e == ERR_OK ? 0 : 1;
    } else if (strcmp(sub, "redistribute") == 0) {
        struct req_redist_report rep;
        struct req_redist_preview pre;
        memset(&pre, 0, sizeof(pre));
        e = o.confirm ? req_redistribute(s, &a, now, o.args[1], o.confirm, &rep, &pre, &r)
                      : req_redistribute_preview(s, &a, now, o.args[1], &rep, &pre, &r);
        print_result(sub, e, &r);
        if (!o.confirm || e == ERR_CONFLICT) {
            char x[40];
            for (size_t i = 0; i < pre.n; i++) {
                kr(x, sizeof(x), pre.lines[i].extra_ore);
                printf("%-4s %-40s %18s\n", pre.lines[i].code, pre.lines[i].name, x);
            }
            if (pre.lines) {
                kr(x, sizeof(x), pre.total_ore);
                printf(X(N_("totalt %zu tilläggsbelopp %18s\n")), pre.n, x);
                printf(X(N_("bekräfta: bidrag requisition redistribute %s --confirm %s\n")),
                       o.args[1], pre.digest);
            }
        }
        req_redist_preview_release(&pre);
        for (size_t i = 0; e == ERR_OK && i < rep.nblocks; i++) {
            char u[40], d[40], left[40];
            kr(u, sizeof(u), rep.blocks[i].unrequisitioned_ore);
            kr(d, sizeof(d), rep.blocks[i].redistributed_ore);
            kr(left, sizeof(left), rep.blocks[i].remaining_ore);
            printf(X(N_("block %-8s ej rekvirerat %18s omfördelat %18s kvar %14s%s\n")),
                   rep.blocks[i].block, u, d, left,
                   rep.blocks[i].done_before ? X(N_(" (gjort tidigare)")) : "");
        }
        rc = e == ERR_OK ? 0 : 1;
    } else if (strcmp(sub, "dashboard") == 0) {
        struct req_dashboard db;
        e = req_dashboard_get(s, &a, now, o.args[1], &db, &r);
        if (e != ERR_OK) {
            print_result(sub, e, &r);
            goto out;
        }
        char x1[40], x2[40], x3[40], x4[40];
        for (size_t i = 0; i < db.nblocks; i++) {
            kr(x1, sizeof(x1), db.blocks[i].allocated_ore);
            kr(x2, sizeof(x2), db.blocks[i].approved_ore);
            kr(x3, sizeof(x3), db.blocks[i].redistributed_ore);
            kr(x4, sizeof(x4), db.blocks[i].remaining_ore);
            printf(X(N_("block %-8s fördelat %18s beviljat %18s omfördelat %18s kvar %14s\n")),
                   db.blocks[i].id, x1, x2, x3, x4);
        }
        kr(x1, sizeof(x1), db.allocated_ore);
        kr(x2, sizeof(x2), db.requested_ore);
        kr(x3, sizeof(x3), db.approved_ore);
        kr(x4, sizeof(x4), db.supplementary_ore);
        printf(X(N_("totalt       fördelat %18s rekvirerat %18s beviljat %18s tillägg %18s\n")), x1,
               x2, x3, x4);
        req_dashboard_release(&db);
        rc = 0;
    } else {
        rc = do_pdf(s, &a, &o, strcmp(sub, "receipt") == 0, now);
    }
out:
    store_close(s);
    return rc;
}
