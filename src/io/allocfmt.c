/* allocfmt.c - allocation outputs: table, CSV, JSON, explanation. */
#include "io/allocfmt.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/money.h"
#include "util/msg.h"
#include "util/str.h"

static int cmp_row(const void *a, const void *b)
{
    const struct alloc_row *x = a, *y = b;
    if (x->r.role != y->r.role)
        return x->r.role < y->r.role ? -1 : 1;
    return strcmp(x->r.code, y->r.code);
}

void alloc_rows_release(struct alloc_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].amount);
    free(r->rows);
    free(r->block_total);
    memset(r, 0, sizeof(*r));
}

static struct alloc_row *row_find(struct alloc_rows *rs, const struct recipient *r)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->rows[i].r.role == r->role && strcmp(rs->rows[i].r.code, r->code) == 0)
            return &rs->rows[i];
    return NULL;
}

enum err allocfmt_rows(const struct allocation *a, struct alloc_rows *out)
{
    memset(out, 0, sizeof(*out));
    out->nblocks = a->nblocks;
    size_t cap = 0;
    for (size_t b = 0; b < a->nblocks; b++)
        cap += a->blocks[b].n;
    out->rows = calloc(cap ? cap : 1, sizeof(*out->rows));
    out->block_total = calloc(a->nblocks ? a->nblocks : 1, sizeof(int64_t));
    if (!out->rows || !out->block_total)
        goto nomem;
    for (size_t b = 0; b < a->nblocks; b++) {
        const struct block_result *br = &a->blocks[b];
        for (size_t i = 0; i < br->n; i++) {
            const struct alloc_line *l = &br->lines[i];
            struct alloc_row *row = row_find(out, &l->r);
            if (!row) {
                row = &out->rows[out->n++];
                row->r = l->r;
                row->amount = malloc((a->nblocks ? a->nblocks : 1) * sizeof(int64_t));
                if (!row->amount)
                    goto nomem;
                for (size_t k = 0; k < a->nblocks; k++)
                    row->amount[k] = -1;
            }
            row->amount[b] = l->amount_kr;
            row->total += l->amount_kr;
            out->block_total[b] += l->amount_kr;
            out->total += l->amount_kr;
        }
    }
    qsort(out->rows, out->n, sizeof(*out->rows), cmp_row);
    return ERR_OK;
nomem:
    alloc_rows_release(out);
    return ERR_NOMEM;
}

/* Append message m rendered in l. */
static enum err put_msg(struct buf *out, enum lang l, const struct msg *m)
{
    char text[1024];
    msg_render(m, l, text, sizeof(text));
    return buf_puts(out, text);
}

enum err allocfmt_notes_lang(const struct allocation *a, enum lang l, struct buf *out)
{
    enum err e = ERR_OK;
    struct msg m;
    for (size_t b = 0; b < a->nblocks && !e; b++) {
        const struct block_result *br = &a->blocks[b];
        const struct block *bl = br->b;
        char d1[16], d2[16];
        if (bl->note[0])
            e = buf_printf(out, "%s %s: %s\n", i18n_tr(l, N_("Block")), bl->id,
                           program_text(l, bl->note, bl->note_en));
        if (!e && br->pop_fallback) {
            date_fmt(d1, sizeof(d1), bl->pop_date);
            date_fmt(d2, sizeof(d2), br->pop_used);
            msg_setf(&m,
                     M_("Block {1}: befolkningen per {2} (beslutets datum) är inte inläst; "
                        "demonstrationen använder befolkningen per {3}."),
                     msg_str(bl->id), msg_str(d1), msg_str(d2));
            e = put_msg(out, l, &m);
            if (!e)
                e = buf_puts(out, "\n");
        }
        if (!e && br->illustrative) {
            msg_setf(&m,
                     M_("Block {1}: bygger på illustrativa uppgifter (demonstrationsdata), "
                        "inte på verkliga inrapporterade värden."),
                     msg_str(bl->id));
            e = put_msg(out, l, &m);
            if (!e)
                e = buf_puts(out, "\n");
        }
        if (!e && br->forfeited_kr > 0) {
            char f[32];
            money_fmt_kr(f, sizeof(f), br->forfeited_kr);
            msg_setf(&m,
                     M_("Block {1}: {2} kr förverkas av mottagare som inte uppfyller villkoret "
                        "(lika delning mellan alla) och betalas inte ut:"),
                     msg_str(bl->id), msg_str(f));
            e = put_msg(out, l, &m);
            const char *sep = " ";
            for (size_t i = 0; i < br->n && !e; i++)
                if (br->lines[i].forfeited) {
                    e = buf_printf(out, "%s%s %s", sep, br->lines[i].r.code, br->lines[i].r.name);
                    sep = ", ";
                }
            if (!e)
                e = buf_puts(out, ".\n");
        }
        /* among the eligible: say who takes no part, so every krona is
         * accounted for (the whole block goes to the others) */
        size_t nout = 0, nin = 0;
        for (size_t i = 0; i < br->n; i++) {
            const struct alloc_line *ln = &br->lines[i];
            if (ln->excluded)
                continue;
            if (!ln->eligible && !ln->forfeited)
                nout++;
            else if (ln->eligible)
                nin++;
        }
        if (!e && nout && (bl->eligible_metric[0] || bl->eligible.n)) {
            msg_setf(&m,
                     M_("Block {1}: hela blocket delas mellan de {2} mottagare som uppfyller "
                        "villkoret; {3} utan andel:"),
                     msg_str(bl->id), msg_int((int64_t)nin), msg_int((int64_t)nout));
            e = put_msg(out, l, &m);
            const char *sep = " ";
            for (size_t i = 0; i < br->n && !e; i++) {
                const struct alloc_line *ln = &br->lines[i];
                if (!ln->excluded && !ln->eligible && !ln->forfeited) {
                    e = buf_printf(out, "%s%s %s", sep, ln->r.code, ln->r.name);
                    sep = ", ";
                }
            }
            if (!e)
                e = buf_puts(out, ".\n");
        }
    }
    return e;
}

enum err allocfmt_notes(const struct allocation *a, struct buf *out)
{
    return allocfmt_notes_lang(a, LANG_SV, out);
}

/* Display width of a UTF-8 string (code points). */
static size_t width(const char *s)
{
    long n = str_utf8_len(s, strlen(s));
    return n < 0 ? strlen(s) : (size_t)n;
}

static enum err pad(struct buf *out, const char *s, size_t w, int right)
{
    char cell[256];
    return buf_puts(out, str_pad(cell, sizeof(cell), s, w, right));
}

enum err allocfmt_table(const struct allocation *a, struct buf *out)
{
    struct alloc_rows rs;
    enum err e = allocfmt_rows(a, &rs);
    if (e)
        return e;
    size_t nc = 3 + a->nblocks; /* code, name, blocks..., total */
    size_t *w = calloc(nc + 1, sizeof(size_t));
    char(*cell)[48] = calloc((rs.n + 2) * (nc + 1), sizeof(*cell));
    char(*head)[48] = calloc(nc + 1, sizeof(*head));
    if (!w || !cell || !head) {
        e = ERR_NOMEM;
        goto out;
    }
    str_copy(head[0], 48, "Kod");
    str_copy(head[1], 48, "Mottagare");
    for (size_t b = 0; b < a->nblocks; b++)
        snprintf(head[2 + b], 48, "Block %s", a->blocks[b].b->id);
    str_copy(head[2 + a->nblocks], 48, "Summa");
    for (size_t r = 0; r <= rs.n; r++) {
        char(*c)[48] = &cell[r * (nc + 1)];
        if (r < rs.n) {
            str_copy(c[0], 48, rs.rows[r].r.code);
            str_copy(c[1], 48, rs.rows[r].r.name);
            for (size_t b = 0; b < a->nblocks; b++) {
                if (rs.rows[r].amount[b] < 0)
                    str_copy(c[2 + b], 48, "–");
                else
                    money_fmt_kr(c[2 + b], 48, rs.rows[r].amount[b]);
            }
            money_fmt_kr(c[2 + a->nblocks], 48, rs.rows[r].total);
        } else {
            str_copy(c[0], 48, "");
            str_copy(c[1], 48, "Summa");
            for (size_t b = 0; b < a->nblocks; b++)
                money_fmt_kr(c[2 + b], 48, rs.block_total[b]);
            money_fmt_kr(c[2 + a->nblocks], 48, rs.total);
        }
    }
    for (size_t k = 0; k < nc; k++) {
        w[k] = width(head[k]);
        for (size_t r = 0; r <= rs.n; r++) {
            size_t cw = width(cell[r * (nc + 1) + k]);
            if (cw > w[k])
                w[k] = cw;
        }
    }
    const struct program *p = a->p;
    char tot[32];
    money_fmt_kr(tot, sizeof(tot), p->total_kr);
    e = buf_printf(out, "%s\n%s%s%sDiarienummer: %s · Totalt: %s kr\n\n", p->title,
                   p->decision[0] ? p->decision : "", p->decision[0] ? "\n" : "", "",
                   p->diarienummer, tot);
    for (size_t k = 0; k < nc && !e; k++) {
        e = pad(out, head[k], w[k], k >= 2);
        if (!e)
            e = buf_puts(out, k + 1 < nc ? "  " : "\n");
    }
    for (size_t r = 0; r <= rs.n && !e; r++) {
        if (r == rs.n) {
            size_t line = 0;
            for (size_t k = 0; k < nc; k++)
                line += w[k] + (k + 1 < nc ? 2 : 0);
            for (size_t i = 0; i < line && !e; i++)
                e = buf_putc(out, '-');
            if (!e)
                e = buf_putc(out, '\n');
        }
        for (size_t k = 0; k < nc && !e; k++) {
            e = pad(out, cell[r * (nc + 1) + k], w[k], k >= 2);
            if (!e)
                e = buf_puts(out, k + 1 < nc ? "  " : "\n");
        }
    }
    if (!e) {
        struct buf notes;
        buf_init(&notes, 1 << 16);
        e = allocfmt_notes(a, &notes);
        if (!e && notes.len)
            e = buf_printf(out, "\n%s", notes.p);
        buf_release(&notes);
    }
out:
    free(w);
    free(cell);
    free(head);
    alloc_rows_release(&rs);
    return e;
}

enum err allocfmt_csv(const struct allocation *a, struct buf *out)
{
    struct alloc_rows rs;
    enum err e = allocfmt_rows(a, &rs);
    if (e)
        return e;
    e = buf_puts(out, "code,name,role");
    for (size_t b = 0; b < a->nblocks && !e; b++) {
        e = buf_puts(out, ",");
        char h[48];
        snprintf(h, sizeof(h), "block_%s", a->blocks[b].b->id);
        if (!e)
            e = csv_put_field(out, h);
    }
    if (!e)
        e = buf_puts(out, ",total\n");
    for (size_t r = 0; r < rs.n && !e; r++) {
        const struct alloc_row *row = &rs.rows[r];
        e = buf_printf(out, "%s,", row->r.code);
        if (!e)
            e = csv_put_field(out, row->r.name);
        if (!e)
            e = buf_printf(out, ",%s", org_role_name(row->r.role));
        for (size_t b = 0; b < a->nblocks && !e; b++)
            e = row->amount[b] < 0 ? buf_puts(out, ",")
                                   : buf_printf(out, ",%lld", (long long)row->amount[b]);
        if (!e)
            e = buf_printf(out, ",%lld\n", (long long)row->total);
    }
    alloc_rows_release(&rs);
    return e;
}

static json_t *date_json(struct date d)
{
    if (!date_is_set(d))
        return json_null();
    char s[16];
    date_fmt(s, sizeof(s), d);
    return json_string(s);
}

enum err allocfmt_json(const struct allocation *a, struct buf *out)
{
    const struct program *p = a->p;
    struct alloc_rows rs;
    enum err e = allocfmt_rows(a, &rs);
    if (e)
        return e;
    json_t *root = json_object();
    json_t *prog = json_object();
    json_object_set_new(prog, "id", json_string(p->id));
    json_object_set_new(prog, "title", json_string(p->title));
    json_object_set_new(prog, "diarienummer", json_string(p->diarienummer));
    json_object_set_new(prog, "decision_date", date_json(p->decision_date));
    json_object_set_new(prog, "total_kr", json_integer(p->total_kr));
    json_object_set_new(root, "program", prog);
    json_t *blocks = json_array();
    for (size_t b = 0; b < a->nblocks; b++) {
        const struct block_result *br = &a->blocks[b];
        json_t *jb = json_object();
        json_object_set_new(jb, "id", json_string(br->b->id));
        json_object_set_new(jb, "title", json_string(br->b->title));
        json_object_set_new(jb, "amount_kr", json_integer(br->b->amount_kr));
        json_object_set_new(jb, "key", json_string(key_kind_name(br->b->key)));
        json_object_set_new(jb, "fixed_kr", json_integer(br->b->fixed_kr));
        json_object_set_new(jb, "allocated_kr", json_integer(br->allocated_kr));
        json_object_set_new(jb, "forfeited_kr", json_integer(br->forfeited_kr));
        json_object_set_new(jb, "population_date", date_json(br->pop_used));
        json_object_set_new(jb, "population_fallback", json_boolean(br->pop_fallback));
        json_object_set_new(jb, "illustrative", json_boolean(br->illustrative));
        json_array_append_new(blocks, jb);
    }
    json_object_set_new(root, "blocks", blocks);
    json_t *rows = json_array();
    for (size_t r = 0; r < rs.n; r++) {
        const struct alloc_row *row = &rs.rows[r];
        json_t *jr = json_object();
        json_object_set_new(jr, "code", json_string(row->r.code));
        json_object_set_new(jr, "name", json_string(row->r.name));
        json_object_set_new(jr, "role", json_string(org_role_name(row->r.role)));
        json_t *am = json_object();
        for (size_t b = 0; b < a->nblocks; b++)
            if (row->amount[b] >= 0)
                json_object_set_new(am, a->blocks[b].b->id, json_integer(row->amount[b]));
        json_object_set_new(jr, "amounts_kr", am);
        json_object_set_new(jr, "total_kr", json_integer(row->total));
        json_array_append_new(rows, jr);
    }
    json_object_set_new(root, "recipients", rows);
    json_object_set_new(root, "total_kr", json_integer(rs.total));
    json_object_set_new(root, "forfeited_kr", json_integer(a->forfeited_kr));
    struct buf notes;
    buf_init(&notes, 1 << 16);
    allocfmt_notes(a, &notes);
    json_object_set_new(root, "notes", json_string(notes.p ? notes.p : ""));
    buf_release(&notes);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
    json_decref(root);
    alloc_rows_release(&rs);
    if (!text)
        return ERR_NOMEM;
    e = buf_puts(out, text);
    if (!e)
        e = buf_putc(out, '\n');
    free(text);
    return e;
}

/* "451 536,543210" : q + rem/W with six decimals, floored. */
static void fmt_quota(char *o, size_t n, int64_t q, int64_t rem, int64_t w)
{
    char whole[32];
    money_fmt_int(whole, sizeof(whole), q);
    int64_t dec = w ? (int64_t)((__int128)rem * 1000000 / w) : 0;
    int exact = w == 0 || ((__int128)rem * 1000000) % w == 0;
    snprintf(o, n, "%s,%06lld%s", whole, (long long)dec, exact ? "" : "…");
}

static enum err explain_block(const struct block_result *br, const struct alloc_line *l,
                              struct buf *out)
{
    const struct block *b = br->b;
    char amt[32], s1[40], s2[40], s3[40];
    money_fmt_kr(amt, sizeof(amt), b->amount_kr);
    enum err e = buf_printf(out, "Block %s: %s (%s kr, nyckel: %s)\n", b->id, b->title, amt,
                            key_kind_label_sv(b->key));
    if (e)
        return e;
    if (l->excluded)
        return buf_puts(out, "  Undantagen i beslutet: får inget belopp i detta block.\n\n");
    if (!l->eligible && !l->forfeited)
        return buf_printf(out, "  Uppfyller inte villkoret för blocket (%s): inget belopp.\n\n",
                          b->eligible_metric[0] ? b->eligible_metric : "behörighetslista");
    if (l->fixed_kr) {
        money_fmt_kr(s1, sizeof(s1), l->fixed_kr);
        money_fmt_kr(s2, sizeof(s2), br->fixed_total_kr);
        money_fmt_kr(s3, sizeof(s3), br->pot_kr);
        e = buf_printf(out,
                       "  Fast del:             %s kr\n"
                       "  Att fördela efter nyckel: %s kr − fasta delar %s kr = %s kr\n",
                       s1, amt, s2, s3);
    } else {
        money_fmt_kr(s3, sizeof(s3), br->pot_kr);
        e = buf_printf(out, "  Att fördela efter nyckel: %s kr\n", s3);
    }
    if (e)
        return e;
    char dd[16];
    date_fmt(dd, sizeof(dd), br->pop_used);
    money_fmt_int(s1, sizeof(s1), l->weight);
    money_fmt_int(s2, sizeof(s2), br->total_weight);
    switch (b->key) {
    case KEY_EQUAL:
    case KEY_NONE:
        e = buf_printf(out, "  Vikt: lika delning, 1 av %s%s\n", s2,
                       b->among == AMONG_ALL ? " (alla mottagare, även ej behöriga)" : "");
        break;
    case KEY_POPULATION:
        e = buf_printf(out, "  Vikt: befolkning per %s%s: %s av %s\n", dd,
                       br->pop_fallback ? " (demonstrationsdatum)" : "", s1, s2);
        break;
    case KEY_METRIC:
        e = buf_printf(out, "  Vikt: %s = %s av %s\n", b->metric, s1, s2);
        break;
    case KEY_METRIC_PER_100K: {
        char m[40], pp[40], rate[80];
        money_fmt_int(m, sizeof(m), l->metric);
        money_fmt_int(pp, sizeof(pp), l->pop);
        fmt_quota(rate, sizeof(rate), l->weight / KEY_RATE_SCALE, l->weight % KEY_RATE_SCALE,
                  KEY_RATE_SCALE);
        e = buf_printf(out,
                       "  Vikt: %s per 100 000 invånare (befolkning per %s) = %s × 100 000 / %s "
                       "= %s (i enheter om 10⁻⁹: %s av %s)\n",
                       b->metric, dd, m, pp, rate, s1, s2);
        break;
    }
    case KEY_TABLE:
        e = buf_printf(out, "  Belopp enligt regeringens tabell %s: %s kr\n", b->table, s1);
        break;
    }
    if (e)
        return e;
    char q[80];
    fmt_quota(q, sizeof(q), l->item.quota_int, l->item.rem_num, br->total_weight);
    money_fmt_kr(s3, sizeof(s3), br->pot_kr);
    money_fmt_kr(s1, sizeof(s1), l->item.quota_int);
    char left[40];
    money_fmt_kr(left, sizeof(left), br->leftover_kr);
    e = buf_printf(out,
                   "  Exakt kvot:           %s × vikt / summa vikter = %s kr\n"
                   "  Avrundat nedåt:       %s kr\n"
                   "  Avrundningssteg:      %s restkronor gick till de största resterna "
                   "(lika rest: lägre kod först); %s\n",
                   s3, q, s1, left,
                   l->item.extra ? "denna mottagare fick +1 kr" : "denna mottagare fick ingen");
    if (e)
        return e;
    int64_t would = l->fixed_kr + l->item.share;
    money_fmt_kr(s1, sizeof(s1), would);
    if (l->forfeited)
        return buf_printf(out,
                          "  Andel %s kr förverkas: mottagaren uppfyller inte villkoret (%s).\n"
                          "  Belopp i blocket:     0 kr\n\n",
                          s1, b->eligible_metric[0] ? b->eligible_metric : "behörighetslista");
    return buf_printf(out, "  Belopp i blocket:     %s kr\n\n", s1);
}

enum err allocfmt_explain(const struct allocation *a, const char *code, struct buf *out)
{
    const struct recipient *who = NULL;
    for (size_t b = 0; b < a->nblocks && !who; b++) {
        const struct alloc_line *l = key_line(&a->blocks[b], code);
        if (l)
            who = &l->r;
    }
    if (!who)
        return ERR_NOTFOUND;
    const struct program *p = a->p;
    enum err e = buf_printf(out, "%s (%s) %s\n%s · Diarienummer %s\n\n", who->name,
                            org_role_name(who->role), who->code, p->title, p->diarienummer);
    int64_t total = 0;
    for (size_t b = 0; b < a->nblocks && !e; b++) {
        const struct alloc_line *l = key_line(&a->blocks[b], code);
        if (!l)
            continue;
        total += l->amount_kr;
        e = explain_block(&a->blocks[b], l, out);
    }
    char t[32];
    money_fmt_kr(t, sizeof(t), total);
    if (!e)
        e = buf_printf(out, "Summa för %s: %s kr\n", who->name, t);
    struct buf notes;
    buf_init(&notes, 1 << 16);
    if (!e)
        e = allocfmt_notes(a, &notes);
    if (!e && notes.len)
        e = buf_printf(out, "\n%s", notes.p);
    buf_release(&notes);
    return e;
}
