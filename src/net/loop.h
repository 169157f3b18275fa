/*
 * loop: a completion-shaped event loop (in the manner of libuv) with two
 * backends behind this one header: io_uring (loop_uring.c) and epoll
 * (loop_epoll.c). Nothing outside those files sees an sqe, a cqe,
 * user_data, a buffer id or an epoll_event.
 *
 * One thread. Each turn of loop_run:
 *   1. wait for completions (bounded by the nearest timer deadline),
 *   2. read the clock once (loop_now),
 *   3. dispatch them in a batch: accepts, received bytes (on_data), signals,
 *      send completions, timers,
 *   4. run the before-wait hooks (server work such as unblocking paused
 *      clients),
 *   5. flush: for every connection whose output buffer gained bytes this
 *      turn, start one gathering send (writev/sendmsg of the obuf chain; at
 *      most one send in flight per connection; short sends resume where they
 *      stopped).
 *
 * Ownership: the loop owns struct conn and its fd; the caller owns udata.
 * Bytes given to on_data are borrowed, valid only during the callback; copy
 * what must be kept. conn_close() may be called from any callback; the
 * connection's memory lives until every in-flight operation has completed,
 * then on_closed runs exactly once and the conn is freed; after
 * conn_close() no further on_data/on_eof is delivered.
 */
#ifndef RC_LOOP_H
#define RC_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

struct loop;
struct conn;
struct loop_timer;

enum loop_backend { LOOP_AUTO = 0, LOOP_URING = 1, LOOP_EPOLL = 2 };

struct loop_config {
    enum loop_backend backend;
    unsigned sq_entries;      /* io_uring SQ size (0: 4096) */
    unsigned buf_count;       /* provided buffers in the ring (0: 1024) */
    unsigned buf_size;        /* bytes per provided buffer (0: 16384) */
};

typedef void (*loop_log_fn)(int level, const char *msg);   /* 0 info 1 warn */

/* Creates a loop. With LOOP_AUTO it tries io_uring and falls back to epoll,
 * logging one line that says why (e.g. io_uring_setup: EPERM, as under
 * kernel.io_uring_disabled or a seccomp policy). Logs the io_uring features
 * that are on (SINGLE_ISSUER, DEFER_TASKRUN, multishot recv, buffer ring).
 * Returns NULL (and logs) only when no backend can start. */
struct loop *loop_new(const struct loop_config *cfg, loop_log_fn log);
/* (Detail: cfg may be NULL for all defaults; log may be NULL. loop_free
 * closes every listener, signalfd and remaining connection fd and frees
 * them without running callbacks; the io_uring is torn down first so the
 * kernel no longer references any buffer.) */
void loop_free(struct loop **l);
const char *loop_backend_name(const struct loop *l);  /* "io_uring"|"epoll" */

/* Runs until loop_stop(); returns 0. */
int loop_run(struct loop *l);
/* Makes loop_run return after the current turn (after the flush). */
void loop_stop(struct loop *l);

/* Milliseconds / microseconds of CLOCK_REALTIME read once per turn. */
uint64_t loop_now(const struct loop *l);
uint64_t loop_now_us(const struct loop *l);
/* Reads the clock again now (for DEBUG SLEEP or long commands). */
void loop_update_time(struct loop *l);

/* Accepts on a listening, non-blocking socket; on_accept gets each new fd
 * (non-blocking, CLOEXEC). EMFILE/ENFILE and other transient accept errors
 * are logged (rate limited) and accepting resumes; they never stop the
 * loop. Returns 0 or -errno. */
typedef void (*loop_accept_cb)(struct loop *l, int fd, void *arg);
int loop_listen(struct loop *l, int fd, loop_accept_cb on_accept, void *arg);
/* Stops accepting on every listener (shutdown); the fds are closed. */
void loop_unlisten_all(struct loop *l);

/* A periodic timer, first firing interval_ms from now. */
typedef void (*loop_timer_cb)(struct loop *l, void *arg);
struct loop_timer *loop_timer_add(struct loop *l, uint64_t interval_ms,
                                  loop_timer_cb cb, void *arg);
void loop_timer_set_interval(struct loop_timer *t, uint64_t interval_ms);
/* (Addition.) Timers are owned by the loop and freed by loop_free; an
 * interval of 0 is treated as 1 ms. loop_timer_set_interval also moves the
 * next firing to interval_ms from now. loop_timer_del cancels and frees a
 * timer (it may be called from the timer's own callback) and sets *t to
 * NULL. */
void loop_timer_del(struct loop_timer **t);
/* Watches a signal (SIGTERM, SIGINT); the callback runs in loop context.
 * The signal is blocked for the process and read from a signalfd. */
typedef void (*loop_signal_cb)(struct loop *l, int signo, void *arg);
int loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);
/* Hook run once per turn after dispatch and before the flush. */
typedef void (*loop_hook_cb)(struct loop *l, void *arg);
void loop_before_wait(struct loop *l, loop_hook_cb cb, void *arg);

/* ---- connections ---- */

typedef void (*conn_data_cb)(struct conn *c, const char *buf, size_t len);
/* Peer closed (err 0) or an error (-errno, e.g. -ECONNRESET). The caller
 * normally answers with conn_close(). */
typedef void (*conn_eof_cb)(struct conn *c, int err);
typedef void (*conn_closed_cb)(struct conn *c);

/* Look-ahead hint (io_uring backend; the epoll backend never calls it):
 * peek(c, buf, len) runs on a received buffer a few completions before
 * on_data gets the same bytes, within one batch of completions, so the
 * owner can start loading into the CPU cache what those bytes will touch
 * (with 50 clients at pipeline 1, a batch holds many clients' requests).
 * A hint: it may be skipped, and must not change what on_data does. Not
 * called for connections being closed. */
void loop_set_peek(struct loop *l, conn_data_cb peek);

/* Wraps an accepted fd. udata is the caller's (the client). */
struct conn *conn_new(struct loop *l, int fd, void *udata);
/* Starts receiving (multishot recv into the buffer ring under io_uring;
 * -ENOBUFS re-arms later without losing bytes). on_eof may be NULL: the
 * connection is then closed (conn_close(c, NULL)) on eof. */
void conn_start(struct conn *c, conn_data_cb on_data, conn_eof_cb on_eof);
/* Stops / resumes delivering on_data (CLIENT PAUSE, backpressure). Bytes
 * that arrive meanwhile wait in the kernel socket buffer. (Detail: bytes the
 * kernel had already handed over when the pause took effect, and an eof
 * seen then, are held by the loop and delivered in order, in the dispatch
 * phase of a turn after the resume; nothing is lost or reordered.) */
void conn_pause_read(struct conn *c, bool pause);

void *conn_udata(const struct conn *c);
int conn_fd(const struct conn *c);
struct loop *conn_loop(const struct conn *c);

/* The output buffer: append replies to it; the loop flushes it at the end
 * of the turn. Calling conn_out() is what marks the connection for this
 * turn's flush (so call it for each write rather than caching the pointer
 * across turns; a conn that just got on_data is marked anyway). O(1). */
struct obuf *conn_out(struct conn *c);
/* Bytes queued but not yet accepted by the kernel. */
size_t conn_out_pending(const struct conn *c);

/* Closes now: pending output is dropped. on_closed runs once every
 * in-flight operation has finished; it may be NULL. (Detail: on_closed never
 * runs inside conn_close() itself; it runs at the end of a turn, before the
 * fd is closed and the conn freed; the conn and udata are valid during it.
 * Calling conn_close or conn_close_after_flush again is a no-op except that
 * conn_close cuts a pending close-after-flush short.) */
void conn_close(struct conn *c, conn_closed_cb on_closed);
/* Closes after the queued output has been sent (QUIT, protocol errors,
 * shutdown). Stops receiving immediately. (Detail: no on_data or on_eof
 * follows; bytes that still arrive are read and dropped, so the final
 * close() sends a FIN rather than an RST that would discard the unsent
 * reply. A send error closes at once.) */
void conn_close_after_flush(struct conn *c, conn_closed_cb on_closed);

/* Sends whatever is queued now, synchronously, ignoring EAGAIN (used at
 * shutdown). (Detail: under io_uring, sends already in flight are first
 * waited for, at most 100 ms in all; callbacks do not run inside it, and
 * bytes or connections that arrive meanwhile are held for the next turn,
 * except new connections, which are closed.) */
void loop_flush_all(struct loop *l);

#endif
