/* suppress.h - disclosure control (röjandekontroll) for count tables.
 *
 * A table is a hypercube of counts stored row-major; a dimension may end
 * with a total value (its margin: the sum of the other values along it).
 * Primary suppression withholds every cell with 0 < count < threshold
 * (zeros are published: a zero says nothing about a person). Secondary
 * suppression then makes sure no withheld cell can be recomputed from a
 * margin: every line along a dimension with a total (the values and the
 * total, all other coordinates fixed) that holds exactly one withheld cell
 * gets a second one: the smallest non-zero published value in that line,
 * or the total when no such value exists. Every newly withheld cell has
 * its own lines checked in turn, until no line has a lone withheld cell.
 * Pure: no I/O; one work list is allocated and freed inside. */
#ifndef BIDRAG_CORE_SUPPRESS_H
#define BIDRAG_CORE_SUPPRESS_H

#include <stddef.h>
#include "util/err.h"

enum suppress_mark { SUPPRESS_NONE = 0, SUPPRESS_PRIMARY = 1, SUPPRESS_SECONDARY = 2 };

struct suppress_result {
    size_t primary;   /* cells below the threshold */
    size_t secondary; /* cells withheld to protect them */
    size_t passes;    /* cells whose lines were checked */
};

/* Suppress in a table of ndims dimensions with n[d] values each (the
 * total included when has_total[d] is 1; it is the last value). count has
 * prod(n) cells; mark (same size, caller-owned) receives enum
 * suppress_mark per cell. threshold < 1 disables primary suppression. */
enum err suppress_table(size_t ndims, const size_t *n, const int *has_total, const double *count,
                        long threshold, unsigned char *mark, struct suppress_result *res);

#endif
