/* store_ledger.c - the appropriation ledger's own rows (store_ledger.h),
 * in portable SQL. */
#include "store/store_ledger.h"

#include "store/sql.h"

static const struct sql_col cost_cols[] = {
    SQL_C_INT(struct store_ledger_cost, id),
    SQL_C_TEXT(struct store_ledger_cost, program),
    SQL_C_TEXT(struct store_ledger_cost, item),
    SQL_C_INT(struct store_ledger_cost, amount_ore),
    SQL_C_TEXT(struct store_ledger_cost, booked_on),
    SQL_C_TEXT(struct store_ledger_cost, text),
    SQL_C_TEXT(struct store_ledger_cost, created_at),
    SQL_C_TEXT(struct store_ledger_cost, created_by),
};

enum err store_ledger_cost_add(struct store *s, struct store_ledger_cost *c)
{
    return sql_insert(s, "own cost add",
                      "INSERT INTO ledger_cost (program_id, item, amount_ore, booked_on, text,"
                      " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(c->program), SQL_TEXT(c->item), SQL_INT(c->amount_ore),
                               SQL_TEXT(c->booked_on), SQL_TEXT(c->text), SQL_TEXT(c->created_at),
                               SQL_TEXT(c->created_by)),
                      &c->id);
}

enum err store_ledger_costs(struct store *s, const char *program, struct store_ledger_cost **out,
                            size_t *n)
{
    static const struct sql_map m = SQL_MAP(struct store_ledger_cost, cost_cols);
    return sql_list(s, "own costs",
                    "SELECT id, program_id, item, amount_ore, booked_on, text, created_at,"
                    " created_by FROM ledger_cost WHERE program_id = ? ORDER BY id",
                    SQL_ARGS(SQL_TEXT(program)), &m, (void **)out, n);
}
