/* statsvc.c - import workforce microdata into the column store: stream the
 * CSV in chunks (hashing each chunk with sha256 on a second thread while
 * parsing), intern person ids, check every rule, merge with the years
 * kept, sort by (year, occupation, person), write a new generation. */
#include "service/statsvc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "service/statsvc_internal.h"
#include "store/colstore.h"
#include "util/sha256.h"

#define CHUNK ((size_t)16 << 20)
#define MAXLINE 4096
#define BATCH 64
#define MAX_ROWS ((size_t)1 << 31)
#define MAX_PERSONS ((size_t)1 << 30)

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- string interning ---- */

uint64_t statsvc_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, s, n);
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 31);
}

void statsvc_intern_init(struct statsvc_intern *t)
{
    memset(t, 0, sizeof(*t));
}

void statsvc_intern_release(struct statsvc_intern *t)
{
    free(t->slot);
    free(t->arena);
    free(t->off);
    statsvc_intern_init(t);
}

static int intern_grow(struct statsvc_intern *t)
{
    size_t ncap = t->mask ? (t->mask + 1) * 2 : 1024;
    uint64_t *ns = calloc(ncap, sizeof(uint64_t));
    if (!ns)
        return -1;
    for (size_t i = 0; t->slot && i <= t->mask; i++) {
        uint64_t v = t->slot[i];
        if (!v)
            continue;
        size_t j = (size_t)(v >> 32) & (ncap - 1);
        /* the tag holds the hash's top 32 bits; the position uses them too */
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = v;
    }
    free(t->slot);
    t->slot = ns;
    t->mask = ncap - 1;
    return 0;
}

const char *statsvc_intern_str(const struct statsvc_intern *t, uint32_t code)
{
    return t->arena + t->off[code];
}

long statsvc_intern(struct statsvc_intern *t, const char *s, size_t n, uint64_t h, size_t max)
{
    if ((t->n + 1) * 2 > t->mask + 1 && intern_grow(t) != 0)
        return -1;
    uint32_t tag = (uint32_t)(h >> 32);
    size_t j = tag & t->mask;
    for (;;) {
        uint64_t v = t->slot[j];
        if (!v)
            break;
        if ((uint32_t)(v >> 32) == tag) {
            uint32_t code = (uint32_t)v - 1;
            const char *o = t->arena + t->off[code];
            if (memcmp(o, s, n) == 0 && o[n] == '\0')
                return code;
        }
        j = (j + 1) & t->mask;
    }
    if (t->n >= max)
        return -2;
    if (t->alen + n + 1 > t->acap) {
        size_t nc = t->acap ? t->acap * 2 : 65536;
        while (nc < t->alen + n + 1)
            nc *= 2;
        if (nc > ((size_t)1 << 32))
            return -1;
        char *na = realloc(t->arena, nc);
        if (!na)
            return -1;
        t->arena = na;
        t->acap = nc;
    }
    if (t->n == t->ncap) {
        size_t nc = t->ncap ? t->ncap * 2 : 1024;
        uint64_t *no = realloc(t->off, nc * sizeof(uint64_t));
        if (!no)
            return -1;
        t->off = no;
        t->ncap = nc;
    }
    t->off[t->n] = t->alen;
    memcpy(t->arena + t->alen, s, n);
    t->arena[t->alen + n] = '\0';
    t->alen += n + 1;
    t->slot[j] = ((uint64_t)tag << 32) | (uint64_t)(t->n + 1);
    return (long)t->n++;
}

static void intern_prefetch(const struct statsvc_intern *t, uint64_t h)
{
    if (t->slot)
        __builtin_prefetch(&t->slot[(uint32_t)(h >> 32) & t->mask]);
}

/* ---- growable columns ---- */

void statsvc_cols_release(struct statsvc_cols *c)
{
    free(c->year);
    free(c->region);
    free(c->sector);
    free(c->sex);
    free(c->ageband);
    free(c->licence);
    free(c->occ);
    free(c->caretype);
    free(c->flags);
    free(c->kommun);
    free(c->specialty);
    free(c->fte);
    free(c->ssyk);
    free(c->birth);
    free(c->person);
    free(c->line);
    memset(c, 0, sizeof(*c));
}

#define GROW(field)                                                                                \
    do {                                                                                           \
        void *np_ = realloc(c->field, ncap * sizeof(*c->field));                                   \
        if (!np_)                                                                                  \
            return -1;                                                                             \
        c->field = np_;                                                                            \
    } while (0)

int statsvc_cols_reserve(struct statsvc_cols *c, size_t need)
{
    if (need <= c->cap)
        return 0;
    if (need > MAX_ROWS)
        return -1;
    size_t ncap = c->cap ? c->cap : 65536;
    while (ncap < need)
        ncap *= 2;
    GROW(year);
    GROW(region);
    GROW(sector);
    GROW(sex);
    GROW(ageband);
    GROW(licence);
    GROW(occ);
    GROW(caretype);
    GROW(flags);
    GROW(kommun);
    GROW(specialty);
    GROW(fte);
    GROW(ssyk);
    GROW(birth);
    GROW(person);
    GROW(line);
    c->cap = ncap;
    return 0;
}

/* Reorder columns by perm, two threads, each with its share of columns. */
struct permute_job {
    struct statsvc_cols *c;
    const uint32_t *perm;
    int part;
    int failed;
};

static void *permute_run(void *arg)
{
    struct permute_job *j = arg;
    struct statsvc_cols *c = j->c;
    const uint32_t *perm = j->perm;
    size_t n = c->n;
    void *tmp = malloc((n ? n : 1) * sizeof(uint32_t));
    if (!tmp) {
        j->failed = 1;
        return NULL;
    }
#define PERMUTE(field)                                                                             \
    do {                                                                                           \
        __typeof__(c->field) t_ = tmp;                                                             \
        for (size_t i = 0; i < n; i++)                                                             \
            t_[i] = c->field[perm[i]];                                                             \
        memcpy(c->field, t_, n * sizeof(*c->field));                                               \
    } while (0)
    if (j->part == 0) {
        PERMUTE(year);
        PERMUTE(region);
        PERMUTE(sector);
        PERMUTE(sex);
        PERMUTE(ageband);
        PERMUTE(licence);
        PERMUTE(occ);
        PERMUTE(caretype);
    } else {
        PERMUTE(kommun);
        PERMUTE(specialty);
        PERMUTE(fte);
        PERMUTE(ssyk);
        PERMUTE(birth);
        PERMUTE(person);
        PERMUTE(line);
    }
#undef PERMUTE
    free(tmp);
    return NULL;
}

static int permute(struct statsvc_cols *c, const uint32_t *perm)
{
    struct permute_job a = {c, perm, 0, 0}, b = {c, perm, 1, 0};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, permute_run, &b) == 0;
    permute_run(&a);
    if (threaded)
        pthread_join(th, NULL);
    else
        permute_run(&b);
    return a.failed || b.failed ? -1 : 0;
}

/* ---- import ---- */

struct importer {
    const struct statscsv_ref *ref;
    const struct statsvc_import_opts *o;
    struct diag *d;
    struct statsvc_cols c;
    struct statsvc_intern persons;
    struct statsvc_intern specs;
    uint8_t *psex;    /* per person: sex at first sight */
    uint16_t *pbirth; /* birth year at first sight */
    uint32_t *pline;  /* line of first sight (0 = from the store) */
    size_t pcap;
    struct statscsv_dialect dl;
    int header_seen;
    long line;
    unsigned char years[256]; /* years in the file */
    int nomem;
    int synthetic; /* a comment line said SYNTHETIC */
    struct ckm_params ckm;
    unsigned char secret[32];
    char keyprint[24];
    uint32_t *pkey; /* record key per person */
};

static int person_attrs_reserve(struct importer *im, size_t need)
{
    if (need <= im->pcap)
        return 0;
    size_t nc = im->pcap ? im->pcap * 2 : 65536;
    while (nc < need)
        nc *= 2;
    uint8_t *a = realloc(im->psex, nc);
    if (!a)
        return -1;
    memset(a + im->pcap, 0, nc - im->pcap);
    im->psex = a;
    uint16_t *b = realloc(im->pbirth, nc * sizeof(uint16_t));
    if (!b)
        return -1;
    im->pbirth = b;
    uint32_t *l = realloc(im->pline, nc * sizeof(uint32_t));
    if (!l)
        return -1;
    im->pline = l;
    im->pcap = nc;
    return 0;
}

struct pending {
    struct statscsv_row row;
    long line;
    uint64_t h;
};

static void flush_batch(struct importer *im, struct pending *b, size_t nb)
{
    for (size_t i = 0; i < nb; i++)
        intern_prefetch(&im->persons, b[i].h);
    if (statsvc_cols_reserve(&im->c, im->c.n + nb) != 0) {
        im->nomem = 1;
        return;
    }
    for (size_t i = 0; i < nb; i++) {
        const struct statscsv_row *r = &b[i].row;
        long p = statsvc_intern(&im->persons, r->person, r->person_len, b[i].h, MAX_PERSONS);
        if (p < 0 || person_attrs_reserve(im, (size_t)p + 1) != 0) {
            im->nomem = 1;
            return;
        }
        if (im->psex[p] == 0) {
            im->psex[p] = (uint8_t)r->sex;
            im->pbirth[p] = (uint16_t)r->birth_year;
            im->pline[p] = (uint32_t)b[i].line;
        } else if (im->psex[p] != r->sex || im->pbirth[p] != r->birth_year) {
            if (im->psex[p] != r->sex)
                diag_add(im->d, im->o->path, b[i].line,
                         "person '%.*s' has sex %d here but sex %d on line %u", (int)r->person_len,
                         r->person, r->sex, im->psex[p], (unsigned)im->pline[p]);
            else
                diag_add(im->d, im->o->path, b[i].line,
                         "person '%.*s' has birth_year %d here but %d on line %u",
                         (int)r->person_len, r->person, r->birth_year, im->pbirth[p],
                         (unsigned)im->pline[p]);
            continue;
        }
        long sp = 0;
        if (r->specialty_len > 0) {
            sp = statsvc_intern(&im->specs, r->specialty, r->specialty_len,
                                statsvc_hash(r->specialty, r->specialty_len), 65534);
            if (sp == -2) {
                diag_add(im->d, im->o->path, b[i].line, "more than 65534 specialties");
                continue;
            }
            if (sp < 0) {
                im->nomem = 1;
                return;
            }
        }
        size_t k = im->c.n++;
        im->c.year[k] = (uint8_t)(r->year - STATS_YEAR_MIN);
        im->c.kommun[k] = (uint16_t)r->kommun;
        im->c.region[k] = im->ref->kommun_region[r->kommun];
        im->c.sector[k] = (uint8_t)r->sector;
        im->c.sex[k] = (uint8_t)(r->sex - 1);
        im->c.ageband[k] = (uint8_t)r->ageband;
        im->c.caretype[k] = (uint8_t)r->caretype;
        im->c.licence[k] = (uint8_t)r->licence;
        im->c.occ[k] = (uint8_t)r->occ;
        im->c.flags[k] = 0;
        im->c.specialty[k] = (uint16_t)sp; /* stored dict: 0 = none, code+1 */
        if (sp >= 0 && r->specialty_len > 0)
            im->c.specialty[k] = (uint16_t)(sp + 1);
        im->c.fte[k] = (uint16_t)r->fte;
        im->c.ssyk[k] = (uint16_t)r->ssyk;
        im->c.birth[k] = (uint16_t)r->birth_year;
        im->c.person[k] = (uint32_t)p;
        im->c.line[k] = (uint32_t)b[i].line;
        im->years[r->year - STATS_YEAR_MIN] = 1;
    }
}

static int has_word(const char *p, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++)
        if (memcmp(p + i, w, wl) == 0)
            return 1;
    return 0;
}

/* Parse the complete lines in p[0..n). */
static void parse_lines(struct importer *im, const char *p, size_t n)
{
    struct pending b[BATCH];
    size_t nb = 0;
    char msg[256];
    const char *end = p + n;
    while (p < end && !im->nomem) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p += len + (nl ? 1 : 0);
        im->line++;
        if (len == 0 || (len == 1 && line[0] == '\r'))
            continue;
        if (line[0] == '#') {
            if (!im->synthetic && len >= 10 && has_word(line, len, "SYNTHETIC"))
                im->synthetic = 1;
            continue;
        }
        if (!im->header_seen) {
            if (statscsv_header(line, len, &im->dl, msg, sizeof(msg)) != 0) {
                diag_add(im->d, im->o->path, im->line, "%s", msg);
                im->dl.delim = ',';
                im->dl.nfields = 10;
            }
            im->header_seen = 1;
            continue;
        }
        if (statscsv_parse_line(im->ref, &im->dl, line, len, &b[nb].row, msg, sizeof(msg)) != 0) {
            diag_add(im->d, im->o->path, im->line, "%s", msg);
            continue;
        }
        b[nb].line = im->line;
        b[nb].h = statsvc_hash(b[nb].row.person, b[nb].row.person_len);
        if (++nb == BATCH) {
            flush_batch(im, b, nb);
            nb = 0;
        }
    }
    if (nb && !im->nomem)
        flush_batch(im, b, nb);
}

static ssize_t read_full(int fd, char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* The second thread's share of a chunk: hash the new bytes, then parse the
 * second half of the complete lines into pending rows (no interning:
 * person codes are given in file order by the main thread). */
struct half_err {
    long line; /* within the half, from 1 */
    char msg[256];
};

struct half {
    const struct statscsv_ref *ref;
    struct statscsv_dialect dl;
    struct sha256 *sha;
    const unsigned char *hp;
    size_t hn;
    const char *p;
    size_t n;
    struct pending *rows;
    size_t nrows, caprows;
    struct half_err err[20];
    size_t nerr, toterr;
    long lines;
    int nomem;
};

static void *half_run(void *arg)
{
    struct half *h = arg;
    sha256_update(h->sha, h->hp, h->hn);
    h->nrows = h->nerr = h->toterr = 0;
    h->lines = 0;
    const char *p = h->p, *end = h->p + h->n;
    char msg[256];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p += len + (nl ? 1 : 0);
        h->lines++;
        if (len == 0 || (len == 1 && line[0] == '\r') || line[0] == '#')
            continue;
        if (h->nrows == h->caprows) {
            size_t nc = h->caprows ? h->caprows * 2 : 65536;
            struct pending *nr = realloc(h->rows, nc * sizeof(*nr));
            if (!nr) {
                h->nomem = 1;
                return NULL;
            }
            h->rows = nr;
            h->caprows = nc;
        }
        struct pending *r = &h->rows[h->nrows];
        if (statscsv_parse_line(h->ref, &h->dl, line, len, &r->row, msg, sizeof(msg)) != 0) {
            if (h->nerr < 20) {
                h->err[h->nerr].line = h->lines;
                snprintf(h->err[h->nerr].msg, sizeof(h->err[0].msg), "%s", msg);
                h->nerr++;
            }
            h->toterr++;
            continue;
        }
        r->line = h->lines;
        r->h = statsvc_hash(r->row.person, r->row.person_len);
        h->nrows++;
    }
    return NULL;
}

/* Take the second half's rows and errors in line order. */
static void merge_half(struct importer *im, struct half *h)
{
    size_t ri = 0, ei = 0;
    long base = im->line;
    while (ri < h->nrows || ei < h->nerr) {
        if (ei < h->nerr && (ri == h->nrows || h->err[ei].line < h->rows[ri].line)) {
            diag_add(im->d, im->o->path, base + h->err[ei].line, "%s", h->err[ei].msg);
            ei++;
            continue;
        }
        size_t k = ri;
        while (k < h->nrows && k - ri < BATCH &&
               (ei == h->nerr || h->rows[k].line < h->err[ei].line))
            k++;
        for (size_t i = ri; i < k; i++)
            h->rows[i].line += base;
        flush_batch(im, h->rows + ri, k - ri);
        if (im->nomem)
            return;
        ri = k;
    }
    if (h->toterr > h->nerr)
        im->d->total += h->toterr - h->nerr;
    im->line = base + h->lines;
}

static enum err read_file(struct importer *im, uint64_t total, unsigned char sha[32])
{
    enum err e = ERR_IO;
    struct sha256 st;
    struct half h;
    memset(&h, 0, sizeof(h));
    sha256_init(&st);
    char *buf = malloc(CHUNK + MAXLINE + 1);
    int fd = open(im->o->path, O_RDONLY | O_CLOEXEC);
    if (!buf) {
        e = ERR_NOMEM;
        goto out;
    }
    if (fd < 0) {
        diag_add(im->d, NULL, 0, "cannot open '%s': %s", im->o->path, strerror(errno));
        goto out;
    }
    h.ref = im->ref;
    h.sha = &st;
    size_t carry = 0;
    uint64_t done = 0;
    for (;;) {
        ssize_t k = read_full(fd, buf + carry, CHUNK);
        if (k < 0) {
            diag_add(im->d, NULL, 0, "cannot read '%s': %s", im->o->path, strerror(errno));
            goto out;
        }
        size_t avail = carry + (size_t)k;
        size_t upto = avail;
        if (k > 0) {
            const char *last = NULL;
            for (size_t i = avail; i-- > 0;) {
                if (buf[i] == '\n') {
                    last = buf + i;
                    break;
                }
            }
            upto = last ? (size_t)(last - buf) + 1 : 0;
        }
        /* split the complete lines once the header is known: the main thread
         * takes 3/5 (it also interns every row), the helper the rest and the
         * hash */
        size_t mid = upto;
        if (im->header_seen && upto > 65536) {
            const char *nl = memchr(buf + upto * 3 / 5, '\n', upto - upto * 3 / 5);
            mid = nl ? (size_t)(nl - buf) + 1 : upto;
        }
        h.dl = im->dl;
        h.hp = (const unsigned char *)buf + carry;
        h.hn = (size_t)k;
        h.p = buf + mid;
        h.n = upto - mid;
        pthread_t th;
        int threaded = pthread_create(&th, NULL, half_run, &h) == 0;
        if (!threaded)
            half_run(&h);
        parse_lines(im, buf, mid);
        if (threaded)
            pthread_join(th, NULL);
        if (h.nomem) {
            e = ERR_NOMEM;
            goto out;
        }
        if (!im->nomem)
            merge_half(im, &h);
        if (im->nomem) {
            e = ERR_NOMEM;
            goto out;
        }
        if (done == 0 && k > 0 && (uint64_t)k < total && im->line > 0) {
            /* size the columns once from the first chunk's line length */
            uint64_t est = total / ((uint64_t)upto / (uint64_t)im->line + 1) * 105 / 100 + 1024;
            if (est < MAX_ROWS && statsvc_cols_reserve(&im->c, (size_t)est) != 0) {
                e = ERR_NOMEM;
                goto out;
            }
        }
        done += (uint64_t)k;
        if (im->o->progress)
            im->o->progress(im->o->progress_ctx, done, total, im->c.n);
        if (k == 0)
            break;
        carry = avail - upto;
        if (carry > MAXLINE) {
            diag_add(im->d, im->o->path, im->line + 1, "line longer than %d bytes", MAXLINE);
            e = ERR_INVALID;
            goto out;
        }
        memmove(buf, buf + upto, carry);
    }
    sha256_final(&st, sha);
    e = ERR_OK;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    free(h.rows);
    return e;
}

/* ---- duplicates ---- */

struct duprec {
    uint32_t person;
    uint16_t kommun, ssyk;
    uint8_t year, sector;
    uint32_t line;
};

static int dup_cmp(const void *a, const void *b)
{
    const struct duprec *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->kommun != y->kommun)
        return x->kommun < y->kommun ? -1 : 1;
    if (x->ssyk != y->ssyk)
        return x->ssyk < y->ssyk ? -1 : 1;
    if (x->sector != y->sector)
        return x->sector < y->sector ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void dup_report(struct importer *im, const struct duprec *a, const struct duprec *b)
{
    const struct duprec *first = a->line < b->line ? a : b, *second = a->line < b->line ? b : a;
    diag_add(im->d, im->o->path, second->line,
             "duplicate record: person '%s', year %d, kommun %s, ssyk %04u, sector %s also on "
             "line %u",
             statsvc_intern_str(&im->persons, second->person), STATS_YEAR_MIN + second->year,
             im->ref->kommun_code[second->kommun], (unsigned)second->ssyk,
             stats_sector_code(second->sector), (unsigned)first->line);
}

/* Duplicates: same year, person, kommun, ssyk and sector. Rows are
 * sorted; only rows from the file (line > 0) are checked. */
static enum err check_duplicates(struct importer *im)
{
    const struct statsvc_cols *c = &im->c;
    struct duprec *split = NULL;
    size_t nsplit = 0, cap = 0;
    for (size_t i = 0; i < c->n;) {
        size_t j = i + 1;
        while (j < c->n && c->person[j] == c->person[i] && c->year[j] == c->year[i] &&
               c->occ[j] == c->occ[i])
            j++;
        if (c->line[i] == 0) {
            i = j;
            continue;
        }
        for (size_t a = i; a < j; a++) {
            struct duprec ra = {c->person[a], c->kommun[a], c->ssyk[a],
                                c->year[a],   c->sector[a], c->line[a]};
            if (c->flags[a] & STATS_F_SPLIT) {
                if (nsplit == cap) {
                    size_t nc = cap ? cap * 2 : 1024;
                    struct duprec *ns = realloc(split, nc * sizeof(*ns));
                    if (!ns) {
                        free(split);
                        return ERR_NOMEM;
                    }
                    split = ns;
                    cap = nc;
                }
                split[nsplit++] = ra;
                continue;
            }
            for (size_t b = i; b < a; b++) {
                if (c->kommun[b] == c->kommun[a] && c->ssyk[b] == c->ssyk[a] &&
                    c->sector[b] == c->sector[a]) {
                    struct duprec rb = {c->person[b], c->kommun[b], c->ssyk[b],
                                        c->year[b],   c->sector[b], c->line[b]};
                    dup_report(im, &rb, &ra);
                    break;
                }
            }
        }
        i = j;
    }
    if (nsplit > 1) {
        qsort(split, nsplit, sizeof(*split), dup_cmp);
        for (size_t i = 1; i < nsplit; i++) {
            const struct duprec *a = &split[i - 1], *b = &split[i];
            if (a->year == b->year && a->person == b->person && a->kommun == b->kommun &&
                a->ssyk == b->ssyk && a->sector == b->sector)
                dup_report(im, a, b);
        }
    }
    free(split);
    return ERR_OK;
}

/* ---- writing ---- */

static enum err put_dict(struct colstore_writer *w, const char *name, const char *const *s,
                         size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(s[i]) + 1;
    char *b = malloc(len ? len : 1);
    if (!b)
        return ERR_NOMEM;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(s[i]) + 1;
        memcpy(b + at, s[i], l);
        at += l;
    }
    enum err e = colstore_put(w, name, b, len);
    free(b);
    return e;
}

static enum err put_intern(struct colstore_writer *w, const char *name,
                           const struct statsvc_intern *t)
{
    return colstore_put(w, name, t->arena, t->alen);
}

struct wide_job {
    struct colstore_writer w; /* a copy: its own error message */
    const struct statsvc_cols *c;
    const uint32_t *pkey;
    size_t npersons;
    enum err e;
};

static void *write_wide(void *arg)
{
    struct wide_job *j = arg;
    const struct statsvc_cols *c = j->c;
    j->e = colstore_put(&j->w, "person.u32", c->person, c->n * sizeof(*c->person));
    if (j->e == ERR_OK)
        j->e = colstore_put(&j->w, "pkey.u32", j->pkey, j->npersons * sizeof(uint32_t));
    if (j->e == ERR_OK)
        j->e = colstore_put(&j->w, "fte.u16", c->fte, c->n * sizeof(*c->fte));
    if (j->e == ERR_OK)
        j->e = colstore_put(&j->w, "ssyk.u16", c->ssyk, c->n * sizeof(*c->ssyk));
    if (j->e == ERR_OK)
        j->e = colstore_put(&j->w, "birth.u16", c->birth, c->n * sizeof(*c->birth));
    return NULL;
}

static enum err write_store(struct importer *im, const struct stats_run *runs, size_t nruns,
                            const char *sources, struct colstore_writer *w)
{
    enum err e;
    const struct statsvc_cols *c = &im->c;
    const struct statscsv_ref *ref = im->ref;
    struct buf man;
    buf_init(&man, (size_t)64 << 20);
    const char *codes[STATSCSV_MAX_OCCS > 400 ? STATSCSV_MAX_OCCS : 400];
#define PUT(name, field)                                                                           \
    do {                                                                                           \
        e = colstore_put(w, name, c->field, c->n * sizeof(*c->field));                             \
        if (e != ERR_OK)                                                                           \
            goto out;                                                                              \
    } while (0)
    /* the wide columns on a second thread */
    struct wide_job job;
    job.w = *w;
    job.c = c;
    job.pkey = im->pkey;
    job.npersons = im->persons.n;
    job.e = ERR_OK;
    pthread_t th;
    int threaded = pthread_create(&th, NULL, write_wide, &job) == 0;
    if (!threaded)
        write_wide(&job);
    e = ERR_OK;
    PUT("year.u8", year);
    PUT("region.u8", region);
    PUT("sector.u8", sector);
    PUT("sex.u8", sex);
    PUT("ageband.u8", ageband);
    PUT("licence.u8", licence);
    PUT("occ.u8", occ);
    PUT("caretype.u8", caretype);
    PUT("flags.u8", flags);
    PUT("specialty.u16", specialty);
    PUT("kommun.u16", kommun);
#undef PUT
    e = put_intern(w, "person.dict", &im->persons);
    if (e == ERR_OK)
        e = put_intern(w, "specialty.dict", &im->specs);
    for (size_t i = 0; e == ERR_OK && i < ref->nkommun; i++)
        codes[i] = ref->kommun_code[i];
    if (e == ERR_OK)
        e = put_dict(w, "kommun.dict", codes, ref->nkommun);
    for (size_t i = 0; e == ERR_OK && i < ref->nregion; i++)
        codes[i] = ref->region_code[i];
    if (e == ERR_OK)
        e = put_dict(w, "region.dict", codes, ref->nregion);
    for (size_t i = 0; e == ERR_OK && i < ref->nlicence; i++)
        codes[i] = ref->licence_code[i];
    if (e == ERR_OK)
        e = put_dict(w, "licence.dict", codes, ref->nlicence);
    for (size_t i = 0; e == ERR_OK && i < ref->nocc; i++)
        codes[i] = ref->occ_code[i];
    if (e == ERR_OK)
        e = put_dict(w, "occ.dict", codes, ref->nocc);
    for (size_t i = 0; e == ERR_OK && i < ref->ncaretype; i++)
        codes[i] = ref->caretype_code[i];
    if (e == ERR_OK)
        e = put_dict(w, "caretype.dict", codes, ref->ncaretype);
    if (e != ERR_OK)
        goto out;
    int ymin = 9999, ymax = 0;
    for (size_t r = 0; r < nruns; r++) {
        ymin = runs[r].year < ymin ? runs[r].year : ymin;
        ymax = runs[r].year > ymax ? runs[r].year : ymax;
    }
    e = buf_printf(&man,
                   "bidrag-stats 2\nrows %zu\npersons %zu\nyears %d %d\nprotection ckm %d %.17g "
                   "%d\nrecord-key %s\n",
                   c->n, im->persons.n, nruns ? ymin : 0, nruns ? ymax : 0, im->ckm.max_noise,
                   im->ckm.variance, im->ckm.small, im->keyprint);
    for (size_t r = 0; e == ERR_OK && r < nruns; r++)
        e = buf_printf(&man, "run %d %u %zu %zu\n", runs[r].year, runs[r].occ, runs[r].begin,
                       runs[r].end);
    if (e == ERR_OK)
        e = buf_puts(&man, sources);
    if (e == ERR_OK)
        e = colstore_put(w, "manifest.txt", man.p, man.len);
out:
    if (threaded)
        pthread_join(th, NULL);
    if (e == ERR_OK && job.e != ERR_OK) {
        e = job.e;
        memcpy(w->errmsg, job.w.errmsg, sizeof(w->errmsg));
    }
    buf_release(&man);
    return e;
}

/* Append one old row (from the open store) with remapped codes. */
static int add_old_rows(struct importer *im, const struct statsvc_stored *old, const int *kmap,
                        const int *lmap, const int *omap, const int *cmap)
{
    const struct stats_cols *oc = &old->cols;
    size_t keep = 0;
    for (size_t i = 0; i < oc->n; i++)
        keep += im->years[oc->year[i]] ? 0 : 1;
    if (statsvc_cols_reserve(&im->c, im->c.n + keep) != 0)
        return -1;
    for (size_t i = 0; i < oc->n; i++) {
        if (im->years[oc->year[i]])
            continue;
        uint32_t p = oc->person[i];
        if (p < im->pcap && im->psex[p] != 0 &&
            (im->psex[p] != oc->sex[i] + 1 || im->pbirth[p] != old->birth[i])) {
            diag_add(im->d, im->o->path, im->pline[p],
                     "person '%s' has sex %d and birth_year %d here but sex %d and birth_year %d "
                     "in the stored year %d",
                     statsvc_intern_str(&im->persons, p), im->psex[p], im->pbirth[p],
                     oc->sex[i] + 1, old->birth[i], STATS_YEAR_MIN + oc->year[i]);
            im->psex[p] = (uint8_t)(oc->sex[i] + 1); /* report once */
            im->pbirth[p] = old->birth[i];
        }
        size_t k = im->c.n++;
        im->c.year[k] = oc->year[i];
        im->c.kommun[k] = (uint16_t)kmap[oc->kommun[i]];
        im->c.region[k] = im->ref->kommun_region[kmap[oc->kommun[i]]];
        im->c.sector[k] = oc->sector[i];
        im->c.sex[k] = oc->sex[i];
        im->c.ageband[k] = oc->ageband[i];
        im->c.caretype[k] = (uint8_t)cmap[oc->caretype[i]];
        im->c.licence[k] = (uint8_t)lmap[oc->licence[i]];
        im->c.occ[k] = (uint8_t)omap[oc->occ[i]];
        im->c.flags[k] = 0;
        im->c.specialty[k] = oc->specialty[i];
        im->c.fte[k] = oc->fte[i];
        im->c.ssyk[k] = old->ssyk[i];
        im->c.birth[k] = old->birth[i];
        im->c.person[k] = oc->person[i];
        im->c.line[k] = 0;
    }
    return 0;
}

/* Map stored dictionary codes to the current reference; -1 if one is gone. */
static int map_codes(const struct statsvc_dict *dct, char (*codes)[48], size_t ncodes,
                     size_t stride, int *map, const char **missing)
{
    for (size_t i = 0; i < dct->n; i++) {
        map[i] = -1;
        for (size_t k = 0; k < ncodes; k++) {
            if (strcmp(dct->s[i], (const char *)codes + k * stride) == 0) {
                map[i] = (int)k;
                break;
            }
        }
        if (map[i] < 0) {
            *missing = dct->s[i];
            return -1;
        }
    }
    return 0;
}

enum err statsvc_import(const struct statscsv_ref *ref, const struct statsvc_import_opts *o,
                        struct statsvc_import_result *res, struct diag *d)
{
    enum err e = ERR_IO;
    struct importer im;
    struct statsvc_stored old;
    int have_old = 0;
    uint32_t *perm = NULL;
    struct stats_run *runs = NULL;
    size_t nruns = 0;
    struct colstore_writer w;
    int writing = 0;
    struct buf sources;
    int *kmap = NULL, *lmap = NULL, *omap = NULL, *cmap = NULL;
    memset(&im, 0, sizeof(im));
    memset(res, 0, sizeof(*res));
    buf_init(&sources, (size_t)16 << 20);
    im.ref = ref;
    im.o = o;
    im.d = d;
    statsvc_intern_init(&im.persons);
    statsvc_intern_init(&im.specs);

    struct stat sb;
    if (stat(o->path, &sb) != 0) {
        diag_add(d, NULL, 0, "cannot open '%s': %s", o->path, strerror(errno));
        goto out;
    }
    e = statsvc_protection(o->dir, 1, &im.ckm, im.secret, im.keyprint, d);
    if (e != ERR_OK)
        goto out;
    e = statsvc_stored_open(&old, o->dir, 1, d);
    if (e == ERR_OK) {
        have_old = 1;
        /* persons and specialties keep their codes */
        for (size_t i = 0; i < old.persons.n; i++) {
            size_t l = strlen(old.persons.s[i]);
            if (statsvc_intern(&im.persons, old.persons.s[i], l, statsvc_hash(old.persons.s[i], l),
                               MAX_PERSONS) < 0 ||
                person_attrs_reserve(&im, i + 1) != 0) {
                e = ERR_NOMEM;
                goto out;
            }
        }
        for (size_t i = 0; i < old.specs.n; i++) {
            size_t l = strlen(old.specs.s[i]);
            if (statsvc_intern(&im.specs, old.specs.s[i], l, statsvc_hash(old.specs.s[i], l),
                               65534) < 0) {
                e = ERR_NOMEM;
                goto out;
            }
        }
    } else if (e != ERR_NOTFOUND) {
        goto out;
    }

    unsigned char sha[32];
    double t0 = seconds();
    e = read_file(&im, (uint64_t)sb.st_size, sha);
    res->t_read = seconds() - t0;
    if (e != ERR_OK)
        goto out;
    for (int i = 0; i < 32; i++)
        snprintf(res->sha256 + 2 * i, 3, "%02x", sha[i]);
    res->rows = im.c.n;
    if (!im.header_seen)
        diag_add(d, o->path, 1, "no header: the file is empty");
    else if (im.c.n == 0 && d->total == 0)
        diag_add(d, o->path, im.line, "no records");

    /* years already stored */
    if (have_old) {
        for (int y = 0; y < 256; y++) {
            if (!im.years[y] || !old.years[y])
                continue;
            if (!o->replace_year)
                diag_add(d, o->path, 0,
                         "year %d is already imported (use --replace-year to replace it)",
                         STATS_YEAR_MIN + y);
        }
    }
    size_t nnew = im.c.n;
    if (have_old && d->total == 0) {
        kmap = malloc((old.kommun.n + 1) * sizeof(int));
        lmap = malloc((old.licence.n + 1) * sizeof(int));
        omap = malloc((old.occ.n + 1) * sizeof(int));
        cmap = malloc((old.caretype.n + 1) * sizeof(int));
        if (!kmap || !lmap || !omap || !cmap) {
            e = ERR_NOMEM;
            goto out;
        }
        const char *missing = NULL;
        if (map_codes(&old.kommun, (char(*)[48])ref->kommun_code, ref->nkommun,
                      sizeof(ref->kommun_code[0]), kmap, &missing) != 0 ||
            map_codes(&old.licence, (char(*)[48])ref->licence_code, ref->nlicence,
                      sizeof(ref->licence_code[0]), lmap, &missing) != 0 ||
            map_codes(&old.occ, (char(*)[48])ref->occ_code, ref->nocc, sizeof(ref->occ_code[0]),
                      omap, &missing) != 0 ||
            map_codes(&old.caretype, (char(*)[48])ref->caretype_code, ref->ncaretype,
                      sizeof(ref->caretype_code[0]), cmap, &missing) != 0) {
            diag_add(d, NULL, 0,
                     "stored code '%s' is no longer in the reference lists: re-import all years",
                     missing ? missing : "?");
            e = ERR_INVALID;
            goto out;
        }
        if (add_old_rows(&im, &old, kmap, lmap, omap, cmap) != 0) {
            e = ERR_NOMEM;
            goto out;
        }
    }

    if (d->total > 0) {
        e = ERR_INVALID;
        goto out;
    }

    /* sort, mark split persons, check duplicates */
    perm = malloc((im.c.n ? im.c.n : 1) * sizeof(uint32_t));
    if (!perm) {
        e = ERR_NOMEM;
        goto out;
    }
    t0 = seconds();
    e = stats_order(im.c.n, im.c.year, im.c.occ, im.c.person, perm);
    if (e != ERR_OK)
        goto out;
    res->t_order = seconds() - t0;
    if (permute(&im.c, perm) != 0) {
        e = ERR_NOMEM;
        goto out;
    }
    free(perm);
    perm = NULL;
    res->t_sort = seconds() - t0;
    t0 = seconds();
    e = stats_mark_split(im.c.n, im.c.year, im.c.occ, im.c.person, (uint32_t)im.persons.n,
                         im.c.flags);
    if (e == ERR_OK)
        e = check_duplicates(&im);
    if (e != ERR_OK)
        goto out;
    if (d->total > 0) {
        e = ERR_INVALID;
        goto out;
    }
    e = stats_runs(im.c.n, im.c.year, im.c.occ, &runs, &nruns);
    res->t_check = seconds() - t0;
    if (e != ERR_OK)
        goto out;

    /* the record keys of the persons (the cell key method) */
    t0 = seconds();
    im.pkey = malloc((im.persons.n ? im.persons.n : 1) * sizeof(uint32_t));
    if (!im.pkey) {
        e = ERR_NOMEM;
        goto out;
    }
    struct ckm_keyer keyer;
    ckm_keyer_init(&keyer, im.secret);
    for (size_t i = 0; i < im.persons.n; i++) {
        const char *id = statsvc_intern_str(&im.persons, (uint32_t)i);
        im.pkey[i] = ckm_keyer_key(&keyer, id, strlen(id));
    }
    memset(&keyer, 0, sizeof(keyer));
    res->t_keys = seconds() - t0;

    /* provenance: the sources kept, then this file */
    char yl[1200];
    size_t yn = 0;
    yl[0] = '\0';
    for (int y = 0; y < 256 && yn + 8 < sizeof(yl); y++)
        if (im.years[y])
            yn += (size_t)snprintf(yl + yn, sizeof(yl) - yn, "%s%d", yn ? "," : "",
                                   STATS_YEAR_MIN + y);
    if (have_old) {
        e = statsvc_sources_keep(&old, im.years, &sources);
        if (e != ERR_OK)
            goto out;
    }
    const char *base = strrchr(o->path, '/');
    base = base ? base + 1 : o->path;
    e = buf_printf(&sources, "source\t%s\t%zu\t%s\t%s\t%s%s\n", res->sha256, nnew,
                   o->now ? o->now : "", yl, base, im.synthetic ? " (synthetic)" : "");
    if (e != ERR_OK)
        goto out;

    if (have_old) {
        statsvc_stored_close(&old);
        have_old = 0;
    }
    t0 = seconds();
    e = colstore_begin(&w, o->dir);
    if (e != ERR_OK) {
        diag_add(d, NULL, 0, "%s", w.errmsg);
        colstore_abort(&w);
        goto out;
    }
    writing = 1;
    e = write_store(&im, runs, nruns, sources.p ? sources.p : "", &w);
    if (e == ERR_OK)
        e = colstore_commit(&w);
    if (e != ERR_OK)
        diag_add(d, NULL, 0, "%s", w.errmsg[0] ? w.errmsg : err_str(e));
    res->t_write = seconds() - t0;
    res->rows_total = im.c.n;
    res->year_min = nruns ? runs[0].year : 0;
    res->year_max = nruns ? runs[nruns - 1].year : 0;
out:
    if (writing)
        colstore_abort(&w);
    if (have_old)
        statsvc_stored_close(&old);
    free(perm);
    free(runs);
    free(kmap);
    free(lmap);
    free(omap);
    free(cmap);
    buf_release(&sources);
    statsvc_cols_release(&im.c);
    statsvc_intern_release(&im.persons);
    statsvc_intern_release(&im.specs);
    free(im.psex);
    free(im.pbirth);
    free(im.pline);
    free(im.pkey);
    memset(im.secret, 0, sizeof(im.secret));
    return e;
}
