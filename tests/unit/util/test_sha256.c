/* test_sha256.c - SHA-256: known answers, and the CPU-extension path equals
 * libsodium and the portable path for many lengths and split points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"

static void digest_hex(const char *s, char out[65])
{
    struct sha256 h;
    unsigned char d[32];
    sha256_init(&h);
    sha256_update(&h, s, strlen(s));
    sha256_final(&h, d);
    sha256_hex(d, out);
}

static void test_known(void **state)
{
    (void)state;
    char hx[65];
    digest_hex("", hx);
    assert_string_equal(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_hex("abc", hx);
    assert_string_equal(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    digest_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hx);
    assert_string_equal(hx, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* the one-call form gives what the three calls give (FIPS 180-2's "abc") */
static void test_hex_of(void **state)
{
    (void)state;
    char hx[65];
    sha256_hex_of("abc", 3, hx);
    assert_string_equal(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex_of("", 0, hx);
    assert_string_equal(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_matches_libsodium(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    size_t max = 5000;
    unsigned char *b = malloc(max);
    assert_non_null(b);
    for (size_t i = 0; i < max; i++)
        b[i] = (unsigned char)(i * 131 + 7);
    for (size_t n = 0; n < max; n += (n < 300 ? 1 : 97)) {
        unsigned char ref[32], d1[32], d2[32];
        crypto_hash_sha256(ref, b, n);
        struct sha256 h;
        sha256_init(&h);
        size_t cut = n / 3;
        sha256_update(&h, b, cut);
        sha256_update(&h, b + cut, n - cut);
        sha256_final(&h, d1);
        sha256_init_portable(&h);
        sha256_update(&h, b, n);
        sha256_final(&h, d2);
        assert_memory_equal(ref, d1, 32);
        assert_memory_equal(ref, d2, 32);
    }
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_hex_of),
        cmocka_unit_test(test_matches_libsodium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
