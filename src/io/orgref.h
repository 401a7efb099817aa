/* orgref.h - the organisation numbers of the recipients, read from the
 * reference data (data/reference/kommuner.csv and regioner.csv, column
 * orgnr) and checked before anything may use them: every kommun and
 * every region has one; each is ten digits with a correct check digit
 * and the structure of a legal person's number (core/orgnr); a kommun's
 * begins 212000 and a region's 232100; Region Gotland (the region whose
 * län has one kommun) has its kommun's number, and no other number
 * appears twice. Every problem is reported as "path:line: message".
 *
 * The invoices (io/ubl) name both parties by these numbers with Peppol
 * scheme 0007. The store keeps nothing of this yet: docs/invoices.md says
 * how it should (one column on the organisation, loaded by refdata). */
#ifndef BIDRAG_IO_ORGREF_H
#define BIDRAG_IO_ORGREF_H

#include <stddef.h>

#include "core/org.h"
#include "core/orgnr.h"
#include "util/err.h"

struct orgref {
    char code[5]; /* kommunkod or länskod */
    enum role role;
    char name[64];          /* "Upplands Väsby", "Region Stockholm" */
    char official_name[64]; /* "Upplands Väsby kommun", "Region Stockholm" */
    char orgnr[ORGNR_SIZE];
};

struct orgref_list {
    struct orgref *v; /* kommuner by code, then regioner by code */
    size_t n;
    size_t nkommun, nregion;
};

/* Read both files and check every number. On success the caller
 * releases out; on failure out is empty and d holds every problem:
 * ERR_PARSE for a file that is not the expected CSV (a missing column,
 * kommuner.csv without the official names of column namn),
 * ERR_INVALID for a bad or missing number, ERR_NOTFOUND/ERR_IO from
 * reading. */
enum err orgref_load(const char *kommuner_csv, const char *regioner_csv, struct orgref_list *out,
                     struct diag *d);
void orgref_list_release(struct orgref_list *l);

/* The entry of a recipient, or NULL. */
const struct orgref *orgref_find(const struct orgref_list *l, enum role role, const char *code);

#endif
