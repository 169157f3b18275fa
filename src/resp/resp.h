/*
 * resp: incremental RESP request parser and RESP2/RESP3 reply encoder.
 * Pure functions over buffers; no I/O.
 *
 * Parser contract
 * ---------------
 * A request is either a multibulk ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") or an
 * inline command ("GET k\r\n", split on spaces and tabs with Redis's quoting
 * rules: "..." with \n \r \t \b \a \\ \" \xHH escapes, '...' with \'). An
 * empty inline line yields argc 0 and is skipped by the caller.
 *
 *   resp_parse(p, buf, len, &consumed)
 *     RESP_OK          one whole request starts at buf[0]; p->argc and
 *                      p->argv[i] / p->argvlen[i] point into buf (parse in
 *                      place, no copy; valid while buf is); consumed = bytes
 *                      of that request. The parser is reset for the next one.
 *                      Inline arguments that needed unescaping or had
 *                      quotes ("a b", 'x', "\x41") are copied into a scratch
 *                      buffer inside the parser instead; every argv[i] stays
 *                      valid until the next resp_parse or reset/free call
 *                      on this parser (and while buf is, for the others).
 *     RESP_INCOMPLETE  more bytes are needed. Call again with the same bytes
 *                      (they may have moved to another address) followed by
 *                      more. The parser remembers how far it got (offsets,
 *                      not pointers), so a big request is not re-scanned from
 *                      the start on every call. p->need, when non-zero, is
 *                      the total byte count that the request needs at least
 *                      (lets the caller size its buffer for a large bulk).
 *     RESP_ERR         protocol error; p->err is Redis's exact message
 *                      without "-ERR " or CRLF, e.g. "Protocol error:
 *                      invalid multibulk length". The connection must be
 *                      closed after replying. p->err is a static string or
 *                      points into the parser (the "expected '$', got 'X'"
 *                      text); the error is sticky until resp_parser_reset.
 *
 * Limits (struct resp_limits): proto-max-bulk-len (bulk lengths above it are
 * "Protocol error: invalid bulk length"), multibulk count above INT_MAX
 * ("Protocol error: invalid multibulk length"; Redis 7.0 raised the old
 * 1024*1024 limit to INT_MAX, measured against redis-server 7.0.15; the argv
 * arrays grow as elements arrive, so a big declared count costs nothing up
 * front), an inline request or a
 * header line longer than 64 KiB without CRLF ("Protocol error: too big
 * inline request" / "too big mbulk count string" / "too big bulk count
 * string"). When `unauthenticated` is set (requirepass set, client not yet
 * authenticated) the multibulk count may be at most 10 ("Protocol error:
 * unauthenticated multibulk length") and each bulk at most 16384 bytes
 * ("Protocol error: unauthenticated bulk length").
 *
 * Writer contract
 * ---------------
 * resp_w_* append one RESP element to an obuf in the writer's protocol (2
 * or 3). RESP3-only types degrade as Redis does under RESP2: map -> flat
 * array of 2n, set -> array, double -> bulk string, null -> $-1 (or *-1 for
 * resp_w_null_array), bool -> :1/:0, push -> array, verbatim -> bulk.
 */
#ifndef RC_RESP_H
#define RC_RESP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

enum { RESP_OK = 0, RESP_INCOMPLETE = 1, RESP_ERR = 2 };

#define RESP_MAX_MULTIBULK INT_MAX
#define RESP_MAX_INLINE (64 * 1024)

struct resp_limits {
    long long proto_max_bulk_len;   /* default 512 MB */
    bool unauthenticated;
};

struct resp_parser {
    /* Output of the last RESP_OK. argv has argc entries. */
    int argc;
    const char **argv;
    size_t *argvlen;
    size_t need;                    /* see RESP_INCOMPLETE */
    const char *err;                /* static string; see RESP_ERR */

    /* Private state: offsets relative to the start of the request. */
    int state;
    long long mbulk;                /* declared element count */
    long long bulk;                 /* current bulk length, -1 if none */
    size_t pos;                     /* parse position */
    int cap;                        /* capacity of argv/argvlen/off */
    size_t *off;                    /* element offsets */
    size_t scan;                    /* line search resumes here */
    int nargs;                      /* elements complete so far */
    char *scratch;                  /* unescaped inline arguments */
    size_t scratch_cap;
    char errbuf[48];                /* "expected '$', got 'X'" */
};

void resp_parser_init(struct resp_parser *p);
void resp_parser_free(struct resp_parser *p);
/* Forgets a partial request (after an error, or on RESET of the client). */
void resp_parser_reset(struct resp_parser *p);
/* A hint for prefetching, not a parse: if buf[0..len) starts with a
 * multibulk whose first two bulks are whole in buf, sets *key and *klen to
 * the second one (the key of most commands) and returns true. Validates
 * only what it reads; the request is parsed for real when its turn
 * comes. */
bool resp_peek_key(const char *buf, size_t len, const char **key,
                   size_t *klen);
int resp_parse(struct resp_parser *p, const struct resp_limits *lim,
               const char *buf, size_t len, size_t *consumed);

/* ---- writer ---- */

struct resp_w {
    struct obuf *ob;
    int proto;                      /* 2 or 3 */
    unsigned nerr;                  /* error replies written */
    char errcode[24];               /* first word of the last error */
};

void resp_w_simple(struct resp_w *w, const char *s, size_t len);  /* +s */
void resp_w_ok(struct resp_w *w);                                 /* +OK */
/* msg is the full text after '-', e.g. "ERR syntax error"; CR/LF in msg are
 * replaced by spaces as Redis does. */
void resp_w_error(struct resp_w *w, const char *msg, size_t len);
void resp_w_errorf(struct resp_w *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void resp_w_int(struct resp_w *w, long long v);
void resp_w_bulk(struct resp_w *w, const void *s, size_t len);
void resp_w_bulk_cstr(struct resp_w *w, const char *s);
void resp_w_bulk_ll(struct resp_w *w, long long v);   /* integer as bulk */
void resp_w_null(struct resp_w *w);                   /* $-1 / _ */
void resp_w_null_array(struct resp_w *w);             /* *-1 / _ */
void resp_w_array(struct resp_w *w, long long n);
void resp_w_map(struct resp_w *w, long long npairs);
void resp_w_set(struct resp_w *w, long long n);
void resp_w_push(struct resp_w *w, long long n);
/* A double as Redis formats it: RESP3 ",1.5" / ",inf" / ",-inf" / ",nan";
 * RESP2 a bulk string of the same text ("inf", "-inf"). Uses plain %.17g
 * as Redis 7.0 does (ZSCORE of 1.1 is "1.1000000000000001"; only 7.2
 * switched to the shortest round-trip form). */
void resp_w_double(struct resp_w *w, double d);
void resp_w_bool(struct resp_w *w, bool b);
/* RESP3 "=len\r\ntxt:..." verbatim string; RESP2 a plain bulk. fmt is 3
 * chars, e.g. "txt". */
void resp_w_verbatim(struct resp_w *w, const char *fmt, const char *s,
                     size_t len);
/* Appends raw pre-encoded bytes. */
void resp_w_raw(struct resp_w *w, const void *s, size_t len);

/* Formats a double the way Redis 7.0 replies with it (%.17g, "inf"/"-inf",
 * "nan" for any NaN); returns the length. buf >= 32 bytes. */
int resp_fmt_double(char *buf, double d);
/* Long long to decimal; returns length. buf >= 21 bytes. */
int resp_ll2str(char *buf, long long v);

#endif
