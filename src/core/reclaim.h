/* reclaim.h - a reclaim (återkrav) as a value, and its rules as pure
 * functions:
 *
 * - the decision: program, recipient (with its organisation number and
 *   the buyer reference it gave), the amount proposed per block and what
 *   was paid for it, the ground and the reasons, a waiver in whole or in
 *   part with its reason, the program's appeal clause, and who prepared
 *   and who decided it - never the same person (four eyes);
 * - the invoice it becomes: the document number, an OCR payment reference
 *   (digits, a length digit and a Luhn check digit, for bankgiro's hard
 *   check) that maps back to the invoice, and the due date (the decision
 *   date plus the program's terms, moved to the next bank day as lag
 *   1930:173 says);
 * - instalments and late interest only where the program's terms allow
 *   them; payments as they arrive, interest first, with what is left;
 * - a reduced or cancelled reclaim as a credit note: what each block's
 *   amount came down by, referring to the invoice.
 *
 * Amounts are öre. Refusals meant for a person are Swedish sentences (in
 * msg, or per field in struct reclaim_issues), as the other core rules.
 * Nothing here reads the clock or does I/O; docs/invoices.md has the
 * whole flow. */
#ifndef BIDRAG_CORE_RECLAIM_H
#define BIDRAG_CORE_RECLAIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/org.h"
#include "core/orgnr.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

#define RECLAIM_MAX_LINES 16
#define RECLAIM_NUMBER_SIZE 32      /* "ATK-2027-000001", "FAK-2027-000001" */
#define RECLAIM_OCR_SIZE 13         /* 12 digits and a NUL */
#define RECLAIM_BLOCK_SIZE 32       /* a block's id, as in program files */
#define RECLAIM_TITLE_MAX_CHARS 200 /* a block's or program's title */
#define RECLAIM_DNR_MAX_CHARS 63    /* the program's diarienummer */
#define RECLAIM_BUYER_REF_MAX_CHARS 50
#define RECLAIM_REASONS_MAX_CHARS 2000
#define RECLAIM_WAIVER_MAX_CHARS 1000
#define RECLAIM_APPEAL_MAX_CHARS 2000
#define RECLAIM_LOGIN_SIZE 64
#define RECLAIM_AMOUNT_MAX INT64_C(1000000000000000) /* 10^13 kr in öre */
#define RECLAIM_DAYS_DEFAULT 30
#define RECLAIM_MAX_INSTALMENTS 24

/* --- the decision ----------------------------------------------------- */

enum reclaim_ground {
    RECLAIM_GROUND_NONE = 0,
    RECLAIM_UNUSED,          /* medel som inte har använts */
    RECLAIM_MISUSED,         /* medel som använts i strid med syftet */
    RECLAIM_NO_REPORT,       /* redovisning har inte kommit in */
    RECLAIM_NO_DOCUMENTATION /* begärt underlag har inte kommit in */
};
/* "unused", "misused", "no_report", "no_documentation"; "" otherwise. */
const char *reclaim_ground_id(enum reclaim_ground g);
/* The id back; RECLAIM_GROUND_NONE for anything else. */
enum reclaim_ground reclaim_ground_parse(const char *s);
/* Swedish for the decision: "Medel som inte har använts", ... */
const char *reclaim_ground_label_sv(enum reclaim_ground g);

enum reclaim_waiver {
    RECLAIM_WAIVER_NONE = 0,
    RECLAIM_WAIVER_PARTIAL, /* eftergift i del: the reclaim is lowered */
    RECLAIM_WAIVER_WHOLE    /* eftergift i sin helhet: nothing is reclaimed */
};

struct reclaim_line {
    char block[RECLAIM_BLOCK_SIZE];
    char title[STR_UTF8_SIZE(RECLAIM_TITLE_MAX_CHARS)];
    int64_t paid;     /* öre paid out for the block */
    int64_t proposed; /* öre the decision reclaims, before any waiver */
    int64_t waived;   /* öre of it waived */
};

/* What the program's decision says about reclaims (a [reclaim] part of
 * the program file, later): days to pay, and whether instalments and
 * late interest are allowed at all. */
struct reclaim_terms {
    int days;             /* 1..365 days from the decision; 0 = RECLAIM_DAYS_DEFAULT */
    int instalments;      /* 1 = none; else at most this many (2..24) */
    int interest;         /* 1 = late interest (dröjsmålsränta) is charged */
    int interest_rate_bp; /* per year in basis points: 1050 = 10.5 % */
};

struct reclaim {
    char number[RECLAIM_NUMBER_SIZE];  /* the decision's number */
    char case_no[RECLAIM_NUMBER_SIZE]; /* the reclaim case */
    char program[64];                  /* the program's id */
    char program_title[STR_UTF8_SIZE(RECLAIM_TITLE_MAX_CHARS)];
    char diarienummer[STR_UTF8_SIZE(RECLAIM_DNR_MAX_CHARS)];
    char recipient_code[5]; /* kommunkod or länskod */
    enum role role;
    char recipient_name[64];
    char orgnr[ORGNR_SIZE];                                           /* the recipient's */
    char buyer_reference[STR_UTF8_SIZE(RECLAIM_BUYER_REF_MAX_CHARS)]; /* the recipient gave it */
    enum reclaim_ground ground;
    char reasons[STR_UTF8_SIZE(RECLAIM_REASONS_MAX_CHARS)];
    struct reclaim_line lines[RECLAIM_MAX_LINES];
    size_t nlines;
    enum reclaim_waiver waiver;
    char waiver_reason[STR_UTF8_SIZE(RECLAIM_WAIVER_MAX_CHARS)];
    char appeal[STR_UTF8_SIZE(RECLAIM_APPEAL_MAX_CHARS)]; /* the program's clause */
    struct reclaim_terms terms;
    char prepared_by[RECLAIM_LOGIN_SIZE];
    char decided_by[RECLAIM_LOGIN_SIZE]; /* "" until decided */
    struct date decided_on;              /* unset until decided */
};

/* Problems found, each with the field it belongs to ("lines.2.proposed",
 * "waiver_reason", ...) so a form can show it there. */
#define RECLAIM_ISSUES_MAX 32
struct reclaim_issues {
    size_t n;
    struct {
        char field[32];
        char msg[200];
    } v[RECLAIM_ISSUES_MAX];
};
/* The message for a field, NULL if none. */
const char *reclaim_issues_find(const struct reclaim_issues *is, const char *field);

/* One block's reclaim after waiver: proposed - waived. */
int64_t reclaim_line_amount(const struct reclaim_line *l);
/* The amount to invoice: every line's amount after waiver. */
int64_t reclaim_total(const struct reclaim *r);
/* Everything proposed, before waiver. */
int64_t reclaim_proposed(const struct reclaim *r);

/* Check the decision as prepared: ERR_OK, or ERR_INVALID with every
 * problem in is. The rules: the recipient's code fits its role and its
 * organisation number fits the recipient (core/orgnr); a ground and the
 * reasons are given; 1-16 lines, each block named once, 0 <= waived <=
 * proposed <= paid and something proposed; no waiver means nothing
 * waived, a partial waiver waives some but not all with its reason, a
 * whole waiver waives everything with its reason; the appeal clause is
 * there; the terms are in range (instalments and interest only as the
 * terms allow: a rate without interest, or interest without a rate, is
 * refused); the texts are well-formed and within their lengths. */
enum err reclaim_check(const struct reclaim *r, struct reclaim_issues *is);

/* 1 if decider may decide what preparer prepared: both named and not
 * the same person (letters compared without case). */
int reclaim_four_eyes_ok(const char *preparer, const char *decider);

/* Decide: the decision must pass reclaim_check (else ERR_INVALID, the
 * first problem in msg), not be decided already (ERR_CONFLICT), and the
 * decider must not be its preparer (ERR_DENIED). Sets decided_by and
 * decided_on. */
enum err reclaim_decide(struct reclaim *r, const char *decider, struct date on, char *msg,
                        size_t n);

/* --- the invoice ------------------------------------------------------ */

/* A document number "<PREFIX>-<year>-<seq as 6 digits>": prefix 2-4
 * capital letters ("ATK" decision, "FAK" invoice, "KRE" credit note),
 * year 2000-2999, seq 1-999999. ERR_INVALID otherwise. */
enum err reclaim_doc_number(const char *prefix, int year, long seq, char out[RECLAIM_NUMBER_SIZE]);

/* The OCR reference of invoice (year, seq): the year's four digits, seq
 * as six digits, a length digit (12 mod 10 = 2) and the Luhn check digit,
 * e.g. 2027 and 1 give "202700000120". ERR_INVALID out of range. */
enum err reclaim_ocr(int year, long seq, char out[RECLAIM_OCR_SIZE]);
/* The inverse, for a reference read from the bank (camt.054): spaces are
 * allowed; ERR_PARSE if it is not twelve digits with a right length digit
 * and check digit, or names no valid year and seq. */
enum err reclaim_ocr_parse(const char *s, int *year, long *seq);

/* The due date: the decision date plus the terms' days (30 if 0), moved
 * to the next bank day when it falls on a weekend or holiday. */
struct date reclaim_due(struct date decided_on, const struct reclaim_terms *t);

/* --- instalments, payments, interest ---------------------------------- */

struct reclaim_instalment {
    struct date due;
    int64_t amount; /* öre */
};

/* Split amount into n instalments a month apart from first_due (each due
 * day moved to a bank day): equal to the öre, the first ones one öre more
 * when it does not divide. ERR_DENIED with the reason in msg when the
 * terms allow no instalments or fewer than n; ERR_INVALID for n < 2 or an
 * amount below n öre. */
enum err reclaim_instalments(const struct reclaim_terms *t, int64_t amount, int n,
                             struct date first_due, struct reclaim_instalment *out, char *msg,
                             size_t msgn);

/* Late interest on principal from the day after due to paid_on, at the
 * terms' rate: principal * rate * days / 365, rounded half up to the öre;
 * 0 when the terms charge no interest or nothing is late. */
int64_t reclaim_interest(const struct reclaim_terms *t, int64_t principal, struct date due,
                         struct date paid_on);

/* The account of one invoice. */
struct reclaim_account {
    int64_t invoiced;      /* the invoice's amount */
    int64_t credited;      /* credit notes so far */
    int64_t paid;          /* repayments so far, interest included */
    int64_t interest;      /* interest charged so far */
    int64_t interest_paid; /* of it, paid */
    struct date due;
    struct date interest_to; /* interest charged up to this day (unset: none) */
};

enum reclaim_state {
    RECLAIM_OPEN = 0,  /* nothing paid yet */
    RECLAIM_PART_PAID, /* something paid, something left */
    RECLAIM_PAID,      /* all paid */
    RECLAIM_OVERPAID,  /* more paid than owed: to be paid back */
    RECLAIM_CANCELLED  /* credited in full, nothing paid */
};
/* "open", "part_paid", "paid", "overpaid", "cancelled". */
const char *reclaim_state_id(enum reclaim_state s);
/* "obetald", "delvis betald", "betald", "överbetald", "makulerad". */
const char *reclaim_state_label_sv(enum reclaim_state s);

/* Principal still owed: invoiced - credited - principal paid (never
 * below 0). */
int64_t reclaim_principal_left(const struct reclaim_account *a);
/* All still owed, interest charged included (negative when overpaid). */
int64_t reclaim_owed(const struct reclaim_account *a);
enum reclaim_state reclaim_state_of(const struct reclaim_account *a);

struct reclaim_payment_result {
    int64_t to_interest;    /* of the payment */
    int64_t to_principal;   /* of the payment */
    int64_t excess;         /* paid beyond everything owed */
    int64_t interest_new;   /* interest charged by this payment's lateness */
    int partial_not_agreed; /* a part payment the terms do not allow */
    enum reclaim_state state;
};

/* Book a repayment of amount öre made on paid_on: first charge interest
 * for the principal left from the later of due and the last interest day
 * up to paid_on (when the terms charge interest), then settle interest
 * before principal. A part payment is booked even when the terms allow
 * no instalments (the money has come), and flagged. ERR_INVALID for an
 * amount <= 0 or past RECLAIM_AMOUNT_MAX. */
enum err reclaim_pay(struct reclaim_account *a, const struct reclaim_terms *t, int64_t amount,
                     struct date paid_on, struct reclaim_payment_result *res, char *msg, size_t n);

/* --- credit notes ----------------------------------------------------- */

struct reclaim_credit {
    char invoice[RECLAIM_NUMBER_SIZE]; /* the invoice it credits */
    struct reclaim_line lines[RECLAIM_MAX_LINES];
    size_t nlines; /* blocks whose amount came down; amounts in proposed */
    int64_t total;
    int cancels; /* 1 if the whole invoice is credited */
};

/* What a reduced (revised) or cancelled (revised NULL) reclaim credits
 * of invoiced, the reclaim as it was invoiced under the number invoice:
 * per block, the amount after waiver then minus now. A block missing
 * from revised is credited whole. ERR_INVALID (msg) when a block's amount
 * went up (that is a new invoice, not a credit note), when revised is
 * for another recipient or program, or when nothing comes down. */
enum err reclaim_credit_for(const struct reclaim *invoiced, const char *invoice,
                            const struct reclaim *revised, struct reclaim_credit *out, char *msg,
                            size_t n);

#endif
