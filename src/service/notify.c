/* notify.c - notifications through the outbox (notify.h). */
#include "service/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/key.h"
#include "core/reqcase.h"
#include "service/programs.h"
#include "service/requisition.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/str.h"

static void line(struct buf *b, enum lang l, const struct msg *m)
{
    char t[1024];
    msg_render(m, l, t, sizeof(t));
    if (buf_printf(b, "%s\n\n", t) != ERR_OK)
        return; /* capped: the message stays shorter */
}

/* The recipient's official name in the program's allocation (its code if
 * none). */
static void org_name(const struct program_view *pv, const char *code, char *out, size_t n)
{
    str_copy(out, n, code);
    for (size_t b = 0; b < pv->alloc.nblocks; b++) {
        const struct alloc_line *al = key_line(&pv->alloc.blocks[b], code);
        if (al) {
            str_copy(out, n, al->r.official_name);
            return;
        }
    }
}

/* Render subject and body in Swedish and in English (accounts keep no
 * language, and the address is the one a form gives, so every message
 * carries both: the subject "Swedish / English", the body the text, where
 * to look and the footer in Swedish, then the same in English) and queue
 * m (event, dedup and to_addr set) about row; m->id is 0 when the event
 * was queued before. subj[] and text[] are indexed by enum lang. */
static enum err queue(struct svc_call *c, struct store_outbox *m, const struct msg subj[2],
                      const struct msg text[2], const struct req_row *row)
{
    struct msg where, foot, english;
    char path[160], s_sv[STORE_OUTBOX_SUBJECT_LEN], s_en[STORE_OUTBOX_SUBJECT_LEN];
    snprintf(path, sizeof(path), "/org/%s/rekvisition/%s", row->recipient, row->program);
    msg_setf(&where, M_("I e-tjänsten: {1}"), msg_str(path));
    msg_set(&foot, M_("Meddelandet är skickat automatiskt och går inte att svara på."));
    msg_set(&english, M_("In English:"));
    struct buf body;
    buf_init(&body, sizeof(m->body) - 1);
    for (int k = LANG_SV; k <= LANG_EN; k++) {
        enum lang l = (enum lang)k;
        if (l == LANG_EN)
            line(&body, LANG_SV, &english);
        line(&body, l, &text[k]);
        line(&body, l, &where);
        line(&body, l, &foot);
    }
    str_copy(m->body, sizeof(m->body), body.len ? body.p : "");
    buf_release(&body);
    msg_render(&subj[LANG_SV], LANG_SV, s_sv, sizeof(s_sv));
    msg_render(&subj[LANG_EN], LANG_EN, s_en, sizeof(s_en));
    struct buf sb;
    buf_init(&sb, sizeof(m->subject) - 1);
    if (buf_printf(&sb, "%s / %s", s_sv, s_en) != ERR_OK)
        buf_reset(&sb); /* capped: the Swedish subject alone */
    str_copy(m->subject, sizeof(m->subject), sb.len ? sb.p : s_sv);
    buf_release(&sb);
    str_copy(m->object, sizeof(m->object), row->case_no);
    str_copy(m->lang, sizeof(m->lang), i18n_code(LANG_SV)); /* with English below */
    str_copy(m->created_at, sizeof(m->created_at), c->nowiso);
    int queued = 0;
    enum err e = store_outbox_add(c->s, m, &queued);
    if (!queued)
        m->id = 0;
    return e;
}

enum err notify_req(struct svc_call *c, enum notify_event ev, const struct req_row *row,
                    const char *decision)
{
    struct req_form form;
    struct program_view pv;
    struct diag d;
    struct store_outbox m;
    memset(&m, 0, sizeof(m));
    memset(&pv, 0, sizeof(pv));
    enum err e = reqdata_form_get(c->s, row->id, row->version, &form, NULL, NULL);
    if (e == ERR_NOTFOUND)
        return ERR_OK; /* nothing submitted: nobody to tell */
    if (e != ERR_OK)
        return e;
    str_copy(m.to_addr, sizeof(m.to_addr), form.contact_email);
    req_form_release(&form);
    if (!smtp_addr_ok(m.to_addr))
        return ERR_OK;
    diag_init(&d, 1);
    e = programs_get(c->s, row->program, &pv, &d);
    diag_release(&d);
    if (e != ERR_OK) {
        program_view_release(&pv);
        return e;
    }
    char org[128];
    org_name(&pv, row->recipient, org, sizeof(org));
    struct msg subj[2], text[2];
    for (int k = LANG_SV; k <= LANG_EN; k++) {
        const char *title = program_text((enum lang)k, pv.prog.title, pv.prog.title_en);
        msg_clear(&subj[k]);
        msg_clear(&text[k]);
        switch (ev) {
        case NOTIFY_SUBMITTED:
            str_copy(m.event, sizeof(m.event), "submitted");
            snprintf(m.dedup, sizeof(m.dedup), "submitted:%s:v%d", row->case_no, row->version);
            msg_setf(&subj[k], M_("Kvittens: rekvisitionen {1} är mottagen"),
                     msg_str(row->case_no));
            msg_setf(&text[k],
                     M_("Socialstyrelsen har tagit emot rekvisitionen {1} (version {2}) från {3} "
                        "för statsbidraget {4}."),
                     msg_str(row->case_no), msg_int(row->version), msg_str(org), msg_str(title));
            break;
        case NOTIFY_RETURNED:
            str_copy(m.event, sizeof(m.event), "returned");
            snprintf(m.dedup, sizeof(m.dedup), "returned:%s:r%lld", row->case_no, row->revision);
            msg_setf(&subj[k], M_("Rekvisitionen {1} behöver kompletteras"), msg_str(row->case_no));
            msg_setf(&text[k],
                     M_("Socialstyrelsen har returnerat rekvisitionen {1} från {2} för "
                        "statsbidraget {3} för komplettering. Logga in i e-tjänsten för att se "
                        "vad som ska kompletteras och skicka in rekvisitionen igen."),
                     msg_str(row->case_no), msg_str(org), msg_str(title));
            break;
        case NOTIFY_DECIDED:
            str_copy(m.event, sizeof(m.event), "decided");
            snprintf(m.dedup, sizeof(m.dedup), "decided:%s", decision ? decision : row->case_no);
            msg_setf(&subj[k], M_("Beslut i rekvisitionen {1}"), msg_str(row->case_no));
            msg_setf(&text[k],
                     M_("Socialstyrelsen har fattat beslut {1} i rekvisitionen {2} från {3} för "
                        "statsbidraget {4}. Beslutet finns i e-tjänsten."),
                     msg_str(decision ? decision : ""), msg_str(row->case_no), msg_str(org),
                     msg_str(title));
            break;
        }
    }
    program_view_release(&pv);
    return queue(c, &m, subj, text, row);
}

/* ---- sending ---- */

/* Write one attempt's outcome in its own transaction, with its record. */
static enum err mark(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct store_outbox *m)
{
    struct svc_call c;
    struct svc_result res;
    enum err e = svc_begin(&c, s, who, ACT_OUTBOX_SEND, now, &res);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = store_outbox_mark(s, m);
    char object[64], after[512];
    snprintf(object, sizeof(object), "outbox:%lld", m->id);
    snprintf(after, sizeof(after), "event=%s\nobject=%s\nstate=%s\nattempts=%d\nerror=%s\n",
             m->event, m->object, m->state, m->attempts, m->last_error);
    if (e == ERR_OK)
        e = svc_audit(&c, object, NULL, after);
    return svc_end(&c, e);
}

static const int reminder_days[] = {NOTIFY_REMIND_DAYS, 0};

/* Queue the reminders due today for one program: each requisition still
 * a draft or returned, at the address its form gives. */
static enum err remind_program(struct svc_call *c, const struct program_view *pv, struct buf *log,
                               size_t *queued)
{
    struct date closes = pv->prog.requisition_closes;
    int k = civil_reminder_today(closes, c->today, reminder_days,
                                 sizeof(reminder_days) / sizeof(reminder_days[0]));
    if (k < 0)
        return ERR_OK;
    struct req_row *rows = NULL;
    size_t n = 0;
    struct req_filter f = {pv->prog.id, -1, NULL, 0, 0};
    enum err e = reqdata_list(c->s, &f, &rows, &n);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        if (rows[i].state != REQ_DRAFT && rows[i].state != REQ_RETURNED)
            continue;
        struct req_form form;
        if (reqdata_form_get(c->s, rows[i].id, 0, &form, NULL, NULL) != ERR_OK)
            continue;
        struct store_outbox m;
        memset(&m, 0, sizeof(m));
        str_copy(m.to_addr, sizeof(m.to_addr), form.contact_email);
        req_form_release(&form);
        if (!smtp_addr_ok(m.to_addr))
            continue;
        char org[128], ds[16];
        org_name(pv, rows[i].recipient, org, sizeof(org));
        date_fmt(ds, sizeof(ds), closes);
        struct msg subj[2], text[2];
        for (int lg = LANG_SV; lg <= LANG_EN; lg++) {
            const char *title = program_text((enum lang)lg, pv->prog.title, pv->prog.title_en);
            msg_setf(&subj[lg], M_("Påminnelse: rekvisitionen {1} ska skickas in senast {2}"),
                     msg_str(rows[i].case_no), msg_date(closes));
            if (reminder_days[k] == 0)
                msg_setf(&text[lg],
                         M_("I dag är sista dagen att skicka in rekvisitionen {1} från {2} för "
                            "statsbidraget {3}. Den är inte inskickad."),
                         msg_str(rows[i].case_no), msg_str(org), msg_str(title));
            else
                msg_setf(&text[lg],
                         M_("Rekvisitionen {1} från {2} för statsbidraget {3} är inte inskickad. "
                            "Sista dagen att skicka in den är {4}."),
                         msg_str(rows[i].case_no), msg_str(org), msg_str(title), msg_date(closes));
        }
        str_copy(m.event, sizeof(m.event), "deadline");
        snprintf(m.dedup, sizeof(m.dedup), "deadline:%s:%s:%s:%d", pv->prog.id, rows[i].recipient,
                 ds, reminder_days[k]);
        e = queue(c, &m, subj, text, &rows[i]);
        if (e == ERR_OK && m.id) {
            (*queued)++;
            if (buf_printf(log, "%s\n", m.dedup) != ERR_OK)
                e = ERR_LIMIT;
        }
    }
    free(rows);
    return e;
}

/* Queue today's deadline reminders of every program, in one transaction
 * with one audit record (none when nothing is due). */
static enum err remind(struct store *s, const struct svc_actor *who, int64_t now, size_t *queued,
                       struct svc_result *res)
{
    struct svc_call c;
    struct store_program *progs = NULL;
    size_t np = 0;
    struct buf log;
    buf_init(&log, (size_t)1 << 20);
    *queued = 0;
    enum err e = svc_begin(&c, s, who, ACT_OUTBOX_SEND, now, res);
    if (e == ERR_OK)
        e = svc_write(&c);
    if (e == ERR_OK)
        e = store_program_list(s, &progs, &np);
    for (size_t i = 0; e == ERR_OK && i < np; i++) {
        struct program_view pv;
        if (programs_get(s, progs[i].id, &pv, NULL) == ERR_OK && pv.allocated)
            e = remind_program(&c, &pv, &log, queued);
        program_view_release(&pv);
    }
    for (size_t i = 0; i < np; i++)
        store_program_release(&progs[i]);
    free(progs);
    char object[48];
    snprintf(object, sizeof(object), "outbox:reminders:%04d-%02d-%02d", c.today.y, c.today.m,
             c.today.d);
    if (e == ERR_OK && *queued)
        e = svc_audit(&c, object, NULL, log.p);
    else if (e == ERR_OK)
        svc_rollback(&c); /* nothing due: nothing changed */
    buf_release(&log);
    return svc_end(&c, e);
}

enum err notify_send(struct store *s, const struct svc_actor *who, int64_t now,
                     const struct smtp_conf *conf, size_t max, struct notify_report *rep,
                     struct svc_result *res)
{
    struct svc_call c;
    struct store_outbox *due = NULL;
    size_t n = 0;
    memset(rep, 0, sizeof(*rep));
    enum err e = remind(s, who, now, &rep->reminders, res);
    if (e == ERR_OK)
        e = svc_begin(&c, s, who, ACT_OUTBOX_SEND, now, res);
    if (e == ERR_OK)
        e = store_outbox_due(s, c.nowiso, max, &due, &n);
    e = svc_end(&c, e);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        struct store_outbox *m = &due[i];
        char err[256], date[64], msgid[160];
        struct tm tm;
        time_t t = (time_t)now;
        gmtime_r(&t, &tm);
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
        snprintf(msgid, sizeof(msgid), "<outbox-%lld@%s>", m->id,
                 strchr(conf->from, '@') ? strchr(conf->from, '@') + 1 : "bidrag");
        enum err se =
            smtp_send(conf, m->to_addr, m->subject, m->body, date, msgid, err, sizeof(err));
        m->attempts++;
        if (se == ERR_OK) {
            str_copy(m->state, sizeof(m->state), "sent");
            str_copy(m->sent_at, sizeof(m->sent_at), c.nowiso);
            m->last_error[0] = '\0';
            rep->sent++;
        } else if (m->attempts >= NOTIFY_MAX_ATTEMPTS || se == ERR_INVALID) {
            str_copy(m->state, sizeof(m->state), "failed");
            str_copy(m->last_error, sizeof(m->last_error), err);
            rep->failed++;
        } else {
            int64_t wait = NOTIFY_BACKOFF_S;
            for (int k = 1; k < m->attempts && wait < NOTIFY_BACKOFF_MAX_S; k++)
                wait *= 2;
            if (wait > NOTIFY_BACKOFF_MAX_S)
                wait = NOTIFY_BACKOFF_MAX_S;
            clock_iso(m->next_at, sizeof(m->next_at), now + wait);
            str_copy(m->last_error, sizeof(m->last_error), err);
            rep->retry++;
        }
        e = mark(s, who, now, m);
        if (e != ERR_OK)
            msg_setf(&res->msg, M_("Utkorgen kunde inte uppdateras: {1}"), msg_str(err_str(e)));
    }
    free(due);
    if (e == ERR_OK)
        msg_setf(&res->msg,
                 M_("{1} meddelanden skickade, {2} försöks igen senare, {3} misslyckade."),
                 msg_int((int64_t)rep->sent), msg_int((int64_t)rep->retry),
                 msg_int((int64_t)rep->failed));
    return e;
}

enum err notify_list(struct store *s, const struct svc_actor *who, int64_t now, const char *state,
                     size_t max, struct store_outbox **out, size_t *n, struct svc_result *res)
{
    struct svc_call c;
    *out = NULL;
    *n = 0;
    enum err e = svc_begin(&c, s, who, ACT_OUTBOX_READ, now, res);
    if (e == ERR_OK)
        e = store_outbox_list(s, state, max, out, n);
    return svc_end(&c, e);
}

/* ---- what waits ---- */

static struct notify_wait_item *wait_add(struct notify_waiting *w, enum notify_wait_kind k,
                                         const struct req_overview_item *it)
{
    if (w->n == NOTIFY_WAIT_MAX)
        return NULL;
    struct notify_wait_item *x = &w->items[w->n++];
    memset(x, 0, sizeof(*x));
    x->kind = k;
    str_copy(x->program, sizeof(x->program), it->program);
    str_copy(x->title, sizeof(x->title), it->title);
    str_copy(x->recipient, sizeof(x->recipient), it->recipient);
    str_copy(x->case_no, sizeof(x->case_no), it->case_no);
    return x;
}

enum err notify_waiting_get(struct store *s, const struct svc_actor *who, int64_t now,
                            struct notify_waiting *out, struct svc_result *res)
{
    struct req_overview ov = {NULL, 0};
    memset(out, 0, sizeof(*out));
    enum err e = req_overview_get(s, who, now, &ov, res);
    struct date today = civil_date(now);
    struct date since = date_from_days(date_days(today) - NOTIFY_DECISION_DAYS);
    char since_s[16];
    date_fmt(since_s, sizeof(since_s), since);
    for (size_t i = 0; e == ERR_OK && i < ov.n; i++) {
        const struct req_overview_item *it = &ov.items[i];
        if (it->has_req && it->state == REQ_RETURNED && wait_add(out, WAIT_RETURNED, it))
            out->returned++;
        /* an open window in which nothing is submitted yet */
        struct civil_window w = civil_window_at(it->opens, it->closes, today);
        if (civil_window_is_open(&w) &&
            (!it->has_req || it->state == REQ_DRAFT || it->state == REQ_RETURNED)) {
            struct notify_wait_item *x = wait_add(out, WAIT_DEADLINE, it);
            if (x) {
                x->window = w;
                out->deadlines++;
            }
        }
        if (!it->has_req)
            continue;
        struct req_decision_row *d = NULL;
        size_t nd = 0;
        e = req_decisions_list(s, who, now, it->case_no, &d, &nd, res);
        for (size_t k = 0; e == ERR_OK && k < nd; k++) {
            if (strcmp(d[k].decided_on, since_s) < 0)
                continue;
            struct notify_wait_item *x = wait_add(out, WAIT_DECISION, it);
            if (!x)
                break;
            str_copy(x->number, sizeof(x->number), d[k].number);
            str_copy(x->decided_on, sizeof(x->decided_on), d[k].decided_on);
            out->decisions++;
        }
        free(d);
    }
    req_overview_release(&ov);
    return e;
}
