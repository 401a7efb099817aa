/* migrations.h - the numbered schema migrations, embedded at build time
 * from src/store/migrations/NNNN_name.sql (see cmake/embed_migrations.cmake). */
#ifndef BIDRAG_STORE_MIGRATIONS_H
#define BIDRAG_STORE_MIGRATIONS_H

struct migration {
    int number;
    const char *name;
    const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migrations_count;

#endif
