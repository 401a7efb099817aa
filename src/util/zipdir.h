/* zipdir.h - the names in a ZIP file's central directory, read from bytes
 * in memory without inflating anything: enough to tell an Office Open XML
 * file (an XLSX has [Content_Types].xml and xl/workbook.xml) from any other
 * ZIP. Untrusted input: every offset and length is checked against the
 * buffer; ZIP64 and multi-disk archives are not read (ERR_PARSE). */
#ifndef BIDRAG_UTIL_ZIPDIR_H
#define BIDRAG_UTIL_ZIPDIR_H

#include <stddef.h>

#include "util/err.h"

#define ZIPDIR_MAX_ENTRIES 10000

/* Call fn for every entry name in the central directory, in order (name is
 * not NUL-terminated: len bytes). fn returning non-zero stops the walk.
 * ERR_PARSE if data is no well-formed ZIP (no end of central directory,
 * offsets outside the data, a broken entry, more than ZIPDIR_MAX_ENTRIES). */
enum err zipdir_each(const unsigned char *data, size_t len,
                     int (*fn)(void *ctx, const char *name, size_t len), void *ctx);

/* 1 if data is a well-formed ZIP whose central directory names every one
 * of the n names exactly (case-sensitive), else 0. */
int zipdir_has_all(const unsigned char *data, size_t len, const char *const *names, size_t n);

#endif
