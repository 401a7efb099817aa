/* faultfs.c - a library the disk tests preload into `bidrag serve`
 * (LD_PRELOAD) to make its disk fail the way a real one does, without
 * root or a small file system: while the file named by
 * $BIDRAG_FAULT_FLAG exists, writes to regular files under
 * $BIDRAG_FAULT_DIR fail with $BIDRAG_FAULT ("ENOSPC": the disk is full,
 * or "EROFS": the file system went read-only, in which case opening such
 * a file for writing fails too, and statvfs says the file system is
 * mounted read-only). SQLite then meets exactly what it meets on such a
 * disk (SQLITE_FULL, or a read-only database). Only the calls SQLite and
 * the server make through the dynamic linker are caught: open64, write,
 * pwrite64, ftruncate64, statvfs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

static int fault_errno(void)
{
    const char *flag = getenv("BIDRAG_FAULT_FLAG");
    const char *kind = getenv("BIDRAG_FAULT");
    if (!flag || !kind || access(flag, F_OK) != 0)
        return 0;
    return strcmp(kind, "EROFS") == 0 ? EROFS : ENOSPC;
}

static int under_dir(const char *path)
{
    const char *dir = getenv("BIDRAG_FAULT_DIR");
    size_t n = dir ? strlen(dir) : 0;
    return n && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The errno a write to fd must fail with, or 0. */
static int fd_fault(int fd)
{
    struct stat st;
    char link[64], path[4096];
    int e = fault_errno();
    if (!e || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return under_dir(path) ? e : 0;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef int (*truncate_fn)(int, off_t);
typedef int (*open_fn)(const char *, int, ...);

/* The next definition of name: libc's. */
static void *real(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static write_fn next;
    if (!next)
        next = (write_fn)real("write");
    int e = fd_fault(fd);
    if (e) {
        errno = e;
        return -1;
    }
    return next(fd, buf, n);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    static pwrite_fn next;
    if (!next)
        next = (pwrite_fn)real("pwrite64");
    int e = fd_fault(fd);
    if (e) {
        errno = e;
        return -1;
    }
    return next(fd, buf, n, off);
}

int ftruncate64(int fd, off_t len)
{
    static truncate_fn next;
    if (!next)
        next = (truncate_fn)real("ftruncate64");
    int e = fd_fault(fd);
    if (e) {
        errno = e;
        return -1;
    }
    return next(fd, len);
}

int open64(const char *path, int flags, ...)
{
    static open_fn next;
    if (!next)
        next = (open_fn)real("open64");
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & (O_WRONLY | O_RDWR)) && fault_errno() == EROFS && under_dir(path)) {
        errno = EROFS;
        return -1;
    }
    return next(path, flags, mode);
}

typedef int (*statvfs_fn)(const char *, struct statvfs *);

int statvfs(const char *path, struct statvfs *buf)
{
    static statvfs_fn next;
    if (!next)
        next = (statvfs_fn)real("statvfs");
    int rc = next(path, buf);
    if (rc == 0 && fault_errno() == EROFS && under_dir(path))
        buf->f_flag |= ST_RDONLY;
    return rc;
}
