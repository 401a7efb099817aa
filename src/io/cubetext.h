/* cubetext.h - write a cube (core/cube.h) as a plain-text table for a
 * terminal: the row dimensions down, the column dimensions and the
 * measures across, the legend, source and note below. */
#ifndef BIDRAG_IO_CUBETEXT_H
#define BIDRAG_IO_CUBETEXT_H

#include <stddef.h>

#include "core/cube.h"
#include "util/buf.h"

/* Append the table to out; the first nrowdims dimensions go down. */
enum err cubetext_write(const struct cube *c, size_t nrowdims, struct buf *out);

#endif
