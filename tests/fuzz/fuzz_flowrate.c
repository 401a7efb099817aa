/* fuzz_flowrate.c - libFuzzer target for the flow-rate estimator over
 * untrusted microdata columns: the first bytes pick the dimensions and
 * options, then every 7 bytes are one record (person, year, profession,
 * region, sex, age, fte), out-of-range values included. A refusal must
 * say why; an estimate must hold rates within 0-1, distributions that sum
 * to 1, and counts that agree with each other. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/flowrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5 || size > 4096)
        return 0;
    struct projection_dims dims = {1u + data[0] % 4, 1u + data[1] % 4, 18 + data[2] % 8, 0};
    dims.age_max = dims.age_min + 1 + data[3] % 12;
    struct flowrate_opts o = {0, 0, (double)(data[4] % 8) * 10, (unsigned)(data[4] >> 5) % 7};
    size_t n = (size - 5) / 7;
    uint32_t *person = malloc((n + 1) * 4);
    uint16_t *year = malloc((n + 1) * 2), *fte = malloc((n + 1) * 2);
    uint8_t *prof = malloc(n + 1), *region = malloc(n + 1), *sex = malloc(n + 1),
            *age = malloc(n + 1);
    if (!person || !year || !fte || !prof || !region || !sex || !age)
        abort();
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = data + 5 + i * 7;
        person[i] = r[0] % 16 + (r[0] & 0x80 ? 70000u : 0u);
        year[i] = (uint16_t)(r[1] == 255 ? 1800 : 2015 + r[1] % 6);
        prof[i] = r[2] % 6;
        region[i] = (uint8_t)(r[3] > 250 ? r[3] % 8 : r[3] % dims.nreg);
        /* a person's sex and birth year follow from the person number,
         * unless the byte asks for a (probably inconsistent) raw value */
        sex[i] = (uint8_t)(r[4] > 250 ? r[4] % 3 : person[i] % 2);
        age[i] = (uint8_t)(r[5] > 250   ? r[5]
                           : r[5] > 240 ? r[5] % 40
                                        : year[i] - (1950 + person[i] % 40));
        fte[i] = (uint16_t)(r[6] > 250 ? 101 : r[6] % 101);
    }
    struct flowrate_micro m = {n, person, year, prof, region, sex, age, fte};
    struct flowrate_result res;
    struct diag d;
    diag_init(&d, 5);
    enum err e = flowrate_estimate(&m, &dims, &o, &res, &d);
    if (e != ERR_OK) {
        if (d.total == 0)
            abort();
    } else {
        size_t nc = projection_ncells(&dims), na = projection_nages(&dims);
        int64_t exposure = 0, stock_early = 0, py = 0, stock_all = 0;
        for (size_t c = 0; c < nc; c++) {
            if (!(res.exit[c] >= 0 && res.exit[c] <= 1 && res.migrate[c] >= 0 &&
                  res.migrate[c] <= 1 && res.reentry[c] >= 0 && res.reentry[c] <= 1 &&
                  res.fte[c] >= 0 && isfinite(res.fte[c])))
                abort();
            if (res.exits[c] + res.moves[c] > res.exposure[c])
                abort();
            exposure += res.exposure[c];
            py += res.person_years[c];
        }
        for (unsigned y = 0; y < res.nyears; y++)
            for (size_t c = 0; c < nc; c++) {
                stock_all += res.stock[y * nc + c];
                if (y + 1 < res.nyears)
                    stock_early += res.stock[y * nc + c];
            }
        if (exposure != stock_early || py != stock_all || (size_t)py != res.info.person_years)
            abort();
        for (unsigned p = 0; p < dims.nprof; p++) {
            double s = 0;
            for (size_t k = 0; k < 2 * na; k++)
                s += res.entrant[p * 2 * na + k];
            if (fabs(s - 1) > 1e-9)
                abort();
            for (unsigned r = 0; r < dims.nreg && dims.nreg > 1; r++) {
                double rs = 0;
                for (unsigned q = 0; q < dims.nreg; q++)
                    rs += res.dest[(p * dims.nreg + r) * dims.nreg + q];
                if (fabs(rs - 1) > 1e-9 || res.dest[(p * dims.nreg + r) * dims.nreg + r] != 0)
                    abort();
            }
        }
    }
    flowrate_release(&res);
    diag_release(&d);
    free(person);
    free(year);
    free(fte);
    free(prof);
    free(region);
    free(sex);
    free(age);
    return 0;
}
