/* store_redist.c - store_redist.h over any driver: redistribution runs,
 * one per program and block. */
#include "store/store_redist.h"

#include "store/sql.h"

static const struct sql_col run_cols[] = {
    SQL_C_INT(struct store_redist_run, id),
    SQL_C_TEXT(struct store_redist_run, program),
    SQL_C_TEXT(struct store_redist_run, block),
    SQL_C_INT(struct store_redist_run, unrequisitioned_ore),
    SQL_C_INT(struct store_redist_run, redistributed_ore),
    SQL_C_INT(struct store_redist_run, remaining_ore),
    SQL_C_TEXT(struct store_redist_run, run_at),
    SQL_C_TEXT(struct store_redist_run, run_by),
};
static const struct sql_map run_map = SQL_MAP(struct store_redist_run, run_cols);

enum err store_redist_run_get(struct store *s, const char *program, const char *block,
                              struct store_redist_run *out)
{
    return sql_get(s, "redistribution get",
                   "SELECT id, program_id, block_id, unrequisitioned_ore, redistributed_ore,"
                   " remaining_ore, run_at, run_by FROM req_redist_run"
                   " WHERE program_id = ? AND block_id = ?",
                   SQL_ARGS(SQL_TEXT(program), SQL_TEXT(block)), &run_map, out);
}

enum err store_redist_run_add(struct store *s, struct store_redist_run *r)
{
    return sql_insert(s, "redistribution add",
                      "INSERT INTO req_redist_run (program_id, block_id, unrequisitioned_ore,"
                      " redistributed_ore, remaining_ore, run_at, run_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(r->program), SQL_TEXT(r->block),
                               SQL_INT(r->unrequisitioned_ore), SQL_INT(r->redistributed_ore),
                               SQL_INT(r->remaining_ore), SQL_TEXT(r->run_at), SQL_TEXT(r->run_by)),
                      &r->id);
}
