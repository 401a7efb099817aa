/* progfile.c - the program file reader, on inih.
 *
 * inih's handler gets no line number, so the text is fed to
 * ini_parse_stream() through a reader that counts lines: inih calls the
 * handler for a line before it reads the next one, so the count is the
 * line of the key being handled.
 *
 * INI leaves some things open that inih settles silently: a key given
 * twice (the last wins), a section given twice (merged), an indented line
 * (taken as more of the previous value, replacing it). Each is an error
 * here, with its line and the line it repeats. */
#include "io/progfile.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "util/money.h"
#include "util/str.h"

struct reader {
    const char *p, *end;
    long line;
    const char *path;
    struct diag *d;
    int too_long;
    int indented;      /* the line being handled starts with a blank */
    long section_line; /* line of the last [section] header */
};

#define KEYS_MAX 64 /* distinct keys remembered per section */

struct seen {
    char name[80];
    long line;
};

struct ctx {
    struct program *p;
    struct reader *rd;
    struct diag *d;
    const char *path;
    char section[64];
    int section_kind; /* 0 none, 1 program, 2 appropriation, 3 purpose, 4 block, -1 bad */
    enum err e;
    struct seen keys[KEYS_MAX]; /* keys of the current section */
    size_t nkeys;
    long section_at;   /* header line of the current section */
    struct seen *secs; /* sections so far ("block 1"), owned */
    size_t nsecs;
};

static char *read_line(char *str, int num, void *stream)
{
    struct reader *r = stream;
    if (r->p >= r->end)
        return NULL;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    size_t n = nl ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
    r->line++;
    if (n >= (size_t)num) {
        /* refuse over-long lines instead of letting inih split them */
        diag_add(r->d, r->path, r->line, "line is longer than %d bytes", PROGFILE_MAX_LINE);
        r->too_long = 1;
        str[0] = '\n';
        str[1] = '\0';
        r->p += n;
        return str;
    }
    memcpy(str, r->p, n);
    str[n] = '\0';
    r->p += n;
    const char *q = str;
    while (*q == ' ' || *q == '\t')
        q++;
    r->indented = q > str;
    if (*q == '[')
        r->section_line = r->line;
    return str;
}

static void err_at(struct ctx *c, const char *fmt, const char *a, const char *b)
{
    diag_add(c->d, c->path, c->rd->line, fmt, a, b);
    c->e = ERR_PARSE;
}

static int set_text(struct ctx *c, char *dst, size_t n, const char *name, const char *v)
{
    if (!str_text_ok(v, strlen(v), 0)) {
        err_at(c, "'%s' is not valid text (UTF-8 without control characters)%s", name, "");
        return 1;
    }
    if (str_copy(dst, n, v))
        err_at(c, "'%s' is too long%s", name, "");
    return 1;
}

static int set_date(struct ctx *c, struct date *dst, const char *name, const char *v)
{
    if (date_parse(v, dst) != ERR_OK)
        err_at(c, "'%s': '%s' is not a date (YYYY-MM-DD)", name, v);
    return 1;
}

static int set_kr(struct ctx *c, int64_t *dst, const char *name, const char *v)
{
    if (money_parse_kr(v, dst) != ERR_OK || *dst < 0)
        err_at(c, "'%s': '%s' is not a whole number of kronor", name, v);
    return 1;
}

static int set_codes(struct ctx *c, struct code_list *l, const char *name, const char *v)
{
    char tmp[256];
    if (str_copy(tmp, sizeof(tmp), v)) {
        err_at(c, "'%s' is too long%s", name, "");
        return 1;
    }
    char *save = tmp;
    while (save && *save) {
        char *comma = strchr(save, ',');
        if (comma)
            *comma = '\0';
        char *code = str_trim(save);
        if (org_code_role(code) == 0)
            err_at(c, "'%s': '%s' is not a kommunkod or länskod", name, code);
        else if (code_list_add(l, code))
            err_at(c, "'%s': cannot add '%s'", name, code);
        save = comma ? comma + 1 : NULL;
    }
    return 1;
}

static int program_key(struct ctx *c, const char *name, const char *v)
{
    struct program *p = c->p;
    if (!strcmp(name, "id")) {
        for (const char *q = v; *q; q++)
            if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' || *q == '_')) {
                err_at(c, "'id': '%s' may only hold a-z, 0-9, '-' and '_'%s", v, "");
                return 1;
            }
        return set_text(c, p->id, sizeof(p->id), name, v);
    }
    if (!strcmp(name, "title"))
        return set_text(c, p->title, sizeof(p->title), name, v);
    if (!strcmp(name, "title_en"))
        return set_text(c, p->title_en, sizeof(p->title_en), name, v);
    if (!strcmp(name, "decision_en"))
        return set_text(c, p->decision_en, sizeof(p->decision_en), name, v);
    if (!strcmp(name, "note_en"))
        return set_text(c, p->note_en, sizeof(p->note_en), name, v);
    if (!strcmp(name, "diarienummer"))
        return set_text(c, p->diarienummer, sizeof(p->diarienummer), name, v);
    if (!strcmp(name, "decision"))
        return set_text(c, p->decision, sizeof(p->decision), name, v);
    if (!strcmp(name, "note"))
        return set_text(c, p->note, sizeof(p->note), name, v);
    if (!strcmp(name, "decision_date"))
        return set_date(c, &p->decision_date, name, v);
    if (!strcmp(name, "total")) {
        p->total_line = c->rd->line;
        return set_kr(c, &p->total_kr, name, v);
    }
    if (!strcmp(name, "own_cost_cap"))
        return set_kr(c, &p->own_cost_cap_kr, name, v);
    if (!strcmp(name, "own_cost_appropriation")) {
        p->own_cost_appropriation_line = c->rd->line;
        return set_text(c, p->own_cost_appropriation, sizeof(p->own_cost_appropriation), name, v);
    }
    if (!strcmp(name, "redistribution")) {
        p->redistribution_line = c->rd->line;
        if (!strcmp(v, "yes"))
            p->redistribution = PROG_REDIST_YES;
        else if (!strcmp(v, "no"))
            p->redistribution = PROG_REDIST_NO;
        else
            err_at(c, "'%s': '%s' must be yes or no", name, v);
        return 1;
    }
    if (!strcmp(name, "appeal")) {
        p->appeal_line = c->rd->line;
        if (!strcmp(v, "court"))
            p->appeal = PROG_APPEAL_COURT;
        else if (!strcmp(v, "none"))
            p->appeal = PROG_APPEAL_NONE;
        else
            err_at(c, "'%s': '%s' must be court or none", name, v);
        return 1;
    }
    if (!strcmp(name, "appeal_basis"))
        return set_text(c, p->appeal_basis, sizeof(p->appeal_basis), name, v);
    if (!strcmp(name, "production_plan")) {
        if (!strcmp(v, "yes"))
            p->production_plan = 1;
        else if (!strcmp(v, "no"))
            p->production_plan = 0;
        else
            err_at(c, "'%s': '%s' must be yes or no", name, v);
        return 1;
    }
    static const struct {
        const char *name;
        size_t off;
    } dates[] = {
        {"requisition_opens", offsetof(struct program, requisition_opens)},
        {"requisition_closes", offsetof(struct program, requisition_closes)},
        {"redistribution_date", offsetof(struct program, redistribution_date)},
        {"kammarkollegiet_requisition", offsetof(struct program, kammarkollegiet_requisition)},
        {"reporting_deadline", offsetof(struct program, reporting_deadline)},
        {"repayment_deadline", offsetof(struct program, repayment_deadline)},
        {"interim_report", offsetof(struct program, interim_report)},
        {"final_report", offsetof(struct program, final_report)},
    };
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
        if (!strcmp(name, dates[i].name))
            return set_date(c, (struct date *)((char *)p + dates[i].off), name, v);
    err_at(c, "unknown key '%s' in [%s]", name, c->section);
    return 1;
}

/* "ID" (the item funds the whole block) or "ID: AMOUNT, ID: AMOUNT" (a
 * block funded from several items; the amounts must add up to the block,
 * checked by program_validate). */
static int set_funding(struct ctx *c, struct block *b, const char *name, const char *v)
{
    char item[200];
    const char *p = v;
    b->nfund = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n >= sizeof(item)) {
            err_at(c, "'%s': '%s' is too long", name, v);
            return 1;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        p += n;
        if (*p == ',')
            p++;
        char *colon = strchr(item, ':');
        if (colon)
            *colon = '\0';
        char idbuf[64];
        str_copy(idbuf, sizeof(idbuf), item);
        const char *id = str_trim(idbuf);
        if (!id[0] || strlen(id) >= sizeof(b->fund[0].id) ||
            strspn(id, "0123456789abcdefghijklmnopqrstuvwxyz-_") != strlen(id)) {
            err_at(c, "'%s': '%s' is not an appropriation item id", name, id);
            return 1;
        }
        if (b->nfund == BLOCK_MAX_FUNDING) {
            err_at(c, "'%s': at most four appropriation items fund one block%s", name, "");
            return 1;
        }
        struct funding *f = &b->fund[b->nfund];
        str_copy(f->id, sizeof(f->id), id);
        f->amount_kr = 0;
        if (colon) {
            char amtbuf[160];
            str_copy(amtbuf, sizeof(amtbuf), colon + 1);
            const char *amt = str_trim(amtbuf);
            if (money_parse_kr(amt, &f->amount_kr) != ERR_OK || f->amount_kr <= 0) {
                err_at(c, "'%s': '%s' is not a positive amount in whole kronor", name, amt);
                return 1;
            }
        } else if (*p || b->nfund) {
            err_at(c, "'%s': with more than one item, each needs its amount ('ID: AMOUNT')%s", name,
                   "");
            return 1;
        }
        for (size_t k = 0; k < b->nfund; k++)
            if (!strcmp(b->fund[k].id, f->id)) {
                err_at(c, "'%s': item '%s' is given twice", name, f->id);
                return 1;
            }
        b->nfund++;
    }
    if (!b->nfund)
        err_at(c, "'%s' is empty%s", name, "");
    return 1;
}

static int block_key(struct ctx *c, struct block *b, const char *name, const char *v)
{
    long line = c->rd->line;
    if (!strcmp(name, "title"))
        return set_text(c, b->title, sizeof(b->title), name, v);
    if (!strcmp(name, "title_en"))
        return set_text(c, b->title_en, sizeof(b->title_en), name, v);
    if (!strcmp(name, "note"))
        return set_text(c, b->note, sizeof(b->note), name, v);
    if (!strcmp(name, "note_en"))
        return set_text(c, b->note_en, sizeof(b->note_en), name, v);
    if (!strcmp(name, "recipients")) {
        if (!strcmp(v, "kommuner")) {
            b->role = ROLE_KOMMUN;
        } else if (!strcmp(v, "regioner")) {
            b->role = ROLE_REGION;
        } else {
            set_codes(c, &b->list, name, v);
            if (b->list.n) {
                b->role = org_code_role(b->list.code[0]);
                for (size_t i = 1; i < b->list.n; i++)
                    if (org_code_role(b->list.code[i]) != b->role)
                        err_at(c, "'%s': '%s' mixes kommuner and regioner", name, b->list.code[i]);
            }
        }
        return 1;
    }
    if (!strcmp(name, "amount")) {
        b->amount_line = line;
        return set_kr(c, &b->amount_kr, name, v);
    }
    if (!strcmp(name, "fixed")) {
        b->fixed_line = line;
        return set_kr(c, &b->fixed_kr, name, v);
    }
    if (!strcmp(name, "key")) {
        b->key_line = line;
        b->key = key_kind_parse(v);
        if (b->key == KEY_NONE)
            err_at(c,
                   "unknown key kind '%s' (equal, population, metric, metric_per_100k, "
                   "table)%s",
                   v, "");
        return 1;
    }
    if (!strcmp(name, "population_date")) {
        b->pop_line = line;
        return set_date(c, &b->pop_date, name, v);
    }
    if (!strcmp(name, "population_fallback"))
        return set_date(c, &b->pop_fallback, name, v);
    if (!strcmp(name, "metric")) {
        b->metric_line = line;
        return set_text(c, b->metric, sizeof(b->metric), name, v);
    }
    if (!strcmp(name, "table")) {
        b->table_line = line;
        if (strchr(v, '/') || v[0] == '.')
            err_at(c, "'table': '%s' must be a file name next to the program file%s", v, "");
        return set_text(c, b->table, sizeof(b->table), name, v);
    }
    if (!strcmp(name, "eligible")) {
        b->eligible_line = line;
        if (str_starts(v, "metric:"))
            return set_text(c, b->eligible_metric, sizeof(b->eligible_metric), name, v + 7);
        return set_codes(c, &b->eligible, name, v);
    }
    if (!strcmp(name, "exclude")) {
        b->exclude_line = line;
        return set_codes(c, &b->exclude, name, v);
    }
    if (!strcmp(name, "among")) {
        b->among_line = line;
        if (!strcmp(v, "all"))
            b->among = AMONG_ALL;
        else if (!strcmp(v, "eligible"))
            b->among = AMONG_ELIGIBLE;
        else
            err_at(c, "'among': '%s' must be 'all' or 'eligible'%s", v, "");
        return 1;
    }
    if (!strcmp(name, "appropriation")) {
        b->appropriation_line = line;
        return set_funding(c, b, name, v);
    }
    err_at(c, "unknown key '%s' in [%s]", name, c->section);
    return 1;
}

/* 1 (and an error) if the section "kind id" came before; else remember
 * it. */
static int section_repeated(struct ctx *c, const char *kind, const char *id, long line)
{
    char name[80];
    snprintf(name, sizeof(name), "%s%s%s", kind, id[0] ? " " : "", id);
    for (size_t i = 0; i < c->nsecs; i++) {
        if (strcmp(c->secs[i].name, name) == 0) {
            diag_add(c->d, c->path, line, "section [%s] is given twice (first on line %ld)", name,
                     c->secs[i].line);
            c->e = c->e ? c->e : ERR_PARSE;
            return 1;
        }
    }
    struct seen *ns = realloc(c->secs, (c->nsecs + 1) * sizeof(*ns));
    if (!ns) {
        c->e = ERR_NOMEM;
        return 1;
    }
    c->secs = ns;
    str_copy(ns[c->nsecs].name, sizeof(ns->name), name);
    ns[c->nsecs].line = line;
    c->nsecs++;
    return 0;
}

/* 1 (and an error) if this key line repeats a key of the section or is
 * an indented line inih took as more of the previous value; else
 * remember the key. */
static int key_repeated(struct ctx *c, const char *name)
{
    long line = c->rd->line;
    if (c->rd->indented && c->nkeys && strcmp(c->keys[c->nkeys - 1].name, name) == 0 &&
        c->keys[c->nkeys - 1].line != line) {
        diag_add(c->d, c->path, line,
                 "indented line continues '%s': a value is one line, and a key starts its line",
                 name);
        c->e = ERR_PARSE;
        return 1;
    }
    for (size_t i = 0; i < c->nkeys; i++) {
        if (strcmp(c->keys[i].name, name) == 0) {
            diag_add(c->d, c->path, line, "'%s' is given twice in [%s] (first on line %ld)", name,
                     c->section, c->keys[i].line);
            c->e = ERR_PARSE;
            return 1;
        }
    }
    if (c->nkeys < KEYS_MAX) {
        str_copy(c->keys[c->nkeys].name, sizeof(c->keys[0].name), name);
        c->keys[c->nkeys].line = line;
        c->nkeys++;
    }
    return 0;
}

/* Start a new section; name is "program", "block ID", ... */
static void start_section(struct ctx *c, const char *section)
{
    struct program *p = c->p;
    str_copy(c->section, sizeof(c->section), section);
    const char *sp = strchr(section, ' ');
    char kind[32] = "";
    const char *id = "";
    if (sp) {
        size_t k = (size_t)(sp - section);
        if (k < sizeof(kind)) {
            memcpy(kind, section, k);
            kind[k] = '\0';
        }
        id = sp + 1;
        while (*id == ' ')
            id++;
    } else {
        str_copy(kind, sizeof(kind), section);
    }
    long line = c->rd->section_line ? c->rd->section_line : c->rd->line;
    c->section_kind = -1;
    c->nkeys = 0;
    c->section_at = c->rd->section_line;
    if (section_repeated(c, kind, id, line))
        return;
    if (!strcmp(section, "program")) {
        c->section_kind = 1;
        return;
    }
    if (!sp || !id[0] || strlen(id) >= 32) {
        diag_add(c->d, c->path, line,
                 "unknown section [%s] (program, appropriation ID, purpose ID, block ID)", section);
        c->e = ERR_PARSE;
        return;
    }
    if (!strcmp(kind, "appropriation")) {
        struct appropriation *na = realloc(p->approp, (p->napprop + 1) * sizeof(*na));
        if (!na) {
            c->e = ERR_NOMEM;
            return;
        }
        p->approp = na;
        memset(&na[p->napprop], 0, sizeof(*na));
        str_copy(na[p->napprop].id, sizeof(na->id), id);
        na[p->napprop].line = line;
        p->napprop++;
        c->section_kind = 2;
    } else if (!strcmp(kind, "purpose")) {
        struct purpose *np = realloc(p->purposes, (p->npurposes + 1) * sizeof(*np));
        if (!np) {
            c->e = ERR_NOMEM;
            return;
        }
        p->purposes = np;
        memset(&np[p->npurposes], 0, sizeof(*np));
        str_copy(np[p->npurposes].id, sizeof(np->id), id);
        np[p->npurposes].line = line;
        p->npurposes++;
        c->section_kind = 3;
    } else if (!strcmp(kind, "block")) {
        struct block *nb = realloc(p->blocks, (p->nblocks + 1) * sizeof(*nb));
        if (!nb) {
            c->e = ERR_NOMEM;
            return;
        }
        p->blocks = nb;
        memset(&nb[p->nblocks], 0, sizeof(*nb));
        str_copy(nb[p->nblocks].id, sizeof(nb->id), id);
        nb[p->nblocks].line = line;
        p->nblocks++;
        c->section_kind = 4;
    } else {
        diag_add(c->d, c->path, line,
                 "unknown section [%s] (program, appropriation ID, purpose ID, block ID)", section);
        c->e = ERR_PARSE;
    }
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct ctx *c = user;
    if (c->e == ERR_NOMEM)
        return 0;
    if (!name) { /* new section (INI_CALL_HANDLER_ON_NEW_SECTION) */
        start_section(c, section);
        return 1;
    }
    /* a header line of its own starts a section, even with the same name */
    if (strcmp(section, c->section) != 0 || c->rd->section_line != c->section_at)
        start_section(c, section);
    if (!section[0]) {
        err_at(c, "'%s' stands before any [section]%s", name, "");
        return 1;
    }
    if (c->section_kind > 0 && key_repeated(c, name))
        return 1;
    struct program *p = c->p;
    switch (c->section_kind) {
    case 1:
        return program_key(c, name, value);
    case 2: {
        struct appropriation *a = &p->approp[p->napprop - 1];
        if (!strcmp(name, "name"))
            return set_text(c, a->name, sizeof(a->name), name, value);
        if (!strcmp(name, "name_en"))
            return set_text(c, a->name_en, sizeof(a->name_en), name, value);
        if (!strcmp(name, "amount"))
            return set_kr(c, &a->amount_kr, name, value);
        break;
    }
    case 3: {
        struct purpose *q = &p->purposes[p->npurposes - 1];
        if (!strcmp(name, "title"))
            return set_text(c, q->title, sizeof(q->title), name, value);
        if (!strcmp(name, "title_en"))
            return set_text(c, q->title_en, sizeof(q->title_en), name, value);
        break;
    }
    case 4:
        return block_key(c, &p->blocks[p->nblocks - 1], name, value);
    default:
        return 1; /* unknown section already reported */
    }
    err_at(c, "unknown key '%s' in [%s]", name, c->section);
    return 1;
}

enum err progfile_parse(const char *text, size_t len, const char *path, struct program *p,
                        struct diag *d)
{
    program_init(p);
    str_copy(p->source_file, sizeof(p->source_file), path);
    size_t before = d->total;
    if (memchr(text, '\0', len)) {
        diag_add(d, path, 0, "the file holds a NUL byte (not a text file)");
        return ERR_PARSE;
    }
    if (str_utf8_len(text, len) < 0) {
        diag_add(d, path, 0, "the file is not valid UTF-8");
        return ERR_PARSE;
    }
    struct reader rd = {text, text + len, 0, path, d, 0, 0, 0};
    /* skip a UTF-8 byte order mark */
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        rd.p += 3;
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.rd = &rd;
    c.d = d;
    c.path = path;
    int rc = ini_parse_stream(read_line, &rd, handler, &c);
    free(c.secs);
    if (c.e == ERR_NOMEM)
        return ERR_NOMEM;
    if (rc > 0 && !rd.too_long)
        diag_add(d, path, rc, "syntax error (expected [section], key = value or a comment)");
    else if (rc < 0)
        diag_add(d, path, 0, "cannot read the file");
    /* inih reports only the first syntax error; others were reported as we went */
    return d->total > before ? ERR_PARSE : ERR_OK;
}
