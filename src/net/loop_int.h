/*
 * loop_int.h: what loop_common.c shares with the two backends
 * (loop_uring.c, loop_epoll.c). Private to src/net/; nothing outside this
 * folder includes it.
 *
 * Core idea: the common part owns everything that does not depend on how
 * readiness or completion is learned: the clock, the timer heap, signal
 * bookkeeping, the before-wait hooks, the per-turn connection lists and the
 * delivery rules (pause, stash, eof-once, close-once). A backend plugs in
 * through struct loop_ops: it waits, dispatches its events into the
 * loop__conn_* delivery helpers, and flushes the dirty list.
 *
 * One turn (loop_run in loop_common.c):
 *
 *   ops->wait(timeout)      block until an event or the nearest timer
 *   loop__update_time       clock read once
 *   loop__run_ready         held bytes / held eof of resumed conns
 *   ops->dispatch           accepts, on_data, on_eof, signals, send results
 *   loop__run_timers        due timers
 *   hooks                   loop_before_wait callbacks
 *   ops->flush              rearm list, then one send per dirty conn
 *   loop__finalize_closed   on_closed + close(fd) + free, conns with
 *                           nothing in flight
 *
 * Invariants:
 *   - Every struct conn is on l->conns from conn_new until it is freed.
 *   - The intrusive lists (dirty, ready, rearm, closed) are LIFO stacks; a
 *     conn is on a list iff its matching C_ON_* flag is set, so pushing is
 *     idempotent and a conn is never freed while a list holds it.
 *   - c->inflight counts backend operations whose final completion has not
 *     been seen (always 0 under epoll). A conn is freed only when it is
 *     C_CLOSING, inflight == 0 and it sits on no other list.
 *   - on_data/on_eof never run after C_CLOSING is set; on_eof runs at most
 *     once (C_EOF_DONE); on_closed runs exactly once, from
 *     loop__finalize_closed, never from inside conn_close().
 */
#ifndef RC_LOOP_INT_H
#define RC_LOOP_INT_H

#include "loop.h"

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* conn flags */
enum {
    C_STARTED   = 1u << 0,   /* conn_start ran: callbacks are set */
    C_PAUSED    = 1u << 1,   /* conn_pause_read(c, true) */
    C_RSTOP     = 1u << 2,   /* reading stopped for good (eof or error) */
    C_CLOSING   = 1u << 3,   /* conn_close ran: no more callbacks but
                                on_closed */
    C_CAF       = 1u << 4,   /* close once the output is flushed; bytes
                                still arriving are read and dropped so the
                                final close() is a FIN, not an RST that
                                would discard the unsent reply */
    C_EOF_DONE  = 1u << 5,   /* on_eof delivered or held (once only) */
    C_EOF_HELD  = 1u << 6,   /* eof waits in eof_err for resume */
    C_WERR      = 1u << 7,   /* a send failed: output is discarded */
    C_ON_DIRTY  = 1u << 8,   /* on l->dirty */
    C_ON_READY  = 1u << 9,   /* on l->ready */
    C_ON_REARM  = 1u << 10,  /* on l->rearm (io_uring -ENOBUFS) */
    C_ON_CLOSED = 1u << 11,  /* on l->closed */
    /* backend-private bits */
    C_B_RECV    = 1u << 16,  /* uring: recv armed; epoll: EPOLLIN on */
    C_B_RCANCEL = 1u << 17,  /* uring: cancel of the recv queued */
    C_B_SEND    = 1u << 18,  /* uring: send in flight; epoll: EPOLLOUT */
    C_B_SCANCEL = 1u << 19,  /* uring: cancel of the send queued */
    C_B_REG     = 1u << 20,  /* epoll: fd registered in the epoll set */
    C_B_WRITABLE = 1u << 21, /* epoll: EPOLLOUT fired since the last try */
};

struct conn {
    struct loop *loop;
    int fd;
    uint32_t flags;
    uint32_t inflight;         /* backend ops without a final completion */
    void *udata;
    conn_data_cb on_data;
    conn_eof_cb on_eof;
    conn_closed_cb on_closed;
    struct obuf out;
    /* lists: see the invariants above */
    struct conn *dirty_next, *ready_next, *rearm_next, *closed_next;
    struct conn *prev, *next;  /* l->conns, doubly linked */
    /* bytes received while paused (or while quiet), delivered in order
     * before anything newer; NULL when empty */
    char *stash;
    size_t stash_len, stash_cap;
    int eof_err;               /* held eof (C_EOF_HELD) */
    /* backend scratch */
    void *send_st;             /* uring: msghdr+iovec block of the send in
                                  flight, or NULL (single-iovec send) */
};

/* Timer flags */
enum {
    T_ONESHOT  = 1u << 0,      /* internal: fire once, then leave the heap */
    T_EMBEDDED = 1u << 1,      /* internal: memory owned by someone else */
    T_FIRING   = 1u << 2,      /* callback running (not in the heap) */
    T_DEAD     = 1u << 3,      /* deleted during its own callback */
    T_RESCHED  = 1u << 4,      /* set_interval during its own callback */
};

struct loop_timer {
    struct loop *loop;
    uint64_t deadline_us;      /* CLOCK_MONOTONIC */
    uint64_t interval_us;
    loop_timer_cb cb;
    void *arg;
    int heap_idx;              /* index in l->heap, -1 when not queued */
    uint32_t flags;
};

struct loop_listener {
    struct loop *loop;
    int fd;                    /* -1 once unlistened */
    loop_accept_cb cb;
    void *arg;
    bool armed;                /* uring: accept op in flight;
                                  epoll: EPOLLIN registered */
    struct loop_timer retry;   /* one-shot re-arm after a transient error */
};

struct loop_ops {
    const char *name;
    /* Blocks up to timeout_us (-1: no limit, 0: poll) for events; also
     * submits what the previous turn queued. */
    void (*wait)(struct loop *l, int64_t timeout_us);
    void (*dispatch)(struct loop *l);
    /* Re-arms -ENOBUFS receivers, then sends for every dirty conn. */
    void (*flush)(struct loop *l);
    /* After loop_stop: push out what the last flush queued. */
    void (*stopped)(struct loop *l);
    void (*free)(struct loop *l);
    int (*listen)(struct loop *l, struct loop_listener *li);
    void (*unlisten)(struct loop *l, struct loop_listener *li);
    /* Starts/stops accepting after a transient error's delay. */
    void (*listen_retry)(struct loop *l, struct loop_listener *li);
    int (*watch_signals)(struct loop *l);
    /* Reconciles the backend's read registration with c->flags
     * (started/paused/rstop/closing). */
    void (*update_read)(struct conn *c);
    /* conn_close: cancel what is in flight (inflight may grow by the
     * cancels and drop back as they complete). */
    void (*close)(struct conn *c);
    /* Just before on_closed: drop any registration that names the fd. */
    void (*release)(struct conn *c);
    void (*flush_all)(struct loop *l);
};

struct loop_hook {
    loop_hook_cb cb;
    void *arg;
};

struct loop_sig {
    loop_signal_cb cb;
    void *arg;
};

struct loop {
    const struct loop_ops *ops;
    loop_log_fn log;
    struct loop_config cfg;    /* zeros replaced by defaults */
    uint64_t now_ms, now_us;   /* CLOCK_REALTIME, once per turn */
    uint64_t mono_us;          /* CLOCK_MONOTONIC, same read */
    bool stop;
    bool running;              /* inside loop_run: the turn's clock is fresh */
    bool quiet;                /* loop_flush_all draining: hold, no calls */
    bool sig_pending;          /* signalfd readable, not read yet */

    struct loop_timer **heap;  /* min-heap on deadline_us */
    unsigned nheap, capheap;

    struct conn *dirty, *ready, *rearm, *closed;
    struct conn *conns;        /* every live conn */
    unsigned nconns;

    struct loop_listener **lis;
    unsigned nlis;

    int sigfd;                 /* -1 until loop_signal */
    sigset_t sigmask;
    struct loop_sig sig[_NSIG];

    struct loop_hook *hooks;
    unsigned nhooks;
    conn_data_cb peek;         /* loop_set_peek, or NULL */

    uint64_t warn_last_ms;     /* rate limit for loop__warn_rl */
    unsigned warn_dropped;
};

/* Backend constructors: fill *out with a loop whose common fields are
 * initialised by loop__init; return 0 or -errno (and log nothing: the
 * caller words the fallback line). reason receives a short text for the
 * log, e.g. "io_uring_setup: Operation not permitted". */
int loop__uring_new(const struct loop_config *cfg, loop_log_fn log,
                    struct loop **out, char *reason, size_t reason_len);
int loop__epoll_new(const struct loop_config *cfg, loop_log_fn log,
                    struct loop **out, char *reason, size_t reason_len);

/* Common-field setup shared by both constructors. */
void loop__init(struct loop *l, const struct loop_ops *ops,
                const struct loop_config *cfg, loop_log_fn log);
/* Frees what loop__init and the common API allocated (not l itself). */
void loop__fini(struct loop *l);

void loop__log(struct loop *l, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* At most one line per second; counts what it drops. */
void loop__warn_rl(struct loop *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Delivery helpers for backends. Each is safe to call for any conn state
 * and applies the pause/stash/closing rules. */
void loop__conn_data(struct conn *c, const char *buf, size_t len);
void loop__conn_eof(struct conn *c, int err);
/* Like loop__conn_eof but never calls on_eof now: it is held and delivered
 * by the next turn's ready pass (for errors found while flushing). */
void loop__conn_eof_later(struct conn *c, int err);
/* A backend op for c completed for good: inflight--, and if the conn is
 * closing with nothing left in flight, queue it for finalisation. */
void loop__conn_op_done(struct conn *c);
/* Closes now from inside the loop (CAF finished, or send failure on a CAF
 * conn); keeps the on_closed given earlier. */
void loop__conn_close_now(struct conn *c);

static inline void loop__mark_dirty(struct conn *c)
{
    if (!(c->flags & C_ON_DIRTY)) {
        c->flags |= C_ON_DIRTY;
        c->dirty_next = c->loop->dirty;
        c->loop->dirty = c;
    }
}

static inline void loop__push_rearm(struct conn *c)
{
    if (!(c->flags & C_ON_REARM)) {
        c->flags |= C_ON_REARM;
        c->rearm_next = c->loop->rearm;
        c->loop->rearm = c;
    }
}

/* True when the conn should have a receive armed (a conn closing after
 * flush keeps draining, even when paused). */
static inline bool loop__wants_read(const struct conn *c)
{
    uint32_t f = c->flags;
    return (f & (C_STARTED | C_RSTOP | C_CLOSING)) == C_STARTED &&
           (!(f & C_PAUSED) || (f & C_CAF));
}

/* Reads every queued signal from l->sigfd and runs the callbacks. */
void loop__read_signals(struct loop *l);

/* Internal one-shot timer embedded in another struct (listener retry). */
void loop__timer_init_embedded(struct loop *l, struct loop_timer *t,
                               loop_timer_cb cb, void *arg);
void loop__timer_arm(struct loop_timer *t, uint64_t delay_ms);
void loop__timer_disarm(struct loop_timer *t);

/* Writes the obuf synchronously until it is empty, EAGAIN or an error.
 * Returns 0, -EAGAIN or -errno. Used by the epoll flush and flush_all. */
int loop__write_sync(struct conn *c);
/* loop_flush_all's last step, shared by both backends: a synchronous write
 * of every connection with queued output, except closing or failed ones
 * and those with a flag in `skip` (a send still in flight). */
void loop__write_all_sync(struct loop *l, unsigned skip);

/* Milliseconds between transient-accept-error re-arms. */
#define LOOP_ACCEPT_RETRY_MS 100
/* iovecs per gathering send. */
#define LOOP_SEND_IOV 64

#endif
