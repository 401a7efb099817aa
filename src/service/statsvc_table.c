/* statsvc_table.c - open the statistics column store and build a table
 * from a request: parse dimensions, filters and measures, attach labels
 * from the reference lists, fetch population, run core/stats. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "service/statsvc.h"
#include "service/statsvc_internal.h"
#include "util/msg.h"
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

/* ---- the store kept open for reading ----
 * Opening maps every column and reads every dictionary, on every page
 * otherwise. The store is kept while its generation folder is the live
 * one: CURRENT names it and the folder is the same one (device, inode,
 * change time), read anew by every reader. A reader gets a copy of the
 * struct sharing the maps, and holds a reference; after an import the
 * next reader opens the new generation, and the old one is closed when
 * its last reader is done (its files, unlinked, stay mapped till then). */
struct kept_meta;
struct kept_stats {
    char dir[COLSTORE_PATH];
    char key[256];
    int refs;
    int live;
    struct statsvc_stored s;
    struct kept_meta *meta; /* its values' codes, labels and groups: built once (meta_get) */
};
static void kept_meta_free(struct kept_meta *km);
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept_stats *kept_cur;

/* What names the live generation of dir; -1 when there is none. */
static int live_key(const char *dir, char *key, size_t n)
{
    char p[COLSTORE_PATH + 80], gen[64];
    snprintf(p, sizeof(p), "%s/CURRENT", dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return -1;
    int ok = fgets(gen, sizeof(gen), f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    gen[strcspn(gen, "\r\n")] = '\0';
    struct stat sb;
    snprintf(p, sizeof(p), "%s/%s", dir, gen);
    if (!gen[0] || strchr(gen, '/') || stat(p, &sb) != 0)
        return -1;
    snprintf(key, n, "%s %llu %llu %lld.%09ld", gen, (unsigned long long)sb.st_dev,
             (unsigned long long)sb.st_ino, (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
    return 0;
}

void statsvc_store_mark(const char *dir, char *out, size_t n)
{
    /* CURRENT is replaced (a new file renamed over it) by every import or
     * publish: its identity and change time say which generation is live
     * without reading it; the saved queries' folder changes with each
     * query saved */
    char p[COLSTORE_PATH + 16];
    struct stat a, q;
    snprintf(p, sizeof(p), "%s/CURRENT", dir);
    int have = stat(p, &a) == 0;
    snprintf(p, sizeof(p), "%s/queries", dir);
    int haveq = stat(p, &q) == 0;
    snprintf(out, n, "%llu %llu %lld.%09ld %lld|%llu %lld.%09ld",
             have ? (unsigned long long)a.st_dev : 0ULL, have ? (unsigned long long)a.st_ino : 0ULL,
             have ? (long long)a.st_ctim.tv_sec : -1LL, have ? a.st_ctim.tv_nsec : 0L,
             have ? (long long)a.st_size : -1LL, haveq ? (unsigned long long)q.st_ino : 0ULL,
             haveq ? (long long)q.st_mtim.tv_sec : -1LL, haveq ? q.st_mtim.tv_nsec : 0L);
}

/* Drop a reference (under kept_lock); the last one of a store no longer
 * live closes it. */
static void kept_unref(struct kept_stats *k)
{
    if (--k->refs > 0 || k->live)
        return;
    kept_meta_free(k->meta);
    statsvc_stored_close(&k->s);
    free(k);
}

enum err statsvc_stored_open_kept(struct statsvc_stored *s, const char *dir, struct diag *d)
{
    char key[256];
    if (live_key(dir, key, sizeof(key)) != 0)
        return statsvc_stored_open(s, dir, 0, d); /* says why */
    pthread_mutex_lock(&kept_lock);
    struct kept_stats *k = kept_cur;
    if (k && strcmp(k->dir, dir) == 0 && strcmp(k->key, key) == 0) {
        k->refs++;
        *s = k->s;
        s->kept = k;
        pthread_mutex_unlock(&kept_lock);
        return ERR_OK;
    }
    pthread_mutex_unlock(&kept_lock);
    k = calloc(1, sizeof(*k));
    if (!k)
        return ERR_NOMEM;
    /* opened after the key was read: never older than the key says (a
     * newer one is opened again by the next reader) */
    enum err e = statsvc_stored_open(&k->s, dir, 0, d);
    if (e != ERR_OK) {
        free(k);
        return e;
    }
    str_copy(k->dir, sizeof(k->dir), dir);
    str_copy(k->key, sizeof(k->key), key);
    k->refs = 1;
    k->live = 1;
    pthread_mutex_lock(&kept_lock);
    struct kept_stats *old = kept_cur;
    kept_cur = k;
    if (old) {
        old->live = 0;
        old->refs++; /* kept_unref drops one */
        kept_unref(old);
    }
    *s = k->s;
    s->kept = k;
    pthread_mutex_unlock(&kept_lock);
    return ERR_OK;
}

void statsvc_stored_close(struct statsvc_stored *s)
{
    if (s->kept) {
        pthread_mutex_lock(&kept_lock);
        kept_unref(s->kept);
        pthread_mutex_unlock(&kept_lock);
        memset(s, 0, sizeof(*s));
        return;
    }
    colstore_close(&s->cs);
    free(s->persons.s);
    free(s->specs.s);
    free(s->kommun.s);
    free(s->region.s);
    free(s->licence.s);
    free(s->occ.s);
    free(s->caretype.s);
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
    int ok = strncmp(man, "bidrag-stats 2\n", 15) == 0;
    int have_prot = 0;
    if (!ok && strncmp(man, "bidrag-stats ", 13) == 0) {
        free(man);
        diag_add(d, NULL, 0,
                 "statistics store '%s' was written by another version of bidrag: import the "
                 "files again",
                 dir);
        goto out;
    }
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
        } else if (strncmp(line, "persons ", 8) == 0) {
            ok = sscanf(line + 8, "%zu", &s->npersons) == 1;
        } else if (strncmp(line, "protection ckm ", 15) == 0) {
            char msg[128];
            ok = sscanf(line + 15, "%d %lf %d", &s->ckm.max_noise, &s->ckm.variance,
                        &s->ckm.small) == 3 &&
                 ckm_params_check(&s->ckm, msg, sizeof(msg)) == ERR_OK;
            have_prot = ok;
        } else if (strncmp(line, "record-key ", 11) == 0) {
            str_copy(s->keyprint, sizeof(s->keyprint), line + 11);
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
    ok = ok && have_prot;
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
    if (!e)
        e = get_col(&s->cs, "caretype.u8", 1, rows, (const void **)&c->caretype, d);
    c->ssyk = s->ssyk;
    if (!e)
        e = get_col(&s->cs, "pkey.u32", 4, s->npersons, (const void **)&c->pkey, d);
    c->npersons = s->npersons;
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
    if (!e)
        e = load_dict(&s->cs, "caretype.dict", &s->caretype, d);
    if (!e && (s->kommun.n > 65535 || s->region.n > 255 || s->licence.n > 255 || s->occ.n > 255 ||
               s->specs.n > 65534 || s->caretype.n > 255)) {
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
    struct stats_group *groups[STATS_NDIMS];
    unsigned char *members[STATS_NDIMS];
    char (*years)[8];
};

static void labels_release(struct table_labels *t)
{
    for (int i = 0; i < STATS_NDIMS; i++) {
        free(t->codes[i]);
        free(t->labels[i]);
        free(t->groups[i]);
        free(t->members[i]);
    }
    free(t->years);
}

/* Room for ng groups of dimension d over n values. */
static enum err groups_alloc(struct table_labels *t, struct stats_meta *m, int d, size_t ng,
                             size_t n)
{
    t->groups[d] = calloc(ng ? ng : 1, sizeof(struct stats_group));
    t->members[d] = calloc((ng ? ng : 1) * (n ? n : 1), 1);
    if (!t->groups[d] || !t->members[d])
        return ERR_NOMEM;
    for (size_t g = 0; g < ng; g++)
        t->groups[d][g].member = t->members[d] + g * n;
    m->dim[d].ngroups = ng;
    m->dim[d].groups = t->groups[d];
    return ERR_OK;
}

static unsigned char *member_of(struct table_labels *t, int d, size_t g, size_t n)
{
    return t->members[d] + g * n;
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
                   : i == STATS_CARETYPE   ? s->caretype.n
                                           : 0;
        if (n == 0 && i != STATS_YEAR)
            continue;
        t->codes[i] = calloc(n ? n : 1, sizeof(char *));
        t->labels[i] = calloc(n ? n : 1, sizeof(char *));
        if (!t->codes[i] || !t->labels[i])
            return ERR_NOMEM;
        m->dim[i] = (struct stats_values){n, t->codes[i], t->labels[i], 0, NULL};
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
    /* the kommun dimension's groups: the regions (län) */
    enum err e = groups_alloc(t, m, STATS_KOMMUN, s->region.n, s->kommun.n);
    if (e != ERR_OK)
        return e;
    for (size_t r = 0; r < s->region.n; r++) {
        t->groups[STATS_KOMMUN][r].code = t->codes[STATS_REGION][r];
        t->groups[STATS_KOMMUN][r].label = t->labels[STATS_REGION][r];
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
        member_of(t, STATS_KOMMUN, kommun_region[i], s->kommun.n)[i] = 1;
    }
    m->kommun_region = kommun_region;
    /* licences, and the group of all licensed professions */
    e = groups_alloc(t, m, STATS_LICENCE, 1, s->licence.n);
    if (e != ERR_OK)
        return e;
    t->groups[STATS_LICENCE][0].code = "leg";
    t->groups[STATS_LICENCE][0].label = N_("Alla legitimationsyrken");
    for (size_t i = 0; i < s->licence.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nlicence && k < 0; r++)
            if (strcmp(ref->licence_code[r], s->licence.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_LICENCE][i] = s->licence.s[i];
        t->labels[STATS_LICENCE][i] = k >= 0 ? ref->licence_name[k] : s->licence.s[i];
        member_of(t, STATS_LICENCE, 0, s->licence.n)[i] = strcmp(s->licence.s[i], "ingen") != 0;
    }
    /* occupations, and the groups of Bilaga 2: licensed, non-licensed */
    e = groups_alloc(t, m, STATS_OCCUPATION, 2, s->occ.n);
    if (e != ERR_OK)
        return e;
    t->groups[STATS_OCCUPATION][0].code = "leg";
    t->groups[STATS_OCCUPATION][0].label = N_("Legitimationsyrken");
    t->groups[STATS_OCCUPATION][1].code = "pv";
    t->groups[STATS_OCCUPATION][1].label = N_("Icke legitimerade yrken i primärvården (bilaga 2)");
    for (size_t i = 0; i < s->occ.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->nocc && k < 0; r++)
            if (strcmp(ref->occ_code[r], s->occ.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_OCCUPATION][i] = s->occ.s[i];
        t->labels[STATS_OCCUPATION][i] = k >= 0 ? ref->occ_label[k] : s->occ.s[i];
        if (k >= 0 && strcmp(ref->occ_group[k], "legitimation") == 0)
            member_of(t, STATS_OCCUPATION, 0, s->occ.n)[i] = 1;
        if (k >= 0 && strcmp(ref->occ_group[k], "primarvard") == 0)
            member_of(t, STATS_OCCUPATION, 1, s->occ.n)[i] = 1;
    }
    for (size_t i = 0; i < s->caretype.n; i++) {
        int k = -1;
        for (size_t r = 0; r < ref->ncaretype && k < 0; r++)
            if (strcmp(ref->caretype_code[r], s->caretype.s[i]) == 0)
                k = (int)r;
        t->codes[STATS_CARETYPE][i] = s->caretype.s[i];
        t->labels[STATS_CARETYPE][i] = k >= 0 ? ref->caretype_label[k] : s->caretype.s[i];
    }
    t->codes[STATS_SPECIALTY][0] = "ingen";
    t->labels[STATS_SPECIALTY][0] = N_("Ingen specialitet");
    for (size_t i = 0; i < s->specs.n; i++) {
        t->codes[STATS_SPECIALTY][i + 1] = s->specs.s[i];
        t->labels[STATS_SPECIALTY][i + 1] = s->specs.s[i];
    }
    return ERR_OK;
}

/* The metadata of a kept store, built once for the reference data it was
 * built against, then shared read-only by every reader of that store. */
struct kept_meta {
    const struct statscsv_ref *ref;
    struct stats_meta m;
    struct table_labels t;
    uint8_t *kreg;
};

static void kept_meta_free(struct kept_meta *km)
{
    if (!km)
        return;
    labels_release(&km->t);
    free(km->kreg);
    free(km);
}

/* The metadata of s against ref into *m. From a kept store it is built
 * once and shared (*t zeroed and *kreg NULL: nothing for the caller to
 * release); otherwise built into *t and *kreg, which the caller releases
 * (labels_release, free) whatever this returns. */
static enum err meta_get(const struct statsvc_stored *s, const struct statscsv_ref *ref,
                         struct stats_meta *m, struct table_labels *t, uint8_t **kreg)
{
    struct kept_stats *k = s->kept;
    memset(t, 0, sizeof(*t));
    *kreg = NULL;
    if (k) {
        pthread_mutex_lock(&kept_lock);
        struct kept_meta *km = k->meta;
        pthread_mutex_unlock(&kept_lock);
        if (km && km->ref == ref) {
            *m = km->m;
            return ERR_OK;
        }
    }
    *kreg = calloc(s->kommun.n + 1, 1);
    if (!*kreg)
        return ERR_NOMEM;
    enum err e = build_meta(s, ref, m, t, *kreg);
    if (e != ERR_OK || !k)
        return e;
    struct kept_meta *km = calloc(1, sizeof(*km));
    if (!km)
        return ERR_OK; /* used once, not kept */
    km->ref = ref;
    km->m = *m;
    km->t = *t;
    km->kreg = *kreg;
    pthread_mutex_lock(&kept_lock);
    int mine = k->meta == NULL;
    if (mine)
        k->meta = km; /* m's pointers now point into it */
    pthread_mutex_unlock(&kept_lock);
    if (mine) {
        memset(t, 0, sizeof(*t));
        *kreg = NULL;
    } else {
        free(km);
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
                     "licence, occupation, specialty, caretype, position)",
                     p);
            return -1;
        }
        out[n++] = (enum stats_dim)k;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

/* The values asked for, per dimension, in the order given. */
struct value_lists {
    uint32_t *v[STATS_NDIMS];
    size_t n[STATS_NDIMS], cap[STATS_NDIMS];
    int star[STATS_NDIMS]; /* "*" was given */
};

static void lists_release(struct value_lists *l)
{
    for (int i = 0; i < STATS_NDIMS; i++)
        free(l->v[i]);
}

static enum err list_add(struct value_lists *l, int d, uint32_t x)
{
    for (size_t i = 0; i < l->n[d]; i++)
        if (l->v[d][i] == x)
            return ERR_OK;
    if (l->n[d] == l->cap[d]) {
        size_t nc = l->cap[d] ? l->cap[d] * 2 : 16;
        if (nc > 1000000)
            return ERR_LIMIT;
        uint32_t *nv = realloc(l->v[d], nc * sizeof(uint32_t));
        if (!nv)
            return ERR_NOMEM;
        l->v[d] = nv;
        l->cap[d] = nc;
    }
    l->v[d][l->n[d]++] = x;
    return ERR_OK;
}

/* Is year index y one of the stored years? */
static int year_stored(const struct statsvc_stored *s, const struct stats_meta *m, size_t y)
{
    long yr = m->year0 + (long)y;
    return yr >= STATS_YEAR_MIN && yr <= STATS_YEAR_MAX && s->years[yr - STATS_YEAR_MIN];
}

/* One value of a filter: a code or label of a value, a group or the
 * total; "*" (every value), "members(G)" (the values of group G), for
 * years also "A-B" and "top(N)" (the latest N). Returns ERR_INVALID with
 * the message in d. */
static enum err parse_value(const struct statsvc_stored *s, const struct stats_meta *m, int k,
                            const char *dim, const char *v, struct value_lists *l, struct diag *d)
{
    const struct stats_values *vals = &m->dim[k];
    enum err e = ERR_OK;
    if (strcmp(v, "*") == 0) {
        l->star[k] = 1;
        for (size_t i = 0; i < vals->n && e == ERR_OK; i++)
            if (k != STATS_YEAR || year_stored(s, m, i))
                e = list_add(l, k, (uint32_t)i);
        return e;
    }
    size_t vn = strlen(v);
    if (vn > 9 && strncmp(v, "members(", 8) == 0 && v[vn - 1] == ')') {
        /* the values of a group */
        for (size_t g = 0; g < vals->ngroups; g++) {
            if (strlen(vals->groups[g].code) != vn - 9 ||
                strncmp(vals->groups[g].code, v + 8, vn - 9) != 0)
                continue;
            for (size_t i = 0; i < vals->n && e == ERR_OK; i++)
                if (vals->groups[g].member[i])
                    e = list_add(l, k, (uint32_t)i);
            return e;
        }
        diag_add(d, NULL, 0, "unknown group in '%s' for '%s'", v, dim);
        return ERR_INVALID;
    }
    if (k == STATS_YEAR) {
        unsigned long top = 0;
        char tail = 0;
        int used = 0;
        if (sscanf(v, "top(%lu%c%n", &top, &tail, &used) == 2 && tail == ')' && v[used] == '\0' &&
            top >= 1) {
            size_t ids[256], nid = 0;
            for (size_t i = vals->n; i-- > 0 && nid < top && nid < 256;)
                if (year_stored(s, m, i))
                    ids[nid++] = i;
            for (size_t i = nid; i-- > 0 && e == ERR_OK;)
                e = list_add(l, k, (uint32_t)ids[i]);
            return e;
        }
        const char *dash = strchr(v, '-');
        if (dash) {
            int a = -1, b = -1;
            char y1[16] = "";
            size_t len = (size_t)(dash - v);
            if (len < sizeof(y1)) {
                memcpy(y1, v, len);
                y1[len] = '\0';
            }
            for (size_t i = 0; i < vals->n; i++) {
                if (strcmp(vals->codes[i], y1) == 0)
                    a = (int)i;
                if (strcmp(vals->codes[i], dash + 1) == 0)
                    b = (int)i;
            }
            if (a < 0 || b < 0 || a > b) {
                diag_add(d, NULL, 0, "years '%s' are not within the stored years %d-%d", v,
                         s->year_min, s->year_max);
                return ERR_INVALID;
            }
            for (int i = a; i <= b && e == ERR_OK; i++)
                if (year_stored(s, m, (size_t)i))
                    e = list_add(l, k, (uint32_t)i);
            return e;
        }
    }
    for (size_t i = 0; i < vals->n; i++)
        if (strcmp(vals->codes[i], v) == 0 || (vals->labels && strcmp(vals->labels[i], v) == 0)) {
            if (k == STATS_YEAR && !year_stored(s, m, i))
                break;
            return list_add(l, k, (uint32_t)i);
        }
    for (size_t g = 0; g < vals->ngroups; g++)
        if (strcmp(vals->groups[g].code, v) == 0 || strcmp(vals->groups[g].label, v) == 0)
            return list_add(l, k, STATS_GROUP(g));
    if (k != STATS_YEAR &&
        (strcmp(v, stats_total_code((enum stats_dim)k)) == 0 ||
         strcmp(v, stats_total_label((enum stats_dim)k)) == 0 || strcmp(v, "total") == 0))
        return list_add(l, k, STATS_TOTAL);
    diag_add(d, NULL, 0, "unknown value '%s' for '%s'", v, dim);
    return ERR_INVALID;
}

/* "DIM=V,DIM=V,..." into the value lists. */
static enum err parse_filters(const char *spec, const struct statsvc_stored *s,
                              const struct stats_meta *m, struct value_lists *l, struct diag *d)
{
    if (!spec || !*spec)
        return ERR_OK;
    char *tmp = strdup(spec);
    if (!tmp)
        return ERR_NOMEM;
    enum err e = ERR_OK;
    for (char *p = tmp; p && *p && e == ERR_OK;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *eq = strchr(p, '=');
        if (!eq) {
            diag_add(d, NULL, 0, "filter '%s' is not DIM=VALUE", p);
            e = ERR_INVALID;
            break;
        }
        *eq = '\0';
        int k = stats_dim_parse(p);
        if (k < 0) {
            diag_add(d, NULL, 0, "unknown dimension '%s' in --filter", p);
            e = ERR_INVALID;
            break;
        }
        e = parse_value(s, m, k, p, eq + 1, l, d);
        p = comma ? comma + 1 : NULL;
    }
    free(tmp);
    return e;
}

const char *statsvc_label(const struct statscsv_ref *ref, enum lang l, enum stats_dim d,
                          const char *code, const char *sv)
{
    if (l == LANG_SV || !sv)
        return sv ? sv : "";
    switch (d) {
    case STATS_YEAR:
    case STATS_KOMMUN:
        return sv;
    case STATS_REGION: /* names, but the total "Riket" is a word */
        return strcmp(code, stats_total_code(d)) == 0 ? i18n_tr(l, sv) : sv;
    case STATS_OCCUPATION:
        for (size_t k = 0; ref && k < ref->nocc; k++)
            if (strcmp(ref->occ_code[k], code) == 0 && ref->occ_label_en[k][0])
                return ref->occ_label_en[k];
        break;
    case STATS_LICENCE:
        for (size_t k = 1; ref && k < ref->nlicence; k++)
            if (strcmp(ref->licence_code[k], code) == 0 &&
                ref->occ_label_en[ref->licence_occ[k]][0])
                return ref->occ_label_en[ref->licence_occ[k]];
        break;
    case STATS_CARETYPE:
        for (size_t k = 0; ref && k < ref->ncaretype; k++)
            if (strcmp(ref->caretype_code[k], code) == 0 && ref->caretype_label_en[k][0])
                return ref->caretype_label_en[k];
        break;
    case STATS_SPECIALTY:
        for (size_t k = 0; ref && k < ref->nspec; k++)
            if (strcmp(ref->spec_label[k], sv) == 0)
                return ref->spec_label_en[k];
        break;
    default:
        break;
    }
    return i18n_tr(l, sv); /* fixed values, groups and totals: the catalog */
}

/* The label of value x of dimension d, in language l. */
static const char *value_label(const struct statscsv_ref *ref, enum lang l,
                               const struct stats_meta *m, int d, uint32_t x)
{
    const char *sv, *code;
    if (x == STATS_TOTAL) {
        sv = stats_total_label((enum stats_dim)d);
        code = stats_total_code((enum stats_dim)d);
    } else if (STATS_IS_GROUP(x)) {
        sv = m->dim[d].groups[STATS_GROUP_OF(x)].label;
        code = m->dim[d].groups[STATS_GROUP_OF(x)].code;
    } else {
        sv = m->dim[d].labels ? m->dim[d].labels[x] : m->dim[d].codes[x];
        code = m->dim[d].codes[x];
    }
    return statsvc_label(ref, l, (enum stats_dim)d, code, sv);
}

/* The cube's dimension names and value labels in language l (the
 * measures are left to the page, which names them). */
static enum err translate_cube(struct cube *c, const struct statscsv_ref *ref, enum lang l)
{
    if (l == LANG_SV)
        return ERR_OK;
    enum err e = ERR_OK;
    for (size_t i = 0; i < c->ndims && e == ERR_OK; i++) {
        struct cube_dim *dm = &c->dims[i];
        int d = stats_dim_parse(dm->code);
        if (d < 0 || dm->is_contents)
            continue;
        e = cube_set_str(&dm->label, i18n_tr(l, dm->label));
        for (size_t k = 0; k < dm->n && e == ERR_OK; k++)
            e = cube_set_str(
                &dm->val_labels[k],
                statsvc_label(ref, l, (enum stats_dim)d, dm->val_codes[k], dm->val_labels[k]));
    }
    if (e == ERR_OK)
        e = cube_set_str(&c->lang, i18n_code(l));
    return e;
}

/* "Hälso- och sjukvårdspersonal efter region och år, 2015-2024. Urval:
 * legitimation Läkare" from the table's dimensions and the dimensions
 * held at one value. */
static enum err set_title(struct cube *c, const struct statscsv_ref *ref, enum lang l,
                          const struct stats_meta *m, const struct stats_query *q)
{
    struct buf t;
    buf_init(&t, 1 << 16);
    enum err e = buf_puts(&t, i18n_tr(l, N_("Hälso- och sjukvårdspersonal")));
    size_t nt = c->ndims ? c->ndims - 1 : 0;
    long yt = -1;
    for (size_t i = 0; i < nt && e == ERR_OK; i++) {
        e = buf_printf(&t, "%s%s",
                       i == 0        ? i18n_tr(l, N_(" efter "))
                       : i + 1 == nt ? i18n_tr(l, N_(" och "))
                                     : ", ",
                       c->dims[i].label);
        if (c->dims[i].is_time)
            yt = (long)i;
    }
    if (e == ERR_OK && yt >= 0 && c->dims[yt].n > 0) {
        const struct cube_dim *y = &c->dims[yt];
        e = y->n == 1 ? buf_printf(&t, ", %s", y->val_codes[0])
                      : buf_printf(&t, ", %s-%s", y->val_codes[0], y->val_codes[y->n - 1]);
    } else if (e == ERR_OK && q->fixed_set[STATS_YEAR]) {
        e = buf_printf(&t, ", %s", value_label(ref, l, m, STATS_YEAR, q->fixed[STATS_YEAR]));
    }
    int first = 1;
    for (int d = 0; d < STATS_NDIMS && e == ERR_OK; d++) {
        if (!q->fixed_set[d] || d == STATS_YEAR || q->fixed[d] == STATS_TOTAL)
            continue;
        e = buf_printf(&t, "%s%s %s", first ? i18n_tr(l, N_(". Urval: ")) : "; ",
                       i18n_tr(l, stats_dim_label((enum stats_dim)d)),
                       value_label(ref, l, m, d, q->fixed[d]));
        first = 0;
    }
    if (e == ERR_OK)
        e = cube_set_str(&c->title, t.p);
    if (e == ERR_OK)
        e = cube_set_str(&c->contents, i18n_tr(l, N_("Hälso- och sjukvårdspersonal")));
    buf_release(&t);
    return e;
}

/* The time of the latest import (the sources' import times), as the
 * table's last update. */
static enum err set_updated(struct cube *c, const struct statsvc_stored *s)
{
    char best[40] = "";
    for (const char *p = s->sources ? s->sources : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        /* source \t sha \t rows \t at \t years \t name */
        const char *f = p;
        for (int k = 0; k < 3 && f; k++) {
            f = memchr(f, '\t', len - (size_t)(f - p));
            f = f ? f + 1 : NULL;
        }
        const char *end = f ? memchr(f, '\t', len - (size_t)(f - p)) : NULL;
        if (f && end && (size_t)(end - f) < sizeof(best) && (size_t)(end - f) >= 16) {
            char at[40];
            memcpy(at, f, (size_t)(end - f));
            at[end - f] = '\0';
            if (strcmp(at, best) > 0)
                memcpy(best, at, sizeof(best));
        }
        p += len + (nl ? 1 : 0);
    }
    return best[0] ? cube_set_str(&c->updated, best) : ERR_OK;
}

static const char *const dim_list = "year, region, kommun, sector, sex, ageband, licence, "
                                    "occupation, specialty, caretype, position";

enum err statsvc_table(const struct statscsv_ref *ref, struct store *st,
                       const struct statsvc_table_req *req, struct cube *out,
                       struct statsvc_table_res *res, struct diag *d)
{
    struct statsvc_stored s;
    struct stats_meta m;
    struct table_labels t;
    struct stats_query q;
    struct stats_pop pop;
    struct value_lists vl;
    struct ckm_table *ckm = NULL;
    uint32_t *years = NULL;
    uint8_t *kreg = NULL;
    int have_pop = 0;
    memset(&t, 0, sizeof(t));
    memset(&q, 0, sizeof(q));
    memset(&pop, 0, sizeof(pop));
    memset(&vl, 0, sizeof(vl));
    memset(res, 0, sizeof(*res));
    cube_init(out);
    enum err e = statsvc_stored_open_kept(&s, req->dir, d);
    if (e == ERR_NOTFOUND) {
        diag_add(d, NULL, 0, "no statistics imported in '%s' (bidrag stats import FILE.csv)",
                 req->dir);
        return e;
    }
    if (e != ERR_OK)
        return e;
    res->lang = req->lang;
    res->rows_total = s.cols.n;
    res->synthetic = s.sources && strstr(s.sources, " (synthetic)\n") != NULL;
    res->year_min = s.year_min;
    res->year_max = s.year_max;
    res->protected = req->protect;
    res->ckm = s.ckm;
    e = meta_get(&s, ref, &m, &t, &kreg);
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
    if (nr + nc == 0) {
        diag_add(d, NULL, 0, "a table needs at least one dimension (%s)", dim_list);
        goto out;
    }
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
    e = parse_filters(req->filters, &s, &m, &vl, d);
    if (e != ERR_OK)
        goto out;
    e = ERR_INVALID;
    /* the values shown, or the one value held, of every dimension */
    size_t cells = 0;
    for (int k = 0; k < STATS_NMEASURES; k++)
        cells += (size_t)q.measure[k];
    for (int k = 0; k < STATS_NDIMS; k++) {
        if (used[k]) {
            size_t n = vl.n[k];
            if (n) {
                q.show[k] = vl.v[k];
                q.nshow[k] = n;
            } else if (k == STATS_YEAR || req->no_totals) {
                /* every value (the stored years), no total */
                size_t ny = 0;
                for (size_t i = 0; i < m.dim[k].n; i++)
                    ny += k != STATS_YEAR || year_stored(&s, &m, i);
                uint32_t *list = malloc((ny ? ny : 1) * sizeof(uint32_t));
                if (!list) {
                    e = ERR_NOMEM;
                    goto out;
                }
                ny = 0;
                for (size_t i = 0; i < m.dim[k].n; i++)
                    if (k != STATS_YEAR || year_stored(&s, &m, i))
                        list[ny++] = (uint32_t)i;
                if (k == STATS_YEAR) {
                    years = list;
                } else {
                    free(vl.v[k]);
                    vl.v[k] = list;
                    vl.n[k] = ny;
                }
                q.show[k] = list;
                q.nshow[k] = ny;
                n = ny;
            } else {
                n = m.dim[k].n + 1;
            }
            if (n == 0) {
                diag_add(d, NULL, 0, "no values of '%s' to show", stats_dim_name(k));
                goto out;
            }
            cells = cells > (size_t)1 << 40 ? cells : cells * n;
            continue;
        }
        if (vl.n[k] == 0)
            continue;
        if (vl.star[k] || (vl.n[k] == 1 && vl.v[k][0] == STATS_TOTAL)) {
            /* every value: the dimension adds nothing */
            if (k == STATS_YEAR) {
                diag_add(d, NULL, 0,
                         "year=* adds persons of several years: add 'year' to the table");
                goto out;
            }
            continue;
        }
        if (vl.n[k] > 1) {
            diag_add(d, NULL, 0,
                     "'%s' is not in the table, so it can have one value only: a sum over chosen "
                     "values is not published (it could be subtracted from another); add '%s' "
                     "to --rows or --cols to see several values",
                     stats_dim_name(k), stats_dim_name(k));
            goto out;
        }
        q.fixed_set[k] = 1;
        q.fixed[k] = vl.v[k][0];
    }
    if (!used[STATS_YEAR] && !q.fixed_set[STATS_YEAR]) {
        size_t ny = 0;
        long only = -1;
        for (size_t y = 0; y < m.dim[STATS_YEAR].n; y++)
            if (year_stored(&s, &m, y)) {
                ny++;
                only = (long)y;
            }
        if (ny > 1) {
            diag_add(d, NULL, 0,
                     "the table spans %zu years: add 'year' to --rows or --cols, or filter one "
                     "year (--filter year=%d)",
                     ny, s.year_max);
            goto out;
        }
        if (only >= 0) {
            q.fixed_set[STATS_YEAR] = 1;
            q.fixed[STATS_YEAR] = (uint32_t)only;
        }
    }
    res->cells = cells;
    if (req->max_cells && cells > req->max_cells) {
        diag_add(d, NULL, 0, "the table would have %zu cells; at most %zu are allowed", cells,
                 req->max_cells);
        res->too_large = 1;
        goto out;
    }
    res->usage_error = 0;
    if (req->plan_only) {
        e = ERR_OK;
        goto out;
    }
    if (req->protect) {
        ckm = malloc(sizeof(*ckm));
        if (!ckm) {
            e = ERR_NOMEM;
            goto out;
        }
        e = ckm_table_build(&s.ckm, ckm);
        if (e != ERR_OK) {
            diag_add(d, NULL, 0, "statistics store '%s': bad protection parameters", req->dir);
            goto out;
        }
        q.ckm = ckm;
    }
    q.nthreads = req->nthreads;
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
        e = translate_cube(out, ref, req->lang);
    if (e == ERR_OK)
        e = set_title(out, ref, req->lang, &m, &q);
    if (e == ERR_OK)
        e = set_updated(out, &s);
    if (e == ERR_LIMIT) {
        diag_add(d, NULL, 0, "the table would have too many cells: use fewer dimensions");
        res->usage_error = 1;
    } else if (e == ERR_INVALID) {
        diag_add(d, NULL, 0, "the table cannot be made for this selection");
        res->usage_error = 1;
    } else if (e != ERR_OK) {
        diag_add(d, NULL, 0, "cannot build the table: %s", err_str(e));
    }
out:
    lists_release(&vl);
    free(years);
    free(ckm);
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
        for (size_t k = 0; k < v->n[i] + v->ngroups[i]; k++) {
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
    enum err e = statsvc_stored_open_kept(&s, dir, d);
    if (e != ERR_OK)
        return e;
    out->rows_total = s.cols.n;
    out->synthetic = s.sources && strstr(s.sources, " (synthetic)\n") != NULL;
    out->year_min = s.year_min;
    out->year_max = s.year_max;
    out->ckm = s.ckm;
    e = meta_get(&s, ref, &m, &t, &kreg);
    for (int i = 0; i < STATS_NDIMS && e == ERR_OK; i++) {
        const struct stats_values *v = &m.dim[i];
        size_t n = 0;
        for (size_t k = 0; k < v->n; k++)
            n += i != STATS_YEAR || year_stored(&s, &m, k);
        out->codes[i] = calloc(n + v->ngroups + 1, sizeof(char *));
        out->labels[i] = calloc(n + v->ngroups + 1, sizeof(char *));
        if (!out->codes[i] || !out->labels[i]) {
            e = ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < v->n + v->ngroups && e == ERR_OK; k++) {
            if (k < v->n && i == STATS_YEAR && !year_stored(&s, &m, k))
                continue;
            const char *c = k < v->n ? v->codes[k] : v->groups[k - v->n].code;
            const char *l =
                k < v->n ? (v->labels ? v->labels[k] : v->codes[k]) : v->groups[k - v->n].label;
            size_t j = out->n[i] + out->ngroups[i];
            out->codes[i][j] = dup_str(c);
            out->labels[i][j] = dup_str(l);
            if (k < v->n)
                out->n[i]++;
            else
                out->ngroups[i]++;
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

enum err statsvc_table_describe(struct cube *c, const struct statsvc_table_res *res)
{
    enum lang l = res->lang;
    enum err e = cube_set_str(
        &c->source,
        res->synthetic ? i18n_tr(l, N_("Socialstyrelsen (SYNTETISKA DATA, inte verkliga personer)"))
                       : "Socialstyrelsen");
    struct buf n;
    buf_init(&n, 1 << 16);
    struct msg m;
    char text[1024];
    msg_clear(&m);
    if (res->protected)
        msg_setf(&m,
                 M_("Skyddad mot röjande med slumpmässigt brus (cell key method): varje antal "
                    "kan avvika med högst {1} från det verkliga, antalen 1-{2} visas aldrig, och "
                    "samma grupp av personer får alltid samma värde. Årsarbetare och per 100 000 "
                    "invånare bygger på de skyddade antalen."),
                 msg_int(res->ckm.max_noise), msg_int(res->ckm.small));
    else
        msg_set(&m, M_("EJ RÖJANDESKYDDAD (--no-protect): endast för intern kontroll."));
    msg_render(&m, l, text, sizeof(text));
    if (e == ERR_OK)
        e = buf_puts(&n, text);
    if (e == ERR_OK)
        e = buf_printf(&n, " %s",
                       i18n_tr(l, N_("Varje person räknas en gång i varje cell, också i summorna, "
                                     "som därför inte är summan av delarna; Riket är samma tal i "
                                     "alla tabeller.")));
    if (e == ERR_OK && res->info.missing_pop_years) {
        e = buf_printf(&n, " %s", i18n_tr(l, N_("Folkmängd saknas för")));
        for (size_t i = 0; i < res->info.missing_pop_years && i < 64 && e == ERR_OK; i++)
            e = buf_printf(&n, "%s %d", i ? "," : "", res->info.missing_years[i]);
        if (e == ERR_OK)
            e = buf_printf(&n, ": %s", i18n_tr(l, N_("per 100 000 invånare saknas.")));
    }
    if (e == ERR_OK)
        e = cube_set_str(&c->note, n.p);
    buf_release(&n);
    return e;
}
