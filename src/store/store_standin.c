/* store_standin.c - confirmations of stand-in data (store_standin.h), in
 * portable SQL. */
#include "store/store_standin.h"

#include "store/sql.h"

static const struct sql_col standin_cols[] = {
    SQL_C_INT(struct store_standin, id),
    SQL_C_TEXT(struct store_standin, program),
    SQL_C_TEXT(struct store_standin, basis),
    SQL_C_TEXT(struct store_standin, reason),
    SQL_C_TEXT(struct store_standin, confirmed_by),
    SQL_C_TEXT(struct store_standin, confirmed_at),
};
static const struct sql_map standin_map = SQL_MAP(struct store_standin, standin_cols);

enum err store_standin_add(struct store *s, struct store_standin *r)
{
    return sql_insert(s, "stand-in confirmation add",
                      "INSERT INTO program_standin (program_id, basis, reason, confirmed_by,"
                      " confirmed_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(r->program), SQL_TEXT(r->basis), SQL_TEXT(r->reason),
                               SQL_TEXT(r->confirmed_by), SQL_TEXT(r->confirmed_at)),
                      &r->id);
}

enum err store_standin_last(struct store *s, const char *program, struct store_standin *out)
{
    return sql_get(s, "stand-in confirmation get",
                   "SELECT id, program_id, basis, reason, confirmed_by, confirmed_at"
                   " FROM program_standin WHERE program_id = ? ORDER BY id DESC LIMIT 1",
                   SQL_ARGS(SQL_TEXT(program)), &standin_map, out);
}
