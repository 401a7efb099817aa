/* cmd_program.c - bidrag program check|load|list|show|confirm-standin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/programs.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/money.h"
#include "util/msg.h"
#include "util/str.h"

static const struct cliopt program_opts[] = {CLIOPT_DB};

static const struct cliopt_cmd program_check = {
    "program check",
    "FILE...",
    1,
    -1,
    program_opts,
    CLIOPT_N(program_opts),
    "Check program files and compute their allocations, storing nothing.\n"};
static const struct cliopt_cmd program_load = {"program load",
                                               "FILE",
                                               1,
                                               1,
                                               program_opts,
                                               CLIOPT_N(program_opts),
                                               "Store a checked program file in the database.\n"};
static const struct cliopt_cmd program_list = {"program list",         "",  0, 0, program_opts,
                                               CLIOPT_N(program_opts), NULL};
static const struct cliopt_cmd program_show = {"program show",
                                               "ID",
                                               1,
                                               1,
                                               program_opts,
                                               CLIOPT_N(program_opts),
                                               "ID is a stored program's id or a program file.\n"};
static const struct cliopt standin_opts[] = {
    {"--reason", NULL, "TEXT", CLIOPT_REQUIRED, NULL,
     "why the program may open on the stand-in data"},
    {"--as", NULL, "LOGIN", 0, NULL, "the officer (handläggare) who confirms"},
    CLIOPT_DB,
};
static const struct cliopt_cmd program_standin = {
    "program confirm-standin",
    "ID",
    1,
    1,
    standin_opts,
    CLIOPT_N(standin_opts),
    "Confirm that the stored program ID may open for requisition although its\n"
    "allocation rests on stand-in data (a fallback population date or an\n"
    "illustrative series; 'bidrag program check' warns about them). Recorded with\n"
    "the reason, who and when, audited, and shown on the program page. A later\n"
    "change of the stand-ins needs a new confirmation; loading the named series\n"
    "needs none.\n"};
static const struct cliopt_cmd *const program_subs[] = {
    &program_check, &program_load, &program_list, &program_show, &program_standin};

static void show(const struct program *p, enum lang lg)
{
    char t[32], ds[16];
    money_fmt_kr(t, sizeof(t), p->total_kr);
    printf(i18n_tr(lg, N_("%s\n  id:           %s\n  diarienummer: %s\n  totalt:       %s kr\n")),
           program_text(lg, p->title, p->title_en), p->id, p->diarienummer, t);
    struct {
        const char *label;
        struct date d;
    } dates[] = {{N_("beslutsdatum"), p->decision_date},
                 {N_("rekvisition öppnar"), p->requisition_opens},
                 {N_("rekvisition stänger"), p->requisition_closes},
                 {N_("omfördelning"), p->redistribution_date},
                 {N_("till Kammarkollegiet"), p->kammarkollegiet_requisition},
                 {N_("redovisning senast"), p->reporting_deadline},
                 {N_("återbetalning senast"), p->repayment_deadline},
                 {N_("delredovisning"), p->interim_report},
                 {N_("slutredovisning"), p->final_report}};
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        if (!date_is_set(dates[i].d))
            continue;
        date_fmt(ds, sizeof(ds), dates[i].d);
        char lab[64];
        printf("  %s %s\n", str_pad(lab, sizeof(lab), i18n_tr(lg, dates[i].label), 21, 0), ds);
    }
    printf(i18n_tr(lg, N_("  omfördelning:         %s\n")),
           p->redistribution == PROG_REDIST_YES
               ? i18n_tr(lg, N_("ja (beslutet medger den)"))
               : i18n_tr(lg, N_("nej (det som inte rekvireras betalas inte ut)")));
    printf(i18n_tr(lg, N_("  överklagande:         %s%s%s%s\n")),
           p->appeal == PROG_APPEAL_NONE ? i18n_tr(lg, N_("får inte överklagas"))
                                         : i18n_tr(lg, N_("till förvaltningsrätten")),
           p->appeal_basis[0] ? " (" : "", p->appeal_basis, p->appeal_basis[0] ? ")" : "");
    for (size_t i = 0; i < p->napprop; i++) {
        money_fmt_kr(t, sizeof(t), p->approp[i].amount_kr);
        printf(i18n_tr(lg, N_("  anslagspost %-8s %s kr  %s\n")), p->approp[i].id, t,
               program_text(lg, p->approp[i].name, p->approp[i].name_en));
    }
    for (size_t i = 0; i < p->npurposes; i++)
        printf(i18n_tr(lg, N_("  ändamål %-12s %s\n")), p->purposes[i].id,
               program_text(lg, p->purposes[i].title, p->purposes[i].title_en));
    for (size_t i = 0; i < p->nblocks; i++) {
        const struct block *b = &p->blocks[i];
        money_fmt_kr(t, sizeof(t), b->amount_kr);
        printf("  block %-4s %15s kr  %s (%s, %s)\n", b->id, t,
               program_text(lg, b->title, b->title_en),
               b->role == ROLE_KOMMUN ? i18n_tr(lg, N_("kommuner")) : i18n_tr(lg, N_("regioner")),
               i18n_tr(lg, key_kind_label_sv(b->key)));
    }
}

/* The stand-in state of a stored program (none for a file). */
static void standin_show(struct store *s, const struct svc_actor *who, int64_t now,
                         const struct program_view *v, enum lang lang)
{
    struct programs_standin st;
    struct svc_result res;
    if (!v->stored.id[0] || programs_standin_get(s, who, now, v, &st, &res) != ERR_OK ||
        !st.standin)
        return;
    struct msg m;
    char text[1024];
    int64_t t = 0;
    if (st.confirmed && clock_parse(st.last.confirmed_at, &t) == ERR_OK)
        msg_setf(&m, M_("Ersättningsuppgifter: bekräftade av {1} {2}. Skäl: {3}"),
                 msg_str(st.last.confirmed_by), msg_time(t), msg_str(st.last.reason));
    else
        msg_set(&m, M_("Ersättningsuppgifter: inte bekräftade. Statsbidraget kan inte "
                       "rekvireras förrän uppgifterna som beslutet anger är inlästa eller en "
                       "handläggare har bekräftat ersättningsuppgifterna."));
    msg_render(&m, lang, text, sizeof(text));
    printf("  %s\n", text);
}

int cmd_program(int argc, char **argv)
{
    int ex;
    const struct cliopt_cmd *sc =
        cliopt_sub("program", program_subs, CLIOPT_N(program_subs), argc, argv, &ex);
    struct cliopt_args ca;
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    const char *db = cliopt_get(&ca, "--db");
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    int rc = 0;
    struct svc_actor who;
    struct svc_result res;
    enum lang lang = cli_lang(LANG_SV);
    int64_t now = cli_time();
    if (cli_actor(s, sc == &program_standin ? cliopt_get(&ca, "--as") : NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    if (sc == &program_check) {
        for (size_t i = 0; i < cliopt_nargs(&ca); i++) {
            const char *file = cliopt_arg(&ca, i);
            struct diag d;
            struct program_view v;
            diag_init(&d, 200);
            enum err e = programs_open_file(s, &who, now, file, &v, &d, &res);
            if (e != ERR_OK) {
                if (d.total)
                    cli_print_diag(&d);
                else
                    cli_print_result("program check", e, &res, lang);
                rc = 1;
            } else {
                /* stand-in data: a warning, not an error */
                programs_standin_warn(&v, file, &d);
                cli_print_diag(&d);
                printf("%s: ok\n", file);
            }
            program_view_release(&v);
            diag_release(&d);
        }
    } else if (sc == &program_load) {
        struct diag d;
        diag_init(&d, 200);
        enum err e = programs_load(s, &who, now, cliopt_arg(&ca, 0), &d, &res);
        if (e != ERR_OK) {
            if (d.total)
                cli_print_diag(&d);
            else
                cli_print_result("program load", e, &res, lang);
            rc = 1;
        } else {
            printf(i18n_tr(lang, N_("%s: inläst\n")), cliopt_arg(&ca, 0));
        }
        diag_release(&d);
    } else if (sc == &program_list) {
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
            /* the title in English from the program itself, where it has one */
            const char *title = ps[i].title;
            struct programs_shared *sh = NULL;
            if (lang == LANG_EN &&
                programs_view(s, &who, now, ps[i].id, &sh, NULL, &res) == ERR_OK) {
                const struct program *pp = &programs_shared_view(sh)->prog;
                title = program_text(lang, pp->title, pp->title_en);
            }
            printf("%-22s %17s kr  %s\n", ps[i].id, t, title);
            programs_shared_release(sh);
        }
        programs_list_free(ps, n);
    } else if (sc == &program_standin) {
        enum err e = programs_confirm_standin(s, &who, now, cliopt_arg(&ca, 0),
                                              cliopt_get(&ca, "--reason"), &res);
        cli_print_result("program confirm-standin", e, &res, lang);
        rc = e != ERR_OK;
    } else {
        struct program_view v;
        struct diag d;
        diag_init(&d, 200);
        enum err e = cli_open_program(s, &who, cliopt_arg(&ca, 0), &v, &d, &res);
        if (e != ERR_OK && !v.prog.id[0]) {
            if (d.total)
                cli_print_diag(&d);
            else
                cli_print_result("program show", e, &res, lang);
            rc = 1;
        } else {
            show(&v.prog, lang);
            standin_show(s, &who, now, &v, lang);
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
