/* chart.h - charts of cubes drawn with cairo and pango, as SVG or PNG:
 * bars by a category (e.g. region) and lines over years, with title, unit,
 * source and the suppression note. */
#ifndef BIDRAG_IO_CHART_H
#define BIDRAG_IO_CHART_H

#include <stddef.h>
#include "core/cube.h"
#include "util/buf.h"
#include "util/err.h"

enum chart_kind { CHART_BARS = 1, CHART_LINES = 2 };
enum chart_format { CHART_SVG = 1, CHART_PNG = 2 };

struct chart_opts {
    enum chart_kind kind;
    enum chart_format format;
    const char *title;  /* defaults to the cube's title */
    const char *unit;   /* y-axis unit, defaults to the cube's unit */
    const char *source; /* defaults to the cube's source */
    const char *note;   /* defaults to the cube's note */
    int width, height;  /* pixels (PNG) / points (SVG); 0 = 900 × 560 */
};

/* Bars: the cube has one dimension with more than one value (the
 * categories); every other dimension has exactly one value. Lines: the
 * cube has a time dimension (is_time) for the x axis and at most one other
 * dimension with more than one value (one line per value). Suppressed and
 * missing cells are drawn as gaps and counted in the note. */
enum err chart_render_cube(const struct cube *c, const struct chart_opts *o, const char *path);
/* The same into a buffer (appended). */
enum err chart_render_cube_buf(const struct cube *c, const struct chart_opts *o, struct buf *out);
/* Whether a chart of that kind can be drawn from c (ERR_OK), without
 * drawing it: what the pages ask before they offer a chart. */
enum err chart_check(const struct cube *c, enum chart_kind kind);

/* Format v with dec decimals (0-6) the Swedish way: "1 234 567,8" with a
 * no-break space (U+00A0) between thousands, a decimal comma and the minus
 * sign U+2212. Always terminates out; returns the length written. */
size_t chart_fmt_number(char *out, size_t n, double v, int dec);

/* Release the fonts and caches that pango and cairo keep between charts
 * (per thread). Optional: call once at exit, after the last chart, so that
 * leak checkers stay quiet; a later chart simply loads the fonts again. */
void chart_cleanup(void);

#endif
