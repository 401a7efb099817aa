/* cmd_orgs.c - bidrag orgs: list the recipients. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/csv.h"
#include "service/refdata.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: bidrag orgs [--role kommun|region] [--format table|csv|json] [--db URL]\n");
}

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
                e = buf_printf(b, ",%s,%s\n", org_role_name(r[i].role), r[i].lan_code);
        } else if (!strcmp(format, "json")) {
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(r[i].code));
            json_object_set_new(o, "name", json_string(r[i].name));
            json_object_set_new(o, "role", json_string(org_role_name(r[i].role)));
            json_object_set_new(o, "lan", json_string(r[i].lan_code));
            json_array_append_new(arr, o);
        } else {
            e = buf_printf(b, "%-5s %-7s %s\n", r[i].code, org_role_name(r[i].role), r[i].name);
        }
    }
    return e;
}

int cmd_orgs(int argc, char **argv)
{
    static const struct option opts[] = {{"role", required_argument, 0, 'r'},
                                         {"format", required_argument, 0, 'f'},
                                         {"db", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *role = NULL, *format = "table", *db = NULL;
    int c;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "r:f:d:h", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'r':
            role = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc || (role && strcmp(role, "kommun") && strcmp(role, "region")) ||
        (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))) {
        usage(stderr);
        return 2;
    }
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
        buf_puts(&b, "code,name,role,lan\n");
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
