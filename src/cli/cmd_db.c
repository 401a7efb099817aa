/* cmd_db.c - bidrag db copy FROM TO: move an installation to another
 * database (service/dbcopy.h), e.g. from its SQLite file to PostgreSQL;
 * prints each table's rows and money and the time it took. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "service/dbcopy.h"

static const struct cliopt_cmd db_copy = {
    "db copy",
    "FROM TO",
    2,
    2,
    NULL,
    0,
    "Copy every table of the database FROM into the empty database TO (URLs or\n"
    "paths as for --db, e.g. sqlite:var/bidrag.db postgresql://bidrag@db/bidrag)\n"
    "in one transaction on TO: its schema is made first, each table's rows and\n"
    "sums of money are compared on both sides and the audit chain is checked\n"
    "before TO commits, with FROM's audit key ring and checkpoints (which stay\n"
    "where they are: it says where TO's servers look for them). A TO that holds\n"
    "any row is refused. Stop the servers first: the copy holds FROM's write\n"
    "lock while it runs.\n"};
static const struct cliopt_cmd *const db_subs[] = {&db_copy};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int copy(const char *from, const char *to)
{
    static struct dbcopy_result r;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dbcopy_run(from, to, &r) != ERR_OK) {
        fprintf(stderr, "bidrag db copy: %s\n", r.msg);
        return 1;
    }
    double took = seconds_since(&t0);
    printf("copied '%s' to '%s'\n", r.from, r.to);
    for (size_t i = 0; i < r.copy.ntables; i++) {
        const struct store_copy_table *t = &r.copy.tables[i];
        printf("  %-16s %10lld rows", t->name, t->rows);
        for (size_t k = 0; k < t->nmoney; k++)
            printf("  %s=%lld", t->money[k].column, (long long)t->money[k].sum);
        printf("\n");
    }
    printf("%lld rows in %zu tables, counts and money the same on both sides; audit chain of "
           "%lld records holds; %.2f s\n",
           r.copy.rows, r.copy.ntables, r.audit_rows, took);
    if (strcmp(r.audit_from.key, r.audit_to.key) != 0 ||
        strcmp(r.audit_from.checkpoints, r.audit_to.checkpoints) != 0)
        printf("the audit trail's key ring and checkpoints were not moved: before the servers "
               "start on '%s', copy '%s' to '%s' and '%s' to '%s' (keep the key's mode 0600), or "
               "point BIDRAG_AUDIT_KEY and BIDRAG_AUDIT_CHECKPOINTS at them\n",
               r.to, r.audit_from.key, r.audit_to.key, r.audit_from.checkpoints,
               r.audit_to.checkpoints);
    return 0;
}

int cmd_db(int argc, char **argv)
{
    int ex;
    struct cliopt_args ca;
    const struct cliopt_cmd *sc = cliopt_sub("db", db_subs, CLIOPT_N(db_subs), argc, argv, &ex);
    if (!sc || !cliopt_parse(sc, argc - 1, argv + 1, &ca, &ex))
        return ex;
    return copy(cliopt_arg(&ca, 0), cliopt_arg(&ca, 1));
}
