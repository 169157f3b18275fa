/*
 * swim-sim: N swim instances over a simulated network, on a virtual clock.
 *
 *   swim-sim --members N --loss PCT --seconds S --crashes C --seed K
 *            [--delay-ms D] [--partition START,DURATION,FRACTION]
 *            [--node-timeout MS] [--preset memberlist] [--json]
 *
 * Core idea: one event queue (a binary heap ordered by time, then by
 * insertion number, so a seed replays exactly) holds packet deliveries,
 * member timers, crashes, joins and partition edges; the clock jumps from
 * one event to the next, so an idle simulated second costs nothing. Each
 * member's timer is one event at swim_next_deadline(); a stale timer event
 * (the deadline moved) is recognised by its time and skipped.
 *
 * Network: every datagram is lost with probability PCT/100 and delayed
 * uniformly in [D/2, 3D/2] ms (D defaults to 1); streams (push-pull, TCP in
 * the server) are never lost but take 3 delays (handshake) and fail when the
 * peer is down or across a partition. A partition splits the members (a
 * FRACTION of them on side B) from START to START+DURATION seconds after
 * the warm-up; packets across it are lost.
 *
 * Timeline: member 0 starts at t=0, members 1..N-1 join through a random
 * earlier member over a warm-up of max(5 s, 10 ms * N), then 30 s settle;
 * measurement runs S seconds from there. C random original members crash at
 * uniform times in the window (the last min(60 s, S/2) excepted, so
 * detection can finish), and a new member joins every minute (30 s, 90 s..).
 *
 * Measured (only inside the window):
 *   detect   crash until no live member holds the crashed one alive/suspect
 *   join     swim_join until every other live member holds the joiner
 *   false dead  episodes (member, incarnation) where anyone declared a
 *            running member dead, partition-induced ones reported apart
 *   msgs, bytes  sent by live members (datagrams + streams) per
 *            live-member-second
 *
 * SWIM_SIM_TRACE=1 in the environment logs suspicions, deaths, refutations
 * and slow detections/joins to stderr (debugging aid).
 *
 * --preset memberlist swaps in HashiCorp memberlist's LAN defaults (probe
 * 1 s / 500 ms, suspicion 4 * log10(N) s up to 6x that with 2
 * confirmations, retransmit 4 * ceil(log10(N+1)), push-pull 30 s scaled
 * as memberlist scales it); the protocol stays ours.
 */
#include "swim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EV_TICK, EV_DELIVER, EV_START, EV_CRASH, EV_JOIN, EV_PART };

struct ev {
    uint64_t t, seq;
    uint32_t node, len;
    uint8_t type, kind;
    uint8_t *data;
};

struct node {
    struct swim *sw;
    char id[SWIM_ID_LEN + 1];
    uint64_t tick_at;
    int32_t target;             /* index in targets[] or -1 */
    uint8_t running, started, side;
    uint32_t false_inc;         /* last false-dead incarnation + 1 */
    uint32_t suspect_inc;
};

struct target {                 /* a crash or a join being measured */
    uint32_t node;
    uint64_t t0;
    int64_t believers;          /* live others holding it alive/suspect */
    uint8_t is_join, done;
};

static struct {
    uint32_t n0, nmax, nnodes;
    double loss;
    uint64_t delay_ms, seconds, seed;
    uint32_t crashes;
    bool json;
    double part_start, part_dur, part_frac;
    uint32_t node_timeout;
    bool memberlist;
    struct swim_config cfg;
    /* state */
    struct node *nodes;
    struct ev *heap;
    size_t nheap, capheap;
    uint64_t seq, now, rng;
    uint64_t t_meas, t_end;
    uint32_t live;
    bool partitioned;
    uint64_t part_heal_at;
    struct target *targets;
    uint32_t ntargets;
    uint64_t *idkeys;           /* id hash map: key (first 8 id bytes) */
    uint32_t *idvals, idmask;
    struct swim_out out;
    /* metrics */
    uint64_t msgs, bytes, stream_bytes, last_t;
    double member_s;
    uint64_t false_dead, false_dead_part, false_suspect, events;
    double *detect, *join;
    uint32_t ndetect, njoin, nundetected, njoin_incomplete;
} S;

static uint64_t rnd(void)
{
    uint64_t z = (S.rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rnd01(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* ------------------------------------------------------------ event heap */

static bool ev_less(const struct ev *a, const struct ev *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void push(struct ev e)
{
    if (S.nheap == S.capheap) {
        S.capheap = S.capheap ? 2 * S.capheap : 4096;
        S.heap = realloc(S.heap, S.capheap * sizeof *S.heap);
        if (!S.heap)
            abort();
    }
    e.seq = S.seq++;
    size_t i = S.nheap++;
    while (i > 0 && ev_less(&e, &S.heap[(i - 1) / 2])) {
        S.heap[i] = S.heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    S.heap[i] = e;
}

static struct ev pop(void)
{
    struct ev top = S.heap[0], last = S.heap[--S.nheap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, c = i;
        const struct ev *best = &last;
        if (l < S.nheap && ev_less(&S.heap[l], best))
            c = l, best = &S.heap[l];
        if (r < S.nheap && ev_less(&S.heap[r], best))
            c = r;
        if (c == i)
            break;
        S.heap[i] = S.heap[c];
        i = c;
    }
    if (S.nheap)
        S.heap[i] = last;
    return top;
}

static void schedule(uint64_t t, uint8_t type, uint32_t node)
{
    push((struct ev){ .t = t, .type = type, .node = node });
}

/* ------------------------------------------------------------ id lookup */

static uint64_t id_key(const char *hex)
{
    uint64_t k = 0;
    for (int i = 0; i < 16; i++) {
        char c = hex[i];
        k = k << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return k;
}

static void id_put(const char *hex, uint32_t node)
{
    uint64_t k = id_key(hex);
    uint32_t h = (uint32_t)(k * 0x9e3779b97f4a7c15ULL >> 32) & S.idmask;
    while (S.idvals[h] != UINT32_MAX)
        h = (h + 1) & S.idmask;
    S.idkeys[h] = k;
    S.idvals[h] = node;
}

static uint32_t id_get(const char *hex)
{
    uint64_t k = id_key(hex);
    uint32_t h = (uint32_t)(k * 0x9e3779b97f4a7c15ULL >> 32) & S.idmask;
    for (; S.idvals[h] != UINT32_MAX; h = (h + 1) & S.idmask)
        if (S.idkeys[h] == k)
            return S.idvals[h];
    return UINT32_MAX;
}

/* 10.a.b.c:16379 is node (a<<16 | b<<8 | c); clients on port 6379. */
static struct swim_addr node_addr(uint32_t i, uint16_t port)
{
    struct swim_addr a = { .family = 4, .port = port };
    a.ip[0] = 10;
    a.ip[1] = (uint8_t)(i >> 16);
    a.ip[2] = (uint8_t)(i >> 8);
    a.ip[3] = (uint8_t)i;
    return a;
}

static uint32_t addr_node(const struct swim_addr *a)
{
    if (a->family != 4 || a->ip[0] != 10 || a->port != 16379)
        return UINT32_MAX;
    uint32_t i = (uint32_t)a->ip[1] << 16 | (uint32_t)a->ip[2] << 8 | a->ip[3];
    return i < S.nnodes ? i : UINT32_MAX;
}

/* ---------------------------------------------------------------- metrics */

static bool measuring(void)
{
    return S.now >= S.t_meas && S.now < S.t_end;
}

static void account_live(void)
{
    if (S.now > S.last_t && S.last_t < S.t_end && S.now > S.t_meas) {
        uint64_t a = S.last_t > S.t_meas ? S.last_t : S.t_meas;
        uint64_t b = S.now < S.t_end ? S.now : S.t_end;
        S.member_s += (double)S.live * (double)(b - a) / 1000.0;
    }
    S.last_t = S.now;
}

static bool believes(uint8_t st)
{
    return st == SWIM_ALIVE || st == SWIM_SUSPECT;
}

static void check_target(struct target *t)
{
    if (t->done)
        return;
    bool ok = t->is_join ? t->believers >= (int64_t)S.live - 1
                         : t->believers <= 0;
    if (!ok)
        return;
    t->done = 1;
    double d = (double)(S.now - t->t0) / 1000.0;
    if (getenv("SWIM_SIM_TRACE") && d > 5)
        fprintf(stderr, "slow %s of node %u: %.2f s (t0 %llu)\n",
                t->is_join ? "join" : "detect", t->node, d,
                (unsigned long long)t->t0);
    if (t->is_join)
        S.join[S.njoin++] = d;
    else
        S.detect[S.ndetect++] = d;
    S.nodes[t->node].target = -1;
}

static bool across_partition(uint32_t a, uint32_t b)
{
    bool window = S.partitioned ||
                  (S.part_heal_at && S.now < S.part_heal_at + 60000);
    return window && S.nodes[a].side != S.nodes[b].side;
}

static void on_event(uint32_t obs, const struct swim_event *e)
{
    uint32_t t = id_get(e->node.id);
    if (t == UINT32_MAX)
        return;
    struct node *tn = &S.nodes[t];
    if (tn->target >= 0 && S.nodes[obs].running) {
        struct target *tg = &S.targets[tn->target];
        tg->believers += (int)believes(e->state) - (int)believes(e->prev);
        check_target(tg);
    }
    if (!measuring() || !tn->running)
        return;
    if (getenv("SWIM_SIM_TRACE") && (e->type == SWIM_EV_SUSPECT ||
        e->type == SWIM_EV_DEAD || e->type == SWIM_EV_ALIVE))
        fprintf(stderr, "%llu obs %u %s about %u %.4s inc %u (own inc %u)\n",
                (unsigned long long)S.now, obs,
                e->type == SWIM_EV_DEAD ? "DEAD" : e->type == SWIM_EV_ALIVE ? "ALIVE" : "SUSPECT",
                t, e->node.id, e->incarnation, swim_incarnation(tn->sw));
    if (e->type == SWIM_EV_DEAD && tn->false_inc != e->incarnation + 1) {
        tn->false_inc = e->incarnation + 1;
        if (across_partition(obs, t))
            S.false_dead_part++;
        else
            S.false_dead++;
    }
    if (e->type == SWIM_EV_SUSPECT && tn->suspect_inc != e->incarnation + 1) {
        tn->suspect_inc = e->incarnation + 1;
        S.false_suspect++;
    }
}

/* ---------------------------------------------------------------- network */

static void drain(uint32_t from)
{
    struct swim_out *o = &S.out;
    for (size_t k = 0; k < o->npkts; k++) {
        const struct swim_packet *p = &o->pkts[k];
        if (measuring()) {
            S.msgs++;
            S.bytes += p->len;
            if (p->kind == SWIM_STREAM)
                S.stream_bytes += p->len;
        }
        uint32_t to = addr_node(&p->to);
        if (to == UINT32_MAX || (S.partitioned &&
                                 S.nodes[to].side != S.nodes[from].side))
            continue;
        uint64_t d = S.delay_ms;
        uint64_t lat = d ? d / 2 + rnd_below((uint32_t)d + 1) : 0;
        if (p->kind == SWIM_DGRAM) {
            if (rnd01() < S.loss)
                continue;
        } else {
            if (!S.nodes[to].running)
                continue;
            lat = 3 * d;
        }
        struct ev e = { .t = S.now + lat, .type = EV_DELIVER, .node = to,
                        .len = p->len, .kind = p->kind };
        e.data = xmalloc(p->len);
        memcpy(e.data, o->buf + p->off, p->len);
        push(e);
    }
    for (size_t k = 0; k < o->nevents; k++)
        on_event(from, &o->events[k]);
    S.events += o->nevents;
    swim_out_clear(o);
    struct node *n = &S.nodes[from];
    if (!n->running)
        return;
    uint64_t d = swim_next_deadline(n->sw);
    if (d < S.now)
        d = S.now;
    if (d != n->tick_at) {
        n->tick_at = d;
        if (d != SWIM_NEVER)
            schedule(d, EV_TICK, from);
    }
}

/* ---------------------------------------------------------------- members */

static void make_node(uint32_t i)
{
    struct node *n = &S.nodes[i];
    static const char hex[] = "0123456789abcdef";
    struct swim_node self;
    for (int k = 0; k < SWIM_ID_LEN; k++)
        self.id[k] = hex[rnd() & 15];
    self.id[SWIM_ID_LEN] = '\0';
    self.addr = node_addr(i, 6379);
    self.bus = node_addr(i, 16379);
    memcpy(n->id, self.id, sizeof n->id);
    n->sw = swim_new(&S.cfg, &self, rnd());
    if (!n->sw) {
        fprintf(stderr, "swim_new failed\n");
        exit(1);
    }
    n->target = -1;
    n->tick_at = SWIM_NEVER;
    id_put(n->id, i);
}

/* Starts member i (already made) and joins it through a random running
 * member, if any. */
static void start_node(uint32_t i, bool measured)
{
    struct node *n = &S.nodes[i];
    account_live();
    n->running = n->started = 1;
    S.live++;
    n->side = S.part_frac > 0 && rnd01() < S.part_frac;
    swim_tick(n->sw, S.now, &S.out);
    if (i > 0) {
        uint32_t seed;
        do
            seed = rnd_below(S.nnodes);
        while (seed == i || !S.nodes[seed].running);
        struct swim_addr a = node_addr(seed, 16379);
        swim_join(n->sw, &a, &S.out);
    }
    if (measured) {
        struct target *t = &S.targets[S.ntargets];
        *t = (struct target){ .node = i, .t0 = S.now, .is_join = 1 };
        n->target = (int32_t)S.ntargets++;
    }
    drain(i);
}

static void crash(void)
{
    uint32_t x, tries = 0;
    do
        x = rnd_below(S.n0);
    while ((!S.nodes[x].running || S.nodes[x].target >= 0) && ++tries < 1000);
    if (tries >= 1000)
        return;
    struct node *n = &S.nodes[x];
    account_live();
    n->running = 0;
    S.live--;
    struct target *t = &S.targets[S.ntargets];
    *t = (struct target){ .node = x, .t0 = S.now };
    for (uint32_t y = 0; y < S.nnodes; y++)
        if (S.nodes[y].running && believes(swim_state_of(S.nodes[y].sw, n->id)))
            t->believers++;
    n->target = (int32_t)S.ntargets++;
    /* The crashed member no longer counts for others' targets. */
    for (uint32_t k = 0; k + 1 < S.ntargets; k++) {
        struct target *o = &S.targets[k];
        if (o->done)
            continue;
        if (believes(swim_state_of(n->sw, S.nodes[o->node].id)))
            o->believers--;
        check_target(o);
    }
    check_target(t);
}

/* ---------------------------------------------------------------- main */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, uint32_t n, double p)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    uint32_t k = (uint32_t)ceil(p * n);
    return v[k ? k - 1 : 0];
}

static void jnum(const char *name, double v, const char *sep)
{
    if (isnan(v))
        printf("\"%s\":null%s", name, sep);
    else
        printf("\"%s\":%.4g%s", name, v, sep);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: swim-sim --members N --loss PCT --seconds S --crashes C "
            "--seed K [--delay-ms D]\n"
            "                [--partition START,DURATION,FRACTION] "
            "[--node-timeout MS] [--preset memberlist] [--json]\n");
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    S.n0 = 100;
    S.seconds = 600;
    S.delay_ms = 1;
    S.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--json")) {
            S.json = true;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--members"))
            S.n0 = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(a, "--loss"))
            S.loss = strtod(v, NULL) / 100.0;
        else if (!strcmp(a, "--seconds"))
            S.seconds = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--crashes"))
            S.crashes = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(a, "--seed"))
            S.seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--delay-ms"))
            S.delay_ms = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--preset") && !strcmp(v, "memberlist"))
            S.memberlist = true;
        else if (!strcmp(a, "--node-timeout"))
            S.node_timeout = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(a, "--partition")) {
            if (sscanf(v, "%lf,%lf,%lf", &S.part_start, &S.part_dur,
                       &S.part_frac) != 3)
                usage();
        } else
            usage();
    }
    if (S.n0 < 2 || S.seconds == 0 || S.crashes >= S.n0)
        usage();
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    swim_config_default(&S.cfg, S.node_timeout);
    if (S.memberlist) {
        double scale = S.n0 > 10 ? log10(S.n0) : 1.0;
        S.cfg.probe_interval_ms = 1000;
        S.cfg.probe_timeout_ms = 500;
        S.cfg.gossip_interval_ms = 200;
        S.cfg.retransmit_mult = 4;
        S.cfg.suspicion_k = 2;
        S.cfg.suspicion_min_ms = 4000;
        S.cfg.suspicion_max_ms = (uint32_t)(6 * 4000 * scale);
        S.cfg.pushpull_interval_ms = 30000;
        if (S.n0 > 32)
            S.cfg.pushpull_interval_ms *= (uint32_t)ceil(log2(S.n0) - 5) + 1;
        S.cfg.pushpull_ms_per_member = 0;
    }
    S.rng = S.seed * 0x2545f4914f6cdd1dULL + 1;
    uint64_t warm = S.n0 * 10 > 5000 ? S.n0 * 10 : 5000;
    S.t_meas = warm + 30000;
    S.t_end = S.t_meas + S.seconds * 1000;
    uint64_t tail = S.seconds * 1000 / 2 < 60000 ? S.seconds * 500 : 60000;
    uint32_t njoins = 0;
    while ((njoins + 0.5) * 60000 < (double)S.seconds * 1000 - 10000)
        njoins++;
    S.nmax = S.n0 + njoins;
    S.nodes = calloc(S.nmax, sizeof *S.nodes);
    S.targets = calloc(S.crashes + njoins + 1, sizeof *S.targets);
    S.detect = calloc(S.crashes + 1, sizeof *S.detect);
    S.join = calloc(njoins + 1, sizeof *S.join);
    uint32_t cap = 1;
    while (cap < 2 * S.nmax)
        cap *= 2;
    S.idmask = cap - 1;
    S.idkeys = calloc(cap, sizeof *S.idkeys);
    S.idvals = xmalloc(cap * sizeof *S.idvals);
    memset(S.idvals, 0xff, cap * sizeof *S.idvals);
    swim_out_init(&S.out);
    S.nnodes = S.nmax;
    for (uint32_t i = 0; i < S.nmax; i++)
        make_node(i);
    for (uint32_t i = 0; i < S.n0; i++)
        schedule((uint64_t)i * warm / S.n0, EV_START, i);
    for (uint32_t k = 0; k < njoins; k++)
        schedule(S.t_meas + (uint64_t)((k + 0.5) * 60000), EV_JOIN, S.n0 + k);
    for (uint32_t k = 0; k < S.crashes; k++)
        schedule(S.t_meas + (uint64_t)(rnd01() * (double)(S.seconds * 1000 - tail)),
                 EV_CRASH, 0);
    if (S.part_frac > 0) {
        schedule(S.t_meas + (uint64_t)(S.part_start * 1000), EV_PART, 1);
        schedule(S.t_meas + (uint64_t)((S.part_start + S.part_dur) * 1000),
                 EV_PART, 0);
    }
    while (S.nheap) {
        struct ev e = pop();
        if (e.t >= S.t_end) {
            free(e.data);
            break;
        }
        S.now = e.t;
        struct node *n = &S.nodes[e.node];
        if (S.nheap) {          /* the next event's member starts cold */
            __builtin_prefetch(S.nodes[S.heap[0].node].sw);
            __builtin_prefetch(S.heap[0].data);
        }
        switch (e.type) {
        case EV_TICK:
            if (!n->running || e.t != n->tick_at)
                break;
            n->tick_at = SWIM_NEVER;
            swim_tick(n->sw, S.now, &S.out);
            drain(e.node);
            break;
        case EV_DELIVER:
            if (n->running) {
                swim_on_message(n->sw, S.now, e.data, e.len, &S.out);
                drain(e.node);
            }
            free(e.data);
            break;
        case EV_START:
            start_node(e.node, false);
            break;
        case EV_JOIN:
            start_node(e.node, true);
            break;
        case EV_CRASH:
            crash();
            break;
        case EV_PART:
            S.partitioned = e.node;
            if (!e.node)
                S.part_heal_at = S.now;
            break;
        }
    }
    S.now = S.t_end;
    account_live();
    for (uint32_t k = 0; k < S.ntargets; k++) {
        if (S.targets[k].done)
            continue;
        if (S.targets[k].is_join)
            S.njoin_incomplete++;
        else
            S.nundetected++;
    }
    while (S.nheap)
        free(pop().data);
    /* Converged: live members whose view holds exactly the live members. */
    uint32_t converged = 0;
    for (uint32_t i = 0; i < S.nnodes; i++) {
        if (!S.nodes[i].running)
            continue;
        bool ok = swim_member_count(S.nodes[i].sw) == S.live;
        for (uint32_t j = 0; j < S.nnodes && ok; j++)
            if (S.nodes[j].running && j != i)
                ok = believes(swim_state_of(S.nodes[i].sw, S.nodes[j].id));
        converged += ok;
    }
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double wall = (double)(w1.tv_sec - w0.tv_sec) +
                  (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    double mh = S.member_s / 3600.0;
    double dmax = S.ndetect ? pct(S.detect, S.ndetect, 1.0) : NAN;
    double d50 = pct(S.detect, S.ndetect, 0.5), d99 = pct(S.detect, S.ndetect, 0.99);
    double j50 = pct(S.join, S.njoin, 0.5), j99 = pct(S.join, S.njoin, 0.99);
    if (!S.json) {
        printf("members %u, loss %.1f%%, %llu s simulated (+%llu s warm-up), "
               "delay %llu ms\n", S.n0, S.loss * 100,
               (unsigned long long)S.seconds, (unsigned long long)(S.t_meas / 1000),
               (unsigned long long)S.delay_ms);
        printf("crashes %u: detected %u, p50 %.2f s, p99 %.2f s, max %.2f s\n",
               S.crashes, S.ndetect, d50, d99, dmax);
        printf("joins %u: complete %u, p50 %.2f s, p99 %.2f s\n",
               njoins, S.njoin, j50, j99);
        printf("false dead %llu (%.5f per member-hour), partition dead %llu, "
               "suspicions of live members %llu\n",
               (unsigned long long)S.false_dead, S.false_dead / mh,
               (unsigned long long)S.false_dead_part,
               (unsigned long long)S.false_suspect);
        printf("per member-second: %.3f msgs, %.1f bytes (%.1f of them "
               "push-pull)\n", S.msgs / S.member_s, S.bytes / S.member_s,
               S.stream_bytes / S.member_s);
        struct swim_stats t = { 0 };
        for (uint32_t i = 0; i < S.nnodes; i++) {
            const struct swim_stats *x = swim_stats(S.nodes[i].sw);
            t.sent_msgs += x->sent_msgs;
            t.sent_streams += x->sent_streams;
            t.probes += x->probes;
            t.indirect_probes += x->indirect_probes;
            t.probe_failures += x->probe_failures;
            t.suspicions += x->suspicions;
            t.refutes += x->refutes;
            t.gossip_msgs += x->gossip_msgs;
            t.reconnects += x->reconnects;
            t.resyncs += x->resyncs;
        }
        printf("whole run incl. warm-up: %llu datagrams, %llu streams, "
               "%llu probes, %llu ping-reqs, %llu failed probes, "
               "%llu suspicions, %llu refutes, %llu gossip msgs, "
               "%llu reconnects, %llu resyncs\n",
               (unsigned long long)t.sent_msgs,
               (unsigned long long)t.sent_streams,
               (unsigned long long)t.probes,
               (unsigned long long)t.indirect_probes,
               (unsigned long long)t.probe_failures,
               (unsigned long long)t.suspicions,
               (unsigned long long)t.refutes,
               (unsigned long long)t.gossip_msgs,
               (unsigned long long)t.reconnects,
               (unsigned long long)t.resyncs);
        printf("at the end: %u of %u live members hold exactly the live set\n",
               converged, S.live);
        printf("wall %.2f s\n", wall);
    }
    if (!S.json)
        goto done;
    printf("{\"members\":%u,\"loss_pct\":%g,\"sim_seconds\":%llu,"
           "\"delay_ms\":%llu,\"seed\":%llu,\"crashes\":%u,"
           "\"crashes_detected\":%u,",
           S.n0, S.loss * 100, (unsigned long long)S.seconds,
           (unsigned long long)S.delay_ms, (unsigned long long)S.seed,
           S.crashes, S.ndetect);
    jnum("detect_s_p50", d50, ",");
    jnum("detect_s_p99", d99, ",");
    jnum("detect_s_max", dmax, ",");
    printf("\"joins\":%u,\"joins_completed\":%u,", njoins, S.njoin);
    jnum("join_s_p50", j50, ",");
    jnum("join_s_p99", j99, ",");
    printf("\"false_dead\":%llu,", (unsigned long long)S.false_dead);
    jnum("false_dead_per_member_hour", S.false_dead / mh, ",");
    printf("\"partition_dead\":%llu,\"false_suspect\":%llu,",
           (unsigned long long)S.false_dead_part,
           (unsigned long long)S.false_suspect);
    jnum("msgs_per_member_s", S.msgs / S.member_s, ",");
    jnum("bytes_per_member_s", S.bytes / S.member_s, ",");
    jnum("stream_bytes_per_member_s", S.stream_bytes / S.member_s, ",");
    printf("\"live_at_end\":%u,\"converged_at_end\":%u,", S.live, converged);
    jnum("wall_s", wall, "}\n");
done:
    for (uint32_t i = 0; i < S.nnodes; i++)
        swim_free(&S.nodes[i].sw);
    swim_out_free(&S.out);
    return 0;
}
