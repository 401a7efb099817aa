/* store_pay.c - paying out's storage (store_pay.h), in portable SQL. */
#include "store/store_pay.h"

#include <stdlib.h>
#include <string.h>

#include "store/sql.h"
#include "util/str.h"

static void pay_state_col(void *field, const char *text)
{
    enum payment_state st = PAYMENT_CREATED;
    for (int i = 0; i < PAYMENT_STATE_COUNT; i++)
        if (strcmp(text, payment_state_id((enum payment_state)i)) == 0)
            st = (enum payment_state)i;
    memcpy(field, &st, sizeof(st));
}

static void acct_col(void *field, const char *text)
{
    enum payment_acct k = payment_acct_parse(text);
    memcpy(field, &k, sizeof(k));
}

static void date_col(void *field, const char *text)
{
    struct date d;
    if (date_parse(text, &d) != ERR_OK)
        memset(&d, 0, sizeof(d));
    memcpy(field, &d, sizeof(d));
}

static void batch_state_col(void *field, const char *text)
{
    int i = payment_batch_state_parse(text);
    enum payment_batch_state st = i < 0 ? PAYMENT_BATCH_OPEN : (enum payment_batch_state)i;
    memcpy(field, &st, sizeof(st));
}

#define PAY_COLS                                                                                   \
    "id, decision, seq, issue, case_no, program_id, recipient, diarienummer, amount_ore, due,"     \
    " payee_kind, payee_number, payee_clearing, payee_bic, payee_name, ocr, state, batch_id,"      \
    " file_id, bank_code, bank_reason, created_at, created_by, updated_at, updated_by"

static const struct sql_col pay_cols[] = {
    SQL_C_INT(struct store_payment, id),
    SQL_C_TEXT(struct store_payment, p.decision),
    SQL_C_INT(struct store_payment, p.seq),
    SQL_C_INT(struct store_payment, p.issue),
    SQL_C_TEXT(struct store_payment, p.case_no),
    SQL_C_TEXT(struct store_payment, program),
    SQL_C_TEXT(struct store_payment, recipient),
    SQL_C_TEXT(struct store_payment, p.diarienummer),
    SQL_C_INT(struct store_payment, p.amount),
    SQL_C_FN(struct store_payment, p.due, date_col),
    SQL_C_FN(struct store_payment, p.payee.kind, acct_col),
    SQL_C_TEXT(struct store_payment, p.payee.number),
    SQL_C_TEXT(struct store_payment, p.payee.clearing),
    SQL_C_TEXT(struct store_payment, p.payee.bic),
    SQL_C_TEXT(struct store_payment, p.payee.name),
    SQL_C_TEXT(struct store_payment, p.ocr),
    SQL_C_FN(struct store_payment, p.state, pay_state_col),
    SQL_C_OPT(struct store_payment, batch_id),
    SQL_C_TEXT(struct store_payment, p.file_id),
    SQL_C_TEXT(struct store_payment, p.bank_code),
    SQL_C_TEXT(struct store_payment, p.bank_reason),
    SQL_C_TEXT(struct store_payment, created_at),
    SQL_C_TEXT(struct store_payment, created_by),
    SQL_C_TEXT(struct store_payment, updated_at),
    SQL_C_TEXT(struct store_payment, updated_by),
};
static const struct sql_map pay_map = SQL_MAP(struct store_payment, pay_cols);

enum err store_pay_add(struct store *s, struct store_payment *r)
{
    char due[11];
    date_fmt(due, sizeof(due), r->p.due);
    const struct payment *p = &r->p;
    return sql_insert(
        s, "payment add",
        "INSERT INTO payment (decision, seq, issue, case_no, program_id, recipient, diarienummer,"
        " amount_ore, due, payee_kind, payee_number, payee_clearing, payee_bic, payee_name, ocr,"
        " state, batch_id, file_id, bank_code, bank_reason, created_at, created_by, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?,"
        " ?, ?) RETURNING id",
        SQL_ARGS(SQL_TEXT(p->decision), SQL_INT(p->seq), SQL_INT(p->issue), SQL_TEXT(p->case_no),
                 SQL_TEXT(r->program), SQL_TEXT(r->recipient), SQL_TEXT(p->diarienummer),
                 SQL_INT(p->amount), SQL_TEXT(due), SQL_TEXT(payment_acct_id(p->payee.kind)),
                 SQL_TEXT(p->payee.number), SQL_TEXT(p->payee.clearing), SQL_TEXT(p->payee.bic),
                 SQL_TEXT(p->payee.name), SQL_TEXT(p->ocr), SQL_TEXT(payment_state_id(p->state)),
                 SQL_TEXT(p->file_id), SQL_TEXT(p->bank_code), SQL_TEXT(p->bank_reason),
                 SQL_TEXT(r->created_at), SQL_TEXT(r->created_by), SQL_TEXT(r->updated_at),
                 SQL_TEXT(r->updated_by)),
        &r->id);
}

enum err store_pay_update(struct store *s, const struct store_payment *r)
{
    const struct payment *p = &r->p;
    long long changed = 0;
    enum err e = sql_exec(
        s, "payment update",
        "UPDATE payment SET issue = ?, state = ?, payee_kind = ?, payee_number = ?,"
        " payee_clearing = ?, payee_bic = ?, payee_name = ?, batch_id = ?, file_id = ?,"
        " bank_code = ?, bank_reason = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        SQL_ARGS(SQL_INT(p->issue), SQL_TEXT(payment_state_id(p->state)),
                 SQL_TEXT(payment_acct_id(p->payee.kind)), SQL_TEXT(p->payee.number),
                 SQL_TEXT(p->payee.clearing), SQL_TEXT(p->payee.bic), SQL_TEXT(p->payee.name),
                 r->batch_id > 0 ? SQL_INT(r->batch_id) : SQL_NULL, SQL_TEXT(p->file_id),
                 SQL_TEXT(p->bank_code), SQL_TEXT(p->bank_reason), SQL_TEXT(r->updated_at),
                 SQL_TEXT(r->updated_by), SQL_INT(r->id)),
        &changed);
    return e == ERR_OK && changed != 1 ? ERR_NOTFOUND : e;
}

enum err store_pay_get(struct store *s, const char *decision, int seq, struct store_payment *out)
{
    return sql_get(s, "payment get",
                   "SELECT " PAY_COLS " FROM payment WHERE decision = ? AND seq = ?",
                   SQL_ARGS(SQL_TEXT(decision), SQL_INT(seq)), &pay_map, out);
}

enum err store_pay_list(struct store *s, const struct store_pay_filter *f,
                        struct store_payment **out, size_t *n)
{
    /* each condition is off when its first parameter says "any" */
    return sql_list(
        s, "payment list",
        "SELECT " PAY_COLS " FROM payment WHERE (? = 1 OR program_id = ?)"
        " AND (? = -1 OR (? = 0 AND batch_id IS NULL) OR batch_id = ?)"
        " AND (? = -1 OR state = ?) AND (? = 1 OR file_id = ?)"
        " AND (? = 1 OR recipient = ? OR recipient = ?) ORDER BY decision, seq",
        SQL_ARGS(SQL_INT(f->program == NULL), SQL_TEXT(f->program ? f->program : ""),
                 SQL_INT(f->batch_id < 0 ? -1 : 1), SQL_INT(f->batch_id), SQL_INT(f->batch_id),
                 SQL_INT(f->state < 0 ? -1 : 1),
                 SQL_TEXT(f->state < 0 ? "" : payment_state_id((enum payment_state)f->state)),
                 SQL_INT(f->file_id == NULL), SQL_TEXT(f->file_id ? f->file_id : ""),
                 SQL_INT(f->recipient == NULL), SQL_TEXT(f->recipient ? f->recipient : ""),
                 SQL_TEXT(f->recipient2  ? f->recipient2
                          : f->recipient ? f->recipient
                                         : "")),
        &pay_map, (void **)out, n);
}

struct decision_row {
    char number[PAYMENT_DECISION_SIZE];
};
static const struct sql_col decision_cols[] = {SQL_C_TEXT(struct decision_row, number)};
static const struct sql_map decision_map = SQL_MAP(struct decision_row, decision_cols);

enum err store_pay_decisions(struct store *s, const char *program,
                             char (**out)[PAYMENT_DECISION_SIZE], size_t *n)
{
    return sql_list(s, "payment decisions",
                    "SELECT DISTINCT decision FROM payment WHERE program_id = ? ORDER BY decision",
                    SQL_ARGS(SQL_TEXT(program)), &decision_map, (void **)out, n);
}

#define BATCH_COLS                                                                                 \
    "id, number, number, state, prepared_by, attested_by, attested_at, returned_by,"               \
    " return_reason, file_id, created_at, created_by"
static const struct sql_col batch_cols[] = {
    SQL_C_INT(struct store_pay_batch, id),
    SQL_C_TEXT(struct store_pay_batch, number),
    SQL_C_TEXT(struct store_pay_batch, b.id),
    SQL_C_FN(struct store_pay_batch, b.state, batch_state_col),
    SQL_C_TEXT(struct store_pay_batch, b.prepared_by),
    SQL_C_TEXT(struct store_pay_batch, b.attested_by),
    SQL_C_TEXT(struct store_pay_batch, attested_at),
    SQL_C_TEXT(struct store_pay_batch, b.returned_by),
    SQL_C_TEXT(struct store_pay_batch, b.return_reason),
    SQL_C_TEXT(struct store_pay_batch, b.file_id),
    SQL_C_TEXT(struct store_pay_batch, created_at),
    SQL_C_TEXT(struct store_pay_batch, created_by),
};
static const struct sql_map batch_map = SQL_MAP(struct store_pay_batch, batch_cols);

enum err store_pay_batch_add(struct store *s, struct store_pay_batch *b)
{
    return sql_insert(s, "payment batch add",
                      "INSERT INTO pay_batch (number, state, prepared_by, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, ?) RETURNING id",
                      SQL_ARGS(SQL_TEXT(b->number), SQL_TEXT(payment_batch_state_id(b->b.state)),
                               SQL_TEXT(b->b.prepared_by), SQL_TEXT(b->created_at),
                               SQL_TEXT(b->created_by)),
                      &b->id);
}

enum err store_pay_batch_update(struct store *s, const struct store_pay_batch *b)
{
    long long changed = 0;
    enum err e = sql_exec(
        s, "payment batch update",
        "UPDATE pay_batch SET state = ?, prepared_by = ?, attested_by = ?, attested_at = ?,"
        " returned_by = ?, return_reason = ?, file_id = ? WHERE id = ?",
        SQL_ARGS(SQL_TEXT(payment_batch_state_id(b->b.state)), SQL_TEXT(b->b.prepared_by),
                 SQL_TEXT(b->b.attested_by), SQL_TEXT(b->attested_at), SQL_TEXT(b->b.returned_by),
                 SQL_TEXT(b->b.return_reason), SQL_TEXT(b->b.file_id), SQL_INT(b->id)),
        &changed);
    return e == ERR_OK && changed != 1 ? ERR_NOTFOUND : e;
}

enum err store_pay_batch_get(struct store *s, const char *number, struct store_pay_batch *out)
{
    return sql_get(s, "payment batch get", "SELECT " BATCH_COLS " FROM pay_batch WHERE number = ?",
                   SQL_ARGS(SQL_TEXT(number)), &batch_map, out);
}

enum err store_pay_batch_get_id(struct store *s, long long id, struct store_pay_batch *out)
{
    return sql_get(s, "payment batch get", "SELECT " BATCH_COLS " FROM pay_batch WHERE id = ?",
                   SQL_ARGS(SQL_INT(id)), &batch_map, out);
}

enum err store_pay_batches(struct store *s, struct store_pay_batch **out, size_t *n)
{
    return sql_list(s, "payment batches", "SELECT " BATCH_COLS " FROM pay_batch ORDER BY id DESC",
                    SQL_NOARGS, &batch_map, (void **)out, n);
}

static const struct sql_col file_cols[] = {
    SQL_C_TEXT(struct store_pay_file, msg_id),  SQL_C_INT(struct store_pay_file, batch_id),
    SQL_C_TEXT(struct store_pay_file, created), SQL_C_TEXT(struct store_pay_file, today),
    SQL_C_TEXT(struct store_pay_file, sha256),  SQL_C_BLOB(struct store_pay_file, content, len),
    SQL_C_TEXT(struct store_pay_file, state),   SQL_C_TEXT(struct store_pay_file, bank_status),
    SQL_C_TEXT(struct store_pay_file, made_at), SQL_C_TEXT(struct store_pay_file, made_by),
};
static const struct sql_map file_map = SQL_MAP(struct store_pay_file, file_cols);

void store_pay_file_release(struct store_pay_file *f)
{
    if (f) {
        free(f->content);
        f->content = NULL;
        f->len = 0;
    }
}

enum err store_pay_file_add(struct store *s, const struct store_pay_file *f)
{
    return sql_exec(s, "payment file add",
                    "INSERT INTO pay_file (msg_id, batch_id, created, today, sha256, content,"
                    " state, bank_status, made_at, made_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    SQL_ARGS(SQL_TEXT(f->msg_id), SQL_INT(f->batch_id), SQL_TEXT(f->created),
                             SQL_TEXT(f->today), SQL_TEXT(f->sha256), SQL_TEXT(f->content),
                             SQL_TEXT(f->state), SQL_TEXT(f->bank_status), SQL_TEXT(f->made_at),
                             SQL_TEXT(f->made_by)),
                    NULL);
}

enum err store_pay_file_set(struct store *s, const char *msg_id, const char *state,
                            const char *bank_status)
{
    long long changed = 0;
    enum err e = sql_exec(
        s, "payment file set", "UPDATE pay_file SET state = ?, bank_status = ? WHERE msg_id = ?",
        SQL_ARGS(SQL_TEXT(state), SQL_TEXT(bank_status), SQL_TEXT(msg_id)), &changed);
    return e == ERR_OK && changed != 1 ? ERR_NOTFOUND : e;
}

enum err store_pay_file_get(struct store *s, const char *msg_id, struct store_pay_file *out)
{
    return sql_get(s, "payment file get",
                   "SELECT msg_id, batch_id, created, today, sha256, content, state, bank_status,"
                   " made_at, made_by FROM pay_file WHERE msg_id = ?",
                   SQL_ARGS(SQL_TEXT(msg_id)), &file_map, out);
}

enum err store_pay_file_count(struct store *s, long long batch_id, int64_t *n)
{
    return sql_int(s, "payment file count", "SELECT COUNT(*) FROM pay_file WHERE batch_id = ?",
                   SQL_ARGS(SQL_INT(batch_id)), n);
}

static const struct sql_col settings_cols[] = {
    SQL_C_TEXT(struct store_pay_settings, bank),
    SQL_C_TEXT(struct store_pay_settings, debtor_name),
    SQL_C_TEXT(struct store_pay_settings, debtor_iban),
    SQL_C_TEXT(struct store_pay_settings, debtor_bic),
    SQL_C_TEXT(struct store_pay_settings, initg_id),
};
static const struct sql_map settings_map = SQL_MAP(struct store_pay_settings, settings_cols);

enum err store_pay_settings_get(struct store *s, struct store_pay_settings *out)
{
    return sql_get(s, "payment settings get",
                   "SELECT bank, debtor_name, debtor_iban, debtor_bic, initg_id"
                   " FROM pay_settings WHERE id = 1",
                   SQL_NOARGS, &settings_map, out);
}

enum err store_pay_settings_put(struct store *s, const struct store_pay_settings *in,
                                const char *at, const char *by)
{
    enum err e =
        sql_exec(s, "payment settings clear", "DELETE FROM pay_settings", SQL_NOARGS, NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "payment settings put",
                     "INSERT INTO pay_settings (id, bank, debtor_name, debtor_iban, debtor_bic,"
                     " initg_id, set_at, set_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                     SQL_ARGS(SQL_TEXT(in->bank), SQL_TEXT(in->debtor_name),
                              SQL_TEXT(in->debtor_iban), SQL_TEXT(in->debtor_bic),
                              SQL_TEXT(in->initg_id), SQL_TEXT(at), SQL_TEXT(by)),
                     NULL);
    return e;
}

enum err store_pay_limit_get(struct store *s, const char *login, int64_t *limit)
{
    return sql_int(s, "attest limit get", "SELECT limit_ore FROM pay_limit WHERE login = ?",
                   SQL_ARGS(SQL_TEXT(login)), limit);
}

enum err store_pay_limit_put(struct store *s, const char *login, int64_t limit, const char *at,
                             const char *by)
{
    enum err e = sql_exec(s, "attest limit clear", "DELETE FROM pay_limit WHERE login = ?",
                          SQL_ARGS(SQL_TEXT(login)), NULL);
    if (e == ERR_OK)
        e = sql_exec(s, "attest limit put",
                     "INSERT INTO pay_limit (login, limit_ore, set_at, set_by) VALUES (?, ?, ?, ?)",
                     SQL_ARGS(SQL_TEXT(login), SQL_INT(limit), SQL_TEXT(at), SQL_TEXT(by)), NULL);
    return e;
}
