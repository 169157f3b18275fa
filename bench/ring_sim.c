/*
 * ring-sim: measures slot placement (src/cluster/ring.c) for N members, and
 * the same figures for a plain consistent-hash ring with 100 virtual nodes
 * per member, for comparison.
 *
 *   ring-sim --members N [--seed K] [--trials T] [--policy dithered|ceil]
 *            [--baseline] [--json]
 *   ring-sim --sweep LO HI [--seed K] [--json]
 *
 * Member ids are random 40-hex strings drawn from --seed, so a run is
 * deterministic for a seed (rebuild_ms aside). For T trials it adds one
 * new member (a join) and, separately, removes one random member (a
 * leave), and counts the slots whose owner changed, as fractions of 16384;
 * moved_on_join/moved_on_leave are the means over the trials, *_max the
 * worst, and *_ratio the same divided by the ideal 1/(N+1) and 1/N.
 * join_to_joiner_ratio and join_elsewhere_ratio split join_ratio into the
 * slots that went to the new member (at most about 1.00x) and the slots
 * that moved between the old members (the excess over the ideal);
 * at_capacity is the share of members that hold their capacity.
 * --sweep grows the cluster one member at a time from LO to HI and reports
 * the distribution of the per-join ratio under both capacity policies.
 * With --json the last line is one JSON object.
 */
#include "ring.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VNODES 100
#define ID_LEN 40

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* splitmix64 stream for ids and trial choices. */
static uint64_t next_rand(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return mix64(*state);
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        abort();
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A pool of ids; memberships are arrays of pool indexes. */
struct pool {
    size_t n;
    char (*ids)[ID_LEN + 1];
    uint64_t *hash;
};

static void pool_init(struct pool *p, size_t n, uint64_t *rng)
{
    p->n = n;
    p->ids = xmalloc(n * sizeof *p->ids);
    p->hash = xmalloc(n * sizeof *p->hash);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < ID_LEN; j += 16) {
            uint64_t r = next_rand(rng);
            for (int k = 0; k < 16 && j + k < ID_LEN; k++)
                p->ids[i][j + k] = "0123456789abcdef"[(r >> (4 * k)) & 15];
        }
        p->ids[i][ID_LEN] = '\0';
        p->hash[i] = ring_hash_id(p->ids[i], ID_LEN);
    }
}

static void pool_free(struct pool *p)
{
    free(p->ids);
    free(p->hash);
}

/* A placement: fills owner[slot] with pool indexes for a membership. */
struct placement {
    const char *name;
    void (*place)(struct placement *pl, const struct pool *p,
                  const uint32_t *members, size_t n, uint32_t *owner);
    struct ring *ring;
};

static void place_ring(struct placement *pl, const struct pool *p,
                       const uint32_t *members, size_t n, uint32_t *owner)
{
    const char **ids = xmalloc(n * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = p->ids[members[i]];
    if (ring_build(pl->ring, ids, n) != 0) {
        fprintf(stderr, "ring-sim: ring_build failed for %zu members\n", n);
        exit(1);
    }
    for (unsigned s = 0; s < RING_SLOTS; s++)
        owner[s] = members[ring_owner(pl->ring, s)];
    free(ids);
}

/* Baseline: each member puts VNODES points on a 64-bit circle; a slot sits
 * at a hash of its number and belongs to the next point clockwise. */
struct point {
    uint64_t pos;
    uint32_t member;
};

static int point_cmp(const void *a, const void *b)
{
    const struct point *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->member < y->member ? -1 : x->member > y->member;
}

static void place_vnodes(struct placement *pl, const struct pool *p,
                         const uint32_t *members, size_t n, uint32_t *owner)
{
    size_t np = n * VNODES;
    struct point *pts = xmalloc(np * sizeof *pts);
    for (size_t i = 0; i < n; i++)
        for (size_t v = 0; v < VNODES; v++) {
            pts[i * VNODES + v].pos =
                mix64(p->hash[members[i]] + (v + 1) * 0x9e3779b97f4a7c15ull);
            pts[i * VNODES + v].member = members[i];
        }
    qsort(pts, np, sizeof *pts, point_cmp);
    for (unsigned s = 0; s < RING_SLOTS; s++) {
        uint64_t pos = mix64((uint64_t)s * 0xd1b54a32d192ed03ull + 1);
        size_t lo = 0, hi = np;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (pts[mid].pos < pos)
                lo = mid + 1;
            else
                hi = mid;
        }
        owner[s] = pts[lo == np ? 0 : lo].member;
    }
    free(pts);
    (void)pl;
}

struct figures {
    unsigned slots_max, slots_min;
    double slots_mean, max_over_mean;
    double join_mean, join_max, leave_mean, leave_max;
    double join_new_mean;   /* the part of join_mean that went to the joiner */
    double at_capacity;     /* share of members holding their capacity; -1
                             * for a placement without capacities */
    int have_leave;
    double rebuild_ms;
};

static unsigned moved(const uint32_t *a, const uint32_t *b)
{
    unsigned m = 0;
    for (unsigned s = 0; s < RING_SLOTS; s++)
        m += a[s] != b[s];
    return m;
}

static void load_figures(const struct pool *p, const uint32_t *owner,
                         const uint32_t *members, size_t n,
                         struct figures *f)
{
    unsigned *cnt = calloc(p->n, sizeof *cnt);
    if (!cnt)
        abort();
    for (unsigned s = 0; s < RING_SLOTS; s++)
        cnt[owner[s]]++;
    f->slots_max = 0;
    f->slots_min = RING_SLOTS;
    for (size_t i = 0; i < n; i++) {
        unsigned c = cnt[members[i]];
        f->slots_max = c > f->slots_max ? c : f->slots_max;
        f->slots_min = c < f->slots_min ? c : f->slots_min;
    }
    f->slots_mean = (double)RING_SLOTS / (double)n;
    f->max_over_mean = f->slots_max / f->slots_mean;
    free(cnt);
}

static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

static void measure(struct placement *pl, const struct pool *p, size_t n,
                    int trials, uint64_t seed, struct figures *f)
{
    uint32_t *members = xmalloc((n + 1) * sizeof *members);
    uint32_t *other = xmalloc((n + 1) * sizeof *other);
    uint32_t *base = xmalloc(RING_SLOTS * sizeof *base);
    uint32_t *next = xmalloc(RING_SLOTS * sizeof *next);
    for (size_t i = 0; i < n; i++)
        members[i] = (uint32_t)i;

    double times[16];
    int reps = 7;
    for (int i = 0; i < reps; i++) {
        double t0 = now_ms();
        pl->place(pl, p, members, n, base);
        times[i] = now_ms() - t0;
    }
    f->rebuild_ms = median(times, reps);
    load_figures(p, base, members, n, f);
    f->at_capacity = -1;
    if (pl->ring) {  /* the last build above was of the base membership */
        size_t full = 0;
        for (size_t i = 0; i < n; i++)
            full += ring_slot_count(pl->ring, i) == ring_capacity(pl->ring, i);
        f->at_capacity = (double)full / (double)n;
    }

    uint64_t rng = seed ^ 0x6c65617665ull;
    f->join_mean = f->join_max = f->leave_mean = f->leave_max = 0;
    f->join_new_mean = 0;
    f->have_leave = n > 1;
    for (int t = 0; t < trials; t++) {
        memcpy(other, members, n * sizeof *other);
        other[n] = (uint32_t)(n + (size_t)t);  /* a fresh id from the pool */
        pl->place(pl, p, other, n + 1, next);
        double j = (double)moved(base, next) / RING_SLOTS;
        f->join_mean += j / trials;
        unsigned to_new = 0;
        for (unsigned s = 0; s < RING_SLOTS; s++)
            to_new += next[s] == other[n];
        f->join_new_mean += (double)to_new / RING_SLOTS / trials;
        f->join_max = j > f->join_max ? j : f->join_max;
        if (!f->have_leave)
            continue;
        size_t gone = next_rand(&rng) % n;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (i != gone)
                other[k++] = members[i];
        pl->place(pl, p, other, n - 1, next);
        double l = (double)moved(base, next) / RING_SLOTS;
        f->leave_mean += l / trials;
        f->leave_max = l > f->leave_max ? l : f->leave_max;
    }
    free(members);
    free(other);
    free(base);
    free(next);
}

static void print_text(const char *name, size_t n, const struct figures *f,
                       int with_bound)
{
    double ij = 1.0 / (double)(n + 1), il = 1.0 / (double)n;
    printf("%-9s slots max %u min %u mean %.1f max/mean %.3f", name,
           f->slots_max, f->slots_min, f->slots_mean, f->max_over_mean);
    if (with_bound)
        printf(" (bound %u)", ring_bound(n));
    else
        printf(" (%s bound %u)",
               f->slots_max <= ring_bound(n) ? "within" : "OVER", ring_bound(n));
    if (f->at_capacity >= 0)
        printf(", %.1f%% of members at capacity", 100 * f->at_capacity);
    printf("\n          join: moved %.5f max %.5f ideal %.5f -> %.2fx (max %.2fx)"
           "; to the joiner %.2fx, elsewhere %.2fx\n",
           f->join_mean, f->join_max, ij, f->join_mean / ij, f->join_max / ij,
           f->join_new_mean / ij, (f->join_mean - f->join_new_mean) / ij);
    if (f->have_leave)
        printf("          leave: moved %.5f max %.5f ideal %.5f -> %.2fx (max %.2fx)\n",
               f->leave_mean, f->leave_max, il, f->leave_mean / il,
               f->leave_max / il);
    printf("          rebuild %.3f ms\n", f->rebuild_ms);
}

static void print_json_fields(size_t n, const struct figures *f)
{
    double ij = 1.0 / (double)(n + 1), il = 1.0 / (double)n;
    printf("\"slots_max\":%u,\"slots_min\":%u,\"slots_mean\":%.3f,"
           "\"max_over_mean\":%.4f,\"within_bound\":%s,"
           "\"moved_on_join\":%.6f,\"moved_on_join_max\":%.6f,"
           "\"ideal_join\":%.6f,\"join_ratio\":%.3f,\"join_ratio_max\":%.3f,",
           f->slots_max, f->slots_min, f->slots_mean, f->max_over_mean,
           f->slots_max <= ring_bound(n) ? "true" : "false",
           f->join_mean, f->join_max, ij, f->join_mean / ij, f->join_max / ij);
    printf("\"join_to_joiner_ratio\":%.3f,\"join_elsewhere_ratio\":%.3f,",
           f->join_new_mean / ij, (f->join_mean - f->join_new_mean) / ij);
    if (f->at_capacity >= 0)
        printf("\"at_capacity\":%.4f,", f->at_capacity);
    if (f->have_leave)
        printf("\"moved_on_leave\":%.6f,\"moved_on_leave_max\":%.6f,"
               "\"ideal_leave\":%.6f,\"leave_ratio\":%.3f,"
               "\"leave_ratio_max\":%.3f,",
               f->leave_mean, f->leave_max, il, f->leave_mean / il,
               f->leave_max / il);
    else
        printf("\"moved_on_leave\":null,\"moved_on_leave_max\":null,"
               "\"ideal_leave\":%.6f,\"leave_ratio\":null,"
               "\"leave_ratio_max\":null,", il);
    printf("\"rebuild_ms\":%.3f", f->rebuild_ms);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Joins one at a time from lo to hi members; per-join ratio to ideal. */
static void sweep(size_t lo, size_t hi, uint64_t seed, int json)
{
    static const enum ring_policy policies[] = { RING_CAP_DITHERED,
                                                 RING_CAP_CEIL };
    static const char *const names[] = { "dithered", "ceil" };
    uint64_t rng = seed;
    struct pool p;
    pool_init(&p, hi, &rng);
    uint32_t *members = xmalloc(hi * sizeof *members);
    uint32_t *a = xmalloc(RING_SLOTS * sizeof *a);
    uint32_t *b = xmalloc(RING_SLOTS * sizeof *b);
    double *ratio = xmalloc((hi - lo) * sizeof *ratio);
    for (size_t i = 0; i < hi; i++)
        members[i] = (uint32_t)i;
    if (json)
        printf("{\"sweep_from\":%zu,\"sweep_to\":%zu,\"seed\":%llu", lo, hi,
               (unsigned long long)seed);
    for (int k = 0; k < 2; k++) {
        struct placement pl = { names[k], place_ring, ring_new() };
        ring_set_policy(pl.ring, policies[k]);
        place_ring(&pl, &p, members, lo, a);
        double sum = 0, worst = 0;
        size_t worst_n = lo, steps = hi - lo - 1, over = 0;
        for (size_t n = lo; n + 1 < hi; n++) {
            place_ring(&pl, &p, members, n + 1, b);
            double r = (double)moved(a, b) / RING_SLOTS * (double)(n + 1);
            ratio[n - lo] = r;
            sum += r;
            over += r > 1.5;
            if (r > worst) {
                worst = r;
                worst_n = n;
            }
            memcpy(a, b, RING_SLOTS * sizeof *a);
        }
        qsort(ratio, steps, sizeof *ratio, cmp_double);
        double p50 = ratio[steps / 2], p90 = ratio[steps * 9 / 10];
        if (json)
            printf(",\"%s\":{\"joins\":%zu,\"ratio_mean\":%.3f,"
                   "\"ratio_p50\":%.3f,\"ratio_p90\":%.3f,\"ratio_max\":%.3f,"
                   "\"max_at_join_to\":%zu,\"joins_over_1_5\":%zu}",
                   names[k], steps, sum / steps, p50, p90, worst,
                   worst_n + 1, over);
        else
            printf("%-9s %zu joins %zu..%zu: moved/ideal mean %.2f p50 %.2f "
                   "p90 %.2f max %.2f (join to N=%zu), %zu joins over 1.5x\n",
                   names[k], steps, lo, hi - 1, sum / steps, p50, p90, worst,
                   worst_n + 1, over);
        ring_free(&pl.ring);
    }
    if (json)
        printf("}\n");
    pool_free(&p);
    free(members);
    free(a);
    free(b);
    free(ratio);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: ring-sim --members N [--seed K] [--trials T] "
            "[--policy dithered|ceil] [--baseline] [--json]\n"
            "       ring-sim --sweep LO HI [--seed K] [--json]\n");
    exit(2);
}

static unsigned long parse_num(const char *s, unsigned long min,
                               unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max || *s == '-')
        usage();
    return v;
}

int main(int argc, char **argv)
{
    size_t n = 0, lo = 0, hi = 0;
    uint64_t seed = 1;
    int trials = 10, json = 0, baseline = 0;
    enum ring_policy policy = RING_CAP_DITHERED;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--members") && i + 1 < argc)
            n = parse_num(argv[++i], 1, RING_MAX_MEMBERS - 1);
        else if (!strcmp(a, "--seed") && i + 1 < argc)
            seed = parse_num(argv[++i], 0, ~0ul);
        else if (!strcmp(a, "--trials") && i + 1 < argc)
            trials = (int)parse_num(argv[++i], 1, 10000);
        else if (!strcmp(a, "--sweep") && i + 2 < argc) {
            lo = parse_num(argv[++i], 1, RING_MAX_MEMBERS - 1);
            hi = parse_num(argv[++i], lo + 2, RING_MAX_MEMBERS);
        } else if (!strcmp(a, "--policy") && i + 1 < argc) {
            a = argv[++i];
            if (!strcmp(a, "dithered"))
                policy = RING_CAP_DITHERED;
            else if (!strcmp(a, "ceil"))
                policy = RING_CAP_CEIL;
            else
                usage();
        } else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--baseline"))
            baseline = 1;
        else
            usage();
    }
    if (hi) {
        sweep(lo, hi, seed, json);
        return 0;
    }
    if (!n)
        usage();

    uint64_t rng = seed;
    struct pool p;
    pool_init(&p, n + (size_t)trials, &rng);
    struct placement ring = { "ring", place_ring, ring_new() };
    ring_set_policy(ring.ring, policy);
    struct placement vn = { "vnode100", place_vnodes, NULL };
    struct figures fr, fv;
    measure(&ring, &p, n, trials, seed, &fr);
    measure(&vn, &p, n, trials, seed, &fv);

    if (json) {
        printf("{\"members\":%zu,\"seed\":%llu,\"trials\":%d,"
               "\"policy\":\"%s\",\"slots\":%d,\"bound\":%u,",
               n, (unsigned long long)seed, trials,
               policy == RING_CAP_CEIL ? "ceil" : "dithered", RING_SLOTS,
               ring_bound(n));
        print_json_fields(n, &fr);
        printf(",\"vnode100\":{");
        print_json_fields(n, &fv);
        printf("}}\n");
    } else {
        printf("ring-sim: %zu members, seed %llu, %d join and %d leave "
               "trials, bound ceil(1.1*16384/N) = %u\n",
               n, (unsigned long long)seed, trials, n > 1 ? trials : 0,
               ring_bound(n));
        print_text("ring", n, &fr, 1);
        if (baseline)
            print_text("vnode100", n, &fv, 0);
    }
    ring_free(&ring.ring);
    pool_free(&p);
    return 0;
}
