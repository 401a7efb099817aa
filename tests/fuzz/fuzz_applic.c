/* fuzz_applic.c - libFuzzer target for what applicants and the bank send
 * the application cases: uploaded files (the type is told from the bytes;
 * an accepted file must be one of the three types and within the caps)
 * and fee OCR references (an accepted one must be what applic_ocr makes
 * for its type, year and seq). The first byte picks which. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/applic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const unsigned char *p = data + 1;
    size_t n = size - 1;
    if (data[0] & 1) {
        struct applic_file_rules r = {2048, 4096, 4};
        enum applic_ftype t;
        const char *why = NULL;
        enum err e =
            applic_file_check(&r, p, n, data[0] >> 6, (size_t)(data[0] >> 1) * 64, &t, &why);
        if (e == ERR_OK) {
            if (t == APPLIC_FT_UNKNOWN || !applic_ftype_mime(t)[0] || n == 0 || n > 2048 ||
                t != applic_sniff(p, n))
                abort();
        } else if (t != APPLIC_FT_UNKNOWN || !why || !why[0]) {
            abort();
        }
    } else {
        if (n > 64)
            return 0;
        char s[65];
        memcpy(s, p, n);
        s[n] = '\0';
        enum applic_type t;
        int y;
        long q;
        if (applic_ocr_parse(s, &t, &y, &q) == ERR_OK) {
            char again[APPLIC_OCR_SIZE], packed[65];
            size_t k = 0;
            for (size_t i = 0; i < n && s[i]; i++)
                if (s[i] != ' ')
                    packed[k++] = s[i];
            packed[k] = '\0';
            if (applic_ocr(t, y, q, again) != ERR_OK || strcmp(again, packed) != 0)
                abort();
        } else if (t != APPLIC_NONE || y || q) {
            abort();
        }
    }
    return 0;
}
