/* migrations.h - the numbered schema migrations, embedded at build time
 * from src/store/migrations/ (see cmake/embed_migrations.cmake), in
 * number order. One numbered list for every dialect: NNNN_name.sql is
 * portable SQL and serves every driver; NNNN_name.<dialect>.sql (e.g.
 * .sqlite.sql, later .pg.sql) side by side serve one dialect each. A
 * number has either one portable script or one per dialect.
 * Store-internal. */
#ifndef BIDRAG_STORE_MIGRATIONS_H
#define BIDRAG_STORE_MIGRATIONS_H

struct migration {
    int number;
    const char *name;    /* "0001_reference" */
    const char *dialect; /* "" portable, else "sqlite", "pg", ... */
    const char *sql;
};

extern const struct migration migration_scripts[];
extern const int migration_script_count;

#endif
