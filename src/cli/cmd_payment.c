/* cmd_payment.c - bidrag payment: paying out from the command line, each
 * subcommand one action of service/payments.h as a named account (--as):
 * the agency's bank settings and attest limits, payments of a program's
 * granted decisions, batches, attestation by another person, the bank
 * file and the bank's replies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/payments.h"
#include "util/money.h"
#include "util/str.h"

#define AS_OPT                                                                                     \
    {                                                                                              \
        "--as", NULL, "LOGIN", 0, NULL, "the account to act as (the operator's if left out)"       \
    }

static const char payment_about[] =
    "Paying out (docs/payments.md): 'create' makes a payment for every granted\n"
    "decision of a program that has none; 'batch' gathers the created payments into\n"
    "a batch that its preparer may 'remove' from; another person with the attestant\n"
    "role and a limit that covers the total 'attest's it or 'return's it with a\n"
    "reason; 'file' writes the attested batch's ISO 20022 pain.001.001.03 file\n"
    "(validated against the ISO schema; the same bytes every time); 'reply' reads the\n"
    "bank's pain.002 status report or camt.054 notification; a payment the bank\n"
    "rejected is 'reissue'd with a new end-to-end id. 'settings' and 'limit' are the\n"
    "administrator's.\n";

static const struct cliopt settings_opts[] = {
    {"--bank", NULL, "BANK", CLIOPT_REQUIRED, "danske|swedbank", "the agency's bank"},
    {"--name", NULL, "TEXT", CLIOPT_REQUIRED, NULL, "the agency's name in the file"},
    {"--iban", NULL, "IBAN", CLIOPT_REQUIRED, NULL, "the agency's account"},
    {"--bic", NULL, "BIC", 0, NULL, "its bank's BIC (the bank's default)"},
    {"--initg-id", NULL, "ID", CLIOPT_REQUIRED, NULL, "the id the bank gave the agency"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt limit_opts[] = {AS_OPT, CLIOPT_DB};
static const struct cliopt program_opts[] = {AS_OPT, CLIOPT_DB};
static const struct cliopt batch_opts[] = {
    {"--program", NULL, "ID", 0, NULL, "only this program's payments"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt return_opts[] = {
    {"--reason", NULL, "TEXT", CLIOPT_REQUIRED, NULL, "why it goes back (1-200 characters)"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt file_opts[] = {
    {"--out", "-o", "FILE.xml", CLIOPT_REQUIRED, NULL, "where to write the bank file"},
    {"--data", NULL, "DIR", 0, NULL, "the reference data (the ISO schema)"},
    AS_OPT,
    CLIOPT_DB,
};
static const struct cliopt list_opts[] = {
    {"--program", NULL, "ID", 0, NULL, "only this program's payments"},
    {"--batch", NULL, "NUMBER", 0, NULL, "only this batch's payments"},
    AS_OPT,
    CLIOPT_DB,
};

static const struct cliopt_cmd sub_settings = {
    "payment settings", "", 0, 0, settings_opts, CLIOPT_N(settings_opts), payment_about};
static const struct cliopt_cmd sub_limit = {"payment limit",      "LOGIN KRONOR", 2, 2, limit_opts,
                                            CLIOPT_N(limit_opts), payment_about};
static const struct cliopt_cmd sub_create = {
    "payment create", "PROGRAM", 1, 1, program_opts, CLIOPT_N(program_opts), payment_about};
static const struct cliopt_cmd sub_batch = {"payment batch",      "",           0, 0, batch_opts,
                                            CLIOPT_N(batch_opts), payment_about};
static const struct cliopt_cmd sub_remove = {
    "payment remove", "BATCH DECISION", 2, 2, program_opts, CLIOPT_N(program_opts), payment_about};
static const struct cliopt_cmd sub_attest = {
    "payment attest", "BATCH", 1, 1, program_opts, CLIOPT_N(program_opts), payment_about};
static const struct cliopt_cmd sub_return = {"payment return",      "BATCH",      1, 1, return_opts,
                                             CLIOPT_N(return_opts), payment_about};
static const struct cliopt_cmd sub_file = {"payment file",      "BATCH",      1, 1, file_opts,
                                           CLIOPT_N(file_opts), payment_about};
static const struct cliopt_cmd sub_reply = {
    "payment reply", "FILE.xml", 1, 1, program_opts, CLIOPT_N(program_opts), payment_about};
static const struct cliopt_cmd sub_reissue = {
    "payment reissue", "DECISION", 1, 1, program_opts, CLIOPT_N(program_opts), payment_about};
static const struct cliopt_cmd sub_list = {"payment list",      "",           0, 0, list_opts,
                                           CLIOPT_N(list_opts), payment_about};
static const struct cliopt_cmd sub_batches = {"payment batches",    "",           0, 0, limit_opts,
                                              CLIOPT_N(limit_opts), payment_about};
static const struct cliopt_cmd *const payment_subs[] = {
    &sub_settings, &sub_limit, &sub_create, &sub_batch,   &sub_remove, &sub_attest,
    &sub_return,   &sub_file,  &sub_reply,  &sub_reissue, &sub_list,   &sub_batches};

static const char *money(int64_t ore, char *out, size_t n)
{
    money_fmt_ore(out, n, ore);
    return out;
}

static int done(const char *what, enum err e, const struct svc_result *res)
{
    cli_print_result(what, e, res, cli_lang(LANG_SV));
    return e == ERR_OK ? 0 : 1;
}

static int run(const struct cliopt_cmd *sc, const struct cliopt_args *ca, struct store *s,
               const struct svc_actor *who)
{
    int64_t now = cli_time();
    struct svc_result res;
    char m1[64];
    enum err e;
    if (sc == &sub_settings) {
        const char *bank = cliopt_get(ca, "--bank");
        e = pay_settings_set(s, who, now,
                             strcmp(bank, "swedbank") == 0 ? PAIN001_SWEDBANK : PAIN001_DANSKE,
                             cliopt_get(ca, "--name"), cliopt_get(ca, "--iban"),
                             cliopt_or(ca, "--bic", ""), cliopt_get(ca, "--initg-id"), &res);
        if (e == ERR_OK)
            printf("bank settings saved\n");
        return done("payment settings", e, &res);
    }
    if (sc == &sub_limit) {
        int64_t kr = 0;
        if (str_parse_i64(cliopt_arg(ca, 1), &kr) != ERR_OK || kr < 0 ||
            kr > PAYMENT_AMOUNT_MAX / 100) {
            fprintf(stderr, "bidrag payment limit: KRONOR is a whole number of kronor, not '%s'\n",
                    cliopt_arg(ca, 1));
            return 2;
        }
        e = pay_limit_set(s, who, now, cliopt_arg(ca, 0), kr * 100, &res);
        if (e == ERR_OK)
            printf("attest limit of %s: %s\n", cliopt_arg(ca, 0), money(kr * 100, m1, sizeof(m1)));
        return done("payment limit", e, &res);
    }
    if (sc == &sub_create) {
        size_t n = 0;
        int64_t total = 0;
        e = pay_create(s, who, now, cliopt_arg(ca, 0), &n, &total, &res);
        if (e == ERR_OK)
            printf("payments created: %zu, %s\n", n, money(total, m1, sizeof(m1)));
        return done("payment create", e, &res);
    }
    if (sc == &sub_batch) {
        char number[PAYMENT_ID_SIZE];
        size_t n = 0;
        int64_t total = 0;
        e = pay_batch_new(s, who, now, cliopt_get(ca, "--program"), number, &n, &total, &res);
        if (e == ERR_OK)
            printf("batch %s: %zu payments, %s\n", number, n, money(total, m1, sizeof(m1)));
        return done("payment batch", e, &res);
    }
    if (sc == &sub_remove) {
        e = pay_batch_remove(s, who, now, cliopt_arg(ca, 0), cliopt_arg(ca, 1), &res);
        if (e == ERR_OK)
            printf("%s taken out of %s\n", cliopt_arg(ca, 1), cliopt_arg(ca, 0));
        return done("payment remove", e, &res);
    }
    if (sc == &sub_attest) {
        e = pay_batch_attest(s, who, now, cliopt_arg(ca, 0), &res);
        if (e == ERR_OK)
            printf("batch %s attested by %s\n", cliopt_arg(ca, 0), who->login);
        return done("payment attest", e, &res);
    }
    if (sc == &sub_return) {
        e = pay_batch_return(s, who, now, cliopt_arg(ca, 0), cliopt_get(ca, "--reason"), &res);
        if (e == ERR_OK)
            printf("batch %s sent back\n", cliopt_arg(ca, 0));
        return done("payment return", e, &res);
    }
    if (sc == &sub_file) {
        struct buf out;
        buf_init(&out, (size_t)1 << 30);
        struct diag d;
        diag_init(&d, 50);
        char msg_id[PAYMENT_ID_SIZE];
        e = pay_batch_file(s, who, now, cliopt_arg(ca, 0), cli_data_dir(cliopt_get(ca, "--data")),
                           &out, msg_id, &d, &res);
        int rc = done("payment file", e, &res);
        if (e != ERR_OK && d.total)
            cli_print_diag(&d);
        if (e == ERR_OK) {
            if (cli_write_out(cliopt_get(ca, "--out"), &out) != 0)
                rc = 1;
            else
                printf("file %s: %zu bytes, valid against pain.001.001.03\n", msg_id, out.len);
        }
        diag_release(&d);
        buf_release(&out);
        return rc;
    }
    if (sc == &sub_reply) {
        struct buf in;
        buf_init(&in, (size_t)64 << 20);
        struct diag d;
        diag_init(&d, 50);
        const char *path = cliopt_arg(ca, 0);
        int rc = 1;
        if (buf_read_file_diag(&in, path, &d) != ERR_OK) {
            cli_print_diag(&d);
        } else {
            struct pay_reply_sum sum;
            e = pay_reply(s, who, now, in.p, in.len, path, &sum, &d, &res);
            rc = done("payment reply", e, &res);
            if (e != ERR_OK && d.total)
                cli_print_diag(&d);
            if (e == ERR_OK)
                printf("%s%s%s: accepted %zu, rejected %zu, booked %zu, unchanged %zu, unknown "
                       "%zu, not ours %zu%s\n",
                       sum.format, sum.file[0] ? " for " : "", sum.file, sum.accepted, sum.rejected,
                       sum.booked, sum.unchanged, sum.unknown, sum.unmatched,
                       sum.file_refused ? "; the bank refused the whole file" : "");
        }
        diag_release(&d);
        buf_release(&in);
        return rc;
    }
    if (sc == &sub_reissue) {
        e = pay_reissue(s, who, now, cliopt_arg(ca, 0), &res);
        if (e == ERR_OK)
            printf("%s issued again\n", cliopt_arg(ca, 0));
        return done("payment reissue", e, &res);
    }
    if (sc == &sub_list) {
        struct store_payment *ps = NULL;
        size_t n = 0;
        e = pay_list(s, who, now, cliopt_get(ca, "--program"), cliopt_get(ca, "--batch"), &ps, &n,
                     &res);
        if (e != ERR_OK)
            return done("payment list", e, &res);
        printf("decision,issue,case,recipient,amount_ore,due,state,file,bank_code\n");
        for (size_t i = 0; i < n; i++) {
            char due[11];
            date_fmt(due, sizeof(due), ps[i].p.due);
            printf("%s,%d,%s,%s,%lld,%s,%s,%s,%s\n", ps[i].p.decision, ps[i].p.issue,
                   ps[i].p.case_no, ps[i].recipient, (long long)ps[i].p.amount, due,
                   payment_state_id(ps[i].p.state), ps[i].p.file_id, ps[i].p.bank_code);
        }
        free(ps);
        return 0;
    }
    struct store_pay_batch *bs = NULL;
    size_t n = 0;
    e = pay_batches(s, who, now, &bs, &n, &res);
    if (e != ERR_OK)
        return done("payment batches", e, &res);
    printf("batch,state,prepared_by,attested_by,file\n");
    for (size_t i = 0; i < n; i++)
        printf("%s,%s,%s,%s,%s\n", bs[i].number, payment_batch_state_id(bs[i].b.state),
               bs[i].b.prepared_by, bs[i].b.attested_by, bs[i].b.file_id);
    free(bs);
    return 0;
}

int cmd_payment(int argc, char **argv)
{
    int ex;
    struct cliopt_args ca;
    const struct cliopt_cmd *sc =
        cliopt_sub("payment", payment_subs, CLIOPT_N(payment_subs), argc, argv, &ex);
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    struct store *s = cli_open_store(cli_db_path(cliopt_get(&ca, "--db")), 0);
    if (!s)
        return 1;
    struct svc_actor who;
    int rc = 1;
    if (cli_actor(s, cliopt_get(&ca, "--as"), "", &who) == 0)
        rc = run(sc, &ca, s, &who);
    store_close(s);
    return rc;
}
