/* suppress.c - primary and secondary cell suppression over margins. */
#include "core/suppress.h"

#include <string.h>

#define SUPPRESS_MAX_DIMS 16

/* Visit one line: dimension d varies, the other coordinates are those of
 * base (whose coordinate on d is 0). Returns 1 if a cell was added. */
static int fix_line(size_t nd, size_t stride, int has_total, size_t base, const double *count,
                    unsigned char *mark, size_t *added)
{
    size_t nsup = 0, which = 0;
    for (size_t k = 0; k < nd; k++) {
        if (mark[base + k * stride] != SUPPRESS_NONE) {
            nsup++;
            which = k;
        }
    }
    if (nsup != 1 || !has_total)
        return 0;
    size_t last = nd - 1; /* the total */
    size_t best = (size_t)-1;
    for (size_t k = 0; k < last; k++) {
        size_t cell = base + k * stride;
        if (k == which || mark[cell] != SUPPRESS_NONE || !(count[cell] > 0))
            continue;
        if (best == (size_t)-1 || count[cell] < count[base + best * stride])
            best = k;
    }
    if (best == (size_t)-1) {
        if (which == last)
            return 0; /* only zeros besides: the total equals nothing withheld */
        best = last;
    }
    mark[base + best * stride] = SUPPRESS_SECONDARY;
    (*added)++;
    return 1;
}

enum err suppress_table(size_t ndims, const size_t *n, const int *has_total, const double *count,
                        long threshold, unsigned char *mark, struct suppress_result *res)
{
    memset(res, 0, sizeof(*res));
    if (ndims > SUPPRESS_MAX_DIMS)
        return ERR_LIMIT;
    size_t ncells = 1;
    for (size_t d = 0; d < ndims; d++)
        ncells *= n[d];
    if (ncells == 0)
        return ERR_OK;
    for (size_t i = 0; i < ncells; i++) {
        int small = count[i] > 0 && count[i] < (double)threshold;
        mark[i] = small ? SUPPRESS_PRIMARY : SUPPRESS_NONE;
        res->primary += (size_t)small;
    }
    if (res->primary == 0)
        return ERR_OK;
    size_t stride[SUPPRESS_MAX_DIMS];
    size_t s = 1;
    for (size_t d = ndims; d-- > 0;) {
        stride[d] = s;
        s *= n[d];
    }
    int changed = 1;
    while (changed) {
        changed = 0;
        res->passes++;
        for (size_t d = 0; d < ndims; d++) {
            if (!has_total[d] || n[d] < 2)
                continue;
            /* every cell whose coordinate on d is 0 starts a line */
            for (size_t cell = 0; cell < ncells; cell++) {
                if ((cell / stride[d]) % n[d] != 0)
                    continue;
                changed |= fix_line(n[d], stride[d], has_total[d], cell, count, mark,
                                    &res->secondary);
            }
        }
    }
    return ERR_OK;
}
