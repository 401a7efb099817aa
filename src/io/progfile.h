/* progfile.h - read a program file (INI, see docs/program-format.md) into
 * a struct program. Every problem is reported as file:line: message. */
#ifndef BIDRAG_IO_PROGFILE_H
#define BIDRAG_IO_PROGFILE_H

#include <stddef.h>
#include "core/program.h"
#include "util/err.h"

/* Longest line a program file may have (inih's limit, minus newline). */
#define PROGFILE_MAX_LINE 199

/* Parse text (NUL-terminated, len bytes) named path into p (initialised
 * here; caller releases). Syntax and field errors go to d; structural
 * rules are checked separately by program_validate(). */
enum err progfile_parse(const char *text, size_t len, const char *path, struct program *p,
                        struct diag *d);

#endif
