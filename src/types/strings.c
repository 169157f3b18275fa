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

/* Parses SET/GETEX options from argv[start..] with Redis's rules: each
 * option excludes the ones it conflicts with but not itself, so repeating
 * one is accepted and the last expire value wins ("EX 10 EX 20"). Only the
 * syntax is checked here; the expire value is checked by expire_arg, which
 * GETEX calls after its key lookup. *exp_pos is the index of that value
 * (0 when no expire option was given). */
static bool parse_set_opts(struct cmd_ctx *c, int start, bool getex,
                           unsigned *flags, int *exp_pos)
{
    static const struct { const char *name; unsigned flag, excl; } units[] = {
        {"ex", SET_EX, SET_ANY_EXP & ~SET_EX},
        {"px", SET_PX, SET_ANY_EXP & ~SET_PX},
        {"exat", SET_EXAT, SET_ANY_EXP & ~SET_EXAT},
        {"pxat", SET_PXAT, SET_ANY_EXP & ~SET_PXAT},
    };
    *flags = 0;
    *exp_pos = 0;
    for (int i = start; i < c->argc; i++) {
        unsigned f = *flags;
        bool has_next = i + 1 < c->argc;
        int u = -1;
        for (int k = 0; k < 4; k++)
            if (arg_is(c, i, units[k].name))
                u = k;
        if (!getex && arg_is(c, i, "nx") && !(f & SET_XX)) {
            *flags |= SET_NX;
        } else if (!getex && arg_is(c, i, "xx") && !(f & SET_NX)) {
            *flags |= SET_XX;
        } else if (!getex && arg_is(c, i, "get")) {
            *flags |= SET_GET;
        } else if (!getex && arg_is(c, i, "keepttl") &&
                   !(f & (SET_ANY_EXP | SET_PERSIST))) {
            *flags |= SET_KEEPTTL;
        } else if (getex && arg_is(c, i, "persist") &&
                   !(f & (SET_ANY_EXP | SET_KEEPTTL))) {
            *flags |= SET_PERSIST;
        } else if (u >= 0 && has_next &&
                   !(f & (units[u].excl | SET_KEEPTTL | SET_PERSIST))) {
            *flags |= units[u].flag;
            *exp_pos = ++i;
        } else {
            reply_syntax(c);
            return false;
        }
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
    if (old && old->type == OBJ_STRING && !(flags & SET_ANY_EXP)) {
        /* Overwrite in place: the allocation is reused when the new value
         * fits its size class (the common case for a cache). */
        struct entry *ne = entry_replace_str(old, K(val));
        db_relink(c->db, old, ne);
        if (!(flags & SET_KEEPTTL) && entry_has_ttl(ne))
            db_persist(c->db, ne);
    } else {
        struct entry *e = (flags & SET_ANY_EXP)
            ? entry_new_str_ttl(K(key), K(val), when)
            : entry_new_str(K(key), K(val));
        db_set_found(c->db, old, e, flags & SET_KEEPTTL, c->now_ms);
    }
    if (!(flags & SET_GET))
        resp_w_ok(c->w);
}

static void set_command(struct cmd_ctx *c)
{
    unsigned flags;
    int exp_pos;
    int64_t when = 0;
    if (!parse_set_opts(c, 3, false, &flags, &exp_pos))
        return;
    if (exp_pos && !expire_arg(c, exp_pos, flags & SET_ANY_EXP, "set", &when))
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
    int exp_pos;
    int64_t when = 0;
    if (!parse_set_opts(c, 2, true, &flags, &exp_pos))
        return;
    /* Redis looks the key up before it checks the expire value: a missing
     * key answers null even with "EX 0". */
    struct entry *e;
    if (!lookup_str(c, 1, &e))
        return;
    if (!e) {
        resp_w_null(c->w);
        return;
    }
    if (exp_pos &&
        !expire_arg(c, exp_pos, flags & SET_ANY_EXP, "getex", &when))
        return;
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
        struct entry *ne = entry_replace_str_noint(e, out, (size_t)n);
        db_relink(c->db, e, ne);
    } else {
        db_add(c->db, entry_new_str_noint(K(1), out, (size_t)n));
    }
    resp_w_bulk(c->w, out, (size_t)n);
}

/* ---- byte ranges ---- */

/* Whether a string of base + add bytes is allowed (proto-max-bulk-len);
 * replies the error if not. base is >= 0; the sum must not overflow, as
 * with SETRANGE at offset LLONG_MAX. */
static bool check_size(struct cmd_ctx *c, long long base, size_t add)
{
    long long max = c->lim->proto_max_bulk_len;
    if ((unsigned long long)add > (unsigned long long)max ||
        base > max - (long long)add) {
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
    if (!check_size(c, (long long)cur, c->argvlen[2]))
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
        if (!check_size(c, off, n))
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
    if (!check_size(c, off, n))
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

struct lcs_opts {
    bool getlen, getidx, withlen;
    long long minlen;
};

static bool lcs_parse(struct cmd_ctx *c, struct lcs_opts *o)
{
    *o = (struct lcs_opts){false, false, false, 0};
    for (int i = 3; i < c->argc; i++) {
        if (arg_is(c, i, "idx")) {
            o->getidx = true;
        } else if (arg_is(c, i, "len")) {
            o->getlen = true;
        } else if (arg_is(c, i, "withmatchlen")) {
            o->withlen = true;
        } else if (arg_is(c, i, "minmatchlen") && i + 1 < c->argc) {
            if (!arg_ll(c, i + 1, &o->minlen))
                return false;
            if (o->minlen < 0)
                o->minlen = 0;
            i++;
        } else {
            reply_syntax(c);
            return false;
        }
    }
    if (o->getidx && o->getlen) {
        reply_err(c, "ERR If you want both the length and indexes, please "
                  "just use IDX.");
        return false;
    }
    return true;
}

static void lcs_push(struct lcs_match **m, size_t *n, size_t *cap,
                     struct lcs_match x)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *m = realloc(*m, *cap * sizeof(**m));
        if (!*m)
            abort();
    }
    (*m)[(*n)++] = x;
}

/* Walks the table back from (la, lb) the way Redis does (on a tie it moves
 * in b, so the same LCS among equals is chosen), filling seq (total bytes)
 * and, when m is not NULL, the ranges of matching runs, last first. */
static void lcs_walk(const uint32_t *dp, const char *a, size_t la,
                     const char *b, size_t lb, char *seq, uint32_t total,
                     long long minlen, struct lcs_match **m, size_t *nm)
{
    size_t w = lb + 1, cap = 0, i = la, j = lb, k = total;
    bool open = false;
    struct lcs_match r = {0, 0, 0, 0, 0};
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            seq[--k] = a[i - 1];
            if (!open) {
                r.a0 = r.a1 = (long long)i - 1;
                r.b0 = r.b1 = (long long)j - 1;
                open = true;
            } else {
                r.a0--;
                r.b0--;
            }
            i--;
            j--;
            if (i > 0 && j > 0 && a[i - 1] == b[j - 1])
                continue;           /* the run goes on */
        } else {
            if (dp[(i - 1) * w + j] > dp[i * w + j - 1])
                i--;
            else
                j--;
            if (!open)
                continue;
        }
        if (m && r.a1 - r.a0 + 1 >= minlen) {
            r.len = r.a1 - r.a0 + 1;
            lcs_push(m, nm, &cap, r);
        }
        open = false;
    }
    if (open && m && r.a1 - r.a0 + 1 >= minlen) {
        r.len = r.a1 - r.a0 + 1;
        lcs_push(m, nm, &cap, r);
    }
}

static void lcs_reply_idx(struct cmd_ctx *c, const struct lcs_match *m,
                          size_t nm, bool withlen, uint32_t total)
{
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
}

/* LCS a b [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN], in Redis's order of
 * checks: key types, options, then the size of the O(|a|*|b|) table, which
 * may not exceed proto-max-bulk-len. */
static void lcs_command(struct cmd_ctx *c)
{
    struct entry *ea = db_lookup(c->db, K(1), c->now_ms);
    struct entry *eb = db_lookup(c->db, K(2), c->now_ms);
    if ((ea && ea->type != OBJ_STRING) || (eb && eb->type != OBJ_STRING)) {
        reply_err(c, "ERR The specified keys must contain string values");
        return;
    }
    struct lcs_opts o;
    if (!lcs_parse(c, &o))
        return;
    char ba[24], bb[24];
    size_t la = 0, lb = 0;
    const char *a = ea ? entry_str(ea, ba, &la) : "";
    const char *b = eb ? entry_str(eb, bb, &lb) : "";
    if (la >= UINT32_MAX - 1 || lb >= UINT32_MAX - 1) {
        reply_err(c, "ERR String too long for LCS");
        return;
    }
    unsigned long long cells = (unsigned long long)(la + 1) * (lb + 1);
    if (cells * sizeof(uint32_t) >
        (unsigned long long)c->lim->proto_max_bulk_len) {
        reply_err(c, "ERR Insufficient memory, transient memory for LCS "
                  "exceeds proto-max-bulk-len");
        return;
    }
    /* Bounded by proto-max-bulk-len, which may be set very large: like
     * Redis, a failed allocation here is a reply, not an abort. */
    uint32_t *dp = malloc(cells * sizeof(uint32_t));
    if (!dp) {
        reply_err(c, "ERR Insufficient memory, failed allocating transient "
                  "memory for LCS");
        return;
    }
    /* dp[i][j] = LCS length of a[0..i) and b[0..j). */
    size_t w = lb + 1;
    for (size_t i = 0; i <= la; i++)
        for (size_t j = 0; j <= lb; j++) {
            if (i == 0 || j == 0)
                dp[i * w + j] = 0;
            else if (a[i - 1] == b[j - 1])
                dp[i * w + j] = dp[(i - 1) * w + j - 1] + 1;
            else {
                uint32_t x = dp[(i - 1) * w + j], y = dp[i * w + j - 1];
                dp[i * w + j] = x > y ? x : y;
            }
        }
    uint32_t total = dp[la * w + lb];
    if (o.getlen) {
        resp_w_int(c->w, total);
        free(dp);
        return;
    }
    char *seq = malloc((size_t)total + 1);
    if (!seq)
        abort();
    struct lcs_match *m = NULL;
    size_t nm = 0;
    lcs_walk(dp, a, la, b, lb, seq, total, o.minlen, o.getidx ? &m : NULL,
             &nm);
    free(dp);
    if (o.getidx)
        lcs_reply_idx(c, m, nm, o.withlen, total);
    else
        resp_w_bulk(c->w, seq, total);
    free(seq);
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
