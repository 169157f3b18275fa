/*
 * write.c: RESP2/RESP3 reply encoder over struct obuf.
 *
 * Core idea: every reply element is a type byte, a header number and CRLF,
 * optionally followed by a payload and CRLF. Headers are formatted straight
 * into space reserved at the tail of the obuf (one reserve/commit pair, no
 * printf, no allocation); small bulk payloads ride in the same reservation,
 * large ones are copied with obuf_append after their header.
 *
 * RESP3-only types degrade the way Redis 7.0 degrades them for RESP2
 * clients: map -> array of 2n, set/push -> array, double -> bulk string,
 * bool -> integer 1/0, null -> $-1 (or *-1 for a null array), verbatim ->
 * plain bulk.
 *
 * Invariant: each resp_w_* call appends exactly one complete element (or,
 * for aggregates, one complete aggregate header) to w->ob.
 */
#include "resp.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_MAX 24          /* type + 20 digits + CRLF, rounded up */
#define SMALL_BULK 512      /* payloads up to this share the header reserve */
#define ERR_PIECE 1024      /* sanitised error text is written in pieces */

static const char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

static int u64_digits(unsigned long long v)
{
    int n = 1;
    for (;;) {
        if (v < 10) return n;
        if (v < 100) return n + 1;
        if (v < 1000) return n + 2;
        if (v < 10000) return n + 3;
        v /= 10000;
        n += 4;
    }
}

/* Writes v's digits ending just before buf + n (n = digit count). */
static void u64_fill(char *buf, int n, unsigned long long v)
{
    char *p = buf + n;
    while (v >= 100) {
        unsigned i = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = DIGIT_PAIRS[i + 1];
        *--p = DIGIT_PAIRS[i];
    }
    if (v >= 10) {
        *--p = DIGIT_PAIRS[v * 2 + 1];
        *--p = DIGIT_PAIRS[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
}

int resp_ll2str(char *buf, long long v)
{
    int neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v
                               : (unsigned long long)v;
    if (neg)
        buf[0] = '-';
    int n = u64_digits(u);
    u64_fill(buf + neg, n, u);
    buf[neg + n] = '\0';
    return neg + n;
}

int resp_fmt_double(char *buf, double d)
{
    if (isnan(d)) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    if (isinf(d)) {
        if (d > 0) {
            memcpy(buf, "inf", 4);
            return 3;
        }
        memcpy(buf, "-inf", 5);
        return 4;
    }
    return snprintf(buf, 32, "%.17g", d);
}

/* Writes "<type><n>\r\n" at p; returns the end. p needs HDR_MAX bytes. */
static char *put_hdr(char *p, char type, long long n)
{
    *p++ = type;
    if (n >= 0 && n < 10) {
        *p++ = (char)('0' + n);
    } else if (n >= 10 && n < 100) {
        p[0] = DIGIT_PAIRS[n * 2];
        p[1] = DIGIT_PAIRS[n * 2 + 1];
        p += 2;
    } else {
        p += resp_ll2str(p, n);
    }
    *p++ = '\r';
    *p++ = '\n';
    return p;
}

static void write_hdr(struct resp_w *w, char type, long long n)
{
    char *p = obuf_reserve(w->ob, HDR_MAX);
    obuf_commit(w->ob, (size_t)(put_hdr(p, type, n) - p));
}

static void write_lit(struct resp_w *w, const char *s, size_t len)
{
    char *p = obuf_reserve(w->ob, len);
    memcpy(p, s, len);
    obuf_commit(w->ob, len);
}

/* "<type><len>\r\n<payload>\r\n", in one reservation when small. */
static void write_payload(struct resp_w *w, char type, const void *s,
                          size_t len)
{
    if (len <= SMALL_BULK) {
        char *p = obuf_reserve(w->ob, HDR_MAX + len + 2);
        char *q = put_hdr(p, type, (long long)len);
        memcpy(q, s, len);
        q += len;
        q[0] = '\r';
        q[1] = '\n';
        obuf_commit(w->ob, (size_t)(q + 2 - p));
        return;
    }
    write_hdr(w, type, (long long)len);
    obuf_append(w->ob, s, len);
    write_lit(w, "\r\n", 2);
}

void resp_w_simple(struct resp_w *w, const char *s, size_t len)
{
    char *p = obuf_reserve(w->ob, len <= SMALL_BULK ? len + 3 : 1);
    p[0] = '+';
    if (len <= SMALL_BULK) {
        memcpy(p + 1, s, len);
        p[len + 1] = '\r';
        p[len + 2] = '\n';
        obuf_commit(w->ob, len + 3);
        return;
    }
    obuf_commit(w->ob, 1);
    obuf_append(w->ob, s, len);
    write_lit(w, "\r\n", 2);
}

void resp_w_ok(struct resp_w *w)
{
    write_lit(w, "+OK\r\n", 5);
}

void resp_w_error(struct resp_w *w, const char *msg, size_t len)
{
    size_t code = 0;
    while (code < len && code < sizeof(w->errcode) - 1 && msg[code] != ' ')
        code++;
    memcpy(w->errcode, msg, code);
    w->errcode[code] = 0;
    w->nerr++;
    write_lit(w, "-", 1);
    while (len) {
        size_t k = len < ERR_PIECE ? len : ERR_PIECE;
        char *p = obuf_reserve(w->ob, k);
        for (size_t i = 0; i < k; i++)
            p[i] = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
        obuf_commit(w->ob, k);
        msg += k;
        len -= k;
    }
    write_lit(w, "\r\n", 2);
}

void resp_w_errorf(struct resp_w *w, const char *fmt, ...)
{
    char stack[256];
    char *s = stack;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(stack, sizeof(stack), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(stack)) {
        s = malloc((size_t)n + 1);
        if (!s)
            abort();
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    /* Like Redis's addReplyErrorFormat: trim CR/LF at both ends, then
     * resp_w_error turns inner ones into spaces. */
    const char *b = s;
    size_t len = (size_t)n;
    while (len && (b[0] == '\r' || b[0] == '\n')) {
        b++;
        len--;
    }
    while (len && (b[len - 1] == '\r' || b[len - 1] == '\n'))
        len--;
    resp_w_error(w, b, len);
    if (s != stack)
        free(s);
}

void resp_w_int(struct resp_w *w, long long v)
{
    write_hdr(w, ':', v);
}

void resp_w_bulk(struct resp_w *w, const void *s, size_t len)
{
    write_payload(w, '$', s, len);
}

void resp_w_bulk_cstr(struct resp_w *w, const char *s)
{
    if (!s) {
        resp_w_null(w);
        return;
    }
    write_payload(w, '$', s, strlen(s));
}

void resp_w_bulk_ll(struct resp_w *w, long long v)
{
    char digits[24];
    int n = resp_ll2str(digits, v);
    write_payload(w, '$', digits, (size_t)n);
}

void resp_w_null(struct resp_w *w)
{
    if (w->proto >= 3)
        write_lit(w, "_\r\n", 3);
    else
        write_lit(w, "$-1\r\n", 5);
}

void resp_w_null_array(struct resp_w *w)
{
    if (w->proto >= 3)
        write_lit(w, "_\r\n", 3);
    else
        write_lit(w, "*-1\r\n", 5);
}

void resp_w_array(struct resp_w *w, long long n)
{
    write_hdr(w, '*', n);
}

void resp_w_map(struct resp_w *w, long long npairs)
{
    if (w->proto >= 3)
        write_hdr(w, '%', npairs);
    else
        write_hdr(w, '*', npairs * 2);
}

void resp_w_set(struct resp_w *w, long long n)
{
    write_hdr(w, w->proto >= 3 ? '~' : '*', n);
}

void resp_w_push(struct resp_w *w, long long n)
{
    write_hdr(w, w->proto >= 3 ? '>' : '*', n);
}

void resp_w_double(struct resp_w *w, double d)
{
    char buf[40];
    int n = resp_fmt_double(buf, d);
    if (w->proto < 3) {
        write_payload(w, '$', buf, (size_t)n);
        return;
    }
    char *p = obuf_reserve(w->ob, (size_t)n + 3);
    p[0] = ',';
    memcpy(p + 1, buf, (size_t)n);
    p[n + 1] = '\r';
    p[n + 2] = '\n';
    obuf_commit(w->ob, (size_t)n + 3);
}

void resp_w_bool(struct resp_w *w, bool b)
{
    if (w->proto >= 3)
        write_lit(w, b ? "#t\r\n" : "#f\r\n", 4);
    else
        write_lit(w, b ? ":1\r\n" : ":0\r\n", 4);
}

void resp_w_verbatim(struct resp_w *w, const char *fmt, const char *s,
                     size_t len)
{
    if (w->proto < 3) {
        write_payload(w, '$', s, len);
        return;
    }
    char *p = obuf_reserve(w->ob, HDR_MAX + 4);
    char *q = put_hdr(p, '=', (long long)len + 4);
    memcpy(q, fmt, 3);
    q[3] = ':';
    obuf_commit(w->ob, (size_t)(q + 4 - p));
    obuf_append(w->ob, s, len);
    write_lit(w, "\r\n", 2);
}

void resp_w_raw(struct resp_w *w, const void *s, size_t len)
{
    obuf_append(w->ob, s, len);
}
