/* msg.h - a message for people as a key and typed arguments, rendered in
 * a language only when it is shown.
 *
 * The key is the Swedish text (the gettext msgid) with placeholders {1}
 * to {4} where the arguments go, so that a translation may put them in
 * another order and no format string ever comes from data. Keys are made
 * only by M_("..."), which `make po` (xgettext --keyword=M_) finds, so
 * that every message the program can show is in the catalog po/en.po
 * (util/i18n.h) and a test fails on one that is not. The arguments are
 * typed values formatted for the language when the message is rendered:
 * "1 234 kr" / "SEK 1,234", "22 januari 2026" / "22 January 2026".
 *
 * A service puts the sentence for the top of a page in a struct msg and
 * the messages next to form fields in a struct msg_issues; the web, the
 * PDFs and the command line render them. */
#ifndef BIDRAG_UTIL_MSG_H
#define BIDRAG_UTIL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"
#include "util/i18n.h"

/* A message key: only M_() makes one, so that xgettext sees every key. */
struct msgkey {
    const char *sv;
};
#define M_(s) ((struct msgkey){(s)})
/* A text marked for the catalog but kept as a plain string: labels held in
 * tables and translated where shown (i18n_tr, the web's T()). */
#define N_(s) (s)

enum msg_arg_type {
    MSG_STR,   /* text as it is */
    MSG_TEXT,  /* a catalog text (marked N_), translated when rendered */
    MSG_INT,   /* a whole number, plain digits (years, versions, counts) */
    MSG_MONEY, /* öre: "1 234 kr", "12,50 kr" / "SEK 1,234", "SEK 12.50" */
    MSG_KR,    /* whole kronor: "1 234 kr" / "SEK 1,234" */
    MSG_DATE,  /* a civil date: "22 januari 2026" / "22 January 2026" */
    MSG_TIME   /* Unix seconds, Stockholm time: "2026-04-15 12:00" */
};
#define MSG_ARG_LEN 160 /* a text argument is cut (at a character) to fit */
struct msg_arg {
    enum msg_arg_type t;
    int64_t i;
    struct date d;
    char s[MSG_ARG_LEN];
};
#define MSG_MAX_ARGS 4
struct msg {
    const char *key; /* NULL: no message */
    size_t nargs;
    struct msg_arg args[MSG_MAX_ARGS];
};

struct msg_arg msg_str(const char *s);
struct msg_arg msg_text(const char *sv);
struct msg_arg msg_int(int64_t v);
struct msg_arg msg_money(int64_t ore);
struct msg_arg msg_kr(int64_t kr);
struct msg_arg msg_date(struct date d);
struct msg_arg msg_time(int64_t t);

void msg_clear(struct msg *m);
/* 1 when m holds no message. */
int msg_empty(const struct msg *m);
/* Set a message without arguments. */
void msg_set(struct msg *m, struct msgkey key);
/* Set a message with n arguments (at most MSG_MAX_ARGS are kept). */
void msg_setv(struct msg *m, struct msgkey key, size_t n, const struct msg_arg *args);
/* msg_setf(m, M_("Rekvisitionen {1} är mottagen."), msg_str(case_no)) */
#define msg_setf(m, key, ...)                                                                      \
    msg_setv((m), (key), sizeof((struct msg_arg[]){__VA_ARGS__}) / sizeof(struct msg_arg),         \
             (struct msg_arg[]){__VA_ARGS__})

/* Render m in language l into out (n bytes, always terminated; "" for no
 * message): the catalog's text for the key with {1}..{4} replaced by the
 * arguments formatted for l ({n} past the arguments stays as it is).
 * Returns the length written. */
size_t msg_render(const struct msg *m, enum lang l, char *out, size_t n);

/* Messages per form field ("amount", "measure.2.description", ...). */
#define MSG_ISSUES_MAX 48
struct msg_issue {
    char field[32];
    struct msg msg;
};
struct msg_issues {
    size_t n;
    struct msg_issue v[MSG_ISSUES_MAX];
};
void msg_issues_clear(struct msg_issues *is);
/* Add a message for field (past MSG_ISSUES_MAX it is dropped). */
void msg_issue_add(struct msg_issues *is, const char *field, struct msgkey key);
void msg_issue_addv(struct msg_issues *is, const char *field, struct msgkey key, size_t n,
                    const struct msg_arg *args);
#define msg_issue_addf(is, field, key, ...)                                                        \
    msg_issue_addv((is), (field), (key),                                                           \
                   sizeof((struct msg_arg[]){__VA_ARGS__}) / sizeof(struct msg_arg),               \
                   (struct msg_arg[]){__VA_ARGS__})
/* The first message for a field, NULL if none. */
const struct msg *msg_issues_find(const struct msg_issues *is, const char *field);

#endif
