/*
 * test_dict.c: the keyspace dict. Entries are test nodes carrying their key
 * inline; flags on each node let the tests check that scans and random
 * picks only ever hand out live nodes, and that the graveyard destroys each
 * node exactly once and never touches it afterwards.
 */
#include "dict.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct tnode {
    struct dnode link;          /* first: dnode <-> tnode casts */
    uint32_t id;
    uint32_t seen;              /* times a scan returned it */
    uint32_t drawn;             /* times dict_random returned it */
    uint32_t destroyed;
    bool alive;                 /* currently in the dict */
    bool moved;                 /* hashed while track_moves was set */
    uint8_t len;
    char key[23];
};

static unsigned long key_calls;
/* While set, key() marks the node: rehash steps and dict_random call key()
 * only to rehash a node into the new table, so this tracks which nodes
 * live in t[1]. */
static bool track_moves;

static void tkey(const struct dnode *n, const char **key, size_t *len)
{
    const struct tnode *t = (const struct tnode *)n;
    key_calls++;
    if (track_moves)
        ((struct tnode *)n)->moved = true;
    *key = t->key;
    *len = t->len;
}

static const struct dict_ops tops = { .key = tkey };

static struct tnode *nodes_new(size_t n, const char *prefix)
{
    struct tnode *v = calloc(n, sizeof(*v));
    cr_assert_not_null(v);
    for (size_t i = 0; i < n; i++) {
        v[i].id = (uint32_t)i;
        v[i].len = (uint8_t)snprintf(v[i].key, sizeof(v[i].key), "%s:%zu",
                                     prefix, i);
    }
    return v;
}

static void add(struct dict *d, struct tnode *t)
{
    dict_add(d, &t->link);
    t->alive = true;
}

static void del(struct dict *d, struct tnode *t)
{
    struct dnode *n = dict_remove(d, t->key, t->len);
    cr_assert_eq(n, &t->link, "remove %s returned the wrong node", t->key);
    t->alive = false;
}

static struct tnode *find(struct dict *d, const char *key)
{
    return (struct tnode *)dict_find(d, key, strlen(key));
}

static uint64_t splitmix(void *arg)
{
    uint64_t *s = arg;
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void finish_rehash(struct dict *d)
{
    while (dict_rehash_step(d, 1000))
        ;
}

/* ---- basics ---- */

Test(dict_basic, add_find_remove_100k_nodes, .timeout = 30)
{
    enum { N = 100000 };
    struct tnode *v = nodes_new(N, "key");
    struct dict *d = dict_new(&tops, 42);
    cr_assert_null(find(d, "key:1"), "empty dict finds nothing");
    for (size_t i = 0; i < N; i++)
        add(d, &v[i]);
    cr_assert_eq(dict_size(d), N);
    for (size_t i = 0; i < N; i++)
        cr_assert_eq(find(d, v[i].key), &v[i], "find %s", v[i].key);
    cr_assert_null(find(d, "key:100000"));
    cr_assert_null(find(d, "key:"));
    cr_assert_null(dict_find(d, "key:1\0", 6), "length is part of the key");
    for (size_t i = 0; i < N; i += 2)
        del(d, &v[i]);
    cr_assert_eq(dict_size(d), N / 2);
    for (size_t i = 0; i < N; i++) {
        if (i % 2)
            cr_assert_eq(find(d, v[i].key), &v[i]);
        else
            cr_assert_null(find(d, v[i].key), "%s was removed", v[i].key);
    }
    cr_assert_null(dict_remove(d, v[0].key, v[0].len), "second remove");
    for (size_t i = 1; i < N; i += 2)
        del(d, &v[i]);
    cr_assert_eq(dict_size(d), 0);
    cr_assert_null(find(d, "key:1"));
    dict_free(&d);
    cr_assert_null(d, "dict_free clears the pointer");
    free(v);
}

Test(dict_basic, hash_is_seeded_xxh3)
{
    struct dict *a = dict_new(&tops, 1), *b = dict_new(&tops, 2);
    cr_assert_eq(dict_hash(a, "hello", 5), XXH3_64bits_withSeed("hello", 5, 1));
    cr_assert_neq(dict_hash(a, "hello", 5), dict_hash(b, "hello", 5));
    dict_free(&a);
    dict_free(&b);
}

Test(dict_basic, binary_keys_with_nul_bytes_are_distinct)
{
    struct tnode t[3] = { 0 };
    memcpy(t[0].key, "a\0b", 3);
    t[0].len = 3;
    memcpy(t[1].key, "a\0c", 3);
    t[1].len = 3;
    t[2].len = 0;               /* the empty key */
    struct dict *d = dict_new(&tops, 7);
    for (int i = 0; i < 3; i++)
        add(d, &t[i]);
    cr_assert_eq(dict_find(d, "a\0b", 3), &t[0].link);
    cr_assert_eq(dict_find(d, "a\0c", 3), &t[1].link);
    cr_assert_eq(dict_find(d, "", 0), &t[2].link);
    cr_assert_null(dict_find(d, "a", 1));
    dict_free(&d);
}

/* ---- growing and shrinking ---- */

Test(dict_resize, grows_when_size_reaches_buckets)
{
    struct tnode *v = nodes_new(64, "g");
    struct dict *d = dict_new(&tops, 3);
    cr_assert_eq(dict_buckets(d), 0, "tables are allocated lazily");
    add(d, &v[0]);
    cr_assert_eq(dict_buckets(d), 4, "minimum table is 4 buckets");
    for (int i = 1; i < 4; i++)
        add(d, &v[i]);
    cr_assert_not(dict_is_rehashing(d), "load 1 is reached, not passed");
    add(d, &v[4]);
    cr_assert(dict_is_rehashing(d), "the add at size == buckets grows");
    cr_assert_eq(dict_buckets(d), 4 + 8);
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), 8);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(find(d, v[i].key), &v[i]);
    for (int i = 5; i < 64; i++)
        add(d, &v[i]);
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), 64);
    cr_assert_geq(dict_mem(d), 64 * sizeof(void *));
    dict_free(&d);
    free(v);
}

Test(dict_resize, shrinks_only_below_one_eighth_to_next_power_of_two)
{
    enum { N = 1024 };
    struct tnode *v = nodes_new(N, "s");
    struct dict *d = dict_new(&tops, 5);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), 1024);
    cr_assert_not(dict_shrink_if_needed(d), "full table stays");
    size_t mem_full = dict_mem(d);
    /* 128 = 1024/8 entries left: not below 1/8 yet. */
    for (int i = 128; i < N; i++)
        del(d, &v[i]);
    cr_assert_not(dict_shrink_if_needed(d));
    del(d, &v[127]);            /* 127 < 128 */
    cr_assert(dict_shrink_if_needed(d));
    cr_assert(dict_is_rehashing(d));
    cr_assert_not(dict_shrink_if_needed(d), "one resize at a time");
    for (int i = 0; i < 127; i++)
        cr_assert_eq(find(d, v[i].key), &v[i], "findable mid-shrink");
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), 128, "127 entries -> 128 buckets");
    cr_assert_lt(dict_mem(d), mem_full);
    for (int i = 0; i < 127; i++)
        cr_assert_eq(find(d, v[i].key), &v[i]);
    /* Empty: the table shrinks to the minimum, never below. */
    for (int i = 0; i < 127; i++)
        del(d, &v[i]);
    cr_assert(dict_shrink_if_needed(d));
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), 4);
    cr_assert_not(dict_shrink_if_needed(d));
    dict_free(&d);
    free(v);
}

Test(dict_resize, adds_during_a_shrink_land_and_stay_findable, .timeout = 30)
{
    enum { N = 1 << 16, M = 20000 };
    struct tnode *v = nodes_new(N, "a");
    struct tnode *w = nodes_new(M, "b");
    struct dict *d = dict_new(&tops, 11);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    for (int i = 100; i < N; i++)
        del(d, &v[i]);
    cr_assert(dict_shrink_if_needed(d));
    /* A burst of adds while t[0] is still mostly unmoved. */
    for (int i = 0; i < M; i++)
        add(d, &w[i]);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(find(d, v[i].key), &v[i]);
    for (int i = 0; i < M; i++)
        cr_assert_eq(find(d, w[i].key), &w[i]);
    cr_assert_eq(dict_size(d), 100 + M);
    finish_rehash(d);
    cr_assert_eq(dict_size(d), 100 + M);
    dict_free(&d);
    free(v);
    free(w);
}

/* ---- rehash step budget ---- */

struct bucket_count {
    size_t idx;
    size_t n;
};

static int cmp_bucket(const void *a, const void *b)
{
    const struct bucket_count *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The non-empty buckets of a table of `buckets` holding v[0..n), in order. */
static struct bucket_count *occupancy(struct dict *d, struct tnode *v,
                                      size_t n, size_t buckets, size_t *nb)
{
    struct bucket_count *all = calloc(n, sizeof(*all));
    for (size_t i = 0; i < n; i++) {
        all[i].idx = dict_hash(d, v[i].key, v[i].len) & (buckets - 1);
        all[i].n = 1;
    }
    qsort(all, n, sizeof(*all), cmp_bucket);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && all[k - 1].idx == all[i].idx)
            all[k - 1].n++;
        else
            all[k++] = all[i];
    }
    *nb = k;
    return all;
}

/*
 * Drives a rehash with steps of `budget` and checks every step against the
 * old table's occupancy: each step moves whole buckets, in order, at most
 * `budget` of them, and the empty buckets passed so far never exceed
 * 10 * (sum of budgets). key() is called once per moved node, which is how
 * the moves are observed.
 */
static void check_steps(struct dict *d, struct tnode *v, size_t n,
                        size_t old_buckets, unsigned budget, bool dense)
{
    size_t nb;
    struct bucket_count *bc = occupancy(d, v, n, old_buckets, &nb);
    size_t next = 0, moved_buckets = 0, budget_sum = 0, steps = 0;
    bool more = true;
    while (more) {
        key_calls = 0;
        more = dict_rehash_step(d, budget);
        budget_sum += budget;
        steps++;
        size_t calls = key_calls, k = 0;
        while (calls && next < nb) {
            cr_assert_geq(calls, bc[next].n, "a step moved part of a bucket");
            calls -= bc[next].n;
            next++;
            k++;
        }
        cr_assert_eq(calls, 0);
        cr_assert_leq(k, budget, "step(%u) moved %zu buckets", budget, k);
        if (dense)
            cr_assert_eq(k, nb - (next - k) < budget ? nb - (next - k) : budget,
                         "a dense table moves the full budget");
        moved_buckets += k;
        if (k) {
            size_t empties = bc[next - 1].idx + 1 - moved_buckets;
            cr_assert_leq(empties, 10 * budget_sum,
                          "%zu empty buckets passed on a budget of %zu",
                          empties, budget_sum);
        }
        cr_assert_eq(more, next < nb, "returns true while buckets remain");
        cr_assert_lt(steps, old_buckets + 10, "rehash makes progress");
    }
    cr_assert_eq(next, nb, "every bucket moved");
    free(bc);
}

Test(dict_rehash, step_moves_at_most_n_buckets_during_grow)
{
    enum { N = 4096 };
    struct tnode *v = nodes_new(N + 1, "r");
    struct dict *d = dict_new(&tops, 13);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    cr_assert_eq(dict_buckets(d), N);
    key_calls = 0;
    add(d, &v[N]);              /* starts the grow; the new node goes to t[1] */
    cr_assert(dict_is_rehashing(d));
    /* A dense table (load 1) moves exactly `budget` buckets per step. */
    check_steps(d, v, N, N, 3, true);
    cr_assert_not(dict_is_rehashing(d));
    for (int i = 0; i <= N; i++)
        cr_assert_eq(find(d, v[i].key), &v[i]);
    cr_assert_not(dict_rehash_step(d, 5), "nothing to do when not rehashing");
    dict_free(&d);
    free(v);
}

Test(dict_rehash, step_bounds_empty_visits_during_sparse_shrink)
{
    enum { N = 1 << 15, KEEP = 300 };
    struct tnode *v = nodes_new(N, "e");
    struct dict *d = dict_new(&tops, 17);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    for (int i = KEEP; i < N; i++)
        del(d, &v[i]);
    cr_assert(dict_shrink_if_needed(d));
    cr_assert_eq(dict_buckets(d), N + 512);
    check_steps(d, v, KEEP, N, 1, false);
    cr_assert_eq(dict_buckets(d), 512);
    for (int i = 0; i < KEEP; i++)
        cr_assert_eq(find(d, v[i].key), &v[i]);
    dict_free(&d);
    free(v);
}

/* ---- scan ---- */

static void mark_seen(struct dnode *n, void *arg)
{
    struct tnode *t = (struct tnode *)n;
    (void)arg;
    cr_assert(t->alive, "scan returned removed node %s", t->key);
    t->seen++;
}

Test(dict_scan, empty_dict_completes_at_once)
{
    struct dict *d = dict_new(&tops, 1);
    cr_assert_eq(dict_scan(d, 0, mark_seen, NULL), 0);
    dict_free(&d);
}

Test(dict_scan, visits_every_node_exactly_once_without_resizes)
{
    enum { N = 5000 };
    struct tnode *v = nodes_new(N, "x");
    struct dict *d = dict_new(&tops, 19);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    uint64_t c = 0;
    size_t calls = 0;
    do {
        c = dict_scan(d, c, mark_seen, NULL);
        calls++;
    } while (c);
    cr_assert_eq(calls, dict_buckets(d), "one bucket per call");
    for (int i = 0; i < N; i++)
        cr_assert_eq(v[i].seen, 1, "%s seen %u times", v[i].key, v[i].seen);
    dict_free(&d);
    free(v);
}

/*
 * The SCAN guarantee: nodes present for the whole scan are returned at
 * least once although, between scan calls, other keys are added (growing
 * the table several times) and removed (shrinking it), with rehash steps of
 * random sizes in between so scans run against half-moved tables.
 */
Test(dict_scan, stable_nodes_survive_grows_shrinks_and_rehash, .timeout = 60)
{
    enum { N = 1000, M = 200000 };
    for (uint64_t seed = 1; seed <= 6; seed++) {
        uint64_t rng = seed * 1000003;
        struct tnode *v = nodes_new(N, "stable");
        struct tnode *w = nodes_new(M, "churn");
        struct dict *d = dict_new(&tops, seed);
        for (int i = 0; i < N; i++)
            add(d, &v[i]);
        finish_rehash(d);
        size_t nadd = 0, ndel = 0, grows = 0, shrinks = 0, calls = 0;
        size_t rehashing_calls = 0;
        uint64_t c = 0;
        do {
            c = dict_scan(d, c, mark_seen, NULL);
            calls++;
            if (dict_is_rehashing(d))
                rehashing_calls++;
            if ((calls / 40) % 2 == 0) {            /* grow */
                for (int k = 0; k < 250 && nadd < M; k++) {
                    bool was = dict_is_rehashing(d);
                    add(d, &w[nadd++]);
                    if (!was && dict_is_rehashing(d))
                        grows++;
                }
            } else {                                /* shrink */
                for (int k = 0; k < 500 && ndel < nadd; k++)
                    del(d, &w[ndel++]);
                if (dict_shrink_if_needed(d))
                    shrinks++;
            }
            dict_rehash_step(d, (unsigned)(splitmix(&rng) % 4));
            cr_assert_lt(calls, 10000000, "scan terminates");
        } while (c);
        for (int i = 0; i < N; i++)
            cr_assert_geq(v[i].seen, 1, "seed %llu: %s never returned",
                          (unsigned long long)seed, v[i].key);
        cr_assert_geq(grows, 4, "the scan crossed grows (%zu)", grows);
        cr_assert_geq(shrinks, 2, "the scan crossed shrinks (%zu)", shrinks);
        cr_assert_gt(rehashing_calls, 100, "scans ran mid-rehash (%zu)",
                     rehashing_calls);
        dict_free(&d);
        free(v);
        free(w);
    }
}

struct find_arg {
    struct dict *d;
    struct tnode *v;
    uint64_t rng;
};

static void find_in_callback(struct dnode *n, void *arg)
{
    struct find_arg *a = arg;
    mark_seen(n, NULL);
    struct tnode *t = &a->v[splitmix(&a->rng) % 1100];
    cr_assert_eq(find(a->d, t->key), t);
}

Test(dict_scan, find_inside_callback_does_not_disturb_the_walk)
{
    enum { N = 1100 };
    struct tnode *v = nodes_new(N, "f");
    struct dict *d = dict_new(&tops, 23);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);          /* grow at 1025; 75 steps do not finish it */
    cr_assert(dict_is_rehashing(d));
    struct find_arg a = { d, v, 5 };
    uint64_t c = 0;
    do {
        c = dict_scan(d, c, find_in_callback, &a);
    } while (c);
    for (int i = 0; i < N; i++)
        cr_assert_geq(v[i].seen, 1, "%s never returned", v[i].key);
    dict_free(&d);
    free(v);
}

/* ---- random ---- */

static void check_random(struct dict *d, struct tnode *v, size_t n,
                         uint64_t *rng, unsigned draws)
{
    for (size_t i = 0; i < n; i++)
        v[i].drawn = 0;
    for (unsigned k = 0; k < draws; k++) {
        struct tnode *t = (struct tnode *)dict_random(d, splitmix, rng);
        cr_assert_not_null(t);
        cr_assert(t->alive, "random returned removed node %s", t->key);
        t->drawn++;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].alive)
            cr_assert_gt(v[i].drawn, 0, "%s never drawn", v[i].key);
}

Test(dict_random, returns_only_present_nodes_and_reaches_all)
{
    enum { N = 24 };
    uint64_t rng = 99;
    struct tnode *v = nodes_new(N, "q");
    struct dict *d = dict_new(&tops, 29);
    cr_assert_null(dict_random(d, splitmix, &rng), "empty dict");
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    check_random(d, v, N, &rng, 20000);
    finish_rehash(d);
    check_random(d, v, N, &rng, 20000);
    for (int i = 0; i < N; i += 3)
        del(d, &v[i]);
    check_random(d, v, N, &rng, 20000);
    dict_free(&d);
    free(v);
}

Test(dict_random, works_mid_rehash_and_in_sparse_tables)
{
    enum { N = 4096 };
    uint64_t rng = 7;
    struct tnode *v = nodes_new(N + 1, "z");
    struct dict *d = dict_new(&tops, 31);
    for (int i = 0; i <= N; i++)
        add(d, &v[i]);          /* N + 1 adds: a grow is under way */
    cr_assert(dict_is_rehashing(d));
    for (int k = 0; k < 1000; k++) {
        struct tnode *t = (struct tnode *)dict_random(d, splitmix, &rng);
        cr_assert(t && t->alive);
    }
    finish_rehash(d);
    /* Leave 3 nodes in 8192 buckets and do not shrink: the probe fallback
     * must still find them, and all of them. */
    for (int i = 3; i <= N; i++)
        del(d, &v[i]);
    check_random(d, v, 3, &rng, 3000);
    dict_free(&d);
    free(v);
}

Test(dict_random, draws_from_both_tables_mid_rehash)
{
    enum { N = 8192 };
    uint64_t rng = 3;
    struct tnode *v = nodes_new(N + 1, "m");
    struct dict *d = dict_new(&tops, 53);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    add(d, &v[N]);              /* starts the grow; lands in t[1] */
    v[N].moved = true;
    track_moves = true;
    dict_rehash_step(d, N / 4);
    size_t in_new = 0, in_old = 0;
    for (int k = 0; k < 400; k++) {
        struct tnode *t = (struct tnode *)dict_random(d, splitmix, &rng);
        cr_assert(t && t->alive);
        if (t->moved)
            in_new++;
        else
            in_old++;
    }
    track_moves = false;
    cr_assert(dict_is_rehashing(d), "still mid-rehash");
    cr_assert_gt(in_new, 40, "draws from the new table (%zu)", in_new);
    cr_assert_gt(in_old, 40, "draws from the old table (%zu)", in_old);
    dict_free(&d);
    free(v);
}

/* ---- find_link ---- */

Test(dict_find_link, replaces_a_node_in_place)
{
    enum { N = 3000 };
    struct tnode *v = nodes_new(N, "l");
    struct tnode *copy = nodes_new(N, "l");
    struct dict *d = dict_new(&tops, 37);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);          /* mid-grow, so both tables are exercised */
    cr_assert(dict_is_rehashing(d));
    cr_assert_null(dict_find_link(d, "nope", 4));
    for (int i = 0; i < N; i += 2) {
        struct dnode **link = dict_find_link(d, v[i].key, v[i].len);
        cr_assert_not_null(link);
        cr_assert_eq(*link, &v[i].link);
        copy[i].link.next = (*link)->next;
        *link = &copy[i].link;
        v[i].alive = false;
        copy[i].alive = true;
    }
    finish_rehash(d);
    cr_assert_eq(dict_size(d), N);
    for (int i = 0; i < N; i++)
        cr_assert_eq(find(d, v[i].key), i % 2 ? &v[i] : &copy[i]);
    for (int i = 0; i < N; i += 2)
        del(d, &copy[i]);
    cr_assert_eq(dict_size(d), N / 2);
    dict_free(&d);
    free(v);
    free(copy);
}

/* ---- graveyard ---- */

struct grave_stats {
    size_t destroyed;
};

static void destroy_node(struct dnode *n, void *arg)
{
    struct tnode *t = (struct tnode *)n;
    struct grave_stats *s = arg;
    cr_assert_eq(t->destroyed, 0, "%s destroyed twice", t->key);
    t->destroyed++;
    s->destroyed++;
    /* Poison the link: a graveyard that follows next after destroy would
     * walk into this pattern and crash or lose nodes. */
    memset(&t->link, 0xa5, sizeof(t->link));
}

static void drain(struct dict_graveyard *g, unsigned budget, size_t expect)
{
    struct grave_stats s = { 0 };
    size_t steps = 0;
    bool more;
    do {
        size_t before = s.destroyed;
        more = dict_graveyard_step(g, budget, destroy_node, &s);
        cr_assert_leq(s.destroyed - before, budget, "budget exceeded");
        cr_assert_lt(++steps, 10000000, "graveyard makes progress");
    } while (more);
    cr_assert_eq(s.destroyed, expect);
}

Test(dict_graveyard, destroys_every_node_once_in_slices, .timeout = 30)
{
    enum { N = 10000 };
    struct tnode *v = nodes_new(N, "g");
    struct dict *d = dict_new(&tops, 41);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);          /* 10000 > 8192: detached mid-grow */
    cr_assert(dict_is_rehashing(d));
    struct dict_graveyard *g = dict_detach_all(d);
    cr_assert_not_null(g);
    cr_assert_eq(dict_size(d), 0);
    cr_assert_not(dict_is_rehashing(d));
    cr_assert_null(find(d, v[5].key), "detached nodes are gone");
    /* The dict is usable again right away, with fresh nodes. */
    struct tnode *fresh = nodes_new(100, "g");
    for (int i = 0; i < 100; i++)
        add(d, &fresh[i]);
    cr_assert_eq(find(d, "g:5"), &fresh[5]);
    struct grave_stats s = { 0 };
    cr_assert(dict_graveyard_step(g, 0, destroy_node, &s), "budget 0");
    cr_assert_eq(s.destroyed, 0);
    drain(g, 7, N);
    for (int i = 0; i < N; i++)
        cr_assert_eq(v[i].destroyed, 1, "%s destroyed %u times", v[i].key,
                     v[i].destroyed);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(fresh[i].destroyed, 0);
    dict_free(&d);
    free(v);
    free(fresh);
}

Test(dict_graveyard, sparse_table_finishes_in_bounded_steps)
{
    enum { N = 1 << 15 };
    struct tnode *v = nodes_new(N, "h");
    struct dict *d = dict_new(&tops, 43);
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    finish_rehash(d);
    for (int i = 10; i < N; i++)
        del(d, &v[i]);
    struct dict_graveyard *g = dict_detach_all(d);
    struct grave_stats s = { 0 };
    size_t steps = 0;
    while (dict_graveyard_step(g, 4, destroy_node, &s))
        steps++;
    cr_assert_eq(s.destroyed, 10);
    /* 32768 buckets, at most 40 empty ones per step of budget 4. */
    cr_assert_leq(steps, N / 40 + 10);
    dict_free(&d);
    free(v);
}

Test(dict_graveyard, empty_dict_yields_an_empty_graveyard)
{
    struct dict *d = dict_new(&tops, 47);
    struct dict_graveyard *g = dict_detach_all(d);
    struct grave_stats s = { 0 };
    cr_assert_not(dict_graveyard_step(g, 10, destroy_node, &s));
    cr_assert_eq(s.destroyed, 0);
    dict_free(&d);
}

/* ---- sample ---- */

static void check_sample(struct dict *d, struct tnode *v, size_t n,
                         uint64_t *rng, unsigned calls, size_t want)
{
    for (size_t i = 0; i < n; i++)
        v[i].drawn = 0;
    for (unsigned k = 0; k < calls; k++) {
        struct dnode *out[16];
        size_t got = dict_sample(d, out, want, splitmix, rng);
        cr_assert_leq(got, want);
        cr_assert_gt(got, 0, "size %zu, rehashing %d", dict_size(d),
                     (int)dict_is_rehashing(d));
        for (size_t i = 0; i < got; i++) {
            struct tnode *t = (struct tnode *)out[i];
            cr_assert(t->alive, "sample returned removed node %s", t->key);
            for (size_t j = 0; j < i; j++)
                cr_assert_neq(out[j], out[i], "node twice in one sample");
            t->drawn++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].alive)
            cr_assert_gt(v[i].drawn, 0, "%s never sampled", v[i].key);
}

Test(dict_sample, gives_distinct_present_nodes_and_reaches_all)
{
    enum { N = 1100 };
    uint64_t rng = 5;
    struct tnode *v = nodes_new(N, "s");
    struct dict *d = dict_new(&tops, 31);
    struct dnode *out[4];
    cr_assert_eq(dict_sample(d, out, 4, splitmix, &rng), 0, "empty dict");
    for (int i = 0; i < N; i++)
        add(d, &v[i]);
    cr_assert(dict_is_rehashing(d));
    check_sample(d, v, N, &rng, 20000, 5);      /* both tables */
    finish_rehash(d);
    check_sample(d, v, N, &rng, 20000, 5);
    for (int i = 0; i < N; i += 2)
        del(d, &v[i]);
    check_sample(d, v, N, &rng, 20000, 16);
    dict_free(&d);
    free(v);
}
