/* str.h - small string helpers: strict number parsing, trimming, copying. */
#ifndef BIDRAG_UTIL_STR_H
#define BIDRAG_UTIL_STR_H

#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

/* Parse a whole decimal integer (optional leading '-', optional spaces
 * around); anything else is ERR_PARSE, overflow is ERR_LIMIT. */
enum err str_parse_i64(const char *s, int64_t *out);
/* Trim ASCII whitespace at both ends, in place; returns s. */
char *str_trim(char *s);
/* Copy at most n-1 bytes and terminate; returns 1 if truncated. */
int str_copy(char *dst, size_t n, const char *src);
/* strdup that returns NULL for NULL. Caller frees. */
char *str_dup(const char *s);
/* 1 if s consists of exactly n ASCII digits. */
int str_is_digits(const char *s, size_t n);
/* 1 if s starts with prefix. */
int str_starts(const char *s, const char *prefix);
/* Length of a valid UTF-8 string, or -1 if s is not valid UTF-8. */
long str_utf8_len(const char *s, size_t n);

/* Copy s into out padded with spaces to width display columns (UTF-8 code
 * points), cutting it at width code points if longer; right-aligned when
 * right is set. Returns out. */
char *str_pad(char *out, size_t n, const char *s, size_t width, int right);

#endif
