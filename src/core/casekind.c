/* casekind.c - the case kinds' table and their shared state machine
 * (casekind.h). */
#include "core/casekind.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

static const char *const state_ids[CASE_STATE_COUNT] = {"draft", "submitted", "returned", "decided",
                                                        "withdrawn"};
static const char *const outcome_ids[CASE_OUTCOME_COUNT] = {"", "approved", "partly_approved",
                                                            "rejected"};
static const char *const verb_ids[CASE_VERB_COUNT] = {"save",   "submit", "withdraw", "return",
                                                      "decide", "note",   "assign",   "attach"};

const char *case_state_id(enum case_state s)
{
    if ((int)s < 0 || (int)s >= CASE_STATE_COUNT)
        return "";
    return state_ids[s];
}

int case_state_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < CASE_STATE_COUNT; i++) {
        if (strcmp(s, state_ids[i]) == 0)
            return i;
    }
    return -1;
}

const char *case_outcome_id(enum case_outcome o)
{
    if ((int)o < 0 || (int)o >= CASE_OUTCOME_COUNT)
        return "";
    return outcome_ids[o];
}

int case_outcome_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < CASE_OUTCOME_COUNT; i++) {
        if (strcmp(s, outcome_ids[i]) == 0)
            return i;
    }
    return -1;
}

const char *case_verb_id(enum case_verb v)
{
    if ((int)v < 0 || (int)v >= CASE_VERB_COUNT)
        return "";
    return verb_ids[v];
}

/* The state after each verb in each state; -1: not allowed. */
static const signed char next_state[CASE_STATE_COUNT][CASE_VERB_COUNT] = {
    /*                save          submit          withdraw        return         decide
                      note          assign          attach */
    [CASE_DRAFT] = {CASE_DRAFT, CASE_SUBMITTED, CASE_WITHDRAWN, -1, -1, -1, -1, CASE_DRAFT},
    [CASE_SUBMITTED] = {-1, -1, CASE_WITHDRAWN, CASE_RETURNED, CASE_DECIDED, CASE_SUBMITTED,
                        CASE_SUBMITTED, CASE_SUBMITTED},
    [CASE_RETURNED] = {CASE_RETURNED, CASE_SUBMITTED, CASE_WITHDRAWN, -1, -1, CASE_RETURNED,
                       CASE_RETURNED, CASE_RETURNED},
    [CASE_DECIDED] = {-1, -1, -1, -1, -1, CASE_DECIDED, -1, -1},
    [CASE_WITHDRAWN] = {-1, -1, -1, -1, -1, -1, -1, -1},
};

enum err case_transition(enum case_state from, enum case_verb v, enum case_state *to)
{
    if ((int)from < 0 || (int)from >= CASE_STATE_COUNT || (int)v < 0 || (int)v >= CASE_VERB_COUNT)
        return ERR_INVALID;
    int n = next_state[from][v];
    if (n < 0)
        return ERR_CONFLICT;
    if (to)
        *to = (enum case_state)n;
    return ERR_OK;
}

int case_state_final(enum case_state s)
{
    return s == CASE_DECIDED || s == CASE_WITHDRAWN;
}

enum case_outcome case_outcome_of(int64_t asked_ore, int64_t granted_ore)
{
    if (granted_ore <= 0)
        return CASE_REJECTED;
    if (asked_ore < 0 || granted_ore >= asked_ore)
        return CASE_APPROVED;
    return CASE_PARTLY_APPROVED;
}

int case_outcome_needs_reasons(enum case_outcome o)
{
    return o == CASE_PARTLY_APPROVED || o == CASE_REJECTED;
}

/* --- the table --------------------------------------------------------- */

static pthread_mutex_t kinds_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct case_kind *kinds[CASE_KINDS_MAX];
static size_t nkinds;

static int id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 1 || n >= CASE_KIND_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

static int prefix_ok(const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n < 1 || n > 8)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 'A' || p[i] > 'Z')
            return 0;
    }
    return 1;
}

enum err case_kind_register(const struct case_kind *k)
{
    enum err e = ERR_OK;
    if (!k || !id_ok(k->id) || !prefix_ok(k->prefix) || !prefix_ok(k->decision) ||
        !k->codec.canon || !k->codec.validate || k->max_content == 0)
        return ERR_INVALID;
    pthread_mutex_lock(&kinds_lock);
    for (size_t i = 0; i < nkinds; i++) {
        if (kinds[i] == k)
            goto out; /* registered already: nothing to do */
        if (strcmp(kinds[i]->id, k->id) == 0 || strcmp(kinds[i]->prefix, k->prefix) == 0) {
            e = ERR_CONFLICT;
            goto out;
        }
    }
    if (nkinds >= CASE_KINDS_MAX) {
        e = ERR_LIMIT;
        goto out;
    }
    kinds[nkinds++] = k;
out:
    pthread_mutex_unlock(&kinds_lock);
    return e;
}

const struct case_kind *case_kind_find(const char *id)
{
    const struct case_kind *k = NULL;
    if (!id)
        return NULL;
    pthread_mutex_lock(&kinds_lock);
    for (size_t i = 0; i < nkinds && !k; i++) {
        if (strcmp(kinds[i]->id, id) == 0)
            k = kinds[i];
    }
    pthread_mutex_unlock(&kinds_lock);
    return k;
}

const struct case_kind *const *case_kinds(size_t *n)
{
    pthread_mutex_lock(&kinds_lock);
    *n = nkinds;
    pthread_mutex_unlock(&kinds_lock);
    return kinds;
}

/* --- generic codec ------------------------------------------------------ */

#define CANON_FLAGS (JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY)

static int dump_to_buf(const char *data, size_t n, void *ctx)
{
    return buf_append(ctx, data, n) == ERR_OK ? 0 : -1;
}

enum err case_canon_json(const json_t *content, struct buf *b)
{
    if (!content)
        return ERR_INVALID;
    if (json_dump_callback(content, dump_to_buf, b, CANON_FLAGS) != 0)
        return ERR_LIMIT;
    return ERR_OK;
}

void case_value_copy(char *out, size_t n, const char *src)
{
    if (!str_copy(out, n, src))
        return;
    size_t len = strlen(out);
    /* drop a partial UTF-8 sequence left at the end */
    size_t i = len;
    while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)out[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)out[i - 1];
        size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
        if (len - (i - 1) < need)
            out[i - 1] = '\0';
    }
}

/* A value as text for a diff: a string as it is, anything else as
 * canonical JSON, "" when absent. */
static enum err value_text(const json_t *v, char *out, size_t n)
{
    out[0] = '\0';
    if (!v)
        return ERR_OK;
    if (json_is_string(v)) {
        case_value_copy(out, n, json_string_value(v));
        return ERR_OK;
    }
    char *t = json_dumps(v, CANON_FLAGS);
    if (!t)
        return ERR_NOMEM;
    case_value_copy(out, n, t);
    free(t);
    return ERR_OK;
}

enum err case_diff_fields(const struct case_kind *k, const json_t *a, const json_t *b,
                          struct case_diff *out)
{
    enum err e = ERR_OK;
    char *ta = NULL, *tb = NULL;
    out->n = 0;
    for (size_t i = 0; i < k->nfields && out->n < CASE_DIFF_MAX; i++) {
        const json_t *va = a ? json_object_get(a, k->fields[i].name) : NULL;
        const json_t *vb = b ? json_object_get(b, k->fields[i].name) : NULL;
        ta = va ? json_dumps(va, CANON_FLAGS) : NULL;
        tb = vb ? json_dumps(vb, CANON_FLAGS) : NULL;
        if ((va && !ta) || (vb && !tb)) {
            e = ERR_NOMEM;
            goto out;
        }
        int same = (!ta && !tb) || (ta && tb && strcmp(ta, tb) == 0);
        if (!same) {
            struct case_change *c = &out->v[out->n++];
            c->label = k->fields[i].label;
            e = value_text(va, c->old_value, sizeof(c->old_value));
            if (e == ERR_OK)
                e = value_text(vb, c->new_value, sizeof(c->new_value));
            if (e != ERR_OK)
                goto out;
        }
        free(ta);
        free(tb);
        ta = tb = NULL;
    }
out:
    free(ta);
    free(tb);
    return e;
}

enum err case_canon(const struct case_kind *k, const json_t *content, char **out)
{
    struct buf b;
    *out = NULL;
    buf_init(&b, k->max_content);
    enum err e = k->codec.canon(content, &b);
    if (e == ERR_OK)
        e = buf_putc(&b, '\0');
    if (e == ERR_OK) {
        *out = buf_steal(&b);
        if (!*out)
            e = ERR_NOMEM;
    }
    buf_release(&b);
    return e;
}

enum err case_content_parse(const struct case_kind *k, const char *text, json_t **out)
{
    *out = NULL;
    if (!text)
        return ERR_PARSE;
    if (strlen(text) > k->max_content)
        return ERR_LIMIT;
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return ERR_PARSE;
    if (!json_is_object(j)) {
        json_decref(j);
        return ERR_PARSE;
    }
    *out = j;
    return ERR_OK;
}

/* --- slots and numbers ---------------------------------------------------- */

const struct case_slot *case_slot_find(const struct case_kind *k, const char *name)
{
    for (size_t i = 0; k && name && i < k->nslots; i++) {
        if (strcmp(k->slots[i].name, name) == 0)
            return &k->slots[i];
    }
    return NULL;
}

int case_slot_allows(const struct case_slot *sl, const char *type)
{
    for (size_t i = 0; sl && type && sl->types && sl->types[i]; i++) {
        if (strcmp(sl->types[i], type) == 0)
            return 1;
    }
    return 0;
}

enum err case_number_fmt(char *out, size_t n, const char *series, int year, long long seq)
{
    if (n)
        out[0] = '\0';
    if (!prefix_ok(series) || year < 1000 || year > 9999 || seq < 1)
        return ERR_INVALID;
    int w = snprintf(out, n, "%s-%04d-%06lld", series, year, seq);
    if (w < 0 || (size_t)w >= n) {
        if (n)
            out[0] = '\0';
        return ERR_LIMIT;
    }
    return ERR_OK;
}
