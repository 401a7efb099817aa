/* px.h - PC-Axis (PX) files: read any PX file (PxWeb downloads, all
 * encodings, KEYS, multilingual, notes, data symbols) into a cube, and
 * write a cube as PX AXIS-VERSION 2013. */
#ifndef BIDRAG_IO_PX_H
#define BIDRAG_IO_PX_H

#include <stddef.h>
#include "core/cube.h"
#include "util/buf.h"
#include "util/err.h"

/* Write c as a PX file (UTF-8, AXIS-VERSION "2013") into out. Suppressed
 * cells use DATASYMBOL/DATANOTE conventions as PxWeb files do. */
enum err px_write_cube(const struct cube *c, struct buf *out);

#endif
