/* server.c - libmicrohttpd glue. A request is routed, authenticated and
 * authorised from its head alone (web_dispatch_head), so that strangers,
 * wrong roles, unknown routes and wrong Content-Types are answered
 * before a byte of their body is read. The body is then taken up to the
 * route's cap: in memory, under one budget shared by every request in
 * flight, or, for uploads, streamed to an unlinked temporary file in the
 * database's folder. Connections are limited in all and per client
 * address, and every request has a deadline for its head and body that a
 * client cannot stretch by trickling bytes (a reaper thread cuts what
 * overstays). Also here: the client's address behind the trusted proxy,
 * per-thread database connections, security headers, what /healthz
 * reports, the access log and a graceful shutdown. Responses go out
 * without a copy; large tables and downloads (routes flagged WEB_CACHE)
 * get an ETag of their bytes, a 304 for a matching If-None-Match, and
 * gzip compressed once per body. */
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "service/audit.h"
#include "service/programs.h"
#include "service/auth.h"
#include "service/notify.h"
#include "service/reqmove.h"
#include "service/requisition.h"
#include "util/civil.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/keep.h"
#include "web/web.h"

#define MAX_STORES 64
#define DRAIN_SECONDS 10     /* how long shutdown waits for requests in flight */
#define RESPONSE_SECONDS 300 /* how long a client may take to read a response */
#define REAP_EVERY_MS 200    /* how often deadlines are checked */
#define FD_SPARE 256         /* descriptors kept for the database, temporary files, logs */
#define GZIP_MIN 860         /* bodies smaller than this go uncompressed */
#define GZIP_KEEP 64         /* compressed bodies kept */
#define GZIP_KEEP_BYTES ((size_t)32 << 20)

static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* One per open TCP connection (libmicrohttpd's socket context). */
struct slot {
    struct slot *prev, *next;
    MHD_socket fd;
    char addr[INET6_ADDRSTRLEN + 1];
    long long deadline; /* monotonic ms by which the connection must be done; 0: none */
    int cut;            /* shut down by the reaper or the limit per address */
};

struct server {
    const struct web_config *cfg;
    pthread_mutex_t lock; /* guards everything below */
    struct store *stores[MAX_STORES];
    size_t nstores;
    FILE *log;
    int inflight;       /* requests begun and not yet completed */
    struct slot *slots; /* open connections */
    size_t mem_used;    /* bytes of request bodies held in memory */
    size_t disk_used;   /* bytes of uploads in temporary files */
    struct web_health health;
    int stopping;
    pthread_cond_t wake; /* wakes the reaper (and the checkpointer) to stop */
    char datadir[1024];  /* the database's folder: temporary files go there */
};

enum body_fault { BODY_OK = 0, BODY_DISK_FULL, BODY_DISK_IO };

/* One per request: the request being served and what the log needs. */
struct conn_ctx {
    struct web_req r;
    struct arena arena;
    int live;         /* r, arena and their buffers are initialised */
    int answer_ready; /* the head made the response; send it after the (empty) body */
    struct web_health health;
    struct web_body_rule rule;
    char addr[INET6_ADDRSTRLEN + 1], peer[INET6_ADDRSTRLEN + 1];
    /* the body in memory: mem_cap bytes are charged to the budget */
    char *mem;
    size_t mem_len, mem_cap;
    /* the body in an unlinked temporary file: disk_charged bytes charged */
    int fd;
    size_t file_len, disk_charged;
    void *map;
    enum body_fault fault;
    /* for the log */
    struct timespec start;
    int status;
    size_t bytes;
    int kept; /* answered from memory (web/keep.h) */
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
    /* a worker per core, and at least 4 so that a worker waiting for a
     * commit's fsync or the write lock leaves others to use the cores
     * (docs/operations.md, "Workers and database connections") */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cores < 4 ? 4 : cores > MAX_STORES ? MAX_STORES : (int)cores;
    c->request_seconds = 60;
    c->max_connections = 1000;
    c->max_per_address = 32;
    c->body_memory = (size_t)64 << 20;
    c->upload_disk = (size_t)1 << 30;
    c->disk_reserve = (int64_t)64 << 20;
    c->audit_interval = 300;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

static void sockaddr_text(const struct sockaddr *sa, char *out, size_t n)
{
    out[0] = '\0';
    if (!sa)
        return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

static void peer_addr(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    sockaddr_text(ci ? ci->client_addr : NULL, out, n);
}

/* The client's address: the TCP peer, or when the peer is the trusted
 * proxy, the last address in its header (the one the proxy added; what
 * comes before it was written by the client and proves nothing). */
static void client_addr(const struct web_config *cfg, struct MHD_Connection *conn, const char *peer,
                        char *out, size_t n)
{
    char a[INET6_ADDRSTRLEN + 1];
    str_copy(out, n, peer);
    if (!cfg->trusted_proxy || strcmp(peer, cfg->trusted_proxy) != 0)
        return;
    const char *h = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, cfg->client_header ? cfg->client_header : "X-Forwarded-For");
    if (form_forwarded_addr(h, a, sizeof(a)) == ERR_OK)
        str_copy(out, n, a);
}

/* Connections open from addr (under lock). */
static int count_addr(const struct server *srv, const char *addr)
{
    int n = 0;
    for (const struct slot *sl = srv->slots; sl; sl = sl->next)
        n += !sl->cut && strcmp(sl->addr, addr) == 0;
    return n;
}

static int limited(const struct server *srv, const char *addr)
{
    return srv->cfg->max_per_address > 0 &&
           !(srv->cfg->trusted_proxy && strcmp(addr, srv->cfg->trusted_proxy) == 0);
}

/* Refuse a connection when its address holds its share already. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *sa, socklen_t len)
{
    struct server *srv = cls;
    char addr[INET6_ADDRSTRLEN + 1];
    (void)len;
    sockaddr_text(sa, addr, sizeof(addr));
    pthread_mutex_lock(&srv->lock);
    int refuse = limited(srv, addr) && count_addr(srv, addr) >= srv->cfg->max_per_address;
    pthread_mutex_unlock(&srv->lock);
    return refuse ? MHD_NO : MHD_YES;
}

/* Track connections: their address, socket and deadline. libmicrohttpd
 * reports the close before it closes the socket, so the reaper never
 * touches a socket number that was handed on. */
static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    struct server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct slot *sl = calloc(1, sizeof(*sl));
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!sl || !ci) {
            free(sl);
            return;
        }
        sl->fd = ci->connect_fd;
        peer_addr(conn, sl->addr, sizeof(sl->addr));
        sl->deadline = now_ms() + (long long)srv->cfg->request_seconds * 1000;
        pthread_mutex_lock(&srv->lock);
        /* accept_policy counts too, but connections accepted side by side
         * by several threads can pass it together */
        if (limited(srv, sl->addr) && count_addr(srv, sl->addr) >= srv->cfg->max_per_address) {
            sl->cut = 1;
            shutdown(sl->fd, SHUT_RDWR);
        }
        sl->next = srv->slots;
        if (srv->slots)
            srv->slots->prev = sl;
        srv->slots = sl;
        pthread_mutex_unlock(&srv->lock);
        *socket_context = sl;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct slot *sl = *socket_context;
        if (!sl)
            return;
        pthread_mutex_lock(&srv->lock);
        if (sl->prev)
            sl->prev->next = sl->next;
        else
            srv->slots = sl->next;
        if (sl->next)
            sl->next->prev = sl->prev;
        pthread_mutex_unlock(&srv->lock);
        free(sl);
        *socket_context = NULL;
    }
}

/* Give the connection until seconds from now. */
static void set_deadline(struct server *srv, struct MHD_Connection *conn, int seconds)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct slot *sl = ci ? ci->socket_context : NULL;
    if (!sl)
        return;
    pthread_mutex_lock(&srv->lock);
    sl->deadline = now_ms() + (long long)seconds * 1000;
    pthread_mutex_unlock(&srv->lock);
}

/* Cut connections past their deadline, however busily they trickle. */
static void *reaper(void *arg)
{
    struct server *srv = arg;
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        long long now = now_ms();
        fflush(srv->log); /* the access log's lines of a busy moment */
        for (struct slot *sl = srv->slots; sl; sl = sl->next) {
            if (!sl->cut && sl->deadline && sl->deadline < now) {
                sl->cut = 1;
                shutdown(sl->fd, SHUT_RDWR);
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REAP_EVERY_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
    }
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* The server's time, for audit checkpoints. */
static int64_t server_now(const struct server *srv)
{
    return (int64_t)time(NULL) + srv->cfg->clock_offset;
}

/* Sign the audit trail's head into the checkpoints file; a failure is
 * logged (the trail itself is untouched). */
static void checkpoint(struct server *srv, struct store *s, const char *event)
{
    struct audit_report *rep = malloc(sizeof(*rep));
    if (!rep)
        return;
    enum err e = audit_checkpoint(s, event, server_now(srv), NULL, rep);
    if (e != ERR_OK && e != ERR_NOTFOUND) {
        fprintf(srv->log, "audit checkpoint (%s) not written: %s\n", event, rep->msg);
        fflush(srv->log);
    }
    free(rep);
}

struct checkpointer {
    struct server *srv;
    struct store *s;
};

/* Every audit_interval seconds: a checkpoint when the head moved. */
static void *checkpointer(void *arg)
{
    struct checkpointer *cp = arg;
    struct server *srv = cp->srv;
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += srv->cfg->audit_interval > 0 ? srv->cfg->audit_interval : 300;
        pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
        if (srv->stopping)
            break;
        pthread_mutex_unlock(&srv->lock);
        checkpoint(srv, cp->s, "interval");
        pthread_mutex_lock(&srv->lock);
    }
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* The outbox's sender: every smtp_interval seconds, what is due goes to
 * the relay (service/notify.h), as the system, on a connection of its
 * own; a run that leaves messages to retry or failed is logged. */
static void *sender(void *arg)
{
    struct checkpointer *cp = arg;
    struct server *srv = cp->srv;
    struct svc_actor sys;
    svc_actor_system(&sys);
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += srv->cfg->smtp_interval > 0 ? srv->cfg->smtp_interval : 60;
        pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
        if (srv->stopping)
            break;
        pthread_mutex_unlock(&srv->lock);
        struct notify_report rep;
        struct svc_result res;
        enum err e = notify_send(cp->s, &sys, server_now(srv), srv->cfg->smtp, 1000, &rep, &res);
        if (e != ERR_OK || rep.retry || rep.failed) {
            char m[512];
            msg_render(&res.msg, LANG_EN, m, sizeof(m));
            fprintf(srv->log, "outbox: %s\n", m[0] ? m : err_str(e));
            fflush(srv->log);
        }
        pthread_mutex_lock(&srv->lock);
    }
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* Take n bytes from a budget (under the server's lock); 0 if they are
 * not there. */
static int budget_take(struct server *srv, size_t *used, size_t max, size_t n)
{
    pthread_mutex_lock(&srv->lock);
    int ok = n <= max && *used <= max - n;
    if (ok)
        *used += n;
    pthread_mutex_unlock(&srv->lock);
    return ok;
}

static void budget_give(struct server *srv, size_t *used, size_t n)
{
    pthread_mutex_lock(&srv->lock);
    *used -= n < *used ? n : *used;
    pthread_mutex_unlock(&srv->lock);
}

/* A temporary file in the database's folder, unlinked at once (only the
 * server holds it, and it goes when closed); -1 on failure. */
static int upload_file(const struct server *srv)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/.upload-XXXXXX", srv->datadir);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

static enum err write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return ERR_IO;
        p += w;
        n -= (size_t)w;
    }
    return ERR_OK;
}

/* Free the request's memory, body, file and budgets (again is harmless). */
static void request_release(struct server *srv, struct conn_ctx *cx)
{
    if (cx->live) {
        html_release(&cx->r.out);
        buf_release(&cx->r.data);
        arena_release(&cx->arena);
        cx->live = 0;
    }
    if (cx->mem) {
        free(cx->mem);
        cx->mem = NULL;
        budget_give(srv, &srv->mem_used, cx->mem_cap);
        cx->mem_cap = cx->mem_len = 0;
    }
    if (cx->map) {
        munmap(cx->map, cx->file_len);
        cx->map = NULL;
    }
    if (cx->fd >= 0) {
        close(cx->fd);
        cx->fd = -1;
    }
    if (cx->disk_charged) {
        budget_give(srv, &srv->disk_used, cx->disk_charged);
        cx->disk_charged = 0;
    }
}

/* ---- ETag and gzip for WEB_CACHE routes ---- */

/* A 128-bit digest of a body, for its ETag: two 64-bit lanes of a
 * multiply-and-rotate mix over 8-byte words, the length folded in. Not
 * cryptographic: an ETag is only ever sent back by the client it was
 * given to, about a body that client was allowed to read. */
struct digest {
    uint64_t a, b;
};

static uint64_t mix(uint64_t h, uint64_t w, uint64_t k)
{
    h ^= w * k;
    h = (h << 31) | (h >> 33);
    return h * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
}

static struct digest body_digest(const char *p, size_t n)
{
    struct digest d = {0x243F6A8885A308D3ULL ^ n, 0x13198A2E03707344ULL ^ (n * 3)};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        d.a = mix(d.a, w, 0x87C37B91114253D5ULL);
        d.b = mix(d.b, w, 0x4CF5AD432745937FULL);
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    d.a = mix(d.a, w ^ 0xFF, 0x87C37B91114253D5ULL);
    d.b = mix(d.b, w ^ 0xFF, 0x4CF5AD432745937FULL);
    d.a ^= d.a >> 29;
    d.b ^= d.b >> 32;
    return d;
}

/* Compressed bodies by the digest of their plain bytes: compressed once,
 * never stale (other bytes, another digest). */
struct gz_entry {
    struct digest d;
    size_t plain_len;
    char *gz;
    size_t gz_len;
    uint64_t used;
};
static struct {
    pthread_mutex_t lock;
    struct gz_entry e[GZIP_KEEP];
    size_t n, bytes;
    uint64_t clock;
} gz_cache = {PTHREAD_MUTEX_INITIALIZER, {{{0, 0}, 0, NULL, 0, 0}}, 0, 0, 0};

/* body as gzip (malloc'd, *out_len bytes), or NULL. */
static char *gzip_body(const char *body, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* A copy of the compressed body whose plain bytes have digest d (made
 * and kept when missing); NULL when it cannot be made. */
static char *gzip_cached(struct digest d, const char *body, size_t len, size_t *out_len)
{
    char *copy = NULL;
    pthread_mutex_lock(&gz_cache.lock);
    for (size_t i = 0; i < gz_cache.n; i++) {
        struct gz_entry *k = &gz_cache.e[i];
        if (k->d.a == d.a && k->d.b == d.b && k->plain_len == len) {
            k->used = ++gz_cache.clock;
            copy = malloc(k->gz_len ? k->gz_len : 1);
            if (copy) {
                memcpy(copy, k->gz, k->gz_len);
                *out_len = k->gz_len;
            }
            pthread_mutex_unlock(&gz_cache.lock);
            return copy;
        }
    }
    pthread_mutex_unlock(&gz_cache.lock);
    size_t n = 0;
    char *gz = gzip_body(body, len, &n);
    if (!gz || n >= len || n > GZIP_KEEP_BYTES) {
        free(gz);
        return NULL; /* sent plain */
    }
    copy = malloc(n);
    if (!copy) {
        free(gz);
        return NULL;
    }
    memcpy(copy, gz, n);
    *out_len = n;
    pthread_mutex_lock(&gz_cache.lock);
    /* room: drop the least recently used until it fits */
    while (gz_cache.n > 0 && (gz_cache.n >= GZIP_KEEP || gz_cache.bytes + n > GZIP_KEEP_BYTES)) {
        size_t lru = 0;
        for (size_t i = 1; i < gz_cache.n; i++)
            if (gz_cache.e[i].used < gz_cache.e[lru].used)
                lru = i;
        gz_cache.bytes -= gz_cache.e[lru].gz_len;
        free(gz_cache.e[lru].gz);
        gz_cache.e[lru] = gz_cache.e[--gz_cache.n];
    }
    struct gz_entry *k = &gz_cache.e[gz_cache.n++];
    k->d = d;
    k->plain_len = len;
    k->gz = gz;
    k->gz_len = n;
    k->used = ++gz_cache.clock;
    gz_cache.bytes += n;
    pthread_mutex_unlock(&gz_cache.lock);
    return copy;
}

/* For a WEB_CACHE route's 200: the ETag of its bytes into etag (of the
 * gzip form when the client takes gzip), and a response made here when
 * it is a 304 (the client has these bytes) or gzip; 0 when the caller is
 * to send the body plain. */
static int cached_response(struct web_req *r, const struct buf *from, struct MHD_Response **resp,
                           size_t *sent, char *etag, size_t etag_n)
{
    char tag[48], tag_gz[52];
    struct digest d = body_digest(from->p, from->len);
    snprintf(tag, sizeof(tag), "\"%016llx%016llx\"", (unsigned long long)d.a,
             (unsigned long long)d.b);
    snprintf(tag_gz, sizeof(tag_gz), "\"%016llx%016llx-gz\"", (unsigned long long)d.a,
             (unsigned long long)d.b);
    int gz = from->len >= GZIP_MIN && form_takes_gzip(web_header(r, "Accept-Encoding"));
    str_copy(etag, etag_n, gz ? tag_gz : tag);
    if (form_none_match(web_header(r, "If-None-Match"), tag, tag_gz)) {
        *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!*resp)
            return 0;
        r->status = 304;
        *sent = 0;
        return 1;
    }
    size_t n = 0;
    char *z = gz ? gzip_cached(d, from->p, from->len, &n) : NULL;
    if (!z) {
        str_copy(etag, etag_n, tag);
        return 0;
    }
    *resp = MHD_create_response_from_buffer_with_free_callback(n, z, free);
    if (!*resp) {
        free(z);
        str_copy(etag, etag_n, tag);
        return 0;
    }
    MHD_add_response_header(*resp, "Content-Encoding", "gzip");
    *sent = n;
    return 1;
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct web_req *r, struct conn_ctx *cx)
{
    struct buf *from = r->has_data ? &r->data : &r->out.b;
    const char *body;
    size_t len = from->len;
    struct MHD_Response *resp = NULL;
    char etag[52] = "";
    int cache = r->route && (r->route->flags & WEB_CACHE) && r->status == 200 && from->p &&
                len > 0 && !r->data.failed && !html_failed(&r->out) &&
                (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0);
    if (r->data.failed || html_failed(&r->out)) {
        r->status = 500;
        body = "internal error: response too large\n";
        len = strlen(body);
        r->ctype = "text/plain; charset=utf-8";
        resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    } else if (cache && cached_response(r, from, &resp, &len, etag, sizeof(etag))) {
        /* a 304 or the body compressed */
    } else if (from->p && len > 0) {
        /* the buffer's memory goes to libmicrohttpd, which frees it once
         * sent: no copy */
        char *p = buf_steal(from);
        resp = MHD_create_response_from_buffer_with_free_callback(len, p, free);
        if (!resp)
            free(p);
    } else {
        len = 0;
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
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
    if (cache) {
        /* the browser keeps it for itself and asks each time (304) */
        MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        if (!cacheable)
            MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
    } else if (!cacheable) {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    cx->status = r->status;
    cx->bytes = len;
    cx->kept = r->kept;
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

/* Note what the request taught about the database and the disk. */
static void note_health(struct server *srv, struct conn_ctx *cx, enum store_fault f)
{
    int64_t now = cx->r.now;
    pthread_mutex_lock(&srv->lock);
    if (f == STORE_FAULT_FULL) {
        srv->health.full_at = now;
    } else if (f == STORE_FAULT_READONLY) {
        srv->health.readonly_at = now;
    } else if (f == STORE_FAULT_DAMAGED) {
        srv->health.damaged = 1;
    } else if (f == STORE_FAULT_NONE && strcmp(cx->method, "POST") == 0 && cx->r.status < 400) {
        /* a form was taken: writing works again */
        srv->health.full_at = 0;
        srv->health.readonly_at = 0;
    }
    pthread_mutex_unlock(&srv->lock);
}

/* Send the response made in r; what failed on the way goes to the log
 * (never to the client). */
static enum MHD_Result answer(struct server *srv, struct MHD_Connection *conn, struct conn_ctx *cx)
{
    struct web_req *r = &cx->r;
    enum store_fault f = r->store ? store_fault(r->store) : STORE_FAULT_NONE;
    if (cx->fault == BODY_DISK_FULL)
        f = STORE_FAULT_FULL;
    note_health(srv, cx, f);
    if (r->status >= 500 && r->store && (f != STORE_FAULT_NONE || store_errmsg(r->store)[0])) {
        char at[CLOCK_ISO_LEN];
        clock_iso(at, sizeof(at), r->now);
        pthread_mutex_lock(&srv->lock);
        fprintf(srv->log, "%s error %d: %s\n", at, r->status, store_errmsg(r->store));
        fflush(srv->log);
        pthread_mutex_unlock(&srv->lock);
    }
    auth_request_end();
    enum MHD_Result ret = queue(conn, r, cx);
    set_deadline(srv, conn, RESPONSE_SECONDS);
    request_release(srv, cx);
    return ret;
}

/* The first call, with the head only: route, authenticate, authorise,
 * and decide whether and where to take the body. */
static enum MHD_Result begin(struct server *srv, struct MHD_Connection *conn, const char *url,
                             const char *method, void **con_cls)
{
    struct conn_ctx *cx = calloc(1, sizeof(*cx));
    if (!cx)
        return MHD_NO;
    cx->fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &cx->start);
    str_copy(cx->method, sizeof(cx->method), method);
    str_copy(cx->path, sizeof(cx->path), url);
    *con_cls = cx;
    pthread_mutex_lock(&srv->lock);
    srv->inflight++;
    cx->health = srv->health;
    pthread_mutex_unlock(&srv->lock);

    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t length = 0;
    if (te && strstr(te, "chunked"))
        length = -1; /* unknown */
    else if (cl && (str_parse_i64(cl, &length) != ERR_OK || length < 0))
        return simple(conn, cx, 400, "bad request\n");

    struct store *s = worker_store(srv);
    if (!s)
        return simple(conn, cx, 503, "database unavailable\n");
    auth_request_begin(); /* who may do what: as of now */
    store_fault_clear(s);
    struct web_req *r = &cx->r;
    arena_init(&cx->arena, (size_t)32 << 20);
    html_init(&r->out, WEB_PAGE_MAX);
    buf_init(&r->data, WEB_PAGE_MAX);
    cx->live = 1;
    peer_addr(conn, cx->peer, sizeof(cx->peer));
    client_addr(srv->cfg, conn, cx->peer, cx->addr, sizeof(cx->addr));
    r->cfg = srv->cfg;
    r->health = &cx->health;
    r->store = s;
    r->arena = &cx->arena;
    r->conn = conn;
    r->method = method;
    r->path = url;
    r->addr = cx->addr;
    r->peer = cx->peer;
    r->now = (int64_t)time(NULL) + srv->cfg->clock_offset;
    r->today = civil_date(r->now);
    r->status = 200;
    r->raw_body = "";
    if (!form_text_ok(url, strlen(url), 0)) {
        request_release(srv, cx);
        return simple(conn, cx, 400, "bad request\n");
    }
    if (web_dispatch_head(r, &cx->rule)) {
        /* answered from the head; a body is never read. Without a body,
         * answer on the next call so that the connection stays open for
         * the next request (answering now closes it). */
        if (length == 0) {
            cx->answer_ready = 1;
            return MHD_YES;
        }
        return answer(srv, conn, cx);
    }
    if (length > 0 && (uint64_t)length > cx->rule.max) {
        web_too_large(r);
        return answer(srv, conn, cx);
    }
    if (length == 0)
        return MHD_YES;
    if (cx->rule.to_file) {
        size_t want = length > 0 ? (size_t)length : cx->rule.max;
        if (!budget_take(srv, &srv->disk_used, srv->cfg->upload_disk, want)) {
            web_busy(r);
            return answer(srv, conn, cx);
        }
        cx->disk_charged = want;
        cx->fd = upload_file(srv);
        if (cx->fd < 0) {
            cx->fault = errno == ENOSPC || errno == EDQUOT ? BODY_DISK_FULL : BODY_DISK_IO;
            web_fault_page(r, cx->fault == BODY_DISK_FULL ? STORE_FAULT_FULL : STORE_FAULT_IO);
            return answer(srv, conn, cx);
        }
    } else if (length > 0) {
        if (!budget_take(srv, &srv->mem_used, srv->cfg->body_memory, (size_t)length)) {
            web_busy(r);
            return answer(srv, conn, cx);
        }
        cx->mem_cap = (size_t)length;
        cx->mem = malloc(cx->mem_cap + 1);
        if (!cx->mem) {
            budget_give(srv, &srv->mem_used, cx->mem_cap);
            cx->mem_cap = 0;
            web_busy(r);
            return answer(srv, conn, cx);
        }
    }
    return MHD_YES;
}

/* A piece of the body: to the file or into memory, within the route's
 * cap and the budget. MHD_NO closes the connection (a response cannot be
 * sent in the middle of a body); that happens only to a body larger than
 * it said or a chunked one that outgrows the budget. */
static enum MHD_Result take(struct server *srv, struct conn_ctx *cx, const char *data, size_t n)
{
    size_t have = cx->rule.to_file ? cx->file_len : cx->mem_len;
    if (n > cx->rule.max || have > cx->rule.max - n)
        return MHD_NO;
    if (cx->rule.to_file) {
        if (cx->fault == BODY_OK && write_all(cx->fd, data, n) != ERR_OK)
            cx->fault = errno == ENOSPC || errno == EDQUOT ? BODY_DISK_FULL : BODY_DISK_IO;
        cx->file_len += n; /* after a failed write: read on, answer at the end */
        return MHD_YES;
    }
    if (have + n > cx->mem_cap) {
        size_t cap = cx->mem_cap ? cx->mem_cap * 2 : 4096;
        if (cap < have + n)
            cap = have + n;
        if (cap > cx->rule.max)
            cap = cx->rule.max;
        if (!budget_take(srv, &srv->mem_used, srv->cfg->body_memory, cap - cx->mem_cap))
            return MHD_NO;
        char *p = realloc(cx->mem, cap + 1);
        if (!p) {
            budget_give(srv, &srv->mem_used, cap - cx->mem_cap);
            return MHD_NO;
        }
        cx->mem = p;
        cx->mem_cap = cap;
    }
    memcpy(cx->mem + have, data, n);
    cx->mem_len += n;
    return MHD_YES;
}

/* The last call: the whole body is in. */
static enum MHD_Result finish(struct server *srv, struct MHD_Connection *conn, struct conn_ctx *cx)
{
    struct web_req *r = &cx->r;
    if (cx->answer_ready)
        return answer(srv, conn, cx);
    if (cx->fault != BODY_OK) {
        web_fault_page(r, cx->fault == BODY_DISK_FULL ? STORE_FAULT_FULL : STORE_FAULT_IO);
        return answer(srv, conn, cx);
    }
    if (cx->fd >= 0 && cx->file_len > 0) {
        void *m = mmap(NULL, cx->file_len, PROT_READ, MAP_PRIVATE, cx->fd, 0);
        if (m == MAP_FAILED) {
            web_busy(r);
            return answer(srv, conn, cx);
        }
        cx->map = m;
        r->raw_body = m;
        r->raw_len = cx->file_len;
    } else if (cx->mem) {
        cx->mem[cx->mem_len] = '\0';
        r->raw_body = cx->mem;
        r->raw_len = cx->mem_len;
    }
    auth_request_begin(); /* the body may have taken long: as of now */
    web_dispatch_body(r);
    return answer(srv, conn, cx);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct conn_ctx *cx = *con_cls;
    if (!cx)
        return begin(srv, conn, url, method, con_cls);
    if (!cx->live) { /* answered already; libmicrohttpd drops the rest */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        enum MHD_Result ret = take(srv, cx, upload, *upload_size);
        *upload_size = 0;
        return ret;
    }
    return finish(srv, conn, cx);
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
    fprintf(srv->log, "%s %s %s %d %zu %ldms %s%s\n", at, method, path, cx->status ? cx->status : 0,
            cx->bytes, ms, cx->user[0] ? cx->user : "-", cx->kept ? " kept" : "");
    srv->inflight--;
    /* written out when no request is in flight, else by the reaper within
     * REAP_EVERY_MS: under load, one write for many lines */
    if (srv->inflight <= 0)
        fflush(srv->log);
    pthread_mutex_unlock(&srv->lock);
    request_release(srv, cx);
    free(cx);
    *con_cls = NULL;
    /* a kept-alive connection has as long for its next request */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        set_deadline(srv, conn, srv->cfg->request_seconds);
}

/* Enough descriptors for the connections allowed; fewer connections when
 * the system will not give them. */
static int fit_connections(int want, FILE *log)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return want;
    rlim_t need = (rlim_t)want + FD_SPARE;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= need)
        return want;
    int fit = rl.rlim_cur > FD_SPARE + 16 ? (int)(rl.rlim_cur - FD_SPARE) : 16;
    fprintf(log, "only %d connections at once: the limit on open files is %llu\n", fit,
            (unsigned long long)rl.rlim_cur);
    return fit;
}

/* The audit trail must hold against its last checkpoint; a trail from
 * before audit keys gets its key (and the log says so); a signed trail
 * whose key ring is gone is refused. */
static enum err check_audit(struct store *s, const char *path, int64_t now, FILE *log, char *msg,
                            size_t n)
{
    struct audit_report *rep = malloc(sizeof(*rep));
    struct audit_paths p;
    int made = 0;
    if (!rep)
        return ERR_NOMEM;
    enum err e = audit_key_ensure(s, "system", now, &made, rep);
    if (e != ERR_OK) {
        snprintf(msg, n, "database '%s': the audit trail cannot be authenticated: %s", path,
                 rep->msg[0] ? rep->msg : store_errmsg(s));
    } else {
        if (made && audit_paths_of(s, &p) == ERR_OK) {
            fprintf(log,
                    "audit: the trail of '%s' was from before audit keys: key ring '%s' made, "
                    "its rows sealed by a checkpoint in '%s'\n",
                    path, p.key, p.checkpoints);
            fflush(log);
        }
        e = audit_tail_check(s, rep);
        if (e == ERR_INVALID)
            snprintf(msg, n,
                     "the audit trail of '%s' does not hold against its last checkpoint: %s "
                     "('bidrag audit verify' names every problem; if the database was changed "
                     "outside the service, restore the latest good backup with 'bidrag restore')",
                     path, rep->msg);
        else if (e != ERR_OK)
            snprintf(msg, n, "database '%s': cannot read the audit trail: %s", path,
                     store_errmsg(s));
    }
    free(rep);
    return e;
}

/* The database must be writable and sound before anyone is let in. */
static enum err check_database(struct store *s, const char *path, char *msg, size_t n)
{
    char why[400];
    if (store_readonly(s)) {
        snprintf(msg, n,
                 "database '%s' is read-only: the server must be able to write it and its "
                 "folder (check the owner and permissions, and that the file system is "
                 "mounted read-write)",
                 path);
        return ERR_DENIED;
    }
    if (store_quick_check(s, why, sizeof(why)) != ERR_OK) {
        snprintf(msg, n,
                 "database '%s' is damaged (%s): restore the latest backup with 'bidrag restore'",
                 path, why);
        return ERR_INVALID;
    }
    return ERR_OK;
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
    srv.health.disk_reserve = c->disk_reserve;
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.wake, NULL);
    pthread_t reaper_thread, audit_thread, send_thread;
    int reaping = 0, auditing = 0, sending = 0;
    struct store *send_store = NULL;
    msg[0] = '\0';
    if (store_url_folder(c->db_path, srv.datadir, sizeof(srv.datadir)) != ERR_OK || !srv.datadir[0])
        str_copy(srv.datadir, sizeof(srv.datadir), ".");

    e = auth_init();
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot initialise libsodium");
        goto out;
    }
    e = req_service_init();
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot register the requisition kind of case");
        goto out;
    }
    /* Open once up front: applies migrations before any worker starts. */
    e = store_open(c->db_path, STORE_OPEN_CREATE, &s);
    if (e != ERR_OK) {
        char safe[512];
        store_url_safe(c->db_path, safe, sizeof(safe));
        snprintf(msg, n,
                 "cannot open database '%s' (%s): if the file is damaged, restore the latest "
                 "backup with 'bidrag restore'",
                 safe, store_open_error());
        goto out;
    }
    e = check_database(s, store_name(s), msg, n); /* named without a password */
    if (e != ERR_OK)
        goto out;
    audit_set_log(srv.log);
    e = check_audit(s, c->db_path, server_now(&srv), srv.log, msg, n);
    if (e != ERR_OK)
        goto out;
    /* requisitions made before the e-service ran on the case engine move
     * onto it (service/reqmove.h), as `bidrag migrate` does */
    {
        struct req_move_report mv;
        struct svc_result mres;
        e = req_move_installation(s, server_now(&srv), &mv, &mres);
        if (e != ERR_OK) {
            char m[256];
            msg_render(&mres.msg, LANG_EN, m, sizeof(m));
            snprintf(msg, n, "cannot move the requisitions onto the case engine: %s",
                     m[0] ? m : store_errmsg(s));
            goto out;
        }
        if (mv.cases)
            fprintf(srv.log, "requisitions: %zu moved onto the case engine\n", mv.cases);
    }
    /* the computed program views are kept only with a generation to check */
    e = programs_cache_init(s);
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot prepare the program views: %s", store_errmsg(s));
        goto out;
    }
    /* rendered answers are kept only with a generation to check */
    e = svc_data_gen_init(s);
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot prepare the kept pages: %s", store_errmsg(s));
        goto out;
    }
    keep_clear();
    /* sessions, tokens and roles are kept only with a generation to check */
    e = auth_cache_init(s);
    if (e != ERR_OK) {
        snprintf(msg, n, "cannot prepare the kept sessions: %s", store_errmsg(s));
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
    int conns = fit_connections(c->max_connections > 0 ? c->max_connections : 1000, srv.log);
    /* the idle timeout restarts with each byte; the reaper's deadline
     * does not */
    unsigned idle =
        c->request_seconds > 0 && c->request_seconds < 30 ? (unsigned)c->request_seconds : 30u;
    /* poll() rather than epoll: quiescing a thread pool is simplest there */
    d = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0,
                         accept_policy, &srv, handle, &srv, MHD_OPTION_SOCK_ADDR, &sin,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads > 0 ? c->threads : 1),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, &srv, MHD_OPTION_NOTIFY_CONNECTION,
                         notify_connection, &srv, MHD_OPTION_CONNECTION_TIMEOUT, idle,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)conns, MHD_OPTION_END);
    if (!d) {
        snprintf(msg, n, "cannot listen on %s:%d", c->host, c->port);
        e = ERR_IO;
        goto out;
    }
    if (pthread_create(&reaper_thread, NULL, reaper, &srv) != 0) {
        snprintf(msg, n, "cannot start the thread that enforces deadlines");
        e = ERR_NOMEM;
        goto out;
    }
    reaping = 1;
    struct checkpointer cpr = {&srv, s};
    if (pthread_create(&audit_thread, NULL, checkpointer, &cpr) != 0) {
        snprintf(msg, n, "cannot start the thread that checkpoints the audit trail");
        e = ERR_NOMEM;
        goto out;
    }
    auditing = 1;
    struct checkpointer snd = {&srv, NULL};
    if (c->smtp) {
        e = store_open(c->db_path, STORE_OPEN_EXISTING, &send_store);
        snd.s = send_store;
        if (e == ERR_OK && pthread_create(&send_thread, NULL, sender, &snd) != 0)
            e = ERR_NOMEM;
        if (e != ERR_OK) {
            snprintf(msg, n, "cannot start the thread that sends the outbox");
            goto out;
        }
        sending = 1;
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
    if (reaping || auditing || sending) {
        pthread_mutex_lock(&srv.lock);
        srv.stopping = 1;
        pthread_cond_broadcast(&srv.wake);
        pthread_mutex_unlock(&srv.lock);
    }
    if (reaping)
        pthread_join(reaper_thread, NULL);
    if (sending)
        pthread_join(send_thread, NULL);
    if (send_store)
        store_close(send_store);
    if (auditing) {
        pthread_join(audit_thread, NULL);
        /* every request is done: the head as the server leaves it */
        checkpoint(&srv, s, "stop");
    }
    audit_set_log(NULL);
    keep_clear();
    for (size_t i = 0; i < srv.nstores; i++)
        store_close(srv.stores[i]);
    store_close(s);
    pthread_cond_destroy(&srv.wake);
    pthread_mutex_destroy(&srv.lock);
    return e;
}
