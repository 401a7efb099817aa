/* isoxml.c - safe reading of ISO 20022 XML with libxml2. */
#include "io/isoxml.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "util/str.h"

/* libxml2's message without its trailing new line and full stop. */
static void clean_message(const char *in, char *out, size_t n)
{
    str_copy(out, n, in ? in : "malformed XML");
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' ' || out[len - 1] == '.'))
        out[--len] = '\0';
    if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
        out[0] = (char)(out[0] - 'A' + 'a');
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void isoxml_quiet(void)
{
    xmlSetGenericErrorFunc(NULL, quiet);
}

enum err isoxml_open(const char *data, size_t n, const char *name, const char *ns,
                     const char *message, xmlDocPtr *doc, xmlNodePtr *msg, struct diag *d)
{
    *doc = NULL;
    *msg = NULL;
    if (n > ISOXML_MAX_BYTES || n > INT_MAX) {
        diag_add(d, name, 0, "the file is larger than %zu MiB", ISOXML_MAX_BYTES >> 20);
        return ERR_LIMIT;
    }
    if (n == 0) {
        diag_add(d, name, 0, "the file is empty");
        return ERR_PARSE;
    }
    isoxml_quiet();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return ERR_NOMEM;
    enum err e = ERR_PARSE;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlDocPtr x = xmlCtxtReadMemory(ctxt, data, (int)n, name, NULL, opts);
    if (!x) {
        xmlErrorPtr er = xmlCtxtGetLastError(ctxt);
        char m[300];
        clean_message(er ? er->message : NULL, m, sizeof(m));
        diag_add(d, name, er && er->line > 0 ? er->line : 1, "not well-formed XML: %s", m);
        goto out;
    }
    if (x->intSubset || x->extSubset) {
        diag_add(d, name, 1, "a document type declaration is not accepted");
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(x);
    if (!root || !root->ns || !root->ns->href || strcmp((const char *)root->ns->href, ns) != 0) {
        diag_add(d, name, root ? isoxml_line(root) : 1, "the namespace is '%s', not '%s'",
                 root && root->ns && root->ns->href ? (const char *)root->ns->href : "", ns);
        goto out;
    }
    if (strcmp((const char *)root->name, "Document") != 0) {
        diag_add(d, name, isoxml_line(root), "the root element is '%s', not 'Document'",
                 (const char *)root->name);
        goto out;
    }
    xmlNodePtr m = isoxml_child(root, message);
    if (!m) {
        diag_add(d, name, isoxml_line(root), "'Document' has no '%s'", message);
        goto out;
    }
    *doc = x;
    *msg = m;
    x = NULL;
    e = ERR_OK;
out:
    if (x)
        xmlFreeDoc(x);
    xmlFreeParserCtxt(ctxt);
    return e;
}

static int same_ns(xmlNodePtr a, xmlNodePtr b)
{
    const xmlChar *ha = a->ns ? a->ns->href : NULL;
    const xmlChar *hb = b->ns ? b->ns->href : NULL;
    if (!ha || !hb)
        return ha == hb;
    return xmlStrEqual(ha, hb);
}

xmlNodePtr isoxml_child(xmlNodePtr parent, const char *local)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && same_ns(c, parent) &&
            strcmp((const char *)c->name, local) == 0)
            return c;
    return NULL;
}

xmlNodePtr isoxml_next(xmlNodePtr node)
{
    if (!node)
        return NULL;
    for (xmlNodePtr c = node->next; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && same_ns(c, node) && xmlStrEqual(c->name, node->name))
            return c;
    return NULL;
}

xmlNodePtr isoxml_path(xmlNodePtr parent, const char *path)
{
    char part[64];
    const char *p = path;
    xmlNodePtr cur = parent;
    while (cur && *p) {
        size_t len = strcspn(p, "/");
        if (len == 0 || len >= sizeof(part))
            return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        cur = isoxml_child(cur, part);
        p += len;
        if (*p == '/')
            p++;
    }
    return cur;
}

static int xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum err isoxml_text(xmlNodePtr node, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    if (!node)
        return ERR_OK;
    size_t k = 0;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        const char *t = (const char *)c->content;
        size_t len = t ? strlen(t) : 0;
        if (k + len + 1 > n) {
            if (n)
                out[0] = '\0';
            return ERR_LIMIT;
        }
        memcpy(out + k, t, len);
        k += len;
    }
    out[k] = '\0';
    size_t start = 0;
    while (start < k && xml_space(out[start]))
        start++;
    while (k > start && xml_space(out[k - 1]))
        k--;
    memmove(out, out + start, k - start);
    out[k - start] = '\0';
    return ERR_OK;
}

long isoxml_line(xmlNodePtr node)
{
    long l = node ? xmlGetLineNo(node) : 0;
    return l > 0 ? l : 1;
}

enum err isoxml_amount(const char *s, int64_t *ore)
{
    const char *p = s;
    if (*p == '+')
        p++;
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++; /* leading zeros */
    const char *w = p;
    int64_t whole = 0;
    while (*p >= '0' && *p <= '9') {
        if (p - w >= 13)
            return ERR_PARSE;
        whole = whole * 10 + (*p - '0');
        p++;
    }
    size_t nd = (size_t)(p - w), fd = 0;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (fd < 2)
                frac = frac * 10 + (*p - '0');
            else if (*p != '0')
                return ERR_PARSE;
            fd++;
            p++;
        }
    }
    if (*p || (nd == 0 && fd == 0))
        return ERR_PARSE;
    if (fd == 1)
        frac *= 10;
    *ore = whole * 100 + frac;
    return ERR_OK;
}

enum err isoxml_date(const char *s, struct date *out)
{
    char d[11];
    size_t len = strlen(s);
    if (len < 10 || (len > 10 && s[10] != 'T'))
        return ERR_PARSE;
    memcpy(d, s, 10);
    d[10] = '\0';
    return date_parse(d, out);
}
