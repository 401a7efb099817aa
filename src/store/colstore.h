/* colstore.h - a column store for microdata: named files of fixed-width
 * column arrays and dictionaries, written as a new generation folder and
 * switched to atomically, read back memory-mapped.
 *
 * Layout under dir: CURRENT (the name of the live generation), lock, and
 * gen-N/ folders holding one file per column or dictionary plus whatever
 * the caller writes (a manifest). A writer builds gen-N.tmp-PID/, then
 * renames it to gen-N/ and CURRENT.tmp to CURRENT, so readers see either
 * the old or the new generation, never a mix; an interrupted write leaves
 * only a .tmp folder that the next writer removes. No business rules: the
 * statistics service decides what the columns are. */
#ifndef BIDRAG_STORE_COLSTORE_H
#define BIDRAG_STORE_COLSTORE_H

#include <stddef.h>

#include "util/err.h"

#define COLSTORE_MAX_FILES 48
#define COLSTORE_PATH 1024

struct colstore_writer {
    char dir[COLSTORE_PATH];
    char tmp[COLSTORE_PATH];
    char gen[64];
    int lockfd;
    char errmsg[3 * COLSTORE_PATH];
};

/* Start a new generation in dir (created if absent); takes dir/lock so
 * that one import runs at a time (ERR_CONFLICT if another holds it). */
ERR_MUST_CHECK enum err colstore_begin(struct colstore_writer *w, const char *dir);
/* Write one named file of the new generation. */
ERR_MUST_CHECK enum err colstore_put(struct colstore_writer *w, const char *name, const void *data,
                                     size_t len);
/* Make the new generation the live one and remove the old one. */
ERR_MUST_CHECK enum err colstore_commit(struct colstore_writer *w);
/* Drop the new generation (after an error); safe to call after commit. */
void colstore_abort(struct colstore_writer *w);

struct colstore_file {
    char name[64];
    void *p; /* mapped read-only, NULL when empty */
    size_t len;
};

struct colstore {
    char dir[COLSTORE_PATH];
    char gen[64];
    size_t nf;
    struct colstore_file f[COLSTORE_MAX_FILES];
    char errmsg[3 * COLSTORE_PATH];
};

/* Map every file of the live generation. ERR_NOTFOUND if dir has none. */
ERR_MUST_CHECK enum err colstore_open(struct colstore *s, const char *dir);
/* The mapped bytes of a named file; ERR_NOTFOUND if absent. */
ERR_MUST_CHECK enum err colstore_get(const struct colstore *s, const char *name, const void **p,
                                     size_t *len);
void colstore_close(struct colstore *s);

#endif
