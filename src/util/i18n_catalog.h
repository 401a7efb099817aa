/* i18n_catalog.h - the English catalog: Swedish screen text -> English.
 * The source is the gettext catalog po/en.po (msgid = Swedish, msgstr =
 * English); tools/po2c.c turns it into this table, sorted by msgid, at
 * build time (build/gen/i18n_en.c). */
#ifndef BIDRAG_UTIL_I18N_CATALOG_H
#define BIDRAG_UTIL_I18N_CATALOG_H

#include <stddef.h>

struct i18n_entry {
    const char *sv;
    const char *tr;
};

extern const struct i18n_entry i18n_catalog_en[];
extern const size_t i18n_catalog_en_count;

#endif
