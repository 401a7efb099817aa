/* test_html.c - the escaping HTML writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "web/html.h"

static void test_escape_all_specials(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 0);
    html_text(&h, "<a href=\"x\" onclick='y'>&amp;</a>");
    assert_string_equal(h.b.p,
                        "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    html_release(&h);
}

static void test_template_escapes_arguments(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 0);
    html_f(&h, "<p title=\"%s\">%s %d %lld %zu %u %ld 100%%</p>", "\"><script>", "<b>", -5,
           (long long)1234567890123, (size_t)7, 3u, -9L);
    assert_string_equal(h.b.p, "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;b&gt; -5 1234567890123 "
                               "7 3 -9 100%</p>");
    html_lit(&h, "<br>");
    html_f(&h, "<i>plain</i>");
    assert_non_null(strstr(h.b.p, "<br><i>plain</i>"));
    html_text(&h, NULL);
    assert_false(html_failed(&h));
    html_release(&h);
}

static void test_utf8_passes_through(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 0);
    html_f(&h, "%s", "Åsa Öberg – Härnösand");
    assert_string_equal(h.b.p, "Åsa Öberg – Härnösand");
    html_release(&h);
}

static void test_cap(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 16);
    html_text(&h, "0123456789");
    assert_false(html_failed(&h));
    html_text(&h, "<<<<<<<<");
    assert_true(html_failed(&h));
    html_release(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_all_specials),
        cmocka_unit_test(test_template_escapes_arguments),
        cmocka_unit_test(test_utf8_passes_through),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
