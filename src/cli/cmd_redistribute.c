/* cmd_redistribute.c - bidrag redistribute: the program's redistribution
 * in the database (as 'bidrag requisition redistribute'), or the offline
 * what-if over a CSV of approved requisitions with the e-service's rule
 * (core/redistplan): only a program whose decision provides
 * redistribution; only recipients approved for their full amount that
 * opted in take part, each capped at the extra it stated; what is left
 * stays unpaid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/redistplan.h"
#include "core/requisition.h"
#include "io/csv.h"
#include "service/programs.h"
#include "util/money.h"
#include "util/msg.h"
#include "util/str.h"

static const struct cliopt redistribute_opts[] = {
    {"--block", NULL, "ID", 0, NULL, "show only this block (with --requisitions)"},
    {"--requisitions", NULL, "FILE.csv", 0, NULL,
     "the approved requisitions, header code,requisitioned,opt_in,extra_cap"},
    {"--format", NULL, "FORMAT", 0, "csv|table", "the output of a computation from a file (csv)"},
    {"--confirm", NULL, "DIGEST", 0, NULL,
     "run the redistribution the preview named (without --requisitions)"},
    {"--as", NULL, "LOGIN", 0, NULL, "the account to act as"},
    CLIOPT_DB,
};

static const struct cliopt_cmd redistribute_cmd = {
    "redistribute",
    "PROGRAM",
    1,
    1,
    redistribute_opts,
    CLIOPT_N(redistribute_opts),
    "Without --requisitions: preview the redistribution of the program's requisitions\n"
    "in the database, then with --confirm DIGEST run it as supplementary decisions\n"
    "(after its redistribution date; running it again changes nothing), as\n"
    "'bidrag requisition redistribute'.\n"
    "With --requisitions: compute the redistribution from a file with the e-service's\n"
    "rule, storing nothing (only where the decision provides redistribution).\n"
    "FILE.csv has the header code,requisitioned,opt_in,extra_cap: the amount approved\n"
    "over all blocks (whole kronor), opt_in 1 or 0, and the extra the recipient can use\n"
    "(whole kronor, or empty or 'max' for as much as possible). Recipients not in the\n"
    "file requisitioned nothing. A recipient takes part when it opted in and was\n"
    "approved for its full amount. The output gives per block and recipient the\n"
    "supplementary amount and the round that fixed it; the rounds and what stays\n"
    "unpaid follow (stderr with --format csv).\n"};

int cmd_redistribute(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&redistribute_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *block = cliopt_get(&ca, "--block"), *reqs = cliopt_get(&ca, "--requisitions");
    const char *format = cliopt_or(&ca, "--format", "csv"), *db = cliopt_get(&ca, "--db");
    if (reqs && cliopt_get(&ca, "--confirm")) {
        fprintf(stderr, "bidrag redistribute: --confirm runs the e-service's redistribution and "
                        "does not go with --requisitions (see 'bidrag redistribute --help')\n");
        return 2;
    }
    if (block && !reqs) {
        fprintf(stderr, "bidrag redistribute: --block goes with --requisitions (see 'bidrag "
                        "redistribute --help')\n");
        return 2;
    }
    if (!reqs) {
        /* the database run of the e-service: "requisition redistribute"
         * with every argument passed on */
        char **args = calloc((size_t)argc + 2, sizeof(*args));
        if (!args) {
            fprintf(stderr, "bidrag redistribute: out of memory\n");
            return 1;
        }
        int n = 0;
        args[n++] = "requisition";
        args[n++] = "redistribute";
        for (int i = 1; i < argc; i++)
            args[n++] = argv[i];
        args[n] = NULL;
        int rc = cmd_requisition(n, args);
        free(args);
        return rc;
    }
    if (strcmp(format, "csv") && strcmp(format, "table")) {
        fprintf(stderr, "bidrag redistribute: --format is csv or table, not '%s'\n", format);
        return 2;
    }
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    enum lang lg = cli_lang(LANG_SV);
    struct program_view v;
    struct diag d;
    diag_init(&d, 50);
    struct csv_table t;
    memset(&t, 0, sizeof(t));
    struct redistplan_req *rq = NULL;
    struct redistplan plan;
    memset(&plan, 0, sizeof(plan));
    size_t nrq = 0;
    struct buf b, sum;
    buf_init(&b, 1 << 24);
    buf_init(&sum, 1 << 20);
    int rc = 1;
    struct svc_actor who;
    struct svc_result res;
    memset(&v, 0, sizeof(v));
    if (cli_actor(s, cliopt_get(&ca, "--as"), "", &who) != 0)
        goto out;
    enum err oe = cli_open_program(s, &who, cliopt_arg(&ca, 0), &v, &d, &res);
    if (oe != ERR_OK) {
        if (d.total)
            cli_print_diag(&d);
        else
            cli_print_result("redistribute", oe, &res, lg);
        goto out;
    }
    if (v.prog.redistribution != PROG_REDIST_YES) {
        struct msg m;
        char text[512];
        msg_set(&m, M_("Beslutet om statsbidraget medger ingen omfördelning. Det som inte "
                       "rekvireras betalas inte ut."));
        msg_render(&m, lg, text, sizeof(text));
        fprintf(stderr, "bidrag redistribute: %s\n", text);
        goto out;
    }
    int found = !block;
    for (size_t i = 0; block && i < v.alloc.nblocks; i++)
        found |= !strcmp(v.alloc.blocks[i].b->id, block);
    if (!found) {
        fprintf(stderr, "bidrag redistribute: program '%s' has no block '%s'\n", v.prog.id, block);
        goto out;
    }
    if (csv_read_file(reqs, &t, &d)) {
        cli_print_diag(&d);
        goto out;
    }
    int cc = csv_col(&t, "code"), rcol = csv_col(&t, "requisitioned"), oc = csv_col(&t, "opt_in"),
        xc = csv_col(&t, "extra_cap");
    if (cc < 0 || rcol < 0 || oc < 0 || xc < 0) {
        fprintf(stderr, "%s:1: expected the header code,requisitioned,opt_in,extra_cap\n", reqs);
        goto out;
    }
    rq = calloc(t.nrows + 1, sizeof(*rq));
    if (!rq)
        goto out;
    for (size_t i = 0; i < t.nrows; i++) {
        const struct csv_row *r = &t.rows[i];
        const char *code = (size_t)cc < r->n ? r->f[cc] : "";
        const char *am = (size_t)rcol < r->n ? r->f[rcol] : "";
        const char *op = (size_t)oc < r->n ? r->f[oc] : "";
        const char *xs = (size_t)xc < r->n ? r->f[xc] : "";
        int64_t full = req_max_ore(&v.alloc, code) / MONEY_ORE_PER_KR;
        if (full <= 0) {
            diag_add(&d, reqs, r->line, "'%s' is not a recipient of program '%s'", code, v.prog.id);
            continue;
        }
        int64_t amt = 0, cap = REDIST_NO_CAP;
        if (money_parse_kr(am, &amt) || amt < 0 || strstr(am, "kr")) {
            diag_add(&d, reqs, r->line, "requisitioned '%s' is not a whole number of kronor", am);
            continue;
        }
        if (amt > full) {
            char m[32];
            money_fmt_kr(m, sizeof(m), full);
            diag_add(&d, reqs, r->line, "'%s' requisitioned more than its amount (%s kr)", code, m);
            continue;
        }
        if (strcmp(op, "0") && strcmp(op, "1")) {
            diag_add(&d, reqs, r->line, "opt_in '%s' must be 1 or 0", op);
            continue;
        }
        if (xs[0] && strcmp(xs, "max") &&
            (money_parse_kr(xs, &cap) || cap < 0 || strstr(xs, "kr"))) {
            diag_add(&d, reqs, r->line,
                     "extra_cap '%s' is not a whole number of kronor, empty or 'max'", xs);
            continue;
        }
        if (op[0] == '0' && (xs[0] && strcmp(xs, "max"))) {
            diag_add(&d, reqs, r->line, "extra_cap '%s' without opt_in 1", xs);
            continue;
        }
        size_t j = 0;
        while (j < nrq && strcmp(rq[j].code, code))
            j++;
        if (j < nrq) {
            diag_add(&d, reqs, r->line, "'%s' appears twice", code);
            continue;
        }
        str_copy(rq[nrq].code, sizeof(rq[nrq].code), code);
        rq[nrq].approved_kr = amt;
        rq[nrq].opt_in = op[0] == '1';
        rq[nrq].cap_kr = cap;
        nrq++;
    }
    if (d.total) {
        cli_print_diag(&d);
        goto out;
    }
    enum err pe = redistplan_run(&v.alloc, rq, nrq, &plan);
    if (pe != ERR_OK) {
        fprintf(stderr, "bidrag redistribute: cannot compute the redistribution: %s\n",
                err_str(pe));
        goto out;
    }
    int table = !strcmp(format, "table");
    if (table)
        buf_printf(&b, "%-5s %-5s %-28s %15s %15s %6s %13s %13s %5s %15s\n", "Block", "Kod",
                   "Mottagare", "Belopp", "Beviljat", "Önskar", "Kan ta emot", "Tillägg", "Runda",
                   "Slutligt");
    else
        buf_puts(&b, "block,code,amount,requisitioned,opt_in,extra_cap,takes_part,supplement,"
                     "round,capped,final\n");
    for (size_t bi = 0; bi < plan.nblocks; bi++) {
        const struct redistplan_block *pb = &plan.blocks[bi];
        const struct block_result *br = pb->br;
        if (block && strcmp(br->b->id, block))
            continue;
        for (size_t k = 0; k < br->n; k++) {
            const struct alloc_line *l = &br->lines[k];
            const struct redist_line *rl = &pb->lines[k];
            const struct redistplan_req *q = NULL;
            for (size_t j = 0; j < nrq && !q; j++)
                if (!strcmp(rq[j].code, l->r.code))
                    q = &rq[j];
            char capbuf[32] = "";
            if (q && q->opt_in) {
                if (q->cap_kr == REDIST_NO_CAP)
                    str_copy(capbuf, sizeof(capbuf), "max");
                else if (table)
                    money_fmt_kr(capbuf, sizeof(capbuf), q->cap_kr);
                else
                    snprintf(capbuf, sizeof(capbuf), "%lld", (long long)q->cap_kr);
            }
            int64_t fin = pb->approved_line_kr[k] + rl->extra_kr;
            if (table) {
                char a1[32], a2[32], a3[32], a4[32], nm[160], rd[24] = "";
                money_fmt_kr(a1, sizeof(a1), l->amount_kr);
                money_fmt_kr(a2, sizeof(a2), pb->approved_line_kr[k]);
                money_fmt_kr(a3, sizeof(a3), rl->extra_kr);
                money_fmt_kr(a4, sizeof(a4), fin);
                /* the round that fixed it; '*' = it reached its cap */
                if (rl->round)
                    snprintf(rd, sizeof(rd), "%zu%s", rl->round, rl->capped ? "*" : "");
                buf_printf(&b, "%-5s %-5s %s %15s %15s %6s %13s %13s %5s %15s\n", br->b->id,
                           l->r.code, str_pad(nm, sizeof(nm), l->r.name, 28, 0), a1, a2,
                           q && q->opt_in ? "ja" : "nej", capbuf, a3, rd, a4);
            } else {
                buf_printf(&b, "%s,%s,%lld,%lld,%d,%s,%d,%lld,%zu,%d,%lld\n", br->b->id, l->r.code,
                           (long long)l->amount_kr, (long long)pb->approved_line_kr[k],
                           q ? q->opt_in : 0, capbuf, rl->takes_part, (long long)rl->extra_kr,
                           rl->round, rl->capped, (long long)fin);
            }
        }
        /* the rounds and what stays unpaid */
        struct msg m;
        char text[512];
        msg_setf(&m, M_("Block {1}: att omfördela {2}, omfördelat {3}, kvar obetalt {4}."),
                 msg_str(br->b->id), msg_kr(pb->res.pot_kr), msg_kr(pb->res.redistributed_kr),
                 msg_kr(pb->res.remaining_kr));
        msg_render(&m, lg, text, sizeof(text));
        buf_printf(&sum, "%s\n", text);
        for (size_t r = 0; r < pb->res.nrounds; r++) {
            const struct redist_round *rd = &pb->res.rounds[r];
            msg_setf(&m, M_("  Runda {1}: {2} fördelas på {3} mottagare; {4} når sitt tak."),
                     msg_int((int64_t)(r + 1)), msg_kr(rd->pot_kr),
                     msg_int((int64_t)rd->nparticipants), msg_int((int64_t)rd->ncapped));
            msg_render(&m, lg, text, sizeof(text));
            buf_printf(&sum, "%s\n", text);
        }
    }
    if (table) {
        buf_puts(&b, "\n");
        buf_append(&b, sum.p, sum.len);
    } else {
        fputs(sum.p ? sum.p : "", stderr);
    }
    rc = b.failed || cli_write_out(NULL, &b) ? 1 : 0;
out:
    buf_release(&b);
    buf_release(&sum);
    free(rq);
    redistplan_release(&plan);
    csv_table_release(&t);
    diag_release(&d);
    program_view_release(&v);
    store_close(s);
    return rc;
}
