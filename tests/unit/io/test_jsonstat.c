/* test_jsonstat.c - the JSON-stat 2.0 writer, parsed back with jansson and
 * compared with hand-computed expectations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/cube.h"
#include "io/jsonstat.h"
#include "util/buf.h"

static void test_dataset(void **state)
{
    (void)state;
    struct cube c;
    cube_init(&c);
    const char *rc[] = {"01", "03"};
    const char *rl[] = {"Stockholms l\xc3\xa4n", "Uppsala l\xc3\xa4n"};
    const char *yc[] = {"2023", "2024"};
    const char *mc[] = {"n"};
    assert_int_equal(cube_add_dim(&c, "region", "Region", 2, rc, rl), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "tid", "\xc3\x85r", 2, yc, NULL), ERR_OK);
    assert_int_equal(cube_add_dim(&c, "matt", "M\xc3\xa5tt", 1, mc, NULL), ERR_OK);
    c.dims[1].is_time = 1;
    c.dims[2].is_contents = 1;
    c.dims[2].val_units = calloc(1, sizeof(char *));
    c.dims[2].val_units[0] = strdup("antal");
    c.dims[2].val_decimals = calloc(1, sizeof(int));
    c.dims[2].val_decimals[0] = 1;
    assert_int_equal(cube_alloc_cells(&c), ERR_OK);
    c.value[0] = 10;
    c.value[1] = 12.5;
    c.status[2] = CUBE_SUPPRESSED;
    c.status[3] = CUBE_MISSING;
    cube_set_str(&c.title, "Sjuksk\xc3\xb6terskor");
    cube_set_str(&c.source, "Socialstyrelsen");
    cube_set_str(&c.note, "x = undertryckt");
    cube_set_str(&c.updated, "2025-01-31T12:00:00");
    struct buf b;
    buf_init(&b, BUF_DEFAULT_MAX);
    assert_int_equal(jsonstat_write_cube(&c, &b), ERR_OK);
    json_error_t je;
    json_t *j = json_loads(b.p, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.0");
    assert_string_equal(json_string_value(json_object_get(j, "class")), "dataset");
    assert_string_equal(json_string_value(json_object_get(j, "label")), "Sjuksk\xc3\xb6terskor");
    assert_string_equal(json_string_value(json_object_get(j, "source")), "Socialstyrelsen");
    assert_string_equal(json_string_value(json_object_get(j, "updated")), "2025-01-31T12:00:00");
    json_t *id = json_object_get(j, "id");
    assert_int_equal(json_array_size(id), 3);
    assert_string_equal(json_string_value(json_array_get(id, 1)), "tid");
    json_t *size = json_object_get(j, "size");
    assert_int_equal(json_integer_value(json_array_get(size, 0)), 2);
    assert_int_equal(json_integer_value(json_array_get(size, 2)), 1);
    json_t *role = json_object_get(j, "role");
    assert_string_equal(json_string_value(json_array_get(json_object_get(role, "time"), 0)), "tid");
    assert_string_equal(json_string_value(json_array_get(json_object_get(role, "metric"), 0)),
                        "matt");
    json_t *reg = json_object_get(json_object_get(j, "dimension"), "region");
    assert_string_equal(json_string_value(json_object_get(reg, "label")), "Region");
    json_t *cat = json_object_get(reg, "category");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cat, "index"), 1)), "03");
    assert_string_equal(json_string_value(json_object_get(json_object_get(cat, "label"), "03")),
                        "Uppsala l\xc3\xa4n");
    json_t *unit = json_object_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(j, "dimension"), "matt"), "category"),
            "unit"),
        "n");
    assert_string_equal(json_string_value(json_object_get(unit, "label")), "antal");
    assert_int_equal(json_integer_value(json_object_get(unit, "decimals")), 1);
    json_t *value = json_object_get(j, "value");
    assert_int_equal(json_array_size(value), 4);
    assert_true(json_is_integer(json_array_get(value, 0)));
    assert_int_equal(json_integer_value(json_array_get(value, 0)), 10);
    assert_true(json_real_value(json_array_get(value, 1)) == 12.5);
    assert_true(json_is_null(json_array_get(value, 2)));
    assert_true(json_is_null(json_array_get(value, 3)));
    json_t *status = json_object_get(j, "status");
    assert_int_equal(json_object_size(status), 2);
    assert_string_equal(json_string_value(json_object_get(status, "2")), "x");
    assert_string_equal(json_string_value(json_object_get(status, "3")), "..");
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "note"), 0)),
                        "x = undertryckt");
    json_t *sym = json_object_get(json_object_get(j, "extension"), "status");
    assert_non_null(json_object_get(sym, "x"));
    json_decref(j);
    buf_release(&b);
    cube_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_dataset)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
