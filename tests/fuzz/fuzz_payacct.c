/* fuzz_payacct.c - libFuzzer target for the payment account parser
 * (bankgiro, plusgiro, IBAN) over untrusted form input: the first byte
 * picks the kind, the rest is the text. An accepted account must parse
 * again from its display form to the same number. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/payacct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256)
        return 0;
    enum payacct_kind kind = (enum payacct_kind)(data[0] % 4);
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    struct payacct p, q;
    struct msg why;
    msg_clear(&why);
    if (payacct_parse(kind, s, &p, &why) == ERR_OK) {
        if (p.kind == PAYACCT_NONE || !p.number[0] || !p.display[0])
            abort();
        if (payacct_parse(p.kind, p.display, &q, &why) != ERR_OK)
            abort();
        if (strcmp(p.number, q.number) != 0 || strcmp(p.display, q.display) != 0)
            abort();
    } else if (msg_empty(&why)) {
        abort();
    }
    free(s);
    return 0;
}
