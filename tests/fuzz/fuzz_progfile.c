/* fuzz_progfile.c - libFuzzer target: the program file reader and the
 * structural validation must take any bytes without crashing or leaking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/key.h"
#include "io/progfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct program p;
    struct diag d;
    diag_init(&d, 50);
    if (progfile_parse(text, size, "fuzz.ini", &p, &d) == ERR_OK)
        program_validate(&p, &d);
    program_release(&p);
    diag_release(&d);
    free(text);
    return 0;
}
