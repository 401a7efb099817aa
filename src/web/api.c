/* api.c - the JSON API under /api/v1/, authenticated with personal API
 * tokens (Authorization: Bearer). Errors are
 * {"error": {"code": ..., "message": ...}}; see docs/api.md. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "service/audit.h"
#include "util/str.h"
#include "web/web.h"

void api_me(struct web_req *r)
{
    json_t *roles = json_array();
    for (int i = 0; i < PERM_COUNT; i++)
        if (r->sess.roles & perm_at(i))
            json_array_append_new(roles, json_string(perm_id(perm_at(i))));
    web_json(r, 200,
             json_pack("{s:s, s:s, s:s, s:o}", "login", r->sess.account.login, "name",
                       r->sess.account.name, "org", r->sess.row.org, "roles", roles));
}

static int audit_json_row(void *ctx, const struct store_audit *a)
{
    json_t *arr = ctx;
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                                         (json_int_t)a->seq, "at", a->at, "actor", a->actor, "org",
                                         a->org, "action", a->action, "object", a->object, "before",
                                         a->before, "after", a->after, "hash", a->hash));
    return 0;
}

void api_audit(struct web_req *r)
{
    const char *object = web_query(r, "object");
    const char *lim = web_query(r, "limit");
    int64_t limit = 1000;
    if (lim && (str_parse_i64(lim, &limit) != ERR_OK || limit < 1 || limit > 10000)) {
        web_api_error(r, 400, "bad_request", "limit must be a number from 1 to 10000");
        return;
    }
    json_t *arr = json_array();
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = audit_list(r->store, &who, r->now, object && object[0] ? object : NULL,
                            (size_t)limit, audit_json_row, arr, &res);
    if (e != ERR_OK) {
        json_decref(arr);
        web_api_fail(r, e, &res);
        return;
    }
    web_json(r, 200, json_pack("{s:o}", "records", arr));
}

void api_audit_verify(struct web_req *r)
{
    struct audit_report rep;
    struct svc_actor who;
    struct svc_result res;
    web_actor(r, &who);
    enum err e = audit_verify_as(r->store, &who, r->now, &rep, &res);
    if (e != ERR_OK && e != ERR_INVALID) {
        web_api_fail(r, e, &res);
        return;
    }
    json_t *o =
        json_pack("{s:b, s:I, s:I, s:I}", "intact", e == ERR_OK, "rows", (json_int_t)rep.rows,
                  "checkpoints", (json_int_t)rep.checkpoints, "entities", (json_int_t)rep.entities);
    if (e == ERR_INVALID) {
        json_t *list = json_array();
        for (long long i = 0; i < rep.problems && i < AUDIT_PROBLEMS; i++)
            json_array_append_new(list, json_string(rep.problem[i]));
        json_object_set_new(o, "first_bad", json_integer((json_int_t)rep.first_bad));
        json_object_set_new(o, "message", json_string(rep.msg));
        json_object_set_new(o, "problems", list);
        json_object_set_new(o, "problem_count", json_integer((json_int_t)rep.problems));
    }
    if (rep.note[0])
        json_object_set_new(o, "note", json_string(rep.note));
    web_json(r, 200, o);
}
