/* pages_stats.c - the published workforce statistics: a table builder in
 * the manner of PxWeb (/statistik/bygg: any variables, the values of
 * each, which go down and which across), ready-made tables that are
 * presets of it (/statistik/{table}), saved queries with a stable URL
 * (/statistik/q/{id}), the downloads of a selection (CSV, CSV for Swedish
 * Excel, XLSX, PX, JSON-stat, charts where one can be drawn), and the
 * same over the API (/api/v1/stats: the tables, each table's metadata,
 * its data as JSON-stat 2.0, CSV, PX or XLSX).
 *
 * Every logged-in role may use these: the tables are aggregates protected
 * by the cell key method (service/statsvc.h), so they are not personal
 * data. Nothing here can ask for microdata or switch the protection off,
 * and a dimension outside the table takes one value or all (a sum over
 * chosen values is never published). The numbers and the rules are in
 * service/statsvc.h; this file reads the query, checks it against the
 * stored values with Swedish messages, and renders the cube. */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/chart.h"
#include "io/cubecsv.h"
#include "io/jsonstat.h"
#include "io/px.h"
#include "io/xlsx.h"
#include "service/statistics.h"
#include "util/str.h"
#include "util/datadir.h"
#include "web/web.h"

#define ST_MAX_CELLS 20000 /* cells (measures included) a request may produce */
#define ST_MAX_ARGS 1024   /* query parameters */
#define ST_MAX_VALUES 512  /* values of one dimension in a query */
#define ST_BUILDER "bygg"

/* The dimensions of the builder, in the order of the form. */
static const int form_dims[] = {STATS_YEAR,    STATS_REGION,     STATS_KOMMUN,
                                STATS_LICENCE, STATS_OCCUPATION, STATS_SPECIALTY,
                                STATS_SECTOR,  STATS_SEX,        STATS_AGEBAND};
#define NFORM_DIMS (sizeof(form_dims) / sizeof(form_dims[0]))

/* A ready-made table: a query of the builder. */
struct st_table {
    const char *id;
    const char *title; /* Swedish, through T() */
    const char *desc;
    const char *query;
};

static const struct st_table tables[] = {
    {ST_BUILDER, "Bygg en egen tabell",
     "Välj variabler och värden, och vilka som står i rader och kolumner.",
     "rows=region&cols=sex&year=top(1)&measure=headcount"},
    {"yrke-region-kon", "Personal efter yrke, region och kön",
     "Antal personer per yrkesgrupp, län och kön det senaste året.",
     "rows=occupation,region&cols=sex&year=top(1)&measure=headcount"},
    {"legitimerade-region", "Legitimerad personal efter region och år",
     "Antal legitimerade per län och år.", "rows=region&cols=year&licence=leg&measure=headcount"},
    {"legitimerade-yrke-sektor-kon", "Legitimerad personal efter yrke, sektor och kön",
     "Antal legitimerade per legitimationsyrke, sektor och kön.",
     "rows=licence,sector&cols=sex&year=top(1)&licence=members(leg),leg&measure=headcount"},
    {"primarvard-region", "Primärvårdens yrkesgrupper efter region",
     "De icke legitimerade yrkesgrupperna i bilaga 2 i primärvården per län.",
     "rows=region&cols=occupation&year=top(1)&occupation=members(pv),pv&caretype=primarvard&"
     "measure=headcount"},
    {"lakare-allmanmedicin", "Läkare i allmänmedicin efter region",
     "Specialister och ST-läkare i allmänmedicin i primärvården per län, för riktvärdena.",
     "rows=region&cols=position&year=top(1)&occupation=lakare&position=specialist,st&"
     "specialty=allmänmedicin&caretype=primarvard&measure=headcount,fte,per100k"},
    {"alder-yrke", "Åldersstruktur per yrke", "Antal per yrkesgrupp och åldersgrupp.",
     "rows=occupation&cols=ageband&year=top(1)&measure=headcount"},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static const char *const measure_label[STATS_NMEASURES] = {"Antal personer", "Årsarbetare",
                                                           "Per 100 000 invånare"};

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
    const char *base = data_dir(NULL);
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
    char folder[1024];
    if (store_url_folder(r->cfg->db_path, folder, sizeof(folder)) != ERR_OK || !folder[0])
        return "stats";
    return arena_printf(r->arena, "%s/stats", folder);
}

/* ---- the query ---- */

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

/* A selection: the dimensions down and across, the measures, and the
 * values asked for of every dimension (codes, "*", "top(N)", "members(G)"),
 * in the order given. */
struct st_sel {
    int nrows, ncols;
    int rows[STATS_NDIMS], cols[STATS_NDIMS];
    int measure[STATS_NMEASURES];
    const char **vals[STATS_NDIMS];
    size_t nvals[STATS_NDIMS];
    int top; /* "senaste N år" in the form, 0 if not given */
    size_t cells;
    /* the first problem, tied to a form field */
    const char *err_field;
    char err_sv[400];
    char err_en[400];
};

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
        snprintf(s->err_sv, sizeof(s->err_sv), "%s %s", T(r, sv), value);
        snprintf(s->err_en, sizeof(s->err_en), "%s %s", en, value);
    } else {
        snprintf(s->err_sv, sizeof(s->err_sv), "%s", T(r, sv));
        snprintf(s->err_en, sizeof(s->err_en), "%s", en);
    }
    return -1;
}

static int in_table(const struct st_sel *s, int d)
{
    for (int i = 0; i < s->nrows; i++)
        if (s->rows[i] == d)
            return 1;
    for (int i = 0; i < s->ncols; i++)
        if (s->cols[i] == d)
            return 1;
    return 0;
}

static int place_dim(struct web_req *r, struct st_sel *s, int d, int down)
{
    if (in_table(s, d))
        return set_err(r, s, stats_dim_name((enum stats_dim)d),
                       "Variabeln står redan i tabellen:", stats_dim_name((enum stats_dim)d),
                       "the dimension is in the table twice:");
    if (down)
        s->rows[s->nrows++] = d;
    else
        s->cols[s->ncols++] = d;
    return 0;
}

/* Is code a value the query may name for dimension d? */
static int value_known(const struct statsvc_values *v, int d, const char *code)
{
    if (strcmp(code, "*") == 0)
        return 1;
    if (d == STATS_YEAR) {
        unsigned long top;
        char tail;
        int used = 0;
        if (sscanf(code, "top(%lu%c%n", &top, &tail, &used) == 2 && tail == ')' &&
            code[used] == '\0' && top >= 1 && top <= 200)
            return 1;
    } else if (strcmp(code, stats_total_code((enum stats_dim)d)) == 0) {
        return 1;
    }
    size_t n = v->n[d] + v->ngroups[d];
    for (size_t k = 0; k < n; k++)
        if (strcmp(v->codes[d][k], code) == 0)
            return 1;
    size_t cl = strlen(code);
    if (cl > 9 && strncmp(code, "members(", 8) == 0 && code[cl - 1] == ')')
        for (size_t k = v->n[d]; k < n; k++)
            if (strlen(v->codes[d][k]) == cl - 9 && strncmp(v->codes[d][k], code + 8, cl - 9) == 0)
                return 1;
    return 0;
}

static int add_value(struct web_req *r, struct st_sel *s, const struct statsvc_values *v, int d,
                     const char *code)
{
    const char *dn = stats_dim_name((enum stats_dim)d);
    if (!code[0])
        return 0;
    if (strchr(code, ',') || !value_known(v, d, code))
        return set_err(r, s, dn, "Okänt värde", code, "unknown value");
    for (size_t i = 0; i < s->nvals[d]; i++)
        if (strcmp(s->vals[d][i], code) == 0)
            return 0;
    if (!s->vals[d]) {
        s->vals[d] = arena_alloc(r->arena, ST_MAX_VALUES * sizeof(char *));
        if (!s->vals[d])
            return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    }
    if (s->nvals[d] >= ST_MAX_VALUES)
        return set_err(r, s, dn, "För många värden", code, "too many values");
    s->vals[d][s->nvals[d]++] = code;
    return 0;
}

/* Split a comma list of value in the arena and apply fn to each piece. */
static int each_item(struct web_req *r, const char *value, char **items, size_t max, size_t *n)
{
    char *copy = arena_strdup(r->arena, value);
    *n = 0;
    if (!copy)
        return -1;
    for (char *p = copy; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*n == max)
            return -1;
        items[(*n)++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Read one parameter of the query into the selection. */
static int sel_arg(struct web_req *r, const struct statsvc_values *v, struct st_sel *s,
                   const char *k, const char *val, int api)
{
    char *items[ST_MAX_VALUES];
    size_t n = 0;
    if (strcmp(k, "lang") == 0 || (api && strcmp(k, "format") == 0))
        return 0;
    if (each_item(r, val, items, ST_MAX_VALUES, &n) != 0)
        return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    if (strcmp(k, "rows") == 0 || strcmp(k, "cols") == 0) {
        for (size_t i = 0; i < n; i++) {
            int d = items[i][0] ? stats_dim_parse(items[i]) : -1;
            if (!items[i][0])
                continue;
            if (d < 0)
                return set_err(r, s, "", "Okänd variabel", items[i], "unknown dimension");
            if (place_dim(r, s, d, k[0] == 'r') != 0)
                return -1;
        }
        return 0;
    }
    if (strncmp(k, "place-", 6) == 0) {
        int d = stats_dim_parse(k + 6);
        if (d < 0)
            return set_err(r, s, "", "Okänd parameter", k, "unknown parameter");
        if (!val[0])
            return 0;
        if (strcmp(val, "rows") != 0 && strcmp(val, "cols") != 0)
            return set_err(r, s, k + 6, "Okänd placering", val, "unknown placement");
        return place_dim(r, s, d, val[0] == 'r');
    }
    if (strcmp(k, "measure") == 0) {
        for (size_t i = 0; i < n; i++) {
            int m = stats_measure_parse(items[i]);
            if (m < 0)
                return set_err(r, s, "measure", "Okänt mått", items[i], "unknown measure");
            s->measure[m] = 1;
        }
        return 0;
    }
    if (strcmp(k, "senaste") == 0) {
        if (!val[0])
            return 0;
        int64_t t;
        if (str_parse_i64(val, &t) != ERR_OK || t < 1 || t > 200)
            return set_err(r, s, "year", "Antal år ska vara ett heltal 1-200:", val,
                           "the number of years must be 1-200:");
        s->top = (int)t;
        const char *code = arena_printf(r->arena, "top(%d)", s->top);
        return code ? add_value(r, s, v, STATS_YEAR, code) : -1;
    }
    int d = stats_dim_parse(k);
    if (d < 0)
        return set_err(r, s, "", "Okänd parameter", k, "unknown parameter");
    for (size_t i = 0; i < n; i++)
        if (add_value(r, s, v, d, items[i]) != 0)
            return -1;
    return 0;
}

/* Does the query say anything (or is it a first visit, for the preset)? */
static int args_given(const struct st_args *as)
{
    for (size_t i = 0; i < as->n; i++)
        if (strcmp(as->a[i].key, "lang") != 0 && strcmp(as->a[i].key, "format") != 0)
            return 1;
    return 0;
}

/* Read a query string (a preset's or a saved one) into as. */
static int args_from_string(struct web_req *r, const char *q, struct st_args *as)
{
    struct form f;
    if (form_parse(r->arena, q, strlen(q), &f) != ERR_OK)
        return -1;
    for (size_t i = 0; i < f.n && as->n < ST_MAX_ARGS; i++) {
        as->a[as->n].key = f.f[i].name;
        as->a[as->n].value = f.f[i].value;
        as->n++;
    }
    return 0;
}

static int sel_check(struct web_req *r, struct st_sel *s);

/* Read the selection from the request's query, or from query (a preset or
 * a saved query) when the request has none. Then the rules a table must
 * keep, with a Swedish message next to the field. Returns 0 or -1. */
static int sel_parse(struct web_req *r, const struct statsvc_values *v, struct st_sel *s,
                     const char *query, int api)
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
    if (!args_given(as) && query) {
        as->n = 0;
        if (args_from_string(r, query, as) != 0)
            return set_err(r, s, "", "Den sparade frågan kan inte läsas.", NULL,
                           "the saved query cannot be read");
    }
    for (size_t i = 0; i < as->n; i++)
        if (sel_arg(r, v, s, as->a[i].key, as->a[i].value, api) != 0)
            return -1;
    return sel_check(r, s);
}

/* The rules of a selection: measures (headcount by default), something in
 * the table, one value or all outside it. Returns 0 or -1. */
static int sel_check(struct web_req *r, struct st_sel *s)
{
    if (!s->measure[0] && !s->measure[1] && !s->measure[2])
        s->measure[STATS_HEADCOUNT] = 1;
    if (s->nrows + s->ncols == 0)
        return set_err(r, s, "", "Välj minst en variabel för rader eller kolumner.", NULL,
                       "put at least one dimension in the rows or the columns");
    for (size_t i = 0; i < NFORM_DIMS; i++) {
        int d = form_dims[i];
        size_t n = s->nvals[d];
        int star = 0;
        for (size_t k = 0; k < n; k++)
            star |= strcmp(s->vals[d][k], "*") == 0;
        if (!in_table(s, d) && n > 1 && !star)
            return set_err(r, s, stats_dim_name((enum stats_dim)d),
                           "Välj ett värde, eller inget för alla, i en variabel som inte står i "
                           "tabellen, eller lägg den i rader eller kolumner:",
                           T(r, stats_dim_label((enum stats_dim)d)),
                           "a dimension outside the table takes one value or all (a sum over "
                           "chosen values is not published); put it in the rows or columns for "
                           "several:");
    }
    return 0;
}

/* Percent-encode s for a URL. */
static void put_enc(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '*' || *p == '(' || *p == ')') {
            buf_putc(b, (char)*p);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        }
    }
}

/* The canonical query of a selection: rows, cols, measures, then every
 * dimension's values, comma-separated ("rows=region&cols=sex&measure=
 * headcount&year=top(1)"). The same selection gives the same string: the
 * stable URL, and what a saved query keeps. */
static const char *sel_query(struct web_req *r, const struct st_sel *s)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? s->ncols : s->nrows;
        const int *dims = pass ? s->cols : s->rows;
        if (n == 0)
            continue;
        buf_printf(&b, "%s%s=", b.len ? "&" : "", pass ? "cols" : "rows");
        for (int i = 0; i < n; i++)
            buf_printf(&b, "%s%s", i ? "," : "", stats_dim_name((enum stats_dim)dims[i]));
    }
    buf_puts(&b, "&measure=");
    for (int m = 0, k = 0; m < STATS_NMEASURES; m++)
        if (s->measure[m])
            buf_printf(&b, "%s%s", k++ ? "," : "", stats_measure_name((enum stats_measure)m));
    for (size_t i = 0; i < NFORM_DIMS; i++) {
        int d = form_dims[i];
        if (s->nvals[d] == 0)
            continue;
        buf_printf(&b, "&%s=", stats_dim_name((enum stats_dim)d));
        for (size_t k = 0; k < s->nvals[d]; k++) {
            if (k)
                buf_putc(&b, ',');
            put_enc(&b, s->vals[d][k]);
        }
    }
    const char *q = b.failed ? "" : arena_strdup(r->arena, b.p ? b.p : "");
    buf_release(&b);
    return q ? q : "";
}

/* The service request for a selection (strings in the arena). */
static int sel_request(struct web_req *r, struct st_sel *s, int chart,
                       struct statsvc_table_req *req)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    memset(req, 0, sizeof(*req));
    for (int i = 0; i < s->nrows; i++)
        buf_printf(&b, "%s%s", i ? "," : "", stats_dim_name((enum stats_dim)s->rows[i]));
    req->rows = s->nrows ? arena_strdup(r->arena, b.p) : NULL;
    buf_reset(&b);
    for (int i = 0; i < s->ncols; i++)
        buf_printf(&b, "%s%s", i ? "," : "", stats_dim_name((enum stats_dim)s->cols[i]));
    req->cols = s->ncols ? arena_strdup(r->arena, b.p) : NULL;
    buf_reset(&b);
    for (size_t i = 0; i < NFORM_DIMS; i++) {
        int d = form_dims[i];
        for (size_t k = 0; k < s->nvals[d]; k++)
            buf_printf(&b, "%s%s=%s", b.len ? "," : "", stats_dim_name((enum stats_dim)d),
                       s->vals[d][k]);
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
    req->measures = arena_strdup(r->arena, b.p ? b.p : "headcount");
    int failed = b.failed;
    buf_release(&b);
    if (failed || !req->measures)
        return set_err(r, s, "", "Frågan är för stor.", NULL, "the query is too large");
    req->dir = stats_dir(r);
    req->protect = 1; /* always: no unprotected table over the web */
    req->nthreads = 1;
    req->max_cells = ST_MAX_CELLS;
    return 0;
}

/* ---- building the table ---- */

enum st_result { ST_OK = 0, ST_EMPTY, ST_BAD, ST_FAIL };

struct st_ctx {
    const struct st_table *t;
    const char *saved_id;   /* a saved query's id, or NULL */
    const char *saved_name; /* its name */
    struct statsvc_values v;
    struct st_sel s;
    struct cube c;
    const char *query; /* canonical */
    int have_values, have_cube;
};

static void ctx_release(struct st_ctx *x)
{
    if (x->have_cube)
        cube_release(&x->c);
    if (x->have_values)
        statsvc_values_release(&x->v);
}

/* Load the dimension values, read the query (or the preset, or the saved
 * query) and, with build, make the cube; chart: without totals, one
 * measure. */
static enum st_result st_prepare(struct web_req *r, struct st_ctx *x, const char *query, int build,
                                 int chart, int api)
{
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
    if (sel_parse(r, &x->v, &x->s, query, api) != 0)
        return ST_BAD;
    x->query = sel_query(r, &x->s);
    struct statsvc_table_req req;
    if (sel_request(r, &x->s, chart, &req) != 0)
        return ST_BAD;
    req.no_totals = chart;
    req.plan_only = !build;
    req.lang = api ? LANG_SV : r->lang; /* the API's labels stay the published Swedish */
    struct statsvc_table_res res;
    diag_init(&d, 5);
    struct svc_actor who;
    struct svc_result sr;
    web_actor(r, &who);
    e = statistics_table(r->store, &who, r->now, ref, &req, &x->c, &res, &d, &sr);
    x->s.cells = res.cells;
    if (e != ERR_OK) {
        if (res.too_large) {
            char lim[160];
            snprintf(lim, sizeof(lim), "%zu (%s %d).", res.cells, T(r, "högst"), ST_MAX_CELLS);
            set_err(r, &x->s, "", "Tabellen blir för stor. Välj färre värden. Antal celler:", lim,
                    "the table would be too large; choose fewer values. Cells:");
        } else if (res.usage_error) {
            set_err(r, &x->s, "",
                    "Tabellen kan inte tas fram för det urvalet:", d.n ? d.msg[0] : "",
                    "the table cannot be made for this selection:");
        }
        diag_release(&d);
        return res.usage_error ? ST_BAD : ST_FAIL;
    }
    diag_release(&d);
    if (!build)
        return ST_OK;
    x->have_cube = 1;
    cube_set_str(&x->c.matrix, x->t ? x->t->id : ST_BUILDER);
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

static int sel_has(const struct st_sel *s, int d, const char *code)
{
    for (size_t k = 0; k < s->nvals[d]; k++)
        if (strcmp(s->vals[d][k], code) == 0)
            return 1;
    return 0;
}

static void fieldset_open(struct web_req *r, const struct st_sel *s, const char *field,
                          const char *legend)
{
    int err = s->err_field && strcmp(s->err_field, field) == 0;
    if (err)
        html_f(&r->out, "<fieldset id=\"fs-%s\" aria-describedby=\"err-%s\"><legend>%s</legend>\n",
               field, field, legend);
    else
        html_f(&r->out, "<fieldset id=\"fs-%s\"><legend>%s</legend>\n", field, legend);
    if (err)
        html_f(&r->out, "<p class=\"error\" id=\"err-%s\">%s</p>\n", field, s->err_sv);
}

static void checkbox(struct web_req *r, const char *name, const char *code, const char *label,
                     int checked)
{
    char *id = arena_printf(r->arena, "f-%s-%s", name, code);
    for (char *p = id; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            *p = '_';
    html_f(&r->out,
           "<span class=\"opt\"><input type=\"checkbox\" id=\"%s\" name=\"%s\" value=\"%s\"",
           id ? id : "", name, code);
    if (checked)
        html_lit(&r->out, " checked");
    html_f(&r->out, "><label for=\"%s\">%s</label></span>\n", id ? id : "", label);
}

static void selection_form(struct web_req *r, const struct st_ctx *x, const char *action)
{
    const struct st_sel *s = &x->s;
    const struct statsvc_values *v = &x->v;
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Urval"));
    html_f(&r->out, "<form method=\"get\" action=\"%s\" class=\"stats-form\">\n", action);
    html_f(&r->out, "<p class=\"hint\">%s %d %s</p>\n",
           T(r,
             "Välj för varje variabel om den står i rader eller kolumner, och vilka värden som "
             "visas; inget ikryssat betyder alla värden och totalen. En variabel som inte står i "
             "tabellen får ett värde eller alla. Tabellen får ha högst"),
           ST_MAX_CELLS, T(r, "celler, mått inräknade."));
    fieldset_open(r, s, "measure", T(r, "Mått"));
    for (int m = 0; m < STATS_NMEASURES; m++)
        checkbox(r, "measure", stats_measure_name((enum stats_measure)m), T(r, measure_label[m]),
                 s->measure[m]);
    html_lit(&r->out, "</fieldset>\n");
    for (size_t i = 0; i < NFORM_DIMS; i++) {
        int d = form_dims[i];
        const char *name = stats_dim_name((enum stats_dim)d);
        const char *lab = T(r, stats_dim_label((enum stats_dim)d));
        fieldset_open(r, s, name, lab);
        int down = 0, across = 0;
        for (int k = 0; k < s->nrows; k++)
            down |= s->rows[k] == d;
        for (int k = 0; k < s->ncols; k++)
            across |= s->cols[k] == d;
        html_f(&r->out,
               "<p><label for=\"place-%s\">%s</label> <select id=\"place-%s\" name=\"place-%s\">"
               "<option value=\"\"%s>%s</option><option value=\"rows\"%s>%s</option>"
               "<option value=\"cols\"%s>%s</option></select></p>\n",
               name, T(r, "Placering"), name, name, !down && !across ? " selected" : "",
               T(r, "Inte i tabellen"), down ? " selected" : "", T(r, "Rader"),
               across ? " selected" : "", T(r, "Kolumner"));
        if (d == STATS_YEAR)
            html_f(&r->out,
                   "<p><label for=\"senaste\">%s</label> <input type=\"number\" id=\"senaste\" "
                   "name=\"senaste\" min=\"1\" max=\"200\" value=\"%s\"></p>\n",
                   T(r, "De senaste åren (antal)"),
                   s->top ? arena_printf(r->arena, "%d", s->top) : "");
        checkbox(r, name, "*", T(r, "Alla värden"), sel_has(s, d, "*"));
        size_t n = v->n[d] + v->ngroups[d];
        for (size_t k = 0; k < n; k++)
            checkbox(r, name, v->codes[d][k],
                     statsvc_label(ref_get(), r->lang, (enum stats_dim)d, v->codes[d][k],
                                   v->labels[d][k]),
                     sel_has(s, d, v->codes[d][k]));
        if (d != STATS_YEAR)
            checkbox(r, name, stats_total_code((enum stats_dim)d),
                     T(r, stats_total_label((enum stats_dim)d)),
                     sel_has(s, d, stats_total_code((enum stats_dim)d)));
        html_lit(&r->out, "</fieldset>\n");
    }
    html_f(&r->out, "<p><button type=\"submit\">%s</button></p>\n</form>\n", T(r, "Visa tabell"));
}

/* Can a chart be drawn from the table: a copy without totals, the first
 * measure (what the chart download makes)? */
static int chart_ok(const struct cube *c, enum chart_kind *kind)
{
    struct cube v;
    if (cube_chart_view(c, &v) != ERR_OK)
        return 0;
    *kind = CHART_BARS;
    for (size_t i = 0; i < v.ndims; i++)
        if (v.dims[i].is_time && v.dims[i].n > 1)
            *kind = CHART_LINES;
    int ok = chart_check(&v, *kind) == ERR_OK;
    cube_release(&v);
    return ok;
}

static void result_table(struct web_req *r, const struct st_ctx *x, const char *base)
{
    const struct cube *c = &x->c;
    size_t nd = c->ndims, nr = (size_t)x->s.nrows;
    if (nd < 1 || nr >= nd)
        return;
    size_t nrowcells = 1, ncolcells = 1;
    for (size_t i = 0; i < nr; i++)
        nrowcells *= c->dims[i].n;
    for (size_t i = nr; i < nd; i++)
        ncolcells *= c->dims[i].n;
    html_f(&r->out, "<h2 id=\"resultat\">%s</h2>\n", T(r, "Resultat"));
    html_f(&r->out, "<p>%s %zu %s</p>\n", T(r, "Tabellen har"), c->ncells, T(r, "celler."));
    html_f(&r->out, "<p class=\"downloads\">%s ", T(r, "Ladda ner samma urval:"));
    static const char *const files[][2] = {{"data.csv", "CSV"},
                                           {"data-excel.csv", "CSV för svenskt Excel"},
                                           {"data.xlsx", "Excel (XLSX)"},
                                           {"data.px", "PX"},
                                           {"data.json", "JSON-stat"}};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        html_f(&r->out, "<a href=\"%s/%s?%s\" download>%s</a> ", base, files[i][0], x->query,
               T(r, files[i][1]));
    enum chart_kind kind;
    if (chart_ok(c, &kind))
        html_f(&r->out,
               "<a href=\"%s/diagram.svg?%s\" download>%s</a> "
               "<a href=\"%s/diagram.png?%s\" download>%s</a>",
               base, x->query, T(r, "Diagram (SVG)"), base, x->query, T(r, "Diagram (PNG)"));
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
        size_t base_cell = row * ncolcells;
        cube_coords(c, base_cell, idx);
        html_lit(&r->out, "<tr>");
        for (size_t i = 0; i < nr; i++)
            html_f(&r->out, "<th scope=\"row\">%s</th>", c->dims[i].val_labels[idx[i]]);
        for (size_t col = 0; col < ncolcells; col++) {
            size_t cell = base_cell + col;
            const struct cube_dim *m = &c->dims[nd - 1];
            size_t mk = col % m->n;
            if (c->status[cell] == CUBE_OK) {
                fmt_value(r, num, sizeof(num), c->value[cell],
                          m->val_decimals ? m->val_decimals[mk] : c->decimals);
                html_f(&r->out, "<td class=\"num\">%s</td>", num);
            } else {
                html_f(&r->out, "<td class=\"num\">%s</td>",
                       cube_status_symbol((enum cube_status)c->status[cell]));
            }
        }
        html_lit(&r->out, "</tr>\n");
    }
    html_lit(&r->out, "</tbody></table></div>\n");
    html_f(&r->out, "<dl class=\"facts legend\">\n<dt>%s</dt><dd>%s</dd>\n",
           T(r, "Teckenförklaring"), T(r, cube_legend(c)));
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Enhet"),
           T(r, "Antal personer, årsarbetare (heltidsekvivalenter) eller per 100 000 invånare"));
    if (c->note)
        html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n", T(r, "Fotnot"), c->note);
    html_f(&r->out, "<dt>%s</dt><dd>%s</dd>\n</dl>\n", T(r, "Källa"), c->source ? c->source : "");
}

/* The stable URLs of a selection: the query itself, and a saved query. */
static void save_form(struct web_req *r, const struct st_ctx *x)
{
    html_f(&r->out, "<h2>%s</h2>\n", T(r, "Länk och sparad fråga"));
    html_f(&r->out, "<p>%s <a href=\"/statistik/%s?%s\">/statistik/%s?%s</a></p>\n",
           T(r, "Länk till exakt det här urvalet:"), ST_BUILDER, x->query, ST_BUILDER, x->query);
    if (x->saved_id) {
        html_f(&r->out, "<p>%s <a href=\"/statistik/q/%s\">/statistik/q/%s</a>%s%s</p>\n",
               T(r, "Sparad fråga:"), x->saved_id, x->saved_id,
               x->saved_name && x->saved_name[0] ? " – " : "", x->saved_name ? x->saved_name : "");
        return;
    }
    html_lit(&r->out, "<form method=\"post\" action=\"/statistik/spara\" class=\"save-form\">\n");
    page_csrf(r);
    html_f(&r->out,
           "<input type=\"hidden\" name=\"q\" value=\"%s\">"
           "<p><label for=\"q-name\">%s</label> <input type=\"text\" id=\"q-name\" name=\"namn\" "
           "maxlength=\"200\"> <button type=\"submit\">%s</button></p>\n</form>\n",
           x->query, T(r, "Namn på frågan (valfritt)"), T(r, "Spara frågan"));
    html_f(&r->out, "<p class=\"hint\">%s</p>\n",
           T(r, "En sparad fråga får en fast adress. \"De senaste åren\" följer med när nya år "
                "läses in."));
}

static void render_page(struct web_req *r, struct st_ctx *x, enum st_result res, const char *title,
                        const char *desc, const char *base)
{
    if (res == ST_FAIL) {
        web_error_page(r, 500, "Statistiken kan inte läsas just nu. Försök igen om en stund.");
        return;
    }
    r->status = res == ST_BAD ? 400 : 200;
    page_begin(r, title);
    html_f(&r->out, "<h1>%s</h1>\n<p>%s</p>\n", title, desc);
    html_f(&r->out, "<p><a href=\"/statistik\">%s</a></p>\n", T(r, "Alla statistiktabeller"));
    if (res == ST_EMPTY) {
        empty_store(r);
        page_end(r);
        return;
    }
    if (x->v.synthetic)
        html_f(&r->out, "<p class=\"notice\"><strong>%s</strong></p>\n",
               T(r, "SYNTETISKA DATA, inte verkliga personer."));
    if (res == ST_BAD) {
        if (x->s.err_field && x->s.err_field[0])
            html_f(&r->out, "<p class=\"error\" role=\"alert\">%s <a href=\"#fs-%s\">%s</a></p>\n",
                   T(r, "Urvalet har ett fel:"), x->s.err_field, x->s.err_sv);
        else
            html_f(&r->out, "<p class=\"error\" role=\"alert\">%s</p>\n", x->s.err_sv);
    }
    selection_form(r, x, base);
    if (res == ST_OK) {
        result_table(r, x, base);
        save_form(r, x);
    }
    page_end(r);
}

void page_stats_table(struct web_req *r)
{
    struct st_ctx x;
    memset(&x, 0, sizeof(x));
    x.t = find_table(r->segs[0]);
    if (!x.t) {
        web_error_page(r, 404, "Tabellen finns inte.");
        return;
    }
    enum st_result res = st_prepare(r, &x, x.t->query, 1, 0, 0);
    char *base = arena_printf(r->arena, "/statistik/%s", x.t->id);
    render_page(r, &x, res, T(r, x.t->title), T(r, x.t->desc), base ? base : "/statistik");
    ctx_release(&x);
}

/* A saved query: the builder with the stored selection. */
static void page_saved(struct web_req *r, const char *id)
{
    char query[STATSVC_QUERY_MAX + 1], name[256];
    enum err e = statsvc_query_load(stats_dir(r), id, query, sizeof(query), name, sizeof(name));
    if (e == ERR_NOTFOUND) {
        web_error_page(r, 404, "Den sparade frågan finns inte.");
        return;
    }
    if (e != ERR_OK) {
        web_error_page(r, 500, "Den sparade frågan kan inte läsas.");
        return;
    }
    struct st_ctx x;
    memset(&x, 0, sizeof(x));
    x.t = find_table(ST_BUILDER);
    x.saved_id = id;
    x.saved_name = arena_strdup(r->arena, name);
    enum st_result res = st_prepare(r, &x, query, 1, 0, 0);
    const char *title = name[0] ? x.saved_name : T(r, "Sparad fråga");
    render_page(r, &x, res, title, T(r, "En sparad fråga i tabellbyggaren."),
                "/statistik/" ST_BUILDER);
    ctx_release(&x);
}

void page_stats_save(struct web_req *r)
{
    const char *q = form_get(&r->body, "q");
    const char *name = form_get(&r->body, "namn");
    if (!q || !q[0]) {
        web_error_page(r, 400, "Frågan saknas.");
        return;
    }
    /* only a query the builder accepts is kept */
    struct st_ctx x;
    memset(&x, 0, sizeof(x));
    x.t = find_table(ST_BUILDER);
    const struct statscsv_ref *ref = ref_get();
    struct diag d;
    diag_init(&d, 5);
    enum err e = ref ? statsvc_values(ref, stats_dir(r), &x.v, &d) : ERR_IO;
    diag_release(&d);
    if (e != ERR_OK) {
        web_error_page(r, e == ERR_NOTFOUND ? 404 : 500, "Det finns ingen statistik inläst ännu.");
        return;
    }
    x.have_values = 1;
    struct st_args *as = arena_alloc(r->arena, sizeof(*as));
    int bad = !as;
    if (as) {
        as->n = 0;
        bad = args_from_string(r, q, as) != 0;
        for (size_t i = 0; !bad && i < as->n; i++)
            bad = sel_arg(r, &x.v, &x.s, as->a[i].key, as->a[i].value, 0) != 0;
    }
    if (bad || sel_check(r, &x.s) != 0) {
        ctx_release(&x);
        web_error_page(r, 400, "Frågan kan inte sparas: urvalet är felaktigt.");
        return;
    }
    const char *canon = sel_query(r, &x.s);
    ctx_release(&x);
    char id[STATSVC_QUERY_ID_LEN + 1];
    diag_init(&d, 5);
    e = statsvc_query_save(stats_dir(r), canon,
                           name && form_text_ok(name, strlen(name), 0) ? name : "", id, &d);
    diag_release(&d);
    if (e != ERR_OK) {
        web_error_page(r, e == ERR_INVALID ? 400 : 500, "Frågan kunde inte sparas.");
        return;
    }
    char *loc = arena_printf(r->arena, "/statistik/q/%s", id);
    web_redirect(r, loc ? loc : "/statistik");
}

/* ---- downloads ---- */

static const char *const file_names[] = {"data.csv",  "data-excel.csv", "data.xlsx",  "data.px",
                                         "data.json", "diagram.svg",    "diagram.png"};
static const char *const file_types[] = {
    "text/csv; charset=utf-8",
    "text/csv; charset=utf-8",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/x-pcaxis; charset=utf-8",
    "application/json; charset=utf-8",
    "image/svg+xml",
    "image/png"};
#define NFILES (sizeof(file_names) / sizeof(file_names[0]))

/* Write cube c as file format which into out. */
static enum err render_file(const struct cube *c, size_t which, struct buf *out)
{
    switch (which) {
    case 0:
        return cubecsv_write(c, out);
    case 1: {
        struct cubecsv_opts o = {';', ','};
        return cubecsv_write_opts(c, &o, out);
    }
    case 2:
        return xlsx_write_cube_buf(c, out);
    case 3:
        return px_write_cube(c, out);
    case 4:
        return jsonstat_write_cube(c, out);
    default: {
        struct cube v;
        enum err e = cube_chart_view(c, &v);
        if (e != ERR_OK)
            return e;
        struct chart_opts o;
        memset(&o, 0, sizeof(o));
        o.kind = CHART_BARS;
        for (size_t i = 0; i < v.ndims; i++)
            if (v.dims[i].is_time && v.dims[i].n > 1)
                o.kind = CHART_LINES;
        o.format = which == 5 ? CHART_SVG : CHART_PNG;
        e = chart_render_cube_buf(&v, &o, out);
        cube_release(&v);
        return e;
    }
    }
}

void page_stats_file(struct web_req *r)
{
    if (strcmp(r->segs[0], "q") == 0) {
        page_saved(r, r->segs[1]);
        return;
    }
    const struct st_table *t = find_table(r->segs[0]);
    size_t which = NFILES;
    for (size_t i = 0; i < NFILES; i++)
        if (strcmp(r->segs[1], file_names[i]) == 0)
            which = i;
    if (!t || which == NFILES) {
        web_error_page(r, 404, "Tabellen finns inte.");
        return;
    }
    struct st_ctx x;
    memset(&x, 0, sizeof(x));
    x.t = t;
    enum st_result res = st_prepare(r, &x, t->query, 1, 0, 0);
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
    if (e == ERR_OK)
        e = render_file(&x.c, which, &r->data);
    if (e == ERR_INVALID && which >= 5) {
        ctx_release(&x);
        web_error_page(r, 400,
                       "Diagrammet kan visa en variabel med flera värden (och åren som linjer). "
                       "Välj ett värde i de andra variablerna.");
        return;
    }
    if (e != ERR_OK) {
        ctx_release(&x);
        web_error_page(r, 500, "Filen kunde inte skapas. Försök igen om en stund.");
        return;
    }
    r->status = 200;
    r->ctype = file_types[which];
    r->has_data = 1;
    char *cd =
        arena_printf(r->arena, "attachment; filename=\"statistik-%s-%s\"", t->id, r->segs[1]);
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
        const char *id = tables[i].id;
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "title", tables[i].title,
                           "href", arena_printf(r->arena, "/api/v1/stats/%s", id), "metadata",
                           arena_printf(r->arena, "/api/v1/stats/%s/metadata", id), "data",
                           arena_printf(r->arena, "/api/v1/stats/%s/data", id), "query",
                           tables[i].query));
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

/* The variables of the tables, PxWeb API style: code, text, values and
 * their texts (groups and the total included), time, elimination. */
static void api_metadata(struct web_req *r, const struct st_table *t)
{
    const struct statscsv_ref *ref = ref_get();
    struct statsvc_values v;
    struct diag d;
    diag_init(&d, 5);
    enum err e = ref ? statsvc_values(ref, stats_dir(r), &v, &d) : ERR_IO;
    diag_release(&d);
    if (e == ERR_NOTFOUND) {
        web_api_error(r, 404, "no_statistics",
                      "no statistics imported yet (bidrag stats import FILE.csv)");
        return;
    }
    if (e != ERR_OK) {
        web_api_error(r, 500, "stats", "the statistics cannot be read");
        return;
    }
    json_t *vars = json_array();
    for (size_t i = 0; i < NFORM_DIMS; i++) {
        int dim = form_dims[i];
        json_t *codes = json_array(), *texts = json_array();
        size_t n = v.n[dim] + v.ngroups[dim];
        for (size_t k = 0; k < n; k++) {
            json_array_append_new(codes, json_string(v.codes[dim][k]));
            json_array_append_new(texts, json_string(v.labels[dim][k]));
        }
        json_t *groups = json_array();
        for (size_t k = v.n[dim]; k < n; k++)
            json_array_append_new(groups, json_string(v.codes[dim][k]));
        json_t *var = json_pack(
            "{s:s, s:s, s:o, s:o, s:o, s:b, s:b}", "code", stats_dim_name((enum stats_dim)dim),
            "text", stats_dim_label((enum stats_dim)dim), "values", codes, "valueTexts", texts,
            "groups", groups, "time", dim == STATS_YEAR, "elimination", dim != STATS_YEAR);
        if (dim != STATS_YEAR) {
            json_array_append_new(codes, json_string(stats_total_code((enum stats_dim)dim)));
            json_array_append_new(texts, json_string(stats_total_label((enum stats_dim)dim)));
            json_object_set_new(var, "eliminationValue",
                                json_string(stats_total_code((enum stats_dim)dim)));
        }
        json_array_append_new(vars, var);
    }
    json_t *meas = json_array();
    for (int m = 0; m < STATS_NMEASURES; m++)
        json_array_append_new(meas, json_pack("{s:s, s:s}", "code",
                                              stats_measure_name((enum stats_measure)m), "text",
                                              measure_label[m]));
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:o, s:i, s:{s:s, s:i, s:i}, s:b, s:s}", "id", t->id, "title",
                  t->title, "variables", vars, "measures", meas, "cellLimit", ST_MAX_CELLS,
                  "protection", "method", "cell key method", "maxNoise", v.ckm.max_noise,
                  "neverPublished", v.ckm.small, "synthetic", v.synthetic, "query", t->query);
    statsvc_values_release(&v);
    web_json(r, 200, root);
}

/* The data of a table for the query (or the table's own), in format. */
static void api_data(struct web_req *r, const struct st_table *t, const char *query,
                     const char *format)
{
    static const char *const formats[] = {"json-stat2", "csv", "csv-excel", "px", "xlsx"};
    static const size_t which_of[] = {4, 0, 1, 3, 2};
    size_t f = 0;
    if (format) {
        f = sizeof(formats) / sizeof(formats[0]);
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
            if (strcmp(format, formats[i]) == 0)
                f = i;
        if (f == sizeof(formats) / sizeof(formats[0])) {
            web_api_error(r, 400, "bad_request",
                          "unknown format (json-stat2, csv, csv-excel, px, xlsx)");
            return;
        }
    }
    struct st_ctx x;
    memset(&x, 0, sizeof(x));
    x.t = t;
    enum st_result res = st_prepare(r, &x, query, 1, 0, 1);
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
    if (render_file(&x.c, which_of[f], &r->data) != ERR_OK) {
        ctx_release(&x);
        web_api_error(r, 500, "stats", "the table cannot be written");
        return;
    }
    r->status = 200;
    r->ctype = file_types[which_of[f]];
    r->has_data = 1;
    ctx_release(&x);
}

void api_stats_table(struct web_req *r)
{
    const struct st_table *t = find_table(r->segs[0]);
    if (!t) {
        web_api_error(r, 404, "not_found", "no such table");
        return;
    }
    api_data(r, t, t->query, web_query(r, "format"));
}

void api_stats_sub(struct web_req *r)
{
    if (strcmp(r->segs[0], "q") == 0) {
        char query[STATSVC_QUERY_MAX + 1], name[256];
        enum err e =
            statsvc_query_load(stats_dir(r), r->segs[1], query, sizeof(query), name, sizeof(name));
        if (e != ERR_OK) {
            web_api_error(r, e == ERR_NOTFOUND ? 404 : 500, "not_found", "no such saved query");
            return;
        }
        api_data(r, find_table(ST_BUILDER), arena_strdup(r->arena, query), web_query(r, "format"));
        return;
    }
    const struct st_table *t = find_table(r->segs[0]);
    if (!t) {
        web_api_error(r, 404, "not_found", "no such table");
        return;
    }
    if (strcmp(r->segs[1], "metadata") == 0)
        api_metadata(r, t);
    else if (strcmp(r->segs[1], "data") == 0)
        api_data(r, t, t->query, web_query(r, "format"));
    else
        web_api_error(r, 404, "not_found", "no such resource (metadata, data)");
}
