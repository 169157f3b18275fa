/*
 * test_resp.c: RESP parser and writer.
 *
 * The parser is driven the way the server drives it: bytes arrive in
 * chunks, unconsumed bytes are kept and re-offered together with the next
 * chunk, and every call sees them at a fresh heap address (so a parser that
 * kept pointers instead of offsets fails). A transcript of the commands
 * parsed (binary-safe) is compared between whole and split feeds and with
 * the expected commands. Writer tests compare exact reply bytes, which were
 * checked against redis-server 7.0.15 (DEBUG PROTOCOL, ZSCORE, HELLO 3).
 */
#include "resp.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable string ---- */

struct str {
    char *s;
    size_t len, cap;
};

static void str_add(struct str *t, const void *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        cr_assert_not_null(t->s);
    }
    memcpy(t->s + t->len, p, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void str_addf(struct str *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void str_addf(struct str *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    str_add(t, buf, (size_t)n);
}

/* ---- feeding harness ---- */

struct feed {
    struct resp_parser p;
    struct resp_limits lim;
    char *pend;                 /* unconsumed bytes, fresh address per feed */
    size_t plen;
    bool failed;
    struct str log;             /* transcript */
};

static void feed_init(struct feed *f)
{
    memset(f, 0, sizeof(*f));
    resp_parser_init(&f->p);
    f->lim.proto_max_bulk_len = 512LL * 1024 * 1024;
    str_add(&f->log, "", 0);
}

static void feed_free(struct feed *f)
{
    resp_parser_free(&f->p);
    free(f->pend);
    free(f->log.s);
}

static bool within(const char *q, size_t n, const char *base, size_t blen)
{
    return q >= base && q + n <= base + blen;
}

static void log_command(struct feed *f, const char *buf, size_t len)
{
    struct resp_parser *p = &f->p;
    str_addf(&f->log, "[%d]", p->argc);
    for (int i = 0; i < p->argc; i++) {
        bool in_buf = within(p->argv[i], p->argvlen[i], buf, len);
        bool in_scratch = p->scratch &&
            within(p->argv[i], p->argvlen[i], p->scratch, p->scratch_cap);
        cr_assert(in_buf || in_scratch, "argv[%d] points outside", i);
        str_addf(&f->log, "%zu:", p->argvlen[i]);
        str_add(&f->log, p->argv[i], p->argvlen[i]);
        str_add(&f->log, ";", 1);
    }
    str_add(&f->log, "\n", 1);
}

static void feed(struct feed *f, const char *data, size_t n)
{
    if (f->failed)
        return;
    size_t len = f->plen + n;
    char *buf = malloc(len ? len : 1);
    cr_assert_not_null(buf);
    if (f->plen)
        memcpy(buf, f->pend, f->plen);
    if (n)
        memcpy(buf + f->plen, data, n);
    free(f->pend);
    f->pend = NULL;
    size_t off = 0;
    while (off < len) {
        size_t used = 12345;
        int rc = resp_parse(&f->p, &f->lim, buf + off, len - off, &used);
        if (rc == RESP_INCOMPLETE) {
            cr_assert_eq(used, 0);
            break;
        }
        if (rc == RESP_ERR) {
            str_addf(&f->log, "ERR %s\n", f->p.err);
            f->failed = true;
            break;
        }
        cr_assert_eq(rc, RESP_OK);
        cr_assert(used > 0 && used <= len - off);
        log_command(f, buf + off, len - off);
        off += used;
    }
    f->plen = len - off;
    f->pend = buf;
    memmove(f->pend, buf + off, f->plen);
}

/* Transcript of feeding `in` split at the sorted cut points. */
static char *transcript(const char *in, size_t len, const size_t *cuts,
                        int ncuts)
{
    struct feed f;
    feed_init(&f);
    size_t at = 0;
    for (int i = 0; i < ncuts; i++) {
        feed(&f, in + at, cuts[i] - at);
        at = cuts[i];
    }
    feed(&f, in + at, len - at);
    str_addf(&f.log, "pending %zu\n", f.failed ? 0 : f.plen);
    char *s = f.log.s;
    f.log.s = NULL;
    feed_free(&f);
    return s;
}

/* Parses exactly one request from a C string; returns the rc. */
static int parse1(struct resp_parser *p, const struct resp_limits *lim,
                  const char *s, size_t len, size_t *used)
{
    return resp_parse(p, lim, s, len, used);
}

static const struct resp_limits DEF_LIM = { 512LL * 1024 * 1024, false };
static const struct resp_limits UNAUTH_LIM = { 512LL * 1024 * 1024, true };

static void expect_error(const char *in, size_t len,
                         const struct resp_limits *lim, const char *msg)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    int rc = parse1(&p, lim, in, len, &used);
    cr_assert_eq(rc, RESP_ERR, "input %.40s: rc %d", in, rc);
    cr_assert_str_eq(p.err, msg);
    resp_parser_free(&p);
}

static void expect_incomplete(const char *in, size_t len,
                              const struct resp_limits *lim)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    int rc = parse1(&p, lim, in, len, &used);
    cr_assert_eq(rc, RESP_INCOMPLETE, "input %.40s: rc %d (%s)", in, rc,
                 rc == RESP_ERR ? p.err : "");
    resp_parser_free(&p);
}

/* ---- parser: framing and pipelining ---- */

static const char PIPE[] =
    "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"
    "GET k\r\n"
    "*0\r\n"
    "\r\n"
    "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
    "SET \"a b\" 'c\\'d' \"\\x41\\n\"\n"
    "*-1\r\n"
    "*1\r\n$4\r\nPI\nG\r\n"
    "  PING  \r\n"
    "*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n"
    "*1\r\n$3\r\nab";                       /* incomplete tail */

static const char PIPE_EXPECT[] =
    "[3]3:SET;1:k;5:hello;\n"
    "[2]3:GET;1:k;\n"
    "[0]\n"
    "[0]\n"
    "[2]4:ECHO;0:;\n"
    "[4]3:SET;3:a b;3:c'd;2:A\n;\n"
    "[0]\n"
    "[1]4:PI\nG;\n"
    "[1]4:PING;\n"
    "[2]3:GET;10:0123456789;\n"
    "pending 10\n";

Test(resp_parse, pipeline_whole_gives_expected_commands)
{
    char *t = transcript(PIPE, sizeof(PIPE) - 1, NULL, 0);
    cr_assert_str_eq(t, PIPE_EXPECT);
    free(t);
}

Test(resp_parse, frame_split_at_every_byte)
{
    size_t len = sizeof(PIPE) - 1;
    for (size_t k = 0; k <= len; k++) {
        char *t = transcript(PIPE, len, &k, 1);
        cr_assert_str_eq(t, PIPE_EXPECT, "split at %zu", k);
        free(t);
    }
}

Test(resp_parse, frame_split_at_every_pair_of_points)
{
    size_t len = sizeof(PIPE) - 1;
    for (size_t i = 0; i <= len; i++) {
        for (size_t j = i; j <= len; j++) {
            size_t cuts[2] = { i, j };
            char *t = transcript(PIPE, len, cuts, 2);
            cr_assert_str_eq(t, PIPE_EXPECT, "split at %zu,%zu", i, j);
            free(t);
        }
    }
}

Test(resp_parse, frame_fed_one_byte_at_a_time)
{
    size_t len = sizeof(PIPE) - 1;
    size_t *cuts = malloc(len * sizeof(*cuts));
    for (size_t i = 0; i < len; i++)
        cuts[i] = i;
    char *t = transcript(PIPE, len, cuts, (int)len);
    cr_assert_str_eq(t, PIPE_EXPECT);
    free(t);
    free(cuts);
}

Test(resp_parse, ok_consumes_exactly_one_request)
{
    struct resp_parser p;
    resp_parser_init(&p);
    const char in[] = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n";
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in, sizeof(in) - 1, &used),
                 RESP_OK);
    cr_assert_eq(used, 14);
    cr_assert_eq(p.argc, 1);
    cr_assert_eq(p.argv[0], in + 8, "argv must point into buf (no copy)");
    cr_assert_eq(p.argvlen[0], 4);
    resp_parser_free(&p);
}

Test(resp_parse, empty_requests_yield_argc_zero)
{
    const char *ins[] = { "*0\r\n", "*-1\r\n", "*-10\r\n", "\r\n", "\n",
                          "   \t \r\n", "\v\f\n" };
    for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
        struct resp_parser p;
        resp_parser_init(&p);
        size_t used;
        size_t len = strlen(ins[i]);
        cr_assert_eq(resp_parse(&p, &DEF_LIM, ins[i], len, &used), RESP_OK,
                     "case %zu", i);
        cr_assert_eq(p.argc, 0, "case %zu", i);
        cr_assert_eq(used, len, "case %zu", i);
        resp_parser_free(&p);
    }
}

Test(resp_parse, empty_input_is_incomplete)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used = 7;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "", 0, &used), RESP_INCOMPLETE);
    cr_assert_eq(used, 0);
    resp_parser_free(&p);
}

/* Redis skips the byte after a header's CR and the two bytes after a
 * payload without looking at them (checked on redis-server 7.0.15). */
Test(resp_parse, redis_quirk_bytes_after_cr_and_payload_are_not_checked)
{
    char *t = transcript("*1\rx$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", 28, NULL, 0);
    cr_assert_str_eq(t, "[1]4:PING;\n[1]4:PING;\npending 0\n");
    free(t);
}

/* Redis finds line ends with strchr on a NUL-terminated buffer, so a NUL
 * before the LF hides it: the request stays incomplete. */
Test(resp_parse, redis_quirk_nul_before_newline_stalls_inline)
{
    const char in[] = "ECHO a\0b\nPING\r\n";
    expect_incomplete(in, sizeof(in) - 1, &DEF_LIM);
    const char hdr[] = "*1\r\n$4\0\r\nPING\r\n";
    expect_incomplete(hdr, sizeof(hdr) - 1, &DEF_LIM);
    /* A NUL inside a bulk payload is just data. */
    char *t = transcript("*1\r\n$4\r\nP\0NG\r\n", 14, NULL, 0);
    cr_assert_eq(memcmp(t, "[1]4:P\0NG;\npending 0\n", 21), 0);
    free(t);
}

Test(resp_parse, nul_stall_becomes_too_big_after_64k)
{
    size_t len = RESP_MAX_INLINE + 1;
    char *in = malloc(len);
    memset(in, 'a', len);
    in[3] = 0;
    in[10] = '\n';
    expect_error(in, len, &DEF_LIM, "Protocol error: too big inline request");
    free(in);
}

/* Offsets, not rescans: once a bulk header has been parsed, a second call
 * with the same bytes + more does not look at that header again. The test
 * alters the already-parsed header byte to prove it. */
Test(resp_parse, resume_does_not_rescan_parsed_headers)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    char a[] = "*1\r\n$3\r\nab";
    cr_assert_eq(resp_parse(&p, &DEF_LIM, a, sizeof(a) - 1, &used),
                 RESP_INCOMPLETE);
    char b[] = "*1\r\nX3\r\nabc\r\n";
    cr_assert_eq(resp_parse(&p, &DEF_LIM, b, sizeof(b) - 1, &used), RESP_OK);
    cr_assert_eq(p.argc, 1);
    cr_assert_eq(p.argv[0], b + 8);
    cr_assert_eq(used, sizeof(b) - 1);
    resp_parser_free(&p);
}

Test(resp_parse, need_reports_total_bytes_for_big_bulk)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    const char in[] = "*2\r\n$3\r\nSET\r\n$100000\r\nxyz";
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in, sizeof(in) - 1, &used),
                 RESP_INCOMPLETE);
    size_t hdr = sizeof(in) - 1 - 3;
    cr_assert_eq(p.need, hdr + 100000 + 2);
    /* Deliver it all at once: one OK. */
    size_t len = hdr + 100000 + 2;
    char *full = malloc(len);
    memcpy(full, in, hdr);
    memset(full + hdr, 'v', 100000);
    memcpy(full + hdr + 100000, "\r\n", 2);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, full, len, &used), RESP_OK);
    cr_assert_eq(used, len);
    cr_assert_eq(p.argvlen[1], 100000);
    cr_assert_eq(p.need, 0);
    free(full);
    resp_parser_free(&p);
}

Test(resp_parse, reset_forgets_partial_request)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "*2\r\n$3\r\nGET\r\n", 13, &used),
                 RESP_INCOMPLETE);
    resp_parser_reset(&p);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "PING\r\n", 6, &used), RESP_OK);
    cr_assert_eq(p.argc, 1);
    cr_assert_eq(used, 6);
    resp_parser_free(&p);
}

Test(resp_parse, error_is_sticky_until_reset)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "*x\r\n", 4, &used), RESP_ERR);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "PING\r\n", 6, &used), RESP_ERR);
    cr_assert_str_eq(p.err, "Protocol error: invalid multibulk length");
    resp_parser_reset(&p);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "PING\r\n", 6, &used), RESP_OK);
    resp_parser_free(&p);
}

/* ---- parser: error texts ---- */

Test(resp_parse, invalid_multibulk_length_texts)
{
    const char *bad[] = { "*x\r\n", "*\r\n", "*01\r\n", "*+1\r\n", "*1 \r\n",
                          "*-0\r\n", "*2147483648\r\n", "*3000000000\r\n",
                          "*-9999999999999999999\r\n",
                          "*99999999999999999999\r\n",
                          "*000000000000000000001\r\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(bad[i], strlen(bad[i]), &DEF_LIM,
                     "Protocol error: invalid multibulk length");
}

Test(resp_parse, multibulk_count_int_max_is_accepted_as_in_redis_7)
{
    expect_incomplete("*2147483647\r\n", 13, &DEF_LIM);
    expect_incomplete("*1048577\r\n", 10, &DEF_LIM);
}

Test(resp_parse, expected_dollar_text_names_the_byte)
{
    expect_error("*1\r\nx\r\n", 7, &DEF_LIM,
                 "Protocol error: expected '$', got 'x'");
    expect_error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", 26, &DEF_LIM,
                 "Protocol error: expected '$', got 'f'");
    /* Empty line: the CR itself; resp_w_error turns it into a space. */
    expect_error("*1\r\n\r\n", 6, &DEF_LIM,
                 "Protocol error: expected '$', got '\r'");
}

Test(resp_parse, invalid_bulk_length_texts)
{
    const char *bad[] = { "*1\r\n$-1\r\n", "*1\r\n$x\r\n", "*1\r\n$\r\n",
                          "*1\r\n$04\r\n", "*1\r\n$+4\r\n",
                          "*1\r\n$99999999999999999999\r\n",
                          "*1\r\n$4x\r\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(bad[i], strlen(bad[i]), &DEF_LIM,
                     "Protocol error: invalid bulk length");
}

Test(resp_parse, bulk_above_proto_max_bulk_len_is_invalid)
{
    struct resp_limits lim = { 100, false };
    expect_error("*1\r\n$101\r\n", 10, &lim,
                 "Protocol error: invalid bulk length");
    expect_incomplete("*1\r\n$100\r\n", 10, &lim);
    /* The default 512 MB cap. */
    expect_error("*1\r\n$600000000\r\n", 16, &DEF_LIM,
                 "Protocol error: invalid bulk length");
}

Test(resp_parse, too_big_mbulk_count_string_after_64k_without_cr)
{
    size_t len = RESP_MAX_INLINE + 1;
    char *in = malloc(len);
    memset(in, '1', len);
    in[0] = '*';
    expect_error(in, len, &DEF_LIM,
                 "Protocol error: too big mbulk count string");
    expect_incomplete(in, len - 1, &DEF_LIM);
    free(in);
}

Test(resp_parse, too_big_bulk_count_string_after_64k_without_cr)
{
    size_t len = 4 + RESP_MAX_INLINE + 1;
    char *in = malloc(len);
    memset(in, '1', len);
    memcpy(in, "*1\r\n$", 5);
    expect_error(in, len, &DEF_LIM,
                 "Protocol error: too big bulk count string");
    expect_incomplete(in, len - 1, &DEF_LIM);
    free(in);
}

Test(resp_parse, too_big_inline_request_after_64k_without_newline)
{
    size_t len = RESP_MAX_INLINE + 1;
    char *in = malloc(len + 2);
    memset(in, 'a', len);
    expect_error(in, len, &DEF_LIM, "Protocol error: too big inline request");
    expect_incomplete(in, len - 1, &DEF_LIM);
    /* With its newline present, a long line is accepted (as in Redis). */
    in[len] = '\n';
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in, len + 1, &used), RESP_OK);
    cr_assert_eq(p.argc, 1);
    cr_assert_eq(p.argvlen[0], len);
    resp_parser_free(&p);
    free(in);
}

Test(resp_parse, unauthenticated_multibulk_length_above_10)
{
    expect_error("*11\r\n", 5, &UNAUTH_LIM,
                 "Protocol error: unauthenticated multibulk length");
    expect_incomplete("*10\r\n", 5, &UNAUTH_LIM);
    expect_incomplete("*11\r\n", 5, &DEF_LIM);
    /* Invalid beats unauthenticated. */
    expect_error("*x\r\n", 4, &UNAUTH_LIM,
                 "Protocol error: invalid multibulk length");
}

Test(resp_parse, unauthenticated_bulk_length_above_16384)
{
    expect_error("*1\r\n$16385\r\n", 12, &UNAUTH_LIM,
                 "Protocol error: unauthenticated bulk length");
    expect_incomplete("*1\r\n$16384\r\n", 12, &UNAUTH_LIM);
    expect_incomplete("*1\r\n$16385\r\n", 12, &DEF_LIM);
}

Test(resp_parse, unbalanced_quotes_texts)
{
    const char *bad[] = { "SET a \"b\r\n", "SET a 'b\r\n", "SET a \"b\"c\r\n",
                          "SET a 'b'c\r\n", "ECHO \"a\\\"\r\n",
                          "ECHO 'a\\'\r\n", "ECHO \"a\\\r\n", "ECHO a'b'c\n",
                          "PING \"a\"b\r\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(bad[i], strlen(bad[i]), &DEF_LIM,
                     "Protocol error: unbalanced quotes in request");
}

/* ---- parser: inline splitting ---- */

struct inline_case {
    const char *in;
    size_t len;
    const char *expect;         /* transcript */
    size_t elen;
};
#define IC(i, e) { i, sizeof(i) - 1, e, sizeof(e) - 1 }

Test(resp_parse, inline_quoting_matches_sdssplitargs)
{
    static const struct inline_case cases[] = {
        IC("SET a \"b c\"\r\n", "[3]3:SET;1:a;3:b c;\n"),
        IC("ECHO \"\\x41\\x4\\q\"\r\n", "[2]4:ECHO;4:Ax4q;\n"),
        IC("ECHO \"\\xzz\"\r\n", "[2]4:ECHO;3:xzz;\n"),
        IC("ECHO 'a\\'b\\n'\r\n", "[2]4:ECHO;5:a'b\\n;\n"),
        IC("ECHO a\"b c\"\r\n", "[2]4:ECHO;4:ab c;\n"),
        IC("ECHO \"\"\r\n", "[2]4:ECHO;0:;\n"),
        IC("ECHO ''\r\n", "[2]4:ECHO;0:;\n"),
        IC("E \"\\t\\n\\r\\b\\a\\\\\\\"\"\n", "[2]1:E;7:\t\n\r\b\a\\\";\n"),
        IC("E \"\\xff\\x00\\x7A\"\n", "[2]1:E;3:\xff\0z;\n"),
        IC("\vECHO x\r\n", "[2]4:ECHO;1:x;\n"),
        IC("ECHO a\vb\r\n", "[2]4:ECHO;3:a\vb;\n"),
        IC("ECHO \"a\"\vb\r\n", "[3]4:ECHO;1:a;1:b;\n"),
        IC("ECHO 'a'\fb\r\n", "[3]4:ECHO;1:a;1:b;\n"),
        IC("  a   b\t c  \r\n", "[3]1:a;1:b;1:c;\n"),
        IC("ECHO x\r\r\n", "[2]4:ECHO;1:x;\n"),
        IC("a\rb\n", "[2]1:a;1:b;\n"),
        IC("ECHO \"a'b\" 'c\"d'\n", "[3]4:ECHO;3:a'b;3:c\"d;\n"),
        IC("ECHO \"a\tb\"\n", "[2]4:ECHO;3:a\tb;\n"),
        IC("$3\r\n", "[1]2:$3;\n"),
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct str want = { 0 };
        str_add(&want, cases[i].expect, cases[i].elen);
        str_add(&want, "pending 0\n", 10);
        char *t = transcript(cases[i].in, cases[i].len, NULL, 0);
        cr_assert_eq(memcmp(t, want.s, want.len + 1), 0,
                     "case %zu: got %s", i, t);
        free(t);
        free(want.s);
    }
}

Test(resp_parse, inline_plain_args_point_into_buf_quoted_into_scratch)
{
    struct resp_parser p;
    resp_parser_init(&p);
    const char in[] = "SET k \"v w\"\r\n";
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in, sizeof(in) - 1, &used),
                 RESP_OK);
    cr_assert_eq(p.argv[0], in);
    cr_assert_eq(p.argv[1], in + 4);
    cr_assert(p.argv[2] >= p.scratch &&
              p.argv[2] + 3 <= p.scratch + p.scratch_cap);
    cr_assert_eq(memcmp(p.argv[2], "v w", 3), 0);
    resp_parser_free(&p);
}

Test(resp_parse, inline_many_args_grow_arrays)
{
    struct str in = { 0 };
    for (int i = 0; i < 3000; i++)
        str_addf(&in, "%s'%d'", i ? " " : "", i);
    str_add(&in, "\n", 1);
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in.s, in.len, &used), RESP_OK);
    cr_assert_eq(p.argc, 3000);
    for (int i = 0; i < 3000; i++) {
        char num[16];
        int n = snprintf(num, sizeof(num), "%d", i);
        cr_assert_eq(p.argvlen[i], (size_t)n);
        cr_assert_eq(memcmp(p.argv[i], num, (size_t)n), 0);
    }
    resp_parser_free(&p);
    free(in.s);
}

/* ---- parser: memory limits ---- */

Test(resp_parse, huge_declared_count_is_not_preallocated)
{
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "*2147483647\r\n", 13, &used),
                 RESP_INCOMPLETE);
    cr_assert_leq(p.cap, 1024);
    resp_parser_reset(&p);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "*1000000\r\n", 10, &used),
                 RESP_INCOMPLETE);
    cr_assert_leq(p.cap, 1024);
    resp_parser_free(&p);
}

Test(resp_parse, arrays_grow_with_elements_as_they_arrive)
{
    struct str in = { 0 };
    int n = 5000;
    str_addf(&in, "*%d\r\n", n);
    for (int i = 0; i < n; i++) {
        char num[16];
        int k = snprintf(num, sizeof(num), "%d", i);
        str_addf(&in, "$%d\r\n%s\r\n", k, num);
    }
    struct resp_parser p;
    resp_parser_init(&p);
    size_t used;
    /* Half of it: capacity follows what arrived, not the declared count. */
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in.s, in.len / 2, &used),
                 RESP_INCOMPLETE);
    cr_assert_lt(p.cap, n);
    cr_assert_eq(resp_parse(&p, &DEF_LIM, in.s, in.len, &used), RESP_OK);
    cr_assert_eq(used, in.len);
    cr_assert_eq(p.argc, n);
    for (int i = 0; i < n; i++) {
        char num[16];
        int k = snprintf(num, sizeof(num), "%d", i);
        cr_assert_eq(p.argvlen[i], (size_t)k);
        cr_assert_eq(memcmp(p.argv[i], num, (size_t)k), 0);
    }
    /* The next request starts with small arrays again. */
    cr_assert_eq(resp_parse(&p, &DEF_LIM, "PING\n", 5, &used), RESP_OK);
    cr_assert_leq(p.cap, 1024);
    resp_parser_free(&p);
    free(in.s);
}

/* ---- writer ---- */

static char *flat(struct obuf *ob, size_t *len)
{
    struct iovec iov[1024];
    int n = obuf_iov(ob, iov, 1024);
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += iov[i].iov_len;
    cr_assert_eq(total, obuf_len(ob));
    char *s = malloc(total + 1);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        memcpy(s + at, iov[i].iov_base, iov[i].iov_len);
        at += iov[i].iov_len;
    }
    s[total] = 0;
    *len = total;
    return s;
}

/* Runs `body` on a fresh writer of protocol `proto`, then compares. */
#define EXPECT_W(proto_, body, want)                                      \
    do {                                                                  \
        struct obuf ob_;                                                  \
        obuf_init(&ob_);                                                  \
        struct resp_w w_ = { .ob = &ob_, .proto = proto_ };              \
        struct resp_w *w = &w_;                                           \
        body;                                                             \
        size_t n_;                                                        \
        char *got_ = flat(&ob_, &n_);                                     \
        cr_assert_eq(n_, sizeof(want) - 1, "%s: got %zu bytes '%s'",     \
                     #body, n_, got_);                                    \
        cr_assert_eq(memcmp(got_, want, n_), 0, "%s: got '%s'", #body,    \
                     got_);                                               \
        free(got_);                                                       \
        obuf_reset(&ob_);                                                 \
    } while (0)

Test(resp_write, simple_ok_error_bytes)
{
    for (int proto = 2; proto <= 3; proto++) {
        EXPECT_W(proto, resp_w_simple(w, "PONG", 4), "+PONG\r\n");
        EXPECT_W(proto, resp_w_ok(w), "+OK\r\n");
        EXPECT_W(proto, resp_w_error(w, "ERR syntax error", 16),
                 "-ERR syntax error\r\n");
        EXPECT_W(proto, resp_w_error(w, "ERR a\r\nb\rc\nd", 12),
                 "-ERR a  b c d\r\n");
        EXPECT_W(proto, resp_w_errorf(w, "ERR unknown command '%s'", "x"),
                 "-ERR unknown command 'x'\r\n");
        EXPECT_W(proto, resp_w_errorf(w, "\r\nERR got '%c'\r\n", '\n'),
                 "-ERR got ' '\r\n");
        EXPECT_W(proto, resp_w_raw(w, "+RAW\r\n", 6), "+RAW\r\n");
    }
}

Test(resp_write, long_error_and_simple_are_complete)
{
    size_t n = 5000;
    char *msg = malloc(n + 1);
    memset(msg, 'e', n);
    msg[n] = 0;
    msg[3000] = '\n';
    struct obuf ob;
    obuf_init(&ob);
    struct resp_w w = { .ob = &ob, .proto = 2 };
    resp_w_errorf(&w, "ERR %s", msg);
    resp_w_simple(&w, msg, n);
    size_t len;
    char *got = flat(&ob, &len);
    cr_assert_eq(len, (1 + 4 + n + 2) + (1 + n + 2));
    cr_assert_eq(memcmp(got, "-ERR eee", 8), 0);
    cr_assert_eq(got[1 + 4 + 3000], ' ');
    cr_assert_eq(memcmp(got + 1 + 4 + n, "\r\n+eee", 6), 0);
    cr_assert_eq(got[len - 3], 'e');
    cr_assert_eq(memcmp(got + len - 2, "\r\n", 2), 0);
    free(got);
    free(msg);
    obuf_reset(&ob);
}

Test(resp_write, int_and_bulk_bytes)
{
    for (int proto = 2; proto <= 3; proto++) {
        EXPECT_W(proto, resp_w_int(w, 0), ":0\r\n");
        EXPECT_W(proto, resp_w_int(w, -1), ":-1\r\n");
        EXPECT_W(proto, resp_w_int(w, 1234567), ":1234567\r\n");
        EXPECT_W(proto, resp_w_int(w, LLONG_MAX), ":9223372036854775807\r\n");
        EXPECT_W(proto, resp_w_int(w, LLONG_MIN),
                 ":-9223372036854775808\r\n");
        EXPECT_W(proto, resp_w_bulk(w, "hello", 5), "$5\r\nhello\r\n");
        EXPECT_W(proto, resp_w_bulk(w, "", 0), "$0\r\n\r\n");
        EXPECT_W(proto, resp_w_bulk(w, "a\0\r\nb", 5), "$5\r\na\0\r\nb\r\n");
        EXPECT_W(proto, resp_w_bulk_cstr(w, "abc"), "$3\r\nabc\r\n");
        EXPECT_W(proto, resp_w_bulk_ll(w, -42), "$3\r\n-42\r\n");
        EXPECT_W(proto, resp_w_bulk_ll(w, 1000000), "$7\r\n1000000\r\n");
    }
}

Test(resp_write, null_bytes_per_protocol)
{
    EXPECT_W(2, resp_w_null(w), "$-1\r\n");
    EXPECT_W(3, resp_w_null(w), "_\r\n");
    EXPECT_W(2, resp_w_null_array(w), "*-1\r\n");
    EXPECT_W(3, resp_w_null_array(w), "_\r\n");
    EXPECT_W(2, resp_w_bulk_cstr(w, NULL), "$-1\r\n");
    EXPECT_W(3, resp_w_bulk_cstr(w, NULL), "_\r\n");
}

Test(resp_write, aggregate_headers_per_protocol)
{
    EXPECT_W(2, resp_w_array(w, 3), "*3\r\n");
    EXPECT_W(3, resp_w_array(w, 0), "*0\r\n");
    EXPECT_W(2, resp_w_map(w, 3), "*6\r\n");
    EXPECT_W(3, resp_w_map(w, 3), "%3\r\n");
    EXPECT_W(2, resp_w_map(w, 0), "*0\r\n");
    EXPECT_W(3, resp_w_map(w, 0), "%0\r\n");
    EXPECT_W(2, resp_w_set(w, 3), "*3\r\n");
    EXPECT_W(3, resp_w_set(w, 3), "~3\r\n");
    EXPECT_W(2, resp_w_push(w, 3), "*3\r\n");
    EXPECT_W(3, resp_w_push(w, 3), ">3\r\n");
}

/* Same bytes as DEBUG PROTOCOL map on redis-server 7.0.15. */
Test(resp_write, map_of_int_bool_matches_redis_debug_protocol)
{
    EXPECT_W(3, { resp_w_map(w, 3); for (int i = 0; i < 3; i++) {
                  resp_w_int(w, i); resp_w_bool(w, i == 1); } },
             "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
    EXPECT_W(2, { resp_w_map(w, 3); for (int i = 0; i < 3; i++) {
                  resp_w_int(w, i); resp_w_bool(w, i == 1); } },
             "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
}

Test(resp_write, bool_bytes_per_protocol)
{
    EXPECT_W(2, resp_w_bool(w, true), ":1\r\n");
    EXPECT_W(2, resp_w_bool(w, false), ":0\r\n");
    EXPECT_W(3, resp_w_bool(w, true), "#t\r\n");
    EXPECT_W(3, resp_w_bool(w, false), "#f\r\n");
}

/* Values checked with ZSCORE on redis-server 7.0.15 (plain %.17g). */
Test(resp_write, double_bytes_as_redis_7_0)
{
    EXPECT_W(2, resp_w_double(w, 1.1), "$18\r\n1.1000000000000001\r\n");
    EXPECT_W(3, resp_w_double(w, 1.1), ",1.1000000000000001\r\n");
    EXPECT_W(2, resp_w_double(w, 3), "$1\r\n3\r\n");
    EXPECT_W(3, resp_w_double(w, 3), ",3\r\n");
    EXPECT_W(3, resp_w_double(w, 3.141), ",3.141\r\n");
    EXPECT_W(2, resp_w_double(w, 0.1 + 0.2),
             "$19\r\n0.30000000000000004\r\n");
    EXPECT_W(2, resp_w_double(w, 1e300), "$23\r\n1.0000000000000001e+300\r\n");
    EXPECT_W(2, resp_w_double(w, 1.5e-7), "$22\r\n1.4999999999999999e-07\r\n");
    EXPECT_W(2, resp_w_double(w, 123456789012345678.0),
             "$22\r\n1.2345678901234568e+17\r\n");
    EXPECT_W(2, resp_w_double(w, INFINITY), "$3\r\ninf\r\n");
    EXPECT_W(2, resp_w_double(w, -INFINITY), "$4\r\n-inf\r\n");
    EXPECT_W(3, resp_w_double(w, INFINITY), ",inf\r\n");
    EXPECT_W(3, resp_w_double(w, -INFINITY), ",-inf\r\n");
    EXPECT_W(3, resp_w_double(w, NAN), ",nan\r\n");
    EXPECT_W(3, resp_w_double(w, -NAN), ",nan\r\n");
    EXPECT_W(2, resp_w_double(w, NAN), "$3\r\nnan\r\n");
}

Test(resp_write, verbatim_bytes_per_protocol)
{
    const char s[] = "This is a verbatim\nstring";
    EXPECT_W(3, resp_w_verbatim(w, "txt", s, sizeof(s) - 1),
             "=29\r\ntxt:This is a verbatim\nstring\r\n");
    EXPECT_W(2, resp_w_verbatim(w, "txt", s, sizeof(s) - 1),
             "$25\r\nThis is a verbatim\nstring\r\n");
    EXPECT_W(3, resp_w_verbatim(w, "mkd", "", 0), "=4\r\nmkd:\r\n");
}

Test(resp_write, large_bulk_spans_chunks_intact)
{
    size_t n = 3 * OBUF_CHUNK + 17;
    char *v = malloc(n);
    for (size_t i = 0; i < n; i++)
        v[i] = (char)(i * 7);
    struct obuf ob;
    obuf_init(&ob);
    struct resp_w w = { .ob = &ob, .proto = 2 };
    resp_w_int(&w, 1);
    resp_w_bulk(&w, v, n);
    resp_w_ok(&w);
    size_t len;
    char *got = flat(&ob, &len);
    char hdr[32];
    int h = snprintf(hdr, sizeof(hdr), ":1\r\n$%zu\r\n", n);
    cr_assert_eq(len, (size_t)h + n + 2 + 5);
    cr_assert_eq(memcmp(got, hdr, (size_t)h), 0);
    cr_assert_eq(memcmp(got + h, v, n), 0);
    cr_assert_eq(memcmp(got + h + n, "\r\n+OK\r\n", 7), 0);
    free(got);
    free(v);
    obuf_reset(&ob);
}

Test(resp_write, ll2str_matches_printf)
{
    long long vals[200];
    int k = 0;
    long long p10 = 1;
    for (int i = 0; i < 19; i++, p10 = i < 19 ? p10 * 10 : p10) {
        vals[k++] = p10;
        vals[k++] = p10 - 1;
        vals[k++] = p10 + 1;
        vals[k++] = -p10;
        vals[k++] = -p10 + 1;
    }
    vals[k++] = LLONG_MAX;
    vals[k++] = LLONG_MIN;
    vals[k++] = LLONG_MIN + 1;
    vals[k++] = 0;
    unsigned long long x = 88172645463325252ULL;
    while (k < 200) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        vals[k++] = (long long)(x >> (x % 60));
    }
    for (int i = 0; i < k; i++) {
        char a[32], b[32];
        int na = resp_ll2str(a, vals[i]);
        int nb = snprintf(b, sizeof(b), "%lld", vals[i]);
        cr_assert_eq(na, nb, "%s", b);
        cr_assert_str_eq(a, b);
    }
}

Test(resp_write, fmt_double_is_percent_17g)
{
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof(d));
        if (isnan(d) || isinf(d))
            continue;
        char a[40], b[40];
        int na = resp_fmt_double(a, d);
        int nb = snprintf(b, sizeof(b), "%.17g", d);
        cr_assert_lt(na, 32);
        cr_assert_eq(na, nb);
        cr_assert_eq(memcmp(a, b, (size_t)na), 0);
    }
}

/* ---- round trip ---- */

Test(resp_roundtrip, commands_encoded_then_parsed_back)
{
    size_t bign = 2 * OBUF_CHUNK + 3;
    char *big = malloc(bign);
    for (size_t i = 0; i < bign; i++)
        big[i] = (char)(i % 251);
    struct { const char *s; size_t n; } args[] = {
        { "SET", 3 }, { "key", 3 }, { "", 0 }, { "a\r\nb", 4 },
        { "\0\0\0", 3 }, { "$5\r\n*1", 6 }, { big, bign },
    };
    int nargs = (int)(sizeof(args) / sizeof(args[0]));
    struct obuf ob;
    obuf_init(&ob);
    struct resp_w w = { .ob = &ob, .proto = 2 };
    for (int cmd = 1; cmd <= nargs; cmd++) {    /* commands of 1..n args */
        resp_w_array(&w, cmd);
        for (int i = 0; i < cmd; i++)
            resp_w_bulk(&w, args[i].s, args[i].n);
    }
    size_t len;
    char *enc = flat(&ob, &len);
    struct resp_parser p;
    resp_parser_init(&p);
    size_t off = 0;
    for (int cmd = 1; cmd <= nargs; cmd++) {
        size_t used;
        cr_assert_eq(resp_parse(&p, &DEF_LIM, enc + off, len - off, &used),
                     RESP_OK);
        cr_assert_eq(p.argc, cmd);
        for (int i = 0; i < cmd; i++) {
            cr_assert_eq(p.argvlen[i], args[i].n);
            cr_assert_eq(memcmp(p.argv[i], args[i].s, args[i].n), 0);
        }
        off += used;
    }
    cr_assert_eq(off, len);
    resp_parser_free(&p);
    free(enc);
    free(big);
    obuf_reset(&ob);
}

Test(resp_peek_key, finds_the_second_bulk_of_a_whole_header)
{
    const char *req = "*3\r\n$3\r\nSET\r\n$5\r\nmykey\r\n$1\r\nv\r\n";
    const char *k = NULL;
    size_t kl = 0;
    cr_assert(resp_peek_key(req, strlen(req), &k, &kl));
    cr_assert_eq(kl, 5);
    cr_assert_eq(memcmp(k, "mykey", 5), 0);
    cr_assert_eq(k, req + 17);
    /* The key's bytes must be whole; what follows them need not be. */
    cr_assert(resp_peek_key(req, 22, &k, &kl));
    for (size_t cut = 0; cut < 22; cut++)
        cr_assert_not(resp_peek_key(req, cut, &k, &kl), "cut %zu", cut);
}

Test(resp_peek_key, refuses_what_is_not_a_multibulk_with_a_key)
{
    const char *no[] = {
        "PING\r\n", "*1\r\n$4\r\nPING\r\n", "*0\r\n", "*-1\r\n",
        "*2\r\n+GET\r\n$1\r\nk\r\n", "*2\r\n$3\r\nGET\r\n:1\r\n",
        "*2\r\n$x\r\nGET\r\n$1\r\nk\r\n", "*2\n$3\r\nGET\r\n$1\r\nk\r\n",
        "*2\r\n$3\r\nGET\r\n$1234567890\r\nk\r\n",
    };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        const char *k;
        size_t kl;
        cr_assert_not(resp_peek_key(no[i], strlen(no[i]), &k, &kl),
                      "%s", no[i]);
    }
}
