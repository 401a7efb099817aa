/* fuzz_px.c - libFuzzer target: px_read_cube on arbitrary bytes (with the
 * cell lines asked for), then write the cube back as PX, JSON-stat and
 * CSV, and release everything. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/cube.h"
#include "io/cubecsv.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "util/buf.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cube c;
    struct diag dg;
    long *lines = NULL;
    cube_init(&c);
    diag_init(&dg, 20);
    const char *lang = size > 0 && (data[0] & 1) ? "sv" : NULL;
    if (px_read_cube((const char *)data, size, "fuzz.px", lang, &c, &lines, &dg) == ERR_OK &&
        c.ncells <= 100000) {
        struct buf out;
        buf_init(&out, (size_t)64 << 20);
        (void)px_write_cube(&c, &out);
        buf_reset(&out);
        (void)jsonstat_write_cube(&c, &out);
        buf_reset(&out);
        (void)cubecsv_write(&c, &out);
        buf_release(&out);
    }
    free(lines);
    cube_release(&c);
    diag_release(&dg);
    return 0;
}
