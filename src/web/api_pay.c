/* api_pay.c - paying out as JSON under /api/v1/ (service/payments.h): the
 * payments and batches, creating a program's payments, gathering a batch,
 * attesting or sending it back, and the bank file. The same service calls
 * as the pages and the command line; errors are {"error": {"code",
 * "message"}}. Amounts are öre (a payment is exact to the öre). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "service/payments.h"
#include "util/arena.h"
#include "util/datadir.h"
#include "util/str.h"
#include "web/web.h"

static json_t *payment_json(const struct store_payment *p)
{
    char due[11], e2e[PAYMENT_ID_SIZE] = "";
    date_fmt(due, sizeof(due), p->p.due);
    if (payment_e2e_of(&p->p, e2e) != ERR_OK)
        e2e[0] = '\0';
    return json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "decision", p->p.decision, "instalment", p->p.seq, "issue", p->p.issue,
                     "end_to_end_id", e2e, "case_no", p->p.case_no, "program", p->program,
                     "recipient", p->recipient, "amount_ore", (json_int_t)p->p.amount, "due", due,
                     "payee_kind", payment_acct_id(p->p.payee.kind), "state",
                     payment_state_id(p->p.state), "file", p->p.file_id, "bank_code",
                     p->p.bank_code, "bank_reason", p->p.bank_reason);
}

static json_t *batch_json(const struct store_pay_batch *b)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "number", b->number, "state",
                     payment_batch_state_id(b->b.state), "prepared_by", b->b.prepared_by,
                     "attested_by", b->b.attested_by, "attested_at", b->attested_at,
                     "return_reason", b->b.return_reason, "file", b->b.file_id);
}

/* The body's JSON object, or NULL after answering 400. An empty body is
 * an empty object. */
static json_t *body_object(struct web_req *r)
{
    if (!r->raw_len)
        return json_object();
    json_error_t je;
    json_t *root = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        web_api_error(r, 400, "bad_request", "the body must be a JSON object");
        return NULL;
    }
    return root;
}

static const char *str_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* GET /api/v1/payments?program=ID&batch=NUMBER */
void api_payments(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    const char *program = web_query(r, "program"), *batch = web_query(r, "batch");
    struct store_payment *ps = NULL;
    size_t n = 0;
    enum err e = pay_list(r->store, &a, r->now, program && program[0] ? program : NULL,
                          batch && batch[0] ? batch : NULL, &ps, &n, &res);
    if (e != ERR_OK) {
        web_api_fail(r, e, &res);
        return;
    }
    json_t *arr = json_array();
    int64_t total = 0;
    for (size_t i = 0; arr && i < n; i++) {
        total += ps[i].p.amount;
        if (json_array_append_new(arr, payment_json(&ps[i])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    free(ps);
    if (!arr) {
        web_api_error(r, 500, "internal", "the answer could not be written");
        return;
    }
    web_json(r, 200, json_pack("{s:o, s:I}", "payments", arr, "total_ore", (json_int_t)total));
}

/* GET /api/v1/payment-batches */
void api_pay_batches(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    struct store_pay_batch *bs = NULL;
    size_t n = 0;
    enum err e = pay_batches(r->store, &a, r->now, &bs, &n, &res);
    if (e != ERR_OK) {
        web_api_fail(r, e, &res);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, batch_json(&bs[i])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    free(bs);
    if (!arr) {
        web_api_error(r, 500, "internal", "the answer could not be written");
        return;
    }
    web_json(r, 200, json_pack("{s:o}", "batches", arr));
}

/* POST /api/v1/programs/ID/payments: create the program's payments */
void api_pay_create(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    size_t n = 0;
    int64_t total = 0;
    enum err e = pay_create(r->store, &a, r->now, r->segs[0], &n, &total, &res);
    if (e != ERR_OK) {
        web_api_fail(r, e, &res);
        return;
    }
    web_json(r, n ? 201 : 200,
             json_pack("{s:s, s:I, s:I}", "program", r->segs[0], "created", (json_int_t)n,
                       "total_ore", (json_int_t)total));
}

/* POST /api/v1/payment-batches {"program": ID?} */
void api_pay_batch_new(struct web_req *r)
{
    json_t *body = body_object(r);
    if (!body)
        return;
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    const char *program = str_member(body, "program");
    char number[PAYMENT_ID_SIZE];
    size_t n = 0;
    int64_t total = 0;
    enum err e = pay_batch_new(r->store, &a, r->now, program && program[0] ? program : NULL, number,
                               &n, &total, &res);
    json_decref(body);
    if (e != ERR_OK) {
        web_api_fail(r, e, &res);
        return;
    }
    web_json(r, 201,
             json_pack("{s:s, s:I, s:I}", "number", number, "payments", (json_int_t)n, "total_ore",
                       (json_int_t)total));
}

/* POST /api/v1/payment-batches/NUMBER/attest {"action": "attest"|"return", "reason"} */
void api_pay_attest(struct web_req *r)
{
    json_t *body = body_object(r);
    if (!body)
        return;
    const char *action = str_member(body, "action");
    int returning = action && strcmp(action, "return") == 0;
    int attesting = !action || strcmp(action, "attest") == 0;
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    enum err e;
    if (returning)
        e = pay_batch_return(r->store, &a, r->now, r->segs[0], str_member(body, "reason"), &res);
    else if (attesting)
        e = pay_batch_attest(r->store, &a, r->now, r->segs[0], &res);
    else {
        json_decref(body);
        web_api_error(r, 400, "bad_request", "action must be attest or return");
        return;
    }
    json_decref(body);
    if (e != ERR_OK) {
        web_api_fail(r, e, &res);
        return;
    }
    web_json(
        r, 200,
        json_pack("{s:s, s:s}", "number", r->segs[0], "state",
                  payment_batch_state_id(returning ? PAYMENT_BATCH_OPEN : PAYMENT_BATCH_ATTESTED)));
}

static void xml_answer(struct web_req *r, const char *msg_id)
{
    r->ctype = "application/xml; charset=utf-8";
    r->has_data = 1;
    r->status = 200;
    char *cd = arena_printf(r->arena, "attachment; filename=\"%s.xml\"", msg_id);
    if (cd)
        web_add_header(r, "Content-Disposition", cd);
}

/* POST /api/v1/payment-batches/NUMBER/file: make (or give again) the file */
void api_pay_file_make(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    struct diag d;
    diag_init(&d, 20);
    char msg_id[PAYMENT_ID_SIZE];
    buf_reset(&r->data);
    enum err e = pay_batch_file(r->store, &a, r->now, r->segs[0], data_dir(NULL), &r->data, msg_id,
                                &d, &res);
    diag_release(&d);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        web_api_fail(r, e, &res);
        return;
    }
    xml_answer(r, msg_id);
}

/* GET /api/v1/payment-batches/NUMBER/file: the kept file */
void api_pay_file(struct web_req *r)
{
    struct svc_actor a;
    struct svc_result res;
    web_actor(r, &a);
    char msg_id[PAYMENT_ID_SIZE];
    buf_reset(&r->data);
    enum err e = pay_file_get(r->store, &a, r->now, r->segs[0], &r->data, msg_id, &res);
    if (e != ERR_OK) {
        buf_reset(&r->data);
        web_api_fail(r, e, &res);
        return;
    }
    xml_answer(r, msg_id);
}
