/* reqdata.h - a requisition's rows in the requisition's own words, read
 * from the case engine's tables (store/store_case.h) where the
 * requisition lives as a case of its kind (core/reqcase.h): its state
 * (reqcase_req_state), the amount approved and the message it shows (a
 * return's message, or its decision's reasons), its versions as forms
 * (the plan from the version's file in the slot "plan"), its decisions
 * in the requisition's kinds (original, supplementary, rejection).
 *
 * For the service's modules (requisition.c, notify.c): no rights are
 * checked here; callers check them first. Every function returns enum
 * err; ERR_NOTFOUND when there is no such requisition, version or
 * decision. */
#ifndef BIDRAG_SERVICE_REQDATA_H
#define BIDRAG_SERVICE_REQDATA_H

#include <stddef.h>
#include <stdint.h>

#include "core/requisition.h"
#include "store/store.h"
#include "store/store_case.h"
#include "util/buf.h"

/* A requisition: its case in the requisition's words. */
struct req_row {
    long long id; /* the case's */
    char program[64];
    char recipient[5];
    char case_no[REQ_CASE_LEN];
    enum req_state state;
    int version;        /* latest submitted version, 0 if none */
    long long revision; /* moves on every change */
    /* returned: the return's message; decided: the reasons of its
     * decision (a grant in part, a rejection); "" otherwise */
    char message[STR_UTF8_SIZE(STORE_CASE_REASONS_MAX_CHARS)];
    int64_t approved_ore;  /* -1 if not approved */
    int64_t requested_ore; /* amount of the latest submitted version, -1 if none */
    char created_at[32];
    char created_by[STORE_CASE_WHO_LEN];
    char updated_at[32];
    char updated_by[STORE_CASE_WHO_LEN];
};

struct req_version_row {
    int version;
    int64_t amount_ore;
    char saved_at[32];
    char saved_by[STORE_CASE_WHO_LEN];
};

struct req_decision_row {
    long long id;
    char number[REQ_CASE_LEN]; /* "BES-2026-000001" */
    long long req_id;          /* the case's id */
    char case_no[REQ_CASE_LEN];
    char recipient[5];
    char kind[16]; /* "original", "supplementary", "rejection" */
    char block[32];
    int64_t amount_ore;
    char reasons[STR_UTF8_SIZE(STORE_CASE_REASONS_MAX_CHARS)];
    char decided_on[11];
    char decided_at[32];
    char decided_by[STORE_CASE_WHO_LEN];
    long long run_id; /* redistribution run, 0 if none */
};

struct req_filter {
    const char *program;   /* NULL: all */
    int state;             /* enum req_state, -1: all */
    const char *recipient; /* NULL: all */
    size_t limit, offset;  /* limit 0: all */
};

/* The case's row as a requisition; ERR_NOTFOUND for another kind's case
 * (and for a withdrawn one until the requisition has that state). */
ERR_MUST_CHECK enum err reqdata_of_case(struct store *s, const struct store_case *c,
                                        struct req_row *out);
ERR_MUST_CHECK enum err reqdata_get_case(struct store *s, const char *case_no, struct req_row *out);
/* The recipient's requisition in program. */
ERR_MUST_CHECK enum err reqdata_get(struct store *s, const char *program, const char *recipient,
                                    struct req_row *out);
/* Version v (0: the draft) as a form (initialised here; the caller
 * releases it, also on error); at and by (32 and STORE_CASE_WHO_LEN
 * bytes) may be NULL. */
ERR_MUST_CHECK enum err reqdata_form_get(struct store *s, long long case_id, int version,
                                         struct req_form *f, char *at, char *by);
/* Submitted versions (1..), oldest first; caller frees *out. */
ERR_MUST_CHECK enum err reqdata_versions(struct store *s, long long case_id,
                                         struct req_version_row **out, size_t *n);
/* Decisions of one requisition (case_id > 0) or of a program (case_id 0,
 * program not NULL), in the order they were made; caller frees *out. */
ERR_MUST_CHECK enum err reqdata_decisions(struct store *s, const char *program, long long case_id,
                                          struct req_decision_row **out, size_t *n);
ERR_MUST_CHECK enum err reqdata_decision_get(struct store *s, const char *number,
                                             struct req_decision_row *out);
/* Requisitions matching f, by case number; caller frees *out. */
ERR_MUST_CHECK enum err reqdata_list(struct store *s, const struct req_filter *f,
                                     struct req_row **out, size_t *n);
/* How many stand in each state, for a program (NULL: all) and recipient
 * (NULL: all). */
ERR_MUST_CHECK enum err reqdata_counts(struct store *s, const char *program, const char *recipient,
                                       long long counts[REQ_STATE_COUNT]);

#endif
