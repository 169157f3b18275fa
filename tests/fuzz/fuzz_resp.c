/*
 * fuzz_resp.c: libFuzzer target for the RESP request parser.
 *
 * Each input is treated as the byte stream of one client connection and
 * parsed twice, the way the server does it (parse requests back to back;
 * keep the unconsumed tail; re-offer it with the next bytes):
 *   - whole: all bytes in one buffer;
 *   - chunked: in chunks whose sizes come from a PRNG seeded by a hash of
 *     the input (so a crash reproduces from the input alone), including
 *     empty chunks; every call gets a freshly malloc'd, exactly sized copy,
 *     so ASan reports any read past `len` and stale pointers kept across
 *     calls.
 * Invariants checked on every call: consumed <= len, consumed > 0 on OK and
 * 0 otherwise, every argv slice inside the buffer or the parser's scratch,
 * need > len when set, argv arrays not grown past what arrived (beyond the
 * 1024-slot preallocation). The two runs must produce the same transcript
 * (commands, error text, unconsumed tail), except that a "too big" error
 * legitimately depends on how many bytes were buffered (as in Redis); then
 * the commands before it must agree. Each parsed command is also encoded
 * with the writer and parsed back to the same arguments.
 * Limits (unauthenticated, a small proto-max-bulk-len) also come from the
 * input hash so every error path is reachable.
 */
#include "resp.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                          \
    do {                                                                  \
        if (!(c)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #c);                                        \
            abort();                                                      \
        }                                                                 \
    } while (0)

struct log {
    char *s;
    size_t len, cap;
    size_t ok_len;          /* length up to the last complete command */
    bool too_big;           /* ended with a buffering-dependent error */
};

static void log_add(struct log *l, const void *p, size_t n)
{
    if (l->len + n > l->cap) {
        l->cap = (l->len + n) * 2 + 64;
        l->s = realloc(l->s, l->cap);
        CHECK(l->s);
    }
    memcpy(l->s + l->len, p, n);
    l->len += n;
}

static void log_num(struct log *l, size_t v)
{
    char b[24];
    int n = snprintf(b, sizeof(b), "%zu:", v);
    log_add(l, b, (size_t)n);
}

static bool inside(const char *q, size_t n, const char *base, size_t blen)
{
    return q >= base && n <= blen && q <= base + blen - n;
}

/* Encodes the parsed command as a multibulk and checks it parses back. */
static void round_trip(const struct resp_parser *p)
{
    struct obuf ob;
    obuf_init(&ob);
    struct resp_w w = { .ob = &ob, .proto = 2 };
    resp_w_array(&w, p->argc);
    for (int i = 0; i < p->argc; i++)
        resp_w_bulk(&w, p->argv[i], p->argvlen[i]);
    size_t len = obuf_len(&ob);
    char *enc = malloc(len);
    CHECK(enc);
    struct iovec iov[64];
    size_t at = 0;
    while (at < len) {
        int n = obuf_iov(&ob, iov, 64);
        CHECK(n > 0);
        for (int i = 0; i < n; i++) {
            memcpy(enc + at, iov[i].iov_base, iov[i].iov_len);
            at += iov[i].iov_len;
            obuf_consume(&ob, iov[i].iov_len);
        }
    }
    struct resp_parser q;
    resp_parser_init(&q);
    struct resp_limits lim = { LLONG_MAX, false };
    size_t used;
    CHECK(resp_parse(&q, &lim, enc, len, &used) == RESP_OK);
    CHECK(used == len);
    CHECK(q.argc == p->argc);
    for (int i = 0; i < p->argc; i++) {
        CHECK(q.argvlen[i] == p->argvlen[i]);
        CHECK(memcmp(q.argv[i], p->argv[i], p->argvlen[i]) == 0);
    }
    resp_parser_free(&q);
    free(enc);
    obuf_reset(&ob);
}

static void record_ok(struct log *l, const struct resp_parser *p,
                      const char *buf, size_t len, bool check_rt)
{
    log_num(l, (size_t)p->argc);
    for (int i = 0; i < p->argc; i++) {
        const char *a = p->argv[i];
        size_t n = p->argvlen[i];
        CHECK(inside(a, n, buf, len) ||
              (p->scratch && inside(a, n, p->scratch, p->scratch_cap)));
        log_num(l, n);
        log_add(l, a, n);
    }
    log_add(l, "\n", 1);
    l->ok_len = l->len;
    if (check_rt && p->argc > 0)
        round_trip(p);
}

/* Parses requests at buf[0..len) back to back; returns bytes consumed, or
 * SIZE_MAX after an error (recorded in the log). */
static size_t run(struct resp_parser *p, const struct resp_limits *lim,
                  const char *buf, size_t len, struct log *l, bool check_rt)
{
    size_t off = 0;
    for (;;) {
        size_t used = 777;
        int rc = resp_parse(p, lim, buf + off, len - off, &used);
        if (rc == RESP_INCOMPLETE) {
            CHECK(used == 0);
            CHECK(p->need == 0 || p->need > len - off);
            CHECK(p->cap <= 1024 || p->cap <= 2 * p->nargs + 8);
            return off;
        }
        if (rc == RESP_ERR) {
            CHECK(p->err && strncmp(p->err, "Protocol error: ", 16) == 0);
            log_add(l, "E", 1);
            log_add(l, p->err, strlen(p->err));
            l->too_big = strstr(p->err, "too big") != NULL;
            /* Sticky until reset. */
            CHECK(resp_parse(p, lim, buf + off, len - off, &used) ==
                  RESP_ERR);
            return SIZE_MAX;
        }
        CHECK(rc == RESP_OK);
        CHECK(used > 0 && used <= len - off);
        record_ok(l, p, buf + off, len - off, check_rt);
        off += used;
        if (off == len)
            return off;
    }
}

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t chunk_size(uint64_t *rng, size_t left)
{
    uint64_t r = next_rand(rng);
    size_t n;
    switch (r & 7) {
    case 0: n = 0; break;
    case 1: case 2: case 3: n = 1 + (r >> 8) % 4; break;
    case 4: case 5: n = 1 + (r >> 8) % 32; break;
    case 6: n = 1 + (r >> 8) % 512; break;
    default: n = left; break;
    }
    return n < left ? n : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    struct resp_limits lim = {
        .proto_max_bulk_len = (h & 1) ? 64 : 512LL * 1024 * 1024,
        .unauthenticated = (h >> 1) & 1,
    };

    /* The prefetch hint reads nothing outside the buffer (ASan checks the
     * exactly sized copy) and, when it answers, points inside it. */
    {
        char *copy = malloc(size ? size : 1);
        memcpy(copy, data, size);
        const char *k;
        size_t kl;
        if (resp_peek_key(copy, size, &k, &kl) &&
            (k < copy || k + kl > copy + size))
            abort();
        free(copy);
    }

    /* Whole: one buffer, exactly sized. */
    struct log whole = { 0 };
    struct resp_parser p;
    resp_parser_init(&p);
    char *buf = malloc(size ? size : 1);
    CHECK(buf);
    if (size)
        memcpy(buf, in, size);
    size_t used = run(&p, &lim, buf, size, &whole, true);
    log_add(&whole, "|", 1);
    log_num(&whole, used == SIZE_MAX ? 0 : size - used);
    free(buf);
    resp_parser_free(&p);

    /* Chunked: pending tail + next chunk, fresh allocation every call. */
    struct log chunked = { 0 };
    resp_parser_init(&p);
    uint64_t rng = h;
    char *pend = NULL;
    size_t plen = 0, at = 0;
    bool failed = false;
    while (!failed) {
        size_t n = chunk_size(&rng, size - at);
        buf = malloc(plen + n ? plen + n : 1);
        CHECK(buf);
        if (plen)
            memcpy(buf, pend, plen);
        if (n)
            memcpy(buf + plen, in + at, n);
        free(pend);
        at += n;
        size_t len = plen + n;
        size_t off = len ? run(&p, &lim, buf, len, &chunked, false) : 0;
        if (off == SIZE_MAX) {
            failed = true;
            plen = 0;
            pend = NULL;
            free(buf);
            break;
        }
        plen = len - off;
        pend = malloc(plen ? plen : 1);
        CHECK(pend);
        if (plen)
            memcpy(pend, buf + off, plen);
        free(buf);
        if (at == size)
            break;
    }
    free(pend);
    log_add(&chunked, "|", 1);
    log_num(&chunked, plen);

    if (whole.too_big || chunked.too_big) {
        /* Buffering-dependent: only the commands before it must agree. */
        size_t k = whole.too_big ? whole.ok_len : chunked.ok_len;
        const struct log *other = whole.too_big ? &chunked : &whole;
        if (whole.too_big && chunked.too_big)
            k = whole.ok_len < chunked.ok_len ? whole.ok_len : chunked.ok_len;
        CHECK(other->len >= k);
        CHECK(memcmp(whole.s, chunked.s, k) == 0);
    } else {
        CHECK(whole.len == chunked.len);
        CHECK(memcmp(whole.s, chunked.s, whole.len) == 0);
    }

    /* After reset the parser is usable again. */
    resp_parser_reset(&p);
    struct resp_limits def = { 512LL * 1024 * 1024, false };
    CHECK(resp_parse(&p, &def, "PING\r\n", 6, &used) == RESP_OK);
    CHECK(p.argc == 1 && used == 6);
    resp_parser_free(&p);
    free(whole.s);
    free(chunked.s);
    return 0;
}
