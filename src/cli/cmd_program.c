/* cmd_program.c - bidrag program check|load|list|show. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/programs.h"
#include "util/money.h"
#include "util/str.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: bidrag program check FILE... [--db URL]\n"
               "       bidrag program load FILE [--db URL]\n"
               "       bidrag program list [--db URL]\n"
               "       bidrag program show ID [--db URL]\n");
}

static void show(const struct program *p)
{
    char t[32], ds[16];
    money_fmt_kr(t, sizeof(t), p->total_kr);
    printf("%s\n  id:           %s\n  diarienummer: %s\n  totalt:       %s kr\n", p->title, p->id,
           p->diarienummer, t);
    struct {
        const char *label;
        struct date d;
    } dates[] = {{"beslutsdatum", p->decision_date},
                 {"rekvisition öppnar", p->requisition_opens},
                 {"rekvisition stänger", p->requisition_closes},
                 {"omfördelning", p->redistribution_date},
                 {"till Kammarkollegiet", p->kammarkollegiet_requisition},
                 {"redovisning senast", p->reporting_deadline},
                 {"återbetalning senast", p->repayment_deadline},
                 {"delredovisning", p->interim_report},
                 {"slutredovisning", p->final_report}};
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        if (!date_is_set(dates[i].d))
            continue;
        date_fmt(ds, sizeof(ds), dates[i].d);
        char lab[64];
        printf("  %s %s\n", str_pad(lab, sizeof(lab), dates[i].label, 21, 0), ds);
    }
    printf("  omfördelning:         %s\n", p->redistribution == PROG_REDIST_YES
                                               ? "ja (beslutet medger den)"
                                               : "nej (det som inte rekvireras betalas inte ut)");
    printf("  överklagande:         %s%s%s%s\n",
           p->appeal == PROG_APPEAL_NONE ? "får inte överklagas" : "till förvaltningsrätten",
           p->appeal_basis[0] ? " (" : "", p->appeal_basis, p->appeal_basis[0] ? ")" : "");
    for (size_t i = 0; i < p->napprop; i++) {
        money_fmt_kr(t, sizeof(t), p->approp[i].amount_kr);
        printf("  anslagspost %-8s %s kr  %s\n", p->approp[i].id, t, p->approp[i].name);
    }
    for (size_t i = 0; i < p->npurposes; i++)
        printf("  ändamål %-12s %s\n", p->purposes[i].id, p->purposes[i].title);
    for (size_t i = 0; i < p->nblocks; i++) {
        const struct block *b = &p->blocks[i];
        money_fmt_kr(t, sizeof(t), b->amount_kr);
        printf("  block %-4s %15s kr  %s (%s, %s)\n", b->id, t, b->title,
               b->role == ROLE_KOMMUN ? "kommuner" : "regioner", key_kind_label_sv(b->key));
    }
}

int cmd_program(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "d:h", opts, NULL);
        if (c == -1)
            break;
        if (c == 'd') {
            db = optarg;
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    int known = !strcmp(sub, "check") || !strcmp(sub, "load") || !strcmp(sub, "list") ||
                !strcmp(sub, "show");
    if (!known || (!strcmp(sub, "check") && nargs < 1) || (!strcmp(sub, "load") && nargs != 1) ||
        (!strcmp(sub, "show") && nargs != 1) || (!strcmp(sub, "list") && nargs != 0)) {
        usage(stderr);
        return 2;
    }
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    int rc = 0;
    struct svc_actor who;
    struct svc_result res;
    enum lang lang = cli_lang(LANG_SV);
    int64_t now = cli_time();
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    if (!strcmp(sub, "check")) {
        for (int i = optind; i < argc; i++) {
            struct diag d;
            diag_init(&d, 200);
            enum err e = programs_check(s, &who, now, argv[i], &d, &res);
            if (e != ERR_OK) {
                if (d.total)
                    cli_print_diag(&d);
                else
                    cli_print_result("program check", e, &res, lang);
                rc = 1;
            } else {
                printf("%s: ok\n", argv[i]);
            }
            diag_release(&d);
        }
    } else if (!strcmp(sub, "load")) {
        struct diag d;
        diag_init(&d, 200);
        enum err e = programs_load(s, &who, now, argv[optind], &d, &res);
        if (e != ERR_OK) {
            if (d.total)
                cli_print_diag(&d);
            else
                cli_print_result("program load", e, &res, lang);
            rc = 1;
        } else {
            printf("%s: inläst\n", argv[optind]);
        }
        diag_release(&d);
    } else if (!strcmp(sub, "list")) {
        struct store_program *ps = NULL;
        size_t n = 0;
        enum err e = programs_list(s, &who, now, &ps, &n, &res);
        if (e != ERR_OK) {
            cli_print_result("program list", e, &res, lang);
            rc = 1;
        }
        for (size_t i = 0; i < n; i++) {
            char t[32];
            money_fmt_kr(t, sizeof(t), ps[i].total_ore / 100);
            printf("%-22s %17s kr  %s\n", ps[i].id, t, ps[i].title);
        }
        programs_list_free(ps, n);
    } else {
        struct program_view v;
        struct diag d;
        diag_init(&d, 200);
        enum err e = cli_open_program(s, &who, argv[optind], &v, &d, &res);
        if (e != ERR_OK && !v.prog.id[0]) {
            if (d.total)
                cli_print_diag(&d);
            else
                cli_print_result("program show", e, &res, lang);
            rc = 1;
        } else {
            show(&v.prog);
            if (d.total) {
                printf("\n");
                cli_print_diag(&d);
            }
        }
        program_view_release(&v);
        diag_release(&d);
    }
    store_close(s);
    return rc;
}
