/*
 * loop_common.c: the backend-independent half of the event loop: backend
 * choice, the turn (loop_run), the clock, the timer heap, signals through a
 * signalfd, before-wait hooks, and the connection life cycle rules that
 * both backends share (see loop_int.h for the turn and the invariants).
 *
 * Timers: a binary min-heap of struct loop_timer pointers keyed on a
 * CLOCK_MONOTONIC deadline in microseconds; each timer knows its heap index
 * so set_interval/del are O(log n). A periodic timer fires at most once per
 * turn: if it fell behind, the next deadline is now + interval rather than a
 * burst of catch-up calls.
 *
 * Delivery rules (loop__conn_data / loop__conn_eof): bytes go to on_data
 * unless the conn is paused, the loop is quiet (loop_flush_all draining) or
 * older bytes are already held; then they are copied into the conn's stash
 * and handed over, in order, by loop__run_ready in a later turn. An eof is
 * held behind the stash the same way. This is what lets io_uring completions
 * that race with a pause lose and reorder nothing.
 */
#include "loop.h"

#include "xalloc.h"
#include "loop_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* ---- logging ---- */

void loop__log(struct loop *l, int level, const char *fmt, ...)
{
    if (!l->log)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    l->log(level, buf);
}

void loop__warn_rl(struct loop *l, const char *fmt, ...)
{
    if (l->warn_last_ms && l->now_ms - l->warn_last_ms < 1000) {
        l->warn_dropped++;
        return;
    }
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (l->warn_dropped)
        loop__log(l, 1, "%s (%u similar messages suppressed)", buf,
                  l->warn_dropped);
    else
        loop__log(l, 1, "%s", buf);
    l->warn_dropped = 0;
    l->warn_last_ms = l->now_ms ? l->now_ms : 1;
}

/* ---- clock ---- */

static void update_time(struct loop *l)
{
    struct timespec rt, mt;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mt);
    l->now_us = (uint64_t)rt.tv_sec * 1000000u + (uint64_t)rt.tv_nsec / 1000;
    l->now_ms = l->now_us / 1000;
    l->mono_us = (uint64_t)mt.tv_sec * 1000000u + (uint64_t)mt.tv_nsec / 1000;
}

uint64_t loop_now(const struct loop *l) { return l->now_ms; }
uint64_t loop_now_us(const struct loop *l) { return l->now_us; }
void loop_update_time(struct loop *l) { update_time(l); }

/* ---- construction ---- */

void loop__init(struct loop *l, const struct loop_ops *ops,
                const struct loop_config *cfg, loop_log_fn log)
{
    memset(l, 0, sizeof(*l));
    l->ops = ops;
    l->log = log;
    l->cfg = *cfg;
    l->sigfd = -1;
    sigemptyset(&l->sigmask);
    update_time(l);
}

static void normalize_config(const struct loop_config *in,
                             struct loop_config *out)
{
    if (in)
        *out = *in;
    else
        memset(out, 0, sizeof(*out));
    if (!out->sq_entries)
        out->sq_entries = 4096;
    if (!out->buf_count)
        out->buf_count = 1024;
    if (!out->buf_size)
        out->buf_size = 16384;
}

struct loop *loop_new(const struct loop_config *cfg, loop_log_fn log)
{
    struct loop_config c;
    struct loop *l = NULL;
    char why[256] = "";
    normalize_config(cfg, &c);

    if (c.backend == LOOP_AUTO || c.backend == LOOP_URING) {
        int r = loop__uring_new(&c, log, &l, why, sizeof(why));
        if (r == 0)
            return l;
        if (c.backend == LOOP_URING) {
            if (log) {
                char msg[400];
                snprintf(msg, sizeof(msg),
                         "io_uring unavailable (%s); io-backend io_uring "
                         "was requested, not starting", why);
                log(1, msg);
            }
            return NULL;
        }
        if (log) {
            char msg[400];
            snprintf(msg, sizeof(msg), "io_uring unavailable (%s); using epoll",
                     why);
            log(1, msg);
        }
    }
    int r = loop__epoll_new(&c, log, &l, why, sizeof(why));
    if (r == 0) {
        if (c.backend == LOOP_EPOLL)   /* (after a fallback: one line only) */
            loop__log(l, 0, "event loop: epoll (io-backend epoll)");
        return l;
    }
    if (log) {
        char msg[400];
        snprintf(msg, sizeof(msg), "epoll unavailable (%s); no event loop",
                 why);
        log(1, msg);
    }
    return NULL;
}

const char *loop_backend_name(const struct loop *l) { return l->ops->name; }

void loop__fini(struct loop *l)
{
    /* Conns left over: their memory and fds; a conn already asked to
     * close still gets its on_closed, so the owner can free its side. */
    while (l->conns) {
        struct conn *c = l->conns;
        l->conns = c->next;
        if (c->on_closed)
            c->on_closed(c);
        if (c->fd >= 0)
            close(c->fd);
        obuf_reset(&c->out);
        free(c->stash);
        free(c->send_st);
        free(c);
    }
    for (unsigned i = 0; i < l->nlis; i++) {
        if (l->lis[i]->fd >= 0)
            close(l->lis[i]->fd);
        free(l->lis[i]);
    }
    free(l->lis);
    for (unsigned i = 0; i < l->nheap; i++)
        if (!(l->heap[i]->flags & T_EMBEDDED))
            free(l->heap[i]);
    free(l->heap);
    free(l->hooks);
    if (l->sigfd >= 0)
        close(l->sigfd);
}

void loop_free(struct loop **lp)
{
    struct loop *l = *lp;
    if (!l)
        return;
    l->ops->free(l);   /* tears down the backend, calls loop__fini, frees */
    *lp = NULL;
}

/* ---- timers ---- */

static bool timer_less(const struct loop_timer *a, const struct loop_timer *b)
{
    return a->deadline_us < b->deadline_us;
}

static void heap_set(struct loop *l, unsigned i, struct loop_timer *t)
{
    l->heap[i] = t;
    t->heap_idx = (int)i;
}

static void heap_up(struct loop *l, unsigned i)
{
    struct loop_timer *t = l->heap[i];
    while (i > 0) {
        unsigned p = (i - 1) / 2;
        if (!timer_less(t, l->heap[p]))
            break;
        heap_set(l, i, l->heap[p]);
        i = p;
    }
    heap_set(l, i, t);
}

static void heap_down(struct loop *l, unsigned i)
{
    struct loop_timer *t = l->heap[i];
    for (;;) {
        unsigned c = 2 * i + 1;
        if (c >= l->nheap)
            break;
        if (c + 1 < l->nheap && timer_less(l->heap[c + 1], l->heap[c]))
            c++;
        if (!timer_less(l->heap[c], t))
            break;
        heap_set(l, i, l->heap[c]);
        i = c;
    }
    heap_set(l, i, t);
}

static void heap_push(struct loop *l, struct loop_timer *t)
{
    if (l->nheap == l->capheap) {
        l->capheap = l->capheap ? l->capheap * 2 : 16;
        l->heap = xrealloc(l->heap, l->capheap * sizeof(*l->heap));
    }
    heap_set(l, l->nheap++, t);
    heap_up(l, l->nheap - 1);
}

static void heap_remove(struct loop *l, struct loop_timer *t)
{
    unsigned i = (unsigned)t->heap_idx;
    t->heap_idx = -1;
    struct loop_timer *last = l->heap[--l->nheap];
    if (i == l->nheap)
        return;
    heap_set(l, i, last);
    heap_up(l, i);
    heap_down(l, (unsigned)last->heap_idx);
}

static uint64_t ms_to_us(uint64_t ms)
{
    return (ms ? ms : 1) * 1000u;
}

/* The turn's clock inside loop_run; outside it (setup, between runs) the
 * last turn may be long gone, so read the clock. */
static uint64_t timer_now(struct loop *l)
{
    if (!l->running)
        update_time(l);
    return l->mono_us;
}

struct loop_timer *loop_timer_add(struct loop *l, uint64_t interval_ms,
                                  loop_timer_cb cb, void *arg)
{
    struct loop_timer *t = xmalloc(sizeof(*t));
    memset(t, 0, sizeof(*t));
    t->loop = l;
    t->cb = cb;
    t->arg = arg;
    t->interval_us = ms_to_us(interval_ms);
    t->deadline_us = timer_now(l) + t->interval_us;
    t->heap_idx = -1;
    heap_push(l, t);
    return t;
}

void loop_timer_set_interval(struct loop_timer *t, uint64_t interval_ms)
{
    struct loop *l = t->loop;
    t->interval_us = ms_to_us(interval_ms);
    t->deadline_us = timer_now(l) + t->interval_us;
    if (t->flags & T_FIRING) {
        t->flags |= T_RESCHED;
    } else if (t->heap_idx >= 0) {
        heap_up(l, (unsigned)t->heap_idx);
        heap_down(l, (unsigned)t->heap_idx);
    }
}

void loop_timer_del(struct loop_timer **tp)
{
    struct loop_timer *t = *tp;
    if (!t)
        return;
    *tp = NULL;
    if (t->flags & T_FIRING) {
        t->flags |= T_DEAD;
        return;
    }
    if (t->heap_idx >= 0)
        heap_remove(t->loop, t);
    free(t);
}

void loop__timer_init_embedded(struct loop *l, struct loop_timer *t,
                               loop_timer_cb cb, void *arg)
{
    memset(t, 0, sizeof(*t));
    t->loop = l;
    t->cb = cb;
    t->arg = arg;
    t->heap_idx = -1;
    t->flags = T_ONESHOT | T_EMBEDDED;
}

void loop__timer_arm(struct loop_timer *t, uint64_t delay_ms)
{
    struct loop *l = t->loop;
    t->deadline_us = timer_now(l) + ms_to_us(delay_ms);
    if (t->heap_idx >= 0) {
        heap_up(l, (unsigned)t->heap_idx);
        heap_down(l, (unsigned)t->heap_idx);
    } else {
        heap_push(l, t);
    }
}

void loop__timer_disarm(struct loop_timer *t)
{
    if (t->heap_idx >= 0)
        heap_remove(t->loop, t);
}

/* Runs every timer due at l->mono_us; each at most once. */
static void run_timers(struct loop *l)
{
    uint64_t now = l->mono_us;
    while (l->nheap && l->heap[0]->deadline_us <= now) {
        struct loop_timer *t = l->heap[0];
        heap_remove(l, t);
        t->flags |= T_FIRING;
        t->cb(l, t->arg);
        t->flags &= ~T_FIRING;
        if (t->flags & T_DEAD) {
            free(t);
            continue;
        }
        if (t->flags & T_RESCHED) {
            t->flags &= ~T_RESCHED;
        } else if (t->flags & T_ONESHOT) {
            continue;     /* re-armed from its callback or left idle */
        } else {
            t->deadline_us += t->interval_us;
            if (t->deadline_us <= now)
                t->deadline_us = now + t->interval_us;
        }
        if (t->heap_idx < 0)
            heap_push(l, t);
    }
}

/* ---- signals ---- */

int loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
    if (signo <= 0 || signo >= _NSIG)
        return -EINVAL;
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, signo);
    if (sigprocmask(SIG_BLOCK, &one, NULL) < 0)
        return -errno;
    sigaddset(&l->sigmask, signo);
    l->sig[signo].cb = cb;
    l->sig[signo].arg = arg;
    if (l->sigfd >= 0)
        return signalfd(l->sigfd, &l->sigmask, 0) < 0 ? -errno : 0;
    int fd = signalfd(-1, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    l->sigfd = fd;
    int r = l->ops->watch_signals(l);
    if (r < 0) {
        close(fd);
        l->sigfd = -1;
    }
    return r;
}

void loop__read_signals(struct loop *l)
{
    struct signalfd_siginfo si[8];
    l->sig_pending = false;
    for (;;) {
        ssize_t n = read(l->sigfd, si, sizeof(si));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
            int s = (int)si[i].ssi_signo;
            if (s > 0 && s < _NSIG && l->sig[s].cb)
                l->sig[s].cb(l, s, l->sig[s].arg);
        }
    }
}

/* ---- hooks ---- */

void loop_set_peek(struct loop *l, conn_data_cb peek)
{
    l->peek = peek;
}

void loop_before_wait(struct loop *l, loop_hook_cb cb, void *arg)
{
    l->hooks = xrealloc(l->hooks, (l->nhooks + 1) * sizeof(*l->hooks));
    l->hooks[l->nhooks].cb = cb;
    l->hooks[l->nhooks].arg = arg;
    l->nhooks++;
}

/* ---- listeners ---- */

static void listener_retry(struct loop *l, void *arg)
{
    struct loop_listener *li = arg;
    if (li->fd >= 0)
        l->ops->listen_retry(l, li);
}

int loop_listen(struct loop *l, int fd, loop_accept_cb on_accept, void *arg)
{
    struct loop_listener *li = xmalloc(sizeof(*li));
    memset(li, 0, sizeof(*li));
    li->loop = l;
    li->fd = fd;
    li->cb = on_accept;
    li->arg = arg;
    loop__timer_init_embedded(l, &li->retry, listener_retry, li);
    int r = l->ops->listen(l, li);
    if (r < 0) {
        free(li);
        return r;
    }
    l->lis = xrealloc(l->lis, (l->nlis + 1) * sizeof(*l->lis));
    l->lis[l->nlis++] = li;
    return 0;
}

void loop_unlisten_all(struct loop *l)
{
    for (unsigned i = 0; i < l->nlis; i++) {
        struct loop_listener *li = l->lis[i];
        if (li->fd < 0)
            continue;
        loop__timer_disarm(&li->retry);
        l->ops->unlisten(l, li);   /* cancels; closes li->fd; sets -1 */
    }
}

/* ---- connections ---- */

struct conn *conn_new(struct loop *l, int fd, void *udata)
{
    struct conn *c = xmalloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->loop = l;
    c->fd = fd;
    c->udata = udata;
    obuf_init(&c->out);
    c->next = l->conns;
    if (l->conns)
        l->conns->prev = c;
    l->conns = c;
    l->nconns++;
    return c;
}

void conn_start(struct conn *c, conn_data_cb on_data, conn_eof_cb on_eof)
{
    if (c->flags & (C_STARTED | C_CLOSING))
        return;
    c->on_data = on_data;
    c->on_eof = on_eof;
    c->flags |= C_STARTED;
    c->loop->ops->update_read(c);
}

static void push_ready(struct conn *c)
{
    if (!(c->flags & C_ON_READY)) {
        c->flags |= C_ON_READY;
        c->ready_next = c->loop->ready;
        c->loop->ready = c;
    }
}

void conn_pause_read(struct conn *c, bool pause)
{
    if (c->flags & C_CLOSING)
        return;
    if (pause) {
        c->flags |= C_PAUSED;
    } else {
        if (!(c->flags & C_PAUSED))
            return;
        c->flags &= ~C_PAUSED;
        if (c->stash_len || (c->flags & C_EOF_HELD))
            push_ready(c);
    }
    c->loop->ops->update_read(c);
}

void *conn_udata(const struct conn *c) { return c->udata; }
int conn_fd(const struct conn *c) { return c->fd; }
struct loop *conn_loop(const struct conn *c) { return c->loop; }

struct obuf *conn_out(struct conn *c)
{
    /* A closing conn's output is dropped; and from on_closed it must not
     * join a list it would outlive. */
    if (!(c->flags & C_CLOSING))
        loop__mark_dirty(c);
    return &c->out;
}

size_t conn_out_pending(const struct conn *c) { return obuf_len(&c->out); }

static void push_closed(struct conn *c)
{
    if (!(c->flags & C_ON_CLOSED)) {
        c->flags |= C_ON_CLOSED;
        c->closed_next = c->loop->closed;
        c->loop->closed = c;
    }
}

void loop__conn_op_done(struct conn *c)
{
    c->inflight--;
    if ((c->flags & C_CLOSING) && c->inflight == 0)
        push_closed(c);
}

void loop__conn_close_now(struct conn *c)
{
    if (c->flags & C_CLOSING)
        return;
    c->flags |= C_CLOSING | C_RSTOP;
    c->flags &= ~C_CAF;
    c->loop->ops->close(c);
    if (c->inflight == 0)
        push_closed(c);
}

void conn_close(struct conn *c, conn_closed_cb on_closed)
{
    if (c->flags & C_CLOSING)
        return;
    c->on_closed = on_closed;
    loop__conn_close_now(c);
}

void conn_close_after_flush(struct conn *c, conn_closed_cb on_closed)
{
    if (c->flags & (C_CLOSING | C_CAF))
        return;
    c->on_closed = on_closed;
    c->flags |= C_CAF;     /* on_data stops; the backend drains and drops */
    c->loop->ops->update_read(c);
    loop__mark_dirty(c);   /* the flush closes it once the obuf is empty */
}

/* Copies bytes behind whatever is already held. */
static void stash_append(struct conn *c, const char *buf, size_t len)
{
    if (c->stash_len + len > c->stash_cap) {
        size_t cap = c->stash_cap ? c->stash_cap : 4096;
        while (cap < c->stash_len + len)
            cap *= 2;
        c->stash = xrealloc(c->stash, cap);
        c->stash_cap = cap;
    }
    memcpy(c->stash + c->stash_len, buf, len);
    c->stash_len += len;
}

static bool must_hold(const struct conn *c)
{
    return (c->flags & C_PAUSED) || c->loop->quiet || c->stash_len;
}

void loop__conn_data(struct conn *c, const char *buf, size_t len)
{
    if (c->flags & (C_CLOSING | C_CAF))
        return;
    if (must_hold(c)) {
        stash_append(c, buf, len);
        if (!(c->flags & C_PAUSED))
            push_ready(c);
        return;
    }
    c->on_data(c, buf, len);
    if (!(c->flags & C_CLOSING))
        loop__mark_dirty(c);
}

static void call_eof(struct conn *c, int err)
{
    if (c->on_eof)
        c->on_eof(c, err);
    else
        conn_close(c, NULL);
}

void loop__conn_eof(struct conn *c, int err)
{
    if (c->flags & (C_CLOSING | C_EOF_DONE))
        return;
    c->flags |= C_EOF_DONE;
    if (c->flags & C_CAF)
        return;   /* the flush (or its send error) finishes the close */
    if (must_hold(c)) {
        c->flags |= C_EOF_HELD;
        c->eof_err = err;
        if (!(c->flags & C_PAUSED))
            push_ready(c);
        return;
    }
    call_eof(c, err);
}

void loop__conn_eof_later(struct conn *c, int err)
{
    if (c->flags & (C_CLOSING | C_EOF_DONE))
        return;
    c->flags |= C_EOF_DONE;
    if (c->flags & C_CAF)
        return;
    c->flags |= C_EOF_HELD;
    c->eof_err = err;
    if (!(c->flags & C_PAUSED))
        push_ready(c);
}

/* Hands held bytes and a held eof to conns that may receive again. */
static void run_ready(struct loop *l)
{
    struct conn *list = l->ready;
    l->ready = NULL;
    while (list) {
        struct conn *c = list;
        list = c->ready_next;
        c->flags &= ~C_ON_READY;
        if (c->flags & (C_CLOSING | C_PAUSED))
            continue;       /* closed: dropped; paused: resume re-queues */
        if (c->stash_len && !(c->flags & C_CAF)) {
            char *buf = c->stash;
            size_t len = c->stash_len;
            c->stash = NULL;
            c->stash_len = c->stash_cap = 0;
            c->on_data(c, buf, len);
            free(buf);
            if (!(c->flags & C_CLOSING))
                loop__mark_dirty(c);
        } else if (c->stash_len) {
            free(c->stash);     /* CAF after the bytes arrived: drop */
            c->stash = NULL;
            c->stash_len = c->stash_cap = 0;
        }
        if ((c->flags & (C_CLOSING | C_PAUSED)) || c->stash_len)
            continue;
        if (c->flags & C_EOF_HELD) {
            c->flags &= ~C_EOF_HELD;
            call_eof(c, c->eof_err);
        }
    }
}

/* on_closed, close(fd), free, for closing conns with nothing in flight. */
static void finalize_closed(struct loop *l)
{
    struct conn *list = l->closed;
    l->closed = NULL;
    while (list) {
        struct conn *c = list;
        list = c->closed_next;
        c->flags &= ~C_ON_CLOSED;
        if (c->inflight || (c->flags & (C_ON_DIRTY | C_ON_READY | C_ON_REARM))) {
            push_closed(c);     /* a list still names it: next turn */
            continue;
        }
        if (c->on_closed)
            c->on_closed(c);
        l->ops->release(c);
        if (c->fd >= 0)
            close(c->fd);
        if (c->prev)
            c->prev->next = c->next;
        else
            l->conns = c->next;
        if (c->next)
            c->next->prev = c->prev;
        l->nconns--;
        obuf_reset(&c->out);
        free(c->stash);
        free(c);
    }
}

/* ---- the turn ---- */

static int64_t wait_timeout_us(const struct loop *l)
{
    if (l->ready || l->dirty || l->rearm || l->closed || l->sig_pending ||
        l->stop)
        return 0;
    if (!l->nheap)
        return -1;
    uint64_t d = l->heap[0]->deadline_us;
    return d > l->mono_us ? (int64_t)(d - l->mono_us) : 0;
}

int loop_run(struct loop *l)
{
    l->stop = false;
    l->running = true;
    while (!l->stop) {
        l->ops->wait(l, wait_timeout_us(l));
        update_time(l);
        if (l->ready)
            run_ready(l);
        if (l->sig_pending)
            loop__read_signals(l);
        l->ops->dispatch(l);
        run_timers(l);
        for (unsigned i = 0; i < l->nhooks; i++)
            l->hooks[i].cb(l, l->hooks[i].arg);
        l->ops->flush(l);
        if (l->closed)
            finalize_closed(l);
    }
    l->running = false;
    l->ops->stopped(l);
    return 0;
}

void loop_stop(struct loop *l) { l->stop = true; }

void loop_flush_all(struct loop *l) { l->ops->flush_all(l); }

int loop__write_sync(struct conn *c)
{
    struct iovec iov[LOOP_SEND_IOV];
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    while (obuf_len(&c->out)) {
        msg.msg_iovlen = (size_t)obuf_iov(&c->out, iov, LOOP_SEND_IOV);
        /* sendmsg rather than writev: MSG_NOSIGNAL, no SIGPIPE */
        ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        obuf_consume(&c->out, (size_t)w);
    }
    return 0;
}

void loop__write_all_sync(struct loop *l, unsigned skip)
{
    for (struct conn *c = l->conns; c; c = c->next) {
        if ((c->flags & (C_CLOSING | C_WERR | skip)) || !obuf_len(&c->out))
            continue;
        int r = loop__write_sync(c);
        if (r < 0 && r != -EAGAIN) {
            c->flags |= C_WERR;
            obuf_reset(&c->out);
        }
        if (c->flags & C_CAF)
            loop__mark_dirty(c);
    }
}
