/* cube.h - a statistical table (data cube): dimensions with coded values
 * and one cell per combination, each with a value and a status.
 *
 * This is the shape every statistics output shares: the stats engine
 * builds cubes, the PX reader returns them, and the writers (CSV, PX,
 * JSON-stat, XLSX, charts) take them. Cells are stored row-major over the
 * dimensions in order (the last dimension varies fastest), as in PX and
 * JSON-stat. Pure data: no I/O here. */
#ifndef BIDRAG_CORE_CUBE_H
#define BIDRAG_CORE_CUBE_H

#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

enum cube_status {
    CUBE_OK = 0,         /* value present */
    CUBE_SUPPRESSED = 1, /* withheld by disclosure control (röjandekontroll) */
    CUBE_MISSING = 2,    /* no data (e.g. no population series that year) */
    CUBE_NA = 3          /* not applicable / category does not exist */
};

struct cube_dim {
    char *code;        /* e.g. "region", PX variable code */
    char *label;       /* e.g. "region", shown name */
    size_t n;          /* number of values */
    char **val_codes;  /* n codes, e.g. "01" */
    char **val_labels; /* n labels, e.g. "Stockholms län" */
    int is_time;       /* 1 for the time dimension (PX TIMEVAL) */
    int is_contents;   /* 1 for the measure dimension (PX CONTENTS) */
    int *val_decimals; /* for the contents dimension: decimals per measure, else NULL */
    char **val_units;  /* for the contents dimension: unit per measure, else NULL */
    long total;        /* index of the value that is the total of all the others (PX
                          ELIMINATION), -1 when none (cube_add_dim) */
};

struct cube {
    char *title;  /* "Legitimerad personal efter region och år" */
    char *source; /* "Socialstyrelsen, syntetiska data" */
    char *note;   /* free text note (e.g. the suppression note), may be NULL */
    char *unit;   /* default unit, may be NULL */
    int decimals; /* default number of decimals */
    size_t ndims;
    struct cube_dim *dims;
    size_t ncells;         /* product of dims[i].n */
    double *value;         /* ncells values (0 where status != CUBE_OK) */
    unsigned char *status; /* ncells enum cube_status */
    /* Optional descriptive fields (PX/JSON-stat metadata), each may be NULL. */
    char *contents;     /* what is measured, e.g. "Befolkning" (PX CONTENTS) */
    char *matrix;       /* table id (PX MATRIX) */
    char *subject_code; /* PX SUBJECT-CODE */
    char *subject_area; /* PX SUBJECT-AREA */
    char *updated;      /* last update, ISO 8601 "2024-02-09T09:00:00" */
    char *lang;         /* language of the labels, e.g. "sv" */
    int no_aggregation; /* 1: values must not be summed (perturbed, or distinct persons whose
                           totals are not the sums of their parts; PX AGGREGALLOWED=NO) */
    size_t heading;     /* how many trailing dimensions go across (PX HEADING); 0: the last */
};

void cube_init(struct cube *c);
/* Free everything the cube owns and reset it. */
void cube_release(struct cube *c);
/* Add a dimension (copies the strings); call before cube_alloc_cells. */
enum err cube_add_dim(struct cube *c, const char *code, const char *label, size_t n,
                      const char *const *val_codes, const char *const *val_labels);
/* Allocate ncells cells (all CUBE_OK with value 0). */
enum err cube_alloc_cells(struct cube *c);
/* Linear index of the cell at coordinates idx[ndims]. */
size_t cube_index(const struct cube *c, const size_t *idx);
/* Inverse of cube_index. */
void cube_coords(const struct cube *c, size_t cell, size_t *idx);
/* Set a string field (title, source, note, unit), copying it. */
enum err cube_set_str(char **field, const char *s);
/* The symbol shown instead of a value for a cell with status s: "" for
 * CUBE_OK, "x" suppressed, ".." missing, "." not applicable (SCB usage). */
const char *cube_status_symbol(enum cube_status s);
/* A short English description of a status, e.g. "suppressed". */
const char *cube_status_name(enum cube_status s);
/* The Swedish meaning of a status symbol ("uppgift saknas"). */
const char *cube_status_label(enum cube_status s);
/* The one legend of the symbols, in Swedish, as every output writes it
 * (web table, CSV, XLSX, PX notes, JSON-stat extension, charts): ".. =
 * uppgift saknas; . = uppgift kan inte förekomma", and the withheld cells'
 * "x" where the table has any. */
const char *cube_legend(const struct cube *c);
/* A copy of c for a chart: every dimension without its total value, the
 * contents dimension with its first measure only (a chart shows one).
 * Caller owns out. ERR_INVALID when a dimension is left empty. */
enum err cube_chart_view(const struct cube *c, struct cube *out);

#endif
