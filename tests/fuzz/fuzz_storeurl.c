/* fuzz_storeurl.c - libFuzzer target for the database URL parser
 * (store_url_parse, from --db and BIDRAG_DB), the password masking and
 * the folder of a file database. An accepted URL has a known scheme and a
 * non-empty target inside the input; a refused one says why; a masked URL
 * never shows the password. Nothing is opened. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > STORE_URL_MAX + 16)
        return 0;
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    char scheme[16], msg[256], safe[512], folder[256];
    const char *target = NULL;
    msg[0] = '\0';
    if (store_url_parse(url, scheme, &target, msg, sizeof(msg)) == ERR_OK) {
        if (strcmp(scheme, "sqlite") != 0 && strcmp(scheme, "postgresql") != 0)
            abort();
        if (!target || !target[0] || target < url || target > url + strlen(url))
            abort();
        enum err e = store_url_folder(url, folder, sizeof(folder));
        if (e != ERR_OK && e != ERR_NOTFOUND && e != ERR_LIMIT)
            abort();
    } else if (!msg[0] || target) {
        abort();
    }
    store_url_safe(url, safe, sizeof(safe));
    const char *p = strstr(url, "://");
    const char *at = p ? strchr(p + 3, '@') : NULL;
    /* "scheme://user:PASSWORD@host...": shown as "scheme://user:***@host..." */
    if (at && strlen(url) + 4 < sizeof(safe)) {
        const char *colon = strchr(p + 3, ':');
        const char *slash = strchr(p + 3, '/');
        if (colon && colon < at && (!slash || slash > at)) {
            char want[sizeof(safe)];
            snprintf(want, sizeof(want), "%.*s:***%s", (int)(colon - url), url, at);
            if (strcmp(safe, want) != 0)
                abort();
        }
    }
    free(url);
    return 0;
}
