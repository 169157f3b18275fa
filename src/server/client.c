/*
 * client.c: a client's life: accept, input framing, dispatch, output
 * limits, timeouts, close.
 *
 * Input path: bytes arrive borrowed from the loop. When the client has no
 * partial request pending, requests are parsed in place from those bytes
 * and dispatched one by one (pipelining is just this loop); only the tail of
 * an incomplete request is copied into the client's query buffer, and the
 * next bytes are appended there until it completes.
 *
 *   recv bytes: [req][req][req][partial...]
 *                 dispatched in place   copied to qbuf ─┐
 *   next recv:                          qbuf += bytes ◀─┘
 *
 * Invariant: a partial request, if any, starts at qbuf[0], and the parser's
 * state refers to it (resp.h: "call again with the same bytes + more").
 *
 * Memory latency: a key lookup's two cache misses (the hash bucket, then
 * the entry) are started before the request's turn comes, never changing
 * what runs: within a pipeline by parsing two requests ahead (process()),
 * and across clients by the loop's peek hook, which shows client_peek the
 * bytes of completions still to be dispatched (pipeline 1, many clients).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "errors.h"

static void on_data(struct conn *conn, const char *buf, size_t len);
static void on_eof(struct conn *conn, int err);

static void fmt_addr(const struct sockaddr_storage *ss, char *out,
                     size_t outlen)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
        port = ntohs(a->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
        port = ntohs(a->sin6_port);
    }
    snprintf(out, outlen, "%s:%d", ip, port);
}

static void set_sock_opts(int fd, int keepalive)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (keepalive > 0) {
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
        int idle = keepalive, intvl = keepalive / 3 ? keepalive / 3 : 1;
        int cnt = 3;
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
    }
}

void client_accept(struct loop *l, int fd, void *arg)
{
    struct server *s = arg;
    s->stats.total_connections++;
    if (s->shutting_down) {
        close(fd);
        return;
    }
    if (s->nclients >= (size_t)s->cfg->maxclients) {
        static const char msg[] = "-" ERR_MAXCLIENTS "\r\n";
        ssize_t w = write(fd, msg, sizeof(msg) - 1);
        (void)w;
        close(fd);
        s->stats.rejected_connections++;
        return;
    }
    set_sock_opts(fd, s->cfg->tcp_keepalive);

    struct client *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    c->srv = s;
    c->id = ++s->next_client_id;
    c->fd = fd;
    c->proto = 2;
    c->db = &s->ks->dbs[0];
    c->ctime_ms = c->last_ms = loop_now(l);
    for (int i = 0; i < 3; i++)
        resp_parser_init(&c->parsers[i]);
    c->parser = &c->parsers[0];
    c->ahead = &c->parsers[1];
    c->ahead2 = &c->parsers[2];
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0)
        fmt_addr(&ss, c->addr, sizeof(c->addr));
    sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        fmt_addr(&ss, c->laddr, sizeof(c->laddr));
    if (!s->cfg->requirepass[0])
        c->flags |= CL_AUTHED;

    c->next = s->clients;
    if (s->clients)
        s->clients->prev = c;
    s->clients = c;
    s->nclients++;

    c->conn = conn_new(l, fd, c);
    conn_start(c->conn, on_data, on_eof);
}

size_t client_out_pending(const struct client *c)
{
    return conn_out_pending(c->conn);
}

static void on_closed(struct conn *conn)
{
    struct client *c = conn_udata(conn);
    for (int i = 0; i < 3; i++)
        resp_parser_free(&c->parsers[i]);
    free(c->qbuf);
    free(c->name);
    free(c->lib_name);
    free(c->lib_ver);
    free(c);
}

void client_close(struct client *c, bool after_flush)
{
    if (c->flags & CL_CLOSED)
        return;
    struct server *s = c->srv;
    c->flags |= CL_CLOSED;
    multi_client_gone(c);
    if (c->flags & CL_MONITOR) {
        for (size_t i = 0; i < s->nmonitors; i++)
            if (s->monitors[i] == c) {
                s->monitors[i] = s->monitors[--s->nmonitors];
                break;
            }
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        s->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nclients--;
    if (after_flush)
        conn_close_after_flush(c->conn, on_closed);
    else
        conn_close(c->conn, on_closed);
}

static void on_eof(struct conn *conn, int err)
{
    client_close(conn_udata(conn), false);
}

/* Enforces client-output-buffer-limit; returns false if c was closed. */
static bool check_output_limit(struct client *c)
{
    struct server *s = c->srv;
    size_t pending = conn_out_pending(c->conn);
    if (pending == 0) {
        c->soft_limit_since_ms = 0;
        return true;
    }
    const struct cob_limit *l =
        &s->cfg->cob[(c->flags & CL_PUBSUB) ? COB_PUBSUB : COB_NORMAL];
    bool over = false;
    if (l->hard && pending >= l->hard)
        over = true;
    if (l->soft && pending >= l->soft) {
        uint64_t now = loop_now(s->loop);
        if (!c->soft_limit_since_ms)
            c->soft_limit_since_ms = now;
        else if (now - c->soft_limit_since_ms >=
                 (uint64_t)l->soft_seconds * 1000)
            over = true;
    } else {
        c->soft_limit_since_ms = 0;
    }
    if (over) {
        log_msg(LOG_WARNING, "Client id=%llu addr=%s scheduled to be closed "
                "ASAP for overcoming of output buffer limits.",
                (unsigned long long)c->id, c->addr);
        s->stats.client_outbuf_limit_disconnections++;
        client_close(c, false);
        return false;
    }
    return true;
}

static void protocol_error(struct client *c, const char *err)
{
    struct resp_w w = { .ob = conn_out(c->conn), .proto = c->proto };
    char msg[256];
    int n = snprintf(msg, sizeof(msg), "ERR %s", err);
    resp_w_error(&w, msg, (size_t)n);
    log_msg(LOG_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s",
            err, (unsigned long long)c->id, c->addr);
    client_close(c, true);
}

/* Parses the request at buf[0..len) into *p for early use. Leaves no
 * partial state behind: an incomplete or bad request is parsed again by
 * the main parser when its turn comes. Returns the bytes it spans, or 0. */
static size_t parse_early(struct resp_parser *p, const struct resp_limits *lim,
                          const char *buf, size_t len)
{
    size_t used = 0;
    if (lim->unauthenticated || len == 0)
        return 0;
    if (resp_parse(p, lim, buf, len, &used) != RESP_OK) {
        resp_parser_reset(p);
        return 0;
    }
    return used;
}

/* Parses and runs the whole requests at buf[0..len). Returns the number of
 * bytes consumed; stops early when the client is closed or held.
 *
 * With pipelining, key lookups are warmed two requests ahead so that their
 * memory latency overlaps the work of the request running now: while
 * request i runs, request i+2 is parsed (c->ahead2) and its key's bucket
 * starts loading, and request i+1 (c->ahead), whose bucket was started one
 * request ago, has its entry loaded from that bucket. Each request is
 * parsed once; the three parsers rotate. */
static size_t process(struct client *c, const char *buf, size_t len)
{
    struct server *s = c->srv;
    struct resp_limits lim = {
        .proto_max_bulk_len = s->cfg->proto_max_bulk_len,
        .unauthenticated = !(c->flags & CL_AUTHED),
    };
    size_t off = 0, used = 0;
    size_t n1 = 0;              /* c->ahead holds the request at off+used */
    /* Set by a rotation: c->parser holds the request at off (parsed early),
     * and c->ahead, if any, was parsed as c->ahead2 with its bucket started
     * (h1). */
    bool have = false;
    struct db_hint h1, h2;
    while (off < len) {
        if (c->flags & (CL_CLOSED | CL_PAUSED | CL_CLOSE_AFTER_REPLY))
            break;
        if (!have) {
            int rc = resp_parse(c->parser, &lim, buf + off, len - off,
                                &used);
            if (rc == RESP_INCOMPLETE)
                break;
            if (rc == RESP_ERR) {
                protocol_error(c, c->parser->err);
                return len;
            }
            /* After a rotation the next request was tried as c->ahead2
             * already: if it did not parse then, it does not now. */
            n1 = parse_early(c->ahead, &lim, buf + off + used,
                             len - off - used);
        }
        size_t n2 = 0;
        if (n1) {
            struct resp_parser *a = c->ahead, *b = c->ahead2;
            if (have)
                db_prefetch_entry(c->db, &h1);
            else if (a->argc >= 2)
                db_prefetch(c->db, a->argv[1], a->argvlen[1], &h1);
            n2 = parse_early(b, &lim, buf + off + used + n1,
                             len - off - used - n1);
            h2.valid = false;
            if (n2 && b->argc >= 2)
                db_prefetch(c->db, b->argv[1], b->argvlen[1], &h2);
        }
        struct resp_parser *p = c->parser;
        if (p->argc > 0) {
            if (!cmd_dispatch(c, p->argc, p->argv, p->argvlen)) {
                /* Held by CLIENT PAUSE: keep this request for later. */
                c->flags |= CL_PAUSED;
                resp_parser_reset(p);
                break;
            }
            lim.unauthenticated = !(c->flags & CL_AUTHED);
        }
        off += used;
        if (c->flags & CL_CLOSED)
            return len;
        if (!check_output_limit(c))
            return len;
        have = n1 > 0;
        if (have) {
            /* parser <- ahead <- ahead2 <- (the spent parser) */
            c->parser = c->ahead;
            c->ahead = c->ahead2;
            c->ahead2 = p;
            used = n1;
            n1 = n2;
            h1 = h2;
        }
    }
    if (c->flags & CL_CLOSE_AFTER_REPLY)
        client_close(c, true);
    return off;
}

void client_peek(struct conn *conn, const char *buf, size_t len)
{
    struct client *c = conn_udata(conn);
    struct server *s = c->srv;
    /* The slot this call reuses holds the bucket started two calls ago:
     * by now it has arrived, so its entry can be started. */
    unsigned i = s->peek_next;
    s->peek_next = i ^ 1;
    if (s->peek[i].pending) {
        db_prefetch_entry(s->peek[i].db, &s->peek[i].hint);
        s->peek[i].pending = false;
    }
    const char *key;
    size_t klen;
    if (c->qlen || (c->flags & (CL_CLOSED | CL_PAUSED)) ||
        !(c->flags & CL_AUTHED) || !resp_peek_key(buf, len, &key, &klen))
        return;
    db_prefetch(c->db, key, klen, &s->peek[i].hint);
    s->peek[i].db = c->db;
    s->peek[i].pending = true;
}

static void qbuf_reserve(struct client *c, size_t extra)
{
    if (c->qlen + extra <= c->qcap)
        return;
    size_t cap = c->qcap ? c->qcap : 1024;
    while (cap < c->qlen + extra)
        cap *= 2;
    c->qbuf = realloc(c->qbuf, cap);
    if (!c->qbuf)
        abort();
    c->qcap = cap;
}

/* Keeps the unconsumed tail [off, len) of src as the pending request. */
static void keep_tail(struct client *c, const char *src, size_t len,
                      size_t off)
{
    size_t rest = len - off;
    if (src == c->qbuf) {
        if (off)
            memmove(c->qbuf, c->qbuf + off, rest);
        c->qlen = rest;
    } else {
        c->qlen = 0;
        qbuf_reserve(c, rest);
        memcpy(c->qbuf, src + off, rest);
        c->qlen = rest;
    }
    /* Give back a big buffer once it is no longer needed. */
    if (c->qlen == 0 && c->qcap > 65536) {
        free(c->qbuf);
        c->qbuf = NULL;
        c->qcap = 0;
    }
}

static void on_data(struct conn *conn, const char *buf, size_t len)
{
    struct client *c = conn_udata(conn);
    struct server *s = c->srv;
    if (c->flags & CL_CLOSED)
        return;
    c->last_ms = loop_now(s->loop);
    c->tot_net_in += len;
    s->stats.net_in += len;

    if (c->qlen == 0 && !(c->flags & CL_PAUSED)) {
        size_t off = process(c, buf, len);
        if (!(c->flags & CL_CLOSED) && off < len)
            keep_tail(c, buf, len, off);
        goto limits;
    }
    if (c->parser->need && c->parser->need > c->qlen + len)
        qbuf_reserve(c, c->parser->need - c->qlen);
    qbuf_reserve(c, len);
    memcpy(c->qbuf + c->qlen, buf, len);
    c->qlen += len;
    if (!(c->flags & CL_PAUSED)) {
        size_t off = process(c, c->qbuf, c->qlen);
        if (!(c->flags & CL_CLOSED))
            keep_tail(c, c->qbuf, c->qlen, off);
    }
limits:
    if (c->flags & CL_CLOSED)
        return;
    if (c->qlen > c->qpeak)
        c->qpeak = c->qlen;
    if (c->qlen > (size_t)s->cfg->client_query_buffer_limit) {
        log_msg(LOG_WARNING, "Closing client that reached max query buffer "
                "length: id=%llu addr=%s qbuf=%zu",
                (unsigned long long)c->id, c->addr, c->qlen);
        s->stats.client_qbuf_limit_disconnections++;
        client_close(c, false);
    }
}

void client_resume_paused(struct server *s)
{
    struct client *c = s->clients;
    while (c) {
        struct client *next = c->next;
        if (c->flags & CL_PAUSED) {
            c->flags &= ~CL_PAUSED;
            size_t off = process(c, c->qbuf, c->qlen);
            if (!(c->flags & CL_CLOSED))
                keep_tail(c, c->qbuf, c->qlen, off);
        }
        c = next;
    }
}

void client_cron(struct server *s, uint64_t now_ms)
{
    int timeout = s->cfg->timeout;
    struct client *c = s->clients;
    while (c) {
        struct client *next = c->next;
        if (timeout > 0 && !(c->flags & (CL_PUBSUB | CL_MONITOR)) &&
            now_ms - c->last_ms > (uint64_t)timeout * 1000) {
            log_msg(LOG_VERBOSE, "Closing idle client");
            client_close(c, false);
        } else if (!(c->flags & CL_CLOSED)) {
            check_output_limit(c);
        }
        c = next;
    }
}

void client_free_all(struct server *s)
{
    while (s->clients)
        client_close(s->clients, true);
}

void client_info_line(struct client *c, FILE *f, uint64_t now_ms)
{
    char flags[16];
    int n = 0;
    if (c->flags & CL_MULTI)
        flags[n++] = 'x';
    if (c->flags & CL_MONITOR)
        flags[n++] = 'O';
    if (c->flags & CL_PUBSUB)
        flags[n++] = 'P';
    if (c->flags & CL_CLOSE_ASAP)
        flags[n++] = 'A';
    if (c->flags & CL_NO_EVICT)
        flags[n++] = 'e';
    if (n == 0)
        flags[n++] = 'N';
    flags[n] = 0;
    size_t omem = conn_out_pending(c->conn);
    fprintf(f, "id=%llu addr=%s laddr=%s fd=%d name=%s age=%llu idle=%llu "
            "flags=%s db=%d sub=0 psub=0 ssub=0 multi=%d qbuf=%zu "
            "qbuf-free=%zu argv-mem=0 multi-mem=0 rbs=%zu rbp=%zu obl=0 "
            "oll=0 omem=%zu tot-mem=%zu events=r cmd=%s user=default "
            "redir=-1 resp=%d lib-name=%s lib-ver=%s",
            (unsigned long long)c->id, c->addr, c->laddr, c->fd,
            c->name ? c->name : "",
            (unsigned long long)((now_ms - c->ctime_ms) / 1000),
            (unsigned long long)((now_ms - c->last_ms) / 1000), flags,
            c->dbid, (c->flags & CL_MULTI) ? c->mqlen : -1, c->qlen,
            c->qcap - c->qlen, c->qcap, c->qpeak, omem,
            sizeof(*c) + c->qcap + omem,
            c->last_cmd ? c->last_cmd : "NULL", c->proto,
            c->lib_name ? c->lib_name : "", c->lib_ver ? c->lib_ver : "");
}
