/* statscsv.c - workforce microdata CSV: reference lists and the record
 * parser. The parser is the hot path of `bidrag stats import`: no
 * allocation, one pass over the line. */
#include "io/statscsv.h"

#include <stdio.h>
#include <string.h>

#include "core/stats.h"
#include "util/buf.h"
#include "util/msg.h"
#include "util/str.h"

static const char *const header_names[11] = {"year",    "person", "sex",       "birth_year",
                                             "licence", "ssyk",   "specialty", "sector",
                                             "kommun",  "fte",    "sni"};

/* ---- a small CSV field splitter for the reference files ---- */

/* Split one line into at most max fields (quotes allowed, "" = quote);
 * fields are copied into out (each at most fieldn bytes). Returns the
 * number of fields or -1 when one is too long. */
static int split_fields(const char *p, size_t n, char delim, char out[][128], int max)
{
    int nf = 0;
    size_t i = 0;
    for (;;) {
        if (nf == max)
            return nf;
        size_t len = 0;
        if (i < n && p[i] == '"') {
            i++;
            while (i < n) {
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        i++;
                    } else {
                        i++;
                        break;
                    }
                }
                if (len + 1 >= 128)
                    return -1;
                out[nf][len++] = p[i++];
            }
        }
        while (i < n && p[i] != delim) {
            if (p[i] != '\r') {
                if (len + 1 >= 128)
                    return -1;
                out[nf][len++] = p[i];
            }
            i++;
        }
        out[nf][len] = '\0';
        nf++;
        if (i >= n)
            return nf;
        i++; /* the delimiter */
    }
}

struct reffile {
    struct buf b;
    char path[1024];
    size_t pos;
    long line;
};

static enum err reffile_open(struct reffile *f, const char *const *dirs, size_t ndirs,
                             const char *name, struct diag *d)
{
    buf_init(&f->b, (size_t)16 << 20);
    f->pos = 0;
    f->line = 0;
    for (size_t i = 0; i < ndirs; i++) {
        snprintf(f->path, sizeof(f->path), "%s/%s", dirs[i], name);
        if (buf_read_file(&f->b, f->path) == ERR_OK) {
            if (f->b.len >= 3 && memcmp(f->b.p, "\xef\xbb\xbf", 3) == 0)
                f->pos = 3;
            return ERR_OK;
        }
        buf_reset(&f->b);
    }
    diag_add(d, NULL, 0, "reference file '%s' not found (looked in %zu folders)", name, ndirs);
    buf_release(&f->b);
    return ERR_NOTFOUND;
}

/* Next line (without newline); 0 at the end. */
static int reffile_next(struct reffile *f, const char **p, size_t *n)
{
    while (f->pos < f->b.len) {
        const char *s = f->b.p + f->pos;
        const char *e = memchr(s, '\n', f->b.len - f->pos);
        size_t len = e ? (size_t)(e - s) : f->b.len - f->pos;
        f->pos += len + (e ? 1 : 0);
        f->line++;
        while (len > 0 && s[len - 1] == '\r')
            len--;
        if (len == 0 || s[0] == '#')
            continue;
        *p = s;
        *n = len;
        return 1;
    }
    return 0;
}

static int parse_digits(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 9)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "2211;2221-2228;2239" -> calls set for every code; -1 on a bad item. */
static int for_codes(const char *list, struct statscsv_ref *ref, int occ)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int a = 0, b = 0;
        const char *dash = memchr(p, '-', len);
        if (dash) {
            if (parse_digits(p, (size_t)(dash - p), &a) != 0 ||
                parse_digits(dash + 1, len - (size_t)(dash - p) - 1, &b) != 0)
                return -1;
        } else {
            if (parse_digits(p, len, &a) != 0)
                return -1;
            b = a;
        }
        if (a < 0 || b > 9999 || a > b)
            return -1;
        for (int c = a; c <= b; c++)
            ref->ssyk_occ[c] = (int16_t)occ;
        p += len;
        if (*p == ';')
            p++;
    }
    return 0;
}

enum err statscsv_ref_load(struct statscsv_ref *ref, const char *const *dirs, size_t ndirs,
                           struct diag *d)
{
    enum err e;
    struct reffile f;
    const char *p;
    size_t n;
    char fl[8][128];
    memset(ref, 0, sizeof(*ref));
    for (int i = 0; i < 10000; i++) {
        ref->kommun_idx[i] = -1;
        ref->ssyk_occ[i] = -1;
    }

    /* regions */
    e = reffile_open(&f, dirs, ndirs, "regioner.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n); /* header */
    while (reffile_next(&f, &p, &n)) {
        int nf = split_fields(p, n, ',', fl, 8);
        if (nf < 3 || !str_is_digits(fl[0], 2) || ref->nregion >= 32) {
            diag_add(d, f.path, f.line, "expected 'lanskod,lan,region,...'");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        str_copy(ref->region_code[ref->nregion], 3, fl[0]);
        str_copy(ref->region_name[ref->nregion], 64, fl[2]);
        ref->nregion++;
    }
    buf_release(&f.b);

    /* kommuner */
    e = reffile_open(&f, dirs, ndirs, "kommuner.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n);
    while (reffile_next(&f, &p, &n)) {
        int nf = split_fields(p, n, ',', fl, 8);
        int code = 0;
        if (nf < 3 || !str_is_digits(fl[0], 4) || parse_digits(fl[0], 4, &code) != 0 ||
            ref->nkommun >= 400) {
            diag_add(d, f.path, f.line, "expected 'kommunkod,kommun,lanskod,...'");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        size_t r = 0;
        while (r < ref->nregion && strcmp(ref->region_code[r], fl[2]) != 0)
            r++;
        if (r == ref->nregion) {
            diag_add(d, f.path, f.line, "unknown lanskod '%s'", fl[2]);
            buf_release(&f.b);
            return ERR_INVALID;
        }
        str_copy(ref->kommun_code[ref->nkommun], 5, fl[0]);
        str_copy(ref->kommun_name[ref->nkommun], 64, fl[1]);
        ref->kommun_region[ref->nkommun] = (uint8_t)r;
        ref->kommun_idx[code] = (int16_t)ref->nkommun;
        ref->nkommun++;
    }
    buf_release(&f.b);

    /* SSYK 2012 */
    e = reffile_open(&f, dirs, ndirs, "ssyk2012_4siffer.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n);
    while (reffile_next(&f, &p, &n)) {
        int code = 0;
        if (n < 4 || parse_digits(p, 4, &code) != 0) {
            diag_add(d, f.path, f.line, "expected a four-digit ssyk code");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        ref->ssyk_ok[code] = 1;
    }
    buf_release(&f.b);

    /* occupation groups: code,label,group,licence,ssyk,note */
    e = reffile_open(&f, dirs, ndirs, "stats/occupations.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n);
    str_copy(ref->licence_code[0], 48, "ingen");
    str_copy(ref->licence_name[0], 64, N_("Ingen legitimation"));
    ref->nlicence = 1;
    ref->occ_other = (size_t)-1;
    while (reffile_next(&f, &p, &n)) {
        int nf = split_fields(p, n, ',', fl, 8);
        if (nf < 5 || fl[0][0] == '\0' || ref->nocc >= STATSCSV_MAX_OCCS) {
            diag_add(d, f.path, f.line, "expected 'code,label,group,licence,ssyk,note'");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        size_t o = ref->nocc++;
        str_copy(ref->occ_code[o], 48, fl[0]);
        str_copy(ref->occ_label[o], 80, fl[1]);
        if (nf >= 8)
            str_copy(ref->occ_label_en[o], 80, fl[7]);
        str_copy(ref->occ_group[o], 16, fl[2]);
        if (strcmp(fl[2], "ovrigt") == 0)
            ref->occ_other = o;
        if (fl[3][0]) {
            if (ref->nlicence >= STATSCSV_MAX_LICENCES) {
                diag_add(d, f.path, f.line, "too many licences");
                buf_release(&f.b);
                return ERR_LIMIT;
            }
            str_copy(ref->licence_code[ref->nlicence], 48, fl[0]);
            str_copy(ref->licence_name[ref->nlicence], 64, fl[3]);
            ref->licence_occ[ref->nlicence] = (uint8_t)o;
            ref->nlicence++;
        }
        if (fl[4][0] && for_codes(fl[4], ref, (int)o) != 0) {
            diag_add(d, f.path, f.line, "bad ssyk list '%s'", fl[4]);
            buf_release(&f.b);
            return ERR_PARSE;
        }
        if (nf >= 7 && fl[6][0] && strcmp(fl[6], "vard") != 0) {
            diag_add(d, f.path, f.line, "unknown scope '%s' (vard or empty)", fl[6]);
            buf_release(&f.b);
            return ERR_PARSE;
        }
        ref->occ_care_only[o] = nf >= 7 && strcmp(fl[6], "vard") == 0;
    }
    buf_release(&f.b);
    if (ref->occ_other == (size_t)-1) {
        diag_add(d, f.path, 0, "no group 'ovrigt' for records no rule maps");
        return ERR_INVALID;
    }

    /* care types by SNI 2025: code,label,sni,note */
    e = reffile_open(&f, dirs, ndirs, "stats/caretypes.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n);
    ref->caretype_other = ref->caretype_unknown = (size_t)-1;
    while (reffile_next(&f, &p, &n)) {
        int nf = split_fields(p, n, ',', fl, 8);
        if (nf < 3 || fl[0][0] == '\0' || ref->ncaretype >= STATSCSV_MAX_CARETYPES) {
            diag_add(d, f.path, f.line, "expected 'code,label,sni,note'");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        size_t c = ref->ncaretype++;
        str_copy(ref->caretype_code[c], sizeof(ref->caretype_code[c]), fl[0]);
        str_copy(ref->caretype_label[c], sizeof(ref->caretype_label[c]), fl[1]);
        if (nf >= 5)
            str_copy(ref->caretype_label_en[c], sizeof(ref->caretype_label_en[c]), fl[4]);
        if (strcmp(fl[0], "annan") == 0)
            ref->caretype_other = c;
        if (strcmp(fl[0], "okand") == 0)
            ref->caretype_unknown = c;
        for (const char *q = fl[2]; *q;) {
            const char *semi = strchr(q, ';');
            size_t len = semi ? (size_t)(semi - q) : strlen(q);
            int code = 0;
            if (len != 5 || parse_digits(q, 5, &code) != 0) {
                diag_add(d, f.path, f.line, "bad sni list '%s' (five-digit codes and ';')", fl[2]);
                buf_release(&f.b);
                return ERR_PARSE;
            }
            ref->sni_caretype[code] = (uint8_t)(c + 1);
            q += len + (semi ? 1 : 0);
        }
    }
    buf_release(&f.b);
    if (ref->caretype_other == (size_t)-1 || ref->caretype_unknown == (size_t)-1) {
        diag_add(d, f.path, 0, "no care type 'annan' (other SNI codes) or 'okand' (no sni)");
        return ERR_INVALID;
    }

    /* specialty names in English: label,label_en */
    e = reffile_open(&f, dirs, ndirs, "stats/specialties.csv", d);
    if (e != ERR_OK)
        return e;
    reffile_next(&f, &p, &n);
    while (reffile_next(&f, &p, &n)) {
        int nf = split_fields(p, n, ',', fl, 8);
        if (nf != 2 || fl[0][0] == '\0' || fl[1][0] == '\0' ||
            ref->nspec >= STATSCSV_MAX_SPECIALTIES) {
            diag_add(d, f.path, f.line, "expected 'label,label_en'");
            buf_release(&f.b);
            return ERR_PARSE;
        }
        str_copy(ref->spec_label[ref->nspec], sizeof(ref->spec_label[0]), fl[0]);
        str_copy(ref->spec_label_en[ref->nspec], sizeof(ref->spec_label_en[0]), fl[1]);
        ref->nspec++;
    }
    buf_release(&f.b);
    return ERR_OK;
}

/* ---- the record parser ---- */

int statscsv_header(const char *p, size_t n, struct statscsv_dialect *dl, char *msg, size_t msgn)
{
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
        n -= 3;
    }
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
        n--;
    dl->delim = memchr(p, ';', n) ? ';' : ',';
    dl->nfields = 0;
    size_t i = 0;
    for (int f = 0; f < 11; f++) {
        size_t len = strlen(header_names[f]);
        size_t start = i;
        while (i < n && p[i] != dl->delim)
            i++;
        size_t flen = i - start;
        const char *fs = p + start;
        if (flen >= 2 && fs[0] == '"' && fs[flen - 1] == '"') {
            fs++;
            flen -= 2;
        }
        if (flen != len || memcmp(fs, header_names[f], len) != 0 || (f < 9 && i >= n) ||
            (f == 10 && i != n)) {
            snprintf(msg, msgn,
                     "expected header "
                     "'year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte' "
                     "(and optionally ',sni')");
            return -1;
        }
        if (f == 9 && i == n) {
            dl->nfields = 10;
            return 0;
        }
        i++;
    }
    dl->nfields = 11;
    return 0;
}

/* Printable copy of a field for a message (at most 40 bytes). */
static const char *shown(const char *s, size_t n, char *tmp, size_t tn)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < tn && k < 40; i++)
        tmp[k++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    tmp[k] = '\0';
    return tmp;
}

static int num4(const char *s, size_t n)
{
    if (n != 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c > 9)
            return -1;
        v = v * 10 + (int)c;
    }
    return v;
}

/* "0.75", "0,75", "1", ".5" -> hundredths, -1 if malformed */
static int parse_fte(const char *s, size_t n)
{
    size_t i = 0;
    int whole = 0, frac = 0, nd = 0, nfrac = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && nd < 3) {
        whole = whole * 10 + (s[i] - '0');
        i++;
        nd++;
    }
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9' && nfrac < 2) {
            frac = frac * 10 + (s[i] - '0');
            i++;
            nfrac++;
        }
        while (i < n && s[i] == '0') /* extra zeros: 0.500 */
            i++;
        if (nfrac == 0 && nd == 0)
            return -1;
    }
    if (i != n || (nd == 0 && nfrac == 0))
        return -1;
    if (nfrac == 1)
        frac *= 10;
    return whole * 100 + frac;
}

static int has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == '"')
            return 1;
    return 0;
}

/* 1 when the n bytes are ASCII (the common case, checked a word at a
 * time), else whether they are valid UTF-8. */
static int line_utf8_ok(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (i < n && !((unsigned char)p[i] & 0x80))
        i++;
    return i == n || str_utf8_len(p, n) >= 0;
}

static int parse_line(const struct statscsv_ref *ref, const struct statscsv_dialect *dl,
                      const char *p, size_t n, struct statscsv_row *row, char *msg, size_t msgn);

static const char not_utf8[] =
    "the line is not UTF-8 (save the file as UTF-8; Latin-1 or Windows-1252 are not read)";

/* A line that is not UTF-8 says so, whatever else is wrong with it; of a
 * good line only the free-text fields kept as they are (person id,
 * specialty) need the check, the others were compared with known values. */
int statscsv_parse_line(const struct statscsv_ref *ref, const struct statscsv_dialect *dl,
                        const char *p, size_t n, struct statscsv_row *row, char *msg, size_t msgn)
{
    if (parse_line(ref, dl, p, n, row, msg, msgn) != 0) {
        if (!line_utf8_ok(p, n))
            snprintf(msg, msgn, "%s", not_utf8);
        return -1;
    }
    if (!line_utf8_ok(row->person, row->person_len) ||
        !line_utf8_ok(row->specialty, row->specialty_len)) {
        snprintf(msg, msgn, "%s", not_utf8);
        return -1;
    }
    return 0;
}

static int parse_line(const struct statscsv_ref *ref, const struct statscsv_dialect *dl,
                      const char *p, size_t n, struct statscsv_row *row, char *msg, size_t msgn)
{
    const char *fs[11];
    size_t fl[11];
    char delim = dl->delim;
    char tmp[64];
    int nf = 0;
    size_t i = 0;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    if (!line_utf8_ok(p, n)) {
        snprintf(msg, msgn,
                 "the line is not UTF-8 (save the file as UTF-8; Latin-1 or Windows-1252 "
                 "are not read)");
        return -1;
    }
    for (;;) {
        const char *s;
        size_t len;
        if (i < n && p[i] == '"') {
            /* quoted: no embedded quotes or delimiters needed in this format,
             * but "0,75" must be accepted */
            const char *q = memchr(p + i + 1, '"', n - i - 1);
            if (!q) {
                snprintf(msg, msgn, "unterminated quote in field %d", nf + 1);
                return -1;
            }
            s = p + i + 1;
            len = (size_t)(q - s);
            i = (size_t)(q - p) + 1;
            if (i < n && p[i] != delim) {
                snprintf(msg, msgn, "text after the closing quote in field %d", nf + 1);
                return -1;
            }
        } else {
            const char *q = memchr(p + i, delim, n - i);
            s = p + i;
            len = q ? (size_t)(q - s) : n - i;
            i += len;
        }
        if (nf < 11) {
            fs[nf] = s;
            fl[nf] = len;
        }
        nf++;
        if (i >= n)
            break;
        i++; /* delimiter */
        if (i == n) {
            if (nf < 11) {
                fs[nf] = p + n;
                fl[nf] = 0;
            }
            nf++;
            break;
        }
    }
    if (nf != dl->nfields) {
        snprintf(msg, msgn, "expected %d fields, found %d", dl->nfields, nf);
        return -1;
    }
    memset(row, 0, sizeof(*row));
    row->year = num4(fs[0], fl[0]);
    if (row->year < STATSCSV_YEAR_FIRST || row->year > STATSCSV_YEAR_LAST) {
        snprintf(msg, msgn, "year '%s' is not a year %d-%d", shown(fs[0], fl[0], tmp, sizeof(tmp)),
                 STATSCSV_YEAR_FIRST, STATSCSV_YEAR_LAST);
        return -1;
    }
    if (fl[1] == 0 || fl[1] > STATSCSV_MAX_FIELD || has_control(fs[1], fl[1])) {
        snprintf(msg, msgn, "person id '%s' must be 1-%d printable characters",
                 shown(fs[1], fl[1], tmp, sizeof(tmp)), STATSCSV_MAX_FIELD);
        return -1;
    }
    row->person = fs[1];
    row->person_len = fl[1];
    if (fl[2] != 1 || (fs[2][0] != '1' && fs[2][0] != '2')) {
        snprintf(msg, msgn, "sex '%s' must be 1 (man) or 2 (woman)",
                 shown(fs[2], fl[2], tmp, sizeof(tmp)));
        return -1;
    }
    row->sex = fs[2][0] - '0';
    row->birth_year = num4(fs[3], fl[3]);
    if (row->birth_year < 0) {
        snprintf(msg, msgn, "birth_year '%s' is not a four-digit year",
                 shown(fs[3], fl[3], tmp, sizeof(tmp)));
        return -1;
    }
    int age = row->year - row->birth_year;
    if (age < STATSCSV_AGE_MIN || age > STATSCSV_AGE_MAX) {
        snprintf(msg, msgn, "impossible age %d (year %d, birth_year %d; allowed %d-%d)", age,
                 row->year, row->birth_year, STATSCSV_AGE_MIN, STATSCSV_AGE_MAX);
        return -1;
    }
    row->ageband = stats_ageband(age);
    row->licence = 0;
    if (fl[4] > 0) {
        size_t k = 1;
        while (k < ref->nlicence && (strlen(ref->licence_name[k]) != fl[4] ||
                                     memcmp(ref->licence_name[k], fs[4], fl[4]) != 0))
            k++;
        if (k == ref->nlicence) {
            snprintf(msg, msgn, "unknown licence '%s'", shown(fs[4], fl[4], tmp, sizeof(tmp)));
            return -1;
        }
        row->licence = (int)k;
    }
    row->ssyk = num4(fs[5], fl[5]);
    if (row->ssyk < 0 || !ref->ssyk_ok[row->ssyk]) {
        snprintf(msg, msgn, "unknown ssyk code '%s'", shown(fs[5], fl[5], tmp, sizeof(tmp)));
        return -1;
    }
    if (fl[6] > STATSCSV_MAX_FIELD || has_control(fs[6], fl[6])) {
        snprintf(msg, msgn, "specialty '%s' must be at most %d printable characters",
                 shown(fs[6], fl[6], tmp, sizeof(tmp)), STATSCSV_MAX_FIELD);
        return -1;
    }
    row->specialty = fs[6];
    row->specialty_len = fl[6];
    row->sector = stats_sector_parse(fs[7], fl[7]);
    if (row->sector < 0) {
        snprintf(msg, msgn, "unknown sector '%s' (region, kommun, privat or stat)",
                 shown(fs[7], fl[7], tmp, sizeof(tmp)));
        return -1;
    }
    int kc = num4(fs[8], fl[8]);
    row->kommun = kc < 0 ? -1 : ref->kommun_idx[kc];
    if (row->kommun < 0) {
        snprintf(msg, msgn, "unknown kommun code '%s'", shown(fs[8], fl[8], tmp, sizeof(tmp)));
        return -1;
    }
    row->fte = parse_fte(fs[9], fl[9]);
    if (row->fte < 0 || row->fte > 100) {
        snprintf(msg, msgn, "fte '%s' is not a number 0.00-1.00",
                 shown(fs[9], fl[9], tmp, sizeof(tmp)));
        return -1;
    }
    row->caretype = (int)ref->caretype_unknown;
    if (dl->nfields == 11 && fl[10] > 0) {
        int sni = -1;
        if (fl[10] == 5) {
            sni = 0;
            for (size_t k = 0; k < 5 && sni >= 0; k++)
                sni = fs[10][k] >= '0' && fs[10][k] <= '9' ? sni * 10 + (fs[10][k] - '0') : -1;
        }
        if (sni < 0) {
            snprintf(msg, msgn, "sni '%s' is not a five-digit SNI code",
                     shown(fs[10], fl[10], tmp, sizeof(tmp)));
            return -1;
        }
        row->caretype =
            ref->sni_caretype[sni] ? ref->sni_caretype[sni] - 1 : (int)ref->caretype_other;
    }
    if (row->licence > 0) {
        row->occ = ref->licence_occ[row->licence];
    } else {
        int o = ref->ssyk_occ[row->ssyk];
        /* a group counted only in health and care workplaces: elsewhere it
         * is not the occupation Bilaga 2 means */
        if (o >= 0 && ref->occ_care_only[o] && row->caretype == (int)ref->caretype_other)
            o = -1;
        row->occ = o >= 0 ? o : (int)ref->occ_other;
    }
    return 0;
}
