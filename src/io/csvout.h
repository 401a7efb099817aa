/* csvout.h - writing CSV fields safely, for every CSV writer: RFC 4180
 * quoting, and text that a spreadsheet would take for a formula
 * neutralised the way OWASP describes for CSV injection: a text cell that
 * starts with '=', '+', '-', '@', a tab or a carriage return gets a
 * leading apostrophe and is quoted, so Excel and LibreOffice show it as
 * text instead of running it. A cell that is a plain number ("-4",
 * "+46", "-1,5") is left alone: a spreadsheet reads it as a number. Numbers
 * are written as they are. */
#ifndef BIDRAG_IO_CSVOUT_H
#define BIDRAG_IO_CSVOUT_H

#include <stddef.h>

#include "util/buf.h"

/* 1 when s would start a formula in a spreadsheet. */
int csvout_risky(const char *s);

/* Append text s as one field (separator sep: ',' or ';'), neutralised and
 * quoted as needed. */
void csvout_text(struct buf *out, const char *s, char sep);

/* Append v with decimals decimals and the decimal mark dec ('.' or ','),
 * without a "-0". */
void csvout_number(struct buf *out, double v, int decimals, char dec);

#endif
