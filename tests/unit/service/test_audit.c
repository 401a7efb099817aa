/* test_audit.c - the audit trail's key ring and checkpoint files (good
 * and bad input, permissions, signatures) and the trail over them: a
 * checkpoint every AUDIT_CHECKPOINT_EVERY records after the commit and
 * none for a change undone, key rotation with the old rows still
 * verifying. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "service/audit.h"
#include "service/auditkey.h"
#include "service/auth.h"
#include "store/store_auth.h"
#include "util/buf.h"

static char dir[256], dbpath[300], keypath[320], cppath[320];
static const int64_t T0 = 1769076000; /* 2026-01-22T10:00:00Z */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/bidrag-test-audit-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s/x.db", dir);
    snprintf(keypath, sizeof(keypath), "%s/keys/audit.key", dir);
    snprintf(cppath, sizeof(cppath), "%s/audit/checkpoints", dir);
    unsetenv("BIDRAG_AUDIT_KEY");
    unsetenv("BIDRAG_AUDIT_CHECKPOINTS");
    return auth_init() == ERR_OK && mkdir(dir, 0700) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A ring line for a fresh random secret starting at from. */
static void key_line(char *out, size_t n, long long from, char id[STORE_KEY_ID_LEN])
{
    char path[400], msg[200];
    struct auditkey_ring r = {NULL, 0};
    struct buf b;
    snprintf(path, sizeof(path), "%s/one-%lld.key", dir, from);
    unlink(path);
    assert_int_equal(auditkey_add(path, from, "2026-01-22T10:00:00Z", &r, msg, sizeof(msg)),
                     ERR_OK);
    str_copy(id, STORE_KEY_ID_LEN, r.k[0].id);
    auditkey_ring_release(&r);
    buf_init(&b, 4096);
    assert_int_equal(buf_read_file(&b, path), ERR_OK);
    const char *line = strstr(b.p, "bidrag-audit-key v1 ");
    assert_non_null(line);
    str_copy(out, n, line);
    buf_release(&b);
}

static enum err parse(const char *text, char *msg, size_t n)
{
    struct auditkey_ring r = {NULL, 0};
    enum err e = auditkey_parse(text, strlen(text), &r, msg, n);
    auditkey_ring_release(&r);
    return e;
}

static void test_ring_parse(void **state)
{
    (void)state;
    char a[300], b[300], text[800], msg[200], ida[STORE_KEY_ID_LEN], idb[STORE_KEY_ID_LEN];
    struct auditkey_ring r = {NULL, 0};
    key_line(a, sizeof(a), 1, ida);
    key_line(b, sizeof(b), 40, idb);
    snprintf(text, sizeof(text), "# comment\n\n%s%s", a, b);
    assert_int_equal(auditkey_parse(text, strlen(text), &r, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_null(auditkey_for(&r, 0));
    assert_string_equal(auditkey_for(&r, 1)->id, ida);
    assert_string_equal(auditkey_for(&r, 39)->id, ida);
    assert_string_equal(auditkey_for(&r, 40)->id, idb);
    assert_string_equal(auditkey_find(&r, idb)->id, idb);
    assert_null(auditkey_find(&r, "0000000000000000"));
    auditkey_ring_release(&r);

    /* out of order */
    snprintf(text, sizeof(text), "%s%s", b, a);
    assert_int_equal(parse(text, msg, sizeof(msg)), ERR_PARSE);
    assert_non_null(strstr(msg, "line 2"));
    /* an id that is not its secret's */
    snprintf(text, sizeof(text), "%s", a);
    memcpy(strstr(text, "id=") + 3, idb, 16);
    assert_int_equal(parse(text, msg, sizeof(msg)), ERR_PARSE);
    assert_non_null(strstr(msg, "does not belong"));
    /* fields malformed, missing, extra, in another order */
    static const char *bad[] = {
        "",
        "# nothing but a comment\n",
        "bidrag-audit-key v2 id=0 from=1 created=2026-01-22T10:00:00Z secret=00\n",
        "bidrag-audit-key v1 from=1 id=0123456789abcdef created=2026-01-22T10:00:00Z "
        "secret=0000000000000000000000000000000000000000000000000000000000000000\n",
        "bidrag-audit-key v1 id=0123456789abcdef from=0 created=2026-01-22T10:00:00Z "
        "secret=0000000000000000000000000000000000000000000000000000000000000000\n",
        "bidrag-audit-key v1 id=0123456789abcdef from=1 created=2026-01-22 "
        "secret=0000000000000000000000000000000000000000000000000000000000000000\n",
        "bidrag-audit-key v1 id=0123456789ABCDEF from=1 created=2026-01-22T10:00:00Z "
        "secret=0000000000000000000000000000000000000000000000000000000000000000\n",
        "bidrag-audit-key v1 id=0123456789abcdef from=1 created=2026-01-22T10:00:00Z "
        "secret=00000000000000000000000000000000000000000000000000000000000000\n",
        "bidrag-audit-key v1 id=0123456789abcdef from=1 created=2026-01-22T10:00:00Z "
        "secret=0000000000000000000000000000000000000000000000000000000000000000 x=1\n",
        "bidrag-audit-key v1 id=0123456789abcdef from=1 created=2026-01-22T10:00:00Z "
        "secret=0000000000000000000000000000000000000000000000000000000000000000 \n",
        "bidrag-audit-key v1 id=0123456789abcdef  from=1\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], msg, sizeof(msg)) != ERR_PARSE)
            fail_msg("accepted bad ring %zu", i);
}

static void test_ring_file(void **state)
{
    (void)state;
    char path[400], msg[300];
    struct auditkey_ring r = {NULL, 0}, back = {NULL, 0};
    struct stat st;
    snprintf(path, sizeof(path), "%s/ring/sub/audit.key", dir);
    assert_int_equal(auditkey_load(path, &r, msg, sizeof(msg)), ERR_NOTFOUND);
    assert_int_equal(auditkey_add(path, 1, "2026-01-22T10:00:00Z", &r, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(msg, sizeof(msg), "%s/ring/sub", dir);
    assert_int_equal(stat(msg, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* a new key must start after the newest */
    assert_int_equal(auditkey_add(path, 1, "2026-01-22T10:00:00Z", &r, msg, sizeof(msg)),
                     ERR_CONFLICT);
    assert_int_equal(auditkey_add(path, 7, "2026-01-23T10:00:00Z", &r, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(auditkey_load(path, &back, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.k[1].id, r.k[1].id);
    assert_memory_equal(back.k[0].secret, r.k[0].secret, 32);
    auditkey_ring_release(&back);
    /* readable by others: refused */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(auditkey_load(path, &back, msg, sizeof(msg)), ERR_DENIED);
    assert_non_null(strstr(msg, "0644"));
    assert_int_equal(chmod(path, 0600), 0);

    /* records: a signature holds for its hash under its key only */
    char sig[STORE_HASH_HEX], hash[STORE_HASH_HEX];
    audit_digest("x", hash);
    auditkey_sign_record(&r.k[0], hash, sig);
    assert_true(auditkey_record_ok(&r.k[0], hash, sig));
    assert_false(auditkey_record_ok(&r.k[1], hash, sig));
    hash[0] = hash[0] == 'a' ? 'b' : 'a';
    assert_false(auditkey_record_ok(&r.k[0], hash, sig));
    assert_false(auditkey_record_ok(&r.k[0], hash, ""));
    assert_false(auditkey_record_ok(&r.k[0], hash, "zz"));
    auditkey_ring_release(&r);
}

static void test_checkpoint_lines(void **state)
{
    (void)state;
    char path[400], msg[300], line[AUDITKEY_LINE_MAX];
    struct auditkey_ring r = {NULL, 0};
    struct audit_checkpoint c, back;
    snprintf(path, sizeof(path), "%s/cp.key", dir);
    assert_int_equal(auditkey_add(path, 1, "2026-01-22T10:00:00Z", &r, msg, sizeof(msg)), ERR_OK);
    memset(&c, 0, sizeof(c));
    c.seq = 42;
    audit_digest("head", c.hash);
    str_copy(c.at, sizeof(c.at), "2026-01-22T11:00:00Z");
    str_copy(c.event, sizeof(c.event), "manual");
    auditkey_cp_sign(&r.k[0], &c, line);
    assert_int_equal(line[strlen(line) - 1], '\n');
    memset(&back, 0, sizeof(back));
    assert_int_equal(auditkey_cp_parse(line, strlen(line) - 1, &back), ERR_OK);
    assert_int_equal(back.seq, 42);
    assert_string_equal(back.key, r.k[0].id);
    assert_true(auditkey_cp_ok(&r, &back));
    /* any field changed: the signature no longer holds */
    back.seq = 41;
    assert_false(auditkey_cp_ok(&r, &back));
    back.seq = 42;
    str_copy(back.event, sizeof(back.event), "restore");
    assert_false(auditkey_cp_ok(&r, &back));

    /* exactly a checkpoint line, or nothing */
    char bad[AUDITKEY_LINE_MAX + 40];
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"seq=42", "seq=042"}, {"seq=42", "seq=-42"},
        {"seq=42", "seq=0"},   {"event=manual", "event=x"},
        {" at=", "  at="},     {"v1", "v2"},
        {"key=", "key=G"},     {"sig=", "sig=0"},
        {"hash=", "hash=A"},   {"at=2026-01-22T11", "at=2026-01-22 11"},
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        const char *at = strstr(line, edits[i].from);
        assert_non_null(at);
        snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - line), line, edits[i].to,
                 at + strlen(edits[i].from));
        size_t len = strlen(bad);
        if (len && bad[len - 1] == '\n')
            len--;
        if (auditkey_cp_parse(bad, len, &back) != ERR_PARSE)
            fail_msg("accepted bad checkpoint %zu: %s", i, bad);
    }
    assert_int_equal(auditkey_cp_parse(line, strlen(line) - 2, &back), ERR_PARSE); /* cut */

    /* the file: appended, the last line read from its end, every line */
    snprintf(path, sizeof(path), "%s/cpdir/checkpoints", dir);
    assert_int_equal(auditkey_cp_last(path, &back, msg, sizeof(msg)), ERR_NOTFOUND);
    assert_int_equal(auditkey_cp_append(path, line, msg, sizeof(msg)), ERR_OK);
    c.seq = 43;
    auditkey_cp_sign(&r.k[0], &c, line);
    assert_int_equal(auditkey_cp_append(path, line, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(auditkey_cp_last(path, &back, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(back.seq, 43);
    assert_int_equal(auditkey_cp_append(path, "junk\n", msg, sizeof(msg)), ERR_OK);
    assert_int_equal(auditkey_cp_last(path, &back, msg, sizeof(msg)), ERR_PARSE);
    struct audit_checkpoint *all = NULL;
    size_t n = 0;
    assert_int_equal(auditkey_cp_read(path, &all, &n, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(n, 3);
    assert_false(all[0].bad);
    assert_int_equal(all[1].line, 2);
    assert_true(all[2].bad);
    free(all);
    auditkey_ring_release(&r);
}

static long count_lines(const char *path, const char *with)
{
    struct buf b;
    long n = 0;
    buf_init(&b, (size_t)1 << 24);
    const char *p = buf_read_file(&b, path) == ERR_OK ? strstr(b.p, with) : NULL;
    while (p) {
        n++;
        p = strstr(p + 1, with);
    }
    buf_release(&b);
    return n;
}

static void append(struct store *s, int n, int commit)
{
    assert_int_equal(store_begin(s), ERR_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(audit_append(s, "test", "", "x.do", "thing:1", NULL, "a", T0), ERR_OK);
    if (commit)
        assert_int_equal(store_commit(s), ERR_OK);
    else
        store_rollback(s);
}

static void test_trail_checkpoints_and_keys(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct audit_report r;
    struct auditkey_ring ring = {NULL, 0};
    char msg[300], id[STORE_KEY_ID_LEN];
    assert_int_equal(store_open(dbpath, STORE_OPEN_CREATE, &s), ERR_OK);
    /* an empty trail needs no key and verifies */
    assert_int_equal(audit_verify(s, &r), ERR_OK);
    assert_int_equal(r.rows, 0);
    assert_int_equal(audit_tail_check(s, &r), ERR_OK);
    /* the first record makes the key; its commit the first checkpoint */
    append(s, 1, 1);
    assert_int_equal(auditkey_load(keypath, &ring, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(ring.n, 1);
    assert_int_equal(ring.k[0].from, 1);
    auditkey_ring_release(&ring);
    assert_int_equal(count_lines(cppath, "event=every"), 1);
    /* undone: no checkpoint; 99 more: none; the 100th after the first: one */
    append(s, 150, 0);
    assert_int_equal(count_lines(cppath, "event=every"), 1);
    append(s, 99, 1);
    assert_int_equal(count_lines(cppath, "event=every"), 1);
    append(s, 1, 1);
    assert_int_equal(count_lines(cppath, "seq=101 "), 1);
    assert_int_equal(audit_verify(s, &r), ERR_OK);
    assert_int_equal(r.rows, 101);
    assert_int_equal(r.checkpoints, 2);

    /* a new key for the rows to come; the old rows still verify */
    assert_int_equal(audit_rotate_key(s, "test", T0, id, &r), ERR_OK);
    assert_int_equal(auditkey_load(keypath, &ring, msg, sizeof(msg)), ERR_OK);
    assert_int_equal(ring.n, 2);
    assert_string_equal(ring.k[1].id, id);
    assert_int_equal(ring.k[1].from, 102);
    assert_int_equal(count_lines(cppath, "event=rotate"), 1);
    append(s, 3, 1);
    struct store_audit last;
    assert_int_equal(store_audit_last(s, &last), ERR_OK);
    assert_string_equal(last.key_id, id);
    assert_int_equal(audit_verify(s, &r), ERR_OK);
    auditkey_ring_release(&ring);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_parse),
        cmocka_unit_test(test_ring_file),
        cmocka_unit_test(test_checkpoint_lines),
        cmocka_unit_test(test_trail_checkpoints_and_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
