/* webtest.h - helpers for the web integration tests: a temporary folder,
 * the bidrag command, a real server on a free port, and an HTTP client
 * (libcurl) that keeps its own cookies. Header-only: each test_web_*.c
 * is its own executable. */
#ifndef BIDRAG_TESTS_WEBTEST_H
#define BIDRAG_TESTS_WEBTEST_H

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"

struct wt_server {
    pid_t pid;
    int port;
    char log[600];
};

static char wt_dir[500];
static char wt_db[560];

static const char *wt_bidrag(void)
{
    const char *b = getenv("BIDRAG");
    return b && b[0] ? b : "./bidrag";
}

/* Make a fresh temporary folder and database path: an SQLite file in
 * the folder, or the empty database BIDRAG_TEST_DB_URL names (a
 * postgresql:// URL; tests/pg/test_pg_eservice.sh runs the e-service's
 * tests so), with the audit trail's key ring and checkpoints in the
 * folder (for SQLite they are beside the file anyway). */
__attribute__((unused)) static void wt_tmpdir(const char *name)
{
    const char *base = getenv("TMPDIR");
    const char *url = getenv("BIDRAG_TEST_DB_URL");
    snprintf(wt_dir, sizeof(wt_dir), "%s/bidrag-%s-XXXXXX", base && base[0] ? base : "/tmp", name);
    if (!mkdtemp(wt_dir)) {
        fprintf(stderr, "mkdtemp failed\n");
        exit(1);
    }
    if (url && url[0]) {
        char path[600];
        if ((size_t)snprintf(wt_db, sizeof(wt_db), "%s", url) >= sizeof(wt_db)) {
            fprintf(stderr, "BIDRAG_TEST_DB_URL is too long\n");
            exit(1);
        }
        snprintf(path, sizeof(path), "%s/keys/audit.key", wt_dir);
        setenv("BIDRAG_AUDIT_KEY", path, 1);
        snprintf(path, sizeof(path), "%s/audit/checkpoints", wt_dir);
        setenv("BIDRAG_AUDIT_CHECKPOINTS", path, 1);
        return;
    }
    snprintf(wt_db, sizeof(wt_db), "%s/bidrag.db", wt_dir);
}

/* Remove the temporary folder (keep it with BIDRAG_KEEP_TMP=1). */
__attribute__((unused)) static void wt_cleanup(void)
{
    const char *keep = getenv("BIDRAG_KEEP_TMP");
    char cmd[600];
    if (!wt_dir[0] || (keep && keep[0] == '1'))
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", wt_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", wt_dir);
}

/* Run a shell command line (printf-style); returns the exit status. */
__attribute__((unused)) static int wt_sh(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
__attribute__((unused)) static int wt_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* Run a command line and capture the first line of its stdout. */
__attribute__((unused)) static int wt_capture(char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
__attribute__((unused)) static int wt_capture(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    out[0] = '\0';
    if (!p)
        return -1;
    if (fgets(out, (int)n, p)) {
        size_t l = strlen(out);
        while (l && (out[l - 1] == '\n' || out[l - 1] == '\r'))
            out[--l] = '\0';
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Add a user with a password and roles ("admin", "ombud@0180", ...). */
__attribute__((unused)) static int wt_user(const char *login, const char *name,
                                           const char *password, const char *roles)
{
    int rc = wt_sh("printf '%%s\\n' '%s' | '%s' user add '%s' --name '%s' --db '%s' >/dev/null",
                   password, wt_bidrag(), login, name, wt_db);
    if (rc != 0)
        return rc;
    char list[256];
    snprintf(list, sizeof(list), "%s", roles ? roles : "");
    char *r = list;
    while (*r) {
        char *sp = strchr(r, ' ');
        char *next = sp ? sp + 1 : r + strlen(r);
        if (sp)
            *sp = '\0';
        char *at = strchr(r, '@');
        if (at) {
            *at = '\0';
            rc = wt_sh("'%s' user role '%s' '%s' --org '%s' --db '%s' >/dev/null", wt_bidrag(),
                       login, r, at + 1, wt_db);
        } else if (*r) {
            rc = wt_sh("'%s' user role '%s' '%s' --db '%s' >/dev/null", wt_bidrag(), login, r,
                       wt_db);
        }
        if (rc != 0)
            return rc;
        r = next;
    }
    return 0;
}

/* Start `bidrag serve --listen 127.0.0.1:0 --db wt_db EXTRA...` and read
 * the port it prints. */
__attribute__((unused)) static int wt_start(struct wt_server *sv, const char *const *extra)
{
    int fd[2];
    const char *argv[32];
    int argc = 0;
    static int serial;
    snprintf(sv->log, sizeof(sv->log), "%s/server-%d.log", wt_dir, ++serial);
    argv[argc++] = wt_bidrag();
    argv[argc++] = "serve";
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1:0";
    argv[argc++] = "--db";
    argv[argc++] = wt_db;
    argv[argc++] = "--access-log";
    argv[argc++] = sv->log;
    for (int i = 0; extra && extra[i] && argc < 30; i++)
        argv[argc++] = extra[i];
    argv[argc] = NULL;
    if (pipe(fd) != 0)
        return -1;
    sv->pid = fork();
    if (sv->pid < 0)
        return -1;
    if (sv->pid == 0) {
        char errlog[700];
        snprintf(errlog, sizeof(errlog), "%s.stderr", sv->log);
        FILE *ef = fopen(errlog, "w");
        if (ef)
            dup2(fileno(ef), 2);
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    char line[256] = "";
    if (!f || !fgets(line, sizeof(line), f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    const char *colon = strrchr(line, ':');
    sv->port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
    return sv->port > 0 ? 0 : -1;
}

/* SIGTERM the server; returns its exit status (0 = clean). */
__attribute__((unused)) static int wt_stop(struct wt_server *sv)
{
    int st = 0;
    if (sv->pid <= 0)
        return -1;
    kill(sv->pid, SIGTERM);
    if (waitpid(sv->pid, &st, 0) != sv->pid)
        return -1;
    sv->pid = 0;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (rc != 0) {
        char cmd[1500];
        snprintf(cmd, sizeof(cmd), "echo 'server exit %d:' >&2; cat '%s.stderr' >&2", rc, sv->log);
        if (system(cmd) != 0)
            fprintf(stderr, "(no server stderr)\n");
    }
    return rc;
}

/* An HTTP client with its own cookie store. */
struct wt_client {
    CURL *curl;
    int port;
    const char *bearer;
    const char *extra_header; /* "Name: value" or NULL */
    const char *accept_language;
};

struct wt_resp {
    long status;
    struct buf body;
    struct buf headers;
};

__attribute__((unused)) static void wt_client_init(struct wt_client *c, int port)
{
    memset(c, 0, sizeof(*c));
    c->port = port;
    c->curl = curl_easy_init();
    curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
}

__attribute__((unused)) static void wt_client_release(struct wt_client *c)
{
    curl_easy_cleanup(c->curl);
}

static size_t wt_write(char *p, size_t sz, size_t n, void *ud)
{
    struct buf *b = ud;
    buf_append(b, p, sz * n);
    return sz * n;
}

__attribute__((unused)) static void wt_resp_release(struct wt_resp *r)
{
    buf_release(&r->body);
    buf_release(&r->headers);
}

/* GET (body NULL) or POST (body = urlencoded form) a path. */
__attribute__((unused)) static void wt_req(struct wt_client *c, const char *method,
                                           const char *path, const char *body, struct wt_resp *r)
{
    char url[1024], hdr[512];
    struct curl_slist *hl = NULL;
    buf_init(&r->body, 16 << 20);
    buf_init(&r->headers, 1 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->port, path);
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, wt_write);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
        curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body ? body : "");
    } else {
        curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    }
    if (c->bearer) {
        snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", c->bearer);
        hl = curl_slist_append(hl, hdr);
    }
    if (c->extra_header)
        hl = curl_slist_append(hl, c->extra_header);
    if (c->accept_language) {
        snprintf(hdr, sizeof(hdr), "Accept-Language: %s", c->accept_language);
        hl = curl_slist_append(hl, hdr);
    }
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
    r->status = 0;
    if (curl_easy_perform(c->curl) == CURLE_OK)
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
}

/* Status of a request, discarding the body. */
__attribute__((unused)) static long wt_status(struct wt_client *c, const char *method,
                                              const char *path, const char *body)
{
    struct wt_resp r;
    wt_req(c, method, path, body, &r);
    long s = r.status;
    wt_resp_release(&r);
    return s;
}

/* The value of the first hidden csrf field in a page ("" if none). */
__attribute__((unused)) static void wt_csrf(const char *html, char out[65])
{
    const char *p = html ? strstr(html, "name=\"csrf\" value=\"") : NULL;
    out[0] = '\0';
    if (!p)
        return;
    p += strlen("name=\"csrf\" value=\"");
    size_t i = 0;
    while (i < 64 && p[i] && p[i] != '"') {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

/* The csrf token on a page fetched with GET. */
__attribute__((unused)) static void wt_csrf_of(struct wt_client *c, const char *path, char out[65])
{
    struct wt_resp r;
    wt_req(c, "GET", path, NULL, &r);
    wt_csrf(r.body.p, out);
    wt_resp_release(&r);
}

/* Log in through the form; returns the POST's status (303 on success). */
__attribute__((unused)) static long wt_login(struct wt_client *c, const char *login,
                                             const char *password)
{
    char csrf[65], body[512];
    wt_csrf_of(c, "/login", csrf);
    char *el = curl_easy_escape(c->curl, login, 0);
    char *ep = curl_easy_escape(c->curl, password, 0);
    snprintf(body, sizeof(body), "csrf=%s&login=%s&password=%s", csrf, el, ep);
    curl_free(el);
    curl_free(ep);
    return wt_status(c, "POST", "/login", body);
}

/* 1 if the response headers hold this line start (case-insensitive name). */
__attribute__((unused)) static int wt_has_header(const struct wt_resp *r, const char *start)
{
    size_t n = strlen(start);
    const char *p = r->headers.p;
    while (p && *p) {
        if (strncasecmp(p, start, n) == 0)
            return 1;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

/* The value of the cookie name held by the client ("" if none). */
__attribute__((unused)) static void wt_cookie(struct wt_client *c, const char *name, char *out,
                                              size_t n)
{
    struct curl_slist *l = NULL;
    out[0] = '\0';
    if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &l) != CURLE_OK)
        return;
    for (struct curl_slist *i = l; i; i = i->next) {
        /* domain, flag, path, secure, expiry, name, value (tab-separated) */
        const char *f = i->data;
        for (int k = 0; k < 5 && f; k++) {
            f = strchr(f, '\t');
            if (f)
                f++;
        }
        size_t nl = strlen(name);
        if (f && strncmp(f, name, nl) == 0 && f[nl] == '\t')
            snprintf(out, n, "%s", f + nl + 1);
    }
    curl_slist_free_all(l);
}

/* The resident memory of a process in KiB (-1 if unknown). */
__attribute__((unused)) static long wt_rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

/* Milliseconds on a monotonic clock. */
__attribute__((unused)) static long long wt_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Raw connections, for clients that misbehave on purpose: a non-blocking
 * TCP socket from source address src (any 127.x.y.z works on loopback) to
 * 127.0.0.1:port; -1 on failure. */
__attribute__((unused)) static int wt_raw_open(const char *src, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sin;
    if (fd < 0)
        return -1;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    if (src && inet_pton(AF_INET, src, &sin.sin_addr) == 1 &&
        bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        close(fd);
        return -1;
    }
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send as much of the n bytes as the socket takes within timeout_ms;
 * returns the bytes sent (-1 when the peer closed). */
__attribute__((unused)) static long wt_raw_send(int fd, const void *p, size_t n, int timeout_ms)
{
    size_t off = 0;
    long long end = wt_ms() + timeout_ms;
    while (off < n) {
        struct pollfd pf = {fd, POLLOUT, 0};
        long long left = end - wt_ms();
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
            break;
        ssize_t w = send(fd, (const char *)p + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w <= 0)
            return off ? (long)off : -1;
        off += (size_t)w;
    }
    return (long)off;
}

/* 1 if the server has closed the connection (reading what it sent). */
__attribute__((unused)) static int wt_raw_closed(int fd)
{
    char b[4096];
    for (;;) {
        ssize_t r = recv(fd, b, sizeof(b), MSG_DONTWAIT);
        if (r == 0)
            return 1;
        if (r < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : 1;
    }
}

/* Wait up to timeout_ms for a response's status line; its status, or 0. */
__attribute__((unused)) static long wt_raw_status(int fd, int timeout_ms)
{
    char b[64];
    size_t n = 0;
    long long end = wt_ms() + timeout_ms;
    while (n < 12) {
        struct pollfd pf = {fd, POLLIN, 0};
        long long left = end - wt_ms();
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
            return 0;
        ssize_t r = recv(fd, b + n, sizeof(b) - 1 - n, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0)
            return 0;
        n += (size_t)r;
    }
    b[n] = '\0';
    if (strncmp(b, "HTTP/1.", 7) != 0)
        return 0;
    return strtol(b + 9, NULL, 10);
}

#endif
