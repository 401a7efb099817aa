/* payments.c - benchmark of the bank file: build the payments, write the
 * pain.001 file and validate it against the ISO XSD in memory (libxml2,
 * io/xsdcheck), for the 311 recipients of kompetens-2026 (amounts from
 * the allocation CSV `bidrag allocate` writes) and for 1 000, 10 000 and
 * 100 000 synthetic payments, to show how the cost grows. Writes each
 * file into OUTDIR for bench/payments.sh to time xmllint on the same
 * bytes. Exits non-zero if a file does not validate or its control sum
 * is not the allocation's total.
 *
 *   payments ALLOCATION.csv PAIN001.xsd OUTDIR
 *
 * The payees' bankgiro numbers are made up (valid check digit only). Run
 * by hand through bench/payments.sh, not by CI. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/pain001.h"
#include "io/xsdcheck.h"
#include "util/buf.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char luhn_digit(const char *digits)
{
    size_t len = strlen(digits);
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        int v = digits[len - 1 - i] - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

struct recipient {
    char name[80];
    int64_t ore;
};

/* The allocation CSV: code,name,role,block_1,...,total (whole kronor). */
static size_t read_allocation(const char *path, struct recipient **out, int64_t *total)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    size_t n = 0, cap = 512;
    struct recipient *r = calloc(cap, sizeof(*r));
    *total = 0;
    int first = 1;
    while (r && fgets(line, sizeof(line), f)) {
        if (first) {
            first = 0;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[16];
        size_t nf = 0;
        char *p = line;
        fields[nf++] = p;
        for (; *p && nf < 16; p++) {
            if (*p == ',') {
                *p = '\0';
                fields[nf++] = p + 1;
            }
        }
        if (nf < 4 || n == cap)
            continue;
        const char *role = fields[2];
        if (strcmp(role, "region") == 0)
            snprintf(r[n].name, sizeof(r[n].name), "Region %s", fields[1]);
        else
            snprintf(r[n].name, sizeof(r[n].name), "%s kommun", fields[1]);
        r[n].ore = strtoll(fields[nf - 1], NULL, 10) * 100;
        *total += r[n].ore;
        n++;
    }
    fclose(f);
    *out = r;
    return n;
}

static int make_payments(struct payment *p, size_t n, const struct recipient *rec)
{
    for (size_t i = 0; i < n; i++) {
        memset(&p[i], 0, sizeof(p[i]));
        snprintf(p[i].decision, sizeof(p[i].decision), "BES-2026-%06zu", i + 1);
        p[i].seq = 1;
        p[i].issue = 1;
        snprintf(p[i].case_no, sizeof(p[i].case_no), "REK-2026-%06zu", i + 1);
        snprintf(p[i].diarienummer, sizeof(p[i].diarienummer),
                 "Regeringsbeslut 2026-01-22 nr II:5");
        p[i].amount = rec ? rec[i].ore : (int64_t)(100000 + (i * 7919) % 10000000);
        p[i].due = (struct date){2026, 4, 1};
        char bg[16], msg[200];
        snprintf(bg, sizeof(bg), "%07zu", 1000000 + (i * 13) % 8000000);
        size_t l = strlen(bg);
        bg[l] = luhn_digit(bg);
        bg[l + 1] = '\0';
        if (payment_payee_set(&p[i].payee, PAYMENT_ACCT_BANKGIRO, bg, NULL,
                              rec ? rec[i].name : "Mottagare", msg, sizeof(msg)) != ERR_OK) {
            fprintf(stderr, "payments: payee %zu: %s\n", i + 1, msg);
            return 1;
        }
        p[i].state = PAYMENT_ATTESTED;
    }
    return 0;
}

/* Build, write and validate n payments; the best of reps runs. */
static int run(const char *label, size_t n, const struct recipient *rec, int64_t want_total,
               const struct xsdcheck *x, const char *outdir, int reps)
{
    struct payment *p = calloc(n, sizeof(*p));
    if (!p)
        return 1;
    struct pain001_settings s;
    pain001_settings_default(&s, PAIN001_DANSKE);
    snprintf(s.debtor_name, sizeof(s.debtor_name), "Socialstyrelsen");
    snprintf(s.debtor_iban, sizeof(s.debtor_iban), "SE4550000000058398257466");
    snprintf(s.initg_id, sizeof(s.initg_id), "BENCH0001");
    struct pain001_header h;
    memset(&h, 0, sizeof(h));
    snprintf(h.msg_id, sizeof(h.msg_id), "UB-2026-%s", label);
    snprintf(h.created, sizeof(h.created), "2026-03-10T09:30:00");
    h.today = (struct date){2026, 3, 10};
    double best_build = 1e9, best_write = 1e9, best_valid = 1e9;
    struct buf out;
    buf_init(&out, (size_t)1 << 31);
    int bad = 0;
    for (int r = 0; r < reps && !bad; r++) {
        double t0 = now_s();
        bad |= make_payments(p, n, rec);
        double t1 = now_s();
        struct diag d;
        diag_init(&d, 10);
        buf_reset(&out);
        if (pain001_write(&s, &h, p, n, &out, &d) != ERR_OK) {
            diag_print(&d, stderr);
            bad = 1;
        }
        double t2 = now_s();
        if (!bad && xsdcheck_validate(x, out.p, out.len, label, &d) != ERR_OK) {
            diag_print(&d, stderr);
            fprintf(stderr, "payments: the %s file does not validate\n", label);
            bad = 1;
        }
        double t3 = now_s();
        diag_release(&d);
        if (t1 - t0 < best_build)
            best_build = t1 - t0;
        if (t2 - t1 < best_write)
            best_write = t2 - t1;
        if (t3 - t2 < best_valid)
            best_valid = t3 - t2;
    }
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += p[i].amount;
    if (!bad && want_total >= 0 && total != want_total) {
        fprintf(stderr, "payments: %s: total %" PRId64 " öre, allocation %" PRId64 " öre\n", label,
                total, want_total);
        bad = 1;
    }
    char sum[64];
    snprintf(sum, sizeof(sum), "%" PRId64 ".%02" PRId64, total / 100, total % 100);
    if (!bad && !strstr(out.p, sum)) {
        fprintf(stderr, "payments: %s: CtrlSum %s not in the file\n", label, sum);
        bad = 1;
    }
    if (!bad) {
        printf("%-16s %8zu %10.2f %10.2f %12.2f %10.2f %9.1f\n", label, n, best_build * 1e3,
               best_write * 1e3, best_valid * 1e3, (double)out.len / 1048576.0,
               (best_build + best_write + best_valid) * 1e9 / (double)n);
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s.xml", outdir, label);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(out.p, 1, out.len, f) != out.len || fclose(f) != 0) {
            fprintf(stderr, "payments: cannot write %s\n", path);
            bad = 1;
        }
    }
    buf_release(&out);
    free(p);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: payments ALLOCATION.csv PAIN001.xsd OUTDIR\n");
        return 2;
    }
    struct recipient *rec = NULL;
    int64_t total = 0;
    size_t n = read_allocation(argv[1], &rec, &total);
    if (n == 0) {
        fprintf(stderr, "payments: no recipients in '%s'\n", argv[1]);
        return 1;
    }
    struct xsdcheck *x = NULL;
    struct diag d;
    diag_init(&d, 10);
    double t0 = now_s();
    if (xsdcheck_open(argv[2], &x, &d) != ERR_OK) {
        diag_print(&d, stderr);
        return 1;
    }
    double compile = now_s() - t0;
    diag_release(&d);
    printf("schema compiled once in %.2f ms (not counted below)\n", compile * 1e3);
    printf("%-16s %8s %10s %10s %12s %10s %9s\n", "file", "payments", "build ms", "write ms",
           "validate ms", "MiB", "ns/pay");
    int bad = run("kompetens-2026", n, rec, total, x, argv[3], 20);
    static const size_t sizes[] = {1000, 10000, 100000};
    for (size_t i = 0; i < 3 && !bad; i++) {
        char label[32];
        snprintf(label, sizeof(label), "synthetic-%zu", sizes[i]);
        bad |= run(label, sizes[i], NULL, -1, x, argv[3], sizes[i] >= 100000 ? 3 : 10);
    }
    printf("kompetens-2026: %zu recipients, %" PRId64 " kr in the file's CtrlSum\n", n,
           total / 100);
    xsdcheck_free(x);
    free(rec);
    return bad;
}
