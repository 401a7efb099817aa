/* pages_stats.c - the published workforce statistics: the list of tables
 * (/statistik), one table with its selection form and result
 * (/statistik/{table}), its downloads (/statistik/{table}/data.csv, .xlsx,
 * .px, .json, diagram.svg, .png) and the same as JSON-stat under
 * /api/v1/stats.
 *
 * Every logged-in role may use these: the tables are aggregated and
 * always disclosure-controlled (threshold STATSVC_THRESHOLD, with
 * secondary suppression), so they are not personal data. Nothing here can
 * ask for microdata or switch suppression off. The numbers come from
 * service/statsvc.h; this file only checks the query against the stored
 * dimension values, builds the request and renders the cube. */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/chart.h"
#include "io/cubecsv.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "io/xlsx.h"
#include "service/statsvc.h"
#include "web/web.h"

#define ST_MAX_CELLS 20000  /* cells (measures included) a request may produce */
#define ST_MAX_ARGS 512     /* query parameters */
#define ST_AREA STATS_NDIMS /* placeholder in a table definition: the level's area */

/* A predefined table: its dimensions (ST_AREA becomes region or kommun by
 * the chosen level, or is left out at national level), the dimensions
 * offered in the form and its default selection. */
struct st_table {
    const char *id;
    const char *title; /* Swedish, through T() */
    const char *desc;
    int rows[3];
    size_t nrows;
    int cols[3];
    size_t ncols;
    int level; /* default level when the table has ST_AREA: 0 riket, 1 region, 2 kommun */
    int offer[STATS_NDIMS];
    int preset;      /* 1: only licensed personnel, 2: primary-care groups */
    int latest_year; /* 1: default to the latest year only */
};

enum { PRESET_NONE = 0, PRESET_LICENSED, PRESET_PRIMARY };

static const struct st_table tables[] = {
    {"legitimerade-region",
     "Legitimerad personal efter region och år",
     "Antal legitimerade per län eller kommun och år.",
     {ST_AREA},
     1,
     {STATS_YEAR},
     1,
     1,
     {[STATS_YEAR] = 1,
      [STATS_REGION] = 1,
      [STATS_LICENCE] = 1,
      [STATS_SECTOR] = 1,
      [STATS_SEX] = 1},
     PRESET_LICENSED,
     0},
    {"legitimerade-yrke-sektor-kon",
     "Legitimerad personal efter yrke, sektor och kön",
     "Antal legitimerade per legitimationsyrke, sektor och kön.",
     {STATS_YEAR, STATS_LICENCE, STATS_SECTOR},
     3,
     {STATS_SEX},
     1,
     0,
     {[STATS_YEAR] = 1,
      [STATS_REGION] = 1,
      [STATS_LICENCE] = 1,
      [STATS_SECTOR] = 1,
      [STATS_SEX] = 1,
      [STATS_AGEBAND] = 1},
     PRESET_LICENSED,
     1},
    {"primarvard-region",
     "Primärvårdens yrkesgrupper efter region",
     "De icke legitimerade yrkesgrupperna i bilaga 2 per län eller kommun.",
     {STATS_YEAR, ST_AREA},
     2,
     {STATS_OCCUPATION},
     1,
     1,
     {[STATS_YEAR] = 1,
      [STATS_REGION] = 1,
      [STATS_OCCUPATION] = 1,
      [STATS_SECTOR] = 1,
      [STATS_SEX] = 1},
     PRESET_PRIMARY,
     1},
    {"alder-yrke",
     "Åldersstruktur per yrke",
     "Antal per yrkesgrupp och åldersgrupp.",
     {STATS_YEAR, STATS_OCCUPATION},
     2,
     {STATS_AGEBAND},
     1,
     0,
     {[STATS_YEAR] = 1,
      [STATS_REGION] = 1,
      [STATS_OCCUPATION] = 1,
      [STATS_SECTOR] = 1,
      [STATS_SEX] = 1},
     PRESET_NONE,
     1},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static const char *const measure_label[STATS_NMEASURES] = {"Antal personer", "Årsarbetare",
                                                           "Per 100 000 invånare"};
static const char *const level_label[3] = {"Riket", "Län (regional nivå)", "Kommun (lokal nivå)"};
static const char *const level_code[3] = {"riket", "region", "kommun"};

static int has_area(const struct st_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i] == ST_AREA)
            return 1;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i] == ST_AREA)
            return 1;
    return 0;
}

static const struct st_table *find_table(const char *id)
{
    for (size_t i = 0; i < NTABLES; i++)
        if (strcmp(tables[i].id, id) == 0)
            return &tables[i];
    return NULL;
}

/* ---- where the statistics are ---- */

static struct statscsv_ref *st_ref;
static pthread_once_t st_ref_once = PTHREAD_ONCE_INIT;

/* The reference lists, loaded once: from $BIDRAG_DATA, ./data, or the
 * source tree's data folder (the same search as the CLI). */
static void ref_load_once(void)
{
    const char *base = getenv("BIDRAG_DATA");
    struct stat sb;
    if (!base || !base[0])
        base = stat("data/reference/kommuner.csv", &sb) == 0 ? "data" : BIDRAG_SOURCE_DIR "/data";
    char d1[1024], d2[1024];
    snprintf(d1, sizeof(d1), "%s/reference", base);
    snprintf(d2, sizeof(d2), "%s", base);
    const char *dirs[2] = {d1, d2};
    struct statscsv_ref *ref = malloc(sizeof(*ref));
    struct diag d;
    diag_init(&d, 5);
    if (ref && statscsv_ref_load(ref, dirs, 2, &d) != ERR_OK) {
        diag_print(&d, stderr);
        free(ref);
        ref = NULL;
    }
    diag_release(&d);
    st_ref = ref;
}

static const struct statscsv_ref *ref_get(void)
{
    pthread_once(&st_ref_once, ref_load_once);
    return st_ref;
}

/* The statistics folder: the database's folder plus /stats (as the CLI). */
static const char *stats_dir(struct web_req *r)
{
    const char *db = r->cfg->db_path;
    const char *slash = strrchr(db, '/');
    if (!slash)
        return "stats";
    return arena_printf(r->arena, "%.*s/stats", (int)(slash - db), db);
}

/* ---- the selection ---- */

struct st_arg {
    const char *key, *value;
};

struct st_args {
    struct st_arg a[ST_MAX_ARGS];
    size_t n;
    int bad; /* too many, or not valid text */
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct st_args *as = cls;
    if (!value)
        value = "";
    if (!key || !form_text_ok(key, strlen(key), 0) || !form_text_ok(value, strlen(value), 0)) {
        as->bad = 1;
        return MHD_YES;
    }
    if (as->n >= ST_MAX_ARGS) {
        as->bad = 1;
        return MHD_NO;
    }
    as->a[as->n].key = key;
    as->a[as->n].value = value;
    as->n++;
    return MHD_YES;
}

struct st_sel {
    const struct st_table *t;
    int level;
    unsigned char *chosen[STATS_NDIMS]; /* per value: 1 chosen; NULL = nothing chosen (all) */
    size_t nchosen[STATS_NDIMS];
    int measure[STATS_NMEASURES];
    int preset_default[STATS_NDIMS]; /* the dimension has the table's narrowing by default */
    /* the first problem, tied to a form field */
    const char *err_field;
    char err_sv[400];
    char err_en[400];
};

static void sel_release(struct st_sel *s)
{
    for (int i = 0; i < STATS_NDIMS; i++)
        free(s->chosen[i]);
}

static int set_err(struct web_req *r, struct st_sel *s, const char *field, const char *sv,
                   const char *value, const char *en)
{
    if (s->err_field)
        return -1;
    s->err_field = field;
    int dim = field[0] ? stats_dim_parse(field) : -1;
    const char *what_sv = dim >= 0 ? T(r, stats_dim_label((enum stats_dim)dim)) : NULL;
    if (value && what_sv) {
        snprintf(s->err_sv, sizeof(s->err_sv), "%s '%s' (%s).", T(r, sv), value, what_sv);
        snprintf(s->err_en, sizeof(s->err_en), "%s '%s' for '%s'", en, value, field);
    } else if (value) {
        snprintf(s->err_sv, sizeof(s->err_sv), "%s '%s'.", T(r, sv), value);
        snprintf(s->err_en, sizeof(s->err_en), "%s '%s'", en, value);
    } else {
        snprintf(s->err_sv, sizeof(s->err_sv), "%s", T(r, sv));
        snprintf(s->err_en, sizeof(s->err_en), "%s", en);
    }
    return -1;
}

static int find_value(const struct statsvc_values *v, int dim, const char *code)
{
    for (size_t k = 0; k < v->n[dim]; k++)
        if (strcmp(v->codes[dim][k], code) == 0)
            return (int)k;
    return -1;
}

static int is_licence_code(const struct statsvc_values *v, const char *code)
{
    return find_value(v, STATS_LICENCE, code) >= 0;
}

/* The table's defaults for what the query left open: headcount, and for
 * the dimensions the table narrows (the latest year; only the licensed
 * professions or only the primary-care groups) that narrowing. Every
 * other dimension not given means all its values. */
static int sel_defaults(const struct statsvc_values *v, struct st_sel *s)
{
    const struct st_table *t = s->t;
    if (!s->measure[0] && !s->measure[1] && !s->measure[2])
        s->measure[STATS_HEADCOUNT] = 1;
    int dims[2] = {-1, -1};
    if (t->latest_year)
        dims[0] = STATS_YEAR;
    if (t->preset == PRESET_LICENSED)
        dims[1] = STATS_LICENCE;
    if (t->preset == PRESET_PRIMARY)
        dims[1] = STATS_OCCUPATION;
    for (int i = 0; i < 2; i++) {
        int d = dims[i];
        if (d < 0 || v->n[d] == 0 || s->chosen[d])
            continue;
        s->preset_default[d] = d != STATS_YEAR;
        s->chosen[d] = calloc(v->n[d], 1);
        if (!s->chosen[d])
            return -1;
        for (size_t k = 0; k < v->n[d]; k++) {
            const char *c = v->codes[d][k];
            int on = d == STATS_YEAR      ? k + 1 == v->n[d]
                     : d == STATS_LICENCE ? strcmp(c, "ingen") != 0
                                          : !is_licence_code(v, c) && strcmp(c, "ovrigt") != 0;
            s->chosen[d][k] = (unsigned char)on;
            s->nchosen[d] += (size_t)on;
        }
    }
    return 0;
}

/* Read and check the query. Returns 0, or -1 with the problem in s. */
static int sel_parse(struct web_req *r, const struct statsvc_values *v, struct st_sel *s)
{
    struct st_args *as = arena_alloc(r->arena, sizeof(*as));
    if (!as)
        return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    as->n = 0;
    as->bad = 0;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, as);
    if (as->bad)
        return set_err(r, s, "", "Frågan har för många värden eller ogiltiga tecken.", NULL,
                       "the query has too many values or characters that are not allowed");
    int level_given = 0;
    for (size_t i = 0; i < as->n; i++) {
        const char *k = as->a[i].key, *val = as->a[i].value;
        if (strcmp(k, "lang") == 0)
            continue;
        if (strcmp(k, "measure") == 0) {
            int m = stats_measure_parse(val);
            if (m < 0)
                return set_err(r, s, "measure", "Okänt mått", val, "unknown measure");
            s->measure[m] = 1;
            continue;
        }
        if (strcmp(k, "level") == 0) {
            int l = -1;
            for (int j = 0; j < 3; j++)
                if (strcmp(val, level_code[j]) == 0)
                    l = j;
            if (l < 0 || !has_area(s->t))
                return set_err(r, s, "level", "Okänd nivå", val, "unknown level");
            s->level = l;
            level_given = 1;
            continue;
        }
        int d = stats_dim_parse(k);
        if (d < 0 || !s->t->offer[d])
            return set_err(r, s, "", "Okänd parameter", k, "unknown parameter");
        int idx = find_value(v, d, val);
        if (idx < 0)
            return set_err(r, s, stats_dim_name((enum stats_dim)d), "Okänt värde", val,
                           "unknown value");
        if (!s->chosen[d]) {
            s->chosen[d] = calloc(v->n[d], 1);
            if (!s->chosen[d])
                return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
        }
        if (!s->chosen[d][idx])
            s->nchosen[d]++;
        s->chosen[d][idx] = 1;
    }
    if (!level_given)
        s->level = s->t->level;
    if (sel_defaults(v, s) != 0)
        return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    return 0;
}

/* The table's dimensions for the chosen level (-1 ends). */
static size_t sel_dims(const struct st_sel *s, const int *in, size_t n, int *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int d = in[i];
        if (d == ST_AREA) {
            if (s->level == 0)
                continue;
            d = s->level == 1 ? STATS_REGION : STATS_KOMMUN;
        }
        out[k++] = d;
    }
    return k;
}

static size_t dim_count(const struct statsvc_values *v, const struct st_sel *s, int d)
{
    size_t n = v->n[d];
    if (d == STATS_KOMMUN && s->chosen[STATS_REGION]) {
        n = 0;
        for (size_t k = 0; k < v->n[STATS_KOMMUN]; k++)
            for (size_t j = 0; j < v->n[STATS_REGION]; j++)
                n += s->chosen[STATS_REGION][j] &&
                     strncmp(v->codes[STATS_REGION][j], v->codes[STATS_KOMMUN][k], 2) == 0;
    } else if (s->chosen[d]) {
        n = s->nchosen[d];
    }
    return n + (d != STATS_YEAR);
}

/* Build the statsvc request strings in the arena. Returns 0 or -1 (error
 * in s). */
static int sel_request(struct web_req *r, const struct statsvc_values *v, struct st_sel *s,
                       int chart, struct statsvc_table_req *req, size_t *nrowdims)
{
    int rows[4], cols[4];
    size_t nr = sel_dims(s, s->t->rows, s->t->nrows, rows);
    size_t nc = sel_dims(s, s->t->cols, s->t->ncols, cols);
    *nrowdims = nr;
    struct buf b;
    buf_init(&b, 1 << 16);
    size_t cells = 0;
    for (int m = 0; m < STATS_NMEASURES; m++)
        cells += (size_t)s->measure[m];
    for (size_t i = 0; i < nr + nc; i++) {
        int d = i < nr ? rows[i] : cols[i - nr];
        cells *= dim_count(v, s, d);
        if (cells > ST_MAX_CELLS)
            break;
    }
    if (cells > ST_MAX_CELLS) {
        buf_release(&b);
        char lim[32];
        snprintf(lim, sizeof(lim), "%d", ST_MAX_CELLS);
        return set_err(r, s, "", "Tabellen blir för stor. Välj färre värden; högsta antal celler",
                       lim, "the table would be too large; the most cells allowed is");
    }
    for (size_t i = 0; i < nr; i++)
        buf_printf(&b, "%s%s", i ? "," : "", stats_dim_name((enum stats_dim)rows[i]));
    req->rows = arena_strdup(r->arena, b.len ? b.p : "");
    buf_reset(&b);
    for (size_t i = 0; i < nc; i++)
        buf_printf(&b, "%s%s", i ? "," : "", stats_dim_name((enum stats_dim)cols[i]));
    req->cols = nc ? arena_strdup(r->arena, b.p) : NULL;
    buf_reset(&b);
    int intable[STATS_NDIMS] = {0};
    for (size_t i = 0; i < nr + nc; i++)
        intable[i < nr ? rows[i] : cols[i - nr]] = 1;
    for (int d = 0; d < STATS_NDIMS; d++) {
        const char *dn = stats_dim_name((enum stats_dim)d);
        int preset = (d == STATS_LICENCE && s->t->preset == PRESET_LICENSED)     ? 1
                     : (d == STATS_OCCUPATION && s->t->preset == PRESET_PRIMARY) ? 2
                                                                                 : 0;
        if (d == STATS_REGION && s->level == 2) {
            if (!s->chosen[d] || s->nchosen[d] == 0)
                continue;
            /* kommun level: the chosen regions' kommuner, then the regions */
            for (size_t k = 0; k < v->n[STATS_KOMMUN]; k++)
                for (size_t j = 0; j < v->n[STATS_REGION]; j++)
                    if (s->chosen[STATS_REGION][j] &&
                        strncmp(v->codes[STATS_REGION][j], v->codes[STATS_KOMMUN][k], 2) == 0)
                        buf_printf(&b, "%skommun=%s", b.len ? "," : "", v->codes[STATS_KOMMUN][k]);
            for (size_t j = 0; j < v->n[STATS_REGION]; j++)
                if (s->chosen[STATS_REGION][j])
                    buf_printf(&b, ",kommun=%s", v->codes[STATS_REGION][j]);
            continue;
        }
        if (!intable[d]) {
            /* a dimension outside the table: one value, or the preset's group */
            size_t n = s->chosen[d] ? s->nchosen[d] : 0;
            if (preset && s->preset_default[d])
                buf_printf(&b, "%s%s=%s", b.len ? "," : "", dn, preset == 1 ? "leg" : "pv");
            else if (n == 1) {
                for (size_t k = 0; k < v->n[d]; k++)
                    if (s->chosen[d][k])
                        buf_printf(&b, "%s%s=%s", b.len ? "," : "", dn, v->codes[d][k]);
            } else if (n > 1) {
                buf_release(&b);
                return set_err(r, s, dn,
                               "Välj ett enda värde, eller inget för alla, i en grupp som inte är "
                               "rader eller kolumner i tabellen:",
                               T(r, stats_dim_label((enum stats_dim)d)),
                               "choose one value, or none for all, of a dimension that is not in "
                               "the table:");
            }
            continue;
        }
        if (!s->chosen[d] || s->nchosen[d] == 0)
            continue;
        for (size_t k = 0; k < v->n[d]; k++)
            if (s->chosen[d][k])
                buf_printf(&b, "%s%s=%s", b.len ? "," : "", dn, v->codes[d][k]);
        if (d != STATS_YEAR && !chart)
            buf_printf(&b, ",%s=%s", dn,
                       preset == 1   ? "leg"
                       : preset == 2 ? "pv"
                                     : stats_total_code((enum stats_dim)d));
    }
    req->filters = b.len ? arena_strdup(r->arena, b.p) : NULL;
    buf_reset(&b);
    for (int m = 0; m < STATS_NMEASURES; m++) {
        if (!s->measure[m])
            continue;
        buf_printf(&b, "%s%s", b.len ? "," : "", stats_measure_name((enum stats_measure)m));
        if (chart)
            break; /* a chart shows one measure: the first chosen */
    }
    req->measures = arena_strdup(r->arena, b.p);
    int failed = b.failed;
    buf_release(&b);
    if (failed || !req->rows || !req->measures)
        return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    req->dir = stats_dir(r);
    req->protect = 1; /* always: no unprotected table over the web */
    req->nthreads = 1;
    req->no_totals = chart;
    req->max_cells = ST_MAX_CELLS;
    return 0;
}

/* The canonical query string of a selection ("year=2024&region=01&..."),
 * URL-encoded, for the download links. */
static void put_enc(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.') {
            buf_putc(b, (char)*p);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        }
    }
}

static const char *sel_query(struct web_req *r, const struct statsvc_values *v,
                             const struct st_sel *s)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    if (has_area(s->t))
        buf_printf(&b, "level=%s", level_code[s->level]);
    for (int m = 0; m < STATS_NMEASURES; m++)
        if (s->measure[m])
            buf_printf(&b, "%smeasure=%s", b.len ? "&" : "",
                       stats_measure_name((enum stats_measure)m));
    for (int d = 0; d < STATS_NDIMS; d++) {
        if (!s->chosen[d])
            continue;
        for (size_t k = 0; k < v->n[d]; k++) {
            if (!s->chosen[d][k])
                continue;
            buf_printf(&b, "%s%s=", b.len ? "&" : "", stats_dim_name((enum stats_dim)d));
            put_enc(&b, v->codes[d][k]);
        }
    }
    const char *q = b.failed ? "" : arena_strdup(r->arena, b.len ? b.p : "");
    buf_release(&b);
    return q ? q : "";
}

/* ---- building the table ---- */

enum st_result { ST_OK = 0, ST_EMPTY, ST_BAD, ST_FAIL };

struct st_ctx {
    const struct st_table *t;
    struct statsvc_values v;
    struct st_sel s;
    struct cube c;
    size_t nrowdims;
    int have_values, have_cube;
};

static void ctx_release(struct st_ctx *x)
{
    if (x->have_cube)
        cube_release(&x->c);
    if (x->have_values)
        statsvc_values_release(&x->v);
    sel_release(&x->s);
}

/* Load the dimension values, read the query and, with build, make the
 * cube (chart: one measure, no totals). */
static enum st_result st_prepare(struct web_req *r, struct st_ctx *x, int build, int chart)
{
    const struct st_table *t = x->t;
    memset(x, 0, sizeof(*x));
    x->t = t;
    x->s.t = t;
    const struct statscsv_ref *ref = ref_get();
    if (!ref)
        return ST_FAIL;
    struct diag d;
    diag_init(&d, 5);
    enum err e = statsvc_values(ref, stats_dir(r), &x->v, &d);
    diag_release(&d);
    if (e == ERR_NOTFOUND)
        return ST_EMPTY;
    if (e != ERR_OK)
        return ST_FAIL;
    x->have_values = 1;
    if (sel_parse(r, &x->v, &x->s) != 0)
        return ST_BAD;
    if (!build)
        return ST_OK;
    struct statsvc_table_req req;
    memset(&req, 0, sizeof(req));
    if (sel_request(r, &x->v, &x->s, chart, &req, &x->nrowdims) != 0)
        return ST_BAD;
    struct statsvc_table_res res;
    diag_init(&d, 5);
    e = statsvc_table(ref, r->store, &req, &x->c, &res, &d);
    diag_release(&d);
    if (e != ERR_OK) {
        if (res.usage_error) {
            set_err(r, &x->s, "", "Tabellen kan inte tas fram för det urvalet.", NULL,
                    "the table cannot be made for this selection");
            return ST_BAD;
        }
        return ST_FAIL;
    }
    x->have_cube = 1;
    cube_set_str(&x->c.matrix, x->t->id);
    if (statsvc_table_describe(&x->c, &res) != ERR_OK)
        return ST_FAIL;
    return ST_OK;
}

/* ---- HTML ---- */

static void empty_store(struct web_req *r)
{
    html_f(&r->out, "<p class=\"notice\" role=\"status\">%s</p>\n<p>%s <code>%s</code></p>\n",
           T(r, "Det finns ingen statistik inläst ännu."),
           T(r, "En analytiker läser in underlaget med kommandot"), "bidrag stats import FIL.csv");
}

void page_stats(struct web_req *r)
{
    page_begin(r, T(r, "Statistik"));
    html_f(&r->out, "<h1>%s</h1>\n<p>%s</p>\n", T(r, "Statistik"),
           T(r, "Statistik över hälso- och sjukvårdspersonal. Alla tabeller är skyddade mot "
                "röjande: varje antal har ett litet slumpmässigt brus och 1 och 2 visas aldrig."));
    const struct statscsv_ref *ref = ref_get();
    struct statsvc_values v;
    struct diag d;
    diag_init(&d, 5);
    enum err e = ref ? statsvc_values(ref, stats_dir(r), &v, &d) : ERR_IO;
    diag_release(&d);
    if (e == ERR_NOTFOUND) {
        empty_store(r);
    } else if (e != ERR_OK) {
        html_f(&r->out, "<p class=\"error\">%s</p>\n",
               T(r, "Statistiken kan inte läsas just nu. Försök igen om en stund."));
    } else {
        html_f(&r->out, "<p>%s %d–%d.</p>\n", T(r, "Uppgifterna avser åren"), v.year_min,
               v.year_max);
        if (v.synthetic)
            html_f(&r->out, "<p class=\"notice\"><strong>%s</strong></p>\n",
                   T(r, "SYNTETISKA DATA, inte verkliga personer."));
        html_lit(&r->out, "<ul class=\"tables\">\n");
        for (size_t i = 0; i < NTABLES; i++)
            html_f(&r->out, "<li><a href=\"/statistik/%s\">%s</a> – %s</li>\n", tables[i].id,
                   T(r, tables[i].title), T(r, tables[i].desc));
        html_lit(&r->out, "</ul>\n");
        statsvc_values_release(&v);
    }
    page_end(r);
}

static void fmt_value(const struct web_req *r, char *out, size_t n, double v, int dec)
{
    if (r->lang == LANG_SV) {
        chart_fmt_number(out, n, v, dec);
        return;
    }
    snprintf(out, n, "%.*f", dec, v);
}

static void field_error(struct web_req *r, const struct st_sel *s, const char *field)
{
    if (s->err_field && strcmp(s->err_field, field) == 0)
        html_f(&r->out, "<p class=\"error\" id=\"err-%s\">%s</p>\n", field, s->err_sv);
}

static void fieldset_open(struct web_req *r, const struct st_sel *s, const char *field,
                          const char *legend)
{
    if (s->err_field && strcmp(s->err_field, field) == 0)
        html_f(&r->out, "<fieldset id=\"fs-%s\" aria-describedby=\"err-%s\"><legend>%s</legend>\n",
               field, field, legend);
    else
        html_f(&r->out, "<fieldset id=\"fs-%s\"><legend>%s</legend>\n", field, legend);
    field_error(r, s, field);
}

static void checkbox(struct web_req *r, const char *name, const char *code, const char *label,
                     int checked, const char *type)
{
    char *id = arena_printf(r->arena, "f-%s-%s", name, code);
    for (char *p = id; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            *p = '_';
    html_f(&r->out, "<span class=\"opt\"><input type=\"%s\" id=\"%s\" name=\"%s\" value=\"%s\"",
           type, id ? id : "", name, code);
    if (checked)
        html_lit(&r->out, " checked");
    html_f(&r->out, "><label for=\"%s\">%s</label></span>\n", id ? id : "", label);
}

static void selection_form(struct web_req *r, const struct st_ctx *x)
{
    const struct st_sel *s = &x->s;
    const struct statsvc_values *v = &x->v;
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Urval"));
    html_f(&r->out, "<form method=\"get\" action=\"/statistik/%s\" class=\"stats-form\">\n",
           x->t->id);
    html_f(&r->out, "<p class=\"hint\">%s</p>\n",
           T(r, "En grupp utan ikryssade värden får tabellens standardurval: alla värden, "
                "utom år och yrken där tabellen är avgränsad."));
    if (has_area(x->t)) {
        fieldset_open(r, s, "level", T(r, "Nivå"));
        for (int l = 0; l < 3; l++)
            checkbox(r, "level", level_code[l], T(r, level_label[l]), s->level == l, "radio");
        html_lit(&r->out, "</fieldset>\n");
    }
    fieldset_open(r, s, "measure", T(r, "Mått"));
    for (int m = 0; m < STATS_NMEASURES; m++)
        checkbox(r, "measure", stats_measure_name((enum stats_measure)m), T(r, measure_label[m]),
                 s->measure[m], "checkbox");
    html_lit(&r->out, "</fieldset>\n");
    for (int d = 0; d < STATS_NDIMS; d++) {
        if (!x->t->offer[d])
            continue;
        const char *name = stats_dim_name((enum stats_dim)d);
        fieldset_open(r, s, name, T(r, stats_dim_label((enum stats_dim)d)));
        for (size_t k = 0; k < v->n[d]; k++)
            checkbox(r, name, v->codes[d][k], v->labels[d][k], s->chosen[d] && s->chosen[d][k],
                     "checkbox");
        html_lit(&r->out, "</fieldset>\n");
    }
    html_f(&r->out, "<p><button type=\"submit\">%s</button></p>\n</form>\n", T(r, "Visa tabell"));
}

static void result_table(struct web_req *r, const struct st_ctx *x, const char *query)
{
    const struct cube *c = &x->c;
    size_t nd = c->ndims, nr = x->nrowdims;
    if (nd < 1 || nr >= nd)
        return;
    size_t nrowcells = 1, ncolcells = 1;
    for (size_t i = 0; i < nr; i++)
        nrowcells *= c->dims[i].n;
    for (size_t i = nr; i < nd; i++)
        ncolcells *= c->dims[i].n;
    html_f(&r->out, "<h2 id=\"resultat\">%s</h2>\n", T(r, "Resultat"));
    html_f(&r->out, "<p class=\"downloads\">%s ", T(r, "Ladda ner samma urval:"));
    static const char *const files[][2] = {{"data.csv", "CSV"},
                                           {"data.xlsx", "Excel (XLSX)"},
                                           {"data.px", "PX"},
                                           {"data.json", "JSON-stat"},
                                           {"diagram.svg", "Diagram (SVG)"},
                                           {"diagram.png", "Diagram (PNG)"}};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        html_f(&r->out, "<a href=\"/statistik/%s/%s?%s\" download>%s</a> ", x->t->id, files[i][0],
               query, T(r, files[i][1]));
    html_lit(&r->out, "</p>\n");
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-stat\" tabindex=\"0\">"
           "<table class=\"stats\">\n<caption id=\"cap-stat\">%s</caption>\n<thead><tr>",
           c->title ? c->title : "");
    for (size_t i = 0; i < nr; i++)
        html_f(&r->out, "<th scope=\"col\">%s</th>", T(r, c->dims[i].label));
    size_t idx[32] = {0};
    for (size_t col = 0; col < ncolcells; col++) {
        cube_coords(c, col, idx); /* the last dimensions vary within a row */
        html_lit(&r->out, "<th scope=\"col\" class=\"num\">");
        for (size_t i = nr; i < nd; i++) {
            const struct cube_dim *dm = &c->dims[i];
            const char *lab = dm->val_labels[idx[i]];
            if (i + 1 == nd)
                lab = T(r, lab);
            html_f(&r->out, "%s%s", i > nr ? " – " : "", lab);
        }
        html_lit(&r->out, "</th>");
    }
    html_lit(&r->out, "</tr></thead>\n<tbody>\n");
    char num[64];
    for (size_t row = 0; row < nrowcells; row++) {
        size_t base = row * ncolcells;
        cube_coords(c, base, idx);
        html_lit(&r->out, "<tr>");
        for (size_t i = 0; i < nr; i++)
            html_f(&r->out, "<th scope=\"row\">%s</th>", c->dims[i].val_labels[idx[i]]);
        for (size_t col = 0; col < ncolcells; col++) {
            size_t cell = base + col;
            const struct cube_dim *m = &c->dims[nd - 1];
            size_t mk = col % m->n;
            if (c->status[cell] == CUBE_OK) {
                fmt_value(r, num, sizeof(num), c->value[cell],
                          m->val_decimals ? m->val_decimals[mk] : c->decimals);
                html_f(&r->out, "<td class=\"num\">%s</td>", num);
            } else if (c->status[cell] == CUBE_SUPPRESSED) {
                html_lit(&r->out, "<td class=\"num sup\">x</td>");
            } else {
                html_f(&r->out, "<td class=\"num\">%s</td>",
                       cube_status_symbol((enum cube_status)c->status[cell]));
            }
        }
        html_lit(&r->out, "</tr>\n");
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    html_f(&r->out, "<dl class=\"facts legend\">\n<dt>%s</dt><dd>%s</dd>\n",
           T(r, "Teckenförklaring"),
           T(r, ".. = uppgift saknas; . = ej tillämpligt. Alla antal har slumpmässigt brus mot "
                "röjande (se fotnoten)."));
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Enhet"),
           T(r, "Antal personer, årsarbetare (heltidsekvivalenter) eller per 100 000 invånare"));
    if (c->note)
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Fotnot"), c->note);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n</dl>\n", T(r, "Källa"), c->source ? c->source : "");
}

void page_stats_table(struct web_req *r)
{
    const struct st_table *t = find_table(r->segs[0]);
    if (!t) {
        web_error_page(r, 404, "Tabellen finns inte.");
        return;
    }
    struct st_ctx x;
    x.t = t;
    enum st_result res = st_prepare(r, &x, 1, 0);
    if (res == ST_FAIL) {
        ctx_release(&x);
        web_error_page(r, 500, "Statistiken kan inte läsas just nu. Försök igen om en stund.");
        return;
    }
    r->status = res == ST_BAD ? 400 : 200;
    page_begin(r, T(r, t->title));
    html_f(&r->out, "<h1>%s</h1>\n<p>%s</p>\n", T(r, t->title), T(r, t->desc));
    html_f(&r->out, "<p><a href=\"/statistik\">%s</a></p>\n", T(r, "Alla statistiktabeller"));
    if (res == ST_EMPTY) {
        empty_store(r);
        page_end(r);
        ctx_release(&x);
        return;
    }
    if (x.v.synthetic)
        html_f(&r->out, "<p class=\"notice\"><strong>%s</strong></p>\n",
               T(r, "SYNTETISKA DATA, inte verkliga personer."));
    if (res == ST_BAD) {
        if (x.s.err_field && x.s.err_field[0])
            html_f(&r->out, "<p class=\"error\" role=\"alert\">%s <a href=\"#fs-%s\">%s</a></p>\n",
                   T(r, "Urvalet har ett fel:"), x.s.err_field, x.s.err_sv);
        else
            html_f(&r->out, "<p class=\"error\" role=\"alert\">%s</p>\n", x.s.err_sv);
    }
    selection_form(r, &x);
    if (res == ST_OK)
        result_table(r, &x, sel_query(r, &x.v, &x.s));
    page_end(r);
    ctx_release(&x);
}

/* ---- downloads ---- */

static enum err render_file(const struct cube *c, int chart_kind, enum chart_format fmt, int xlsx,
                            struct buf *out)
{
    char tmpl[] = "/tmp/bidrag-stat-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return ERR_IO;
    close(fd);
    enum err e;
    if (xlsx) {
        e = xlsx_write_cube(c, tmpl);
    } else {
        struct chart_opts o;
        memset(&o, 0, sizeof(o));
        o.kind = (enum chart_kind)chart_kind;
        o.format = fmt;
        e = chart_render_cube(c, &o, tmpl);
    }
    if (e == ERR_OK) {
        buf_reset(out);
        e = buf_read_file(out, tmpl);
    }
    unlink(tmpl);
    return e;
}

/* Lines when the chart has several years, else bars. */
static int chart_kind_of(const struct cube *c)
{
    for (size_t i = 0; i < c->ndims; i++)
        if (c->dims[i].is_time && c->dims[i].n > 1)
            return CHART_LINES;
    return CHART_BARS;
}

void page_stats_file(struct web_req *r)
{
    const struct st_table *t = find_table(r->segs[0]);
    const char *f = r->segs[1];
    static const char *const names[] = {"data.csv",  "data.xlsx",   "data.px",
                                        "data.json", "diagram.svg", "diagram.png"};
    int which = -1;
    for (int i = 0; i < 6; i++)
        if (strcmp(f, names[i]) == 0)
            which = i;
    if (!t || which < 0) {
        web_error_page(r, 404, "Tabellen finns inte.");
        return;
    }
    int chart = which >= 4;
    struct st_ctx x;
    x.t = t;
    enum st_result res = st_prepare(r, &x, 1, chart);
    if (res == ST_EMPTY) {
        ctx_release(&x);
        web_error_page(r, 404, "Det finns ingen statistik inläst ännu.");
        return;
    }
    if (res == ST_BAD) {
        buf_reset(&r->out.b);
        r->status = 400;
        page_begin(r, T(r, "Felaktigt urval"));
        html_f(&r->out, "<h1>%s</h1>\n<p class=\"error\">%s</p>\n", T(r, "Felaktigt urval"),
               x.s.err_sv);
        html_f(&r->out, "<p><a href=\"/statistik/%s\">%s</a></p>\n", t->id,
               T(r, "Tillbaka till tabellen"));
        page_end(r);
        ctx_release(&x);
        return;
    }
    enum err e = res == ST_OK ? ERR_OK : ERR_IO;
    buf_reset(&r->data);
    static const char *const ctypes[] = {
        "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-pcaxis; charset=utf-8",
        "application/json; charset=utf-8",
        "image/svg+xml",
        "image/png"};
    if (e == ERR_OK) {
        switch (which) {
        case 0:
            e = cubecsv_write(&x.c, &r->data);
            break;
        case 1:
            e = render_file(&x.c, 0, CHART_SVG, 1, &r->data);
            break;
        case 2:
            e = px_write_cube(&x.c, &r->data);
            break;
        case 3:
            e = jsonstat_write_cube(&x.c, &r->data);
            break;
        default:
            e = render_file(&x.c, chart_kind_of(&x.c), which == 4 ? CHART_SVG : CHART_PNG, 0,
                            &r->data);
        }
    }
    if (e == ERR_INVALID && chart) {
        ctx_release(&x);
        web_error_page(r, 400,
                       "Diagrammet kan visa en grupp med flera värden (och åren som linjer). "
                       "Välj ett värde i de andra grupperna.");
        return;
    }
    if (e != ERR_OK) {
        ctx_release(&x);
        web_error_page(r, 500, "Filen kunde inte skapas. Försök igen om en stund.");
        return;
    }
    r->status = 200;
    r->ctype = ctypes[which];
    r->has_data = 1;
    char *cd = arena_printf(r->arena, "attachment; filename=\"statistik-%s-%s\"", t->id, f);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
    ctx_release(&x);
}

/* ---- JSON API ---- */

void api_stats(struct web_req *r)
{
    const struct statscsv_ref *ref = ref_get();
    struct statsvc_values v;
    struct diag d;
    diag_init(&d, 5);
    enum err e = ref ? statsvc_values(ref, stats_dir(r), &v, &d) : ERR_IO;
    diag_release(&d);
    if (e != ERR_OK && e != ERR_NOTFOUND) {
        web_api_error(r, 500, "stats", "the statistics cannot be read");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < NTABLES; i++) {
        json_t *dims = json_array();
        for (int k = 0; k < STATS_NDIMS; k++)
            if (tables[i].offer[k])
                json_array_append_new(dims, json_string(stats_dim_name((enum stats_dim)k)));
        const char *href = arena_printf(r->arena, "/api/v1/stats/%s", tables[i].id);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", tables[i].id,
                                             "title", tables[i].title, "href", href ? href : "",
                                             "filters", dims, "levels", has_area(&tables[i])));
    }
    json_t *root = json_pack("{s:o, s:b}", "tables", arr, "available", e == ERR_OK);
    if (e == ERR_OK) {
        json_object_set_new(root, "year_min", json_integer(v.year_min));
        json_object_set_new(root, "year_max", json_integer(v.year_max));
        json_object_set_new(root, "synthetic", json_boolean(v.synthetic));
        statsvc_values_release(&v);
    }
    web_json(r, 200, root);
}

void api_stats_table(struct web_req *r)
{
    const struct st_table *t = find_table(r->segs[0]);
    if (!t) {
        web_api_error(r, 404, "not_found", "no such table");
        return;
    }
    struct st_ctx x;
    x.t = t;
    enum st_result res = st_prepare(r, &x, 1, 0);
    if (res == ST_EMPTY)
        web_api_error(r, 404, "no_statistics",
                      "no statistics imported yet (bidrag stats import FILE.csv)");
    else if (res == ST_BAD)
        web_api_error(r, 400, "bad_request", x.s.err_en);
    else if (res == ST_FAIL)
        web_api_error(r, 500, "stats", "the statistics cannot be read");
    if (res != ST_OK) {
        ctx_release(&x);
        return;
    }
    buf_reset(&r->data);
    if (jsonstat_write_cube(&x.c, &r->data) != ERR_OK) {
        ctx_release(&x);
        web_api_error(r, 500, "stats", "the table cannot be written");
        return;
    }
    r->status = 200;
    r->ctype = "application/json; charset=utf-8";
    r->has_data = 1;
    ctx_release(&x);
}
