/* payment.c - payments, batches and the rules of paying out. */
#include "core/payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/money.h"
#include "util/msg.h"

/* --- the bank character set ------------------------------------------- */

static int latin_char(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("/-?:().,'+", (int)c) != NULL);
}

static int swedish_letter(unsigned cp)
{
    return cp == 0xE5 || cp == 0xE4 || cp == 0xF6 || cp == 0xC5 || cp == 0xC4 || cp == 0xD6;
}

/* Decode one code point of well-formed UTF-8 (checked before). */
static size_t utf8_next(const unsigned char *p, unsigned *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] < 0xE0) {
        *cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] < 0xF0) {
        *cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *cp = ((unsigned)(p[0] & 0x07) << 18) | ((unsigned)(p[1] & 0x3F) << 12) |
          ((unsigned)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

struct translit {
    unsigned cp;
    const char *to; /* UTF-8 */
};

/* Characters with a plain form the banks accept. Sorted by code point. */
static const struct translit translits[] = {
    {0x09, " "},        {0x0A, " "},        {0x0D, " "},        {0x21, "."},        {0x22, "'"},
    {0x26, "+"},        {0x3B, ","},        {0x5F, "-"},        {0x60, "'"},        {0xA0, " "},
    {0xAB, "'"},        {0xB4, "'"},        {0xBB, "'"},        {0xC0, "A"},        {0xC1, "A"},
    {0xC2, "A"},        {0xC3, "A"},        {0xC6, "\xC3\x84"}, {0xC7, "C"},        {0xC8, "E"},
    {0xC9, "E"},        {0xCA, "E"},        {0xCB, "E"},        {0xCC, "I"},        {0xCD, "I"},
    {0xCE, "I"},        {0xCF, "I"},        {0xD0, "D"},        {0xD1, "N"},        {0xD2, "O"},
    {0xD3, "O"},        {0xD4, "O"},        {0xD5, "O"},        {0xD8, "\xC3\x96"}, {0xD9, "U"},
    {0xDA, "U"},        {0xDB, "U"},        {0xDC, "U"},        {0xDD, "Y"},        {0xDE, "TH"},
    {0xDF, "ss"},       {0xE0, "a"},        {0xE1, "a"},        {0xE2, "a"},        {0xE3, "a"},
    {0xE6, "\xC3\xA4"}, {0xE7, "c"},        {0xE8, "e"},        {0xE9, "e"},        {0xEA, "e"},
    {0xEB, "e"},        {0xEC, "i"},        {0xED, "i"},        {0xEE, "i"},        {0xEF, "i"},
    {0xF0, "d"},        {0xF1, "n"},        {0xF2, "o"},        {0xF3, "o"},        {0xF4, "o"},
    {0xF5, "o"},        {0xF8, "\xC3\xB6"}, {0xF9, "u"},        {0xFA, "u"},        {0xFB, "u"},
    {0xFC, "u"},        {0xFD, "y"},        {0xFE, "th"},       {0xFF, "y"},        {0x10C, "C"},
    {0x10D, "c"},       {0x141, "L"},       {0x142, "l"},       {0x152, "OE"},      {0x153, "oe"},
    {0x160, "S"},       {0x161, "s"},       {0x17D, "Z"},       {0x17E, "z"},       {0x2010, "-"},
    {0x2011, "-"},      {0x2013, "-"},      {0x2014, "-"},      {0x2018, "'"},      {0x2019, "'"},
    {0x201C, "'"},      {0x201D, "'"},      {0x2212, "-"},
};

static const char *translit_of(unsigned cp)
{
    size_t lo = 0, hi = sizeof(translits) / sizeof(translits[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (translits[mid].cp == cp)
            return translits[mid].to;
        if (translits[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Bytes of the first max_chars characters of s (well-formed UTF-8). */
static size_t utf8_prefix(const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return i;
}

enum err payment_bank_text(const char *in, char *out, size_t n, size_t max_chars, int cut,
                           char bad[5])
{
    if (n)
        out[0] = '\0';
    if (bad)
        bad[0] = '\0';
    size_t len = strlen(in);
    if (str_utf8_len(in, len) < 0)
        return ERR_PARSE;
    /* pass 1: map every character into a scratch of bounded size */
    char tmp[4096];
    size_t t = 0;
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t k = utf8_next(p + i, &cp);
        const char *to = NULL;
        char one[5] = {0};
        if ((cp < 0x80 && (latin_char(cp) || cp == ' ')) || swedish_letter(cp)) {
            memcpy(one, p + i, k);
            to = one;
        } else {
            to = translit_of(cp);
        }
        if (!to) {
            if (bad) {
                memcpy(bad, p + i, k);
                bad[k] = '\0';
            }
            return ERR_INVALID;
        }
        for (const char *q = to; *q; q++) {
            char c = *q;
            /* a space after a space (or at the start), '/' after '/' */
            if (c == ' ' && (t == 0 || tmp[t - 1] == ' '))
                continue;
            if (c == '/' && t > 0 && tmp[t - 1] == '/')
                continue;
            if (t + 1 >= sizeof(tmp))
                return ERR_LIMIT;
            tmp[t++] = c;
        }
        i += k;
    }
    while (t > 0 && tmp[t - 1] == ' ')
        t--;
    tmp[t] = '\0';
    long chars = str_utf8_len(tmp, t);
    if (chars < 0)
        return ERR_PARSE;
    if ((size_t)chars > max_chars) {
        if (!cut)
            return ERR_LIMIT;
        t = utf8_prefix(tmp, max_chars);
        while (t > 0 && tmp[t - 1] == ' ')
            t--;
        tmp[t] = '\0';
    }
    if (t + 1 > n)
        return ERR_LIMIT;
    memcpy(out, tmp, t + 1);
    return ERR_OK;
}

int payment_bank_text_ok(const char *s, size_t max_chars)
{
    char out[4096];
    if (!s || !*s || strlen(s) >= sizeof(out))
        return 0;
    if (payment_bank_text(s, out, sizeof(out), max_chars, 0, NULL) != ERR_OK)
        return 0;
    return strcmp(out, s) == 0;
}

int payment_bank_id_ok(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len < 1 || len > PAYMENT_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!latin_char((unsigned char)s[i]))
            return 0;
    if (s[0] == '/' || s[len - 1] == '/' || strstr(s, "//"))
        return 0;
    return 1;
}

/* --- references ------------------------------------------------------- */

int payment_ocr_ok(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len < PAYMENT_OCR_MIN || len > PAYMENT_OCR_MAX)
        return 0;
    return payacct_mod10_ok(s);
}

static int decision_ok(const char *d)
{
    size_t len = d ? strlen(d) : 0;
    if (len == 0 || d[0] == '-' || d[len - 1] == '-')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = d[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

enum err payment_e2e(const char *decision, int seq, int issue, char out[PAYMENT_ID_SIZE])
{
    out[0] = '\0';
    if (!decision_ok(decision) || seq < 1 || seq > PAYMENT_SEQ_MAX || issue < 1 ||
        issue > PAYMENT_ISSUE_MAX)
        return ERR_INVALID;
    char id[80];
    int w = snprintf(id, sizeof(id), "%s-%d-%d", decision, seq, issue);
    if (w < 0 || (size_t)w > PAYMENT_ID_MAX)
        return ERR_LIMIT;
    memcpy(out, id, (size_t)w + 1);
    return ERR_OK;
}

/* A number 1..99 written without leading zero, from s[0..len). */
static int small_number(const char *s, size_t len)
{
    if (len < 1 || len > 2 || s[0] == '0')
        return -1;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum err payment_e2e_parse(const char *e2e, char *decision, size_t n, int *seq, int *issue)
{
    if (n)
        decision[0] = '\0';
    size_t len = e2e ? strlen(e2e) : 0;
    if (len < 5 || len > PAYMENT_ID_MAX)
        return ERR_PARSE;
    const char *last = strrchr(e2e, '-');
    if (!last || last == e2e)
        return ERR_PARSE;
    const char *mid = last - 1;
    while (mid > e2e && *mid != '-')
        mid--;
    if (*mid != '-' || mid == e2e)
        return ERR_PARSE;
    int s = small_number(mid + 1, (size_t)(last - mid - 1));
    int r = small_number(last + 1, strlen(last + 1));
    size_t dlen = (size_t)(mid - e2e);
    if (s < 0 || r < 0 || dlen + 1 > n || dlen >= PAYMENT_DECISION_SIZE)
        return ERR_PARSE;
    char d[PAYMENT_DECISION_SIZE];
    memcpy(d, e2e, dlen);
    d[dlen] = '\0';
    if (!decision_ok(d))
        return ERR_PARSE;
    memcpy(decision, d, dlen + 1);
    *seq = s;
    *issue = r;
    return ERR_OK;
}

/* --- the payee -------------------------------------------------------- */

const char *payment_acct_id(enum payment_acct k)
{
    switch (k) {
    case PAYMENT_ACCT_BANKGIRO:
        return "bankgiro";
    case PAYMENT_ACCT_PLUSGIRO:
        return "plusgiro";
    case PAYMENT_ACCT_IBAN:
        return "iban";
    case PAYMENT_ACCT_BBAN:
        return "bban";
    case PAYMENT_ACCT_NONE:
        break;
    }
    return "";
}

enum payment_acct payment_acct_parse(const char *s)
{
    static const enum payment_acct kinds[] = {PAYMENT_ACCT_BANKGIRO, PAYMENT_ACCT_PLUSGIRO,
                                              PAYMENT_ACCT_IBAN, PAYMENT_ACCT_BBAN};
    if (!s || !s[0])
        return PAYMENT_ACCT_NONE;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(s, payment_acct_id(kinds[i])) == 0)
            return kinds[i];
    return PAYMENT_ACCT_NONE;
}

int payment_bic_ok(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len != 8 && len != 11)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    char c6 = s[6], c7 = s[7];
    if (!((c6 >= 'A' && c6 <= 'Z') || (c6 >= '2' && c6 <= '9')))
        return 0;
    if (!((c7 >= 'A' && c7 <= 'N') || (c7 >= 'P' && c7 <= 'Z') || (c7 >= '0' && c7 <= '9')))
        return 0;
    for (size_t i = 8; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

static enum err payee_fail(struct payment_payee *out, char *msg, size_t n, enum err e,
                           const char *text)
{
    memset(out, 0, sizeof(*out));
    snprintf(msg, n, "%s", text);
    return e;
}

/* Digits of s without spaces and hyphens into out (n bytes); -1 on
 * another character or when too long. */
static int digits_only(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (*p < '0' || *p > '9' || k + 1 >= n)
            return -1;
        out[k++] = *p;
    }
    out[k] = '\0';
    return (int)k;
}

enum err payment_payee_set(struct payment_payee *out, enum payment_acct kind, const char *number,
                           const char *extra, const char *name, char *msg, size_t n)
{
    struct payment_payee pe;
    memset(&pe, 0, sizeof(pe));
    pe.kind = kind;
    if (!number)
        return payee_fail(out, msg, n, ERR_PARSE, "Ange ett kontonummer");
    if (kind == PAYMENT_ACCT_BANKGIRO || kind == PAYMENT_ACCT_PLUSGIRO ||
        kind == PAYMENT_ACCT_IBAN) {
        enum payacct_kind pk = kind == PAYMENT_ACCT_BANKGIRO   ? PAYACCT_BANKGIRO
                               : kind == PAYMENT_ACCT_PLUSGIRO ? PAYACCT_PLUSGIRO
                                                               : PAYACCT_IBAN;
        struct payacct a;
        struct msg why;
        enum err e = payacct_parse(pk, number, &a, &why);
        if (e) {
            memset(out, 0, sizeof(*out));
            if (msg && n)
                msg_render(&why, LANG_SV, msg, n);
            return e;
        }
        str_copy(pe.number, sizeof(pe.number), a.number);
        if (kind == PAYMENT_ACCT_IBAN) {
            if (extra && *extra) {
                if (!payment_bic_ok(extra))
                    return payee_fail(out, msg, n, ERR_PARSE,
                                      "BIC ska ha 8 eller 11 tecken, t.ex. DABASESX");
                str_copy(pe.bic, sizeof(pe.bic), extra);
            } else if (strncmp(pe.number, "SE", 2) != 0) {
                return payee_fail(out, msg, n, ERR_INVALID,
                                  "Ange bankens BIC för ett IBAN utanför Sverige");
            }
        }
    } else if (kind == PAYMENT_ACCT_BBAN) {
        char clr[8], acct[40];
        int cl = extra ? digits_only(extra, clr, sizeof(clr)) : -1;
        if (cl < 4 || cl > 5 || (cl == 5 && clr[0] != '8') || clr[0] == '0')
            return payee_fail(out, msg, n, ERR_PARSE,
                              "Clearingnumret ska ha fyra siffror (fem för Swedbanks 8xxx-x)");
        int al = digits_only(number, acct, sizeof(acct));
        if (al < 1 || al > 12)
            return payee_fail(out, msg, n, ERR_PARSE, "Kontonumret ska ha 1–12 siffror");
        str_copy(pe.clearing, sizeof(pe.clearing), clr);
        str_copy(pe.number, sizeof(pe.number), acct);
    } else {
        return payee_fail(out, msg, n, ERR_PARSE,
                          "Ange om kontot är bankgiro, plusgiro, IBAN eller bankkonto");
    }
    char bad[5];
    enum err e = payment_bank_text(name ? name : "", pe.name, sizeof(pe.name),
                                   PAYMENT_NAME_MAX_CHARS, 1, bad);
    if (e == ERR_INVALID) {
        memset(out, 0, sizeof(*out));
        snprintf(msg, n, "Tecknet ”%s” i mottagarens namn kan inte skickas till banken", bad);
        return ERR_INVALID;
    }
    if (e || !pe.name[0])
        return payee_fail(out, msg, n, ERR_INVALID, "Ange mottagarens namn");
    *out = pe;
    return ERR_OK;
}

/* --- a payment and its states ----------------------------------------- */

static const char *const state_ids[PAYMENT_STATE_COUNT] = {
    "created", "in_batch", "attested", "in_file", "accepted", "booked", "rejected"};
/* catalog texts (util/msg.h N_): screens translate them where shown */
static const char *const state_sv[PAYMENT_STATE_COUNT] = {
    N_("skapad"),  N_("i omgång"),         N_("attesterad"), N_("i fil"), N_("godkänd av banken"),
    N_("bokförd"), N_("avvisad av banken")};

const char *payment_state_id(enum payment_state s)
{
    return (unsigned)s < PAYMENT_STATE_COUNT ? state_ids[s] : "";
}

static const char *const batch_state_ids[PAYMENT_BATCH_STATE_COUNT] = {"open", "attested", "filed"};

const char *payment_batch_state_id(enum payment_batch_state s)
{
    return (unsigned)s < PAYMENT_BATCH_STATE_COUNT ? batch_state_ids[s] : "";
}

int payment_batch_state_parse(const char *s)
{
    for (int i = 0; s && i < PAYMENT_BATCH_STATE_COUNT; i++)
        if (strcmp(s, batch_state_ids[i]) == 0)
            return i;
    return -1;
}

const char *payment_state_label_sv(enum payment_state s)
{
    return (unsigned)s < PAYMENT_STATE_COUNT ? state_sv[s] : "";
}

enum err payment_e2e_of(const struct payment *p, char out[PAYMENT_ID_SIZE])
{
    return payment_e2e(p->decision, p->seq, p->issue, out);
}

enum err payment_check(const struct payment *p, char *msg, size_t n)
{
    char e2e[PAYMENT_ID_SIZE];
    if (payment_e2e_of(p, e2e) != ERR_OK) {
        snprintf(msg, n, "Beslutsnumret ”%s” kan inte bilda en betalningsreferens", p->decision);
        return ERR_INVALID;
    }
    if (p->amount <= 0 || p->amount > PAYMENT_AMOUNT_MAX) {
        snprintf(msg, n, "Beloppet för %s måste vara större än noll", e2e);
        return ERR_INVALID;
    }
    if (!date_valid(p->due)) {
        snprintf(msg, n, "Utbetalningen %s saknar betalningsdag", e2e);
        return ERR_INVALID;
    }
    if (p->ocr[0] && !payment_ocr_ok(p->ocr)) {
        snprintf(msg, n, "OCR-numret för %s stämmer inte (2–25 siffror med kontrollsiffra)", e2e);
        return ERR_INVALID;
    }
    if (!p->ocr[0]) {
        char ustrd[STR_UTF8_SIZE(PAYMENT_USTRD_MAX_CHARS)], bad[5];
        enum err e = payment_remittance(p, ustrd, sizeof(ustrd), bad);
        if (e == ERR_INVALID) {
            snprintf(msg, n, "Tecknet ”%s” i diarienumret kan inte skickas till banken", bad);
            return ERR_INVALID;
        }
        if (e) {
            snprintf(msg, n, "Meddelandet till mottagaren för %s får inte plats på 140 tecken",
                     e2e);
            return ERR_INVALID;
        }
    }
    if (p->payee.kind == PAYMENT_ACCT_NONE || !p->payee.number[0] || !p->payee.name[0] ||
        !payment_bank_text_ok(p->payee.name, PAYMENT_NAME_MAX_CHARS)) {
        snprintf(msg, n, "Mottagaren för %s saknar konto eller namn", e2e);
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err payment_change_payee(struct payment *p, const struct payment_payee *pe, char *msg,
                              size_t n)
{
    if (p->state != PAYMENT_CREATED && p->state != PAYMENT_REJECTED) {
        char e2e[PAYMENT_ID_SIZE];
        if (payment_e2e_of(p, e2e))
            str_copy(e2e, sizeof(e2e), p->decision);
        snprintf(msg, n, "Utbetalningen %s är %s; kontot kan inte ändras nu", e2e,
                 payment_state_label_sv(p->state));
        return ERR_CONFLICT;
    }
    if (pe->kind == PAYMENT_ACCT_NONE || !pe->number[0] ||
        !payment_bank_text_ok(pe->name, PAYMENT_NAME_MAX_CHARS)) {
        snprintf(msg, n, "Ange konto och mottagarens namn");
        return ERR_INVALID;
    }
    p->payee = *pe;
    return ERR_OK;
}

enum err payment_remittance(const struct payment *p, char *out, size_t n, char bad[5])
{
    char dnr[STR_UTF8_SIZE(PAYMENT_DNR_MAX_CHARS * 2)];
    char cs[PAYMENT_CASE_SIZE * 2];
    if (n)
        out[0] = '\0';
    enum err e =
        payment_bank_text(p->diarienummer, dnr, sizeof(dnr), PAYMENT_USTRD_MAX_CHARS, 0, bad);
    if (e)
        return e;
    e = payment_bank_text(p->case_no, cs, sizeof(cs), PAYMENT_USTRD_MAX_CHARS, 0, bad);
    if (e)
        return e;
    char text[1024];
    const char *forms[] = {"Statsbidrag %s, dnr %s", "%s, dnr %s"};
    for (size_t k = 0; k < 2; k++) {
        if (!cs[0] && !dnr[0])
            return ERR_INVALID;
        if (!cs[0])
            snprintf(text, sizeof(text), k == 0 ? "Statsbidrag dnr %s" : "dnr %s", dnr);
        else if (!dnr[0])
            snprintf(text, sizeof(text), k == 0 ? "Statsbidrag %s" : "%s", cs);
        else
            snprintf(text, sizeof(text), forms[k], cs, dnr);
        long chars = str_utf8_len(text, strlen(text));
        if (chars >= 0 && chars <= PAYMENT_USTRD_MAX_CHARS) {
            if (strlen(text) + 1 > n)
                return ERR_LIMIT;
            memcpy(out, text, strlen(text) + 1);
            return ERR_OK;
        }
    }
    return ERR_LIMIT;
}

static enum err say(char *msg, size_t n, enum err e, const char *text)
{
    snprintf(msg, n, "%s", text);
    return e;
}

static enum err refuse(char *msg, size_t n, enum err e, const char *fmt, const char *a)
{
    snprintf(msg, n, fmt, a);
    return e;
}

enum err payment_apply(struct payment *p, enum payment_event ev, const char *arg, int *changed,
                       char *msg, size_t n)
{
    int dummy;
    if (!changed)
        changed = &dummy;
    *changed = 0;
    char e2e[PAYMENT_ID_SIZE];
    if (payment_e2e_of(p, e2e) != ERR_OK)
        str_copy(e2e, sizeof(e2e), p->decision);
    const char *cur = payment_state_label_sv(p->state);
    switch (ev) {
    case PAYMENT_EV_BATCH:
        if (p->state != PAYMENT_CREATED)
            break;
        p->state = PAYMENT_IN_BATCH;
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_UNBATCH:
        if (p->state != PAYMENT_IN_BATCH)
            break;
        p->state = PAYMENT_CREATED;
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_ATTEST:
        if (p->state != PAYMENT_IN_BATCH)
            break;
        p->state = PAYMENT_ATTESTED;
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_FILE:
        if (!arg || !payment_bank_id_ok(arg))
            return refuse(msg, n, ERR_INVALID, "Filens id ”%s” duger inte för banken",
                          arg ? arg : "");
        if (p->state == PAYMENT_IN_FILE && strcmp(p->file_id, arg) == 0)
            return ERR_OK; /* the same file again: idempotent */
        if (p->file_id[0] && (p->state == PAYMENT_IN_FILE || p->state == PAYMENT_ACCEPTED ||
                              p->state == PAYMENT_BOOKED)) {
            snprintf(msg, n, "Utbetalningen %s finns redan i filen %s", e2e, p->file_id);
            return ERR_CONFLICT;
        }
        if (p->state != PAYMENT_ATTESTED)
            break;
        p->state = PAYMENT_IN_FILE;
        str_copy(p->file_id, sizeof(p->file_id), arg);
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_FILE_REJECTED:
        if (p->state != PAYMENT_IN_FILE || !arg || strcmp(p->file_id, arg) != 0)
            break;
        p->state = PAYMENT_ATTESTED;
        p->file_id[0] = '\0';
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_BANK_ACCEPT:
        if (p->state == PAYMENT_ACCEPTED)
            return ERR_OK;
        if (p->state != PAYMENT_IN_FILE)
            break;
        p->state = PAYMENT_ACCEPTED;
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_BANK_REJECT: {
        if (p->state != PAYMENT_IN_FILE && p->state != PAYMENT_ACCEPTED)
            break;
        const char *r = arg ? arg : "";
        size_t cl = strcspn(r, " ");
        if (cl >= sizeof(p->bank_code))
            cl = 0;
        memcpy(p->bank_code, r, cl);
        p->bank_code[cl] = '\0';
        const char *rest = r + cl;
        while (*rest == ' ')
            rest++;
        char text[STR_UTF8_SIZE(PAYMENT_REASON_MAX_CHARS)];
        if (payment_bank_text(rest, text, sizeof(text), PAYMENT_REASON_MAX_CHARS, 1, NULL))
            text[0] = '\0';
        str_copy(p->bank_reason, sizeof(p->bank_reason), text);
        p->state = PAYMENT_REJECTED;
        *changed = 1;
        return ERR_OK;
    }
    case PAYMENT_EV_BOOK:
        if (p->state == PAYMENT_BOOKED)
            return ERR_OK;
        if (p->state != PAYMENT_IN_FILE && p->state != PAYMENT_ACCEPTED)
            break;
        p->state = PAYMENT_BOOKED;
        *changed = 1;
        return ERR_OK;
    case PAYMENT_EV_REISSUE: {
        if (p->state != PAYMENT_REJECTED)
            break;
        char next[PAYMENT_ID_SIZE];
        if (payment_e2e(p->decision, p->seq, p->issue + 1, next) != ERR_OK)
            return refuse(msg, n, ERR_LIMIT, "Utbetalningen %s kan inte ges ut fler gånger", e2e);
        p->issue++;
        p->state = PAYMENT_CREATED;
        p->file_id[0] = '\0';
        p->bank_code[0] = '\0';
        p->bank_reason[0] = '\0';
        *changed = 1;
        return ERR_OK;
    }
    }
    snprintf(msg, n, "Utbetalningen %s är %s och kan inte ändras så", e2e, cur);
    return ERR_CONFLICT;
}

static int cmp_identity(const void *a, const void *b)
{
    const struct payment *x = *(const struct payment *const *)a;
    const struct payment *y = *(const struct payment *const *)b;
    int c = strcmp(x->decision, y->decision);
    if (c)
        return c;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->issue < y->issue ? -1 : x->issue > y->issue;
}

enum err payment_check_unique(const struct payment *p, size_t n, const char *file_id, char *msg,
                              size_t msgn)
{
    char a[PAYMENT_ID_SIZE];
    for (size_t i = 0; i < n; i++) {
        if (payment_e2e_of(&p[i], a) != ERR_OK)
            return refuse(msg, msgn, ERR_INVALID,
                          "Beslutsnumret ”%s” kan inte bilda en betalningsreferens", p[i].decision);
        int live = p[i].state == PAYMENT_IN_FILE || p[i].state == PAYMENT_ACCEPTED ||
                   p[i].state == PAYMENT_BOOKED;
        if (live && p[i].file_id[0] && (!file_id || strcmp(p[i].file_id, file_id) != 0)) {
            snprintf(msg, msgn, "Utbetalningen %s finns redan i filen %s", a, p[i].file_id);
            return ERR_CONFLICT;
        }
    }
    if (n < 2)
        return ERR_OK;
    /* sorted by identity, a repeat sits next to its first */
    const struct payment **order = malloc(n * sizeof(*order));
    if (!order)
        return say(msg, msgn, ERR_NOMEM, "Minnet räckte inte till kontrollen av omgången");
    for (size_t i = 0; i < n; i++)
        order[i] = &p[i];
    qsort(order, n, sizeof(*order), cmp_identity);
    enum err e = ERR_OK;
    for (size_t i = 1; i < n && !e; i++) {
        if (cmp_identity(&order[i - 1], &order[i]) == 0) {
            payment_e2e_of(order[i], a);
            e = refuse(msg, msgn, ERR_CONFLICT, "Utbetalningen %s finns två gånger", a);
        }
    }
    free(order);
    return e;
}

enum err payment_sum(const struct payment *p, size_t n, int64_t *total)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].amount < 0 || p[i].amount > PAYMENT_AMOUNT_MAX - s)
            return ERR_LIMIT;
        s += p[i].amount;
    }
    *total = s;
    return ERR_OK;
}

/* --- batches ------------------------------------------------------------ */

static int same_login(const char *a, const char *b)
{
    return a && b && a[0] && strcasecmp(a, b) == 0;
}

enum err payment_batch_add(struct payment_batch *b, struct payment *p, const char *login, char *msg,
                           size_t n)
{
    if (!login || !*login)
        return say(msg, n, ERR_DENIED, "Ange vem som förbereder omgången");
    if (b->state != PAYMENT_BATCH_OPEN)
        return refuse(msg, n, ERR_CONFLICT, "Omgången %s är inte öppen", b->id);
    if (b->prepared_by[0] && !same_login(b->prepared_by, login))
        return refuse(msg, n, ERR_DENIED, "Bara %s, som förbereder omgången, kan ändra den",
                      b->prepared_by);
    enum err e = payment_check(p, msg, n);
    if (e)
        return e;
    e = payment_apply(p, PAYMENT_EV_BATCH, NULL, NULL, msg, n);
    if (e)
        return e;
    if (!b->prepared_by[0])
        str_copy(b->prepared_by, sizeof(b->prepared_by), login);
    return ERR_OK;
}

enum err payment_batch_remove(struct payment_batch *b, struct payment *p, const char *login,
                              char *msg, size_t n)
{
    if (b->state != PAYMENT_BATCH_OPEN)
        return refuse(msg, n, ERR_CONFLICT, "Omgången %s är inte öppen", b->id);
    if (!same_login(b->prepared_by, login))
        return refuse(msg, n, ERR_DENIED, "Bara %s, som förbereder omgången, kan ändra den",
                      b->prepared_by);
    return payment_apply(p, PAYMENT_EV_UNBATCH, NULL, NULL, msg, n);
}

enum err payment_attest_check(const struct payment_batch *b, const struct payment *p, size_t n,
                              const struct payment_attestant *a, char *msg, size_t msgn)
{
    if (b->state != PAYMENT_BATCH_OPEN)
        return refuse(msg, msgn, ERR_CONFLICT, "Omgången %s är redan attesterad", b->id);
    if (!a || !a->login || !a->login[0] || !a->is_attestant)
        return say(msg, msgn, ERR_DENIED, "Du har inte rollen attestant");
    if (same_login(b->prepared_by, a->login))
        return refuse(msg, msgn, ERR_DENIED,
                      "Omgången %s har du förberett själv; en annan person ska attestera den",
                      b->id);
    if (n == 0)
        return refuse(msg, msgn, ERR_INVALID, "Omgången %s har inga utbetalningar", b->id);
    for (size_t i = 0; i < n; i++) {
        if (p[i].state != PAYMENT_IN_BATCH) {
            char e2e[PAYMENT_ID_SIZE];
            if (payment_e2e_of(&p[i], e2e))
                str_copy(e2e, sizeof(e2e), p[i].decision);
            snprintf(msg, msgn, "Utbetalningen %s är %s, inte i omgången", e2e,
                     payment_state_label_sv(p[i].state));
            return ERR_CONFLICT;
        }
    }
    int64_t total;
    if (payment_sum(p, n, &total) != ERR_OK)
        return refuse(msg, msgn, ERR_INVALID, "Omgången %s har ett för stort belopp", b->id);
    if (total > a->limit) {
        char t[48], l[48];
        money_fmt_ore(t, sizeof(t), total);
        money_fmt_ore(l, sizeof(l), a->limit < 0 ? 0 : a->limit);
        snprintf(msg, msgn,
                 "Omgången %s är på %s, över din beloppsgräns %s; en attestant med högre "
                 "gräns behövs",
                 b->id, t, l);
        return ERR_DENIED;
    }
    return ERR_OK;
}

enum err payment_batch_attest(struct payment_batch *b, struct payment *p, size_t n,
                              const struct payment_attestant *a, char *msg, size_t msgn)
{
    enum err e = payment_attest_check(b, p, n, a, msg, msgn);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++)
        p[i].state = PAYMENT_ATTESTED;
    b->state = PAYMENT_BATCH_ATTESTED;
    str_copy(b->attested_by, sizeof(b->attested_by), a->login);
    b->return_reason[0] = '\0';
    b->returned_by[0] = '\0';
    return ERR_OK;
}

enum err payment_batch_return(struct payment_batch *b, const struct payment_attestant *a,
                              const char *reason, char *msg, size_t n)
{
    if (b->state != PAYMENT_BATCH_OPEN)
        return refuse(msg, n, ERR_CONFLICT, "Omgången %s är redan attesterad", b->id);
    if (!a || !a->login || !a->login[0] || !a->is_attestant)
        return say(msg, n, ERR_DENIED, "Du har inte rollen attestant");
    if (same_login(b->prepared_by, a->login))
        return refuse(msg, n, ERR_DENIED,
                      "Omgången %s har du förberett själv; en annan person ska granska den", b->id);
    if (!reason || !str_text_fits(reason, STR_TEXT_LINES, PAYMENT_REASON_MAX_CHARS) ||
        str_utf8_len(reason, strlen(reason)) < 1)
        return say(msg, n, ERR_INVALID,
                   "Skriv varför omgången skickas tillbaka (högst 200 tecken)");
    str_copy(b->return_reason, sizeof(b->return_reason), reason);
    str_copy(b->returned_by, sizeof(b->returned_by), a->login);
    return ERR_OK;
}

enum err payment_batch_file(struct payment_batch *b, struct payment *p, size_t n,
                            const char *file_id, char *msg, size_t msgn)
{
    if (!file_id || !payment_bank_id_ok(file_id))
        return refuse(msg, msgn, ERR_INVALID, "Filens id ”%s” duger inte för banken",
                      file_id ? file_id : "");
    if (b->state == PAYMENT_BATCH_FILED) {
        if (strcmp(b->file_id, file_id) != 0)
            return refuse(msg, msgn, ERR_CONFLICT, "Omgången finns redan i filen %s", b->file_id);
    } else if (b->state != PAYMENT_BATCH_ATTESTED) {
        return refuse(msg, msgn, ERR_CONFLICT, "Omgången %s är inte attesterad", b->id);
    }
    enum err e = payment_check_unique(p, n, file_id, msg, msgn);
    if (e)
        return e;
    /* every payment must accept the event before any changes */
    for (size_t i = 0; i < n; i++) {
        struct payment t = p[i];
        e = payment_apply(&t, PAYMENT_EV_FILE, file_id, NULL, msg, msgn);
        if (e)
            return e;
    }
    for (size_t i = 0; i < n; i++)
        payment_apply(&p[i], PAYMENT_EV_FILE, file_id, NULL, msg, msgn);
    b->state = PAYMENT_BATCH_FILED;
    str_copy(b->file_id, sizeof(b->file_id), file_id);
    return ERR_OK;
}

enum err payment_batch_file_rejected(struct payment_batch *b, struct payment *p, size_t n,
                                     const char *file_id, char *msg, size_t msgn)
{
    if (b->state != PAYMENT_BATCH_FILED || !file_id || strcmp(b->file_id, file_id) != 0)
        return refuse(msg, msgn, ERR_CONFLICT, "Omgången finns inte i filen %s",
                      file_id ? file_id : "");
    for (size_t i = 0; i < n; i++)
        if (p[i].state == PAYMENT_IN_FILE && strcmp(p[i].file_id, file_id) == 0)
            payment_apply(&p[i], PAYMENT_EV_FILE_REJECTED, file_id, NULL, msg, msgn);
    b->state = PAYMENT_BATCH_ATTESTED;
    b->file_id[0] = '\0';
    return ERR_OK;
}
