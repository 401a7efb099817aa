/* api_req.c - the requisition e-service as JSON under /api/v1/: a
 * program's requisitions with counts per state (agency roles), an
 * organisation's own requisitions (its ombud, representant and
 * uppgiftssamordnare), and submitting a requisition. The same service
 * calls as the pages; errors are {"error": {"code", "message"}} with the
 * field messages in "fields" when the form is incomplete. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/requisition.h"
#include "util/str.h"
#include "web/web.h"

static json_t *kr_or_null(int64_t ore)
{
    return ore < 0 ? json_null() : json_integer((json_int_t)(ore / 100));
}

static json_t *req_row(const struct req_row *x)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:s, s:s}", "case_no", x->case_no,
                     "program", x->program, "recipient", x->recipient, "state",
                     req_state_id(x->state), "version", x->version, "revision",
                     (json_int_t)x->revision, "requested_kr", kr_or_null(x->requested_ore),
                     "approved_kr", kr_or_null(x->approved_ore), "message", x->message,
                     "updated_at", x->updated_at);
}

void api_program_requisitions(struct web_req *r)
{
    const char *st = web_query(r, "state");
    int state = -1;
    if (st && st[0]) {
        state = req_state_parse(st);
        if (state < 0) {
            web_api_error(r, 400, "bad_request",
                          "state must be draft, submitted, returned, approved or rejected");
            return;
        }
    }
    struct svc_actor a;
    struct req_queue q;
    struct svc_result res;
    struct req_filter f = {r->segs[0], state, NULL, 0, 0};
    web_actor(r, &a);
    memset(&q, 0, sizeof(q));
    enum err e = req_queue_list(r->store, &a, r->now, &f, &q, &res);
    if (e != ERR_OK) {
        req_queue_release(&q);
        web_api_fail(r, e, &res);
        return;
    }
    json_t *rows = json_array(), *counts = json_object();
    for (size_t i = 0; i < q.n; i++) {
        /* a row that cannot be written is an error, never a silent gap
         * between the list and its counts */
        if (json_array_append_new(rows, req_row(&q.rows[i])) != 0) {
            json_decref(rows);
            json_decref(counts);
            req_queue_release(&q);
            web_api_error(r, 500, "internal", "a requisition could not be written as JSON");
            return;
        }
    }
    for (int s = 0; s < REQ_STATE_COUNT; s++)
        json_object_set_new(counts, req_state_id((enum req_state)s),
                            json_integer((json_int_t)q.counts[s]));
    req_queue_release(&q);
    web_json(r, 200,
             json_pack("{s:s, s:o, s:o}", "program", r->segs[0], "counts", counts, "requisitions",
                       rows));
}

static int own_org(struct web_req *r)
{
    if (strcmp(r->segs[0], r->sess.row.org) == 0)
        return 1;
    web_api_error(r, 403, "forbidden", "the token does not act for that organisation");
    return 0;
}

void api_org_requisitions(struct web_req *r)
{
    if (!own_org(r))
        return;
    struct svc_actor a;
    struct req_overview ov = {NULL, 0};
    struct svc_result res;
    web_actor(r, &a);
    enum err e = req_overview_get(r->store, &a, r->now, &ov, &res);
    if (e != ERR_OK) {
        req_overview_release(&ov);
        web_api_fail(r, e, &res);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < ov.n; i++) {
        const struct req_overview_item *it = &ov.items[i];
        char opens[16] = "", closes[16] = "";
        if (date_is_set(it->opens))
            date_fmt(opens, sizeof(opens), it->opens);
        if (date_is_set(it->closes))
            date_fmt(closes, sizeof(closes), it->closes);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "program", it->program,
                              "title", it->title, "diarienummer", it->diarienummer, "recipient",
                              it->recipient, "max_kr", (json_int_t)(it->max_ore / 100), "opens",
                              opens, "closes", closes, "window_open", it->window_open);
        if (it->has_req) {
            json_object_set_new(o, "case_no", json_string(it->case_no));
            json_object_set_new(o, "state", json_string(req_state_id(it->state)));
            json_object_set_new(o, "revision", json_integer((json_int_t)it->revision));
        } else {
            json_object_set_new(o, "case_no", json_null());
            json_object_set_new(o, "state", json_null());
        }
        json_array_append_new(arr, o);
    }
    req_overview_release(&ov);
    web_json(r, 200, json_pack("{s:s, s:o}", "org", r->segs[0], "requisitions", arr));
}

/* POST /api/v1/org/{code}/requisitions/{program}: {"revision": n,
 * "idempotency_key": "...", "fields": {"amount": "125000", ...}} with the
 * form's field names (docs/requisition.md); submits a new version. */
void api_org_requisition_submit(struct web_req *r)
{
    if (!own_org(r))
        return;
    json_error_t je;
    json_t *root = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        web_api_error(r, 400, "bad_request", "the body must be a JSON object");
        return;
    }
    struct svc_actor a;
    struct svc_result res;
    struct req_receipt rc;
    struct req_form f;
    web_actor(r, &a);
    svc_result_init(&res);
    req_form_init(&f);
    str_copy(f.program, sizeof(f.program), r->segs[1]);
    str_copy(f.recipient, sizeof(f.recipient), r->segs[0]);
    json_t *fields = json_object_get(root, "fields");
    json_t *rev = json_object_get(root, "revision");
    json_t *key = json_object_get(root, "idempotency_key");
    const char *hkey = web_header(r, "Idempotency-Key");
    const char *idem = json_is_string(key) ? json_string_value(key) : hkey;
    long long based_on = json_is_integer(rev) ? (long long)json_integer_value(rev) : 0;
    enum err e = ERR_OK;
    if (fields && !json_is_object(fields)) {
        e = ERR_PARSE;
    } else if (idem && (strlen(idem) > 128 || !form_text_ok(idem, strlen(idem), 0))) {
        e = ERR_PARSE;
    } else {
        const char *name;
        json_t *val;
        json_object_foreach(fields, name, val)
        {
            char num[32];
            const char *s = NULL;
            if (json_is_string(val))
                s = json_string_value(val);
            else if (json_is_integer(val)) {
                snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(val));
                s = num;
            } else if (json_is_boolean(val))
                s = json_is_true(val) ? "1" : "0";
            if (!s || !form_text_ok(s, strlen(s), 1)) {
                msg_issue_addf(&res.issues, "fields",
                               M_("Fältet {1} har ett värde som inte går att läsa."),
                               msg_str(name));
                continue;
            }
            enum err fe = req_form_set(&f, name, s, &res.issues);
            if (fe == ERR_NOTFOUND)
                msg_issue_addf(&res.issues, "fields", M_("Fältet {1} finns inte."), msg_str(name));
        }
        if (res.issues.n)
            e = ERR_INVALID;
    }
    if (e == ERR_PARSE) {
        web_api_error(r, 400, "bad_request",
                      "fields must be an object and idempotency_key text of at most 128 bytes");
    } else if (e == ERR_INVALID) {
        msg_set(&res.msg, M_("Formuläret kunde inte läsas."));
        web_api_fail(r, e, &res);
    } else {
        req_form_trim(&f);
        e = req_submit(r->store, &a, r->now, &f, based_on, idem, &rc, NULL, &res);
        if (e != ERR_OK)
            web_api_fail(r, e, &res);
        else
            web_json(r, rc.repeated ? 200 : 201,
                     json_pack("{s:{s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:b}}", "receipt", "case_no",
                               rc.case_no, "version", rc.version, "received_at", rc.at, "program",
                               rc.program, "diarienummer", rc.diarienummer, "recipient",
                               rc.recipient, "amount_kr", (json_int_t)(rc.amount_ore / 100),
                               "repeated", rc.repeated));
    }
    req_form_release(&f);
    json_decref(root);
}

static json_t *bulk_json(struct web_req *r, const char *program, const struct req_bulk_preview *pre,
                         int approved)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < pre->n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:I}", "case_no", pre->lines[i].case_no, "recipient",
                           pre->lines[i].recipient, "name", pre->lines[i].name, "amount_kr",
                           (json_int_t)(pre->lines[i].amount_ore / 100)));
    return json_pack("{s:s, s:b, s:s, s:s, s:i, s:I, s:i, s:o}", "program", program, "approved",
                     approved, "question", web_msg(r, &pre->question), "selection", pre->digest,
                     "count", (int)pre->n, "total_kr", (json_int_t)(pre->total_ore / 100), "left",
                     (int)pre->left, "requisitions", arr);
}

/* POST /api/v1/programs/{id}/requisitions/bulk-approve: an empty body or
 * {} previews (nothing written); {"selection": "..."} with the preview's
 * selection approves exactly it, or answers 409 with the new preview in
 * "preview" when it has changed since. */
void api_program_bulk_approve(struct web_req *r)
{
    const char *selection = NULL;
    json_t *root = NULL;
    if (r->raw_len) {
        json_error_t je;
        root = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
        json_t *sel = root ? json_object_get(root, "selection") : NULL;
        if (!root || !json_is_object(root) || (sel && !json_is_string(sel))) {
            json_decref(root);
            web_api_error(r, 400, "bad_request",
                          "the body must be a JSON object, with \"selection\" a string");
            return;
        }
        selection = sel ? json_string_value(sel) : NULL;
    }
    struct svc_actor a;
    struct svc_result res;
    struct req_bulk_preview pre;
    web_actor(r, &a);
    enum err e = selection
                     ? req_bulk_approve(r->store, &a, r->now, r->segs[0], selection, &pre, &res)
                     : req_bulk_preview(r->store, &a, r->now, r->segs[0], &pre, &res);
    if (e == ERR_OK) {
        web_json(r, 200, bulk_json(r, r->segs[0], &pre, selection != NULL));
    } else if (e == ERR_CONFLICT && pre.lines) {
        web_json(r, 409,
                 json_pack("{s:{s:s, s:s}, s:o}", "error", "code", "conflict", "message",
                           web_msg(r, &res.msg), "preview", bulk_json(r, r->segs[0], &pre, 0)));
    } else {
        web_api_fail(r, e, &res);
    }
    req_bulk_preview_release(&pre);
    json_decref(root);
}
