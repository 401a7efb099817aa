/* ledgersvc.h - a program's appropriation ledger (anslagsredovisning) as
 * service calls: the bookings read from where they are kept and booked
 * through core/ledger.c's rules, and the agency's own costs registered.
 *
 * The bookings of a program, in this order (so that each kind finds what
 * it rests on; the list is then sorted by date):
 *   - allocate: per block and item, the block's allocation split between
 *     its items by core/ledger.h's split rule (ledger_split_block);
 *   - decide: each approved decision (req_decisions_of_program), split
 *     between the block's items as the recipient's allocation is
 *     (ledger_split_amount);
 *   - pay: each payment the bank booked (camt.054), split as its decision;
 *   - own_cost: the agency's own costs (store_ledger.h).
 * Repayments come with the follow-up issue's repayment matching: none is
 * booked yet. A booking core/ledger.c refuses (more decided than
 * allocated, more paid than decided) is not booked; its sentence is kept
 * in the view's problems, so the ledger never shows more paid from an
 * item than it holds. */
#ifndef BIDRAG_SERVICE_LEDGERSVC_H
#define BIDRAG_SERVICE_LEDGERSVC_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"
#include "service/svc.h"
#include "util/date.h"

struct ledgersvc_view {
    char program[64];
    char title[200];
    char title_en[200];
    char diarienummer[64];
    char decision[200];
    struct date decision_date;
    struct date kammarkollegiet_requisition; /* unset if the file names none */
    struct date final_report, repayment_deadline;
    char own_cost_item[LEDGER_ITEM_ID_SIZE];
    struct ledger l;
    char (*names)[200];    /* l.n item names, as the program file gives them */
    char (*names_en)[200]; /* their English, "" where the file gives none */
    struct ledger_booking *b;
    size_t n;
    char (*problems)[300]; /* bookings refused by the rules, in Swedish */
    size_t nproblems;
};

void ledgersvc_view_release(struct ledgersvc_view *v);

/* ACT_LEDGER_READ: the ledger of program (no items and no bookings when
 * the program file names no appropriation items). ERR_NOTFOUND for an unknown
 * program, ERR_INVALID when its allocation cannot be computed. Caller
 * releases v (also on error). */
ERR_MUST_CHECK enum err ledgersvc_open(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *program, struct ledgersvc_view *v,
                                       struct svc_result *res);

/* ACT_LEDGER_OWN_COST: book amount öre (negative: a correction) of the
 * agency's own costs against item of program on the civil date today,
 * with a text (1-200 characters). Refused (ERR_INVALID, the reason in
 * res->msg) when the item is not the program's own-cost item, or the
 * program's own costs would pass own_cost_cap, or the item could no
 * longer bear what is decided from it. One audit record, object
 * "ledger:PROGRAM". */
ERR_MUST_CHECK enum err ledgersvc_own_cost(struct store *s, const struct svc_actor *who,
                                           int64_t now, const char *program, const char *item,
                                           int64_t amount, const char *text,
                                           struct svc_result *res);

#endif
