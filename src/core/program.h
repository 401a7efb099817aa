/* program.h - a government decision as a program: metadata, dates,
 * appropriation items, purposes, and blocks each with its own key.
 *
 * Amounts are whole kronor (keys allocate whole kronor); the store keeps
 * öre. Line numbers of the source file are kept so that every rule
 * broken can be reported as file:line. */
#ifndef BIDRAG_CORE_PROGRAM_H
#define BIDRAG_CORE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include "core/org.h"
#include "util/date.h"
#include "util/err.h"
#include "util/i18n.h"

enum key_kind {
    KEY_NONE = 0,
    KEY_EQUAL,           /* equal split */
    KEY_POPULATION,      /* proportional to population at a date */
    KEY_METRIC,          /* proportional to a metric */
    KEY_METRIC_PER_100K, /* proportional to metric per 100 000 inhabitants */
    KEY_TABLE            /* explicit table of amounts given by the government */
};

enum among {
    AMONG_ELIGIBLE = 0, /* split among the eligible recipients only */
    AMONG_ALL = 1       /* split among all; the non-eligible forfeit their share */
};

/* Whether the decision provides for redistributing what is not
 * requisitioned: only where it says so (the accessibility grant does,
 * kompetens and AT do not). Unset reads as no: what is not requisitioned
 * stays unpaid unless the program file says 'redistribution = yes'. */
enum prog_redist { PROG_REDIST_UNSET = 0, PROG_REDIST_NO, PROG_REDIST_YES };

/* Whether the agency's decisions can be appealed: to förvaltningsrätten
 * through Socialstyrelsen (förvaltningslagen 40-41 §§, the default), or
 * not at all where a förordning bars it ('appeal = none' with its
 * 'appeal_basis'). The decision letter prints the one that holds. */
enum prog_appeal { PROG_APPEAL_COURT = 0, PROG_APPEAL_NONE };

/* One appropriation item funding (part of) a block: amount_kr 0 means the
 * whole block. */
#define BLOCK_MAX_FUNDING 4
struct funding {
    char id[32];
    int64_t amount_kr;
};

struct code_list {
    char (*code)[5];
    size_t n;
};

struct block {
    char id[32];
    char title[200];
    long line;             /* line of the [block ...] header */
    enum role role;        /* recipients' role */
    struct code_list list; /* explicit recipient list (n = 0: all of role) */
    int64_t amount_kr;
    long amount_line;
    int64_t fixed_kr; /* fixed amount per recipient (0 = none) */
    long fixed_line;
    enum key_kind key;
    long key_line;
    struct date pop_date;     /* KEY_POPULATION, KEY_METRIC_PER_100K */
    struct date pop_fallback; /* demo date used when pop_date is not imported */
    long pop_line;
    char metric[64]; /* KEY_METRIC, KEY_METRIC_PER_100K */
    long metric_line;
    char table[128]; /* KEY_TABLE: file name */
    long table_line;
    char eligible_metric[64];  /* eligible = recipients with this metric > 0 */
    struct code_list eligible; /* or an explicit eligible list */
    long eligible_line;
    struct code_list exclude;
    long exclude_line;
    enum among among;
    long among_line;
    struct funding fund[BLOCK_MAX_FUNDING]; /* the items that fund it */
    size_t nfund;
    long appropriation_line;
    char note[400];     /* why this reading, shown with the allocation */
    char title_en[200]; /* English of title and note, "" if the file gives none */
    char note_en[400];
};

struct appropriation {
    char id[32];
    char name[200];
    int64_t amount_kr;
    long line;
    char name_en[200]; /* English, "" if the file gives none */
};

struct purpose {
    char id[32];
    char title[200];
    long line;
    char title_en[200]; /* English, "" if the file gives none */
};

struct program {
    char id[64];
    char title[200];
    char title_en[200]; /* the English of the texts shown on English pages ("" if none) */
    char diarienummer[64];
    char decision[200]; /* e.g. "Regeringsbeslut 2026-01-22 nr II:5" */
    char decision_en[200];
    struct date decision_date;
    int64_t total_kr;
    long total_line;
    int64_t own_cost_cap_kr;
    char own_cost_appropriation[32]; /* the item the agency's own costs use */
    long own_cost_appropriation_line;
    enum prog_redist redistribution;
    long redistribution_line;
    enum prog_appeal appeal;
    char appeal_basis[200]; /* the provision, e.g. "förvaltningslagen (2017:900) 40-41 §§" */
    long appeal_line;
    /* the agency's own requisition of the funds from Kammarkollegiet
     * ("rekvisition till Kammarkollegiet senast"): the agency's date, not
     * a recipient's deadline */
    struct date kammarkollegiet_requisition;
    struct date requisition_opens, requisition_closes, redistribution_date;
    struct date reporting_deadline, repayment_deadline, interim_report, final_report;
    int production_plan; /* 1 = a production plan is a condition */
    char note[400];
    char note_en[400];
    char source_file[256];
    struct appropriation *approp;
    size_t napprop;
    struct purpose *purposes;
    size_t npurposes;
    struct block *blocks;
    size_t nblocks;
};

/* A text of the program file in language l: its English (the key's
 * "_en" twin, e.g. title_en) where l is English and the file gives one,
 * else the Swedish. */
static inline const char *program_text(enum lang l, const char *sv, const char *en)
{
    return l == LANG_EN && en && en[0] ? en : sv;
}

void program_init(struct program *p);
void program_release(struct program *p);
const char *key_kind_name(enum key_kind k);
/* The key's Swedish name for screens: "befolkning", "lika delning", ... */
const char *key_kind_label_sv(enum key_kind k);
/* Parse a key name ("equal", "population", ...); KEY_NONE if unknown. */
enum key_kind key_kind_parse(const char *s);
/* Add a code to a list (copied); ERR_INVALID if longer than 4 bytes. */
enum err code_list_add(struct code_list *l, const char *code);
int code_list_has(const struct code_list *l, const char *code);
void code_list_release(struct code_list *l);

#endif
