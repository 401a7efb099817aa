/* test_zipdir.c - the central directory of ZIP files built here by the
 * book (APPNOTE 4.3.7, 4.3.12, 4.3.16), of a real workbook written by
 * libxlsxwriter, and of broken ones: cut short, offsets out of range,
 * counts that disagree, a comment, ZIP64 markers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>

#include "util/buf.h"
#include "util/zipdir.h"

static size_t o;
static unsigned char z[4096];

static void u16(unsigned v)
{
    z[o++] = (unsigned char)(v & 0xff);
    z[o++] = (unsigned char)((v >> 8) & 0xff);
}

static void u32(unsigned long v)
{
    u16((unsigned)(v & 0xffff));
    u16((unsigned)((v >> 16) & 0xffff));
}

/* A stored ZIP of empty entries with these names and an archive comment;
 * *eocd gets the offset of the end record. */
static size_t build(const char *const *names, size_t n, const char *comment, size_t *eocd)
{
    size_t offs[16], cd;
    o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        offs[i] = o;
        u32(0x04034b50ul);
        u16(20), u16(0), u16(0), u16(0), u16(0);
        u32(0), u32(0), u32(0);
        u16((unsigned)len), u16(0);
        memcpy(z + o, names[i], len);
        o += len;
    }
    cd = o;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        u32(0x02014b50ul);
        u16(20), u16(20), u16(0), u16(0), u16(0), u16(0);
        u32(0), u32(0), u32(0);
        u16((unsigned)len), u16(0), u16(0), u16(0), u16(0);
        u32(0), u32(offs[i]);
        memcpy(z + o, names[i], len);
        o += len;
    }
    size_t cd_size = o - cd;
    *eocd = o;
    u32(0x06054b50ul);
    u16(0), u16(0), u16((unsigned)n), u16((unsigned)n);
    u32(cd_size), u32(cd);
    u16((unsigned)strlen(comment));
    memcpy(z + o, comment, strlen(comment));
    o += strlen(comment);
    return o;
}

static const char *const xlsx[] = {"[Content_Types].xml", "xl/workbook.xml"};

static int count_names(void *ctx, const char *name, size_t len)
{
    (void)name;
    (void)len;
    (*(int *)ctx)++;
    return 0;
}

static void test_well_formed(void **state)
{
    (void)state;
    const char *names[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"};
    size_t e, len = build(names, 3, "", &e);
    int n = 0;
    assert_int_equal(zipdir_each(z, len, count_names, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_true(zipdir_has_all(z, len, xlsx, 2));
    /* with an archive comment that itself looks like an end record */
    len = build(names, 3, "PK\x05\x06 not the end", &e);
    assert_true(zipdir_has_all(z, len, xlsx, 2));
    /* a plain ZIP, and one with only one of the two parts */
    const char *plain[] = {"hello.txt"};
    len = build(plain, 1, "", &e);
    assert_int_equal(zipdir_each(z, len, NULL, NULL), ERR_OK);
    assert_false(zipdir_has_all(z, len, xlsx, 2));
    const char *half[] = {"[Content_Types].xml", "xl/Workbook.xml"};
    len = build(half, 2, "", &e);
    assert_false(zipdir_has_all(z, len, xlsx, 2));
}

static void test_broken(void **state)
{
    (void)state;
    const char *names[] = {"[Content_Types].xml", "xl/workbook.xml"};
    size_t e, len = build(names, 2, "", &e);
    /* every cut is refused */
    for (size_t cut = 0; cut < len; cut++)
        assert_false(zipdir_has_all(z, cut, xlsx, 2));
    assert_int_equal(zipdir_each(NULL, 0, NULL, NULL), ERR_PARSE);
    unsigned char keep[4096];
    memcpy(keep, z, len);
    struct {
        size_t at;
        unsigned char v;
    } edits[] = {
        {e + 10, 3},    /* total entries disagrees with the directory */
        {e + 8, 1},     /* entries on this disk differ from the total */
        {e + 4, 1},     /* another disk */
        {e + 12, 0xff}, /* directory size beyond the data */
        {e + 19, 0x7f}, /* directory offset beyond the data */
        {e + 20, 1},    /* a comment length that runs past the end */
        {e - 33, 0xff}, /* the last name's length runs past the directory */
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        memcpy(z, keep, len);
        z[edits[i].at] = edits[i].v;
        assert_false(zipdir_has_all(z, len, xlsx, 2));
    }
    /* ZIP64 markers */
    memcpy(z, keep, len);
    z[e + 8] = z[e + 9] = z[e + 10] = z[e + 11] = 0xff;
    assert_int_equal(zipdir_each(z, len, NULL, NULL), ERR_PARSE);
    memcpy(z, keep, len);
    memset(z + e + 16, 0xff, 4);
    assert_int_equal(zipdir_each(z, len, NULL, NULL), ERR_PARSE);
    /* a directory entry pointing at a local header past the directory */
    memcpy(z, keep, len);
    size_t cd = (size_t)z[e + 16] | (size_t)z[e + 17] << 8;
    z[cd + 42] = 0xff;
    assert_false(zipdir_has_all(z, len, xlsx, 2));
    /* a bad directory signature */
    memcpy(z, keep, len);
    z[cd] = 'X';
    assert_false(zipdir_has_all(z, len, xlsx, 2));
}

/* A workbook written by libxlsxwriter, as Excel-compatible as it gets. */
static void test_real_workbook(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "/tmp/bidrag-test-zipdir-%d.xlsx", (int)getpid());
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Plan");
    worksheet_write_string(ws, 0, 0, "Insats", NULL);
    worksheet_write_number(ws, 0, 1, 1250000, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    struct buf b;
    buf_init(&b, 1 << 24);
    assert_int_equal(buf_read_file(&b, path), ERR_OK);
    unlink(path);
    assert_true(zipdir_has_all((const unsigned char *)b.p, b.len, xlsx, 2));
    const char *other[] = {"word/document.xml"};
    assert_false(zipdir_has_all((const unsigned char *)b.p, b.len, other, 1));
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_real_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
