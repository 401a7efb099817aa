/* sha256.h - SHA-256 for file provenance, using the CPU's SHA extensions
 * when present (several times faster) and libsodium otherwise. */
#ifndef BIDRAG_UTIL_SHA256_H
#define BIDRAG_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;          /* bytes hashed so far */
    unsigned char buf[64]; /* partial block */
    size_t nbuf;
    int ni; /* 1 = SHA extensions */
};

void sha256_init(struct sha256 *s);
/* Force the portable path (tests). */
void sha256_init_portable(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* Lower-case hex of a digest into out (65 bytes). */
void sha256_hex(const unsigned char d[32], char out[65]);
/* The lower-case hex digest of n bytes of data into out (65 bytes). */
void sha256_hex_of(const void *data, size_t n, char out[65]);

#endif
