/* failalloc.c - the allocation-failure test's malloc: linked into
 * bidrag-failalloc with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * it fails the Nth allocation our code asks for (N from
 * $BIDRAG_FAIL_ALLOC, counted from 1; 0 or unset: none) and, when it did,
 * writes "failed N" to the file $BIDRAG_FAIL_ALLOC_MARK, so the test knows
 * the flow went past its last allocation once a run leaves no mark.
 * $BIDRAG_FAIL_ALLOC=count fails none and says at exit how many there were.
 * Allocations inside shared libraries (SQLite, libc) are not counted. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static long long target = -1; /* -1: not read yet */
static long long count;

static void say_count(void)
{
    fprintf(stderr, "failalloc: %lld allocations\n", count);
}

/* 1 if this allocation is the one to fail. */
static int fail_now(void)
{
    if (target < 0) {
        const char *v = getenv("BIDRAG_FAIL_ALLOC");
        char *end = NULL;
        long long t = v ? strtoll(v, &end, 10) : 0;
        target = end && *end == '\0' && t > 0 ? t : 0;
        if (v && strcmp(v, "count") == 0)
            atexit(say_count);
    }
    if (++count != target || target == 0)
        return 0;
    const char *mark = getenv("BIDRAG_FAIL_ALLOC_MARK");
    if (mark) {
        FILE *f = fopen(mark, "w"); /* fopen's own buffer comes from libc's malloc */
        if (f) {
            fprintf(f, "failed %lld\n", count);
            fclose(f);
        }
    }
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}
