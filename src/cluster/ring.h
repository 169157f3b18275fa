/*
 * ring: slot placement. Maps the 16384 Redis Cluster slots to the live
 * members of the cluster, as a pure function of the membership: every node
 * that sees the same member ids computes the same map, whatever order it
 * lists them in. No member ever holds more than ring_bound(N) =
 * ceil(1.1 * 16384 / N) slots, and a join or a departure moves close to
 * the unavoidable share of slots. The algorithm, its invariants and its
 * limits are described at the top of ring.c; measured figures are in
 * docs/placement.md.
 *
 * Pure: no clock, no I/O, no global state, no randomness except hashes of
 * the member ids. libc only.
 */
#ifndef RC_RING_H
#define RC_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_SLOTS 16384          /* the same 16384 slots as keyslot.h */
#define RING_MAX_MEMBERS 16384    /* more members than slots is pointless */

/* How per-member capacities are set. Every node of a cluster must use the
 * same policy, or their maps differ; the server only ever uses the
 * default. RING_CAP_CEIL exists so that ring-sim can show why it is not
 * the default (see ring.c, "Capacities"). */
enum ring_policy {
    RING_CAP_DITHERED = 0,  /* default: floor(1.1 * 16384 / N + u(member)) */
    RING_CAP_CEIL = 1,      /* every member: ceil(1.1 * 16384 / N) */
};

struct ring;

/* A ring with no members. ring_owner() may not be called until the first
 * successful ring_build(). Never returns NULL (allocation failure aborts). */
struct ring *ring_new(void);

/* Frees *r and sets *r to NULL. NULL or *r == NULL is a no-op. */
void ring_free(struct ring **r);

/* Selects the capacity policy used by the next ring_build(). */
void ring_set_policy(struct ring *r, enum ring_policy policy);

/*
 * Rebuilds the slot map for the members member_ids[0..n-1] (NUL-terminated
 * strings, normally 40-hex node ids; borrowed for the duration of the call
 * only). Member indexes in the result refer to positions in this array;
 * the map itself depends only on the set of ids, not on their order.
 *
 * Returns 0, or -EINVAL if n == 0, n > RING_MAX_MEMBERS, an id is NULL, or
 * two ids are equal; on error the previous map is left untouched.
 *
 * Cost: O(n log n) to hash and sort the ids plus a race of about
 * RING_SLOTS * ln(RING_SLOTS) draws, independent of n; about 1 ms for
 * 1000 members (docs/placement.md has measured figures). Allocates only
 * when n exceeds every earlier n.
 */
int ring_build(struct ring *r, const char *const *member_ids, size_t n);

/* Number of members in the current map (0 before the first build). */
size_t ring_size(const struct ring *r);

/* Index (into the last ring_build's member_ids) of the member owning
 * slot; slot < RING_SLOTS, and the ring must have been built. O(1). */
unsigned ring_owner(const struct ring *r, unsigned slot);

/* Number of slots owned by member (index < ring_size()). O(1). The counts
 * of all members add up to RING_SLOTS. */
unsigned ring_slot_count(const struct ring *r, size_t member);

/* The capacity the last build gave member: its slot count never exceeds
 * it, and it never exceeds ring_bound(ring_size()). O(1). */
unsigned ring_capacity(const struct ring *r, size_t member);

/* The load bound for n members: ceil(1.1 * RING_SLOTS / n), computed in
 * integers. n >= 1. */
unsigned ring_bound(size_t n);

/* The 64-bit hash of a member id used for placement; fixed forever,
 * because every node of a cluster must agree on it. Byte order
 * independent. */
uint64_t ring_hash_id(const char *id, size_t len);

#endif
