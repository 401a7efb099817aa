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
    "                    [--trusted-header NAME --trusted-proxy ADDR]\n"
    "                    [--idle-timeout SECONDS] [--threads N] [--access-log FILE]\n"
    "\n"
    "Run the web e-service until SIGTERM or SIGINT.\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080; port 0 picks a\n"
    "                          free port; the bound address is printed on stdout)\n"
    "  --db URL                database: a file, sqlite:FILE (default $BIDRAG_DB or\n"
    "                          var/bidrag.db)\n"
    "  --cookie-secure         mark cookies Secure (TLS is terminated in front)\n"
    "  --trusted-header NAME   single sign-on: take the personal identity from this header\n"
    "  --trusted-proxy ADDR    ... but only from requests coming from this address\n"
    "  --idle-timeout SECONDS  log out after this much inactivity (default 1800)\n"
    "  --threads N             worker threads (default 4)\n"
    "  --access-log FILE       append the access log here (default stderr)\n"
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
    if ((c.trusted_header == NULL) != (c.trusted_proxy == NULL)) {
        fprintf(stderr, "bidrag serve: --trusted-header and --trusted-proxy go together\n");
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

    char msg[256];
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
