/* page.c - fixture for tools/checksrc.pl: code that keeps the rules. */
#include <stdio.h>

#include "store/store.h"

int page(const char *path, const char *p)
{
    int n = 0, c;
    for (c = getchar(); c != EOF; c = getchar())
        n++;
    if (*p == '=' || n <= 1 || n >= 2 || n != 3 || n == 4)
        n++;
    while (n--)
        printf("%d\n", n);
    struct store *s = NULL;
    if (store_open(path, &s) != ERR_OK)
        return 1;
    store_close(s);
    return 0;
}
