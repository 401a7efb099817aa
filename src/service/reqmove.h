/* reqmove.h - the move of requisitions made before the requisition
 * e-service ran on the case engine (store/store_req.h's tables) onto the
 * engine's (store/store_case.h), for `bidrag migrate` on an existing
 * installation.
 *
 * Each old requisition becomes a case of the requisition kind
 * (core/reqcase.h) under its own number (REK-...), with:
 *   - its draft (version 0) and every submitted version as the kind's
 *     canonical JSON (reqcase_to_json), amounts and who saved them when;
 *   - each version's production plan as a file in the slot "plan" (the
 *     bytes kept once by digest);
 *   - its idempotency keys, now the recipient's own, with the digest of
 *     the version's content as the engine computes it (a repeated POST
 *     from before the move still gets its receipt); a key the recipient
 *     used in another program too stays with the first case moved;
 *   - its decisions under their numbers (BES-...): "original" approved
 *     or partly approved (by the latest version's amount), "rejection"
 *     rejected, "supplementary" with its redistribution run; the reasons
 *     of a decision in part or a rejection, which the old row kept as its
 *     message, on the decision;
 *   - its history as case events: each submission (from the versions),
 *     each draft save and return (from the audit trail of
 *     "requisition:CASE"; a return's message only for the return the case
 *     stands in), each decision; so four eyes holds from the case's own
 *     rows afterwards;
 *   - its state, outcome, latest version, message and the time and person
 *     of its creation and last change.
 * The numbers' counters are the engine's too ("REK" and "BES"): numbering
 * continues, no number is reused. A case whose number the engine already
 * has is left alone, so running it again moves nothing.
 *
 * One transaction for all of it, one audit record per moved case
 * (object "requisition:CASE", which names the case's entity once the
 * case exists) as who acts (the operator's account in `bidrag migrate`).
 * The old rows stay (their submitted versions cannot be removed; the
 * tables go when the e-service runs on the engine). */
#ifndef BIDRAG_SERVICE_REQMOVE_H
#define BIDRAG_SERVICE_REQMOVE_H

#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"
#include "store/store.h"

struct req_move_report {
    size_t cases, versions, files, keys, decisions, events;
    size_t skipped; /* already on the engine */
};

/* Move every old requisition (action ACT_REQ_MOVE). */
ERR_MUST_CHECK enum err req_move(struct store *s, const struct svc_actor *who, int64_t now,
                                 struct req_move_report *out, struct svc_result *res);

/* What `bidrag migrate` and the server's start run: nothing when there is
 * no old requisition; otherwise req_move as the operator's account (made
 * first when the database has none, auth_operator_ensure). */
ERR_MUST_CHECK enum err req_move_installation(struct store *s, int64_t now,
                                              struct req_move_report *out, struct svc_result *res);

#endif
