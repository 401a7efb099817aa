/* fuzz_reqcase.c - libFuzzer target for a requisition's content as a case
 * (core/reqcase.h): bytes parsed as the kind's JSON, read into the form,
 * validated for a draft and for submission, written back as canonical
 * JSON; what was read must come back the same (the canonical text is a
 * fixed point, the form's canonical text unchanged), and a version
 * compared with itself has no changes. Nothing may crash, leak or read
 * out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/reqcase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *form_text(const struct req_form *f)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 22);
    char *t = NULL;
    if (req_form_canon(f, &b) == ERR_OK && buf_putc(&b, '\0') == ERR_OK)
        t = buf_steal(&b);
    buf_release(&b);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct purpose purposes[2] = {{"vfu", "VFU", 1, ""}, {"cancer", "Cancer", 2, ""}};
    const struct case_kind *k = reqcase_kind();
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
    json_t *j = NULL, *again = NULL, *j2 = NULL;
    struct req_form f, g;
    struct msg_issues is;
    memset(&is, 0, sizeof(is));
    req_form_init(&f);
    req_form_init(&g);
    char *c1 = NULL, *c2 = NULL, *t1 = NULL, *t2 = NULL;
    if (case_content_parse(k, text, &j) != ERR_OK)
        goto out;
    struct reqcase_ctx ctx = {&p, 100000000, NULL};
    (void)k->codec.validate(j, &ctx, 0, &is);
    (void)k->codec.validate(j, &ctx, 1, &is);
    if (is.n > MSG_ISSUES_MAX)
        abort();
    struct case_diff d;
    if (k->codec.diff(j, j, &d) == ERR_OK && d.n != 0)
        abort();
    (void)k->codec.diff(NULL, j, &d);
    req_form_release(&f);
    if (reqcase_from_json(j, &f, NULL) != ERR_OK)
        goto out;
    /* what was read comes back the same */
    if (reqcase_to_json(&f, &again) != ERR_OK || case_canon(k, again, &c1) != ERR_OK)
        goto out;
    if (case_content_parse(k, c1, &j2) != ERR_OK)
        abort();
    req_form_release(&g);
    if (reqcase_from_json(j2, &g, NULL) != ERR_OK)
        abort();
    json_decref(again);
    again = NULL;
    if (reqcase_to_json(&g, &again) != ERR_OK || case_canon(k, again, &c2) != ERR_OK)
        goto out;
    if (strcmp(c1, c2) != 0)
        abort();
    t1 = form_text(&f);
    t2 = form_text(&g);
    if (t1 && t2 && strcmp(t1, t2) != 0)
        abort();
out:
    free(c1);
    free(c2);
    free(t1);
    free(t2);
    json_decref(j);
    json_decref(j2);
    json_decref(again);
    req_form_release(&f);
    req_form_release(&g);
    free(text);
    return 0;
}
