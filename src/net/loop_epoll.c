/*
 * loop_epoll.c: the epoll backend of net/loop.h, for kernels or sandboxes
 * where io_uring is unavailable.
 *
 * Core idea: readiness, level-triggered. A readable connection gets one
 * read() per turn into a single loop-wide 64 KiB buffer that goes straight
 * to on_data (borrowed, so nothing is copied per conn). Output is written
 * at the end of the turn by one sendmsg() loop per dirty connection; only
 * when the socket says EAGAIN is EPOLLOUT registered, and it is removed
 * again once the obuf drains. Timers bound epoll_wait's timeout; signals
 * come from the signalfd like any other fd.
 *
 * epoll_event.data.u64 = pointer | tag (tag in the low 2 bits):
 *   0 struct conn, 1 struct loop_listener, 2 the signalfd (pointer: eloop).
 *
 * Invariants:
 *   - C_B_RECV / C_B_SEND mirror EPOLLIN / EPOLLOUT in the registered mask
 *     and C_B_REG says whether the fd is in the set at all. A conn is never
 *     registered with an empty mask: EPOLLHUP/EPOLLERR are always reported
 *     and would spin, so an empty mask means EPOLL_CTL_DEL.
 *   - C_B_SEND (EPOLLOUT registered) means the last write hit EAGAIN; the
 *     flush skips the conn until EPOLLOUT fires (C_B_WRITABLE).
 *   - Events of one epoll_wait are handled before any conn is freed, and a
 *     freed conn's fd was closed before the next epoll_wait.
 */
#include "loop.h"
#include "loop_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TAG_CONN, TAG_LISTENER, TAG_SIGNAL };
#define TAG_MASK 3ull
#define RBUF_SIZE 65536
#define EV_BATCH 256
#define ACCEPT_BUDGET 64

struct eloop {
    struct loop base;
    int epfd;
    int nev;
    char *rbuf;
    struct epoll_event ev[EV_BATCH];
};

static inline struct eloop *E(struct loop *l)
{
    return (struct eloop *)l;
}

static inline uint64_t tag(const void *p, unsigned t)
{
    return (uint64_t)(uintptr_t)p | t;
}

/* Makes the registration match wants_read(c) and want_out. */
static void ep_sync(struct conn *c, bool want_out)
{
    struct eloop *e = E(c->loop);
    bool in = loop__wants_read(c);
    uint32_t want = (in ? C_B_RECV : 0) | (want_out ? C_B_SEND : 0);
    uint32_t have = c->flags & (C_B_RECV | C_B_SEND);
    if (want == have)
        return;
    if (!want) {
        if (c->flags & C_B_REG)
            epoll_ctl(e->epfd, EPOLL_CTL_DEL, c->fd, NULL);
        c->flags &= ~(C_B_REG | C_B_RECV | C_B_SEND);
        return;
    }
    struct epoll_event ev = {
        .events = (in ? EPOLLIN : 0u) | (want_out ? EPOLLOUT : 0u),
        .data.u64 = tag(c, TAG_CONN),
    };
    int op = (c->flags & C_B_REG) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(e->epfd, op, c->fd, &ev) < 0) {
        /* (ENOMEM, ENOSPC: max_user_watches) the conn would never hear
         * from its socket again: report it so the caller closes it. */
        int err = -errno;
        loop__warn_rl(c->loop, "epoll_ctl(fd %d): %s", c->fd,
                      strerror(-err));
        c->flags |= C_RSTOP;
        loop__conn_eof_later(c, err);
        return;
    }
    c->flags = (c->flags & ~(C_B_RECV | C_B_SEND)) | want | C_B_REG;
}

static void ep_update_read(struct conn *c)
{
    ep_sync(c, c->flags & C_B_SEND);
}

static void ep_close(struct conn *c)
{
    ep_sync(c, false);   /* closing: deregisters */
}

static void ep_release(struct conn *c)
{
    if (c->flags & C_B_REG)
        epoll_ctl(E(c->loop)->epfd, EPOLL_CTL_DEL, c->fd, NULL);
    c->flags &= ~(C_B_REG | C_B_RECV | C_B_SEND);
}

static void do_read(struct eloop *e, struct conn *c)
{
    ssize_t n = read(c->fd, e->rbuf, RBUF_SIZE);
    if (n > 0) {
        loop__conn_data(c, e->rbuf, (size_t)n);
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    int err = n == 0 ? 0 : -errno;
    c->flags |= C_RSTOP;
    ep_update_read(c);
    loop__conn_eof(c, err);
}

/* ---- accept ---- */

static bool accept_err_transient_conn(int err)
{
    return err == ECONNABORTED || err == EINTR || err == EPROTO ||
           err == EPERM;
}

static void do_accept(struct eloop *e, struct loop_listener *li)
{
    struct loop *l = &e->base;
    for (int i = 0; i < ACCEPT_BUDGET && li->fd >= 0; i++) {
        int fd = accept4(li->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            li->cb(l, fd, li->arg);
            continue;
        }
        int err = errno;
        if (err == EAGAIN || err == EWOULDBLOCK)
            return;
        if (accept_err_transient_conn(err)) {
            if (err != EINTR)
                loop__warn_rl(l, "accept: %s", strerror(err));
            continue;
        }
        /* Out of fds or memory: level-triggered readiness would spin, so
         * leave the set and come back shortly. */
        loop__warn_rl(l, "accept: %s; accepting again in 100 ms",
                      strerror(err));
        epoll_ctl(e->epfd, EPOLL_CTL_DEL, li->fd, NULL);
        li->armed = false;
        loop__timer_arm(&li->retry, LOOP_ACCEPT_RETRY_MS);
        return;
    }
}

static int ep_listen(struct loop *l, struct loop_listener *li)
{
    struct epoll_event ev = {
        .events = EPOLLIN,
        .data.u64 = tag(li, TAG_LISTENER),
    };
    if (epoll_ctl(E(l)->epfd, EPOLL_CTL_ADD, li->fd, &ev) < 0)
        return -errno;
    li->armed = true;
    return 0;
}

static void ep_listen_retry(struct loop *l, struct loop_listener *li)
{
    if (!li->armed && ep_listen(l, li) < 0)
        loop__timer_arm(&li->retry, LOOP_ACCEPT_RETRY_MS);
}

static void ep_unlisten(struct loop *l, struct loop_listener *li)
{
    if (li->armed)
        epoll_ctl(E(l)->epfd, EPOLL_CTL_DEL, li->fd, NULL);
    li->armed = false;
    close(li->fd);
    li->fd = -1;
}

static int ep_watch_signals(struct loop *l)
{
    struct epoll_event ev = {
        .events = EPOLLIN,
        .data.u64 = tag(E(l), TAG_SIGNAL),
    };
    return epoll_ctl(E(l)->epfd, EPOLL_CTL_ADD, l->sigfd, &ev) < 0 ? -errno
                                                                   : 0;
}

/* ---- the turn ---- */

static void ep_wait(struct loop *l, int64_t timeout_us)
{
    struct eloop *e = E(l);
    int ms = timeout_us < 0 ? -1
             : timeout_us > (int64_t)1 << 40
                 ? 1 << 30
                 : (int)((timeout_us + 999) / 1000);
    int n = epoll_wait(e->epfd, e->ev, EV_BATCH, ms);
    if (n < 0) {
        if (errno != EINTR)
            loop__warn_rl(l, "epoll_wait: %s", strerror(errno));
        n = 0;
    }
    e->nev = n;
}

static void ep_dispatch(struct loop *l)
{
    struct eloop *e = E(l);
    for (int i = 0; i < e->nev; i++) {
        uint64_t d = e->ev[i].data.u64;
        uint32_t evs = e->ev[i].events;
        void *p = (void *)(uintptr_t)(d & ~TAG_MASK);
        switch (d & TAG_MASK) {
        case TAG_CONN: {
            struct conn *c = p;
            if ((c->flags & C_B_RECV) &&
                (evs & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                do_read(e, c);
            if ((c->flags & C_B_SEND) && !(c->flags & C_CLOSING) &&
                (evs & (EPOLLOUT | EPOLLHUP | EPOLLERR))) {
                c->flags |= C_B_WRITABLE;
                loop__mark_dirty(c);
            }
            break;
        }
        case TAG_LISTENER: {
            struct loop_listener *li = p;
            if (li->fd >= 0 && li->armed)
                do_accept(e, li);
            break;
        }
        case TAG_SIGNAL:
            loop__read_signals(l);
            break;
        }
    }
    e->nev = 0;
}

static void flush_conn(struct conn *c)
{
    if (c->flags & C_CLOSING)
        return;
    if (c->flags & C_WERR)
        obuf_reset(&c->out);
    if ((c->flags & (C_B_SEND | C_B_WRITABLE)) == C_B_SEND)
        return;   /* still blocked: wait for EPOLLOUT */
    c->flags &= ~C_B_WRITABLE;
    if (obuf_len(&c->out)) {
        int r = loop__write_sync(c);
        if (r == -EAGAIN) {
            if (!(c->flags & C_B_SEND))
                ep_sync(c, true);
            return;
        }
        if (r < 0) {
            c->flags |= C_WERR;
            obuf_reset(&c->out);
            if (c->flags & C_CAF) {
                loop__conn_close_now(c);
                return;
            }
            loop__conn_eof_later(c, r);
        }
    }
    if (c->flags & C_B_SEND)
        ep_sync(c, false);
    if (c->flags & C_CAF)
        loop__conn_close_now(c);
}

static void ep_flush(struct loop *l)
{
    struct conn *r = l->rearm;   /* unused by epoll; keep the list empty */
    l->rearm = NULL;
    while (r) {
        r->flags &= ~C_ON_REARM;
        r = r->rearm_next;
    }
    struct conn *d = l->dirty;
    l->dirty = NULL;
    while (d) {
        struct conn *c = d;
        d = c->dirty_next;
        c->flags &= ~C_ON_DIRTY;
        flush_conn(c);
    }
}

static void ep_stopped(struct loop *l)
{
    (void)l;   /* every write already happened in the flush */
}

static void ep_flush_all(struct loop *l)
{
    loop__write_all_sync(l, 0);
}

static void ep_free(struct loop *l)
{
    struct eloop *e = E(l);
    close(e->epfd);
    free(e->rbuf);
    loop__fini(l);
    free(e);
}

static const struct loop_ops epoll_ops = {
    .name = "epoll",
    .wait = ep_wait,
    .dispatch = ep_dispatch,
    .flush = ep_flush,
    .stopped = ep_stopped,
    .free = ep_free,
    .listen = ep_listen,
    .unlisten = ep_unlisten,
    .listen_retry = ep_listen_retry,
    .watch_signals = ep_watch_signals,
    .update_read = ep_update_read,
    .close = ep_close,
    .release = ep_release,
    .flush_all = ep_flush_all,
};

int loop__epoll_new(const struct loop_config *cfg, loop_log_fn log,
                    struct loop **out, char *why, size_t why_len)
{
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) {
        int e = -errno;
        snprintf(why, why_len, "epoll_create1: %s", strerror(errno));
        return e;
    }
    struct eloop *e = calloc(1, sizeof(*e));
    char *rbuf = malloc(RBUF_SIZE);
    if (!e || !rbuf)
        abort();
    loop__init(&e->base, &epoll_ops, cfg, log);
    e->epfd = fd;
    e->rbuf = rbuf;
    *out = &e->base;
    return 0;
}
