/* cubecsv.h - write a cube (core/cube.h) as CSV that Excel opens: UTF-8
 * with BOM, one column per dimension then one per measure or a value
 * column, suppressed/missing cells marked with their symbol. */
#ifndef BIDRAG_IO_CUBECSV_H
#define BIDRAG_IO_CUBECSV_H

#include "core/cube.h"
#include "util/buf.h"

/* Append the CSV to out. */
enum err cubecsv_write(const struct cube *c, struct buf *out);

#endif
