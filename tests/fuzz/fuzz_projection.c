/* fuzz_projection.c - libFuzzer target for the projection engine over
 * untrusted parameters: the bytes give small dimensions, a stock, rates
 * (now and then out of range or not a number), distributions, series,
 * population and one scenario. A refusal must say why; a projection must
 * keep every cell non-negative and stock(t+1) = stock(t) aged + inflows -
 * outflows in every cell, with movers in = movers out. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/projection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bytes {
    const uint8_t *p;
    size_t n, i;
};

static unsigned next(struct bytes *b)
{
    return b->n ? b->p[b->i++ % b->n] : 0;
}

/* A rate 0-1 from a byte; 255 is out of range, 254 not a number. */
static double rate(struct bytes *b)
{
    unsigned v = next(b);
    return v == 255 ? 1.5 : v == 254 ? NAN : (double)v / 253.0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8 || size > 4096)
        return 0;
    struct bytes b = {data, size, 0};
    struct projection_input in;
    memset(&in, 0, sizeof(in));
    in.dims = (struct projection_dims){1 + next(&b) % 3, 1 + next(&b) % 3, 20, 0};
    in.dims.age_max = 21 + (int)(next(&b) % 10);
    in.base_year = 2024;
    in.horizon = 1 + next(&b) % 6;
    size_t nc = projection_ncells(&in.dims), na = projection_nages(&in.dims), nk = 2 * na;
    size_t np = in.dims.nprof, nr = in.dims.nreg, ny = 1 + next(&b) % 8;
    int64_t *stock = calloc(nc, 8), *beg = calloc(np * nr * ny, 8), *abr = calloc(np * nr * ny, 8);
    int64_t *pop = calloc(nr * (in.horizon + 1) * 2 * PROJECTION_POP_AGES, 8);
    double *cells = calloc(5 * nc, 8), *dest = calloc(np * nr * nr, 8);
    double *gd = calloc(np * nk, 8), *ad = calloc(np * nk, 8),
           *use = calloc(np * 2 * PROJECTION_POP_AGES, 8);
    double comp[3], share[3];
    unsigned lag[3];
    if (!stock || !beg || !abr || !pop || !cells || !dest || !gd || !ad || !use)
        abort();
    for (size_t c = 0; c < nc; c++) {
        stock[c] = next(&b) * 7;
        for (int k = 0; k < 5; k++)
            cells[(size_t)k * nc + c] = rate(&b) * (k == 0 ? 0.5 : 1);
    }
    for (size_t p = 0; p < np; p++) {
        double gs = 0, as = 0;
        for (size_t k = 0; k < nk; k++) {
            gd[p * nk + k] = next(&b) % 4;
            ad[p * nk + k] = next(&b) % 3;
            gs += gd[p * nk + k];
            as += ad[p * nk + k];
        }
        for (size_t k = 0; k < nk; k++) {
            gd[p * nk + k] = gs > 0 ? gd[p * nk + k] / gs : 0;
            ad[p * nk + k] = as > 0 ? ad[p * nk + k] / as : 0;
        }
        for (size_t r = 0; r < nr; r++) {
            double s = 0;
            for (size_t q = 0; q < nr; q++) {
                dest[(p * nr + r) * nr + q] = q == r ? 0 : 1 + next(&b) % 5;
                s += dest[(p * nr + r) * nr + q];
            }
            for (size_t q = 0; q < nr; q++)
                dest[(p * nr + r) * nr + q] = s > 0 ? dest[(p * nr + r) * nr + q] / s : 0;
            for (size_t y = 0; y < ny; y++) {
                beg[(p * nr + r) * ny + y] = next(&b) * 3;
                abr[(p * nr + r) * ny + y] = next(&b) % 20;
            }
        }
        comp[p] = rate(&b);
        share[p] = rate(&b);
        lag[p] = next(&b) % 17;
    }
    for (size_t i = 0; i < nr * (in.horizon + 1) * 2 * PROJECTION_POP_AGES; i++)
        pop[i] = next(&b) * 100;
    for (size_t i = 0; i < np * 2 * PROJECTION_POP_AGES; i++)
        use[i] = next(&b) / 50.0;
    struct projection_scenario sc = {"fuzz",       "",           (int)(next(&b) % 25) - 12,
                                     rate(&b) * 2, rate(&b) * 2, rate(&b) * 2,
                                     rate(&b) * 2};
    in.stock = stock;
    in.exit = cells;
    in.reentry = cells + nc;
    in.migrate = cells + 2 * nc;
    in.participation = cells + 3 * nc;
    in.fte = cells + 4 * nc;
    in.dest = nr > 1 ? dest : NULL;
    in.grad_dist = gd;
    in.abroad_dist = ad;
    in.series_y0 = 2020;
    in.series_ny = (unsigned)ny;
    in.beginners = beg;
    in.abroad = abr;
    in.completion = comp;
    in.entry_share = share;
    in.lag = lag;
    in.pop = pop;
    in.care_use = use;
    in.scen = &sc;
    in.nscen = 1;
    in.keep_flows = 1;
    int64_t *hist = calloc(3 * nc, 8);
    if (!hist)
        abort();
    for (size_t i = 0; i < 3 * nc; i++)
        hist[i] = next(&b) * 7;
    in.hist = hist;
    in.hist_y0 = 2024 - (int)(next(&b) % 3);
    in.nhist = 1 + next(&b) % 3;
    in.backcast_years = next(&b) % 3;
    struct projection_result res;
    struct diag d;
    diag_init(&d, 5);
    if (projection_run(&in, &res, &d) != ERR_OK) {
        if (d.total == 0)
            abort();
    } else {
        const struct projection_run *run = &res.run[0];
        for (unsigned y = 0; y < in.horizon; y++) {
            const int64_t *s0 = run->stock + y * nc, *s1 = run->stock + (y + 1) * nc;
            const int64_t *fl = run->flows + y * nc * PROJECTION_NFLOWS;
            int64_t in_sum = 0, out_sum = 0;
            for (size_t c = 0; c < nc; c++) {
                size_t ai = c % na;
                int64_t aged = (ai > 0 ? s0[c - 1] : 0) + (ai == na - 1 ? s0[c] : 0);
                const int64_t *f = fl + c * PROJECTION_NFLOWS;
                if (s1[c] < 0 || s1[c] != aged + f[PROJECTION_GRAD] + f[PROJECTION_ABROAD] +
                                              f[PROJECTION_REENTRY] + f[PROJECTION_MOVE_IN] -
                                              f[PROJECTION_EXIT] - f[PROJECTION_MOVE_OUT])
                    abort();
                in_sum += f[PROJECTION_MOVE_IN];
                out_sum += f[PROJECTION_MOVE_OUT];
            }
            if (in_sum != out_sum)
                abort();
        }
    }
    projection_release(&res);
    diag_release(&d);
    free(stock);
    free(hist);
    free(beg);
    free(abr);
    free(pop);
    free(cells);
    free(dest);
    free(gd);
    free(ad);
    free(use);
    return 0;
}
