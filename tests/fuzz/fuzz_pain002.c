/* fuzz_pain002.c - libFuzzer target for the bank's status report reader
 * (pain.002.001.03, outside input): any bytes either read into a report
 * whose every transaction names a payment (an id of at most 35 bytes) and
 * a block it belongs to, with statuses classified, or are refused with at
 * least one message and nothing read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/pain002.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pain002_report r;
    struct diag d;
    diag_init(&d, 20);
    if (pain002_read((const char *)data, size, "fuzz.xml", &r, &d) == ERR_OK) {
        if (!r.orig_msg_id[0] || strlen(r.orig_msg_id) > PAYMENT_ID_MAX)
            abort();
        for (size_t i = 0; i < r.ntxs; i++) {
            const struct pain002_tx *t = &r.txs[i];
            if (!t->e2e[0] || strlen(t->e2e) > PAYMENT_ID_MAX || t->pmtinf >= r.npmtinfs)
                abort();
            if (t->st.outcome != pain002_outcome_of(t->st.code))
                abort();
            (void)pain002_effective(&r, t->e2e, r.pmtinfs[t->pmtinf].id, NULL);
            (void)pain002_reason_label_sv(t->st.reason.code);
        }
    } else if (r.ntxs || r.npmtinfs || r.txs || r.pmtinfs || d.total == 0) {
        abort();
    }
    pain002_release(&r);
    diag_release(&d);
    return 0;
}
