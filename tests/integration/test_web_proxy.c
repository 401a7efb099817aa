/* test_web_proxy.c - the server behind the documented reverse proxy: the
 * client's address comes from the proxy's X-Forwarded-For (its last
 * address) and only when the TCP peer is the trusted proxy, so login
 * throttling counts real clients: one guessing address does not lock out
 * everybody behind the proxy, a stranger cannot lock an account, and the
 * limit on connections per address does not apply to the proxy. Here the
 * proxy is 127.0.0.1 and other peers connect from 127.0.0.2 and up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "webtest.h"

static struct wt_server server;
static const char pw[] = "bakom-proxyn-1";

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    wt_tmpdir("proxy");
    if (wt_sh("'%s' migrate --db '%s' >/dev/null", wt_bidrag(), wt_db) != 0)
        return -1;
    if (wt_user("anna", "Anna", pw, "handlaggare") ||
        wt_user("berit", "Berit", pw, "handlaggare") ||
        wt_user("cecilia", "Cecilia", pw, "handlaggare") ||
        wt_user("david", "David", pw, "handlaggare"))
        return -1;
    static const char *const opts[] = {"--trusted-proxy",
                                       "127.0.0.1",
                                       "--trusted-header",
                                       "X-Remote-User",
                                       "--max-per-address",
                                       "2",
                                       NULL};
    return wt_start(&server, opts);
}

static int teardown(void **state)
{
    (void)state;
    int rc = wt_stop(&server);
    curl_global_cleanup();
    if (rc == 0)
        wt_cleanup();
    return rc == 0 ? 0 : -1;
}

/* Log in as login with password from peer (NULL: the proxy) on behalf
 * of client (NULL: no header); the status. */
static long login_as(const char *peer, const char *client, const char *login, const char *password)
{
    struct wt_client c;
    char xff[128], src[64];
    wt_client_init(&c, server.port);
    if (peer) {
        snprintf(src, sizeof(src), "host!%s", peer);
        curl_easy_setopt(c.curl, CURLOPT_INTERFACE, src);
    }
    if (client) {
        snprintf(xff, sizeof(xff), "X-Forwarded-For: %s", client);
        c.extra_header = xff;
    }
    long st = wt_login(&c, login, password);
    wt_client_release(&c);
    return st;
}

static void test_one_guesser_does_not_lock_out_everybody(void **state)
{
    (void)state;
    int throttled = 0;
    for (int i = 0; i < 25; i++) {
        char login[32];
        snprintf(login, sizeof(login), "gissning%d", i);
        throttled += login_as(NULL, "203.0.113.5", login, "fel-losenord-helt") == 429;
    }
    assert_true(throttled > 0); /* the guesser is stopped */
    assert_int_equal(login_as(NULL, "203.0.113.5", "anna", pw), 429);
    /* everybody else behind the proxy still logs in */
    assert_int_equal(login_as(NULL, "198.51.100.7", "anna", pw), 303);
    assert_int_equal(login_as(NULL, "198.51.100.8", "david", pw), 303);
}

static void test_stranger_cannot_lock_an_account(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(login_as(NULL, "203.0.113.9", "berit", "fel-losenord-helt"), 401);
    assert_int_equal(login_as(NULL, "203.0.113.9", "berit", "fel-losenord-helt"), 429);
    assert_int_equal(login_as(NULL, "203.0.113.9", "berit", pw), 429);
    assert_int_equal(login_as(NULL, "198.51.100.9", "berit", pw), 303);
}

static void test_the_header_is_believed_from_the_proxy_only(void **state)
{
    (void)state;
    /* from another peer a changing X-Forwarded-For changes nothing: the
     * peer is the address */
    for (int i = 0; i < 5; i++) {
        char xff[32];
        snprintf(xff, sizeof(xff), "192.0.2.%d", 10 + i);
        assert_int_equal(login_as("127.0.0.2", xff, "cecilia", "fel-losenord-helt"),
                         i < 4 ? 401 : 429);
    }
    assert_int_equal(login_as("127.0.0.2", "198.51.100.10", "cecilia", pw), 429);
    /* through the proxy only the last address counts; what the client
     * wrote before it proves nothing */
    for (int i = 0; i < 5; i++) {
        char xff[64];
        snprintf(xff, sizeof(xff), "192.0.2.%d, 203.0.113.20", 10 + i);
        assert_int_equal(login_as(NULL, xff, "cecilia", "fel-losenord-helt"), i < 4 ? 401 : 429);
    }
    assert_int_equal(login_as(NULL, "198.51.100.11", "cecilia", pw), 303);
}

static void test_no_connection_limit_for_the_proxy(void **state)
{
    (void)state;
    int proxy[6], other[6], proxy_closed = 0, other_closed = 0;
    for (int i = 0; i < 6; i++) {
        proxy[i] = wt_raw_open("127.0.0.1", server.port);
        other[i] = wt_raw_open("127.0.0.3", server.port);
        assert_true(proxy[i] >= 0 && other[i] >= 0);
    }
    usleep(500000);
    for (int i = 0; i < 6; i++) {
        proxy_closed += wt_raw_closed(proxy[i]);
        other_closed += wt_raw_closed(other[i]);
        close(proxy[i]);
        close(other[i]);
    }
    assert_int_equal(proxy_closed, 0);
    assert_int_equal(other_closed, 4); /* two per address */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_guesser_does_not_lock_out_everybody),
        cmocka_unit_test(test_stranger_cannot_lock_an_account),
        cmocka_unit_test(test_the_header_is_believed_from_the_proxy_only),
        cmocka_unit_test(test_no_connection_limit_for_the_proxy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
