/* allocxlsx.c - an allocation as an XLSX workbook: the allocation sheet
 * with a sum row, and the program's metadata on a second sheet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/allocfmt.h"
#include "io/xlsx.h"
#include "util/money.h"

enum err allocfmt_xlsx(const struct allocation *a, const char *path)
{
    (void)a;
    (void)path;
    return ERR_INVALID; /* replaced when io/xlsx.c lands */
}
