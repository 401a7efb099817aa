/* cubecsv.c - write a cube as CSV: the labelled Excel CSV (UTF-8 with a
 * BOM, CRLF line ends, RFC 4180 quoting, one row per cell) and the machine
 * CSV of codes.
 *
 * Excel CSV columns: for every dimension its value label, preceded by a
 * code column ("<dimension> (code)") when some code differs from its
 * label; then the value, formatted with the measure's decimals, or the
 * status symbol (cube_status_symbol) for cells without one. The value
 * column is named by the cube's contents, else "value". */
#include "io/cubecsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

static int csv_has_codes(const struct cube_dim *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->val_codes[i], d->val_labels[i]) != 0)
            return 1;
    return 0;
}

static int cell_decimals(const struct cube *c, long cont, const size_t *idx)
{
    int dec = c->decimals;
    if (cont >= 0 && c->dims[cont].val_decimals)
        dec = c->dims[cont].val_decimals[idx[cont]];
    return dec < 0 || dec > 15 ? 15 : dec;
}

enum err cubecsv_write_opts(const struct cube *c, const struct cubecsv_opts *o, struct buf *out)
{
    if (c->ncells > 0 && (!c->value || !c->status))
        return ERR_INVALID;
    if ((o->sep != ',' && o->sep != ';') || (o->decimal != '.' && o->decimal != ',') ||
        o->sep == o->decimal)
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
            csv_put_field(out, h);
            buf_putc(out, o->sep);
        }
        csv_put_field(out, c->dims[i].label);
        buf_putc(out, o->sep);
    }
    csv_put_field(out, c->contents ? c->contents : "value");
    buf_puts(out, "\r\n");
    for (size_t cell = 0; cell < c->ncells && !out->failed; cell++) {
        cube_coords(c, cell, idx);
        for (size_t i = 0; i < c->ndims; i++) {
            const struct cube_dim *d = &c->dims[i];
            if (codes[i]) {
                csv_put_field(out, d->val_codes[idx[i]]);
                buf_putc(out, o->sep);
            }
            csv_put_field(out, d->val_labels[idx[i]]);
            buf_putc(out, o->sep);
        }
        if (c->status[cell] != CUBE_OK)
            csv_put_field(out, cube_status_symbol((enum cube_status)c->status[cell]));
        else
            csv_put_number(out, c->value[cell], cell_decimals(c, cont, idx), o->decimal);
        buf_puts(out, "\r\n");
    }
    err = out->failed ? ERR_LIMIT : ERR_OK;
out:
    free(idx);
    free(codes);
    return err;
}

enum err cubecsv_write(const struct cube *c, struct buf *out)
{
    struct cubecsv_opts o = {',', '.'};
    return cubecsv_write_opts(c, &o, out);
}

/* Fixed-point formatting without printf: the CSV of a big table has
 * millions of numbers. Returns the length written to out (>= 32 bytes). */
static size_t fmt_fixed(char *out, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000, 10000};
    if (decimals < 0 || decimals > 4 || !(v > -1e15 && v < 1e15))
        return (size_t)snprintf(out, 32, "%.*f", decimals < 0 ? 0 : decimals, v);
    int neg = v < 0;
    double a = (neg ? -v : v) * scale[decimals] + 0.5;
    unsigned long long x = (unsigned long long)a;
    char tmp[32];
    size_t n = 0;
    for (int i = 0; i < decimals; i++) {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    }
    if (decimals)
        tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    if (neg)
        tmp[n++] = '-';
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

enum err cubecsv_write_codes(const struct cube *c, struct buf *out)
{
    size_t nd = c->ndims;
    if (nd == 0 || nd > 32 || (c->ncells > 0 && (!c->value || !c->status)))
        return ERR_INVALID;
    const struct cube_dim *m = &c->dims[nd - 1];
    if (m->n == 0 || m->n > 16)
        return ERR_INVALID;
    /* the codes of every dimension, written once (quoted or neutralised
     * where a code is free text from the microdata) */
    struct buf *enc = calloc(nd, sizeof(struct buf));
    enum err e = enc ? ERR_OK : ERR_NOMEM;
    size_t **off = calloc(nd, sizeof(size_t *));
    if (!off)
        e = ERR_NOMEM;
    for (size_t i = 0; i + 1 < nd && e == ERR_OK; i++) {
        buf_init(&enc[i], BUF_DEFAULT_MAX);
        off[i] = calloc(c->dims[i].n + 1, sizeof(size_t));
        if (!off[i]) {
            e = ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < c->dims[i].n; k++) {
            off[i][k] = enc[i].len;
            csv_put_field(&enc[i], c->dims[i].val_codes[k]);
        }
        off[i][c->dims[i].n] = enc[i].len;
        if (enc[i].failed)
            e = ERR_LIMIT;
    }
    for (size_t i = 0; i + 1 < nd && e == ERR_OK; i++) {
        csv_put_field(out, c->dims[i].code);
        buf_putc(out, ',');
    }
    for (size_t k = 0; k < m->n && e == ERR_OK; k++) {
        csv_put_field(out, m->val_codes[k]);
        buf_putc(out, k + 1 < m->n ? ',' : '\n');
    }
    size_t idx[32] = {0};
    char line[8192];
    for (size_t cell = 0; cell < c->ncells && e == ERR_OK; cell += m->n) {
        size_t n = 0;
        for (size_t i = 0; i + 1 < nd; i++) {
            size_t l = off[i][idx[i] + 1] - off[i][idx[i]];
            if (n + l + 1 + 48 * m->n >= sizeof(line)) {
                e = ERR_LIMIT;
                break;
            }
            memcpy(line + n, enc[i].p + off[i][idx[i]], l);
            n += l;
            line[n++] = ',';
        }
        if (e != ERR_OK)
            break;
        for (size_t k = 0; k < m->n; k++) {
            size_t cl = cell + k;
            switch (c->status[cl]) {
            case CUBE_OK:
                n += fmt_fixed(line + n, c->value[cl], m->val_decimals ? m->val_decimals[k] : 0);
                break;
            default: {
                const char *sym = cube_status_symbol((enum cube_status)c->status[cl]);
                size_t l = strlen(sym);
                memcpy(line + n, sym, l);
                n += l;
            }
            }
            line[n++] = k + 1 < m->n ? ',' : '\n';
        }
        e = buf_append(out, line, n);
        /* next coordinates (odometer over all but the measure dimension) */
        for (size_t i = nd - 1; i-- > 0;) {
            if (++idx[i] < c->dims[i].n)
                break;
            idx[i] = 0;
        }
    }
    for (size_t i = 0; enc && off && i + 1 < nd; i++) {
        buf_release(&enc[i]);
        free(off[i]);
    }
    free(enc);
    free(off);
    return e;
}
