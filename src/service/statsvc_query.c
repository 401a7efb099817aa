/* statsvc_query.c - saved table queries: a query string (the one the
 * table builder and the API read) kept under a short id made from its
 * own hash, so that the same query saved twice has one stable URL and a
 * saved "top(3)" follows the latest years. Kept as small files beside the
 * statistics store (DIR/queries/ID), outside its generations, so an import
 * does not drop them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/statsvc.h"
#include "util/sha256.h"
#include "util/str.h"

#define QUERY_MAGIC "bidrag-query 1\n"

int statsvc_query_id_ok(const char *id)
{
    size_t n = 0;
    for (; id[n]; n++)
        if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f')))
            return 0;
    return n == STATSVC_QUERY_ID_LEN;
}

static int text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max || str_utf8_len(s, n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

enum err statsvc_query_save(const char *dir, const char *query, const char *name,
                            char id[STATSVC_QUERY_ID_LEN + 1], struct diag *d)
{
    if (!query || !query[0] || !text_ok(query, STATSVC_QUERY_MAX) ||
        !text_ok(name ? name : "", 200)) {
        diag_add(d, NULL, 0, "a saved query must be 1-%d characters of text and a name at most 200",
                 STATSVC_QUERY_MAX);
        return ERR_INVALID;
    }
    struct sha256 h;
    unsigned char dg[32];
    sha256_init(&h);
    sha256_update(&h, query, strlen(query));
    sha256_final(&h, dg);
    for (int i = 0; i < STATSVC_QUERY_ID_LEN / 2; i++)
        snprintf(id + 2 * i, 3, "%02x", dg[i]);
    char qdir[1100], path[1200], tmp[1300];
    snprintf(qdir, sizeof(qdir), "%s/queries", dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        diag_add(d, NULL, 0, "cannot create '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    if (mkdir(qdir, 0755) != 0 && errno != EEXIST) {
        diag_add(d, NULL, 0, "cannot create '%s': %s", qdir, strerror(errno));
        return ERR_IO;
    }
    snprintf(path, sizeof(path), "%s/%s", qdir, id);
    snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wx");
    if (!f) {
        diag_add(d, NULL, 0, "cannot write '%s': %s", tmp, strerror(errno));
        return ERR_IO;
    }
    int bad = fprintf(f, "%s%s\n%s\n", QUERY_MAGIC, name ? name : "", query) < 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        diag_add(d, NULL, 0, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        return ERR_IO;
    }
    return ERR_OK;
}

enum err statsvc_query_load(const char *dir, const char *id, char *query, size_t qn, char *name,
                            size_t nn)
{
    if (!statsvc_query_id_ok(id))
        return ERR_NOTFOUND;
    char path[1200];
    snprintf(path, sizeof(path), "%s/queries/%s", dir, id);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    char magic[32], line[STATSVC_QUERY_MAX + 4], nm[256];
    enum err e = ERR_INVALID;
    if (fgets(magic, sizeof(magic), f) && strcmp(magic, QUERY_MAGIC) == 0 &&
        fgets(nm, sizeof(nm), f) && fgets(line, sizeof(line), f)) {
        nm[strcspn(nm, "\n")] = '\0';
        line[strcspn(line, "\n")] = '\0';
        e = str_copy(query, qn, line) == 0 && str_copy(name, nn, nm) == 0 ? ERR_OK : ERR_LIMIT;
    }
    fclose(f);
    return e;
}
