/* store_outbox.c - the outbox of notifications (store_outbox.h), in
 * portable SQL. */
#include "store/store_outbox.h"

#include "store/sql.h"

static const struct sql_col outbox_cols[] = {
    SQL_C_INT(struct store_outbox, id),          SQL_C_TEXT(struct store_outbox, event),
    SQL_C_TEXT(struct store_outbox, object),     SQL_C_TEXT(struct store_outbox, dedup),
    SQL_C_TEXT(struct store_outbox, to_addr),    SQL_C_TEXT(struct store_outbox, lang),
    SQL_C_TEXT(struct store_outbox, subject),    SQL_C_TEXT(struct store_outbox, body),
    SQL_C_TEXT(struct store_outbox, state),      SQL_C_INT(struct store_outbox, attempts),
    SQL_C_TEXT(struct store_outbox, next_at),    SQL_C_TEXT(struct store_outbox, last_error),
    SQL_C_TEXT(struct store_outbox, created_at), SQL_C_TEXT(struct store_outbox, sent_at),
};
static const struct sql_map outbox_map = SQL_MAP(struct store_outbox, outbox_cols);

#define OUTBOX_COLS                                                                                \
    "id, event, object, dedup, to_addr, lang, subject, body, state, attempts, next_at,"            \
    " last_error, created_at, sent_at"

enum err store_outbox_add(struct store *s, struct store_outbox *m, int *queued)
{
    long long n = 0;
    if (queued)
        *queued = 0;
    /* the dedup key decides: an event queued once is not queued again */
    enum err e = sql_exec(s, "outbox add",
                          "INSERT INTO outbox (event, object, dedup, to_addr, lang, subject, body,"
                          " state, attempts, next_at, last_error, created_at, sent_at)"
                          " SELECT ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?, ''"
                          " WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE dedup = ?)",
                          SQL_ARGS(SQL_TEXT(m->event), SQL_TEXT(m->object), SQL_TEXT(m->dedup),
                                   SQL_TEXT(m->to_addr), SQL_TEXT(m->lang), SQL_TEXT(m->subject),
                                   SQL_TEXT(m->body), SQL_TEXT(m->created_at),
                                   SQL_TEXT(m->created_at), SQL_TEXT(m->dedup)),
                          &n);
    if (e != ERR_OK || n == 0)
        return e;
    if (queued)
        *queued = 1;
    int64_t id = 0;
    e = sql_int(s, "outbox add", "SELECT id FROM outbox WHERE dedup = ?",
                SQL_ARGS(SQL_TEXT(m->dedup)), &id);
    m->id = (long long)id;
    return e;
}

enum err store_outbox_due(struct store *s, const char *now, size_t max, struct store_outbox **out,
                          size_t *n)
{
    return sql_list(s, "outbox due",
                    "SELECT " OUTBOX_COLS " FROM outbox WHERE state = 'pending' AND next_at <= ?"
                    " ORDER BY id LIMIT ?",
                    SQL_ARGS(SQL_TEXT(now), SQL_INT(max)), &outbox_map, (void **)out, n);
}

enum err store_outbox_list(struct store *s, const char *state, size_t max,
                           struct store_outbox **out, size_t *n)
{
    if (state)
        return sql_list(s, "outbox list",
                        "SELECT " OUTBOX_COLS " FROM outbox WHERE state = ? ORDER BY id DESC"
                        " LIMIT ?",
                        SQL_ARGS(SQL_TEXT(state), SQL_INT(max)), &outbox_map, (void **)out, n);
    return sql_list(s, "outbox list", "SELECT " OUTBOX_COLS " FROM outbox ORDER BY id DESC LIMIT ?",
                    SQL_ARGS(SQL_INT(max)), &outbox_map, (void **)out, n);
}

enum err store_outbox_mark(struct store *s, const struct store_outbox *m)
{
    long long n = 0;
    enum err e = sql_exec(s, "outbox mark",
                          "UPDATE outbox SET state = ?, attempts = ?, next_at = ?, last_error = ?,"
                          " sent_at = ? WHERE id = ? AND state = 'pending'",
                          SQL_ARGS(SQL_TEXT(m->state), SQL_INT(m->attempts), SQL_TEXT(m->next_at),
                                   SQL_TEXT(m->last_error), SQL_TEXT(m->sent_at), SQL_INT(m->id)),
                          &n);
    if (e == ERR_OK && n == 0)
        e = ERR_CONFLICT;
    return e;
}
