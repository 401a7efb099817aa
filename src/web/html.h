/* html.h - the one HTML writer: nothing reaches a page unescaped.
 *
 * Markup can only come from string literals: html_lit() and html_f() are
 * macros that paste "" in front of their template, so passing a variable
 * as the template does not compile. Every %s argument of html_f() is
 * escaped (& < > " ' become entities), so a value can never open a tag or
 * leave an attribute. The templates are checked like printf (only %s, %d,
 * %u, %ld, %lld, %zu and %% are understood). A failed append (cap reached)
 * is remembered and reported by html_failed(). */
#ifndef BIDRAG_WEB_HTML_H
#define BIDRAG_WEB_HTML_H

#include <stddef.h>

#include "util/buf.h"

struct html {
    struct buf b;
};

void html_init(struct html *h, size_t max);
void html_release(struct html *h);
int html_failed(const struct html *h);

/* Append literal markup. */
#define html_lit(h, lit) html_lit_((h), "" lit "")
/* Append a template whose %s arguments are escaped. */
#define html_f(h, ...) html_f_((h), "" __VA_ARGS__)
/* Append text, escaped. */
void html_text(struct html *h, const char *s);

/* Implementation entry points: call through the macros above. */
void html_lit_(struct html *h, const char *lit);
void html_f_(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escape s into b (used by html_text and html_f; exposed for tests). */
void html_escape(struct buf *b, const char *s);

#endif
