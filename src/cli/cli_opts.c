/* cli_opts.c - the one option parser of the command line: argv read
 * against a command's option table, and its help written from it. */
#include "cli/cli_opts.h"
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum tok_kind { TOK_END, TOK_OPT, TOK_ARG, TOK_HELP, TOK_BAD };

struct tok {
    enum tok_kind kind;
    size_t opt;      /* TOK_OPT: the index in the table */
    const char *val; /* TOK_OPT: the value ("" for a flag); TOK_ARG: the argument */
};

struct scan {
    int i;        /* the next argv index */
    int dashdash; /* after "--" every word is an argument */
};

/* 1 if word is the option o, alone or as "name=VALUE" (*eq then points
 * at the value). */
static int opt_is(const struct cliopt *o, const char *word, const char **eq)
{
    *eq = NULL;
    if (o->alias && strcmp(word, o->alias) == 0)
        return 1;
    size_t n = strlen(o->name);
    if (strncmp(word, o->name, n) != 0)
        return 0;
    if (word[n] == '=') {
        *eq = word + n + 1;
        return 1;
    }
    return word[n] == '\0';
}

/* 1 if v is one of the '|'-separated choices. */
static int choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* The word an option is about: "--format" -> "format". */
static const char *bare(const char *name)
{
    while (*name == '-')
        name++;
    return name;
}

/* The next token of argv; on TOK_BAD the reason is in why. */
static struct tok next_tok(const struct cliopt_cmd *c, int argc, char **argv, struct scan *s,
                           char *why, size_t nwhy)
{
    struct tok t = {TOK_END, 0, NULL};
    if (s->i >= argc)
        return t;
    const char *w = argv[s->i++];
    if (!s->dashdash && strcmp(w, "--") == 0) {
        s->dashdash = 1;
        return next_tok(c, argc, argv, s, why, nwhy);
    }
    if (s->dashdash || w[0] != '-' || w[1] == '\0') {
        t.kind = TOK_ARG;
        t.val = w;
        return t;
    }
    if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
        t.kind = TOK_HELP;
        return t;
    }
    const char *eq = NULL;
    size_t k = 0;
    while (k < c->nopts && !opt_is(&c->opts[k], w, &eq))
        k++;
    t.kind = TOK_BAD;
    if (k == c->nopts) {
        size_t n = strcspn(w, "=");
        snprintf(why, nwhy, "unknown option '%.*s'", (int)(n < 64 ? n : 64), w);
        return t;
    }
    const struct cliopt *o = &c->opts[k];
    t.opt = k;
    if (!o->arg) {
        if (eq) {
            snprintf(why, nwhy, "option '%s' takes no value", o->name);
            return t;
        }
        t.kind = TOK_OPT;
        t.val = "";
        return t;
    }
    if (!eq) {
        if (s->i >= argc || (strncmp(argv[s->i], "--", 2) == 0 && argv[s->i][2])) {
            snprintf(why, nwhy, "option '%s' needs a value (%s)", o->name, o->arg);
            return t;
        }
        eq = argv[s->i++];
    }
    if (o->choices && !choice_ok(o->choices, eq)) {
        snprintf(why, nwhy, "unknown %s '%.64s' (%s)", bare(o->name), eq, o->choices);
        return t;
    }
    t.kind = TOK_OPT;
    t.val = eq;
    return t;
}

void cliopt_usage_line(const struct cliopt_cmd *cmd, FILE *f)
{
    fprintf(f, "bidrag %s", cmd->name);
    if (cmd->synopsis && cmd->synopsis[0])
        fprintf(f, " %s", cmd->synopsis);
    for (size_t k = 0; k < cmd->nopts; k++) {
        const struct cliopt *o = &cmd->opts[k];
        int req = (o->flags & CLIOPT_REQUIRED) != 0;
        fprintf(f, " %s%s", req ? "" : "[", o->name);
        if (o->arg)
            fprintf(f, " %s", o->choices ? o->choices : o->arg);
        fprintf(f, "%s%s", req ? "" : "]", o->flags & CLIOPT_REPEAT ? "..." : "");
    }
    fputc('\n', f);
}

void cliopt_help(const struct cliopt_cmd *cmd, FILE *f)
{
    fputs("usage: ", f);
    cliopt_usage_line(cmd, f);
    if (cmd->nopts)
        fputs("\noptions:\n", f);
    for (size_t k = 0; k < cmd->nopts; k++) {
        const struct cliopt *o = &cmd->opts[k];
        char left[96];
        snprintf(left, sizeof(left), "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "",
                 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-26s %s", left, o->help);
        if (o->choices)
            fprintf(f, ": %s", o->choices);
        if (o->flags & CLIOPT_REQUIRED)
            fputs(" (required)", f);
        if (o->flags & CLIOPT_REPEAT)
            fputs(" (may be repeated)", f);
        fputc('\n', f);
    }
    fprintf(f, "  %-26s %s\n", "-h, --help", "show this help");
    if (cmd->about)
        fprintf(f, "\n%s", cmd->about);
}

static int refuse(const struct cliopt_cmd *cmd, const char *why, int *exit_code)
{
    fprintf(stderr, "bidrag %s: %s (see 'bidrag %s --help')\n", cmd->name, why, cmd->name);
    *exit_code = 2;
    return 0;
}

int cliopt_parse(const struct cliopt_cmd *cmd, int argc, char **argv, struct cliopt_args *a,
                 int *exit_code)
{
    char why[256];
    struct scan s = {1, 0};
    size_t nargs = 0;
    unsigned char seen[64] = {0};
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    *exit_code = 0;
    if (cmd->nopts > sizeof(seen)) {
        snprintf(why, sizeof(why), "the option table has more than %zu entries", sizeof(seen));
        return refuse(cmd, why, exit_code);
    }
    for (;;) {
        struct tok t = next_tok(cmd, argc, argv, &s, why, sizeof(why));
        if (t.kind == TOK_END)
            break;
        if (t.kind == TOK_HELP) {
            cliopt_help(cmd, stdout);
            return 0;
        }
        if (t.kind == TOK_BAD)
            return refuse(cmd, why, exit_code);
        if (t.kind == TOK_ARG) {
            nargs++;
            continue;
        }
        seen[t.opt] = 1; /* given again, a single option's last value counts */
    }
    for (size_t k = 0; k < cmd->nopts; k++)
        if ((cmd->opts[k].flags & CLIOPT_REQUIRED) && !seen[k]) {
            snprintf(why, sizeof(why), "%s%s%s is required", cmd->opts[k].name,
                     cmd->opts[k].arg ? " " : "", cmd->opts[k].arg ? cmd->opts[k].arg : "");
            return refuse(cmd, why, exit_code);
        }
    if (nargs < (size_t)cmd->min_args) {
        snprintf(why, sizeof(why), "missing %s",
                 cmd->synopsis && cmd->synopsis[0] ? cmd->synopsis : "arguments");
        return refuse(cmd, why, exit_code);
    }
    if (cmd->max_args >= 0 && nargs > (size_t)cmd->max_args) {
        s.i = 1;
        s.dashdash = 0;
        size_t n = 0;
        const char *extra = "";
        for (struct tok t = next_tok(cmd, argc, argv, &s, why, sizeof(why)); t.kind != TOK_END;
             t = next_tok(cmd, argc, argv, &s, why, sizeof(why)))
            if (t.kind == TOK_ARG && n++ == (size_t)cmd->max_args)
                extra = t.val;
        snprintf(why, sizeof(why), "unexpected argument '%.64s'", extra);
        return refuse(cmd, why, exit_code);
    }
    return 1;
}

/* The index of name in the table; a name not there is a mistake in the
 * program, not in the command line. */
static size_t opt_index(const struct cliopt_cmd *cmd, const char *name)
{
    for (size_t k = 0; k < cmd->nopts; k++)
        if (strcmp(cmd->opts[k].name, name) == 0)
            return k;
    fprintf(stderr, "bidrag %s: no option '%s' in its table\n", cmd->name, name);
    abort();
}

/* The i-th value of option name (i = (size_t)-1: the last), and the count. */
static const char *find(const struct cliopt_args *a, const char *name, size_t want, size_t *count)
{
    char why[256];
    size_t k = opt_index(a->cmd, name);
    struct scan s = {1, 0};
    const char *hit = NULL;
    size_t n = 0;
    for (struct tok t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why)); t.kind != TOK_END;
         t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why))) {
        if (t.kind != TOK_OPT || t.opt != k)
            continue;
        if (want == (size_t)-1 || want == n)
            hit = t.val;
        n++;
    }
    if (count)
        *count = n;
    return hit;
}

const char *cliopt_get(const struct cliopt_args *a, const char *name)
{
    return find(a, name, (size_t)-1, NULL);
}

const char *cliopt_or(const struct cliopt_args *a, const char *name, const char *dflt)
{
    const char *v = cliopt_get(a, name);
    return v ? v : dflt;
}

int cliopt_flag(const struct cliopt_args *a, const char *name)
{
    return cliopt_get(a, name) != NULL;
}

size_t cliopt_count(const struct cliopt_args *a, const char *name)
{
    size_t n = 0;
    (void)find(a, name, 0, &n);
    return n;
}

const char *cliopt_nth(const struct cliopt_args *a, const char *name, size_t i)
{
    return find(a, name, i, NULL);
}

size_t cliopt_nargs(const struct cliopt_args *a)
{
    char why[256];
    struct scan s = {1, 0};
    size_t n = 0;
    for (struct tok t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why)); t.kind != TOK_END;
         t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why)))
        n += t.kind == TOK_ARG;
    return n;
}

const char *cliopt_arg(const struct cliopt_args *a, size_t i)
{
    char why[256];
    struct scan s = {1, 0};
    size_t n = 0;
    for (struct tok t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why)); t.kind != TOK_END;
         t = next_tok(a->cmd, a->argc, a->argv, &s, why, sizeof(why)))
        if (t.kind == TOK_ARG && n++ == i)
            return t.val;
    return NULL;
}

const struct cliopt_cmd *cliopt_sub(const char *group, const struct cliopt_cmd *const *subs,
                                    size_t n, int argc, char **argv, int *exit_code)
{
    size_t glen = strlen(group);
    int help = argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
               strcmp(argv[1], "help") == 0;
    for (size_t i = 0; !help && i < n; i++) {
        const char *name = subs[i]->name;
        if (strncmp(name, group, glen) == 0 && name[glen] == ' ' &&
            strcmp(name + glen + 1, argv[1]) == 0)
            return subs[i];
    }
    FILE *f = help && argc >= 2 ? stdout : stderr;
    if (!help)
        fprintf(f, "bidrag %s: unknown subcommand '%.64s'\n", group, argv[1]);
    for (size_t i = 0; i < n; i++) {
        fputs(i == 0 ? "usage: " : "       ", f);
        cliopt_usage_line(subs[i], f);
    }
    fprintf(f, "see 'bidrag %s SUBCOMMAND --help'\n", group);
    *exit_code = f == stdout ? 0 : 2;
    return NULL;
}

const char *cliopt_db_default(void)
{
    return cli_db_path(NULL);
}

const char *cliopt_actor(char *out, size_t n)
{
    const char *u = getenv("USER");
    if (u && u[0])
        snprintf(out, n, "cli:%s", u);
    else
        snprintf(out, n, "cli");
    return out;
}

int cliopt_read_secret(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return -1;
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return 0;
}
