/* refdata.h - reference data actions: load the organisations, import
 * population and metric series (all-or-nothing, one transaction), and
 * give the recipients of each role. */
#ifndef BIDRAG_SERVICE_REFDATA_H
#define BIDRAG_SERVICE_REFDATA_H

#include <stddef.h>
#include "core/org.h"
#include "core/series.h"
#include "service/svc.h"
#include "store/store.h"
#include "util/err.h"

struct recipients {
    struct org_list orgs;
    struct recipient *kommuner;
    size_t nk;
    struct recipient *regioner;
    size_t nr;
};

/* The recipients of both roles from the store, for other services (no
 * action of its own). Caller releases. */
ERR_MUST_CHECK enum err refdata_recipients(struct store *s, struct recipients *out);
void recipients_release(struct recipients *r);

/* refdata_recipients as an action (ACT_ORGS_READ), for `bidrag orgs`. */
ERR_MUST_CHECK enum err refdata_recipients_read(struct store *s, const struct svc_actor *who,
                                                int64_t now, struct recipients *out,
                                                struct svc_result *res);
/* The organisations (ACT_ORGS_READ). Caller releases out. */
ERR_MUST_CHECK enum err refdata_orgs(struct store *s, const struct svc_actor *who, int64_t now,
                                     struct org_list *out, struct svc_result *res);
/* The official name of the organisation with this code ("Upplands Väsby
 * kommun", "Stockholms stad", "Region Stockholm"; the reference data's,
 * PROVENANCE.md) into out, "" when the reference data does
 * not hold it (ACT_ORGS_READ). */
ERR_MUST_CHECK enum err refdata_org_name(struct store *s, const struct svc_actor *who, int64_t now,
                                         const char *code, char *out, size_t n,
                                         struct svc_result *res);

/* The same name from a list read with refdata_orgs (one read for a page
 * of many recipients); "" when the list does not hold the code. */
void refdata_org_label(const struct org_list *l, const char *code, char *out, size_t n);

/* Load kommuner.csv and regioner.csv (data/reference) into an empty org
 * table; Gotland becomes one organisation with both roles
 * (ACT_ORGS_LOAD). Problems go to d as path:line; kommuner.csv must have
 * the column namn (the official names). */
ERR_MUST_CHECK enum err refdata_load_orgs(struct store *s, const struct svc_actor *who, int64_t now,
                                          const char *kommuner_csv, const char *regioner_csv,
                                          struct diag *d, struct svc_result *res);

/* Give the stored organisations the official names of the reference
 * files (kommuner.csv column namn, regioner.csv column region), in one
 * transaction with one audit record, for a database made before
 * migration 0063 (`bidrag migrate`, `bidrag init` on an existing
 * database). Writes nothing when every name is already right; *changed
 * says how many were set (ACT_ORGS_LOAD). */
ERR_MUST_CHECK enum err refdata_update_names(struct store *s, const struct svc_actor *who,
                                             int64_t now, const char *kommuner_csv,
                                             const char *regioner_csv, int *changed, struct diag *d,
                                             struct svc_result *res);

struct import_opts {
    enum series_kind kind;
    const char *name; /* metric name; "folkmangd" for population */
    const char *date; /* --date, or NULL to take it from the file */
    int illustrative; /* 1 = demo data */
};

/* Import a series file (CSV, or PX for population) (ACT_SERIES_IMPORT):
 * every problem is reported as path:line in d and nothing is stored
 * unless the whole file is right. On success *out describes what was
 * stored (caller releases). */
ERR_MUST_CHECK enum err refdata_import(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *path, const struct import_opts *o,
                                       struct series *out, struct diag *d, struct svc_result *res);
/* A population table that covers only some recipients (a published
 * table of 18 regions): as refdata_import, but the file must hold exactly
 * the codes in only (comma-separated kommunkoder or länskoder, all of one
 * kind; a code in only not in the file, or in the file not in only, is an
 * error as path:line) and the recipients of that kind it has no value for
 * are not an error: nothing is invented for them, and they are returned
 * in *missing (n of them, codes and names; caller frees *missing, also
 * on error) and named in the audit record. A key over the series refuses
 * to allocate on a missing recipient. */
ERR_MUST_CHECK enum err refdata_import_only(struct store *s, const struct svc_actor *who,
                                            int64_t now, const char *path,
                                            const struct import_opts *o, const char *only,
                                            struct series *out, struct recipient **missing,
                                            size_t *nmissing, struct diag *d,
                                            struct svc_result *res);
/* The stored series (ACT_SERIES_READ); caller frees *out. */
ERR_MUST_CHECK enum err refdata_series_list(struct store *s, const struct svc_actor *who,
                                            int64_t now, struct store_series_info **out, size_t *n,
                                            struct svc_result *res);

/* sha256 of a file as 64 hex digits. */
ERR_MUST_CHECK enum err refdata_sha256_file(const char *path, char hex[65]);

#endif
