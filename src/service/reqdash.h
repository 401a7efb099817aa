/* reqdash.h - the requisition dashboard per län: the lines of
 * req_dashboard_get (service/requisition.h) summed by the län each
 * recipient lies in, kommuner and region together, with the län named as
 * the reference data names it ("Stockholms län"), and the numbers of
 * core/reqdash.h. */
#ifndef BIDRAG_SERVICE_REQDASH_H
#define BIDRAG_SERVICE_REQDASH_H

#include <stddef.h>

#include "core/reqdash.h"
#include "service/requisition.h"

#define REQ_DASH_LAN_MAX 32

struct req_dash_lan {
    char code[3];
    char name[64]; /* "Stockholms län" */
    struct dash_sum sum;
};

/* A dashboard line's numbers. */
void req_dash_line_sum(const struct req_dash_line *l, struct dash_sum *out);
/* The lines of db by län, in the order of their first line, into out (at
 * most REQ_DASH_LAN_MAX; *n). The names from the organisations'
 * reference data (rights of refdata_orgs). */
ERR_MUST_CHECK enum err req_dashboard_by_lan(struct store *s, const struct svc_actor *who,
                                             int64_t now, const struct req_dashboard *db,
                                             struct req_dash_lan *out, size_t *n,
                                             struct svc_result *res);

#endif
