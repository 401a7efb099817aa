/* msg.c - messages as keys with typed arguments, rendered per language. */
#include "util/msg.h"

#include <stdio.h>
#include <string.h>

#include "util/civil.h"
#include "util/money.h"

/* Copy src into dst (n bytes), cut at a character boundary when long. */
static void copy_cut(char *dst, size_t n, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    if (len)
        memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The length of out[0..len) without a last character that is cut off. */
static size_t utf8_complete(char *out, size_t len)
{
    size_t p = len;
    while (p > 0 && ((unsigned char)out[p - 1] & 0xC0) == 0x80)
        p--;
    if (p == 0)
        return len;
    unsigned char lead = (unsigned char)out[p - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (p - 1) < need)
        len = p - 1;
    out[len] = '\0';
    return len;
}

static struct msg_arg arg(enum msg_arg_type t)
{
    struct msg_arg a;
    memset(&a, 0, sizeof(a));
    a.t = t;
    return a;
}

struct msg_arg msg_str(const char *s)
{
    struct msg_arg a = arg(MSG_STR);
    copy_cut(a.s, sizeof(a.s), s ? s : "");
    return a;
}

struct msg_arg msg_text(const char *sv)
{
    struct msg_arg a = arg(MSG_TEXT);
    copy_cut(a.s, sizeof(a.s), sv ? sv : "");
    return a;
}

struct msg_arg msg_int(int64_t v)
{
    struct msg_arg a = arg(MSG_INT);
    a.i = v;
    return a;
}

struct msg_arg msg_money(int64_t ore)
{
    struct msg_arg a = arg(MSG_MONEY);
    a.i = ore;
    return a;
}

struct msg_arg msg_kr(int64_t kr)
{
    struct msg_arg a = arg(MSG_KR);
    a.i = kr;
    return a;
}

struct msg_arg msg_date(struct date d)
{
    struct msg_arg a = arg(MSG_DATE);
    a.d = d;
    return a;
}

struct msg_arg msg_time(int64_t t)
{
    struct msg_arg a = arg(MSG_TIME);
    a.i = t;
    return a;
}

void msg_clear(struct msg *m)
{
    m->key = NULL;
    m->nargs = 0;
}

int msg_empty(const struct msg *m)
{
    return !m || !m->key || !m->key[0];
}

void msg_set(struct msg *m, struct msgkey key)
{
    msg_setv(m, key, 0, NULL);
}

void msg_setv(struct msg *m, struct msgkey key, size_t n, const struct msg_arg *args)
{
    m->key = key.sv;
    m->nargs = n < MSG_MAX_ARGS ? n : MSG_MAX_ARGS;
    for (size_t i = 0; i < m->nargs; i++)
        m->args[i] = args[i];
}

/* English amounts: "SEK 1,234" for whole kronor, "SEK 12.50" with öre. */
static void money_en(char *out, size_t n, int64_t ore)
{
    char kr[40];
    int64_t whole = ore / 100, cents = ore % 100;
    if (cents < 0)
        cents = -cents;
    if (ore < 0 && whole == 0)
        snprintf(kr, sizeof(kr), "-0");
    else
        i18n_fmt_int(LANG_EN, kr, sizeof(kr), whole);
    if (cents)
        snprintf(out, n, "SEK %s.%02lld", kr, (long long)cents);
    else
        snprintf(out, n, "SEK %s", kr);
}

static void fmt_arg(const struct msg_arg *a, enum lang l, char *out, size_t n)
{
    switch (a->t) {
    case MSG_STR:
        snprintf(out, n, "%s", a->s);
        return;
    case MSG_TEXT:
        snprintf(out, n, "%s", i18n_tr(l, a->s));
        return;
    case MSG_INT:
        snprintf(out, n, "%lld", (long long)a->i);
        return;
    case MSG_MONEY:
        if (l == LANG_EN)
            money_en(out, n, a->i);
        else
            money_fmt_ore(out, n, a->i);
        return;
    case MSG_KR:
        if (l == LANG_EN) {
            money_en(out, n, a->i * 100);
        } else {
            char kr[40];
            money_fmt_kr(kr, sizeof(kr), a->i);
            snprintf(out, n, "%s kr", kr);
        }
        return;
    case MSG_DATE:
        if (date_is_set(a->d))
            i18n_fmt_date(l, out, n, a->d);
        else
            snprintf(out, n, "–");
        return;
    case MSG_TIME:
        civil_fmt(out, n, a->i);
        return;
    }
    snprintf(out, n, "?");
}

size_t msg_render(const struct msg *m, enum lang l, char *out, size_t n)
{
    if (!n)
        return 0;
    out[0] = '\0';
    if (msg_empty(m))
        return 0;
    const char *t = i18n_tr(l, m->key);
    size_t o = 0;
    while (*t && o + 1 < n) {
        if (t[0] == '{' && t[1] >= '1' && t[1] <= '9' && t[2] == '}') {
            size_t k = (size_t)(t[1] - '1');
            if (k < m->nargs) {
                char v[MSG_ARG_LEN + 64];
                fmt_arg(&m->args[k], l, v, sizeof(v));
                size_t len = strlen(v);
                if (o + len >= n) {
                    len = n - 1 - o;
                    len = utf8_complete(v, len);
                }
                memcpy(out + o, v, len);
                o += len;
                t += 3;
                continue;
            }
        }
        out[o++] = *t++;
    }
    out[o] = '\0';
    if (*t) /* cut short: never end inside a character */
        o = utf8_complete(out, o);
    return o;
}

void msg_issues_clear(struct msg_issues *is)
{
    is->n = 0;
}

void msg_issue_add(struct msg_issues *is, const char *field, struct msgkey key)
{
    msg_issue_addv(is, field, key, 0, NULL);
}

void msg_issue_addv(struct msg_issues *is, const char *field, struct msgkey key, size_t n,
                    const struct msg_arg *args)
{
    if (is->n >= MSG_ISSUES_MAX)
        return;
    struct msg_issue *x = &is->v[is->n++];
    copy_cut(x->field, sizeof(x->field), field);
    msg_setv(&x->msg, key, n, args);
}

const struct msg *msg_issues_find(const struct msg_issues *is, const char *field)
{
    for (size_t i = 0; i < is->n; i++)
        if (strcmp(is->v[i].field, field) == 0)
            return &is->v[i].msg;
    return NULL;
}
