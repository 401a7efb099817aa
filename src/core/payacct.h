/* payacct.h - payment accounts a grant is paid to: bankgiro, plusgiro
 * and IBAN. Parses the common spellings (spaces, hyphens, lower case),
 * checks the check digits (mod 10 for bankgiro and plusgiro, mod 97 for
 * IBAN), normalises, formats for display, and says what is wrong in
 * Swedish so that a form can show it next to the field. Pure. */
#ifndef BIDRAG_CORE_PAYACCT_H
#define BIDRAG_CORE_PAYACCT_H

#include <stddef.h>
#include "util/err.h"
#include "util/msg.h"

enum payacct_kind { PAYACCT_NONE = 0, PAYACCT_BANKGIRO, PAYACCT_PLUSGIRO, PAYACCT_IBAN };

#define PAYACCT_INPUT_MAX 64 /* longest spelling accepted, bytes */

struct payacct {
    enum payacct_kind kind;
    char number[40];  /* normalised: digits (bankgiro, plusgiro) or IBAN in capitals */
    char display[48]; /* "5050-1055", "90 20 01-9", "SE45 5000 0000 0583 9825 7466" */
};

/* "bankgiro", "plusgiro", "iban" (any case); PAYACCT_NONE otherwise. */
enum payacct_kind payacct_kind_parse(const char *s);
/* "bankgiro", "plusgiro", "iban", "" for PAYACCT_NONE. */
const char *payacct_kind_id(enum payacct_kind k);
/* Name for screens, a catalog text: "Bankgiro", "Plusgiro", "IBAN". */
const char *payacct_kind_label_sv(enum payacct_kind k);

/* Parse an account of the given kind. With PAYACCT_NONE the kind is
 * guessed: two letters first means IBAN; otherwise the caller must say.
 * On failure returns ERR_PARSE (characters, length) or ERR_INVALID
 * (check digits, country) with the message for the form in why (may be
 * NULL); out is then zeroed. */
enum err payacct_parse(enum payacct_kind kind, const char *s, struct payacct *out, struct msg *why);

/* 1 if the digit string (last digit = check digit) passes the mod 10
 * (Luhn) check. */
int payacct_mod10_ok(const char *digits);
/* IBAN (capitals and digits, no spaces) mod 97 remainder; -1 if a
 * character is neither. A valid IBAN gives 1. */
int payacct_iban_mod97(const char *iban);

#endif
