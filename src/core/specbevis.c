/* specbevis.c - the specialist certificate's completeness rules. */
#include "core/specbevis.h"

#include <string.h>

const char *specbevis_regime_name(enum specbevis_regime r)
{
    return r == SPECBEVIS_HSLF_2021_8    ? "HSLF-FS 2021:8"
           : r == SPECBEVIS_SOSFS_2015_8 ? "SOSFS 2015:8"
                                         : "";
}

static const struct {
    const char *id, *sv;
} acts[SPECBEVIS_NACTS] = {
    {"", ""},
    {"clinical", "Klinisk tjänstgöring under handledning"},
    {"auskultation", "Auskultation"},
    {"course", "Kurs"},
    {"scientific", "Självständigt skriftligt arbete enligt vetenskapliga principer"},
    {"quality", "Kvalitets- och utvecklingsarbete"},
};

const char *specbevis_activity_id(enum specbevis_activity a)
{
    return a > SPECBEVIS_ACT_NONE && a < SPECBEVIS_NACTS ? acts[a].id : "";
}

const char *specbevis_activity_label_sv(enum specbevis_activity a)
{
    return a > SPECBEVIS_ACT_NONE && a < SPECBEVIS_NACTS ? acts[a].sv : "";
}

void specbevis_list_of(enum specbevis_regime r, struct specbevis_list *out)
{
    memset(out, 0, sizeof(*out));
    if (r != SPECBEVIS_HSLF_2021_8 && r != SPECBEVIS_SOSFS_2015_8)
        return;
    out->min[SPECBEVIS_ACT_CLINICAL] = 1;
    out->min[SPECBEVIS_ACT_AUSKULTATION] = 0;
    out->min[SPECBEVIS_ACT_COURSE] = 1;
    out->min[SPECBEVIS_ACT_SCIENTIFIC] = 1;
    out->min[SPECBEVIS_ACT_QUALITY] = 1;
    out->st_months = r == SPECBEVIS_HSLF_2021_8 ? 66 : 60;
    out->bt_months = r == SPECBEVIS_HSLF_2021_8 ? 6 : 0;
}

long specbevis_days_for_months(int months)
{
    if (months <= 0)
        return 0;
    return ((long)months * 1461 + 47) / 48; /* ceil(months * 365.25 / 12) */
}

static int period_ok(const struct specbevis_period *p)
{
    return date_valid(p->from) && date_valid(p->to) && date_cmp(p->from, p->to) <= 0 &&
           p->percent >= 1 && p->percent <= 100;
}

long specbevis_fulltime_days(const struct specbevis_application *a, int bt_only)
{
    long hundredths = 0;
    for (size_t i = 0; i < a->nperiods && i < SPECBEVIS_MAX_PERIODS; i++) {
        const struct specbevis_period *p = &a->periods[i];
        if (!period_ok(p) || (bt_only && !p->bt))
            continue;
        long days = (long)(date_days(p->to) - date_days(p->from)) + 1;
        hundredths += days * p->percent;
    }
    return hundredths / 100;
}

static void add(struct specbevis_finding *out, size_t max, size_t *k, const char *msg,
                enum specbevis_activity act, int count, int blocking)
{
    if (*k < max) {
        out[*k].msg = msg;
        out[*k].act = act;
        out[*k].count = count;
        out[*k].blocking = blocking;
    }
    (*k)++;
}

static int signed_by(const struct specbevis_signer *s)
{
    return s->name[0] && date_valid(s->signed_on);
}

size_t specbevis_check(const struct specbevis_application *a, int with_review,
                       const struct suptrain_rules *sr, const struct suptrain_record *recs,
                       size_t nrecs, struct date on, struct specbevis_finding *out, size_t max)
{
    size_t k = 0;
    struct specbevis_list list;
    specbevis_list_of(a->regime, &list);
    if (a->regime != SPECBEVIS_HSLF_2021_8 && a->regime != SPECBEVIS_SOSFS_2015_8) {
        add(out, max, &k, SPECBEVIS_MSG_REGIME, SPECBEVIS_ACT_NONE, 0, 1);
        return k;
    }
    if (!a->specialty[0])
        add(out, max, &k, SPECBEVIS_MSG_SPECIALTY, SPECBEVIS_ACT_NONE, 0, 1);
    /* the periods */
    int any_bt = 0, bad = a->nperiods > SPECBEVIS_MAX_PERIODS;
    for (size_t i = 0; i < a->nperiods && i < SPECBEVIS_MAX_PERIODS; i++) {
        if (!period_ok(&a->periods[i]))
            bad = 1;
        if (a->periods[i].bt)
            any_bt = 1;
    }
    if (bad)
        add(out, max, &k, SPECBEVIS_MSG_PERIOD_BAD, SPECBEVIS_ACT_NONE, 0, 1);
    if (specbevis_fulltime_days(a, 0) < specbevis_days_for_months(list.st_months))
        add(out, max, &k, SPECBEVIS_MSG_ST_SHORT, SPECBEVIS_ACT_NONE, 0, 1);
    if (list.bt_months > 0) {
        if (specbevis_fulltime_days(a, 1) < specbevis_days_for_months(list.bt_months))
            add(out, max, &k, SPECBEVIS_MSG_BT_SHORT, SPECBEVIS_ACT_NONE, 0, 1);
        if (!a->bt_certificate)
            add(out, max, &k, SPECBEVIS_MSG_BT_CERT, SPECBEVIS_ACT_NONE, 0, 1);
    } else if (any_bt) {
        add(out, max, &k, SPECBEVIS_MSG_BT_SOSFS, SPECBEVIS_ACT_NONE, 0, 1);
    }
    /* the certificate of attained competence */
    if (!signed_by(&a->main_supervisor))
        add(out, max, &k, SPECBEVIS_MSG_SUPERVISOR, SPECBEVIS_ACT_NONE, 0, 1);
    else if (!a->main_supervisor.specialist)
        add(out, max, &k, SPECBEVIS_MSG_SUPERVISOR_SPEC, SPECBEVIS_ACT_NONE, 0, 1);
    if (!signed_by(&a->head))
        add(out, max, &k, SPECBEVIS_MSG_HEAD, SPECBEVIS_ACT_NONE, 0, 1);
    if (!a->head.specialist) {
        /* three signatures: a delegated specialist, not the main supervisor */
        if (!signed_by(&a->delegate))
            add(out, max, &k, SPECBEVIS_MSG_DELEGATE, SPECBEVIS_ACT_NONE, 0, 1);
        else if (!a->delegate.specialist)
            add(out, max, &k, SPECBEVIS_MSG_DELEGATE_SPEC, SPECBEVIS_ACT_NONE, 0, 1);
        else if (strcmp(a->delegate.name, a->main_supervisor.name) == 0 ||
                 (a->delegate.person[0] &&
                  strcmp(a->delegate.person, a->main_supervisor.person) == 0))
            add(out, max, &k, SPECBEVIS_MSG_DELEGATE_SAME, SPECBEVIS_ACT_NONE, 0, 1);
    }
    /* the activities against the regime's list */
    int have[SPECBEVIS_NACTS], unsigned_[SPECBEVIS_NACTS];
    memset(have, 0, sizeof(have));
    memset(unsigned_, 0, sizeof(unsigned_));
    for (size_t i = 0; i < a->nacts && i < SPECBEVIS_MAX_ACTIVITIES; i++) {
        enum specbevis_activity kind = a->acts[i].kind;
        if (kind <= SPECBEVIS_ACT_NONE || kind >= SPECBEVIS_NACTS)
            continue;
        if (signed_by(&a->acts[i].signer))
            have[kind]++;
        else
            unsigned_[kind]++;
    }
    for (int t = SPECBEVIS_ACT_NONE + 1; t < SPECBEVIS_NACTS; t++) {
        if (unsigned_[t])
            add(out, max, &k, SPECBEVIS_MSG_ACTIVITY_SIGN, (enum specbevis_activity)t, unsigned_[t],
                1);
        if (have[t] + unsigned_[t] < list.min[t])
            add(out, max, &k, SPECBEVIS_MSG_ACTIVITY, (enum specbevis_activity)t,
                list.min[t] - have[t] - unsigned_[t], 1);
    }
    /* the main supervisor's training: a notice */
    if (sr && signed_by(&a->main_supervisor) &&
        !suptrain_find(sr, recs, nrecs, a->main_supervisor.person, on))
        add(out, max, &k, SPECBEVIS_MSG_NO_SUPTRAIN, SPECBEVIS_ACT_NONE, 0, 0);
    if (with_review) {
        if (a->review == SPECBEVIS_REVIEW_NONE || !a->expert[0] || !date_valid(a->reviewed_on))
            add(out, max, &k, SPECBEVIS_MSG_REVIEW, SPECBEVIS_ACT_NONE, 0, 1);
        else if (a->review != SPECBEVIS_REVIEW_APPROVE)
            add(out, max, &k, SPECBEVIS_MSG_REVIEW_NOT_APPROVED, SPECBEVIS_ACT_NONE, 0, 1);
    }
    return k;
}

int specbevis_complete(const struct specbevis_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].blocking)
            return 0;
    return 1;
}
