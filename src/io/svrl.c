/* svrl.c - reading SVRL reports with libxml2, safely. */
#include "io/svrl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "io/isoxml.h"
#include "util/str.h"

const char *svrl_flag_name(enum svrl_flag f)
{
    switch (f) {
    case SVRL_FATAL:
        return "fatal";
    case SVRL_WARNING:
        return "warning";
    case SVRL_INFO:
        return "information";
    }
    return "fatal";
}

void svrl_report_release(struct svrl_report *r)
{
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static int is_svrl(xmlNodePtr n, const char *local)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, SVRL_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

/* Copy s into out (n bytes) with runs of XML white space made one space
 * and the ends trimmed; cut at a UTF-8 character boundary. */
static void collapse(const char *s, char *out, size_t n)
{
    size_t k = 0;
    int space = 0, cut = 0;
    if (n == 0)
        return;
    for (; s && *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = k > 0;
            continue;
        }
        size_t need = (space ? 1 : 0) + 1;
        if (k + need >= n) {
            cut = 1;
            break;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = c;
    }
    /* do not leave half a UTF-8 character at the cut */
    if (cut) {
        size_t end = k;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0xC0) {
            /* keep the character if all its bytes made it */
            unsigned char lead = (unsigned char)out[k - 1];
            size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            k = end - k + 1 == len ? end : k - 1;
        }
    }
    out[k] = '\0';
    if (str_utf8_len(out, k) < 0)
        out[0] = '\0';
}

/* The svrl:text of a finding, possibly with markup inside. */
static void finding_text(xmlNodePtr f, char *out, size_t n)
{
    out[0] = '\0';
    for (xmlNodePtr c = f->children; c; c = c->next) {
        if (!is_svrl(c, "text"))
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        collapse(t ? (const char *)t : "", out, n);
        xmlFree(t);
        return;
    }
}

static void attr(xmlNodePtr n, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v) {
        collapse((const char *)v, out, size);
        xmlFree(v);
    }
}

static enum err add(struct svrl_report *r, size_t *cap, xmlNodePtr f)
{
    if (r->n >= SVRL_MAX_FINDINGS)
        return ERR_LIMIT;
    if (r->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct svrl_finding *nv = realloc(r->v, nc * sizeof(*nv));
        if (!nv)
            return ERR_NOMEM;
        r->v = nv;
        *cap = nc;
    }
    struct svrl_finding *x = &r->v[r->n++];
    memset(x, 0, sizeof(*x));
    char flag[32];
    attr(f, "flag", flag, sizeof(flag));
    if (strcmp(flag, "warning") == 0)
        x->flag = SVRL_WARNING;
    else if (strcmp(flag, "information") == 0 || strcmp(flag, "info") == 0)
        x->flag = SVRL_INFO;
    else
        x->flag = SVRL_FATAL; /* "fatal", "error", or none: the assertion failed */
    attr(f, "id", x->rule, sizeof(x->rule));
    attr(f, "location", x->location, sizeof(x->location));
    finding_text(f, x->text, sizeof(x->text));
    if (x->flag == SVRL_FATAL)
        r->nfatal++;
    else if (x->flag == SVRL_WARNING)
        r->nwarning++;
    else
        r->ninfo++;
    return ERR_OK;
}

enum err svrl_parse(const char *xml, size_t n, const char *name, struct svrl_report *out,
                    struct diag *d)
{
    memset(out, 0, sizeof(*out));
    if (n > SVRL_MAX_BYTES || n > INT_MAX) {
        diag_add(d, name, 0, "the report is larger than %zu MiB", SVRL_MAX_BYTES >> 20);
        return ERR_LIMIT;
    }
    if (n == 0) {
        diag_add(d, name, 0, "the report is empty");
        return ERR_PARSE;
    }
    isoxml_quiet();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return ERR_NOMEM;
    enum err e = ERR_PARSE;
    size_t cap = 0;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlDocPtr x = xmlCtxtReadMemory(ctxt, xml, (int)n, name, NULL, opts);
    if (!x) {
        xmlErrorPtr er = xmlCtxtGetLastError(ctxt);
        char m[300];
        str_copy(m, sizeof(m), er && er->message ? er->message : "malformed XML");
        size_t len = strlen(m);
        while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' ' || m[len - 1] == '.'))
            m[--len] = '\0';
        diag_add(d, name, er && er->line > 0 ? er->line : 1, "not well-formed XML: %s", m);
        goto out;
    }
    if (x->intSubset || x->extSubset) {
        diag_add(d, name, 1, "a document type declaration is not accepted");
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(x);
    if (!root || !is_svrl(root, "schematron-output")) {
        diag_add(d, name, root ? xmlGetLineNo(root) : 1,
                 "the root element is not svrl:schematron-output");
        goto out;
    }
    attr(root, "title", out->title, sizeof(out->title));
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_svrl(c, "fired-rule")) {
            out->fired++;
        } else if (is_svrl(c, "failed-assert") || is_svrl(c, "successful-report")) {
            e = add(out, &cap, c);
            if (e) {
                if (e == ERR_LIMIT)
                    diag_add(d, name, xmlGetLineNo(c), "more than %d findings", SVRL_MAX_FINDINGS);
                goto out;
            }
            e = ERR_PARSE;
        }
    }
    e = ERR_OK;
out:
    if (e != ERR_OK)
        svrl_report_release(out);
    if (x)
        xmlFreeDoc(x);
    xmlFreeParserCtxt(ctxt);
    return e;
}
