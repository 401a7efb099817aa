/* reqdash.c - the requisition dashboard per län (reqdash.h). */
#include "service/reqdash.h"

#include <string.h>

#include "service/refdata.h"
#include "util/str.h"

void req_dash_line_sum(const struct req_dash_line *l, struct dash_sum *out)
{
    out->allocated_ore = l->allocated_ore;
    out->requested_ore = l->requested_ore > 0 ? l->requested_ore : 0;
    out->approved_ore = l->approved_ore > 0 ? l->approved_ore : 0;
    out->supplementary_ore = l->supplementary_ore > 0 ? l->supplementary_ore : 0;
}

enum err req_dashboard_by_lan(struct store *s, const struct svc_actor *who, int64_t now,
                              const struct req_dashboard *db, struct req_dash_lan *out, size_t *n,
                              struct svc_result *res)
{
    struct org_list orgs = {NULL, 0};
    *n = 0;
    enum err e = refdata_orgs(s, who, now, &orgs, res);
    for (size_t i = 0; e == ERR_OK && i < db->nlines; i++) {
        const struct req_dash_line *l = &db->lines[i];
        size_t k = 0;
        while (k < *n && strcmp(out[k].code, l->lan) != 0)
            k++;
        if (k == *n) {
            if (*n == REQ_DASH_LAN_MAX) {
                e = ERR_LIMIT;
                break;
            }
            memset(&out[k], 0, sizeof(out[k]));
            str_copy(out[k].code, sizeof(out[k].code), l->lan);
            str_copy(out[k].name, sizeof(out[k].name), l->lan);
            for (size_t o = 0; o < orgs.n; o++)
                if (strcmp(orgs.v[o].lan_code, l->lan) == 0 && orgs.v[o].lan_name[0]) {
                    str_copy(out[k].name, sizeof(out[k].name), orgs.v[o].lan_name);
                    break;
                }
            (*n)++;
        }
        struct dash_sum x;
        req_dash_line_sum(l, &x);
        dash_add(&out[k].sum, &x);
    }
    org_list_release(&orgs);
    return e;
}
