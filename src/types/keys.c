/*
 * keys.c: the generic key commands (DEL, EXISTS, TYPE, KEYS, SCAN, RENAME,
 * COPY, MOVE, FLUSH*, the EXPIRE/TTL family, TOUCH, OBJECT).
 *
 * These commands work on whole entries, never on a value's contents, so
 * they are written against db.h and entry.h only: a rename or a move
 * relinks the same value under another key or db (entry_rekey keeps the
 * value and the TTL, db_add re-indexes the TTL), a copy deep-copies it
 * (entry_dup).
 *
 * Lookups come in three kinds, as in Redis:
 *   read        db_lookup: counts a hit/miss, refreshes the LRU clock
 *               (TOUCH, COPY's source);
 *   read-peek   find_peek: counts a hit/miss, leaves the LRU clock alone
 *               (EXISTS, TYPE, TTL, OBJECT: observing a key is not using it);
 *   write       find_write: no stats, refreshes the LRU clock (RENAME,
 *               EXPIRE, MOVE ...; DEL needs no lookup of its own).
 * All three delete a logically expired key first, so no command here ever
 * sees an expired entry; only KEYS, which must not write, and SCAN, which
 * must not touch the dict while it walks it, test expiry themselves.
 *
 * Invariant: every handler checks all of its arguments before it changes
 * anything, and replies exactly once.
 */
#include "cmd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "evict.h"
#include "glob.h"

#define K(i) c->argv[i], c->argvlen[i]

/* Redis's LRU clock: seconds, wrapping at 24 bits. */

/* Small integers Redis serves from shared objects; OBJECT REFCOUNT
 * reports them with INT_MAX references. */
#define SHARED_INTEGERS 10000

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

/* A read that does not count as an access: hit/miss stats, no LRU. */
static struct entry *find_peek(struct cmd_ctx *c, int i)
{
    struct entry *e = db_find(c->db, K(i), c->now_ms);
    if (e)
        c->ks->keyspace_hits++;
    else
        c->ks->keyspace_misses++;
    return e;
}

/* A lookup for a write: no hit/miss stats, but it is an access. */
static struct entry *find_write(struct cmd_ctx *c, struct db *db, int i)
{
    struct entry *e = db_find(db, K(i), c->now_ms);
    if (e)
        evict_touch(c->ks, e);
    return e;
}

static bool is_cluster(const struct cmd_ctx *c)
{
    return c->db->nslots > 1;
}

static const char *type_name(const struct entry *e)
{
    switch (e->type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    default: return "none";
    }
}

/* Parses a db index the way Redis's getIntFromObjectOrReply does: a
 * non-integer and an integer outside int range are different errors. */
static bool arg_db_index(struct cmd_ctx *c, int i, long long *out)
{
    if (!arg_ll(c, i, out))
        return false;
    if (*out < INT_MIN || *out > INT_MAX) {
        reply_err(c, ERR_INT_RANGE);
        return false;
    }
    return true;
}

/* The db numbered id, or NULL when out of range. */
static struct db *db_at(struct cmd_ctx *c, long long id)
{
    return id >= 0 && id < c->ks->ndb ? &c->ks->dbs[id] : NULL;
}

/* ---- DEL, UNLINK, EXISTS, TOUCH, TYPE ---- */

static void del_command(struct cmd_ctx *c)
{
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        n += db_delete(c->db, K(i), c->now_ms);
    resp_w_int(c->w, n);
}

static void exists_command(struct cmd_ctx *c)
{
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        n += find_peek(c, i) != NULL;
    resp_w_int(c->w, n);
}

static void touch_command(struct cmd_ctx *c)
{
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        n += db_lookup(c->db, K(i), c->now_ms) != NULL;
    resp_w_int(c->w, n);
}

static void type_command(struct cmd_ctx *c)
{
    struct entry *e = find_peek(c, 1);
    const char *t = e ? type_name(e) : "none";
    resp_w_simple(c->w, t, strlen(t));
}

/* ---- KEYS, SCAN, RANDOMKEY, DBSIZE ---- */

struct entry_vec {
    struct entry **v;
    size_t n, cap;
};

static void vec_push(struct entry_vec *ev, struct entry *e)
{
    if (ev->n == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 16;
        ev->v = xrealloc(ev->v, ev->cap * sizeof(*ev->v));
    }
    ev->v[ev->n++] = e;
}

static void reply_keys(struct cmd_ctx *c, const struct entry_vec *ev)
{
    resp_w_array(c->w, (long long)ev->n);
    for (size_t i = 0; i < ev->n; i++) {
        size_t len;
        const char *k = entry_key(ev->v[i], &len);
        resp_w_bulk(c->w, k, len);
    }
}

struct keys_state {
    const char *pat;
    size_t plen;
    bool all;
    uint64_t now_ms;
    struct entry_vec out;
};

static void keys_cb(struct dnode *n, void *arg)
{
    struct keys_state *st = arg;
    struct entry *e = (struct entry *)(void *)n;
    size_t len;
    const char *k = entry_key(e, &len);
    if (entry_expired(e, st->now_ms))
        return;
    if (st->all || glob_match(st->pat, st->plen, k, len, false))
        vec_push(&st->out, e);
}

/* KEYS walks the whole db in one go, as Redis does (the command is
 * documented as O(N) and @dangerous). Expired keys are skipped but not
 * deleted: the walk must not change the dicts it is walking. */
static void keys_command(struct cmd_ctx *c)
{
    struct keys_state st = { K(1), false, c->now_ms, { NULL, 0, 0 } };
    st.all = st.plen == 1 && st.pat[0] == '*';
    uint64_t cursor = 0;
    do {
        cursor = db_scan(c->db, cursor, keys_cb, &st);
    } while (cursor);
    reply_keys(c, &st.out);
    free(st.out.v);
}

/* Parses a SCAN cursor as Redis's strtoull-based parser accepts it: an
 * optional sign ('-' negates modulo 2^64), decimal digits, nothing after
 * them (a NUL byte ends the text, as it ends a C string); an empty string
 * is cursor 0; leading whitespace and overflow are rejected. */
static bool parse_cursor(const char *s, size_t len, uint64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0 || s[0] == '\0') {
        *out = 0;
        return true;
    }
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    size_t first = i;
    uint64_t v = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (i == first || (i < len && s[i] != '\0'))
        return false;
    *out = neg ? (uint64_t)0 - v : v;
    return true;
}

struct scan_state {
    const char *pat;                /* NULL: no MATCH filter */
    size_t plen;
    const char *type;               /* NULL: no TYPE filter */
    size_t tlen;
    uint64_t now_ms;
    long long seen;                 /* entries visited, before filtering */
    struct entry_vec out;           /* live entries that pass the filters */
    char *dead;                     /* expired keys: u32 length + bytes */
    size_t dlen, dcap;
};

static void scan_remember_dead(struct scan_state *st, const char *k,
                               size_t len)
{
    size_t need = st->dlen + sizeof(uint32_t) + len;
    if (need > st->dcap) {
        st->dcap = need > st->dcap * 2 ? need : st->dcap * 2;
        st->dead = xrealloc(st->dead, st->dcap);
    }
    uint32_t l = (uint32_t)len;
    memcpy(st->dead + st->dlen, &l, sizeof(l));
    memcpy(st->dead + st->dlen + sizeof(l), k, len);
    st->dlen = need;
}

static void scan_cb(struct dnode *n, void *arg)
{
    struct scan_state *st = arg;
    struct entry *e = (struct entry *)(void *)n;
    size_t len;
    const char *k = entry_key(e, &len);
    st->seen++;
    if (st->pat && !glob_match(st->pat, st->plen, k, len, false))
        return;
    if (entry_expired(e, st->now_ms)) {
        scan_remember_dead(st, k, len);
        /* Redis 7.0 checks TYPE with a lookup that deletes the expired
         * key and so reads its type as "none": TYPE none lists it. */
        if (st->type && st->tlen == 4 && !strncasecmp(st->type, "none", 4))
            vec_push(&st->out, e);
        return;
    }
    if (st->type) {
        const char *t = type_name(e);
        if (strlen(t) != st->tlen || strncasecmp(t, st->type, st->tlen))
            return;
    }
    vec_push(&st->out, e);
}

/* Parses SCAN's options into st and *count; replies and returns false on
 * a bad one. */
static bool scan_opts(struct cmd_ctx *c, int start, struct scan_state *st,
                      long long *count)
{
    for (int i = start; i < c->argc; i += 2) {
        bool has_val = i + 1 < c->argc;
        if (has_val && arg_is(c, i, "count")) {
            if (!arg_ll(c, i + 1, count))
                return false;
            if (*count < 1) {
                reply_syntax(c);
                return false;
            }
        } else if (has_val && arg_is(c, i, "match")) {
            st->pat = c->argv[i + 1];
            st->plen = c->argvlen[i + 1];
        } else if (has_val && arg_is(c, i, "type")) {
            st->type = c->argv[i + 1];
            st->tlen = c->argvlen[i + 1];
        } else {
            reply_syntax(c);
            return false;
        }
    }
    if (st->pat && st->plen == 1 && st->pat[0] == '*')
        st->pat = NULL;
    return true;
}

/* SCAN visits buckets until it has seen COUNT entries or walked COUNT*10
 * buckets, then filters what it saw (MATCH, TYPE, expired), so a reply
 * may hold fewer than COUNT keys, or none, with a non-zero cursor. The
 * expired keys it met are deleted after the reply is written, when the
 * collected entry pointers are no longer needed. */
static void scan_command(struct cmd_ctx *c)
{
    uint64_t cursor;
    if (!parse_cursor(K(1), &cursor)) {
        reply_err(c, ERR_NOT_INT_CURSOR);
        return;
    }
    struct scan_state st;
    memset(&st, 0, sizeof(st));
    st.now_ms = c->now_ms;
    long long count = 10;
    if (!scan_opts(c, 2, &st, &count))
        return;
    long long budget = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    do {
        cursor = db_scan(c->db, cursor, scan_cb, &st);
    } while (cursor && budget-- && st.seen < count);

    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)cursor);
    resp_w_array(c->w, 2);
    resp_w_bulk(c->w, buf, (size_t)n);
    reply_keys(c, &st.out);
    free(st.out.v);

    for (size_t off = 0; off < st.dlen;) {
        uint32_t l;
        memcpy(&l, st.dead + off, sizeof(l));
        off += sizeof(l);
        db_find(c->db, st.dead + off, l, c->now_ms);   /* deletes it */
        off += l;
    }
    free(st.dead);
}

static void randomkey_command(struct cmd_ctx *c)
{
    struct entry *e = db_random(c->db, c->now_ms);
    if (!e) {
        resp_w_null(c->w);
        return;
    }
    size_t len;
    const char *k = entry_key(e, &len);
    resp_w_bulk(c->w, k, len);
}

static void dbsize_command(struct cmd_ctx *c)
{
    resp_w_int(c->w, (long long)db_size(c->db));
}

/* ---- FLUSHDB, FLUSHALL ---- */

/* [ASYNC|SYNC]: both free the old entries in slices (db_flush), so the
 * choice only has to be valid. */
static bool flush_opts(struct cmd_ctx *c)
{
    if (c->argc == 1 ||
        (c->argc == 2 && (arg_is(c, 1, "async") || arg_is(c, 1, "sync"))))
        return true;
    reply_syntax(c);
    return false;
}

static void flushdb_command(struct cmd_ctx *c)
{
    if (!flush_opts(c))
        return;
    db_flush(c->db);
    resp_w_ok(c->w);
}

static void flushall_command(struct cmd_ctx *c)
{
    if (!flush_opts(c))
        return;
    for (int i = 0; i < c->ks->ndb; i++)
        db_flush(&c->ks->dbs[i]);
    resp_w_ok(c->w);
}

/* ---- RENAME, RENAMENX, MOVE, COPY ---- */

/* Moves entry e (stored in `from` under argv[from_key]) to db `to` under
 * argv[to_key]; the value, the TTL and the LRU clock go with it. */
static void relocate(struct cmd_ctx *c, struct db *from, int from_key,
                     struct db *to, int to_key)
{
    struct entry *e = db_unlink(from, K(from_key));
    uint32_t lru = e->lru;
    if (to_key != from_key)
        e = entry_rekey(e, K(to_key));
    db_add(to, e);
    e->lru = lru;
}

static void rename_generic(struct cmd_ctx *c, bool nx)
{
    struct entry *src = find_write(c, c->db, 1);
    if (!src) {
        reply_err(c, ERR_NO_KEY);
        return;
    }
    if (c->argvlen[1] == c->argvlen[2] &&
        memcmp(c->argv[1], c->argv[2], c->argvlen[1]) == 0) {
        if (nx)
            resp_w_int(c->w, 0);
        else
            resp_w_ok(c->w);
        return;
    }
    if (find_write(c, c->db, 2)) {
        if (nx) {
            resp_w_int(c->w, 0);
            return;
        }
        db_delete(c->db, K(2), c->now_ms);
    }
    relocate(c, c->db, 1, c->db, 2);
    if (nx)
        resp_w_int(c->w, 1);
    else
        resp_w_ok(c->w);
}

static void rename_command(struct cmd_ctx *c)
{
    rename_generic(c, false);
}

static void renamenx_command(struct cmd_ctx *c)
{
    rename_generic(c, true);
}

static void move_command(struct cmd_ctx *c)
{
    if (is_cluster(c)) {
        reply_err(c, ERR_MOVE_CLUSTER);
        return;
    }
    long long id;
    if (!arg_db_index(c, 2, &id))
        return;
    struct db *dst = db_at(c, id);
    if (!dst) {
        reply_err(c, ERR_INVALID_DB);
        return;
    }
    if (dst == c->db) {
        reply_err(c, ERR_SAME_OBJECT);
        return;
    }
    if (!find_write(c, c->db, 1) || find_write(c, dst, 1)) {
        resp_w_int(c->w, 0);
        return;
    }
    relocate(c, c->db, 1, dst, 1);
    resp_w_int(c->w, 1);
}

static void copy_command(struct cmd_ctx *c)
{
    bool replace = false;
    long long id = c->db->id;
    for (int i = 3; i < c->argc; i++) {
        if (arg_is(c, i, "replace")) {
            replace = true;
        } else if (arg_is(c, i, "db") && i + 1 < c->argc) {
            if (!arg_db_index(c, ++i, &id))
                return;
        } else {
            reply_syntax(c);
            return;
        }
    }
    struct db *dst = db_at(c, id);
    if (!dst) {
        reply_err(c, ERR_INVALID_DB);
        return;
    }
    if (is_cluster(c) && (c->db->id != 0 || id != 0)) {
        reply_err(c, ERR_COPY_CLUSTER);
        return;
    }
    if (dst == c->db && c->argvlen[1] == c->argvlen[2] &&
        memcmp(c->argv[1], c->argv[2], c->argvlen[1]) == 0) {
        reply_err(c, ERR_SAME_OBJECT);
        return;
    }
    struct entry *src = db_lookup(c->db, K(1), c->now_ms);
    if (!src) {
        resp_w_int(c->w, 0);
        return;
    }
    bool exists = find_write(c, dst, 2) != NULL;
    if (exists && !replace) {
        resp_w_int(c->w, 0);
        return;
    }
    struct entry *copy = entry_dup(src, K(2));
    if (exists)
        db_delete(dst, K(2), c->now_ms);
    db_add(dst, copy);
    resp_w_int(c->w, 1);
}

/* ---- EXPIRE family ---- */

enum { EXP_NX = 1, EXP_XX = 2, EXP_GT = 4, EXP_LT = 8 };

static bool expire_opts(struct cmd_ctx *c, unsigned *flags)
{
    *flags = 0;
    for (int i = 3; i < c->argc; i++) {
        if (arg_is(c, i, "nx")) {
            *flags |= EXP_NX;
        } else if (arg_is(c, i, "xx")) {
            *flags |= EXP_XX;
        } else if (arg_is(c, i, "gt")) {
            *flags |= EXP_GT;
        } else if (arg_is(c, i, "lt")) {
            *flags |= EXP_LT;
        } else {
            /* Redis formats the option with %s: a NUL byte ends it. */
            size_t n = strnlen(c->argv[i], c->argvlen[i]);
            resp_w_errorf(c->w, ERR_UNSUPPORTED_OPT, (int)n, c->argv[i]);
            return false;
        }
    }
    if ((*flags & EXP_NX) && (*flags & (EXP_XX | EXP_GT | EXP_LT))) {
        reply_err(c, ERR_EXPIRE_NX_XX);
        return false;
    }
    if ((*flags & EXP_GT) && (*flags & EXP_LT)) {
        reply_err(c, ERR_EXPIRE_GT_LT);
        return false;
    }
    return true;
}

/* Whether the NX/XX/GT/LT condition lets `when` replace the current TTL
 * (-1: none). A key without a TTL counts as expiring never, so GT never
 * applies to it and LT always does. */
static bool expire_allowed(unsigned flags, int64_t cur, int64_t when)
{
    if ((flags & EXP_NX) && cur != -1)
        return false;
    if ((flags & EXP_XX) && cur == -1)
        return false;
    if ((flags & EXP_GT) && (cur == -1 || when <= cur))
        return false;
    if ((flags & EXP_LT) && cur != -1 && when >= cur)
        return false;
    return true;
}

/* EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. seconds: argv[2] is in seconds;
 * relative: it is added to now. A resulting time at or before now deletes
 * the key (and still replies 1). */
static void expire_generic(struct cmd_ctx *c, bool seconds, bool relative,
                           const char *name)
{
    unsigned flags;
    long long when;
    if (!expire_opts(c, &flags) || !arg_ll(c, 2, &when))
        return;
    long long base = relative ? (long long)c->now_ms : 0;
    bool bad = false;
    if (seconds) {
        bad = when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000;
        if (!bad)
            when *= 1000;
    }
    if (bad || when > LLONG_MAX - base) {
        resp_w_errorf(c->w, ERR_EXPIRE_TIME, name);
        return;
    }
    when += base;
    struct entry *e = find_write(c, c->db, 1);
    if (!e || !expire_allowed(flags, entry_expire(e), when)) {
        resp_w_int(c->w, 0);
        return;
    }
    if (when <= (long long)c->now_ms)
        db_delete(c->db, K(1), c->now_ms);
    else
        db_set_expire(c->db, e, when);
    resp_w_int(c->w, 1);
}

static void expire_command(struct cmd_ctx *c)
{
    expire_generic(c, true, true, "expire");
}

static void pexpire_command(struct cmd_ctx *c)
{
    expire_generic(c, false, true, "pexpire");
}

static void expireat_command(struct cmd_ctx *c)
{
    expire_generic(c, true, false, "expireat");
}

static void pexpireat_command(struct cmd_ctx *c)
{
    expire_generic(c, false, false, "pexpireat");
}

/* TTL/PTTL (relative) and EXPIRETIME/PEXPIRETIME (absolute): -2 for a
 * missing key, -1 for one without a TTL. Seconds round to nearest. */
static void ttl_generic(struct cmd_ctx *c, bool ms, bool relative)
{
    struct entry *e = find_peek(c, 1);
    if (!e) {
        resp_w_int(c->w, -2);
        return;
    }
    if (!entry_has_ttl(e)) {
        resp_w_int(c->w, -1);
        return;
    }
    long long t = entry_expire(e);
    if (relative) {
        t -= (long long)c->now_ms;
        if (t < 0)
            t = 0;
    }
    /* t >= 0 here; round half up without overflowing at LLONG_MAX (Redis
     * replies 9223372036854776 for PEXPIREAT LLONG_MAX). */
    resp_w_int(c->w, ms ? t : t / 1000 + (t % 1000 >= 500));
}

static void ttl_command(struct cmd_ctx *c)
{
    ttl_generic(c, false, true);
}

static void pttl_command(struct cmd_ctx *c)
{
    ttl_generic(c, true, true);
}

static void expiretime_command(struct cmd_ctx *c)
{
    ttl_generic(c, false, false);
}

static void pexpiretime_command(struct cmd_ctx *c)
{
    ttl_generic(c, true, false);
}

static void persist_command(struct cmd_ctx *c)
{
    struct entry *e = find_write(c, c->db, 1);
    if (!e || !entry_has_ttl(e)) {
        resp_w_int(c->w, 0);
        return;
    }
    db_persist(c->db, e);
    resp_w_int(c->w, 1);
}

/* ---- OBJECT ---- */

/* OBJECT <sub> <key>: the key, or NULL after replying null. */
static struct entry *object_lookup(struct cmd_ctx *c)
{
    struct entry *e = find_peek(c, 2);
    if (!e)
        resp_w_null(c->w);
    return e;
}

static void object_encoding_command(struct cmd_ctx *c)
{
    struct entry *e = object_lookup(c);
    if (e)
        resp_w_bulk_cstr(c->w, entry_encoding_name(e));
}

static void object_refcount_command(struct cmd_ctx *c)
{
    struct entry *e = object_lookup(c);
    if (!e)
        return;
    long long refs = 1;
    /* Judged by today's settings; Redis decides when the value is
     * written (a value from before a CONFIG SET keeps its sharing). */
    if (e->type == OBJ_STRING && e->enc == ENC_INT &&
        !(e->flags & E_UNSHARED) && !c->ks->unshared_ints) {
        long long v = entry_int(e);
        if (v >= 0 && v < SHARED_INTEGERS)
            refs = INT_MAX;
    }
    resp_w_int(c->w, refs);
}

static void object_idletime_command(struct cmd_ctx *c)
{
    struct entry *e = object_lookup(c);
    if (!e)
        return;
    if (c->ks->lfu) {
        reply_err(c, ERR_LFU_ON);
        return;
    }
    resp_w_int(c->w, (long long)evict_idle_s(c->ks, e));
}

static void object_freq_command(struct cmd_ctx *c)
{
    struct entry *e = object_lookup(c);
    if (!e)
        return;
    if (!c->ks->lfu) {
        reply_err(c, ERR_LFU_OFF);
        return;
    }
    resp_w_int(c->w, (long long)evict_lfu_freq(c->ks, e));
}

static void object_help_command(struct cmd_ctx *c)
{
    static const char *const lines[] = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to "
        "store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned "
        "integer is",
        "    proportional to the logarithm of the recent access frequency "
        "of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated "
        "number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with "
        "the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };
    reply_help(c, lines, sizeof(lines) / sizeof(lines[0]));
}

static void object_command(struct cmd_ctx *c)
{
    (void)c;        /* dispatched to the subcommand rows by the server */
}

/* ---- table ---- */

#define W CMD_WRITE
#define RO CMD_READONLY
#define FAST CMD_FAST

static const struct cmd_def object_subcommands[] = {
    {"encoding", object_encoding_command, 3, RO, 2, 2, 1, "generic", NULL,
     NULL, "@keyspace @read @slow"},
    {"freq", object_freq_command, 3, RO, 2, 2, 1, "generic", NULL, NULL,
     "@keyspace @read @slow"},
    {"idletime", object_idletime_command, 3, RO, 2, 2, 1, "generic", NULL,
     NULL, "@keyspace @read @slow"},
    {"refcount", object_refcount_command, 3, RO, 2, 2, 1, "generic", NULL,
     NULL, "@keyspace @read @slow"},
    {"help", object_help_command, 2, CMD_LOADING | CMD_STALE, 0, 0, 0,
     "generic", NULL, NULL, "@keyspace @slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

const struct cmd_def keys_commands[] = {
    {"del", del_command, -2, W, 1, -1, 1, "generic", NULL, NULL,
     "@keyspace @write @slow"},
    {"unlink", del_command, -2, W | FAST, 1, -1, 1, "generic", NULL, NULL,
     "@keyspace @write @fast"},
    {"exists", exists_command, -2, RO | FAST, 1, -1, 1, "generic", NULL,
     NULL, "@keyspace @read @fast"},
    {"touch", touch_command, -2, RO | FAST, 1, -1, 1, "generic", NULL, NULL,
     "@keyspace @read @fast"},
    {"type", type_command, 2, RO | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @read @fast"},
    {"keys", keys_command, 2, RO, 0, 0, 0, "generic", NULL, NULL,
     "@keyspace @read @slow @dangerous"},
    {"scan", scan_command, -2, RO, 0, 0, 0, "generic", NULL, NULL,
     "@keyspace @read @slow"},
    {"randomkey", randomkey_command, 1, RO, 0, 0, 0, "generic", NULL, NULL,
     "@keyspace @read @slow"},
    {"dbsize", dbsize_command, 1, RO | FAST, 0, 0, 0, "server", NULL, NULL,
     "@keyspace @read @fast"},
    {"flushdb", flushdb_command, -1, W, 0, 0, 0, "server", NULL, NULL,
     "@keyspace @write @slow @dangerous"},
    {"flushall", flushall_command, -1, W, 0, 0, 0, "server", NULL, NULL,
     "@keyspace @write @slow @dangerous"},
    {"rename", rename_command, 3, W, 1, 2, 1, "generic", NULL, NULL,
     "@keyspace @write @slow"},
    {"renamenx", renamenx_command, 3, W | FAST, 1, 2, 1, "generic", NULL,
     NULL, "@keyspace @write @fast"},
    {"move", move_command, 3, W | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @write @fast"},
    {"copy", copy_command, -3, W | CMD_DENYOOM, 1, 2, 1, "generic", NULL,
     NULL, "@keyspace @write @slow"},
    {"expire", expire_command, -3, W | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @write @fast"},
    {"pexpire", pexpire_command, -3, W | FAST, 1, 1, 1, "generic", NULL,
     NULL, "@keyspace @write @fast"},
    {"expireat", expireat_command, -3, W | FAST, 1, 1, 1, "generic", NULL,
     NULL, "@keyspace @write @fast"},
    {"pexpireat", pexpireat_command, -3, W | FAST, 1, 1, 1, "generic", NULL,
     NULL, "@keyspace @write @fast"},
    {"ttl", ttl_command, 2, RO | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @read @fast"},
    {"pttl", pttl_command, 2, RO | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @read @fast"},
    {"expiretime", expiretime_command, 2, RO | FAST, 1, 1, 1, "generic",
     NULL, NULL, "@keyspace @read @fast"},
    {"pexpiretime", pexpiretime_command, 2, RO | FAST, 1, 1, 1, "generic",
     NULL, NULL, "@keyspace @read @fast"},
    {"persist", persist_command, 2, W | FAST, 1, 1, 1, "generic", NULL, NULL,
     "@keyspace @write @fast"},
    {"object", object_command, -2, 0, 0, 0, 0, "generic", NULL,
     object_subcommands, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
