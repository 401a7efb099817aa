/* fuzz_sqlparams.c - libFuzzer target for sql_number_params, which turns
 * the portable `?` parameters of a statement into PostgreSQL's $1..$n
 * outside string literals, quoted names and comments. Whatever the text:
 * every `?` either stays or becomes exactly one $k, k counting up from 1,
 * and nothing else changes; past SQL_MAX_PARAMS it refuses. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *in = malloc(size + 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    size_t len = strlen(in), marks = 0;
    for (size_t i = 0; i < len; i++)
        marks += in[i] == '?';
    char *out = NULL;
    int n = -1;
    enum err e = sql_number_params(in, &out, &n);
    if (e == ERR_LIMIT) {
        if (marks <= SQL_MAX_PARAMS || out)
            abort();
        free(in);
        return 0;
    }
    if (e != ERR_OK || !out || n < 0 || (size_t)n > marks)
        abort();
    /* walk both: equal bytes, or a '?' in the input that is "$k" (the
     * next k) in the output */
    const char *p = in, *q = out;
    int k = 0;
    while (*p) {
        if (*p == *q) {
            p++;
            q++;
            continue;
        }
        if (*p != '?' || *q != '$')
            abort();
        char want[16];
        int w = snprintf(want, sizeof(want), "$%d", ++k);
        if (strncmp(q, want, (size_t)w) != 0)
            abort();
        p++;
        q += w;
    }
    /* a '?' kept where a "$k" was expected would have been caught above
     * only if the bytes differed; the count must match what was numbered */
    if (*q || k != n)
        abort();
    free(out);
    free(in);
    return 0;
}
