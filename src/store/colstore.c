/* colstore.c - generation folders of column files, written with write()
 * and fsync, read with mmap. */
#include "store/colstore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_p(const char *path)
{
    char tmp[COLSTORE_PATH];
    if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *de;
    char p[COLSTORE_PATH * 2];
    for (de = readdir(d); de; de = readdir(d)) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(path);
}

static int read_current(const char *dir, char *gen, size_t n)
{
    char p[COLSTORE_PATH + 16];
    snprintf(p, sizeof(p), "%s/CURRENT", dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return -1;
    int ok = fgets(gen, (int)n, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    gen[strcspn(gen, "\r\n")] = '\0';
    if (strncmp(gen, "gen-", 4) != 0 || strchr(gen, '/'))
        return -1;
    return 0;
}

enum err colstore_begin(struct colstore_writer *w, const char *dir)
{
    memset(w, 0, sizeof(*w));
    w->lockfd = -1;
    if (snprintf(w->dir, sizeof(w->dir), "%s", dir) >= (int)sizeof(w->dir) || mkdir_p(dir) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot create '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    char p[COLSTORE_PATH + 16];
    snprintf(p, sizeof(p), "%s/lock", dir);
    w->lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (w->lockfd < 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot open '%s': %s", p, strerror(errno));
        return ERR_IO;
    }
    if (flock(w->lockfd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "another import holds '%s'", p);
        close(w->lockfd);
        w->lockfd = -1;
        return ERR_CONFLICT;
    }
    /* remove what an interrupted writer left */
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        for (de = readdir(d); de; de = readdir(d)) {
            if (strncmp(de->d_name, "gen-", 4) == 0 && strstr(de->d_name, ".tmp")) {
                char t[COLSTORE_PATH * 2];
                snprintf(t, sizeof(t), "%s/%s", dir, de->d_name);
                rm_tree(t);
            }
        }
        closedir(d);
    }
    char cur[64];
    long next = 1;
    if (read_current(dir, cur, sizeof(cur)) == 0)
        next = strtol(cur + 4, NULL, 10) + 1;
    snprintf(w->gen, sizeof(w->gen), "gen-%ld", next);
    snprintf(w->tmp, sizeof(w->tmp), "%.900s/%s.tmp-%ld", dir, w->gen, (long)getpid());
    if (mkdir(w->tmp, 0755) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot create '%s': %s", w->tmp, strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

enum err colstore_put(struct colstore_writer *w, const char *name, const void *data, size_t len)
{
    char p[COLSTORE_PATH + 80];
    snprintf(p, sizeof(p), "%s/%s", w->tmp, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot create '%s': %s", p, strerror(errno));
        return ERR_IO;
    }
    const char *c = data;
    size_t done = 0;
    while (done < len) {
        size_t chunk = len - done > ((size_t)1 << 30) ? (size_t)1 << 30 : len - done;
        ssize_t k = write(fd, c + done, chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            snprintf(w->errmsg, sizeof(w->errmsg), "cannot write '%s': %s", p, strerror(errno));
            close(fd);
            return ERR_IO;
        }
        done += (size_t)k;
    }
    if (close(fd) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot write '%s': %s", p, strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

enum err colstore_commit(struct colstore_writer *w)
{
    char old[64] = "";
    int had_old = read_current(w->dir, old, sizeof(old)) == 0;
    char final[COLSTORE_PATH + 80], cur[COLSTORE_PATH + 16], curtmp[COLSTORE_PATH + 16];
    snprintf(final, sizeof(final), "%s/%s", w->dir, w->gen);
    snprintf(cur, sizeof(cur), "%s/CURRENT", w->dir);
    snprintf(curtmp, sizeof(curtmp), "%s/CURRENT.tmp", w->dir);
    /* a leftover folder of that name (e.g. a crashed commit) goes first */
    rm_tree(final);
    sync_dir(w->tmp);
    if (rename(w->tmp, final) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot rename '%s': %s", w->tmp, strerror(errno));
        return ERR_IO;
    }
    w->tmp[0] = '\0';
    FILE *f = fopen(curtmp, "w");
    if (!f || fprintf(f, "%s\n", w->gen) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (f)
            fclose(f);
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot write '%s'", curtmp);
        rm_tree(final);
        return ERR_IO;
    }
    fclose(f);
    if (rename(curtmp, cur) != 0) {
        snprintf(w->errmsg, sizeof(w->errmsg), "cannot rename '%s': %s", curtmp, strerror(errno));
        rm_tree(final);
        return ERR_IO;
    }
    sync_dir(w->dir);
    if (had_old && strcmp(old, w->gen) != 0) {
        char o[COLSTORE_PATH + 80];
        snprintf(o, sizeof(o), "%s/%s", w->dir, old);
        rm_tree(o);
    }
    return ERR_OK;
}

void colstore_abort(struct colstore_writer *w)
{
    if (w->tmp[0])
        rm_tree(w->tmp);
    w->tmp[0] = '\0';
    if (w->lockfd >= 0)
        close(w->lockfd);
    w->lockfd = -1;
}

enum err colstore_open(struct colstore *s, const char *dir)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    if (read_current(dir, s->gen, sizeof(s->gen)) != 0) {
        snprintf(s->errmsg, sizeof(s->errmsg), "no statistics imported in '%s'", dir);
        return ERR_NOTFOUND;
    }
    char g[COLSTORE_PATH + 80];
    snprintf(g, sizeof(g), "%s/%s", dir, s->gen);
    DIR *d = opendir(g);
    if (!d) {
        snprintf(s->errmsg, sizeof(s->errmsg), "cannot open '%s': %s", g, strerror(errno));
        return ERR_IO;
    }
    enum err e = ERR_OK;
    struct dirent *de;
    for (de = readdir(d); de; de = readdir(d)) {
        if (de->d_name[0] == '.')
            continue;
        if (s->nf == COLSTORE_MAX_FILES || strlen(de->d_name) >= sizeof(s->f[0].name)) {
            snprintf(s->errmsg, sizeof(s->errmsg), "too many or long files in '%s'", g);
            e = ERR_LIMIT;
            break;
        }
        char p[COLSTORE_PATH * 2];
        snprintf(p, sizeof(p), "%s/%s", g, de->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(s->errmsg, sizeof(s->errmsg), "cannot open '%s': %s", p, strerror(errno));
            if (fd >= 0)
                close(fd);
            e = ERR_IO;
            break;
        }
        struct colstore_file *f = &s->f[s->nf];
        snprintf(f->name, sizeof(f->name), "%s", de->d_name);
        f->len = (size_t)st.st_size;
        f->p = NULL;
        if (f->len > 0) {
            void *m = mmap(NULL, f->len, PROT_READ, MAP_SHARED, fd, 0);
            if (m == MAP_FAILED) {
                snprintf(s->errmsg, sizeof(s->errmsg), "cannot map '%s': %s", p, strerror(errno));
                close(fd);
                e = ERR_IO;
                break;
            }
            f->p = m;
        }
        close(fd);
        s->nf++;
    }
    closedir(d);
    if (e != ERR_OK)
        colstore_close(s);
    return e;
}

enum err colstore_get(const struct colstore *s, const char *name, const void **p, size_t *len)
{
    for (size_t i = 0; i < s->nf; i++) {
        if (strcmp(s->f[i].name, name) == 0) {
            *p = s->f[i].p;
            *len = s->f[i].len;
            return ERR_OK;
        }
    }
    return ERR_NOTFOUND;
}

void colstore_close(struct colstore *s)
{
    for (size_t i = 0; i < s->nf; i++)
        if (s->f[i].p)
            munmap(s->f[i].p, s->f[i].len);
    s->nf = 0;
}
