/* datadir.c - the data folder's search (datadir.h). */
#include "util/datadir.h"

#include <stdlib.h>
#include <sys/stat.h>

const char *data_dir(const char *opt)
{
    if (opt && opt[0])
        return opt;
    const char *env = getenv("BIDRAG_DATA");
    if (env && env[0])
        return env;
    struct stat st;
    if (stat("data/reference/kommuner.csv", &st) == 0)
        return "data";
    return BIDRAG_SOURCE_DIR "/data";
}
