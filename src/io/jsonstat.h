/* jsonstat.h - write a cube (core/cube.h) as a JSON-stat 2.0 dataset,
 * with suppressed and missing cells as null values and a status symbol. */
#ifndef BIDRAG_IO_JSONSTAT_H
#define BIDRAG_IO_JSONSTAT_H

#include "core/cube.h"
#include "util/buf.h"

/* Append the JSON-stat dataset to out. */
enum err jsonstat_write_cube(const struct cube *c, struct buf *out);

#endif
