/* ocr.h - the Luhn (mod 10) check digit and the bankgiro OCR payment
 * references built on it. Pure.
 *
 * A reference is a body of digits, then a length digit (the whole
 * reference's length mod 10), then the Luhn check digit over everything
 * before it: the form bankgiro's "hard" OCR check verifies (length digit
 * and check digit), so that a payer's typing error is refused at the bank
 * instead of landing unmatched. Reclaim invoices (core/reclaim) and
 * application fees (core/applic) make theirs here; personnummer
 * (core/personnr) share the Luhn digit. */
#ifndef BIDRAG_CORE_OCR_H
#define BIDRAG_CORE_OCR_H

#include <stddef.h>

#include "util/err.h"

#define OCR_MIN_DIGITS 2 /* bankgiro: 2-25 digits */
#define OCR_MAX_DIGITS 25
#define OCR_SIZE (OCR_MAX_DIGITS + 1)

/* The Luhn check digit (0-9) for the len digits of s, weights 2,1,2,...
 * from the right end of s (whose check digit is still to come); -1 if
 * one of them is not a digit. */
int ocr_luhn_digit(const char *s, size_t len);

/* The reference for body (digits only, 0 to OCR_MAX_DIGITS - 2 of them):
 * body, length digit, check digit, into out (n bytes). ERR_INVALID for a
 * body that is not digits or too long, ERR_LIMIT when out is too small;
 * out is then "". */
enum err ocr_make(const char *body, char *out, size_t n);

/* The inverse, for a reference typed by a payer or read from the bank:
 * spaces are skipped; ERR_PARSE unless it is OCR_MIN_DIGITS..OCR_MAX_DIGITS
 * digits with a right length digit and check digit. The body (the digits
 * before the length digit) goes to body (n bytes; ERR_LIMIT if too small).
 * body is "" on failure. */
enum err ocr_parse(const char *s, char *body, size_t n);

#endif
