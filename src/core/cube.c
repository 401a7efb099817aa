/* cube.c - a statistical table: dimensions and cells. */
#include "core/cube.h"

#include <stdlib.h>
#include <string.h>

void cube_init(struct cube *c)
{
    memset(c, 0, sizeof(*c));
}

static void dim_release(struct cube_dim *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->val_codes ? d->val_codes[i] : NULL);
        free(d->val_labels ? d->val_labels[i] : NULL);
        free(d->val_units ? d->val_units[i] : NULL);
    }
    free(d->val_codes);
    free(d->val_labels);
    free(d->val_units);
    free(d->val_decimals);
    free(d->code);
    free(d->label);
}

void cube_release(struct cube *c)
{
    for (size_t i = 0; i < c->ndims; i++)
        dim_release(&c->dims[i]);
    free(c->dims);
    free(c->value);
    free(c->status);
    free(c->title);
    free(c->source);
    free(c->note);
    free(c->unit);
    free(c->contents);
    free(c->matrix);
    free(c->subject_code);
    free(c->subject_area);
    free(c->updated);
    free(c->lang);
    cube_init(c);
}

enum err cube_set_str(char **field, const char *s)
{
    char *n = s ? strdup(s) : NULL;
    if (s && !n)
        return ERR_NOMEM;
    free(*field);
    *field = n;
    return ERR_OK;
}

enum err cube_add_dim(struct cube *c, const char *code, const char *label, size_t n,
                      const char *const *val_codes, const char *const *val_labels)
{
    struct cube_dim *nd = realloc(c->dims, (c->ndims + 1) * sizeof(*nd));
    if (!nd)
        return ERR_NOMEM;
    c->dims = nd;
    struct cube_dim *d = &c->dims[c->ndims];
    memset(d, 0, sizeof(*d));
    d->total = -1;
    d->code = strdup(code);
    d->label = strdup(label ? label : code);
    d->val_codes = calloc(n ? n : 1, sizeof(char *));
    d->val_labels = calloc(n ? n : 1, sizeof(char *));
    if (!d->code || !d->label || !d->val_codes || !d->val_labels) {
        dim_release(d);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        d->val_codes[i] = strdup(val_codes[i]);
        d->val_labels[i] = strdup(val_labels ? val_labels[i] : val_codes[i]);
        d->n = i + 1;
        if (!d->val_codes[i] || !d->val_labels[i]) {
            dim_release(d);
            return ERR_NOMEM;
        }
    }
    d->n = n;
    c->ndims++;
    return ERR_OK;
}

enum err cube_alloc_cells(struct cube *c)
{
    size_t n = 1;
    for (size_t i = 0; i < c->ndims; i++) {
        if (c->dims[i].n && n > SIZE_MAX / c->dims[i].n)
            return ERR_LIMIT;
        n *= c->dims[i].n;
    }
    free(c->value);
    free(c->status);
    c->value = calloc(n ? n : 1, sizeof(double));
    c->status = calloc(n ? n : 1, 1);
    if (!c->value || !c->status)
        return ERR_NOMEM;
    c->ncells = n;
    return ERR_OK;
}

size_t cube_index(const struct cube *c, const size_t *idx)
{
    size_t k = 0;
    for (size_t i = 0; i < c->ndims; i++)
        k = k * c->dims[i].n + idx[i];
    return k;
}

void cube_coords(const struct cube *c, size_t cell, size_t *idx)
{
    for (size_t i = c->ndims; i-- > 0;) {
        size_t n = c->dims[i].n ? c->dims[i].n : 1;
        idx[i] = cell % n;
        cell /= n;
    }
}

const char *cube_status_symbol(enum cube_status s)
{
    switch (s) {
    case CUBE_OK:
        return "";
    case CUBE_SUPPRESSED:
        return "x";
    case CUBE_MISSING:
        return "..";
    case CUBE_NA:
        return ".";
    }
    return "..";
}

const char *cube_status_name(enum cube_status s)
{
    switch (s) {
    case CUBE_OK:
        return "value";
    case CUBE_SUPPRESSED:
        return "suppressed (disclosure control)";
    case CUBE_MISSING:
        return "missing";
    case CUBE_NA:
        return "not applicable";
    }
    return "missing";
}

const char *cube_status_label(enum cube_status s)
{
    switch (s) {
    case CUBE_OK:
        return "";
    case CUBE_SUPPRESSED:
        return "sekretess (röjandekontroll)";
    case CUBE_MISSING:
        return "uppgift saknas";
    case CUBE_NA:
        return "uppgift kan inte förekomma";
    }
    return "uppgift saknas";
}

const char *cube_legend(const struct cube *c)
{
    /* the symbols in a fixed order; missing and not applicable always, the
     * withheld cells only where a table has them (a PX file read in) */
    static const char *const legend[2] = {
        ".. = uppgift saknas; . = uppgift kan inte förekomma",
        ".. = uppgift saknas; . = uppgift kan inte förekomma; x = sekretess (röjandekontroll)"};
    int sup = 0;
    for (size_t i = 0; c && c->status && i < c->ncells && !sup; i++)
        sup = c->status[i] == CUBE_SUPPRESSED;
    return legend[sup];
}

enum err cube_chart_view(const struct cube *c, struct cube *out)
{
    cube_init(out);
    if (!c || c->ndims == 0 || !c->value || !c->status)
        return ERR_INVALID;
    enum err e = ERR_NOMEM;
    size_t nd = c->ndims;
    size_t *keep = calloc(nd, sizeof(size_t)); /* kept values per dimension */
    size_t **map = calloc(nd, sizeof(size_t *));
    size_t *idx = calloc(nd, sizeof(size_t));
    if (!keep || !map || !idx)
        goto out;
    for (size_t i = 0; i < nd && e == ERR_NOMEM; i++) {
        const struct cube_dim *d = &c->dims[i];
        map[i] = calloc(d->n ? d->n : 1, sizeof(size_t));
        const char **codes = malloc((d->n ? d->n : 1) * sizeof(char *));
        const char **labels = malloc((d->n ? d->n : 1) * sizeof(char *));
        if (!map[i] || !codes || !labels) {
            free(codes);
            free(labels);
            goto out;
        }
        for (size_t k = 0; k < d->n; k++) {
            int drop = (long)k == d->total || (d->is_contents && k > 0);
            if (drop)
                continue;
            map[i][keep[i]] = k;
            codes[keep[i]] = d->val_codes[k];
            labels[keep[i]] = d->val_labels[k];
            keep[i]++;
        }
        enum err ea =
            keep[i] ? cube_add_dim(out, d->code, d->label, keep[i], codes, labels) : ERR_INVALID;
        free(codes);
        free(labels);
        if (ea != ERR_OK) {
            e = ea;
            goto out;
        }
        struct cube_dim *od = &out->dims[out->ndims - 1];
        od->is_time = d->is_time;
        od->is_contents = d->is_contents;
        if (d->is_contents && d->val_decimals) {
            od->val_decimals = malloc(sizeof(int));
            if (!od->val_decimals)
                goto out;
            od->val_decimals[0] = d->val_decimals[0];
        }
        if (d->is_contents && d->val_units) {
            od->val_units = calloc(1, sizeof(char *));
            if (!od->val_units || cube_set_str(&od->val_units[0], d->val_units[0]) != ERR_OK)
                goto out;
        }
    }
    e = cube_alloc_cells(out);
    for (size_t cell = 0; cell < out->ncells && e == ERR_OK; cell++) {
        size_t src[64];
        cube_coords(out, cell, idx);
        for (size_t i = 0; i < nd && i < 64; i++)
            src[i] = map[i][idx[i]];
        size_t from = cube_index(c, src);
        out->value[cell] = c->value[from];
        out->status[cell] = c->status[from];
    }
    if (e == ERR_OK && nd > 64)
        e = ERR_LIMIT;
    if (e == ERR_OK) {
        e = cube_set_str(&out->title, c->title);
        if (e == ERR_OK)
            e = cube_set_str(&out->source, c->source);
        if (e == ERR_OK)
            e = cube_set_str(&out->note, c->note);
        if (e == ERR_OK)
            e = cube_set_str(&out->unit, c->unit);
        if (e == ERR_OK)
            e = cube_set_str(&out->contents, c->contents);
        out->decimals = c->decimals;
        out->no_aggregation = c->no_aggregation;
    }
out:
    for (size_t i = 0; map && i < nd; i++)
        free(map[i]);
    free(map);
    free(keep);
    free(idx);
    if (e != ERR_OK)
        cube_release(out);
    return e;
}
