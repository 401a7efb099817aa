/* refdata.h - reference data actions: load the organisations, import
 * population and metric series (all-or-nothing, one transaction), and
 * give the recipients of each role. */
#ifndef BIDRAG_SERVICE_REFDATA_H
#define BIDRAG_SERVICE_REFDATA_H

#include <stddef.h>
#include "core/org.h"
#include "core/series.h"
#include "store/store.h"
#include "util/err.h"

struct recipients {
    struct org_list orgs;
    struct recipient *kommuner;
    size_t nk;
    struct recipient *regioner;
    size_t nr;
};

/* The recipients of both roles from the store. Caller releases. */
ERR_MUST_CHECK enum err refdata_recipients(struct store *s, struct recipients *out);
void recipients_release(struct recipients *r);

/* Load kommuner.csv and regioner.csv (data/reference) into an empty org
 * table; Gotland becomes one organisation with both roles. */
ERR_MUST_CHECK enum err refdata_load_orgs(struct store *s, const char *kommuner_csv,
                                          const char *regioner_csv, struct diag *d);
/* The same, naming who does it and when (ISO 8601) in the audit trail. */
ERR_MUST_CHECK enum err refdata_load_orgs_as(struct store *s, const char *kommuner_csv,
                                             const char *regioner_csv, const char *actor,
                                             const char *now, struct diag *d);

struct import_opts {
    enum series_kind kind;
    const char *name;  /* metric name; "folkmangd" for population */
    const char *date;  /* --date, or NULL to take it from the file */
    int illustrative;  /* 1 = demo data */
    const char *now;   /* ISO 8601 time of the import */
    const char *actor; /* who imports, for the audit trail (NULL: "system") */
};

/* Import a series file (CSV, or PX for population): every problem is
 * reported as path:line and nothing is stored unless the whole file is
 * right. On success *out describes what was stored (caller releases). */
ERR_MUST_CHECK enum err refdata_import(struct store *s, const char *path,
                                       const struct import_opts *o, struct series *out,
                                       struct diag *d);

/* sha256 of a file as 64 hex digits. */
ERR_MUST_CHECK enum err refdata_sha256_file(const char *path, char hex[65]);

#endif
