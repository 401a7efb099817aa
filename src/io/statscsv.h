/* statscsv.h - the workforce microdata CSV: reference lists it is checked
 * against, and a fast parser/validator for one record line.
 *
 * Format (docs/statistics.md): a header
 *   year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte[,sni]
 * (comma or semicolon separated, optional UTF-8 BOM, fields may be quoted),
 * then one line per person, year and employment. The optional sni field
 * is the workplace's SNI 2025 code, which gives the care type. Lines
 * starting with '#' are comments. */
#ifndef BIDRAG_IO_STATSCSV_H
#define BIDRAG_IO_STATSCSV_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define STATSCSV_MAX_LICENCES 64
#define STATSCSV_MAX_OCCS 128
#define STATSCSV_MAX_CARETYPES 16
#define STATSCSV_MAX_SPECIALTIES 64
#define STATSCSV_MAX_FIELD 64
#define STATSCSV_YEAR_FIRST 1950
#define STATSCSV_YEAR_LAST 2100
#define STATSCSV_AGE_MIN 15
#define STATSCSV_AGE_MAX 85

/* Reference lists. Index 0 of licences is "no licence". */
struct statscsv_ref {
    size_t nkommun;
    char kommun_code[400][5];
    char kommun_name[400][64];
    uint8_t kommun_region[400]; /* index into region */
    size_t nregion;
    char region_code[32][3];
    char region_name[32][64];
    size_t nlicence; /* including 0 = none */
    char licence_code[STATSCSV_MAX_LICENCES][48];
    char licence_name[STATSCSV_MAX_LICENCES][64]; /* as written in the input */
    uint8_t licence_occ[STATSCSV_MAX_LICENCES];
    size_t nocc;
    char occ_code[STATSCSV_MAX_OCCS][48];
    char occ_label[STATSCSV_MAX_OCCS][80];
    char occ_label_en[STATSCSV_MAX_OCCS][80]; /* English (label_en column), "" if none */
    char occ_group[STATSCSV_MAX_OCCS][16];    /* legitimation, primarvard or ovrigt */
    uint8_t occ_care_only[STATSCSV_MAX_OCCS]; /* scope "vard": only in health and care workplaces */
    size_t ncaretype;
    char caretype_code[STATSCSV_MAX_CARETYPES][24];
    char caretype_label[STATSCSV_MAX_CARETYPES][80];
    char caretype_label_en[STATSCSV_MAX_CARETYPES][80];
    /* the English of specialty names as the input writes them
     * (stats/specialties.csv); a name not listed is shown as written */
    size_t nspec;
    char spec_label[STATSCSV_MAX_SPECIALTIES][64];
    char spec_label_en[STATSCSV_MAX_SPECIALTIES][80];
    size_t caretype_other;        /* an SNI code no row lists ("annan") */
    size_t caretype_unknown;      /* no sni field ("okand") */
    uint8_t sni_caretype[100000]; /* SNI code -> caretype + 1, 0 not listed */
    size_t occ_other;             /* the group of records no rule maps */
    int16_t kommun_idx[10000];    /* kommunkod -> index, -1 unknown */
    uint8_t ssyk_ok[10000];       /* 1 = SSYK 2012 code */
    int16_t ssyk_occ[10000];      /* occupation of a record without licence */
};

/* Load the reference lists: kommuner.csv, regioner.csv, ssyk2012_4siffer.csv,
 * stats/occupations.csv, stats/caretypes.csv and stats/specialties.csv, each looked up in the
 * folders dirs[] in order. Errors go to d as "path:line: message". */
enum err statscsv_ref_load(struct statscsv_ref *ref, const char *const *dirs, size_t ndirs,
                           struct diag *d);

/* One parsed record. person and specialty point into the line. */
struct statscsv_row {
    int year;
    const char *person;
    size_t person_len;
    int sex; /* 1 man, 2 woman */
    int birth_year;
    int licence; /* 0 none, else index into ref licences */
    int ssyk;
    const char *specialty;
    size_t specialty_len;
    int sector; /* core/stats.h sector index */
    int kommun; /* index into ref kommuner */
    int fte;    /* hundredths, 0..100 */
    int occ;    /* occupation group */
    int ageband;
    int caretype; /* index into ref caretypes */
};

/* How a file is written: the delimiter, and 10 fields or 11 (with sni). */
struct statscsv_dialect {
    char delim;
    int nfields;
};

/* Check the header line (without its newline); sets the dialect (the
 * delimiter ',' or ';', 10 or 11 fields). Returns 0 or -1 with a message in
 * msg. */
int statscsv_header(const char *p, size_t n, struct statscsv_dialect *dl, char *msg, size_t msgn);

/* Parse and validate one record line (without its newline, '\r' allowed at
 * the end). Returns 0, or -1 with a lower-case message in msg. */
int statscsv_parse_line(const struct statscsv_ref *ref, const struct statscsv_dialect *dl,
                        const char *p, size_t n, struct statscsv_row *row, char *msg, size_t msgn);

#endif
