/* statistics.h - the workforce statistics as actions in the shape of
 * service/svc.h: importing microdata into the column store
 * (ACT_STATS_IMPORT, with its audit record), published tables under
 * disclosure control (ACT_STATS_READ) and unprotected tables for the
 * analyst (ACT_STATS_EXACT, an audited read). The work itself is
 * statsvc.h's; this is who may ask for it and the record that they did. */
#ifndef BIDRAG_SERVICE_STATISTICS_H
#define BIDRAG_SERVICE_STATISTICS_H

#include "service/statsvc.h"
#include "service/svc.h"

/* Import the file o->path into the store in o->dir (statsvc_import; o->now
 * is the call's time), then write the audit record "stats.import" naming
 * the file's sha256 and rows. The import runs outside the database's
 * transaction (it may take minutes); its record is written when it is
 * done. Data errors go to d (ERR_INVALID: nothing imported). */
ERR_MUST_CHECK enum err statistics_import(struct store *s, const struct svc_actor *who, int64_t now,
                                          const struct statscsv_ref *ref,
                                          const struct statsvc_import_opts *o,
                                          struct statsvc_import_result *r, struct diag *d,
                                          struct svc_result *res);

/* Build a table (statsvc_table): with disclosure control any logged-in
 * person may (ACT_STATS_READ); without it only the analyst, and the
 * request is recorded (ACT_STATS_EXACT). Caller owns out. */
ERR_MUST_CHECK enum err statistics_table(struct store *s, const struct svc_actor *who, int64_t now,
                                         const struct statscsv_ref *ref,
                                         const struct statsvc_table_req *req, struct cube *out,
                                         struct statsvc_table_res *tres, struct diag *d,
                                         struct svc_result *res);

#endif
