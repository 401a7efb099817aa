/* backup.c - copies of the database, taken and put back. */
#include "service/backup.h"

#include <stdio.h>
#include <sys/stat.h>

enum err backup_take(struct store *s, const struct svc_actor *who, int64_t now, const char *path,
                     struct svc_result *res)
{
    struct svc_call c;
    struct stat sb;
    enum err e = svc_begin(&c, s, who, ACT_BACKUP, now, res);
    if (e == ERR_OK && stat(path, &sb) == 0)
        e = svc_failf(&c, ERR_CONFLICT, M_("'{1}' finns redan."), msg_str(path));
    if (e != ERR_OK)
        return svc_end(&c, e);
    e = store_backup(s, path);
    if (e != ERR_OK)
        e = svc_failf(&c, e, M_("Säkerhetskopian kunde inte tas: {1}"), msg_str(store_errmsg(s)));
    char why[512];
    if (e == ERR_OK && store_file_check(path, why, sizeof(why)) != ERR_OK)
        e = svc_failf(&c, ERR_INVALID, M_("Säkerhetskopian håller inte: {1}"), msg_str(why));
    return svc_end(&c, e);
}

enum err backup_restore(const char *url, const char *file, int *schema, char *keep, size_t keep_n,
                        char *msg, size_t n)
{
    return store_restore(url, file, schema, keep, keep_n, msg, n);
}
