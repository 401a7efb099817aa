/* jsonstat.c - write a cube as a JSON-stat 2.0 dataset (jansson).
 *
 * The dataset carries version, class, label, source, updated, id, size,
 * role (time, metric), one dimension per cube dimension with its category
 * index and labels (and unit + decimals for the contents dimension), the
 * values (null for cells without a value), a status symbol per such cell,
 * the note, and an extension with what JSON-stat has no place for. */
#include "io/jsonstat.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set key to a new value, dropping the reference; returns -1 on failure. */
static int js_set(json_t *obj, const char *key, json_t *v)
{
    return v ? json_object_set_new(obj, key, v) : -1;
}

static int js_set_str(json_t *obj, const char *key, const char *s)
{
    return s ? js_set(obj, key, json_string(s)) : 0;
}

static json_t *js_number(double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *js_dimension(const struct cube_dim *d, const struct cube *c)
{
    json_t *dim = json_object();
    json_t *cat = json_object();
    json_t *index = json_array();
    json_t *label = json_object();
    json_t *unit = d->is_contents ? json_object() : NULL;
    int bad = !dim || !cat || !index || !label || (d->is_contents && !unit);
    for (size_t i = 0; i < d->n && !bad; i++) {
        bad |= json_array_append_new(index, json_string(d->val_codes[i])) != 0;
        bad |= js_set(label, d->val_codes[i], json_string(d->val_labels[i])) != 0;
        if (unit) {
            json_t *u = json_object();
            const char *us = d->val_units && d->val_units[i] ? d->val_units[i] : c->unit;
            int dec = d->val_decimals ? d->val_decimals[i] : c->decimals;
            bad |= !u || js_set_str(u, "label", us ? us : "") != 0 ||
                   js_set(u, "decimals", json_integer(dec)) != 0;
            bad |= js_set(unit, d->val_codes[i], u) != 0;
        }
    }
    if (!bad) {
        bad |= js_set_str(dim, "label", d->label) != 0;
        bad |= js_set(cat, "index", index) != 0;
        index = NULL;
        bad |= js_set(cat, "label", label) != 0;
        label = NULL;
        if (unit) {
            bad |= js_set(cat, "unit", unit) != 0;
            unit = NULL;
        }
        bad |= js_set(dim, "category", cat) != 0;
        cat = NULL;
    }
    json_decref(index);
    json_decref(label);
    json_decref(unit);
    json_decref(cat);
    if (bad) {
        json_decref(dim);
        return NULL;
    }
    return dim;
}

enum err jsonstat_write_cube(const struct cube *c, struct buf *out)
{
    enum err err = ERR_NOMEM;
    char *text = NULL;
    json_t *root = json_object();
    json_t *id = json_array(), *size = json_array(), *dims = json_object();
    json_t *role = json_object(), *time = json_array(), *metric = json_array();
    json_t *value = json_array(), *status = json_object(), *ext = json_object();
    if (!root || !id || !size || !dims || !role || !time || !metric || !value || !status || !ext)
        goto out;
    if ((c->ncells > 0 && (!c->value || !c->status))) {
        err = ERR_INVALID;
        goto out;
    }
    int bad = 0;
    bad |= js_set_str(root, "version", "2.0");
    bad |= js_set_str(root, "class", "dataset");
    bad |= js_set_str(root, "label", c->title);
    bad |= js_set_str(root, "source", c->source);
    bad |= js_set_str(root, "updated", c->updated);
    for (size_t i = 0; i < c->ndims && !bad; i++) {
        const struct cube_dim *d = &c->dims[i];
        if (json_object_get(dims, d->code)) {
            err = ERR_INVALID; /* JSON-stat needs unique dimension ids */
            goto out;
        }
        bad |= json_array_append_new(id, json_string(d->code));
        bad |= json_array_append_new(size, json_integer((json_int_t)d->n));
        bad |= js_set(dims, d->code, js_dimension(d, c));
        if (d->is_time)
            bad |= json_array_append_new(time, json_string(d->code));
        if (d->is_contents)
            bad |= json_array_append_new(metric, json_string(d->code));
    }
    bad |= js_set(root, "id", id);
    id = NULL;
    bad |= js_set(root, "size", size);
    size = NULL;
    if (json_array_size(time) > 0) {
        bad |= js_set(role, "time", time);
        time = NULL;
    }
    if (json_array_size(metric) > 0) {
        bad |= js_set(role, "metric", metric);
        metric = NULL;
    }
    if (json_object_size(role) > 0) {
        bad |= js_set(root, "role", role);
        role = NULL;
    }
    bad |= js_set(root, "dimension", dims);
    dims = NULL;
    int used[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < c->ncells && !bad; i++) {
        unsigned char st = c->status[i];
        if (st == CUBE_OK) {
            bad |= json_array_append_new(value, js_number(c->value[i]));
            continue;
        }
        if (st > CUBE_NA)
            st = CUBE_MISSING;
        used[st] = 1;
        char key[32];
        snprintf(key, sizeof(key), "%zu", i);
        bad |= json_array_append_new(value, json_null());
        bad |= js_set_str(status, key, cube_status_symbol((enum cube_status)st));
    }
    bad |= js_set(root, "value", value);
    value = NULL;
    if (json_object_size(status) > 0) {
        bad |= js_set(root, "status", status);
        status = NULL;
    }
    if (c->note) {
        json_t *note = json_array();
        bad |= !note || json_array_append_new(note, json_string(c->note)) != 0;
        bad |= js_set(root, "note", note);
    }
    /* what JSON-stat has no field for */
    bad |= js_set_str(ext, "contents", c->contents);
    bad |= js_set_str(ext, "unit", c->unit);
    bad |= js_set(ext, "decimals", json_integer(c->decimals));
    bad |= js_set_str(ext, "matrix", c->matrix);
    bad |= js_set_str(ext, "lang", c->lang);
    json_t *symbols = json_object();
    bad |= !symbols;
    for (int s = CUBE_SUPPRESSED; s <= CUBE_NA && !bad; s++)
        if (used[s])
            bad |= js_set_str(symbols, cube_status_symbol((enum cube_status)s),
                              cube_status_name((enum cube_status)s));
    bad |= js_set(ext, "status", symbols);
    /* the one legend of every output (core/cube.h), in Swedish */
    bad |= js_set_str(ext, "legend", cube_legend(c));
    bad |= js_set(root, "extension", ext);
    ext = NULL;
    if (bad)
        goto out;
    text = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
    if (!text)
        goto out;
    err = buf_puts(out, text);
    if (!err)
        err = buf_putc(out, '\n');
out:
    free(text);
    json_decref(root);
    json_decref(id);
    json_decref(size);
    json_decref(dims);
    json_decref(role);
    json_decref(time);
    json_decref(metric);
    json_decref(value);
    json_decref(status);
    json_decref(ext);
    return err;
}
