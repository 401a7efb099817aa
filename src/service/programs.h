/* programs.h - program actions: check a program file against the data,
 * load it into the store, and open a program with its computed
 * allocation. The web and the API open stored programs by id only
 * (programs_open); a file on disk is a command-line notion
 * (programs_open_file, programs_check, programs_load). */
#ifndef BIDRAG_SERVICE_PROGRAMS_H
#define BIDRAG_SERVICE_PROGRAMS_H

#include "core/key.h"
#include "core/program.h"
#include "service/refdata.h"
#include "service/svc.h"
#include "store/store.h"
#include "store/store_standin.h"
#include "util/buf.h"
#include "util/err.h"

/* A program with the data its keys read and its allocation. */
struct program_view {
    struct program prog;
    struct recipients rec;
    struct allocation alloc;
    int allocated; /* 1 when alloc is complete */
    /* data caches (owned) */
    struct series **series; /* each allocated alone: pointers stay valid */
    size_t nseries;
    struct store_program stored; /* when opened from the store */
    char dir[512];               /* folder of the program file (file programs) */
    struct store *s;
    /* a read-only copy of a kept view (programs_get_kept): prog, rec,
     * alloc and stored are the kept view's, held by this reference */
    struct programs_shared *kept;
    int64_t gen; /* the generation it was computed at (0: not kept) */
};

/* Open a stored program by its id (never a file, whatever the id looks
 * like): parses, validates and allocates; ERR_NOTFOUND if no program has
 * that id; problems go to d (may be NULL). For other services, which
 * check their own action: no action of its own. Caller releases v (also
 * on error). */
ERR_MUST_CHECK enum err programs_get(struct store *s, const char *id, struct program_view *v,
                                     struct diag *d);
void program_view_release(struct program_view *v);

/* ACT_PROGRAM_READ: programs_get as an action (the pages, the API and
 * `bidrag program show`); ERR_NOTFOUND for an unknown id (res->msg says
 * so), ERR_INVALID when its allocation cannot be computed. */
ERR_MUST_CHECK enum err programs_open(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *id, struct program_view *v, struct diag *d,
                                      struct svc_result *res);
/* The computed view of a stored program, shared by every request that
 * reads it at the same generation (store_view_gen): built once, kept in
 * memory, and never stale. Each call reads the generation before and
 * after computing; a view is kept only when the two agree, and a kept
 * view is used only while the database's generation still equals its
 * own, so a change to anything an allocation depends on (program load,
 * series import, recipients, decisions, redistribution: migration 0035's
 * triggers, in the change's own transaction) is seen by the next request.
 * Immutable once made; the bytes the callers make from it (memos) are
 * kept with it. */
struct programs_shared;
/* ACT_PROGRAM_READ: the shared view of the stored program id in *out
 * (release with programs_shared_release); errors as programs_open, and
 * *found (may be NULL) says whether the program exists. */
ERR_MUST_CHECK enum err programs_view(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *id, struct programs_shared **out, int *found,
                                      struct svc_result *res);
const struct program_view *programs_shared_view(const struct programs_shared *p);
/* The generation the view was computed at (0: not kept, made for this
 * call alone). */
int64_t programs_shared_gen(const struct programs_shared *p);
void programs_shared_release(struct programs_shared *p);
/* Bytes made from the view once and kept with it under key (e.g. a page
 * fragment in one language): make writes them into out the first time;
 * *bytes and *len stay valid until p is released. ERR_NOMEM, or ERR_LIMIT
 * when make's buffer overflowed (nothing is kept then). */
ERR_MUST_CHECK enum err programs_shared_memo(struct programs_shared *p, const char *key,
                                             void (*make)(void *ctx, const struct program_view *v,
                                                          struct buf *out),
                                             void *ctx, const char **bytes, size_t *len);
/* programs_get for the services' actions on one program (requisitions):
 * the kept view of the current generation when there is one (nothing
 * read or computed again; made and kept when there is none), as a
 * read-only copy in *v that program_view_release gives back; v->gen is
 * the generation it stands for. Read inside the action's transaction,
 * the view is the one the transaction sees; read before it (to keep the
 * computation out of the write lock), programs_view_current checks it
 * inside. Errors as programs_get. */
ERR_MUST_CHECK enum err programs_get_kept(struct store *s, const char *id, struct program_view *v,
                                          struct diag *d);
/* Inside c's transaction: ERR_OK when v (from programs_get_kept before
 * the transaction began) still holds for recipient - the database's
 * generation is still v's (one read), or the program's view of now has
 * the same text and the same maximum for recipient (a decision or a
 * series of another program changed the generation) -, else ERR_LIMIT
 * with a message to try again. */
ERR_MUST_CHECK enum err programs_view_current(struct svc_call *c, const struct program_view *v,
                                              const char *recipient);
/* Make the generation's row when it is missing (the server's start; a
 * database copied or restored from before migration 0035 has none, and
 * without it nothing is kept). */
ERR_MUST_CHECK enum err programs_cache_init(struct store *s);
/* Forget every kept view (tests; the memory they hold). */
void programs_cache_clear(void);

/* The stored programs without their source, ordered by id; caller frees
 * with programs_list_free. */
ERR_MUST_CHECK enum err programs_list(struct store *s, const struct svc_actor *who, int64_t now,
                                      struct store_program **out, size_t *n,
                                      struct svc_result *res);
void programs_list_free(struct store_program *ps, size_t n);

/* A program file is a command-line notion (ACT_PROGRAM_CHECK): open the
 * file at path, its key tables read from the file's folder. */
ERR_MUST_CHECK enum err programs_open_file(struct store *s, const struct svc_actor *who,
                                           int64_t now, const char *path, struct program_view *v,
                                           struct diag *d, struct svc_result *res);
/* Check a program file: syntax, structure and a full allocation against
 * the store's data. ERR_OK if the program can be loaded. */
ERR_MUST_CHECK enum err programs_check(struct store *s, const struct svc_actor *who, int64_t now,
                                       const char *path, struct diag *d, struct svc_result *res);
/* Load (or replace) a program file and the key tables it names into the
 * store, after the same checks (ACT_PROGRAM_LOAD; the audit record is
 * program.load, or program.reload for a program stored before). */
ERR_MUST_CHECK enum err programs_load(struct store *s, const struct svc_actor *who, int64_t now,
                                      const char *path, struct diag *d, struct svc_result *res);

/* ---- stand-in data (issue 11: no decisions on stand-in data) ----
 * A program whose allocation rests on stand-in data - a block computed
 * from the fallback population date because the named one is not loaded
 * (block_result.pop_fallback), or from a series or key table marked
 * illustrative (block_result.illustrative) - says so on its page, the
 * requisition form, the receipt and every decision, and cannot be
 * requisitioned until the named series is loaded or an officer confirms
 * exactly these stand-ins (ACT_PROGRAM_STANDIN, with a reason, audited
 * as program:ID). */

/* The stand-ins of the view's allocation as text (the basis a
 * confirmation names), into out; 1 if there are any, 0 if none (out ""). */
int programs_standin_basis(const struct program_view *v, char *out, size_t n);

struct programs_standin {
    int standin;               /* the allocation rests on stand-in data now */
    int confirmed;             /* last confirms exactly the stand-ins of now */
    struct store_standin last; /* the latest confirmation (last.id 0: none) */
};
/* The stand-in state of an opened program (for other services: no action
 * of its own). */
ERR_MUST_CHECK enum err programs_standin_of(struct store *s, const struct program_view *v,
                                            struct programs_standin *out);
/* ACT_PROGRAM_READ: the stand-in state of an opened program (its page,
 * `bidrag program show`). */
ERR_MUST_CHECK enum err programs_standin_get(struct store *s, const struct svc_actor *who,
                                             int64_t now, const struct program_view *v,
                                             struct programs_standin *out, struct svc_result *res);
/* ACT_PROGRAM_STANDIN: confirm the stored program's stand-in data, with
 * the officer's reason (required, at most STORE_STANDIN_REASON_MAX_CHARS
 * characters of text: an issue for "reason" otherwise). ERR_INVALID when
 * the program rests on no stand-in data, ERR_CONFLICT when these
 * stand-ins are confirmed already (nothing written). */
ERR_MUST_CHECK enum err programs_confirm_standin(struct store *s, const struct svc_actor *who,
                                                 int64_t now, const char *id, const char *reason,
                                                 struct svc_result *res);
/* The gate of a requisition's save and submit, inside the caller's call:
 * ERR_DENIED with the reason in the call's result while pv rests on
 * stand-in data that no officer has confirmed; ERR_OK otherwise. */
ERR_MUST_CHECK enum err programs_open_gate(struct svc_call *c, const struct program_view *pv);
/* `bidrag program check`'s warnings (file:line: warning: ...) for each
 * block of v on stand-in data, to d. */
void programs_standin_warn(const struct program_view *v, const char *file, struct diag *d);
/* The sentence for the form, the receipt and the decisions of a program
 * on stand-in data (a catalog text, Swedish key), or NULL when it rests on
 * none. */
const char *programs_standin_note(const struct program_view *pv);

#endif
