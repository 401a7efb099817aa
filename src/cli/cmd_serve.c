/* cmd_serve.c - bidrag serve: run the web e-service. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/server.h"

static const char usage[] =
    "usage: bidrag serve [--listen HOST:PORT] [--db URL] [--cookie-secure]\n"
    "                    [--trusted-proxy ADDR [--client-header NAME] [--trusted-header NAME]]\n"
    "                    [--idle-timeout SECONDS] [--threads N] [--access-log FILE]\n"
    "                    [--request-timeout SECONDS] [--max-connections N]\n"
    "                    [--max-per-address N] [--body-memory MIB] [--disk-reserve MIB]\n"
    "                    [--audit-interval SECONDS]\n"
    "\n"
    "Run the web e-service until SIGTERM or SIGINT.\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080; port 0 picks a\n"
    "                          free port; the bound address is printed on stdout)\n"
    "  --db URL                database: a file, sqlite:FILE (default $BIDRAG_DB or\n"
    "                          var/bidrag.db)\n"
    "  --cookie-secure         mark cookies Secure (TLS is terminated in front)\n"
    "  --trusted-proxy ADDR    the reverse proxy's address: only requests from it may\n"
    "                          carry the client's address and a single sign-on identity\n"
    "  --client-header NAME    the proxy's header with the client's address (default\n"
    "                          X-Forwarded-For, whose last address counts)\n"
    "  --trusted-header NAME   single sign-on: take the personal identity from this header\n"
    "  --idle-timeout SECONDS  log out after this much inactivity (default 1800)\n"
    "  --threads N             worker threads (default 4)\n"
    "  --access-log FILE       append the access log here (default stderr)\n"
    "  --request-timeout SECONDS  a request's head and body must be in within this time\n"
    "                          (default 60)\n"
    "  --max-connections N     connections at once (default 1000)\n"
    "  --max-per-address N     connections at once from one address, the proxy excepted\n"
    "                          (default 32)\n"
    "  --body-memory MIB       memory for request bodies in flight (default 64)\n"
    "  --disk-reserve MIB      /healthz reports a full disk below this much free space\n"
    "                          next to the database (default 64)\n"
    "  --audit-interval SECONDS  sign the audit trail's head into its checkpoints file\n"
    "                          this often when it moved (default 300; also every 100\n"
    "                          records and at stop)\n"
    "The server refuses to start when the audit trail does not hold against its last\n"
    "checkpoint (see 'bidrag audit --help'). The key ring and the checkpoints are\n"
    "keys/audit.key and audit/checkpoints beside the database, or $BIDRAG_AUDIT_KEY\n"
    "and $BIDRAG_AUDIT_CHECKPOINTS.\n"
    "BIDRAG_NOW (ISO 8601 or Unix seconds) shifts the server's clock, for tests.\n";

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
    c.db_path = cliopt_db_default();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--cookie-secure") == 0) {
            c.cookie_secure = 1;
        } else if (cliopt_is(argv[i], "--listen")) {
            v = cliopt_val(argc, argv, &i);
            if (!v || parse_listen(v, host, sizeof(host), &c.port) != 0) {
                fprintf(stderr, "bidrag serve: --listen wants HOST:PORT, not '%s'\n", v ? v : "");
                return 2;
            }
            c.host = host;
        } else if (cliopt_is(argv[i], "--db")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto missing;
            c.db_path = v;
        } else if (cliopt_is(argv[i], "--trusted-header")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto missing;
            c.trusted_header = v;
        } else if (cliopt_is(argv[i], "--trusted-proxy")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto missing;
            c.trusted_proxy = v;
        } else if (cliopt_is(argv[i], "--client-header")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto missing;
            c.client_header = v;
        } else if (cliopt_is(argv[i], "--request-timeout") ||
                   cliopt_is(argv[i], "--max-connections") ||
                   cliopt_is(argv[i], "--max-per-address") || cliopt_is(argv[i], "--body-memory") ||
                   cliopt_is(argv[i], "--disk-reserve") || cliopt_is(argv[i], "--audit-interval")) {
            const char *name = argv[i];
            v = cliopt_val(argc, argv, &i);
            if (number_option(&c, name, v) != 0)
                return 2;
        } else if (cliopt_is(argv[i], "--idle-timeout")) {
            v = cliopt_val(argc, argv, &i);
            int64_t t;
            if (!v || str_parse_i64(v, &t) != ERR_OK || t < 1 || t > 86400) {
                fprintf(stderr, "bidrag serve: --idle-timeout wants 1 to 86400 seconds\n");
                return 2;
            }
            c.idle_seconds = t;
        } else if (cliopt_is(argv[i], "--threads")) {
            v = cliopt_val(argc, argv, &i);
            int64_t t;
            if (!v || str_parse_i64(v, &t) != ERR_OK || t < 1 || t > 64) {
                fprintf(stderr, "bidrag serve: --threads wants 1 to 64\n");
                return 2;
            }
            c.threads = (int)t;
        } else if (cliopt_is(argv[i], "--access-log")) {
            v = cliopt_val(argc, argv, &i);
            if (!v)
                goto missing;
            if (log)
                fclose(log);
            log = fopen(v, "a");
            if (!log) {
                fprintf(stderr, "bidrag serve: cannot open '%s' for appending\n", v);
                return 1;
            }
            c.access_log = log;
        } else {
            fprintf(stderr, "bidrag serve: unknown option '%s' (see 'bidrag serve --help')\n",
                    argv[i]);
            goto out;
        }
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
missing:
    fprintf(stderr, "bidrag serve: '%s' needs a value\n", argv[argc - 1]);
out:
    if (log)
        fclose(log);
    return rc;
}
