/*
 * ring.c: slot placement by a capacity-bounded race.
 *
 * The table
 * ---------
 *   slot:       0      1      2      3            16383
 *            +------+------+------+------+-- ... --+------+
 *   owner[]  |  2   |  0   |  2   |  1   |         |  0   |  uint16_t: index
 *            +------+------+------+------+-- ... --+------+  into the ids
 *                                                            given to build
 *   member:        0       1       2
 *   count[]     5459    5463    5462     sum = 16384
 *   capacity[]  6008    6007    6008     count <= capacity <= ring_bound(3)
 *
 * Core idea: a race in lockstep rounds
 * ------------------------------------
 * Each member walks its own pseudo-random permutation of the 16384 slots,
 * keyed by the hash of its id. All members walk in lockstep, one slot per
 * round. A slot belongs to the first member that draws it; when several
 * draw a free slot in the same round, a hash of (member, round) picks one.
 * A member stops drawing when it holds its capacity. The race ends when
 * every slot has an owner.
 *
 *   round:        0        1        2        3
 *   member a:   907 *     12 *   4410      77 *     * = claimed
 *   member b:  3100 *    907     98 *     12        907, 12 were taken
 *   member c:  4410 *   5555 *    ...               4410 was c's first
 *
 * Put another way: each (slot, member) pair has a rank, the round in which
 * the member draws the slot, and the map is the greedy assignment by rank
 * under the capacities (a stable matching). Without capacities this is
 * rendezvous hashing: a new member X takes exactly the slots it draws
 * before everyone else, about 1/(N+1) of them, and no other slot moves.
 *
 * Why lockstep rounds rather than independent rendezvous scores: with
 * independent scores a member's slot count is Poisson, variance = mean =
 * 16384/N. In the race every member has made the same number of draws at
 * every moment, and its count varies only with how many of them found a
 * free slot: the variance is about half the mean. Fewer members then sit
 * at their capacity, and members at capacity are what cost extra moves.
 *
 * Capacities
 * ----------
 * With c = 1.1 * 16384 / N, member m gets capacity floor(c + u_m), where
 * u_m in [0, 1) is a hash of its id. That is never above ceil(c), the
 * bound, and averages c. All arithmetic is in integers, so every node
 * computes the same capacities bit for bit. If the capacities happened to
 * sum below 16384 (they exceed it by about 10% of 16384, so this does not
 * happen in practice) every member would get ceil(c), which always fits.
 *
 * Why dither instead of giving everyone ceil(c): c falls by about c/N per
 * join. With ceil(c) for all, it falls a whole slot for every member in
 * the single step where c crosses an integer, and each member sitting at
 * its capacity then sheds a slot in that step: near N = 1000 that one
 * join moves about 20x the ideal share.
 * Dithering moves each member's step to its own N, spreading the same
 * shedding evenly over all joins (ring-sim --sweep shows both).
 *
 * Invariants (tests/unit/test_ring.c checks them)
 *  - every slot has exactly one owner, and the counts sum to 16384;
 *  - count[m] <= capacity[m] <= ring_bound(N);
 *  - the map depends on the set of ids only, not on their order;
 *  - no floating point and no host byte order: same ids, same map,
 *    on every node.
 *
 * Moves on a join or a leave, and the limit of the bound
 * ------------------------------------------------------
 * Ideal: 1/(N+1) of the slots on a join, 1/N on a leave. Two effects add
 * to it, both proportional to the share of members at capacity: when X
 * takes a slot from a member at capacity, that member draws on and claims
 * a slot someone else held, who may do the same (a chain); and when
 * capacities shrink, members at capacity shed slots. While 16384/N is
 * large the 10% margin is many standard deviations and few members reach
 * capacity: at N <= 100 moves stay within about 1.1x the ideal. At
 * N = 1000 a member holds 16.4 slots on average with a standard deviation
 * near 2.8, the margin is 1.6 slots, 44% of the members sit at capacity
 * and a join or leave moves about 1.8x the ideal, above the 1.5x
 * target. The other pure functions of the membership that were tried do
 * no better under the 1.1 bound; docs/placement.md has the measurements
 * and the argument.
 *
 * Termination: a member's walk is a bijection on 0..16383, so a member
 * still drawing reaches every free slot within 16384 rounds, and since the
 * capacities sum to at least 16384, some member is still drawing while a
 * slot is free. In practice the race takes 241 rounds for 1000 members,
 * 589 for 300, and up to 16384 for one to three.
 */
#include "ring.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_MASK (RING_SLOTS - 1)
#define NO_OWNER 0xffffu
#define GOLDEN 0x9e3779b97f4a7c15ull

/* 1.1 * RING_SLOTS as a fraction: 180224 / 10. */
#define BOUND_NUM ((uint64_t)RING_SLOTS * 11)
#define BOUND_DEN 10

struct ring {
    uint16_t owner[RING_SLOTS];     /* member index, < n; valid once n > 0 */
    uint32_t claimed_in[RING_SLOTS]; /* race scratch: round of the claim */
    size_t n;                       /* members in the current map */
    enum ring_policy policy;
    size_t alloc;                   /* length of every per-member array */
    uint32_t *count;                /* slots held; sums to RING_SLOTS */
    uint32_t *capacity;             /* count <= capacity <= bound(n) */
    /* Scratch for one build, overwritten even by a failed build. */
    uint64_t *hash;                 /* ring_hash_id of each id */
    uint64_t *key;                  /* walk_key(hash): keys the walk */
    uint32_t *rank;                 /* position in (hash, id) order */
    uint32_t *sorted;               /* member indexes in (hash, id) order */
    uint32_t *active;               /* members still drawing */
};

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p)
        abort();
    return p;
}

/* The splitmix64 finalizer: a bijection on 64 bits with full avalanche. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

uint64_t ring_hash_id(const char *id, size_t len)
{
    const unsigned char *p = (const unsigned char *)id;
    uint64_t h = mix64(0x52494e4743414348ull ^ (uint64_t)len);
    while (len > 0) {
        size_t take = len < 8 ? len : 8;
        uint64_t w = 0;
        for (size_t i = 0; i < take; i++)  /* little-endian, on any host */
            w |= (uint64_t)p[i] << (8 * i);
        h = mix64(h ^ w) + GOLDEN;
        p += take;
        len -= take;
    }
    return mix64(h);
}

unsigned ring_bound(size_t n)
{
    assert(n >= 1);
    uint64_t den = (uint64_t)n * BOUND_DEN;
    return (unsigned)((BOUND_NUM + den - 1) / den);
}

/*
 * Member m's walk: a bijection on 0..16383 keyed by key. Each step is
 * invertible modulo 2^14 (xor or add a constant, multiply by an odd
 * number, xor with a right shift of itself), so the whole is a
 * permutation; the key sets two xor/add constants and two multipliers.
 */
static unsigned walk(uint64_t key, unsigned x)
{
    x = (x ^ (unsigned)key) & SLOT_MASK;
    x = (x * ((unsigned)(key >> 14) | 1u)) & SLOT_MASK;
    x ^= x >> 7;
    x = (x + (unsigned)(key >> 28)) & SLOT_MASK;
    x = (x * ((unsigned)(key >> 42) | 1u)) & SLOT_MASK;
    x ^= x >> 6;
    x = (x * 0x2f35u) & SLOT_MASK;
    x ^= x >> 7;
    return x;
}

static uint64_t walk_key(uint64_t hash)
{
    return mix64(hash ^ 0x77616c6b6b657921ull);
}

/* Who wins a slot that a and b both drew in the same round. */
static int beats(const struct ring *r, uint32_t a, uint32_t b, uint32_t round)
{
    uint64_t ta = mix64(r->hash[a] + (uint64_t)(round + 1) * GOLDEN);
    uint64_t tb = mix64(r->hash[b] + (uint64_t)(round + 1) * GOLDEN);
    if (ta != tb)
        return ta < tb;
    return r->rank[a] < r->rank[b];  /* equal hashes: order by id */
}

static void grow(struct ring *r, size_t n)
{
    if (n <= r->alloc)
        return;
    r->count = xrealloc(r->count, n * sizeof *r->count);
    r->capacity = xrealloc(r->capacity, n * sizeof *r->capacity);
    r->hash = xrealloc(r->hash, n * sizeof *r->hash);
    r->key = xrealloc(r->key, n * sizeof *r->key);
    r->rank = xrealloc(r->rank, n * sizeof *r->rank);
    r->sorted = xrealloc(r->sorted, n * sizeof *r->sorted);
    r->active = xrealloc(r->active, n * sizeof *r->active);
    r->alloc = n;
}

/* (hash, id) order; ids are distinct after validation, so this is total. */
static int member_less(const struct ring *r, const char *const *ids,
                       uint32_t a, uint32_t b)
{
    if (r->hash[a] != r->hash[b])
        return r->hash[a] < r->hash[b];
    return strcmp(ids[a], ids[b]) < 0;
}

static void sift_down(const struct ring *r, const char *const *ids,
                      uint32_t *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && member_less(r, ids, v[child], v[child + 1]))
            child++;
        if (!member_less(r, ids, v[root], v[child]))
            return;
        uint32_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

/* Heap sort of r->sorted by (hash, id): O(n log n), no allocation. */
static void sort_members(struct ring *r, const char *const *ids, size_t n)
{
    uint32_t *v = r->sorted;
    for (size_t i = 0; i < n; i++)
        v[i] = (uint32_t)i;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(r, ids, v, i, n);
    for (size_t end = n; end-- > 1;) {
        uint32_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(r, ids, v, 0, end);
    }
}

/* Hashes, sorts and checks the ids; touches only the scratch arrays. */
static int validate(struct ring *r, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!ids[i])
            return -EINVAL;
        r->hash[i] = ring_hash_id(ids[i], strlen(ids[i]));
    }
    sort_members(r, ids, n);
    for (size_t i = 0; i < n; i++) {
        r->rank[r->sorted[i]] = (uint32_t)i;
        if (i > 0 && strcmp(ids[r->sorted[i - 1]], ids[r->sorted[i]]) == 0)
            return -EINVAL;
    }
    return 0;
}

static void set_capacities(struct ring *r, size_t n)
{
    uint64_t den = (uint64_t)n * BOUND_DEN;
    unsigned bound = ring_bound(n);
    uint64_t sum = 0;
    for (size_t m = 0; m < n && r->policy == RING_CAP_DITHERED; m++) {
        /* floor(c + u) with c = BOUND_NUM / den and u = U / 2^32. */
        uint64_t u = mix64(r->hash[m] ^ 0x6469746865726564ull) >> 32;
        r->capacity[m] = (uint32_t)(((BOUND_NUM << 32) + den * u) / (den << 32));
        sum += r->capacity[m];
    }
    if (r->policy != RING_CAP_DITHERED || sum < RING_SLOTS)
        for (size_t m = 0; m < n; m++)
            r->capacity[m] = bound;
}

/* Runs one round for the active members. Returns slots claimed. */
static unsigned race_round(struct ring *r, size_t nactive, uint32_t round)
{
    unsigned claimed = 0;
    for (size_t j = 0; j < nactive; j++) {
        uint32_t m = r->active[j];
        unsigned s = walk(r->key[m], round & SLOT_MASK);
        uint32_t o = r->owner[s];
        if (o == NO_OWNER) {
            r->owner[s] = (uint16_t)m;
            r->claimed_in[s] = round;
            r->count[m]++;
            claimed++;
        } else if (r->claimed_in[s] == round && beats(r, m, o, round)) {
            r->owner[s] = (uint16_t)m;
            r->count[o]--;
            r->count[m]++;
        }
    }
    return claimed;
}

static void race(struct ring *r, size_t n)
{
    size_t nactive = n;
    unsigned left = RING_SLOTS;
    for (unsigned s = 0; s < RING_SLOTS; s++)
        r->owner[s] = NO_OWNER;
    for (size_t m = 0; m < n; m++) {
        r->count[m] = 0;
        r->active[m] = (uint32_t)m;
        r->key[m] = walk_key(r->hash[m]);
    }
    for (uint32_t round = 0; left > 0; round++) {
        left -= race_round(r, nactive, round);
        /* A member drops out once full. Slots are only ever taken from a
         * member in the round it claimed them, so it stays full. */
        size_t keep = 0;
        for (size_t j = 0; j < nactive; j++) {
            uint32_t m = r->active[j];
            if (r->count[m] < r->capacity[m])
                r->active[keep++] = m;
        }
        nactive = keep;
        assert(nactive > 0 || left == 0);
    }
}

struct ring *ring_new(void)
{
    struct ring *r = xrealloc(NULL, sizeof *r);
    memset(r, 0, sizeof *r);
    r->policy = RING_CAP_DITHERED;
    return r;
}

void ring_free(struct ring **rp)
{
    if (!rp || !*rp)
        return;
    struct ring *r = *rp;
    free(r->count);
    free(r->capacity);
    free(r->hash);
    free(r->key);
    free(r->rank);
    free(r->sorted);
    free(r->active);
    free(r);
    *rp = NULL;
}

void ring_set_policy(struct ring *r, enum ring_policy policy)
{
    r->policy = policy;
}

int ring_build(struct ring *r, const char *const *member_ids, size_t n)
{
    if (n == 0 || n > RING_MAX_MEMBERS || !member_ids)
        return -EINVAL;
    grow(r, n);
    int err = validate(r, member_ids, n);
    if (err)
        return err;
    /* From here on nothing can fail: replace the map. */
    set_capacities(r, n);
    race(r, n);
    r->n = n;
    return 0;
}

size_t ring_size(const struct ring *r)
{
    return r->n;
}

unsigned ring_owner(const struct ring *r, unsigned slot)
{
    assert(r->n > 0 && slot < RING_SLOTS);
    return r->owner[slot];
}

unsigned ring_slot_count(const struct ring *r, size_t member)
{
    assert(member < r->n);
    return r->count[member];
}

unsigned ring_capacity(const struct ring *r, size_t member)
{
    assert(member < r->n);
    return r->capacity[member];
}
