/* refdata.c - organisations and series: load, import, check. */
#include "service/refdata.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/program.h"
#include "io/csv.h"
#include "io/px.h"
#include "io/valfile.h"
#include "service/audit.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/str.h"

void recipients_release(struct recipients *r)
{
    org_list_release(&r->orgs);
    free(r->kommuner);
    free(r->regioner);
    memset(r, 0, sizeof(*r));
}

enum err refdata_recipients(struct store *s, struct recipients *out)
{
    memset(out, 0, sizeof(*out));
    enum err e = store_org_list(s, &out->orgs);
    if (!e)
        e = org_recipients(&out->orgs, ROLE_KOMMUN, &out->kommuner, &out->nk);
    if (!e)
        e = org_recipients(&out->orgs, ROLE_REGION, &out->regioner, &out->nr);
    if (e)
        recipients_release(out);
    return e;
}

static const char *field(const struct csv_table *t, const struct csv_row *r, const char *name)
{
    int c = csv_col(t, name);
    return c >= 0 && (size_t)c < r->n ? r->f[c] : "";
}

enum err refdata_recipients_read(struct store *s, const struct svc_actor *who, int64_t now,
                                 struct recipients *out, struct svc_result *res)
{
    struct svc_call c;
    memset(out, 0, sizeof(*out));
    enum err e = svc_begin(&c, s, who, ACT_ORGS_READ, now, res);
    if (e == ERR_OK)
        e = refdata_recipients(s, out);
    return svc_end(&c, e);
}

enum err refdata_orgs(struct store *s, const struct svc_actor *who, int64_t now,
                      struct org_list *out, struct svc_result *res)
{
    struct svc_call c;
    out->v = NULL;
    out->n = 0;
    enum err e = svc_begin(&c, s, who, ACT_ORGS_READ, now, res);
    if (e == ERR_OK)
        e = store_org_list(s, out);
    return svc_end(&c, e);
}

void refdata_org_label(const struct org_list *l, const char *code, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < l->n && !out[0]; i++) {
        const struct org *o = &l->v[i];
        if (strlen(code) == 4 && strcmp(o->kommun_code, code) == 0)
            str_copy(out, n, o->official_name[0] ? o->official_name : o->name);
        else if (strlen(code) == 2 && strcmp(o->region_code, code) == 0)
            str_copy(out, n, o->region_name[0] ? o->region_name : o->name);
    }
}

enum err refdata_org_name(struct store *s, const struct svc_actor *who, int64_t now,
                          const char *code, char *out, size_t n, struct svc_result *res)
{
    struct org_list l = {NULL, 0};
    out[0] = '\0';
    enum err e = refdata_orgs(s, who, now, &l, res);
    if (e == ERR_OK)
        refdata_org_label(&l, code, out, n);
    org_list_release(&l);
    return e;
}

/* Read both reference files and check their headers: kommuner.csv must
 * have the official names (column namn, PROVENANCE.md); a file from before
 * it is refused with its path and line. */
static enum err read_ref_files(const char *kommuner_csv, const char *regioner_csv,
                               struct csv_table *tk, struct csv_table *tr, struct diag *d)
{
    enum err e = csv_read_file(kommuner_csv, tk, d);
    if (e)
        return e;
    e = csv_read_file(regioner_csv, tr, d);
    if (e)
        return e;
    if (csv_col(tk, "kommunkod") < 0 || csv_col(tk, "kommun") < 0 || csv_col(tk, "lanskod") < 0 ||
        csv_col(tk, "namn") < 0) {
        diag_add(d, kommuner_csv, tk->header_line > 0 ? tk->header_line : 1,
                 "expected the header kommunkod,kommun,lanskod,lan,orgnr,namn (the column 'namn', "
                 "the official name, is missing: a file from before it)");
        return ERR_PARSE;
    }
    if (csv_col(tr, "lanskod") < 0 || csv_col(tr, "region") < 0) {
        diag_add(d, regioner_csv, tr->header_line > 0 ? tr->header_line : 1,
                 "expected the header lanskod,lan,region,...");
        return ERR_PARSE;
    }
    for (size_t i = 0; i < tk->nrows; i++) {
        const char *nm = field(tk, &tk->rows[i], "namn");
        if (!nm[0] || strlen(nm) >= sizeof(((struct org *)0)->official_name)) {
            diag_add(d, kommuner_csv, tk->rows[i].line, "the official name '%s' of '%s' is %s", nm,
                     field(tk, &tk->rows[i], "kommunkod"), nm[0] ? "too long" : "empty");
            return ERR_PARSE;
        }
    }
    return ERR_OK;
}

enum err refdata_load_orgs(struct store *s, const struct svc_actor *who, int64_t now,
                           const char *kommuner_csv, const char *regioner_csv, struct diag *d,
                           struct svc_result *res)
{
    struct svc_call c;
    struct csv_table tk, tr;
    struct diag local;
    diag_init(&local, 20);
    if (!d)
        d = &local;
    memset(&tk, 0, sizeof(tk));
    memset(&tr, 0, sizeof(tr));
    enum err e = svc_begin(&c, s, who, ACT_ORGS_LOAD, now, res);
    if (e)
        goto out;
    e = read_ref_files(kommuner_csv, regioner_csv, &tk, &tr, d);
    if (e)
        goto out;
    e = svc_write(&c);
    if (e)
        goto out;
    /* a region whose län has exactly one kommun is that kommun (Gotland) */
    for (size_t i = 0; i < tk.nrows && !e; i++) {
        const struct csv_row *r = &tk.rows[i];
        struct org o;
        memset(&o, 0, sizeof(o));
        const char *kk = field(&tk, r, "kommunkod");
        const char *lk = field(&tk, r, "lanskod");
        if (!str_is_digits(kk, 4) || !str_is_digits(lk, 2)) {
            diag_add(d, kommuner_csv, r->line, "bad kommunkod '%s' or lanskod '%s'", kk, lk);
            e = ERR_PARSE;
            break;
        }
        str_copy(o.kommun_code, sizeof(o.kommun_code), kk);
        str_copy(o.name, sizeof(o.name), field(&tk, r, "kommun"));
        str_copy(o.lan_code, sizeof(o.lan_code), lk);
        str_copy(o.lan_name, sizeof(o.lan_name), field(&tk, r, "lan"));
        str_copy(o.official_name, sizeof(o.official_name), field(&tk, r, "namn"));
        for (size_t j = 0; j < tr.nrows; j++) {
            const struct csv_row *rr = &tr.rows[j];
            if (strcmp(field(&tr, rr, "lanskod"), lk) == 0 &&
                strcmp(field(&tr, rr, "antal_kommuner"), "1") == 0) {
                str_copy(o.region_code, sizeof(o.region_code), lk);
                str_copy(o.region_name, sizeof(o.region_name), field(&tr, rr, "region"));
            }
        }
        e = store_org_put(s, &o);
        if (e)
            diag_add(d, kommuner_csv, r->line, "cannot store '%s': %s", kk, store_errmsg(s));
    }
    for (size_t j = 0; j < tr.nrows && !e; j++) {
        const struct csv_row *rr = &tr.rows[j];
        if (strcmp(field(&tr, rr, "antal_kommuner"), "1") == 0)
            continue; /* stored with its kommun above */
        struct org o;
        memset(&o, 0, sizeof(o));
        const char *lk = field(&tr, rr, "lanskod");
        if (!str_is_digits(lk, 2)) {
            diag_add(d, regioner_csv, rr->line, "bad lanskod '%s'", lk);
            e = ERR_PARSE;
            break;
        }
        str_copy(o.region_code, sizeof(o.region_code), lk);
        str_copy(o.name, sizeof(o.name), field(&tr, rr, "region"));
        str_copy(o.region_name, sizeof(o.region_name), field(&tr, rr, "region"));
        str_copy(o.official_name, sizeof(o.official_name), field(&tr, rr, "region"));
        str_copy(o.lan_code, sizeof(o.lan_code), lk);
        str_copy(o.lan_name, sizeof(o.lan_name), field(&tr, rr, "lan"));
        e = store_org_put(s, &o);
        if (e)
            diag_add(d, regioner_csv, rr->line, "cannot store '%s': %s", lk, store_errmsg(s));
    }
    if (!e) {
        char after[128];
        snprintf(after, sizeof(after), "kommuner=%zu regioner=%zu", tk.nrows, tr.nrows);
        e = svc_audit(&c, "orgs", NULL, after);
        if (e)
            diag_add(d, NULL, 0, "cannot write the audit record: %s", store_errmsg(s));
    }
out:
    if (e == ERR_PARSE || e == ERR_INVALID || e == ERR_IO)
        e = svc_fail(&c, e, M_("Organisationerna kunde inte läsas in."));
    csv_table_release(&tk);
    csv_table_release(&tr);
    diag_release(&local);
    return svc_end(&c, e);
}

/* The official name the reference files give the stored organisation o:
 * a kommun's column namn, a region's body name; "" when they hold none. */
static const char *wanted_name(const struct csv_table *tk, const struct csv_table *tr,
                               const struct org *o)
{
    for (size_t i = 0; o->kommun_code[0] && i < tk->nrows; i++)
        if (strcmp(field(tk, &tk->rows[i], "kommunkod"), o->kommun_code) == 0)
            return field(tk, &tk->rows[i], "namn");
    for (size_t i = 0; !o->kommun_code[0] && o->region_code[0] && i < tr->nrows; i++)
        if (strcmp(field(tr, &tr->rows[i], "lanskod"), o->region_code) == 0)
            return field(tr, &tr->rows[i], "region");
    return "";
}

enum err refdata_update_names(struct store *s, const struct svc_actor *who, int64_t now,
                              const char *kommuner_csv, const char *regioner_csv, int *changed,
                              struct diag *d, struct svc_result *res)
{
    struct svc_call c;
    struct csv_table tk, tr;
    struct org_list l = {NULL, 0};
    struct diag local;
    diag_init(&local, 20);
    if (!d)
        d = &local;
    memset(&tk, 0, sizeof(tk));
    memset(&tr, 0, sizeof(tr));
    *changed = 0;
    enum err e = svc_begin(&c, s, who, ACT_ORGS_LOAD, now, res);
    if (e)
        goto out;
    e = read_ref_files(kommuner_csv, regioner_csv, &tk, &tr, d);
    if (!e)
        e = store_org_list(s, &l);
    for (size_t i = 0; i < l.n && !e; i++) {
        const char *want = wanted_name(&tk, &tr, &l.v[i]);
        if (!want[0] || strcmp(want, l.v[i].official_name) == 0)
            continue;
        if (!c.in_txn)
            e = svc_write(&c);
        if (!e)
            e = store_org_set_official_name(s, l.v[i].id, want);
        if (!e)
            (*changed)++;
    }
    if (!e && *changed) {
        char after[64];
        snprintf(after, sizeof(after), "official names=%d", *changed);
        e = svc_audit_verb(&c, "orgs.names", "orgs", NULL, after);
        if (e)
            diag_add(d, NULL, 0, "cannot write the audit record: %s", store_errmsg(s));
    }
out:
    if (e == ERR_PARSE || e == ERR_INVALID || e == ERR_IO)
        e = svc_fail(&c, e, M_("Organisationerna kunde inte läsas in."));
    org_list_release(&l);
    csv_table_release(&tk);
    csv_table_release(&tr);
    diag_release(&local);
    return svc_end(&c, e);
}

enum err refdata_sha256_file(const char *path, char hex[65])
{
    struct buf b;
    buf_init(&b, (size_t)1 << 31);
    enum err e = buf_read_file(&b, path);
    if (!e) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)b.p, b.len);
        sodium_bin2hex(hex, 65, h, sizeof(h));
    }
    buf_release(&b);
    return e;
}

/* The reference date a PX time code stands for: "2024" -> 2024-12-31
 * (SCB's yearly population is per 31 December), "2024M10" -> the last
 * day of that month. 0 if the code is neither. */
static int px_time_date(const char *code, struct date *out)
{
    if (!(code[0] >= '0' && code[0] <= '9') || strlen(code) < 4)
        return 0;
    struct date d = {0, 12, 31};
    for (int i = 0; i < 4; i++) {
        if (code[i] < '0' || code[i] > '9')
            return 0;
        d.y = d.y * 10 + (code[i] - '0');
    }
    if (code[4] == '\0') {
        *out = d;
        return date_valid(d);
    }
    if (code[4] != 'M' || !str_is_digits(code + 5, 2))
        return 0;
    d.m = (code[5] - '0') * 10 + (code[6] - '0');
    if (d.m < 1 || d.m > 12)
        return 0;
    struct date next = {d.m == 12 ? d.y + 1 : d.y, d.m == 12 ? 1 : d.m + 1, 1};
    *out = date_from_days(date_days(next) - 1);
    return 1;
}

/* The line number of the first line of text starting with prefix, or 0. */
static long line_starting(const char *text, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    long line = 1;
    for (size_t i = 0; i < len; line++) {
        if (len - i >= n && memcmp(text + i, prefix, n) == 0)
            return line;
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - text) + 1;
    }
    return 0;
}

/* A population series from a PX file (PxWeb download such as BE0101N1:
 * region x time, every other variable with one value). */
static enum err refdata_px_series(const char *path, const char *date_opt, struct series *out,
                                  long **lines, struct diag *d)
{
    struct buf b;
    buf_init(&b, PX_MAX_BYTES + 1);
    struct cube c;
    cube_init(&c);
    long *cell_line = NULL;
    size_t nerr = 0; /* our own errors; the PX reader may add warnings */
    *lines = NULL;
    enum err e = buf_read_file_diag(&b, path, d);
    if (e)
        goto out;
    e = px_read_cube(b.p, b.len, path, NULL, &c, &cell_line, d);
    if (e)
        goto out;
    /* find the region and the time variables; the others must be single */
    size_t reg = SIZE_MAX, tim = SIZE_MAX;
    for (size_t i = 0; i < c.ndims; i++) {
        const struct cube_dim *dm = &c.dims[i];
        int timeish = dm->is_time || !strcasecmp(dm->code, "tid") || !strcasecmp(dm->code, "år") ||
                      !strcasecmp(dm->code, "time") || !strcasecmp(dm->code, "year");
        if (timeish && tim == SIZE_MAX)
            tim = i;
        else if (reg == SIZE_MAX && dm->n > 1)
            reg = i;
        else if (dm->n != 1) {
            diag_add(d, path, 0,
                     "variable '%s' has %zu values: download the table with one value for every "
                     "variable but region and time",
                     dm->label, dm->n);
            e = ERR_INVALID;
        }
    }
    if (!e && reg == SIZE_MAX) {
        diag_add(d, path, 0, "no region variable with more than one value");
        e = ERR_INVALID;
    }
    if (e)
        goto out;
    size_t tpick = 0;
    struct date want;
    int have_want = date_opt && date_parse(date_opt, &want) == ERR_OK;
    if (date_opt && !have_want) {
        diag_add(d, NULL, 0, "--date '%s' is not a date (YYYY-MM-DD)", date_opt);
        e = ERR_INVALID;
        goto out;
    }
    if (tim != SIZE_MAX) {
        const struct cube_dim *td = &c.dims[tim];
        size_t found = SIZE_MAX;
        for (size_t k = 0; k < td->n; k++) {
            struct date dk;
            if (!px_time_date(td->val_codes[k], &dk))
                continue;
            if (td->n == 1 || (have_want && date_cmp(dk, want) == 0) ||
                (have_want && dk.y == want.y && dk.m == want.m))
                found = k;
        }
        if (found == SIZE_MAX) {
            long tline = line_starting(b.p, b.len, "TIMEVAL(");
            if (have_want) {
                char held[256] = "";
                size_t o = 0;
                for (size_t k = 0; k < td->n && o + 1 < sizeof(held); k++) {
                    int w = snprintf(held + o, sizeof(held) - o, "%s%s", k ? ", " : "",
                                     td->val_codes[k]);
                    if (w < 0 || (size_t)w >= sizeof(held) - o) {
                        snprintf(held + o, sizeof(held) - o, ", ...");
                        break;
                    }
                    o += (size_t)w;
                }
                diag_add(d, path, tline, "--date %s is not in the file, which holds %s", date_opt,
                         held);
            } else {
                diag_add(d, path, tline,
                         "the file holds %zu periods; give --date YYYY-MM-DD to choose one "
                         "(a year stands for 31 December, a month for its last day)",
                         td->n);
            }
            e = ERR_INVALID;
            goto out;
        }
        tpick = found;
        px_time_date(td->val_codes[tpick], &out->date);
    }
    *lines = calloc(c.dims[reg].n, sizeof(long));
    if (!*lines) {
        e = ERR_NOMEM;
        goto out;
    }
    size_t *idx = calloc(c.ndims, sizeof(size_t));
    if (!idx) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t r = 0; r < c.dims[reg].n && !e; r++) {
        for (size_t i = 0; i < c.ndims; i++)
            idx[i] = i == reg ? r : i == tim ? tpick : 0;
        size_t cell = cube_index(&c, idx);
        long line = cell_line ? cell_line[cell] : 0;
        const char *code = c.dims[reg].val_codes[r];
        if (!strcmp(code, "00") || !strcasecmp(code, "riket"))
            continue;
        if (c.status[cell] != CUBE_OK) {
            diag_add(d, path, line, "no value for '%s' (symbol '%s')", code,
                     cube_status_symbol(c.status[cell]));
            nerr++;
            continue;
        }
        double v = c.value[cell];
        if (v < 0) {
            diag_add(d, path, line, "value for '%s' is negative (%.0f)", code, v);
            nerr++;
            continue;
        }
        if (v != (double)(int64_t)v || v > 1e12) {
            diag_add(d, path, line, "value for '%s' is not a whole number (%g)", code, v);
            nerr++;
            continue;
        }
        (*lines)[out->n] = line;
        if (strlen(code) > 4) {
            diag_add(d, path, line, "'%s' is not a kommunkod or länskod", code);
            nerr++;
            continue;
        }
        e = series_push(out, code, (int64_t)v);
    }
    free(idx);
    if (!e && nerr)
        e = ERR_INVALID;
    if (!e) {
        const char *base = strrchr(path, '/');
        str_copy(out->source, sizeof(out->source), base ? base + 1 : path);
    }
out:
    if (e) {
        free(*lines);
        *lines = NULL;
    }
    free(cell_line);
    cube_release(&c);
    buf_release(&b);
    return e;
}

static int is_px(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcasecmp(path + n - 3, ".px") == 0;
}

/* --only: the codes, one kind of recipient, each once; the recipients of
 * that kind not named into *missing. 0, or -1 with the problems in d. */
static int only_parse(const char *only, const struct recipients *rec, struct code_list *codes,
                      enum role *kind, struct recipient **missing, size_t *nmissing, struct diag *d)
{
    char buf[4096];
    size_t before = d->total;
    *kind = (enum role)0;
    memset(codes, 0, sizeof(*codes));
    if (strlen(only) >= sizeof(buf)) {
        diag_add(d, NULL, 0, "--only is too long");
        return -1;
    }
    str_copy(buf, sizeof(buf), only);
    for (char *p = buf, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        str_trim(p);
        enum role r = org_code_role(p);
        const struct recipient *x = r == ROLE_KOMMUN   ? org_find(rec->kommuner, rec->nk, p)
                                    : r == ROLE_REGION ? org_find(rec->regioner, rec->nr, p)
                                                       : NULL;
        if (!x) {
            diag_add(d, NULL, 0, "--only: '%s' is no kommunkod or länskod of a recipient", p);
            continue;
        }
        if (*kind != (enum role)0 && r != *kind) {
            diag_add(d, NULL, 0, "--only: '%s' is a %s, the first code a %s: one kind only", p,
                     r == ROLE_REGION ? "länskod" : "kommunkod",
                     r == ROLE_REGION ? "kommunkod" : "länskod");
            continue;
        }
        *kind = r;
        if (code_list_has(codes, p)) {
            diag_add(d, NULL, 0, "--only: '%s' appears twice", p);
            continue;
        }
        if (code_list_add(codes, p) != ERR_OK) {
            diag_add(d, NULL, 0, "--only: too many codes");
            break;
        }
    }
    if (d->total > before)
        return -1;
    const struct recipient *all = *kind == ROLE_KOMMUN ? rec->kommuner : rec->regioner;
    size_t n = *kind == ROLE_KOMMUN ? rec->nk : rec->nr;
    *missing = calloc(n ? n : 1, sizeof(**missing));
    if (!*missing) {
        diag_add(d, NULL, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!code_list_has(codes, all[i].code))
            (*missing)[(*nmissing)++] = all[i];
    return 0;
}

static enum err import_series(struct store *s, const struct svc_actor *who, int64_t now,
                              const char *path, const struct import_opts *o, const char *only,
                              struct series *out, struct recipient **missing, size_t *nmissing,
                              struct diag *d, struct svc_result *res)
{
    struct svc_call c;
    struct recipients rec;
    struct diag local;
    struct code_list codes;
    enum role kind = (enum role)0;
    long *lines = NULL;
    memset(&codes, 0, sizeof(codes));
    memset(&rec, 0, sizeof(rec));
    series_init(out, o->kind);
    diag_init(&local, 20);
    if (!d)
        d = &local;
    enum err e = svc_begin(&c, s, who, ACT_SERIES_IMPORT, now, res);
    if (e)
        goto out;
    e = refdata_recipients(s, &rec);
    if (e) {
        diag_add(d, NULL, 0, "cannot read the recipients: %s", store_errmsg(s));
        goto out;
    }
    if (is_px(path)) {
        e = refdata_px_series(path, o->date, out, &lines, d);
    } else {
        struct valfile_opts vo = {o->kind == SERIES_METRIC ? "value" : NULL, 0};
        e = valfile_read(path, o->kind, &vo, out, &lines, d);
    }
    if (e)
        goto out;
    out->kind = o->kind;
    str_copy(out->name, sizeof(out->name), o->name);
    out->illustrative = o->illustrative;
    if (o->date) {
        struct date dd;
        if (date_parse(o->date, &dd) != ERR_OK) {
            diag_add(d, NULL, 0, "--date '%s' is not a date (YYYY-MM-DD)", o->date);
            e = ERR_INVALID;
            goto out;
        }
        out->date = dd;
    }
    if (o->kind == SERIES_POPULATION && !date_is_set(out->date)) {
        diag_add(d, path, 0,
                 "the file does not give its reference date; give it with --date YYYY-MM-DD");
        e = ERR_INVALID;
        goto out;
    }
    if (only && o->kind != SERIES_POPULATION) {
        diag_add(d, NULL, 0, "--only is for a population table (a metric may lack recipients)");
        e = ERR_INVALID;
        goto out;
    }
    if (only && only_parse(only, &rec, &codes, &kind, missing, nmissing, d) != 0) {
        e = ERR_INVALID;
        goto out;
    }
    e = series_check_codes(out, lines, path, rec.kommuner, rec.nk, rec.regioner, rec.nr,
                           o->kind == SERIES_POPULATION && !only, d);
    if (e)
        goto out;
    /* --only: exactly the codes named, no more and no fewer */
    for (size_t i = 0; only && i < out->n; i++)
        if (!code_list_has(&codes, out->v[i].code)) {
            diag_add(d, path, lines ? lines[i] : 0, "'%s' is not in --only", out->v[i].code);
            e = ERR_INVALID;
        }
    for (size_t i = 0; only && i < codes.n; i++) {
        int64_t v;
        if (!series_get(out, codes.code[i], &v)) {
            diag_add(d, path, 0, "'%s' is in --only but the file has no value for it",
                     codes.code[i]);
            e = ERR_INVALID;
        }
    }
    if (e)
        goto out;
    const char *dup;
    series_sort(out, &dup);
    if (refdata_sha256_file(path, out->sha256) != ERR_OK) {
        diag_add(d, path, 0, "cannot read the file");
        e = ERR_IO;
        goto out;
    }
    char obj[128], after[160 + 16 * 8];
    char ds[16];
    date_fmt(ds, sizeof(ds), out->date);
    snprintf(obj, sizeof(obj), "%s:%s%s%s", series_kind_name(o->kind), out->name, ds[0] ? "@" : "",
             ds);
    int at = snprintf(after, sizeof(after), "sha256=%s values=%zu", out->sha256, out->n);
    /* --only: the recipients it has no value for, named (the first 16) */
    if (only && at > 0 && (size_t)at < sizeof(after))
        at += snprintf(after + at, sizeof(after) - (size_t)at, " missing=%zu", *nmissing);
    for (size_t i = 0; only && i < *nmissing && i < 16 && at > 0 && (size_t)at < sizeof(after); i++)
        at += snprintf(after + at, sizeof(after) - (size_t)at, "%s%s", i ? "," : ":",
                       (*missing)[i].code);
    e = svc_write(&c);
    if (e)
        goto out;
    e = store_series_put(s, out, c.nowiso);
    if (e)
        diag_add(d, NULL, 0, "cannot store the series: %s", store_errmsg(s));
    if (!e) {
        e = svc_audit(&c, obj, NULL, after);
        if (e)
            diag_add(d, NULL, 0, "cannot write the audit record: %s", store_errmsg(s));
    }
out:
    if (e == ERR_PARSE || e == ERR_INVALID || e == ERR_IO)
        e = svc_fail(&c, e, M_("Ingenting lästes in: filen har fel."));
    e = svc_end(&c, e);
    if (e)
        series_release(out);
    (void)kind;
    code_list_release(&codes);
    free(lines);
    recipients_release(&rec);
    diag_release(&local);
    return e;
}

enum err refdata_import(struct store *s, const struct svc_actor *who, int64_t now, const char *path,
                        const struct import_opts *o, struct series *out, struct diag *d,
                        struct svc_result *res)
{
    return import_series(s, who, now, path, o, NULL, out, NULL, NULL, d, res);
}

enum err refdata_import_only(struct store *s, const struct svc_actor *who, int64_t now,
                             const char *path, const struct import_opts *o, const char *only,
                             struct series *out, struct recipient **missing, size_t *nmissing,
                             struct diag *d, struct svc_result *res)
{
    *missing = NULL;
    *nmissing = 0;
    return import_series(s, who, now, path, o, only ? only : "", out, missing, nmissing, d, res);
}

enum err refdata_series_list(struct store *s, const struct svc_actor *who, int64_t now,
                             struct store_series_info **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_SERIES_READ, now, res);
    if (e == ERR_OK)
        e = store_series_list(s, out, n);
    return svc_end(&c, e);
}
