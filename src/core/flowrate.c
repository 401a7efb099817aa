/* flowrate.c - flow rates from year-to-year transitions of microdata. */
#include "core/flowrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One person-year after the reduction to one cell. */
struct pyear {
    int year;
    unsigned prof, reg, sex;
    int age; /* as recorded (clamped when indexed) */
    uint32_t fte;
};

/* Sort idx (n entries) by key(i) = digit functions, least significant
 * first; a pass whose digits are all equal is skipped. */
static enum err radix_sort(uint32_t *idx, size_t n, const struct flowrate_micro *m, int y0)
{
    enum err e = ERR_OK;
    uint32_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));
    size_t *count = malloc(65536 * sizeof(*count));
    if (!tmp || !count) {
        e = ERR_NOMEM;
        goto out;
    }
    for (int pass = 0; pass < 3; pass++) {
        memset(count, 0, 65536 * sizeof(*count));
        for (size_t i = 0; i < n; i++) {
            uint32_t k = idx[i];
            unsigned dgt = pass == 0   ? (unsigned)(m->year[k] - y0)
                           : pass == 1 ? (unsigned)(m->person[k] & 0xffffu)
                                       : (unsigned)(m->person[k] >> 16);
            count[dgt]++;
        }
        int trivial = 0;
        for (size_t b = 0; b < 65536; b++)
            if (count[b] == n) {
                trivial = 1;
                break;
            }
        if (trivial)
            continue;
        size_t sum = 0;
        for (size_t b = 0; b < 65536; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t k = idx[i];
            unsigned dgt = pass == 0   ? (unsigned)(m->year[k] - y0)
                           : pass == 1 ? (unsigned)(m->person[k] & 0xffffu)
                                       : (unsigned)(m->person[k] >> 16);
            tmp[count[dgt]++] = k;
        }
        memcpy(idx, tmp, n * sizeof(*idx));
    }
out:
    free(tmp);
    free(count);
    return e;
}

static int clamp_age(const struct projection_dims *d, int age)
{
    return age < d->age_min ? d->age_min : age > d->age_max ? d->age_max : age;
}

/* Sum v over a triangular window of ±h along each run of na ages. */
static void smooth_ages(const double *v, double *out, size_t n, size_t na, unsigned h)
{
    for (size_t base = 0; base < n; base += na)
        for (size_t a = 0; a < na; a++) {
            double s = 0;
            for (long dd = -(long)h; dd <= (long)h; dd++) {
                long b = (long)a + dd;
                if (b < 0 || b >= (long)na)
                    continue;
                s += (double)((long)h + 1 - labs(dd)) * v[base + (size_t)b];
            }
            out[base + a] = s;
        }
}

/* Pooled, smoothed rate ev / ex per cell into out (ncells). */
static enum err estimate(const struct projection_dims *d, const double *ev, const double *ex,
                         double k, unsigned h, double *out)
{
    size_t na = projection_nages(d), nk = PROJECTION_SEXES * na;
    size_t nc = projection_ncells(d), n1 = (size_t)d->nprof * nk;
    enum err e = ERR_OK;
    double *e0 = calloc(nk, sizeof(double)), *x0 = calloc(nk, sizeof(double));
    double *e1 = calloc(n1, sizeof(double)), *x1 = calloc(n1, sizeof(double));
    double *e2 = malloc(nc * sizeof(double)), *x2 = malloc(nc * sizeof(double));
    double *t = malloc(nc * sizeof(double));
    double *r0 = malloc(nk * sizeof(double)), *r1 = malloc(n1 * sizeof(double));
    if (!e0 || !x0 || !e1 || !x1 || !e2 || !x2 || !t || !r0 || !r1) {
        e = ERR_NOMEM;
        goto out;
    }
    for (unsigned p = 0; p < d->nprof; p++)
        for (unsigned r = 0; r < d->nreg; r++) {
            size_t c0 = projection_cell(d, p, r, 0, d->age_min);
            for (size_t i = 0; i < nk; i++) {
                e1[p * nk + i] += ev[c0 + i];
                x1[p * nk + i] += ex[c0 + i];
            }
        }
    for (unsigned p = 0; p < d->nprof; p++)
        for (size_t i = 0; i < nk; i++) {
            e0[i] += e1[p * nk + i];
            x0[i] += x1[p * nk + i];
        }
    smooth_ages(e0, t, nk, na, h);
    memcpy(e0, t, nk * sizeof(double));
    smooth_ages(x0, t, nk, na, h);
    memcpy(x0, t, nk * sizeof(double));
    smooth_ages(e1, t, n1, na, h);
    memcpy(e1, t, n1 * sizeof(double));
    smooth_ages(x1, t, n1, na, h);
    memcpy(x1, t, n1 * sizeof(double));
    smooth_ages(ev, e2, nc, na, h);
    smooth_ages(ex, x2, nc, na, h);
    for (size_t i = 0; i < nk; i++)
        r0[i] = x0[i] > 0 ? e0[i] / x0[i] : 0;
    for (unsigned p = 0; p < d->nprof; p++)
        for (size_t i = 0; i < nk; i++) {
            size_t j = p * nk + i;
            r1[j] = x1[j] + k > 0 ? (e1[j] + k * r0[i]) / (x1[j] + k) : r0[i];
        }
    for (unsigned p = 0; p < d->nprof; p++)
        for (unsigned r = 0; r < d->nreg; r++) {
            size_t c0 = projection_cell(d, p, r, 0, d->age_min);
            for (size_t i = 0; i < nk; i++) {
                size_t c = c0 + i;
                double up = r1[p * nk + i];
                out[c] = x2[c] + k > 0 ? (e2[c] + k * up) / (x2[c] + k) : up;
            }
        }
out:
    free(e0);
    free(x0);
    free(e1);
    free(x1);
    free(e2);
    free(x2);
    free(t);
    free(r0);
    free(r1);
    return e;
}

/* Shares of rows of length len in counts (nrows_per_prof rows per
 * profession), pooled toward all professions; skip_diag: zero at the
 * row's own index (destinations). A pooled row with no counts at all
 * becomes uniform. */
static enum err shares(const struct projection_dims *d, const int64_t *counts, size_t nrows,
                       size_t len, int skip_diag, double k, unsigned h, double *out)
{
    size_t per = nrows * len;
    enum err e = ERR_OK;
    double *c1 = malloc((size_t)d->nprof * per * sizeof(double));
    double *c0 = calloc(per, sizeof(double));
    double *t = malloc((size_t)d->nprof * per * sizeof(double));
    if (!c1 || !c0 || !t) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < (size_t)d->nprof * per; i++)
        c1[i] = (double)counts[i];
    if (h) { /* entrant distributions: smooth along age */
        size_t na = projection_nages(d);
        smooth_ages(c1, t, (size_t)d->nprof * per, na, h);
        memcpy(c1, t, (size_t)d->nprof * per * sizeof(double));
    }
    for (unsigned p = 0; p < d->nprof; p++)
        for (size_t i = 0; i < per; i++)
            c0[i] += c1[p * per + i];
    for (size_t row = 0; row < nrows; row++) {
        double *r0 = c0 + row * len, sum = 0;
        size_t slots = 0;
        for (size_t i = 0; i < len; i++)
            if (!(skip_diag && i == row)) {
                sum += r0[i];
                slots++;
            }
        for (size_t i = 0; i < len; i++) {
            if (skip_diag && i == row)
                r0[i] = 0;
            else
                r0[i] = sum > 0 ? r0[i] / sum : slots ? 1.0 / (double)slots : 0;
        }
    }
    for (unsigned p = 0; p < d->nprof; p++)
        for (size_t row = 0; row < nrows; row++) {
            const double *r1 = c1 + p * per + row * len, *r0 = c0 + row * len;
            double *o = out + p * per + row * len, sum = 0;
            for (size_t i = 0; i < len; i++)
                if (!(skip_diag && i == row))
                    sum += r1[i];
            for (size_t i = 0; i < len; i++) {
                if (skip_diag && i == row)
                    o[i] = 0;
                else
                    o[i] = sum + k > 0 ? (r1[i] + k * r0[i]) / (sum + k) : r0[i];
            }
        }
out:
    free(c1);
    free(c0);
    free(t);
    return e;
}

void flowrate_release(struct flowrate_result *r)
{
    free(r->exit);
    free(r->reentry);
    free(r->migrate);
    free(r->fte);
    free(r->dest);
    free(r->entrant);
    free(r->exposure);
    free(r->exits);
    free(r->reentries);
    free(r->moves);
    free(r->person_years);
    free(r->fte_sum);
    free(r->stock);
    free(r->entrants);
    free(r->entrant_count);
    free(r->dest_count);
    memset(r, 0, sizeof(*r));
}

static enum err check_input(const struct flowrate_micro *m, const struct projection_dims *dims,
                            const struct flowrate_opts *o, int *y0, int *y1, struct diag *d)
{
    size_t before = d->total;
    if (projection_dims_check(dims, d) != ERR_OK)
        return ERR_INVALID;
    if (!(isfinite(o->pool) && o->pool >= 0 && o->pool <= FLOWRATE_MAX_POOL))
        diag_add(d, NULL, 0, "pooling weight %g is not 0-%g", o->pool, FLOWRATE_MAX_POOL);
    if (o->smooth > FLOWRATE_MAX_SMOOTH)
        diag_add(d, NULL, 0, "age smoothing of %u years is not 0-%d", o->smooth,
                 FLOWRATE_MAX_SMOOTH);
    if (m->n > UINT32_MAX)
        diag_add(d, NULL, 0, "%zu records are more than %u", m->n, UINT32_MAX);
    if (m->n && (!m->person || !m->year || !m->prof || !m->region || !m->sex || !m->age || !m->fte))
        diag_add(d, NULL, 0, "a microdata column is missing");
    if (d->total != before)
        return ERR_INVALID;
    int lo = 0, hi = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->year[i] < 1900 || m->year[i] > 2200)
            diag_add(d, NULL, 0, "record %zu: year %u is not 1900-2200", i + 1, m->year[i]);
        if (m->sex[i] > 1)
            diag_add(d, NULL, 0, "record %zu: sex %u is not 0 (man) or 1 (woman)", i + 1,
                     m->sex[i]);
        if (m->region[i] >= dims->nreg)
            diag_add(d, NULL, 0, "record %zu: region %u is not 0-%u", i + 1, m->region[i],
                     dims->nreg - 1);
        if (m->age[i] > FLOWRATE_MAX_AGE)
            diag_add(d, NULL, 0, "record %zu: age %u is not 0-%d", i + 1, m->age[i],
                     FLOWRATE_MAX_AGE);
        if (m->fte[i] > FLOWRATE_MAX_FTE)
            diag_add(d, NULL, 0, "record %zu: fte %u hundredths is not 0-%d", i + 1, m->fte[i],
                     FLOWRATE_MAX_FTE);
        if (m->year[i] >= 1900 && m->year[i] <= 2200 && m->prof[i] < dims->nprof) {
            if (!lo || m->year[i] < lo)
                lo = m->year[i];
            if (m->year[i] > hi)
                hi = m->year[i];
        }
    }
    *y0 = o->year_from ? o->year_from : lo;
    *y1 = o->year_to ? o->year_to : hi;
    if (d->total == before &&
        (*y0 < 1900 || *y1 > 2200 || *y1 <= *y0 || *y1 - *y0 + 1 > PROJECTION_MAX_SERIES))
        diag_add(d, NULL, 0, "the window %d-%d is not 2-%d years within 1900-2200", *y0, *y1,
                 PROJECTION_MAX_SERIES);
    return d->total != before ? ERR_INVALID : ERR_OK;
}

/* Reduce the records idx[b..e) of one person and year (all in a
 * profession held) to a person-year; *nprofs: how many professions they
 * name. pf and rf are scratch per profession and region, all -1 (and
 * left so). */
static void reduce(const struct flowrate_micro *m, const uint32_t *idx, size_t b, size_t e,
                   double *pf, double *rf, struct pyear *out, size_t *nprofs)
{
    unsigned best = 0;
    uint32_t total = 0;
    *nprofs = 0;
    for (size_t i = b; i < e; i++) {
        uint32_t k = idx[i];
        if (pf[m->prof[k]] < 0) {
            pf[m->prof[k]] = 0;
            (*nprofs)++;
        }
        pf[m->prof[k]] += m->fte[k];
        total += m->fte[k];
    }
    int have = 0;
    for (size_t i = b; i < e; i++) {
        unsigned p = m->prof[idx[i]];
        if (!have || pf[p] > pf[best] || (pf[p] == pf[best] && p < best)) {
            best = p;
            have = 1;
        }
    }
    unsigned breg = 0;
    have = 0;
    for (size_t i = b; i < e; i++) {
        uint32_t k = idx[i];
        if (m->prof[k] == best)
            rf[m->region[k]] = rf[m->region[k]] < 0 ? m->fte[k] : rf[m->region[k]] + m->fte[k];
    }
    for (size_t i = b; i < e; i++) {
        uint32_t k = idx[i];
        unsigned r = m->region[k];
        if (m->prof[k] != best)
            continue;
        if (!have || rf[r] > rf[breg] || (rf[r] == rf[breg] && r < breg)) {
            breg = r;
            have = 1;
        }
    }
    for (size_t i = b; i < e; i++) { /* reset the touched entries */
        pf[m->prof[idx[i]]] = -1;
        rf[m->region[idx[i]]] = -1;
    }
    uint32_t k0 = idx[b];
    out->year = m->year[k0];
    out->prof = best;
    out->reg = breg;
    out->sex = m->sex[k0];
    out->age = m->age[k0];
    out->fte = total;
}

enum err flowrate_estimate(const struct flowrate_micro *m, const struct projection_dims *dims,
                           const struct flowrate_opts *o, struct flowrate_result *out,
                           struct diag *d)
{
    enum err e;
    uint32_t *idx = NULL;
    struct pyear *seq = NULL;
    double *pf = NULL, *rf = NULL, *evd = NULL, *exd = NULL;
    int y0 = 0, y1 = 0;
    memset(out, 0, sizeof(*out));
    e = check_input(m, dims, o, &y0, &y1, d);
    if (e != ERR_OK)
        goto out;
    const struct projection_dims *dm = dims;
    size_t nc = projection_ncells(dm), na = projection_nages(dm), nk = PROJECTION_SEXES * na;
    size_t npr = (size_t)dm->nprof * dm->nreg;
    unsigned ny = (unsigned)(y1 - y0 + 1);
    out->dims = *dm;
    out->year_from = y0;
    out->year_to = y1;
    out->nyears = ny;
    out->info.records = m->n;
    out->exit = calloc(nc, sizeof(double));
    out->reentry = calloc(nc, sizeof(double));
    out->migrate = calloc(nc, sizeof(double));
    out->fte = calloc(nc, sizeof(double));
    out->dest = calloc(npr * dm->nreg, sizeof(double));
    out->entrant = calloc((size_t)dm->nprof * nk, sizeof(double));
    out->exposure = calloc(nc, sizeof(int64_t));
    out->exits = calloc(nc, sizeof(int64_t));
    out->reentries = calloc(nc, sizeof(int64_t));
    out->moves = calloc(nc, sizeof(int64_t));
    out->person_years = calloc(nc, sizeof(int64_t));
    out->fte_sum = calloc(nc, sizeof(int64_t));
    out->stock = calloc((size_t)ny * nc, sizeof(int64_t));
    out->entrants = calloc((size_t)ny * npr, sizeof(int64_t));
    out->entrant_count = calloc((size_t)dm->nprof * nk, sizeof(int64_t));
    out->dest_count = calloc(npr * dm->nreg, sizeof(int64_t));
    seq = malloc(ny * sizeof(*seq));
    pf = malloc(PROJECTION_MAX_PROFS * sizeof(double));
    rf = malloc(PROJECTION_MAX_REGIONS * sizeof(double));
    evd = malloc(nc * sizeof(double));
    exd = malloc(nc * sizeof(double));
    if (!out->exit || !out->reentry || !out->migrate || !out->fte || !out->dest || !out->entrant ||
        !out->exposure || !out->exits || !out->reentries || !out->moves || !out->person_years ||
        !out->fte_sum || !out->stock || !out->entrants || !out->entrant_count || !out->dest_count ||
        !seq || !pf || !rf || !evd || !exd) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < PROJECTION_MAX_PROFS; i++)
        pf[i] = -1;
    for (size_t i = 0; i < PROJECTION_MAX_REGIONS; i++)
        rf[i] = -1;

    /* the records used, by person and year */
    size_t nu = 0;
    for (size_t i = 0; i < m->n; i++)
        nu += m->prof[i] < dm->nprof && m->year[i] >= y0 && m->year[i] <= y1;
    idx = malloc((nu ? nu : 1) * sizeof(*idx));
    if (!idx) {
        e = ERR_NOMEM;
        goto out;
    }
    nu = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->prof[i] < dm->nprof && m->year[i] >= y0 && m->year[i] <= y1)
            idx[nu++] = (uint32_t)i;
    out->info.records_used = nu;
    e = radix_sort(idx, nu, m, y0);
    if (e != ERR_OK)
        goto out;

    size_t before = d->total;
    for (size_t i = 0; i < nu;) {
        uint32_t person = m->person[idx[i]];
        size_t j = i, k = 0;
        uint32_t first = idx[i];
        int birth = (int)m->year[first] - (int)m->age[first];
        /* the person's years */
        while (j < nu && m->person[idx[j]] == person) {
            size_t g = j;
            while (g < nu && m->person[idx[g]] == person && m->year[idx[g]] == m->year[idx[j]]) {
                uint32_t r = idx[g];
                if (m->sex[r] != m->sex[first])
                    diag_add(d, NULL, 0, "record %u: person %u has sex %u here but %u on record %u",
                             r + 1, person, m->sex[r], m->sex[first], first + 1);
                else if ((int)m->year[r] - (int)m->age[r] != birth)
                    diag_add(d, NULL, 0,
                             "record %u: person %u is %u in %u here but %u in %u on record %u",
                             r + 1, person, m->age[r], m->year[r], m->age[first], m->year[first],
                             first + 1);
                g++;
            }
            size_t nprofs = 0;
            reduce(m, idx, j, g, pf, rf, &seq[k], &nprofs);
            out->info.multi_prof += nprofs > 1;
            k++;
            j = g;
        }
        if (d->total != before) {
            i = j;
            continue;
        }
        out->info.persons++;
        uint64_t seen = 0;
        for (size_t q = 0; q < k; q++) {
            const struct pyear *py = &seq[q];
            int t = py->year, age = clamp_age(dm, py->age);
            size_t c = projection_cell(dm, py->prof, py->reg, py->sex, age);
            out->info.person_years++;
            out->info.ages_clamped += age != py->age;
            out->stock[(size_t)(t - y0) * nc + c]++;
            out->person_years[c]++;
            out->fte_sum[c] += py->fte;
            if (t < y1) {
                const struct pyear *nx = q + 1 < k && seq[q + 1].year == t + 1 ? &seq[q + 1] : NULL;
                out->exposure[c]++;
                out->info.transitions++;
                if (nx && nx->prof == py->prof) {
                    if (nx->reg != py->reg) {
                        out->moves[c]++;
                        out->dest_count[((size_t)py->prof * dm->nreg + py->reg) * dm->nreg +
                                        nx->reg]++;
                    }
                } else {
                    out->exits[c]++;
                }
            }
            if (t > y0) {
                const struct pyear *pv = q > 0 && seq[q - 1].year == t - 1 ? &seq[q - 1] : NULL;
                if (!(pv && pv->prof == py->prof)) {
                    if (seen & ((uint64_t)1 << py->prof)) {
                        int a0 = clamp_age(dm, py->age - 1);
                        out->reentries[projection_cell(dm, py->prof, py->reg, py->sex, a0)]++;
                    } else {
                        out->entrants[((size_t)(t - y0) * dm->nprof + py->prof) * dm->nreg +
                                      py->reg]++;
                        out->entrant_count[((size_t)py->prof * PROJECTION_SEXES + py->sex) * na +
                                           (size_t)(age - dm->age_min)]++;
                    }
                }
            }
            seen |= (uint64_t)1 << py->prof;
        }
        i = j;
    }
    if (d->total != before) {
        e = ERR_INVALID;
        goto out;
    }

    /* the rates */
    double k = o->pool;
    for (size_t c = 0; c < nc; c++) {
        evd[c] = (double)out->exits[c];
        exd[c] = (double)out->exposure[c];
        out->info.cells_pooled += out->exposure[c] == 0;
    }
    e = estimate(dm, evd, exd, k, o->smooth, out->exit);
    if (e != ERR_OK)
        goto out;
    for (size_t c = 0; c < nc; c++)
        evd[c] = (double)out->reentries[c];
    e = estimate(dm, evd, exd, k, o->smooth, out->reentry);
    if (e != ERR_OK)
        goto out;
    for (size_t c = 0; c < nc; c++) {
        evd[c] = (double)out->moves[c];
        exd[c] = (double)(out->exposure[c] - out->exits[c]);
    }
    e = estimate(dm, evd, exd, k, o->smooth, out->migrate);
    if (e != ERR_OK)
        goto out;
    for (size_t c = 0; c < nc; c++) {
        evd[c] = (double)out->fte_sum[c] / 100.0;
        exd[c] = (double)out->person_years[c];
    }
    e = estimate(dm, evd, exd, k, o->smooth, out->fte);
    if (e != ERR_OK)
        goto out;
    for (size_t c = 0; c < nc; c++) {
        out->exit[c] = out->exit[c] > 1 ? 1 : out->exit[c];
        out->reentry[c] = out->reentry[c] > 1 ? 1 : out->reentry[c];
        out->migrate[c] = out->migrate[c] > 1 ? 1 : out->migrate[c];
    }
    e = shares(dm, out->dest_count, dm->nreg, dm->nreg, 1, k, 0, out->dest);
    if (e != ERR_OK)
        goto out;
    e = shares(dm, out->entrant_count, 1, nk, 0, k, o->smooth, out->entrant);
out:
    free(idx);
    free(seq);
    free(pf);
    free(rf);
    free(evd);
    free(exd);
    if (e == ERR_NOMEM)
        diag_add(d, NULL, 0, "out of memory for the flow rates");
    return e;
}
