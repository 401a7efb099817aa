/* auditfill.c - append N records to the audit trail of a database
 * (service/audit: a valid hash chain), in one transaction, for
 * bench/dbcopy.sh to copy a database with a year's trail and more.
 *
 *   auditfill DB-URL N
 *
 * Run by hand through bench/dbcopy.sh, not by CI. */
#include <stdio.h>
#include <stdlib.h>

#include "service/audit.h"
#include "store/store.h"

int main(int argc, char **argv)
{
    struct store *s = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: auditfill DB-URL N\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    if (store_open(argv[1], STORE_OPEN_EXISTING, &s) != ERR_OK) {
        fprintf(stderr, "auditfill: %s\n", store_open_error());
        return 1;
    }
    enum err e = store_begin(s);
    for (long i = 0; e == ERR_OK && i < n; i++) {
        char object[64];
        snprintf(object, sizeof(object), "requisition:REK-2026-%06ld", i % 311 + 1);
        e = audit_append(s, "bench", "0180", "requisition.save", object, "{\"v\":1}", "{\"v\":2}",
                         1767225600 + i);
    }
    if (e == ERR_OK)
        e = store_commit(s);
    else
        store_rollback(s);
    if (e != ERR_OK)
        fprintf(stderr, "auditfill: %s\n", store_errmsg(s));
    store_close(s);
    return e == ERR_OK ? 0 : 1;
}
