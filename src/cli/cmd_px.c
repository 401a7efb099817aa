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
#include "core/cube.h"
#include "io/cubecsv.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "util/buf.h"
#include "util/err.h"

static void px_usage(FILE *f)
{
    fprintf(f, "usage: bidrag px cat FILE.px [--format csv|json-stat|px] [--lang LANG] "
               "[--out FILE]\n"
               "\n"
               "Read a PX (PC-Axis) file and write its table.\n"
               "\n"
               "  --format FMT  csv (default; UTF-8 with BOM, for Excel), json-stat (2.0)\n"
               "                or px (AXIS-VERSION 2013, UTF-8)\n"
               "  --lang LANG   labels in this language of a multilingual file (LANGUAGES)\n"
               "  --out FILE    write to FILE instead of standard output\n"
               "  --quiet       do not print warnings\n");
}

static int px_cat(int argc, char **argv)
{
    const char *path = NULL, *format = "csv", *lang = NULL, *outpath = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            px_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(a, "--format") == 0 || strcmp(a, "--lang") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bidrag px cat: option '%s' needs a value\n", a);
                return 2;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--format") == 0)
                format = v;
            else if (strcmp(a, "--lang") == 0)
                lang = v;
            else
                outpath = v;
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "bidrag px cat: unknown option '%s' (see 'bidrag px cat --help')\n", a);
            return 2;
        }
        if (path) {
            fprintf(stderr, "bidrag px cat: one file at a time ('%s' and '%s')\n", path, a);
            return 2;
        }
        path = a;
    }
    if (!path) {
        px_usage(stderr);
        return 2;
    }
    if (strcmp(format, "csv") != 0 && strcmp(format, "json-stat") != 0 &&
        strcmp(format, "px") != 0) {
        fprintf(stderr, "bidrag px cat: unknown format '%s' (csv, json-stat or px)\n", format);
        return 2;
    }

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
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        px_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "cat") == 0)
        return px_cat(argc - 1, argv + 1);
    fprintf(stderr, "bidrag px: unknown subcommand '%s' (see 'bidrag px --help')\n", argv[1]);
    return 2;
}
