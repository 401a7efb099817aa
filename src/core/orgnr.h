/* orgnr.h - Swedish organisation numbers (organisationsnummer) of legal
 * persons: parse the common spellings, check the structure and the check
 * digit, and say which kind of body a number belongs to. Pure.
 *
 * A number has ten digits NNNNNN-NNNC. The first digit is the group
 * (2 = the state, regions, kommuner and parishes; 5 = aktiebolag; ...), the
 * third and fourth digits are at least 20 so that a number can never be a
 * personnummer (whose third and fourth are a month), and the last digit C
 * is the Luhn (mod 10) check digit over the first nine. Every kommun's
 * number begins 212000 and every region's 232100; Region Gotland is
 * Gotlands kommun (212000-0803) and holds both roles with one number.
 *
 * Peppol writes the ten digits with scheme 0007 (PEPPOL-COMMON-R049, a
 * fatal rule, checks the length and the check digit). */
#ifndef BIDRAG_CORE_ORGNR_H
#define BIDRAG_CORE_ORGNR_H

#include <stddef.h>

#include "core/org.h"
#include "util/err.h"

#define ORGNR_DIGITS 10
#define ORGNR_SIZE (ORGNR_DIGITS + 1) /* "2120000142" */
#define ORGNR_DISPLAY_SIZE 12         /* "212000-0142" */
#define ORGNR_INPUT_MAX 32            /* longest spelling accepted, bytes */
#define ORGNR_KOMMUN_PREFIX "212000"  /* every kommun */
#define ORGNR_REGION_PREFIX "232100"  /* every region but Gotland */
#define ORGNR_GOTLAND "2120000803"    /* Region Gotland = Gotlands kommun */
#define ORGNR_GOTLAND_LANSKOD "09"    /* its region code */

/* Parse "212000-0142", "2120000142", "212000 0142" or the same with the
 * century prefix 16 ("16212000-0142", "162120000142"), with spaces around;
 * out gets the ten digits. ERR_PARSE (characters, length) or ERR_INVALID
 * (check digit, not a legal person's number) with a Swedish sentence for
 * a form in msg (n bytes); out is then "". */
enum err orgnr_parse(const char *s, char out[ORGNR_SIZE], char *msg, size_t n);

/* 1 if s is exactly ten digits, a legal person's number (third digit at
 * least 2) with a correct check digit: what orgnr_parse() gives. */
int orgnr_ok(const char *s);

/* The check digit for the first nine digits of s (0-9), or -1 if they are
 * not nine digits. */
int orgnr_check_digit(const char *s);

/* "212000-0142" from ten digits into out; "" if s is not ten digits. */
void orgnr_format(const char *s, char out[ORGNR_DISPLAY_SIZE]);

/* Swedish name of the group a number's first digit stands for, e.g. 2 ->
 * "Stat, region, kommun, församling"; "" for a digit with no group. */
const char *orgnr_group_sv(const char *s);

/* 1 if the number fits a recipient of that role and code: a kommun's
 * begins 212000, a region's 232100, and region 09 (Gotland) has the
 * kommun number ORGNR_GOTLAND. The number itself must be orgnr_ok(). */
int orgnr_fits_recipient(const char *s, enum role role, const char *code);

#endif
