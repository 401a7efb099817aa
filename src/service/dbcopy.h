/* dbcopy.h - moving an installation to another database (`bidrag db
 * copy sqlite:var/bidrag.db postgresql://...`): both opened by URL (the
 * target's schema made by its migrations), every table copied into the
 * empty target in one transaction with counts and sums of money checked
 * per table (store_copy.h), and the audit chain checked whole on the
 * target before it commits, with the source's key ring and checkpoints
 * (service/auditkey.h): they are files beside the source, which the copy
 * does not move; the result names where the target's servers will look
 * for them. Stop the servers first: the copy holds the source's write
 * lock while it runs. */
#ifndef BIDRAG_SERVICE_DBCOPY_H
#define BIDRAG_SERVICE_DBCOPY_H

#include "service/auditkey.h"
#include "store/store_copy.h"
#include "util/err.h"

struct dbcopy_result {
    struct store_copy_report copy;
    long long audit_rows; /* records of the audit chain checked on the target */
    /* the audit trail's key ring and checkpoints: the source's, with which
     * the target was checked, and where the target's servers look */
    struct audit_paths audit_from, audit_to;
    char from[256]; /* the databases as they may be shown (no password) */
    char to[256];
    char msg[700]; /* why not, on failure */
};

/* Copy the database at from_url into the empty one at to_url. */
ERR_MUST_CHECK enum err dbcopy_run(const char *from_url, const char *to_url,
                                   struct dbcopy_result *r);

#endif
