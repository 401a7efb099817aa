/* applic.c - the rules the three kinds of individual application share. */
#include "core/applic.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"

static const char *const type_ids[APPLIC_NTYPES] = {"", "kunskapsprov", "specialistbevis",
                                                    "handledarutbildning"};
static const char *const type_prefixes[APPLIC_NTYPES] = {"", "KPR", "SPB", "HUT"};

const char *applic_type_id(enum applic_type t)
{
    return t > APPLIC_NONE && t < APPLIC_NTYPES ? type_ids[t] : "";
}

const char *applic_type_prefix(enum applic_type t)
{
    return t > APPLIC_NONE && t < APPLIC_NTYPES ? type_prefixes[t] : "";
}

enum applic_type applic_type_of(const char *id)
{
    for (int t = APPLIC_NONE + 1; id && t < APPLIC_NTYPES; t++)
        if (strcmp(id, type_ids[t]) == 0)
            return (enum applic_type)t;
    return APPLIC_NONE;
}

/* --- attachments ------------------------------------------------------ */

static const struct {
    const char *id, *sv;
} docs[APPLIC_NDOCS] = {
    {"", ""},
    {"id", "Pass eller id-handling"},
    {"diploma", "Examensbevis"},
    {"transcript", "Studieresultat"},
    {"syllabus", "Kurs- eller utbildningsplan"},
    {"diploma_supplement", "Diploma supplement"},
    {"name_change", "Intyg om namnbyte"},
    {"translation", "Auktoriserad översättning"},
    {"course_cert", "Intyg om kurs i svenska författningar"},
    {"service_cert", "Intyg om praktisk tjänstgöring"},
    {"competence_cert", "Intyg om uppnådd specialistkompetens"},
    {"activity_cert", "Intyg om genomförd utbildningsaktivitet"},
    {"bt_cert", "Intyg om genomförd bastjänstgöring"},
    {"training_cert", "Intyg om genomförd handledarutbildning"},
    {"other", "Annan handling"},
};

const char *applic_doc_id(enum applic_doc d)
{
    return d > APPLIC_DOC_NONE && d < APPLIC_NDOCS ? docs[d].id : "";
}

const char *applic_doc_label_sv(enum applic_doc d)
{
    return d > APPLIC_DOC_NONE && d < APPLIC_NDOCS ? docs[d].sv : "";
}

enum applic_doc applic_doc_of(const char *id)
{
    for (int d = APPLIC_DOC_NONE + 1; id && d < APPLIC_NDOCS; d++)
        if (strcmp(id, docs[d].id) == 0)
            return (enum applic_doc)d;
    return APPLIC_DOC_NONE;
}

const char *applic_ftype_mime(enum applic_ftype t)
{
    switch (t) {
    case APPLIC_FT_PDF:
        return "application/pdf";
    case APPLIC_FT_JPEG:
        return "image/jpeg";
    case APPLIC_FT_PNG:
        return "image/png";
    default:
        return "";
    }
}

/* 1 if needle occurs in the last `tail` bytes of p. */
static int in_tail(const unsigned char *p, size_t n, const char *needle, size_t tail)
{
    size_t k = strlen(needle);
    size_t from = n > tail ? n - tail : 0;
    for (size_t i = from; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return 1;
    return 0;
}

enum applic_ftype applic_sniff(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!p)
        return APPLIC_FT_UNKNOWN;
    if (n >= 8 && memcmp(p, "%PDF-", 5) == 0 && in_tail(p, n, "%%EOF", 1024))
        return APPLIC_FT_PDF;
    /* JPEG: SOI and a marker, EOI at the end (trailing zero bytes allowed) */
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
        size_t e = n;
        while (e > 4 && p[e - 1] == 0)
            e--;
        if (p[e - 2] == 0xff && p[e - 1] == 0xd9)
            return APPLIC_FT_JPEG;
        return APPLIC_FT_UNKNOWN;
    }
    /* PNG: signature, then the IHDR chunk of length 13, and IEND at the end */
    if (n >= 8 + 25 + 12 && memcmp(p, png, 8) == 0 && memcmp(p + 8, "\0\0\0\rIHDR", 8) == 0 &&
        memcmp(p + n - 8, "IEND", 4) == 0)
        return APPLIC_FT_PNG;
    return APPLIC_FT_UNKNOWN;
}

enum err applic_file_check(const struct applic_file_rules *r, const unsigned char *p, size_t n,
                           size_t have_files, size_t have_bytes, enum applic_ftype *type,
                           const char **why)
{
    size_t file_max = r && r->file_max ? r->file_max : APPLIC_FILE_MAX;
    size_t case_max = r && r->case_max ? r->case_max : APPLIC_CASE_MAX;
    size_t max_files = r && r->max_files ? r->max_files : APPLIC_MAX_FILES;
    *type = APPLIC_FT_UNKNOWN;
    *why = "";
    if (have_files >= max_files) {
        *why = APPLIC_MSG_CASE_FILES;
        return ERR_LIMIT;
    }
    if (!p || n == 0) {
        *why = APPLIC_MSG_FILE_EMPTY;
        return ERR_INVALID;
    }
    if (n > file_max) {
        *why = APPLIC_MSG_FILE_SIZE;
        return ERR_LIMIT;
    }
    if (have_bytes > case_max || n > case_max - have_bytes) {
        *why = APPLIC_MSG_CASE_SIZE;
        return ERR_LIMIT;
    }
    enum applic_ftype t = applic_sniff(p, n);
    if (t == APPLIC_FT_UNKNOWN) {
        *why = APPLIC_MSG_FILE_TYPE;
        return ERR_INVALID;
    }
    *type = t;
    return ERR_OK;
}

static const struct applic_need kprov_assessment[] = {
    {APPLIC_DOC_ID, 1, 0},
    {APPLIC_DOC_DIPLOMA, 1, 1},
    {APPLIC_DOC_TRANSCRIPT, 1, 1},
    {APPLIC_DOC_SYLLABUS, 1, 1},
};
static const struct applic_need kprov_licence[] = {
    {APPLIC_DOC_ID, 1, 0},
    {APPLIC_DOC_COURSE_CERT, 1, 0},
    {APPLIC_DOC_SERVICE_CERT, 1, 0},
};
static const struct applic_need specialist[] = {
    {APPLIC_DOC_ID, 1, 0},
    {APPLIC_DOC_COMPETENCE_CERT, 1, 0},
    {APPLIC_DOC_ACTIVITY_CERT, 4, 0},
};
static const struct applic_need suptrain[] = {
    {APPLIC_DOC_TRAINING_CERT, 1, 1},
};

static const struct applic_need *give(const struct applic_need *t, size_t k, size_t *n)
{
    *n = k;
    return t;
}
#define NEEDS(t) give((t), sizeof(t) / sizeof((t)[0]), n)

const struct applic_need *applic_needs(enum applic_type t, const char *step, size_t *n)
{
    *n = 0;
    if (!step)
        return NULL;
    if (t == APPLIC_KPROV && strcmp(step, "assessment") == 0)
        return NEEDS(kprov_assessment);
    if (t == APPLIC_KPROV && strcmp(step, "licence") == 0)
        return NEEDS(kprov_licence);
    if (t == APPLIC_SPECIALIST && strcmp(step, "application") == 0)
        return NEEDS(specialist);
    if (t == APPLIC_SUPTRAIN && strcmp(step, "application") == 0)
        return NEEDS(suptrain);
    return NULL;
}

static int lang_ok(const char *l)
{
    return strcmp(l, "sv") == 0 || strcmp(l, "en") == 0;
}

/* 1 if attachment i has a translation among att that is not rejected. */
static int translated(const struct applic_attachment *att, size_t natt, size_t i)
{
    for (size_t j = 0; j < natt; j++)
        if (att[j].doc == APPLIC_DOC_TRANSLATION && !att[j].rejected &&
            att[j].translation_of >= 0 && (size_t)att[j].translation_of == i)
            return 1;
    return 0;
}

static void add(struct applic_missing *out, size_t max, size_t *k, const char *msg,
                enum applic_doc doc, int count)
{
    if (*k < max) {
        out[*k].msg = msg;
        out[*k].doc = doc;
        out[*k].count = count;
    }
    (*k)++;
}

size_t applic_missing(const struct applic_need *needs, size_t nneeds,
                      const struct applic_attachment *att, size_t natt, struct applic_missing *out,
                      size_t max, size_t *nout)
{
    size_t k = 0;
    for (size_t i = 0; i < nneeds; i++) {
        int usable = 0, untranslated = 0;
        for (size_t j = 0; j < natt; j++) {
            if (att[j].doc != needs[i].doc || att[j].rejected)
                continue;
            if (!needs[i].translate || lang_ok(att[j].lang) || translated(att, natt, j))
                usable++;
            else
                untranslated++;
        }
        int min = needs[i].min > 0 ? needs[i].min : 1;
        if (usable < min) {
            int short_by = min - usable;
            int need_tr = untranslated < short_by ? untranslated : short_by;
            if (need_tr > 0)
                add(out, max, &k, APPLIC_MSG_NEEDS_TRANSLATION, needs[i].doc, need_tr);
            if (short_by - need_tr > 0)
                add(out, max, &k, APPLIC_MSG_MISSING, needs[i].doc, short_by - need_tr);
        }
    }
    if (nout)
        *nout = k < max ? k : max;
    return k;
}

/* --- fees ------------------------------------------------------------- */

void applic_fees_default(struct applic_fees *f)
{
    memset(f, 0, sizeof(*f));
    f->fee[APPLIC_KPROV] = 290000;
    f->fee[APPLIC_SPECIALIST] = 290000;
    f->fee[APPLIC_SUPTRAIN] = 0;
}

enum err applic_ocr(enum applic_type t, int year, long seq, char out[APPLIC_OCR_SIZE])
{
    out[0] = '\0';
    if (t <= APPLIC_NONE || t >= APPLIC_NTYPES || year < 2000 || year > 2999 || seq < 1 ||
        seq > 999999)
        return ERR_INVALID;
    char body[APPLIC_OCR_SIZE];
    snprintf(body, sizeof(body), "%d%04d%06ld", (int)t, year, seq);
    return ocr_make(body, out, APPLIC_OCR_SIZE);
}

enum err applic_ocr_parse(const char *s, enum applic_type *t, int *year, long *seq)
{
    char body[OCR_SIZE];
    *t = APPLIC_NONE;
    *year = 0;
    *seq = 0;
    if (ocr_parse(s, body, sizeof(body)) != ERR_OK || strlen(body) != 11)
        return ERR_PARSE;
    int ty = body[0] - '0';
    int y = 0;
    long q = 0;
    for (int i = 1; i < 5; i++)
        y = y * 10 + (body[i] - '0');
    for (int i = 5; i < 11; i++)
        q = q * 10 + (body[i] - '0');
    if (ty <= APPLIC_NONE || ty >= APPLIC_NTYPES || y < 2000 || y > 2999 || q < 1)
        return ERR_PARSE;
    *t = (enum applic_type)ty;
    *year = y;
    *seq = q;
    return ERR_OK;
}

const char *applic_fee_state_id(enum applic_fee_state s)
{
    switch (s) {
    case APPLIC_FEE_NONE:
        return "none";
    case APPLIC_FEE_UNPAID:
        return "unpaid";
    case APPLIC_FEE_PART_PAID:
        return "part_paid";
    case APPLIC_FEE_PAID:
        return "paid";
    case APPLIC_FEE_OVERPAID:
        return "overpaid";
    }
    return "";
}

void applic_fee_status(int64_t fee, const char *ocr, const struct applic_payment *p, size_t n,
                       struct applic_fee_status *out)
{
    memset(out, 0, sizeof(*out));
    out->fee = fee > 0 ? fee : 0;
    enum applic_type t, pt;
    int y, py;
    long q, pq;
    int ours = applic_ocr_parse(ocr, &t, &y, &q) == ERR_OK;
    for (size_t i = 0; ours && i < n; i++) {
        if (p[i].amount <= 0 || applic_ocr_parse(p[i].ocr, &pt, &py, &pq) != ERR_OK || pt != t ||
            py != y || pq != q)
            continue;
        if (out->paid > INT64_MAX - p[i].amount)
            break; /* nobody pays that much; keep the sum defined */
        out->paid += p[i].amount;
        if (!date_is_set(out->paid_on) && out->fee > 0 && out->paid >= out->fee)
            out->paid_on = p[i].booked;
    }
    if (out->fee == 0)
        out->state = out->paid > 0 ? APPLIC_FEE_OVERPAID : APPLIC_FEE_NONE;
    else if (out->paid == 0)
        out->state = APPLIC_FEE_UNPAID;
    else if (out->paid < out->fee)
        out->state = APPLIC_FEE_PART_PAID;
    else if (out->paid == out->fee)
        out->state = APPLIC_FEE_PAID;
    else
        out->state = APPLIC_FEE_OVERPAID;
}

/* --- retention -------------------------------------------------------- */

void applic_retention_default(struct applic_retention *r)
{
    memset(r, 0, sizeof(*r));
    /* placeholders until the agency's gallringsbeslut says otherwise */
    r->months[APPLIC_KPROV] = 120;
    r->months[APPLIC_SPECIALIST] = 120;
    r->months[APPLIC_SUPTRAIN] = 60;
}

static int mdays(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : n[m - 1];
}

struct date applic_retention_until(const struct applic_retention *r,
                                   const struct applic_case_ref *c)
{
    struct date none = {0, 0, 0};
    if (c->type <= APPLIC_NONE || c->type >= APPLIC_NTYPES || !date_valid(c->closed_on))
        return none;
    int months = r->months[c->type];
    if (months <= 0 || months > 12 * 200)
        return none;
    int m0 = c->closed_on.m - 1 + months;
    struct date u = {c->closed_on.y + m0 / 12, m0 % 12 + 1, c->closed_on.d};
    if (u.d > mdays(u.y, u.m))
        u.d = mdays(u.y, u.m);
    return date_valid(u) ? u : none;
}

size_t applic_retention_due(const struct applic_retention *r, const struct applic_case_ref *c,
                            size_t n, struct date today, size_t *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].appeal_open || c[i].hold)
            continue;
        struct date u = applic_retention_until(r, &c[i]);
        if (!date_is_set(u) || date_cmp(u, today) > 0)
            continue;
        if (k < max)
            out[k] = i;
        k++;
    }
    return k;
}

/* --- decisions -------------------------------------------------------- */

const char *applic_outcome_id(enum applic_outcome o)
{
    switch (o) {
    case APPLIC_GRANTED:
        return "granted";
    case APPLIC_REJECTED:
        return "rejected";
    case APPLIC_DISMISSED:
        return "dismissed";
    default:
        return "";
    }
}

enum err applic_decide(const char *type, enum applic_outcome o, const char *reasons, struct date on,
                       const struct appeal_clause *table, size_t ntable,
                       struct applic_decision *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    *why = "";
    if (o != APPLIC_GRANTED && o != APPLIC_REJECTED && o != APPLIC_DISMISSED) {
        *why = APPLIC_MSG_NO_OUTCOME;
        return ERR_INVALID;
    }
    if (!date_valid(on)) {
        *why = APPLIC_MSG_NO_DATE;
        return ERR_INVALID;
    }
    int has = reasons && reasons[0];
    if (o != APPLIC_GRANTED && !has) {
        *why = APPLIC_MSG_NO_REASONS;
        return ERR_INVALID;
    }
    if (has && !str_text_fits(reasons, STR_TEXT_LINES, APPLIC_REASONS_MAX_CHARS)) {
        *why = APPLIC_MSG_REASONS_LONG;
        return ERR_INVALID;
    }
    const struct appeal_clause *c = appeal_for(table, ntable, type, on);
    if (!c) {
        *why = APPLIC_MSG_NO_APPEAL;
        return ERR_INVALID;
    }
    out->type = type;
    out->outcome = o;
    out->reasons = has ? reasons : NULL;
    out->decided_on = on;
    out->appeal = c;
    return ERR_OK;
}
