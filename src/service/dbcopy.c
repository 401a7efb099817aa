/* dbcopy.c - dbcopy.h: store_copy with the audit chain's check. */
#include "service/dbcopy.h"

#include <stdio.h>
#include <string.h>

#include "service/audit.h"
#include "util/str.h"

/* The audit trail holds on the target as it held on the source, checked
 * with the source's key ring and checkpoints: every record follows the
 * one before and is signed, the head names the last, the checkpoints and
 * the entities' rows match. */
static enum err audit_check(void *ctx, struct store *from, struct store *to, char *msg, size_t n)
{
    struct dbcopy_result *r = ctx;
    struct audit_report before, after;
    enum err e = audit_verify_at(to, &r->audit_from, &after);
    if (e == ERR_OK) {
        r->audit_rows = after.rows;
        return ERR_OK;
    }
    if (e != ERR_INVALID) {
        snprintf(msg, n, "checking the audit chain on the target: %s", store_errmsg(to));
        return e;
    }
    /* say whether the source was broken already */
    enum err was = audit_verify(from, &before);
    snprintf(msg, n, "the audit chain does not hold on the target (%s)%s", after.msg,
             was == ERR_INVALID ? ": it is broken in the source already" : "");
    return ERR_INVALID;
}

enum err dbcopy_run(const char *from_url, const char *to_url, struct dbcopy_result *r)
{
    struct store *from = NULL, *to = NULL;
    memset(r, 0, sizeof(*r));
    store_url_safe(from_url, r->from, sizeof(r->from));
    store_url_safe(to_url, r->to, sizeof(r->to));
    enum err e = store_open(from_url, STORE_OPEN_EXISTING, &from);
    if (e != ERR_OK) {
        snprintf(r->msg, sizeof(r->msg), "the source: %s", store_open_error());
        goto out;
    }
    e = store_open(to_url, STORE_OPEN_CREATE, &to);
    if (e != ERR_OK) {
        snprintf(r->msg, sizeof(r->msg), "the target: %s", store_open_error());
        goto out;
    }
    e = audit_paths_of(from, &r->audit_from);
    if (e == ERR_OK)
        e = audit_paths_of(to, &r->audit_to);
    if (e != ERR_OK) {
        snprintf(r->msg, sizeof(r->msg), "the audit trail's files: a path is too long");
        goto out;
    }
    struct store_copy_check check = {audit_check, r};
    e = store_copy(from, to, &check, &r->copy);
    if (e != ERR_OK)
        str_copy(r->msg, sizeof(r->msg), r->copy.msg);
out:
    store_close(to);
    store_close(from);
    return e;
}
