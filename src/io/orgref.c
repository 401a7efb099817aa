/* orgref.c - organisation numbers from the reference data, checked. */
#include "io/orgref.h"

#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/str.h"

static const char *cell(const struct csv_table *t, const struct csv_row *r, int col)
{
    return col >= 0 && (size_t)col < r->n ? r->f[col] : "";
}

/* Why a number read from a file is not usable, in English for a
 * path:line message; NULL if it is fine for the role. */
static const char *why_bad(const char *s, enum role role, const char *code)
{
    if (!s[0])
        return "is missing";
    if (!str_is_digits(s, ORGNR_DIGITS))
        return "is not ten digits";
    if (s[2] < '2')
        return "is not a legal person's number (the third digit is below 2)";
    if (!orgnr_ok(s))
        return "has a wrong check digit";
    if (!orgnr_fits_recipient(s, role, code)) {
        if (role == ROLE_KOMMUN)
            return "does not begin " ORGNR_KOMMUN_PREFIX " as every kommun's does";
        return "does not begin " ORGNR_REGION_PREFIX " as every region's does";
    }
    return NULL;
}

static int cmp_ref(const void *a, const void *b)
{
    const struct orgref *x = a, *y = b;
    if (x->role != y->role)
        return x->role < y->role ? -1 : 1;
    return strcmp(x->code, y->code);
}

void orgref_list_release(struct orgref_list *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

const struct orgref *orgref_find(const struct orgref_list *l, enum role role, const char *code)
{
    struct orgref key;
    memset(&key, 0, sizeof(key));
    key.role = role;
    if (!code || str_copy(key.code, sizeof(key.code), code))
        return NULL;
    return bsearch(&key, l->v, l->n, sizeof(*l->v), cmp_ref);
}

enum err orgref_load(const char *kommuner_csv, const char *regioner_csv, struct orgref_list *out,
                     struct diag *d)
{
    struct csv_table tk, tr;
    memset(&tk, 0, sizeof(tk));
    memset(&tr, 0, sizeof(tr));
    memset(out, 0, sizeof(*out));
    struct orgref *v = NULL;
    long *line = NULL;
    const char **path = NULL;
    size_t bad = 0;
    enum err e = csv_read_file(kommuner_csv, &tk, d);
    if (e)
        goto out;
    e = csv_read_file(regioner_csv, &tr, d);
    if (e)
        goto out;
    int kc = csv_col(&tk, "kommunkod"), kn = csv_col(&tk, "kommun"), kl = csv_col(&tk, "lanskod"),
        ko = csv_col(&tk, "orgnr"), kf = csv_col(&tk, "namn");
    int rc = csv_col(&tr, "lanskod"), rn = csv_col(&tr, "region"),
        ra = csv_col(&tr, "antal_kommuner"), ro = csv_col(&tr, "orgnr");
    e = ERR_PARSE;
    if (kc < 0 || kn < 0 || kl < 0 || ko < 0 || kf < 0) {
        diag_add(d, kommuner_csv, tk.header_line > 0 ? tk.header_line : 1,
                 "expected the columns kommunkod, kommun, lanskod, orgnr and namn");
        goto out;
    }
    if (rc < 0 || rn < 0 || ra < 0 || ro < 0) {
        diag_add(d, regioner_csv, tr.header_line > 0 ? tr.header_line : 1,
                 "expected the columns lanskod, region, antal_kommuner and orgnr");
        goto out;
    }
    size_t total = tk.nrows + tr.nrows;
    e = ERR_NOMEM;
    v = calloc(total ? total : 1, sizeof(*v));
    line = calloc(total ? total : 1, sizeof(*line));
    path = calloc(total ? total : 1, sizeof(*path));
    if (!v || !line || !path)
        goto out;
    size_t k = 0;
    for (size_t i = 0; i < tk.nrows; i++, k++) {
        const struct csv_row *r = &tk.rows[i];
        struct orgref *o = &v[k];
        const char *code = cell(&tk, r, kc);
        line[k] = r->line;
        path[k] = kommuner_csv;
        if (!str_is_digits(code, 4)) {
            diag_add(d, kommuner_csv, r->line, "'%s' is not a kommunkod (4 digits)", code);
            bad++;
            continue;
        }
        o->role = ROLE_KOMMUN;
        str_copy(o->code, sizeof(o->code), code);
        str_copy(o->name, sizeof(o->name), cell(&tk, r, kn));
        if (str_copy(o->official_name, sizeof(o->official_name), cell(&tk, r, kf)) ||
            !o->official_name[0]) {
            diag_add(d, kommuner_csv, r->line,
                     "the official name (column namn) of kommun '%s' is %s", code,
                     o->official_name[0] ? "too long" : "empty");
            bad++;
            continue;
        }
        const char *nr = cell(&tk, r, ko);
        const char *why = why_bad(nr, ROLE_KOMMUN, code);
        if (why) {
            diag_add(d, kommuner_csv, r->line, "the organisation number '%s' of kommun '%s' %s", nr,
                     code, why);
            bad++;
            continue;
        }
        str_copy(o->orgnr, sizeof(o->orgnr), nr);
    }
    for (size_t i = 0; i < tr.nrows; i++, k++) {
        const struct csv_row *r = &tr.rows[i];
        struct orgref *o = &v[k];
        const char *code = cell(&tr, r, rc);
        line[k] = r->line;
        path[k] = regioner_csv;
        if (!str_is_digits(code, 2)) {
            diag_add(d, regioner_csv, r->line, "'%s' is not a länskod (2 digits)", code);
            bad++;
            continue;
        }
        o->role = ROLE_REGION;
        str_copy(o->code, sizeof(o->code), code);
        str_copy(o->name, sizeof(o->name), cell(&tr, r, rn));
        str_copy(o->official_name, sizeof(o->official_name), o->name);
        const char *nr = cell(&tr, r, ro);
        if (strcmp(cell(&tr, r, ra), "1") == 0) {
            /* a län with one kommun: the kommun is the region (Gotland) */
            const char *kommun_nr = NULL;
            for (size_t j = 0; j < tk.nrows; j++)
                if (strcmp(cell(&tk, &tk.rows[j], kl), code) == 0)
                    kommun_nr = cell(&tk, &tk.rows[j], ko);
            if (!kommun_nr || strcmp(kommun_nr, nr) != 0) {
                diag_add(d, regioner_csv, r->line,
                         "region '%s' is its län's only kommun and must have the kommun's "
                         "organisation number '%s', not '%s'",
                         code, kommun_nr ? kommun_nr : "", nr);
                bad++;
                continue;
            }
            if (!orgnr_ok(nr)) {
                diag_add(d, regioner_csv, r->line, "the organisation number '%s' of region '%s' %s",
                         nr, code, why_bad(nr, ROLE_KOMMUN, "0000"));
                bad++;
                continue;
            }
        } else {
            const char *why = why_bad(nr, ROLE_REGION, code);
            if (why) {
                diag_add(d, regioner_csv, r->line, "the organisation number '%s' of region '%s' %s",
                         nr, code, why);
                bad++;
                continue;
            }
        }
        str_copy(o->orgnr, sizeof(o->orgnr), nr);
    }
    /* one number, one organisation: only the single-kommun region shares */
    for (size_t i = 0; i < total; i++) {
        if (!v[i].orgnr[0])
            continue;
        for (size_t j = i + 1; j < total; j++) {
            if (strcmp(v[i].orgnr, v[j].orgnr) != 0)
                continue;
            int shared = v[i].role == ROLE_KOMMUN && v[j].role == ROLE_REGION;
            if (shared) {
                const struct csv_row *rr = NULL;
                for (size_t m = 0; m < tr.nrows; m++)
                    if (tr.rows[m].line == line[j])
                        rr = &tr.rows[m];
                shared = rr && strcmp(cell(&tr, rr, ra), "1") == 0;
                for (size_t m = 0; shared && m < tk.nrows; m++)
                    if (tk.rows[m].line == line[i])
                        shared = strcmp(cell(&tk, &tk.rows[m], kl), v[j].code) == 0;
            }
            if (!shared) {
                diag_add(d, path[j], line[j],
                         "the organisation number '%s' is also given at %s:%ld", v[j].orgnr,
                         path[i], line[i]);
                bad++;
            }
        }
    }
    if (bad) {
        e = ERR_INVALID;
        goto out;
    }
    qsort(v, total, sizeof(*v), cmp_ref);
    out->v = v;
    out->n = total;
    out->nkommun = tk.nrows;
    out->nregion = tr.nrows;
    v = NULL;
    e = ERR_OK;
out:
    free(v);
    free(line);
    free(path);
    csv_table_release(&tk);
    csv_table_release(&tr);
    return e;
}
