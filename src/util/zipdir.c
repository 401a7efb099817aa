/* zipdir.c - walk a ZIP file's central directory (PKWARE APPNOTE 6.3.10,
 * sections 4.3.12 and 4.3.16). */
#include "util/zipdir.h"

#include <stdint.h>
#include <string.h>

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define EOCD_LEN 22u /* end of central directory record without comment */
#define CDIR_LEN 46u /* central directory header without name, extra, comment */
#define MAX_COMMENT 0xffffu

static uint32_t u16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
    return u16(p) | u16(p + 2) << 16;
}

/* The end of central directory record: the last signature from which a
 * record with its comment reaches exactly the end of the data. */
static const unsigned char *find_eocd(const unsigned char *data, size_t len)
{
    if (len < EOCD_LEN)
        return NULL;
    size_t lowest = len - EOCD_LEN > MAX_COMMENT ? len - EOCD_LEN - MAX_COMMENT : 0;
    for (size_t i = len - EOCD_LEN + 1; i-- > lowest;) {
        const unsigned char *p = data + i;
        if (u32(p) == EOCD_SIG && i + EOCD_LEN + u16(p + 20) == len)
            return p;
    }
    return NULL;
}

enum err zipdir_each(const unsigned char *data, size_t len,
                     int (*fn)(void *ctx, const char *name, size_t len), void *ctx)
{
    if (!data)
        return ERR_PARSE;
    const unsigned char *e = find_eocd(data, len);
    if (!e)
        return ERR_PARSE;
    uint32_t disk = u16(e + 4), cd_disk = u16(e + 6);
    uint32_t here = u16(e + 8), total = u16(e + 10);
    uint32_t cd_size = u32(e + 12), cd_off = u32(e + 16);
    size_t eocd_at = (size_t)(e - data);
    /* one disk only; 0xffff / 0xffffffff would mean ZIP64 */
    if (disk != 0 || cd_disk != 0 || here != total || total == 0xffffu || cd_size == 0xffffffffu ||
        cd_off == 0xffffffffu || total > ZIPDIR_MAX_ENTRIES)
        return ERR_PARSE;
    if (cd_off > eocd_at || cd_size > eocd_at - cd_off)
        return ERR_PARSE;
    const unsigned char *p = data + cd_off, *end = p + cd_size;
    for (uint32_t i = 0; i < total; i++) {
        if ((size_t)(end - p) < CDIR_LEN || u32(p) != CDIR_SIG)
            return ERR_PARSE;
        size_t nlen = u16(p + 28), xlen = u16(p + 30), clen = u16(p + 32);
        size_t whole = CDIR_LEN + nlen + xlen + clen;
        if ((size_t)(end - p) < whole)
            return ERR_PARSE;
        /* the local header it points to lies before the directory */
        if (u32(p + 42) >= cd_off)
            return ERR_PARSE;
        if (fn && fn(ctx, (const char *)p + CDIR_LEN, nlen))
            return ERR_OK;
        p += whole;
    }
    return p == end ? ERR_OK : ERR_PARSE;
}

struct want {
    const char *const *names;
    size_t n;
    unsigned char seen[8];
};

static int mark(void *ctx, const char *name, size_t len)
{
    struct want *w = ctx;
    for (size_t i = 0; i < w->n; i++)
        if (strlen(w->names[i]) == len && memcmp(w->names[i], name, len) == 0)
            w->seen[i] = 1;
    return 0;
}

int zipdir_has_all(const unsigned char *data, size_t len, const char *const *names, size_t n)
{
    struct want w;
    memset(&w, 0, sizeof(w));
    if (n > sizeof(w.seen))
        return 0;
    w.names = names;
    w.n = n;
    if (zipdir_each(data, len, mark, &w) != ERR_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!w.seen[i])
            return 0;
    return 1;
}
