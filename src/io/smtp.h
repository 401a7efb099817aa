/* smtp.h - sending one e-mail through an SMTP relay with libcurl
 * (smtp:// or smtps://, STARTTLS when the relay offers it, login when a
 * user is configured), and reading the relay's settings from the
 * configuration file's [smtp] section. No database, no domain. */
#ifndef BIDRAG_IO_SMTP_H
#define BIDRAG_IO_SMTP_H

#include <stddef.h>

#include "util/err.h"

struct smtp_conf {
    char url[256];        /* smtp://relay.example:587 or smtps://relay.example */
    char from[256];       /* the sender's address */
    char user[128];       /* "" = no login */
    char password[256];   /* from password_file or $BIDRAG_SMTP_PASSWORD */
    long timeout_s;       /* per message, connect included (default 30) */
    long send_interval_s; /* bidrag serve sends the outbox this often (default 60) */
};

/* Read [smtp] url, from, user, password_file, timeout, send_interval
 * (seconds, for bidrag serve) from the INI file
 * at path; the password from password_file (its first line) or, when
 * that is not set, $BIDRAG_SMTP_PASSWORD. Every problem as "path:line:
 * message" in d: ERR_PARSE, ERR_IO when the file cannot be read,
 * ERR_NOTFOUND when it has no [smtp] url. */
ERR_MUST_CHECK enum err smtp_conf_read(const char *path, struct smtp_conf *c, struct diag *d);

/* 1 if s is an address we send to: local@domain, printable ASCII without
 * spaces, angle brackets, quotes or line breaks, at most 254 bytes. */
int smtp_addr_ok(const char *s);

/* Send one plain-text UTF-8 message (subject: one line; body: lines
 * separated by \n) to one address, stamped with date (RFC 5322) and
 * message_id ("<...@...>"). ERR_OK when the relay accepted it; otherwise
 * ERR_IO (or ERR_INVALID for an address or subject we refuse to send)
 * with the reason in err (the relay's answer or libcurl's). */
ERR_MUST_CHECK enum err smtp_send(const struct smtp_conf *c, const char *to, const char *subject,
                                  const char *body, const char *date, const char *message_id,
                                  char *err, size_t errn);

#endif
