/*
 * evict.c: maxmemory eviction (the candidate pool, the eight policies) and
 * the LRU/LFU access data. See evict.h for the idea and the bit layout.
 *
 * The pool: `n` filled slots at c[0..n), sorted by ascending score, so the
 * best victim is c[n-1] and the worst kept candidate is c[0]; the slots
 * c[n..16) are empty but keep their key buffers for reuse, so steady-state
 * eviction allocates nothing. Scores are only comparable under one policy:
 * the pool empties itself when the policy changes.
 *
 * Invariant: a slot stores a copy of the key and its db number, never the
 * entry; the key is looked up again (without lazy expiry) when the slot is
 * taken.
 */
#include "evict.h"

#include <stdlib.h>
#include <string.h>

#include "keyslot.h"

/* Clock and true-memory checks happen once per this many evictions. */
#define CHECK_EVERY 16
/* Per-key bytes outside the entry: a bucket pointer and a TTL index slot,
 * roughly; used only between two used_mem() readings. */
#define KEY_OVERHEAD 16
/* Flushed entries freed per graveyard step. */
#define GC_SLICE 4096
/* Rounds of sample-then-take before giving up; 3 always suffice (see
 * pick_pooled), one more for safety. */
#define MAX_ROUNDS 4
/* maxmemory-samples' upper bound (config: 1..64, as Redis). */
#define MAX_SAMPLES 64

struct cand {
    uint64_t score;             /* higher = evict first */
    const void *entry;          /* where the key was seen: a filter only
                                   (the entry may have moved or gone) */
    int db;
    size_t len, cap;
    char *key;                  /* cap bytes, owned; kept when emptied */
};

struct evict_pool {
    struct cand c[EVICT_POOL_SIZE];
    unsigned n;
    enum evict_policy policy;   /* the scores in c[] were computed under it */
    unsigned next_db;           /* random policies: round robin over dbs */
};

/* ---- access data ---- */

void evict_configure(struct keyspace *ks, const struct evict_cfg *cfg)
{
    ks->lfu = evict_policy_is_lfu(cfg->policy);
    enum evict_policy p = cfg->policy;
    ks->unshared_ints = cfg->maxmemory_set &&
        (p == EVICT_ALLKEYS_LRU || p == EVICT_VOLATILE_LRU ||
         p == EVICT_ALLKEYS_LFU || p == EVICT_VOLATILE_LFU);
    ks->lfu_log_factor = cfg->lfu_log_factor;
    ks->lfu_decay_time = cfg->lfu_decay_time;
}

/* The counter stored in lru, lowered by the decay periods elapsed since
 * its minute stamp (mod 2^16). */
static unsigned lfu_decayed(const struct keyspace *ks, uint32_t lru)
{
    unsigned counter = lru & 0xFF;
    if (!ks->lfu_decay_time || !counter)
        return counter;
    uint32_t elapsed = (evict_lfu_minutes(ks) - (lru >> 8)) & 0xFFFF;
    uint32_t periods = elapsed / ks->lfu_decay_time;
    return periods >= counter ? 0 : counter - periods;
}

unsigned evict_lfu_incr(unsigned counter, unsigned log_factor, double r)
{
    if (counter >= 255)
        return 255;
    double base = counter > EVICT_LFU_INIT ? counter - EVICT_LFU_INIT : 0;
    double p = 1.0 / (base * log_factor + 1.0);
    return r < p ? counter + 1 : counter;
}

void evict_lfu_touch(struct keyspace *ks, struct entry *e)
{
    unsigned c = lfu_decayed(ks, e->lru);
    /* 53 random bits -> [0, 1). */
    double r = (double)(keyspace_rand(ks) >> 11) * (1.0 / 9007199254740992.0);
    c = evict_lfu_incr(c, ks->lfu_log_factor, r);
    e->lru = (evict_lfu_minutes(ks) << 8) | c;
}

unsigned evict_lfu_freq(const struct keyspace *ks, const struct entry *e)
{
    return lfu_decayed(ks, e->lru);
}

uint32_t evict_idle_s(const struct keyspace *ks, const struct entry *e)
{
    return (ks->lru_clock - e->lru) & 0xFFFFFF;
}

/* ---- the pool ---- */

static struct evict_pool *pool_get(struct keyspace *ks,
                                   enum evict_policy policy)
{
    struct evict_pool *p = ks->evict_pool;
    if (!p) {
        p = calloc(1, sizeof(*p));
        if (!p)
            abort();
        p->policy = policy;
        ks->evict_pool = p;
    }
    if (p->policy != policy) {
        p->n = 0;
        p->policy = policy;
    }
    return p;
}

void evict_pool_free(struct evict_pool **pool)
{
    struct evict_pool *p = *pool;
    if (!p)
        return;
    for (unsigned i = 0; i < EVICT_POOL_SIZE; i++)
        free(p->c[i].key);
    free(p);
    *pool = NULL;
}

/* Offers a candidate: kept when the pool has room or it beats the worst
 * kept one (which is then dropped). A key already in the pool is left as
 * it is. O(16). */
static void pool_offer(struct evict_pool *p, int db, const void *entry,
                       const char *key, size_t len, uint64_t score)
{
    /* The same key sampled again is almost always the same entry, so the
     * bytes are compared only then. A key whose entry was reallocated
     * since can sit in the pool twice; the second pop finds it gone. */
    for (unsigned i = 0; i < p->n; i++)
        if (p->c[i].entry == entry && p->c[i].db == db &&
            p->c[i].len == len && !memcmp(p->c[i].key, key, len))
            return;
    unsigned pos = 0;
    while (pos < p->n && p->c[pos].score < score)
        pos++;
    struct cand slot;
    if (p->n < EVICT_POOL_SIZE) {
        /* Take the empty slot at n, shift [pos, n) right by one. */
        slot = p->c[p->n];
        memmove(&p->c[pos + 1], &p->c[pos], (p->n - pos) * sizeof(slot));
        p->n++;
    } else {
        if (pos == 0)
            return;             /* no better than the worst kept */
        /* Drop c[0], shift (0, pos) left by one. */
        slot = p->c[0];
        memmove(&p->c[0], &p->c[1], (pos - 1) * sizeof(slot));
        pos--;
    }
    if (slot.cap < len) {
        slot.cap = len < 64 ? 64 : len;
        slot.key = realloc(slot.key, slot.cap);
        if (!slot.key)
            abort();
    }
    memcpy(slot.key, key, len);
    slot.len = len;
    slot.db = db;
    slot.entry = entry;
    slot.score = score;
    p->c[pos] = slot;
}

static bool is_volatile(enum evict_policy policy)
{
    return policy >= EVICT_VOLATILE_LRU;
}

static uint64_t score_of(const struct keyspace *ks, enum evict_policy policy,
                         const struct entry *e)
{
    switch (policy) {
    case EVICT_ALLKEYS_LFU:
    case EVICT_VOLATILE_LFU:
        return 255 - lfu_decayed(ks, e->lru);
    case EVICT_VOLATILE_TTL:
        return UINT64_MAX - (uint64_t)entry_expire(e);
    default:
        return evict_idle_s(ks, e);
    }
}

/* Samples `samples` keys of every db (from the TTL index for volatile-*)
 * into the pool; returns how many were drawn (0: no candidate exists).
 * allkeys-* take neighbours in the table (db_sample, as Redis does): one
 * random position, sequential bucket reads, the entries loaded in
 * parallel — a random bucket per sample cost a cache miss each. */
static size_t pool_fill(struct keyspace *ks, struct evict_pool *p,
                        const struct evict_cfg *cfg)
{
    bool vol = is_volatile(cfg->policy);
    unsigned samples = cfg->samples ? cfg->samples : 1;
    size_t drawn = 0;
    struct entry *got[MAX_SAMPLES];
    if (samples > MAX_SAMPLES)
        samples = MAX_SAMPLES;
    for (int i = 0; i < ks->ndb; i++) {
        struct db *db = &ks->dbs[i];
        size_t n = 0;
        if (!vol) {
            n = db->keys ? db_sample(db, got, samples) : 0;
        } else {
            for (; n < samples && db->nx; n++) {
                got[n] = db_xv_get(db, keyspace_rand(ks) % db->nx);
                __builtin_prefetch(got[n]);
            }
        }
        for (size_t k = 0; k < n; k++) {
            size_t len;
            const char *key = entry_key(got[k], &len);
            pool_offer(p, i, got[k], key, len,
                       score_of(ks, cfg->policy, got[k]));
        }
        drawn += n;
    }
    return drawn;
}

/* The stored entry for key in db, without lazy expiry: an expired victim
 * is still a victim. */
static struct entry *find_raw(struct db *db, const char *key, size_t len)
{
    unsigned s = db->nslots == 1 ? 0 : keyslot(key, len);
    struct dict *d = db->slots[s];
    return d ? (struct entry *)dict_find(d, key, len) : NULL;
}

/* The best live candidate, or NULL when the policy has none. Each round
 * samples, then pops from the top of the pool until an entry still exists.
 * A round that finds none has emptied the pool, so the next round's fresh
 * (live, just sampled) keys are taken: two rounds after a stale pool
 * always decide. */
static struct entry *pick_pooled(struct keyspace *ks, struct evict_pool *p,
                                 const struct evict_cfg *cfg,
                                 struct db **dbp)
{
    bool vol = is_volatile(cfg->policy);
    for (int round = 0; round < MAX_ROUNDS; round++) {
        if (!pool_fill(ks, p, cfg))
            return NULL;
        while (p->n) {
            struct cand *c = &p->c[--p->n];
            if (c->db >= ks->ndb)
                continue;
            struct db *db = &ks->dbs[c->db];
            struct entry *e = find_raw(db, c->key, c->len);
            if (!e || (vol && !entry_has_ttl(e)))
                continue;
            *dbp = db;
            return e;
        }
    }
    return NULL;
}

/* A random key (with a TTL for volatile-random) of the next db that has
 * one, round robin over dbs. */
static struct entry *pick_random(struct keyspace *ks, struct evict_pool *p,
                                 const struct evict_cfg *cfg,
                                 uint64_t now_ms, struct db **dbp)
{
    bool vol = is_volatile(cfg->policy);
    for (int k = 0; k < ks->ndb; k++) {
        p->next_db = (p->next_db + 1) % (unsigned)ks->ndb;
        struct db *db = &ks->dbs[p->next_db];
        struct entry *e;
        if (vol)
            e = db->nx ? db_xv_get(db, keyspace_rand(ks) % db->nx) : NULL;
        else
            e = db->keys ? db_random(db, now_ms) : NULL;
        if (e) {
            *dbp = db;
            return e;
        }
    }
    return NULL;
}

/* Unlinks (on_modify), counts, reports (on_evict) and frees e; returns
 * the bytes it is estimated to have released. */
static size_t evict_entry(struct keyspace *ks, struct db *db, struct entry *e)
{
    size_t freed = entry_mem(e) + KEY_OVERHEAD;
    size_t len;
    const char *key = entry_key(e, &len);   /* valid until entry_free */
    struct entry *u = db_unlink(db, key, len);
    ks->evicted_keys++;
    if (ks->hooks.on_evict)
        ks->hooks.on_evict(db, key, len, ks->hooks.arg);
    entry_free(u);
    return freed;
}

/* Frees flushed dbs' entries (keyspace_gc_step) while over the limit:
 * that memory is garbage already, so it goes before any live key (Redis
 * waits for its lazy-free thread at this point, even under noeviction).
 * Needs used_mem to see the effect. Returns EVICT_OK when back under the
 * limit, EVICT_RUNNING when the time budget ran out first, EVICT_FAIL when
 * no flushed entries are left (the caller goes on evicting). */
static enum evict_status release_flushed(struct keyspace *ks, size_t *used,
                                         size_t limit,
                                         size_t (*used_mem)(void),
                                         uint64_t start, uint64_t max_us,
                                         uint64_t (*clock_us)(void))
{
    if (!used_mem)
        return EVICT_FAIL;
    while (ks->ngraves) {
        keyspace_gc_step(ks, GC_SLICE);
        *used = used_mem();
        if (*used <= limit)
            return EVICT_OK;
        if (clock_us && clock_us() - start >= max_us)
            return EVICT_RUNNING;
    }
    return EVICT_FAIL;
}

size_t evict_until(struct keyspace *ks, const struct evict_cfg *cfg,
                   size_t used, size_t limit, uint64_t now_ms,
                   size_t (*used_mem)(void), uint64_t max_us,
                   uint64_t (*clock_us)(void), enum evict_status *status)
{
    enum evict_status st = EVICT_OK;
    size_t n = 0;
    if (used <= limit)
        goto out;
    uint64_t start = clock_us ? clock_us() : 0;
    st = release_flushed(ks, &used, limit, used_mem, start, max_us,
                         clock_us);
    if (st != EVICT_FAIL)
        goto out;
    if (cfg->policy == EVICT_NOEVICTION)
        goto out;               /* EVICT_FAIL */
    st = EVICT_OK;
    struct evict_pool *p = pool_get(ks, cfg->policy);
    bool rnd = cfg->policy == EVICT_ALLKEYS_RANDOM ||
               cfg->policy == EVICT_VOLATILE_RANDOM;
    for (;;) {
        struct db *db = NULL;
        struct entry *e = rnd ? pick_random(ks, p, cfg, now_ms, &db)
                              : pick_pooled(ks, p, cfg, &db);
        if (!e) {
            /* Sampling may have expired keys: judge by the truth. */
            if (used_mem)
                used = used_mem();
            st = used <= limit ? EVICT_OK : EVICT_FAIL;
            break;
        }
        size_t freed = evict_entry(ks, db, e);
        n++;
        used = used > freed ? used - freed : 0;
        bool check = n % CHECK_EVERY == 0;
        if (used <= limit || check) {
            if (used_mem)
                used = used_mem();
            if (used <= limit)
                break;
        }
        if (cfg->max_keys && n >= cfg->max_keys) {
            st = EVICT_RUNNING;
            break;
        }
        if (check && clock_us && clock_us() - start >= max_us) {
            st = EVICT_RUNNING;
            break;
        }
    }
out:
    if (status)
        *status = st;
    return n;
}
