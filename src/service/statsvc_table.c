/* statsvc_table.c - open the statistics column store and build a table
 * from a request: parse dimensions, filters and measures, attach labels
 * from the reference lists, fetch population, run core/stats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/statsvc.h"
#include "service/statsvc_internal.h"
#include "util/str.h"

/* ---- the stored generation ---- */

static enum err load_dict(const struct colstore *cs, const char *name, struct statsvc_dict *out,
                          struct diag *d)
{
    const void *p;
    size_t len;
    memset(out, 0, sizeof(*out));
    if (colstore_get(cs, name, &p, &len) != ERR_OK) {
        diag_add(d, NULL, 0, "statistics store '%s': '%s' is missing", cs->dir, name);
        return ERR_INVALID;
    }
    const char *s = p;
    if (len > 0 && s[len - 1] != '\0') {
        diag_add(d, NULL, 0, "statistics store '%s': '%s' is damaged", cs->dir, name);
        return ERR_INVALID;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\0';
    out->s = malloc((n ? n : 1) * sizeof(char *));
    if (!out->s)
        return ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < len; i += strlen(s + i) + 1)
        out->s[k++] = s + i;
    out->n = n;
    return ERR_OK;
}

static enum err get_col(const struct colstore *cs, const char *name, size_t width, size_t n,
                        const void **p, struct diag *d)
{
    size_t len;
    if (colstore_get(cs, name, p, &len) != ERR_OK || len != n * width) {
        diag_add(d, NULL, 0, "statistics store '%s': column '%s' is missing or has the wrong size",
                 cs->dir, name);
        return ERR_INVALID;
    }
    return ERR_OK;
}

void statsvc_stored_close(struct statsvc_stored *s)
{
    colstore_close(&s->cs);
    free(s->persons.s);
    free(s->specs.s);
    free(s->kommun.s);
    free(s->region.s);
    free(s->licence.s);
    free(s->occ.s);
    free(s->runs);
    free(s->sources);
    memset(s, 0, sizeof(*s));
}

enum err statsvc_stored_open(struct statsvc_stored *s, const char *dir, int with_persons,
                             struct diag *d)
{
    memset(s, 0, sizeof(*s));
    enum err e = colstore_open(&s->cs, dir);
    if (e == ERR_NOTFOUND)
        return e;
    if (e != ERR_OK) {
        diag_add(d, NULL, 0, "%s", s->cs.errmsg);
        return e;
    }
    const void *mp;
    size_t mlen;
    e = ERR_INVALID;
    if (colstore_get(&s->cs, "manifest.txt", &mp, &mlen) != ERR_OK || mlen == 0) {
        diag_add(d, NULL, 0, "statistics store '%s': manifest.txt is missing", dir);
        goto out;
    }
    char *man = malloc(mlen + 1);
    if (!man) {
        e = ERR_NOMEM;
        goto out;
    }
    memcpy(man, mp, mlen);
    man[mlen] = '\0';
    size_t rows = 0, cap = 0, srclen = 0;
    int ok = strncmp(man, "bidrag-stats 1\n", 15) == 0;
    s->sources = calloc(mlen + 1, 1);
    if (!s->sources) {
        free(man);
        e = ERR_NOMEM;
        goto out;
    }
    for (char *line = man; ok && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "rows ", 5) == 0) {
            ok = sscanf(line + 5, "%zu", &rows) == 1;
        } else if (strncmp(line, "years ", 6) == 0) {
            ok = sscanf(line + 6, "%d %d", &s->year_min, &s->year_max) == 2;
        } else if (strncmp(line, "run ", 4) == 0) {
            struct stats_run r;
            ok = sscanf(line + 4, "%d %u %zu %zu", &r.year, &r.occ, &r.begin, &r.end) == 4 &&
                 r.year >= STATS_YEAR_MIN && r.year <= STATS_YEAR_MAX && r.begin <= r.end;
            if (ok && s->nruns == cap) {
                size_t nc = cap ? cap * 2 : 256;
                struct stats_run *nr = realloc(s->runs, nc * sizeof(*nr));
                if (!nr) {
                    free(man);
                    e = ERR_NOMEM;
                    goto out;
                }
                s->runs = nr;
                cap = nc;
            }
            if (ok) {
                s->runs[s->nruns++] = r;
                s->years[r.year - STATS_YEAR_MIN] = 1;
            }
        } else if (strncmp(line, "source\t", 7) == 0) {
            size_t l = strlen(line);
            memcpy(s->sources + srclen, line, l);
            s->sources[srclen + l] = '\n';
            srclen += l + 1;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    free(man);
    for (size_t r = 0; ok && r < s->nruns; r++)
        ok = s->runs[r].end <= rows && (r == 0 || s->runs[r].begin == s->runs[r - 1].end);
    if (!ok) {
        diag_add(d, NULL, 0, "statistics store '%s': manifest.txt is damaged", dir);
        goto out;
    }
    struct stats_cols *c = &s->cols;
    c->n = rows;
    e = get_col(&s->cs, "year.u8", 1, rows, (const void **)&c->year, d);
    if (!e)
        e = get_col(&s->cs, "kommun.u16", 2, rows, (const void **)&c->kommun, d);
    if (!e)
        e = get_col(&s->cs, "region.u8", 1, rows, (const void **)&c->region, d);
    if (!e)
        e = get_col(&s->cs, "sector.u8", 1, rows, (const void **)&c->sector, d);
    if (!e)
        e = get_col(&s->cs, "sex.u8", 1, rows, (const void **)&c->sex, d);
    if (!e)
        e = get_col(&s->cs, "ageband.u8", 1, rows, (const void **)&c->ageband, d);
    if (!e)
        e = get_col(&s->cs, "licence.u8", 1, rows, (const void **)&c->licence, d);
    if (!e)
        e = get_col(&s->cs, "occ.u8", 1, rows, (const void **)&c->occ, d);
    if (!e)
        e = get_col(&s->cs, "specialty.u16", 2, rows, (const void **)&c->specialty, d);
    if (!e)
        e = get_col(&s->cs, "person.u32", 4, rows, (const void **)&c->person, d);
    if (!e)
        e = get_col(&s->cs, "fte.u16", 2, rows, (const void **)&c->fte, d);
    if (!e)
        e = get_col(&s->cs, "flags.u8", 1, rows, (const void **)&c->flags, d);
    if (!e)
        e = get_col(&s->cs, "ssyk.u16", 2, rows, (const void **)&s->ssyk, d);
    if (!e)
        e = get_col(&s->cs, "birth.u16", 2, rows, (const void **)&s->birth, d);
    if (!e && with_persons)
        e = load_dict(&s->cs, "person.dict", &s->persons, d);
    if (!e)
        e = load_dict(&s->cs, "specialty.dict", &s->specs, d);
    if (!e)
        e = load_dict(&s->cs, "kommun.dict", &s->kommun, d);
    if (!e)
        e = load_dict(&s->cs, "region.dict", &s->region, d);
    if (!e)
        e = load_dict(&s->cs, "licence.dict", &s->licence, d);
    if (!e)
        e = load_dict(&s->cs, "occ.dict", &s->occ, d);
    if (!e && (s->kommun.n > 65535 || s->region.n > 255 || s->licence.n > 255 || s->occ.n > 255 ||
               s->specs.n > 65534)) {
        diag_add(d, NULL, 0, "statistics store '%s': dictionaries are too large", dir);
        e = ERR_INVALID;
    }
out:
    if (e != ERR_OK)
        statsvc_stored_close(s);
    return e;
}

enum err statsvc_sources_keep(const struct statsvc_stored *s, const unsigned char *drop,
                              struct buf *out)
{
    const char *p = s->sources ? s->sources : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        /* source \t sha \t rows \t at \t years \t name */
        char line[2048];
        if (len >= sizeof(line)) {
            p += len + (nl ? 1 : 0);
            continue;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (nl ? 1 : 0);
        char *f[6] = {0};
        char *q = line;
        for (int i = 0; i < 6 && q; i++) {
            f[i] = q;
            q = strchr(q, '\t');
            if (q)
                *q++ = '\0';
        }
        if (!f[5])
            continue;
        char years[1200] = "";
        size_t yn = 0;
        for (char *y = f[4]; y && *y;) {
            char *comma = strchr(y, ',');
            if (comma)
                *comma = '\0';
            long v = strtol(y, NULL, 10);
            if (v >= STATS_YEAR_MIN && v <= STATS_YEAR_MAX && !drop[v - STATS_YEAR_MIN] &&
                yn + 8 < sizeof(years))
                yn += (size_t)snprintf(years + yn, sizeof(years) - yn, "%s%ld", yn ? "," : "", v);
            y = comma ? comma + 1 : NULL;
        }
        if (yn == 0)
            continue;
        enum err e = buf_printf(out, "source\t%s\t%s\t%s\t%s\t%s\n", f[1], f[2], f[3], years, f[5]);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

/* ---- the table ---- */

struct table_labels {
    const char **codes[STATS_NDIMS];
    const char **labels[STATS_NDIMS];
    char (*years)[8];
    char (*spec_codes)[16];
};

static void labels_release(struct table_labels *t)
{
    for (int i = 0; i < STATS_NDIMS; i++) {
        free(t->codes[i]);
        free(t->labels[i]);
    }
    free(t->years);
    free(t->spec_codes);
}

static int find_code(const char *const *codes, const char *const *labels, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], v) == 0 || (labels && strcmp(labels[i], v) == 0))
            return (int)i;
    return -1;
}

static enum err build_meta(const struct statsvc_stored *s, const struct statscsv_ref *ref,
                           struct stats_meta *m, struct table_labels *t, uint8_t *kommun_region)
{
    memset(m, 0, sizeof(*m));
    stats_meta_fixed(m);
    size_t ny = s->nruns ? (size_t)(s->year_max - s->year_min + 1) : 0;
    t->years = calloc(ny ? ny : 1, sizeof(*t->years));
    if (!t->years)
        return ERR_NOMEM;
    for (int i = 0; i < STATS_NDIMS; i++) {
        size_t n = i == STATS_YEAR         ? ny
                   : i == STATS_REGION     ? s->region.n
                   : i == STATS_KOMMUN     ? s->kommun.n
                   : i == STATS_LICENCE    ? s->licence.n
                   : i == STATS_OCCUPATION ? s->occ.n
                   : i == STATS_SPECIALTY  ? s->specs.n + 1
                                           : 0;
        if (n == 0 && i != STATS_YEAR)
            continue;
        t->codes[i] = calloc(n ? n : 1, sizeof(char *));
        t->labels[i] = calloc(n ? n : 1, sizeof(char *));
        if (!t->codes[i] || !t->labels[i])
            return ERR_NOMEM;
        m->dim[i] = (struct stats_values){n, t->codes[i], t->labels[i]};
    }
    m->year0 = s->year_min;
    for (size_t y = 0; y < ny; y++) {
        snprintf(t->years[y], sizeof(t->years[y]), "%d", s->year_min + (int)y);
        t->codes[STATS_YEAR][y] = t->labels[STATS_YEAR][y] = t->years[y];
    }
    for (size_t i = 0; i < s->region.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nregion; r++)
            if (strcmp(ref->region_code[r], s->region.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_REGION][i] = s->region.s[i];
        t->labels[STATS_REGION][i] = k >= 0 ? ref->region_name[k] : s->region.s[i];
    }
    for (size_t i = 0; i < s->kommun.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nkommun && k < 0; r++)
            if (strcmp(ref->kommun_code[r], s->kommun.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_KOMMUN][i] = s->kommun.s[i];
        t->labels[STATS_KOMMUN][i] = k >= 0 ? ref->kommun_name[k] : s->kommun.s[i];
        /* region of a kommun: the region whose code starts the kommun code */
        kommun_region[i] = 0;
        for (size_t r = 0; r < s->region.n; r++)
            if (strncmp(s->region.s[r], s->kommun.s[i], 2) == 0)
                kommun_region[i] = (uint8_t)r;
    }
    m->kommun_region = kommun_region;
    for (size_t i = 0; i < s->licence.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nlicence && k < 0; r++)
            if (strcmp(ref->licence_code[r], s->licence.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_LICENCE][i] = s->licence.s[i];
        t->labels[STATS_LICENCE][i] = k >= 0 ? ref->licence_name[k] : s->licence.s[i];
    }
    for (size_t i = 0; i < s->occ.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nocc && k < 0; r++)
            if (strcmp(ref->occ_code[r], s->occ.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_OCCUPATION][i] = s->occ.s[i];
        t->labels[STATS_OCCUPATION][i] = k >= 0 ? ref->occ_label[k] : s->occ.s[i];
    }
    t->spec_codes = calloc(s->specs.n + 1, sizeof(*t->spec_codes));
    if (!t->spec_codes)
        return ERR_NOMEM;
    t->codes[STATS_SPECIALTY][0] = "ingen";
    t->labels[STATS_SPECIALTY][0] = "Ingen specialitet";
    for (size_t i = 0; i < s->specs.n; i++) {
        t->codes[STATS_SPECIALTY][i + 1] = s->specs.s[i];
        t->labels[STATS_SPECIALTY][i + 1] = s->specs.s[i];
    }
    return ERR_OK;
}

/* "a,b,c" -> dims; returns count or -1 (message in d). */
static int parse_dims(const char *spec, enum stats_dim *out, struct diag *d)
{
    int n = 0;
    if (!spec || !*spec)
        return 0;
    char tmp[256];
    if (str_copy(tmp, sizeof(tmp), spec) != 0) {
        diag_add(d, NULL, 0, "dimension list too long");
        return -1;
    }
    for (char *p = tmp; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        int k = stats_dim_parse(p);
        if (k < 0 || n == STATS_NDIMS) {
            diag_add(d, NULL, 0,
                     "unknown dimension '%s' (year, region, kommun, sector, sex, ageband, "
                     "licence, occupation, specialty)",
                     p);
            return -1;
        }
        out[n++] = (enum stats_dim)k;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

static enum err parse_filters(const char *spec, const struct stats_meta *m,
                              unsigned char *allow[STATS_NDIMS], struct diag *d)
{
    if (!spec || !*spec)
        return ERR_OK;
    char tmp[4096];
    if (str_copy(tmp, sizeof(tmp), spec) != 0) {
        diag_add(d, NULL, 0, "filter too long");
        return ERR_INVALID;
    }
    for (char *p = tmp; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *eq = strchr(p, '=');
        if (!eq) {
            diag_add(d, NULL, 0, "filter '%s' is not DIM=VALUE", p);
            return ERR_INVALID;
        }
        *eq = '\0';
        const char *v = eq + 1;
        int k = stats_dim_parse(p);
        if (k < 0) {
            diag_add(d, NULL, 0, "unknown dimension '%s' in --filter", p);
            return ERR_INVALID;
        }
        const struct stats_values *vals = &m->dim[k];
        if (!allow[k]) {
            allow[k] = calloc(vals->n ? vals->n : 1, 1);
            if (!allow[k])
                return ERR_NOMEM;
        }
        int a = -1, b = -1;
        const char *dash = k == STATS_YEAR ? strchr(v, '-') : NULL;
        if (dash) {
            char y1[16] = "";
            size_t l = (size_t)(dash - v);
            if (l < sizeof(y1)) {
                memcpy(y1, v, l);
                y1[l] = '\0';
            }
            a = find_code(vals->codes, NULL, vals->n, y1);
            b = find_code(vals->codes, NULL, vals->n, dash + 1);
            if (a < 0 || b < 0 || a > b) {
                diag_add(d, NULL, 0, "years '%s' are not within the stored years %s-%s", v,
                         vals->n ? vals->codes[0] : "?", vals->n ? vals->codes[vals->n - 1] : "?");
                return ERR_INVALID;
            }
        } else {
            a = b = find_code(vals->codes, vals->labels, vals->n, v);
            if (a < 0) {
                diag_add(d, NULL, 0, "unknown value '%s' for '%s'", v, p);
                return ERR_INVALID;
            }
        }
        for (int i = a; i <= b; i++)
            allow[k][i] = 1;
        p = comma ? comma + 1 : NULL;
    }
    return ERR_OK;
}

/* "Hälso- och sjukvårdspersonal efter region och år, 2015-2024. Urval:
 * legitimation Läkare" from the table's dimensions and filters. */
static enum err set_title(struct cube *c, const struct stats_meta *m, const struct stats_query *q)
{
    struct buf t;
    buf_init(&t, 1 << 16);
    enum err e = buf_puts(&t, "Hälso- och sjukvårdspersonal");
    size_t nt = c->ndims ? c->ndims - 1 : 0;
    for (size_t i = 0; i < nt && e == ERR_OK; i++)
        e = buf_printf(&t, "%s%s",
                       i == 0        ? " efter "
                       : i + 1 == nt ? " och "
                                     : ", ",
                       c->dims[i].label);
    long y0 = -1, y1 = -1;
    for (size_t y = 0; y < m->dim[STATS_YEAR].n; y++) {
        if (q->allow[STATS_YEAR] && !q->allow[STATS_YEAR][y])
            continue;
        y0 = y0 < 0 ? (long)y : y0;
        y1 = (long)y;
    }
    if (e == ERR_OK && y0 >= 0)
        e = y0 == y1 ? buf_printf(&t, ", %d", m->year0 + (int)y0)
                     : buf_printf(&t, ", %d-%d", m->year0 + (int)y0, m->year0 + (int)y1);
    int first = 1;
    for (int d = 0; d < STATS_NDIMS && e == ERR_OK; d++) {
        if (!q->allow[d] || d == STATS_YEAR)
            continue;
        e = buf_printf(&t, "%s%s ", first ? ". Urval: " : "; ", stats_dim_label((enum stats_dim)d));
        int n = 0;
        for (size_t v = 0; v < m->dim[d].n && e == ERR_OK; v++) {
            if (!q->allow[d][v])
                continue;
            const char *lab = m->dim[d].labels ? m->dim[d].labels[v] : m->dim[d].codes[v];
            e = buf_printf(&t, "%s%s", n++ ? ", " : "", lab);
        }
        first = 0;
    }
    if (e == ERR_OK)
        e = cube_set_str(&c->title, t.p);
    if (e == ERR_OK)
        e = cube_set_str(&c->contents, "Hälso- och sjukvårdspersonal");
    buf_release(&t);
    return e;
}

enum err statsvc_table(const struct statscsv_ref *ref, struct store *st,
                       const struct statsvc_table_req *req, struct cube *out,
                       struct statsvc_table_res *res, struct diag *d)
{
    struct statsvc_stored s;
    struct stats_meta m;
    struct table_labels t;
    struct stats_query q;
    struct stats_pop pop;
    uint8_t *kreg = NULL;
    int have_pop = 0;
    memset(&t, 0, sizeof(t));
    memset(&q, 0, sizeof(q));
    memset(&pop, 0, sizeof(pop));
    memset(res, 0, sizeof(*res));
    cube_init(out);
    enum err e = statsvc_stored_open(&s, req->dir, 0, d);
    if (e == ERR_NOTFOUND) {
        diag_add(d, NULL, 0, "no statistics imported in '%s' (bidrag stats import FILE.csv)",
                 req->dir);
        return e;
    }
    if (e != ERR_OK)
        return e;
    res->rows_total = s.cols.n;
    res->synthetic = s.sources && strstr(s.sources, " (synthetic)\n") != NULL;
    res->year_min = s.year_min;
    res->year_max = s.year_max;
    kreg = calloc(s.kommun.n + 1, 1);
    if (!kreg) {
        e = ERR_NOMEM;
        goto out;
    }
    e = build_meta(&s, ref, &m, &t, kreg);
    if (e != ERR_OK)
        goto out;
    e = ERR_INVALID;
    res->usage_error = 1;
    int nr = parse_dims(req->rows, q.rows, d);
    int nc = parse_dims(req->cols, q.cols, d);
    if (nr < 0 || nc < 0)
        goto out;
    q.nrows = (size_t)nr;
    q.ncols = (size_t)nc;
    int used[STATS_NDIMS] = {0};
    for (size_t i = 0; i < q.nrows + q.ncols; i++) {
        enum stats_dim dm = i < q.nrows ? q.rows[i] : q.cols[i - q.nrows];
        if (used[dm]) {
            diag_add(d, NULL, 0, "dimension '%s' is given twice", stats_dim_name(dm));
            goto out;
        }
        used[dm] = 1;
    }
    {
        char tmp[256];
        if (str_copy(tmp, sizeof(tmp), req->measures ? req->measures : "headcount") != 0)
            goto out;
        for (char *p = tmp; p && *p;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            int k = stats_measure_parse(p);
            if (k < 0) {
                diag_add(d, NULL, 0, "unknown measure '%s' (headcount, fte, per100k)", p);
                goto out;
            }
            q.measure[k] = 1;
            p = comma ? comma + 1 : NULL;
        }
    }
    e = parse_filters(req->filters, &m, (unsigned char **)q.allow, d);
    if (e != ERR_OK)
        goto out;
    e = ERR_INVALID;
    if (!used[STATS_YEAR]) {
        size_t ny = 0;
        for (size_t y = 0; y < m.dim[STATS_YEAR].n; y++)
            ny += (!q.allow[STATS_YEAR] || q.allow[STATS_YEAR][y]) &&
                  s.years[s.year_min + (int)y - STATS_YEAR_MIN];
        if (ny > 1) {
            diag_add(d, NULL, 0,
                     "the table spans %zu years: add 'year' to --rows or --cols, or filter one "
                     "year (--filter year=%d)",
                     ny, s.year_max);
            goto out;
        }
    }
    res->usage_error = 0;
    q.suppress = req->suppress;
    q.threshold = req->threshold;
    q.nthreads = req->nthreads;
    q.omit_totals = req->omit_totals;
    if (q.measure[STATS_PER100K] && st && m.dim[STATS_YEAR].n > 0) {
        e = statsvc_population(st, ref, m.dim[STATS_KOMMUN].codes, m.dim[STATS_KOMMUN].n,
                               m.dim[STATS_REGION].codes, m.dim[STATS_REGION].n, m.year0,
                               m.dim[STATS_YEAR].n, &pop, d);
        if (e != ERR_OK)
            goto out;
        have_pop = 1;
    }
    e = stats_table(&s.cols, &m, s.runs, s.nruns, have_pop ? &pop : NULL, &q, out, &res->info);
    if (e == ERR_OK)
        e = set_title(out, &m, &q);
    if (e == ERR_LIMIT) {
        diag_add(d, NULL, 0, "the table would have too many cells: use fewer dimensions");
        res->usage_error = 1;
    } else if (e != ERR_OK) {
        diag_add(d, NULL, 0, "cannot build the table: %s", err_str(e));
    }
out:
    for (int i = 0; i < STATS_NDIMS; i++)
        free((void *)q.allow[i]);
    if (have_pop) {
        free((void *)pop.kommun);
        free((void *)pop.region);
    }
    labels_release(&t);
    free(kreg);
    statsvc_stored_close(&s);
    return e;
}

/* ---- dimension values and descriptions for published tables ---- */

void statsvc_values_release(struct statsvc_values *v)
{
    for (int i = 0; i < STATS_NDIMS; i++) {
        for (size_t k = 0; k < v->n[i]; k++) {
            free(v->codes[i][k]);
            free(v->labels[i][k]);
        }
        free(v->codes[i]);
        free(v->labels[i]);
    }
    memset(v, 0, sizeof(*v));
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

enum err statsvc_values(const struct statscsv_ref *ref, const char *dir, struct statsvc_values *out,
                        struct diag *d)
{
    struct statsvc_stored s;
    struct stats_meta m;
    struct table_labels t;
    uint8_t *kreg = NULL;
    memset(out, 0, sizeof(*out));
    memset(&t, 0, sizeof(t));
    enum err e = statsvc_stored_open(&s, dir, 0, d);
    if (e != ERR_OK)
        return e;
    out->rows_total = s.cols.n;
    out->synthetic = s.sources && strstr(s.sources, " (synthetic)\n") != NULL;
    out->year_min = s.year_min;
    out->year_max = s.year_max;
    kreg = calloc(s.kommun.n + 1, 1);
    e = kreg ? build_meta(&s, ref, &m, &t, kreg) : ERR_NOMEM;
    for (int i = 0; i < STATS_NDIMS && e == ERR_OK; i++) {
        const struct stats_values *v = &m.dim[i];
        size_t n = 0;
        for (size_t k = 0; k < v->n; k++)
            n += i != STATS_YEAR || s.years[m.year0 + (int)k - STATS_YEAR_MIN];
        out->codes[i] = calloc(n ? n : 1, sizeof(char *));
        out->labels[i] = calloc(n ? n : 1, sizeof(char *));
        if (!out->codes[i] || !out->labels[i]) {
            e = ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < v->n && e == ERR_OK; k++) {
            if (i == STATS_YEAR && !s.years[m.year0 + (int)k - STATS_YEAR_MIN])
                continue;
            size_t j = out->n[i];
            out->codes[i][j] = dup_str(v->codes[k]);
            out->labels[i][j] = dup_str(v->labels ? v->labels[k] : v->codes[k]);
            out->n[i]++;
            if (!out->codes[i][j] || !out->labels[i][j])
                e = ERR_NOMEM;
        }
    }
    labels_release(&t);
    free(kreg);
    statsvc_stored_close(&s);
    if (e != ERR_OK)
        statsvc_values_release(out);
    return e;
}

enum err statsvc_table_describe(struct cube *c, const struct statsvc_table_res *res, long threshold)
{
    enum err e = cube_set_str(
        &c->source, res->synthetic ? "Socialstyrelsen (SYNTETISKA DATA, inte verkliga personer)"
                                   : "Socialstyrelsen");
    struct buf n;
    buf_init(&n, 1 << 16);
    if (e == ERR_OK)
        e = buf_printf(&n,
                       "%zu celler undertryckta (färre än %ld personer: %zu; för att skydda dem: "
                       "%zu).",
                       res->info.primary + res->info.secondary, threshold, res->info.primary,
                       res->info.secondary);
    if (e == ERR_OK && res->info.missing_pop_years) {
        e = buf_puts(&n, " Folkmängd saknas för");
        for (size_t i = 0; i < res->info.missing_pop_years && i < 64 && e == ERR_OK; i++)
            e = buf_printf(&n, "%s %d", i ? "," : "", res->info.missing_years[i]);
        if (e == ERR_OK)
            e = buf_puts(&n, ": per 100 000 invånare saknas.");
    }
    if (e == ERR_OK)
        e = buf_puts(&n, " Varje person räknas en gång per cell; summorna är summor av cellerna.");
    if (e == ERR_OK)
        e = cube_set_str(&c->note, n.p);
    buf_release(&n);
    return e;
}
