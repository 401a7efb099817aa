/* ublcheck.h - validate Peppol BIS Billing 3.0 documents before they
 * leave: every invoice and credit note is checked against
 *
 * 1. the OASIS UBL 2.1 XSD (Invoice or CreditNote, by the document's
 *    root; data/schemas/ubl-2.1, io/xsdcheck, libxml2, no network), and
 * 2. both schematrons - the Peppol rules (PEPPOL-EN16931-UBL) and the
 *    European standard's rules on UBL (CEN-EN16931-UBL) - compiled to XSLT
 *    once at build time (cmake/schematron.cmake) and run here by Saxon-HE
 *    in a Java subprocess per rule set (both at once), whose SVRL reports
 *    are read back with io/svrl.
 *
 * A document is blocked by any XSD error and any finding flagged fatal;
 * warnings are kept with the result. Every result records the rules'
 * releases and the sha256 of their sources (release.txt written by the
 * build), so that an archived invoice says what it was checked against.
 * Many documents are checked with one Java process per rule set: the
 * stylesheets are compiled once per run, which is most of the time taken
 * (docs/invoices.md has the figures).
 *
 * When the rules are not compiled, or Java or Saxon is missing, the
 * validator does not open: nothing can leave unchecked. */
#ifndef BIDRAG_IO_UBLCHECK_H
#define BIDRAG_IO_UBLCHECK_H

#include <stddef.h>

#include "io/svrl.h"
#include "util/buf.h"
#include "util/err.h"

#define UBLCHECK_XSD_INVOICE "schemas/ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd"
#define UBLCHECK_XSD_CREDIT_NOTE "schemas/ubl-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd"
#define UBLCHECK_MAX_DOCS 10000
#define UBLCHECK_MAX_DOC_BYTES ((size_t)16 * 1024 * 1024)

struct ublcheck_config {
    char data_dir[1024];  /* holds schemas/ubl-2.1 */
    char rules_dir[1024]; /* the compiled rules and release.txt */
    char java[1024];      /* the java executable */
    char saxon_jar[1024]; /* Saxon-HE.jar */
    char tmp_dir[1024];   /* where a run keeps its files; "" = $TMPDIR or /tmp */
    int timeout_s;        /* a run taking longer is stopped: 300 */
};

/* The defaults: data_dir BIDRAG_SOURCE_DIR/data; the rest as the build
 * found them; each overridden by the environment when set
 * (BIDRAG_DATA_DIR, BIDRAG_SCHEMATRON_DIR, BIDRAG_JAVA,
 * BIDRAG_SAXON_JAR). */
void ublcheck_config_default(struct ublcheck_config *c);

struct ublcheck; /* read-only once open; threads may share it */

/* Compile the two XSDs and find the compiled rules, Java and Saxon.
 * ERR_NOTFOUND with what is missing and how to get it in d; errors of
 * the schemas from io/xsdcheck. Caller frees with ublcheck_free(). */
enum err ublcheck_open(const struct ublcheck_config *c, struct ublcheck **out, struct diag *d);
void ublcheck_free(struct ublcheck *u);

/* "PEPPOL-EN16931-UBL 3.0.19 (sha256 2840f515...), CEN-EN16931-UBL
 * 1.3.14.1 (sha256 3c4d9d91...), UBL 2.1 XSD" */
const char *ublcheck_release(const struct ublcheck *u);

struct ublcheck_finding {
    char source[8]; /* "xsd", "PEPPOL", "CEN" */
    enum svrl_flag flag;
    char rule[64];      /* "PEPPOL-EN16931-R003"; "" for the XSD */
    char location[512]; /* XPath (rules) or "line N" (XSD) */
    char text[1024];
};

struct ublcheck_result {
    int blocked; /* 1: an XSD error or a fatal finding: the document must not leave */
    size_t nfatal, nwarning, ninfo;
    struct ublcheck_finding *v; /* caller releases with ublcheck_result_release() */
    size_t n;
    char root[16];     /* "Invoice", "CreditNote" or "" */
    char release[512]; /* ublcheck_release() at the time */
    long ms;           /* wall time of the run the document was in */
};
void ublcheck_result_release(struct ublcheck_result *r);

/* Check count documents (docs[i] of lens[i] bytes, named names[i] in
 * messages) in one run; res has count elements. ERR_OK when every
 * document passed; ERR_INVALID when one or more is blocked, each fatal
 * finding and XSD error in d as "name: SOURCE RULE: text"; ERR_IO (d
 * says why, with Saxon's last words) when the check itself could not be
 * made - then res says nothing and nothing may leave either. */
enum err ublcheck_run_many(const struct ublcheck *u, const char *const *docs, const size_t *lens,
                           const char *const *names, size_t count, struct ublcheck_result *res,
                           struct diag *d);
/* One document. */
enum err ublcheck_run(const struct ublcheck *u, const char *doc, size_t n, const char *name,
                      struct ublcheck_result *res, struct diag *d);

/* The result as text to keep with the document: the rules' release, the
 * verdict and every finding on its own line. Appends to out. */
enum err ublcheck_result_text(const struct ublcheck_result *r, struct buf *out);

#endif
