/* cmd_orgs.c - bidrag orgs: list the recipients. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/csv.h"
#include "service/refdata.h"

static const struct cliopt orgs_opts[] = {
    {"--role", NULL, "ROLE", 0, "kommun|region", "only these recipients"},
    {"--format", NULL, "FORMAT", 0, "table|csv|json", "the output (table)"},
    CLIOPT_DB,
};

static const struct cliopt_cmd orgs_cmd = {
    "orgs",
    "",
    0,
    0,
    orgs_opts,
    CLIOPT_N(orgs_opts),
    "The recipients: code, SCB's short name (allocation tables and statistics), role,\n"
    "län and the official name letters and pages use (\"Stockholms stad\",\n"
    "\"Lunds kommun\", \"Region Skåne\"; data/reference/PROVENANCE.md).\n"};

static enum err emit(struct buf *b, const char *format, const struct recipient *r, size_t n,
                     json_t *arr)
{
    enum err e = ERR_OK;
    for (size_t i = 0; i < n && !e; i++) {
        if (!strcmp(format, "csv")) {
            e = buf_printf(b, "%s,", r[i].code);
            if (!e)
                e = csv_put_field(b, r[i].name);
            if (!e)
                e = buf_printf(b, ",%s,%s,", org_role_name(r[i].role), r[i].lan_code);
            if (!e)
                e = csv_put_field(b, r[i].official_name);
            if (!e)
                e = buf_putc(b, '\n');
        } else if (!strcmp(format, "json")) {
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(r[i].code));
            json_object_set_new(o, "name", json_string(r[i].name));
            json_object_set_new(o, "role", json_string(org_role_name(r[i].role)));
            json_object_set_new(o, "lan", json_string(r[i].lan_code));
            json_object_set_new(o, "official_name", json_string(r[i].official_name));
            json_array_append_new(arr, o);
        } else {
            e = buf_printf(b, "%-5s %-7s %s (%s)\n", r[i].code, org_role_name(r[i].role), r[i].name,
                           r[i].official_name);
        }
    }
    return e;
}

int cmd_orgs(int argc, char **argv)
{
    struct cliopt_args ca;
    int ex;
    if (!cliopt_parse(&orgs_cmd, argc, argv, &ca, &ex))
        return ex;
    const char *role = cliopt_get(&ca, "--role"), *format = cliopt_or(&ca, "--format", "table");
    const char *db = cliopt_get(&ca, "--db");
    struct store *s = cli_open_store(cli_db_path(db), 0);
    if (!s)
        return 1;
    struct recipients rec;
    struct svc_actor who;
    struct svc_result res;
    if (cli_actor(s, NULL, "", &who) != 0) {
        store_close(s);
        return 1;
    }
    enum err e = refdata_recipients_read(s, &who, cli_time(), &rec, &res);
    if (e != ERR_OK) {
        cli_print_result("orgs", e, &res, cli_lang(LANG_SV));
        store_close(s);
        return 1;
    }
    struct buf b;
    buf_init(&b, 1 << 24);
    json_t *arr = json_array();
    if (!strcmp(format, "csv"))
        buf_puts(&b, "code,name,role,lan,official_name\n");
    if (!role || !strcmp(role, "kommun"))
        emit(&b, format, rec.kommuner, rec.nk, arr);
    if (!role || !strcmp(role, "region"))
        emit(&b, format, rec.regioner, rec.nr, arr);
    if (!strcmp(format, "json")) {
        char *t = json_dumps(arr, JSON_INDENT(2));
        if (t) {
            buf_puts(&b, t);
            buf_putc(&b, '\n');
            free(t);
        }
    }
    json_decref(arr);
    int rc = b.failed || cli_write_out(NULL, &b) ? 1 : 0;
    buf_release(&b);
    recipients_release(&rec);
    store_close(s);
    return rc;
}
