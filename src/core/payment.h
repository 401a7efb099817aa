/* payment.h - a payment (utbetalning) and a payment batch as values, and
 * the rules of paying out as pure functions:
 *
 * - the states of a payment: created -> in batch -> attested -> in file ->
 *   accepted by the bank -> booked; or rejected by the bank (with its
 *   reason) -> re-issued, which starts again at created with the next
 *   issue number and so a new end-to-end id;
 * - nothing paid twice: a payment is in at most one live file, and putting
 *   it again in the same file changes nothing (re-sending is idempotent);
 * - four eyes: the person who prepared a batch never attests it, and an
 *   attestant's limit (beloppsgräns) must cover the batch's total;
 * - the end-to-end id, built from the decision so that the bank's answers
 *   map back exactly, and the remittance text (140 characters carrying the
 *   diarienummer and the case number, or a Luhn-checked OCR);
 * - the characters the banks accept: text is transliterated where a letter
 *   has a plain form (é -> e, ø -> ö, & -> +) and refused otherwise;
 *   identifiers are never transliterated, only accepted or refused.
 *
 * Amounts are öre. Refusals meant for a person come as a Swedish sentence
 * in msg, as the other core rules do. Nothing here reads the clock or
 * does I/O. docs/payments.md describes the whole flow. */
#ifndef BIDRAG_CORE_PAYMENT_H
#define BIDRAG_CORE_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/payacct.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

#define PAYMENT_ID_MAX 35 /* ISO 20022 Max35Text: MsgId, EndToEndId, Ref */
#define PAYMENT_ID_SIZE (PAYMENT_ID_MAX + 1)
#define PAYMENT_USTRD_MAX_CHARS 140 /* unstructured remittance, Max140Text */
#define PAYMENT_NAME_MAX_CHARS 70   /* creditor name as the banks' guides cap it */
#define PAYMENT_DNR_MAX_CHARS 63    /* a program's diarienummer */
#define PAYMENT_REASON_MAX_CHARS 200
#define PAYMENT_OCR_MIN 2
#define PAYMENT_OCR_MAX 25 /* digits of a bankgiro OCR reference */
#define PAYMENT_SEQ_MAX 99 /* instalments of one decision */
#define PAYMENT_ISSUE_MAX 99
#define PAYMENT_DECISION_SIZE 32
#define PAYMENT_CASE_SIZE 32
#define PAYMENT_LOGIN_SIZE 64
/* Largest single payment or batch total: 10^13 kr in öre, well inside
 * the 18 digits the ISO amount types allow. */
#define PAYMENT_AMOUNT_MAX INT64_C(1000000000000000)

/* --- the bank character set ------------------------------------------- */

/* Make text bank-safe: the Latin letters, digits, space and / - ? : ( ) .
 * , ' + (the SWIFT set every Swedish bank guide accepts) and å ä ö Å Ä Ö.
 * Letters with accents lose them (é -> e, ü -> u, ß -> ss), æ ø become ä
 * ö, typographic quotes and dashes become ' and -, & becomes +, tab and
 * line breaks become a space; runs of spaces become one, "//" becomes "/",
 * and the ends are trimmed. Any other character is refused: ERR_INVALID
 * with the character (UTF-8, up to 4 bytes and a NUL) in bad. Text that
 * is not UTF-8 is ERR_PARSE. More than max_chars characters is cut there
 * when cut is set, else ERR_LIMIT. out (n bytes) is always terminated. */
enum err payment_bank_text(const char *in, char *out, size_t n, size_t max_chars, int cut,
                           char bad[5]);
/* 1 if s is already bank-safe text of 1..max_chars characters (what
 * payment_bank_text() would leave unchanged). */
int payment_bank_text_ok(const char *s, size_t max_chars);
/* 1 if s can be an identifier in a bank file: 1-35 characters, each a
 * Latin letter, a digit or one of / - ? : ( ) . , ' + (no space, no
 * Swedish letter), not starting or ending with '/' and without "//". */
int payment_bank_id_ok(const char *s);

/* --- references ------------------------------------------------------- */

/* 1 if s is an OCR reference: 2-25 digits whose last is the mod 10 (Luhn)
 * check digit. */
int payment_ocr_ok(const char *s);

/* The end-to-end id "<decision>-<seq>-<issue>", e.g. "BES-2026-000001-1-2"
 * for the second issue of the decision's first instalment. The decision
 * number may hold Latin letters, digits and '-' (not first or last); seq
 * and issue are 1..99. ERR_INVALID for another character or a number out
 * of range, ERR_LIMIT if the id would pass 35 characters. */
enum err payment_e2e(const char *decision, int seq, int issue, char out[PAYMENT_ID_SIZE]);
/* The inverse: split an end-to-end id into its decision number (n bytes),
 * seq and issue. ERR_PARSE for an id payment_e2e() cannot have made. */
enum err payment_e2e_parse(const char *e2e, char *decision, size_t n, int *seq, int *issue);

/* --- the payee -------------------------------------------------------- */

enum payment_acct {
    PAYMENT_ACCT_NONE = 0,
    PAYMENT_ACCT_BANKGIRO,
    PAYMENT_ACCT_PLUSGIRO,
    PAYMENT_ACCT_IBAN, /* with the payee bank's BIC, needed outside Sweden */
    PAYMENT_ACCT_BBAN  /* a Swedish clearing number and account number */
};

/* "bankgiro", "plusgiro", "iban", "bban"; "" for NONE. */
const char *payment_acct_id(enum payment_acct k);
/* The inverse of payment_acct_id(): PAYMENT_ACCT_NONE for NULL, "" or an
 * id it does not give. */
enum payment_acct payment_acct_parse(const char *s);

struct payment_payee {
    enum payment_acct kind;
    char number[40];  /* digits (bankgiro, plusgiro, BBAN account) or the IBAN */
    char clearing[6]; /* BBAN: 4 digits, or 5 for Swedbank's 8xxx-x */
    char bic[12];     /* IBAN: the payee bank's BIC, "" for a Swedish IBAN without */
    char name[STR_UTF8_SIZE(PAYMENT_NAME_MAX_CHARS)]; /* bank-safe, never empty */
};

/* Set a payee: number in any spelling payacct_parse() accepts (bankgiro,
 * plusgiro, IBAN) or the account digits of a BBAN; extra is the BIC for
 * an IBAN (optional for a Swedish one) or the clearing number for a BBAN.
 * The name is made bank-safe and cut at 70 characters. The check digits
 * of a Swedish BBAN are not checked (they depend on the bank's table):
 * prefer IBAN. On failure out is zeroed and msg (n bytes) says why in
 * Swedish. */
enum err payment_payee_set(struct payment_payee *out, enum payment_acct kind, const char *number,
                           const char *extra, const char *name, char *msg, size_t n);
/* 1 if a BIC is well-formed: 4 letters, country, 2 location, optional 3
 * branch (the pattern of ISO 20022's BICIdentifier). */
int payment_bic_ok(const char *s);

/* --- a payment and its states ----------------------------------------- */

enum payment_state {
    PAYMENT_CREATED = 0,
    PAYMENT_IN_BATCH,
    PAYMENT_ATTESTED,
    PAYMENT_IN_FILE,  /* in a live file sent (or to be sent) to the bank */
    PAYMENT_ACCEPTED, /* the bank accepted it (pain.002) */
    PAYMENT_BOOKED,   /* the bank debited it (camt.054): paid */
    PAYMENT_REJECTED  /* the bank refused it, with its reason */
};
#define PAYMENT_STATE_COUNT 7

/* "created", "in_batch", ...; "" for a bad value. */
const char *payment_state_id(enum payment_state s);
/* Swedish for screens: "skapad", "i omgång", "attesterad", "i fil",
 * "godkänd av banken", "bokförd", "avvisad av banken". */
const char *payment_state_label_sv(enum payment_state s);

struct payment {
    char decision[PAYMENT_DECISION_SIZE]; /* the decision it pays, "BES-2026-000001" */
    int seq;                              /* the decision's instalment, 1.. */
    int issue;                            /* 1, then +1 per re-issue */
    char case_no[PAYMENT_CASE_SIZE];      /* "REK-2026-000001" */
    char diarienummer[STR_UTF8_SIZE(PAYMENT_DNR_MAX_CHARS)]; /* the program's */
    int64_t amount;                                          /* öre, > 0 */
    struct date due;                                         /* payment date */
    struct payment_payee payee;
    char ocr[PAYMENT_OCR_MAX + 1]; /* the payee's OCR, or "" for free text */
    enum payment_state state;
    char file_id[PAYMENT_ID_SIZE]; /* MsgId of its live file, "" when none */
    char bank_code[8];             /* the bank's reason code when rejected */
    char bank_reason[STR_UTF8_SIZE(PAYMENT_REASON_MAX_CHARS)];
};

/* Check a payment's own fields (amount, dates, references, payee) before
 * it enters a batch: ERR_INVALID with a Swedish sentence in msg. */
enum err payment_check(const struct payment *p, char *msg, size_t n);
/* The payment's end-to-end id (payment_e2e of its decision, seq, issue). */
enum err payment_e2e_of(const struct payment *p, char out[PAYMENT_ID_SIZE]);

/* Change the account (or name) a payment goes to. Only a payment that is
 * created or rejected by the bank may change: once in a batch, the
 * attestant attests the account shown, and a change afterwards would pay
 * an account nobody attested (the classic fraud path). ERR_CONFLICT with
 * a Swedish sentence otherwise; ERR_INVALID for a payee without account
 * or name. The service adds its own guard: a change after approval needs
 * an officer's confirmation (docs/payments.md). */
enum err payment_change_payee(struct payment *p, const struct payment_payee *pe, char *msg,
                              size_t n);

/* The remittance text when there is no OCR: "Statsbidrag <case>, dnr
 * <diarienummer>", bank-safe; without "Statsbidrag " if that is needed
 * to fit 140 characters. ERR_LIMIT if even that does not fit, ERR_INVALID
 * if the diarienummer holds a character the banks refuse (bad as for
 * payment_bank_text). out needs STR_UTF8_SIZE(140) bytes. */
enum err payment_remittance(const struct payment *p, char *out, size_t n, char bad[5]);

enum payment_event {
    PAYMENT_EV_BATCH,         /* created -> in batch */
    PAYMENT_EV_UNBATCH,       /* in batch -> created (taken out by the preparer) */
    PAYMENT_EV_ATTEST,        /* in batch -> attested (by the batch's attestation) */
    PAYMENT_EV_FILE,          /* attested -> in file arg; again with the same file: no change */
    PAYMENT_EV_FILE_REJECTED, /* in file arg -> attested: the bank refused the whole file */
    PAYMENT_EV_BANK_ACCEPT,   /* in file -> accepted; again: no change */
    PAYMENT_EV_BANK_REJECT,   /* in file or accepted -> rejected, arg = "CODE reason" */
    PAYMENT_EV_BOOK,          /* in file or accepted -> booked; again: no change */
    PAYMENT_EV_REISSUE        /* rejected -> created with issue + 1 (new end-to-end id) */
};

/* Apply an event. arg is the file id for FILE and FILE_REJECTED, the
 * bank's reason for BANK_REJECT ("AC01 Felaktigt kontonummer": the first
 * word is kept as the code), NULL otherwise. *changed (may be NULL) says
 * whether the payment changed: an event repeated from its own result (the
 * same file, a second acceptance or booking) is ERR_OK without change.
 * A transition the machine does not have is ERR_CONFLICT, and a payment
 * in another live file is ERR_CONFLICT too: the payment is then left as
 * it was and msg says why in Swedish. */
enum err payment_apply(struct payment *p, enum payment_event ev, const char *arg, int *changed,
                       char *msg, size_t n);

/* ERR_CONFLICT if two of the n payments have the same end-to-end id or
 * one is in a live file other than file_id (NULL: any live file): msg
 * names the first. Used before a file is written. Sorts an index of n
 * pointers (temporary memory, freed here; ERR_NOMEM if there is none), so
 * a batch of 100 000 costs n log n, not n². */
enum err payment_check_unique(const struct payment *p, size_t n, const char *file_id, char *msg,
                              size_t msgn);

/* Sum of the amounts, ERR_LIMIT past PAYMENT_AMOUNT_MAX. */
enum err payment_sum(const struct payment *p, size_t n, int64_t *total);

/* --- a batch (utbetalningsomgång) and its attestation ------------------- */

enum payment_batch_state {
    PAYMENT_BATCH_OPEN = 0, /* being prepared (or sent back with a reason) */
    PAYMENT_BATCH_ATTESTED,
    PAYMENT_BATCH_FILED /* its file is made */
};
#define PAYMENT_BATCH_STATE_COUNT 3

/* "open", "attested", "filed"; "" for a bad value. */
const char *payment_batch_state_id(enum payment_batch_state s);
/* The inverse: -1 if s is not a batch state's id. */
int payment_batch_state_parse(const char *s);

struct payment_batch {
    char id[PAYMENT_ID_SIZE];
    enum payment_batch_state state;
    char prepared_by[PAYMENT_LOGIN_SIZE];
    char attested_by[PAYMENT_LOGIN_SIZE];
    char returned_by[PAYMENT_LOGIN_SIZE];
    char return_reason[STR_UTF8_SIZE(PAYMENT_REASON_MAX_CHARS)]; /* "" unless sent back */
    char file_id[PAYMENT_ID_SIZE];                               /* "" until filed */
};

/* Who wants to attest: the login, whether the account holds the attestant
 * role, and the attest limit in öre (the largest batch total it covers). */
struct payment_attestant {
    const char *login;
    int is_attestant;
    int64_t limit;
};

/* Add a created payment to an open batch, by its preparer (the first to
 * add becomes the preparer). ERR_DENIED for someone else, ERR_CONFLICT
 * for a batch that is not open or a payment that is not created. */
enum err payment_batch_add(struct payment_batch *b, struct payment *p, const char *login, char *msg,
                           size_t n);
/* Take a payment out of an open batch again (its preparer only). */
enum err payment_batch_remove(struct payment_batch *b, struct payment *p, const char *login,
                              char *msg, size_t n);

/* May a attest batch b of the n payments? ERR_OK, or ERR_DENIED (not an
 * attestant, the preparer (four eyes), the total above a's limit),
 * ERR_CONFLICT (the batch not open, a payment not in the batch's state)
 * or ERR_INVALID (no payments) with a Swedish sentence in msg. */
enum err payment_attest_check(const struct payment_batch *b, const struct payment *p, size_t n,
                              const struct payment_attestant *a, char *msg, size_t msgn);
/* payment_attest_check(), then the batch and all its payments become
 * attested; nothing changes on a refusal. */
enum err payment_batch_attest(struct payment_batch *b, struct payment *p, size_t n,
                              const struct payment_attestant *a, char *msg, size_t msgn);
/* Send an open batch back to its preparer with a reason (1-200
 * characters), by an attestant other than the preparer. */
enum err payment_batch_return(struct payment_batch *b, const struct payment_attestant *a,
                              const char *reason, char *msg, size_t n);
/* Put an attested batch's payments in the file file_id (a bank-safe id):
 * all or none. Filing the same batch again with the same id changes
 * nothing; with another id while the first is live, ERR_CONFLICT. */
enum err payment_batch_file(struct payment_batch *b, struct payment *p, size_t n,
                            const char *file_id, char *msg, size_t msgn);
/* The bank refused the batch's whole file: the batch and its payments
 * still in that file go back to attested, ready for a new file. */
enum err payment_batch_file_rejected(struct payment_batch *b, struct payment *p, size_t n,
                                     const char *file_id, char *msg, size_t msgn);

#endif
