/* server.h - the web e-service: `bidrag serve` on libmicrohttpd.
 *
 * web_serve() opens the database (applying migrations), refuses to start
 * when it is read-only or damaged or when its audit trail does not hold
 * against its last checkpoint (audit_tail_check), listens, serves
 * with a thread pool until SIGTERM or SIGINT, then stops taking new
 * connections, finishes the requests in flight, signs a checkpoint of
 * the audit trail's head and closes the database. While it runs, the
 * head is checkpointed every audit_interval seconds when it moved.
 * Each worker thread has its own database connection (SQLite in WAL mode
 * lets them read side by side; writes queue on the write lock). */
#ifndef BIDRAG_WEB_SERVER_H
#define BIDRAG_WEB_SERVER_H

#include <stdint.h>
#include <stdio.h>

#include "io/smtp.h"

#include "util/err.h"

struct web_config {
    const char *host;           /* address to listen on, "127.0.0.1" */
    int port;                   /* 0: any free port (printed on stdout) */
    const char *db_path;        /* database URL or file (store_open) */
    int cookie_secure;          /* add Secure to cookies (TLS in front) */
    const char *trusted_header; /* single sign-on: header with the identity */
    const char *trusted_proxy;  /* ... honoured only from this address */
    const char *client_header;  /* the proxy's header with the client's address
                                   (NULL: X-Forwarded-For), believed only from
                                   trusted_proxy */
    int64_t idle_seconds;       /* session idle expiry */
    int threads;                /* worker threads */
    int64_t clock_offset;       /* added to the system clock (BIDRAG_NOW) */
    FILE *access_log;           /* one line per request; NULL: stderr */
    int request_seconds;        /* deadline for a request's head and body */
    int max_connections;        /* connections at once */
    int max_per_address;        /* ... from one address (not the trusted proxy) */
    size_t body_memory;         /* bytes of request bodies held in memory at once */
    size_t upload_disk;         /* bytes of uploads in temporary files at once */
    int64_t disk_reserve;       /* /healthz says the disk is full below this much free */
    int audit_interval;         /* seconds between checkpoints of a moving audit trail */
    /* the outbox's sender (service/notify.h): NULL = off; else every
       smtp_interval seconds (default 60) as the system */
    const struct smtp_conf *smtp;
    int smtp_interval;
};

/* Defaults: 127.0.0.1:8080, var/bidrag.db, 30 min idle, a thread per core
 * (at least 4, at most 64), 60 s
 * per request, 1000 connections (32 per address), 64 MiB of bodies in
 * memory, 1 GiB of uploads on disk, 64 MiB kept free, an audit
 * checkpoint every 300 s. */
void web_config_init(struct web_config *c);
/* Run until SIGTERM/SIGINT; the caller must have blocked both signals in
 * every thread (web_serve waits for them with sigwait). Writes
 * "listening on http://HOST:PORT" to stdout once the socket is bound.
 * msg (n bytes) says why on failure. */
enum err web_serve(const struct web_config *c, char *msg, size_t n);

#endif
