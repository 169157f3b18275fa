/*
 * test_ring: slot placement. Checks the invariants stated in ring.c (every
 * slot owned, counts add up, loads within ceil(1.1 * 16384 / N), same ids
 * in any order give the same map), the moves on a join and on a leave
 * against the ideal 1/(N+1) and 1/N, and pins the hash and one map so that
 * a change that would make nodes of two versions disagree is noticed.
 *
 * Member ids are 40-hex strings from a fixed splitmix64 stream, so every
 * run sees the same memberships.
 */
#include "ring.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 1100

static char pool[POOL][41];
static const char *pool_ids[POOL];

static uint64_t splitmix(uint64_t *s)
{
    uint64_t x = (*s += 0x9e3779b97f4a7c15ull);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void make_pool(void)
{
    uint64_t s = 42;
    for (int i = 0; i < POOL; i++) {
        for (int j = 0; j < 40; j++)
            pool[i][j] = "0123456789abcdef"[splitmix(&s) & 15];
        pool[i][40] = '\0';
        pool_ids[i] = pool[i];
    }
}

TestSuite(ring, .init = make_pool);
TestSuite(ring_moves, .init = make_pool, .timeout = 60);

/* Builds r over pool members idx[0..n-1]; owner[slot] = pool index. */
static void build_map(struct ring *r, const int *idx, size_t n, int *owner)
{
    const char **ids = malloc(n * sizeof *ids);
    cr_assert_not_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = pool_ids[idx[i]];
    cr_assert_eq(ring_build(r, ids, n), 0, "build of %zu members", n);
    for (unsigned s = 0; s < RING_SLOTS; s++)
        owner[s] = idx[ring_owner(r, s)];
    free(ids);
}

static int *first_n(size_t n)
{
    int *idx = malloc((n + 1) * sizeof *idx);
    cr_assert_not_null(idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = (int)i;
    return idx;
}

static unsigned moved(const int *a, const int *b)
{
    unsigned m = 0;
    for (unsigned s = 0; s < RING_SLOTS; s++)
        m += a[s] != b[s];
    return m;
}

static const size_t sizes[] = { 1, 2, 3, 5, 10, 30, 100, 300, 1000 };
#define NSIZES (sizeof sizes / sizeof sizes[0])

Test(ring, bound_is_ceil_of_1_1_times_16384_over_n)
{
    cr_assert_eq(ring_bound(1), 18023);   /* 18022.4 */
    cr_assert_eq(ring_bound(3), 6008);    /* 6007.47 */
    cr_assert_eq(ring_bound(300), 61);    /* 60.07 */
    cr_assert_eq(ring_bound(1000), 19);   /* 18.02 */
    cr_assert_eq(ring_bound(1001), 19);   /* 18.004 */
    cr_assert_eq(ring_bound(1002), 18);   /* 17.986 */
    cr_assert_eq(ring_bound(16384), 2);   /* 1.1 */
}

Test(ring, single_member_owns_every_slot)
{
    struct ring *r = ring_new();
    const char *id = pool_ids[0];
    cr_assert_eq(ring_build(r, &id, 1), 0);
    cr_assert_eq(ring_size(r), 1);
    for (unsigned s = 0; s < RING_SLOTS; s++)
        cr_assert_eq(ring_owner(r, s), 0);
    cr_assert_eq(ring_slot_count(r, 0), RING_SLOTS);
    ring_free(&r);
    cr_assert_null(r);
}

Test(ring, every_slot_owned_and_counts_match_the_table)
{
    struct ring *r = ring_new();
    for (size_t k = 0; k < NSIZES; k++) {
        size_t n = sizes[k];
        cr_assert_eq(ring_build(r, pool_ids, n), 0);
        unsigned *tally = calloc(n, sizeof *tally);
        cr_assert_not_null(tally);
        for (unsigned s = 0; s < RING_SLOTS; s++) {
            unsigned o = ring_owner(r, s);
            cr_assert_lt(o, n, "N=%zu slot %u owner %u", n, s, o);
            tally[o]++;
        }
        unsigned sum = 0;
        for (size_t m = 0; m < n; m++) {
            cr_assert_eq(tally[m], ring_slot_count(r, m), "N=%zu m=%zu", n, m);
            sum += tally[m];
        }
        cr_assert_eq(sum, RING_SLOTS);
        free(tally);
    }
    ring_free(&r);
}

static void check_bound(struct ring *r, size_t n)
{
    cr_assert_eq(ring_build(r, pool_ids, n), 0);
    unsigned bound = ring_bound(n);
    for (size_t m = 0; m < n; m++) {
        cr_assert_leq(ring_capacity(r, m), bound, "N=%zu m=%zu", n, m);
        cr_assert_leq(ring_slot_count(r, m), ring_capacity(r, m),
                      "N=%zu m=%zu", n, m);
    }
}

Test(ring, load_never_exceeds_the_bound_at_the_issue_sizes)
{
    struct ring *r = ring_new();
    for (size_t k = 0; k < NSIZES; k++)
        check_bound(r, sizes[k]);
    ring_free(&r);
}

Test(ring, load_never_exceeds_the_bound_at_every_size_up_to_130)
{
    struct ring *r = ring_new();
    for (size_t n = 1; n <= 130; n++)
        check_bound(r, n);
    ring_free(&r);
}

Test(ring, load_bound_holds_with_more_members_than_the_pool_sizes)
{
    /* 16384 members: bound 2, capacities 1 or 2; every slot still owned. */
    size_t n = RING_MAX_MEMBERS;
    char (*ids)[41] = malloc(n * sizeof *ids);
    const char **p = malloc(n * sizeof *p);
    cr_assert(ids && p);
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "%040zx", i * 2654435761u);
        p[i] = ids[i];
    }
    struct ring *r = ring_new();
    cr_assert_eq(ring_build(r, p, n), 0);
    unsigned sum = 0;
    for (size_t m = 0; m < n; m++) {
        cr_assert_leq(ring_slot_count(r, m), 2);
        sum += ring_slot_count(r, m);
    }
    cr_assert_eq(sum, RING_SLOTS);
    ring_free(&r);
    free(ids);
    free(p);
}

Test(ring, shuffled_member_order_gives_the_same_map)
{
    static const size_t ns[] = { 2, 10, 100, 1000 };
    struct ring *r = ring_new();
    int *a = malloc(RING_SLOTS * sizeof *a), *b = malloc(RING_SLOTS * sizeof *b);
    cr_assert(a && b);
    uint64_t s = 7;
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        int *idx = first_n(n);
        build_map(r, idx, n, a);
        for (int round = 0; round < 3; round++) {
            for (size_t i = n - 1; i > 0; i--) {   /* Fisher-Yates */
                size_t j = splitmix(&s) % (i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            build_map(r, idx, n, b);
            cr_assert_eq(moved(a, b), 0, "N=%zu shuffle %d", n, round);
        }
        free(idx);
    }
    free(a);
    free(b);
    ring_free(&r);
}

Test(ring, a_reused_ring_gives_the_same_map_as_a_fresh_one)
{
    struct ring *r = ring_new(), *fresh = ring_new();
    int *idx = first_n(300);
    int *a = malloc(RING_SLOTS * sizeof *a), *b = malloc(RING_SLOTS * sizeof *b);
    cr_assert(a && b);
    build_map(r, idx, 300, a);
    int *big = first_n(1000);
    build_map(r, big, 1000, b);          /* grow, then shrink again */
    build_map(r, idx, 300, b);
    cr_assert_eq(moved(a, b), 0);
    build_map(fresh, idx, 300, b);
    cr_assert_eq(moved(a, b), 0);
    free(idx);
    free(big);
    free(a);
    free(b);
    ring_free(&r);
    ring_free(&fresh);
}

Test(ring, different_members_give_different_maps)
{
    struct ring *r = ring_new();
    int *a = malloc(RING_SLOTS * sizeof *a), *b = malloc(RING_SLOTS * sizeof *b);
    cr_assert(a && b);
    int x[3] = { 0, 1, 2 }, y[3] = { 3, 4, 5 };
    build_map(r, x, 3, a);
    build_map(r, y, 3, b);
    /* Relabel y's map by position and compare: no fixed layout. */
    unsigned same = 0;
    for (unsigned s = 0; s < RING_SLOTS; s++)
        same += (a[s] - 0) == (b[s] - 3);
    cr_assert_lt(same, RING_SLOTS / 2, "the layout does not depend on the ids");
    free(a);
    free(b);
    ring_free(&r);
}

Test(ring, rejects_bad_input_and_keeps_the_previous_map)
{
    struct ring *r = ring_new();
    cr_assert_eq(ring_build(r, pool_ids, 5), 0);
    unsigned before[RING_SLOTS];
    for (unsigned s = 0; s < RING_SLOTS; s++)
        before[s] = ring_owner(r, s);
    unsigned count0 = ring_slot_count(r, 0);

    cr_assert_eq(ring_build(r, pool_ids, 0), -EINVAL);
    cr_assert_eq(ring_build(r, NULL, 3), -EINVAL);
    cr_assert_eq(ring_build(r, pool_ids, RING_MAX_MEMBERS + 1), -EINVAL);
    const char *dup[4] = { pool_ids[7], pool_ids[8], pool_ids[9], pool_ids[8] };
    cr_assert_eq(ring_build(r, dup, 4), -EINVAL);
    char copy[41];
    memcpy(copy, pool_ids[7], sizeof copy);   /* equal text, other pointer */
    const char *dup2[3] = { pool_ids[7], pool_ids[1], copy };
    cr_assert_eq(ring_build(r, dup2, 3), -EINVAL);
    const char *null_id[3] = { pool_ids[7], NULL, pool_ids[1] };
    cr_assert_eq(ring_build(r, null_id, 3), -EINVAL);

    cr_assert_eq(ring_size(r), 5);
    cr_assert_eq(ring_slot_count(r, 0), count0);
    for (unsigned s = 0; s < RING_SLOTS; s++)
        cr_assert_eq(ring_owner(r, s), before[s]);
    ring_free(&r);
}

/* Values printed by this code when it was written. */
#define PINNED_HASH_EMPTY 0x20514f6e964b6286ull
#define PINNED_HASH_ID 0xb05833055dfe85d2ull
#define PINNED_MAP_10 0x9719fc5844f26d3cull

Test(ring, hash_and_one_map_are_pinned_across_versions)
{
    /* Every node must compute the same map. If this fails, the hash or
     * the algorithm changed and nodes running the old and new code would
     * disagree about slot owners: bump the cluster protocol version too. */
    cr_assert_eq(ring_hash_id("", 0), PINNED_HASH_EMPTY);
    cr_assert_eq(ring_hash_id("0123456789abcdef0123456789abcdef01234567", 40),
                 PINNED_HASH_ID);
    struct ring *r = ring_new();
    cr_assert_eq(ring_build(r, pool_ids, 10), 0);
    uint64_t fp = 1469598103934665603ull;        /* FNV-1a over owners */
    for (unsigned s = 0; s < RING_SLOTS; s++) {
        fp ^= ring_owner(r, s);
        fp *= 1099511628211ull;
    }
    cr_assert_eq(fp, PINNED_MAP_10, "fingerprint %#llx", (unsigned long long)fp);
    ring_free(&r);
}

Test(ring, hash_reads_every_byte)
{
    char id[41] = "0123456789abcdef0123456789abcdef01234567";
    uint64_t h = ring_hash_id(id, 40);
    for (int i = 0; i < 40; i++) {
        id[i] ^= 1;
        cr_assert_neq(ring_hash_id(id, 40), h, "byte %d", i);
        id[i] ^= 1;
    }
    cr_assert_neq(ring_hash_id(id, 39), h);
}

/*
 * Moves. When no member is near its capacity (N <= 30 here: loads stay
 * well under the bound) the map is plain rendezvous hashing, and a join or
 * a leave moves exactly the slots it must: every moved slot goes to the
 * joiner or comes from the leaver.
 */
Test(ring_moves, small_clusters_move_only_the_joiners_and_leavers_slots)
{
    static const size_t ns[] = { 1, 2, 3, 5, 10, 30 };
    struct ring *r = ring_new();
    int *a = malloc(RING_SLOTS * sizeof *a), *b = malloc(RING_SLOTS * sizeof *b);
    cr_assert(a && b);
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        int *idx = first_n(n);
        build_map(r, idx, n, a);
        idx[n] = (int)n;                        /* join */
        build_map(r, idx, n + 1, b);
        for (unsigned s = 0; s < RING_SLOTS; s++)
            if (a[s] != b[s])
                cr_assert_eq(b[s], (int)n, "N=%zu slot %u", n, s);
        if (n > 1) {                            /* member 0 leaves */
            build_map(r, idx + 1, n - 1, b);
            for (unsigned s = 0; s < RING_SLOTS; s++)
                if (a[s] != b[s])
                    cr_assert_eq(a[s], 0, "N=%zu slot %u", n, s);
        }
        free(idx);
    }
    free(a);
    free(b);
    ring_free(&r);
}

struct churn {
    double join_mean, join_max, leave_mean, leave_max;  /* x ideal */
};

/* TRIALS joins of fresh members and TRIALS leaves of spread-out members. */
#define TRIALS 5
static struct churn churn_at(size_t n)
{
    struct ring *r = ring_new();
    int *idx = first_n(n), *other = first_n(n);
    int *a = malloc(RING_SLOTS * sizeof *a), *b = malloc(RING_SLOTS * sizeof *b);
    cr_assert(a && b);
    struct churn c = { 0, 0, 0, 0 };
    build_map(r, idx, n, a);
    for (int t = 0; t < TRIALS; t++) {
        memcpy(other, idx, n * sizeof *other);
        other[n] = (int)(n + (size_t)t);
        build_map(r, other, n + 1, b);
        double j = moved(a, b) * (double)(n + 1) / RING_SLOTS;
        c.join_mean += j / TRIALS;
        c.join_max = j > c.join_max ? j : c.join_max;
        if (n == 1)
            continue;
        size_t gone = (size_t)t * n / TRIALS, k = 0;
        for (size_t i = 0; i < n; i++)
            if (i != gone)
                other[k++] = idx[i];
        build_map(r, other, n - 1, b);
        double l = moved(a, b) * (double)n / RING_SLOTS;
        c.leave_mean += l / TRIALS;
        c.leave_max = l > c.leave_max ? l : c.leave_max;
    }
    free(idx);
    free(other);
    free(a);
    free(b);
    ring_free(&r);
    return c;
}

Test(ring_moves, join_and_leave_within_1_5x_ideal_up_to_100_members)
{
    static const size_t ns[] = { 1, 2, 3, 5, 10, 30, 100 };
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        struct churn c = churn_at(ns[k]);
        cr_assert_leq(c.join_max, 1.5, "N=%zu join %.3fx", ns[k], c.join_max);
        cr_assert_leq(c.leave_max, 1.5, "N=%zu leave %.3fx", ns[k], c.leave_max);
    }
}

Test(ring_moves, join_and_leave_within_1_5x_ideal_on_average_at_300)
{
    /* At N = 300 a member averages 54.6 slots against a bound of 61, about
     * a fifth of the members sit at capacity, and single events scatter
     * around 1.3x: the mean must stay under 1.5x and no event above 2x. */
    struct churn c = churn_at(300);
    cr_assert_leq(c.join_mean, 1.5, "join mean %.3fx", c.join_mean);
    cr_assert_leq(c.leave_mean, 1.5, "leave mean %.3fx", c.leave_mean);
    cr_assert_leq(c.join_max, 2.0, "join max %.3fx", c.join_max);
    cr_assert_leq(c.leave_max, 2.0, "leave max %.3fx", c.leave_max);
}

Test(ring_moves, known_gap_at_1000_moves_stay_under_2_5x_ideal)
{
    /* The issue's target is 1.5x. At N = 1000 (16.4 slots a member, bound
     * 19) 44% of the members sit at capacity and the moves are
     * about 1.8x ideal; ring.c and docs/placement.md explain where that
     * comes from and what was tried. This test holds the line where it
     * is. */
    struct churn c = churn_at(1000);
    cr_assert_leq(c.join_mean, 2.2, "join mean %.3fx", c.join_mean);
    cr_assert_leq(c.leave_mean, 2.2, "leave mean %.3fx", c.leave_mean);
    cr_assert_leq(c.join_max, 2.5, "join max %.3fx", c.join_max);
    cr_assert_leq(c.leave_max, 2.5, "leave max %.3fx", c.leave_max);
}

Test(ring_moves, a_join_moves_at_least_the_ideal_share)
{
    /* Sanity for the ratios above: a joiner always gets close to its
     * share, so "few moves" can't come from a joiner that gets nothing. */
    for (size_t k = 1; k < NSIZES; k++) {
        struct churn c = churn_at(sizes[k]);
        cr_assert_geq(c.join_mean, 0.9, "N=%zu join %.3fx", sizes[k], c.join_mean);
    }
}
