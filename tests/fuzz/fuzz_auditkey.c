/* fuzz_auditkey.c - libFuzzer target for the files of the audit trail
 * that live outside the database and are read back: the key ring and
 * checkpoint lines (the first byte picks which). An accepted checkpoint
 * must be written back byte for byte the same; an accepted ring holds at
 * least one key, in order of the rows they start at, each found by its
 * id. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "service/auditkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            abort();
        ready = 1;
    }
    if (size < 1 || size > 8192)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (data[0] & 1) {
        struct audit_checkpoint c;
        char line[AUDITKEY_LINE_MAX];
        memset(&c, 0, sizeof(c));
        if (auditkey_cp_parse(text, len, &c) != ERR_OK)
            return 0;
        auditkey_cp_format(&c, line);
        if (strlen(line) != len + 1 || memcmp(line, text, len) != 0 || line[len] != '\n')
            abort();
        return 0;
    }
    struct auditkey_ring r = {NULL, 0};
    char msg[200];
    if (auditkey_parse(text, len, &r, msg, sizeof(msg)) != ERR_OK)
        return 0;
    if (r.n == 0)
        abort();
    for (size_t i = 0; i < r.n; i++) {
        if ((i && r.k[i].from <= r.k[i - 1].from) || auditkey_find(&r, r.k[i].id) == NULL ||
            auditkey_for(&r, r.k[i].from) != &r.k[i])
            abort();
    }
    auditkey_ring_release(&r);
    return 0;
}
