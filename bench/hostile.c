/* hostile.c - hostile clients for bench/hostile.sh (loopback only): the
 * full-length versions of tests/integration/test_web_hostile.c.
 *
 *   hostile bodies PORT PID N MIB SECONDS
 *       N anonymous connections (10 per source address 127.0.1.x) each
 *       send the head of an 11 MB multipart POST and then up to MIB MiB of
 *       its body, and hold for SECONDS; prints the server's resident
 *       memory (VmRSS of PID) before, at its peak while they hold, and
 *       after they close, and how many were answered.
 *   hostile slow PORT N ADDRS SECONDS
 *       N connections from ADDRS source addresses (127.0.2.10 and up)
 *       trickle a request head a byte every 250 ms for SECONDS; every
 *       SECONDS/10 a legitimate GET /login comes from 127.0.0.2 (5 s to
 *       answer); prints how many legitimate requests were served, how many
 *       slow connections the server held after 1 s, and when it had cut
 *       them all.
 * Exit status 0; the script judges the numbers. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long rss_kb(long pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static int open_from(const char *src, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in sin;
    if (fd < 0)
        return -1;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    if (inet_pton(AF_INET, src, &sin.sin_addr) != 1 ||
        bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        close(fd);
        return -1;
    }
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send what the socket takes within timeout_ms. */
static size_t push(int fd, const char *p, size_t n, int timeout_ms)
{
    size_t off = 0;
    long long end = ms() + timeout_ms;
    while (off < n && ms() < end) {
        struct pollfd pf = {fd, POLLOUT, 0};
        if (poll(&pf, 1, (int)(end - ms())) <= 0)
            break;
        ssize_t w = send(fd, p + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    return off;
}

/* 1 if the server closed the connection. */
static int gone(int fd)
{
    char b[4096];
    for (;;) {
        ssize_t r = recv(fd, b, sizeof(b), MSG_DONTWAIT);
        if (r == 0)
            return 1;
        if (r < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : 1;
    }
}

/* A response's status within timeout_ms, or 0. */
static int status(int fd, int timeout_ms)
{
    char b[64];
    size_t n = 0;
    long long end = ms() + timeout_ms;
    while (n < 12 && ms() < end) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, (int)(end - ms())) <= 0)
            return 0;
        ssize_t r = recv(fd, b + n, sizeof(b) - 1 - n, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0)
            return 0;
        n += (size_t)r;
    }
    b[n] = '\0';
    return n >= 12 && strncmp(b, "HTTP/1.", 7) == 0 ? (int)strtol(b + 9, NULL, 10) : 0;
}

static int bodies(int port, long pid, int n, int mib, int seconds)
{
    static const char head[] =
        "POST /org/01/rekvisition/tillganglighet-2026 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 11000000\r\n\r\n";
    size_t len = (size_t)mib << 20;
    char *chunk = malloc(len);
    int *fd = calloc((size_t)n, sizeof(int));
    if (!chunk || !fd)
        return 1;
    memset(chunk, 'x', len);
    long before = rss_kb(pid), peak = before;
    for (int i = 0; i < n; i++) {
        char src[32];
        snprintf(src, sizeof(src), "127.0.1.%d", 1 + i / 10);
        fd[i] = open_from(src, port);
        if (fd[i] >= 0)
            push(fd[i], head, sizeof(head) - 1, 1000);
    }
    /* push the bodies round-robin, as far as the server takes them */
    long long end = ms() + (long long)seconds * 1000;
    size_t *sent = calloc((size_t)n, sizeof(size_t));
    while (sent && ms() < end) {
        for (int i = 0; i < n; i++)
            if (fd[i] >= 0 && sent[i] < len)
                sent[i] += push(fd[i], chunk + sent[i], len - sent[i], 5);
        long r = rss_kb(pid);
        peak = r > peak ? r : peak;
        usleep(100000);
    }
    int answered = 0;
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        if (fd[i] < 0)
            continue;
        answered += status(fd[i], 200) > 0;
        total += sent ? sent[i] : 0;
        close(fd[i]);
    }
    sleep(2);
    long after = rss_kb(pid);
    printf("bodies: %d connections, %zu MiB sent, %d answered; server RSS %ld MiB before, "
           "%ld MiB at peak, %ld MiB after they closed\n",
           n, total >> 20, answered, before >> 10, peak >> 10, after >> 10);
    printf("rss_before_kb=%ld rss_peak_kb=%ld rss_after_kb=%ld answered=%d\n", before, peak, after,
           answered);
    free(sent);
    free(fd);
    free(chunk);
    return 0;
}

/* One legitimate GET /login from 127.0.0.2: 1 if served within 5 s. */
static int legit(int port)
{
    static const char req[] = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    int fd = open_from("127.0.0.2", port);
    if (fd < 0)
        return 0;
    int ok = push(fd, req, sizeof(req) - 1, 5000) == sizeof(req) - 1 && status(fd, 5000) == 200;
    close(fd);
    return ok;
}

static int slow(int port, int n, int addrs, int seconds)
{
    static const char head[] = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    int *fd = calloc((size_t)n, sizeof(int));
    int *cut = calloc((size_t)n, sizeof(int));
    if (!fd || !cut)
        return 1;
    long long t0 = ms(), all_cut_at = 0, next_legit = t0 + 1000;
    for (int i = 0; i < n; i++) {
        char src[32];
        snprintf(src, sizeof(src), "127.0.2.%d", 10 + i % addrs);
        fd[i] = open_from(src, port);
        if (fd[i] >= 0)
            push(fd[i], head, sizeof(head) - 1, 50);
        else
            cut[i] = 1;
    }
    int held_1s = -1, served = 0, tried = 0;
    while (ms() - t0 < (long long)seconds * 1000) {
        int open = 0;
        for (int i = 0; i < n; i++) {
            if (cut[i])
                continue;
            if (gone(fd[i]) || send(fd[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
                cut[i] = 1;
            else
                open++;
        }
        if (held_1s < 0 && ms() - t0 >= 1000)
            held_1s = open;
        if (!open && !all_cut_at)
            all_cut_at = ms() - t0;
        if (ms() >= next_legit && tried < 10) {
            served += legit(port);
            tried++;
            next_legit = t0 + (long long)(tried + 1) * seconds * 1000 / 11;
        }
        usleep(250000);
    }
    for (int i = 0; i < n; i++)
        if (fd[i] >= 0)
            close(fd[i]);
    printf("slow: %d connections from %d address(es) trickling for %d s: %d held after 1 s, "
           "%d of %d legitimate requests served, all cut after %s%lld ms\n",
           n, addrs, seconds, held_1s, served, tried, all_cut_at ? "" : "(never) ",
           all_cut_at ? all_cut_at : (long long)seconds * 1000);
    printf("served=%d tried=%d held_1s=%d all_cut_ms=%lld\n", served, tried, held_1s,
           all_cut_at ? all_cut_at : -1);
    free(fd);
    free(cut);
    return 0;
}

static long num(const char *s)
{
    return strtol(s, NULL, 10);
}

int main(int argc, char **argv)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (argc == 7 && strcmp(argv[1], "bodies") == 0)
        return bodies((int)num(argv[2]), num(argv[3]), (int)num(argv[4]), (int)num(argv[5]),
                      (int)num(argv[6]));
    if (argc == 6 && strcmp(argv[1], "slow") == 0)
        return slow((int)num(argv[2]), (int)num(argv[3]), (int)num(argv[4]), (int)num(argv[5]));
    fprintf(stderr, "usage: hostile bodies PORT PID N MIB SECONDS | slow PORT N ADDRS SECONDS\n");
    return 2;
}
