/* fuzz_reqform.c - libFuzzer target for the requisition form as posted:
 * lines "field=value" go through req_form_set, then the form is trimmed,
 * validated for a draft and for submission, written as canonical text and
 * compared with itself. Nothing may crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/requisition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct purpose purposes[2] = {{"vfu", "VFU", 1, ""}, {"cancer", "Cancer", 2, ""}};
    struct program p;
    memset(&p, 0, sizeof(p));
    p.purposes = purposes;
    p.npurposes = 2;
    p.production_plan = size % 2;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct req_form f, g;
    struct msg_issues is;
    memset(&is, 0, sizeof(is));
    req_form_init(&f);
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = '\0';
            (void)req_form_set(&f, line, eq + 1, &is);
        }
        line = nl ? nl + 1 : NULL;
    }
    req_form_trim(&f);
    if (f.nmeasures > REQ_MEASURES_MAX)
        abort();
    (void)req_validate(&f, &p, 100000000, 0, &is);
    (void)req_validate(&f, &p, 100000000, 1, &is);
    if (is.n > MSG_ISSUES_MAX)
        abort();
    struct buf b;
    buf_init(&b, (size_t)1 << 22);
    (void)req_form_canon(&f, &b);
    if (req_form_copy(&g, &f) == ERR_OK) {
        char fields[32][32];
        if (req_form_diff(&f, &g, fields, 32) != 0)
            abort();
        req_form_release(&g);
    }
    buf_release(&b);
    req_form_release(&f);
    free(text);
    return 0;
}
