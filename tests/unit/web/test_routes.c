/* test_routes.c - the path matcher and the route table's invariants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "web/web.h"

static void test_match(void **state)
{
    (void)state;
    struct arena a;
    const char *segs[WEB_MAX_SEGS];
    size_t n;
    arena_init(&a, 0);
    assert_true(web_match("/start", "/start", segs, &n, &a));
    assert_int_equal(n, 0);
    assert_false(web_match("/start", "/start/", segs, &n, &a));
    assert_false(web_match("/start", "/star", segs, &n, &a));
    assert_true(web_match("/org/*", "/org/0180", segs, &n, &a));
    assert_int_equal(n, 1);
    assert_string_equal(segs[0], "0180");
    assert_false(web_match("/org/*", "/org/", segs, &n, &a));
    assert_false(web_match("/org/*", "/org/0180/members", segs, &n, &a));
    assert_true(web_match("/org/*/members", "/org/01/members", segs, &n, &a));
    assert_string_equal(segs[0], "01");
    assert_false(web_match("/org/*/members", "/org//members", segs, &n, &a));
    assert_true(web_match("/", "/", NULL, &n, NULL));
    arena_release(&a);
}

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const struct web_route *r = web_routes(&n);
    assert_true(n > 10);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].fn);
        assert_true(strcmp(r[i].method, "GET") == 0 || strcmp(r[i].method, "POST") == 0);
        assert_true(r[i].pattern[0] == '/');
        /* the API is token-only, and everything under /api/ is API */
        assert_int_equal(strncmp(r[i].pattern, "/api/", 5) == 0, (r[i].flags & WEB_API) != 0);
        /* forms without a session token are the login form only */
        if (r[i].flags & WEB_NO_CSRF)
            assert_string_equal(r[i].pattern, "/login");
        /* every route names its action, and only these are open to
         * anybody: a route whose action was left out (0, ACT_PUBLIC) fails */
        assert_true(r[i].act >= 0 && r[i].act < ACT_COUNT);
        const struct action *a = action_get(r[i].act);
        if (a->scope == ACT_SCOPE_PUBLIC)
            assert_true(strcmp(r[i].pattern, "/") == 0 || strcmp(r[i].pattern, "/healthz") == 0 ||
                        strcmp(r[i].pattern, "/static/bidrag.css") == 0 ||
                        strcmp(r[i].pattern, "/login") == 0);
        /* public routes only read, except logging in */
        if (a->scope == ACT_SCOPE_PUBLIC && strcmp(r[i].method, "POST") == 0)
            assert_string_equal(r[i].pattern, "/login");
        /* a GET only reads: its action writes nothing, bar the session's own */
        if (strcmp(r[i].method, "GET") == 0 && a->scope != ACT_SCOPE_SELF)
            assert_false(a->flags & ACT_WRITES);
        /* the API is the pages' twin: routes under /org/CODE act for CODE */
        if (strncmp(r[i].pattern, "/org/", 5) == 0 ||
            strncmp(r[i].pattern, "/api/v1/org/", 12) == 0)
            assert_int_equal(a->scope, ACT_SCOPE_ORG);
        for (size_t j = i + 1; j < n; j++)
            assert_false(strcmp(r[i].method, r[j].method) == 0 &&
                         strcmp(r[i].pattern, r[j].pattern) == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
