/* smtp.c - one e-mail through an SMTP relay with libcurl (smtp.h). */
#include "io/smtp.h"

#include <curl/curl.h>
#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/str.h"

/* ---- the configuration file ---- */

struct conf_ctx {
    struct smtp_conf *c;
    struct diag *d;
    const char *path;
    char password_file[512];
    int bad;
};

static int conf_kv(void *user, const char *section, const char *name, const char *value
#if INI_HANDLER_LINENO
                   ,
                   int lineno
#endif
)
{
    struct conf_ctx *x = user;
#if INI_HANDLER_LINENO
    long line = lineno;
#else
    long line = 0;
#endif
    if (strcmp(section, "smtp") != 0)
        return 1; /* other sections belong to others */
    struct {
        const char *name;
        char *dst;
        size_t n;
    } keys[] = {{"url", x->c->url, sizeof(x->c->url)},
                {"from", x->c->from, sizeof(x->c->from)},
                {"user", x->c->user, sizeof(x->c->user)},
                {"password_file", x->password_file, sizeof(x->password_file)}};
    if (strcmp(name, "timeout") == 0 || strcmp(name, "send_interval") == 0) {
        char *end = NULL;
        long v = strtol(value, &end, 10);
        long max = name[0] == 't' ? 600 : 86400;
        if (!end || *end || end == value || v < 1 || v > max) {
            diag_add(x->d, x->path, line, "%s '%s' is not 1-%ld seconds", name, value, max);
            x->bad = 1;
        } else if (name[0] == 't') {
            x->c->timeout_s = v;
        } else {
            x->c->send_interval_s = v;
        }
        return 1;
    }
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strcmp(name, keys[i].name) != 0)
            continue;
        if (strlen(value) >= keys[i].n || !str_text_ok(value, strlen(value), 0)) {
            diag_add(x->d, x->path, line, "'%s' is too long or not text", name);
            x->bad = 1;
        } else {
            str_copy(keys[i].dst, keys[i].n, value);
        }
        return 1;
    }
    diag_add(x->d, x->path, line, "unknown setting '%s' in [smtp]", name);
    x->bad = 1;
    return 1;
}

enum err smtp_conf_read(const char *path, struct smtp_conf *c, struct diag *d)
{
    struct conf_ctx x;
    memset(c, 0, sizeof(*c));
    memset(&x, 0, sizeof(x));
    c->timeout_s = 30;
    c->send_interval_s = 60;
    x.c = c;
    x.d = d;
    x.path = path;
    FILE *f = fopen(path, "r");
    if (!f) {
        diag_add(d, path, 0, "cannot be read");
        return ERR_IO;
    }
    int rc = ini_parse_file(f, conf_kv, &x);
    fclose(f);
    if (rc > 0) {
        diag_add(d, path, rc, "not an INI line");
        return ERR_PARSE;
    }
    if (x.bad)
        return ERR_PARSE;
    if (!c->url[0]) {
        diag_add(d, path, 0, "no [smtp] url");
        return ERR_NOTFOUND;
    }
    if (strncmp(c->url, "smtp://", 7) != 0 && strncmp(c->url, "smtps://", 8) != 0) {
        diag_add(d, path, 0, "url '%s' is not smtp:// or smtps://", c->url);
        return ERR_PARSE;
    }
    if (!smtp_addr_ok(c->from)) {
        diag_add(d, path, 0, "from '%s' is not an e-mail address", c->from);
        return ERR_PARSE;
    }
    if (x.password_file[0]) {
        FILE *p = fopen(x.password_file, "r");
        if (!p || !fgets(c->password, sizeof(c->password), p)) {
            if (p)
                fclose(p);
            diag_add(d, path, 0, "password_file '%s' cannot be read", x.password_file);
            return ERR_IO;
        }
        fclose(p);
        c->password[strcspn(c->password, "\r\n")] = '\0';
    } else {
        const char *env = getenv("BIDRAG_SMTP_PASSWORD");
        if (env)
            str_copy(c->password, sizeof(c->password), env);
    }
    return ERR_OK;
}

int smtp_addr_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n == 0 || n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
        return 0;
    for (const char *p = s; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr("<>\"(),;:\\[]", *p))
            return 0;
    return 1;
}

/* ---- sending ---- */

struct reader {
    const char *p;
    size_t left;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *user)
{
    struct reader *r = user;
    size_t n = size * nmemb;
    if (n > r->left)
        n = r->left;
    memcpy(ptr, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* Bytes of text per encoded word: 42 bytes are 56 of base64, and with
 * "=?UTF-8?B?" and "?=" 68, within RFC 2047's 75 per encoded word; after
 * "Subject: " the line is 77, within RFC 5322's 78. */
#define SUBJECT_WORD_BYTES 42

/* The subject as is when it is plain ASCII and fits a line; otherwise as RFC 2047 encoded
 * words of at most 75 characters, each on its own folded line (the space
 * between encoded words is not part of the text), split between
 * characters, never inside one. */
static enum err put_subject(struct buf *b, const char *subject)
{
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)subject; *p; p++)
        ascii &= *p >= ' ' && *p < 0x7f;
    if (ascii && strlen(subject) <= 78 - strlen("Subject: "))
        return buf_printf(b, "Subject: %s\r\n", subject);
    enum err rc = buf_printf(b, "Subject:"); /* longer, or not ASCII: encoded */
    const unsigned char *p = (const unsigned char *)subject;
    size_t left = strlen(subject);
    while (rc == ERR_OK && left > 0) {
        size_t n = left < SUBJECT_WORD_BYTES ? left : SUBJECT_WORD_BYTES;
        while (n < left && n > 1 && (p[n] & 0xC0) == 0x80)
            n--; /* p[n] continues a character: end the word before it */
        char enc[sodium_base64_ENCODED_LEN(SUBJECT_WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(enc, sizeof(enc), p, n, sodium_base64_VARIANT_ORIGINAL);
        /* each word on its own line; a line after the first starts with
         * the space that folds it onto the header */
        rc = buf_printf(b, " =?UTF-8?B?%s?=\r\n", enc);
        p += n;
        left -= n;
    }
    return rc;
}

enum err smtp_send(const struct smtp_conf *c, const char *to, const char *subject, const char *body,
                   const char *date, const char *message_id, char *err, size_t errn)
{
    err[0] = '\0';
    if (!smtp_addr_ok(to) || !smtp_addr_ok(c->from)) {
        snprintf(err, errn, "address '%s' refused", smtp_addr_ok(to) ? c->from : to);
        return ERR_INVALID;
    }
    if (strpbrk(subject, "\r\n") || strpbrk(message_id, "\r\n") || strpbrk(date, "\r\n")) {
        snprintf(err, errn, "a header holds a line break");
        return ERR_INVALID;
    }
    struct buf m;
    buf_init(&m, (size_t)1 << 20);
    enum err rc =
        buf_printf(&m,
                   "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n",
                   date, c->from, to, message_id);
    if (rc == ERR_OK)
        rc = put_subject(&m, subject);
    if (rc == ERR_OK)
        rc = buf_printf(&m, "\r\n");
    /* lines end in CRLF; libcurl stuffs a leading dot */
    for (const char *p = body; rc == ERR_OK && *p;) {
        size_t k = strcspn(p, "\r\n");
        rc = buf_printf(&m, "%.*s\r\n", (int)k, p);
        p += k;
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
    }
    if (rc != ERR_OK) {
        buf_release(&m);
        snprintf(err, errn, "the message is too large");
        return ERR_LIMIT;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        buf_release(&m);
        snprintf(err, errn, "libcurl could not start");
        return ERR_NOMEM;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    char from[300], rcpt_addr[300];
    snprintf(from, sizeof(from), "<%s>", c->from);
    snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_addr);
    struct reader rd = {m.p, m.len};
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &rd);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE, (long)m.len);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s > 0 ? c->timeout_s : 30L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (c->user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    CURLcode cc = curl_easy_perform(h);
    enum err e = ERR_OK;
    if (cc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        if (code)
            snprintf(err, errn, "relay answered %ld: %s", code,
                     cerr[0] ? cerr : curl_easy_strerror(cc));
        else
            snprintf(err, errn, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
        e = ERR_IO;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    buf_release(&m);
    return e;
}
