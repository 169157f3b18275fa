/*
 * strings.c: the string type's commands.
 *
 * Values live inside the key's entry (entry.h): canonical integers as an
 * int64, short strings inline, long ones in a refcounted blob that GET can
 * send without copying. Every handler validates all arguments before it
 * changes anything.
 */
#include "cmd.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

#define K(i) c->argv[i], c->argvlen[i]

/* Looks up a key for a string command. Returns false (after replying
 * WRONGTYPE) when the key holds another type; *out is NULL when absent. */
static bool lookup_str(struct cmd_ctx *c, int i, struct entry **out)
{
    struct entry *e = db_lookup(c->db, K(i), c->now_ms);
    if (e && e->type != OBJ_STRING) {
        reply_wrongtype(c);
        return false;
    }
    *out = e;
    return true;
}

/* ---- SET family ---- */

enum {
    SET_NX = 1, SET_XX = 2, SET_GET = 4, SET_KEEPTTL = 8,
    SET_EX = 16, SET_PX = 32, SET_EXAT = 64, SET_PXAT = 128,
    SET_PERSIST = 256,
};
#define SET_ANY_EXP (SET_EX | SET_PX | SET_EXAT | SET_PXAT)

/* Converts an EX/PX/EXAT/PXAT argument to an absolute ms time; replies
 * the Redis error and returns false on a bad value. */
static bool expire_arg(struct cmd_ctx *c, int i, unsigned unit,
                       const char *cmdname, int64_t *when)
{
    long long v;
    if (!arg_ll(c, i, &v))
        return false;
    char msg[96];
    if (v <= 0 || ((unit & (SET_EX | SET_EXAT)) && v > LLONG_MAX / 1000)) {
        snprintf(msg, sizeof(msg), ERR_EXPIRE_TIME, cmdname);
        reply_err(c, msg);
        return false;
    }
    if (unit & (SET_EX | SET_EXAT))
        v *= 1000;
    if (unit & (SET_EX | SET_PX)) {
        if (v > LLONG_MAX - (long long)c->now_ms) {
            snprintf(msg, sizeof(msg), ERR_EXPIRE_TIME, cmdname);
            reply_err(c, msg);
            return false;
        }
        v += (long long)c->now_ms;
    }
    *when = v;
    return true;
}

/* Parses SET/GETEX options from argv[start..]. */
static bool parse_set_opts(struct cmd_ctx *c, int start, bool getex,
                           unsigned *flags, int64_t *when)
{
    int exp_pos = 0;
    *flags = 0;
    for (int i = start; i < c->argc; i++) {
        unsigned f = *flags;
        bool has_next = i + 1 < c->argc;
        if (!getex && arg_is(c, i, "nx") && !(f & (SET_XX))) {
            *flags |= SET_NX;
        } else if (!getex && arg_is(c, i, "xx") && !(f & SET_NX)) {
            *flags |= SET_XX;
        } else if (!getex && arg_is(c, i, "get")) {
            *flags |= SET_GET;
        } else if (!getex && arg_is(c, i, "keepttl") &&
                   !(f & SET_ANY_EXP)) {
            *flags |= SET_KEEPTTL;
        } else if (getex && arg_is(c, i, "persist") && !(f & SET_ANY_EXP)) {
            *flags |= SET_PERSIST;
        } else if (has_next && !(f & (SET_ANY_EXP | SET_KEEPTTL |
                                      SET_PERSIST)) &&
                   (arg_is(c, i, "ex") || arg_is(c, i, "px") ||
                    arg_is(c, i, "exat") || arg_is(c, i, "pxat"))) {
            unsigned u = arg_is(c, i, "ex") ? SET_EX
                       : arg_is(c, i, "px") ? SET_PX
                       : arg_is(c, i, "exat") ? SET_EXAT : SET_PXAT;
            *flags |= u;
            i++;
            /* Redis checks the number after the whole syntax pass. */
            exp_pos = i;
        } else {
            reply_syntax(c);
            return false;
        }
    }
    if (*flags & SET_ANY_EXP) {
        if (!expire_arg(c, exp_pos, *flags & SET_ANY_EXP,
                        getex ? "getex" : "set", when))
            return false;
    }
    return true;
}

/* The common tail of SET/SETEX/PSETEX/SETNX. */
static void set_generic(struct cmd_ctx *c, unsigned flags, int64_t when,
                        int key, int val)
{
    struct entry *old = db_lookup(c->db, K(key), c->now_ms);
    if ((flags & SET_GET) && old && old->type != OBJ_STRING) {
        reply_wrongtype(c);
        return;
    }
    bool skip = ((flags & SET_NX) && old) || ((flags & SET_XX) && !old);
    if (flags & SET_GET) {
        if (old)
            reply_entry_str(c, old);
        else
            resp_w_null(c->w);
    }
    if (skip) {
        if (!(flags & SET_GET))
            resp_w_null(c->w);
        return;
    }
    struct entry *e = entry_new_str(K(key), K(val));
    if (flags & SET_ANY_EXP)
        e = entry_set_expire(e, when);
    db_set(c->db, e, flags & SET_KEEPTTL, c->now_ms);
    if (!(flags & SET_GET))
        resp_w_ok(c->w);
}

static void set_command(struct cmd_ctx *c)
{
    unsigned flags;
    int64_t when = 0;
    if (!parse_set_opts(c, 3, false, &flags, &when))
        return;
    set_generic(c, flags, when, 1, 2);
}

static void setnx_command(struct cmd_ctx *c)
{
    if (db_lookup(c->db, K(1), c->now_ms)) {
        resp_w_int(c->w, 0);
        return;
    }
    db_add(c->db, entry_new_str(K(1), K(2)));
    resp_w_int(c->w, 1);
}

static void setex_generic(struct cmd_ctx *c, unsigned unit, const char *name)
{
    int64_t when;
    if (!expire_arg(c, 2, unit, name, &when))
        return;
    set_generic(c, unit, when, 1, 3);
}

static void setex_command(struct cmd_ctx *c)
{
    setex_generic(c, SET_EX, "setex");
}

static void psetex_command(struct cmd_ctx *c)
{
    setex_generic(c, SET_PX, "psetex");
}

static void get_command(struct cmd_ctx *c)
{
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (e)
        reply_entry_str(c, e);
    else
        resp_w_null(c->w);
}

static void getset_command(struct cmd_ctx *c)
{
    set_generic(c, SET_GET, 0, 1, 2);
}

static void getdel_command(struct cmd_ctx *c)
{
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (!e) {
        resp_w_null(c->w);
        return;
    }
    reply_entry_str(c, e);
    db_delete(c->db, K(1), c->now_ms);
}

static void getex_command(struct cmd_ctx *c)
{
    unsigned flags;
    int64_t when = 0;
    if (!parse_set_opts(c, 2, true, &flags, &when))
        return;
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (!e) {
        resp_w_null(c->w);
        return;
    }
    reply_entry_str(c, e);
    if (flags & SET_ANY_EXP) {
        if ((uint64_t)when <= c->now_ms)
            db_delete(c->db, K(1), c->now_ms);
        else
            db_set_expire(c->db, e, when);
    } else if (flags & SET_PERSIST) {
        db_persist(c->db, e);
    }
}

static void mget_command(struct cmd_ctx *c)
{
    resp_w_array(c->w, c->argc - 1);
    for (int i = 1; i < c->argc; i++) {
        struct entry *e = db_lookup(c->db, K(i), c->now_ms);
        if (e && e->type == OBJ_STRING)
            reply_entry_str(c, e);
        else
            resp_w_null(c->w);
    }
}

static bool mset_arity(struct cmd_ctx *c, const char *name)
{
    if (c->argc % 2 == 0) {
        char msg[96];
        snprintf(msg, sizeof(msg), ERR_ARITY, name);
        reply_err(c, msg);
        return false;
    }
    return true;
}

static void mset_command(struct cmd_ctx *c)
{
    if (!mset_arity(c, "mset"))
        return;
    for (int i = 1; i < c->argc; i += 2)
        db_set(c->db, entry_new_str(K(i), K(i + 1)), false, c->now_ms);
    resp_w_ok(c->w);
}

static void msetnx_command(struct cmd_ctx *c)
{
    if (!mset_arity(c, "msetnx"))
        return;
    for (int i = 1; i < c->argc; i += 2)
        if (db_lookup(c->db, K(i), c->now_ms)) {
            resp_w_int(c->w, 0);
            return;
        }
    for (int i = 1; i < c->argc; i += 2)
        db_set(c->db, entry_new_str(K(i), K(i + 1)), false, c->now_ms);
    resp_w_int(c->w, 1);
}

/* ---- counters ---- */

static void incr_generic(struct cmd_ctx *c, long long by)
{
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    long long v = 0;
    if (e) {
        if (e->enc == ENC_INT) {
            v = entry_int(e);
        } else {
            char buf[24];
            size_t len;
            const char *s = entry_str(e, buf, &len);
            if (!parse_ll(s, len, &v)) {
                reply_err(c, ERR_NOT_INT);
                return;
            }
        }
    }
    if ((by < 0 && v < 0 && by < LLONG_MIN - v) ||
        (by > 0 && v > 0 && by > LLONG_MAX - v)) {
        reply_err(c, ERR_OVERFLOW);
        return;
    }
    v += by;
    if (e) {
        struct entry *ne = entry_replace_int(e, v);
        db_relink(c->db, e, ne);
    } else {
        db_add(c->db, entry_new_int(K(1), v));
    }
    resp_w_int(c->w, v);
}

static void incr_command(struct cmd_ctx *c)
{
    incr_generic(c, 1);
}

static void decr_command(struct cmd_ctx *c)
{
    incr_generic(c, -1);
}

static void incrby_command(struct cmd_ctx *c)
{
    long long by;
    if (arg_ll(c, 2, &by))
        incr_generic(c, by);
}

static void decrby_command(struct cmd_ctx *c)
{
    long long by;
    if (!arg_ll(c, 2, &by))
        return;
    if (by == LLONG_MIN) {
        reply_err(c, "ERR decrement would overflow");
        return;
    }
    incr_generic(c, -by);
}

static void incrbyfloat_command(struct cmd_ctx *c)
{
    struct entry *e;
    long double by, v = 0;
    if (!lookup_str(c, 1, &e))
        return;
    if (e) {
        char buf[24];
        size_t len;
        const char *s = entry_str(e, buf, &len);
        if (!parse_ld(s, len, &v)) {
            reply_err(c, ERR_NOT_FLOAT);
            return;
        }
    }
    if (!arg_long_double(c, 2, &by))
        return;
    v += by;
    if (isnan(v) || isinf(v)) {
        reply_err(c, ERR_INCR_NAN);
        return;
    }
    char out[5120];
    int n = fmt_long_double(out, sizeof(out), v);
    if (e) {
        struct entry *ne = entry_replace_str(e, out, (size_t)n);
        db_relink(c->db, e, ne);
    } else {
        db_add(c->db, entry_new_str(K(1), out, (size_t)n));
    }
    resp_w_bulk(c->w, out, (size_t)n);
}

/* ---- byte ranges ---- */

static bool check_size(struct cmd_ctx *c, long long total)
{
    if (total > c->lim->proto_max_bulk_len) {
        reply_err(c, ERR_STRING_TOO_BIG);
        return false;
    }
    return true;
}

static void append_command(struct cmd_ctx *c)
{
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (!e) {
        db_add(c->db, entry_new_str(K(1), K(2)));
        resp_w_int(c->w, (long long)c->argvlen[2]);
        return;
    }
    size_t cur = entry_strlen(e);
    if (!check_size(c, (long long)(cur + c->argvlen[2])))
        return;
    struct entry *ne = entry_str_write(e, cur, K(2));
    db_relink(c->db, e, ne);
    resp_w_int(c->w, (long long)(cur + c->argvlen[2]));
}

static void strlen_command(struct cmd_ctx *c)
{
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    resp_w_int(c->w, e ? (long long)entry_strlen(e) : 0);
}

static void setrange_command(struct cmd_ctx *c)
{
    long long off;
    if (!arg_ll(c, 2, &off))
        return;
    if (off < 0) {
        reply_err(c, ERR_OFFSET_RANGE);
        return;
    }
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    size_t n = c->argvlen[3];
    if (!e) {
        if (n == 0) {
            resp_w_int(c->w, 0);
            return;
        }
        if (!check_size(c, off + (long long)n))
            return;
        struct entry *ne = entry_new_str(K(1), "", 0);
        ne = entry_str_write(ne, (size_t)off, c->argv[3], n);
        db_add(c->db, ne);
        resp_w_int(c->w, off + (long long)n);
        return;
    }
    size_t cur = entry_strlen(e);
    if (n == 0) {
        resp_w_int(c->w, (long long)cur);
        return;
    }
    if (!check_size(c, off + (long long)n))
        return;
    struct entry *ne = entry_str_write(e, (size_t)off, c->argv[3], n);
    db_relink(c->db, e, ne);
    resp_w_int(c->w, (long long)entry_strlen(ne));
}

static void getrange_command(struct cmd_ctx *c)
{
    long long start, end;
    if (!arg_ll(c, 2, &start) || !arg_ll(c, 3, &end))
        return;
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (!e) {
        resp_w_bulk(c->w, "", 0);
        return;
    }
    char buf[24];
    size_t len;
    const char *s = entry_str(e, buf, &len);
    long long strlen_ = (long long)len;
    if (start < 0 && end < 0 && start > end) {
        resp_w_bulk(c->w, "", 0);
        return;
    }
    if (start < 0)
        start += strlen_;
    if (end < 0)
        end += strlen_;
    if (start < 0)
        start = 0;
    if (end < 0)
        end = 0;
    if (end >= strlen_)
        end = strlen_ - 1;
    if (start > end || strlen_ == 0) {
        resp_w_bulk(c->w, "", 0);
        return;
    }
    resp_w_bulk(c->w, s + start, (size_t)(end - start + 1));
}

/* ---- LCS ---- */

struct lcs_match {
    long long a0, a1, b0, b1, len;
};

static void lcs_command(struct cmd_ctx *c)
{
    bool getlen = false, getidx = false, withlen = false;
    long long minlen = 0;
    for (int i = 3; i < c->argc; i++) {
        if (arg_is(c, i, "idx")) {
            getidx = true;
        } else if (arg_is(c, i, "len")) {
            getlen = true;
        } else if (arg_is(c, i, "withmatchlen")) {
            withlen = true;
        } else if (arg_is(c, i, "minmatchlen") && i + 1 < c->argc) {
            if (!arg_ll(c, i + 1, &minlen))
                return;
            if (minlen < 0)
                minlen = 0;
            i++;
        } else {
            reply_syntax(c);
            return;
        }
    }
    struct entry *ea = db_lookup(c->db, K(1), c->now_ms);
    struct entry *eb = db_lookup(c->db, K(2), c->now_ms);
    if ((ea && ea->type != OBJ_STRING) || (eb && eb->type != OBJ_STRING)) {
        reply_err(c, "ERR The specified keys must contain string values");
        return;
    }
    if (getidx && getlen) {
        reply_err(c, "ERR If you want both the length and indexes, please "
                  "just use IDX.");
        return;
    }
    char ba[24], bb[24];
    size_t la = 0, lb = 0;
    const char *a = ea ? entry_str(ea, ba, &la) : "";
    const char *b = eb ? entry_str(eb, bb, &lb) : "";
    if ((la + 1) > SIZE_MAX / (lb + 1) / sizeof(uint32_t) ||
        (la + 1) * (lb + 1) > (size_t)1 << 31) {
        reply_err(c, "ERR Insufficient memory, transient memory for LCS "
                  "exceeds proto-max-bulk-len");
        return;
    }
    /* dp[i][j] = LCS length of a[0..i) and b[0..j). */
    size_t w = lb + 1;
    uint32_t *dp = calloc((la + 1) * w, sizeof(uint32_t));
    if (!dp)
        abort();
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            if (a[i - 1] == b[j - 1])
                dp[i * w + j] = dp[(i - 1) * w + j - 1] + 1;
            else {
                uint32_t x = dp[(i - 1) * w + j], y = dp[i * w + j - 1];
                dp[i * w + j] = x > y ? x : y;
            }
        }
    uint32_t total = dp[la * w + lb];
    if (getlen) {
        resp_w_int(c->w, total);
        free(dp);
        return;
    }
    char *seq = getidx ? NULL : malloc(total + 1);
    struct lcs_match *m = NULL;
    size_t nm = 0, capm = 0;
    /* Walk back from the end collecting the string and the ranges. */
    size_t i = la, j = lb, k = total;
    long long cur_a1 = -1, cur_a0 = -1, cur_b1 = -1, cur_b0 = -1;
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            if (seq)
                seq[--k] = a[i - 1];
            long long ai = (long long)i - 1, bj = (long long)j - 1;
            if (cur_a0 == -1) {
                cur_a1 = cur_a0 = ai;
                cur_b1 = cur_b0 = bj;
            } else if (cur_a0 == ai + 1 && cur_b0 == bj + 1) {
                cur_a0 = ai;
                cur_b0 = bj;
            } else {
                long long ml = cur_a1 - cur_a0 + 1;
                if (getidx && ml >= minlen) {
                    if (nm == capm) {
                        capm = capm ? capm * 2 : 16;
                        m = realloc(m, capm * sizeof(*m));
                        if (!m)
                            abort();
                    }
                    m[nm++] = (struct lcs_match){cur_a0, cur_a1, cur_b0,
                                                 cur_b1, ml};
                }
                cur_a1 = cur_a0 = ai;
                cur_b1 = cur_b0 = bj;
            }
            i--;
            j--;
        } else if (dp[(i - 1) * w + j] >= dp[i * w + j - 1]) {
            i--;
        } else {
            j--;
        }
    }
    if (cur_a0 != -1 && getidx && cur_a1 - cur_a0 + 1 >= minlen) {
        if (nm == capm) {
            capm = capm ? capm * 2 : 16;
            m = realloc(m, capm * sizeof(*m));
            if (!m)
                abort();
        }
        m[nm++] = (struct lcs_match){cur_a0, cur_a1, cur_b0, cur_b1,
                                     cur_a1 - cur_a0 + 1};
    }
    free(dp);
    if (!getidx) {
        resp_w_bulk(c->w, seq, total);
        free(seq);
        return;
    }
    resp_w_map(c->w, 2);
    resp_w_bulk_cstr(c->w, "matches");
    resp_w_array(c->w, (long long)nm);
    for (size_t x = 0; x < nm; x++) {
        resp_w_array(c->w, withlen ? 3 : 2);
        resp_w_array(c->w, 2);
        resp_w_int(c->w, m[x].a0);
        resp_w_int(c->w, m[x].a1);
        resp_w_array(c->w, 2);
        resp_w_int(c->w, m[x].b0);
        resp_w_int(c->w, m[x].b1);
        if (withlen)
            resp_w_int(c->w, m[x].len);
    }
    resp_w_bulk_cstr(c->w, "len");
    resp_w_int(c->w, total);
    free(m);
}

#define RW (CMD_WRITE | CMD_DENYOOM)
#define RO CMD_READONLY
#define FAST CMD_FAST

const struct cmd_def strings_commands[] = {
    {"get", get_command, 2, RO | FAST, 1, 1, 1, "string", NULL, NULL,
     "@read @string @fast"},
    {"set", set_command, -3, RW, 1, 1, 1, "string", NULL, NULL,
     "@write @string @slow"},
    {"setnx", setnx_command, 3, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"setex", setex_command, 4, RW, 1, 1, 1, "string", NULL, NULL,
     "@write @string @slow"},
    {"psetex", psetex_command, 4, RW, 1, 1, 1, "string", NULL, NULL,
     "@write @string @slow"},
    {"getset", getset_command, 3, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"getdel", getdel_command, 2, CMD_WRITE | FAST, 1, 1, 1, "string", NULL,
     NULL, "@write @string @fast"},
    {"getex", getex_command, -2, CMD_WRITE | FAST, 1, 1, 1, "string", NULL,
     NULL, "@write @string @fast"},
    {"mget", mget_command, -2, RO | FAST, 1, -1, 1, "string", NULL, NULL,
     "@read @string @fast"},
    {"mset", mset_command, -3, RW, 1, -1, 2, "string", NULL, NULL,
     "@write @string @slow"},
    {"msetnx", msetnx_command, -3, RW, 1, -1, 2, "string", NULL, NULL,
     "@write @string @slow"},
    {"incr", incr_command, 2, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"decr", decr_command, 2, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"incrby", incrby_command, 3, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"decrby", decrby_command, 3, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"incrbyfloat", incrbyfloat_command, 3, RW | FAST, 1, 1, 1, "string",
     NULL, NULL, "@write @string @fast"},
    {"append", append_command, 3, RW | FAST, 1, 1, 1, "string", NULL, NULL,
     "@write @string @fast"},
    {"strlen", strlen_command, 2, RO | FAST, 1, 1, 1, "string", NULL, NULL,
     "@read @string @fast"},
    {"setrange", setrange_command, 4, RW, 1, 1, 1, "string", NULL, NULL,
     "@write @string @slow"},
    {"getrange", getrange_command, 4, RO, 1, 1, 1, "string", NULL, NULL,
     "@read @string @slow"},
    {"substr", getrange_command, 4, RO, 1, 1, 1, "string", NULL, NULL,
     "@read @string @slow"},
    {"lcs", lcs_command, -3, RO, 1, 2, 1, "string", NULL, NULL,
     "@read @string @slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
