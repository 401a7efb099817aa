/* auditkey.c - the audit trail's key ring and signed checkpoints, in
 * files outside the database (see auditkey.h). */
#include "service/auditkey.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/str.h"

#define RING_MAGIC "bidrag-audit-key v1 "
#define CP_MAGIC "bidrag-audit-checkpoint v1 "
#define KDF_CONTEXT "bdaudit1"
#define RING_FILE_MAX ((size_t)4 << 20)
#define CP_FILE_MAX ((size_t)1 << 30)

static const char *const events[] = {"every",  "interval", "stop",   "init",
                                     "manual", "rotate",   "restore"};

/* ---- paths ---- */

static enum err join(char *out, size_t n, const char *folder, const char *rest)
{
    int w;
    if (!folder)
        w = snprintf(out, n, "var/%s", rest);
    else if (!folder[0])
        w = snprintf(out, n, "%s", rest);
    else
        w = snprintf(out, n, "%s/%s", folder, rest);
    return w < 0 || (size_t)w >= n ? ERR_LIMIT : ERR_OK;
}

enum err auditkey_paths(const char *folder, struct audit_paths *p)
{
    const char *k = getenv("BIDRAG_AUDIT_KEY");
    const char *c = getenv("BIDRAG_AUDIT_CHECKPOINTS");
    enum err e = k && k[0] ? (str_copy(p->key, sizeof(p->key), k) ? ERR_LIMIT : ERR_OK)
                           : join(p->key, sizeof(p->key), folder, "keys/audit.key");
    if (e == ERR_OK)
        e = c && c[0] ? (str_copy(p->checkpoints, sizeof(p->checkpoints), c) ? ERR_LIMIT : ERR_OK)
                      : join(p->checkpoints, sizeof(p->checkpoints), folder, "audit/checkpoints");
    return e;
}

/* ---- keys ---- */

void auditkey_ring_release(struct auditkey_ring *r)
{
    if (r->k)
        sodium_memzero(r->k, r->n * sizeof(*r->k));
    free(r->k);
    r->k = NULL;
    r->n = 0;
}

static void derive(const struct auditkey *k, uint64_t which, unsigned char out[32])
{
    crypto_kdf_derive_from_key(out, 32, which, KDF_CONTEXT, k->secret);
}

static void keypair(const struct auditkey *k, unsigned char pk[32], unsigned char sk[64])
{
    unsigned char seed[32];
    derive(k, 2, seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof(seed));
}

static void key_id(const struct auditkey *k, char out[STORE_KEY_ID_LEN])
{
    unsigned char pk[32], sk[64], h[32];
    keypair(k, pk, sk);
    sodium_memzero(sk, sizeof(sk));
    crypto_hash_sha256(h, pk, sizeof(pk));
    sodium_bin2hex(out, STORE_KEY_ID_LEN, h, 8);
}

void auditkey_public(const struct auditkey *k, char out[65])
{
    unsigned char pk[32], sk[64];
    keypair(k, pk, sk);
    sodium_memzero(sk, sizeof(sk));
    sodium_bin2hex(out, 65, pk, sizeof(pk));
}

/* n lower-case hex digits exactly */
static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A field "name=" at *p up to the next space (or the end at end): its
 * value in out; 0 if it is not there, empty or does not fit. */
static int take(const char **p, const char *end, const char *name, char *out, size_t n, int last)
{
    size_t nl = strlen(name);
    if ((size_t)(end - *p) < nl + 1 || memcmp(*p, name, nl) != 0 || (*p)[nl] != '=')
        return 0;
    const char *v = *p + nl + 1;
    const char *stop = v;
    while (stop < end && *stop != ' ')
        stop++;
    if (stop == v || (size_t)(stop - v) >= n || (last ? stop != end : stop == end))
        return 0;
    memcpy(out, v, (size_t)(stop - v));
    out[stop - v] = '\0';
    *p = last ? stop : stop + 1;
    return 1;
}

/* A positive decimal number without sign or leading zeros. */
static int number(const char *s, long long *out)
{
    int64_t v = 0;
    if (s[0] == '0' || str_parse_i64(s, &v) != ERR_OK || v < 1)
        return 0;
    for (const char *q = s; *q; q++)
        if (*q < '0' || *q > '9')
            return 0;
    *out = (long long)v;
    return 1;
}

/* "2026-01-22T10:00:00Z" */
static int iso_time(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(pat) - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    return 1;
}

static int parse_key_line(const char *line, size_t len, struct auditkey *k, const char **why)
{
    const char *p = line, *end = line + len;
    char id[STORE_KEY_ID_LEN + 1], from[24], secret[66], derived[STORE_KEY_ID_LEN];
    memset(k, 0, sizeof(*k));
    *why = "expected 'bidrag-audit-key v1 id=... from=... created=... secret=...'";
    if (len < sizeof(RING_MAGIC) - 1 || memcmp(p, RING_MAGIC, sizeof(RING_MAGIC) - 1) != 0)
        return 0;
    p += sizeof(RING_MAGIC) - 1;
    if (!take(&p, end, "id", id, sizeof(id), 0) || !take(&p, end, "from", from, sizeof(from), 0) ||
        !take(&p, end, "created", k->created, sizeof(k->created), 0) ||
        !take(&p, end, "secret", secret, sizeof(secret), 1))
        return 0;
    if (strlen(id) != 16 || !is_hex(id, 16) || !number(from, &k->from) || !iso_time(k->created) ||
        strlen(secret) != 64 || !is_hex(secret, 64) ||
        sodium_hex2bin(k->secret, sizeof(k->secret), secret, 64, NULL, NULL, NULL) != 0) {
        *why = "a field is malformed";
        sodium_memzero(secret, sizeof(secret));
        return 0;
    }
    sodium_memzero(secret, sizeof(secret));
    key_id(k, derived);
    if (strcmp(derived, id) != 0) {
        *why = "the id does not belong to the secret";
        return 0;
    }
    memcpy(k->id, id, sizeof(k->id));
    return 1;
}

enum err auditkey_parse(const char *text, size_t len, struct auditkey_ring *r, char *msg, size_t n)
{
    size_t cap = 0;
    long line = 0;
    memset(r, 0, sizeof(*r));
    msg[0] = '\0';
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t l = nl ? (size_t)(nl - (text + at)) : len - at;
        const char *s = text + at;
        at += l + (nl ? 1 : 0);
        line++;
        if (l == 0 || s[0] == '#')
            continue;
        struct auditkey k;
        const char *why = NULL;
        if (!parse_key_line(s, l, &k, &why)) {
            snprintf(msg, n, "line %ld: %s", line, why);
            goto bad;
        }
        if (r->n && k.from <= r->k[r->n - 1].from) {
            snprintf(msg, n, "line %ld: key '%s' starts at row %lld, not after the key before it",
                     line, k.id, k.from);
            goto bad;
        }
        if (r->n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            struct auditkey *nk = nc <= AUDITKEY_RING_MAX ? calloc(nc, sizeof(*nk)) : NULL;
            if (!nk) {
                snprintf(msg, n, "line %ld: more than %d keys", line, AUDITKEY_RING_MAX);
                goto bad;
            }
            if (r->n)
                memcpy(nk, r->k, r->n * sizeof(*nk));
            if (r->k)
                sodium_memzero(r->k, r->n * sizeof(*nk));
            free(r->k);
            r->k = nk;
            cap = nc;
        }
        r->k[r->n++] = k;
        sodium_memzero(&k, sizeof(k));
    }
    if (r->n == 0) {
        snprintf(msg, n, "no key in it");
        goto bad;
    }
    return ERR_OK;
bad:
    auditkey_ring_release(r);
    return ERR_PARSE;
}

enum err auditkey_load(const char *path, struct auditkey_ring *r, char *msg, size_t n)
{
    struct stat st;
    struct buf b;
    char why[200];
    memset(r, 0, sizeof(*r));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, n, "audit key '%s': %s", path, strerror(errno));
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(msg, n, "audit key '%s' is not a file", path);
        return ERR_IO;
    }
    if (st.st_mode & 077) {
        close(fd);
        snprintf(msg, n, "audit key '%s' may be read by others (mode %04o): it must be 0600", path,
                 (unsigned)(st.st_mode & 07777));
        return ERR_DENIED;
    }
    buf_init(&b, RING_FILE_MAX);
    char chunk[4096];
    enum err e = ERR_OK;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got <= 0 || e != ERR_OK)
            break;
        e = buf_append(&b, chunk, (size_t)got);
    }
    close(fd);
    sodium_memzero(chunk, sizeof(chunk));
    if (e != ERR_OK) {
        snprintf(msg, n, "audit key '%s': larger than %zu bytes", path, RING_FILE_MAX);
        buf_release(&b);
        return ERR_LIMIT;
    }
    e = auditkey_parse(b.p ? b.p : "", b.len, r, why, sizeof(why));
    if (b.p)
        sodium_memzero(b.p, b.len);
    buf_release(&b);
    if (e != ERR_OK)
        snprintf(msg, n, "audit key '%s': %s", path, why);
    return e;
}

/* Make the folder of path, if absent, with mode (its parents 0755). */
static enum err make_folder(const char *path, mode_t mode, char *msg, size_t n)
{
    char dir[AUDITKEY_PATH_MAX];
    str_copy(dir, sizeof(dir), path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return ERR_OK;
    *slash = '\0';
    for (char *q = dir + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        int rc = mkdir(dir, 0755);
        *q = '/';
        if (rc != 0 && errno != EEXIST)
            break; /* said below */
    }
    if (mkdir(dir, mode) != 0 && errno != EEXIST) {
        snprintf(msg, n, "cannot make the folder '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

static void sync_folder(const char *path)
{
    char dir[AUDITKEY_PATH_MAX];
    str_copy(dir, sizeof(dir), path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = '\0';
    else
        str_copy(dir, sizeof(dir), slash ? "/" : ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static enum err write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return ERR_IO;
        p += w;
        len -= (size_t)w;
    }
    return ERR_OK;
}

enum err auditkey_add(const char *path, long long from, const char *created,
                      struct auditkey_ring *r, char *msg, size_t n)
{
    char tmp[AUDITKEY_PATH_MAX + 32], hexs[65];
    struct buf b;
    struct auditkey k;
    if (from < 1 || (r->n && from <= r->k[r->n - 1].from)) {
        snprintf(msg, n, "audit key '%s': a new key must start after row %lld", path,
                 r->n ? r->k[r->n - 1].from : 0);
        return ERR_CONFLICT;
    }
    if (!iso_time(created)) {
        snprintf(msg, n, "audit key '%s': '%s' is not a time", path, created);
        return ERR_INVALID;
    }
    if (r->n >= AUDITKEY_RING_MAX) {
        snprintf(msg, n, "audit key '%s': it holds %d keys already", path, AUDITKEY_RING_MAX);
        return ERR_LIMIT;
    }
    memset(&k, 0, sizeof(k));
    randombytes_buf(k.secret, sizeof(k.secret));
    k.from = from;
    str_copy(k.created, sizeof(k.created), created);
    key_id(&k, k.id);
    struct auditkey *nk = calloc(r->n + 1, sizeof(*nk));
    if (!nk) {
        sodium_memzero(&k, sizeof(k));
        return ERR_NOMEM;
    }
    if (r->n)
        memcpy(nk, r->k, r->n * sizeof(*nk));
    nk[r->n] = k;
    sodium_memzero(&k, sizeof(k));

    enum err e = make_folder(path, 0700, msg, n);
    buf_init(&b, RING_FILE_MAX);
    if (e == ERR_OK)
        e = buf_printf(&b, "# bidrag audit keys: secret, readable only by the service (0600). "
                           "One key per line, newest last; never remove one.\n");
    for (size_t i = 0; e == ERR_OK && i <= r->n; i++) {
        sodium_bin2hex(hexs, sizeof(hexs), nk[i].secret, sizeof(nk[i].secret));
        e = buf_printf(&b, RING_MAGIC "id=%s from=%lld created=%s secret=%s\n", nk[i].id,
                       nk[i].from, nk[i].created, hexs);
    }
    sodium_memzero(hexs, sizeof(hexs));
    int fd = -1;
    if (e == ERR_OK) {
        snprintf(tmp, sizeof(tmp), "%s.new-%ld", path, (long)getpid());
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(msg, n, "audit key '%s': cannot write '%s': %s", path, tmp, strerror(errno));
            e = ERR_IO;
        }
    }
    if (e == ERR_OK && (write_all(fd, b.p, b.len) != ERR_OK || fsync(fd) != 0)) {
        snprintf(msg, n, "audit key '%s': cannot write '%s': %s", path, tmp, strerror(errno));
        e = ERR_IO;
    }
    if (fd >= 0 && close(fd) != 0 && e == ERR_OK) {
        snprintf(msg, n, "audit key '%s': cannot write '%s': %s", path, tmp, strerror(errno));
        e = ERR_IO;
    }
    /* the first key must not replace one made meanwhile; a rotation
     * replaces the ring it read */
    if (e == ERR_OK && (r->n == 0 ? link(tmp, path) : rename(tmp, path)) != 0) {
        snprintf(msg, n, "audit key '%s': cannot put it in place: %s", path, strerror(errno));
        e = errno == EEXIST ? ERR_CONFLICT : ERR_IO;
    }
    if (fd >= 0 && (e != ERR_OK || r->n == 0))
        unlink(tmp);
    if (b.p)
        sodium_memzero(b.p, b.len);
    buf_release(&b);
    if (e != ERR_OK) {
        sodium_memzero(nk, (r->n + 1) * sizeof(*nk));
        free(nk);
        return e;
    }
    sync_folder(path);
    if (r->k)
        sodium_memzero(r->k, r->n * sizeof(*r->k));
    free(r->k);
    r->k = nk;
    r->n++;
    return ERR_OK;
}

const struct auditkey *auditkey_for(const struct auditkey_ring *r, long long seq)
{
    const struct auditkey *k = NULL;
    for (size_t i = 0; i < r->n && r->k[i].from <= seq; i++)
        k = &r->k[i];
    return k;
}

const struct auditkey *auditkey_find(const struct auditkey_ring *r, const char *id)
{
    for (size_t i = 0; id && i < r->n; i++)
        if (strcmp(r->k[i].id, id) == 0)
            return &r->k[i];
    return NULL;
}

static void record_mac(const struct auditkey *k, const char *hash, unsigned char out[32])
{
    static const char tag[] = "bidrag-audit-record v2\n";
    unsigned char mk[32];
    crypto_auth_hmacsha256_state st;
    derive(k, 1, mk);
    crypto_auth_hmacsha256_init(&st, mk, sizeof(mk));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)tag, sizeof(tag) - 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)hash, strlen(hash));
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(mk, sizeof(mk));
}

void auditkey_sign_record(const struct auditkey *k, const char *hash, char out[STORE_HASH_HEX])
{
    unsigned char mac[32];
    record_mac(k, hash, mac);
    sodium_bin2hex(out, STORE_HASH_HEX, mac, sizeof(mac));
}

int auditkey_record_ok(const struct auditkey *k, const char *hash, const char *sig)
{
    unsigned char mac[32], given[32];
    size_t len = 0;
    if (strlen(sig) != 64 || !is_hex(sig, 64) ||
        sodium_hex2bin(given, sizeof(given), sig, 64, NULL, &len, NULL) != 0 || len != 32)
        return 0;
    record_mac(k, hash, mac);
    return sodium_memcmp(mac, given, sizeof(mac)) == 0;
}

/* ---- checkpoints ---- */

int auditkey_event_ok(const char *event)
{
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
        if (strcmp(event, events[i]) == 0)
            return 1;
    return 0;
}

/* The signed part of a checkpoint line. */
static int cp_body(const struct audit_checkpoint *c, char *out, size_t n)
{
    int w = snprintf(out, n, CP_MAGIC "seq=%lld hash=%s at=%s key=%s event=%s", c->seq, c->hash,
                     c->at, c->key, c->event);
    return w > 0 && (size_t)w < n ? w : -1;
}

void auditkey_cp_sign(const struct auditkey *k, struct audit_checkpoint *c,
                      char line[AUDITKEY_LINE_MAX])
{
    unsigned char pk[32], sk[64], sig[64];
    char body[256];
    str_copy(c->key, sizeof(c->key), k->id);
    int len = cp_body(c, body, sizeof(body));
    keypair(k, pk, sk);
    crypto_sign_detached(sig, NULL, (const unsigned char *)body, (unsigned long long)len, sk);
    sodium_memzero(sk, sizeof(sk));
    sodium_bin2hex(c->sig, sizeof(c->sig), sig, sizeof(sig));
    auditkey_cp_format(c, line);
}

void auditkey_cp_format(const struct audit_checkpoint *c, char line[AUDITKEY_LINE_MAX])
{
    char body[256];
    if (cp_body(c, body, sizeof(body)) < 0)
        body[0] = '\0';
    snprintf(line, AUDITKEY_LINE_MAX, "%s sig=%s\n", body, c->sig);
}

enum err auditkey_cp_parse(const char *line, size_t len, struct audit_checkpoint *c)
{
    const char *p = line, *end = line + len;
    char seq[24];
    long ln = c->line;
    memset(c, 0, sizeof(*c));
    c->line = ln;
    c->bad = 1;
    if (len < sizeof(CP_MAGIC) - 1 || memcmp(p, CP_MAGIC, sizeof(CP_MAGIC) - 1) != 0)
        return ERR_PARSE;
    p += sizeof(CP_MAGIC) - 1;
    if (!take(&p, end, "seq", seq, sizeof(seq), 0) ||
        !take(&p, end, "hash", c->hash, sizeof(c->hash), 0) ||
        !take(&p, end, "at", c->at, sizeof(c->at), 0) ||
        !take(&p, end, "key", c->key, sizeof(c->key), 0) ||
        !take(&p, end, "event", c->event, sizeof(c->event), 0) ||
        !take(&p, end, "sig", c->sig, sizeof(c->sig), 1))
        return ERR_PARSE;
    if (!number(seq, &c->seq) || strlen(c->hash) != 64 || !is_hex(c->hash, 64) ||
        !iso_time(c->at) || strlen(c->key) != 16 || !is_hex(c->key, 16) ||
        !auditkey_event_ok(c->event) || strlen(c->sig) != 128 || !is_hex(c->sig, 128))
        return ERR_PARSE;
    c->bad = 0;
    return ERR_OK;
}

int auditkey_cp_ok(const struct auditkey_ring *r, const struct audit_checkpoint *c)
{
    const struct auditkey *k = auditkey_find(r, c->key);
    unsigned char pk[32], sk[64], sig[64];
    char body[256];
    size_t len = 0;
    if (!k || c->bad)
        return 0;
    int bl = cp_body(c, body, sizeof(body));
    if (bl < 0 || sodium_hex2bin(sig, sizeof(sig), c->sig, strlen(c->sig), NULL, &len, NULL) != 0 ||
        len != sizeof(sig))
        return 0;
    keypair(k, pk, sk);
    sodium_memzero(sk, sizeof(sk));
    return crypto_sign_verify_detached(sig, (const unsigned char *)body, (unsigned long long)bl,
                                       pk) == 0;
}

enum err auditkey_cp_append(const char *path, const char *line, char *msg, size_t n)
{
    enum err e = make_folder(path, 0750, msg, n);
    if (e != ERR_OK)
        return e;
    struct stat st;
    int existed = stat(path, &st) == 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        snprintf(msg, n, "audit checkpoints '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    /* one write: lines of processes appending at once stay whole */
    size_t len = strlen(line);
    ssize_t w = write(fd, line, len);
    if (w != (ssize_t)len || fsync(fd) != 0) {
        snprintf(msg, n, "audit checkpoints '%s': cannot write: %s", path,
                 w < 0 || w == (ssize_t)len ? strerror(errno) : "short write");
        e = ERR_IO;
    }
    if (close(fd) != 0 && e == ERR_OK) {
        snprintf(msg, n, "audit checkpoints '%s': cannot write: %s", path, strerror(errno));
        e = ERR_IO;
    }
    if (e == ERR_OK && !existed)
        sync_folder(path);
    return e;
}

enum err auditkey_cp_read(const char *path, struct audit_checkpoint **out, size_t *n, char *msg,
                          size_t msg_n)
{
    struct buf b;
    *out = NULL;
    *n = 0;
    buf_init(&b, CP_FILE_MAX);
    enum err e = buf_read_file(&b, path);
    if (e != ERR_OK) {
        buf_release(&b);
        if (access(path, F_OK) != 0) {
            snprintf(msg, msg_n, "audit checkpoints '%s': no such file", path);
            return ERR_NOTFOUND;
        }
        snprintf(msg, msg_n, "audit checkpoints '%s': cannot read it", path);
        return e;
    }
    size_t cap = 0, cnt = 0;
    struct audit_checkpoint *arr = NULL;
    long line = 0;
    for (size_t at = 0; at < b.len && e == ERR_OK;) {
        const char *s = b.p + at;
        const char *nl = memchr(s, '\n', b.len - at);
        size_t l = nl ? (size_t)(nl - s) : b.len - at;
        at += l + (nl ? 1 : 0);
        line++;
        if (l == 0)
            continue;
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 64;
            struct audit_checkpoint *na = realloc(arr, nc * sizeof(*na));
            if (!na) {
                e = ERR_NOMEM;
                break;
            }
            arr = na;
            cap = nc;
        }
        arr[cnt].line = line;
        if (auditkey_cp_parse(s, l, &arr[cnt]) != ERR_OK)
            arr[cnt].bad = 1;
        cnt++;
    }
    buf_release(&b);
    if (e != ERR_OK) {
        free(arr);
        snprintf(msg, msg_n, "audit checkpoints '%s': no memory", path);
        return e;
    }
    *out = arr;
    *n = cnt;
    return ERR_OK;
}

enum err auditkey_cp_last(const char *path, struct audit_checkpoint *c, char *msg, size_t n)
{
    char tail[AUDITKEY_LINE_MAX * 2];
    struct stat st;
    memset(c, 0, sizeof(*c));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, n, "audit checkpoints '%s': %s", path, strerror(errno));
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    }
    if (fstat(fd, &st) != 0) {
        close(fd);
        snprintf(msg, n, "audit checkpoints '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    off_t off = st.st_size > (off_t)sizeof(tail) ? st.st_size - (off_t)sizeof(tail) : 0;
    ssize_t got = pread(fd, tail, sizeof(tail), off);
    close(fd);
    if (got < 0) {
        snprintf(msg, n, "audit checkpoints '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    size_t len = (size_t)got;
    while (len > 0 && tail[len - 1] == '\n')
        len--;
    if (len == 0) {
        snprintf(msg, n, "audit checkpoints '%s': no checkpoint in it", path);
        return ERR_NOTFOUND;
    }
    size_t start = len;
    while (start > 0 && tail[start - 1] != '\n')
        start--;
    if (start == 0 && off > 0) {
        snprintf(msg, n, "audit checkpoints '%s': its last line is too long", path);
        return ERR_PARSE;
    }
    if (auditkey_cp_parse(tail + start, len - start, c) != ERR_OK) {
        snprintf(msg, n, "audit checkpoints '%s': its last line is no checkpoint", path);
        return ERR_PARSE;
    }
    return ERR_OK;
}
