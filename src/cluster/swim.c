/*
 * swim.c: SWIM + Lifeguard membership (see swim.h for the protocol, the wire
 * format and the defaults). The bytes are swim_wire.c's: it builds and
 * seals the packets this file fills with entries, and validates a received
 * packet in full before this file applies any of it (swim_int.h).
 *
 * State, and the invariants the code keeps:
 *  - m[] is a slab of members; slot 0 is this member. idx is an
 *    open-addressing hash map id -> slot (see struct ix), linear probing
 *    with backward-shift deletion, at most 70% full.
 *  - live[] holds exactly the slots (other than 0) whose state is ALIVE or
 *    SUSPECT, each member's live_pos says where; dead[] likewise for DEAD.
 *    Random picks (helpers, gossip targets, push-pull peers) sample them.
 *  - order[] is this pass's shuffled probe order; it may name slots that
 *    died since (skipped). It is rebuilt from live[] when exhausted, and
 *    reaping (the only thing that frees slots) happens only then, so order[]
 *    never names a freed slot.
 *  - heap[] is a binary min-heap, by deadline, of the suspicion records:
 *    one per SUSPECT member, whose heap_pos says where (NIL otherwise).
 *    Records move as the heap reorders, so never keep a pointer to one
 *    across a heap operation.
 *  - The broadcast queue holds at most one pending change per member (the
 *    member's current state is what gets sent), in bucket bc_tx = how many
 *    times it was sent, FIFO within a bucket; fewest-sent goes first.
 */
#include "swim.h"
#include "swim_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define BUCKETS 64
#define RELAYS 32
#define MAX_ENTRIES 64          /* per datagram */
#define INTRO_BATCH 128         /* introductions per gossip interval */

struct member {                 /* hot fields first: one cache line */
    uint8_t id[SWIM_ID_BYTES];
    uint8_t state;              /* enum swim_state; UNKNOWN = free slot */
    uint8_t bc_on, bc_tx;       /* queued?, times sent */
    uint32_t inc;
    struct swim_addr bus, addr;
    uint32_t bc_prev, bc_next;
    uint32_t live_pos, dead_pos, heap_pos;
    uint64_t since;             /* when the state last changed */
};

struct susp {                   /* a suspicion (Lifeguard) */
    uint64_t deadline, start;
    uint32_t slot;
    uint8_t nacc, kneed;        /* distinct accusers, confirmations wanted */
    uint8_t chances;            /* last-chance PINGs sent (see swim_tick) */
    uint8_t quiet;              /* not gossiped yet: PINGs still to send */
    uint32_t qseq;              /* their sequence number */
    uint8_t acc_id[SWIM_ID_BYTES]; /* accuser named when gossiped */
    uint64_t acc[SWIM_K_MAX + 1]; /* accuser fingerprints */
};

struct relay {                  /* a PING we send for someone's PING_REQ */
    uint32_t seq, origin_seq;
    struct swim_addr origin;
    uint8_t target[SWIM_ID_BYTES];
    uint64_t nack_at;           /* then NACK and forget (0: slot unused) */
};

struct probe {                  /* PING at start, again at t_retry, */
    uint32_t slot, seq;         /* PING_REQs at t_indirect, verdict at */
    uint8_t id[SWIM_ID_BYTES];  /* t_end (= the next probe's start) */
    uint64_t t_retry, t_indirect, t_end;
    uint8_t active, acked, retried, indirect_sent, helpers, nacks;
};

struct swim {
    /* Hot: what every packet and tick reads, kept in a few cache lines
     * (a simulation runs thousands of instances; each call starts cold). */
    struct swim__wire w;        /* self id and limits, for the codec */
    uint8_t started, leaving, joining, stale_self, cur_type;
    uint32_t nlive, ndead, nheap, bc_count, nrelays, lhm, seq;
    uint32_t intro;             /* next live[] to greet (NIL: not greeting) */
    uint32_t intro_pass;        /* greeting passes started (two in all) */
    uint64_t intro_at;          /* a pass does not start before */
    uint64_t now, last_resync, hseed;
    uint64_t next_probe, next_gossip, next_pp, next_reconnect, next_join;
    uint64_t dead_bloom[4];     /* hash bits of DEAD members (may be stale) */
    struct ix *idx;
    uint32_t idx_mask, idx_used;
    struct member *m;
    uint32_t *live, *dead;
    struct susp *heap;
    struct probe probe;
    struct swim_stats st;
    /* Colder. */
    struct swim_config cfg;
    struct swim_node self_node;
    uint64_t rng;
    uint32_t nm, cap_m, *free_slots, nfree;
    size_t cap_heap;
    uint32_t *order, norder, cursor;
    uint32_t bc_head[BUCKETS], bc_tail[BUCKETS];
    uint32_t probe_next;
    uint8_t probe_next_id[SWIM_ID_BYTES];
    struct swim_addr join_addr;
    struct relay relays[RELAYS];
};

/* ---------------------------------------------------------------- utils */

static uint64_t rng_next(struct swim *s)
{
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint32_t rng_below(struct swim *s, uint32_t n)
{
    return (uint32_t)(((rng_next(s) >> 32) * (uint64_t)n) >> 32);
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int hexval(int c)
{
    c = c >= 'A' && c <= 'F' ? c + 32 : c;
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 87 : -1;
}

static int id_parse(uint8_t *out, const char *hex)
{
    for (int i = 0; i < SWIM_ID_BYTES; i++) {
        int hi = hexval((unsigned char)hex[2 * i]);
        int lo = hi < 0 ? -1 : hexval((unsigned char)hex[2 * i + 1]);
        if (lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return hex[SWIM_ID_LEN] == '\0' ? 0 : -1;
}

static void id_format(char *hex, const uint8_t *id)
{
    static const char d[] = "0123456789abcdef";
    for (int i = 0; i < SWIM_ID_BYTES; i++) {
        hex[2 * i] = d[id[i] >> 4];
        hex[2 * i + 1] = d[id[i] & 15];
    }
    hex[SWIM_ID_LEN] = '\0';
}

/* ----------------------------------------------------- packets, events */

static size_t begin_pkt(struct swim *s, struct swim_out *o, uint8_t type)
{
    return swim__begin_pkt(o, &s->w, type);
}

static void end_pkt(struct swim *s, struct swim_out *o, size_t start,
                    const struct swim_addr *to, uint8_t kind)
{
    uint32_t len = swim__end_pkt(o, start, to, kind);
    if (kind == SWIM_STREAM) {
        s->st.sent_streams++;
        s->st.sent_stream_bytes += len;
    } else {
        s->st.sent_msgs++;
        s->st.sent_bytes += len;
    }
}

static void emit(struct swim_out *o, uint8_t type, const struct member *m,
                 uint8_t prev)
{
    o->events = swim__grow(o->events, o->nevents, &o->cap_events, sizeof *o->events);
    struct swim_event *e = &o->events[o->nevents++];
    e->type = type;
    e->state = m->state;
    e->prev = prev;
    e->incarnation = m->inc;
    id_format(e->node.id, m->id);
    e->node.addr = m->addr;
    e->node.bus = m->bus;
}

/* ---------------------------------------------------------- member table */

/* idx bucket: a 64-bit keyed hash of the id (0 = empty), the slot, and a
 * copy of the member's state and incarnation, so that the common question
 * "does this entry tell us anything new?" is answered from the index alone
 * (ix_peek). Equal hashes do not mean equal ids: ids come from the network,
 * so ix_find, which everything that reads or writes a member goes through,
 * compares the whole id and probes on past a bucket whose hash matches but
 * whose member is another. Two members therefore never share a bucket. */
struct ix {
    uint64_t fp;
    uint32_t slot;              /* low 28 bits: slot; high 4: state */
    uint32_t inc;
};

#define IX_SLOT(e) ((e)->slot & 0x0fffffff)
#define IX_STATE(e) ((uint8_t)((e)->slot >> 28))

/* Keyed hash of all 20 bytes of an id; never 0. */
static uint64_t hash_id(const struct swim *s, const uint8_t *id)
{
    uint64_t h = load64(id) ^ s->hseed;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= load64(id + 8) ^ (h >> 29);
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= (uint64_t)swim__get_be(id + 16, 4) ^ (h >> 32);
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* The bucket holding id (hash and whole id verified against m[]), or the
 * empty bucket that ends its run. */
static struct ix *ix_find(const struct swim *s, const uint8_t *id)
{
    uint64_t h = hash_id(s, id);
    for (uint32_t b = (uint32_t)h & s->idx_mask;; b = (b + 1) & s->idx_mask) {
        struct ix *e = &s->idx[b];
        if (!e->fp || (e->fp == h &&
                       !memcmp(s->m[IX_SLOT(e)].id, id, SWIM_ID_BYTES)))
            return e;
    }
}

/* The first bucket whose hash is id's, without reading m[] (NULL: none).
 * Only for skipping entries that bring no news: another id with the same
 * 64-bit keyed hash (odds ~N^2 / 2^64 with a secret seed) could at worst
 * make us ignore an entry about it, which changes no other member. */
static const struct ix *ix_peek(const struct swim *s, const uint8_t *id)
{
    uint64_t h = hash_id(s, id);
    for (uint32_t b = (uint32_t)h & s->idx_mask;; b = (b + 1) & s->idx_mask) {
        if (!s->idx[b].fp)
            return NULL;
        if (s->idx[b].fp == h)
            return &s->idx[b];
    }
}

static uint32_t lookup(const struct swim *s, const uint8_t *id)
{
    const struct ix *e = ix_find(s, id);
    return e->fp ? IX_SLOT(e) : NIL;
}

static void bloom_add(struct swim *s, uint64_t h)
{
    s->dead_bloom[(h >> 6) & 3] |= 1ull << (h & 63);
}

static bool held_dead(const struct swim *s, const uint8_t *id)
{
    uint64_t h = hash_id(s, id);
    if (!(s->dead_bloom[(h >> 6) & 3] >> (h & 63) & 1))
        return false;
    const struct ix *e = ix_find(s, id);
    return e->fp && IX_STATE(e) == SWIM_DEAD;
}

static void ix_sync(struct swim *s, uint32_t slot)
{
    struct ix *e = ix_find(s, s->m[slot].id);
    e->slot = (uint32_t)s->m[slot].state << 28 | slot;
    e->inc = s->m[slot].inc;
}

static void idx_put(struct swim *s, uint32_t slot)
{
    struct ix *e = ix_find(s, s->m[slot].id);
    e->fp = hash_id(s, s->m[slot].id);
    e->slot = (uint32_t)s->m[slot].state << 28 | slot;
    e->inc = s->m[slot].inc;
    s->idx_used++;
}

static void idx_grow(struct swim *s)
{
    uint32_t n = (s->idx_mask + 1) * 2;
    free(s->idx);
    s->idx = calloc(n, sizeof *s->idx);
    if (!s->idx)
        abort();
    s->idx_mask = n - 1;
    s->idx_used = 0;
    for (uint32_t i = 0; i < s->nm; i++)
        if (s->m[i].state != SWIM_UNKNOWN)
            idx_put(s, i);
}

static void idx_del(struct swim *s, uint32_t slot)
{
    uint32_t h = (uint32_t)(ix_find(s, s->m[slot].id) - s->idx);
    s->idx[h].fp = 0;
    s->idx_used--;
    /* Backward shift: pull later entries of the run into the hole. */
    for (uint32_t j = (h + 1) & s->idx_mask; s->idx[j].fp;
         j = (j + 1) & s->idx_mask) {
        uint32_t want = (uint32_t)s->idx[j].fp & s->idx_mask;
        if (((j - want) & s->idx_mask) >= ((j - h) & s->idx_mask)) {
            s->idx[h] = s->idx[j];
            s->idx[j].fp = 0;
            h = j;
        }
    }
}

static void list_del(struct swim *s, uint32_t *arr, uint32_t *n,
                     uint32_t pos, bool live)
{
    uint32_t last = arr[--*n];
    arr[pos] = last;
    if (live)
        s->m[last].live_pos = pos;
    else
        s->m[last].dead_pos = pos;
}

static uint32_t slot_new(struct swim *s, const uint8_t *id)
{
    uint32_t slot;
    if (s->nfree) {
        slot = s->free_slots[--s->nfree];
    } else {
        if (s->nm == s->cap_m) {
            s->cap_m = s->cap_m ? 2 * s->cap_m : 64;
            s->m = swim__xrealloc(s->m, s->cap_m * sizeof *s->m);
            s->live = swim__xrealloc(s->live, s->cap_m * sizeof *s->live);
            s->dead = swim__xrealloc(s->dead, s->cap_m * sizeof *s->dead);
            s->order = swim__xrealloc(s->order, s->cap_m * sizeof *s->order);
            s->free_slots = swim__xrealloc(s->free_slots,
                                     s->cap_m * sizeof *s->free_slots);
        }
        slot = s->nm++;
    }
    struct member *m = &s->m[slot];
    memset(m, 0, sizeof *m);    /* state UNKNOWN: not re-indexed by a grow */
    if ((uint64_t)(s->idx_used + 1) * 10 > (uint64_t)(s->idx_mask + 1) * 7)
        idx_grow(s);
    memcpy(m->id, id, SWIM_ID_BYTES);
    m->live_pos = m->dead_pos = m->heap_pos = m->bc_prev = m->bc_next = NIL;
    m->state = SWIM_ALIVE;      /* provisional; callers set it */
    idx_put(s, slot);
    return slot;
}

/* ------------------------------------------------------ broadcast queue */

static uint32_t retransmit_limit(const struct swim *s)
{
    double n = (double)s->nlive + 2;
    uint32_t r = s->cfg.retransmit_mult * (uint32_t)ceil(log10(n));
    return r < 1 ? 1 : r >= BUCKETS ? BUCKETS - 1 : r;
}

static void bc_unlink(struct swim *s, uint32_t i)
{
    struct member *m = &s->m[i];
    if (!m->bc_on)
        return;
    if (m->bc_prev != NIL)
        s->m[m->bc_prev].bc_next = m->bc_next;
    else
        s->bc_head[m->bc_tx] = m->bc_next;
    if (m->bc_next != NIL)
        s->m[m->bc_next].bc_prev = m->bc_prev;
    else
        s->bc_tail[m->bc_tx] = m->bc_prev;
    m->bc_on = 0;
    m->bc_prev = m->bc_next = NIL;
    s->bc_count--;
}

static void bc_link(struct swim *s, uint32_t i, uint8_t tx)
{
    struct member *m = &s->m[i];
    m->bc_tx = tx;
    m->bc_on = 1;
    m->bc_next = NIL;
    m->bc_prev = s->bc_tail[tx];
    if (m->bc_prev != NIL)
        s->m[m->bc_prev].bc_next = i;
    else
        s->bc_head[tx] = i;
    s->bc_tail[tx] = i;
    s->bc_count++;
}

/* Queues member i's current state for gossip, first in line; a suspect
 * is sent naming `accuser` (NULL: the last one named). */
static void bc_queue(struct swim *s, uint32_t i, const uint8_t *accuser)
{
    bc_unlink(s, i);
    if (accuser && s->m[i].heap_pos != NIL)
        memcpy(s->heap[s->m[i].heap_pos].acc_id, accuser, SWIM_ID_BYTES);
    bc_link(s, i, 0);
}

static size_t entry_size(const struct member *m, bool full)
{
    size_t n = 1 + 4 + SWIM_ID_BYTES;
    if (full || m->state == SWIM_ALIVE)
        n += swim__addr_size(&m->addr) + swim__bus_size(&m->addr, &m->bus);
    if (m->state == SWIM_SUSPECT)
        n += SWIM_ID_BYTES;
    return n;
}

/* full: push-pull form (addresses always). A suspect always names a real
 * accuser: crediting whoever relays it would forge confirmations. */
static void wentry(const struct swim *s, struct swim_out *o,
                   const struct member *m, bool full)
{
    bool addrs = full || m->state == SWIM_ALIVE;
    bool acc = m->state == SWIM_SUSPECT;
    swim__w8(o, (uint8_t)(m->state | (addrs ? SWIM__E_ADDR : 0) | (acc ? SWIM__E_ACCUSER : 0)));
    swim__w32(o, m->inc);
    swim__wbytes(o, m->id, SWIM_ID_BYTES);
    if (addrs) {
        swim__waddr(o, &m->addr);
        swim__wbus(o, &m->addr, &m->bus);
    }
    if (acc)
        swim__wbytes(o, s->heap[m->heap_pos].acc_id, SWIM_ID_BYTES);
}

/* Appends the gossip section: first member `first` (buddy system, may be
 * NIL), then pending changes, fewest-sent first, as many as fit. */
static void wgossip(struct swim *s, struct swim_out *o, size_t start,
                    uint32_t first)
{
    uint32_t taken[MAX_ENTRIES], n = 0, cnt = 0, limit = retransmit_limit(s);
    size_t count_at = o->len, room = s->w.max_packet - (o->len - start) - 1;
    swim__w8(o, 0);
    if (!s->bc_count && first == NIL)
        return;
    if (first != NIL && entry_size(&s->m[first], false) <= room) {
        room -= entry_size(&s->m[first], false);
        wentry(s, o, &s->m[first], false);
        cnt++;
        if (s->m[first].bc_on)
            taken[n++] = first;
    }
    for (uint32_t b = 0; b < BUCKETS && cnt < MAX_ENTRIES && room >= 25; b++) {
        for (uint32_t i = s->bc_head[b]; i != NIL && cnt < MAX_ENTRIES;
             i = s->m[i].bc_next) {
            if (i == first)
                continue;
            size_t sz = entry_size(&s->m[i], false);
            if (sz > room)
                goto full;
            room -= sz;
            wentry(s, o, &s->m[i], false);
            taken[n++] = i;
            cnt++;
        }
    }
full:
    o->buf[count_at] = (uint8_t)cnt;
    for (uint32_t k = 0; k < n; k++) {
        uint8_t tx = (uint8_t)(s->m[taken[k]].bc_tx + 1);
        bc_unlink(s, taken[k]);
        if (tx < limit)
            bc_link(s, taken[k], tx);
    }
}

/* ------------------------------------------------------ suspicion heap */

static bool heap_less(const struct swim *s, uint32_t a, uint32_t b)
{
    return s->heap[a].deadline < s->heap[b].deadline;
}

static void heap_swap(struct swim *s, uint32_t a, uint32_t b)
{
    struct susp t = s->heap[a];
    s->heap[a] = s->heap[b];
    s->heap[b] = t;
    s->m[s->heap[a].slot].heap_pos = a;
    s->m[s->heap[b].slot].heap_pos = b;
}

static void heap_fix(struct swim *s, uint32_t i)
{
    while (i > 0 && heap_less(s, i, (i - 1) / 2)) {
        heap_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, best = i;
        if (l < s->nheap && heap_less(s, l, best))
            best = l;
        if (r < s->nheap && heap_less(s, r, best))
            best = r;
        if (best == i)
            return;
        heap_swap(s, i, best);
        i = best;
    }
}

static void heap_del(struct swim *s, uint32_t slot)
{
    uint32_t i = s->m[slot].heap_pos;
    if (i == NIL)
        return;
    s->m[slot].heap_pos = NIL;
    if (--s->nheap != i) {
        s->heap[i] = s->heap[s->nheap];
        s->m[s->heap[i].slot].heap_pos = i;
        heap_fix(s, i);
    }
}

/* Lifeguard: max - (max - min) * log(c + 1) / log(k + 1), c confirmations
 * beyond the first accuser; min once c >= k. min scales with log10 N since
 * dissemination (and so refutation) takes O(log N) rounds. */
static uint64_t susp_timeout(const struct swim *s, const struct susp *p)
{
    double n = (double)s->nlive + 1;
    double lo = s->cfg.suspicion_min_ms * (n > 10 ? log10(n) : 1.0);
    double hi = s->cfg.suspicion_max_ms > lo ? s->cfg.suspicion_max_ms : lo;
    uint32_t c = p->nacc ? p->nacc - 1u : 0;
    if (p->kneed == 0 || c >= p->kneed)
        return (uint64_t)lo;
    return (uint64_t)(hi - (hi - lo) * log(c + 1.0) / log(p->kneed + 1.0));
}

/* Records an accuser of suspect member i; returns whether it was new. */
static bool add_accuser(struct swim *s, uint32_t i, const uint8_t *who)
{
    uint32_t h = s->m[i].heap_pos;
    struct susp *p = &s->heap[h];
    uint64_t f = load64(who);
    for (uint32_t k = 0; k < p->nacc; k++)
        if (p->acc[k] == f)
            return false;
    if (p->nacc > p->kneed)
        return false;
    p->acc[p->nacc++] = f;
    if (!p->quiet)
        p->deadline = p->start + susp_timeout(s, p);
    heap_fix(s, h);
    return true;
}

/* --------------------------------------------------------- transitions */

/* Moves member i to state st at incarnation inc, keeping live[], dead[],
 * heap[] and the probe order consistent, and emits the event. */
static void set_state(struct swim *s, uint32_t i, uint8_t st, uint32_t inc,
                      struct swim_out *out)
{
    struct member *m = &s->m[i];
    uint8_t prev = m->state;
    bool was_live = prev == SWIM_ALIVE || prev == SWIM_SUSPECT;
    bool is_live = st == SWIM_ALIVE || st == SWIM_SUSPECT;
    m->state = st;
    m->inc = inc;
    m->since = s->now;
    ix_sync(s, i);
    if (prev == SWIM_SUSPECT)
        heap_del(s, i);
    if (i != 0 && was_live && !is_live)
        list_del(s, s->live, &s->nlive, m->live_pos, true), m->live_pos = NIL;
    if (i != 0 && !was_live && is_live) {
        s->live[m->live_pos = s->nlive++] = i;   /* arrays hold cap_m */
        /* Join this pass's probe order at a random remaining position (a
         * member that flaps within one pass may be listed twice: harmless,
         * and bounded by cap_m). */
        if (s->norder < s->cap_m) {
            uint32_t pos = s->cursor + rng_below(s, s->norder - s->cursor + 1);
            uint32_t end = s->norder++;
            s->order[end] = pos < end ? s->order[pos] : i;
            s->order[pos] = i;
        }
    }
    if (prev == SWIM_DEAD && st != SWIM_DEAD)
        list_del(s, s->dead, &s->ndead, m->dead_pos, false), m->dead_pos = NIL;
    if (i != 0 && st == SWIM_DEAD && prev != SWIM_DEAD) {
        s->dead[m->dead_pos = s->ndead++] = i;
        bloom_add(s, hash_id(s, m->id));
    }
    static const uint8_t ev[] = { 0, SWIM_EV_ALIVE, SWIM_EV_SUSPECT,
                                  SWIM_EV_DEAD, SWIM_EV_LEAVE };
    uint8_t type = prev == SWIM_UNKNOWN ? SWIM_EV_JOIN : ev[st];
    if (prev != st)
        emit(out, type, m, prev);
}

static void send_ping(struct swim *s, uint32_t seq, uint32_t t,
                      const uint8_t *target, const struct swim_addr *to,
                      struct swim_out *out);

/* Member i becomes SUSPECT, accused by `accuser`. quiet: our own verdict,
 * first checked once more in private (PINGs now and half a probe timeout
 * later; an ACK withdraws it, see on_ack) and gossiped only if neither is
 * answered within a probe timeout. Under heavy loss most suspicions are
 * mistaken; this keeps them from costing two cluster-wide broadcasts each,
 * and, since nobody else heard of them, nobody's incarnation changes. */
static void suspect(struct swim *s, uint32_t i, uint32_t inc,
                    const uint8_t *accuser, bool quiet, struct swim_out *out)
{
    set_state(s, i, SWIM_SUSPECT, inc, out);
    uint32_t others = s->nlive >= 2 ? s->nlive - 1 : 0; /* minus suspect */
    s->heap = swim__grow(s->heap, s->nheap, &s->cap_heap, sizeof *s->heap);
    struct susp *p = &s->heap[s->nheap];
    memset(p, 0, sizeof *p);
    p->slot = i;
    p->kneed = (uint8_t)(s->cfg.suspicion_k < others ? s->cfg.suspicion_k
                                                      : others);
    p->start = s->now;
    p->deadline = SWIM_NEVER;
    memcpy(p->acc_id, accuser, SWIM_ID_BYTES);
    s->m[i].heap_pos = s->nheap++;
    add_accuser(s, i, accuser);
    s->st.suspicions++;
    if (!quiet) {
        bc_queue(s, i, accuser);
        return;
    }
    p = &s->heap[s->m[i].heap_pos];
    p->quiet = 2;
    p->qseq = ++s->seq;
    p->deadline = s->now + s->cfg.probe_timeout_ms / 2;
    heap_fix(s, s->m[i].heap_pos);
    send_ping(s, s->seq, NIL, s->m[i].id, &s->m[i].bus, out);
}

static void refute(struct swim *s, uint32_t inc)
{
    struct member *me = &s->m[0];
    if (inc >= me->inc)
        me->inc = inc + 1;
    me->since = s->now;
    bc_queue(s, 0, NULL);
    s->st.refutes++;
    if (s->lhm < s->cfg.awareness_max)
        s->lhm++;               /* Lifeguard: being suspected is a hint */
}

/* Whether an entry about a member we hold in state st at incarnation inc
 * changes nothing (mirrors apply() below). */
static bool no_news(uint8_t st, uint32_t inc, const struct swim__entry *e,
                    bool pushpull)
{
    uint8_t es = e->state;
    if (pushpull && es == SWIM_DEAD && st != SWIM_DEAD)
        es = SWIM_SUSPECT;
    switch (es) {
    case SWIM_ALIVE:
        return e->inc <= inc;
    case SWIM_SUSPECT:
        return e->inc < inc || st == SWIM_DEAD || st == SWIM_LEFT;
    default:
        return e->inc < inc || st == SWIM_LEFT ||
               (st == SWIM_DEAD && es == SWIM_DEAD);
    }
}

/* Applies one gossip or push-pull entry received from `from`. */
static void apply(struct swim *s, const struct swim__entry *e, const uint8_t *from,
                  struct swim_out *out)
{
    bool pushpull = s->cur_type == SWIM__PUSHPULL;
    const struct ix *x = ix_peek(s, e->id);
    if (x && IX_SLOT(x) != 0 && no_news(IX_STATE(x), x->inc, e, pushpull))
        return;
    uint32_t i = lookup(s, e->id);
    /* A converted DEAD (push-pull) is the sender's own judgement. */
    const uint8_t *accuser = e->accuser ? e->accuser : from;
    if (i == 0) {
        struct member *me = &s->m[0];
        if (s->leaving)
            return;
        if (e->state != SWIM_ALIVE && e->inc >= me->inc) {
            refute(s, e->inc);
        } else if (e->inc > me->inc) {  /* stale echo of a past life */
            me->inc = e->inc + 1;
            bc_queue(s, 0, NULL);
        } else if (e->state != SWIM_ALIVE) {
            s->stale_self = 1;  /* the sender missed our refutation */
            if (s->cur_type != SWIM__PING && !me->bc_on)
                bc_queue(s, 0, NULL);   /* and it is still being gossiped */
        }
        return;
    }
    /* Push-pull news is re-gossiped only when it is bad news or the peer's
     * own entry (a joiner): the rest everybody learns on their own. */
    bool relay = !pushpull || e->state != SWIM_ALIVE ||
                 !memcmp(e->id, from, SWIM_ID_BYTES);
    if (i == NIL) {
        if (e->state == SWIM_DEAD || e->state == SWIM_LEFT ||
            !(e->flags & SWIM__E_ADDR))
            return;             /* nothing to learn about a stranger */
        i = slot_new(s, e->id);
        s->m[i].state = SWIM_UNKNOWN;
        s->m[i].addr = e->addr;
        s->m[i].bus = e->bus;
        set_state(s, i, SWIM_ALIVE, e->inc, out);
        if (relay)
            bc_queue(s, i, NULL);
        if (e->state == SWIM_SUSPECT)
            suspect(s, i, e->inc, accuser, false, out);
        return;
    }
    struct member *m = &s->m[i];
    if (no_news(m->state, m->inc, e, pushpull))
        return;
    uint8_t st = e->state;
    if (pushpull && st == SWIM_DEAD && m->state != SWIM_DEAD)
        st = SWIM_SUSPECT;      /* give it a chance to refute */
    if (st == SWIM_ALIVE) {
        if (!swim_addr_equal(&m->addr, &e->addr) ||
            !swim_addr_equal(&m->bus, &e->bus)) {
            m->addr = e->addr;
            m->bus = e->bus;
            if (m->state == SWIM_ALIVE)
                emit(out, SWIM_EV_UPDATE, m, SWIM_ALIVE);
        }
        set_state(s, i, SWIM_ALIVE, e->inc, out);
        if (relay)
            bc_queue(s, i, NULL);
    } else if (st == SWIM_SUSPECT && m->state == SWIM_SUSPECT &&
               e->inc == m->inc) {
        struct susp *p = &s->heap[m->heap_pos];
        if (p->quiet) {         /* others gossip it already: so do we */
            p->quiet = 0;
            p->deadline = p->start + susp_timeout(s, p);
            heap_fix(s, m->heap_pos);
            bc_queue(s, i, NULL);
        }
        if (add_accuser(s, i, accuser))
            bc_queue(s, i, accuser);    /* a confirmation: pass it on */
    } else if (st == SWIM_SUSPECT) {
        suspect(s, i, e->inc, accuser, false, out);
    } else {                            /* DEAD, LEFT */
        set_state(s, i, st, e->inc, out);
        bc_queue(s, i, NULL);
    }
}

static void apply_entries(struct swim *s, struct swim__msg *msg,
                          struct swim_out *out)
{
    /* In batches of 8, prefetching each entry's index bucket first: a
     * push-pull walks the whole table in random order. */
    struct swim__entry e[8];
    for (uint32_t k = 0; k < msg->nentries; k += 8) {
        uint32_t n = msg->nentries - k < 8 ? msg->nentries - k : 8;
        for (uint32_t j = 0; j < n; j++) {
            swim__rentry(&msg->ents, &e[j]);
            __builtin_prefetch(&s->idx[hash_id(s, e[j].id) & s->idx_mask]);
        }
        for (uint32_t j = 0; j < n; j++)
            apply(s, &e[j], msg->sender, out);
    }
}

/* ------------------------------------------------------------- sending */

/* t: the target's slot when known (NIL otherwise), for the buddy system. */
static void send_ping(struct swim *s, uint32_t seq, uint32_t t,
                      const uint8_t *target, const struct swim_addr *to,
                      struct swim_out *out)
{
    size_t st = begin_pkt(s, out, SWIM__PING);
    swim__w32(out, seq);
    swim__wbytes(out, target, SWIM_ID_BYTES);
    swim__waddr(out, &s->m[0].bus);
    wgossip(s, out, st, t != NIL && s->m[t].state == SWIM_SUSPECT ? t : NIL);
    end_pkt(s, out, st, to, SWIM_DGRAM);
}

static void send_ack(struct swim *s, uint8_t type, uint32_t seq,
                     const struct swim_addr *to, struct swim_out *out)
{
    size_t st = begin_pkt(s, out, type);
    swim__w32(out, seq);
    wgossip(s, out, st, s->stale_self ? 0 : NIL);
    end_pkt(s, out, st, to, SWIM_DGRAM);
}

static void send_pushpull(struct swim *s, const struct swim_addr *to,
                          uint8_t flags, struct swim_out *out)
{
    size_t st = begin_pkt(s, out, SWIM__PUSHPULL), at;
    uint32_t n = 0;
    swim__w8(out, flags);
    at = out->len;
    swim__w32(out, 0);
    for (uint32_t i = 0; i < s->nm; i++) {
        if (s->m[i].state == SWIM_UNKNOWN)
            continue;
        if (out->len - st + entry_size(&s->m[i], true) > s->w.max_stream)
            break;
        wentry(s, out, &s->m[i], true);
        n++;
    }
    swim__put_be(out->buf + at, n, 4);
    end_pkt(s, out, st, to, SWIM_STREAM);
}

/* Up to k distinct random members of live[], other than `not`, whose
 * state is in the mask (1 << state). */
static uint32_t pick(struct swim *s, uint32_t k, uint32_t not, uint32_t *res,
                     unsigned mask)
{
    uint32_t n = 0;
    if (s->nlive <= 4 * k + 4) {
        uint32_t cand[64], nc = 0;
        for (uint32_t j = 0; j < s->nlive && nc < 64; j++)
            if (s->live[j] != not && (mask >> s->m[s->live[j]].state & 1))
                cand[nc++] = s->live[j];
        for (; n < k && nc; n++) {
            uint32_t r = rng_below(s, nc);
            res[n] = cand[r];
            cand[r] = cand[--nc];
        }
        return n;
    }
    for (uint32_t tries = 0; n < k && tries < 8 * k; tries++) {
        uint32_t c = s->live[rng_below(s, s->nlive)], j;
        if (c == not || !(mask >> s->m[c].state & 1))
            continue;
        for (j = 0; j < n && res[j] != c; j++)
            ;
        if (j == n)
            res[n++] = c;
    }
    return n;
}

#define ALIVE_ONLY (1u << SWIM_ALIVE)
#define ALIVE_OR_SUSPECT (1u << SWIM_ALIVE | 1u << SWIM_SUSPECT)

/* ------------------------------------------------------------- probing */

static uint64_t period(const struct swim *s)
{
    return (uint64_t)s->cfg.probe_interval_ms * (s->lhm + 1);
}

static void reap_and_reshuffle(struct swim *s)
{
    for (uint32_t i = 1; i < s->nm; i++) {
        struct member *m = &s->m[i];
        if ((m->state == SWIM_DEAD || m->state == SWIM_LEFT) && !m->bc_on &&
            s->now - m->since >= s->cfg.dead_reap_ms) {
            if (m->state == SWIM_DEAD)
                list_del(s, s->dead, &s->ndead, m->dead_pos, false);
            idx_del(s, i);
            m->state = SWIM_UNKNOWN;
            s->free_slots[s->nfree++] = i;
        }
    }
    memset(s->dead_bloom, 0, sizeof s->dead_bloom);
    for (uint32_t j = 0; j < s->ndead; j++)
        bloom_add(s, hash_id(s, s->m[s->dead[j]].id));
    memcpy(s->order, s->live, s->nlive * sizeof *s->order);
    s->norder = s->nlive;
    for (uint32_t i = s->norder; i > 1; i--) {
        uint32_t j = rng_below(s, i), t = s->order[i - 1];
        s->order[i - 1] = s->order[j];
        s->order[j] = t;
    }
    s->cursor = 0;
}

static uint32_t next_target(struct swim *s)
{
    uint32_t n = s->probe_next;
    s->probe_next = NIL;
    if (n != NIL && n < s->nm &&
        !memcmp(s->m[n].id, s->probe_next_id, SWIM_ID_BYTES) &&
        (s->m[n].state == SWIM_ALIVE || s->m[n].state == SWIM_SUSPECT))
        return n;
    for (int pass = 0; pass < 2; pass++) {
        while (s->cursor < s->norder) {
            uint32_t i = s->order[s->cursor++];
            if (s->m[i].state == SWIM_ALIVE || s->m[i].state == SWIM_SUSPECT)
                return i;
        }
        reap_and_reshuffle(s);
    }
    return NIL;
}

static void start_probe(struct swim *s, struct swim_out *out)
{
    struct probe *p = &s->probe;
    s->next_probe = s->now + period(s);
    uint32_t t = next_target(s);
    if (t == NIL)
        return;
    memset(p, 0, sizeof *p);
    p->active = 1;
    p->slot = t;
    p->seq = ++s->seq;
    memcpy(p->id, s->m[t].id, SWIM_ID_BYTES);
    uint64_t to = (uint64_t)s->cfg.probe_timeout_ms * (s->lhm + 1);
    p->t_retry = s->now + to;
    p->t_indirect = s->now + to * 3 / 2;
    p->t_end = s->next_probe;
    s->st.probes++;
    send_ping(s, p->seq, t, p->id, &s->m[t].bus, out);
}

static void send_ping_reqs(struct swim *s, struct swim_out *out)
{
    struct probe *p = &s->probe;
    uint32_t h[SWIM_K_MAX * 2];
    uint32_t k = s->cfg.indirect_checks;
    p->indirect_sent = 1;
    if (memcmp(s->m[p->slot].id, p->id, SWIM_ID_BYTES))
        return;
    /* Helpers: alive members, topped up with suspects (most suspicions are
     * false, and without a helper a probe that fails accuses at once). */
    uint32_t n = pick(s, k, p->slot, h, ALIVE_ONLY);
    n += pick(s, k - n, p->slot, h + n, 1u << SWIM_SUSPECT);
    p->helpers = (uint8_t)n;
    for (uint32_t j = 0; j < p->helpers; j++) {
        size_t st = begin_pkt(s, out, SWIM__PING_REQ);
        swim__w32(out, p->seq);
        swim__wbytes(out, p->id, SWIM_ID_BYTES);
        swim__waddr(out, &s->m[p->slot].bus);
        swim__waddr(out, &s->m[0].bus);
        wgossip(s, out, st, NIL);
        end_pkt(s, out, st, &s->m[h[j]].bus, SWIM_DGRAM);
        s->st.indirect_probes++;
    }
}

static void finish_probe(struct swim *s, struct swim_out *out)
{
    struct probe *p = &s->probe;
    p->active = 0;
    if (p->acked) {
        if (s->lhm)
            s->lhm--;
        return;
    }
    s->st.probe_failures++;
    if (p->nacks < p->helpers && s->lhm < s->cfg.awareness_max)
        s->lhm++;               /* missing NACKs: maybe it is us */
    struct member *m = &s->m[p->slot];
    if (memcmp(m->id, p->id, SWIM_ID_BYTES))
        return;
    if (p->helpers && !p->nacks)
        return;                 /* nobody answered at all: accuse nobody */
    if (m->state == SWIM_ALIVE)
        suspect(s, p->slot, m->inc, s->m[0].id, true, out);
    else if (m->state == SWIM_SUSPECT && add_accuser(s, p->slot, s->m[0].id))
        bc_queue(s, p->slot, s->m[0].id);
}

static void probe_tick(struct swim *s, struct swim_out *out)
{
    struct probe *p = &s->probe;
    if (p->active && !p->acked && !p->retried && s->now >= p->t_retry) {
        /* One lost packet should not cost 12 indirect ones: try the direct
         * path again first (memberlist's TCP fallback ping plays this
         * part), and ask helpers only if that goes unanswered too. */
        p->retried = 1;
        if (!memcmp(s->m[p->slot].id, p->id, SWIM_ID_BYTES))
            send_ping(s, p->seq, p->slot, p->id, &s->m[p->slot].bus, out);
    }
    if (p->active && !p->acked && !p->indirect_sent &&
        s->now >= p->t_indirect)
        send_ping_reqs(s, out);
    if (p->active && s->now >= p->t_end)
        finish_probe(s, out);
    if (!p->active && !s->leaving && s->now >= s->next_probe)
        start_probe(s, out);
}

static void relays_tick(struct swim *s, struct swim_out *out)
{
    for (int k = 0; k < RELAYS && s->nrelays; k++) {
        struct relay *r = &s->relays[k];
        if (!r->nack_at || s->now < r->nack_at)
            continue;
        r->nack_at = 0;
        s->nrelays--;
        send_ack(s, SWIM__NACK, r->origin_seq, &r->origin, out);
        uint32_t t = lookup(s, r->target);
        if (t != NIL) {         /* see for ourselves next period */
            s->probe_next = t;
            memcpy(s->probe_next_id, r->target, SWIM_ID_BYTES);
        }
    }
}

static void on_ping_req(struct swim *s, const struct swim__msg *m,
                        struct swim_out *out)
{
    if (!memcmp(m->target, s->m[0].id, SWIM_ID_BYTES)) {
        send_ack(s, SWIM__ACK, m->seq, &m->reply, out);
        return;
    }
    struct relay *r = &s->relays[0];  /* a free slot, else the oldest */
    for (int k = 0; k < RELAYS && r->nack_at; k++)
        if (!s->relays[k].nack_at || s->relays[k].nack_at < r->nack_at)
            r = &s->relays[k];
    s->nrelays += !r->nack_at;
    r->seq = ++s->seq;
    r->origin_seq = m->seq;
    r->origin = m->reply;
    memcpy(r->target, m->target, SWIM_ID_BYTES);
    r->nack_at = s->now + s->cfg.probe_timeout_ms * 4 / 5;  /* > 0 */
    send_ping(s, r->seq, lookup(s, m->target), m->target, &m->addr, out);
}

static void on_ack(struct swim *s, uint32_t seq, const uint8_t *sender,
                   struct swim_out *out)
{
    struct probe *p = &s->probe;
    if (p->active && seq == p->seq) {
        p->acked = 1;
        return;
    }
    uint32_t x = lookup(s, sender);
    if (x != NIL && s->m[x].state == SWIM_SUSPECT &&
        s->heap[s->m[x].heap_pos].quiet &&
        s->heap[s->m[x].heap_pos].qseq == seq) {
        /* It answered the private check: withdraw the suspicion, which
         * nobody else heard of. */
        set_state(s, x, SWIM_ALIVE, s->m[x].inc, out);
        return;
    }
    for (int k = 0; k < RELAYS; k++) {
        struct relay *r = &s->relays[k];
        if (r->nack_at && r->seq == seq) {
            send_ack(s, SWIM__ACK, r->origin_seq, &r->origin, out);
            r->nack_at = 0;
            s->nrelays--;
            return;
        }
    }
}

/* ------------------------------------------------------------ periodic */

static void gossip_round(struct swim *s, struct swim_out *out)
{
    uint32_t t[16];
    uint32_t k = s->cfg.gossip_nodes < 16 ? s->cfg.gossip_nodes : 16;
    uint32_t n = pick(s, k, NIL, t, ALIVE_OR_SUSPECT);
    for (uint32_t j = 0; j < n && s->bc_count; j++) {
        size_t st = begin_pkt(s, out, SWIM__GOSSIP);
        wgossip(s, out, st, NIL);
        end_pkt(s, out, st, &s->m[t[j]].bus, SWIM_DGRAM);
        s->st.gossip_msgs++;
    }
}

/* A member that just joined greets every member it learned of, in two
 * passes 10 gossip intervals apart, so that its arrival does not hang on
 * one gossip broadcast reaching all: two datagrams per member per join,
 * paced INTRO_BATCH per gossip interval. */
static void introduce(struct swim *s, struct swim_out *out)
{
    if (s->now < s->intro_at)
        return;
    for (uint32_t n = 0; n < INTRO_BATCH && s->intro < s->nlive; n++) {
        size_t st = begin_pkt(s, out, SWIM__GOSSIP);
        wgossip(s, out, st, 0);
        end_pkt(s, out, st, &s->m[s->live[s->intro++]].bus, SWIM_DGRAM);
        s->st.gossip_msgs++;
    }
    if (s->intro < s->nlive && !s->leaving)
        return;
    s->intro = ++s->intro_pass < 2 && !s->leaving ? 0 : NIL;
    s->intro_at = s->now + 10 * (uint64_t)s->cfg.gossip_interval_ms;
}

static uint64_t pp_interval(const struct swim *s)
{
    uint64_t a = s->cfg.pushpull_interval_ms;
    uint64_t b = (uint64_t)s->cfg.pushpull_ms_per_member * (s->nlive + 1);
    return a > b ? a : b;
}

static uint64_t jittered(struct swim *s, uint64_t base)
{
    return s->cfg.jitter ? base / 2 + rng_below(s, (uint32_t)base + 1) : base;
}

static void start(struct swim *s)
{
    s->started = 1;
    uint64_t pi = s->cfg.probe_interval_ms;
    s->next_probe = s->now + (s->cfg.jitter ? rng_below(s, (uint32_t)pi) : pi);
    s->next_gossip = s->now + s->cfg.gossip_interval_ms;
    s->next_pp = s->now + jittered(s, pp_interval(s));
    s->next_reconnect = s->now + jittered(s, s->cfg.reconnect_interval_ms);
    s->next_join = s->now + 4 * pi;
}

static void advance(uint64_t *t, uint64_t now, uint64_t step)
{
    if (*t <= now)
        *t += ((now - *t) / step + 1) * step;
}

uint64_t swim_tick(struct swim *s, uint64_t now, struct swim_out *out)
{
    if (now > s->now)
        s->now = now;
    if (!s->started)
        start(s);
    while (s->nheap && s->heap[0].deadline <= s->now) {
        struct susp *p = &s->heap[0];
        uint32_t i = p->slot;
        struct member *m = &s->m[i];
        if (p->quiet == 2) {    /* no ACK yet: PING it again */
            uint32_t seq = p->qseq;
            p->quiet = 1;
            p->deadline = s->now + (s->cfg.probe_timeout_ms + 1) / 2;
            heap_fix(s, 0);
            send_ping(s, seq, NIL, m->id, &m->bus, out);
            continue;
        }
        if (p->quiet) {         /* still no ACK: now gossip it */
            p->quiet = 0;
            p->deadline = p->start + susp_timeout(s, p);
            heap_fix(s, 0);
            bc_queue(s, i, NULL);
            continue;
        }
        if (p->nacc - 1u < (p->kneed ? p->kneed : 1u) && p->chances < 3 &&
            !s->leaving) {
            /* Not confirmed by enough others: maybe we just missed the
             * refutation. PING it with the suspicion (buddy system); a live
             * member answers with its newer incarnation. */
            p->chances++;
            p->deadline = s->now + s->cfg.probe_timeout_ms;
            heap_fix(s, 0);
            send_ping(s, ++s->seq, i, m->id, &m->bus, out);
            continue;
        }
        set_state(s, i, SWIM_DEAD, s->m[i].inc, out);
        bc_queue(s, i, NULL);
        s->st.deaths++;
    }
    relays_tick(s, out);
    probe_tick(s, out);
    if (s->now >= s->next_gossip) {
        if (s->bc_count)
            gossip_round(s, out);
        if (s->intro != NIL)
            introduce(s, out);
        advance(&s->next_gossip, s->now, s->cfg.gossip_interval_ms);
    }
    if (s->now >= s->next_pp) {
        uint32_t p;
        if (!s->leaving && pick(s, 1, NIL, &p, ALIVE_ONLY))
            send_pushpull(s, &s->m[p].bus, SWIM__PP_REPLY, out);
        s->next_pp = s->now + jittered(s, pp_interval(s));
    }
    if (s->now >= s->next_reconnect) {
        if (s->ndead && !s->leaving) {
            uint32_t d = s->dead[rng_below(s, s->ndead)];
            send_ping(s, ++s->seq, NIL, s->m[d].id, &s->m[d].bus, out);
            s->st.reconnects++;
        }
        s->next_reconnect = s->now + jittered(s, s->cfg.reconnect_interval_ms);
    }
    if (s->joining && s->now >= s->next_join) {
        send_pushpull(s, &s->join_addr, SWIM__PP_REPLY | SWIM__PP_JOIN, out);
        s->next_join = s->now + 4 * (uint64_t)s->cfg.probe_interval_ms;
    }
    return swim_next_deadline(s);
}

static void min_of(uint64_t *a, uint64_t b)
{
    if (b < *a)
        *a = b;
}

uint64_t swim_next_deadline(const struct swim *s)
{
    if (!s->started)
        return 0;
    uint64_t d = s->next_pp;
    const struct probe *p = &s->probe;
    if (!s->leaving)
        min_of(&d, s->next_probe);
    if (p->active && !p->acked && !p->retried)
        min_of(&d, p->t_retry);
    if (p->active && !p->acked && !p->indirect_sent)
        min_of(&d, p->t_indirect);
    if (p->active)
        min_of(&d, p->t_end);
    if (s->nheap)
        min_of(&d, s->heap[0].deadline);
    if (s->bc_count || s->intro != NIL)
        min_of(&d, s->next_gossip);
    if (s->ndead)
        min_of(&d, s->next_reconnect);
    if (s->joining)
        min_of(&d, s->next_join);
    for (int k = 0; k < RELAYS && s->nrelays; k++)
        if (s->relays[k].nack_at)
            min_of(&d, s->relays[k].nack_at);
    return d;
}

/* ------------------------------------------------------------ receiving */

int swim_on_message(struct swim *s, uint64_t now, const uint8_t *bytes,
                    size_t len, struct swim_out *out)
{
    struct swim__msg m;
    int r = swim__decode(&s->w, bytes, len, &m);
    uint64_t *drops[] = { NULL, &s->st.drop_truncated, &s->st.drop_oversized,
                          &s->st.drop_foreign, &s->st.drop_version,
                          &s->st.drop_checksum, &s->st.drop_malformed,
                          &s->st.drop_self };
    if (r) {
        (*drops[r])++;
        return -r;
    }
    if (m.type == SWIM__PING && memcmp(m.target, s->w.self_id, SWIM_ID_BYTES)) {
        s->st.drop_misdirected++;
        return -SWIM_DROP_MISDIRECTED;
    }
    if (now > s->now)
        s->now = now;
    if (!s->started)
        start(s);
    s->st.recv_msgs++;
    s->st.recv_bytes += len;
    if (!s->leaving && s->now - s->last_resync >= s->cfg.probe_interval_ms &&
        held_dead(s, m.sender)) {
        /* A member we buried is talking: show it our view so it refutes. */
        s->last_resync = s->now;
        s->st.resyncs++;
        send_pushpull(s, &s->m[lookup(s, m.sender)].bus, SWIM__PP_REPLY, out);
    }
    uint32_t snd, inc_before = s->m[0].inc;
    s->stale_self = 0;
    s->cur_type = m.type;
    apply_entries(s, &m, out);
    switch (m.type) {
    case SWIM__PING:
        send_ack(s, SWIM__ACK, m.seq, &m.reply, out);
        break;
    case SWIM__ACK:
        on_ack(s, m.seq, m.sender, out);
        break;
    case SWIM__NACK:
        if (s->probe.active && m.seq == s->probe.seq)
            s->probe.nacks++;
        break;
    case SWIM__PING_REQ:
        on_ping_req(s, &m, out);
        break;
    case SWIM__PUSHPULL:
        if (s->joining) {       /* joined: introduce ourselves (above) */
            s->intro = s->intro_pass = 0;
            s->intro_at = s->now;
        }
        s->joining = 0;
        snd = lookup(s, m.sender);
        if (snd != NIL && (m.flags & SWIM__PP_REPLY))
            send_pushpull(s, &s->m[snd].bus, 0, out);
        break;
    }
    if (m.type != SWIM__PING && !(m.flags & SWIM__PP_REPLY) &&
        (s->stale_self || s->m[0].inc != inc_before) &&
        (snd = lookup(s, m.sender)) != NIL) {
        /* It thinks we are suspect or dead: tell it first-hand. */
        size_t st = begin_pkt(s, out, SWIM__GOSSIP);
        wgossip(s, out, st, 0);
        end_pkt(s, out, st, &s->m[snd].bus, SWIM_DGRAM);
    }
    s->stale_self = 0;
    return 0;
}

/* ------------------------------------------------------------ lifecycle */

void swim_config_default(struct swim_config *c, uint32_t node_timeout_ms)
{
    uint32_t t = node_timeout_ms ? node_timeout_ms : 15000;
    uint32_t pi = t / 30 < 50 ? 50 : t / 30;
    memset(c, 0, sizeof *c);
    c->node_timeout_ms = t;
    c->probe_interval_ms = pi;
    c->probe_timeout_ms = pi * 2 / 5;
    c->indirect_checks = 3;
    c->gossip_interval_ms = pi * 2 / 5;
    c->gossip_nodes = 3;
    c->retransmit_mult = 4;
    c->suspicion_k = 3;
    c->suspicion_min_ms = pi;
    c->suspicion_max_ms = t;
    c->pushpull_interval_ms = 2 * t;
    c->pushpull_ms_per_member = 150;
    c->reconnect_interval_ms = 2 * t;
    c->dead_reap_ms = 3600 * 1000;
    c->awareness_max = 8;
    c->max_packet = 1400;
    c->max_stream = 64u << 20;
    c->cluster_tag = 0;
    c->jitter = true;
}

struct swim *swim_new(const struct swim_config *cfg,
                      const struct swim_node *self, uint64_t rng_seed)
{
    uint8_t id[SWIM_ID_BYTES];
    if (id_parse(id, self->id) || !self->bus.family ||
        (self->bus.family != 4 && self->bus.family != 6) ||
        cfg->probe_timeout_ms < 2 ||
        cfg->probe_timeout_ms >= cfg->probe_interval_ms ||
        !cfg->gossip_interval_ms || cfg->suspicion_k > SWIM_K_MAX ||
        cfg->indirect_checks > 2 * SWIM_K_MAX || cfg->max_packet < 256 ||
        cfg->max_packet > 65507 || cfg->max_stream < cfg->max_packet)
        return NULL;
    struct swim *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->cfg = *cfg;
    s->w.max_packet = cfg->max_packet;
    s->w.max_stream = cfg->max_stream;
    s->w.cluster_tag = cfg->cluster_tag;
    memcpy(s->w.self_id, id, SWIM_ID_BYTES);
    s->self_node = *self;
    id_format(s->self_node.id, id);
    s->rng = rng_seed;
    s->hseed = rng_next(s);
    s->seq = (uint32_t)rng_next(s);
    s->idx_mask = 63;
    s->idx = calloc(64, sizeof *s->idx);
    if (!s->idx)
        abort();
    for (int b = 0; b < BUCKETS; b++)
        s->bc_head[b] = s->bc_tail[b] = NIL;
    s->probe_next = s->intro = NIL;
    uint32_t me = slot_new(s, id);
    s->m[me].addr = self->addr.family ? self->addr : self->bus;
    s->m[me].bus = self->bus;
    s->m[me].inc = 0;
    swim__crc_init();
    return s;
}

void swim_free(struct swim **sp)
{
    struct swim *s = *sp;
    if (!s)
        return;
    void *arrays[] = { s->m, s->idx, s->live, s->dead, s->heap, s->order,
                       s->free_slots, s };
    for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++)
        free(arrays[k]);
    *sp = NULL;
}

int swim_join(struct swim *s, const struct swim_addr *seed,
              struct swim_out *out)
{
    if (!seed || (seed->family != 4 && seed->family != 6))
        return -EINVAL;
    s->join_addr = *seed;
    s->joining = 1;
    s->next_join = s->now + 4 * (uint64_t)s->cfg.probe_interval_ms;
    bc_queue(s, 0, NULL);
    send_pushpull(s, seed, SWIM__PP_REPLY | SWIM__PP_JOIN, out);
    return 0;
}

void swim_leave(struct swim *s, struct swim_out *out)
{
    if (s->leaving)
        return;
    s->leaving = 1;
    s->joining = 0;
    s->probe.active = 0;
    s->m[0].state = SWIM_LEFT;
    s->m[0].since = s->now;
    bc_queue(s, 0, NULL);
    gossip_round(s, out);
}

/* ---------------------------------------------------------------- views */

const struct swim_stats *swim_stats(const struct swim *s) { return &s->st; }
const struct swim_node *swim_self(const struct swim *s) { return &s->self_node; }
uint32_t swim_incarnation(const struct swim *s) { return s->m[0].inc; }
uint32_t swim_health(const struct swim *s) { return s->lhm; }

size_t swim_member_count(const struct swim *s)
{
    return s->nlive + (s->leaving ? 0 : 1);
}

enum swim_state swim_state_of(const struct swim *s, const char *id)
{
    uint8_t raw[SWIM_ID_BYTES];
    if (!id || id_parse(raw, id))
        return SWIM_UNKNOWN;
    uint32_t i = lookup(s, raw);
    return i == NIL ? SWIM_UNKNOWN : (enum swim_state)s->m[i].state;
}

static void info(const struct member *m, struct swim_member_info *o)
{
    id_format(o->node.id, m->id);
    o->node.addr = m->addr;
    o->node.bus = m->bus;
    o->state = m->state;
    o->incarnation = m->inc;
}

size_t swim_members(const struct swim *s, struct swim_member_info *arr,
                    size_t cap)
{
    size_t n = 0;
    if (!s->leaving && n < cap)
        info(&s->m[0], &arr[n]);
    n += !s->leaving;
    for (uint32_t j = 0; j < s->nlive; j++, n++)
        if (n < cap)
            info(&s->m[s->live[j]], &arr[n]);
    return n;
}
