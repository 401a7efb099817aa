/* fuzz_personnr.c - libFuzzer target for identities typed by applicants:
 * personnummer and samordningsnummer (the first byte picks "today"'s year
 * offset), foreign ids and countries, and OCR references read from the
 * bank. An accepted number must be personnr_ok, born by today, format and
 * parse again to itself with the same kind; a refusal leaves "" and a
 * message key. An accepted OCR must be what ocr_make gives for its body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ocr.h"
#include "core/personnr.h"

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
    struct date today = {1990 + data[0] % 64, 1 + data[0] % 12, 1 + data[0] % 28};
    switch (data[0] % 3) {
    case 0: {
        char out[PERSONNR_SIZE], again[PERSONNR_SIZE], shown[PERSONNR_DISPLAY_SIZE];
        char masked[PERSONNR_MASKED_SIZE];
        enum personnr_kind k, k2;
        struct date born;
        const char *why = NULL;
        if (personnr_parse(s, today, out, &k, &born, &why) == ERR_OK) {
            if (!personnr_ok(out) || personnr_kind_of(out) != k || date_cmp(born, today) > 0)
                abort();
            personnr_format(out, shown);
            if (personnr_parse(shown, today, again, &k2, NULL, NULL) != ERR_OK ||
                strcmp(out, again) != 0 || k2 != k)
                abort();
            personnr_mask(out, masked);
            if (strlen(masked) != 13 || memcmp(masked, out, 8) != 0 ||
                strcmp(masked + 8, "-****") != 0)
                abort();
        } else if (out[0] || !why || !why[0] || k != PERSONNR_NONE) {
            abort();
        }
        break;
    }
    case 1: {
        /* "id|country" */
        char *bar = strchr(s, '|');
        const char *country = bar ? bar + 1 : "SE";
        if (bar)
            *bar = '\0';
        struct personnr_ident id;
        char key[PERSONNR_KEY_SIZE];
        const char *why = NULL;
        struct date born = {1980, 1, 1};
        if (personnr_foreign(born, s, country, today, &id, &why) == ERR_OK) {
            if (personnr_ident_key(&id, key) != ERR_OK || key[0] != 'F' ||
                !personnr_country_ok(id.country))
                abort();
        } else if (id.kind != PERSONNR_NONE || !why || !why[0]) {
            abort();
        }
        break;
    }
    default: {
        char body[OCR_SIZE], again[OCR_SIZE];
        if (ocr_parse(s, body, sizeof(body)) == ERR_OK) {
            if (ocr_make(body, again, sizeof(again)) != ERR_OK)
                abort();
            char packed[OCR_SIZE + 1];
            size_t k = 0;
            for (const char *p = s; *p && k < OCR_SIZE; p++)
                if (*p != ' ')
                    packed[k++] = *p;
            packed[k] = '\0';
            if (strcmp(packed, again) != 0)
                abort();
        } else if (body[0]) {
            abort();
        }
        break;
    }
    }
    free(s);
    return 0;
}
