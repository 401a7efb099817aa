/* ledger.c - appropriation items and the rules of booking against them. */
#include "core/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/money.h"
#include "util/str.h"

static const char *const kind_ids[LEDGER_KIND_COUNT] = {"allocate", "decide", "pay", "repay",
                                                        "own_cost"};

const char *ledger_kind_id(enum ledger_kind k)
{
    return (unsigned)k < LEDGER_KIND_COUNT ? kind_ids[k] : "";
}

int ledger_kind_parse(const char *s)
{
    for (int i = 0; s && i < LEDGER_KIND_COUNT; i++)
        if (strcmp(s, kind_ids[i]) == 0)
            return i;
    return -1;
}

void ledger_init(struct ledger *l, int64_t own_cost_cap)
{
    memset(l, 0, sizeof(*l));
    l->own_cost_cap = own_cost_cap < 0 ? 0 : own_cost_cap;
}

void ledger_release(struct ledger *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static struct ledger_item *find(const struct ledger *l, const char *id)
{
    for (size_t i = 0; id && i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

enum err ledger_add_item(struct ledger *l, const char *id, int64_t amount)
{
    if (!id || !*id || strlen(id) >= LEDGER_ITEM_ID_SIZE || amount < 0 ||
        amount > LEDGER_AMOUNT_MAX)
        return ERR_INVALID;
    if (find(l, id))
        return ERR_CONFLICT;
    if (l->n >= LEDGER_ITEMS_MAX)
        return ERR_LIMIT;
    struct ledger_item *ni = realloc(l->items, (l->n + 1) * sizeof(*ni));
    if (!ni)
        return ERR_NOMEM;
    l->items = ni;
    memset(&ni[l->n], 0, sizeof(ni[l->n]));
    str_copy(ni[l->n].id, sizeof(ni[l->n].id), id);
    ni[l->n].b.amount = amount;
    ni[l->n].b.available = amount;
    l->n++;
    return ERR_OK;
}

enum err ledger_from_program(struct ledger *l, const struct program *p)
{
    ledger_release(l);
    if (p->own_cost_cap_kr < 0 || p->own_cost_cap_kr > LEDGER_AMOUNT_MAX / MONEY_ORE_PER_KR)
        return ERR_INVALID;
    ledger_init(l, p->own_cost_cap_kr * MONEY_ORE_PER_KR);
    str_copy(l->own_cost_item, sizeof(l->own_cost_item), p->own_cost_appropriation);
    for (size_t i = 0; i < p->napprop; i++) {
        int64_t kr = p->approp[i].amount_kr;
        if (kr < 0 || kr > LEDGER_AMOUNT_MAX / MONEY_ORE_PER_KR) {
            ledger_release(l);
            return ERR_INVALID;
        }
        enum err e = ledger_add_item(l, p->approp[i].id, kr * MONEY_ORE_PER_KR);
        if (e) {
            ledger_release(l);
            return e;
        }
    }
    return ERR_OK;
}

int64_t ledger_own_cost_total(const struct ledger *l)
{
    int64_t s = 0;
    for (size_t i = 0; i < l->n; i++)
        s += l->items[i].b.own_cost;
    return s;
}

/* x + d within [-LEDGER_AMOUNT_MAX, LEDGER_AMOUNT_MAX]; 0 on overflow. */
static int add_ok(int64_t x, int64_t d, int64_t *out)
{
    if ((d > 0 && x > LEDGER_AMOUNT_MAX - d) || (d < 0 && x < -LEDGER_AMOUNT_MAX - d))
        return 0;
    *out = x + d;
    return 1;
}

/* "Anslagsposten ID: <what> <a>" and, when b_too, "<rel> <b>". */
static enum err refuse(char *msg, size_t n, const char *item, const char *what, int64_t a,
                       const char *rel, int64_t b)
{
    char sa[48], sb[48] = "";
    money_fmt_ore(sa, sizeof(sa), a);
    if (rel)
        money_fmt_ore(sb, sizeof(sb), b);
    snprintf(msg, n, "Anslagsposten %s: %s %s%s%s%s", item, what, sa, rel ? " " : "",
             rel ? rel : "", rel ? " " : "");
    if (rel) {
        size_t used = strlen(msg);
        if (used < n)
            snprintf(msg + used, n - used, "%s", sb);
    }
    return ERR_INVALID;
}

enum err ledger_book(struct ledger *l, enum ledger_kind kind, const char *item, int64_t amount,
                     char *msg, size_t n)
{
    struct ledger_item *it = find(l, item);
    if (!it) {
        snprintf(msg, n, "Anslagsposten %s finns inte i programmet", item ? item : "");
        return ERR_NOTFOUND;
    }
    if (amount == 0 || amount > LEDGER_AMOUNT_MAX || amount < -LEDGER_AMOUNT_MAX) {
        snprintf(msg, n, "Beloppet som bokas mot anslagsposten %s får inte vara noll", it->id);
        return ERR_INVALID;
    }
    if (kind == LEDGER_OWN_COST && l->own_cost_item[0] && strcmp(l->own_cost_item, it->id) != 0) {
        snprintf(msg, n, "Egna kostnader bokas mot anslagsposten %s, inte %s", l->own_cost_item,
                 it->id);
        return ERR_INVALID;
    }
    struct ledger_balance b = it->b;
    int64_t *field = kind == LEDGER_ALLOCATE   ? &b.allocated
                     : kind == LEDGER_DECIDE   ? &b.decided
                     : kind == LEDGER_PAY      ? &b.paid
                     : kind == LEDGER_REPAY    ? &b.repaid
                     : kind == LEDGER_OWN_COST ? &b.own_cost
                                               : NULL;
    if (!field) {
        snprintf(msg, n, "Okänd bokning mot anslagsposten %s", it->id);
        return ERR_INVALID;
    }
    if (!add_ok(*field, amount, field))
        return refuse(msg, n, it->id, "beloppet blir för stort med", amount, NULL, 0);
    int64_t own_after = ledger_own_cost_total(l) - it->b.own_cost + b.own_cost;
    if (b.allocated < 0 || b.decided < 0 || b.paid < 0 || b.repaid < 0 || b.own_cost < 0)
        return refuse(msg, n, it->id, "ett belopp blir negativt med rättelsen", amount, NULL, 0);
    if (b.repaid > b.paid)
        return refuse(msg, n, it->id, "återbetalt", b.repaid, "kan inte överstiga utbetalt",
                      b.paid);
    if (b.paid > b.decided)
        return refuse(msg, n, it->id, "utbetalt", b.paid, "kan inte överstiga beslutat", b.decided);
    if (b.decided > b.allocated)
        return refuse(msg, n, it->id, "beslutat", b.decided, "kan inte överstiga fördelat",
                      b.allocated);
    int64_t room = 0;
    if (!add_ok(b.amount, b.repaid, &room) || b.allocated > room - b.own_cost)
        return refuse(msg, n, it->id, "fördelat och egna kostnader", b.allocated + b.own_cost,
                      "kan inte överstiga postens belopp med återbetalningar", room);
    if (own_after > l->own_cost_cap)
        return refuse(msg, n, it->id, "egna kostnader blir", own_after,
                      "över programmets tak för egna kostnader", l->own_cost_cap);
    b.available = b.amount + b.repaid - b.own_cost - b.decided;
    it->b = b;
    return ERR_OK;
}

enum err ledger_balance(const struct ledger *l, const char *item, struct ledger_balance *out)
{
    memset(out, 0, sizeof(*out));
    if (item) {
        const struct ledger_item *it = find(l, item);
        if (!it)
            return ERR_NOTFOUND;
        *out = it->b;
        return ERR_OK;
    }
    for (size_t i = 0; i < l->n; i++) {
        const struct ledger_balance *b = &l->items[i].b;
        out->amount += b->amount;
        out->allocated += b->allocated;
        out->decided += b->decided;
        out->paid += b->paid;
        out->repaid += b->repaid;
        out->own_cost += b->own_cost;
        out->available += b->available;
    }
    return ERR_OK;
}

/* floor(x * y / z) for 0 <= x, y and z > 0, in 128 bits; the callers keep
 * the result within int64 (it is at most max(x, y)). */
static int64_t muldiv(int64_t x, int64_t y, int64_t z)
{
    return (int64_t)((__int128)x * y / z);
}

enum err ledger_split_block(int64_t block, const int64_t *amounts, size_t nrec,
                            const int64_t *items, size_t nitems, int64_t *shares)
{
    if (!nitems || block < 0)
        return ERR_INVALID;
    int64_t isum = 0, csum = 0;
    for (size_t k = 0; k < nitems; k++) {
        if (items[k] <= 0 || items[k] > LEDGER_AMOUNT_MAX)
            return ERR_INVALID;
        isum += items[k];
    }
    for (size_t r = 0; r < nrec; r++) {
        if (amounts[r] < 0 || amounts[r] > LEDGER_AMOUNT_MAX)
            return ERR_INVALID;
        csum += amounts[r];
        if (csum > block)
            return ERR_INVALID;
    }
    if (isum != block)
        return ERR_INVALID;
    int64_t c = 0;
    for (size_t r = 0; r < nrec; r++) {
        int64_t next = c + amounts[r], rest = amounts[r];
        for (size_t k = 0; k + 1 < nitems; k++) {
            int64_t sh = muldiv(next, items[k], block) - muldiv(c, items[k], block);
            shares[r * nitems + k] = sh;
            rest -= sh;
        }
        if (rest < 0)
            return ERR_LIMIT;
        shares[r * nitems + nitems - 1] = rest;
        c = next;
    }
    return ERR_OK;
}

enum err ledger_split_amount(int64_t d, int64_t a, const int64_t *s, size_t nitems, int64_t *out)
{
    if (!nitems || d < 0 || d > LEDGER_AMOUNT_MAX || a < 0)
        return ERR_INVALID;
    int64_t sum = 0;
    for (size_t k = 0; k < nitems; k++) {
        if (s[k] < 0 || s[k] > LEDGER_AMOUNT_MAX)
            return ERR_INVALID;
        sum += s[k];
    }
    if (sum <= 0 || (a > 0 && sum != a))
        return ERR_INVALID;
    int64_t rest = d;
    for (size_t k = 0; k + 1 < nitems; k++) {
        out[k] = (int64_t)((__int128)d * s[k] / sum);
        rest -= out[k];
    }
    out[nitems - 1] = rest;
    return ERR_OK;
}
