/* fuzz_valfile.c - libFuzzer target: the CSV reader and the value-file
 * parser used for population, metrics, weights and key tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/valfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct series s;
    long *lines = NULL;
    struct diag d;
    diag_init(&d, 50);
    struct valfile_opts o = {NULL, 0};
    if (size && data[0] & 1)
        o.value_col = "value";
    if (valfile_parse((const char *)data, size, "fuzz.csv", SERIES_POPULATION, &o, &s, &lines,
                      &d) == ERR_OK) {
        const char *dup;
        series_sort(&s, &dup);
        series_release(&s);
    }
    free(lines);
    diag_release(&d);
    return 0;
}
