/* buf.c - growable byte buffer with a hard cap. */
#include "util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max ? max : BUF_DEFAULT_MAX;
}

void buf_release(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static enum err grow(struct buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) {
        b->failed = 1;
        return ERR_LIMIT;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return ERR_OK;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need)
        nc = nc > SIZE_MAX / 2 ? need : nc * 2;
    char *np = realloc(b->p, nc);
    if (!np) {
        b->failed = 1;
        return ERR_NOMEM;
    }
    b->p = np;
    b->cap = nc;
    return ERR_OK;
}

enum err buf_append(struct buf *b, const void *data, size_t n)
{
    enum err e = grow(b, n);
    if (e)
        return e;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return ERR_OK;
}

enum err buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum err buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

enum err buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return ERR_INVALID;
    if ((size_t)n < sizeof(small))
        return buf_append(b, small, (size_t)n);
    enum err e = grow(b, (size_t)n);
    if (e)
        return e;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ERR_OK;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *buf_steal(struct buf *b)
{
    char *p = b->p;
    if (!p)
        p = calloc(1, 1);
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

enum err buf_read_file(struct buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    enum err e = ERR_OK;
    char chunk[65536];
    size_t n;
    for (n = fread(chunk, 1, sizeof(chunk), f); n > 0; n = fread(chunk, 1, sizeof(chunk), f)) {
        e = buf_append(b, chunk, n);
        if (e)
            break;
    }
    if (!e && ferror(f))
        e = ERR_IO;
    fclose(f);
    if (!e && !b->p)
        e = buf_append(b, "", 0);
    return e;
}

enum err buf_read_file_diag(struct buf *b, const char *path, struct diag *d)
{
    enum err e = buf_read_file(b, path);
    if (e)
        diag_add(d, path, 0, "%s",
                 e == ERR_NOTFOUND ? "no such file"
                 : e == ERR_LIMIT  ? "the file is too large"
                                   : "cannot read the file");
    return e;
}
