/* fuzz_stats_csv.c - libFuzzer target: the workforce microdata CSV parser
 * (header check and record validation) must take any bytes without
 * crashing, reading out of bounds or accepting a value out of range. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/statscsv.h"

static struct statscsv_ref *ref;

static void load_ref(void)
{
    static const char *const dirs[] = {BIDRAG_SOURCE_DIR "/data/reference",
                                       BIDRAG_SOURCE_DIR "/data"};
    struct diag d;
    ref = malloc(sizeof(*ref));
    if (!ref)
        abort();
    diag_init(&d, 10);
    if (statscsv_ref_load(ref, dirs, 2, &d) != ERR_OK) {
        diag_print(&d, stderr);
        abort();
    }
    diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ref)
        load_ref();
    /* copy so that reading past the end is caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    struct statscsv_dialect dl = {',', 10};
    char msg[256];
    int header = 1;
    size_t pos = 0;
    while (pos < size) {
        char *nl = memchr(text + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : size - pos;
        const char *line = text + pos;
        msg[0] = '\0';
        if (header) {
            if (statscsv_header(line, len, &dl, msg, sizeof(msg)) != 0) {
                if (msg[0] == '\0')
                    abort();
                dl.delim = ',';
                dl.nfields = 10;
            }
            header = 0;
        } else {
            struct statscsv_row row;
            if (statscsv_parse_line(ref, &dl, line, len, &row, msg, sizeof(msg)) == 0) {
                if (row.fte < 0 || row.fte > 100 || row.kommun < 0 ||
                    (size_t)row.kommun >= ref->nkommun || row.occ < 0 ||
                    (size_t)row.occ >= ref->nocc || row.licence < 0 ||
                    (size_t)row.licence >= ref->nlicence || row.sex < 1 || row.sex > 2 ||
                    row.ageband < 0 || row.ageband > 5 || row.person_len == 0 || row.caretype < 0 ||
                    (size_t)row.caretype >= ref->ncaretype || row.person < line ||
                    row.person + row.person_len > line + len)
                    abort();
            } else if (msg[0] == '\0') {
                abort();
            }
        }
        pos += len + 1;
    }
    free(text);
    return 0;
}
