/* isoxml.h - reading ISO 20022 XML from outside (the bank's pain.002 and
 * camt.054) with libxml2, safely: parsed from memory with no network
 * (XML_PARSE_NONET), no DTD loaded, no entity substituted, a document type
 * declaration refused outright, big line numbers kept for messages; then
 * small helpers to walk the tree by local element names within the
 * message's namespace, read text, amounts in öre and dates.
 *
 * Messages are "name:line: message" in English, lower case. */
#ifndef BIDRAG_IO_ISOXML_H
#define BIDRAG_IO_ISOXML_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "util/date.h"
#include "util/err.h"

#define ISOXML_MAX_BYTES ((size_t)64 * 1024 * 1024) /* largest file read */

/* Keep libxml2 from printing its own messages to stderr on this thread
 * (they reach the caller through its error records instead). */
void isoxml_quiet(void);

/* Parse n bytes as XML whose root is <Document> in namespace ns with one
 * child element named message; *doc (caller frees with xmlFreeDoc) and
 * *msg (the message element) on success. ERR_PARSE with "name:line:
 * message" in d otherwise: not well-formed, a DTD, another root or
 * namespace (the message names the one found). ERR_LIMIT past
 * ISOXML_MAX_BYTES. */
enum err isoxml_open(const char *data, size_t n, const char *name, const char *ns,
                     const char *message, xmlDocPtr *doc, xmlNodePtr *msg, struct diag *d);

/* The first child element of parent named local in parent's namespace,
 * or NULL. */
xmlNodePtr isoxml_child(xmlNodePtr parent, const char *local);
/* The next sibling element after node with the same name, or NULL. */
xmlNodePtr isoxml_next(xmlNodePtr node);
/* Follow a path of child names separated by '/', e.g. "Amt/InstdAmt". */
xmlNodePtr isoxml_path(xmlNodePtr parent, const char *path);
/* The element's text content, trimmed of XML white space, into out (n
 * bytes). ERR_LIMIT (out left empty) if it does not fit. */
enum err isoxml_text(xmlNodePtr node, char *out, size_t n);
/* The element's line in the file. */
long isoxml_line(xmlNodePtr node);

/* An xs:decimal amount with at most two decimals that are not zero, made
 * öre: "1234.5" -> 123450. Negative amounts and more than 13 integer
 * digits are refused. ERR_PARSE otherwise. */
enum err isoxml_amount(const char *s, int64_t *ore);
/* An ISODate, or the date part of an ISODateTime. */
enum err isoxml_date(const char *s, struct date *out);

#endif
