/* fuzz_multipart.c - libFuzzer target for the multipart/form-data parser:
 * the first line of the input is the Content-Type header, the rest the
 * body. Every field must come out valid text and every file slice must
 * lie inside the body and under the cap. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    if (!nl)
        return 0;
    size_t hl = (size_t)(nl - s);
    char *ct = malloc(hl + 1);
    if (!ct)
        return 0;
    memcpy(ct, s, hl);
    ct[hl] = '\0';
    const char *body = nl + 1;
    size_t blen = size - hl - 1;
    struct arena a;
    struct form f;
    struct mp_files files;
    arena_init(&a, (size_t)1 << 20);
    if (mp_parse(&a, ct, body, blen, 256, &f, &files) == ERR_OK) {
        for (size_t i = 0; i < f.n; i++)
            if (!form_text_ok(f.f[i].name, strlen(f.f[i].name), 0) ||
                !form_text_ok(f.f[i].value, strlen(f.f[i].value), 1))
                abort();
        for (size_t i = 0; i < files.n; i++) {
            const char *d = (const char *)files.v[i].data;
            if (files.v[i].len > 256 || d < body || d + files.v[i].len > body + blen)
                abort();
        }
    }
    arena_release(&a);
    free(ct);
    return 0;
}
