/*
 * dict.c: the keyspace hash table. See dict.h for the contract.
 *
 * Layout:
 *
 *   struct dict
 *   +---------+        t[0]: 2^k bucket heads      entry (caller's memory)
 *   | t[0] ---+------> [ * ][ 0 ][ * ][ 0 ] ...    +------------+----------
 *   | t[1]    |          |          `------------> | dnode.next | key ...
 *   | mask[2] |          `--> entry --> entry      +------------+----------
 *   | used[2] |
 *   | rehash  |        t[1]: the table being filled while rehashing
 *   +---------+
 *
 * Invariants:
 *  - Tables are NULL or hold a power of two >= DICT_MIN buckets;
 *    mask[i] = buckets - 1 when t[i] is present, 0 otherwise.
 *  - t[1] != NULL exactly while rehashing. Then every t[0] bucket below
 *    rehash_idx is empty (already moved) and new entries go to t[1].
 *  - used[i] counts the entries reachable from t[i]; the dict's size is
 *    used[0] + used[1]. A rehash ends the moment used[0] reaches 0, so the
 *    empty tail of t[0] is never walked.
 *  - t[0] may be absent only when the dict is empty (tables are allocated
 *    on the first add, and again after dict_detach_all).
 *  - While pause > 0 (dict_scan is calling back) nothing moves entries
 *    between tables, so a callback may call dict_find without upsetting
 *    the bucket walk in progress.
 *
 * Rehashing is incremental: each add/find/remove/random moves one bucket
 * (visiting at most 10 empty ones), and the server's cron adds budgeted
 * dict_rehash_step calls. If entries arrive faster than a shrink-rehash
 * drains t[0], t[1] can get crowded; an add then moves as many buckets as
 * t[1]'s load factor (capped), so the extra work per add stays of the order
 * of the chain walk that the crowding costs anyway.
 *
 * Hashes are not stored: moving an entry recomputes XXH3 over its key.
 * XXH3 is compiled inline (XXH_INLINE_ALL) so the short-key path costs no
 * call; it produces the same values as libxxhash's XXH3_64bits_withSeed.
 */
#include "dict.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define DICT_MIN 4              /* smallest table, in buckets */
#define EMPTY_VISITS 10         /* empty buckets a step may pass per bucket */
#define MAX_CATCHUP 64          /* most buckets one add moves when crowded */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef void (*key_fn)(const struct dnode *n, const char **key, size_t *len);

struct dict {
    struct dnode **t[2];
    size_t mask[2];
    size_t used[2];
    size_t rehash_idx;          /* next t[0] bucket to move (rehashing) */
    key_fn key;                 /* copied from ops: one load less per probe */
    uint64_t seed;
    unsigned pause;             /* > 0 inside dict_scan's callbacks */
};

/* Tables of a detached dict, destroyed in slices. */
struct dict_graveyard {
    struct dnode **t[2];
    size_t buckets[2];
    size_t idx[2];              /* next bucket to empty in each table */
    size_t left;                /* nodes not yet destroyed */
};

static inline uint64_t hash_bytes(const struct dict *d, const char *key,
                                  size_t len)
{
    return XXH3_64bits_withSeed(key, len, d->seed);
}

static inline uint64_t node_hash(const struct dict *d, const struct dnode *n)
{
    const char *k;
    size_t l;
    d->key(n, &k, &l);
    return hash_bytes(d, k, l);
}

/* Smallest power of two >= n, and at least DICT_MIN. */
static size_t table_size_for(size_t n)
{
    if (n <= DICT_MIN)
        return DICT_MIN;
    return (size_t)1 << (64 - __builtin_clzll((unsigned long long)n - 1));
}

/* ---- creation ---- */

struct dict *dict_new(const struct dict_ops *ops, uint64_t seed)
{
    struct dict *d = xcalloc(1, sizeof(*d));
    d->key = ops->key;
    d->seed = seed;
    return d;
}

void dict_free(struct dict **dp)
{
    struct dict *d = *dp;
    if (!d)
        return;
    free(d->t[0]);
    free(d->t[1]);
    free(d);
    *dp = NULL;
}

size_t dict_size(const struct dict *d)
{
    return d->used[0] + d->used[1];
}

size_t dict_buckets(const struct dict *d)
{
    size_t n = 0;
    for (int i = 0; i < 2; i++)
        if (d->t[i])
            n += d->mask[i] + 1;
    return n;
}

bool dict_is_rehashing(const struct dict *d)
{
    return d->t[1] != NULL;
}

uint64_t dict_hash(const struct dict *d, const char *key, size_t len)
{
    return hash_bytes(d, key, len);
}

size_t dict_mem(const struct dict *d)
{
    return sizeof(*d) + dict_buckets(d) * sizeof(struct dnode *);
}

/* ---- rehashing ---- */

static void finish_rehash(struct dict *d)
{
    free(d->t[0]);
    d->t[0] = d->t[1];
    d->mask[0] = d->mask[1];
    d->used[0] = d->used[1];
    d->t[1] = NULL;
    d->mask[1] = 0;
    d->used[1] = 0;
    d->rehash_idx = 0;
}

/* Moves up to n non-empty t[0] buckets into t[1], passing at most
 * EMPTY_VISITS * n empty ones. Returns true while rehashing remains. */
static bool rehash(struct dict *d, unsigned n)
{
    struct dnode **from = d->t[0], **to = d->t[1];
    size_t mask = d->mask[1], i = d->rehash_idx;
    size_t empty = (size_t)n * EMPTY_VISITS;

    while (n && d->used[0]) {
        struct dnode *e = from[i];
        if (!e) {
            i++;
            if (--empty == 0)
                break;
            continue;
        }
        from[i++] = NULL;
        do {
            struct dnode *next = e->next;
            size_t b = node_hash(d, e) & mask;
            e->next = to[b];
            to[b] = e;
            d->used[0]--;
            d->used[1]++;
            e = next;
        } while (e);
        n--;
    }
    d->rehash_idx = i;
    if (d->used[0])
        return true;
    finish_rehash(d);
    return false;
}

/* Opens t[1] with `buckets` buckets (a power of two) and starts moving. */
static void start_rehash(struct dict *d, size_t buckets)
{
    d->t[1] = xcalloc(buckets, sizeof(struct dnode *));
    d->mask[1] = buckets - 1;
    d->used[1] = 0;
    d->rehash_idx = 0;
    if (!d->used[0])
        finish_rehash(d);
}

/* The step a regular operation pays while rehashing. */
static inline void op_step(struct dict *d, unsigned n)
{
    if (unlikely(d->t[1] != NULL) && !d->pause)
        rehash(d, n);
}

bool dict_rehash_step(struct dict *d, unsigned n)
{
    if (!d->t[1])
        return false;
    if (d->pause)
        return true;
    return rehash(d, n);
}

bool dict_shrink_if_needed(struct dict *d)
{
    if (!d->t[0] || d->t[1] || d->pause)
        return false;
    size_t buckets = d->mask[0] + 1;
    if (buckets <= DICT_MIN || d->used[0] >= buckets / 8)
        return false;
    start_rehash(d, table_size_for(d->used[0]));
    return true;
}

/* ---- lookup ---- */

/* The link pointing at the node with this key in one chain, or NULL. */
static inline struct dnode **chain_find(const struct dict *d,
                                        struct dnode **link, const char *key,
                                        size_t len)
{
    key_fn kf = d->key;
    for (struct dnode *n = *link; n; link = &n->next, n = *link) {
        const char *k;
        size_t l;
        kf(n, &k, &l);
        if (l == len && memcmp(k, key, len) == 0)
            return link;
    }
    return NULL;
}

/* Finds the link to key's node and the table holding it (in *tbl). */
static inline struct dnode **lookup(struct dict *d, const char *key,
                                    size_t len, int *tbl)
{
    if (d->used[0] + d->used[1] == 0)
        return NULL;
    op_step(d, 1);
    uint64_t h = hash_bytes(d, key, len);
    size_t b = h & d->mask[0];
    *tbl = 0;
    if (likely(!d->t[1]))
        return chain_find(d, &d->t[0][b], key, len);
    struct dnode **link = NULL;
    if (b >= d->rehash_idx)
        link = chain_find(d, &d->t[0][b], key, len);
    if (!link) {
        *tbl = 1;
        link = chain_find(d, &d->t[1][h & d->mask[1]], key, len);
    }
    return link;
}

struct dnode *dict_find(struct dict *d, const char *key, size_t len)
{
    int tbl;
    struct dnode **link = lookup(d, key, len, &tbl);
    return link ? *link : NULL;
}

struct dnode **dict_find_link(struct dict *d, const char *key, size_t len)
{
    int tbl;
    return lookup(d, key, len, &tbl);
}

/* ---- insert / delete ---- */

void dict_add(struct dict *d, struct dnode *n)
{
    if (d->t[1]) {
        /* Catch up faster when t[1] is crowded (see the file comment). */
        size_t load = d->used[1] / (d->mask[1] + 1);
        op_step(d, load < 1 ? 1 : load > MAX_CATCHUP ? MAX_CATCHUP
                                                      : (unsigned)load);
    } else if (!d->t[0]) {
        d->t[0] = xcalloc(DICT_MIN, sizeof(struct dnode *));
        d->mask[0] = DICT_MIN - 1;
    } else if (d->used[0] >= d->mask[0] + 1 && !d->pause) {
        start_rehash(d, table_size_for(d->used[0] + 1));
    }
    int i = d->t[1] ? 1 : 0;
    size_t b = node_hash(d, n) & d->mask[i];
    n->next = d->t[i][b];
    d->t[i][b] = n;
    d->used[i]++;
}

struct dnode *dict_remove(struct dict *d, const char *key, size_t len)
{
    int tbl;
    struct dnode **link = lookup(d, key, len, &tbl);
    if (!link)
        return NULL;
    struct dnode *n = *link;
    *link = n->next;
    n->next = NULL;
    d->used[tbl]--;
    /* A shrink in progress may have just emptied t[0]. */
    if (d->t[1] && !d->used[0] && !d->pause)
        finish_rehash(d);
    return n;
}

/* ---- scan ---- */

#if defined(__has_builtin)
#if __has_builtin(__builtin_bitreverse64)
#define RC_BITREV64(v) __builtin_bitreverse64(v)
#endif
#endif

static inline uint64_t rev64(uint64_t v)
{
#ifdef RC_BITREV64
    return RC_BITREV64(v);
#else
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
    return __builtin_bswap64(v);
#endif
}

/* Adds one to the cursor counting from the top bit of mask downwards:
 * bits above the mask are set first so the carry runs through them. */
static inline uint64_t rev_incr(uint64_t v, uint64_t mask)
{
    v |= ~mask;
    return rev64(rev64(v) + 1);
}

static void emit_chain(struct dnode *n, dict_scan_fn fn, void *arg)
{
    while (n) {
        struct dnode *next = n->next;
        fn(n, arg);
        n = next;
    }
}

/*
 * Why reverse-binary: with a table of 2^k buckets, bucket b holds the keys
 * whose hash ends in b's k bits. Counting with the high bits of the index
 * changing fastest means that when the table doubles, every bucket already
 * visited maps to buckets whose "reversed" index is also already passed,
 * and when it halves the same holds for the merged buckets; so a cursor
 * carried across resizes neither skips a bucket's keys nor restarts. While
 * two tables exist we visit the smaller table's bucket and then every
 * bucket of the larger table that expands it (same low bits), advancing the
 * cursor through the larger table's extra bits.
 */
uint64_t dict_scan(struct dict *d, uint64_t v, dict_scan_fn fn, void *arg)
{
    if (dict_size(d) == 0)
        return 0;
    d->pause++;
    if (!d->t[1]) {
        uint64_t m = d->mask[0];
        emit_chain(d->t[0][v & m], fn, arg);
        v = rev_incr(v, m);
    } else {
        int s = d->mask[0] <= d->mask[1] ? 0 : 1, l = 1 - s;
        uint64_t ms = d->mask[s], ml = d->mask[l];
        emit_chain(d->t[s][v & ms], fn, arg);
        do {
            emit_chain(d->t[l][v & ml], fn, arg);
            v = rev_incr(v, ml);
        } while (v & (ms ^ ml));
    }
    d->pause--;
    return v;
}

/* ---- random ---- */

/*
 * The live buckets seen as one range: t[0][rehash_idx..] then all of t[1]
 * (t[0] below rehash_idx is empty by construction).
 */
static inline struct dnode *virtual_bucket(const struct dict *d, size_t v)
{
    size_t n0 = d->mask[0] + 1 - d->rehash_idx;
    return v < n0 ? d->t[0][d->rehash_idx + v] : d->t[1][v - n0];
}

struct dnode *dict_random(struct dict *d, uint64_t (*rnd)(void *), void *arg)
{
    if (dict_size(d) == 0)
        return NULL;
    op_step(d, 1);
    size_t span = d->mask[0] + 1 - d->rehash_idx;
    if (d->t[1])
        span += d->mask[1] + 1;
    /* Random probes; a sparse table not yet shrunk falls back to walking
     * from the last probe so the cost stays O(buckets / entries). */
    size_t v = 0;
    struct dnode *head = NULL;
    for (int tries = 0; tries < 32 && !head; tries++) {
        v = (size_t)(rnd(arg) % span);
        head = virtual_bucket(d, v);
    }
    while (!head) {
        v = v + 1 == span ? 0 : v + 1;
        head = virtual_bucket(d, v);
    }
    size_t len = 0;
    for (struct dnode *n = head; n; n = n->next)
        len++;
    if (len > 1)
        for (size_t k = (size_t)(rnd(arg) % len); k; k--)
            head = head->next;
    return head;
}

size_t dict_sample(struct dict *d, struct dnode **out, size_t n,
                   uint64_t (*rnd)(void *), void *arg)
{
    if (dict_size(d) == 0 || n == 0)
        return 0;
    op_step(d, 1);
    size_t span = d->mask[0] + 1 - d->rehash_idx;
    if (d->t[1])
        span += d->mask[1] + 1;
    /* Mid-rehash, start in the table that holds the nodes: t[1] is
     * sparse while the move is young, t[0]'s rest while it is old. */
    size_t n0 = d->mask[0] + 1 - d->rehash_idx, v;
    uint64_t r = rnd(arg);
    if (d->t[1] && (r >> 32) % dict_size(d) >= d->used[0])
        v = n0 + (size_t)(r % (d->mask[1] + 1));
    else
        v = (size_t)(r % n0);
    size_t got = 0;
    for (size_t steps = 0; got < n && (steps < 10 * n + 64 || !got);
         steps++) {
        for (struct dnode *x = virtual_bucket(d, v); x && got < n;
             x = x->next)
            out[got++] = x;
        v = v + 1 == span ? 0 : v + 1;
    }
    return got;
}

/* ---- detach / graveyard ---- */

struct dict_graveyard *dict_detach_all(struct dict *d)
{
    struct dict_graveyard *g = xcalloc(1, sizeof(*g));
    for (int i = 0; i < 2; i++) {
        g->t[i] = d->t[i];
        g->buckets[i] = d->t[i] ? d->mask[i] + 1 : 0;
    }
    g->idx[0] = d->t[1] ? d->rehash_idx : 0;
    g->left = dict_size(d);
    d->t[0] = d->t[1] = NULL;
    d->mask[0] = d->mask[1] = 0;
    d->used[0] = d->used[1] = 0;
    d->rehash_idx = 0;
    return g;
}

static void graveyard_free(struct dict_graveyard *g)
{
    free(g->t[0]);
    free(g->t[1]);
    free(g);
}

/*
 * Empties buckets in order, reading each node's next link before destroy
 * runs so a destroyed node is never touched again; a chain cut by the
 * budget keeps its remaining head in the bucket. Besides `budget` destroys
 * a step passes at most 10 * budget empty buckets (at least 10), and frees
 * the tables as soon as the last node is gone without walking the rest.
 */
bool dict_graveyard_step(struct dict_graveyard *g, unsigned budget,
                         void (*destroy)(struct dnode *n, void *arg),
                         void *arg)
{
    if (!g)
        return false;
    size_t empty = (size_t)(budget ? budget : 1) * EMPTY_VISITS;
    for (int i = 0; i < 2 && g->left; i++) {
        struct dnode **t = g->t[i];
        while (g->left && g->idx[i] < g->buckets[i]) {
            struct dnode *e = t[g->idx[i]];
            if (!e) {
                g->idx[i]++;
                if (--empty == 0)
                    return true;
                continue;
            }
            while (e && budget) {
                struct dnode *next = e->next;
                destroy(e, arg);
                g->left--;
                budget--;
                e = next;
            }
            t[g->idx[i]] = e;
            if (e)
                return true;
            g->idx[i]++;
        }
    }
    /* Every node destroyed (or, defensively, every bucket walked). */
    graveyard_free(g);
    return false;
}

/* ---- relinking a moved node ---- */

struct dnode **dict_link_to(struct dict *d, const char *key, size_t len,
                            const struct dnode *target)
{
    /* No rehash step here: the target may already be freed (realloc), so
     * no node that could be the target is dereferenced. */
    uint64_t h = hash_bytes(d, key, len);
    for (int t = 0; t < 2; t++) {
        if (!d->t[t])
            continue;
        struct dnode **link = &d->t[t][h & d->mask[t]];
        while (*link) {
            if (*link == target)
                return link;
            link = &(*link)->next;
        }
    }
    return NULL;
}

uint64_t dict_prefetch(const struct dict *d, const char *key, size_t len)
{
    uint64_t h = hash_bytes(d, key, len);
    if (!d->t[0])
        return h;
    __builtin_prefetch(&d->t[0][h & d->mask[0]]);
    if (d->t[1])
        __builtin_prefetch(&d->t[1][h & d->mask[1]]);
    return h;
}

void dict_prefetch_node(const struct dict *d, uint64_t h)
{
    if (!d->t[0])
        return;
    size_t b = h & d->mask[0];
    const struct dnode *n = d->t[0][b];
    if (d->t[1] && (b < d->rehash_idx || !n))
        n = d->t[1][h & d->mask[1]];
    if (n)
        __builtin_prefetch(n);
}
