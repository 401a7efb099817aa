/* backup.h - copies of the database: a consistent copy taken while the
 * server runs (ACT_BACKUP, an administrator), checked before it is called
 * done, and putting a checked copy back. */
#ifndef BIDRAG_SERVICE_BACKUP_H
#define BIDRAG_SERVICE_BACKUP_H

#include "service/svc.h"
#include "store/store.h"

/* Copy the open database to the new file path (it must not exist) and
 * check the copy; ERR_CONFLICT when path exists, else the store's or the
 * check's failure with the reason in res->msg. */
ERR_MUST_CHECK enum err backup_take(struct store *s, const struct svc_actor *who, int64_t now,
                                    const char *path, struct svc_result *res);

/* Put the backup file in place of the database at url (not in use: stop
 * the server first). No action of the database's own: it is the
 * operator's, on the files (the database may be the one that is lost).
 * *schema gets the backup's schema, keep (keep_n bytes) the name of the
 * database kept aside; msg (n bytes, English for the operator) says why
 * not. */
ERR_MUST_CHECK enum err backup_restore(const char *url, const char *file, int *schema, char *keep,
                                       size_t keep_n, char *msg, size_t n);

#endif
