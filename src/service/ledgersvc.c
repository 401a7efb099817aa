/* ledgersvc.c - the appropriation ledger's service calls (ledgersvc.h). */
#include "service/ledgersvc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/key.h"
#include "service/programs.h"
#include "service/requisition.h"
#include "store/store_ledger.h"
#include "store/store_pay.h"
#include "util/civil.h"
#include "util/money.h"
#include "util/str.h"

#define LEDGER_BOOKINGS_MAX 4000000
#define LEDGER_PROBLEMS_MAX 200

void ledgersvc_view_release(struct ledgersvc_view *v)
{
    ledger_release(&v->l);
    free(v->names);
    free(v->names_en);
    free(v->b);
    free(v->problems);
    memset(v, 0, sizeof(*v));
}

struct build {
    struct ledgersvc_view *v;
    size_t cap;
};

static void problem(struct ledgersvc_view *v, const char *text)
{
    if (v->nproblems >= LEDGER_PROBLEMS_MAX)
        return;
    char(*np)[300] = realloc(v->problems, (v->nproblems + 1) * sizeof(*np));
    if (!np)
        return;
    v->problems = np;
    str_copy(np[v->nproblems], sizeof(np[0]), text);
    v->nproblems++;
}

/* Book through core/ledger.c's rules and keep the booking; a refusal is
 * kept as a problem, not an error. */
static enum err book(struct build *bd, struct date date, enum ledger_kind kind, const char *item,
                     int64_t amount, const char *ref, const char *recipient, const char *text)
{
    struct ledgersvc_view *v = bd->v;
    if (amount == 0)
        return ERR_OK;
    char msg[300] = "";
    enum err e = ledger_book(&v->l, kind, item, amount, msg, sizeof(msg));
    if (e != ERR_OK) {
        char line[300];
        snprintf(line, sizeof(line), "%s: %s", ref, msg);
        problem(v, line);
        return ERR_OK;
    }
    if (v->n == bd->cap) {
        if (bd->cap >= LEDGER_BOOKINGS_MAX)
            return ERR_LIMIT;
        size_t nc = bd->cap ? bd->cap * 2 : 64;
        struct ledger_booking *nb = realloc(v->b, nc * sizeof(*nb));
        if (!nb)
            return ERR_NOMEM;
        v->b = nb;
        bd->cap = nc;
    }
    struct ledger_booking *b = &v->b[v->n++];
    memset(b, 0, sizeof(*b));
    b->date = date;
    b->kind = kind;
    str_copy(b->item, sizeof(b->item), item);
    b->amount = amount;
    str_copy(b->ref, sizeof(b->ref), ref);
    str_copy(b->recipient, sizeof(b->recipient), recipient ? recipient : "");
    str_copy(b->text, sizeof(b->text), text);
    return ERR_OK;
}

/* The items funding block b and their amounts in kronor (a single item
 * with no amount funds the whole block). */
static size_t block_items(const struct block *b, const char **ids, int64_t *amounts)
{
    for (size_t k = 0; k < b->nfund; k++) {
        ids[k] = b->fund[k].id;
        amounts[k] =
            b->nfund == 1 && b->fund[k].amount_kr == 0 ? b->amount_kr : b->fund[k].amount_kr;
    }
    return b->nfund;
}

/* Each block's split of its recipients between its items: shares[i] is
 * block i's nrec x nitems matrix (kronor), NULL where it cannot be made
 * (a problem says why). */
struct splits {
    int64_t **shares;
    size_t n;
};

static void splits_release(struct splits *sp)
{
    for (size_t i = 0; i < sp->n; i++)
        free(sp->shares[i]);
    free(sp->shares);
}

static enum err split_blocks(struct ledgersvc_view *v, const struct allocation *a,
                             struct splits *sp)
{
    sp->n = a->nblocks;
    sp->shares = calloc(a->nblocks ? a->nblocks : 1, sizeof(*sp->shares));
    if (!sp->shares)
        return ERR_NOMEM;
    for (size_t i = 0; i < a->nblocks; i++) {
        const struct block_result *br = &a->blocks[i];
        const char *ids[BLOCK_MAX_FUNDING];
        int64_t items[BLOCK_MAX_FUNDING];
        size_t k = block_items(br->b, ids, items);
        if (!k) {
            char line[300];
            snprintf(line, sizeof(line), "block %s: blocket anger ingen anslagspost", br->b->id);
            problem(v, line);
            continue;
        }
        int64_t *amounts = calloc(br->n ? br->n : 1, sizeof(*amounts));
        int64_t *sh = calloc(br->n ? br->n * k : 1, sizeof(*sh));
        if (!amounts || !sh) {
            free(amounts);
            free(sh);
            return ERR_NOMEM;
        }
        for (size_t r = 0; r < br->n; r++)
            amounts[r] = br->lines[r].amount_kr;
        enum err e = ledger_split_block(br->b->amount_kr, amounts, br->n, items, k, sh);
        free(amounts);
        if (e != ERR_OK) {
            char line[300];
            snprintf(line, sizeof(line),
                     "block %s: fördelningen kan inte delas mellan anslagsposterna (posternas "
                     "belopp ska summera till blockets)",
                     br->b->id);
            problem(v, line);
            free(sh);
            continue;
        }
        sp->shares[i] = sh;
    }
    return ERR_OK;
}

static int cmp_booking(const void *x, const void *y)
{
    const struct ledger_booking *a = x, *b = y;
    int c = date_cmp(a->date, b->date);
    if (c)
        return c;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    c = strcmp(a->ref, b->ref);
    if (c)
        return c;
    return strcmp(a->item, b->item);
}

/* Split amount (öre) of a decision or payment to recipient between the
 * items that fund the recipient's allocation - in block (a redistribution's
 * supplement names one) or, when block is "", in every block (a
 * requisition's decision is for the recipient's whole amount) - as the
 * allocation is split (ledger_split_amount), and book each part. */
static enum err book_split(struct build *bd, const struct allocation *a, const struct splits *sp,
                           enum ledger_kind kind, const char *block, const char *recipient,
                           int64_t amount, struct date date, const char *ref, const char *text)
{
    const struct ledger *l = &bd->v->l;
    int64_t row[LEDGER_ITEMS_MAX], fallback[LEDGER_ITEMS_MAX];
    memset(row, 0, sizeof(row));
    memset(fallback, 0, sizeof(fallback));
    int blocks = 0;
    for (size_t i = 0; i < a->nblocks; i++) {
        const struct block_result *br = &a->blocks[i];
        if (block[0] && strcmp(br->b->id, block) != 0)
            continue;
        blocks++;
        if (!sp->shares[i])
            continue;
        const char *ids[BLOCK_MAX_FUNDING];
        int64_t items[BLOCK_MAX_FUNDING];
        size_t k = block_items(br->b, ids, items);
        for (size_t j = 0; j < k; j++) {
            size_t x = 0;
            while (x < l->n && strcmp(l->items[x].id, ids[j]) != 0)
                x++;
            if (x == l->n)
                continue;
            fallback[x] += items[j];
            for (size_t r = 0; r < br->n; r++)
                if (strcmp(br->lines[r].r.code, recipient) == 0)
                    row[x] += sp->shares[i][r * k + j];
        }
    }
    /* the items that fund it, in the program's order */
    int64_t s_[LEDGER_ITEMS_MAX], parts[LEDGER_ITEMS_MAX], ar = 0;
    size_t idx[LEDGER_ITEMS_MAX], k = 0;
    for (size_t x = 0; x < l->n; x++)
        ar += row[x];
    const int64_t *use = ar > 0 ? row : block[0] ? fallback : NULL;
    for (size_t x = 0; use && x < l->n; x++)
        if (use[x] > 0) {
            idx[k] = x;
            s_[k++] = use[x];
        }
    if (!blocks || !k || ledger_split_amount(amount, ar, s_, k, parts) != ERR_OK) {
        char line[300];
        snprintf(line, sizeof(line), "%s: %s har ingen fördelning att boka beloppet mot", ref,
                 recipient);
        problem(bd->v, line);
        return ERR_OK;
    }
    enum err e = ERR_OK;
    for (size_t j = 0; e == ERR_OK && j < k; j++)
        e = book(bd, date, kind, l->items[idx[j]].id, parts[j], ref, recipient, text);
    return e;
}

/* The view of program without its own costs (those are read by the
 * caller: inside the own-cost transaction, or after). */
static enum err build_view(struct store *s, const struct svc_actor *who, int64_t now,
                           const char *program, struct ledgersvc_view *v, struct build *bd,
                           struct svc_result *res)
{
    memset(v, 0, sizeof(*v));
    ledger_init(&v->l, 0);
    bd->v = v;
    bd->cap = 0;
    struct program_view pv;
    memset(&pv, 0, sizeof(pv));
    enum err e = programs_get(s, program, &pv, NULL);
    if (e == ERR_NOTFOUND) {
        msg_setf(&res->msg, M_("Det finns inget program {1}."), msg_str(program));
        res->e = e;
    } else if (e == ERR_OK && !pv.allocated) {
        e = ERR_INVALID;
        msg_setf(&res->msg, M_("Programmets fördelning kan inte beräknas."));
        res->e = e;
    }
    const struct program *p = &pv.prog;
    if (e == ERR_OK) {
        str_copy(v->program, sizeof(v->program), p->id);
        str_copy(v->title, sizeof(v->title), p->title);
        str_copy(v->title_en, sizeof(v->title_en), p->title_en);
        str_copy(v->diarienummer, sizeof(v->diarienummer), p->diarienummer);
        str_copy(v->decision, sizeof(v->decision), p->decision);
        v->decision_date = p->decision_date;
        v->kammarkollegiet_requisition = p->kammarkollegiet_requisition;
        v->final_report = p->final_report;
        v->repayment_deadline = p->repayment_deadline;
        str_copy(v->own_cost_item, sizeof(v->own_cost_item), p->own_cost_appropriation);
        e = ledger_from_program(&v->l, p);
        if (e == ERR_OK) {
            v->names = calloc(v->l.n ? v->l.n : 1, sizeof(*v->names));
            v->names_en = calloc(v->l.n ? v->l.n : 1, sizeof(*v->names_en));
            if (!v->names || !v->names_en)
                e = ERR_NOMEM;
        }
        for (size_t i = 0; e == ERR_OK && i < p->napprop; i++) {
            str_copy(v->names[i], sizeof(v->names[0]), p->approp[i].name);
            str_copy(v->names_en[i], sizeof(v->names_en[0]), p->approp[i].name_en);
        }
    }
    struct splits sp = {NULL, 0};
    if (e == ERR_OK && !p->napprop) {
        /* a program file without items has no ledger to keep */
        program_view_release(&pv);
        return ERR_OK;
    }
    if (e == ERR_OK)
        e = split_blocks(v, &pv.alloc, &sp);
    /* allocations: one booking per block and item */
    for (size_t i = 0; e == ERR_OK && i < pv.alloc.nblocks; i++) {
        const struct block_result *br = &pv.alloc.blocks[i];
        if (!sp.shares[i])
            continue;
        const char *ids[BLOCK_MAX_FUNDING];
        int64_t items[BLOCK_MAX_FUNDING];
        size_t k = block_items(br->b, ids, items);
        char ref[64], text[LEDGER_TEXT_SIZE];
        snprintf(ref, sizeof(ref), "block %s", br->b->id);
        snprintf(text, sizeof(text), "Fördelning, block %s: %s", br->b->id, br->b->title);
        for (size_t j = 0; e == ERR_OK && j < k; j++) {
            int64_t sum = 0;
            for (size_t r = 0; r < br->n; r++)
                sum += sp.shares[i][r * k + j];
            e = book(bd, p->decision_date, LEDGER_ALLOCATE, ids[j], sum * MONEY_ORE_PER_KR, ref, "",
                     text);
        }
    }
    /* approved decisions */
    struct req_decision_row *d = NULL;
    size_t nd = 0;
    if (e == ERR_OK)
        e = req_decisions_of_program(s, who, now, program, &d, &nd, res);
    for (size_t i = 0; e == ERR_OK && i < nd; i++) {
        if (strcmp(d[i].kind, "rejection") == 0 || d[i].amount_ore <= 0)
            continue;
        struct date on;
        if (date_parse(d[i].decided_on, &on) != ERR_OK)
            on = civil_date(now);
        char text[LEDGER_TEXT_SIZE];
        snprintf(text, sizeof(text), "Beslut %s, %s (%s)", d[i].number, d[i].recipient,
                 d[i].case_no);
        e = book_split(bd, &pv.alloc, &sp, LEDGER_DECIDE, d[i].block, d[i].recipient,
                       d[i].amount_ore, on, d[i].number, text);
    }
    /* payments the bank booked */
    struct store_payment *ps = NULL;
    size_t np = 0;
    if (e == ERR_OK) {
        struct store_pay_filter f = {program, -1, PAYMENT_BOOKED, NULL, NULL, NULL};
        e = store_pay_list(s, &f, &ps, &np);
    }
    for (size_t i = 0; e == ERR_OK && i < np; i++) {
        const struct req_decision_row *of = NULL;
        for (size_t j = 0; j < nd; j++)
            if (strcmp(d[j].number, ps[i].p.decision) == 0)
                of = &d[j];
        char e2e[PAYMENT_ID_SIZE] = "";
        if (payment_e2e_of(&ps[i].p, e2e) != ERR_OK)
            str_copy(e2e, sizeof(e2e), ps[i].p.decision);
        if (!of) {
            char line[300];
            snprintf(line, sizeof(line), "%s: utbetalningens beslut %s finns inte", e2e,
                     ps[i].p.decision);
            problem(v, line);
            continue;
        }
        struct date on;
        char day[11];
        str_copy(day, sizeof(day), ps[i].updated_at);
        if (date_parse(day, &on) != ERR_OK)
            on = civil_date(now);
        char text[LEDGER_TEXT_SIZE];
        snprintf(text, sizeof(text), "Utbetalning %s till %s, bokförd av banken", e2e,
                 ps[i].recipient);
        e = book_split(bd, &pv.alloc, &sp, LEDGER_PAY, of->block, of->recipient, ps[i].p.amount, on,
                       e2e, text);
    }
    free(ps);
    free(d);
    splits_release(&sp);
    program_view_release(&pv);
    return e;
}

/* Book the stored own costs onto the view. */
static enum err book_costs(struct store *s, struct build *bd, const char *program)
{
    struct store_ledger_cost *c = NULL;
    size_t n = 0;
    enum err e = store_ledger_costs(s, program, &c, &n);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        struct date on;
        if (date_parse(c[i].booked_on, &on) != ERR_OK)
            memset(&on, 0, sizeof(on));
        char ref[64];
        snprintf(ref, sizeof(ref), "cost %lld", c[i].id);
        e = book(bd, on, LEDGER_OWN_COST, c[i].item, c[i].amount_ore, ref, "", c[i].text);
    }
    free(c);
    return e;
}

static void number(struct ledgersvc_view *v)
{
    if (v->n)
        qsort(v->b, v->n, sizeof(v->b[0]), cmp_booking);
    for (size_t i = 0; i < v->n; i++)
        v->b[i].no = (int)(i + 1);
}

enum err ledgersvc_open(struct store *s, const struct svc_actor *who, int64_t now,
                        const char *program, struct ledgersvc_view *v, struct svc_result *res)
{
    memset(v, 0, sizeof(*v));
    struct msg why;
    svc_result_init(res);
    enum err e = svc_check(s, who, ACT_LEDGER_READ, "", &why);
    if (e != ERR_OK) {
        res->msg = why;
        res->e = e;
        return e;
    }
    struct build bd;
    e = build_view(s, who, now, program ? program : "", v, &bd, res);
    if (e == ERR_OK)
        e = book_costs(s, &bd, v->program);
    if (e == ERR_OK)
        number(v);
    if (e != ERR_OK && res->e == ERR_OK)
        res->e = e;
    return e;
}

enum err ledgersvc_own_cost(struct store *s, const struct svc_actor *who, int64_t now,
                            const char *program, const char *item, int64_t amount, const char *text,
                            struct svc_result *res)
{
    struct msg why;
    svc_result_init(res);
    enum err e = svc_check(s, who, ACT_LEDGER_OWN_COST, "", &why);
    if (e != ERR_OK) {
        res->msg = why;
        res->e = e;
        return e;
    }
    struct ledgersvc_view v;
    struct build bd;
    e = build_view(s, who, now, program ? program : "", &v, &bd, res);
    if (e != ERR_OK) {
        ledgersvc_view_release(&v);
        if (res->e == ERR_OK)
            res->e = e;
        return e;
    }
    struct svc_call c;
    e = svc_begin(&c, s, who, ACT_LEDGER_OWN_COST, now, res);
    long chars = text ? str_utf8_len(text, strlen(text)) : -1;
    if (e == ERR_OK && (chars < 1 || chars > 200))
        e = svc_fail(&c, ERR_INVALID, M_("Skriv vad kostnaden avser (1-200 tecken)."));
    if (e == ERR_OK && (amount == 0 || amount > LEDGER_AMOUNT_MAX || amount < -LEDGER_AMOUNT_MAX))
        e = svc_fail(&c, ERR_INVALID, M_("Ange ett belopp som inte är noll."));
    if (e == ERR_OK)
        e = svc_write(&c);
    /* the own costs read inside the transaction: the cap holds against
     * a registration made at the same time */
    if (e == ERR_OK)
        e = book_costs(s, &bd, v.program);
    if (e == ERR_OK) {
        char msg[300] = "";
        enum err b = ledger_book(&v.l, LEDGER_OWN_COST, item ? item : "", amount, msg, sizeof(msg));
        if (b != ERR_OK)
            e = svc_failf(&c, ERR_INVALID, M_("{1}"), msg_str(msg));
    }
    struct store_ledger_cost row;
    memset(&row, 0, sizeof(row));
    if (e == ERR_OK) {
        str_copy(row.program, sizeof(row.program), v.program);
        str_copy(row.item, sizeof(row.item), item);
        row.amount_ore = amount;
        date_fmt(row.booked_on, sizeof(row.booked_on), c.today);
        str_copy(row.text, sizeof(row.text), text);
        str_copy(row.created_at, sizeof(row.created_at), c.nowiso);
        str_copy(row.created_by, sizeof(row.created_by), c.who.login);
        e = store_ledger_cost_add(s, &row);
    }
    if (e == ERR_OK) {
        char object[96], after[600], amt[48];
        snprintf(object, sizeof(object), "ledger:%s", v.program);
        money_fmt_ore(amt, sizeof(amt), amount);
        snprintf(after, sizeof(after), "own_cost %lld %s %s %s", row.id, row.item, amt, row.text);
        e = svc_audit(&c, object, NULL, after);
    }
    ledgersvc_view_release(&v);
    return svc_end(&c, e);
}
