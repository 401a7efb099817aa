/* i18n_catalog.h - the English catalog: Swedish screen text -> English.
 * Kept in i18n_en.c as a plain table, in the spirit of a gettext .po file
 * (msgid = Swedish, msgstr = English). */
#ifndef BIDRAG_WEB_I18N_CATALOG_H
#define BIDRAG_WEB_I18N_CATALOG_H

#include <stddef.h>

struct i18n_entry {
    const char *sv;
    const char *tr;
};

extern const struct i18n_entry i18n_catalog_en[];
extern const size_t i18n_catalog_en_count;

#endif
