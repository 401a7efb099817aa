/* cmd_px.c - bidrag px: read PX (PC-Axis) files and convert them.
 *
 *   bidrag px cat FILE.px [--format csv|json-stat|px] [--lang LANG] [--out FILE]
 *
 * Reads FILE.px (any encoding, KEYS, multilingual), prints its warnings to
 * stderr and writes the table as CSV (default), JSON-stat 2.0 or PX 2013
 * to stdout or --out. Errors are printed as "file:line: message" and the
 * command exits 1. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/cube.h"
#include "io/cubecsv.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "util/buf.h"
#include "util/err.h"

static const struct cliopt px_cat_opts[] = {
    {"--format", NULL, "FMT", 0, "csv|json-stat|px",
     "csv (default; UTF-8 with BOM, for Excel), json-stat (2.0) or px (AXIS-VERSION 2013, UTF-8)"},
    {"--lang", NULL, "LANG", 0, NULL, "labels in this language of a multilingual file (LANGUAGES)"},
    {"--out", NULL, "FILE", 0, NULL, "write to FILE instead of standard output"},
    {"--quiet", "-q", NULL, 0, NULL, "do not print warnings"},
};
static const struct cliopt_cmd px_cat_cmd = {"px cat",
                                             "FILE.px",
                                             1,
                                             1,
                                             px_cat_opts,
                                             CLIOPT_N(px_cat_opts),
                                             "Read a PX (PC-Axis) file and write its table.\n"};
static const struct cliopt_cmd *const px_subs[] = {&px_cat_cmd};

static int px_cat(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&px_cat_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *path = cliopt_arg(&ca, 0), *format = cliopt_or(&ca, "--format", "csv");
    const char *lang = cliopt_get(&ca, "--lang"), *outpath = cliopt_get(&ca, "--out");
    int quiet = cliopt_flag(&ca, "--quiet");

    int rc = 1;
    struct buf in, out;
    struct cube c;
    struct diag dg;
    buf_init(&in, PX_MAX_BYTES + 1);
    buf_init(&out, BUF_DEFAULT_MAX);
    cube_init(&c);
    diag_init(&dg, 200);
    FILE *f = NULL;

    enum err e = buf_read_file(&in, path);
    if (e == ERR_LIMIT) {
        fprintf(stderr, "%s: file is larger than the limit of %zu MiB\n", path,
                (size_t)(PX_MAX_BYTES >> 20));
        goto out;
    }
    if (e) {
        fprintf(stderr, "%s: cannot read: %s\n", path, err_str(e));
        goto out;
    }
    e = px_read_cube(in.p, in.len, path, lang, &c, NULL, &dg);
    if (e) {
        diag_print(&dg, stderr);
        if (dg.total == 0)
            fprintf(stderr, "%s: %s\n", path, err_str(e));
        goto out;
    }
    if (!quiet)
        diag_print(&dg, stderr);
    if (strcmp(format, "csv") == 0)
        e = cubecsv_write(&c, &out);
    else if (strcmp(format, "json-stat") == 0)
        e = jsonstat_write_cube(&c, &out);
    else
        e = px_write_cube(&c, &out);
    if (e) {
        fprintf(stderr, "%s: cannot write as %s: %s\n", path, format, err_str(e));
        goto out;
    }
    f = outpath ? fopen(outpath, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "%s: cannot open for writing\n", outpath);
        goto out;
    }
    if (fwrite(out.p, 1, out.len, f) != out.len || fflush(f) != 0) {
        fprintf(stderr, "%s: write failed\n", outpath ? outpath : "standard output");
        goto out;
    }
    rc = 0;
out:
    if (f && f != stdout && fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "%s: write failed\n", outpath);
        rc = 1;
    }
    diag_release(&dg);
    cube_release(&c);
    buf_release(&out);
    buf_release(&in);
    return rc;
}

int cmd_px(int argc, char **argv)
{
    int ex;
    const struct cliopt_cmd *sc = cliopt_sub("px", px_subs, CLIOPT_N(px_subs), argc, argv, &ex);
    if (!sc)
        return ex;
    return px_cat(argc - 1, argv + 1);
}
