/* page.c - fixture for tools/checksrc.pl: every rule broken once. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

/* strcpy(a, b) in a comment and "atoi(" in a string are fine */
static const char *quiet = "sprintf(x) and if ((a = b))";

int page(struct store *s, const char *arg)
{
    char a[16], b[16];
    strcpy(a, arg);
    sprintf(b, "%d", atoi(arg));
    int c, n = 0;
    if ((c = getchar()))
        n++;
    while ((c = getchar()) != EOF)
        n++;
    for (int i = 0; (c = getchar()); i++)
        n++;
    if (n += 1)
        n--;
    switch (c = n) {
    default:
        break;
    }
    sqlite3_exec(0, 0, 0, 0, 0);
    const char *q = "SELECT id FROM thing";
    if (store_begin(s) != ERR_OK)
        return 1;
    int v = 0;
    if (store_thing_get(s, 1, &v) != ERR_OK)
        store_rollback(s);
    (void)store_thing_get(s, 2, &v);
    return store_commit(s) != ERR_OK || q == quiet;
}

int allowed(struct store *s)
{
    int v = 0;
    return store_thing_get(s, 3, &v) != ERR_OK;
}

int fine(const char *p, int a, int b)
{
    int n = 0;
    if (a == b || a != b || a <= b || a >= b || *p == '=')
        n++;
    for (int i = 0; i < a; i++)
        n += i;
    while (a--)
        n++;
    struct store *s = NULL;
    if (store_open(p, &s) == ERR_OK)
        store_close(s);
    return n;
}
