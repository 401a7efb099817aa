/* px.h - PC-Axis (PX) files: read any PX file (PxWeb downloads, all
 * encodings, KEYS, multilingual, notes, data symbols) into a cube, and
 * write a cube as PX AXIS-VERSION 2013. */
#ifndef BIDRAG_IO_PX_H
#define BIDRAG_IO_PX_H

#include <stddef.h>
#include "core/cube.h"
#include "util/buf.h"
#include "util/err.h"

/* Caps on what px_read_cube accepts. */
#define PX_MAX_BYTES ((size_t)256 << 20)        /* 256 MiB file */
#define PX_MAX_CELLS ((size_t)20 * 1000 * 1000) /* cells in the table */
#define PX_MAX_DIMS 64                          /* STUB + HEADING variables */

/* Read the PX file in bytes[0..len) into out (which must be cube_init'ed
 * or released; on error it is left released).
 *
 * path is used only in messages. lang selects the language of the labels
 * (NULL or the file's LANGUAGE = the main language; otherwise one of
 * LANGUAGES, falling back to the main language keyword by keyword).
 * The text is converted to UTF-8 from the file's CODEPAGE (a file that is
 * valid UTF-8 or starts with a UTF-8 BOM is taken as UTF-8).
 *
 * Dimensions are the STUB then the HEADING variables, so cells are in the
 * file's DATA order. A dimension's code is VARIABLECODE or the variable's
 * name in the main language, its value codes are CODES or the main
 * language VALUES; the labels are in the chosen language. TIMEVAL marks
 * the time dimension, CONTVARIABLE the contents dimension (with UNITS and
 * PRECISION per value). Data symbols map to statuses: "." (DATASYMBOL1)
 * CUBE_NA, ".." (DATASYMBOL2) and "......" CUBE_MISSING, "..." to "....."
 * (DATASYMBOL3-5) CUBE_SUPPRESSED, "-" (DATASYMBOLNIL) the value 0. Rows
 * left out of KEYS data are 0.
 *
 * If cell_line is not NULL, *cell_line receives an array of out->ncells
 * 1-based line numbers where each cell's value stands in the file (0 for a
 * cell left out of KEYS data); the caller frees it.
 *
 * Every problem goes to dg as "path:line: message": the fatal one (the
 * function then returns ERR_PARSE for bad syntax, ERR_INVALID for broken
 * rules, ERR_LIMIT for the caps, ERR_NOTFOUND for an unknown lang), and
 * warnings, prefixed "warning: ", for flaws a reader can skip (a malformed
 * NOTE, a bad SHOWDECIMALS, a keyword naming an unknown variable ...). */
enum err px_read_cube(const char *bytes, size_t len, const char *path, const char *lang,
                      struct cube *out, long **cell_line, struct diag *dg);

/* Write c as a PX file (UTF-8, AXIS-VERSION "2013") into out. Suppressed
 * cells use DATASYMBOL/DATANOTE conventions as PxWeb files do: cells with
 * status CUBE_NA are written ".", CUBE_MISSING "..", CUBE_SUPPRESSED "..."
 * with DATASYMBOL3 naming the suppression symbol. The last dimension is the
 * HEADING, the others the STUB; the time dimension gets a TIMEVAL. */
enum err px_write_cube(const struct cube *c, struct buf *out);

#endif
