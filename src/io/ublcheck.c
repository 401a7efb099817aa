/* ublcheck.c - UBL XSD and Peppol schematron validation of invoices. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np (glibc 2.34) */
#include "io/ublcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "io/isoxml.h"
#include "io/xsdcheck.h"
#include "util/str.h"

extern char **environ;

#define NRULES 2
static const char *const rule_files[NRULES] = {"PEPPOL-EN16931-UBL", "CEN-EN16931-UBL"};
static const char *const rule_source[NRULES] = {"PEPPOL", "CEN"};

struct ublcheck {
    struct ublcheck_config cfg;
    struct xsdcheck *invoice, *credit_note;
    char release[512];
};

#ifndef BIDRAG_SCHEMATRON_DIR
#define BIDRAG_SCHEMATRON_DIR ""
#endif
#ifndef BIDRAG_JAVA
#define BIDRAG_JAVA ""
#endif
#ifndef BIDRAG_SAXON_JAR
#define BIDRAG_SAXON_JAR ""
#endif

static void setting(char *out, size_t n, const char *env, const char *dflt)
{
    const char *v = getenv(env);
    str_copy(out, n, v && *v ? v : dflt);
}

void ublcheck_config_default(struct ublcheck_config *c)
{
    memset(c, 0, sizeof(*c));
    setting(c->data_dir, sizeof(c->data_dir), "BIDRAG_DATA_DIR", BIDRAG_SOURCE_DIR "/data");
    setting(c->rules_dir, sizeof(c->rules_dir), "BIDRAG_SCHEMATRON_DIR", BIDRAG_SCHEMATRON_DIR);
    setting(c->java, sizeof(c->java), "BIDRAG_JAVA", BIDRAG_JAVA);
    setting(c->saxon_jar, sizeof(c->saxon_jar), "BIDRAG_SAXON_JAR", BIDRAG_SAXON_JAR);
    c->timeout_s = 300;
}

void ublcheck_free(struct ublcheck *u)
{
    if (!u)
        return;
    xsdcheck_free(u->invoice);
    xsdcheck_free(u->credit_note);
    free(u);
}

const char *ublcheck_release(const struct ublcheck *u)
{
    return u->release;
}

/* release.txt: "NAME VERSION sha256=HEX" per line. */
static enum err read_release(struct ublcheck *u, const char *path, struct diag *d)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    enum err e = buf_read_file(&b, path);
    if (e) {
        diag_add(d, path, 0, "the rules' release file is missing (rebuild: cmake --build)");
        buf_release(&b);
        return ERR_NOTFOUND;
    }
    size_t found = 0;
    u->release[0] = '\0';
    char *save = NULL;
    for (char *line = b.p; line && *line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        char name[64], ver[32], sum[80];
        if (sscanf(line, "%63s %31s %79s", name, ver, sum) != 3 || strncmp(sum, "sha256=", 7) != 0)
            continue;
        size_t len = strlen(u->release);
        snprintf(u->release + len, sizeof(u->release) - len, "%s %s (sha256 %.12s), ", name, ver,
                 sum + 7);
        found++;
    }
    buf_release(&b);
    if (found != NRULES) {
        diag_add(d, path, 0, "expected the release of %d rule sets, found %zu", NRULES, found);
        return ERR_PARSE;
    }
    size_t len = strlen(u->release);
    snprintf(u->release + len, sizeof(u->release) - len, "UBL 2.1 XSD");
    return ERR_OK;
}

enum err ublcheck_open(const struct ublcheck_config *c, struct ublcheck **out, struct diag *d)
{
    *out = NULL;
    struct ublcheck *u = calloc(1, sizeof(*u));
    if (!u)
        return ERR_NOMEM;
    u->cfg = *c;
    if (u->cfg.timeout_s <= 0)
        u->cfg.timeout_s = 300;
    char path[2200];
    enum err e = ERR_NOTFOUND;
    int missing = 0;
    if (!c->java[0] || access(c->java, X_OK) != 0) {
        diag_add(d, NULL, 0,
                 "java '%s' is missing: install default-jre-headless (scripts/install-deps)",
                 c->java);
        missing++;
    }
    if (!c->saxon_jar[0] || access(c->saxon_jar, R_OK) != 0) {
        diag_add(d, NULL, 0,
                 "Saxon-HE '%s' is missing: install libsaxonhe-java (scripts/install-deps)",
                 c->saxon_jar);
        missing++;
    }
    for (int i = 0; i < NRULES; i++) {
        snprintf(path, sizeof(path), "%s/%s.xsl", c->rules_dir, rule_files[i]);
        if (!c->rules_dir[0] || access(path, R_OK) != 0) {
            diag_add(d, path, 0,
                     "the compiled %s rules are missing: build with java and Saxon-HE "
                     "installed (cmake/schematron.cmake)",
                     rule_source[i]);
            missing++;
        }
    }
    if (missing)
        goto out;
    snprintf(path, sizeof(path), "%s/release.txt", c->rules_dir);
    e = read_release(u, path, d);
    if (e)
        goto out;
    snprintf(path, sizeof(path), "%s/%s", c->data_dir, UBLCHECK_XSD_INVOICE);
    e = xsdcheck_open(path, &u->invoice, d);
    if (e)
        goto out;
    snprintf(path, sizeof(path), "%s/%s", c->data_dir, UBLCHECK_XSD_CREDIT_NOTE);
    e = xsdcheck_open(path, &u->credit_note, d);
    if (e)
        goto out;
    *out = u;
    u = NULL;
    e = ERR_OK;
out:
    ublcheck_free(u);
    return e;
}

void ublcheck_result_release(struct ublcheck_result *r)
{
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static struct ublcheck_finding *finding(struct ublcheck_result *r, size_t *cap)
{
    if (r->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        struct ublcheck_finding *nv = realloc(r->v, nc * sizeof(*nv));
        if (!nv)
            return NULL;
        r->v = nv;
        *cap = nc;
    }
    struct ublcheck_finding *f = &r->v[r->n++];
    memset(f, 0, sizeof(*f));
    return f;
}

/* The root element's local name if it is UBL's Invoice or CreditNote
 * (in its namespace), else "". Read with a streaming reader, no network,
 * no DTD. */
static void root_of(const char *doc, size_t n, char out[16])
{
    out[0] = '\0';
    if (n > UBLCHECK_MAX_DOC_BYTES)
        return;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlTextReaderPtr r = xmlReaderForMemory(doc, (int)n, "doc", NULL, opts);
    if (!r)
        return;
    while (xmlTextReaderRead(r) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
        const xmlChar *local = xmlTextReaderConstLocalName(r);
        if (ns && local) {
            if (strcmp((const char *)ns,
                       "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2") == 0 &&
                strcmp((const char *)local, "Invoice") == 0)
                str_copy(out, 16, "Invoice");
            else if (strcmp((const char *)ns,
                            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2") == 0 &&
                     strcmp((const char *)local, "CreditNote") == 0)
                str_copy(out, 16, "CreditNote");
        }
        break;
    }
    xmlFreeTextReader(r);
}

static enum err xsd_step(const struct ublcheck *u, const char *doc, size_t n, const char *name,
                         struct ublcheck_result *res, size_t *cap)
{
    root_of(doc, n, res->root);
    if (!res->root[0]) {
        struct ublcheck_finding *f = finding(res, cap);
        if (!f)
            return ERR_NOMEM;
        str_copy(f->source, sizeof(f->source), "xsd");
        f->flag = SVRL_FATAL;
        str_copy(f->text, sizeof(f->text),
                 "the document is not a UBL 2.1 Invoice or CreditNote (root element and "
                 "namespace)");
        return ERR_OK;
    }
    const struct xsdcheck *x = strcmp(res->root, "Invoice") == 0 ? u->invoice : u->credit_note;
    struct diag xd;
    diag_init(&xd, 50);
    enum err e = xsdcheck_validate(x, doc, n, name, &xd);
    if (e != ERR_OK && e != ERR_INVALID) {
        diag_release(&xd);
        return e;
    }
    for (size_t i = 0; i < xd.n; i++) {
        struct ublcheck_finding *f = finding(res, cap);
        if (!f) {
            diag_release(&xd);
            return ERR_NOMEM;
        }
        str_copy(f->source, sizeof(f->source), "xsd");
        f->flag = SVRL_FATAL;
        /* "name:line: message" -> location "line N", text "message" */
        const char *m = xd.msg[i];
        size_t nl = strlen(name);
        if (strncmp(m, name, nl) == 0 && m[nl] == ':') {
            m += nl + 1;
            char *end = NULL;
            long line = strtol(m, &end, 10);
            if (end && *end == ':' && end != m) {
                snprintf(f->location, sizeof(f->location), "line %ld", line);
                m = end + 1;
            }
            while (*m == ' ')
                m++;
        }
        str_copy(f->text, sizeof(f->text), m);
    }
    if (e == ERR_INVALID && xd.n == 0) {
        struct ublcheck_finding *f = finding(res, cap);
        if (!f) {
            diag_release(&xd);
            return ERR_NOMEM;
        }
        str_copy(f->source, sizeof(f->source), "xsd");
        f->flag = SVRL_FATAL;
        str_copy(f->text, sizeof(f->text), "the document is not valid against the UBL 2.1 XSD");
    }
    diag_release(&xd);
    return ERR_OK;
}

/* --- running Saxon ---------------------------------------------------- */

static int write_all(const char *path, const char *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return close(fd);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Start Saxon on every file in in_dir with the compiled rules, reports to
 * out_dir, its output to log. 0 or an errno value. */
static int spawn_saxon(const struct ublcheck *u, int rule, const char *in_dir, const char *out_dir,
                       const char *log, pid_t *pid)
{
    char xsl[2200], s[1300], o[1300], x[2300];
    snprintf(xsl, sizeof(xsl), "%s/%s.xsl", u->cfg.rules_dir, rule_files[rule]);
    snprintf(s, sizeof(s), "-s:%s", in_dir);
    snprintf(o, sizeof(o), "-o:%s", out_dir);
    snprintf(x, sizeof(x), "-xsl:%s", xsl);
    char *argv[] = {(char *)u->cfg.java,
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xss8m",
                    "-jar",
                    (char *)u->cfg.saxon_jar,
                    s,
                    x,
                    o,
                    NULL};
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return ENOMEM;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    /* Java gets nothing else of ours: no socket, database or log a server
     * has open without close-on-exec */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    int rc = posix_spawn(pid, u->cfg.java, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Wait for the processes, stopping them all past the deadline. Each
 * status goes to st[i] (-1: killed). */
static void wait_all(pid_t *pid, int *st, int n, double deadline)
{
    int left = n;
    for (int i = 0; i < n; i++)
        st[i] = pid[i] > 0 ? -2 : -1;
    while (left > 0) {
        left = 0;
        for (int i = 0; i < n; i++) {
            if (st[i] != -2)
                continue;
            int status = 0;
            pid_t r = waitpid(pid[i], &status, WNOHANG);
            if (r == pid[i])
                st[i] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            else if (r < 0 && errno != EINTR)
                st[i] = -1;
            else
                left++;
        }
        if (left == 0)
            break;
        if (now_s() > deadline) {
            for (int i = 0; i < n; i++) {
                if (st[i] == -2) {
                    kill(pid[i], SIGKILL);
                    waitpid(pid[i], NULL, 0);
                    st[i] = -1;
                }
            }
            break;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The last line of a log, for a message. */
static void last_words(const char *log, char *out, size_t n)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    out[0] = '\0';
    if (buf_read_file(&b, log) == ERR_OK && b.len) {
        size_t end = b.len;
        while (end > 0 && (b.p[end - 1] == '\n' || b.p[end - 1] == '\r'))
            end--;
        size_t start = end;
        while (start > 0 && b.p[start - 1] != '\n')
            start--;
        snprintf(out, n, "%.*s", (int)(end - start), b.p + start);
    }
    buf_release(&b);
}

/* Remove the run's directory: the files it made, then the folders. */
static void cleanup(const char *tmp, size_t count)
{
    char p[1400];
    const char *subs[] = {"in", "out-PEPPOL", "out-CEN"};
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 0; i < count; i++) {
            snprintf(p, sizeof(p), "%s/%s/d%05zu.xml", tmp, subs[s], i);
            unlink(p);
        }
        snprintf(p, sizeof(p), "%s/%s", tmp, subs[s]);
        rmdir(p);
    }
    for (int r = 0; r < NRULES; r++) {
        snprintf(p, sizeof(p), "%s/%s.log", tmp, rule_source[r]);
        unlink(p);
    }
    rmdir(tmp);
}

enum err ublcheck_run_many(const struct ublcheck *u, const char *const *docs, const size_t *lens,
                           const char *const *names, size_t count, struct ublcheck_result *res,
                           struct diag *d)
{
    double t0 = now_s();
    enum err e = ERR_OK;
    size_t *cap = NULL;
    char tmp[1100] = "";
    int made = 0;
    for (size_t i = 0; i < count; i++)
        memset(&res[i], 0, sizeof(res[i]));
    if (count == 0)
        return ERR_OK;
    if (count > UBLCHECK_MAX_DOCS) {
        diag_add(d, NULL, 0, "more than %d documents in one run", UBLCHECK_MAX_DOCS);
        return ERR_LIMIT;
    }
    isoxml_quiet();
    cap = calloc(count, sizeof(*cap));
    if (!cap)
        return ERR_NOMEM;
    /* the XSD first, in this process */
    for (size_t i = 0; i < count; i++) {
        str_copy(res[i].release, sizeof(res[i].release), u->release);
        if (lens[i] > UBLCHECK_MAX_DOC_BYTES) {
            diag_add(d, names[i], 0, "larger than %zu MiB", UBLCHECK_MAX_DOC_BYTES >> 20);
            e = ERR_LIMIT;
            goto out;
        }
        e = xsd_step(u, docs[i], lens[i], names[i], &res[i], &cap[i]);
        if (e)
            goto out;
    }
    /* then the rules, one Saxon per rule set, both at once */
    const char *t = u->cfg.tmp_dir[0] ? u->cfg.tmp_dir : getenv("TMPDIR");
    snprintf(tmp, sizeof(tmp), "%s/bidrag-ubl.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp)) {
        diag_add(d, tmp, 0, "cannot make a working folder: %s", strerror(errno));
        e = ERR_IO;
        goto out;
    }
    made = 1;
    char in[1200], outd[NRULES][1200], log[NRULES][1200], p[1400];
    snprintf(in, sizeof(in), "%s/in", tmp);
    int dirs_ok = mkdir(in, 0700) == 0;
    for (int r = 0; r < NRULES; r++) {
        snprintf(outd[r], sizeof(outd[r]), "%s/out-%s", tmp, rule_source[r]);
        snprintf(log[r], sizeof(log[r]), "%s/%s.log", tmp, rule_source[r]);
        dirs_ok = dirs_ok && mkdir(outd[r], 0700) == 0;
    }
    if (!dirs_ok) {
        diag_add(d, tmp, 0, "cannot make a working folder: %s", strerror(errno));
        e = ERR_IO;
        goto out;
    }
    size_t sent = 0;
    for (size_t i = 0; i < count; i++) {
        if (!res[i].root[0])
            continue; /* not UBL: blocked already, nothing for the rules */
        sent++;
        snprintf(p, sizeof(p), "%.1199s/d%05zu.xml", in, i);
        if (write_all(p, docs[i], lens[i]) != 0) {
            diag_add(d, p, 0, "cannot write: %s", strerror(errno));
            e = ERR_IO;
            goto out;
        }
    }
    if (sent == 0)
        goto out;
    pid_t pid[NRULES] = {0};
    int st[NRULES];
    for (int r = 0; r < NRULES; r++) {
        int rc = spawn_saxon(u, r, in, outd[r], log[r], &pid[r]);
        if (rc != 0) {
            pid[r] = 0;
            diag_add(d, NULL, 0, "cannot start '%s': %s", u->cfg.java, strerror(rc));
            e = ERR_IO;
        }
    }
    wait_all(pid, st, NRULES, t0 + u->cfg.timeout_s);
    if (e)
        goto out;
    for (int r = 0; r < NRULES; r++) {
        if (st[r] != 0) {
            char w[400];
            last_words(log[r], w, sizeof(w));
            diag_add(d, NULL, 0, "the %s rules did not run (%s): %s", rule_source[r],
                     st[r] < 0 ? "stopped" : "Saxon failed", w);
            e = ERR_IO;
        }
    }
    if (e)
        goto out;
    /* read the reports back */
    for (size_t i = 0; i < count && !e; i++) {
        if (!res[i].root[0])
            continue;
        for (int r = 0; r < NRULES && !e; r++) {
            struct buf b;
            buf_init(&b, SVRL_MAX_BYTES);
            snprintf(p, sizeof(p), "%.1199s/d%05zu.xml", outd[r], i);
            struct svrl_report rep;
            e = buf_read_file_diag(&b, p, d);
            if (!e)
                e = svrl_parse(b.p, b.len, p, &rep, d);
            buf_release(&b);
            if (e) {
                e = ERR_IO;
                break;
            }
            if (rep.fired == 0) {
                diag_add(d, names[i], 0, "no %s rule fired: the report cannot be trusted",
                         rule_source[r]);
                svrl_report_release(&rep);
                e = ERR_IO;
                break;
            }
            for (size_t k = 0; k < rep.n; k++) {
                struct ublcheck_finding *f = finding(&res[i], &cap[i]);
                if (!f) {
                    e = ERR_NOMEM;
                    break;
                }
                str_copy(f->source, sizeof(f->source), rule_source[r]);
                f->flag = rep.v[k].flag;
                str_copy(f->rule, sizeof(f->rule), rep.v[k].rule);
                str_copy(f->location, sizeof(f->location), rep.v[k].location);
                str_copy(f->text, sizeof(f->text), rep.v[k].text);
            }
            svrl_report_release(&rep);
        }
    }
out:
    if (made)
        cleanup(tmp, count);
    free(cap);
    long ms = (long)((now_s() - t0) * 1000.0 + 0.5);
    if (e) {
        for (size_t i = 0; i < count; i++)
            ublcheck_result_release(&res[i]);
        return e;
    }
    enum err verdict = ERR_OK;
    for (size_t i = 0; i < count; i++) {
        struct ublcheck_result *r = &res[i];
        r->ms = ms;
        for (size_t k = 0; k < r->n; k++) {
            const struct ublcheck_finding *f = &r->v[k];
            if (f->flag == SVRL_FATAL) {
                r->nfatal++;
                diag_add(d, names[i], 0, "%s%s%s: %s", f->source, f->rule[0] ? " " : "", f->rule,
                         f->text);
            } else if (f->flag == SVRL_WARNING) {
                r->nwarning++;
            } else {
                r->ninfo++;
            }
        }
        r->blocked = r->nfatal > 0;
        if (r->blocked)
            verdict = ERR_INVALID;
    }
    return verdict;
}

enum err ublcheck_run(const struct ublcheck *u, const char *doc, size_t n, const char *name,
                      struct ublcheck_result *res, struct diag *d)
{
    return ublcheck_run_many(u, &doc, &n, &name, 1, res, d);
}

enum err ublcheck_result_text(const struct ublcheck_result *r, struct buf *out)
{
    buf_printf(out, "rules: %s\n", r->release);
    buf_printf(out, "verdict: %s (%zu fatal, %zu warnings, %zu information)\n",
               r->blocked ? "blocked" : "passed", r->nfatal, r->nwarning, r->ninfo);
    for (size_t i = 0; i < r->n; i++) {
        const struct ublcheck_finding *f = &r->v[i];
        buf_printf(out, "%s %s %s: %s", f->source, svrl_flag_name(f->flag),
                   f->rule[0] ? f->rule : "-", f->text);
        if (f->location[0])
            buf_printf(out, " [%s]", f->location);
        buf_putc(out, '\n');
    }
    return out->failed ? ERR_LIMIT : ERR_OK;
}
