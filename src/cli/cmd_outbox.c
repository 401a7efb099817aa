/* cmd_outbox.c - bidrag outbox send|list: the notifications queued by the
 * events of a case (service/notify.h), sent through the SMTP relay named
 * in the configuration file, or listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/notify.h"
#include "store/store.h"

#define COMMON {"--as", NULL, "LOGIN", 0, NULL, "the account to act as"}, CLIOPT_DB

static const struct cliopt send_opts[] = {
    {"--config", NULL, "FILE", 0, NULL,
     "the configuration file with the [smtp] section (else $BIDRAG_CONFIG)"},
    {"--max", NULL, "N", 0, NULL, "send at most N messages (default 1000)"},
    COMMON,
};
static const struct cliopt list_opts[] = {
    {"--state", NULL, "STATE", 0, "pending|sent|failed", "only in this state"},
    COMMON,
};
static const char send_about[] =
    "Sends every pending message that is due through the relay of the file's [smtp]\n"
    "section: url = smtp://HOST:PORT or smtps://HOST, from = ADDRESS, user = LOGIN,\n"
    "password_file = FILE (else $BIDRAG_SMTP_PASSWORD), timeout = SECONDS. A message\n"
    "the relay refuses is tried again later (backoff), and marked failed after 8 tries.\n";
static const struct cliopt_cmd sub_send = {"outbox send",       "",        0, 0, send_opts,
                                           CLIOPT_N(send_opts), send_about};
static const struct cliopt_cmd sub_list = {"outbox list",       "",  0, 0, list_opts,
                                           CLIOPT_N(list_opts), NULL};
static const struct cliopt_cmd *const subs[] = {&sub_send, &sub_list};

int cmd_outbox(int argc, char **argv)
{
    int ex;
    const struct cliopt_cmd *sc = cliopt_sub("outbox", subs, CLIOPT_N(subs), argc, argv, &ex);
    struct cliopt_args ca;
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    struct smtp_conf conf;
    size_t max = 1000;
    if (sc == &sub_send) {
        const char *path = cliopt_get(&ca, "--config");
        if (!path)
            path = getenv("BIDRAG_CONFIG");
        if (!path || !path[0]) {
            fprintf(stderr, "bidrag outbox send: no configuration file: give --config FILE or "
                            "set $BIDRAG_CONFIG (see 'bidrag outbox send --help')\n");
            return 2;
        }
        const char *m = cliopt_get(&ca, "--max");
        if (m) {
            char *end = NULL;
            long v = strtol(m, &end, 10);
            if (!end || *end || v < 1 || v > 100000) {
                fprintf(stderr, "bidrag outbox send: --max '%s' is not 1-100000\n", m);
                return 2;
            }
            max = (size_t)v;
        }
        struct diag d;
        diag_init(&d, 20);
        enum err e = smtp_conf_read(path, &conf, &d);
        if (e != ERR_OK) {
            for (size_t i = 0; i < d.n; i++)
                fprintf(stderr, "bidrag outbox send: %s\n", d.msg[i]);
            diag_release(&d);
            return 1;
        }
        diag_release(&d);
    }
    struct store *s = cli_open_store(cliopt_or(&ca, "--db", cliopt_db_default()), 0);
    if (!s)
        return 1;
    struct svc_actor who;
    struct svc_result res;
    int rc = 1;
    if (cli_actor(s, cliopt_get(&ca, "--as"), "", &who) != 0)
        goto out;
    if (sc == &sub_send) {
        struct notify_report rep;
        enum err e = notify_send(s, &who, cli_time(), &conf, max, &rep, &res);
        if (e == ERR_OK && rep.reminders)
            printf("%zu deadline reminders queued\n", rep.reminders);
        cli_print_result("outbox send", e, &res, cli_lang(LANG_EN));
        rc = e == ERR_OK && rep.retry == 0 && rep.failed == 0 ? 0 : 1;
    } else {
        struct store_outbox *rows = NULL;
        size_t n = 0;
        enum err e =
            notify_list(s, &who, cli_time(), cliopt_get(&ca, "--state"), 1000, &rows, &n, &res);
        if (e != ERR_OK) {
            cli_print_result("outbox list", e, &res, cli_lang(LANG_EN));
            goto out;
        }
        printf("%-6s %-9s %-8s %-20s %-32s %s\n", "id", "event", "state", "object", "to",
               "attempts / error");
        for (size_t i = 0; i < n; i++)
            printf("%-6lld %-9s %-8s %-20s %-32s %d%s%s\n", rows[i].id, rows[i].event,
                   rows[i].state, rows[i].object, rows[i].to_addr, rows[i].attempts,
                   rows[i].last_error[0] ? " " : "", rows[i].last_error);
        free(rows);
        rc = 0;
    }
out:
    store_close(s);
    return rc;
}
