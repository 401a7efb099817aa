/* buf.h - growable byte buffer with a hard cap.
 *
 * Every append either fits under `max` or fails with ERR_LIMIT and leaves
 * the buffer as it was. The content is always NUL-terminated. */
#ifndef BIDRAG_UTIL_BUF_H
#define BIDRAG_UTIL_BUF_H

#include <stddef.h>
#include "util/err.h"

struct buf {
    char *p;
    size_t len;
    size_t cap;
    size_t max; /* hard cap on len */
    int failed; /* set once an append failed */
};

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
enum err buf_append(struct buf *b, const void *data, size_t n);
enum err buf_puts(struct buf *b, const char *s);
enum err buf_putc(struct buf *b, char c);
enum err buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Give the content to the caller (caller frees); the buffer is left empty. */
char *buf_steal(struct buf *b);
/* Read a whole file into b (at most b->max bytes). */
enum err buf_read_file(struct buf *b, const char *path);
/* buf_read_file, saying why it failed in d as "path: no such file" etc. */
enum err buf_read_file_diag(struct buf *b, const char *path, struct diag *d);

#endif
