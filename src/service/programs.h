/* programs.h - program actions: check a program file against the data,
 * load it into the store, and open a program with its computed
 * allocation. The web and the API open stored programs by id only
 * (programs_open); a file on disk is a command-line notion
 * (programs_open_file, programs_check, programs_load). */
#ifndef BIDRAG_SERVICE_PROGRAMS_H
#define BIDRAG_SERVICE_PROGRAMS_H

#include "core/key.h"
#include "core/program.h"
#include "service/refdata.h"
#include "store/store.h"
#include "util/err.h"

/* A program with the data its keys read and its allocation. */
struct program_view {
    struct program prog;
    struct recipients rec;
    struct allocation alloc;
    int allocated; /* 1 when alloc is complete */
    /* data caches (owned) */
    struct series **series; /* each allocated alone: pointers stay valid */
    size_t nseries;
    struct store_program stored; /* when opened from the store */
    char dir[512];               /* folder of the program file (file programs) */
    struct store *s;
};

/* Open a stored program by its id (never a file, whatever the id looks
 * like): parses, validates and allocates; ERR_NOTFOUND if no program has
 * that id; problems go to d. Caller releases v (also on error). */
ERR_MUST_CHECK enum err programs_open(struct store *s, const char *id, struct program_view *v,
                                      struct diag *d);
/* The same for a program file at path; its key tables are read from the
 * file's folder. */
ERR_MUST_CHECK enum err programs_open_file(struct store *s, const char *path,
                                           struct program_view *v, struct diag *d);
void program_view_release(struct program_view *v);

/* Check a program file: syntax, structure and a full allocation against
 * the store's data. ERR_OK if the program can be loaded. */
ERR_MUST_CHECK enum err programs_check(struct store *s, const char *path, struct diag *d);

/* Load (or replace) a program file and the key tables it names into the
 * store, after the same checks. */
ERR_MUST_CHECK enum err programs_load(struct store *s, const char *path, const char *now,
                                      struct diag *d);
/* The same, naming who loads it in the audit trail (NULL: "system"). */
ERR_MUST_CHECK enum err programs_load_as(struct store *s, const char *path, const char *actor,
                                         const char *now, struct diag *d);

#endif
