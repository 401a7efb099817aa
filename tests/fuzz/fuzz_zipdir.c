/* fuzz_zipdir.c - libFuzzer target: the ZIP central directory walk and the
 * production plan's type check must take any bytes without reading
 * outside them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/requisition.h"
#include "util/zipdir.h"

static int touch(void *ctx, const char *name, size_t len)
{
    size_t *sum = ctx;
    for (size_t i = 0; i < len; i++)
        *sum += (unsigned char)name[i];
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes, so that ASan sees any overread */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    size_t sum = 0;
    zipdir_each(copy, size, touch, &sum);
    req_plan_type(copy, size);
    free(copy);
    return 0;
}
