/* fuzz_orgnr.c - libFuzzer target for the parsers of organisation numbers
 * and OCR references typed or read from outside (forms, reference files,
 * the bank's camt.054): the first byte picks which. An accepted
 * organisation number must check, format and parse again to itself; an
 * accepted OCR must be what reclaim_ocr() makes for its year and seq. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/orgnr.h"
#include "core/reclaim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256)
        return 0;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (data[0] & 1) {
        char out[ORGNR_SIZE], again[ORGNR_SIZE], shown[ORGNR_DISPLAY_SIZE], msg[200];
        if (orgnr_parse(s, out, msg, sizeof(msg)) == ERR_OK) {
            if (!orgnr_ok(out))
                abort();
            orgnr_format(out, shown);
            if (orgnr_parse(shown, again, msg, sizeof(msg)) != ERR_OK || strcmp(out, again) != 0)
                abort();
        } else if (!msg[0] || out[0]) {
            abort();
        }
    } else {
        int year;
        long seq;
        if (reclaim_ocr_parse(s, &year, &seq) == ERR_OK) {
            char ocr[RECLAIM_OCR_SIZE];
            if (reclaim_ocr(year, seq, ocr) != ERR_OK)
                abort();
            /* the input without its spaces is that reference */
            char packed[RECLAIM_OCR_SIZE + 1];
            size_t k = 0;
            for (const char *p = s; *p && k < RECLAIM_OCR_SIZE; p++)
                if (*p != ' ')
                    packed[k++] = *p;
            packed[k] = '\0';
            if (strcmp(packed, ocr) != 0)
                abort();
        }
    }
    free(s);
    return 0;
}
