/* form.h - parsers for untrusted request text: URL-encoded forms and
 * query strings, and Cookie headers.
 *
 * Names and values are decoded into the caller's arena. Input that is not
 * valid UTF-8, holds control characters (other than tab and newline in
 * values), has a bad %-escape or too many fields is refused with
 * ERR_PARSE or ERR_LIMIT. */
#ifndef BIDRAG_WEB_FORM_H
#define BIDRAG_WEB_FORM_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define FORM_MAX_FIELDS 256

struct form_field {
    const char *name;
    const char *value;
};

struct form {
    struct form_field *f;
    size_t n;
};

/* "a=1&b=x+y%21" -> {a: "1", b: "x y!"}. A field without '=' has an empty
 * value; empty pieces ("a=1&&b=2") are skipped. */
enum err form_parse(struct arena *a, const char *s, size_t n, struct form *out);
/* "sid=abc; lang=en" -> {sid: "abc", lang: "en"}; values are not decoded. */
enum err form_parse_cookies(struct arena *a, const char *s, size_t n, struct form *out);
/* The client's address from a proxy's header such as X-Forwarded-For
 * ("client, proxy1, proxy2"): the LAST address in the list, the one the
 * trusted proxy itself added (what comes before it was written by the
 * client and proves nothing). It must be a plain IPv4 or IPv6 address;
 * ERR_PARSE otherwise (out is then ""). */
enum err form_forwarded_addr(const char *h, char *out, size_t n);

/* 1 if an Accept-Encoding header admits gzip: "gzip", "x-gzip" or "*"
 * with a q-value other than 0 (NULL: 0). */
int form_takes_gzip(const char *accept_encoding);

/* 1 if an If-None-Match header names tag or tag2 (entity tags with their
 * quotes; a weak W/ form matches too) or is "*" (NULL: 0). */
int form_none_match(const char *if_none_match, const char *tag, const char *tag2);
/* The first value for name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* str_text_ok() (util/str.h), the one rule for every text we accept:
 * well-formed UTF-8 with no control character other than tab, and CR and
 * LF when allow_newlines is set. */
int form_text_ok(const char *s, size_t n, int allow_newlines);

#endif
