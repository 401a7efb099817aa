/* server.c - libmicrohttpd glue: connections, request bodies, per-thread
 * database connections, security headers, the access log and shutdown. */
#include "web/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "service/auth.h"
#include "util/civil.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/web.h"

#define MAX_STORES 64
#define DRAIN_SECONDS 10 /* how long shutdown waits for requests in flight */

static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

struct server {
    const struct web_config *cfg;
    pthread_mutex_t lock;
    struct store *stores[MAX_STORES];
    size_t nstores;
    FILE *log;
    int inflight; /* requests begun and not yet completed (under lock) */
};

/* One per connection: the body being received and what the log needs. */
struct conn_ctx {
    struct buf body;
    int too_large;
    struct timespec start;
    int status;
    size_t bytes;
    char user[128];
    char method[16];
    char path[256];
};

static _Thread_local struct store *thread_store;

void web_config_init(struct web_config *c)
{
    memset(c, 0, sizeof(*c));
    c->host = "127.0.0.1";
    c->port = 8080;
    c->db_path = "var/bidrag.db";
    c->idle_seconds = 30 * 60;
    c->threads = 4;
}

/* This worker thread's database connection (opened on first use). */
static struct store *worker_store(struct server *srv)
{
    if (thread_store)
        return thread_store;
    struct store *s = NULL;
    if (store_open(srv->cfg->db_path, STORE_OPEN_EXISTING, &s) != ERR_OK)
        return NULL;
    pthread_mutex_lock(&srv->lock);
    if (srv->nstores < MAX_STORES) {
        srv->stores[srv->nstores++] = s;
        thread_store = s;
    }
    pthread_mutex_unlock(&srv->lock);
    if (!thread_store)
        store_close(s);
    return thread_store;
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct web_req *r, struct conn_ctx *cx)
{
    const char *body;
    size_t len;
    if (r->has_data) {
        body = r->data.p ? r->data.p : "";
        len = r->data.len;
    } else {
        body = r->out.b.p ? r->out.b.p : "";
        len = r->out.b.len;
    }
    if (r->data.failed || html_failed(&r->out)) {
        r->status = 500;
        body = "internal error: response too large\n";
        len = strlen(body);
        r->ctype = "text/plain; charset=utf-8";
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    int cacheable = 0;
    for (size_t i = 0; i < r->nhdr; i++) {
        MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
        if (strcmp(r->hdr[i].name, "Cache-Control") == 0)
            cacheable = 1;
    }
    if (!cacheable)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    cx->status = r->status;
    cx->bytes = len;
    if (r->authed)
        str_copy(cx->user, sizeof(cx->user), r->sess.account.login);
    return ret;
}

static enum MHD_Result simple(struct MHD_Connection *conn, struct conn_ctx *cx, int status,
                              const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    cx->status = status;
    cx->bytes = strlen(text);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct conn_ctx *cx = *con_cls;
    if (!cx) {
        cx = calloc(1, sizeof(*cx));
        if (!cx)
            return MHD_NO;
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        buf_init(&cx->body, mp_is_multipart(ct) ? WEB_UPLOAD_MAX : WEB_BODY_MAX);
        clock_gettime(CLOCK_MONOTONIC, &cx->start);
        str_copy(cx->method, sizeof(cx->method), method);
        str_copy(cx->path, sizeof(cx->path), url);
        *con_cls = cx;
        pthread_mutex_lock(&srv->lock);
        srv->inflight++;
        pthread_mutex_unlock(&srv->lock);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cx->too_large && buf_append(&cx->body, upload, *upload_size) != ERR_OK)
            cx->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (cx->too_large)
        return simple(conn, cx, 413, "request body too large\n");
    struct store *s = worker_store(srv);
    if (!s)
        return simple(conn, cx, 503, "database unavailable\n");

    struct arena arena;
    struct web_req r;
    char addr[INET6_ADDRSTRLEN + 1];
    arena_init(&arena, (size_t)32 << 20);
    memset(&r, 0, sizeof(r));
    html_init(&r.out, WEB_PAGE_MAX);
    buf_init(&r.data, WEB_PAGE_MAX);
    client_addr(conn, addr, sizeof(addr));
    r.cfg = srv->cfg;
    r.store = s;
    r.arena = &arena;
    r.conn = conn;
    r.method = method;
    r.path = url;
    r.addr = addr;
    r.now = (int64_t)time(NULL) + srv->cfg->clock_offset;
    r.today = civil_date(r.now);
    r.status = 200;
    r.raw_body = cx->body.p ? cx->body.p : "";
    r.raw_len = cx->body.len;
    enum MHD_Result ret;
    if (!form_text_ok(url, strlen(url), 0)) {
        ret = simple(conn, cx, 400, "bad request\n");
        goto out;
    }
    web_dispatch(&r);
    ret = queue(conn, &r, cx);
out:
    html_release(&r.out);
    buf_release(&r.data);
    arena_release(&arena);
    return ret;
}

/* Copy s for the log: bytes that could forge or break a log line
 * (controls, space, DEL, '%') are written as %XX. */
static void log_safe(char *out, size_t n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t j = 0;
    for (; *s && j + 4 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == 0x7f || c == '%') {
            out[j++] = '%';
            out[j++] = hex[c >> 4];
            out[j++] = hex[c & 15];
        } else {
            out[j++] = (char)c;
        }
    }
    out[j] = '\0';
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct conn_ctx *cx = *con_cls;
    if (!cx)
        return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (long)((end.tv_sec - cx->start.tv_sec) * 1000 +
                     (end.tv_nsec - cx->start.tv_nsec) / 1000000);
    char at[CLOCK_ISO_LEN], method[64], path[800];
    clock_iso(at, sizeof(at), (int64_t)time(NULL) + srv->cfg->clock_offset);
    log_safe(method, sizeof(method), cx->method);
    log_safe(path, sizeof(path), cx->path);
    pthread_mutex_lock(&srv->lock);
    fprintf(srv->log, "%s %s %s %d %zu %ldms %s\n", at, method, path, cx->status ? cx->status : 0,
            cx->bytes, ms, cx->user[0] ? cx->user : "-");
    fflush(srv->log);
    srv->inflight--;
    pthread_mutex_unlock(&srv->lock);
    buf_release(&cx->body);
    free(cx);
    *con_cls = NULL;
}

enum err web_serve(const struct web_config *c, char *msg, size_t n)
{
    struct server srv;
    struct store *s = NULL;
    struct MHD_Daemon *d = NULL;
    enum err e = ERR_OK;
    memset(&srv, 0, sizeof(srv));
    srv.cfg = c;
    srv.log = c->access_log ? c->access_log : stderr;
    pthread_mutex_init(&srv.lock, NULL);
    msg[0] = '\0';

    e = auth_init();
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot initialise libsodium");
        goto out;
    }
    /* Open once up front: applies migrations before any worker starts. */
    e = store_open(c->db_path, STORE_OPEN_CREATE, &s);
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot open database '%s'", c->db_path);
        goto out;
    }
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)c->port);
    if (inet_pton(AF_INET, c->host, &sin.sin_addr) != 1) {
        snprintf(msg, n, "listen address '%s' is not an IPv4 address", c->host);
        e = ERR_INVALID;
        goto out;
    }
    /* poll() rather than epoll: quiescing a thread pool is simplest there */
    d = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL,
                         NULL, handle, &srv, MHD_OPTION_SOCK_ADDR, &sin,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads > 0 ? c->threads : 1),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, &srv,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)256, MHD_OPTION_END);
    if (!d) {
        snprintf(msg, n, "cannot listen on %s:%d", c->host, c->port);
        e = ERR_IO;
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http://%s:%u\n", c->host, di ? (unsigned)di->port : (unsigned)c->port);
    fflush(stdout);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(srv.log, "shutting down (signal %d)\n", sig);
    fflush(srv.log);
    /* Stop accepting, let the requests in flight finish (at most
     * DRAIN_SECONDS), then stop the workers. */
    MHD_socket lfd = MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 20; i++) {
        pthread_mutex_lock(&srv.lock);
        int busy = srv.inflight;
        pthread_mutex_unlock(&srv.lock);
        if (busy <= 0)
            break;
        struct timespec nap = {0, 50 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    MHD_stop_daemon(d);
    d = NULL;
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
out:
    if (d)
        MHD_stop_daemon(d);
    for (size_t i = 0; i < srv.nstores; i++)
        store_close(srv.stores[i]);
    store_close(s);
    pthread_mutex_destroy(&srv.lock);
    return e;
}
