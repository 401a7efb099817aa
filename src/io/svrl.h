/* svrl.h - read a Schematron Validation Report Language (SVRL) report,
 * the output of the compiled Peppol rules (io/ublcheck), in memory with
 * libxml2: no network, no DTD, no entity substitution; a document type
 * declaration is refused.
 *
 * What is kept: every failed assertion (svrl:failed-assert) and every
 * successful report (svrl:successful-report) with its rule id, flag
 * ("fatal", "warning", "information"; an assertion without a flag counts
 * as fatal, the conservative reading), the location in the checked
 * document and the rule's text; and how many rules fired, so that a
 * report of rules that never ran is not taken for a clean one. */
#ifndef BIDRAG_IO_SVRL_H
#define BIDRAG_IO_SVRL_H

#include <stddef.h>

#include "util/err.h"

#define SVRL_NS "http://purl.oclc.org/dsdl/svrl"
#define SVRL_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define SVRL_MAX_FINDINGS 10000

enum svrl_flag { SVRL_FATAL = 0, SVRL_WARNING, SVRL_INFO };

/* "fatal", "warning", "information". */
const char *svrl_flag_name(enum svrl_flag f);

struct svrl_finding {
    enum svrl_flag flag;
    char rule[64];      /* "PEPPOL-EN16931-R003", "BR-O-02"; "" if none given */
    char location[512]; /* XPath of the node, cut at 511 bytes */
    char text[1024];    /* the rule's message, spaces collapsed, cut at 1023 */
};

struct svrl_report {
    struct svrl_finding *v; /* caller releases with svrl_report_release() */
    size_t n;
    size_t fired; /* svrl:fired-rule elements */
    size_t nfatal, nwarning, ninfo;
    char title[128]; /* the rule set's title, if given */
};

/* Parse n bytes named name. ERR_PARSE with "name:line: message" in d when
 * it is not well-formed XML, has a document type declaration, or its root
 * is not svrl:schematron-output; ERR_LIMIT past SVRL_MAX_BYTES or
 * SVRL_MAX_FINDINGS; ERR_NOMEM. On failure out is empty. */
enum err svrl_parse(const char *xml, size_t n, const char *name, struct svrl_report *out,
                    struct diag *d);
void svrl_report_release(struct svrl_report *r);

#endif
