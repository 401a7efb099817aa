/* auditkey.h - what makes the audit trail hold against someone who can
 * write the database: its keys and its signed checkpoints, both kept in
 * files outside the database.
 *
 * The key ring (default: keys/audit.key beside the database, folder
 * 0700, file 0600, readable only by the service) holds one line per key,
 * newest last:
 *
 *   bidrag-audit-key v1 id=<16 hex> from=<seq> created=<ISO time> secret=<64 hex>
 *
 * A key signs the audit rows from `from` until the next key's `from`;
 * rotating adds a key and keeps the old ones, so old rows still verify.
 * From the 32-byte secret two keys are derived (libsodium's KDF): an
 * HMAC-SHA-256 key that signs every record, and an Ed25519 key pair that
 * signs checkpoints, so that a checkpoint printed in the operator's
 * daily report can be checked by anyone holding the public key. The id
 * is the first 8 bytes of SHA-256 of that public key.
 *
 * The checkpoints file (default: audit/checkpoints beside the database,
 * opened O_APPEND, each line fsync'ed) holds signed heads of the chain,
 * the way Certificate Transparency logs publish signed tree heads:
 *
 *   bidrag-audit-checkpoint v1 seq=<n> hash=<64 hex> at=<ISO time> key=<id> event=<event> sig=<128
 * hex>
 *
 * sig is the Ed25519 signature of the line up to " sig=". An event says
 * why it was written: every (N records), interval, stop, init, manual
 * (`bidrag audit checkpoint`), rotate, restore (`bidrag restore` put an
 * older copy in place: checkpoints before it past its row no longer
 * hold). BIDRAG_AUDIT_KEY and BIDRAG_AUDIT_CHECKPOINTS name other files. */
#ifndef BIDRAG_SERVICE_AUDITKEY_H
#define BIDRAG_SERVICE_AUDITKEY_H

#include <stddef.h>

#include "store/store_auth.h"
#include "util/err.h"

#define AUDITKEY_PATH_MAX 1024
#define AUDITKEY_LINE_MAX 400   /* a checkpoint line, with its newline */
#define AUDITKEY_RING_MAX 10000 /* keys in one ring */

/* Where the key ring and the checkpoints are kept. */
struct audit_paths {
    char key[AUDITKEY_PATH_MAX];
    char checkpoints[AUDITKEY_PATH_MAX];
};
/* The paths for a database in folder ("" the working folder, NULL a
 * database that is no file: then var/), unless the environment names
 * them. ERR_LIMIT when a path is too long. */
ERR_MUST_CHECK enum err auditkey_paths(const char *folder, struct audit_paths *p);

struct auditkey {
    char id[STORE_KEY_ID_LEN];
    long long from; /* the first audit row it signs */
    char created[32];
    unsigned char secret[32];
};
struct auditkey_ring {
    struct auditkey *k; /* by from, ascending */
    size_t n;
};
void auditkey_ring_release(struct auditkey_ring *r);

/* Read a ring from text (a file's contents). ERR_PARSE with msg ("line
 * N: ...") for anything that is not exactly a ring: a bad line, an id
 * that does not belong to its secret, keys out of order. */
ERR_MUST_CHECK enum err auditkey_parse(const char *text, size_t len, struct auditkey_ring *r,
                                       char *msg, size_t n);
/* Load the ring at path. ERR_NOTFOUND when there is none; ERR_DENIED
 * when others than its owner may read it; ERR_PARSE, ERR_IO. msg says
 * why ("path: ..."). */
ERR_MUST_CHECK enum err auditkey_load(const char *path, struct auditkey_ring *r, char *msg,
                                      size_t n);
/* Make a new random key signing from row `from` on, add it to r and
 * write the ring to path in one step (a new file renamed over the old;
 * created with its folder when absent). ERR_CONFLICT when from is not
 * past the newest key's. */
ERR_MUST_CHECK enum err auditkey_add(const char *path, long long from, const char *created,
                                     struct auditkey_ring *r, char *msg, size_t n);
/* The key that signs row seq (NULL: none, seq is before the first key),
 * and the key of an id (NULL: unknown). */
const struct auditkey *auditkey_for(const struct auditkey_ring *r, long long seq);
const struct auditkey *auditkey_find(const struct auditkey_ring *r, const char *id);

/* A record's signature: HMAC-SHA-256 of its hash (hex) under k, in hex. */
void auditkey_sign_record(const struct auditkey *k, const char *hash, char out[STORE_HASH_HEX]);
/* 1 if sig is that signature (compared in constant time). */
int auditkey_record_ok(const struct auditkey *k, const char *hash, const char *sig);
/* The Ed25519 public key of k, hex (64 digits). */
void auditkey_public(const struct auditkey *k, char out[65]);

struct audit_checkpoint {
    long long seq;
    char hash[STORE_HASH_HEX];
    char at[32];
    char key[STORE_KEY_ID_LEN];
    char event[16];
    char sig[129];
    long line; /* its line in the file it was read from */
    int bad;   /* the line is no checkpoint */
};
/* 1 if event is one of the events above. */
int auditkey_event_ok(const char *event);
/* Sign c (seq, hash, at, event set) with k: c->key and c->sig are set and
 * the line (with its newline) written to line. */
void auditkey_cp_sign(const struct auditkey *k, struct audit_checkpoint *c,
                      char line[AUDITKEY_LINE_MAX]);
/* The line of a signed checkpoint (with its newline). */
void auditkey_cp_format(const struct audit_checkpoint *c, char line[AUDITKEY_LINE_MAX]);
/* Parse one line (without its newline); ERR_PARSE unless it is exactly a
 * checkpoint line. */
ERR_MUST_CHECK enum err auditkey_cp_parse(const char *line, size_t len, struct audit_checkpoint *c);
/* 1 if c's signature verifies under its key in r (0 also for an unknown
 * key). */
int auditkey_cp_ok(const struct auditkey_ring *r, const struct audit_checkpoint *c);
/* Append line to the checkpoints file (created with its folder), and
 * fsync it. */
ERR_MUST_CHECK enum err auditkey_cp_append(const char *path, const char *line, char *msg, size_t n);
/* Every line of a checkpoints file (bad ones with bad = 1); ERR_NOTFOUND
 * when there is no file. Caller frees *out. */
ERR_MUST_CHECK enum err auditkey_cp_read(const char *path, struct audit_checkpoint **out, size_t *n,
                                         char *msg, size_t msg_n);
/* The last line of a checkpoints file, read from its end; ERR_NOTFOUND
 * when there is none (no file or no line), ERR_PARSE when the last line
 * is no checkpoint. */
ERR_MUST_CHECK enum err auditkey_cp_last(const char *path, struct audit_checkpoint *c, char *msg,
                                         size_t n);

#endif
