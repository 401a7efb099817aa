/* ledger.h - a program's appropriation ledger (anslagsredovisning) as
 * pure functions: the appropriation items (anslagsposter) with what each
 * holds, and every allocation, decision, payment, repayment and own cost
 * booked against one item.
 *
 * A booking is accepted only if afterwards, for its item,
 *   0 <= repaid <= paid <= decided <= allocated,
 *   allocated + own_cost <= amount + repaid, own_cost >= 0,
 * and the program's own costs over all items stay within own_cost_cap.
 * So the ledger can never show more paid from an item than it holds:
 * paid - repaid + own_cost <= amount, always. A refused booking leaves the
 * ledger as it was. Amounts are öre; a negative amount is a correction
 * (a withdrawn decision, a reversed cost) under the same rules.
 *
 * Balances per item: amount, allocated, decided, paid, repaid, own cost
 * and available = amount + repaid - own_cost - decided, what the item can
 * still bear. Repayments are settled against the item on a cash basis
 * (ESV: reclaims settle against the appropriation when paid back). */
#ifndef BIDRAG_CORE_LEDGER_H
#define BIDRAG_CORE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "util/date.h"
#include "util/err.h"

#define LEDGER_ITEM_ID_SIZE 32
#define LEDGER_ITEMS_MAX 64
/* Largest amount in any balance: 10^13 kr in öre. */
#define LEDGER_AMOUNT_MAX INT64_C(1000000000000000)

enum ledger_kind {
    LEDGER_ALLOCATE = 0, /* the key's amounts for the blocks funded by the item */
    LEDGER_DECIDE,       /* an approved decision (requisition, supplementary decision) */
    LEDGER_PAY,          /* a payment the bank booked (camt.054 debit) */
    LEDGER_REPAY,        /* a repayment received */
    LEDGER_OWN_COST      /* the agency's own costs charged to the item */
};
#define LEDGER_KIND_COUNT 5

/* "allocate", "decide", "pay", "repay", "own_cost"; "" for a bad value. */
const char *ledger_kind_id(enum ledger_kind k);
/* -1 if unknown. */
int ledger_kind_parse(const char *s);

struct ledger_balance {
    int64_t amount; /* what the item holds */
    int64_t allocated, decided, paid, repaid, own_cost;
    int64_t available; /* amount + repaid - own_cost - decided */
};

struct ledger_item {
    char id[LEDGER_ITEM_ID_SIZE];
    struct ledger_balance b;
};

struct ledger {
    struct ledger_item *items;
    size_t n;
    int64_t own_cost_cap; /* öre, over all items */
    /* the one item own costs may be charged to ("" = any item) */
    char own_cost_item[LEDGER_ITEM_ID_SIZE];
};

void ledger_init(struct ledger *l, int64_t own_cost_cap);
void ledger_release(struct ledger *l);
/* Add an item holding amount öre. ERR_CONFLICT if the id is there,
 * ERR_INVALID for an empty id or an amount out of range, ERR_LIMIT past
 * LEDGER_ITEMS_MAX items. */
enum err ledger_add_item(struct ledger *l, const char *id, int64_t amount);
/* A ledger with the program's appropriation items, own-cost cap (kronor
 * made öre) and own-cost item. l must be initialised; it is reset first. */
enum err ledger_from_program(struct ledger *l, const struct program *p);

/* Book amount öre of kind against the item. ERR_NOTFOUND for an unknown
 * item, ERR_INVALID for a zero amount or a booking that breaks a rule,
 * with a Swedish sentence in msg (n bytes). */
enum err ledger_book(struct ledger *l, enum ledger_kind kind, const char *item, int64_t amount,
                     char *msg, size_t n);

/* The balance of one item, or of the whole program when item is NULL. */
enum err ledger_balance(const struct ledger *l, const char *item, struct ledger_balance *out);
/* The program's own costs over all items. */
int64_t ledger_own_cost_total(const struct ledger *l);

/* One booking as the ledger's pages, exports and SIE file show it. */
#define LEDGER_TEXT_SIZE 404 /* 200 characters of UTF-8 */
struct ledger_booking {
    int no;           /* 1.. in date order: the SIE verification number */
    struct date date; /* booked on */
    enum ledger_kind kind;
    char item[LEDGER_ITEM_ID_SIZE];
    int64_t amount;    /* öre; negative: a correction */
    char ref[64];      /* "block 3", a decision, an end-to-end id, "cost 4" */
    char recipient[5]; /* the recipient's code, "" for allocations and own costs */
    char text[LEDGER_TEXT_SIZE];
};

/* --- a block funded by several items ----------------------------------
 *
 * A block funded by items k = 1..K with amounts I_k summing to the block's
 * amount B: its recipients, in code order, with amounts a_r and cumulative
 * amounts C_r = a_1 + .. + a_r. Item k's share of recipient r is
 *   s_kr = floor(C_r * I_k / B) - floor(C_{r-1} * I_k / B)   for k < K,
 * and the last item takes the rest of the recipient's amount,
 *   s_Kr = a_r - (s_1r + .. + s_{K-1}r).
 * So every row sums to a_r exactly, every item but the last totals
 * floor(C_n * I_k / B) (I_k exactly when the block is fully allocated,
 * C_n = B) and the last item the rest (I_K then too). A share of an item
 * but the last is within 1 kr of a_r * I_k / B; the last's within K-1 kr
 * (1 kr for two items). Integers only (128-bit products). */

/* shares[r * nitems + k] = s_kr for the nrec amounts (kronor, >= 0, in
 * code order) and the nitems item amounts (kronor, > 0). ERR_INVALID if an
 * amount is negative, no item is given, the items do not sum to block or
 * the recipients sum to more than block; ERR_LIMIT if a last item's share
 * would be negative (possible only with three or more items). */
enum err ledger_split_block(int64_t block, const int64_t *amounts, size_t nrec,
                            const int64_t *items, size_t nitems, int64_t *shares);

/* A decision (or payment) of d öre to a recipient whose allocation a
 * (kronor) the items share as s[0..nitems-1] (ledger_split_block's row, so
 * they sum to a): out[k] = floor(d * s_k / a) for k < last, the last the
 * rest; the row sums to d exactly. When a is 0 (a decision outside the
 * allocation, e.g. a redistribution's supplement) the shares are the
 * items' amounts given in s instead. ERR_INVALID for d < 0 or shares that
 * do not fit (negative, or all zero). */
enum err ledger_split_amount(int64_t d, int64_t a, const int64_t *s, size_t nitems, int64_t *out);

#endif
