/* xsdcheck.h - validate an XML document held in memory against an XML
 * Schema (XSD) with libxml2, never touching the network: the schema is
 * read from a local file, libxml2's entity loader is set to refuse
 * network URLs (xmlNoNetExternalEntityLoader, process-wide), and the
 * document is read with XML_PARSE_NONET, no DTD and no entity
 * substitution; a document type declaration is an error. The document is
 * streamed (xmlTextReader), so a file of 100 000 payments validates in
 * bounded memory.
 *
 * A bank file that fails is never offered: the service validates every
 * pain.001 it writes against data/schemas/iso20022/pain.001.001.03.xsd
 * (XSDCHECK_PAIN001) before storing it. Errors are "name:line: message"
 * in d, libxml2's wording with the namespace braces left out. */
#ifndef BIDRAG_IO_XSDCHECK_H
#define BIDRAG_IO_XSDCHECK_H

#include <stddef.h>

#include "util/err.h"

/* The pain.001.001.03 schema, relative to the data folder (data/). */
#define XSDCHECK_PAIN001 "schemas/iso20022/pain.001.001.03.xsd"

struct xsdcheck; /* a compiled schema; read-only once made, threads may share it */

/* Compile the schema in the file at path. ERR_NOTFOUND or ERR_IO if it
 * cannot be read, ERR_PARSE if it is not a schema (each error in d).
 * Caller frees with xsdcheck_free(). */
enum err xsdcheck_open(const char *path, struct xsdcheck **out, struct diag *d);
void xsdcheck_free(struct xsdcheck *x);

/* Validate n bytes. ERR_OK if the document is well-formed and valid;
 * ERR_INVALID with every error (capped by d) as "name:line: message"
 * otherwise. */
enum err xsdcheck_validate(const struct xsdcheck *x, const char *doc, size_t n, const char *name,
                           struct diag *d);

#endif
