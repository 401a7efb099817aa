/* i18n.h - screen texts in Swedish (the source language) and English,
 * and Swedish/English number and date formats.
 *
 * Texts are looked up gettext-style: the Swedish text is the key, and
 * i18n_tr() gives the English translation from the catalog in
 * po/en.po, built into a table (the Swedish text itself when there is
 * none). */
#ifndef BIDRAG_UTIL_I18N_H
#define BIDRAG_UTIL_I18N_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"

enum lang { LANG_SV = 0, LANG_EN = 1 };

/* The text for sv in language l; never NULL. A printf format passed
 * through it is checked by the compiler against the Swedish literal (and
 * the catalog's English by msgfmt --check as c-format). */
const char *i18n_tr(enum lang l, const char *sv) __attribute__((format_arg(2)));
/* "sv" or "en". */
const char *i18n_code(enum lang l);
/* Choose a language: an explicit ?lang= wins, then the lang cookie, then
 * the best of sv/en in Accept-Language; Swedish otherwise. Any argument
 * may be NULL. */
enum lang i18n_negotiate(const char *query, const char *cookie, const char *accept);
/* Integer with grouped thousands: "1 234 567" (sv, no-break spaces) or
 * "1,234,567" (en). Output is always terminated. */
void i18n_fmt_int(enum lang l, char *out, size_t n, int64_t v);
/* Amount in öre: "1 234,50 kr" (sv) or "SEK 1,234.50" (en). */
void i18n_fmt_money(enum lang l, char *out, size_t n, int64_t ore);
/* "22 januari 2026" (sv) or "22 January 2026" (en). */
void i18n_fmt_date(enum lang l, char *out, size_t n, struct date d);
/* Number of catalog entries (for tests). */
size_t i18n_catalog_size(void);

#endif
