/* reqcase.h - the requisition as a kind of case (core/casekind.h): its
 * content codec between the form (core/requisition.h, struct req_form)
 * and canonical JSON, validation with the program and the recipient's
 * maximum as context, the version diff in words and the amount asked; its
 * number series (REK, decisions BES), its actions (core/action.h) and its
 * one attachment slot, the production plan ("plan": PDF or XLSX, at most
 * REQ_PLAN_MAX_BYTES, REQ_PLAN_ORG_MAX_BYTES per recipient).
 *
 * The content is the form without its plan, which is an attachment:
 *
 *   {"account":"5050-1055","account_kind":"bankgiro","amount_ore":100000,
 *    "confirmed":true,"contact_email":"...","contact_name":"...",
 *    "contact_phone":"...","extra_cap_ore":-1,
 *    "measures":[{"description":"...","planned_ore":0,"purpose":"vfu"}],
 *    "opt_in":true,"program":"kompetens-2026","recipient":"0180"}
 *
 * amount_ore is absent when not given (the maximum is proposed);
 * extra_cap_ore is REQ_EXTRA_ANY (-1) for "as much as possible". Pure: no
 * store, no clock. */
#ifndef BIDRAG_CORE_REQCASE_H
#define BIDRAG_CORE_REQCASE_H

#include <jansson.h>

#include "core/casekind.h"
#include "core/requisition.h"

/* The codec's context: the program, the recipient's maximum and the plan
 * attached (NULL: none). */
struct reqcase_ctx {
    const struct program *prog;
    int64_t max_ore;
    const struct req_plan *plan;
};

/* The requisition kind ("requisition", REK, BES). */
const struct case_kind *reqcase_kind(void);
/* Register it in the kinds' table (once; again is nothing). */
ERR_MUST_CHECK enum err reqcase_register(void);

/* The form as content (*out: a new reference; the plan is left out). */
ERR_MUST_CHECK enum err reqcase_to_json(const struct req_form *f, json_t **out);
/* Content as a form (caller releases f, also on error; the plan is left
 * empty). What cannot be read or does not fit its field is added to is
 * (may be NULL) under the form's field names, and ERR_PARSE returned. */
ERR_MUST_CHECK enum err reqcase_from_json(const json_t *j, struct req_form *f,
                                          struct msg_issues *is);

/* Between the engine's words and the requisition's, for its pages, its
 * letters and the move of the data made before it ran on the engine.
 *
 * reqcase_req_state: draft, submitted and returned as they are; decided
 * approved or partly approved is REQ_APPROVED, rejected REQ_REJECTED; -1
 * for a withdrawn case (the requisition states have none yet) and for
 * values out of range. */
int reqcase_req_state(enum case_state st, enum case_outcome o);
/* A decision's kind in the requisition's words: "original" (approved,
 * partly_approved), "supplementary", "rejection" (rejected); "" for any
 * other. */
const char *reqcase_decision_kind(const char *case_kind);
/* And back, for the data made before the move: an "original" decision
 * granting amount_ore of requested_ore is approved (all of it, or
 * requested_ore < 0: unknown) or partly_approved (less), "supplementary"
 * stays, "rejection" is rejected; "" for an unknown kind. */
const char *reqcase_decision_kind_of(const char *req_kind, int64_t amount_ore,
                                     int64_t requested_ore);

#endif
