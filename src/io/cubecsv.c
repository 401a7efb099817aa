/* cubecsv.c - write a cube as CSV that Excel opens: UTF-8 with a BOM,
 * CRLF line ends, RFC 4180 quoting, one row per cell.
 *
 * Columns: for every dimension its value label, preceded by a code column
 * ("<dimension> (code)") when some code differs from its label; then the
 * value, formatted with the measure's decimals and '.' as the decimal
 * point, or the status symbol (cube_status_symbol) for cells without one.
 * The value column is named by the cube's contents, else "value". */
#include "io/cubecsv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append one field, quoted when it holds a comma, quote, CR/LF or leading
 * or trailing space. */
static void csv_field(struct buf *o, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        buf_append(o, s, n);
        return;
    }
    buf_putc(o, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(o, '"');
        buf_putc(o, *p);
    }
    buf_putc(o, '"');
}

static int csv_has_codes(const struct cube_dim *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->val_codes[i], d->val_labels[i]) != 0)
            return 1;
    return 0;
}

enum err cubecsv_write(const struct cube *c, struct buf *out)
{
    if (c->ncells > 0 && (!c->value || !c->status))
        return ERR_INVALID;
    size_t *idx = calloc(c->ndims ? c->ndims : 1, sizeof(*idx));
    int *codes = calloc(c->ndims ? c->ndims : 1, sizeof(*codes));
    enum err err = ERR_NOMEM;
    if (!idx || !codes)
        goto out;
    long cont = -1;
    for (size_t i = 0; i < c->ndims; i++) {
        codes[i] = csv_has_codes(&c->dims[i]);
        if (c->dims[i].is_contents)
            cont = (long)i;
    }
    buf_append(out, "\xEF\xBB\xBF", 3);
    for (size_t i = 0; i < c->ndims; i++) {
        if (codes[i]) {
            char h[512];
            snprintf(h, sizeof(h), "%s (code)", c->dims[i].label);
            csv_field(out, h);
            buf_putc(out, ',');
        }
        csv_field(out, c->dims[i].label);
        buf_putc(out, ',');
    }
    csv_field(out, c->contents ? c->contents : "value");
    buf_puts(out, "\r\n");
    for (size_t cell = 0; cell < c->ncells && !out->failed; cell++) {
        cube_coords(c, cell, idx);
        for (size_t i = 0; i < c->ndims; i++) {
            const struct cube_dim *d = &c->dims[i];
            if (codes[i]) {
                csv_field(out, d->val_codes[idx[i]]);
                buf_putc(out, ',');
            }
            csv_field(out, d->val_labels[idx[i]]);
            buf_putc(out, ',');
        }
        if (c->status[cell] != CUBE_OK) {
            csv_field(out, cube_status_symbol((enum cube_status)c->status[cell]));
        } else {
            int dec = c->decimals;
            if (cont >= 0 && c->dims[cont].val_decimals)
                dec = c->dims[cont].val_decimals[idx[cont]];
            if (dec < 0 || dec > 15)
                dec = 15;
            char num[400];
            double v = c->value[cell];
            snprintf(num, sizeof(num), "%.*f", dec, v);
            /* no "-0" for a value that rounds to zero */
            if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
                memmove(num, num + 1, strlen(num));
            buf_puts(out, num);
        }
        buf_puts(out, "\r\n");
    }
    err = out->failed ? ERR_LIMIT : ERR_OK;
out:
    free(idx);
    free(codes);
    return err;
}
