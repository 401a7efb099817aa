/* cmd_stats.c - bidrag stats: workforce statistics: import microdata into
 * the column store, generate synthetic microdata, build disclosure-
 * controlled tables. Exit codes: 0 ok, 1 data error, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/cube.h"
#include "io/chart.h"
#include "io/cubecsv.h"
#include "io/cubetext.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "io/xlsx.h"
#include "service/statistics.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/str.h"

static const char stats_about[] =
    "dimensions: year region kommun sector sex ageband licence occupation specialty\n"
    "the statistics store is DIR (default: the database's folder + /stats)\n"
    "reference data: --data DIR, else $BIDRAG_DATA, ./data or the source tree's data/\n"
    "see docs/statistics.md\n";

#define DIR_OPT                                                                                    \
    {                                                                                              \
        "--dir", NULL, "DIR", 0, NULL, "the statistics store"                                      \
    }
#define DATA_OPT                                                                                   \
    {                                                                                              \
        "--data", NULL, "DIR", 0, NULL, "the reference data"                                       \
    }
static const struct cliopt import_opts[] = {
    {"--replace-year", NULL, NULL, 0, NULL, "replace the years the file holds"},
    CLIOPT_DB,
    DIR_OPT,
    DATA_OPT,
};
static const struct cliopt synth_opts[] = {
    {"--rows", NULL, "N", CLIOPT_REQUIRED, NULL, "records to make"},
    {"--years", NULL, "A-B", CLIOPT_REQUIRED, NULL, "the years, e.g. 2005-2024"},
    {"--seed", NULL, "S", 0, NULL, "the random seed (1)"},
    {"--out", NULL, "FILE.csv", CLIOPT_REQUIRED, NULL, "the file to write"},
    DATA_OPT,
};
static const struct cliopt table_opts[] = {
    {"--rows", NULL, "DIMS", 0, NULL, "dimensions down"},
    {"--cols", NULL, "DIMS", 0, NULL, "dimensions across"},
    {"--filter", NULL, "DIM=V,...", CLIOPT_REPEAT, NULL, "only these values (joined)"},
    {"--measure", "--measures", "MEASURES", 0, NULL, "headcount,fte,per100k (headcount)"},
    {"--format", NULL, "FORMAT", 0, "table|csv|csv-excel|csv-codes|json-stat|px|xlsx|svg|png",
     "the output (table)"},
    {"--out", NULL, "FILE", 0, NULL, "write there instead of stdout"},
    {"--max-cells", NULL, "N", 0, NULL, "refuse larger tables"},
    {"--no-protect", NULL, NULL, 0, NULL, "no disclosure control (needs the right)"},
    CLIOPT_DB,
    DIR_OPT,
    DATA_OPT,
};
static const struct cliopt info_opts[] = {CLIOPT_DB, DIR_OPT};
static const struct cliopt_cmd sub_import = {"stats import",        "FILE.csv", 0, 1, import_opts,
                                             CLIOPT_N(import_opts), stats_about};
static const struct cliopt_cmd sub_synth = {"stats synth",        "",         0, 0, synth_opts,
                                            CLIOPT_N(synth_opts), stats_about};
static const struct cliopt_cmd sub_table = {"stats table",        "",         0, 0, table_opts,
                                            CLIOPT_N(table_opts), stats_about};
static const struct cliopt_cmd sub_info = {"stats info",        "",         0, 0, info_opts,
                                           CLIOPT_N(info_opts), stats_about};
static const struct cliopt_cmd *const stats_subs[] = {&sub_import, &sub_synth, &sub_table,
                                                      &sub_info};

struct opts {
    const char *db;
    const char *dir;
    const char *data;
    const char *file;
    int replace_year;
    const char *rows, *cols, *filters, *measures, *format, *out;
    int protect;
    unsigned long long max_cells;
    unsigned long long nrows;
    const char *years;
    unsigned long long seed;
    char dirbuf[1024];
    char filtbuf[4096];
};

/* A usage error: the message and where to read more. */
static int usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "bidrag stats: %s\n", msg);
    fputs("see 'bidrag stats --help'\n", stderr);
    return 2;
}

static int parse_ull(const char *s, unsigned long long *out)
{
    int64_t v;
    if (str_parse_i64(s, &v) != ERR_OK || v < 0)
        return -1;
    *out = (unsigned long long)v;
    return 0;
}

/* The option named in the subcommand's table, else NULL. */
static const char *opt_of(const struct cliopt_args *ca, const char *name)
{
    for (size_t k = 0; k < ca->cmd->nopts; k++)
        if (strcmp(ca->cmd->opts[k].name, name) == 0)
            return cliopt_get(ca, name);
    return NULL;
}

/* The subcommand's options into o; returns 0, or 2 on a usage error. */
static int parse_opts(const struct cliopt_args *ca, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->protect = !opt_of(ca, "--no-protect");
    o->measures = opt_of(ca, "--measure") ? opt_of(ca, "--measure") : "headcount";
    o->format = opt_of(ca, "--format") ? opt_of(ca, "--format") : "table";
    o->seed = 1;
    o->db = opt_of(ca, "--db");
    o->dir = opt_of(ca, "--dir");
    o->data = opt_of(ca, "--data");
    o->replace_year = opt_of(ca, "--replace-year") != NULL;
    o->rows = opt_of(ca, "--rows");
    o->cols = opt_of(ca, "--cols");
    o->out = opt_of(ca, "--out");
    o->years = opt_of(ca, "--years");
    o->file = cliopt_arg(ca, 0);
    const char *t = opt_of(ca, "--max-cells");
    if (t && (parse_ull(t, &o->max_cells) != 0 || o->max_cells < 1)) {
        fprintf(stderr, "bidrag stats: --max-cells '%s' must be a whole number >= 1\n", t);
        return 2;
    }
    t = opt_of(ca, "--seed");
    if (t && parse_ull(t, &o->seed) != 0) {
        fprintf(stderr, "bidrag stats: --seed '%s' must be a whole number\n", t);
        return 2;
    }
    /* several --filter options are joined with commas */
    size_t nf = ca->cmd == &sub_table ? cliopt_count(ca, "--filter") : 0;
    for (size_t i = 0; i < nf; i++) {
        const char *f = cliopt_nth(ca, "--filter", i);
        size_t used = strlen(o->filtbuf);
        int w = snprintf(o->filtbuf + used, sizeof(o->filtbuf) - used, "%s%s", used ? "," : "", f);
        if (w < 0 || (size_t)w >= sizeof(o->filtbuf) - used) {
            fprintf(stderr, "bidrag stats: --filter values too long\n");
            return 2;
        }
        o->filters = o->filtbuf;
    }
    o->db = cli_db_path(o->db);
    if (!o->dir) {
        /* beside a database file; in the working folder otherwise */
        char folder[sizeof(o->dirbuf) - 8];
        if (store_url_folder(o->db, folder, sizeof(folder)) == ERR_OK && folder[0])
            snprintf(o->dirbuf, sizeof(o->dirbuf), "%s/stats", folder);
        else
            snprintf(o->dirbuf, sizeof(o->dirbuf), "stats");
        o->dir = o->dirbuf;
    }
    return 0;
}

/* Reference folders, most specific first. */
static size_t data_dirs(const struct opts *o, char dirs[4][1024])
{
    size_t n = 0;
    const char *base = cli_data_dir(o->data);
    snprintf(dirs[n++], 1024, "%s/reference", base);
    snprintf(dirs[n++], 1024, "%s", base);
    return n;
}

static int load_ref(const struct opts *o, struct statscsv_ref **ref, const char *const **dirsp,
                    size_t *ndirs)
{
    static char dirs[4][1024];
    static const char *dp[4];
    *ndirs = data_dirs(o, dirs);
    for (size_t i = 0; i < *ndirs; i++)
        dp[i] = dirs[i];
    *dirsp = dp;
    *ref = malloc(sizeof(**ref));
    if (!*ref) {
        fprintf(stderr, "bidrag stats: out of memory\n");
        return 1;
    }
    struct diag d;
    diag_init(&d, 20);
    enum err e = statscsv_ref_load(*ref, dp, *ndirs, &d);
    if (e != ERR_OK) {
        diag_print(&d, stderr);
        diag_release(&d);
        free(*ref);
        *ref = NULL;
        return 1;
    }
    diag_release(&d);
    return 0;
}

static void progress(void *ctx, uint64_t done, uint64_t total, size_t rows)
{
    (void)ctx;
    static int last = -1;
    int pct = total ? (int)(done * 100 / total) : 100;
    if (pct == last)
        return;
    last = pct;
    fprintf(stderr, "\rimporting: %3d%% (%zu rows)", pct, rows);
    if (done >= total)
        fputc('\n', stderr);
}

static int stats_import(const struct opts *o)
{
    if (!o->file)
        return usage("import needs a FILE.csv");
    struct statscsv_ref *ref;
    const char *const *dirs;
    size_t nd;
    if (load_ref(o, &ref, &dirs, &nd) != 0)
        return 1;
    const char *now = cli_now();
    struct statsvc_import_opts io = {0};
    io.path = o->file;
    io.dir = o->dir;
    io.replace_year = o->replace_year;
    io.now = now;
    if (isatty(2)) {
        FILE *f = fopen(o->file, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            if (ftell(f) > (32L << 20))
                io.progress = progress;
            fclose(f);
        }
    }
    struct statsvc_import_result res;
    struct diag d;
    struct store *st = NULL;
    struct svc_actor who;
    struct svc_result sr;
    diag_init(&d, 20);
    enum err e = store_open(o->db, STORE_OPEN_EXISTING, &st);
    if (e != ERR_OK) {
        /* the import is recorded in the database's audit trail */
        fprintf(stderr, "bidrag stats: %s\n", store_open_error());
        diag_release(&d);
        free(ref);
        return 1;
    }
    if (cli_actor(st, NULL, "", &who) != 0) {
        store_close(st);
        diag_release(&d);
        free(ref);
        return 1;
    }
    e = statistics_import(st, &who, cli_time(), ref, &io, &res, &d, &sr);
    store_close(st);
    int rc = 0;
    if (e == ERR_DENIED) {
        cli_print_result("stats", e, &sr, cli_lang(LANG_EN));
        rc = 1;
    } else if (e != ERR_OK) {
        diag_print(&d, stderr);
        if (e == ERR_INVALID)
            fprintf(stderr, "bidrag stats: '%s' has %zu error%s: nothing imported\n", o->file,
                    d.total, d.total == 1 ? "" : "s");
        else if (d.total == 0)
            fprintf(stderr, "bidrag stats: import failed: %s\n", err_str(e));
        rc = 1;
    } else {
        printf("imported %zu records from '%s' (sha256 %s); the store in '%s' holds %zu records, "
               "years %d-%d\n",
               res.rows, o->file, res.sha256, o->dir, res.rows_total, res.year_min, res.year_max);
        if (getenv("BIDRAG_STATS_TIMING"))
            fprintf(stderr,
                    "timing: read+parse %.2f s, sort %.2f s (order %.2f s), checks %.2f s, "
                    "record keys %.2f s, write %.2f s\n",
                    res.t_read, res.t_sort, res.t_order, res.t_check, res.t_keys, res.t_write);
    }
    diag_release(&d);
    free(ref);
    return rc;
}

static int stats_synth(const struct opts *o)
{
    if (!o->rows || !o->years || !o->out)
        return usage("synth needs --rows N, --years A-B and --out FILE.csv");
    unsigned long long n;
    if (parse_ull(o->rows, &n) != 0 || n == 0 || n > 4000000000ULL)
        return usage("--rows must be a whole number 1-4000000000");
    int a = 0, b = 0;
    char tail = 0;
    if (sscanf(o->years, "%d-%d%c", &a, &b, &tail) != 2 || a > b)
        return usage("--years must be A-B, e.g. 2005-2024");
    struct statscsv_ref *ref;
    const char *const *dirs;
    size_t nd;
    if (load_ref(o, &ref, &dirs, &nd) != 0)
        return 1;
    struct statsvc_synth_opts so = {n, a, b, o->seed, o->out, dirs, nd};
    struct diag d;
    diag_init(&d, 20);
    enum err e = statsvc_synth(ref, &so, &d);
    int rc = 0;
    if (e != ERR_OK) {
        diag_print(&d, stderr);
        rc = e == ERR_INVALID ? 2 : 1;
    } else {
        printf("wrote %llu synthetic records (%d-%d, seed %llu) to '%s'\n", n, a, b, o->seed,
               o->out);
    }
    diag_release(&d);
    free(ref);
    return rc;
}

/* ---- output ---- */

static int write_file(const char *path, const struct buf *b)
{
    if (!path || strcmp(path, "-") == 0) {
        fwrite(b->p, 1, b->len, stdout);
        return 0;
    }
    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "bidrag stats: cannot write '%s': %s\n", path, strerror(errno));
        unlink(tmp);
        return 1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "bidrag stats: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

/* The one place that knows the output formats. Returns an exit code. */
static int write_cube(const struct cube *c, size_t nrowdims, const char *format, const char *path)
{
    struct buf b;
    buf_init(&b, BUF_DEFAULT_MAX);
    enum err e;
    int rc;
    if (strcmp(format, "table") == 0) {
        e = cubetext_write(c, nrowdims, &b);
    } else if (strcmp(format, "csv-codes") == 0) {
        e = cubecsv_write_codes(c, &b);
    } else if (strcmp(format, "csv") == 0) {
        e = cubecsv_write(c, &b);
    } else if (strcmp(format, "csv-excel") == 0) {
        struct cubecsv_opts co = {';', ','};
        e = cubecsv_write_opts(c, &co, &b);
    } else if (strcmp(format, "json-stat") == 0) {
        e = jsonstat_write_cube(c, &b);
    } else if (strcmp(format, "px") == 0) {
        e = px_write_cube(c, &b);
    } else if (strcmp(format, "xlsx") == 0 || strcmp(format, "svg") == 0 ||
               strcmp(format, "png") == 0) {
        buf_release(&b);
        if (!path || strcmp(path, "-") == 0) {
            fprintf(stderr, "bidrag stats: format '%s' needs --out FILE\n", format);
            return 2;
        }
        if (strcmp(format, "xlsx") == 0) {
            e = xlsx_write_cube(c, path);
        } else {
            struct chart_opts co;
            memset(&co, 0, sizeof(co));
            co.format = strcmp(format, "svg") == 0 ? CHART_SVG : CHART_PNG;
            struct cube v;
            e = cube_chart_view(c, &v);
            co.kind = CHART_BARS;
            for (size_t i = 0; e == ERR_OK && i < v.ndims; i++)
                if (v.dims[i].is_time && v.dims[i].n > 1)
                    co.kind = CHART_LINES;
            if (e == ERR_OK)
                e = chart_render_cube(&v, &co, path);
            cube_release(&v);
        }
        if (e != ERR_OK) {
            fprintf(stderr, "bidrag stats: cannot write '%s': %s\n", path, err_str(e));
            return e == ERR_INVALID ? 2 : 1;
        }
        return 0;
    } else {
        fprintf(stderr,
                "bidrag stats: unknown format '%s' (table, csv, csv-excel, csv-codes, json-stat, "
                "px, xlsx, svg, png)\n",
                format);
        buf_release(&b);
        return 2;
    }
    if (e != ERR_OK) {
        fprintf(stderr, "bidrag stats: cannot format the table: %s\n", err_str(e));
        buf_release(&b);
        return 1;
    }
    rc = write_file(path, &b);
    buf_release(&b);
    return rc;
}

static int stats_table_cmd(const struct opts *o)
{
    if (!o->rows && !o->cols)
        return usage("table needs --rows DIMS and/or --cols DIMS");
    struct statscsv_ref *ref;
    const char *const *dirs;
    size_t nd;
    if (load_ref(o, &ref, &dirs, &nd) != 0)
        return 1;
    struct store *st = NULL;
    struct svc_actor who;
    struct svc_result sr;
    int rc = 0;
    /* who asks is the database's to say (and per 100 000 its population) */
    if (store_open(o->db, STORE_OPEN_EXISTING, &st) != ERR_OK) {
        fprintf(stderr, "bidrag stats: %s\n", store_open_error());
        free(ref);
        return 1;
    }
    if (cli_actor(st, NULL, "", &who) != 0) {
        store_close(st);
        free(ref);
        return 1;
    }
    if (!o->protect)
        fprintf(stderr, "bidrag stats: warning: --no-protect: the table is not protected "
                        "against disclosure and must not be published\n");
    int chart = strcmp(o->format, "svg") == 0 || strcmp(o->format, "png") == 0;
    struct statsvc_table_req req;
    memset(&req, 0, sizeof(req));
    req.dir = o->dir;
    req.rows = o->rows;
    req.cols = o->cols;
    req.filters = o->filters;
    req.measures = o->measures;
    req.protect = o->protect;
    req.nthreads = 2;
    req.no_totals = chart;
    req.max_cells = (size_t)o->max_cells;
    struct cube c;
    struct statsvc_table_res res;
    struct diag d;
    diag_init(&d, 20);
    enum err e = statistics_table(st, &who, cli_time(), ref, &req, &c, &res, &d, &sr);
    if (e == ERR_DENIED) {
        cli_print_result("stats", e, &sr, cli_lang(LANG_EN));
        rc = 1;
        goto out;
    }
    if (e != ERR_OK) {
        diag_print(&d, stderr);
        rc = res.usage_error ? 2 : 1;
        goto out;
    }
    if (statsvc_table_describe(&c, &res) != ERR_OK) {
        fprintf(stderr, "bidrag stats: out of memory\n");
        rc = 1;
    } else {
        size_t nrowdims = 0;
        if (o->rows)
            for (const char *p = o->rows; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
                nrowdims++;
        rc = write_cube(&c, nrowdims, o->format, o->out);
        if (res.info.missing_pop_years)
            fprintf(stderr, "bidrag stats: no population series for %zu year%s (per100k missing)\n",
                    res.info.missing_pop_years, res.info.missing_pop_years == 1 ? "" : "s");
    }
    cube_release(&c);
out:
    diag_release(&d);
    if (st)
        store_close(st);
    free(ref);
    return rc;
}

static int stats_info(const struct opts *o)
{
    char p[1200];
    snprintf(p, sizeof(p), "%s/CURRENT", o->dir);
    FILE *f = fopen(p, "r");
    if (!f) {
        fprintf(stderr, "bidrag stats: no statistics imported in '%s'\n", o->dir);
        return 1;
    }
    char gen[64] = "";
    if (!fgets(gen, sizeof(gen), f))
        gen[0] = '\0';
    fclose(f);
    gen[strcspn(gen, "\r\n")] = '\0';
    snprintf(p, sizeof(p), "%s/%s/manifest.txt", o->dir, gen);
    f = fopen(p, "r");
    if (!f) {
        fprintf(stderr, "bidrag stats: '%s' is missing\n", p);
        return 1;
    }
    char line[2048];
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "run ", 4) != 0)
            fputs(line, stdout);
    fclose(f);
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    int ex;
    struct cliopt_args ca;
    const struct cliopt_cmd *sc =
        cliopt_sub("stats", stats_subs, CLIOPT_N(stats_subs), argc, argv, &ex);
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    struct opts o;
    if (parse_opts(&ca, &o) != 0)
        return usage(NULL);
    if (sc == &sub_import)
        return stats_import(&o);
    if (sc == &sub_synth)
        return stats_synth(&o);
    if (sc == &sub_table)
        return stats_table_cmd(&o);
    return stats_info(&o);
}
