/* clock.h - time as a value: Unix seconds <-> ISO 8601 UTC text.
 *
 * Nothing below the commands reads the clock: a command calls
 * clock_from_env() once (BIDRAG_NOW, for tests, or the system clock) and
 * passes the time down. */
#ifndef BIDRAG_UTIL_CLOCK_H
#define BIDRAG_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define CLOCK_ISO_LEN 21 /* "2026-01-22T10:00:00Z" + NUL */

/* "2026-01-22T10:00:00Z" into out (at least CLOCK_ISO_LEN bytes). */
void clock_iso(char *out, size_t n, int64_t t);
/* Parse "2026-01-22T10:00:00Z", "2026-01-22" (midnight UTC) or a number of
 * seconds since 1970. */
enum err clock_parse(const char *s, int64_t *out);
/* BIDRAG_NOW when set and valid, else the system clock. */
int64_t clock_from_env(void);

#endif
