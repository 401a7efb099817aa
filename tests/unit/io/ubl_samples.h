/* ubl_samples.h - the reclaims, invoices and credit notes the UBL tests
 * write and validate (test_ubl.c, test_ublcheck.c, and through
 * "io_test_ubl --write DIR" the xmllint test): a kommun, a region with a
 * partial waiver and interest, Region Gotland (the kommun's number), one
 * with sixteen lines and every character XML must escape, a partial
 * credit note and a cancellation. The seller is a fictitious agency
 * (organisation number 202100-9994, valid check digit) with the bankgiro
 * 5050-1055. Included by the tests only. */
#ifndef BIDRAG_TESTS_UBL_SAMPLES_H
#define BIDRAG_TESTS_UBL_SAMPLES_H

#include <stdio.h>
#include <string.h>

#include "core/reclaim.h"
#include "io/ubl.h"

#define SAMPLE_COUNT 6
#define SAMPLE_BANKGIRO "50501055"

static inline struct date sample_day(int y, int m, int d)
{
    struct date x = {y, m, d};
    return x;
}

static inline void sample_seller(struct ubl_party *s)
{
    memset(s, 0, sizeof(*s));
    str_copy(s->name, sizeof(s->name), "Exempelmyndigheten");
    str_copy(s->orgnr, sizeof(s->orgnr), "2021009994");
    str_copy(s->street, sizeof(s->street), "Exempelgatan 1");
    str_copy(s->city, sizeof(s->city), "Stockholm");
    str_copy(s->postal_zone, sizeof(s->postal_zone), "10630");
    str_copy(s->contact, sizeof(s->contact), "Enheten för statsbidrag");
    str_copy(s->email, sizeof(s->email), "statsbidrag@example.se");
    str_copy(s->phone, sizeof(s->phone), "+46 8 555 000 00");
}

static inline void sample_line(struct reclaim *r, const char *block, const char *title,
                               int64_t paid, int64_t proposed, int64_t waived)
{
    struct reclaim_line *l = &r->lines[r->nlines++];
    str_copy(l->block, sizeof(l->block), block);
    str_copy(l->title, sizeof(l->title), title);
    l->paid = paid;
    l->proposed = proposed;
    l->waived = waived;
}

/* A decided reclaim: which = 0 kommun, 1 region (waiver in part, interest),
 * 2 Region Gotland, 3 sixteen lines and awkward characters. */
static inline void sample_reclaim(struct reclaim *r, int which)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->number, sizeof(r->number), "ATK-2027-%06d", which + 1);
    str_copy(r->case_no, sizeof(r->case_no), r->number);
    str_copy(r->program, sizeof(r->program), "kompetens-2026");
    str_copy(r->program_title, sizeof(r->program_title),
             "Statsbidrag för kompetensförsörjning i primärvården 2026");
    str_copy(r->diarienummer, sizeof(r->diarienummer), "S2026/00123");
    r->ground = RECLAIM_UNUSED;
    str_copy(r->reasons, sizeof(r->reasons), "Medlen har inte använts under bidragsåret.");
    str_copy(r->appeal, sizeof(r->appeal),
             "Beslutet kan överklagas hos allmän förvaltningsdomstol inom tre veckor.");
    r->terms.days = 30;
    r->terms.instalments = 1;
    str_copy(r->prepared_by, sizeof(r->prepared_by), "hanna");
    str_copy(r->decided_by, sizeof(r->decided_by), "olle");
    r->decided_on = sample_day(2027, 4, 15);
    switch (which) {
    case 0:
        str_copy(r->recipient_code, sizeof(r->recipient_code), "0180");
        r->role = ROLE_KOMMUN;
        str_copy(r->recipient_name, sizeof(r->recipient_name), "Stockholms kommun");
        str_copy(r->orgnr, sizeof(r->orgnr), "2120000142");
        str_copy(r->buyer_reference, sizeof(r->buyer_reference), "KS-4711");
        sample_line(r, "kommuner", "Kommuner", 50000000, 10000000, 0);
        sample_line(r, "ledarskap", "Ledarskap", 3000000, 2500050, 0);
        break;
    case 1:
        str_copy(r->recipient_code, sizeof(r->recipient_code), "01");
        r->role = ROLE_REGION;
        str_copy(r->recipient_name, sizeof(r->recipient_name), "Region Stockholm");
        str_copy(r->orgnr, sizeof(r->orgnr), "2321000016");
        str_copy(r->buyer_reference, sizeof(r->buyer_reference), "RS 2027/118");
        r->ground = RECLAIM_MISUSED;
        r->waiver = RECLAIM_WAIVER_PARTIAL;
        str_copy(r->waiver_reason, sizeof(r->waiver_reason), "Särskilda skäl finns.");
        r->terms.interest = 1;
        r->terms.interest_rate_bp = 1050;
        r->terms.instalments = 4;
        sample_line(r, "regioner", "Regioner", 900000000, 120000000, 20000000);
        sample_line(r, "utbildning", "Utbildningsinsatser", 40000000, 1999, 0);
        sample_line(r, "uppfoljning", "Uppföljning", 100000, 100000, 0);
        break;
    case 2:
        str_copy(r->recipient_code, sizeof(r->recipient_code), "09");
        r->role = ROLE_REGION;
        str_copy(r->recipient_name, sizeof(r->recipient_name), "Region Gotland");
        str_copy(r->orgnr, sizeof(r->orgnr), ORGNR_GOTLAND);
        str_copy(r->buyer_reference, sizeof(r->buyer_reference), "1000");
        sample_line(r, "regioner", "Regioner", 5000000, 5000000, 0);
        break;
    default:
        str_copy(r->recipient_code, sizeof(r->recipient_code), "2584");
        r->role = ROLE_KOMMUN;
        str_copy(r->recipient_name, sizeof(r->recipient_name), "Kiruna kommun");
        str_copy(r->orgnr, sizeof(r->orgnr), "2120002783");
        str_copy(r->buyer_reference, sizeof(r->buyer_reference), "A&O <\"ref\"> 'x'");
        str_copy(r->program_title, sizeof(r->program_title),
                 "Bidrag \"A & B\" <2026> för 'ö' – åäö ÅÄÖ é ü");
        str_copy(r->diarienummer, sizeof(r->diarienummer), "S2026/00123 & <x>");
        for (int i = 0; i < RECLAIM_MAX_LINES; i++) {
            char b[32], t[64];
            snprintf(b, sizeof(b), "block_%02d", i + 1);
            snprintf(t, sizeof(t), "Block %d: \"A\" & <B> 'ö'", i + 1);
            sample_line(r, b, t, INT64_C(100000000000000), i == 0 ? INT64_C(99999999999999) : i + 1,
                        0);
        }
        break;
    }
}

/* Document i of the samples into doc: 0-3 the invoices of the sample
 * reclaims, 4 a credit note lowering invoice 0, 5 one cancelling
 * invoice 1. Returns what the builder returned. */
static inline enum err sample_doc(int i, struct ubl_doc *doc, struct diag *d)
{
    struct ubl_party s;
    sample_seller(&s);
    static struct reclaim r, rev;
    char number[RECLAIM_NUMBER_SIZE], ocr[RECLAIM_OCR_SIZE];
    if (i < 4) {
        sample_reclaim(&r, i);
        reclaim_doc_number("FAK", 2027, i + 1, number);
        reclaim_ocr(2027, i + 1, ocr);
        return ubl_invoice_from_reclaim(&r, &s, SAMPLE_BANKGIRO, number, ocr,
                                        sample_day(2027, 4, 15), doc, d);
    }
    struct reclaim_credit c;
    char msg[200];
    enum err e;
    if (i == 4) {
        sample_reclaim(&r, 0);
        sample_reclaim(&rev, 0);
        rev.lines[1].proposed = 500000;
        e = reclaim_credit_for(&r, "FAK-2027-000001", &rev, &c, msg, sizeof(msg));
    } else {
        sample_reclaim(&r, 1);
        e = reclaim_credit_for(&r, "FAK-2027-000002", NULL, &c, msg, sizeof(msg));
    }
    if (e) {
        diag_add(d, NULL, 0, "%s", msg);
        return e;
    }
    reclaim_doc_number("KRE", 2027, i - 3, number);
    return ubl_credit_from_reclaim(i == 4 ? &rev : &r, &c, &s, number, sample_day(2027, 5, 3),
                                   sample_day(2027, 4, 15), doc, d);
}

static inline const char *sample_name(int i)
{
    static const char *const names[SAMPLE_COUNT] = {
        "invoice-kommun.xml",  "invoice-region.xml",     "invoice-gotland.xml",
        "invoice-escapes.xml", "creditnote-partial.xml", "creditnote-cancel.xml",
    };
    return names[i];
}

#endif
