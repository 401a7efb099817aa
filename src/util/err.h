/* err.h - error values and diagnostic lists shared by every layer.
 *
 * A fallible function returns enum err; when a human-readable message is
 * needed it also fills a struct diag, which collects "file:line: message"
 * lines (capped) for the caller to print. */
#ifndef BIDRAG_UTIL_ERR_H
#define BIDRAG_UTIL_ERR_H

#include <stddef.h>

enum err {
    ERR_OK = 0,
    ERR_NOMEM,    /* allocation failed */
    ERR_IO,       /* read/write failed */
    ERR_PARSE,    /* input is malformed */
    ERR_INVALID,  /* input is well-formed but breaks a rule */
    ERR_NOTFOUND, /* a named thing does not exist */
    ERR_LIMIT,    /* a cap was reached */
    ERR_CONFLICT, /* the thing exists already / concurrent change */
    ERR_DENIED,   /* not allowed */
    ERR_STORE     /* database failure */
};

/* Marks a function whose enum err result must be looked at: gcc and clang
 * warn (an error under -Werror) when a caller drops it, and gcc even through
 * a (void) cast. The store's and the services' functions carry it
 * (tools/checksrc.pl checks that they do). */
#define ERR_MUST_CHECK __attribute__((warn_unused_result))

/* Short English name of an error value, never NULL. */
const char *err_str(enum err e);

/* A capped list of diagnostics. Messages beyond `max` are counted, not kept. */
struct diag {
    char **msg;
    size_t n;     /* messages kept */
    size_t total; /* messages reported, including dropped ones */
    size_t max;   /* keep at most this many (0 = 1000) */
};

void diag_init(struct diag *d, size_t max);
void diag_release(struct diag *d);
/* Add "file:line: message" (file may be NULL, line 0 = no line). */
void diag_add(struct diag *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Print every kept message to the stream, then "... and N more" if dropped. */
#include <stdio.h>
void diag_print(const struct diag *d, FILE *f);

#endif
