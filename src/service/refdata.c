/* refdata.c - organisations and series: load, import, check. */
#include "service/refdata.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "io/valfile.h"
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

enum err refdata_load_orgs(struct store *s, const char *kommuner_csv, const char *regioner_csv,
                           struct diag *d)
{
    struct csv_table tk, tr;
    memset(&tr, 0, sizeof(tr));
    enum err e = csv_read_file(kommuner_csv, &tk, d);
    if (e)
        return e;
    if ((e = csv_read_file(regioner_csv, &tr, d)))
        goto out;
    if (csv_col(&tk, "kommunkod") < 0 || csv_col(&tk, "kommun") < 0 || csv_col(&tk, "lanskod") < 0) {
        diag_add(d, kommuner_csv, 1, "expected the header kommunkod,kommun,lanskod,lan");
        e = ERR_PARSE;
        goto out;
    }
    if (csv_col(&tr, "lanskod") < 0 || csv_col(&tr, "region") < 0) {
        diag_add(d, regioner_csv, 1, "expected the header lanskod,lan,region,...");
        e = ERR_PARSE;
        goto out;
    }
    if ((e = store_begin(s)))
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
        str_copy(o.lan_code, sizeof(o.lan_code), lk);
        str_copy(o.lan_name, sizeof(o.lan_name), field(&tr, rr, "lan"));
        e = store_org_put(s, &o);
        if (e)
            diag_add(d, regioner_csv, rr->line, "cannot store '%s': %s", lk, store_errmsg(s));
    }
    if (e)
        store_rollback(s);
    else
        e = store_commit(s);
out:
    csv_table_release(&tk);
    csv_table_release(&tr);
    return e;
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

/* A population series from a PX file (PxWeb download, region x time). */
static enum err refdata_px_series(const char *path, enum series_kind kind, struct series *out,
                                  long **lines, struct diag *d)
{
    (void)kind;
    (void)out;
    *lines = NULL;
    diag_add(d, path, 0, "PX import is not available in this build yet");
    return ERR_INVALID;
}

static int is_px(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcasecmp(path + n - 3, ".px") == 0;
}

enum err refdata_import(struct store *s, const char *path, const struct import_opts *o,
                        struct series *out, struct diag *d)
{
    struct recipients rec;
    long *lines = NULL;
    series_init(out, o->kind);
    enum err e = refdata_recipients(s, &rec);
    if (e) {
        diag_add(d, NULL, 0, "cannot read the recipients: %s", store_errmsg(s));
        return e;
    }
    size_t before = d->total;
    if (is_px(path)) {
        e = refdata_px_series(path, o->kind, out, &lines, d);
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
    e = series_check_codes(out, lines, path, rec.kommuner, rec.nk, rec.regioner, rec.nr,
                           o->kind == SERIES_POPULATION, d);
    if (e)
        goto out;
    const char *dup;
    series_sort(out, &dup);
    if (refdata_sha256_file(path, out->sha256) != ERR_OK) {
        diag_add(d, path, 0, "cannot read the file");
        e = ERR_IO;
        goto out;
    }
    e = store_series_put(s, out, o->now);
    if (e)
        diag_add(d, NULL, 0, "cannot store the series: %s", store_errmsg(s));
out:
    if (!e && d->total > before)
        e = ERR_INVALID;
    if (e)
        series_release(out);
    free(lines);
    recipients_release(&rec);
    return e;
}
