/* pain001.c - the pain.001.001.03 bank file writer. */
#include "io/pain001.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

void pain001_settings_default(struct pain001_settings *s, enum pain001_bank bank)
{
    memset(s, 0, sizeof(*s));
    str_copy(s->initg_scheme, sizeof(s->initg_scheme), "BANK");
    str_copy(s->category_purpose, sizeof(s->category_purpose), "SUPP");
    s->pg = PAIN001_PG_BBAN;
    s->bban_with_clearing = 1;
    s->batch_booking = 0;
    if (bank == PAIN001_SWEDBANK) {
        str_copy(s->bank, sizeof(s->bank), "Swedbank");
        str_copy(s->debtor_bic, sizeof(s->debtor_bic), "SWEDSESS");
        str_copy(s->charge_bearer, sizeof(s->charge_bearer), "SHAR");
    } else {
        str_copy(s->bank, sizeof(s->bank), "Danske Bank");
        str_copy(s->debtor_bic, sizeof(s->debtor_bic), "DABASESX");
    }
}

/* Text in element content; bank-safe text has only ' to think of, but
 * escape all five anyway. */
static void put_text(struct buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&apos;");
            break;
        default:
            buf_putc(b, *p);
        }
    }
}

/* <tag>text</tag> on its own line at depth. */
static void el(struct buf *b, int depth, const char *tag, const char *text)
{
    buf_printf(b, "%*s<%s>", depth * 2, "", tag);
    put_text(b, text);
    buf_printf(b, "</%s>\n", tag);
}

static void open_el(struct buf *b, int depth, const char *tag)
{
    buf_printf(b, "%*s<%s>\n", depth * 2, "", tag);
}

static void close_el(struct buf *b, int depth, const char *tag)
{
    buf_printf(b, "%*s</%s>\n", depth * 2, "", tag);
}

static void amount(char *out, size_t n, int64_t ore)
{
    snprintf(out, n, "%" PRId64 ".%02" PRId64, ore / 100, ore % 100);
}

static int code_ok(const char *s, size_t min, size_t max)
{
    size_t len = strlen(s);
    if (len < min || len > max)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static int datetime_ok(const char *s)
{
    /* YYYY-MM-DDThh:mm:ss */
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    if (strlen(s) != sizeof(pat) - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    }
    char day[11];
    memcpy(day, s, 10);
    day[10] = '\0';
    struct date dt;
    return date_parse(day, &dt) == ERR_OK && (s[11] - '0') * 10 + (s[12] - '0') < 24 &&
           (s[14] - '0') < 6 && (s[17] - '0') < 6;
}

static int check_settings(const struct pain001_settings *s, const struct pain001_header *h,
                          struct diag *d)
{
    int bad = 0;
    struct payacct a;
    if (!s->debtor_iban[0] || payacct_parse(PAYACCT_IBAN, s->debtor_iban, &a, NULL) != ERR_OK ||
        strcmp(a.number, s->debtor_iban) != 0) {
        diag_add(d, NULL, 0, "settings: the debtor account '%s' is not an IBAN in capitals",
                 s->debtor_iban);
        bad++;
    }
    if (!payment_bic_ok(s->debtor_bic)) {
        diag_add(d, NULL, 0, "settings: the debtor bank's BIC '%s' is not a BIC", s->debtor_bic);
        bad++;
    }
    if (!payment_bank_text_ok(s->debtor_name, PAYMENT_NAME_MAX_CHARS)) {
        diag_add(d, NULL, 0,
                 "settings: the debtor name '%s' is not bank-safe text of 1-70 "
                 "characters",
                 s->debtor_name);
        bad++;
    }
    if (!payment_bank_id_ok(s->initg_id)) {
        diag_add(d, NULL, 0,
                 "settings: the initiating party id '%s' (from %s) is not set or not "
                 "a bank-safe id",
                 s->initg_id, s->bank);
        bad++;
    }
    if (!code_ok(s->initg_scheme, 1, 4)) {
        diag_add(d, NULL, 0, "settings: the initiating party scheme '%s' is not a code",
                 s->initg_scheme);
        bad++;
    }
    if (!code_ok(s->category_purpose, 1, 4)) {
        diag_add(d, NULL, 0, "settings: the category purpose '%s' is not a code",
                 s->category_purpose);
        bad++;
    }
    if (s->charge_bearer[0] && strcmp(s->charge_bearer, "SHAR") != 0 &&
        strcmp(s->charge_bearer, "SLEV") != 0 && strcmp(s->charge_bearer, "DEBT") != 0 &&
        strcmp(s->charge_bearer, "CRED") != 0) {
        diag_add(d, NULL, 0, "settings: the charge bearer '%s' is not SHAR, SLEV, DEBT or CRED",
                 s->charge_bearer);
        bad++;
    }
    if (!payment_bank_id_ok(h->msg_id) || strlen(h->msg_id) > PAIN001_MSG_ID_MAX) {
        diag_add(d, NULL, 0, "file: the message id '%s' is not a bank-safe id of 1-30 characters",
                 h->msg_id);
        bad++;
    }
    if (!datetime_ok(h->created)) {
        diag_add(d, NULL, 0, "file: the creation time '%s' is not YYYY-MM-DDThh:mm:ss", h->created);
        bad++;
    }
    if (!date_valid(h->today)) {
        diag_add(d, NULL, 0, "file: today's date is not set");
        bad++;
    }
    return bad;
}

/* Check one payment for the file; count of problems added to d. */
static int check_payment(const struct pain001_header *h, const struct payment *p, const char *e2e,
                         struct diag *d)
{
    int bad = 0;
    if (p->state != PAYMENT_ATTESTED &&
        !(p->state == PAYMENT_IN_FILE && strcmp(p->file_id, h->msg_id) == 0)) {
        diag_add(d, NULL, 0, "payment '%s': it is %s, not attested", e2e,
                 payment_state_id(p->state));
        bad++;
    }
    if (p->amount <= 0 || p->amount > PAYMENT_AMOUNT_MAX) {
        diag_add(d, NULL, 0, "payment '%s': the amount %" PRId64 " öre is out of range", e2e,
                 p->amount);
        bad++;
    }
    if (!date_valid(p->due)) {
        diag_add(d, NULL, 0, "payment '%s': no payment date", e2e);
        bad++;
    }
    if (p->ocr[0]) {
        if (!payment_ocr_ok(p->ocr)) {
            diag_add(d, NULL, 0, "payment '%s': the OCR '%s' fails its check digit or length", e2e,
                     p->ocr);
            bad++;
        }
    } else {
        char ustrd[STR_UTF8_SIZE(PAYMENT_USTRD_MAX_CHARS)], ch[5];
        enum err e = payment_remittance(p, ustrd, sizeof(ustrd), ch);
        if (e == ERR_INVALID && ch[0]) {
            diag_add(d, NULL, 0,
                     "payment '%s': the character '%s' in the remittance cannot go "
                     "to the bank",
                     e2e, ch);
            bad++;
        } else if (e) {
            diag_add(d, NULL, 0, "payment '%s': no remittance text of at most 140 characters", e2e);
            bad++;
        }
    }
    const struct payment_payee *pe = &p->payee;
    if (!payment_bank_text_ok(pe->name, PAYMENT_NAME_MAX_CHARS)) {
        diag_add(d, NULL, 0, "payment '%s': the creditor name '%s' is empty or not bank-safe", e2e,
                 pe->name);
        bad++;
    }
    struct payacct a;
    switch (pe->kind) {
    case PAYMENT_ACCT_BANKGIRO:
    case PAYMENT_ACCT_PLUSGIRO:
        if (payacct_parse(pe->kind == PAYMENT_ACCT_BANKGIRO ? PAYACCT_BANKGIRO : PAYACCT_PLUSGIRO,
                          pe->number, &a, NULL) != ERR_OK ||
            strcmp(a.number, pe->number) != 0) {
            diag_add(d, NULL, 0, "payment '%s': the %s number '%s' is not valid", e2e,
                     payment_acct_id(pe->kind), pe->number);
            bad++;
        }
        break;
    case PAYMENT_ACCT_IBAN:
        if (payacct_parse(PAYACCT_IBAN, pe->number, &a, NULL) != ERR_OK ||
            strcmp(a.number, pe->number) != 0) {
            diag_add(d, NULL, 0, "payment '%s': the IBAN '%s' is not valid", e2e, pe->number);
            bad++;
        }
        if (pe->bic[0] ? !payment_bic_ok(pe->bic) : strncmp(pe->number, "SE", 2) != 0) {
            diag_add(d, NULL, 0, "payment '%s': the payee bank's BIC '%s' is missing or wrong", e2e,
                     pe->bic);
            bad++;
        }
        break;
    case PAYMENT_ACCT_BBAN: {
        size_t cl = strlen(pe->clearing), al = strlen(pe->number);
        if (!((cl == 4 && str_is_digits(pe->clearing, 4) && pe->clearing[0] != '0') ||
              (cl == 5 && str_is_digits(pe->clearing, 5) && pe->clearing[0] == '8')) ||
            al < 1 || al > 12 || !str_is_digits(pe->number, al)) {
            diag_add(d, NULL, 0,
                     "payment '%s': the clearing '%s' and account '%s' are not a "
                     "Swedish bank account",
                     e2e, pe->clearing, pe->number);
            bad++;
        }
        break;
    }
    case PAYMENT_ACCT_NONE:
    default:
        diag_add(d, NULL, 0, "payment '%s': no account", e2e);
        bad++;
    }
    return bad;
}

static void clearing_agent(struct buf *b, const char *member)
{
    open_el(b, 4, "CdtrAgt");
    open_el(b, 5, "FinInstnId");
    open_el(b, 6, "ClrSysMmbId");
    open_el(b, 7, "ClrSysId");
    el(b, 8, "Cd", "SESBA");
    close_el(b, 7, "ClrSysId");
    el(b, 7, "MmbId", member);
    close_el(b, 6, "ClrSysMmbId");
    close_el(b, 5, "FinInstnId");
    close_el(b, 4, "CdtrAgt");
}

static void other_account(struct buf *b, const char *id, const char *cd, const char *prtry)
{
    open_el(b, 4, "CdtrAcct");
    open_el(b, 5, "Id");
    open_el(b, 6, "Othr");
    el(b, 7, "Id", id);
    open_el(b, 7, "SchmeNm");
    if (cd)
        el(b, 8, "Cd", cd);
    else
        el(b, 8, "Prtry", prtry);
    close_el(b, 7, "SchmeNm");
    close_el(b, 6, "Othr");
    close_el(b, 5, "Id");
    close_el(b, 4, "CdtrAcct");
}

static void party(struct buf *b, int depth, const char *tag, const char *name, const char *ctry)
{
    open_el(b, depth, tag);
    el(b, depth + 1, "Nm", name);
    open_el(b, depth + 1, "PstlAdr");
    el(b, depth + 2, "Ctry", ctry);
    close_el(b, depth + 1, "PstlAdr");
    close_el(b, depth, tag);
}

static void transaction(struct buf *b, const struct pain001_settings *s, const struct payment *p,
                        const char *e2e)
{
    char amt[32];
    amount(amt, sizeof(amt), p->amount);
    const struct payment_payee *pe = &p->payee;
    open_el(b, 3, "CdtTrfTxInf");
    open_el(b, 4, "PmtId");
    el(b, 5, "InstrId", e2e);
    el(b, 5, "EndToEndId", e2e);
    close_el(b, 4, "PmtId");
    open_el(b, 4, "Amt");
    buf_printf(b, "%*s<InstdAmt Ccy=\"SEK\">%s</InstdAmt>\n", 5 * 2, "", amt);
    close_el(b, 4, "Amt");
    char ctry[3] = "SE";
    switch (pe->kind) {
    case PAYMENT_ACCT_BANKGIRO:
        clearing_agent(b, "9900");
        break;
    case PAYMENT_ACCT_PLUSGIRO:
        clearing_agent(b, "9960");
        break;
    case PAYMENT_ACCT_BBAN:
        clearing_agent(b, pe->clearing);
        break;
    case PAYMENT_ACCT_IBAN:
        memcpy(ctry, pe->number, 2);
        if (pe->bic[0]) {
            open_el(b, 4, "CdtrAgt");
            open_el(b, 5, "FinInstnId");
            el(b, 6, "BIC", pe->bic);
            close_el(b, 5, "FinInstnId");
            close_el(b, 4, "CdtrAgt");
        }
        break;
    case PAYMENT_ACCT_NONE:
        break;
    }
    party(b, 4, "Cdtr", pe->name, ctry);
    switch (pe->kind) {
    case PAYMENT_ACCT_BANKGIRO:
        other_account(b, pe->number, NULL, "BGNR");
        break;
    case PAYMENT_ACCT_PLUSGIRO:
        if (s->pg == PAIN001_PG_PGNR)
            other_account(b, pe->number, NULL, "PGNR");
        else
            other_account(b, pe->number, "BBAN", NULL);
        break;
    case PAYMENT_ACCT_BBAN: {
        char bban[48];
        snprintf(bban, sizeof(bban), "%s%s", s->bban_with_clearing ? pe->clearing : "", pe->number);
        other_account(b, bban, "BBAN", NULL);
        break;
    }
    case PAYMENT_ACCT_IBAN:
        open_el(b, 4, "CdtrAcct");
        open_el(b, 5, "Id");
        el(b, 6, "IBAN", pe->number);
        close_el(b, 5, "Id");
        close_el(b, 4, "CdtrAcct");
        break;
    case PAYMENT_ACCT_NONE:
        break;
    }
    open_el(b, 4, "RmtInf");
    if (p->ocr[0]) {
        open_el(b, 5, "Strd");
        open_el(b, 6, "CdtrRefInf");
        open_el(b, 7, "Tp");
        open_el(b, 8, "CdOrPrtry");
        el(b, 9, "Cd", "SCOR");
        close_el(b, 8, "CdOrPrtry");
        close_el(b, 7, "Tp");
        el(b, 7, "Ref", p->ocr);
        close_el(b, 6, "CdtrRefInf");
        close_el(b, 5, "Strd");
    } else {
        char ustrd[STR_UTF8_SIZE(PAYMENT_USTRD_MAX_CHARS)], ch[5];
        payment_remittance(p, ustrd, sizeof(ustrd), ch); /* checked before */
        el(b, 5, "Ustrd", ustrd);
    }
    close_el(b, 4, "RmtInf");
    close_el(b, 3, "CdtTrfTxInf");
}

struct slot {
    size_t i;         /* index into the payments */
    int64_t exec_day; /* date_days of the execution date */
};

static int slot_cmp(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->exec_day != y->exec_day)
        return x->exec_day < y->exec_day ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

enum err pain001_write(const struct pain001_settings *s, const struct pain001_header *h,
                       const struct payment *p, size_t n, struct buf *out, struct diag *d)
{
    size_t start = out->len;
    int failed_before = out->failed;
    out->failed = 0;
    struct slot *slots = NULL;
    char(*ids)[PAYMENT_ID_SIZE] = NULL;
    enum err e = ERR_INVALID;
    int bad = check_settings(s, h, d);
    if (n == 0) {
        diag_add(d, NULL, 0, "file: a payment file needs at least one payment");
        goto out;
    }
    slots = calloc(n, sizeof(*slots));
    ids = calloc(n, sizeof(*ids));
    if (!slots || !ids) {
        e = ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (payment_e2e_of(&p[i], ids[i]) != ERR_OK) {
            diag_add(d, NULL, 0,
                     "payment %zu: the decision '%s', instalment %d, issue %d make no "
                     "end-to-end id",
                     i + 1, p[i].decision, p[i].seq, p[i].issue);
            bad++;
            continue;
        }
        bad += check_payment(h, &p[i], ids[i], d);
        int64_t today = date_days(h->today);
        int64_t due = date_valid(p[i].due) ? date_days(p[i].due) : today;
        slots[i].i = i;
        slots[i].exec_day = due > today ? due : today;
    }
    char msg[300];
    if (!bad && payment_check_unique(p, n, h->msg_id, msg, sizeof(msg)) != ERR_OK) {
        diag_add(d, NULL, 0,
                 "file: the same payment twice, or a payment in another live file "
                 "(%s)",
                 msg);
        bad++;
    }
    int64_t total = 0;
    if (!bad && payment_sum(p, n, &total) != ERR_OK) {
        diag_add(d, NULL, 0, "file: the total is larger than the format allows");
        bad++;
    }
    if (bad)
        goto out;
    qsort(slots, n, sizeof(*slots), slot_cmp);

    char amt[32];
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    buf_puts(out, "<Document xmlns=\"" PAIN001_NS "\">\n");
    open_el(out, 1, "CstmrCdtTrfInitn");
    open_el(out, 2, "GrpHdr");
    el(out, 3, "MsgId", h->msg_id);
    el(out, 3, "CreDtTm", h->created);
    buf_printf(out, "      <NbOfTxs>%zu</NbOfTxs>\n", n);
    amount(amt, sizeof(amt), total);
    el(out, 3, "CtrlSum", amt);
    open_el(out, 3, "InitgPty");
    el(out, 4, "Nm", s->debtor_name);
    open_el(out, 4, "Id");
    open_el(out, 5, "OrgId");
    open_el(out, 6, "Othr");
    el(out, 7, "Id", s->initg_id);
    open_el(out, 7, "SchmeNm");
    el(out, 8, "Cd", s->initg_scheme);
    close_el(out, 7, "SchmeNm");
    close_el(out, 6, "Othr");
    close_el(out, 5, "OrgId");
    close_el(out, 4, "Id");
    close_el(out, 3, "InitgPty");
    close_el(out, 2, "GrpHdr");

    size_t k = 0, block = 0;
    while (k < n) {
        size_t end = k;
        int64_t sum = 0;
        while (end < n && slots[end].exec_day == slots[k].exec_day) {
            sum += p[slots[end].i].amount;
            end++;
        }
        char pmtinf[PAYMENT_ID_SIZE + 16], day[11];
        snprintf(pmtinf, sizeof(pmtinf), "%s-%zu", h->msg_id, ++block);
        date_fmt(day, sizeof(day), date_from_days(slots[k].exec_day));
        open_el(out, 2, "PmtInf");
        el(out, 3, "PmtInfId", pmtinf);
        el(out, 3, "PmtMtd", "TRF");
        el(out, 3, "BtchBookg", s->batch_booking ? "true" : "false");
        buf_printf(out, "      <NbOfTxs>%zu</NbOfTxs>\n", end - k);
        amount(amt, sizeof(amt), sum);
        el(out, 3, "CtrlSum", amt);
        open_el(out, 3, "PmtTpInf");
        open_el(out, 4, "SvcLvl");
        el(out, 5, "Cd", "NURG");
        close_el(out, 4, "SvcLvl");
        open_el(out, 4, "CtgyPurp");
        el(out, 5, "Cd", s->category_purpose);
        close_el(out, 4, "CtgyPurp");
        close_el(out, 3, "PmtTpInf");
        el(out, 3, "ReqdExctnDt", day);
        party(out, 3, "Dbtr", s->debtor_name, "SE");
        open_el(out, 3, "DbtrAcct");
        open_el(out, 4, "Id");
        el(out, 5, "IBAN", s->debtor_iban);
        close_el(out, 4, "Id");
        el(out, 4, "Ccy", "SEK");
        close_el(out, 3, "DbtrAcct");
        open_el(out, 3, "DbtrAgt");
        open_el(out, 4, "FinInstnId");
        el(out, 5, "BIC", s->debtor_bic);
        close_el(out, 4, "FinInstnId");
        close_el(out, 3, "DbtrAgt");
        if (s->charge_bearer[0])
            el(out, 3, "ChrgBr", s->charge_bearer);
        for (size_t j = k; j < end; j++)
            transaction(out, s, &p[slots[j].i], ids[slots[j].i]);
        close_el(out, 2, "PmtInf");
        k = end;
    }
    close_el(out, 1, "CstmrCdtTrfInitn");
    buf_puts(out, "</Document>\n");
    e = out->failed ? ERR_LIMIT : ERR_OK;
    if (e)
        diag_add(d, NULL, 0, "file: larger than the buffer's cap of %zu bytes", out->max);
out:
    if (e && out->p) {
        out->len = start;
        out->p[start] = '\0';
    }
    out->failed = out->failed || failed_before;
    free(slots);
    free(ids);
    return e;
}
