/*
 * nullserver: the ceiling for the benchmark suite. It runs the same event
 * loop as ringcache (src/net/loop.h, io_uring or epoll) and frames RESP
 * requests, but stores nothing: GET gets a canned 16-byte bulk, MGET an
 * array of as many canned bulks as it has keys (so its reply is as long as
 * ringcache's), PING gets +PONG, and every other command +OK.
 *
 *   nullserver [--port 6379] [--bind 127.0.0.1]
 *              [--io-backend auto|io_uring|epoll]
 *
 * What it shows: the CPU per request that the kernel's TCP path and the
 * loop cost no matter what a server does with a request. ringcache's
 * figures are printed as a fraction of this one.
 *
 * Core idea: the framer is a byte-level state machine that keeps its whole
 * state in struct nconn, so a request split across any number of on_data
 * calls is framed without copying bytes (on_data's bytes are borrowed).
 * Only the first 4 bytes of the command name are kept, upper-cased, to tell
 * GET, MGET and PING apart. A request that lies whole in one on_data buffer
 * (the common case) takes a fast path that frames it with pointer
 * arithmetic; the state machine handles whatever is split.
 *
 *   ST_START --'*'--> ST_COUNT --digits,'\r'--> ST_LF --> ST_DOLLAR
 *   ST_DOLLAR --'$'--> ST_LEN --digits,'\r'--> ST_LF --> ST_DATA
 *   ST_DATA --len bytes--> ST_CRLF --2 bytes--> ST_DOLLAR or reply+ST_START
 *   ST_START --other byte--> ST_INLINE --'\n'--> reply +OK, ST_START
 *
 * Invariants: in ST_DATA `left` is the payload bytes still to skip; `arg`
 * counts the arguments finished; `nargs` > 0 while a multibulk is open.
 * Malformed input (a non-digit in a count or length, a missing '$') closes
 * the connection.
 */
#include "loop.h"
#include "obuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum state { ST_START, ST_COUNT, ST_DOLLAR, ST_LEN, ST_LF, ST_DATA, ST_CRLF,
             ST_INLINE };

struct nconn {
    enum state st, after_lf;  /* after_lf: where ST_LF goes next */
    long num;                 /* the count or length being read */
    long nargs, arg;
    long left;                /* payload bytes to skip in ST_DATA */
    char name[4];             /* first bytes of argument 0, upper case */
    int name_len;
};

static const char GET_REPLY[] = "$16\r\nnullnullnullnull\r\n";

static void reply(struct conn *c, struct nconn *n)
{
    struct obuf *out = conn_out(c);
    bool is4 = n->name_len == 4, is3 = n->name_len == 3;
    if (is3 && !memcmp(n->name, "GET", 3)) {
        obuf_append(out, GET_REPLY, sizeof(GET_REPLY) - 1);
    } else if (is4 && !memcmp(n->name, "MGET", 4) && n->nargs > 1) {
        char hdr[32];
        int h = snprintf(hdr, sizeof(hdr), "*%ld\r\n", n->nargs - 1);
        obuf_append(out, hdr, (size_t)h);
        for (long i = 1; i < n->nargs; i++)
            obuf_append(out, GET_REPLY, sizeof(GET_REPLY) - 1);
    } else if (is4 && !memcmp(n->name, "PING", 4)) {
        obuf_append(out, "+PONG\r\n", 7);
    } else {
        obuf_append(out, "+OK\r\n", 5);
    }
}

static void note_name(struct nconn *n, const char *p, size_t k)
{
    for (size_t i = 0; i < k && n->name_len < 5; i++, n->name_len++)
        if (n->name_len < 4)
            n->name[n->name_len] = (char)(p[i] & ~0x20);
}

/* Reads digits into n->num; returns false on a byte that is not a digit
 * or '\r'. */
static bool digit(struct nconn *n, char ch, enum state next)
{
    if (ch == '\r') {
        n->st = ST_LF;
        n->after_lf = next;
        return true;
    }
    if (ch < '0' || ch > '9')
        return false;
    n->num = n->num * 10 + (ch - '0');
    return true;
}

static void on_closed(struct conn *c)
{
    free(conn_udata(c));
}

/* Ends one argument; replies and restarts when it was the last. */
static void end_arg(struct conn *c, struct nconn *n)
{
    if (++n->arg < n->nargs) {
        n->st = ST_DOLLAR;
        return;
    }
    reply(c, n);
    n->st = ST_START;
}

/* Reads a decimal number ending in "\r\n" at *pp (bounded by e); returns
 * it and advances *pp past the "\r\n", or returns -1 (incomplete or not a
 * plain number: the caller falls back to the state machine). */
static long whole_num(const char **pp, const char *e)
{
    const char *p = *pp;
    long v = 0;
    while (p < e && *p >= '0' && *p <= '9' && v < 100000000)
        v = v * 10 + (*p++ - '0');
    if (p == *pp || e - p < 2 || p[0] != '\r' || p[1] != '\n')
        return -1;
    *pp = p + 2;
    return v;
}

/* The fast path: frames one request that lies whole in [p, e) without
 * per-byte state transitions. Returns its end, or NULL (incomplete or
 * unusual: the state machine takes over from p, nothing consumed). */
static const char *frame_whole(struct conn *c, struct nconn *n,
                               const char *p, const char *e)
{
    if (*p != '*')
        return NULL;
    p++;
    long nargs = whole_num(&p, e);
    if (nargs <= 0)
        return NULL;
    n->name_len = 0;
    for (long i = 0; i < nargs; i++) {
        if (p >= e || *p != '$')
            return NULL;
        p++;
        long len = whole_num(&p, e);
        if (len < 0 || e - p < len + 2)
            return NULL;
        if (i == 0)
            note_name(n, p, (size_t)len);
        p += len + 2;
    }
    n->nargs = nargs;
    reply(c, n);
    return p;
}

static void on_data(struct conn *c, const char *buf, size_t len)
{
    struct nconn *n = conn_udata(c);
    const char *p = buf, *e = buf + len;
    while (p < e) {
        if (n->st == ST_START) {
            const char *q = frame_whole(c, n, p, e);
            if (q) {
                p = q;
                continue;
            }
        }
        switch (n->st) {
        case ST_START:
            n->num = 0;
            n->arg = 0;
            n->name_len = 0;
            n->st = *p == '*' ? ST_COUNT : ST_INLINE;
            if (*p == '*')
                p++;
            break;
        case ST_INLINE: {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            if (!nl)
                return;
            obuf_append(conn_out(c), "+OK\r\n", 5);
            n->st = ST_START;
            p = nl + 1;
            break;
        }
        case ST_COUNT:
        case ST_LEN:
            if (!digit(n, *p++, n->st == ST_COUNT ? ST_DOLLAR : ST_DATA))
                goto bad;
            break;
        case ST_LF:
            p++;
            if (n->after_lf == ST_DOLLAR) {
                n->nargs = n->num;
                n->st = n->nargs > 0 ? ST_DOLLAR : ST_START;
            } else {
                n->left = n->num;
                n->st = ST_DATA;
            }
            break;
        case ST_DOLLAR:
            if (*p++ != '$')
                goto bad;
            n->num = 0;
            n->st = ST_LEN;
            break;
        case ST_DATA: {
            size_t k = (size_t)(e - p);
            if ((long)k > n->left)
                k = (size_t)n->left;
            if (n->arg == 0)
                note_name(n, p, k);
            p += k;
            n->left -= (long)k;
            if (n->left == 0) {
                n->left = 2;
                n->st = ST_CRLF;
            }
            break;
        }
        case ST_CRLF: {
            size_t k = (size_t)(e - p);
            if ((long)k > n->left)
                k = (size_t)n->left;
            p += k;
            n->left -= (long)k;
            if (n->left == 0)
                end_arg(c, n);
            break;
        }
        }
    }
    return;
bad:
    obuf_append(conn_out(c), "-ERR Protocol error\r\n", 21);
    conn_close_after_flush(c, on_closed);
}

static void on_eof(struct conn *c, int err)
{
    conn_close(c, on_closed);
}

static void on_accept(struct loop *l, int fd, void *arg)
{
    struct nconn *n = calloc(1, sizeof(*n));
    if (!n)
        abort();
    struct conn *c = conn_new(l, fd, n);
    conn_start(c, on_data, on_eof);
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    loop_stop(l);
}

static int listen_tcp(const char *addr, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
        return -EINVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(fd, 511) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

static void log_line(int level, const char *msg)
{
    fprintf(stderr, "nullserver: %s\n", msg);
}

int main(int argc, char **argv)
{
    const char *bind_addr = "127.0.0.1";
    int port = 6379;
    struct loop_config cfg = { .backend = LOOP_AUTO };
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--bind"))
            bind_addr = argv[i + 1];
        else if (!strcmp(argv[i], "--io-backend"))
            cfg.backend = !strcmp(argv[i + 1], "io_uring") ? LOOP_URING
                        : !strcmp(argv[i + 1], "epoll")    ? LOOP_EPOLL
                                                           : LOOP_AUTO;
        else {
            fprintf(stderr, "usage: nullserver [--port P] [--bind ADDR] "
                    "[--io-backend auto|io_uring|epoll]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    struct loop *l = loop_new(&cfg, log_line);
    if (!l)
        return 1;
    int fd = listen_tcp(bind_addr, port);
    if (fd < 0) {
        fprintf(stderr, "nullserver: listen %s:%d: %s\n", bind_addr, port,
                strerror(-fd));
        return 1;
    }
    loop_listen(l, fd, on_accept, NULL);
    loop_signal(l, SIGTERM, on_signal, NULL);
    loop_signal(l, SIGINT, on_signal, NULL);
    fprintf(stderr, "nullserver: %s on %s:%d\n", loop_backend_name(l),
            bind_addr, port);
    loop_run(l);
    loop_free(&l);
    return 0;
}
