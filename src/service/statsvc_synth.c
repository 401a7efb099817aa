/* statsvc_synth.c - synthetic workforce microdata (clearly marked as
 * such) for demos, tests and benchmarks.
 *
 * A pool of persons moves through the years: each year the pool's window
 * slides by about 2.5 % (people enter at 21-35 and work about 40 years),
 * so most persons recur year after year with the same sex, birth year,
 * occupation and home kommun. Attributes come from a counter-based hash of
 * (seed, person, attribute), so the output depends on the seed only.
 * Kommuner are drawn in proportion to their population (the 2024-12-31
 * file of the reference data), occupations by rough national sizes, sex
 * and sector by per-occupation shares, the workplace's SNI code (the care
 * type) by occupation and sector, and about 6 % of persons hold a second,
 * smaller employment. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/statsvc.h"
#include "util/buf.h"

struct synth_group {
    const char *code; /* occupations.csv code */
    int weight;       /* persons, roughly, nationally */
    int female_pct;   /* share of women */
    int entry_min;    /* youngest age at entry */
    int sector[4];    /* region, kommun, privat, stat weights */
    const char *ssyk; /* candidate codes, the first is the most common */
    int parttime_pct; /* share working part time */
};

/* Sizes and shares are plausible round numbers, not statistics. */
static const struct synth_group groups[] = {
    {"underskoterska", 200, 91, 19, {28, 58, 14, 0}, "5323;5321;5322;5324", 45},
    {"sjukskoterska", 120, 88, 22, {66, 22, 11, 1}, "2221;2221;2221;2224;2223;2228;2225;2239", 30},
    {"personlig-assistent", 80, 70, 19, {0, 55, 45, 0}, "5343", 55},
    {"lakare", 45, 52, 26, {76, 2, 19, 3}, "2211;2211;2211;2212;2212;2213;2219", 12},
    {"vardbitrade", 50, 85, 18, {5, 70, 25, 0}, "5330", 60},
    {"socialsekreterare", 25, 85, 23, {2, 93, 2, 3}, "2661", 15},
    {"chef", 20, 75, 32, {40, 45, 14, 1}, "1512;1532;1522;1511;1531;1521", 5},
    {"medicinsk-sekreterare", 20, 95, 21, {75, 5, 20, 0}, "4117", 30},
    {"skotare", 20, 55, 19, {80, 10, 10, 0}, "5341", 30},
    {"fysioterapeut", 15, 70, 23, {50, 20, 29, 1}, "2272", 25},
    {"vardare", 15, 60, 19, {10, 70, 20, 0}, "5342", 40},
    {"arbetsterapeut", 12, 90, 23, {45, 45, 9, 1}, "2273", 25},
    {"psykolog", 10, 78, 26, {60, 15, 20, 5}, "2241", 20},
    {"biomedicinsk-analytiker", 10, 85, 23, {85, 0, 13, 2}, "3212", 20},
    {"specialpedagog", 10, 88, 28, {10, 80, 10, 0}, "2351", 20},
    {"systemutvecklare", 10, 30, 23, {50, 30, 15, 5}, "2512", 5},
    {"tandlakare", 8, 58, 24, {45, 0, 55, 0}, "2260", 20},
    {"barnmorska", 8, 99, 24, {80, 0, 20, 0}, "2222", 30},
    {"kurator", 8, 85, 24, {55, 40, 5, 0}, "2662", 20},
    {"bistandsbedomare", 8, 88, 24, {0, 98, 2, 0}, "2663", 15},
    {"hs-kurator", 6, 88, 25, {75, 10, 15, 0}, "2662", 20},
    {"rontgensjukskoterska", 6, 80, 23, {85, 0, 15, 0}, "2235", 25},
    {"tandhygienist", 5, 96, 22, {45, 0, 55, 0}, "3250", 35},
    {"apotekare", 5, 75, 24, {20, 0, 75, 5}, "2281", 20},
    {"receptarie", 4, 90, 22, {10, 0, 90, 0}, "3213", 35},
    {"psykoterapeut", 3, 75, 35, {50, 10, 40, 0}, "2242", 30},
    {"optiker", 3, 60, 23, {5, 0, 95, 0}, "2284", 20},
    {"logoped", 2, 95, 24, {80, 10, 10, 0}, "2283", 25},
    {"halsotekniker", 2, 30, 22, {60, 10, 30, 0}, "3211", 10},
    {"dietist", 2, 92, 23, {60, 25, 15, 0}, "2282", 25},
    {"audionom", 1, 75, 23, {75, 0, 25, 0}, "2283", 20},
    {"naprapat", 1, 45, 24, {5, 0, 95, 0}, "2271", 30},
    {"halsopedagog", 1, 80, 23, {40, 40, 20, 0}, "3424", 30},
    {"sjukhusfysiker", 1, 40, 25, {95, 0, 0, 5}, "2111;2289", 10},
    {"kiropraktor", 1, 40, 25, {0, 0, 100, 0}, "2271", 25},
    {"ortopedingenjor", 1, 35, 23, {70, 0, 30, 0}, "3214", 10},
    {"ovrigt", 30, 60, 19, {30, 40, 28, 2}, "5120;4222;2289;3240;9111", 35},
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static const char *const specialties[] = {"allmänmedicin",
                                          "allmänmedicin",
                                          "allmänmedicin",
                                          "internmedicin",
                                          "psykiatri",
                                          "kirurgi",
                                          "anestesi och intensivvård",
                                          "barn- och ungdomsmedicin",
                                          "obstetrik och gynekologi",
                                          "radiologi",
                                          "ortopedi",
                                          "geriatrik",
                                          "onkologi",
                                          "akutsjukvård"};
#define NSPEC (sizeof(specialties) / sizeof(specialties[0]))

/* The workplace's SNI 2025 code by occupation (or any, "*") and sector
 * (or any, -1): the first rule that matches; candidates repeat for weight.
 * Codes outside 86-88 are workplaces outside health and care (schools,
 * public administration, IT, pharmacies), plausible, not statistics. */
static const struct {
    const char *group;
    int sector;
    const char *sni;
} sni_rules[] = {
    {"personlig-assistent", -1, "88102"},
    {"tandlakare", -1, "86230"},
    {"tandhygienist", -1, "86991;86230"},
    {"biomedicinsk-analytiker", -1, "86910"},
    {"specialpedagog", 1, "85201;85201;85201;88102"},
    {"specialpedagog", -1, "85201;86103"},
    {"systemutvecklare", 0, "86102"},
    {"systemutvecklare", -1, "62100;62100;62100;86211"},
    {"socialsekreterare", -1, "84121;88993"},
    {"bistandsbedomare", -1, "84121;88101"},
    {"apotekare", -1, "47730;86102"},
    {"receptarie", -1, "47730"},
    {"optiker", -1, "47782"},
    {"*", 0, "86102;86102;86102;86211;86211;86103;86221"},
    {"*", 1, "87301;87301;88101;88101;87201"},
    {"*", 2, "86211;86211;86222;87301;88102"},
    {"*", 3, "86999;84121"},
};
#define NSNI_RULES (sizeof(sni_rules) / sizeof(sni_rules[0]))

/* One candidate of a rule's list, by r. */
static int pick_sni(const char *group, int sector, uint64_t r)
{
    for (size_t i = 0; i < NSNI_RULES; i++) {
        if ((strcmp(sni_rules[i].group, "*") != 0 && strcmp(sni_rules[i].group, group) != 0) ||
            (sni_rules[i].sector >= 0 && sni_rules[i].sector != sector))
            continue;
        const char *l = sni_rules[i].sni;
        uint32_t n = (uint32_t)(strlen(l) + 1) / 6;
        uint32_t k = (uint32_t)(((r >> 32) * n) >> 32);
        return (int)strtol(l + 6 * k, NULL, 10);
    }
    return 86999;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t seed, uint64_t person, uint64_t what)
{
    return mix(seed ^ mix(person * 0x100000001B3ull + what));
}

/* uniform in [0, n) */
static uint32_t below(uint64_t r, uint32_t n)
{
    return (uint32_t)(((r >> 32) * (uint64_t)n) >> 32);
}

struct synth {
    const struct statscsv_ref *ref;
    uint64_t seed;
    double *kcum; /* cumulative population share per kommun */
    size_t nk;
    uint32_t gcum[NGROUPS];
    uint32_t gtotal;
    int glic[NGROUPS]; /* licence index in ref, 0 = none */
    int gssyk[NGROUPS][8];
    int gnssyk[NGROUPS];
};

static size_t pick_kommun(const struct synth *s, uint64_t r)
{
    double u = (double)(r >> 11) * (1.0 / 9007199254740992.0);
    size_t lo = 0, hi = s->nk - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->kcum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int pick_sector(const struct synth_group *g, uint64_t r)
{
    int tot = g->sector[0] + g->sector[1] + g->sector[2] + g->sector[3];
    int x = (int)below(r, (uint32_t)tot);
    for (int i = 0; i < 4; i++) {
        if (x < g->sector[i])
            return i;
        x -= g->sector[i];
    }
    return 0;
}

static char *put_uint(char *p, unsigned long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* A bijection on 32 bits: distinct persons get distinct pseudonyms. */
static uint32_t pseudonym(uint64_t person, uint64_t seed)
{
    uint32_t x = (uint32_t)person ^ (uint32_t)seed;
    x *= 0x9E3779B1u;
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    x ^= x >> 16;
    return x;
}

static const char *const sector_names[4] = {"region", "kommun", "privat", "stat"};

/* Append one record to p. */
static char *put_row(char *p, int year, uint32_t pid, int sex, int birth, const char *licence,
                     int ssyk, const char *spec, int sector, const char *kommun, int fte, int sni)
{
    static const char hex[] = "0123456789abcdef";
    p = put_uint(p, (unsigned long)year, 4);
    *p++ = ',';
    *p++ = 'p';
    for (int i = 7; i >= 0; i--)
        *p++ = hex[(pid >> (4 * i)) & 15];
    *p++ = ',';
    *p++ = (char)('0' + sex);
    *p++ = ',';
    p = put_uint(p, (unsigned long)birth, 4);
    *p++ = ',';
    p = put_str(p, licence);
    *p++ = ',';
    p = put_uint(p, (unsigned long)ssyk, 4);
    *p++ = ',';
    p = put_str(p, spec);
    *p++ = ',';
    p = put_str(p, sector_names[sector]);
    *p++ = ',';
    p = put_str(p, kommun);
    *p++ = ',';
    p = put_uint(p, (unsigned long)(fte / 100), 1);
    *p++ = '.';
    p = put_uint(p, (unsigned long)(fte % 100), 2);
    *p++ = ',';
    p = put_uint(p, (unsigned long)sni, 5);
    *p++ = '\n';
    return p;
}

static enum err load_population(struct synth *s, const struct statsvc_synth_opts *o, struct diag *d)
{
    struct buf b;
    buf_init(&b, (size_t)4 << 20);
    enum err e = ERR_NOTFOUND;
    char path[1024];
    for (size_t i = 0; i < o->ndirs && e != ERR_OK; i++) {
        snprintf(path, sizeof(path), "%s/folkmangd_kommun_2024-12-31.csv", o->dirs[i]);
        buf_reset(&b);
        e = buf_read_file(&b, path);
    }
    if (e != ERR_OK) {
        diag_add(d, NULL, 0, "reference file 'folkmangd_kommun_2024-12-31.csv' not found");
        buf_release(&b);
        return e;
    }
    s->nk = s->ref->nkommun;
    s->kcum = calloc(s->nk ? s->nk : 1, sizeof(double));
    if (!s->kcum) {
        buf_release(&b);
        return ERR_NOMEM;
    }
    /* kommunkod,kommun,lanskod,folkmangd */
    char *line = b.p;
    int first = 1;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (!first && strlen(line) > 5) {
            char code[5];
            memcpy(code, line, 4);
            code[4] = '\0';
            char *last = strrchr(line, ',');
            long v = last ? strtol(last + 1, NULL, 10) : 0;
            int k = -1;
            if (code[0] >= '0' && code[0] <= '9')
                k = s->ref->kommun_idx[strtol(code, NULL, 10) % 10000];
            if (k >= 0 && v > 0)
                s->kcum[k] = (double)v;
        }
        first = 0;
        line = nl ? nl + 1 : NULL;
    }
    buf_release(&b);
    double tot = 0;
    for (size_t k = 0; k < s->nk; k++)
        tot += s->kcum[k] > 0 ? s->kcum[k] : 1000.0;
    double acc = 0;
    for (size_t k = 0; k < s->nk; k++) {
        acc += (s->kcum[k] > 0 ? s->kcum[k] : 1000.0) / tot;
        s->kcum[k] = acc;
    }
    if (s->nk)
        s->kcum[s->nk - 1] = 1.0;
    return ERR_OK;
}

static enum err setup_groups(struct synth *s, struct diag *d)
{
    s->gtotal = 0;
    for (size_t g = 0; g < NGROUPS; g++) {
        s->gtotal += (uint32_t)groups[g].weight;
        s->gcum[g] = s->gtotal;
        s->glic[g] = 0;
        size_t o = 0;
        while (o < s->ref->nocc && strcmp(s->ref->occ_code[o], groups[g].code) != 0)
            o++;
        if (o == s->ref->nocc && groups[g].weight > 0) {
            diag_add(d, NULL, 0, "occupation '%s' is not in stats/occupations.csv", groups[g].code);
            return ERR_INVALID;
        }
        for (size_t l = 1; l < s->ref->nlicence; l++)
            if (strcmp(s->ref->licence_code[l], groups[g].code) == 0)
                s->glic[g] = (int)l;
        s->gnssyk[g] = 0;
        for (const char *p = groups[g].ssyk; *p && s->gnssyk[g] < 8;) {
            int v = (int)strtol(p, NULL, 10);
            if (v < 0 || v > 9999 || !s->ref->ssyk_ok[v]) {
                diag_add(d, NULL, 0, "ssyk %d of '%s' is not an SSYK 2012 code", v, groups[g].code);
                return ERR_INVALID;
            }
            s->gssyk[g][s->gnssyk[g]++] = v;
            const char *semi = strchr(p, ';');
            p = semi ? semi + 1 : p + strlen(p);
        }
    }
    return ERR_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

enum err statsvc_synth(const struct statscsv_ref *ref, const struct statsvc_synth_opts *o,
                       struct diag *d)
{
    struct synth s;
    memset(&s, 0, sizeof(s));
    s.ref = ref;
    s.seed = mix(o->seed);
    enum err e = ERR_INVALID;
    char *buf = NULL;
    int fd = -1;
    char tmp[1100];
    if (o->year_from > o->year_to || o->year_from < 1960 || o->year_to > 2100 || o->rows == 0) {
        diag_add(d, NULL, 0, "need --rows > 0 and --years A-B within 1960-2100");
        return ERR_INVALID;
    }
    e = load_population(&s, o, d);
    if (e == ERR_OK)
        e = setup_groups(&s, d);
    if (e != ERR_OK)
        goto out;
    const size_t cap = (size_t)8 << 20;
    buf = malloc(cap + 4096);
    if (!buf) {
        e = ERR_NOMEM;
        goto out;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", o->out);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        diag_add(d, NULL, 0, "cannot create '%s': %s", tmp, strerror(errno));
        e = ERR_IO;
        goto out;
    }
    int ny = o->year_to - o->year_from + 1;
    uint64_t per_year = o->rows / (uint64_t)ny;
    uint64_t extra = o->rows % (uint64_t)ny;
    uint64_t pool = per_year * 100 / 106 + 1; /* persons active in a year */
    uint64_t turnover = pool / 40 + 1;        /* new persons per year */
    char *p = buf;
    p += snprintf(p, 4096,
                  "# SYNTHETIC DATA - not real persons. bidrag stats synth --rows %llu "
                  "--years %d-%d --seed %llu\n"
                  "year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte,sni\n",
                  (unsigned long long)o->rows, o->year_from, o->year_to,
                  (unsigned long long)o->seed);
    for (int yi = 0; yi < ny; yi++) {
        int year = o->year_from + yi;
        uint64_t want = per_year + ((uint64_t)yi < extra ? 1 : 0);
        uint64_t base = (uint64_t)yi * turnover;
        uint64_t made = 0;
        for (uint64_t pi = base; made < want; pi++) {
            uint64_t person = pi;
            /* the years of a career: entered when the window reached it */
            int64_t enter = ((int64_t)pi - (int64_t)pool) / (int64_t)turnover + 1;
            uint32_t gr = below(rnd(s.seed, person, 1), s.gtotal);
            size_t g = 0;
            while (s.gcum[g] <= gr)
                g++;
            const struct synth_group *G = &groups[g];
            int sex = below(rnd(s.seed, person, 2), 100) < (uint32_t)G->female_pct ? 2 : 1;
            /* entry ages spread over up to 15 years, so that people leave at
             * about 58-75 and nobody is older than 75 */
            int span = 75 - 39 - G->entry_min;
            span = span > 15 ? 15 : span < 1 ? 1 : span;
            int entry_age = G->entry_min + (int)below(rnd(s.seed, person, 3), (uint32_t)span);
            int birth = o->year_from + (int)enter - entry_age;
            int age = year - birth;
            size_t k = pick_kommun(&s, rnd(s.seed, person, 5));
            int sector = pick_sector(G, rnd(s.seed, person, 6));
            int ssyk = s.gssyk[g][below(rnd(s.seed, person, 7), (uint32_t)s.gnssyk[g])];
            const char *lic = s.glic[g] ? ref->licence_name[s.glic[g]] : "";
            /* a few licensed persons work in another occupation (as managers) */
            if (s.glic[g] && below(rnd(s.seed, person, 8), 100) < 3)
                ssyk = 1512;
            const char *spec = "";
            if (strcmp(G->code, "lakare") == 0 && (ssyk == 2211 || ssyk == 2212))
                spec = specialties[below(rnd(s.seed, person, 9), NSPEC)];
            int fte = 100;
            uint64_t rf = rnd(s.seed, person, 10 + (uint64_t)year);
            if (below(rf, 100) < (uint32_t)G->parttime_pct) {
                static const int part[] = {50, 60, 75, 75, 80, 80, 90, 90};
                fte = part[below(rf * 31 + 7, 8)];
            }
            if (age >= 66 && fte > 50)
                fte = 50;
            if (p - buf > (ptrdiff_t)cap) {
                if (write_all(fd, buf, (size_t)(p - buf)) != 0) {
                    diag_add(d, NULL, 0, "cannot write '%s': %s", tmp, strerror(errno));
                    e = ERR_IO;
                    goto out;
                }
                p = buf;
            }
            int second = below(rnd(s.seed, person, 100 + (uint64_t)year), 100) < 6;
            if (second && made + 2 <= want) {
                fte = fte > 80 ? 80 : fte;
            }
            int sni = pick_sni(G->code, sector, rnd(s.seed, person, 11));
            p = put_row(p, year, pseudonym(person, s.seed), sex, birth, lic, ssyk, spec, sector,
                        ref->kommun_code[k], fte, sni);
            made++;
            if (second && made < want) {
                uint64_t r2 = rnd(s.seed, person, 200 + (uint64_t)year);
                size_t k2 = below(r2, 100) < 60 ? k : pick_kommun(&s, mix(r2));
                int sector2 = (sector + 1 + (int)below(mix(r2 + 1), 3)) % 4;
                int fte2 = 10 + 5 * (int)below(mix(r2 + 2), 7);
                int sni2 = pick_sni(G->code, sector2, mix(r2 + 3));
                p = put_row(p, year, pseudonym(person, s.seed), sex, birth, lic, ssyk, spec,
                            sector2, ref->kommun_code[k2], fte2, sni2);
                made++;
            }
        }
    }
    if (write_all(fd, buf, (size_t)(p - buf)) != 0 || fsync(fd) != 0) {
        diag_add(d, NULL, 0, "cannot write '%s': %s", tmp, strerror(errno));
        e = ERR_IO;
        goto out;
    }
    close(fd);
    fd = -1;
    if (rename(tmp, o->out) != 0) {
        diag_add(d, NULL, 0, "cannot rename '%s': %s", tmp, strerror(errno));
        e = ERR_IO;
        goto out;
    }
    e = ERR_OK;
out:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(buf);
    free(s.kcum);
    return e;
}
