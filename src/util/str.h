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
/* Number of code points in n bytes of well-formed UTF-8 (Unicode 15,
 * Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or
 * -1 if the bytes are not well-formed UTF-8. */
long str_utf8_len(const char *s, size_t n);

/* The one rule for text taken from outside - forms, query strings,
 * headers, cookies, JSON, files: well-formed UTF-8 (str_utf8_len) with no
 * control character but tab, and CR and LF where flags has STR_TEXT_LINES.
 * Returns the number of characters (code points), or -1 if the text
 * breaks the rule. Limits on text are counted in these characters. */
#define STR_TEXT_LINES 1
long str_text_chars(const char *s, size_t n, int flags);
/* 1 if str_text_chars() accepts the n bytes. */
int str_text_ok(const char *s, size_t n, int flags);
/* 1 if the NUL-terminated s is accepted and has at most max_chars
 * characters (0 for NULL). */
int str_text_fits(const char *s, int flags, size_t max_chars);
/* Bytes a field needs to hold `chars` characters and its terminating NUL:
 * UTF-8 takes at most 4 bytes per code point. Size every field that holds
 * outside text with it, so that what the rules accept is never cut. */
#define STR_UTF8_SIZE(chars) ((size_t)(chars)*4 + 1)

/* Copy s into out padded with spaces to width display columns (UTF-8 code
 * points), cutting it at width code points if longer; right-aligned when
 * right is set. Returns out. */
char *str_pad(char *out, size_t n, const char *s, size_t width, int right);

#endif
