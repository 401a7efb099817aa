/* fuzz_svrl.c - libFuzzer target for the SVRL reader (io/svrl), which
 * reads what the Peppol rules report about an invoice: any bytes either
 * parse into findings that add up, or are refused with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/svrl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct svrl_report r;
    struct diag d;
    diag_init(&d, 10);
    enum err e = svrl_parse((const char *)data, size, "fuzz.svrl", &r, &d);
    if (e == ERR_OK) {
        if (r.nfatal + r.nwarning + r.ninfo != r.n)
            abort();
        for (size_t i = 0; i < r.n; i++)
            if (strlen(r.v[i].text) >= sizeof(r.v[i].text) ||
                strlen(r.v[i].rule) >= sizeof(r.v[i].rule))
                abort();
    } else if (e != ERR_NOMEM && d.n == 0) {
        abort();
    }
    svrl_report_release(&r);
    diag_release(&d);
    return 0;
}
