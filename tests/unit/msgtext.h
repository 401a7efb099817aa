/* msgtext.h - for the tests: a message (util/msg.h) as the Swedish text a
 * person reads, or NULL for none. Each call gets its own buffer of a
 * small ring, so that several may stand in one assertion. */
#ifndef BIDRAG_TESTS_MSGTEXT_H
#define BIDRAG_TESTS_MSGTEXT_H

#include "util/msg.h"

__attribute__((unused)) static const char *msgtext_in(const struct msg *m, enum lang l)
{
    static char ring[8][2048];
    static unsigned next;
    if (!m)
        return NULL;
    char *b = ring[next++ % 8];
    msg_render(m, l, b, sizeof(ring[0]));
    return b;
}

__attribute__((unused)) static const char *msgtext(const struct msg *m)
{
    return msgtext_in(m, LANG_SV);
}

/* The Swedish message for a field, NULL if none. */
__attribute__((unused)) static const char *issue(const struct msg_issues *is, const char *field)
{
    return msgtext(msg_issues_find(is, field));
}

#endif
