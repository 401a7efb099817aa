/* chart.c - bar and line charts of cubes, drawn with cairo and laid out
 * with pango, written as SVG or PNG.
 *
 * Bars are horizontal (21 region names read better down the side than
 * slanted under the axis), each labelled with its value. Lines run over
 * the time dimension, one per value of the other multi-valued dimension,
 * each with its own colour and marker shape so that they can be told
 * apart without colour. Suppressed, missing and not applicable cells are
 * left as gaps and counted in the footer. Numbers are written the Swedish
 * way: "1 234 567,8". */
#include "io/chart.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHART_FONT "DejaVu Sans"
#define CHART_MARGIN 20.0
#define CHART_MAX_DEC 6
#define CHART_MAX_SIDE 10000
#define CHART_SVG_CAP (64u * 1024u * 1024u)

struct rgb {
    double r, g, b;
};

/* Colour-blind safe (after Okabe & Ito), darkened where needed for at least
 * 3:1 contrast against white. */
static const struct rgb palette[] = {
    {0x00 / 255.0, 0x5B / 255.0, 0x96 / 255.0}, /* blue */
    {0xC2 / 255.0, 0x4E / 255.0, 0x00 / 255.0}, /* vermillion */
    {0x00 / 255.0, 0x7D / 255.0, 0x5B / 255.0}, /* bluish green */
    {0xA8 / 255.0, 0x42 / 255.0, 0x8C / 255.0}, /* reddish purple */
    {0x8A / 255.0, 0x64 / 255.0, 0x00 / 255.0}, /* ochre */
    {0x3E / 255.0, 0x3E / 255.0, 0x3E / 255.0}, /* dark grey */
    {0x2E / 255.0, 0x86 / 255.0, 0xC1 / 255.0}, /* sky blue */
    {0x5A / 255.0, 0x4F / 255.0, 0xB5 / 255.0}, /* violet */
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))
#define NMARKERS 5

static const struct rgb c_text = {0.10, 0.10, 0.10};
static const struct rgb c_muted = {0.30, 0.30, 0.30};
static const struct rgb c_grid = {0.86, 0.86, 0.86};
static const struct rgb c_axis = {0.25, 0.25, 0.25};
static const struct rgb c_bar = {0x1B / 255.0, 0x5E / 255.0, 0x9E / 255.0};

/* Append str to out (capacity n, length *o) if it fits whole; 0 if not. */
static int put(char *out, size_t n, size_t *o, const char *str)
{
    size_t l = strlen(str);
    if (*o + l >= n)
        return 0;
    memcpy(out + *o, str, l);
    *o += l;
    out[*o] = '\0';
    return 1;
}

size_t chart_fmt_number(char *out, size_t n, double v, int dec)
{
    if (!out || n == 0)
        return 0;
    out[0] = '\0';
    if (dec < 0)
        dec = 0;
    if (dec > CHART_MAX_DEC)
        dec = CHART_MAX_DEC;
    if (!isfinite(v))
        return 0;
    char raw[400];
    int len = snprintf(raw, sizeof(raw), "%.*f", dec, fabs(v));
    if (len < 0 || (size_t)len >= sizeof(raw))
        return 0;
    /* "-0,0" is not a number anyone writes: drop the sign of a rounded zero */
    int neg = v < 0;
    if (neg) {
        int nonzero = 0;
        for (int i = 0; i < len; i++)
            nonzero |= raw[i] >= '1' && raw[i] <= '9';
        neg = nonzero;
    }
    const char *dot = strchr(raw, '.');
    size_t nint = dot ? (size_t)(dot - raw) : (size_t)len;
    size_t o = 0;
    int ok = !neg || put(out, n, &o, "\xe2\x88\x92"); /* U+2212 minus sign */
    for (size_t i = 0; ok && i < nint; i++) {
        char d[2] = {raw[i], '\0'};
        if (i > 0 && (nint - i) % 3 == 0)
            ok = put(out, n, &o, "\xc2\xa0"); /* no-break space */
        ok = ok && put(out, n, &o, d);
    }
    if (ok && dot)
        ok = put(out, n, &o, ",") && put(out, n, &o, dot + 1);
    return o;
}

/* ---- drawing helpers --------------------------------------------------- */

static void set_rgb(cairo_t *cr, struct rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* A layout of text in the chart font at px pixels; width > 0 wraps (or
 * ellipsizes if ellipsize) at that many pixels. Caller unrefs. */
static PangoLayout *layout_new(cairo_t *cr, const char *text, double px, int bold, double width,
                               int ellipsize)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(CHART_FONT);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        if (ellipsize)
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        else
            pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

static void text_size(cairo_t *cr, const char *text, double px, int bold, double *w, double *h)
{
    PangoLayout *l = layout_new(cr, text, px, bold, 0, 0);
    int iw = 0, ih = 0;
    pango_layout_get_pixel_size(l, &iw, &ih);
    g_object_unref(l);
    if (w)
        *w = iw;
    if (h)
        *h = ih;
}

enum halign { LEFT, CENTER, RIGHT };

/* Draw text with its box anchored at (x, y): x per align, y is the
 * vertical centre if vcenter else the top. Returns the height drawn. */
static double draw_text(cairo_t *cr, const char *text, double px, int bold, struct rgb col,
                        double x, double y, enum halign align, int vcenter, double maxw)
{
    PangoLayout *l = layout_new(cr, text, px, bold, maxw, 1);
    int iw = 0, ih = 0;
    pango_layout_get_pixel_size(l, &iw, &ih);
    double tx = align == LEFT ? x : align == CENTER ? x - iw / 2.0 : x - iw;
    double ty = vcenter ? y - ih / 2.0 : y;
    set_rgb(cr, col);
    cairo_move_to(cr, tx, ty);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return ih;
}

/* Draw a wrapped paragraph of width w at (x, y); returns its height. If
 * draw is 0 only measure. */
static double paragraph(cairo_t *cr, const char *text, double px, int bold, struct rgb col,
                        double x, double y, double w, int draw)
{
    PangoLayout *l = layout_new(cr, text, px, bold, w, 0);
    int iw = 0, ih = 0;
    pango_layout_get_pixel_size(l, &iw, &ih);
    if (draw) {
        set_rgb(cr, col);
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, l);
    }
    g_object_unref(l);
    return ih;
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1, struct rgb c, double lw)
{
    set_rgb(cr, c);
    cairo_set_line_width(cr, lw);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static void marker(cairo_t *cr, int shape, double x, double y, double r, struct rgb c)
{
    switch (shape % NMARKERS) {
    case 0:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case 1:
        cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
        break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.1, y + r * 0.8);
        cairo_line_to(cr, x - r * 1.1, y + r * 0.8);
        cairo_close_path(cr);
        break;
    case 3:
        cairo_move_to(cr, x, y - r * 1.3);
        cairo_line_to(cr, x + r * 1.1, y);
        cairo_line_to(cr, x, y + r * 1.3);
        cairo_line_to(cr, x - r * 1.1, y);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y + r * 1.2);
        cairo_line_to(cr, x + r * 1.1, y - r * 0.8);
        cairo_line_to(cr, x - r * 1.1, y - r * 0.8);
        cairo_close_path(cr);
        break;
    }
    set_rgb(cr, c);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
}

/* ---- scales ------------------------------------------------------------ */

struct scale {
    double lo, hi, step;
    int dec; /* decimals of the tick labels */
};

/* Ticks at 1, 2, 2.5 or 5 × 10^k covering [min, max] in about n steps. */
static void nice_scale(double min, double max, int n, struct scale *s)
{
    if (!(max > min)) {
        double pad = fabs(max) > 0 ? fabs(max) * 0.1 : 1.0;
        min -= min < 0 ? pad : 0;
        max += pad;
    }
    double raw = (max - min) / (n > 1 ? n : 1);
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    step *= mag;
    s->step = step;
    s->lo = floor(min / step + 1e-9) * step;
    s->hi = ceil(max / step - 1e-9) * step;
    if (s->hi <= s->lo)
        s->hi = s->lo + step;
    s->dec = 0;
    for (double t = step; s->dec < CHART_MAX_DEC && fabs(t - round(t)) > 1e-6; t *= 10)
        s->dec++;
}

static double scale_map(const struct scale *s, double v, double p0, double p1)
{
    return p0 + (v - s->lo) / (s->hi - s->lo) * (p1 - p0);
}

/* ---- the cube as a chart ----------------------------------------------- */

struct series_view {
    const struct cube *c;
    size_t cat_dim; /* bars: categories; lines: time */
    size_t ser_dim; /* lines: one line per value; SIZE_MAX = one line */
    size_t ncat, nser;
    size_t *idx;      /* scratch coordinates */
    int dec;          /* decimals of the values */
    const char *unit; /* unit from the contents dimension, or NULL */
    size_t nsup, nmiss, nna;
};

/* The cell for category i of series j; returns its status, value in *v. */
static int view_get(struct series_view *sv, size_t i, size_t j, double *v)
{
    const struct cube *c = sv->c;
    for (size_t d = 0; d < c->ndims; d++)
        sv->idx[d] = 0;
    sv->idx[sv->cat_dim] = i;
    if (sv->ser_dim != SIZE_MAX)
        sv->idx[sv->ser_dim] = j;
    size_t k = cube_index(c, sv->idx);
    int st = c->status[k];
    *v = c->value[k];
    if (st == CUBE_OK && !isfinite(*v))
        st = CUBE_MISSING;
    return st;
}

static enum err view_init(struct series_view *sv, const struct cube *c, enum chart_kind kind)
{
    memset(sv, 0, sizeof(*sv));
    sv->c = c;
    sv->ser_dim = SIZE_MAX;
    sv->cat_dim = SIZE_MAX;
    sv->dec = c->decimals;
    if (c->ndims == 0 || c->ncells == 0 || !c->value || !c->status)
        return ERR_INVALID;
    size_t multi = 0;
    for (size_t d = 0; d < c->ndims; d++) {
        if (c->dims[d].n == 0)
            return ERR_INVALID;
        if (c->dims[d].n > 1)
            multi++;
    }
    if (kind == CHART_BARS) {
        if (multi > 1)
            return ERR_INVALID;
        sv->cat_dim = 0;
        for (size_t d = 0; d < c->ndims; d++)
            if (c->dims[d].n > 1)
                sv->cat_dim = d;
        sv->nser = 1;
    } else {
        for (size_t d = 0; d < c->ndims; d++)
            if (c->dims[d].is_time && sv->cat_dim == SIZE_MAX)
                sv->cat_dim = d;
        if (sv->cat_dim == SIZE_MAX)
            return ERR_INVALID;
        for (size_t d = 0; d < c->ndims; d++) {
            if (d == sv->cat_dim || c->dims[d].n < 2)
                continue;
            if (sv->ser_dim != SIZE_MAX)
                return ERR_INVALID;
            sv->ser_dim = d;
        }
        sv->nser = sv->ser_dim == SIZE_MAX ? 1 : c->dims[sv->ser_dim].n;
    }
    sv->ncat = c->dims[sv->cat_dim].n;
    /* A single measure of a contents dimension brings its decimals and
     * unit; several measures as series share the cube's. */
    for (size_t d = 0; d < c->ndims; d++) {
        const struct cube_dim *cd = &c->dims[d];
        if (!cd->is_contents || cd->n != 1)
            continue;
        if (cd->val_decimals)
            sv->dec = cd->val_decimals[0];
        if (cd->val_units && cd->val_units[0])
            sv->unit = cd->val_units[0];
    }
    sv->idx = calloc(c->ndims, sizeof(*sv->idx));
    if (!sv->idx)
        return ERR_NOMEM;
    for (size_t j = 0; j < sv->nser; j++) {
        for (size_t i = 0; i < sv->ncat; i++) {
            double v;
            int st = view_get(sv, i, j, &v);
            sv->nsup += st == CUBE_SUPPRESSED;
            sv->nmiss += st == CUBE_MISSING;
            sv->nna += st == CUBE_NA;
        }
    }
    return ERR_OK;
}

static void view_range(struct series_view *sv, double *min, double *max)
{
    int any = 0;
    *min = 0;
    *max = 0;
    for (size_t j = 0; j < sv->nser; j++) {
        for (size_t i = 0; i < sv->ncat; i++) {
            double v;
            if (view_get(sv, i, j, &v) != CUBE_OK)
                continue;
            if (!any || v < *min)
                *min = v;
            if (!any || v > *max)
                *max = v;
            any = 1;
        }
    }
}

static const char *status_symbol(int st)
{
    return st == CUBE_SUPPRESSED ? ".." : st == CUBE_MISSING ? "." : "x";
}

/* ---- frame: title, unit, footer ---------------------------------------- */

struct frame {
    double w, h;
    double top, bottom; /* the plot area between header and footer */
};

static void gap_note(const struct series_view *sv, char *out, size_t n)
{
    out[0] = '\0';
    size_t nb = sv->nsup + sv->nmiss + sv->nna;
    if (nb == 0)
        return;
    size_t o = 0;
    int k = snprintf(out, n, "Luckor i diagrammet: ");
    o = k > 0 ? (size_t)k : 0;
    const char *sep = "";
    /* the symbols of core/cube.h, as every output writes them */
    if (sv->nsup && o < n) {
        k = snprintf(out + o, n - o, "%zu %s med sekretess, röjandekontroll (%s)", sv->nsup,
                     sv->nsup == 1 ? "värde" : "värden", cube_status_symbol(CUBE_SUPPRESSED));
        o += k > 0 ? (size_t)k : 0;
        sep = ", ";
    }
    if (sv->nmiss && o < n) {
        k = snprintf(out + o, n - o, "%s%zu %s (%s)", sep, sv->nmiss,
                     sv->nmiss == 1 ? "värde saknas" : "värden saknas",
                     cube_status_symbol(CUBE_MISSING));
        o += k > 0 ? (size_t)k : 0;
        sep = ", ";
    }
    if (sv->nna && o < n)
        snprintf(out + o, n - o, "%s%zu %s (%s)", sep, sv->nna,
                 sv->nna == 1 ? "värde kan inte förekomma" : "värden kan inte förekomma",
                 cube_status_symbol(CUBE_NA));
}

static void draw_frame(cairo_t *cr, struct frame *f, const char *title, const char *unit,
                       const char *source, const char *note, const char *gaps)
{
    double m = CHART_MARGIN, tw = f->w - 2 * m;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = m;
    y += paragraph(cr, title, 18, 1, c_text, m, y, tw, 1) + 4;
    if (unit && *unit)
        y += paragraph(cr, unit, 12.5, 0, c_muted, m, y, tw, 1);
    f->top = y + 14;

    char src[1024];
    snprintf(src, sizeof(src), "Källa: %s", source && *source ? source : "–");
    const char *lines[3] = {note && *note ? note : NULL, gaps && *gaps ? gaps : NULL, src};
    double fh = 0;
    for (int i = 0; i < 3; i++)
        if (lines[i])
            fh += paragraph(cr, lines[i], 11, 0, c_muted, m, 0, tw, 0) + 2;
    double fy = f->h - m - fh;
    f->bottom = fy - 14;
    for (int i = 0; i < 3; i++)
        if (lines[i])
            fy += paragraph(cr, lines[i], 11, 0, c_muted, m, fy, tw, 1) + 2;
}

/* ---- bars -------------------------------------------------------------- */

static void draw_bars(cairo_t *cr, struct series_view *sv, const struct frame *f)
{
    const struct cube_dim *cat = &sv->c->dims[sv->cat_dim];
    double m = CHART_MARGIN;
    double band = (f->bottom - f->top - 22) / (double)sv->ncat;
    double fpx = band * 0.62;
    if (fpx > 12.5)
        fpx = 12.5;
    if (fpx < 6)
        fpx = 6;

    double lw = 0, vw = 0, tmp;
    for (size_t i = 0; i < sv->ncat; i++) {
        text_size(cr, cat->val_labels[i], fpx, 0, &tmp, NULL);
        if (tmp > lw)
            lw = tmp;
        double v;
        char b[64];
        int st = view_get(sv, i, 0, &v);
        if (st == CUBE_OK)
            chart_fmt_number(b, sizeof(b), v, sv->dec);
        else
            snprintf(b, sizeof(b), "%s", status_symbol(st));
        text_size(cr, b, fpx, 0, &tmp, NULL);
        if (tmp > vw)
            vw = tmp;
    }
    if (lw > f->w * 0.32)
        lw = f->w * 0.32;
    double vmin, vmax;
    view_range(sv, &vmin, &vmax);
    struct scale s;
    nice_scale(vmin < 0 ? vmin : 0, vmax > 0 ? vmax : 0, 5, &s);

    double x0 = m + lw + 10 + (vmin < 0 ? vw + 6 : 0);
    double x1 = f->w - m - vw - 8;
    double pt = f->top, pb = f->bottom - 22;

    /* grid and tick labels under the plot */
    for (double t = s.lo; t <= s.hi + s.step * 1e-6; t += s.step) {
        double x = scale_map(&s, t, x0, x1);
        line(cr, x, pt, x, pb, c_grid, 1);
        char b[64];
        chart_fmt_number(b, sizeof(b), t, s.dec);
        draw_text(cr, b, 11, 0, c_muted, x, pb + 5, CENTER, 0, 0);
    }
    double xz = scale_map(&s, 0, x0, x1);

    for (size_t i = 0; i < sv->ncat; i++) {
        double yc = pt + band * (i + 0.5);
        draw_text(cr, cat->val_labels[i], fpx, 0, c_text, x0 - 8 - (vmin < 0 ? vw + 6 : 0), yc,
                  RIGHT, 1, lw);
        double v;
        int st = view_get(sv, i, 0, &v);
        char b[64];
        if (st != CUBE_OK) {
            draw_text(cr, status_symbol(st), fpx, 1, c_muted, xz + 4, yc, LEFT, 1, 0);
            continue;
        }
        double xv = scale_map(&s, v, x0, x1);
        double th = band * 0.7 > 30 ? 30 : band * 0.7;
        set_rgb(cr, c_bar);
        cairo_rectangle(cr, v >= 0 ? xz : xv, yc - th / 2, fabs(xv - xz), th);
        cairo_fill(cr);
        chart_fmt_number(b, sizeof(b), v, sv->dec);
        if (v >= 0)
            draw_text(cr, b, fpx, 0, c_text, xv + 4, yc, LEFT, 1, 0);
        else
            draw_text(cr, b, fpx, 0, c_text, xv - 4, yc, RIGHT, 1, 0);
    }
    line(cr, xz, pt, xz, pb, c_axis, 1.2);
}

/* ---- lines ------------------------------------------------------------- */

/* x of time point i of n between x0 and x1, pad inside each end. */
static double xpos(size_t i, size_t n, double x0, double x1, double pad)
{
    if (n < 2)
        return (x0 + x1) / 2;
    return x0 + pad + (x1 - x0 - 2 * pad) * (double)i / (double)(n - 1);
}

static void draw_lines(cairo_t *cr, struct series_view *sv, const struct frame *f)
{
    const struct cube_dim *tdim = &sv->c->dims[sv->cat_dim];
    const struct cube_dim *sdim = sv->ser_dim == SIZE_MAX ? NULL : &sv->c->dims[sv->ser_dim];
    double m = CHART_MARGIN;
    double vmin, vmax;
    view_range(sv, &vmin, &vmax);
    /* Counts start at zero unless the data sit far from it. */
    if (vmin > 0 && vmin < vmax * 0.6)
        vmin = 0;
    struct scale s;
    nice_scale(vmin, vmax, 5, &s);

    double yw = 0, tmp;
    for (double t = s.lo; t <= s.hi + s.step * 1e-6; t += s.step) {
        char b[64];
        chart_fmt_number(b, sizeof(b), t, s.dec);
        text_size(cr, b, 11, 0, &tmp, NULL);
        if (tmp > yw)
            yw = tmp;
    }
    double legw = 0;
    if (sdim) {
        for (size_t j = 0; j < sdim->n; j++) {
            text_size(cr, sdim->val_labels[j], 11.5, 0, &tmp, NULL);
            if (tmp > legw)
                legw = tmp;
        }
        legw += 30;
        if (legw > f->w * 0.3)
            legw = f->w * 0.3;
    }
    double x0 = m + yw + 8, x1 = f->w - m - (sdim ? legw + 16 : 0);
    double pt = f->top + 8, pb = f->bottom - 22; /* room for the top tick label */

    for (double t = s.lo; t <= s.hi + s.step * 1e-6; t += s.step) {
        double y = scale_map(&s, t, pb, pt);
        line(cr, x0, y, x1, y, fabs(t) < s.step * 1e-6 ? c_axis : c_grid, 1);
        char b[64];
        chart_fmt_number(b, sizeof(b), t, s.dec);
        draw_text(cr, b, 11, 0, c_muted, x0 - 6, y, RIGHT, 1, 0);
    }
    line(cr, x0, pb, x1, pb, c_axis, 1.2);

    double pad = 14, span = x1 - x0 - 2 * pad;
    double lab = 0;
    for (size_t i = 0; i < sv->ncat; i++) {
        text_size(cr, tdim->val_labels[i], 11, 0, &tmp, NULL);
        if (tmp > lab)
            lab = tmp;
    }
    size_t every = 1;
    if (sv->ncat > 1) {
        double dx = span / (double)(sv->ncat - 1);
        every = (size_t)ceil((lab + 10) / (dx > 1 ? dx : 1));
        if (every < 1)
            every = 1;
    }
    for (size_t i = 0; i < sv->ncat; i++) {
        double x = xpos(i, sv->ncat, x0, x1, pad);
        line(cr, x, pb, x, pb + 4, c_axis, 1);
        if (i % every == 0)
            draw_text(cr, tdim->val_labels[i], 11, 0, c_muted, x, pb + 6, CENTER, 0, 0);
    }

    for (size_t j = 0; j < sv->nser; j++) {
        struct rgb col = palette[j % NPALETTE];
        /* a different marker shape for each repeat of the palette too */
        int shape = (int)((j + j / NPALETTE) % NMARKERS);
        set_rgb(cr, col);
        cairo_set_line_width(cr, 2.25);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        int pen = 0;
        for (size_t i = 0; i < sv->ncat; i++) {
            double v;
            if (view_get(sv, i, j, &v) != CUBE_OK) {
                pen = 0;
                continue;
            }
            double x = xpos(i, sv->ncat, x0, x1, pad), y = scale_map(&s, v, pb, pt);
            if (pen)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            pen = 1;
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < sv->ncat; i++) {
            double v;
            if (view_get(sv, i, j, &v) == CUBE_OK)
                marker(cr, shape, xpos(i, sv->ncat, x0, x1, pad), scale_map(&s, v, pb, pt), 3.6,
                       col);
        }
        if (sdim) {
            double row = (pb - pt) / (double)sv->nser;
            if (row > 19)
                row = 19;
            double fpx = row * 0.62 > 11.5 ? 11.5 : row * 0.62;
            double ly = pt + row * ((double)j + 0.5), lx = x1 + 16;
            line(cr, lx, ly, lx + 22, ly, col, 2.25);
            marker(cr, shape, lx + 11, ly, row < 12 ? 2.6 : 3.6, col);
            draw_text(cr, sdim->val_labels[j], fpx < 6 ? 6 : fpx, 0, c_text, lx + 28, ly, LEFT, 1,
                      legw - 28);
        }
    }
}

/* ---- output ------------------------------------------------------------ */

/* Append s to out with the XML special characters escaped. */
static void xml_escape_buf(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            buf_puts(out, "&lt;");
            break;
        case '>':
            buf_puts(out, "&gt;");
            break;
        case '&':
            buf_puts(out, "&amp;");
            break;
        case '"':
            buf_puts(out, "&quot;");
            break;
        default:
            buf_putc(out, *s);
        }
    }
}

/* cairo's stream writer: append to the buffer. */
static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    struct buf *b = closure;
    return buf_append(b, data, length) == ERR_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Cairo draws text as glyph outlines; give the SVG a <title> and <desc>
 * right after its root start tag so that it is accessible and searchable. */
static enum err svg_add_title(const struct buf *svg, const char *title, const char *desc,
                              struct buf *out)
{
    if (svg->len > CHART_SVG_CAP)
        return ERR_LIMIT;
    const char *root = NULL;
    for (size_t i = 0; i + 4 <= svg->len && !root; i++)
        if (memcmp(svg->p + i, "<svg", 4) == 0)
            root = svg->p + i;
    const char *end = root ? memchr(root, '>', svg->len - (size_t)(root - svg->p)) : NULL;
    if (!end)
        return ERR_IO;
    size_t head = (size_t)(end - svg->p) + 1;
    buf_append(out, svg->p, head);
    buf_puts(out, "\n<title>");
    xml_escape_buf(out, title);
    buf_puts(out, "</title>\n<desc>");
    xml_escape_buf(out, desc);
    buf_puts(out, "</desc>");
    buf_append(out, svg->p + head, svg->len - head);
    return out->failed ? ERR_LIMIT : ERR_OK;
}

enum err chart_render_cube_buf(const struct cube *c, const struct chart_opts *o, struct buf *out)
{
    enum err e = ERR_OK;
    struct series_view sv;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    struct buf svg;
    buf_init(&svg, CHART_SVG_CAP + 1);

    memset(&sv, 0, sizeof(sv));
    if (!c || !o || !out || (o->kind != CHART_BARS && o->kind != CHART_LINES) ||
        (o->format != CHART_SVG && o->format != CHART_PNG) || o->width < 0 || o->height < 0 ||
        o->width > CHART_MAX_SIDE || o->height > CHART_MAX_SIDE) {
        e = ERR_INVALID;
        goto out;
    }
    e = view_init(&sv, c, o->kind);
    if (e != ERR_OK)
        goto out;

    struct frame f = {.w = o->width ? o->width : 900, .h = o->height ? o->height : 560};
    if (f.w < 200 || f.h < 150) {
        e = ERR_INVALID;
        goto out;
    }
    const char *title = o->title ? o->title : c->title ? c->title : "";
    const char *unit = o->unit ? o->unit : sv.unit ? sv.unit : c->unit;
    const char *source = o->source ? o->source : c->source;
    const char *note = o->note ? o->note : c->note;

    if (o->format == CHART_SVG)
        surf = cairo_svg_surface_create_for_stream(to_buf, &svg, f.w, f.h);
    else
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)f.w, (int)f.h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        e = cairo_surface_status(surf) == CAIRO_STATUS_NO_MEMORY ? ERR_NOMEM : ERR_IO;
        goto out;
    }
    cr = cairo_create(surf);
    char gaps[512];
    gap_note(&sv, gaps, sizeof(gaps));
    draw_frame(cr, &f, title, unit, source, note, gaps);
    if (f.bottom - f.top < 60) {
        e = ERR_INVALID; /* no room left for the plot */
        goto out;
    }
    if (o->kind == CHART_BARS)
        draw_bars(cr, &sv, &f);
    else
        draw_lines(cr, &sv, &f);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        e = ERR_IO;
        goto out;
    }
    cairo_destroy(cr);
    cr = NULL;
    if (o->format == CHART_PNG) {
        if (cairo_surface_write_to_png_stream(surf, to_buf, out) != CAIRO_STATUS_SUCCESS)
            e = out->failed ? ERR_LIMIT : ERR_IO;
    } else {
        cairo_surface_finish(surf);
        if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
            e = svg.failed ? ERR_LIMIT : ERR_IO;
        } else {
            char desc[2048];
            snprintf(desc, sizeof(desc), "%s%s%s%sKälla: %s", note ? note : "", note ? " " : "",
                     gaps, *gaps ? ". " : "", source ? source : "–");
            e = svg_add_title(&svg, title, desc, out);
        }
    }
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    free(sv.idx);
    buf_release(&svg);
    return e;
}

enum err chart_render_cube(const struct cube *c, const struct chart_opts *o, const char *path)
{
    if (!path)
        return ERR_INVALID;
    struct buf b;
    buf_init(&b, (size_t)CHART_SVG_CAP + 4096);
    enum err e = chart_render_cube_buf(c, o, &b);
    if (e == ERR_OK) {
        FILE *f = fopen(path, "wb");
        if (!f) {
            e = ERR_IO;
        } else {
            int bad = fwrite(b.p, 1, b.len, f) != b.len;
            bad |= fclose(f) != 0;
            if (bad) {
                remove(path);
                e = ERR_IO;
            }
        }
    }
    buf_release(&b);
    return e;
}

enum err chart_check(const struct cube *c, enum chart_kind kind)
{
    struct series_view sv;
    memset(&sv, 0, sizeof(sv));
    enum err e = view_init(&sv, c, kind);
    free(sv.idx);
    return e;
}

void chart_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
}
