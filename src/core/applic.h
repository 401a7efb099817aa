/* applic.h - what the three kinds of application from individuals share,
 * as pure rules over plain structs, shaped to become case kinds of the
 * case engine (docs/applications.md):
 *
 * - the types: kunskapsprov (the knowledge-test route to a licence for
 *   those trained outside the EU/EEA, core/kprov), specialistbevis
 *   (core/specbevis) and recognised supervisor training (core/suptrain);
 * - attachments: the document types each step asks for, the file types
 *   accepted (told from the bytes, not the name) and the size caps, the
 *   language rule (Swedish or English, or an authorised translation), and
 *   the list of what is still missing;
 * - fees: the amount per type as configuration (2 900 kr for the licence
 *   after the knowledge test and for a specialist certificate), a bankgiro
 *   OCR reference per case (core/ocr) and paid/unpaid from the payments
 *   matched to it (camt.054, as repayments are);
 * - retention: how long after its decision a case is kept, per type, and
 *   which cases are due for deletion on a given day;
 * - the decision: type, outcome, reasons and the appeal clause
 *   (core/appeal).
 *
 * Refusals and "missing" items are lower-case English message keys
 * (APPLIC_MSG_*) with the thing they concern, for the case engine's
 * catalog to map to Swedish and English screen text. */
#ifndef BIDRAG_CORE_APPLIC_H
#define BIDRAG_CORE_APPLIC_H

#include <stddef.h>
#include <stdint.h>

#include "core/appeal.h"
#include "core/ocr.h"
#include "util/date.h"
#include "util/err.h"

enum applic_type {
    APPLIC_NONE = 0,
    APPLIC_KPROV,      /* kunskapsprov route: assessment .. licence */
    APPLIC_SPECIALIST, /* specialistbevis for physicians */
    APPLIC_SUPTRAIN,   /* recognition of a completed supervisor training */
    APPLIC_NTYPES
};

/* "kunskapsprov", "specialistbevis", "handledarutbildning"; "" otherwise. */
const char *applic_type_id(enum applic_type t);
/* The case number prefix: "KPR", "SPB", "HUT"; "" otherwise. */
const char *applic_type_prefix(enum applic_type t);
/* The type of an id, APPLIC_NONE if none. */
enum applic_type applic_type_of(const char *id);

/* --- attachments ------------------------------------------------------ */

enum applic_doc {
    APPLIC_DOC_NONE = 0,
    APPLIC_DOC_ID,                 /* passport or ID card copy */
    APPLIC_DOC_DIPLOMA,            /* examensbevis */
    APPLIC_DOC_TRANSCRIPT,         /* studieresultat, ämnen och poäng */
    APPLIC_DOC_SYLLABUS,           /* kursplan / utbildningsplan */
    APPLIC_DOC_DIPLOMA_SUPPLEMENT, /* diploma supplement */
    APPLIC_DOC_NAME_CHANGE,        /* proof of a change of name */
    APPLIC_DOC_TRANSLATION,        /* authorised translation of another document */
    APPLIC_DOC_COURSE_CERT,        /* the course in Swedish regulations, done */
    APPLIC_DOC_SERVICE_CERT,       /* practical service, done */
    APPLIC_DOC_COMPETENCE_CERT,    /* intyg om uppnådd specialistkompetens */
    APPLIC_DOC_ACTIVITY_CERT,      /* intyg om genomförd utbildningsaktivitet */
    APPLIC_DOC_BT_CERT,            /* intyg om genomförd BT (HSLF-FS 2021:8) */
    APPLIC_DOC_TRAINING_CERT,      /* certificate of a supervisor training */
    APPLIC_DOC_OTHER,              /* anything else the officer asks for */
    APPLIC_NDOCS
};
/* "id", "diploma", "transcript", ...; "" otherwise. */
const char *applic_doc_id(enum applic_doc d);
/* Swedish label for screens and letters ("Examensbevis"); "" otherwise. */
const char *applic_doc_label_sv(enum applic_doc d);
enum applic_doc applic_doc_of(const char *id);

/* File types told from the first bytes. */
enum applic_ftype { APPLIC_FT_UNKNOWN = 0, APPLIC_FT_PDF, APPLIC_FT_JPEG, APPLIC_FT_PNG };
/* "application/pdf", "image/jpeg", "image/png"; "" for unknown. */
const char *applic_ftype_mime(enum applic_ftype t);
/* The type of n bytes: "%PDF-" (and "%%EOF" in the last 1 024 bytes),
 * JPEG's FF D8 FF (and FF D9 at the end), PNG's signature and IHDR
 * chunk. Anything else, or a truncated file, is APPLIC_FT_UNKNOWN. */
enum applic_ftype applic_sniff(const unsigned char *p, size_t n);

#define APPLIC_FILE_MAX ((size_t)20 * 1024 * 1024)  /* one file, default */
#define APPLIC_CASE_MAX ((size_t)200 * 1024 * 1024) /* all of a case's files */
#define APPLIC_MAX_FILES 100                        /* per case */

struct applic_file_rules {
    size_t file_max;  /* bytes of one file (0: APPLIC_FILE_MAX) */
    size_t case_max;  /* bytes of all files (0: APPLIC_CASE_MAX) */
    size_t max_files; /* files per case (0: APPLIC_MAX_FILES) */
};

/* Accept one upload of n bytes for a case that already holds have_files
 * files of have_bytes: an empty file, an unknown type, a file past
 * file_max, the case past case_max or max_files are refused (ERR_INVALID
 * or ERR_LIMIT) with an APPLIC_MSG_* in *why. *type gets the type. */
enum err applic_file_check(const struct applic_file_rules *r, const unsigned char *p, size_t n,
                           size_t have_files, size_t have_bytes, enum applic_ftype *type,
                           const char **why);

#define APPLIC_MSG_FILE_EMPTY "file is empty"
#define APPLIC_MSG_FILE_TYPE "file is not a pdf, jpeg or png"
#define APPLIC_MSG_FILE_SIZE "file is larger than allowed"
#define APPLIC_MSG_CASE_SIZE "case files together are larger than allowed"
#define APPLIC_MSG_CASE_FILES "case has as many files as allowed"
#define APPLIC_MSG_MISSING "missing"                     /* + the document */
#define APPLIC_MSG_NEEDS_TRANSLATION "needs translation" /* + the document */

/* What a step asks for: a document type, how many at least, and whether
 * one in a language other than Swedish or English needs an authorised
 * translation. */
struct applic_need {
    enum applic_doc doc;
    int min;       /* at least this many (>= 1) */
    int translate; /* 1: sv/en or with a translation */
};

/* The documents a step asks for, by type and step id:
 * - kunskapsprov "assessment" (the education assessment [A2]): ID, and
 *   diploma, transcript and syllabus in Swedish or English or with an
 *   authorised translation;
 * - kunskapsprov "licence" (the licence application [A6]): ID, the course
 *   certificate and the practical service certificate;
 * - specialistbevis "application": ID, the certificate of attained
 *   competence and at least four activity certificates (which activities,
 *   and the BT certificate under HSLF-FS 2021:8, core/specbevis checks);
 * - handledarutbildning "application": the training certificate.
 * *n gets their number; NULL (and 0) for a step with no list. */
const struct applic_need *applic_needs(enum applic_type t, const char *step, size_t *n);

/* An attachment as the case holds it. */
struct applic_attachment {
    enum applic_doc doc;
    char lang[4];       /* ISO 639-1 of its text: "sv", "en", "ar", ... */
    int translation_of; /* TRANSLATION: index of the attachment it translates, else -1 */
    int rejected;       /* the officer found it unusable (does not count) */
};

/* One thing still missing. */
struct applic_missing {
    const char *msg;     /* APPLIC_MSG_MISSING or APPLIC_MSG_NEEDS_TRANSLATION */
    enum applic_doc doc; /* the document type */
    int count;           /* MISSING: how many more; TRANSLATION: how many */
};

/* What is still missing of needs given the attachments: per need, the
 * documents short of min (counting those not rejected, and for a need
 * with translate only those in sv/en or with a translation not rejected),
 * and, separately, those present in another language without a
 * translation. Fills up to max items into out, *nout their number;
 * returns the number of items there are (more than max when cut). */
size_t applic_missing(const struct applic_need *needs, size_t nneeds,
                      const struct applic_attachment *att, size_t natt, struct applic_missing *out,
                      size_t max, size_t *nout);

/* --- fees ------------------------------------------------------------- */

struct applic_fees {
    int64_t fee[APPLIC_NTYPES]; /* öre per type; 0 = no fee */
};
/* Today's fees: 2 900 kr for kunskapsprov (at the licence application;
 * from 2026-01-01 paid at the education assessment instead, per the
 * agency's pages for some professions) and specialistbevis, none for
 * supervisor training (our assumption). */
void applic_fees_default(struct applic_fees *f);

#define APPLIC_OCR_SIZE 14 /* 13 digits and a NUL */
/* The OCR reference of case (type, year, seq): the type's digit (1-3),
 * the year, seq as six digits, a length digit (3) and the Luhn digit -
 * thirteen digits, so that it never equals a reclaim invoice's twelve.
 * ERR_INVALID out of range (year 2000-2999, seq 1-999999). */
enum err applic_ocr(enum applic_type t, int year, long seq, char out[APPLIC_OCR_SIZE]);
/* The inverse (spaces allowed); ERR_PARSE if it is not one of ours. */
enum err applic_ocr_parse(const char *s, enum applic_type *t, int *year, long *seq);

/* A payment matched from the bank's notification. */
struct applic_payment {
    char ocr[OCR_SIZE + 8]; /* as read, spaces allowed */
    int64_t amount;         /* öre, > 0 (a reversal is not a payment here) */
    struct date booked;
};
enum applic_fee_state {
    APPLIC_FEE_NONE = 0, /* the type has no fee */
    APPLIC_FEE_UNPAID,
    APPLIC_FEE_PART_PAID,
    APPLIC_FEE_PAID,
    APPLIC_FEE_OVERPAID /* to be paid back */
};
/* "none", "unpaid", "part_paid", "paid", "overpaid". */
const char *applic_fee_state_id(enum applic_fee_state s);
struct applic_fee_status {
    enum applic_fee_state state;
    int64_t fee, paid;   /* öre */
    struct date paid_on; /* the day the fee was met (unset until then) */
};
/* The fee status of the case whose reference is ocr: the payments whose
 * reference parses to the same case (spaces ignored), in the order given,
 * summed; paid_on is the booking day of the payment that met the fee. */
void applic_fee_status(int64_t fee, const char *ocr, const struct applic_payment *p, size_t n,
                       struct applic_fee_status *out);

/* --- retention -------------------------------------------------------- */

/* How long a case is kept after its decision, per type, in months. The
 * defaults are placeholders (docs/applications.md): the agency's
 * gallringsbeslut (archive rules) sets the real periods. */
struct applic_retention {
    int months[APPLIC_NTYPES]; /* 0 = keep for ever */
};
void applic_retention_default(struct applic_retention *r);

/* A case as retention sees it. */
struct applic_case_ref {
    enum applic_type type;
    struct date closed_on; /* decided or withdrawn; unset while open */
    int appeal_open;       /* an appeal or a court case is pending */
    int hold;              /* a legal hold set by an officer */
};
/* The first day case c may be deleted (closed_on + months, the day
 * clamped to the month's end), unset if never (open, kept for ever). */
struct date applic_retention_until(const struct applic_retention *r,
                                   const struct applic_case_ref *c);
/* Indices of the cases due for deletion on today (until <= today, no
 * appeal open, no hold), in order, into out (up to max); returns how
 * many are due. */
size_t applic_retention_due(const struct applic_retention *r, const struct applic_case_ref *c,
                            size_t n, struct date today, size_t *out, size_t max);

/* --- decisions -------------------------------------------------------- */

#define APPLIC_REASONS_MAX_CHARS 4000

enum applic_outcome {
    APPLIC_OUTCOME_NONE = 0,
    APPLIC_GRANTED,  /* bifall: may proceed, recognised, certificate issued */
    APPLIC_REJECTED, /* avslag */
    APPLIC_DISMISSED /* avvisning: not tried (e.g. incomplete after a request) */
};
/* "granted", "rejected", "dismissed"; "" otherwise. */
const char *applic_outcome_id(enum applic_outcome o);

struct applic_decision {
    const char *type; /* decision type id, "kprov.assessment" */
    enum applic_outcome outcome;
    const char *reasons; /* skäl: required unless granted in full */
    struct date decided_on;
    const struct appeal_clause *appeal; /* from appeal_for */
};
#define APPLIC_MSG_NO_OUTCOME "decision has no outcome"
#define APPLIC_MSG_NO_REASONS "decision needs its reasons"
#define APPLIC_MSG_REASONS_LONG "decision reasons are too long or not text"
#define APPLIC_MSG_NO_DATE "decision date missing"
#define APPLIC_MSG_NO_APPEAL "no appeal clause for the decision"

/* Make a decision: outcome set, a valid date, reasons for anything but a
 * grant (förvaltningslagen 32 §) and within APPLIC_REASONS_MAX_CHARS of
 * text, and the appeal clause of its type on that day from the table.
 * ERR_INVALID with an APPLIC_MSG_* in *why. */
enum err applic_decide(const char *type, enum applic_outcome o, const char *reasons, struct date on,
                       const struct appeal_clause *table, size_t ntable,
                       struct applic_decision *out, const char **why);

#endif
