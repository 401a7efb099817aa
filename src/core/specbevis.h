/* specbevis.h - the application for a specialist certificate
 * (bevis om specialistkompetens) for physicians, as rules over a plain
 * struct. Pure.
 *
 * Two regimes (research notes §6.2):
 * - HSLF-FS 2021:8: specialiseringstjänstgöring of at least 5 years and 6
 *   months full time, of which the first part is bastjänstgöring (BT) of
 *   at least 6 months, certified by its own BT certificate;
 * - SOSFS 2015:8: at least 5 years, no BT (for those with a Swedish AT or
 *   who started ST before 2021-07-01).
 * Periods are counted in full-time days (days x percent of full time),
 * against the months converted at 365.25/12 days a month, rounded up.
 *
 * The certificate of attained competence (intyg om uppnådd
 * specialistkompetens) is signed by the main supervisor (a specialist in
 * the specialty) and the head of department (verksamhetschef); when the
 * head is not a specialist in it, they delegate to a specialist who is
 * not the main supervisor, and three sign. Each training activity has its
 * own certificate (klinisk tjänstgöring under handledning, auskultation,
 * kurs, självständigt skriftligt arbete, kvalitets- och utvecklingsarbete)
 * signed by whoever certifies it. The completeness check names what is
 * missing against the regime's list; an external expert's review is
 * recorded; the main supervisor's recognised supervisor training
 * (core/suptrain) is looked up and its absence is a notice, not a block
 * (the duty lies with the care provider, not the applicant).
 *
 * Findings are lower-case English message keys (SPECBEVIS_MSG_*). */
#ifndef BIDRAG_CORE_SPECBEVIS_H
#define BIDRAG_CORE_SPECBEVIS_H

#include <stddef.h>

#include "core/suptrain.h"
#include "util/date.h"
#include "util/err.h"
#include "util/str.h"

enum specbevis_regime { SPECBEVIS_NONE = 0, SPECBEVIS_HSLF_2021_8, SPECBEVIS_SOSFS_2015_8 };
/* "HSLF-FS 2021:8", "SOSFS 2015:8"; "" otherwise. */
const char *specbevis_regime_name(enum specbevis_regime r);

enum specbevis_activity {
    SPECBEVIS_ACT_NONE = 0,
    SPECBEVIS_ACT_CLINICAL,     /* klinisk tjänstgöring under handledning */
    SPECBEVIS_ACT_AUSKULTATION, /* auskultation */
    SPECBEVIS_ACT_COURSE,       /* kurs */
    SPECBEVIS_ACT_SCIENTIFIC, /* självständigt skriftligt arbete enligt vetenskapliga principer */
    SPECBEVIS_ACT_QUALITY,    /* kvalitets- och utvecklingsarbete */
    SPECBEVIS_NACTS
};
/* "clinical", "auskultation", "course", "scientific", "quality". */
const char *specbevis_activity_id(enum specbevis_activity a);
/* The Swedish name as on the certificate forms. */
const char *specbevis_activity_label_sv(enum specbevis_activity a);

/* How many certificates of each activity a regime asks for at least.
 * Our reading of the instructions: clinical service, a course, the
 * written work and the quality work always; auskultation only when the
 * specialty's målbeskrivning asks for it (0 here; a specialty's table may
 * raise it). */
struct specbevis_list {
    int min[SPECBEVIS_NACTS];
    int st_months; /* the whole specialist training, full time */
    int bt_months; /* of it, the BT (0: no BT) */
};
void specbevis_list_of(enum specbevis_regime r, struct specbevis_list *out);

#define SPECBEVIS_NAME_MAX_CHARS 100
#define SPECBEVIS_TITLE_MAX_CHARS 200
#define SPECBEVIS_MAX_PERIODS 32
#define SPECBEVIS_MAX_ACTIVITIES 64

struct specbevis_signer {
    char name[STR_UTF8_SIZE(SPECBEVIS_NAME_MAX_CHARS)];
    char person[PERSONNR_KEY_SIZE]; /* stored key, for the supervisor training look-up */
    int specialist;                 /* a specialist in the specialty */
    struct date signed_on;          /* unset: not signed */
};

struct specbevis_period {
    struct date from, to; /* inclusive */
    int percent;          /* of full time, 1-100 */
    int bt;               /* part of the BT */
};

struct specbevis_activity_cert {
    enum specbevis_activity kind;
    char title[STR_UTF8_SIZE(SPECBEVIS_TITLE_MAX_CHARS)];
    struct specbevis_signer signer;
};

enum specbevis_review {
    SPECBEVIS_REVIEW_NONE = 0,
    SPECBEVIS_REVIEW_APPROVE,
    SPECBEVIS_REVIEW_COMPLETE,
    SPECBEVIS_REVIEW_REJECT
};

struct specbevis_application {
    enum specbevis_regime regime;
    char specialty[STR_UTF8_SIZE(SPECBEVIS_TITLE_MAX_CHARS)];
    struct specbevis_period periods[SPECBEVIS_MAX_PERIODS];
    size_t nperiods;
    int bt_certificate; /* HSLF-FS 2021:8: the BT certificate is attached */
    /* the certificate of attained competence */
    struct specbevis_signer main_supervisor, head, delegate; /* delegate: name "" if none */
    struct specbevis_activity_cert acts[SPECBEVIS_MAX_ACTIVITIES];
    size_t nacts;
    /* the external expert's review */
    char expert[STR_UTF8_SIZE(SPECBEVIS_NAME_MAX_CHARS)];
    enum specbevis_review review;
    struct date reviewed_on;
};

#define SPECBEVIS_MSG_REGIME "regime missing"
#define SPECBEVIS_MSG_SPECIALTY "specialty missing"
#define SPECBEVIS_MSG_PERIOD_BAD "training period dates or percent are not valid"
#define SPECBEVIS_MSG_ST_SHORT "specialist training is shorter than required"
#define SPECBEVIS_MSG_BT_SHORT "bt is shorter than required"
#define SPECBEVIS_MSG_BT_SOSFS "regime has no bt"
#define SPECBEVIS_MSG_BT_CERT "bt certificate missing"
#define SPECBEVIS_MSG_SUPERVISOR "main supervisor's signature missing"
#define SPECBEVIS_MSG_SUPERVISOR_SPEC "main supervisor is not a specialist in the specialty"
#define SPECBEVIS_MSG_HEAD "head of department's signature missing"
#define SPECBEVIS_MSG_DELEGATE "delegated specialist's signature missing"
#define SPECBEVIS_MSG_DELEGATE_SAME "delegated specialist is the main supervisor"
#define SPECBEVIS_MSG_DELEGATE_SPEC "delegated signer is not a specialist in the specialty"
#define SPECBEVIS_MSG_ACTIVITY "activity certificate missing"         /* + the activity */
#define SPECBEVIS_MSG_ACTIVITY_SIGN "activity certificate not signed" /* + the activity */
#define SPECBEVIS_MSG_REVIEW "external expert's review missing"
#define SPECBEVIS_MSG_REVIEW_NOT_APPROVED "external expert did not approve"
#define SPECBEVIS_MSG_NO_SUPTRAIN "main supervisor has no recognised supervisor training"

struct specbevis_finding {
    const char *msg;
    enum specbevis_activity act; /* for the activity messages, else NONE */
    int count;                   /* ACTIVITY: how many more */
    int blocking;                /* 0: a notice */
};

/* Full-time days of the periods (all, or only the BT ones when bt_only). */
long specbevis_fulltime_days(const struct specbevis_application *a, int bt_only);
/* Days a number of months asks for: ceil(months * 365.25 / 12). */
long specbevis_days_for_months(int months);

/* The completeness check before the expert's review (with_review 0) or
 * before the decision (with_review 1): every finding into out (up to
 * max), returns their number; blocking ones stop a grant. recs (may be
 * NULL) are the recognised supervisor trainings, looked up on `on`. */
size_t specbevis_check(const struct specbevis_application *a, int with_review,
                       const struct suptrain_rules *sr, const struct suptrain_record *recs,
                       size_t nrecs, struct date on, struct specbevis_finding *out, size_t max);
/* 1 if the findings hold nothing blocking. */
int specbevis_complete(const struct specbevis_finding *f, size_t n);

#define SPECBEVIS_DEC "specialist.decision"

#endif
