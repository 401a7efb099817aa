/* duty.h - separation of duties (DESIGN.md, "Four eyes") as one check,
 * made by the service at every action it concerns (and to be named per
 * action by the action table): agency staff never act for a recipient, and
 * nobody decides a case they prepared or submitted.
 *
 * The roles are resolved here from the account's grants in every
 * organisation and at the agency, never taken from the caller's session:
 * an account that holds both kinds (given before the rule existed) is
 * refused on both sides until an administrator takes one away. */
#ifndef BIDRAG_SERVICE_DUTY_H
#define BIDRAG_SERVICE_DUTY_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

enum duty_act {
    DUTY_FOR_RECIPIENT, /* act for an organisation: save, submit, take a role */
    DUTY_DECIDE         /* decide for the agency: return, approve, reject */
};

/* ERR_OK if login may do act - for DUTY_DECIDE on the requisition case_no,
 * or on no case in particular when case_no is NULL - else ERR_DENIED with
 * a Swedish sentence for the person in msg (n bytes). A case's history is
 * who created it, who saved its draft, who saved or submitted any of its
 * versions, and who is recorded in the audit trail as saving or
 * submitting it. A login without an account (the operator on the command
 * line) holds no roles. Reads only, so it may run inside the caller's
 * transaction; other errors are storage failures. */
ERR_MUST_CHECK enum err duty_check(struct store *s, const char *login, enum duty_act act,
                                   const char *case_no, char *msg, size_t n);

#endif
