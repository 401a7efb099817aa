/* suptrain.h - "pedagogisk handledning för klinisk personal" read in its
 * smallest useful way: an application to have a completed supervisor
 * training recognised, recorded against the person, so that the
 * specialist-certificate case can see whether a supervisor has one. Pure.
 *
 * The 2026 decision names the IT support but not the application; no such
 * Socialstyrelsen e-service or national course approval exists (research
 * notes §6.2-6.3). Assumed here, to be corrected by the product owner
 * (docs/applications.md): the applicant is the supervisor; the application
 * names the provider, the course, the day it was completed, its length in
 * hours, which of the five content areas it covered (the 2015 general
 * advice lists supervision, pedagogy, assessment methods, communication
 * and ethics; the 2021 rules point to five areas of a support material,
 * taken to be these five until checked) and carries the provider's
 * certificate. Recognition needs the certificate, a provider, a date not
 * in the future, at least the configured hours and the configured areas. */
#ifndef BIDRAG_CORE_SUPTRAIN_H
#define BIDRAG_CORE_SUPTRAIN_H

#include <stddef.h>

#include "core/personnr.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

enum suptrain_area {
    SUPTRAIN_SUPERVISION = 1 << 0,   /* handledning */
    SUPTRAIN_PEDAGOGY = 1 << 1,      /* pedagogik */
    SUPTRAIN_ASSESSMENT = 1 << 2,    /* bedömningsmetoder */
    SUPTRAIN_COMMUNICATION = 1 << 3, /* kommunikation */
    SUPTRAIN_ETHICS = 1 << 4,        /* etik */
    SUPTRAIN_ALL_AREAS = (1 << 5) - 1
};
/* "supervision", "pedagogy", ... for one area bit; "" otherwise. */
const char *suptrain_area_id(unsigned area);
/* Swedish label for one area bit ("Handledning"); "" otherwise. */
const char *suptrain_area_label_sv(unsigned area);

#define SUPTRAIN_TEXT_MAX_CHARS 200

struct suptrain_rules {
    int min_hours;   /* at least this long (0: no minimum) */
    unsigned areas;  /* these areas must all be covered */
    int valid_years; /* a recognition counts this long (0: for ever) */
};
/* Our assumption: all five areas, no minimum length, valid for ever. */
void suptrain_rules_default(struct suptrain_rules *r);

struct suptrain_application {
    char person[PERSONNR_KEY_SIZE];                        /* the stored key */
    char provider[STR_UTF8_SIZE(SUPTRAIN_TEXT_MAX_CHARS)]; /* "Region Stockholm" */
    char course[STR_UTF8_SIZE(SUPTRAIN_TEXT_MAX_CHARS)];   /* the course's name */
    struct date completed_on;
    int hours;       /* the course's length in hours */
    unsigned areas;  /* SUPTRAIN_* bits covered */
    int certificate; /* 1: the provider's certificate is attached */
};

#define SUPTRAIN_MSG_PERSON "person missing"
#define SUPTRAIN_MSG_PROVIDER "training provider missing or too long"
#define SUPTRAIN_MSG_COURSE "course name missing or too long"
#define SUPTRAIN_MSG_DATE "completion date missing or in the future"
#define SUPTRAIN_MSG_HOURS "training is shorter than required"
#define SUPTRAIN_MSG_AREAS "training does not cover the required areas"
#define SUPTRAIN_MSG_CERTIFICATE "training certificate missing"

/* Check an application on today: every problem's key into why (up to
 * max), returns how many; 0 means it may be recognised. *missing_areas
 * (may be NULL) gets the required areas not covered. */
size_t suptrain_check(const struct suptrain_rules *r, const struct suptrain_application *a,
                      struct date today, const char **why, size_t max, unsigned *missing_areas);

/* A recognition as recorded against the person. */
struct suptrain_record {
    char person[PERSONNR_KEY_SIZE];
    struct date completed_on, recognised_on;
    unsigned areas;
    int hours;
};
/* Record the recognition of a that passes suptrain_check on `on`.
 * ERR_INVALID (first problem in *why) otherwise. */
enum err suptrain_recognise(const struct suptrain_rules *r, const struct suptrain_application *a,
                            struct date on, struct suptrain_record *out, const char **why);

/* The recognition of person that counts on day `on` (recognised by then,
 * covering the rules' areas, within valid_years of completion), the
 * latest completed if several; NULL if none. */
const struct suptrain_record *suptrain_find(const struct suptrain_rules *r,
                                            const struct suptrain_record *recs, size_t n,
                                            const char *person, struct date on);

#endif
