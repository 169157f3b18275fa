/*
 * loop_uring.c: the io_uring backend of net/loop.h.
 *
 * Core idea: every socket operation is a long-lived request. A listener has
 * one multishot accept; a connection has one multishot recv that picks its
 * buffers from a ring of provided buffers (one buffer group for the whole
 * loop) and at most one send. A turn is one io_uring_enter: it submits what
 * the previous turn queued (sends, re-arms, cancels) and waits for the next
 * completions, bounded by the nearest timer. Completions are reaped in
 * batches; every provided buffer goes back to the ring as soon as on_data
 * returns and the ring tail is published once per batch. Within a batch,
 * the loop_set_peek hook sees each received buffer PEEK_AHEAD completions
 * before its on_data.
 *
 * user_data layout (64 bits; all pointers are malloc'd, so 8-aligned):
 *
 *   63                                                     3 2     0
 *   +--------------------------------------------------------+-------+
 *   |  pointer: struct conn / struct loop_listener / uloop    |  op   |
 *   +--------------------------------------------------------+-------+
 *
 *   op 0 UD_NONE    ignored (cancel of an accept; pointer bits 0)
 *   op 1 UD_ACCEPT  struct loop_listener, (multishot) accept
 *   op 2 UD_RECV    struct conn, (multishot) recv, buffer select
 *   op 3 UD_SEND    struct conn, send or sendmsg of the obuf head
 *   op 4 UD_CANCEL  struct conn, a cancel aimed at that conn's recv/send;
 *                   counted in conn->inflight so the conn (and its address,
 *                   which the cancel names) outlives the cancel
 *   op 5 UD_SIGNAL  struct uloop, multishot poll on the signalfd
 *   op 7 with all-ones pointer is LIBURING_UDATA_TIMEOUT: ignored
 *
 * A provided buffer's id (bid) is its index: address = bufs + bid*buf_size.
 *
 * Invariants:
 *   - C_B_RECV <=> a recv request for the conn exists (until its CQE
 *     without IORING_CQE_F_MORE); likewise C_B_SEND, at most one.
 *   - A recv that ended with -ENOBUFS is re-armed from the flush, after the
 *     batch gave its buffers back; the bytes stay in the socket meanwhile.
 *   - The obuf is consumed only on a send completion, so the iovecs a send
 *     carries stay valid: appends only touch the tail, past the captured
 *     lengths.
 *   - Nothing here calls a user callback except through loop__conn_data /
 *     loop__conn_eof and the accept/signal callbacks (and none of these in
 *     quiet mode).
 */
#include "loop.h"
#include "loop_int.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

enum { UD_NONE, UD_ACCEPT, UD_RECV, UD_SEND, UD_CANCEL, UD_SIGNAL };
#define UD_MASK 7ull
#define BGID 0
#define CQE_BATCH 256

struct send_st {
    struct msghdr msg;
    struct iovec iov[LOOP_SEND_IOV];
    struct send_st *next_free;
};

struct uloop {
    struct loop base;
    struct io_uring ring;
    struct io_uring_buf_ring *br;
    size_t br_bytes;
    char *bufs;
    size_t bufs_bytes;
    unsigned buf_count, buf_size;
    int buf_mask;
    int buf_added;             /* given back this batch, not yet published */
    bool ms_accept, ms_recv;   /* multishot in use (else single-shot) */
    unsigned sends_inflight;
    struct send_st *free_st;   /* pool: no allocation per request */
    uint64_t nobufs;           /* recvs that ended with -ENOBUFS */
};

static inline struct uloop *U(struct loop *l)
{
    return (struct uloop *)l;
}

static inline uint64_t ud(const void *p, unsigned op)
{
    return (uint64_t)(uintptr_t)p | op;
}

static inline void *ud_ptr(uint64_t d)
{
    return (void *)(uintptr_t)(d & ~UD_MASK);
}

/* An SQE; when the SQ is full, submits what is queued and takes one. */
static struct io_uring_sqe *sqe_get(struct uloop *u)
{
    struct io_uring_sqe *s = io_uring_get_sqe(&u->ring);
    while (!s) {
        io_uring_submit(&u->ring);
        s = io_uring_get_sqe(&u->ring);
    }
    return s;
}

/* ---- receive ---- */

static void arm_recv(struct uloop *u, struct conn *c)
{
    struct io_uring_sqe *s = sqe_get(u);
    if (u->ms_recv)
        io_uring_prep_recv_multishot(s, c->fd, NULL, 0, 0);
    else
        io_uring_prep_recv(s, c->fd, NULL, u->buf_size, 0);
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = BGID;
    io_uring_sqe_set_data64(s, ud(c, UD_RECV));
    c->flags |= C_B_RECV;
    c->inflight++;
}

static void cancel_op(struct uloop *u, struct conn *c, unsigned op)
{
    struct io_uring_sqe *s = sqe_get(u);
    io_uring_prep_cancel64(s, ud(c, op), 0);
    io_uring_sqe_set_data64(s, ud(c, UD_CANCEL));
    c->inflight++;
}

static void uring_update_read(struct conn *c)
{
    struct uloop *u = U(c->loop);
    if (loop__wants_read(c)) {
        if (!(c->flags & (C_B_RECV | C_ON_REARM)))
            arm_recv(u, c);
    } else if ((c->flags & (C_B_RECV | C_B_RCANCEL)) == C_B_RECV) {
        c->flags |= C_B_RCANCEL;
        cancel_op(u, c, UD_RECV);
    }
}

static void give_back(struct uloop *u, unsigned bid)
{
    io_uring_buf_ring_add(u->br, u->bufs + (size_t)bid * u->buf_size,
                          u->buf_size, (unsigned short)bid, u->buf_mask,
                          u->buf_added++);
}

static void on_recv(struct uloop *u, struct conn *c, int res, unsigned flags)
{
    if (flags & IORING_CQE_F_BUFFER) {
        unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;
        if (res > 0)
            loop__conn_data(c, u->bufs + (size_t)bid * u->buf_size,
                            (size_t)res);
        give_back(u, bid);
    }
    if (res == 0) {
        c->flags |= C_RSTOP;
        loop__conn_eof(c, 0);
    } else if (res == -EINVAL && u->ms_recv) {
        u->ms_recv = false;
        loop__log(&u->base, 1, "io_uring: multishot recv rejected by the "
                  "kernel; using single-shot recv");
    } else if (res < 0 && res != -ENOBUFS && res != -ECANCELED &&
               res != -EAGAIN && res != -EINTR) {
        c->flags |= C_RSTOP;
        loop__conn_eof(c, res);
    }
    if (flags & IORING_CQE_F_MORE)
        return;
    c->flags &= ~(C_B_RECV | C_B_RCANCEL);
    if (res == -ENOBUFS)
        u->nobufs++;
    if (res == -ENOBUFS && loop__wants_read(c))
        loop__push_rearm(c);   /* after this batch's buffers are back */
    else
        uring_update_read(c);
    loop__conn_op_done(c);
}

/* ---- send ---- */

static struct send_st *st_get(struct uloop *u)
{
    struct send_st *st = u->free_st;
    if (st) {
        u->free_st = st->next_free;
        return st;
    }
    st = malloc(sizeof(*st));
    if (!st)
        abort();
    memset(&st->msg, 0, sizeof(st->msg));
    st->msg.msg_iov = st->iov;
    return st;
}

static void st_put(struct uloop *u, struct send_st *st)
{
    st->next_free = u->free_st;
    u->free_st = st;
}

static void start_send(struct uloop *u, struct conn *c)
{
    struct io_uring_sqe *s = sqe_get(u);
    if (c->out.nchunks == 1) {
        struct iovec v;
        obuf_iov(&c->out, &v, 1);
        io_uring_prep_send(s, c->fd, v.iov_base, v.iov_len, MSG_NOSIGNAL);
    } else {
        struct send_st *st = st_get(u);
        st->msg.msg_iovlen = (size_t)obuf_iov(&c->out, st->iov,
                                              LOOP_SEND_IOV);
        io_uring_prep_sendmsg(s, c->fd, &st->msg, MSG_NOSIGNAL);
        c->send_st = st;
    }
    io_uring_sqe_set_data64(s, ud(c, UD_SEND));
    c->flags |= C_B_SEND;
    c->inflight++;
    u->sends_inflight++;
}

static void on_send(struct uloop *u, struct conn *c, int res)
{
    c->flags &= ~(C_B_SEND | C_B_SCANCEL);
    u->sends_inflight--;
    if (c->send_st) {
        st_put(u, c->send_st);
        c->send_st = NULL;
    }
    if (!(c->flags & C_CLOSING)) {
        if (res > 0) {
            obuf_consume(&c->out, (size_t)res);
            if (obuf_len(&c->out) || (c->flags & C_CAF))
                loop__mark_dirty(c);   /* rest (or the close) at the flush */
        } else if (res == -EAGAIN || res == -EINTR || res == 0) {
            loop__mark_dirty(c);
        } else {
            c->flags |= C_WERR;
            obuf_reset(&c->out);
            if (c->flags & C_CAF)
                loop__conn_close_now(c);
            else
                loop__conn_eof(c, res);
        }
    }
    loop__conn_op_done(c);
}

static void flush_conn(struct uloop *u, struct conn *c)
{
    if (c->flags & (C_CLOSING | C_B_SEND))
        return;   /* closing: dropped; in flight: its completion resends */
    if (c->flags & C_WERR)
        obuf_reset(&c->out);
    if (obuf_len(&c->out))
        start_send(u, c);
    else if (c->flags & C_CAF)
        loop__conn_close_now(c);
}

static void uring_flush(struct loop *l)
{
    struct uloop *u = U(l);
    struct conn *r = l->rearm;
    l->rearm = NULL;
    while (r) {
        struct conn *c = r;
        r = c->rearm_next;
        c->flags &= ~C_ON_REARM;
        uring_update_read(c);
    }
    struct conn *d = l->dirty;
    l->dirty = NULL;
    while (d) {
        struct conn *c = d;
        d = c->dirty_next;
        c->flags &= ~C_ON_DIRTY;
        flush_conn(u, c);
    }
}

/* ---- accept ---- */

static void arm_accept(struct uloop *u, struct loop_listener *li)
{
    struct io_uring_sqe *s = sqe_get(u);
    if (u->ms_accept)
        io_uring_prep_multishot_accept(s, li->fd, NULL, NULL,
                                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    else
        io_uring_prep_accept(s, li->fd, NULL, NULL,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    io_uring_sqe_set_data64(s, ud(li, UD_ACCEPT));
    li->armed = true;
}

/* Errors that concern one connection, not the process's resources. */
static bool accept_err_transient_conn(int err)
{
    return err == ECONNABORTED || err == EINTR || err == EAGAIN ||
           err == EPROTO || err == EPERM;
}

static void on_accept(struct uloop *u, struct loop_listener *li, int res,
                      unsigned flags)
{
    struct loop *l = &u->base;
    bool more = flags & IORING_CQE_F_MORE;
    bool delay = false;
    if (!more)
        li->armed = false;
    if (res >= 0) {
        if (li->fd < 0 || l->quiet)
            close(res);
        else
            li->cb(l, res, li->arg);
    } else if (res == -EINVAL && u->ms_accept) {
        u->ms_accept = false;
        loop__log(l, 1, "io_uring: multishot accept rejected by the kernel; "
                  "using single-shot accept");
    } else if (res != -ECANCELED) {
        delay = !accept_err_transient_conn(-res);
        loop__warn_rl(l, "accept: %s%s", strerror(-res),
                      delay ? "; accepting again in 100 ms" : "");
    }
    if (more || li->armed || li->fd < 0)
        return;
    if (delay)
        loop__timer_arm(&li->retry, LOOP_ACCEPT_RETRY_MS);
    else
        arm_accept(u, li);
}

static int uring_listen(struct loop *l, struct loop_listener *li)
{
    arm_accept(U(l), li);
    return 0;
}

static void uring_listen_retry(struct loop *l, struct loop_listener *li)
{
    if (!li->armed)
        arm_accept(U(l), li);
}

static void uring_unlisten(struct loop *l, struct loop_listener *li)
{
    struct uloop *u = U(l);
    if (li->armed) {
        /* The request holds its own file reference: the socket stops
         * listening when the cancel lands; anything accepted before that
         * is closed in on_accept (li->fd < 0). */
        struct io_uring_sqe *s = sqe_get(u);
        io_uring_prep_cancel64(s, ud(li, UD_ACCEPT), 0);
        io_uring_sqe_set_data64(s, UD_NONE);
    }
    close(li->fd);
    li->fd = -1;
}

/* ---- signals ---- */

static void arm_signal(struct uloop *u)
{
    struct io_uring_sqe *s = sqe_get(u);
    io_uring_prep_poll_multishot(s, u->base.sigfd, POLLIN);
    io_uring_sqe_set_data64(s, ud(u, UD_SIGNAL));
}

static int uring_watch_signals(struct loop *l)
{
    arm_signal(U(l));
    return 0;
}

static void on_signal(struct uloop *u, int res, unsigned flags)
{
    struct loop *l = &u->base;
    if (res > 0)
        l->sig_pending = true;   /* read in loop_run, outside any batch */
    else if (res < 0 && res != -ECANCELED)
        loop__warn_rl(l, "io_uring: poll on signalfd: %s", strerror(-res));
    if (!(flags & IORING_CQE_F_MORE) && l->sigfd >= 0)
        arm_signal(u);
}

/* ---- connections ---- */

static void uring_close(struct conn *c)
{
    struct uloop *u = U(c->loop);
    if ((c->flags & (C_B_RECV | C_B_RCANCEL)) == C_B_RECV) {
        c->flags |= C_B_RCANCEL;
        cancel_op(u, c, UD_RECV);
    }
    if ((c->flags & (C_B_SEND | C_B_SCANCEL)) == C_B_SEND) {
        c->flags |= C_B_SCANCEL;
        cancel_op(u, c, UD_SEND);
    }
}

static void uring_release(struct conn *c)
{
    (void)c;   /* no registration names the fd once nothing is in flight */
}

/* ---- the turn ---- */

/* A CQE copied out of the ring (see uring_dispatch). */
struct cqe_copy {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
};

static void handle_cqe(struct uloop *u, const struct cqe_copy *cqe)
{
    uint64_t d = cqe->user_data;
    switch (d & UD_MASK) {
    case UD_RECV:
        on_recv(u, ud_ptr(d), cqe->res, cqe->flags);
        break;
    case UD_SEND:
        on_send(u, ud_ptr(d), cqe->res);
        break;
    case UD_ACCEPT:
        on_accept(u, ud_ptr(d), cqe->res, cqe->flags);
        break;
    case UD_CANCEL:
        loop__conn_op_done(ud_ptr(d));
        break;
    case UD_SIGNAL:
        on_signal(u, cqe->res, cqe->flags);
        break;
    default:
        break;   /* UD_NONE, liburing's internal timeout */
    }
}

/* loop_set_peek's hint runs this many completions ahead of the handler. */
#define PEEK_AHEAD 3

/* loop_set_peek's hint for a completion about to be handled. */
static void peek_cqe(struct uloop *u, const struct cqe_copy *cqe)
{
    if ((cqe->user_data & UD_MASK) != UD_RECV || cqe->res <= 0 ||
        !(cqe->flags & IORING_CQE_F_BUFFER))
        return;
    struct conn *c = ud_ptr(cqe->user_data);
    if (c->flags & (C_CLOSING | C_CAF))
        return;
    unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
    u->base.peek(c, u->bufs + (size_t)bid * u->buf_size, (size_t)cqe->res);
}

/* Each batch is copied out and the CQ head advanced before any handler
 * runs: a handler may re-enter (loop_flush_all from on_data dispatches in
 * quiet mode), and the nested pass must see only newer completions. The
 * peek hint runs PEEK_AHEAD completions ahead of the handler. */
static void uring_dispatch(struct loop *l)
{
    struct uloop *u = U(l);
    struct io_uring_cqe *cqes[CQE_BATCH];
    struct cqe_copy batch[CQE_BATCH];
    for (;;) {
        unsigned n = io_uring_peek_batch_cqe(&u->ring, cqes, CQE_BATCH);
        if (!n)
            break;
        for (unsigned i = 0; i < n; i++) {
            batch[i].user_data = cqes[i]->user_data;
            batch[i].res = cqes[i]->res;
            batch[i].flags = cqes[i]->flags;
        }
        io_uring_cq_advance(&u->ring, n);
        bool peek = l->peek && !l->quiet;
        for (unsigned i = 1; peek && i < PEEK_AHEAD && i < n; i++)
            peek_cqe(u, &batch[i]);
        for (unsigned i = 0; i < n; i++) {
            if (peek && i + PEEK_AHEAD < n)
                peek_cqe(u, &batch[i + PEEK_AHEAD]);
            handle_cqe(u, &batch[i]);
        }
        if (u->buf_added) {
            io_uring_buf_ring_advance(u->br, u->buf_added);
            u->buf_added = 0;
        }
    }
}

static uint64_t mono_us(void);

/* True when completions are ready and every one of them is a send: the
 * replies of the last flush, completed inline at submit time. */
static bool only_sends_ready(struct uloop *u)
{
    struct io_uring_cqe *cqes[16];
    unsigned n = io_uring_peek_batch_cqe(&u->ring, cqes, 16);
    if (n == 0 || n == 16)
        return false;
    for (unsigned i = 0; i < n; i++)
        if ((cqes[i]->user_data & UD_MASK) != UD_SEND)
            return false;
    return true;
}

static int wait_once(struct uloop *u, int64_t timeout_us)
{
    struct io_uring_cqe *cqe;
    if (timeout_us == 0)
        return io_uring_submit_and_get_events(&u->ring);
    if (timeout_us < 0)
        return io_uring_submit_and_wait(&u->ring, 1);
    struct __kernel_timespec ts = {
        .tv_sec = timeout_us / 1000000,
        .tv_nsec = (timeout_us % 1000000) * 1000,
    };
    return io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
}

/* Waits for work. Send completions that are all a wait returned (a lone
 * client's reply went out inline at submit) are reaped here and the wait
 * resumed, instead of costing a whole loop turn each; anything they make
 * pending (more output, a close) ends the wait. */
static void uring_wait(struct loop *l, int64_t timeout_us)
{
    struct uloop *u = U(l);
    uint64_t start = timeout_us > 0 ? mono_us() : 0;
    int r = wait_once(u, timeout_us);
    for (int spins = 0; timeout_us != 0 && spins < 8 &&
                        only_sends_ready(u); spins++) {
        uring_dispatch(l);
        if (l->ready || l->dirty || l->rearm || l->closed ||
            l->sig_pending || l->stop)
            break;
        int64_t left = timeout_us;
        if (timeout_us > 0) {
            uint64_t spent = mono_us() - start;
            if (spent >= (uint64_t)timeout_us)
                break;
            left = timeout_us - (int64_t)spent;
        }
        r = wait_once(u, left);
    }
    if (r < 0 && r != -ETIME && r != -EINTR && r != -EAGAIN && r != -EBUSY)
        loop__warn_rl(l, "io_uring_enter: %s", strerror(-r));
}

static void uring_stopped(struct loop *l)
{
    io_uring_submit(&U(l)->ring);
}

static uint64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000;
}

static void uring_flush_all(struct loop *l)
{
    struct uloop *u = U(l);
    /* Sends in flight own the head of their obuf: let them finish first
     * (bounded), holding everything else that completes meanwhile. */
    l->quiet = true;
    io_uring_submit(&u->ring);
    uint64_t deadline = mono_us() + 100000;
    while (u->sends_inflight) {
        uint64_t now = mono_us();
        if (now >= deadline)
            break;
        struct __kernel_timespec ts = {
            .tv_sec = (long long)(deadline - now) / 1000000,
            .tv_nsec = (long long)((deadline - now) % 1000000) * 1000,
        };
        struct io_uring_cqe *cqe;
        io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
        uring_dispatch(l);
    }
    l->quiet = false;
    loop__write_all_sync(l, C_B_SEND);
}

static void uring_free(struct loop *l)
{
    struct uloop *u = U(l);
    /* Cancel everything synchronously so no request still points at an
     * obuf or a provided buffer when they are freed (best effort: needs
     * Linux 6.0; queue_exit cancels the rest). */
    struct io_uring_sync_cancel_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.flags = IORING_ASYNC_CANCEL_ANY;
    reg.fd = -1;
    reg.timeout.tv_sec = 1;
    io_uring_register_sync_cancel(&u->ring, &reg);
    if (u->nobufs)
        loop__log(l, 0, "io_uring: %llu receives ran out of provided "
                  "buffers and were re-armed (buf_count %u)",
                  (unsigned long long)u->nobufs, u->buf_count);
    io_uring_queue_exit(&u->ring);
    munmap(u->br, u->br_bytes);
    munmap(u->bufs, u->bufs_bytes);
    while (u->free_st) {
        struct send_st *st = u->free_st;
        u->free_st = st->next_free;
        free(st);
    }
    loop__fini(l);
    free(u);
}

static const struct loop_ops uring_ops = {
    .name = "io_uring",
    .wait = uring_wait,
    .dispatch = uring_dispatch,
    .flush = uring_flush,
    .stopped = uring_stopped,
    .free = uring_free,
    .listen = uring_listen,
    .unlisten = uring_unlisten,
    .listen_retry = uring_listen_retry,
    .watch_signals = uring_watch_signals,
    .update_read = uring_update_read,
    .close = uring_close,
    .release = uring_release,
    .flush_all = uring_flush_all,
};

/* ---- setup ---- */

static bool kernel_at_least(int major, int minor)
{
    struct utsname un;
    int ma = 0, mi = 0;
    if (uname(&un) < 0 || sscanf(un.release, "%d.%d", &ma, &mi) != 2)
        return false;
    return ma > major || (ma == major && mi >= minor);
}

/* io_uring_queue_init_params with the best flags the kernel takes. */
static int ring_init(struct uloop *u, unsigned entries, unsigned *flags_on)
{
    static const unsigned tries[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
            IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN |
            IORING_SETUP_SUBMIT_ALL,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        0,
    };
    int r = -EINVAL;
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof(p));
        p.flags = tries[i] | IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
        p.cq_entries = entries * 4;
        r = io_uring_queue_init_params(entries, &u->ring, &p);
        if (r == 0) {
            *flags_on = tries[i];
            return 0;
        }
        if (r != -EINVAL)
            return r;
    }
    return r;
}

static int buf_ring_init(struct uloop *u, const struct loop_config *cfg)
{
    unsigned n = 1;
    while (n < cfg->buf_count && n < 32768)
        n <<= 1;
    u->buf_count = n;
    u->buf_size = cfg->buf_size;
    u->buf_mask = io_uring_buf_ring_mask(n);
    long page = sysconf(_SC_PAGESIZE);
    u->br_bytes = (n * sizeof(struct io_uring_buf) + (size_t)page - 1) &
                  ~((size_t)page - 1);
    u->bufs_bytes = (size_t)n * u->buf_size;
    void *br = mmap(NULL, u->br_bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (br == MAP_FAILED)
        return -errno;
    void *bufs = mmap(NULL, u->bufs_bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (bufs == MAP_FAILED) {
        int e = -errno;
        munmap(br, u->br_bytes);
        return e;
    }
    u->br = br;
    u->bufs = bufs;
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (uint64_t)(uintptr_t)br;
    reg.ring_entries = n;
    reg.bgid = BGID;
    int r = io_uring_register_buf_ring(&u->ring, &reg, 0);
    if (r < 0) {
        munmap(br, u->br_bytes);
        munmap(bufs, u->bufs_bytes);
        return r;
    }
    io_uring_buf_ring_init(u->br);
    for (unsigned i = 0; i < n; i++)
        give_back(u, i);
    io_uring_buf_ring_advance(u->br, u->buf_added);
    u->buf_added = 0;
    return 0;
}

static void log_features(struct uloop *u, unsigned flags, bool ringfd)
{
    char f[160] = "";
    static const struct { unsigned bit; const char *name; } names[] = {
        { IORING_SETUP_SINGLE_ISSUER, " SINGLE_ISSUER" },
        { IORING_SETUP_DEFER_TASKRUN, " DEFER_TASKRUN" },
        { IORING_SETUP_COOP_TASKRUN, " COOP_TASKRUN" },
        { IORING_SETUP_SUBMIT_ALL, " SUBMIT_ALL" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit)
            strcat(f, names[i].name);
    loop__log(&u->base, 0,
              "io_uring: setup%s; sq %u cq %u; multishot accept %s, "
              "multishot recv %s, buffer ring %u x %u B%s",
              f[0] ? f : " (no flags)", u->ring.sq.ring_entries,
              u->ring.cq.ring_entries, u->ms_accept ? "on" : "off",
              u->ms_recv ? "on" : "off", u->buf_count, u->buf_size,
              ringfd ? ", registered ring fd" : "");
}

int loop__uring_new(const struct loop_config *cfg, loop_log_fn log,
                    struct loop **out, char *why, size_t why_len)
{
    struct uloop *u = calloc(1, sizeof(*u));
    if (!u)
        abort();
    loop__init(&u->base, &uring_ops, cfg, log);
    unsigned flags = 0;
    int r = ring_init(u, cfg->sq_entries, &flags);
    if (r < 0) {
        snprintf(why, why_len, "io_uring_setup: %s", strerror(-r));
        free(u);
        return r;
    }
    r = buf_ring_init(u, cfg);
    if (r < 0) {
        snprintf(why, why_len, "provided buffer ring: %s", strerror(-r));
        io_uring_queue_exit(&u->ring);
        free(u);
        return r;
    }
    u->ms_accept = kernel_at_least(5, 19);
    u->ms_recv = kernel_at_least(6, 0);
    bool ringfd = io_uring_register_ring_fd(&u->ring) == 1;
    log_features(u, flags, ringfd);
    *out = &u->base;
    return 0;
}
