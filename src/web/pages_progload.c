/* pages_progload.c - loading a program file from the web: an officer
 * uploads the file, sees `program check`'s messages next to the lines
 * they are about, and confirms the load.
 *
 * Both steps call the services the command line calls (programs_check,
 * programs_load), on the uploaded bytes written to a private temporary
 * folder that is removed before the page is answered. The upload is
 * outside input: at most PROGLOAD_MAX bytes (the dispatcher refuses a
 * larger body with 413), UTF-8 text without NUL or control characters,
 * else a 400 with the message next to the field and nothing written. A
 * key table (key = table) is a second file: such a program is loaded with
 * `bidrag program load`, and the check says which file is missing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/progfile.h"
#include "service/programs.h"
#include "util/msg.h"
#include "util/str.h"
#include "web/web.h"

/* The folder and the file the uploaded text is written to. */
struct tmpprog {
    char dir[256];
    char path[400];
    char name[80]; /* the file's name as the messages show it */
};

/* A safe file name from the one sent: letters, digits, '.', '-', '_',
 * ending in .ini; else "program.ini". */
static void safe_name(const char *sent, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = sent ? sent : ""; *p && k + 1 < n; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || (c == '.' && k > 0))
            out[k++] = c;
    }
    out[k] = '\0';
    size_t len = strlen(out);
    if (len < 5 || strcmp(out + len - 4, ".ini") != 0)
        snprintf(out, n, "program.ini");
}

/* Write text (CRLF as LF) to a new private folder; 0 on success. */
static int tmp_write(struct tmpprog *t, const char *sent_name, const char *text, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof(t->dir), "%s/bidrag-prog-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(t->dir))
        return -1;
    safe_name(sent_name, t->name, sizeof(t->name));
    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, t->name);
    FILE *f = fopen(t->path, "wx");
    if (!f) {
        rmdir(t->dir);
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < len && !bad; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            bad = fputc((unsigned char)text[i], f) == EOF;
    bad |= fclose(f) != 0;
    if (bad) {
        unlink(t->path);
        rmdir(t->dir);
        return -1;
    }
    return 0;
}

static void tmp_remove(struct tmpprog *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

/* Text a program file may hold: UTF-8 without NUL or control characters
 * other than tab, CR and LF. */
static int text_ok(const char *p, size_t n)
{
    if (n == 0 || memchr(p, '\0', n))
        return 0;
    if (str_utf8_len(p, n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            return 0;
    }
    return 1;
}

/* The upload form; under its own h1 (heading) or under a page's h2. */
static void upload_form(struct web_req *r, const char *error, int heading)
{
    if (heading)
        html_f(&r->out, "<h1>%s</h1>\n", T(r, "Läs in ett program"));
    else
        html_f(&r->out, "<h2>%s</h2>\n", T(r, "Ladda upp filen igen"));
    html_f(&r->out, "<p>%s</p>\n",
           T(r,
             "Ett program är ett regeringsbeslut skrivet som programfil (docs/program-format.md). "
             "Filen kontrolleras först mot uppgifterna i systemet; du ser varje fel vid sin rad "
             "och bekräftar sedan inläsningen."));
    html_lit(&r->out, "<form method=\"post\" action=\"/programfil\" "
                      "enctype=\"multipart/form-data\" class=\"form\">\n");
    page_csrf(r);
    html_f(&r->out, "<p><label for=\"programfil\">%s</label>", T(r, "Programfil (.ini)"));
    if (error) {
        html_f(&r->out, "<span class=\"field-error\" id=\"programfil-fel\">%s</span>", error);
        html_lit(&r->out, "<input type=\"file\" id=\"programfil\" name=\"program\" accept=\".ini\" "
                          "aria-invalid=\"true\" aria-describedby=\"programfil-fel\">");
    } else {
        html_lit(&r->out,
                 "<input type=\"file\" id=\"programfil\" name=\"program\" accept=\".ini\">");
    }
    html_f(&r->out, "</p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
           T(r, "Kontrollera filen"));
}

/* The pages are for those who may load what they check (a GET only
 * reads, so its route names the check; the load is theirs alone). */
static int may_load(struct web_req *r)
{
    if (web_may(r, ACT_PROGRAM_LOAD, NULL))
        return 1;
    web_error_page(r, 403, N_("Bara den som får läsa in program kan ladda upp en programfil."));
    return 0;
}

void page_progload(struct web_req *r)
{
    if (!may_load(r))
        return;
    page_begin(r, T(r, "Läs in ett program"));
    upload_form(r, NULL, 1);
    page_end(r);
}

static void refuse(struct web_req *r, int status, const char *sv)
{
    r->status = status;
    page_begin(r, T(r, "Läs in ett program"));
    upload_form(r, T(r, sv), 1);
    page_end(r);
}

/* The line's number in "NAME:LINE: message", 0 if none; *msg points past
 * the prefix. */
static long line_of(const char *m, const char *name, const char **msg)
{
    size_t nl = strlen(name);
    *msg = m;
    if (strncmp(m, name, nl) != 0 || m[nl] != ':')
        return 0;
    const char *p = m + nl + 1;
    long line = 0;
    while (*p >= '0' && *p <= '9' && line < 10000000)
        line = line * 10 + (*p++ - '0');
    if (*p != ':')
        return 0;
    *msg = p + (p[1] == ' ' ? 2 : 1);
    return line;
}

/* Line n (from 1) of text, into out. */
static void text_line(const char *text, size_t len, long n, char *out, size_t on)
{
    const char *p = text, *end = text + len;
    for (long i = 1; i < n && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t l = (size_t)((nl ? nl : end) - p);
    while (l > 0 && p[l - 1] == '\r')
        l--;
    if (l >= on)
        l = on - 1;
    memcpy(out, p, l);
    out[l] = '\0';
    /* never cut inside a character */
    while (l > 0 && str_utf8_len(out, l) < 0)
        out[--l] = '\0';
}

/* The messages of a check, each with its line number and the line. */
static void messages_table(struct web_req *r, const struct diag *d, const struct tmpprog *t,
                           const char *text, size_t len)
{
    html_f(&r->out,
           "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-chk\" tabindex=\"0\">"
           "<table>\n<caption id=\"cap-chk\">%s</caption>\n<thead><tr><th scope=\"col\" "
           "class=\"num\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
           "<tbody>\n",
           T(r, "Fel i filen"), T(r, "Rad"), T(r, "Raden"), T(r, "Fel"));
    char prefix[512];
    snprintf(prefix, sizeof(prefix), "%s/%s", t->dir, t->name);
    for (size_t i = 0; i < d->n; i++) {
        const char *msg;
        long line = line_of(d->msg[i], prefix, &msg);
        if (msg == d->msg[i] && strncmp(msg, prefix, strlen(prefix)) == 0) /* "PATH: ..." */
            msg += strlen(prefix) + (msg[strlen(prefix)] == ':' ? 1 : 0);
        while (*msg == ' ')
            msg++;
        char ln[256] = "";
        if (line > 0)
            text_line(text, len, line, ln, sizeof(ln));
        if (line > 0)
            html_f(&r->out,
                   "<tr><td class=\"num\">%ld</td><td><code>%s</code></td><td>%s</td></tr>\n", line,
                   ln, msg);
        else
            html_f(&r->out, "<tr><td class=\"num\">–</td><td></td><td>%s</td></tr>\n", msg);
    }
    if (d->total > d->n)
        html_f(&r->out, "<tr><td></td><td></td><td>%s %zu</td></tr>\n",
               T(r, "Fler fel som inte visas:"), d->total - d->n);
    html_lit(&r->out, "</tbody></table></div>\n");
}

/* POST /programfil: check the uploaded file. */
void page_progload_post(struct web_req *r)
{
    if (!may_load(r))
        return;
    const struct mp_file *f = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (strcmp(r->files.v[i].name, "program") == 0)
            f = &r->files.v[i];
    if (!f || f->len == 0) {
        refuse(r, 400, N_("Välj en programfil."));
        return;
    }
    const char *text = (const char *)f->data;
    if (!text_ok(text, f->len)) {
        refuse(r, 400,
               N_("Filen är inte en programfil: den ska vara text i UTF-8 utan styrtecken."));
        return;
    }
    struct tmpprog t;
    if (tmp_write(&t, f->filename, text, f->len) != 0) {
        web_error_page(r, 503, N_("Filen kan inte kontrolleras just nu. Försök igen om en stund."));
        return;
    }
    struct svc_actor who;
    struct svc_result res;
    struct diag d;
    diag_init(&d, 50);
    web_actor(r, &who);
    enum err e = programs_check(r->store, &who, r->now, t.path, &d, &res);
    r->status = e == ERR_OK ? 200 : 422;
    page_begin(r, T(r, "Kontroll av programfilen"));
    html_f(&r->out, "<h1>%s</h1>\n<p>%s <code>%s</code></p>\n", T(r, "Kontroll av programfilen"),
           T(r, "Fil:"), t.name);
    if (e == ERR_OK) {
        html_f(&r->out, "<p class=\"ok\" role=\"status\">%s</p>\n",
               T(r, "Filen går att läsa in: fördelningen kan beräknas för alla block."));
        if (d.n)
            messages_table(r, &d, &t, text, f->len);
        html_lit(&r->out, "<form method=\"post\" action=\"/programfil/las-in\" class=\"form\">\n");
        page_csrf(r);
        html_f(&r->out,
               "<input type=\"hidden\" name=\"namn\" value=\"%s\">"
               "<input type=\"hidden\" name=\"kalla\" value=\"%s\">"
               "<p><button type=\"submit\">%s</button> <a href=\"/programfil\">%s</a></p>\n"
               "</form>\n",
               t.name, arena_strndup(r->arena, text, f->len), T(r, "Läs in programmet"),
               T(r, "Avbryt"));
    } else {
        html_f(&r->out, "<div class=\"error-summary\" role=\"alert\"><h2>%s</h2><p>%s</p></div>\n",
               T(r, "Filen kan inte läsas in"),
               T(r, "Rätta felen i filen och ladda upp den igen. Ingenting har sparats."));
        messages_table(r, &d, &t, text, f->len);
        upload_form(r, NULL, 0);
    }
    page_end(r);
    tmp_remove(&t);
    diag_release(&d);
}

/* POST /programfil/las-in: load the checked text (the checks run again). */
void page_progload_load(struct web_req *r)
{
    const char *text = form_get(&r->body, "kalla");
    const char *name = form_get(&r->body, "namn");
    if (!text || !text_ok(text, strlen(text))) {
        refuse(r, 400,
               N_("Filen är inte en programfil: den ska vara text i UTF-8 utan styrtecken."));
        return;
    }
    struct tmpprog t;
    if (tmp_write(&t, name, text, strlen(text)) != 0) {
        web_error_page(r, 503, N_("Filen kan inte läsas in just nu. Försök igen om en stund."));
        return;
    }
    struct svc_actor who;
    struct svc_result res;
    struct diag d;
    diag_init(&d, 50);
    web_actor(r, &who);
    enum err e = programs_load(r->store, &who, r->now, t.path, &d, &res);
    if (e == ERR_DENIED) {
        tmp_remove(&t);
        diag_release(&d);
        reqweb_fail(r, e, &res);
        return;
    }
    struct program p;
    struct diag pd;
    diag_init(&pd, 1);
    int called = e == ERR_OK;
    int parsed = called && progfile_parse(text, strlen(text), t.name, &p, &pd) == ERR_OK;
    r->status = e == ERR_OK ? 200 : 422;
    page_begin(r, T(r, "Läs in ett program"));
    if (e == ERR_OK) {
        html_f(&r->out, "<h1>%s</h1>\n<p class=\"ok\" role=\"status\">%s</p>\n",
               T(r, "Programmet är inläst"), T(r, "Programmet är sparat och kan användas."));
        if (parsed)
            html_f(&r->out, "<p><a href=\"/programs/%s\">%s</a></p>\n", p.id,
                   program_text(r->lang, p.title, p.title_en));
    } else {
        html_f(&r->out, "<h1>%s</h1>\n", T(r, "Filen kan inte läsas in"));
        html_f(&r->out, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>\n",
               T(r, "Rätta felen i filen och ladda upp den igen. Ingenting har sparats."));
        messages_table(r, &d, &t, text, strlen(text));
    }
    page_end(r);
    if (called)
        program_release(&p);
    diag_release(&pd);
    tmp_remove(&t);
    diag_release(&d);
}
