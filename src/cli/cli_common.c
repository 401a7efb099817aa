/* cli_common.c - helpers shared by the subcommands: paths, clock, store,
 * diagnostics and output. */
#include "cli/cli.h"

#include "service/auth.h"
#include "service/programs.h"
#include "service/refdata.h"
#include "util/clock.h"
#include "util/datadir.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_db_path(const char *opt)
{
    if (opt && opt[0])
        return opt;
    const char *env = getenv("BIDRAG_DB");
    return env && env[0] ? env : "var/bidrag.db";
}

const char *cli_data_dir(const char *opt)
{
    return data_dir(opt);
}

const char *cli_now(void)
{
    static char buf[CLOCK_ISO_LEN];
    clock_iso(buf, sizeof(buf), clock_from_env());
    return buf;
}

struct store *cli_open_store(const char *db, int create)
{
    struct store *s = NULL;
    enum err e = store_open(db, create ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING, &s);
    if (e) {
        fprintf(stderr, "bidrag: %s\n", store_open_error());
        return NULL;
    }
    return s;
}

void cli_print_diag(const struct diag *d)
{
    diag_print(d, stderr);
}

int cli_write_out(const char *path, const struct buf *b)
{
    if (!path || strcmp(path, "-") == 0) {
        if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len)
            return -1;
        return fflush(stdout) == 0 ? 0 : -1;
    }
    /* write to a temporary file, then rename: nothing half-written */
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "bidrag: cannot write '%s'\n", path);
        return -1;
    }
    int ok = (b->len == 0 || fwrite(b->p, 1, b->len, f) == b->len);
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        fprintf(stderr, "bidrag: cannot write '%s'\n", path);
        return -1;
    }
    return 0;
}

int cli_is_help(const char *arg)
{
    return arg && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

enum err cli_open_program(struct store *s, const struct svc_actor *who, const char *arg,
                          struct program_view *v, struct diag *d, struct svc_result *res)
{
    size_t n = strlen(arg);
    if (strchr(arg, '/') || (n > 4 && strcmp(arg + n - 4, ".ini") == 0))
        return programs_open_file(s, who, cli_time(), arg, v, d, res);
    return programs_open(s, who, cli_time(), arg, v, d, res);
}

int64_t cli_time(void)
{
    return clock_from_env();
}

int cli_actor(struct store *s, const char *as, const char *org, struct svc_actor *who)
{
    struct svc_result res;
    svc_result_init(&res);
    if (!as || !as[0])
        as = getenv("BIDRAG_AS");
    enum err e = ERR_OK;
    if (!as || !as[0]) /* the operator's account, made with its record if need be */
        e = auth_operator_ensure(s, cli_time(), &res);
    if (e == ERR_OK && svc_actor_cli(s, as, org, who, &res) == ERR_OK)
        return 0;
    char m[512];
    msg_render(&res.msg, cli_lang(LANG_EN), m, sizeof(m));
    fprintf(stderr, "bidrag: %s\n", m);
    return -1;
}

enum lang cli_lang(enum lang dflt)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (!v || !v[0])
            continue;
        if (strncmp(v, "sv", 2) == 0)
            return LANG_SV;
        if (strncmp(v, "en", 2) == 0)
            return LANG_EN;
        return dflt;
    }
    return dflt;
}

void cli_print_result(const char *what, enum err e, const struct svc_result *res, enum lang l)
{
    char m[2048];
    FILE *f = e == ERR_OK ? stdout : stderr;
    msg_render(&res->msg, l, m, sizeof(m));
    if (e != ERR_OK)
        fprintf(f, "bidrag %s: %s\n", what, m[0] ? m : err_str(e));
    else if (m[0])
        fprintf(f, "%s\n", m);
    for (size_t i = 0; i < res->issues.n; i++) {
        msg_render(&res->issues.v[i].msg, l, m, sizeof(m));
        fprintf(f, "  %s: %s\n", res->issues.v[i].field, m);
    }
}

int cli_update_names(struct store *s, const char *data, const char *what, int quiet)
{
    char kp[1024], rp[1024];
    snprintf(kp, sizeof(kp), "%s/reference/kommuner.csv", data);
    snprintf(rp, sizeof(rp), "%s/reference/regioner.csv", data);
    struct svc_actor sys;
    struct svc_result res;
    struct diag d;
    int changed = 0;
    diag_init(&d, 20);
    svc_actor_system(&sys);
    enum err e = refdata_update_names(s, &sys, cli_time(), kp, rp, &changed, &d, &res);
    if (e != ERR_OK) {
        char m[512];
        m[0] = '\0';
        if (res.msg.key)
            msg_render(&res.msg, cli_lang(LANG_EN), m, sizeof(m));
        cli_print_diag(&d);
        fprintf(stderr, "bidrag %s: the official names were not set: %s\n", what,
                m[0] ? m : store_errmsg(s));
    } else if (changed && !quiet) {
        printf("official names: %d organisations given their name from %s\n", changed, kp);
    }
    diag_release(&d);
    return e != ERR_OK;
}
