/* arena.h - a bump allocator with a cap, for per-request memory.
 *
 * Everything allocated from an arena is freed at once by arena_release.
 * Allocation past the cap fails (returns NULL) instead of growing without
 * bound, so a hostile request cannot exhaust memory. */
#ifndef BIDRAG_UTIL_ARENA_H
#define BIDRAG_UTIL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
    size_t used; /* bytes handed out, all blocks */
    size_t max;  /* cap on used */
};

void arena_init(struct arena *a, size_t max);
/* Free every block; the arena can be used again afterwards. */
void arena_release(struct arena *a);
/* n bytes aligned for any type, zeroed; NULL past the cap or on failure. */
void *arena_alloc(struct arena *a, size_t n);
/* Copy of the first n bytes of s, terminated; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copy of s (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
