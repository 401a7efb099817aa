/* suppress.c - primary and secondary cell suppression over margins. */
#include "core/suppress.h"

#include <stdlib.h>
#include <string.h>

#define SUPPRESS_MAX_DIMS 16

/* Visit one line: dimension d varies, the other coordinates are those of
 * base (whose coordinate on d is 0). Returns 1 if a cell was added. */
static int fix_line(size_t nd, size_t stride, size_t base, const double *count, unsigned char *mark,
                    size_t *added)
{
    size_t nsup = 0, which = 0;
    for (size_t k = 0; k < nd; k++) {
        if (mark[base + k * stride] != SUPPRESS_NONE) {
            nsup++;
            which = k;
        }
    }
    if (nsup != 1)
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
    *added = base + best * stride;
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
    /* a work list of withheld cells whose lines must be checked: each
     * cell enters it once, when it is marked */
    size_t *queue = malloc(ncells * sizeof(size_t));
    if (!queue)
        return ERR_NOMEM;
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < ncells; i++)
        if (mark[i] != SUPPRESS_NONE)
            queue[tail++] = i;
    while (head < tail) {
        size_t cell = queue[head++];
        res->passes++;
        for (size_t d = 0; d < ndims; d++) {
            if (!has_total[d] || n[d] < 2)
                continue;
            size_t coord = (cell / stride[d]) % n[d];
            size_t base = cell - coord * stride[d];
            size_t added = (size_t)-1;
            if (fix_line(n[d], stride[d], base, count, mark, &added)) {
                res->secondary++;
                queue[tail++] = added;
            }
        }
    }
    free(queue);
    return ERR_OK;
}
