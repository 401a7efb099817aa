/* personnr.h - who an individual applicant is: a Swedish personnummer or
 * samordningsnummer, or, for someone who has neither, a date of birth with
 * a foreign identity number and the country that issued it. Pure.
 *
 * A personnummer is YYMMDD-NNNC (or YYYYMMDD-NNNC): the date of birth, a
 * birth number and a Luhn check digit (core/ocr) over the ten-digit form.
 * A samordningsnummer has the day of birth plus 60 (61-91). Written with
 * ten digits, the separator carries the century: '-' (or none) for someone
 * who turns at most 99 this year, '+' from the year they turn 100
 * (Skatteverket's rule). So a ten-digit number needs "today" to be read.
 *
 * Storage keeps one normalised form: the twelve digits without separator
 * ("198001011234"); a foreign identity is kept as "F" + date of birth +
 * country + id ("F19800101USAB123456"). Screens show the masked form
 * "19800101-****": the date of birth as the number has it (day + 60 for a
 * samordningsnummer) and the last four digits hidden - our choice, since
 * Skatteverket shows whole numbers only to their holder. A number never
 * goes into a URL or a log line: personnr_logref() gives a keyed
 * HMAC-SHA256 reference to log instead (the number space is small - about
 * a million valid numbers per birth year - so an unkeyed hash would be
 * reversed by trying them all; the key lives outside the database).
 *
 * Refusals are lower-case English message keys (PERSONNR_MSG_*), for the
 * case engine's catalog to map to Swedish and English screen text. */
#ifndef BIDRAG_CORE_PERSONNR_H
#define BIDRAG_CORE_PERSONNR_H

#include <stddef.h>

#include "util/date.h"
#include "util/err.h"

#define PERSONNR_DIGITS 12
#define PERSONNR_SIZE (PERSONNR_DIGITS + 1) /* "198001011234" */
#define PERSONNR_MASKED_SIZE 14             /* "19800101-****" */
#define PERSONNR_DISPLAY_SIZE 14            /* "19800101-1234" (to its holder) */
#define PERSONNR_INPUT_MAX 32               /* longest spelling accepted, bytes */
#define PERSONNR_FOREIGN_ID_MAX 30          /* characters of a foreign id */
#define PERSONNR_KEY_SIZE (1 + 8 + 2 + PERSONNR_FOREIGN_ID_MAX + 1) /* "F19800101US..." */
#define PERSONNR_LOGREF_SIZE 24                                     /* "p:" + 20 hex + NUL */
#define PERSONNR_LOGKEY_MIN 16                                      /* bytes of key at least */

/* Message keys (lower-case English; the catalog maps them). */
#define PERSONNR_MSG_EMPTY "personnummer missing"
#define PERSONNR_MSG_CHARS "personnummer may only hold digits and one '-' or '+'"
#define PERSONNR_MSG_LENGTH "personnummer must have 10 or 12 digits"
#define PERSONNR_MSG_SEPARATOR "personnummer separator must stand before the last four digits"
#define PERSONNR_MSG_PLUS12 "personnummer with 12 digits takes no '+'"
#define PERSONNR_MSG_DATE "personnummer holds no valid date of birth"
#define PERSONNR_MSG_FUTURE "personnummer date of birth is in the future"
#define PERSONNR_MSG_CHECK "personnummer check digit does not match"
#define PERSONNR_MSG_BORN "date of birth missing or not valid"
#define PERSONNR_MSG_BORN_FUTURE "date of birth is in the future"
#define PERSONNR_MSG_FOREIGN_ID "foreign id must be 1-30 letters A-Z, digits or '-'"
#define PERSONNR_MSG_COUNTRY "country must be an ISO 3166-1 alpha-2 code"

enum personnr_kind {
    PERSONNR_NONE = 0,
    PERSONNR_PERSONNUMMER,      /* personnummer */
    PERSONNR_SAMORDNINGSNUMMER, /* samordningsnummer: day of birth + 60 */
    PERSONNR_FOREIGN            /* no Swedish number: date of birth, foreign id, country */
};

/* "personnummer", "samordningsnummer", "foreign"; "" otherwise. */
const char *personnr_kind_id(enum personnr_kind k);

/* Parse a personnummer or samordningsnummer as typed: 10 or 12 digits,
 * optionally one '-' (or, with 10 digits, '+') before the last four,
 * spaces around. today (a valid date) gives the century of a ten-digit
 * number and bounds the date of birth. out gets the twelve digits, *kind
 * (may be NULL) what it is, *born (may be NULL) the date of birth (day -
 * 60 for a samordningsnummer). ERR_PARSE (characters, length, separator)
 * or ERR_INVALID (date, check digit) with a PERSONNR_MSG_* in *why (may be
 * NULL); out is then "" and *kind PERSONNR_NONE. */
enum err personnr_parse(const char *s, struct date today, char out[PERSONNR_SIZE],
                        enum personnr_kind *kind, struct date *born, const char **why);

/* 1 if s is a normalised number: twelve digits, a valid date of birth
 * (or day + 60), the right check digit. No check against today. */
int personnr_ok(const char *s);
/* What a normalised number is (PERSONNR_NONE unless personnr_ok). */
enum personnr_kind personnr_kind_of(const char *s);

/* "19800101-1234" from twelve digits, for the holder's own eyes; "" if
 * not personnr_ok. */
void personnr_format(const char *s, char out[PERSONNR_DISPLAY_SIZE]);
/* "19800101-****" from twelve digits; "" if not personnr_ok. */
void personnr_mask(const char *s, char out[PERSONNR_MASKED_SIZE]);

/* The identity of an applicant, in its normalised form. */
struct personnr_ident {
    enum personnr_kind kind;
    char number[PERSONNR_SIZE];                   /* PERSONNUMMER / SAMORDNINGSNUMMER */
    struct date born;                             /* every kind */
    char foreign_id[PERSONNR_FOREIGN_ID_MAX + 1]; /* FOREIGN: A-Z 0-9 '-' */
    char country[3];                              /* FOREIGN: "US" */
};

/* Build a foreign identity: born a valid date not after today; foreign_id
 * with spaces removed and ASCII letters upper-cased must be 1 to
 * PERSONNR_FOREIGN_ID_MAX of A-Z, 0-9 and '-'; country an ISO 3166-1
 * alpha-2 code (either case; also XK, Kosovo, which the EU and Swedish
 * authorities use without an ISO code). ERR_INVALID with *why otherwise. */
enum err personnr_foreign(struct date born, const char *foreign_id, const char *country,
                          struct date today, struct personnr_ident *out, const char **why);
/* Build an identity from a typed Swedish number (personnr_parse). */
enum err personnr_ident_parse(const char *s, struct date today, struct personnr_ident *out,
                              const char **why);

/* 1 if code is an accepted country (see personnr_foreign). */
int personnr_country_ok(const char *code);

/* The one stored key of an identity: the twelve digits, or
 * "F19800101US" + foreign id. ERR_INVALID for an identity that is not
 * well-formed. */
enum err personnr_ident_key(const struct personnr_ident *id, char out[PERSONNR_KEY_SIZE]);
/* The masked form for screens: "19800101-****", or for a foreign
 * identity "19800101 (US) ****". "" for an identity not well-formed. */
void personnr_ident_mask(const struct personnr_ident *id, char out[PERSONNR_KEY_SIZE]);

/* The log-safe reference of a stored key: "p:" and the first 20 hex
 * digits of HMAC-SHA256(log key, stored key). The same key and identity
 * give the same reference, so log lines about one person can be joined
 * without the number. ERR_INVALID for a key shorter than
 * PERSONNR_LOGKEY_MIN bytes or an empty stored key. */
enum err personnr_logref(const char *stored_key, const unsigned char *logkey, size_t keylen,
                         char out[PERSONNR_LOGREF_SIZE]);

/* HMAC-SHA256 (RFC 2104) over util/sha256, exposed for its test vectors. */
void personnr_hmac_sha256(const unsigned char *key, size_t keylen, const void *msg, size_t n,
                          unsigned char out[32]);

#endif
