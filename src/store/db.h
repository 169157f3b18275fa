/*
 * db: the keyspace. A `struct keyspace` owns `databases` numbered dbs; each
 * db maps keys to entries (entry.h) and indexes the keys that have a TTL.
 *
 * Core idea: the keys of a db are split over `nslots` dicts. Without
 * cluster mode nslots is 1 (no per-key cost at all); in cluster mode it is
 * 16384 and a key lives in the dict of its cluster slot (keyslot.h), so
 * counting or walking one slot's keys costs time proportional to that slot
 * and no memory per key. Slot dicts are created on first use.
 *
 * The TTL index is a dense array of entry pointers; an entry with a TTL
 * stores its position in it (entry_xidx), so adding, removing and sampling
 * a random expiring key are O(1) and cost 8 bytes per expiring key.
 *
 * Expiry: every lookup that finds a logically expired key deletes it first
 * (lazy expiry); expire_cycle() (expire.c) samples the TTL index in
 * bounded steps (active expiry).
 *
 * Hooks: `on_modify` runs for every key a write changes (WATCH, keyspace
 * notifications), `on_expire`/`on_evict` for keys removed by the store
 * itself. Lookups take now_ms from the caller (one clock read per loop
 * turn).
 */
#ifndef RC_DB_H
#define RC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "entry.h"

struct keyspace;
struct evict_pool;

struct db {
    struct keyspace *ks;
    int id;
    unsigned nslots;              /* 1, or 16384 in cluster mode */
    struct dict **slots;          /* nslots dicts, NULL until used */
    size_t keys;                  /* total over slots */
    /* TTL index: the entries with a TTL, densely, in blocks of
     * XV_BLOCK pointers (growing never copies or frees a big array, so
     * RSS follows the index). Use db_xv_get / db_xv_set. */
    struct entry ***xvb;
    size_t nx;                    /* entries in the index */
    size_t nblocks, capblocks;    /* blocks allocated / slots in xvb */
    size_t avg_ttl_ms;            /* estimate, for INFO keyspace */
};

#define XV_SHIFT 12
#define XV_BLOCK ((size_t)1 << XV_SHIFT)

static inline struct entry *db_xv_get(const struct db *db, size_t i)
{
    return db->xvb[i >> XV_SHIFT][i & (XV_BLOCK - 1)];
}

static inline void db_xv_set(struct db *db, size_t i, struct entry *e)
{
    db->xvb[i >> XV_SHIFT][i & (XV_BLOCK - 1)] = e;
}

struct keyspace_hooks {
    /* A write changed key (set, deleted, expired, renamed...). */
    void (*on_modify)(struct db *db, const char *key, size_t len, void *arg);
    /* The store removed an expired key. */
    void (*on_expire)(struct db *db, const char *key, size_t len, void *arg);
    /* A whole db is about to be emptied (FLUSHDB, FLUSHALL: with is
     * NULL) or to take the keys of with (SWAPDB, called for both). */
    void (*on_flush)(struct db *db, struct db *with, void *arg);
    void *arg;
    /* The store evicted key for maxmemory (after on_modify). */
    void (*on_evict)(struct db *db, const char *key, size_t len, void *arg);
};

struct keyspace {
    struct db *dbs;
    int ndb;
    uint64_t seed;
    struct keyspace_hooks hooks;
    struct dict_graveyard **graves;  /* flushed dicts freed in slices */
    size_t ngraves, capgraves;
    uint32_t lru_clock;             /* seconds, 24 bits; set by the cron */
    uint64_t rnd_state;             /* xorshift state for sampling */
    /* stats */
    uint64_t expired_keys, keyspace_hits, keyspace_misses;
    uint64_t dirty;                 /* writes since start */
    /* eviction (evict.h) */
    uint64_t evicted_keys;
    bool lfu;                       /* entry->lru holds LFU data */
    bool unshared_ints;             /* maxmemory with an LRU/LFU policy:
                                       Redis gives each small integer an
                                       object of its own (OBJECT REFCOUNT) */
    unsigned lfu_log_factor, lfu_decay_time;
    struct evict_pool *evict_pool;  /* candidates; NULL until first use */
};

/* Creates ndb dbs; cluster selects 16384 slot dicts per db. seed is the
 * hash seed (random in the server, fixed in tests). */
struct keyspace *keyspace_new(int ndb, bool cluster, uint64_t seed);
void keyspace_free(struct keyspace **ks);
uint64_t keyspace_rand(struct keyspace *ks);

/* ---- lookups ---- */

/* Finds a live key: an expired key is deleted (on_expire, on_modify) and
 * NULL returned. Borrowed: valid until the next write to db. */
struct entry *db_find(struct db *db, const char *key, size_t len,
                      uint64_t now_ms);
/* As db_find, and counts a keyspace hit/miss and records the access
 * (LRU clock or LFU counter: evict_touch). */
struct entry *db_lookup(struct db *db, const char *key, size_t len,
                        uint64_t now_ms);
bool db_exists(struct db *db, const char *key, size_t len, uint64_t now_ms);
/* Cache hint: the bucket of key will be needed soon (dict_prefetch). */
struct db_hint {
    unsigned slot;
    bool valid;
    uint64_t hash;
};
void db_prefetch(struct db *db, const char *key, size_t len,
                 struct db_hint *hint);
/* Second stage (dict_prefetch_node): call about one request after the
 * db_prefetch that filled hint, so that the bucket has arrived. Safe
 * whatever ran in between (the slot's dict is looked up again). */
void db_prefetch_entry(struct db *db, const struct db_hint *hint);

/* ---- writes (each runs on_modify) ---- */

/* Adds a new key (not present). Takes ownership of e. */
void db_add(struct db *db, struct entry *e);
/* Replaces the entry stored under the same key by ne (after the caller
 * reallocated it through entry_* functions, or built a new one). The old
 * pointer `old` must have been the stored one. Only the value may have
 * changed: TTL changes go through db_set_expire / db_persist. */
void db_relink(struct db *db, struct entry *old, struct entry *ne);
/* Sets key to e, replacing any value; keep_ttl keeps an existing TTL
 * (KEEPTTL). Takes ownership of e. */
void db_set(struct db *db, struct entry *e, bool keep_ttl, uint64_t now_ms);
/* As db_set, when the caller has just looked the key up: old is the live
 * entry db_find/db_lookup returned for it (NULL if absent), with no write
 * to db since. Saves the second key comparison walk. */
void db_set_found(struct db *db, struct entry *old, struct entry *e,
                  bool keep_ttl, uint64_t now_ms);
/* Deletes a key; returns true when it existed (live). */
bool db_delete(struct db *db, const char *key, size_t len, uint64_t now_ms);
/* Unlinks and returns the entry without freeing it (RENAME, MOVE). */
struct entry *db_unlink(struct db *db, const char *key, size_t len);
/* Sets / removes the TTL of a stored entry; returns the maybe-moved entry. */
struct entry *db_set_expire(struct db *db, struct entry *e, int64_t when);
struct entry *db_persist(struct db *db, struct entry *e);
/* Calls on_modify for key (for commands that change a value in place). */
void db_touch_modified(struct db *db, const char *key, size_t len);

/* Empties a db. Memory is released in slices by keyspace_gc_step. */
void db_flush(struct db *db);
/* Swaps the contents of two dbs (SWAPDB). */
void db_swap(struct db *a, struct db *b);
/* Frees flushed entries, at most budget per call; true if work remains. */
bool keyspace_gc_step(struct keyspace *ks, unsigned budget);
/* Incremental rehash/shrink steps for all dicts within roughly `us`
 * microseconds of work (bounded by bucket count). */
void keyspace_rehash_step(struct keyspace *ks, unsigned buckets);

/* ---- iteration ---- */

static inline size_t db_size(const struct db *db) { return db->keys; }
/* SCAN: calls fn for the entries at cursor; returns the next cursor (0 when
 * done). In cluster mode the low 14 bits of the cursor are the slot. */
uint64_t db_scan(struct db *db, uint64_t cursor, dict_scan_fn fn, void *arg);
/* A random live key's entry (expired samples are deleted), or NULL. */
struct entry *db_random(struct db *db, uint64_t now_ms);
/* Up to n entries for eviction sampling (dict_sample: neighbours in the
 * table, expired ones included), their lines already being loaded;
 * returns how many. */
size_t db_sample(struct db *db, struct entry **out, size_t n);
/* Keys in one slot (cluster mode; slot 0 holds all otherwise). */
size_t db_slot_count(const struct db *db, unsigned slot);
uint64_t db_slot_scan(struct db *db, unsigned slot, uint64_t cursor,
                      dict_scan_fn fn, void *arg);
/* Bytes used by dict tables and the TTL index (overhead, for INFO). */
size_t db_overhead(const struct db *db);

/* ---- expiry (expire.c) ---- */

static inline bool entry_expired(const struct entry *e, uint64_t now_ms)
{
    return entry_has_ttl(e) && (uint64_t)entry_expire(e) <= now_ms;
}
/* Active expiry: samples the TTL index of each db and deletes expired keys
 * until about `max_us` microseconds have passed (checked every 16 keys via
 * the clock callback, read once per 20-key sample) or fewer than 10% of a sample were expired. Returns
 * the number of keys expired. */
size_t expire_cycle(struct keyspace *ks, uint64_t now_ms, size_t max_keys,
                    uint64_t max_us, uint64_t (*clock_us)(void));

#endif
