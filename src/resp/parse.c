/*
 * parse.c: incremental RESP request parser (multibulk and inline) with
 * Redis 7.0's exact acceptance rules and error texts.
 *
 * Core idea: the parser never copies a multibulk argument. It records, per
 * element, an offset from the start of the request and a length; on RESP_OK
 * it turns the offsets into pointers into the caller's buffer. Because only
 * offsets are kept across calls, the caller may move the pending bytes
 * (compact or realloc its query buffer) between an RESP_INCOMPLETE and the
 * next call, and parsing resumes where it stopped instead of rescanning.
 *
 * States (p->state), all positions relative to buf[0] = start of request:
 *
 *   START --'*'--> MB_COUNT --"*<n>\r?"--> BULK_HDR --"$<len>\r?"--> BULK_DATA
 *     |               |  n <= 0: OK, argc 0      ^                    |
 *     |               v                          +-- <len> bytes + 2 -+
 *     |             ERROR (sticky until reset)       (n times, then OK)
 *     +--other--> INLINE --"...\n"--> split like sdssplitargs, OK
 *
 * Redis quirks kept on purpose (each checked against redis-server 7.0.15):
 *  - a header line ends at the first CR; the byte after it is skipped
 *    unchecked, as are the two bytes after a bulk's payload;
 *  - Redis searches its NUL-terminated query buffer with strchr, so a NUL
 *    byte before the CR (header) or LF (inline) hides the line end: the
 *    request stays incomplete until the 64 KiB limit turns it into an error;
 *  - numbers follow string2ll: optional '-', no '+', no leading zeros, no
 *    spaces, fewer than 21 characters, no overflow;
 *  - a multibulk count <= 0 is an empty request (argc 0); counts above
 *    INT_MAX are invalid (7.0 dropped the old 1024*1024 cap).
 *
 * Invariants: p->scan >= start of the line being searched and <= len of the
 * last call; p->nargs <= p->mbulk <= INT_MAX; p->cap >= p->nargs; argv,
 * argvlen and off always have p->cap slots. Memory held per parser is
 * bounded by what arrived: arrays grow with elements, never with a declared
 * count beyond PREALLOC_MAX.
 */
#include "resp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_START = 0, ST_MB_COUNT, ST_BULK_HDR, ST_BULK_DATA, ST_INLINE,
       ST_ERROR };

#define PREALLOC_MAX 1024           /* slots reserved from a declared count */
#define UNAUTH_MBULK 10
#define UNAUTH_BULK 16384
#define SCRATCH_KEEP (64 * 1024)    /* larger scratch is dropped after use */
/* Marks an off[] entry as an offset into p->scratch instead of buf. */
#define IN_SCRATCH ((size_t)1 << (sizeof(size_t) * CHAR_BIT - 1))

static const char ERR_MBULK[] = "Protocol error: invalid multibulk length";
static const char ERR_BULK[] = "Protocol error: invalid bulk length";
static const char ERR_BIG_MBULK[] =
    "Protocol error: too big mbulk count string";
static const char ERR_BIG_BULK[] = "Protocol error: too big bulk count string";
static const char ERR_BIG_INLINE[] = "Protocol error: too big inline request";
static const char ERR_UNAUTH_MBULK[] =
    "Protocol error: unauthenticated multibulk length";
static const char ERR_UNAUTH_BULK[] =
    "Protocol error: unauthenticated bulk length";
static const char ERR_QUOTES[] =
    "Protocol error: unbalanced quotes in request";

void resp_parser_init(struct resp_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->bulk = -1;
}

void resp_parser_free(struct resp_parser *p)
{
    free(p->argv);
    free(p->argvlen);
    free(p->off);
    free(p->scratch);
    resp_parser_init(p);
}

void resp_parser_reset(struct resp_parser *p)
{
    p->argc = 0;
    p->need = 0;
    p->err = NULL;
    p->state = ST_START;
    p->mbulk = 0;
    p->bulk = -1;
    p->pos = 0;
    p->scan = 0;
    p->nargs = 0;
}

static int fail(struct resp_parser *p, const char *msg)
{
    p->err = msg;
    p->state = ST_ERROR;
    return RESP_ERR;
}

/* Grows argv/argvlen/off to at least `want` slots (doubling), never beyond
 * `limit` (>= want), so a declared count is not trusted with memory. */
static void grow(struct resp_parser *p, long long want, long long limit)
{
    long long cap = p->cap ? (long long)p->cap * 2 : 8;
    if (cap < want)
        cap = want;
    if (cap > limit)
        cap = limit;
    if (cap <= p->cap)
        return;
    p->argv = realloc(p->argv, (size_t)cap * sizeof(*p->argv));
    p->argvlen = realloc(p->argvlen, (size_t)cap * sizeof(*p->argvlen));
    p->off = realloc(p->off, (size_t)cap * sizeof(*p->off));
    if (!p->argv || !p->argvlen || !p->off)
        abort();
    p->cap = (int)cap;
}

/* Starts a new request: drops arrays and scratch left large by an earlier
 * one (the previous argv is no longer in use, per the contract). */
static void begin(struct resp_parser *p)
{
    if (p->cap > PREALLOC_MAX) {
        free(p->argv);
        free(p->argvlen);
        free(p->off);
        p->argv = NULL;
        p->argvlen = NULL;
        p->off = NULL;
        p->cap = 0;
    }
    if (p->scratch_cap > SCRATCH_KEEP) {
        free(p->scratch);
        p->scratch = NULL;
        p->scratch_cap = 0;
    }
    resp_parser_reset(p);
}

/* Publishes the parsed request ending at `end` (exclusive). */
static int finish(struct resp_parser *p, const char *buf, size_t end,
                  size_t *consumed)
{
    for (int i = 0; i < p->nargs; i++) {
        size_t o = p->off[i];
        p->argv[i] = (o & IN_SCRATCH) ? p->scratch + (o & ~IN_SCRATCH)
                                      : buf + o;
    }
    p->argc = p->nargs;
    p->state = ST_START;
    p->need = 0;
    *consumed = end;
    return RESP_OK;
}

/* string2ll's rules: canonical decimal, optional '-', < 21 chars. */
static bool parse_ll(const char *s, size_t n, long long *out)
{
    if (n == 0 || n >= 21)
        return false;
    if (n == 1 && s[0] == '0') {
        *out = 0;
        return true;
    }
    bool neg = s[0] == '-';
    if (neg && n == 1)
        return false;
    size_t i = neg;
    if (s[i] < '1' || s[i] > '9')
        return false;
    unsigned long long v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9)
            return false;
        if (v > (ULLONG_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return false;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN
                                                      : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return false;
        *out = (long long)v;
    }
    return true;
}

/* Finds the first `ch` at or after p->scan, unless a NUL comes first
 * (Redis's strchr would stop there). Returns its index, or len if the line
 * end is not visible yet; p->scan then records where to resume. */
static size_t find_end(struct resp_parser *p, const char *buf, size_t len,
                       char ch)
{
    size_t from = p->scan;
    if (from >= len)
        return len;
    const char *hit = memchr(buf + from, ch, len - from);
    size_t end = hit ? (size_t)(hit - buf) : len;
    const char *nul = end > from ? memchr(buf + from, 0, end - from) : NULL;
    if (nul) {
        p->scan = (size_t)(nul - buf);
        return len;
    }
    p->scan = end;
    return end;
}

/* Locates a header line starting at `start`: returns RESP_OK with *eol at
 * its CR once the byte after the CR has arrived too. */
static int header_line(struct resp_parser *p, const char *buf, size_t len,
                       size_t start, size_t *eol, const char *too_big)
{
    /* Fast path: valid headers are short ("$<= 20 digits\r"), so a byte
     * loop beats two memchr calls; longer lines take find_end. */
    size_t s = p->scan, stop = len - s > 32 ? s + 32 : len;
    for (; s < stop; s++) {
        if (buf[s] == '\r') {
            p->scan = s;
            if (s + 1 >= len)
                return RESP_INCOMPLETE;
            *eol = s;
            return RESP_OK;
        }
        if (buf[s] == '\0')
            break;
    }
    if (s < stop) {             /* a NUL hides the line end (see top) */
        p->scan = s;
        if (len - start > RESP_MAX_INLINE)
            return fail(p, too_big);
        return RESP_INCOMPLETE;
    }
    p->scan = s;
    size_t e = find_end(p, buf, len, '\r');
    if (e == len) {
        if (len - start > RESP_MAX_INLINE)
            return fail(p, too_big);
        return RESP_INCOMPLETE;
    }
    if (e + 1 >= len)
        return RESP_INCOMPLETE;
    *eol = e;
    return RESP_OK;
}

static int parse_count(struct resp_parser *p, const struct resp_limits *lim,
                       const char *buf, size_t len, size_t *consumed)
{
    size_t e;
    int rc = header_line(p, buf, len, 0, &e, ERR_BIG_MBULK);
    if (rc != RESP_OK)
        return rc;
    long long n;
    if (!parse_ll(buf + 1, e - 1, &n) || n > RESP_MAX_MULTIBULK)
        return fail(p, ERR_MBULK);
    if (n > UNAUTH_MBULK && lim->unauthenticated)
        return fail(p, ERR_UNAUTH_MBULK);
    p->pos = e + 2;
    if (n <= 0)
        return finish(p, buf, p->pos, consumed);
    p->mbulk = n;
    long long pre = n < PREALLOC_MAX ? n : PREALLOC_MAX;
    if (p->cap < pre)
        grow(p, pre, n);
    p->scan = p->pos;
    p->state = ST_BULK_HDR;
    return RESP_OK;
}

static int parse_bulk_hdr(struct resp_parser *p, const struct resp_limits *lim,
                          const char *buf, size_t len)
{
    size_t e;
    int rc = header_line(p, buf, len, p->pos, &e, ERR_BIG_BULK);
    if (rc != RESP_OK)
        return rc;
    char c = buf[p->pos];
    if (c != '$') {
        snprintf(p->errbuf, sizeof(p->errbuf),
                 "Protocol error: expected '$', got '%c'", c);
        return fail(p, p->errbuf);
    }
    long long n;
    if (!parse_ll(buf + p->pos + 1, e - p->pos - 1, &n) || n < 0 ||
        n > lim->proto_max_bulk_len)
        return fail(p, ERR_BULK);
    if (n > UNAUTH_BULK && lim->unauthenticated)
        return fail(p, ERR_UNAUTH_BULK);
    p->bulk = n;
    p->pos = e + 2;
    p->state = ST_BULK_DATA;
    return RESP_OK;
}

static int parse_multibulk(struct resp_parser *p,
                           const struct resp_limits *lim, const char *buf,
                           size_t len, size_t *consumed)
{
    if (p->state == ST_MB_COUNT) {
        int rc = parse_count(p, lim, buf, len, consumed);
        if (rc != RESP_OK || p->state == ST_START)
            return rc;
    }
    while (p->nargs < p->mbulk) {
        if (p->state == ST_BULK_HDR) {
            int rc = parse_bulk_hdr(p, lim, buf, len);
            if (rc != RESP_OK)
                return rc;
        }
        /* pos <= len here; bulk + 2 cannot wrap (bulk <= LLONG_MAX). */
        size_t want = (size_t)p->bulk + 2;
        if (len - p->pos < want) {
            p->need = p->pos + want;
            return RESP_INCOMPLETE;
        }
        if (p->nargs == p->cap)
            grow(p, (long long)p->nargs + 1, p->mbulk);
        p->off[p->nargs] = p->pos;
        p->argvlen[p->nargs] = (size_t)p->bulk;
        p->nargs++;
        p->pos += want;
        p->bulk = -1;
        p->scan = p->pos;
        p->state = ST_BULK_HDR;
    }
    return finish(p, buf, p->pos, consumed);
}

/* ---- inline requests ---- */

/* isspace() in the C locale, which is what sdssplitargs skips. */
static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static char unescape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return c;
    }
}

static void push_arg(struct resp_parser *p, size_t off, size_t len)
{
    if (p->nargs == p->cap)
        grow(p, (long long)p->nargs + 1, INT_MAX);
    p->off[p->nargs] = off;
    p->argvlen[p->nargs] = len;
    p->nargs++;
}

/* Reads one quoted section starting after the opening quote at s[*i - 1];
 * appends its bytes to scratch at *w. Returns false on unbalanced quotes.
 * On success *i is just past the closing quote. */
static bool read_quoted(const char *s, size_t n, size_t *i, char quote,
                        char *out, size_t *w)
{
    size_t k = *i;
    for (;;) {
        if (k == n)
            return false;
        char c = s[k];
        if (quote == '"' && c == '\\' && k + 3 < n && s[k + 1] == 'x' &&
            hex_val((unsigned char)s[k + 2]) >= 0 &&
            hex_val((unsigned char)s[k + 3]) >= 0) {
            out[(*w)++] = (char)(hex_val((unsigned char)s[k + 2]) * 16 +
                                 hex_val((unsigned char)s[k + 3]));
            k += 4;
        } else if (quote == '"' && c == '\\' && k + 1 < n) {
            out[(*w)++] = unescape(s[k + 1]);
            k += 2;
        } else if (quote == '\'' && c == '\\' && k + 1 < n &&
                   s[k + 1] == '\'') {
            out[(*w)++] = '\'';
            k += 2;
        } else if (c == quote) {
            /* A closing quote must be followed by a space or the end. */
            if (k + 1 < n && !is_space((unsigned char)s[k + 1]))
                return false;
            *i = k + 1;
            return true;
        } else {
            out[(*w)++] = c;
            k++;
        }
    }
}

/* Splits line s[0..n) (no NUL, no LF) as sdssplitargs does. Plain tokens
 * point into the line; a token with any quote is rebuilt in p->scratch,
 * which is sized to n up front so it never moves while tokens are added
 * (output never exceeds input). */
static int split_inline(struct resp_parser *p, const char *s, size_t n)
{
    bool quotes = memchr(s, '"', n) || memchr(s, '\'', n);
    if (quotes && p->scratch_cap < n) {
        free(p->scratch);
        p->scratch = malloc(n);
        if (!p->scratch)
            abort();
        p->scratch_cap = n;
    }
    size_t i = 0, w = 0;
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i == n)
            return RESP_OK;
        if (p->nargs == INT_MAX)
            return fail(p, ERR_BIG_INLINE);
        size_t start = i, wstart = w;
        bool plain = true;
        while (i < n) {
            char c = s[i];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
                break;
            if (c == '"' || c == '\'') {
                if (plain) {
                    memcpy(p->scratch + w, s + start, i - start);
                    w += i - start;
                    plain = false;
                }
                i++;
                if (!read_quoted(s, n, &i, c, p->scratch, &w))
                    return fail(p, ERR_QUOTES);
                break;          /* the quote ended the token */
            }
            if (!plain)
                p->scratch[w++] = c;
            i++;
        }
        if (plain)
            push_arg(p, start, i - start);
        else
            push_arg(p, wstart | IN_SCRATCH, w - wstart);
    }
}

static int parse_inline(struct resp_parser *p, const char *buf, size_t len,
                        size_t *consumed)
{
    size_t e = find_end(p, buf, len, '\n');
    if (e == len) {
        if (len > RESP_MAX_INLINE)
            return fail(p, ERR_BIG_INLINE);
        return RESP_INCOMPLETE;
    }
    size_t n = e;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    int rc = split_inline(p, buf, n);
    if (rc != RESP_OK)
        return rc;
    return finish(p, buf, e + 1, consumed);
}

/* Reads a plain bulk header "$<1-9 digits, no leading zero>\r\n" at
 * buf[*i] and moves *i past it; returns the length, or -1 (*i unchanged)
 * for anything else, incomplete included. Shared by the fast path and
 * resp_peek_key. */
static inline long long plain_bulk_hdr(const char *buf, size_t len,
                                       size_t *i)
{
    size_t j = *i;
    if (j >= len || buf[j] != '$')
        return -1;
    size_t start = ++j;
    long long n = 0;
    while (j < len && j - start < 9 && (unsigned)(buf[j] - '0') <= 9)
        n = n * 10 + (buf[j++] - '0');
    if (j == start || (buf[start] == '0' && j - start > 1) ||
        j + 1 >= len || buf[j] != '\r' || buf[j + 1] != '\n')
        return -1;
    *i = j + 2;
    return n;
}

/* Fast path for the common case: a whole multibulk of at most 1024
 * elements is in buf, every header is plain digits followed by CRLF and
 * every length is in range. One forward pass, argv written directly.
 * Returns -1 (having changed nothing observable) for anything else, and
 * the state machine below parses the request from the start: every error
 * and every odd-but-legal form is left to it. */
static int fast_multibulk(struct resp_parser *p, const struct resp_limits *lim,
                          const char *buf, size_t len, size_t *consumed)
{
    if (p->cap > PREALLOC_MAX || p->scratch_cap > SCRATCH_KEEP)
        return -1;                      /* let begin() shrink them first */
    size_t i = 1;
    unsigned n = 0;
    int digits = 0;
    while (i < len && digits < 5 && (unsigned)(buf[i] - '0') <= 9) {
        n = n * 10 + (unsigned)(buf[i] - '0');
        i++;
        digits++;
    }
    if (digits == 0 || buf[1] == '0' || n > 1024 || i + 1 >= len ||
        buf[i] != '\r' || buf[i + 1] != '\n')
        return -1;
    if (lim->unauthenticated && n > 10)
        return -1;
    i += 2;
    if ((int)n > p->cap)
        grow(p, n, n);
    for (unsigned k = 0; k < n; k++) {
        long long h = plain_bulk_hdr(buf, len, &i);
        if (h < 0 || h > lim->proto_max_bulk_len ||
            (lim->unauthenticated && h > 16384))
            return -1;
        size_t bl = (size_t)h;
        if (len - i < bl + 2)
            return -1;
        p->argv[k] = buf + i;
        p->argvlen[k] = bl;
        i += bl + 2;            /* the CRLF after a payload is not checked */
    }
    p->argc = (int)n;
    p->nargs = (int)n;
    p->need = 0;
    *consumed = i;
    return RESP_OK;
}

bool resp_peek_key(const char *buf, size_t len, const char **key,
                   size_t *klen)
{
    if (len < 4 || buf[0] != '*' || (unsigned)(buf[1] - '2') > 7)
        return false;
    size_t i = 1;
    while (i < len && (unsigned)(buf[i] - '0') <= 9 && i < 6)
        i++;
    if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
        return false;
    i += 2;
    long long n = plain_bulk_hdr(buf, len, &i);
    if (n < 0 || len - i < (size_t)n + 2)
        return false;
    i += (size_t)n + 2;
    n = plain_bulk_hdr(buf, len, &i);
    if (n < 0 || len - i < (size_t)n)
        return false;
    *key = buf + i;
    *klen = (size_t)n;
    return true;
}

int resp_parse(struct resp_parser *p, const struct resp_limits *lim,
               const char *buf, size_t len, size_t *consumed)
{
    *consumed = 0;
    p->need = 0;
    switch (p->state) {
    case ST_ERROR:
        return RESP_ERR;
    case ST_START:
        if (len == 0)
            return RESP_INCOMPLETE;
        if (buf[0] == '*' && fast_multibulk(p, lim, buf, len, consumed) ==
                                 RESP_OK)
            return RESP_OK;
        begin(p);
        if (buf[0] != '*') {
            p->state = ST_INLINE;
            return parse_inline(p, buf, len, consumed);
        }
        p->state = ST_MB_COUNT;
        return parse_multibulk(p, lim, buf, len, consumed);
    case ST_INLINE:
        return parse_inline(p, buf, len, consumed);
    default:
        return parse_multibulk(p, lim, buf, len, consumed);
    }
}
