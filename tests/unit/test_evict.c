/*
 * test_evict.c: maxmemory eviction and the LRU/LFU access data.
 *
 * Memory is faked: used_mem() reports one byte per stored key (over all
 * dbs), so a limit is a key count and a test can say exactly how many keys
 * an eviction must remove. Every per-key size estimate evict.c makes is
 * larger than one byte, so the loop always confirms with used_mem() and
 * stops exactly at the limit. Seeds are fixed: runs are reproducible, and
 * the thresholds on approximated policies leave a wide margin over what
 * the approximation achieves while staying far from what random
 * eviction would do.
 */
#include "evict.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define NOW 1700000000000ULL    /* ms */
#define CLOCK0 1000020u         /* lru clock, seconds: a minute start */

static struct keyspace *cur;

static size_t fake_used(void)
{
    size_t n = 0;
    for (int i = 0; i < cur->ndb; i++)
        n += db_size(&cur->dbs[i]);
    return n;
}

static uint64_t fake_us;
static uint64_t fake_clock(void)
{
    fake_us += 100;             /* every reading costs 100 us */
    return fake_us;
}

static struct keyspace *ks_new(int ndb, bool cluster)
{
    cur = keyspace_new(ndb, cluster, 42);
    cur->lru_clock = CLOCK0;
    return cur;
}

static struct evict_cfg cfg_of(enum evict_policy p)
{
    struct evict_cfg c = {.policy = p, .samples = 5, .lfu_log_factor = 10,
                          .lfu_decay_time = 1, .max_keys = 0};
    return c;
}

static int keyname(char *buf, size_t cap, const char *prefix, int i)
{
    return snprintf(buf, cap, "%s:%d", prefix, i);
}

static struct entry *add_key(struct db *db, const char *prefix, int i,
                             int64_t expire_ms)
{
    char k[64];
    int n = keyname(k, sizeof(k), prefix, i);
    struct entry *e = entry_new_str(k, (size_t)n, "value", 5);
    db_add(db, e);
    if (expire_ms >= 0)
        e = db_set_expire(db, e, expire_ms);
    return e;
}

static bool has_key(struct db *db, const char *prefix, int i)
{
    char k[64];
    int n = keyname(k, sizeof(k), prefix, i);
    return db_find(db, k, (size_t)n, NOW) != NULL;
}

static struct entry *lookup(struct db *db, const char *prefix, int i)
{
    char k[64];
    int n = keyname(k, sizeof(k), prefix, i);
    return db_lookup(db, k, (size_t)n, NOW);
}

/* Runs evict_until down to `limit` keys with fake memory, no budget. */
static size_t evict_to(struct keyspace *ks, const struct evict_cfg *c,
                       size_t limit, enum evict_status *st)
{
    return evict_until(ks, c, fake_used(), limit, NOW, fake_used, 0, NULL,
                       st);
}

/* ---- basic contract ---- */

Test(evict, under_the_limit_evicts_nothing)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 10; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    enum evict_status st = EVICT_FAIL;
    cr_assert_eq(evict_to(ks, &c, 10, &st), 0);
    cr_assert_eq(st, EVICT_OK);
    cr_assert_eq(db_size(&ks->dbs[0]), 10);
    keyspace_free(&ks);
}

Test(evict, noeviction_evicts_nothing_and_fails)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 50; i++)
        add_key(&ks->dbs[0], "k", i, i % 2 ? (int64_t)NOW + 1000 : -1);
    struct evict_cfg c = cfg_of(EVICT_NOEVICTION);
    enum evict_status st = EVICT_OK;
    cr_assert_eq(evict_to(ks, &c, 10, &st), 0);
    cr_assert_eq(st, EVICT_FAIL);
    cr_assert_eq(db_size(&ks->dbs[0]), 50);
    cr_assert_eq(ks->evicted_keys, 0);
    keyspace_free(&ks);
}

Test(evict, stops_exactly_at_the_limit_for_every_policy)
{
    for (int p = EVICT_ALLKEYS_LRU; p <= EVICT_VOLATILE_TTL; p++) {
        struct keyspace *ks = ks_new(1, false);
        for (int i = 0; i < 100; i++)
            add_key(&ks->dbs[0], "k", i, (int64_t)NOW + 1000 + i);
        struct evict_cfg c = cfg_of((enum evict_policy)p);
        evict_configure(ks, &c);
        enum evict_status st = EVICT_FAIL;
        size_t n = evict_to(ks, &c, 60, &st);
        cr_assert_eq(n, 40, "policy %d evicted %zu", p, n);
        cr_assert_eq(st, EVICT_OK, "policy %d", p);
        cr_assert_eq(db_size(&ks->dbs[0]), 60);
        cr_assert_eq(ks->evicted_keys, 40);
        cr_assert_eq(ks->expired_keys, 0);
        keyspace_free(&ks);
    }
}

Test(evict, allkeys_random_evicts_keys_with_and_without_ttl)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 100; i++)
        add_key(&ks->dbs[0], i % 2 ? "ttl" : "plain", i,
                i % 2 ? (int64_t)NOW + 5000 : -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_RANDOM);
    enum evict_status st;
    cr_assert_eq(evict_to(ks, &c, 20, &st), 80);
    cr_assert_eq(st, EVICT_OK);
    int plain = 0, ttl = 0;
    for (int i = 0; i < 100; i++) {
        if (i % 2)
            ttl += has_key(&ks->dbs[0], "ttl", i);
        else
            plain += has_key(&ks->dbs[0], "plain", i);
    }
    cr_assert_eq(plain + ttl, 20);
    /* 80 of 100 gone at random: both kinds lose most of their keys. */
    cr_assert(plain < 20 && ttl < 20, "plain %d ttl %d left", plain, ttl);
    keyspace_free(&ks);
}

Test(evict, volatile_policies_never_evict_keys_without_ttl)
{
    enum evict_policy ps[] = {EVICT_VOLATILE_LRU, EVICT_VOLATILE_LFU,
                              EVICT_VOLATILE_RANDOM, EVICT_VOLATILE_TTL};
    for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
        struct keyspace *ks = ks_new(2, false);
        for (int i = 0; i < 100; i++) {
            add_key(&ks->dbs[i % 2], "plain", i, -1);
            add_key(&ks->dbs[i % 2], "ttl", i, (int64_t)NOW + 1000 * i + 1);
        }
        struct evict_cfg c = cfg_of(ps[k]);
        evict_configure(ks, &c);
        enum evict_status st = EVICT_OK;
        size_t n = evict_to(ks, &c, 0, &st);
        cr_assert_eq(n, 100, "policy %d evicted %zu", ps[k], n);
        cr_assert_eq(st, EVICT_FAIL, "over the limit with no candidate");
        for (int i = 0; i < 100; i++) {
            cr_assert(has_key(&ks->dbs[i % 2], "plain", i));
            cr_assert(!has_key(&ks->dbs[i % 2], "ttl", i));
        }
        cr_assert_eq(ks->dbs[0].nx + ks->dbs[1].nx, 0);
        keyspace_free(&ks);
    }
}

Test(evict, volatile_with_no_ttl_keys_fails_at_once)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 30; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    struct evict_cfg c = cfg_of(EVICT_VOLATILE_LRU);
    enum evict_status st = EVICT_OK;
    cr_assert_eq(evict_to(ks, &c, 0, &st), 0);
    cr_assert_eq(st, EVICT_FAIL);
    cr_assert_eq(db_size(&ks->dbs[0]), 30);
    keyspace_free(&ks);
}

/* ---- ranking ---- */

/* 2000 keys; 1000 s later the odd ones are read again. Returns how many
 * of those 1000 recently used keys are lost when `evict` keys go. */
static int lru_hot_lost(unsigned samples, int evict)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 2000; i++)
        add_key(db, "k", i, -1);
    ks->lru_clock = CLOCK0 + 1000;
    for (int i = 1; i < 2000; i += 2)
        cr_assert_not_null(lookup(db, "k", i));
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    c.samples = samples;
    cr_assert_eq(evict_to(ks, &c, 2000 - (size_t)evict, NULL),
                 (size_t)evict);
    int hot_lost = 0;
    for (int i = 1; i < 2000; i += 2)
        hot_lost += !has_key(db, "k", i);
    keyspace_free(&ks);
    return hot_lost;
}

/* Random eviction would take 350 of the recently used keys here. */
Test(evict, allkeys_lru_evicts_least_recently_used_first)
{
    int lost = lru_hot_lost(5, 700);
    cr_assert(lost <= 10, "%d of 1000 recently used keys evicted", lost);
}

/* Evicting every idle key is the approximation's worst case: the last
 * idle keys are rarely sampled. It still beats random (500) by far, and
 * more samples do better, as in Redis. */
Test(evict, allkeys_lru_more_samples_approximate_better)
{
    int lost5 = lru_hot_lost(5, 1000);
    int lost10 = lru_hot_lost(10, 1000);
    cr_assert(lost5 <= 200, "samples 5: %d of 1000 recent keys lost", lost5);
    cr_assert(lost10 < lost5, "samples 10 lost %d, samples 5 lost %d",
              lost10, lost5);
}

/* Ages spread evenly: the keys evicted first must be the oldest ones. */
Test(evict, allkeys_lru_approximates_age_order_across_dbs)
{
    struct keyspace *ks = ks_new(4, false);
    for (int i = 0; i < 4000; i++) {
        ks->lru_clock = CLOCK0 + (uint32_t)i;
        add_key(&ks->dbs[i % 4], "k", i, -1);
    }
    ks->lru_clock = CLOCK0 + 5000;
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    cr_assert_eq(evict_to(ks, &c, 3000, NULL), 1000);
    /* Random eviction would leave 750 of the oldest 1000. */
    int old_left = 0, young_lost = 0;
    for (int i = 0; i < 1000; i++)
        old_left += has_key(&ks->dbs[i % 4], "k", i);
    for (int i = 2000; i < 4000; i++)
        young_lost += !has_key(&ks->dbs[i % 4], "k", i);
    cr_assert(old_left <= 250, "%d of the oldest 1000 kept", old_left);
    cr_assert(young_lost <= 20, "%d of the youngest 2000 evicted",
              young_lost);
    keyspace_free(&ks);
}

Test(evict, volatile_lru_prefers_idle_keys_with_ttl)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 1000; i++) {
        add_key(db, "ttl", i, (int64_t)NOW + 100000);
        add_key(db, "plain", i, -1);
    }
    ks->lru_clock = CLOCK0 + 600;
    for (int i = 0; i < 500; i++)
        cr_assert_not_null(lookup(db, "ttl", i));   /* 0..499 hot */
    struct evict_cfg c = cfg_of(EVICT_VOLATILE_LRU);
    cr_assert_eq(evict_to(ks, &c, 1650, NULL), 350);
    int hot_lost = 0;
    for (int i = 0; i < 500; i++)
        hot_lost += !has_key(db, "ttl", i);
    cr_assert(hot_lost <= 10, "%d hot keys evicted", hot_lost);
    for (int i = 0; i < 1000; i++)
        cr_assert(has_key(db, "plain", i));
    keyspace_free(&ks);
}

/* Expiry times 1..2000 s ahead (rank 0 expires first), inserted in a
 * scrambled order, next to 2000 keys without TTL; 200 keys are evicted.
 * Returns the mean rank of the victims; *near_left counts the nearest 200
 * still there, *far_lost the victims from the farther half. */
static int ttl_mean_rank(unsigned samples, int *near_left, int *far_lost)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 2000; i++) {
        int rank = (i * 769) % 2000;        /* 769 is prime to 2000 */
        add_key(db, "k", rank, (int64_t)NOW + 1000 * (rank + 1));
        add_key(db, "plain", i, -1);
    }
    struct evict_cfg c = cfg_of(EVICT_VOLATILE_TTL);
    c.samples = samples;
    cr_assert_eq(evict_to(ks, &c, 3800, NULL), 200);
    long sum = 0;
    *near_left = *far_lost = 0;
    for (int r = 0; r < 2000; r++) {
        bool gone = !has_key(db, "k", r);
        sum += gone ? r : 0;
        *near_left += r < 200 && !gone;
        *far_lost += r >= 1000 && gone;
    }
    for (int i = 0; i < 2000; i++)
        cr_assert(has_key(db, "plain", i));
    keyspace_free(&ks);
    return (int)(sum / 200);
}

/* Random eviction: mean rank ~1000, 180 of the nearest 200 kept, ~100
 * victims from the farther half. 5 samples a round over 200 rounds see
 * about half the keys, so the victims come from roughly the nearest 20%;
 * 10 samples do better. */
Test(evict, volatile_ttl_evicts_nearest_expiry_first)
{
    int near5, far5, near10, far10;
    int mean5 = ttl_mean_rank(5, &near5, &far5);
    int mean10 = ttl_mean_rank(10, &near10, &far10);
    cr_assert(mean5 <= 320, "mean victim rank %d", mean5);
    cr_assert(near5 <= 140, "%d of the nearest 200 kept", near5);
    cr_assert_eq(far5, 0, "%d victims from the farther half", far5);
    cr_assert(mean10 < mean5 && near10 < near5, "samples 10: mean %d, "
              "near kept %d; samples 5: %d, %d", mean10, near10, mean5,
              near5);
    cr_assert_eq(far10, 0);
}

Test(evict, volatile_ttl_takes_an_already_expired_key_as_evicted)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    add_key(db, "k", 0, (int64_t)NOW - 5);    /* logically expired */
    for (int i = 1; i < 5; i++)
        add_key(db, "k", i, (int64_t)NOW + 100000 * i);
    struct evict_cfg c = cfg_of(EVICT_VOLATILE_TTL);
    c.samples = 64;                 /* misses a key with p = 0.8^64 */
    cr_assert_eq(evict_to(ks, &c, 4, NULL), 1);
    cr_assert_eq(ks->evicted_keys, 1);
    cr_assert_eq(ks->expired_keys, 0);
    cr_assert(!has_key(db, "k", 0));
    keyspace_free(&ks);
}

/* ---- LFU ---- */

Test(lfu, increment_probability_follows_the_log_factor)
{
    /* Below the initial value (and at it) every access counts. */
    for (unsigned c = 0; c <= EVICT_LFU_INIT; c++)
        cr_assert_eq(evict_lfu_incr(c, 10, 0.999), c + 1);
    /* At 6: p = 1 / (1 * 10 + 1). */
    cr_assert_eq(evict_lfu_incr(6, 10, 1.0 / 11 - 1e-9), 7);
    cr_assert_eq(evict_lfu_incr(6, 10, 1.0 / 11 + 1e-9), 6);
    /* At 105 with factor 100: p = 1 / 10001. */
    cr_assert_eq(evict_lfu_incr(105, 100, 0.9999 / 10001), 106);
    cr_assert_eq(evict_lfu_incr(105, 100, 1.0001 / 10001), 105);
    /* Factor 0 counts every access; 255 saturates. */
    cr_assert_eq(evict_lfu_incr(200, 0, 0.999), 201);
    cr_assert_eq(evict_lfu_incr(255, 0, 0.0), 255);
}

static unsigned hits_to_counter(struct keyspace *ks, struct entry *e,
                                unsigned hits)
{
    for (unsigned i = 0; i < hits; i++)
        evict_touch(ks, e);
    return e->lru & 0xFF;
}

Test(lfu, counter_grows_logarithmically_with_accesses)
{
    struct keyspace *ks = ks_new(1, false);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LFU);
    c.lfu_decay_time = 0;
    evict_configure(ks, &c);
    struct entry *e = add_key(&ks->dbs[0], "k", 0, -1);
    cr_assert_eq(e->lru & 0xFF, EVICT_LFU_INIT);
    /* The expected counter after n hits solves
     * n = sum_{k=6}^{c} ((k-1-5) * 10 + 1): ~ 5 + sqrt(n / 5), i.e. about
     * 9-10 after 100, 19 after 1000, 50 after 10000: each 10x in hits
     * adds less than the last in absolute terms, far from linear. */
    unsigned c100 = hits_to_counter(ks, e, 100);
    unsigned c1k = hits_to_counter(ks, e, 900);
    unsigned c10k = hits_to_counter(ks, e, 9000);
    cr_assert(c100 >= 7 && c100 <= 14, "100 hits: %u", c100);
    cr_assert(c1k >= 15 && c1k <= 24, "1000 hits: %u", c1k);
    cr_assert(c10k >= 40 && c10k <= 60, "10000 hits: %u", c10k);
    /* With factor 0 every hit counts, up to the cap. */
    ks->lfu_log_factor = 0;
    struct entry *f = add_key(&ks->dbs[0], "f", 0, -1);
    cr_assert_eq(hits_to_counter(ks, f, 100), EVICT_LFU_INIT + 100);
    cr_assert_eq(hits_to_counter(ks, f, 1000), 255);
    keyspace_free(&ks);
}

Test(lfu, counter_decays_one_step_per_decay_time_minutes)
{
    struct keyspace *ks = ks_new(1, false);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LFU);
    c.lfu_log_factor = 0;
    evict_configure(ks, &c);
    struct entry *e = add_key(&ks->dbs[0], "k", 0, -1);
    hits_to_counter(ks, e, 15);                     /* 20 */
    cr_assert_eq(evict_lfu_freq(ks, e), 20);
    uint32_t t0 = ks->lru_clock;
    ks->lru_clock = t0 + 59;                         /* < 1 minute */
    cr_assert_eq(evict_lfu_freq(ks, e), 20);
    ks->lru_clock = t0 + 10 * 60;
    cr_assert_eq(evict_lfu_freq(ks, e), 10);
    ks->lfu_decay_time = 2;
    cr_assert_eq(evict_lfu_freq(ks, e), 15);
    ks->lfu_decay_time = 0;                          /* decay off */
    cr_assert_eq(evict_lfu_freq(ks, e), 20);
    ks->lfu_decay_time = 1;
    ks->lru_clock = t0 + 30 * 60;
    cr_assert_eq(evict_lfu_freq(ks, e), 0);
    /* An access first decays, then counts, and restamps the minute. */
    ks->lru_clock = t0 + 10 * 60;
    evict_touch(ks, e);
    cr_assert_eq(evict_lfu_freq(ks, e), 11);
    cr_assert_eq(e->lru >> 8, evict_lfu_minutes(ks));
    keyspace_free(&ks);
}

Test(lfu, decay_counts_minutes_across_the_16_bit_wrap)
{
    struct keyspace *ks = ks_new(1, false);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LFU);
    evict_configure(ks, &c);
    ks->lru_clock = 65530u * 60;                    /* minute 65530 */
    struct entry *e = add_key(&ks->dbs[0], "k", 0, -1);
    e->lru = (65530u << 8) | 30;
    ks->lru_clock = 65540u * 60;                    /* minute 4 mod 2^16 */
    cr_assert_eq(evict_lfu_minutes(ks), 4);
    cr_assert_eq(evict_lfu_freq(ks, e), 20);
    keyspace_free(&ks);
}

Test(lfu, db_tracks_lfu_only_when_configured)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    struct entry *e = add_key(db, "k", 0, -1);
    cr_assert_eq(e->lru, CLOCK0);
    ks->lru_clock = CLOCK0 + 7;
    cr_assert_eq(lookup(db, "k", 0)->lru, CLOCK0 + 7);
    cr_assert_eq(evict_idle_s(ks, e), 0);
    ks->lru_clock = CLOCK0 + 10;
    cr_assert_eq(evict_idle_s(ks, e), 3);

    struct evict_cfg c = cfg_of(EVICT_VOLATILE_LFU);
    c.lfu_log_factor = 0;
    evict_configure(ks, &c);
    cr_assert(ks->lfu);
    e = add_key(db, "n", 0, -1);
    cr_assert_eq(e->lru, (evict_lfu_minutes(ks) << 8) | EVICT_LFU_INIT);
    cr_assert_eq(evict_lfu_freq(ks, lookup(db, "n", 0)), 6);
    /* An overwrite keeps the frequency and counts as an access. */
    struct entry *ne = entry_new_str("n:0", 3, "other", 5);
    db_set(db, ne, false, NOW);
    cr_assert_eq(evict_lfu_freq(ks, lookup(db, "n", 0)), 8);

    c = cfg_of(EVICT_ALLKEYS_LRU);
    evict_configure(ks, &c);
    cr_assert(!ks->lfu);
    cr_assert_eq(lookup(db, "n", 0)->lru, ks->lru_clock);
    keyspace_free(&ks);
}

/* 1000 keys: the odd ones read 60 times, the even ones never. Evicting
 * 350 must take (nearly only) the rarely used ones, although the frequent
 * ones were read earlier than the rare ones were written. */
Test(evict, allkeys_lfu_evicts_least_frequently_used_first)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LFU);
    evict_configure(ks, &c);
    for (int i = 1; i < 1000; i += 2)
        add_key(db, "k", i, -1);
    for (int r = 0; r < 60; r++)
        for (int i = 1; i < 1000; i += 2)
            lookup(db, "k", i);
    ks->lru_clock += 30;                    /* the same minute */
    for (int i = 0; i < 1000; i += 2)
        add_key(db, "k", i, -1);
    cr_assert_eq(evict_to(ks, &c, 650, NULL), 350);
    int hot_lost = 0;
    for (int i = 1; i < 1000; i += 2)
        hot_lost += !has_key(db, "k", i);
    /* Random: 175. */
    cr_assert(hot_lost <= 10, "%d of 500 frequent keys evicted", hot_lost);
    keyspace_free(&ks);
}

/* ---- hooks, budgets, pool hygiene ---- */

struct seen {
    int modified, evicted, expired;
    char last[64];
};

static void on_mod(struct db *db, const char *key, size_t len, void *arg)
{
    ((struct seen *)arg)->modified++;
}

static void on_evict(struct db *db, const char *key, size_t len, void *arg)
{
    struct seen *s = arg;
    s->evicted++;
    /* The key is gone from the db by the time on_evict runs. */
    cr_assert_null(db_find(db, key, len, NOW));
    snprintf(s->last, sizeof(s->last), "%.*s", (int)len, key);
}

static void on_exp(struct db *db, const char *key, size_t len, void *arg)
{
    ((struct seen *)arg)->expired++;
}

Test(evict, every_eviction_runs_on_modify_and_on_evict)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 40; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    struct seen s = {0};
    ks->hooks.on_modify = on_mod;
    ks->hooks.on_evict = on_evict;
    ks->hooks.on_expire = on_exp;
    ks->hooks.arg = &s;
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    uint64_t dirty = ks->dirty;
    cr_assert_eq(evict_to(ks, &c, 15, NULL), 25);
    cr_assert_eq(s.modified, 25);
    cr_assert_eq(s.evicted, 25);
    cr_assert_eq(s.expired, 0);
    cr_assert_eq(ks->evicted_keys, 25);
    cr_assert_eq(ks->dirty, dirty + 25);
    cr_assert_eq(strncmp(s.last, "k:", 2), 0);
    keyspace_free(&ks);
}

Test(evict, key_budget_bounds_one_call)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 1000; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LFU);
    c.max_keys = 10;
    enum evict_status st = EVICT_OK;
    cr_assert_eq(evict_to(ks, &c, 0, &st), 10);
    cr_assert_eq(st, EVICT_RUNNING);
    cr_assert_eq(db_size(&ks->dbs[0]), 990);
    keyspace_free(&ks);
}

Test(evict, time_budget_bounds_one_call)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 1000; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    for (int p = EVICT_ALLKEYS_LRU; p <= EVICT_ALLKEYS_RANDOM; p++) {
        struct evict_cfg c = cfg_of((enum evict_policy)p);
        enum evict_status st = EVICT_OK;
        size_t before = db_size(&ks->dbs[0]);
        /* Each clock reading advances 100 us; 250 us allow 2 checks. */
        fake_us = 0;
        size_t n = evict_until(ks, &c, fake_used(), 0, NOW, fake_used, 250,
                               fake_clock, &st);
        cr_assert_eq(st, EVICT_RUNNING);
        cr_assert_eq(n, 48, "policy %d: %zu keys", p, n);
        cr_assert_eq(db_size(&ks->dbs[0]), before - 48);
    }
    keyspace_free(&ks);
}

Test(evict, without_budgets_the_loop_ends_when_keys_run_out)
{
    struct keyspace *ks = ks_new(3, false);
    for (int i = 0; i < 300; i++)
        add_key(&ks->dbs[i % 3], "k", i, -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    enum evict_status st = EVICT_OK;
    /* used_mem never drops below the limit: memory held elsewhere. */
    size_t n = evict_until(ks, &c, 1u << 30, 1u << 20, NOW, NULL, 0, NULL,
                           &st);
    cr_assert_eq(n, 300);
    cr_assert_eq(st, EVICT_FAIL);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(db_size(&ks->dbs[i]), 0);
    keyspace_free(&ks);
}

Test(evict, estimates_alone_stop_the_loop_without_used_mem)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 100; i++)
        add_key(&ks->dbs[0], "k", i, -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_RANDOM);
    enum evict_status st = EVICT_FAIL;
    /* Each key is estimated at well over 10 bytes and under 1000. */
    size_t n = evict_until(ks, &c, 100000, 100000 - 1000, NOW, NULL, 0,
                           NULL, &st);
    cr_assert_eq(st, EVICT_OK);
    cr_assert(n >= 2 && n < 100, "%zu", n);
    cr_assert_eq(db_size(&ks->dbs[0]), 100 - n);
    keyspace_free(&ks);
}

/* Memory that counts a flushed db's entries until the graveyard is gone. */
static size_t fake_used_graves(void)
{
    return fake_used() + (cur->ngraves ? 100000 : 0);
}

Test(evict, flushed_entries_are_freed_before_live_keys_are_evicted)
{
    for (int p = EVICT_NOEVICTION; p <= EVICT_VOLATILE_TTL; p++) {
        struct keyspace *ks = ks_new(2, false);
        for (int i = 0; i < 20000; i++)
            add_key(&ks->dbs[0], "gone", i, -1);
        db_flush(&ks->dbs[0]);
        for (int i = 0; i < 100; i++)
            add_key(&ks->dbs[1], "live", i, (int64_t)NOW + 1000);
        cr_assert_gt(ks->ngraves, 0);
        struct evict_cfg c = cfg_of((enum evict_policy)p);
        enum evict_status st = EVICT_FAIL;
        size_t n = evict_until(ks, &c, fake_used_graves(), 150, NOW,
                               fake_used_graves, 0, NULL, &st);
        cr_assert_eq(n, 0, "policy %d", p);
        cr_assert_eq(st, EVICT_OK);
        cr_assert_eq(ks->ngraves, 0);
        cr_assert_eq(db_size(&ks->dbs[1]), 100);
        keyspace_free(&ks);
    }
}

Test(evict, freeing_flushed_entries_respects_the_time_budget)
{
    struct keyspace *ks = ks_new(1, false);
    for (int i = 0; i < 100000; i++)
        add_key(&ks->dbs[0], "gone", i, -1);
    db_flush(&ks->dbs[0]);
    for (int i = 0; i < 100; i++)
        add_key(&ks->dbs[0], "live", i, -1);
    struct evict_cfg c = cfg_of(EVICT_NOEVICTION);
    enum evict_status st = EVICT_OK;
    fake_us = 0;
    /* Start plus three 100 us readings: three slices, not 25. */
    size_t n = evict_until(ks, &c, fake_used_graves(), 150, NOW,
                           fake_used_graves, 250, fake_clock, &st);
    cr_assert_eq(n, 0);
    cr_assert_eq(st, EVICT_RUNNING);
    cr_assert_eq(fake_us, 400);
    cr_assert_gt(ks->ngraves, 0);
    /* Once the graveyard is gone, noeviction has nothing left to try. */
    while (keyspace_gc_step(ks, 1u << 20))
        ;
    cr_assert_eq(evict_until(ks, &c, 1000, 150, NOW, fake_used_graves, 250,
                             fake_clock, &st), 0);
    cr_assert_eq(st, EVICT_FAIL);
    cr_assert_eq(db_size(&ks->dbs[0]), 100);
    keyspace_free(&ks);
}

Test(evict, stale_pool_entries_are_skipped_after_flush)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 100; i++)
        add_key(db, "old", i, -1);
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    cr_assert_eq(evict_to(ks, &c, 99, NULL), 1);    /* pool now filled */
    db_flush(db);
    while (keyspace_gc_step(ks, 1u << 20))
        ;
    ks->lru_clock += 100;
    for (int i = 0; i < 50; i++)
        add_key(db, "new", i, -1);
    cr_assert_eq(evict_to(ks, &c, 40, NULL), 10);
    cr_assert_eq(db_size(db), 40);
    keyspace_free(&ks);
}

Test(evict, volatile_candidates_that_lost_their_ttl_are_skipped)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 20; i++)
        add_key(db, "k", i, (int64_t)NOW + 60000);
    struct evict_cfg c = cfg_of(EVICT_VOLATILE_LRU);
    c.samples = 20;
    cr_assert_eq(evict_to(ks, &c, 19, NULL), 1);    /* pool holds others */
    /* All but one lose their TTL; the one left is the most recently
     * used, so every stale candidate outranks it. */
    ks->lru_clock += 100;
    int keep = -1;
    for (int i = 0; i < 20; i++) {
        char k[16];
        int n = keyname(k, sizeof(k), "k", i);
        struct entry *e = db_find(db, k, (size_t)n, NOW);
        if (!e)
            continue;
        if (keep < 0) {
            keep = i;
            lookup(db, "k", i);
        } else {
            db_persist(db, e);
        }
    }
    cr_assert_eq(db->nx, 1);
    enum evict_status st = EVICT_FAIL;
    cr_assert_eq(evict_to(ks, &c, 18, &st), 1);
    cr_assert_eq(st, EVICT_OK);
    cr_assert(!has_key(db, "k", keep));
    cr_assert_eq(db_size(db), 18);
    cr_assert_eq(evict_to(ks, &c, 0, &st), 0);
    cr_assert_eq(st, EVICT_FAIL);
    keyspace_free(&ks);
}

Test(evict, long_keys_and_a_policy_switch)
{
    struct keyspace *ks = ks_new(1, false);
    struct db *db = &ks->dbs[0];
    char k[600];
    for (int i = 0; i < 60; i++) {
        memset(k, 'a' + i % 26, sizeof(k));
        int n = snprintf(k, 16, "%d", i);
        k[n] = '-';
        struct entry *e = entry_new_str(k, 100 + (size_t)i * 8, "v", 1);
        db_add(db, e);
        db_set_expire(db, e, (int64_t)NOW + 1000 * (60 - i));
    }
    struct evict_cfg c = cfg_of(EVICT_ALLKEYS_LRU);
    c.samples = 64;
    cr_assert_eq(evict_to(ks, &c, 50, NULL), 10);
    /* volatile-ttl now: the pool's LRU scores must not leak in; the
     * key expiring first (i = 59, if still there) or a near one goes. */
    c = cfg_of(EVICT_VOLATILE_TTL);
    c.samples = 64;
    cr_assert_eq(evict_to(ks, &c, 40, NULL), 10);
    cr_assert_eq(db_size(db), 40);
    cr_assert_eq(db->nx, 40);
    keyspace_free(&ks);
}

Test(evict, cluster_mode_slot_dicts)
{
    struct keyspace *ks = ks_new(1, true);
    struct db *db = &ks->dbs[0];
    for (int i = 0; i < 500; i++)
        add_key(db, "k", i, i % 2 ? (int64_t)NOW + 1000 + i : -1);
    ks->lru_clock += 100;
    for (int i = 0; i < 500; i += 5)
        lookup(db, "k", i);
    for (int p = EVICT_ALLKEYS_LRU; p <= EVICT_VOLATILE_TTL; p++) {
        struct evict_cfg c = cfg_of((enum evict_policy)p);
        evict_configure(ks, &c);
        size_t before = db_size(db);
        cr_assert_eq(evict_to(ks, &c, before - 10, NULL), 10,
                     "policy %d", p);
        cr_assert_eq(db_size(db), before - 10);
    }
    keyspace_free(&ks);
}
