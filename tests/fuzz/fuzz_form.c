/* fuzz_form.c - libFuzzer target for the parsers of untrusted request
 * text: URL-encoded forms and query strings, Cookie headers,
 * Accept-Language, a proxy's X-Forwarded-For, Accept-Encoding and
 * If-None-Match, and the escaping writer
 * over whatever they yield. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"
#include "web/html.h"
#include "util/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct form f;
    struct html h;
    const char *s = (const char *)data;
    arena_init(&a, (size_t)1 << 20);
    html_init(&h, (size_t)1 << 20);
    if (form_parse(&a, s, size, &f) == ERR_OK) {
        for (size_t i = 0; i < f.n; i++) {
            if (!form_text_ok(f.f[i].name, strlen(f.f[i].name), 0))
                abort();
            html_f(&h, "<p title=\"%s\">%s</p>", f.f[i].name, f.f[i].value);
        }
        /* escaped output never holds a raw quote or angle bracket from data */
        if (!html_failed(&h)) {
            size_t lt = 0;
            for (size_t i = 0; i < h.b.len; i++)
                lt += h.b.p[i] == '<';
            if (lt != 2 * f.n)
                abort();
        }
    }
    if (form_parse_cookies(&a, s, size, &f) == ERR_OK)
        for (size_t i = 0; i < f.n; i++)
            (void)form_get(&f, f.f[i].name);
    char *z = malloc(size + 1);
    if (z) {
        memcpy(z, data, size);
        z[size] = '\0';
        (void)i18n_negotiate(NULL, NULL, z);
        char addr[48];
        /* an accepted address is one of the header's own bytes, never more */
        if (form_forwarded_addr(z, addr, sizeof(addr)) == ERR_OK &&
            (!addr[0] || !strstr(z, addr) || strchr(addr, ',') || strchr(addr, ' ')))
            abort();
        (void)form_takes_gzip(z);
        /* a header matches a tag only when it holds the tag's bytes (or is "*") */
        if (form_none_match(z, "\"abc\"", NULL) && !strstr(z, "\"abc\"") && !strchr(z, '*'))
            abort();
        free(z);
    }
    html_release(&h);
    arena_release(&a);
    return 0;
}
