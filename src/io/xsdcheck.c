/* xsdcheck.c - XSD validation in memory with libxml2, no network. */
#include "io/xsdcheck.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "io/isoxml.h"
#include "util/buf.h"
#include "util/str.h"

struct xsdcheck {
    xmlDocPtr doc; /* the schema document, kept while the schema lives */
    xmlSchemaPtr schema;
};

struct sink {
    struct diag *d;
    const char *name;
    int errors;
};

/* "Element '{urn:...}Ccy': [facet 'pattern'] The value ..." becomes
 * "element 'Ccy': [facet 'pattern'] the value ..." without the new line
 * and the full stop. A brace pair is a namespace when it holds a ':' and
 * a name follows it (a pattern's {3,3} stays). */
static void tidy(const char *in, char *out, size_t n)
{
    size_t k = 0;
    const char *p = in ? in : "invalid";
    while (*p && k + 1 < n) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            const char *colon = strchr(p, ':');
            if (end && colon && colon < end &&
                ((end[1] >= 'A' && end[1] <= 'Z') || (end[1] >= 'a' && end[1] <= 'z'))) {
                p = end + 1;
                continue;
            }
        }
        out[k++] = *p == '\n' ? ' ' : *p;
        p++;
    }
    out[k] = '\0';
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '.'))
        out[--k] = '\0';
    for (size_t i = 0; i < k; i++) {
        /* lower case the first letter of each sentence in libxml2's text */
        if ((i == 0 || (i >= 2 && out[i - 2] == ':' && out[i - 1] == ' ') ||
             (i >= 2 && out[i - 2] == ']' && out[i - 1] == ' ')) &&
            out[i] >= 'A' && out[i] <= 'Z' && !(out[i + 1] >= 'A' && out[i + 1] <= 'Z'))
            out[i] = (char)(out[i] - 'A' + 'a');
    }
}

static void collect(void *arg, xmlErrorPtr er)
{
    struct sink *s = arg;
    if (!er || er->level == XML_ERR_WARNING)
        return;
    char m[600];
    tidy(er->message, m, sizeof(m));
    s->errors++;
    diag_add(s->d, s->name, er->line > 0 ? er->line : 1, "%s", m);
}

static void reader_collect(void *arg, xmlErrorPtr er)
{
    collect(arg, er);
}

enum err xsdcheck_open(const char *path, struct xsdcheck **out, struct diag *d)
{
    *out = NULL;
    isoxml_quiet();
    /* nothing libxml2 loads in this process may come from the network */
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    struct buf b;
    buf_init(&b, (size_t)16 * 1024 * 1024);
    struct xsdcheck *x = NULL;
    xmlSchemaParserCtxtPtr pc = NULL;
    xmlParserCtxtPtr ctxt = NULL;
    struct sink s = {d, path, 0};
    enum err e = buf_read_file_diag(&b, path, d);
    if (e)
        goto out;
    e = ERR_PARSE;
    if (b.len > INT_MAX)
        goto out;
    x = calloc(1, sizeof(*x));
    if (!x) {
        e = ERR_NOMEM;
        goto out;
    }
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        e = ERR_NOMEM;
        goto out;
    }
    x->doc = xmlCtxtReadMemory(ctxt, b.p, (int)b.len, path, NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!x->doc) {
        xmlErrorPtr er = xmlCtxtGetLastError(ctxt);
        collect(&s, er);
        if (!s.errors)
            diag_add(d, path, 0, "not well-formed XML");
        goto out;
    }
    pc = xmlSchemaNewDocParserCtxt(x->doc);
    if (!pc) {
        e = ERR_NOMEM;
        goto out;
    }
    xmlSchemaSetParserStructuredErrors(pc, collect, &s);
    x->schema = xmlSchemaParse(pc);
    if (!x->schema) {
        if (!s.errors)
            diag_add(d, path, 0, "not an XML schema");
        goto out;
    }
    *out = x;
    x = NULL;
    e = ERR_OK;
out:
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    if (pc)
        xmlSchemaFreeParserCtxt(pc);
    xsdcheck_free(x);
    buf_release(&b);
    return e;
}

void xsdcheck_free(struct xsdcheck *x)
{
    if (!x)
        return;
    if (x->schema)
        xmlSchemaFree(x->schema);
    if (x->doc)
        xmlFreeDoc(x->doc);
    free(x);
}

enum err xsdcheck_validate(const struct xsdcheck *x, const char *doc, size_t n, const char *name,
                           struct diag *d)
{
    struct sink s = {d, name, 0};
    isoxml_quiet();
    if (n == 0) {
        diag_add(d, name, 0, "the document is empty");
        return ERR_INVALID;
    }
    if (n > INT_MAX) {
        diag_add(d, name, 0, "the document is larger than 2 GiB");
        return ERR_INVALID;
    }
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(x->schema);
    if (!vc)
        return ERR_NOMEM;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlTextReaderPtr r = xmlReaderForMemory(doc, (int)n, name, NULL, opts);
    if (!r) {
        xmlSchemaFreeValidCtxt(vc);
        return ERR_NOMEM;
    }
    enum err e = ERR_INVALID;
    xmlSchemaSetValidStructuredErrors(vc, collect, &s);
    xmlTextReaderSetStructuredErrorHandler(r, reader_collect, &s);
    if (xmlTextReaderSchemaValidateCtxt(r, vc, 0) != 0) {
        diag_add(d, name, 0, "the schema cannot be used for validation");
        goto out;
    }
    int ret = xmlTextReaderRead(r);
    while (ret == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
            diag_add(d, name, xmlTextReaderGetParserLineNumber(r),
                     "a document type declaration is not accepted");
            s.errors++;
            break;
        }
        ret = xmlTextReaderRead(r);
    }
    if (ret < 0 && !s.errors)
        diag_add(d, name, xmlTextReaderGetParserLineNumber(r), "not well-formed XML");
    if (ret == 0 && !s.errors && xmlTextReaderIsValid(r) == 1)
        e = ERR_OK;
    else if (!s.errors && ret == 0)
        diag_add(d, name, 0, "the document is not valid against the schema");
out:
    xmlFreeTextReader(r);
    xmlSchemaFreeValidCtxt(vc);
    return e;
}
