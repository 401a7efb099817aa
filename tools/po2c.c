/* po2c.c - build-time tool: turn a gettext catalog (po/en.po: msgid =
 * the Swedish screen text, msgstr = its translation) into the C table the
 * web layer looks texts up in (sorted by msgid for binary search).
 * Fuzzy and untranslated entries are left out (the Swedish text shows).
 *
 * usage: po2c IN.po OUT.c   (exit 1 with "file:line: message" on error) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *id, *str;
    long line;
};

static const char *in_path;

static void die_at(long line, const char *msg)
{
    fprintf(stderr, "%s:%ld: %s\n", in_path, line, msg);
    exit(1);
}

/* Append the unescaped content of the quoted string starting at p. */
static void append_quoted(char **dst, size_t *len, const char *p, long line)
{
    if (*p != '"')
        die_at(line, "expected a quoted string");
    p++;
    size_t cap = *len + strlen(p) + 1;
    char *d = realloc(*dst, cap);
    if (!d)
        die_at(line, "out of memory");
    *dst = d;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            char e = *p++;
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == '"' ? '"' : e == '\\' ? '\\' : 0;
            if (!c)
                die_at(line, "unknown escape in string");
        }
        d[(*len)++] = c;
    }
    if (*p != '"')
        die_at(line, "unterminated string");
    d[*len] = '\0';
}

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

static void put_c_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\t')
            fputs("\\t", f);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: po2c IN.po OUT.c\n");
        return 2;
    }
    in_path = argv[1];
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        fprintf(stderr, "po2c: cannot read '%s'\n", argv[1]);
        return 1;
    }
    struct entry *v = NULL;
    size_t n = 0;
    char *id = NULL, *str = NULL;
    size_t idlen = 0, strlen_ = 0;
    int fuzzy = 0, state = 0; /* 0 none, 1 in msgid, 2 in msgstr */
    long line = 0, idline = 0;
    char buf[8192];
    for (;;) {
        char *got = fgets(buf, sizeof(buf), in);
        if (got) {
            line++;
            size_t l = strlen(buf);
            if (l && buf[l - 1] != '\n' && !feof(in))
                die_at(line, "line too long");
            while (l && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
                buf[--l] = '\0';
        }
        int blank = !got || buf[0] == '\0';
        if (blank || (got && strncmp(buf, "msgid ", 6) == 0 && state == 2)) {
            if (state == 2 && id && id[0] && str && str[0] && !fuzzy) {
                struct entry *nv = realloc(v, (n + 1) * sizeof(*v));
                if (!nv)
                    die_at(line, "out of memory");
                v = nv;
                v[n++] = (struct entry){id, str, idline};
                id = str = NULL;
            }
            free(id);
            free(str);
            id = str = NULL;
            idlen = strlen_ = 0;
            fuzzy = 0;
            state = 0;
            if (!got)
                break;
            if (blank)
                continue;
        }
        if (buf[0] == '#') {
            if (strncmp(buf, "#,", 2) == 0 && strstr(buf, "fuzzy"))
                fuzzy = 1;
            continue;
        }
        if (strncmp(buf, "msgid ", 6) == 0) {
            state = 1;
            idline = line;
            append_quoted(&id, &idlen, buf + 6, line);
        } else if (strncmp(buf, "msgstr ", 7) == 0) {
            if (state != 1)
                die_at(line, "msgstr without msgid");
            state = 2;
            append_quoted(&str, &strlen_, buf + 7, line);
        } else if (buf[0] == '"') {
            if (state == 1)
                append_quoted(&id, &idlen, buf, line);
            else if (state == 2)
                append_quoted(&str, &strlen_, buf, line);
            else
                die_at(line, "string outside an entry");
        } else {
            die_at(line, "expected msgid, msgstr, a string or a comment");
        }
    }
    fclose(in);
    qsort(v, n, sizeof(*v), cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1].id, v[i].id) == 0)
            die_at(v[i].line, "msgid appears twice");
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "po2c: cannot write '%s'\n", tmp);
        return 1;
    }
    fprintf(out,
            "/* generated from %s by tools/po2c.c - do not edit */\n"
            "#include \"util/i18n_catalog.h\"\n\n"
            "const struct i18n_entry i18n_catalog_en[] = {\n",
            argv[1]);
    for (size_t i = 0; i < n; i++) {
        fputs("    {", out);
        put_c_string(out, v[i].id);
        fputs(", ", out);
        put_c_string(out, v[i].str);
        fputs("},\n", out);
    }
    fprintf(out, "};\nconst size_t i18n_catalog_en_count = %zu;\n", n);
    if (fclose(out) != 0 || rename(tmp, argv[2]) != 0) {
        fprintf(stderr, "po2c: cannot write '%s'\n", argv[2]);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].str);
    }
    free(v);
    return 0;
}
