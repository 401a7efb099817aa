/* cmd_serve.c - bidrag serve: run the web e-service. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/smtp.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/server.h"

static const struct cliopt serve_opts[] = {
    {"--listen", NULL, "HOST:PORT", 0, NULL,
     "address to listen on (default 127.0.0.1:8080; port 0 picks a free port; the bound address "
     "is printed on stdout)"},
    CLIOPT_DB,
    {"--cookie-secure", NULL, NULL, 0, NULL, "mark cookies Secure (TLS is terminated in front)"},
    {"--trusted-proxy", NULL, "ADDR", 0, NULL,
     "the reverse proxy's address: only requests from it may carry the client's address and a "
     "single sign-on identity"},
    {"--client-header", NULL, "NAME", 0, NULL,
     "the proxy's header with the client's address (default X-Forwarded-For, whose last address "
     "counts; needs --trusted-proxy)"},
    {"--trusted-header", NULL, "NAME", 0, NULL,
     "single sign-on: take the personal identity from this header (needs --trusted-proxy)"},
    {"--idle-timeout", NULL, "SECONDS", 0, NULL,
     "log out after this much inactivity (default 1800)"},
    {"--threads", NULL, "N", 0, NULL, "worker threads (default: one per core, at least 4)"},
    {"--access-log", NULL, "FILE", 0, NULL, "append the access log here (default stderr)"},
    {"--request-timeout", NULL, "SECONDS", 0, NULL,
     "a request's head and body must be in within this time (default 60)"},
    {"--max-connections", NULL, "N", 0, NULL, "connections at once (default 1000)"},
    {"--max-per-address", NULL, "N", 0, NULL,
     "connections at once from one address, the proxy excepted (default 32)"},
    {"--body-memory", NULL, "MIB", 0, NULL, "memory for request bodies in flight (default 64)"},
    {"--disk-reserve", NULL, "MIB", 0, NULL,
     "/healthz reports a full disk below this much free space next to the database (default 64)"},
    {"--config", NULL, "FILE", 0, NULL,
     "the configuration file (else $BIDRAG_CONFIG): with an [smtp] url, the outbox is sent in "
     "the background (bidrag outbox send --help)"},
    {"--audit-interval", NULL, "SECONDS", 0, NULL,
     "sign the audit trail's head into its checkpoints file this often when it moved (default "
     "300; also every 100 records and at stop)"},
};

static const char serve_about[] =
    "Run the web e-service until SIGTERM or SIGINT.\n"
    "The server refuses to start when the audit trail does not hold against its last\n"
    "checkpoint (see 'bidrag audit --help'). The key ring and the checkpoints are\n"
    "keys/audit.key and audit/checkpoints beside the database, or $BIDRAG_AUDIT_KEY\n"
    "and $BIDRAG_AUDIT_CHECKPOINTS.\n"
    "BIDRAG_NOW (ISO 8601 or Unix seconds) shifts the server's clock, for tests.\n";

static const struct cliopt_cmd serve_cmd = {"serve",    "", 0, 0, serve_opts, CLIOPT_N(serve_opts),
                                            serve_about};

static int parse_listen(const char *s, char *host, size_t n, int *port)
{
    const char *colon = strrchr(s, ':');
    int64_t p;
    if (!colon || colon == s || (size_t)(colon - s) >= n)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    if (str_parse_i64(colon + 1, &p) != ERR_OK || p < 0 || p > 65535)
        return -1;
    *port = (int)p;
    return 0;
}

/* The limits given as whole numbers: name's value v into c; 0 or -1
 * (said on stderr). */
static int number_option(struct web_config *c, const char *name, const char *v)
{
    static const struct {
        const char *name;
        int64_t lo, hi;
    } lim[] = {{"--request-timeout", 1, 3600},          {"--max-connections", 16, 100000},
               {"--max-per-address", 1, 100000},        {"--body-memory", 1, 65536},
               {"--disk-reserve", 0, (int64_t)1 << 40}, {"--audit-interval", 1, 86400}};
    int64_t t = 0;
    size_t k = 0;
    size_t nl = strcspn(name, "=");
    while (k < sizeof(lim) / sizeof(lim[0]) &&
           (strlen(lim[k].name) != nl || strncmp(lim[k].name, name, nl) != 0))
        k++;
    if (k == sizeof(lim) / sizeof(lim[0]))
        return -1;
    if (!v || str_parse_i64(v, &t) != ERR_OK || t < lim[k].lo || t > lim[k].hi) {
        fprintf(stderr, "bidrag serve: %s wants %lld to %lld\n", lim[k].name, (long long)lim[k].lo,
                (long long)lim[k].hi);
        return -1;
    }
    if (k == 0)
        c->request_seconds = (int)t;
    else if (k == 1)
        c->max_connections = (int)t;
    else if (k == 2)
        c->max_per_address = (int)t;
    else if (k == 3)
        c->body_memory = (size_t)t << 20;
    else if (k == 4)
        c->disk_reserve = t << 20;
    else
        c->audit_interval = (int)t;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    struct web_config c;
    char host[64];
    const char *v = NULL;
    FILE *log = NULL;
    int rc = 2;
    web_config_init(&c);
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&serve_cmd, argc, argv, &ca, &ex))
        return ex;
    c.db_path = cliopt_or(&ca, "--db", cliopt_db_default());
    c.cookie_secure = cliopt_flag(&ca, "--cookie-secure");
    v = cliopt_get(&ca, "--listen");
    if (v) {
        if (parse_listen(v, host, sizeof(host), &c.port) != 0) {
            fprintf(stderr, "bidrag serve: --listen wants HOST:PORT, not '%s'\n", v);
            return 2;
        }
        c.host = host;
    }
    c.trusted_header = cliopt_get(&ca, "--trusted-header");
    c.trusted_proxy = cliopt_get(&ca, "--trusted-proxy");
    c.client_header = cliopt_get(&ca, "--client-header");
    static const char *const numbers[] = {"--request-timeout", "--max-connections",
                                          "--max-per-address", "--body-memory",
                                          "--disk-reserve",    "--audit-interval"};
    for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++) {
        v = cliopt_get(&ca, numbers[k]);
        if (v && number_option(&c, numbers[k], v) != 0)
            return 2;
    }
    int64_t t;
    v = cliopt_get(&ca, "--idle-timeout");
    if (v) {
        if (str_parse_i64(v, &t) != ERR_OK || t < 1 || t > 86400) {
            fprintf(stderr, "bidrag serve: --idle-timeout wants 1 to 86400 seconds\n");
            return 2;
        }
        c.idle_seconds = t;
    }
    v = cliopt_get(&ca, "--threads");
    if (v) {
        if (str_parse_i64(v, &t) != ERR_OK || t < 1 || t > 64) {
            fprintf(stderr, "bidrag serve: --threads wants 1 to 64\n");
            return 2;
        }
        c.threads = (int)t;
    }
    v = cliopt_get(&ca, "--access-log");
    if (v) {
        log = fopen(v, "a");
        if (!log) {
            fprintf(stderr, "bidrag serve: cannot open '%s' for appending\n", v);
            return 1;
        }
        c.access_log = log;
    }
    if (c.trusted_header && !c.trusted_proxy) {
        fprintf(stderr, "bidrag serve: --trusted-header needs --trusted-proxy\n");
        goto out;
    }
    if (c.client_header && !c.trusted_proxy) {
        fprintf(stderr, "bidrag serve: --client-header needs --trusted-proxy\n");
        goto out;
    }
    if (getenv("BIDRAG_NOW"))
        c.clock_offset = clock_from_env() - (int64_t)time(NULL);
    /* the outbox's sender: on only when the configuration names a relay */
    static struct smtp_conf smtp;
    v = cliopt_get(&ca, "--config");
    if (!v || !v[0])
        v = getenv("BIDRAG_CONFIG");
    if (v && v[0]) {
        struct diag d;
        diag_init(&d, 20);
        enum err ce = smtp_conf_read(v, &smtp, &d);
        if (ce == ERR_OK) {
            c.smtp = &smtp;
            c.smtp_interval = (int)smtp.send_interval_s;
        } else if (ce != ERR_NOTFOUND || d.n != 1 || !strstr(d.msg[0], "no [smtp] url")) {
            for (size_t i = 0; i < d.n; i++)
                fprintf(stderr, "bidrag serve: %s\n", d.msg[i]);
            diag_release(&d);
            goto out;
        }
        diag_release(&d);
    }

    /* Block the stop signals in every thread; web_serve waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char msg[1024];
    if (web_serve(&c, msg, sizeof(msg)) != ERR_OK) {
        fprintf(stderr, "bidrag serve: %s\n", msg);
        rc = 1;
        goto out;
    }
    rc = 0;
    goto out;
out:
    if (log)
        fclose(log);
    return rc;
}
