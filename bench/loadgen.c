/*
 * loadgen: a closed-loop RESP load generator for the side-by-side benchmark
 * suite (bench/bench.py drives it; one JSON object per run on stdout).
 *
 *   loadgen --port P [--host 127.0.0.1] --cmd get|set|incr|mget|ping|setex
 *           [--conns 50] [--pipeline 1] [--keys 100000] [--size 16]
 *           [--mget 10] [--ttl 3600] [--seq FIRST] [--requests N]
 *           [--warmup-ms 300] [--duration-ms 2000] [--pid SERVER_PID]
 *           [--seed S] [--rate R]
 *   loadgen --port P --idle N          (hold N idle connections; see below)
 *
 * Why our own generator: redis-benchmark runs one thread that builds every
 * request through hiredis and allocates a reply object per reply; at
 * pipeline 16 that thread saturates the load generator's core before either
 * server does, so the figure measured the client. This one builds requests
 * with a memcpy of a template plus ten digits, and walks replies in place
 * without allocating, so the same core drives several times the load.
 *
 * Core idea: each of --conns connections sends a batch of --pipeline
 * requests, waits for every reply of the batch, then sends the next batch
 * (as redis-benchmark -P does). Keys are "key:%010u" (and "ctr:%010u" for
 * INCR), drawn uniformly from [0, --keys) by a xorshift generator, or
 * sequentially from --seq FIRST (the loader mode, used with --requests).
 * Values are --size bytes of 'v'.
 *
 * Measurement window: the run warms up for --warmup-ms, then measures for
 * --duration-ms (or until --requests replies when that is given, with no
 * warm-up). At both window edges it reads the server's utime+stime from
 * /proc/PID/stat (all threads) and its own CPU time, so the requests and
 * the CPU seconds cover exactly the same interval (server_run_s: the same
 * total from the per-thread schedstat nanosecond counters). Latency is the time from
 * the send() of a request's batch to the read() that completed its reply,
 * in a log-linear histogram (64 sub-buckets per power of two of
 * nanoseconds: under 1.6% error), for replies completed inside the window.
 *
 * Fixed-load mode (--rate R, requests per second in all): the same
 * connections, but open loop. Connection i sends its next batch at its
 * own schedule, every conns * pipeline / R seconds, the schedules of the
 * connections staggered evenly over one interval. A batch whose time comes
 * while the previous one is still unanswered goes out as soon as that one
 * completes, and its latency still counts from its scheduled time (so a
 * server that stalls is charged for every request it delayed, not only
 * the one in flight). This is what "p99 at the same load" means: both
 * servers get the same offered load, whatever their capacity.
 *
 * Idle mode: opens N connections, sends PING on each and waits for every
 * PONG (so the server has set each client up fully), prints one JSON line
 * {"idle":N,...} and then waits for a line or EOF on stdin before closing
 * them all. Sockets are closed with SO_LINGER 0 (RST), so repeated runs do
 * not leave tens of thousands of ports in TIME_WAIT.
 *
 * Invariants: a connection's `outstanding` counts requests sent whose reply
 * has not been parsed; a new batch is built only when it is 0 and the
 * previous batch has been written completely. Error replies are counted in
 * "errors" and still complete their request.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RBUF 65536
#define HIST_SUB 64
#define HIST_N (64 * HIST_SUB)

enum cmd_kind { C_GET, C_SET, C_INCR, C_MGET, C_PING, C_SETEX };

struct opts {
    const char *host;
    int port;
    enum cmd_kind cmd;
    const char *cmd_name;
    int conns;
    int pipeline;
    uint32_t keys;
    int size;
    int mget;
    long ttl;
    bool seq;
    uint64_t seq_first;
    uint64_t requests;        /* 0: time-based */
    long warmup_ms, duration_ms;
    int pid;
    uint64_t seed;
    int idle;
    double rate;              /* requests/s in all; 0: closed loop */
};

struct lconn {
    int fd;
    int outstanding;          /* sent requests whose reply is not parsed */
    uint64_t sent_ns;         /* when the current batch was written (fixed
                                 load: when it was due) */
    uint64_t due_ns;          /* fixed load: when the next batch is due */
    char *wbuf;               /* the batch being written */
    size_t wlen, woff;
    char *rbuf;               /* unparsed reply bytes */
    size_t rlen;
};

struct run {
    struct opts o;
    struct lconn *c;
    int ep;
    uint64_t rng;
    uint64_t next_seq;
    uint64_t issued;          /* requests put in batches (for --requests) */
    bool measuring, stopping;
    uint64_t done, errors;    /* completed inside the window */
    uint64_t hist[HIST_N];
    uint64_t lat_sum_ns, lat_max_ns;
    uint64_t interval_ns;     /* fixed load: between one conn's batches */
};

static void die(const char *what)
{
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* utime+stime of every thread of pid, in seconds; -1 when unreadable. */
static double proc_cpu_s(int pid)
{
    if (pid <= 0)
        return -1;
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    /* The command name may hold spaces: fields count from the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* After ')': state(3) ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime(14) stime(15). */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
               &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* On-CPU time of every thread of pid in seconds, from the nanosecond
 * counters in /proc/PID/task/TID/schedstat; -1 when unreadable. The kernel
 * scales utime+stime to this same total, so it is the same quantity with
 * nanosecond instead of clock-tick resolution. */
static double proc_run_s(int pid)
{
    if (pid <= 0)
        return -1;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    unsigned long long total = 0;
    bool any = false;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char p2[320];
        snprintf(p2, sizeof(p2), "/proc/%d/task/%s/schedstat", pid,
                 de->d_name);
        FILE *f = fopen(p2, "r");
        if (!f)
            continue;
        unsigned long long ns = 0;
        if (fscanf(f, "%llu", &ns) == 1) {
            total += ns;
            any = true;
        }
        fclose(f);
    }
    closedir(d);
    return any ? (double)total / 1e9 : -1;
}

/* ---- latency histogram ---- */

static unsigned hist_index(uint64_t v)
{
    if (v < HIST_SUB)
        return (unsigned)v;
    unsigned b = 63u - (unsigned)__builtin_clzll(v);      /* b >= 6 */
    unsigned sub = (unsigned)(v >> (b - 6)) & (HIST_SUB - 1);
    return (b - 5) * HIST_SUB + sub;
}

static double hist_value(unsigned i)
{
    if (i < HIST_SUB)
        return (double)i;
    unsigned b = i / HIST_SUB + 5, sub = i % HIST_SUB;
    double lo = (double)((uint64_t)(HIST_SUB + sub) << (b - 6));
    return lo + (double)(1ull << (b - 6)) / 2.0;
}

static double hist_pct(const struct run *r, double q)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < HIST_N; i++)
        total += r->hist[i];
    if (!total)
        return 0;
    uint64_t want = (uint64_t)(q * (double)total);
    if (want >= total)
        want = total - 1;
    uint64_t acc = 0;
    for (unsigned i = 0; i < HIST_N; i++) {
        acc += r->hist[i];
        if (acc > want)
            return hist_value(i);
    }
    return hist_value(HIST_N - 1);
}

/* ---- requests ---- */

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static uint64_t next_key(struct run *r)
{
    if (r->o.seq)
        return r->next_seq++;
    return xorshift(&r->rng) % r->o.keys;
}

/* Writes "$14\r\nkey:0000012345\r\n" (prefix is 4 bytes). */
static char *put_key(char *p, const char *prefix, uint64_t k)
{
    memcpy(p, "$14\r\n", 5);
    memcpy(p + 5, prefix, 4);
    char *d = p + 9 + 10;
    for (int i = 0; i < 10; i++) {
        *--d = (char)('0' + k % 10);
        k /= 10;
    }
    memcpy(p + 19, "\r\n", 2);
    return p + 21;
}

static char *put_bulk(char *p, const char *s, size_t n)
{
    p += sprintf(p, "$%zu\r\n", n);
    memcpy(p, s, n);
    memcpy(p + n, "\r\n", 2);
    return p + n + 2;
}

static size_t req_max(const struct opts *o)
{
    size_t per = 64 + (size_t)o->size + 32 * (size_t)(o->mget + 2);
    return per * (size_t)o->pipeline;
}

static char *put_request(struct run *r, char *p, const char *value)
{
    const struct opts *o = &r->o;
    switch (o->cmd) {
    case C_GET:
        memcpy(p, "*2\r\n$3\r\nGET\r\n", 13);
        return put_key(p + 13, "key:", next_key(r));
    case C_SET:
        memcpy(p, "*3\r\n$3\r\nSET\r\n", 13);
        p = put_key(p + 13, "key:", next_key(r));
        return put_bulk(p, value, (size_t)o->size);
    case C_SETEX: {
        memcpy(p, "*4\r\n$5\r\nSETEX\r\n", 15);
        p = put_key(p + 15, "key:", next_key(r));
        char ttl[24];
        int n = snprintf(ttl, sizeof(ttl), "%ld", o->ttl);
        p = put_bulk(p, ttl, (size_t)n);
        return put_bulk(p, value, (size_t)o->size);
    }
    case C_INCR:
        memcpy(p, "*2\r\n$4\r\nINCR\r\n", 14);
        return put_key(p + 14, "ctr:", next_key(r));
    case C_MGET:
        p += sprintf(p, "*%d\r\n$4\r\nMGET\r\n", o->mget + 1);
        for (int i = 0; i < o->mget; i++)
            p = put_key(p, "key:", next_key(r));
        return p;
    case C_PING:
        memcpy(p, "*1\r\n$4\r\nPING\r\n", 14);
        return p + 14;
    }
    return p;
}

/* ---- replies ---- */

/* Returns the end of the one reply starting at p, or NULL if incomplete. */
static const char *skip_reply(const char *p, const char *e)
{
    if (p >= e)
        return NULL;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl)
        return NULL;
    switch (*p) {
    case '$': {
        long n = strtol(p + 1, NULL, 10);
        if (n < 0)
            return nl + 1;
        if (e - (nl + 1) < n + 2)
            return NULL;
        return nl + 1 + n + 2;
    }
    case '*': {
        long n = strtol(p + 1, NULL, 10);
        const char *q = nl + 1;
        for (long i = 0; i < n; i++) {
            q = skip_reply(q, e);
            if (!q)
                return NULL;
        }
        return q;
    }
    default:        /* + - : and anything line-shaped */
        return nl + 1;
    }
}

/* ---- connections ---- */

static int connect_to(const struct opts *o)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)o->port) };
    if (inet_pton(AF_INET, o->host, &a.sin_addr) != 1) {
        fprintf(stderr, "loadgen: bad host %s\n", o->host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void watch(struct run *r, int i, bool want_out)
{
    struct epoll_event ev = {
        .events = EPOLLIN | (want_out ? EPOLLOUT : 0),
        .data.u32 = (uint32_t)i,
    };
    if (epoll_ctl(r->ep, EPOLL_CTL_MOD, r->c[i].fd, &ev) < 0)
        die("epoll_ctl");
}

/* Writes what is left of the batch; arms EPOLLOUT on a short write. */
static void flush_conn(struct run *r, int i)
{
    struct lconn *c = &r->c[i];
    while (c->woff < c->wlen) {
        ssize_t n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff,
                         MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) {
                watch(r, i, true);
                return;
            }
            die("send");
        }
        c->woff += (size_t)n;
    }
}

static void send_batch(struct run *r, int i)
{
    static const char value[] = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
                                "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv";
    struct lconn *c = &r->c[i];
    int n = r->o.pipeline;
    if (r->o.requests) {
        uint64_t left = r->o.requests - r->issued;
        if (left == 0)
            return;
        if ((uint64_t)n > left)
            n = (int)left;
    }
    char *p = c->wbuf;
    for (int k = 0; k < n; k++)
        p = put_request(r, p, value);
    r->issued += (uint64_t)n;
    c->wlen = (size_t)(p - c->wbuf);
    c->woff = 0;
    c->outstanding = n;
    if (r->interval_ns) {
        c->sent_ns = c->due_ns;
        c->due_ns += r->interval_ns;
    } else {
        c->sent_ns = now_ns();
    }
    flush_conn(r, i);
}

static void on_readable(struct run *r, int i)
{
    struct lconn *c = &r->c[i];
    for (;;) {
        size_t room = RBUF - c->rlen;
        ssize_t n = recv(c->fd, c->rbuf + c->rlen, room, 0);
        if (n < 0) {
            if (errno == EAGAIN)
                return;
            die("recv");
        }
        if (n == 0) {
            fprintf(stderr, "loadgen: server closed the connection\n");
            exit(2);
        }
        c->rlen += (size_t)n;
        uint64_t t = now_ns();
        const char *p = c->rbuf, *e = c->rbuf + c->rlen;
        for (;;) {
            const char *q = skip_reply(p, e);
            if (!q)
                break;
            if (r->measuring) {
                uint64_t lat = t - c->sent_ns;
                r->hist[hist_index(lat)]++;
                r->lat_sum_ns += lat;
                if (lat > r->lat_max_ns)
                    r->lat_max_ns = lat;
                r->done++;
                if (*p == '-')
                    r->errors++;
            }
            c->outstanding--;
            p = q;
        }
        c->rlen = (size_t)(e - p);
        memmove(c->rbuf, p, c->rlen);
        if (c->rlen == RBUF) {
            fprintf(stderr, "loadgen: reply larger than %d bytes\n", RBUF);
            exit(2);
        }
        if (c->outstanding <= 0 && c->woff == c->wlen && !r->stopping &&
            (!r->interval_ns || c->due_ns <= t))
            send_batch(r, i);
        if ((size_t)n < room)
            return;     /* a short read: the socket is drained */
    }
}

/* ---- modes ---- */

struct snap {
    uint64_t t_ns;
    double srv_cpu, srv_run, self_cpu;
};

static void take_snap(const struct run *r, struct snap *s)
{
    s->t_ns = now_ns();
    s->srv_cpu = proc_cpu_s(r->o.pid);
    s->srv_run = proc_run_s(r->o.pid);
    s->self_cpu = self_cpu_s();
}

static void print_result(struct run *r, const struct snap *a,
                         const struct snap *b)
{
    double secs = (double)(b->t_ns - a->t_ns) / 1e9;
    double srv = (a->srv_cpu >= 0 && b->srv_cpu >= 0)
                     ? b->srv_cpu - a->srv_cpu : -1;
    double run = (a->srv_run >= 0 && b->srv_run >= 0)
                     ? b->srv_run - a->srv_run : -1;
    printf("{\"cmd\":\"%s\",\"conns\":%d,\"pipeline\":%d,\"requests\":%llu,"
           "\"errors\":%llu,\"seconds\":%.6f,\"rps\":%.1f,"
           "\"server_cpu_s\":%.3f,\"server_run_s\":%.6f,"
           "\"client_cpu_s\":%.3f,"
           "\"p50_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f,"
           "\"mean_us\":%.2f,\"max_us\":%.2f,\"rate\":%.1f}\n",
           r->o.cmd_name, r->o.conns, r->o.pipeline,
           (unsigned long long)r->done, (unsigned long long)r->errors, secs,
           secs > 0 ? (double)r->done / secs : 0, srv, run,
           b->self_cpu - a->self_cpu, hist_pct(r, 0.50) / 1e3,
           hist_pct(r, 0.99) / 1e3, hist_pct(r, 0.999) / 1e3,
           r->done ? (double)r->lat_sum_ns / (double)r->done / 1e3 : 0,
           (double)r->lat_max_ns / 1e3, r->o.rate);
    fflush(stdout);
}

/* Fixed load: sends every idle connection's batch that is due. */
static void send_due(struct run *r)
{
    uint64_t t = now_ns();
    for (int i = 0; i < r->o.conns; i++) {
        struct lconn *c = &r->c[i];
        if (c->outstanding <= 0 && c->woff == c->wlen && c->due_ns <= t)
            send_batch(r, i);
    }
}

/* How long the event wait may sleep: 10 ms in a closed loop; under a
 * fixed load, until the earliest idle connection's batch is due. */
static const struct timespec *next_wait(struct run *r)
{
    static struct timespec ts;
    uint64_t wait = 10000000;
    if (r->interval_ns) {
        uint64_t t = now_ns();
        for (int i = 0; i < r->o.conns; i++) {
            const struct lconn *c = &r->c[i];
            if (c->outstanding > 0 || c->woff != c->wlen)
                continue;
            uint64_t w = c->due_ns > t ? c->due_ns - t : 0;
            if (w < wait)
                wait = w;
        }
    }
    ts.tv_sec = (time_t)(wait / 1000000000u);
    ts.tv_nsec = (long)(wait % 1000000000u);
    return &ts;
}

static int run_load(struct run *r)
{
    const struct opts *o = &r->o;
    r->c = calloc((size_t)o->conns, sizeof(*r->c));
    if (!r->c)
        abort();
    r->ep = epoll_create1(EPOLL_CLOEXEC);
    if (r->ep < 0)
        die("epoll_create1");
    for (int i = 0; i < o->conns; i++) {
        struct lconn *c = &r->c[i];
        c->fd = connect_to(o);
        c->wbuf = xmalloc(req_max(o));
        c->rbuf = xmalloc(RBUF);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        if (epoll_ctl(r->ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
            die("epoll_ctl");
    }
    struct snap a, b;
    uint64_t start = now_ns();
    uint64_t warm_end = start + (uint64_t)o->warmup_ms * 1000000ull;
    if (o->requests) {
        r->measuring = true;
        take_snap(r, &a);
    }
    if (o->rate > 0) {
        r->interval_ns = (uint64_t)((double)o->conns * o->pipeline * 1e9 /
                                    o->rate);
        if (r->interval_ns == 0)
            r->interval_ns = 1;
        for (int i = 0; i < o->conns; i++)
            r->c[i].due_ns = start + r->interval_ns * (uint64_t)i /
                                         (uint64_t)o->conns;
    } else {
        for (int i = 0; i < o->conns; i++)
            send_batch(r, i);
    }
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_pwait2(r->ep, evs, 256, next_wait(r), NULL);
        if (n < 0 && errno != EINTR)
            die("epoll_pwait2");
        for (int k = 0; k < n; k++) {
            int i = (int)evs[k].data.u32;
            if (evs[k].events & EPOLLOUT) {
                flush_conn(r, i);
                if (r->c[i].woff == r->c[i].wlen)
                    watch(r, i, false);
            }
            if (evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(r, i);
        }
        if (r->interval_ns)
            send_due(r);
        if (o->requests) {
            if (r->done >= o->requests)
                break;
            continue;
        }
        uint64_t t = now_ns();
        if (!r->measuring && t >= warm_end) {
            take_snap(r, &a);
            r->measuring = true;
        } else if (r->measuring &&
                   t >= a.t_ns + (uint64_t)o->duration_ms * 1000000ull) {
            break;
        }
    }
    take_snap(r, &b);
    r->measuring = false;
    print_result(r, &a, &b);
    for (int i = 0; i < o->conns; i++)
        close(r->c[i].fd);
    return 0;
}

/* Opens n connections, PINGs each, waits for every PONG, reports, then
 * waits for stdin before closing. */
static int run_idle(const struct opts *o)
{
    int n = o->idle;
    int *fds = xmalloc(sizeof(int) * (size_t)n);
    uint64_t t0 = now_ns();
    for (int i = 0; i < n; i++) {
        fds[i] = connect_to(o);
        if (send(fds[i], "*1\r\n$4\r\nPING\r\n", 14, MSG_NOSIGNAL) != 14)
            die("send");
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("epoll_create1");
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0)
            die("epoll_ctl");
    }
    int ponged = 0, errors = 0;
    struct epoll_event evs[256];
    while (ponged < n) {
        int k = epoll_wait(ep, evs, 256, 10000);
        if (k == 0) {
            fprintf(stderr, "loadgen: idle: %d of %d answered\n", ponged, n);
            return 2;
        }
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u32;
            char buf[128];
            ssize_t m = recv(fds[i], buf, sizeof(buf), 0);
            if (m <= 0)
                die("idle recv");
            if (buf[0] != '+')
                errors++;
            ponged++;
            epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
        }
    }
    printf("{\"idle\":%d,\"errors\":%d,\"open_seconds\":%.3f}\n", n, errors,
           (double)(now_ns() - t0) / 1e9);
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof(line), stdin)) {
        /* EOF: close as well */
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: loadgen --port P --cmd get|set|incr|mget|ping|setex\n"
            "  [--host H] [--conns N] [--pipeline N] [--keys N] [--size N]\n"
            "  [--mget N] [--ttl S] [--seq FIRST] [--requests N]\n"
            "  [--warmup-ms MS] [--duration-ms MS] [--pid PID] [--seed S] [--rate R]\n"
            "       loadgen --port P --idle N\n");
    exit(2);
}

static void parse_cmd(struct opts *o, const char *s)
{
    static const struct { const char *name; enum cmd_kind k; } tab[] = {
        { "get", C_GET }, { "set", C_SET }, { "incr", C_INCR },
        { "mget", C_MGET }, { "ping", C_PING }, { "setex", C_SETEX },
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (!strcmp(s, tab[i].name)) {
            o->cmd = tab[i].k;
            o->cmd_name = tab[i].name;
            return;
        }
    usage();
}

static void parse_args(struct opts *o, int argc, char **argv)
{
    *o = (struct opts){ .host = "127.0.0.1", .cmd = C_PING,
                        .cmd_name = "ping", .conns = 50, .pipeline = 1,
                        .keys = 100000, .size = 16, .mget = 10, .ttl = 3600,
                        .warmup_ms = 300, .duration_ms = 2000, .seed = 1 };
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (!strcmp(k, "--host"))
            o->host = v;
        else if (!strcmp(k, "--port"))
            o->port = atoi(v);
        else if (!strcmp(k, "--cmd"))
            parse_cmd(o, v);
        else if (!strcmp(k, "--conns"))
            o->conns = atoi(v);
        else if (!strcmp(k, "--pipeline"))
            o->pipeline = atoi(v);
        else if (!strcmp(k, "--keys"))
            o->keys = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--size"))
            o->size = atoi(v);
        else if (!strcmp(k, "--mget"))
            o->mget = atoi(v);
        else if (!strcmp(k, "--ttl"))
            o->ttl = atol(v);
        else if (!strcmp(k, "--seq")) {
            o->seq = true;
            o->seq_first = strtoull(v, NULL, 10);
        } else if (!strcmp(k, "--requests"))
            o->requests = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--warmup-ms"))
            o->warmup_ms = atol(v);
        else if (!strcmp(k, "--duration-ms"))
            o->duration_ms = atol(v);
        else if (!strcmp(k, "--pid"))
            o->pid = atoi(v);
        else if (!strcmp(k, "--seed"))
            o->seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--idle"))
            o->idle = atoi(v);
        else if (!strcmp(k, "--rate"))
            o->rate = atof(v);
        else
            usage();
    }
    if (o->port <= 0 || o->conns <= 0 || o->pipeline <= 0 || o->keys == 0 ||
        o->size < 0 || o->size > 96 || o->mget <= 0 || o->mget > 100)
        usage();
}

int main(int argc, char **argv)
{
    static struct run r;
    parse_args(&r.o, argc, argv);
    /* Many connections need many descriptors: take the hard limit. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (r.o.idle > 0)
        return run_idle(&r.o);
    r.rng = r.o.seed * 0x9E3779B97F4A7C15ull + 1;
    r.next_seq = r.o.seq_first;
    return run_load(&r);
}
