/* statistics.c - workforce statistics imports and tables as actions. */
#include "service/statistics.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

enum err statistics_import(struct store *s, const struct svc_actor *who, int64_t now,
                           const struct statscsv_ref *ref, const struct statsvc_import_opts *o,
                           struct statsvc_import_result *r, struct diag *d, struct svc_result *res)
{
    struct svc_call c;
    memset(r, 0, sizeof(*r));
    enum err e = svc_begin(&c, s, who, ACT_STATS_IMPORT, now, res);
    if (e != ERR_OK)
        return svc_end(&c, e);
    struct statsvc_import_opts io = *o;
    io.now = c.nowiso;
    e = statsvc_import(ref, &io, r, d);
    if (e == ERR_INVALID)
        return svc_end(&c, svc_fail(&c, e, M_("Ingenting lästes in: filen har fel.")));
    if (e != ERR_OK)
        return svc_end(&c, e);
    char object[96], after[256];
    snprintf(object, sizeof(object), "stats:%s", r->sha256);
    snprintf(after, sizeof(after), "rows=%zu total=%zu years=%d-%d replace_year=%d", r->rows,
             r->rows_total, r->year_min, r->year_max, o->replace_year);
    e = svc_write(&c);
    if (e == ERR_OK)
        e = svc_audit(&c, object, NULL, after);
    e = svc_end(&c, e);
    if (e != ERR_OK)
        msg_setf(&res->msg,
                 M_("Statistiken är inläst men granskningsposten kunde inte skrivas ({1})."),
                 msg_str(object));
    return e;
}

enum err statistics_table(struct store *s, const struct svc_actor *who, int64_t now,
                          const struct statscsv_ref *ref, const struct statsvc_table_req *req,
                          struct cube *out, struct statsvc_table_res *tres, struct diag *d,
                          struct svc_result *res)
{
    struct svc_call c;
    int exact = !req->protect;
    cube_init(out);
    memset(tres, 0, sizeof(*tres));
    enum err e = svc_begin(&c, s, who, exact ? ACT_STATS_EXACT : ACT_STATS_READ, now, res);
    if (e == ERR_OK)
        e = statsvc_table(ref, s, req, out, tres, d);
    if (e == ERR_OK && exact) {
        /* who drew which unprotected table, for the record */
        struct buf q;
        buf_init(&q, 16384);
        buf_printf(&q, "rows=%s\ncols=%s\nfilters=%s\nmeasures=%s\n", req->rows ? req->rows : "",
                   req->cols ? req->cols : "", req->filters ? req->filters : "",
                   req->measures ? req->measures : "");
        e = q.failed ? ERR_LIMIT : svc_write(&c);
        if (e == ERR_OK)
            e = svc_audit(&c, "stats:table", NULL, q.p);
        buf_release(&q);
        if (e != ERR_OK)
            cube_release(out);
    }
    return svc_end(&c, e);
}
