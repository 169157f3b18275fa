/*
 * evict: maxmemory eviction and the LRU/LFU access data it ranks keys by.
 *
 * Core idea (approximated LRU/LFU, as Redis does it): nobody keeps keys in
 * access order. Each entry carries 24 bits (entry->lru); when memory is
 * over the limit, evict_until() samples `samples` keys from every db,
 * scores them, and merges them into a pool of the 16 best candidates seen
 * so far. The pool survives between evictions and between calls, so the
 * victims found with 5 samples per round come close to true LRU/LFU order
 * at O(samples) cost per evicted key.
 *
 * The 24 bits of entry->lru:
 *
 *   LRU policies (and noeviction, *-random, volatile-ttl):
 *     +-------------------------------+
 *     | lru clock, seconds mod 2^24   |   idle = ks->lru_clock - lru
 *     +-------------------------------+
 *   LFU policies (ks->lfu set):
 *     +----------------------+--------+
 *     | minutes mod 2^16     | counter|   counter: 8-bit logarithmic
 *     | of the last decrement| 0..255 |   access count, new keys start
 *     +----------------------+--------+   at EVICT_LFU_INIT (5)
 *
 * LFU counter (Redis's documented scheme): an access increments the counter
 * with probability 1 / ((counter - 5) * lfu_log_factor + 1) (always below
 * 5, never past 255), so it grows roughly with the log of the access
 * count; before that, and whenever it is read, the counter is lowered by
 * one per lfu_decay_time minutes elapsed since the stored minute (0 turns
 * decay off). The minute clock is derived from ks->lru_clock (seconds), so
 * it jumps once every 2^24 s (194 days); keys then look long idle once.
 *
 * Scores, higher = evicted first: LRU idle seconds; LFU 255 - counter
 * (after decay); volatile-ttl UINT64_MAX - expire time. The random
 * policies skip the pool.
 *
 * Flushed dbs whose entries are still being freed in slices (FLUSHALL)
 * hold memory that is garbage already: evict_until frees it first
 * (keyspace_gc_step), within the same budget, before any live key.
 *
 * Evicted keys leave through db_unlink (so on_modify runs: WATCH,
 * notifications), then ks->evicted_keys counts them and on_evict runs. An
 * expired key chosen as a victim counts as evicted, as in Redis.
 *
 * Invariants: the pool holds key copies, never entry pointers (entries are
 * freed and reallocated under it); a candidate is looked up again before
 * it is evicted, and skipped when it is gone (or, for volatile-*, when it
 * lost its TTL).
 */
#ifndef RC_EVICT_H
#define RC_EVICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Same order and values as the server's maxmemory-policy enum. */
enum evict_policy {
    EVICT_NOEVICTION = 0,
    EVICT_ALLKEYS_LRU,
    EVICT_ALLKEYS_LFU,
    EVICT_ALLKEYS_RANDOM,
    EVICT_VOLATILE_LRU,
    EVICT_VOLATILE_LFU,
    EVICT_VOLATILE_RANDOM,
    EVICT_VOLATILE_TTL,
};

enum evict_status {
    EVICT_OK,           /* under the limit (or nothing to do) */
    EVICT_RUNNING,      /* still over, budget spent: call again later */
    EVICT_FAIL,         /* still over and no key can be evicted (or
                         * noeviction): deny-OOM commands are refused */
};

#define EVICT_POOL_SIZE 16
#define EVICT_LFU_INIT 5

struct evict_cfg {
    enum evict_policy policy;
    unsigned samples;           /* maxmemory-samples, >= 1 (5) */
    unsigned lfu_log_factor;    /* 10 */
    unsigned lfu_decay_time;    /* minutes per counter step down; 0 off */
    size_t max_keys;            /* per-call key budget; 0 = unbounded */
    bool maxmemory_set;         /* evict_configure: maxmemory is not 0 */
};

/* True for allkeys-lfu and volatile-lfu. */
static inline bool evict_policy_is_lfu(enum evict_policy p)
{
    return p == EVICT_ALLKEYS_LFU || p == EVICT_VOLATILE_LFU;
}

/* Makes the keyspace track accesses the way cfg's policy ranks them: sets
 * ks->lfu, the LFU parameters and ks->unshared_ints. Call at startup and
 * whenever maxmemory, maxmemory-policy, lfu-log-factor or lfu-decay-time
 * change. O(1); data
 * already stored is reinterpreted, not converted (as in Redis). */
void evict_configure(struct keyspace *ks, const struct evict_cfg *cfg);

/* Evicts keys until memory is back under `limit`, the policy finds no
 * candidate, or a budget runs out; returns the number of keys evicted.
 *
 * used: the caller's current figure for used memory. Between checks the
 * loop lowers it by each victim's size (entry_mem + index overhead), and
 * re-reads the truth from used_mem() every 16 keys and whenever the
 * estimate reaches the limit (used_mem may be NULL: estimates only).
 * max_us / clock_us: time budget, checked every 16 keys (clock_us NULL:
 * none); cfg->max_keys: key budget. With neither, the loop still ends
 * when the keyspace (or, for volatile-*, the TTL index) is empty.
 * Entries of flushed dbs not yet freed (keyspace_gc_step) are freed first,
 * under any policy, when used_mem is given.
 * now_ms: for the keys' expiry times. *status (may be NULL) receives the
 * outcome, see enum evict_status. noeviction evicts nothing: over the
 * limit it reports EVICT_FAIL (unless freeing flushed entries sufficed or
 * is still under way).
 *
 * Cost: O(samples * ndb) per evicted key for the pooled policies, O(1)
 * for the random ones (plus the lookups of stale pool entries). */
size_t evict_until(struct keyspace *ks, const struct evict_cfg *cfg,
                   size_t used, size_t limit, uint64_t now_ms,
                   size_t (*used_mem)(void), uint64_t max_us,
                   uint64_t (*clock_us)(void), enum evict_status *status);

/* Frees the candidate pool (keyspace_free calls this). */
void evict_pool_free(struct evict_pool **pool);

/* ---- access data (entry->lru) ---- */

/* The LFU minute clock: minutes mod 2^16, from ks->lru_clock. */
static inline uint32_t evict_lfu_minutes(const struct keyspace *ks)
{
    return (ks->lru_clock / 60) & 0xFFFF;
}

/* The 24-bit value a new entry starts with: the LRU clock, or under LFU
 * (current minute, EVICT_LFU_INIT). */
static inline uint32_t evict_lru_init(const struct keyspace *ks)
{
    return ks->lfu ? (evict_lfu_minutes(ks) << 8) | EVICT_LFU_INIT
                   : ks->lru_clock;
}

/* Records an access to e: stores the LRU clock, or under LFU decays the
 * counter, increments it logarithmically (drawing from keyspace_rand) and
 * stores the current minute. O(1). */
void evict_lfu_touch(struct keyspace *ks, struct entry *e);
static inline void evict_touch(struct keyspace *ks, struct entry *e)
{
    if (ks->lfu)
        evict_lfu_touch(ks, e);
    else
        e->lru = ks->lru_clock;
}

/* e's LFU counter after decay, without storing it (OBJECT FREQ). */
unsigned evict_lfu_freq(const struct keyspace *ks, const struct entry *e);
/* The counter one access turns `counter` into, given a uniform random r
 * in [0, 1) (exposed for tests). */
unsigned evict_lfu_incr(unsigned counter, unsigned log_factor, double r);
/* Seconds since e's last access under an LRU clock (OBJECT IDLETIME). */
uint32_t evict_idle_s(const struct keyspace *ks, const struct entry *e);

#endif
