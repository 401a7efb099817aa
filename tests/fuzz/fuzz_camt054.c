/* fuzz_camt054.c - libFuzzer target for the bank's debit and credit
 * notification reader (camt.054.001.02, outside input): any bytes either
 * read into transactions with positive SEK amounts and ids of at most 35
 * bytes, or are refused with at least one message and nothing read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/camt054.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct camt054_report r;
    struct diag d;
    diag_init(&d, 20);
    if (camt054_read((const char *)data, size, "fuzz.xml", &r, &d) == ERR_OK) {
        for (size_t i = 0; i < r.n; i++) {
            const struct camt054_item *it = &r.items[i];
            if (it->amount <= 0 || strlen(it->e2e) > PAYMENT_ID_MAX ||
                strlen(it->ref) > PAYMENT_ID_MAX || (it->ocr && !payment_ocr_ok(it->ref)))
                abort();
            if (camt054_is_paid(it) && (it->credit || !it->e2e[0]))
                abort();
        }
    } else if (r.n || r.items || d.total == 0) {
        abort();
    }
    camt054_release(&r);
    diag_release(&d);
    return 0;
}
