/* statsvc_protect.c - the protection settings of a statistics folder: the
 * cell key method's parameters (protection.conf, optional, documented
 * defaults) and the secret the record keys are made from (record-key, 32
 * random bytes readable by its owner only, made by the first import). An
 * import records the parameters and the secret's fingerprint in the
 * release's manifest, so a release gives the same numbers on every run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/statsvc_internal.h"
#include "util/sha256.h"
#include "util/str.h"

/* Create dir and its missing parents. */
static int mkdir_p(const char *dir)
{
    char tmp[1100];
    if (str_copy(tmp, sizeof(tmp), dir) != 0)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Read exactly n bytes. */
static int read_exact(int fd, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    return 0;
}

static enum err make_key(const char *path, struct diag *d)
{
    unsigned char key[32];
    size_t got = 0;
    while (got < sizeof(key)) {
        ssize_t k = getrandom(key + got, sizeof(key) - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            diag_add(d, NULL, 0, "cannot make the record key: %s", strerror(errno));
            return ERR_IO;
        }
        got += (size_t)k;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return ERR_OK; /* another import made it first */
        diag_add(d, NULL, 0, "cannot create the record key '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    int ok = write(fd, key, sizeof(key)) == (ssize_t)sizeof(key) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    memset(key, 0, sizeof(key));
    if (!ok) {
        diag_add(d, NULL, 0, "cannot write the record key '%s': %s", path, strerror(errno));
        unlink(path);
        return ERR_IO;
    }
    return ERR_OK;
}

/* Parse protection.conf: "name = value" lines, '#' comments. */
static enum err read_conf(const char *path, struct ckm_params *p, char *keypath, size_t keyn,
                          struct diag *d)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return ERR_OK;
        diag_add(d, NULL, 0, "cannot read '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    char line[1200];
    long ln = 0;
    enum err e = ERR_OK;
    while (e == ERR_OK && fgets(line, sizeof(line), f)) {
        ln++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t n = strlen(s);
        while (n > 0 &&
               (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            s[--n] = '\0';
        if (n == 0)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            diag_add(d, path, ln, "expected 'name = value'");
            e = ERR_PARSE;
            break;
        }
        char *name = s, *val = eq + 1;
        char *ne = eq;
        while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        *ne = '\0';
        while (*val == ' ' || *val == '\t')
            val++;
        int64_t iv;
        char *end = NULL;
        if (strcmp(name, "max_noise") == 0 || strcmp(name, "small") == 0) {
            if (str_parse_i64(val, &iv) != ERR_OK || iv < 0 || iv > 1000) {
                diag_add(d, path, ln, "'%s' must be a whole number, not '%s'", name, val);
                e = ERR_INVALID;
            } else if (name[0] == 'm') {
                p->max_noise = (int)iv;
            } else {
                p->small = (int)iv;
            }
        } else if (strcmp(name, "variance") == 0) {
            errno = 0;
            double v = strtod(val, &end);
            if (errno || end == val || *end) {
                diag_add(d, path, ln, "'variance' must be a number, not '%s'", val);
                e = ERR_INVALID;
            } else {
                p->variance = v;
            }
        } else if (strcmp(name, "record_key") == 0) {
            if (str_copy(keypath, keyn, val) != 0 || !val[0]) {
                diag_add(d, path, ln, "'record_key' must be a path of at most %zu bytes", keyn - 1);
                e = ERR_INVALID;
            }
        } else {
            diag_add(d, path, ln, "unknown setting '%s' (max_noise, variance, small, record_key)",
                     name);
            e = ERR_INVALID;
        }
    }
    fclose(f);
    char msg[160];
    if (e == ERR_OK && ckm_params_check(p, msg, sizeof(msg)) != ERR_OK) {
        diag_add(d, path, 0, "%s", msg);
        e = ERR_INVALID;
    }
    return e;
}

enum err statsvc_protection(const char *dir, int create, struct ckm_params *p,
                            unsigned char secret[32], char keyprint[24], struct diag *d)
{
    char conf[1100], keypath[1100];
    ckm_params_default(p);
    snprintf(conf, sizeof(conf), "%s/protection.conf", dir);
    snprintf(keypath, sizeof(keypath), "%s/record-key", dir);
    enum err e = read_conf(conf, p, keypath, sizeof(keypath), d);
    if (e != ERR_OK)
        return e;
    struct stat sb;
    if (stat(keypath, &sb) != 0 && errno == ENOENT) {
        if (!create) {
            diag_add(d, NULL, 0, "the record key '%s' is missing", keypath);
            return ERR_NOTFOUND;
        }
        if (mkdir_p(dir) != 0) {
            diag_add(d, NULL, 0, "cannot create '%s': %s", dir, strerror(errno));
            return ERR_IO;
        }
        e = make_key(keypath, d);
        if (e != ERR_OK)
            return e;
    }
    int fd = open(keypath, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_add(d, NULL, 0, "cannot read the record key '%s': %s", keypath, strerror(errno));
        return ERR_IO;
    }
    e = ERR_OK;
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) != 0) {
        diag_add(d, NULL, 0,
                 "the record key '%s' must be readable by its owner only (chmod 600 '%s')", keypath,
                 keypath);
        e = ERR_INVALID;
    } else if (sb.st_size != 32 || read_exact(fd, secret, 32) != 0) {
        diag_add(d, NULL, 0, "the record key '%s' must hold 32 bytes", keypath);
        e = ERR_INVALID;
    }
    close(fd);
    if (e != ERR_OK)
        return e;
    struct sha256 h;
    unsigned char dg[32];
    sha256_init(&h);
    sha256_update(&h, "bidrag record key", 17);
    sha256_update(&h, secret, 32);
    sha256_final(&h, dg);
    for (int i = 0; i < 8; i++)
        snprintf(keyprint + 2 * i, 3, "%02x", dg[i]);
    return ERR_OK;
}
