/* test_duty.c - separation of duties: who may act for a recipient and
 * who may decide a case, from the account's grants everywhere and from the
 * case's whole history (created, draft saved, versions saved or submitted,
 * saves and submissions in the audit trail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "service/audit.h"
#include "service/auth.h"
#include "service/duty.h"
#include "store/store_req.h"

static char dir[256], dbpath[300];
static struct store *s;
static const int64_t T0 = 1772704800; /* 2026-03-05T10:00:00Z */
static char case_no[REQ_CASE_LEN];

static int setup(void **state)
{
    (void)state;
    char msg[256];
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-duty-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    if (auth_init() != ERR_OK || store_open(dbpath, STORE_OPEN_CREATE, &s) != ERR_OK)
        return -1;
    const struct auth_actor cli = {"cli:test", ""};
    const char *logins[] = {"hl", "rep", "mixed", "c0", "d0", "v1", "a0"};
    for (size_t i = 0; i < sizeof(logins) / sizeof(logins[0]); i++)
        if (auth_user_add(s, &cli, logins[i], logins[i], NULL, T0, msg, sizeof(msg)) != ERR_OK)
            return -1;
    if (auth_user_role(s, &cli, "hl", PERM_HANDLAGGARE, "", 1, T0, msg, sizeof(msg)) ||
        auth_user_role(s, &cli, "rep", PERM_REPRESENTANT, "0180", 1, T0, msg, sizeof(msg)) ||
        auth_user_role(s, &cli, "mixed", PERM_HANDLAGGARE, "", 1, T0, msg, sizeof(msg)))
        return -1;
    /* an account from before the rule: both kinds of role */
    struct store_account m;
    if (store_account_get(s, "mixed", &m) ||
        store_grant_add(s, m.id, "ombud", "0180", "2025-01-01T00:00:00Z"))
        return -1;
    /* a case: created by c0, a draft last saved by d0, version 1 by v1, an
     * earlier save by a0 in the audit trail, a return by hl */
    struct store_req row;
    struct req_form f;
    req_form_init(&f);
    snprintf(f.program, sizeof(f.program), "p");
    snprintf(f.recipient, sizeof(f.recipient), "0180");
    if (store_req_create(s, "p", "0180", "REK-2026-000001", "2026-03-05T10:00:00Z", "c0", &row) ||
        store_req_form_put(s, row.id, 1, &f, "2026-03-05T10:01:00Z", "v1") ||
        store_req_form_put(s, row.id, 0, &f, "2026-03-05T10:02:00Z", "d0"))
        return -1;
    char object[64];
    snprintf(object, sizeof(object), "requisition:%s", row.case_no);
    /* audit records are written inside a transaction (audit_append asserts it) */
    if (store_begin(s) ||
        audit_append(s, "a0", "0180", "requisition.save", object, NULL, "x", T0) ||
        audit_append(s, "hl", "", "requisition.return", object, "x", "y", T0) || store_commit(s))
        return -1;
    snprintf(case_no, sizeof(case_no), "%s", row.case_no);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    store_close(s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_recipient_side(void **state)
{
    (void)state;
    char msg[300];
    assert_int_equal(duty_check(s, "rep", DUTY_FOR_RECIPIENT, NULL, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(msg[0], '\0');
    assert_int_equal(duty_check(s, "hl", DUTY_FOR_RECIPIENT, NULL, msg, sizeof(msg)), ERR_DENIED);
    assert_non_null(strstr(msg, "roll hos myndigheten"));
    assert_int_equal(duty_check(s, "mixed", DUTY_FOR_RECIPIENT, NULL, msg, sizeof(msg)),
                     ERR_DENIED);
    /* the operator on the command line has no account and no roles */
    assert_int_equal(duty_check(s, "cli:root", DUTY_FOR_RECIPIENT, NULL, msg, sizeof(msg)), ERR_OK);
}

static void test_deciding(void **state)
{
    (void)state;
    char msg[300];
    assert_int_equal(duty_check(s, "hl", DUTY_DECIDE, case_no, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(duty_check(s, "hl", DUTY_DECIDE, NULL, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(duty_check(s, "mixed", DUTY_DECIDE, NULL, msg, sizeof(msg)), ERR_DENIED);
    assert_non_null(strstr(msg, "roll för en bidragsmottagare"));
    /* everyone in the case's history */
    const char *involved[] = {"c0", "d0", "v1", "a0"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(duty_check(s, involved[i], DUTY_DECIDE, case_no, msg, sizeof(msg)),
                         ERR_DENIED);
        assert_non_null(strstr(msg, case_no));
        /* on no case in particular, their roles alone decide */
        assert_int_equal(duty_check(s, involved[i], DUTY_DECIDE, NULL, msg, sizeof(msg)), ERR_OK);
    }
    assert_int_equal(duty_check(s, "cli:root", DUTY_DECIDE, case_no, msg, sizeof(msg)), ERR_OK);
    /* an unknown case has no history */
    assert_int_equal(duty_check(s, "c0", DUTY_DECIDE, "REK-1999-000001", msg, sizeof(msg)), ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recipient_side),
        cmocka_unit_test(test_deciding),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
