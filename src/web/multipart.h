/* multipart.h - a capped parser for multipart/form-data request bodies
 * (RFC 7578), the way a browser posts a form with a file input.
 *
 * Text parts become form fields (decoded into the caller's arena and held
 * to the same rule as URL-encoded ones: valid UTF-8, no control
 * characters other than tab and newlines); file parts are returned as
 * borrowed slices of the body, at most file_max bytes each. A part
 * without the closing boundary, a header block past MP_HEADER_MAX, too
 * many parts or files, or a bad name is refused with ERR_PARSE or
 * ERR_LIMIT. The type a browser claims for a file is passed on as it came;
 * callers judge the bytes themselves. */
#ifndef BIDRAG_WEB_MULTIPART_H
#define BIDRAG_WEB_MULTIPART_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"
#include "web/form.h"

#define MP_HEADER_MAX 4096 /* bytes of headers per part */
#define MP_FILES_MAX 4
#define MP_BOUNDARY_MAX 70

struct mp_file {
    const char *name;          /* the form field's name */
    const char *filename;      /* as sent (may be ""), valid UTF-8 */
    const char *ctype;         /* as sent, or "" */
    const unsigned char *data; /* borrowed from the body */
    size_t len;
};

struct mp_files {
    struct mp_file v[MP_FILES_MAX];
    size_t n;
};

/* 1 if a Content-Type header value is multipart/form-data. */
int mp_is_multipart(const char *content_type);

/* Parse body (len bytes) posted with content_type. A file part with an
 * empty file name and no bytes (a file input left empty) is skipped. */
enum err mp_parse(struct arena *a, const char *content_type, const char *body, size_t len,
                  size_t file_max, struct form *fields, struct mp_files *files);

#endif
