/* html.c - the one HTML writer: nothing reaches a page unescaped. */
#include "web/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void html_init(struct html *h, size_t max)
{
    buf_init(&h->b, max);
}

void html_release(struct html *h)
{
    buf_release(&h->b);
}

int html_failed(const struct html *h)
{
    return h->b.failed;
}

void html_escape(struct buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        default:
            break;
        }
        if (ent) {
            buf_append(b, run, (size_t)(p - run));
            buf_puts(b, ent);
            run = p + 1;
        }
    }
    buf_puts(b, run);
}

void html_text(struct html *h, const char *s)
{
    html_escape(&h->b, s);
}

void html_lit_(struct html *h, const char *lit)
{
    buf_puts(&h->b, lit);
}

void html_f_(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(&h->b, p);
            break;
        }
        buf_append(&h->b, p, (size_t)(pct - p));
        p = pct + 1;
        char num[32];
        if (*p == '%') {
            buf_putc(&h->b, '%');
            p++;
        } else if (*p == 's') {
            html_escape(&h->b, va_arg(ap, const char *));
            p++;
        } else if (*p == 'd') {
            snprintf(num, sizeof(num), "%d", va_arg(ap, int));
            buf_puts(&h->b, num);
            p++;
        } else if (*p == 'u') {
            snprintf(num, sizeof(num), "%u", va_arg(ap, unsigned));
            buf_puts(&h->b, num);
            p++;
        } else if (p[0] == 'l' && p[1] == 'd') {
            snprintf(num, sizeof(num), "%ld", va_arg(ap, long));
            buf_puts(&h->b, num);
            p += 2;
        } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
            snprintf(num, sizeof(num), "%lld", va_arg(ap, long long));
            buf_puts(&h->b, num);
            p += 3;
        } else if (p[0] == 'z' && p[1] == 'u') {
            snprintf(num, sizeof(num), "%zu", va_arg(ap, size_t));
            buf_puts(&h->b, num);
            p += 2;
        } else {
            /* an unsupported conversion: stop rather than misread the
             * argument list */
            h->b.failed = 1;
            break;
        }
    }
    va_end(ap);
}
