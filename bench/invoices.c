/* invoices.c - the invoice validation benchmark (bench/invoices.sh): one
 * reclaim invoice per recipient of the reference data (290 kommuner and
 * 21 regioner, their organisation numbers from data/reference), written as
 * Peppol BIS Billing 3.0 and validated against the UBL XSD and both
 * schematrons (io/ublcheck): one invoice alone, several times, and all 311
 * in one run. Prints wall times; exits non-zero if any invoice is blocked.
 * Usage: bench_invoices DATA_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/orgref.h"
#include "io/ubl.h"
#include "io/ublcheck.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_invoices DATA_DIR\n");
        return 2;
    }
    char k[2048], r[2048];
    snprintf(k, sizeof(k), "%s/reference/kommuner.csv", argv[1]);
    snprintf(r, sizeof(r), "%s/reference/regioner.csv", argv[1]);
    struct diag d;
    diag_init(&d, 50);
    struct orgref_list l;
    if (orgref_load(k, r, &l, &d) != ERR_OK) {
        diag_print(&d, stderr);
        return 1;
    }
    struct ublcheck_config c;
    ublcheck_config_default(&c);
    snprintf(c.data_dir, sizeof(c.data_dir), "%s", argv[1]);
    struct ublcheck *u;
    if (ublcheck_open(&c, &u, &d) != ERR_OK) {
        diag_print(&d, stderr);
        return 1;
    }
    struct ubl_party seller;
    memset(&seller, 0, sizeof(seller));
    str_copy(seller.name, sizeof(seller.name), "Exempelmyndigheten");
    str_copy(seller.orgnr, sizeof(seller.orgnr), "2021009994");
    str_copy(seller.city, sizeof(seller.city), "Stockholm");
    size_t n = l.n;
    struct buf *b = calloc(n, sizeof(*b));
    const char **docs = calloc(n, sizeof(*docs));
    const char **names = calloc(n, sizeof(*names));
    size_t *lens = calloc(n, sizeof(*lens));
    char(*name)[32] = calloc(n, sizeof(*name));
    struct ublcheck_result *res = calloc(n, sizeof(*res));
    struct reclaim *rc = malloc(sizeof(*rc));
    if (!b || !docs || !names || !lens || !name || !res || !rc)
        return 1;
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        const struct orgref *o = &l.v[i];
        memset(rc, 0, sizeof(*rc));
        snprintf(rc->number, sizeof(rc->number), "ATK-2027-%06zu", i + 1);
        str_copy(rc->program, sizeof(rc->program), "kompetens-2026");
        str_copy(rc->program_title, sizeof(rc->program_title),
                 "Statsbidrag för kompetensförsörjning i primärvården 2026");
        str_copy(rc->diarienummer, sizeof(rc->diarienummer), "S2026/00123");
        str_copy(rc->recipient_code, sizeof(rc->recipient_code), o->code);
        rc->role = o->role;
        str_copy(rc->recipient_name, sizeof(rc->recipient_name), o->name);
        str_copy(rc->orgnr, sizeof(rc->orgnr), o->orgnr);
        str_copy(rc->buyer_reference, sizeof(rc->buyer_reference), "REF-1");
        rc->ground = RECLAIM_UNUSED;
        rc->nlines = 1;
        str_copy(rc->lines[0].block, sizeof(rc->lines[0].block), "kommuner");
        str_copy(rc->lines[0].title, sizeof(rc->lines[0].title), "Kommuner");
        rc->lines[0].paid = 100000000;
        rc->lines[0].proposed = 1000000 + (int64_t)i * 137;
        rc->terms.days = 30;
        str_copy(rc->decided_by, sizeof(rc->decided_by), "olle");
        rc->decided_on.y = 2027;
        rc->decided_on.m = 4;
        rc->decided_on.d = 15;
        char number[RECLAIM_NUMBER_SIZE], ocr[RECLAIM_OCR_SIZE];
        reclaim_doc_number("FAK", 2027, (long)i + 1, number);
        reclaim_ocr(2027, (long)i + 1, ocr);
        struct ubl_doc doc;
        buf_init(&b[i], 0);
        if (ubl_invoice_from_reclaim(rc, &seller, "50501055", number, ocr, rc->decided_on, &doc,
                                     &d) != ERR_OK ||
            ubl_write(&doc, &b[i], &d) != ERR_OK) {
            diag_print(&d, stderr);
            return 1;
        }
        docs[i] = b[i].p;
        lens[i] = b[i].len;
        snprintf(name[i], sizeof(name[i]), "%s.xml", number);
        names[i] = name[i];
    }
    double written = now_s() - t0;
    printf("written: %zu invoices in %.3f s\n", n, written);

    enum { RUNS = 5 };
    double one[RUNS];
    for (int run = 0; run < RUNS; run++) {
        double t = now_s();
        if (ublcheck_run(u, docs[run], lens[run], names[run], &res[0], &d) != ERR_OK) {
            diag_print(&d, stderr);
            return 1;
        }
        one[run] = now_s() - t;
        ublcheck_result_release(&res[0]);
    }
    qsort(one, RUNS, sizeof(one[0]), cmp_double);
    printf("one invoice, XSD + both schematrons: median %.2f s (min %.2f, max %.2f, %d runs)\n",
           one[RUNS / 2], one[0], one[RUNS - 1], RUNS);
    size_t sizes[] = {10, n};
    for (size_t s = 0; s < 2; s++) {
        double t = now_s();
        enum err e = ublcheck_run_many(u, docs, lens, names, sizes[s], res, &d);
        double all = now_s() - t;
        if (e != ERR_OK) {
            diag_print(&d, stderr);
            return 1;
        }
        size_t warnings = 0;
        for (size_t i = 0; i < sizes[s]; i++) {
            warnings += res[i].nwarning;
            ublcheck_result_release(&res[i]);
        }
        printf("%zu invoices in one run: %.2f s, %.3f s per invoice, 0 fatal, %zu warnings\n",
               sizes[s], all, all / (double)sizes[s], warnings);
    }
    printf("rules: %s\n", ublcheck_release(u));
    for (size_t i = 0; i < n; i++)
        buf_release(&b[i]);
    free(b);
    free(docs);
    free(names);
    free(lens);
    free(name);
    free(res);
    free(rc);
    ublcheck_free(u);
    orgref_list_release(&l);
    diag_release(&d);
    return 0;
}
