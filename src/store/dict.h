/*
 * dict: the keyspace hash table. Intrusive, chained, with incremental
 * rehashing and a SCAN that survives rehashing.
 *
 * Core idea: every stored object begins with a `struct dnode` (one next
 * pointer), so indexing a key costs one bucket pointer plus that link and
 * no allocation of its own. The dict never allocates per entry and never
 * copies keys: it asks dict_ops.key() for an entry's key bytes. Hashes are
 * XXH3-64 with a seed given at creation (random per process in the server,
 * fixed in tests); hashes are not stored, rehashing recomputes them.
 *
 * Two tables (t[0], t[1]) exist while rehashing: new entries go to t[1],
 * lookups check both, and every write operation plus dict_rehash_step()
 * moves a bounded number of buckets. Growth starts when size >= buckets
 * (load 1); shrinking is asked for by dict_shrink_if_needed() (the server's
 * cron) when size < buckets/8. Table sizes are powers of two, minimum 4.
 *
 * SCAN: dict_scan uses reverse-binary cursor increments (Pieter Noordhuis's
 * algorithm, as Redis does) so every entry present for the whole scan is
 * returned at least once across grows, shrinks and rehashing; an entry may
 * be returned more than once.
 */
#ifndef RC_DICT_H
#define RC_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dnode {
    struct dnode *next;
};

struct dict_ops {
    /* Key bytes of a stored node. */
    void (*key)(const struct dnode *n, const char **key, size_t *len);
};

struct dict;

struct dict *dict_new(const struct dict_ops *ops, uint64_t seed);
/* Frees the dict's tables, not the nodes (see dict_free_step). */
void dict_free(struct dict **d);

size_t dict_size(const struct dict *d);
size_t dict_buckets(const struct dict *d);  /* total over both tables */
bool dict_is_rehashing(const struct dict *d);
uint64_t dict_hash(const struct dict *d, const char *key, size_t len);

/* O(1) average. Returns the node or NULL. */
struct dnode *dict_find(struct dict *d, const char *key, size_t len);
/* Returns the link (bucket head or a node's next field) that points at the
 * node with this key, or NULL. Lets the caller replace a node in place
 * (after a realloc): new->next = old->next; *link = new. The link is valid
 * only until the next dict call. */
struct dnode **dict_find_link(struct dict *d, const char *key, size_t len);
/* The link that points at `target` (compared by address, never
 * dereferenced), found through the bucket of `key`; NULL if absent. For
 * relinking after the node was reallocated under the same key: set
 * *link = new (its next field was copied by realloc). Does not step a
 * rehash. */
struct dnode **dict_link_to(struct dict *d, const char *key, size_t len,
                            const struct dnode *target);
/* Starts loading the bucket key would be found in into the CPU cache (a
 * hint; no effect on the dict). For pipelined requests: prefetch the next
 * request's key while the current one runs. */
uint64_t dict_prefetch(const struct dict *d, const char *key, size_t len);
/* The second stage, once the bucket is (nearly) in cache: reads the
 * bucket's first node pointer and starts loading that node, which is the
 * key's own node unless the chain is longer than one. h is what
 * dict_prefetch returned for the key, from this dict or any dict with the
 * same seed; a stale h only makes the hint useless. */
void dict_prefetch_node(const struct dict *d, uint64_t h);
/* Adds a node whose key is not present (the caller checked). */
void dict_add(struct dict *d, struct dnode *n);
/* Unlinks and returns the node with this key, or NULL. */
struct dnode *dict_remove(struct dict *d, const char *key, size_t len);

/* Moves up to n buckets of an ongoing rehash (visiting at most 10*n empty
 * buckets). Returns true while rehashing remains. */
bool dict_rehash_step(struct dict *d, unsigned n);
/* Starts a shrink when the table is mostly empty; returns true if started. */
bool dict_shrink_if_needed(struct dict *d);

/* Calls fn for every node in the bucket(s) at `cursor`; returns the next
 * cursor, 0 when the scan is complete. fn must not modify the dict. */
typedef void (*dict_scan_fn)(struct dnode *n, void *arg);
uint64_t dict_scan(struct dict *d, uint64_t cursor, dict_scan_fn fn,
                   void *arg);

/* A random node, or NULL when empty: picks a random non-empty bucket (using
 * the caller's random 64-bit value(s) from rnd) then a random node in its
 * chain. rnd is called as often as needed. */
struct dnode *dict_random(struct dict *d, uint64_t (*rnd)(void *), void *arg);
/* Up to n nodes for sampling (eviction): from one random bucket onwards,
 * the nodes of consecutive buckets, so the bucket reads are sequential
 * instead of one cache miss per probe. Visits at most 10 * n + 64
 * buckets, or more until it has one node; returns how many nodes it
 * stored in out (0 only when empty). Not uniform per node (like Redis's dictGetSomeKeys),
 * which sampling eviction does not need. */
size_t dict_sample(struct dict *d, struct dnode **out, size_t n,
                   uint64_t (*rnd)(void *), void *arg);

/* Detaches all nodes: the dict becomes empty, and the old nodes are
 * returned in a `struct dict_graveyard` to be destroyed in slices with
 * dict_graveyard_step (FLUSHALL without stopping the loop). */
struct dict_graveyard;
struct dict_graveyard *dict_detach_all(struct dict *d);
/* Calls destroy on up to `budget` nodes; returns true while nodes remain.
 * When it returns false the graveyard has been freed. */
bool dict_graveyard_step(struct dict_graveyard *g, unsigned budget,
                         void (*destroy)(struct dnode *n, void *arg),
                         void *arg);

/* Memory used by the tables themselves (bytes). */
size_t dict_mem(const struct dict *d);

#endif
