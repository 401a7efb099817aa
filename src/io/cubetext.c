/* cubetext.c - a cube as a plain-text table. */
#include "io/cubetext.h"

#include <stdio.h>
#include <string.h>

/* Append s padded (or cut) to width characters, counting UTF-8 code
 * points; right-aligned when right is 1. */
static enum err put_cell(struct buf *out, const char *s, size_t width, int right)
{
    size_t bytes = 0, chars = 0;
    while (s[bytes] && chars < width) {
        bytes++;
        while (((unsigned char)s[bytes] & 0xC0) == 0x80)
            bytes++;
        chars++;
    }
    enum err e = ERR_OK;
    for (size_t i = chars; right && i < width && e == ERR_OK; i++)
        e = buf_putc(out, ' ');
    if (e == ERR_OK)
        e = buf_append(out, s, bytes);
    for (size_t i = chars; !right && i < width && e == ERR_OK; i++)
        e = buf_putc(out, ' ');
    if (e == ERR_OK)
        e = buf_putc(out, ' ');
    return e;
}

static void fmt_value(char *out, size_t n, const struct cube *c, size_t cell, int decimals)
{
    if (c->status[cell] != CUBE_OK)
        snprintf(out, n, "%s", cube_status_symbol((enum cube_status)c->status[cell]));
    else
        snprintf(out, n, "%.*f", decimals, c->value[cell]);
}

enum err cubetext_write(const struct cube *c, size_t nrowdims, struct buf *out)
{
    size_t nd = c->ndims;
    if (nd == 0 || nd > 32 || nrowdims >= nd)
        return ERR_INVALID;
    size_t nrd = nrowdims, ncd = nd - 1 - nrowdims;
    const struct cube_dim *m = &c->dims[nd - 1];
    size_t rows = 1, cols = 1;
    for (size_t i = 0; i < nrd; i++)
        rows *= c->dims[i].n;
    for (size_t i = nrd; i < nd - 1; i++)
        cols *= c->dims[i].n;
    size_t idx[32];
    enum err e = buf_printf(out, "%s\n", c->title ? c->title : "");
    /* header: one line per column dimension, then the measures */
    for (size_t h = 0; h <= ncd && e == ERR_OK; h++) {
        for (size_t i = 0; i < nrd && e == ERR_OK; i++)
            e = put_cell(out, h == ncd ? c->dims[i].label : "", 24, 0);
        for (size_t col = 0; col < cols && e == ERR_OK; col++) {
            size_t rest = col;
            size_t sub[32];
            for (size_t i = nd - 1; i-- > nrd;) {
                sub[i] = rest % c->dims[i].n;
                rest /= c->dims[i].n;
            }
            for (size_t k = 0; k < m->n && e == ERR_OK; k++) {
                const char *lab =
                    h < ncd ? c->dims[nrd + h].val_labels[sub[nrd + h]] : m->val_labels[k];
                e = put_cell(out, lab, 14, 1);
            }
        }
        if (e == ERR_OK)
            e = buf_putc(out, '\n');
    }
    for (size_t r = 0; r < rows && e == ERR_OK; r++) {
        for (size_t col = 0; col < cols && e == ERR_OK; col++) {
            size_t cell = (r * cols + col) * m->n;
            cube_coords(c, cell, idx);
            if (col == 0)
                for (size_t i = 0; i < nrd && e == ERR_OK; i++)
                    e = put_cell(out, c->dims[i].val_labels[idx[i]], 24, 0);
            for (size_t k = 0; k < m->n && e == ERR_OK; k++) {
                char v[64];
                fmt_value(v, sizeof(v), c, cell + k, m->val_decimals ? m->val_decimals[k] : 0);
                e = put_cell(out, v, 14, 1);
            }
        }
        if (e == ERR_OK)
            e = buf_putc(out, '\n');
    }
    if (e == ERR_OK)
        e = buf_printf(out, "%s\nkälla: %s\n%s%s", cube_legend(c), c->source ? c->source : "",
                       c->note ? c->note : "", c->note ? "\n" : "");
    return e;
}
