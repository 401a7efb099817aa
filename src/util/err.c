/* err.c - error names and the diagnostic list. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *err_str(enum err e)
{
    switch (e) {
    case ERR_OK:
        return "ok";
    case ERR_NOMEM:
        return "out of memory";
    case ERR_IO:
        return "input/output error";
    case ERR_PARSE:
        return "malformed input";
    case ERR_INVALID:
        return "invalid input";
    case ERR_NOTFOUND:
        return "not found";
    case ERR_LIMIT:
        return "limit reached";
    case ERR_CONFLICT:
        return "conflict";
    case ERR_DENIED:
        return "permission denied";
    case ERR_STORE:
        return "database error";
    }
    return "unknown error";
}

void diag_init(struct diag *d, size_t max)
{
    memset(d, 0, sizeof(*d));
    d->max = max ? max : 1000;
}

void diag_release(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msg[i]);
    free(d->msg);
    d->msg = NULL;
    d->n = d->total = 0;
}

void diag_add(struct diag *d, const char *file, long line, const char *fmt, ...)
{
    d->total++;
    if (d->n >= d->max)
        return;
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    char full[1400];
    if (file && line > 0)
        snprintf(full, sizeof(full), "%s:%ld: %s", file, line, body);
    else if (file)
        snprintf(full, sizeof(full), "%s: %s", file, body);
    else
        snprintf(full, sizeof(full), "%s", body);
    char **nm = realloc(d->msg, (d->n + 1) * sizeof(*nm));
    if (!nm)
        return;
    d->msg = nm;
    d->msg[d->n] = strdup(full);
    if (d->msg[d->n])
        d->n++;
}

void diag_print(const struct diag *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(f, "%s\n", d->msg[i]);
    if (d->total > d->n)
        fprintf(f, "... and %zu more\n", d->total - d->n);
}
