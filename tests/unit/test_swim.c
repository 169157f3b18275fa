/*
 * test_swim: small clusters driven through the pure API over a fake
 * network, with exact timing assertions.
 *
 * The fake network delivers every datagram and stream 10 ms after it is
 * sent unless the link is cut or the receiver is down; time advances to the
 * next delivery or member deadline (deliveries first, then members' timers
 * in index order). The test config turns jitter off, so every member
 * started at t=0 probes at 1000, 2000, ... and gossips on a 200 ms grid;
 * suspicion min 2000 ms, max 8000 ms, k = 3, probe timeout 400 ms: an
 * unanswered PING is sent again at +400 and PING_REQs go out at +600; a
 * helper NACKs 4/5 of the timeout, 320 ms, after the PING_REQ arrives.
 */
#include "swim.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 6
#define DELAY 10
#define HDR_OFF_ENTRY 41        /* push-pull: header 36, flags 1, count 4 */

struct pkt {
    uint64_t at;
    int from, to;
    uint8_t *data;
    uint32_t len;
};

struct evrec {
    uint64_t at;
    int node;
    uint8_t type;
    char id[SWIM_ID_LEN + 1];
    uint32_t inc;
};

struct sent {
    uint64_t at;
    int from, to;
    uint8_t type, kind;
};

static struct {
    int n;
    struct swim *s[MAXN];
    struct swim_node self[MAXN];
    bool up[MAXN], cut[MAXN][MAXN];
    uint64_t now;
    struct pkt q[8192];
    int nq;
    struct evrec ev[8192];
    int nev;
    struct sent log[65536];
    int nlog;
    struct swim_out out;
} N;

static struct swim_config tcfg(void)
{
    struct swim_config c;
    swim_config_default(&c, 15000);
    c.jitter = false;
    c.probe_interval_ms = 1000;
    c.probe_timeout_ms = 400;
    c.gossip_interval_ms = 200;
    c.suspicion_min_ms = 2000;
    c.suspicion_max_ms = 8000;
    c.suspicion_k = 3;
    c.pushpull_interval_ms = 60000;
    c.reconnect_interval_ms = 60000;
    return c;
}

static int port_node(const struct swim_addr *a)
{
    int i = a->port - 17000;
    return i >= 0 && i < N.n ? i : -1;
}

static void drain(int i)
{
    for (size_t k = 0; k < N.out.npkts; k++) {
        const struct swim_packet *p = &N.out.pkts[k];
        int to = port_node(&p->to);
        const uint8_t *b = N.out.buf + p->off;
        cr_assert(N.nlog < 65536);
        N.log[N.nlog++] = (struct sent){ N.now, i, to, b[3], p->kind };
        if (to < 0 || N.cut[i][to])
            continue;
        cr_assert(N.nq < 8192);
        struct pkt *q = &N.q[N.nq++];
        q->at = N.now + DELAY;
        q->from = i;
        q->to = to;
        q->len = p->len;
        q->data = malloc(p->len);
        memcpy(q->data, b, p->len);
    }
    for (size_t k = 0; k < N.out.nevents; k++) {
        const struct swim_event *e = &N.out.events[k];
        struct evrec *r = &N.ev[N.nev++];
        r->at = N.now;
        r->node = i;
        r->type = e->type;
        r->inc = e->incarnation;
        memcpy(r->id, e->node.id, sizeof r->id);
    }
    swim_out_clear(&N.out);
}

static void net_init(int n, struct swim_config cfg)
{
    memset(&N, 0, sizeof N);
    N.n = n;
    swim_out_init(&N.out);
    for (int i = 0; i < MAXN; i++) {
        struct swim_node *sn = &N.self[i];
        memset(sn->id, 'a' + i, SWIM_ID_LEN);
        sn->id[SWIM_ID_LEN] = '\0';
        char a[32];
        snprintf(a, sizeof a, "127.0.0.1:%d", 7000 + i);
        cr_assert_eq(swim_addr_parse(&sn->addr, a), 0);
        snprintf(a, sizeof a, "127.0.0.1:%d", 17000 + i);
        cr_assert_eq(swim_addr_parse(&sn->bus, a), 0);
        if (i >= n)
            continue;
        N.s[i] = swim_new(&cfg, sn, 1000 + (uint64_t)i);
        cr_assert_not_null(N.s[i]);
        N.up[i] = true;
        swim_tick(N.s[i], 0, &N.out);
        drain(i);
    }
}

static void net_free(void)
{
    for (int i = 0; i < N.n; i++)
        swim_free(&N.s[i]);
    for (int k = 0; k < N.nq; k++)
        free(N.q[k].data);
    swim_out_free(&N.out);
}

/* Every member but 0 joins through member 0 at t=0. */
static void join_all(void)
{
    for (int i = 1; i < N.n; i++) {
        swim_join(N.s[i], &N.self[0].bus, &N.out);
        drain(i);
    }
}

static uint64_t next_time(void)
{
    uint64_t t = UINT64_MAX;
    for (int k = 0; k < N.nq; k++)
        if (N.q[k].at < t)
            t = N.q[k].at;
    for (int i = 0; i < N.n; i++) {
        if (!N.up[i])
            continue;
        uint64_t d = swim_next_deadline(N.s[i]);
        if (d < t)
            t = d;
    }
    return t < N.now ? N.now : t;
}

static void run_until(uint64_t end)
{
    for (uint64_t t; (t = next_time()) <= end;) {
        N.now = t;
        for (int k = 0; k < N.nq;) {      /* FIFO among equal times */
            if (N.q[k].at != t) {
                k++;
                continue;
            }
            struct pkt p = N.q[k];
            memmove(&N.q[k], &N.q[k + 1], (size_t)(N.nq - k - 1) * sizeof p);
            N.nq--;
            if (N.up[p.to]) {
                swim_on_message(N.s[p.to], t, p.data, p.len, &N.out);
                drain(p.to);
            }
            free(p.data);
        }
        for (int i = 0; i < N.n; i++) {
            if (N.up[i] && swim_next_deadline(N.s[i]) <= t) {
                swim_tick(N.s[i], t, &N.out);
                drain(i);
            }
        }
    }
    N.now = end;
}

static void cut_node(int x, bool on)
{
    for (int i = 0; i < N.n; i++)
        N.cut[i][x] = N.cut[x][i] = on && i != x;
}

/* Time of the first event of `type` about member `about` seen by `node`
 * (-1: any node) at or after `after`; UINT64_MAX when none. */
static uint64_t ev_at(int node, uint8_t type, int about, uint64_t after)
{
    for (int k = 0; k < N.nev; k++) {
        const struct evrec *e = &N.ev[k];
        if ((node < 0 || e->node == node) && e->type == type &&
            e->at >= after && !strcmp(e->id, N.self[about].id))
            return e->at;
    }
    return UINT64_MAX;
}

/* Time of the first packet of wire type `type` from -> to (-1: any) at or
 * after `after`; UINT64_MAX when none. Wire types: 1 PING, 2 ACK, 3 NACK,
 * 4 PING_REQ, 5 GOSSIP, 6 PUSH_PULL. */
static uint64_t sent_at(int from, int to, uint8_t type, uint64_t after,
                        int *who)
{
    for (int k = 0; k < N.nlog; k++) {
        const struct sent *s = &N.log[k];
        if ((from < 0 || s->from == from) && (to < 0 || s->to == to) &&
            s->type == type && s->at >= after) {
            if (who)
                *who = s->from;
            return s->at;
        }
    }
    return UINT64_MAX;
}

static int count_sent(int from, int to, uint8_t type, uint64_t a, uint64_t b)
{
    int n = 0;
    for (int k = 0; k < N.nlog; k++) {
        const struct sent *s = &N.log[k];
        n += s->from == from && s->to == to && s->type == type &&
             s->at >= a && s->at < b;
    }
    return n;
}

static void dump(void)
{
    if (!getenv("SWIM_TEST_DUMP"))
        return;
    for (int k = 0; k < N.nev; k++)
        fprintf(stderr, "ev %llu node %d type %d about %.4s inc %u\n",
                (unsigned long long)N.ev[k].at, N.ev[k].node, N.ev[k].type,
                N.ev[k].id, N.ev[k].inc);
    for (int k = 0; k < N.nlog; k++)
        fprintf(stderr, "pk %llu %d -> %d type %d\n",
                (unsigned long long)N.log[k].at, N.log[k].from, N.log[k].to,
                N.log[k].type);
}

/* ------------------------------------------------------------- scenarios */

Test(swim_join, three_members_learn_each_other_at_exact_times)
{
    net_init(3, tcfg());
    join_all();
    run_until(1000);
    /* B's and C's join push-pulls reach A after one delay. */
    cr_assert_eq(ev_at(0, SWIM_EV_JOIN, 1, 0), 10);
    cr_assert_eq(ev_at(0, SWIM_EV_JOIN, 2, 0), 10);
    /* A's replies come back one delay later; C's reply already lists B. */
    cr_assert_eq(ev_at(1, SWIM_EV_JOIN, 0, 0), 20);
    cr_assert_eq(ev_at(2, SWIM_EV_JOIN, 0, 0), 20);
    cr_assert_eq(ev_at(2, SWIM_EV_JOIN, 1, 0), 20);
    /* B hears of C from the first gossip round, at 200, plus one delay. */
    cr_assert_eq(ev_at(1, SWIM_EV_JOIN, 2, 0), 210);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(swim_member_count(N.s[i]), 3);
    cr_assert_eq(swim_state_of(N.s[1], N.self[2].id), SWIM_ALIVE);
    net_free();
}

Test(swim_join, retries_until_the_seed_answers)
{
    net_init(2, tcfg());
    N.cut[1][0] = true;
    join_all();
    run_until(3000);
    cr_assert_eq(swim_member_count(N.s[1]), 1);
    N.cut[1][0] = false;
    run_until(6000);
    /* Retry every 4 periods: at 4000, answered at 4020. */
    cr_assert_eq(sent_at(1, 0, 6, 1, NULL), 4000);
    cr_assert_eq(ev_at(1, SWIM_EV_JOIN, 0, 0), 4020);
    cr_assert_eq(swim_member_count(N.s[1]), 2);
    net_free();
}

Test(swim_join, joiner_introduces_itself_to_every_member_it_learned_of)
{
    struct swim_config c = tcfg();
    c.gossip_nodes = 0;         /* no gossip rounds: only the introduction */
    c.retransmit_mult = 1;      /* (and one piggybacked copy) can tell B, C */
    net_init(4, c);
    for (int i = 1; i <= 2; i++) {
        swim_join(N.s[i], &N.self[0].bus, &N.out);
        drain(i);
    }
    run_until(3000);
    swim_join(N.s[3], &N.self[0].bus, &N.out);
    drain(3);
    run_until(3500);
    cr_assert_eq(ev_at(0, SWIM_EV_JOIN, 3, 0), 3010);
    cr_assert_eq(ev_at(3, SWIM_EV_JOIN, 1, 0), 3020);
    /* D's next gossip tick (3200) greets A, B and C. */
    for (int i = 0; i < 3; i++)
        cr_assert_eq(sent_at(3, i, 5, 3000, NULL), 3200);
    cr_assert_eq(ev_at(1, SWIM_EV_JOIN, 3, 0), 3210);
    cr_assert_eq(ev_at(2, SWIM_EV_JOIN, 3, 0), 3210);
    cr_assert_eq(count_sent(3, 0, 5, 3201, 3500), 0);
    run_until(8000);            /* and once more, 10 gossip intervals on */
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(sent_at(3, i, 5, 3201, NULL), 5200);
        cr_assert_eq(count_sent(3, i, 5, 5201, 8000), 0);
    }
    net_free();
}

Test(swim_probe, each_period_pings_and_is_acked_without_indirect_probes)
{
    net_init(2, tcfg());
    join_all();
    run_until(3500);
    cr_assert_eq(sent_at(0, 1, 1, 0, NULL), 1000);
    cr_assert_eq(sent_at(0, 1, 1, 1001, NULL), 2000);
    cr_assert_eq(sent_at(0, 1, 1, 2001, NULL), 3000);
    cr_assert_eq(sent_at(1, 0, 2, 1000, NULL), 1010);  /* the ACK */
    cr_assert_eq(swim_stats(N.s[0])->probes, 3);
    cr_assert_eq(swim_stats(N.s[0])->probe_failures, 0);
    cr_assert_eq(sent_at(-1, -1, 4, 0, NULL), UINT64_MAX);
    cr_assert_eq(swim_health(N.s[0]), 0);
    net_free();
}

Test(swim_probe, indirect_probe_relays_the_ack_around_a_broken_link)
{
    net_init(3, tcfg());
    join_all();
    run_until(500);
    N.cut[0][2] = N.cut[2][0] = true;
    run_until(12000);
    uint64_t t = sent_at(0, 2, 1, 1000, NULL);
    cr_assert_lt(t, 12000);
    /* No ACK by the timeout: PING again; still none half a timeout later:
     * PING_REQ. (Windows start after B's and C's own probes at t.) */
    cr_assert_eq(sent_at(0, 2, 1, t + 1, NULL), t + 400);  /* retry */
    cr_assert_eq(sent_at(0, 1, 4, t, NULL), t + 600);    /* PING_REQ to B */
    cr_assert_eq(sent_at(1, 2, 1, t + 1, NULL), t + 610); /* B pings C */
    cr_assert_eq(sent_at(2, 1, 2, t + 11, NULL), t + 620); /* C acks B */
    cr_assert_eq(sent_at(1, 0, 2, t + 11, NULL), t + 630); /* B relays */
    cr_assert_eq(ev_at(-1, SWIM_EV_SUSPECT, 2, 0), UINT64_MAX);
    cr_assert_eq(ev_at(-1, SWIM_EV_SUSPECT, 0, 0), UINT64_MAX);
    cr_assert_gt(swim_stats(N.s[0])->indirect_probes, 0);
    cr_assert_eq(swim_stats(N.s[0])->probe_failures, 0);
    net_free();
}

Test(swim_suspect, crashed_member_is_suspected_then_dead_after_min_timeout)
{
    net_init(3, tcfg());
    join_all();
    run_until(500);
    N.up[2] = false;
    run_until(20000);
    int p;
    uint64_t t = sent_at(-1, 2, 1, 500, &p);
    cr_assert_lt(t, 20000);
    /* PING at t, again at t+400, PING_REQ at t+600, the helper's NACK 320
     * ms after it got it, suspect when the period ends. */
    cr_assert_eq(sent_at(p, 2, 1, t + 1, NULL), t + 400);
    cr_assert_eq(sent_at(p, 1 - p, 4, t, NULL), t + 600);
    cr_assert_eq(sent_at(1 - p, p, 3, t, NULL), t + 930);
    cr_assert_eq(ev_at(-1, SWIM_EV_SUSPECT, 2, 0), t + 1000);
    cr_assert_eq(ev_at(p, SWIM_EV_SUSPECT, 2, 0), t + 1000);
    /* The helper that had to NACK probes C itself next period: its failed
     * probe confirms the suspicion (k capped at 1 with 3 members), which
     * brings the timeout down to the 2000 ms minimum. */
    cr_assert_eq(sent_at(1 - p, 2, 1, t + 1, NULL), t + 610); /* relay */
    cr_assert_eq(sent_at(1 - p, 2, 1, t + 611, NULL), t + 1000);
    cr_assert_eq(ev_at(p, SWIM_EV_DEAD, 2, 0), t + 3000);
    cr_assert_leq(ev_at(1 - p, SWIM_EV_DEAD, 2, 0), t + 3010);
    cr_assert_eq(swim_member_count(N.s[0]), 2);
    cr_assert_eq(swim_member_count(N.s[1]), 2);
    /* Dead members are not probed any more (once the probe that was under
     * way at t+3000, and its indirect part, are over). */
    uint64_t d = t + 4000;
    cr_assert_eq(count_sent(0, 2, 1, d + 1, 20000) +
                 count_sent(1, 2, 1, d + 1, 20000), 0);
    net_free();
}

Test(swim_suspect, suspect_refutes_by_raising_its_incarnation)
{
    net_init(3, tcfg());
    join_all();
    run_until(500);
    cut_node(2, true);
    run_until(30000);           /* find when C became suspect */
    uint64_t s = ev_at(-1, SWIM_EV_SUSPECT, 2, 0);
    cr_assert_lt(s, 30000);
    net_free();

    /* Replay the same run, healing 500 ms after the suspicion. */
    net_init(3, tcfg());
    join_all();
    run_until(500);
    cut_node(2, true);
    run_until(s + 500);
    cr_assert_eq(ev_at(-1, SWIM_EV_SUSPECT, 2, 0), s);
    cut_node(2, false);
    run_until(s + 20000);
    /* The first packet to reach C after the heal carries the suspicion
     * (it was gossiped: C did not answer its accuser's PING in time); C
     * refutes at incarnation 1 and gossips it, so both others see it alive
     * one round trip after that packet left. */
    uint64_t t = UINT64_MAX;
    for (int k = 0; k < N.nlog && t == UINT64_MAX; k++)
        if (N.log[k].to == 2 && N.log[k].at >= s + 500)
            t = N.log[k].at;
    cr_assert_lt(t, s + 20000);
    cr_assert_eq(ev_at(0, SWIM_EV_ALIVE, 2, 0), t + 20);
    cr_assert_eq(ev_at(1, SWIM_EV_ALIVE, 2, 0), t + 20);
    cr_assert_eq(swim_incarnation(N.s[2]), 1);
    cr_assert_eq(ev_at(-1, SWIM_EV_DEAD, 2, 0), UINT64_MAX);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(swim_state_of(N.s[i], N.self[2].id), SWIM_ALIVE);
    cr_assert_geq(swim_stats(N.s[2])->refutes, 1);
    net_free();
}

Test(swim_suspect, suspicion_is_checked_privately_before_it_is_gossiped)
{
    net_init(3, tcfg());        /* find when C is first probed, cut off */
    join_all();
    run_until(500);
    cut_node(2, true);
    run_until(30000);
    int p;
    uint64_t t = sent_at(-1, 2, 1, 500, &p);
    cr_assert_lt(t, 30000);
    net_free();

    net_init(3, tcfg());        /* same run, healed just before the verdict */
    join_all();
    run_until(500);
    cut_node(2, true);
    run_until(t + 999);
    cut_node(2, false);
    run_until(t + 6000);
    /* The prober suspects C at the end of the period and PINGs it once more
     * at once; C's ACK withdraws the suspicion. Nothing was gossiped, so
     * nobody else heard of it and C had nothing to refute. */
    cr_assert_eq(ev_at(p, SWIM_EV_SUSPECT, 2, 0), t + 1000);
    cr_assert_eq(sent_at(p, 2, 1, t + 1000, NULL), t + 1000);
    cr_assert_eq(ev_at(p, SWIM_EV_ALIVE, 2, 0), t + 1020);
    cr_assert_eq(swim_incarnation(N.s[2]), 0);
    for (int q = 0; q < 2; q++)         /* nobody heard it second-hand */
        if (sent_at(q, 2, 1, t, NULL) != t)
            cr_assert_eq(ev_at(q, SWIM_EV_SUSPECT, 2, 0), UINT64_MAX);
    cr_assert_eq(ev_at(-1, SWIM_EV_DEAD, 2, 0), UINT64_MAX);
    net_free();
}

/* One member fed hand-made packets: exact Lifeguard suspicion timeouts. */

struct pk {
    uint8_t b[2048];
    size_t n;
};

static void pk_u8(struct pk *p, uint8_t v) { p->b[p->n++] = v; }

static void pk_u32(struct pk *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        pk_u8(p, (uint8_t)(v >> (8 * i)));
}

static void pk_id(struct pk *p, int node)
{
    for (int i = 0; i < 20; i++)
        pk_u8(p, (uint8_t)(0x11 * (0xa + node)));  /* "aaaa.." etc. */
}

static void pk_addr(struct pk *p, uint16_t port)
{
    pk_u8(p, 4);
    pk_u8(p, 127); pk_u8(p, 0); pk_u8(p, 0); pk_u8(p, 1);
    pk_u8(p, (uint8_t)(port >> 8));
    pk_u8(p, (uint8_t)port);
}

static void pk_begin(struct pk *p, uint8_t type, int sender)
{
    p->n = 0;
    pk_u8(p, 'R'); pk_u8(p, 'C'); pk_u8(p, 1); pk_u8(p, type);
    pk_u32(p, 0);               /* length, set by pk_end */
    pk_u32(p, 0);               /* checksum */
    pk_u32(p, 0);               /* cluster tag */
    pk_id(p, sender);
}

static void pk_alive(struct pk *p, int node, uint32_t inc)
{
    pk_u8(p, SWIM_ALIVE | 0x10);
    pk_u32(p, inc);
    pk_id(p, node);
    pk_addr(p, (uint16_t)(7000 + node));
    pk_u8(p, 0);                /* bus: same ip */
    pk_u8(p, (uint8_t)((17000 + node) >> 8));
    pk_u8(p, (uint8_t)(17000 + node));
}

static void pk_suspect(struct pk *p, int node, uint32_t inc, int accuser)
{
    pk_u8(p, SWIM_SUSPECT | 0x20);
    pk_u32(p, inc);
    pk_id(p, node);
    pk_id(p, accuser);
}

static void pk_end(struct pk *p)
{
    for (int i = 0; i < 4; i++)
        p->b[4 + i] = (uint8_t)(p->n >> (8 * (3 - i)));
    swim_wire_seal(p->b, p->n);
}

/* Member 0 alone, told by a push-pull from B that B..E exist. */
static void lone_member(void)
{
    net_init(1, tcfg());
    N.n = 5;                    /* addresses of B..E resolve (to no one) */
    struct pk p;
    pk_begin(&p, 6, 1);
    pk_u8(&p, 0);               /* no reply wanted */
    pk_u32(&p, 4);
    for (int i = 1; i <= 4; i++)
        pk_alive(&p, i, 0);
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], 100, p.b, p.n, &N.out), 0);
    drain(0);
    cr_assert_eq(swim_member_count(N.s[0]), 5);
}

static void accuse(uint64_t at, int accuser)
{
    run_until(at);
    struct pk p;
    pk_begin(&p, 5, accuser);
    pk_u8(&p, 1);
    pk_suspect(&p, 2, 0, accuser);
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], at, p.b, p.n, &N.out), 0);
    drain(0);
}

static uint64_t dead_at(void)
{
    run_until(30000);
    dump();
    return ev_at(0, SWIM_EV_DEAD, 2, 0);
}

Test(swim_lifeguard, unconfirmed_suspicion_waits_the_max_timeout)
{
    lone_member();
    accuse(5000, 1);
    accuse(6000, 1);            /* the same accuser again counts once */
    cr_assert_eq(ev_at(0, SWIM_EV_SUSPECT, 2, 0), 5000);
    /* Max timeout at 13000; unconfirmed, so first three last-chance PINGs
     * (a live member would refute in its ACK), probe_timeout apart. */
    cr_assert_eq(dead_at(), 13000 + 3 * 400);
    cr_assert_eq(sent_at(0, 2, 1, 13000, NULL), 13000);
    cr_assert_eq(sent_at(0, 2, 1, 13001, NULL), 13400);
    cr_assert_eq(sent_at(0, 2, 1, 13401, NULL), 13800);
    /* Nobody answers member 0's own probes, but nobody NACKs either, so it
     * blames itself (health rises) and accuses no one. */
    cr_assert_gt(swim_health(N.s[0]), 0);
    cr_assert_eq(ev_at(0, SWIM_EV_SUSPECT, 1, 0), UINT64_MAX);
    net_free();
}

Test(swim_lifeguard, each_confirmation_shrinks_the_timeout_on_a_log_scale)
{
    /* max - (max - min) * log(c + 1) / log(k + 1), k = 3:
     * c=1: 8000 - 6000 * 0.5 = 5000; c=2: 8000 - 6000 * 0.792 = 3245;
     * then, short of k confirmations, 3 last-chance PINGs 400 ms apart. */
    lone_member();
    accuse(5000, 1);
    accuse(6000, 3);
    cr_assert_eq(dead_at(), 10000 + 1200);
    cr_assert_eq(sent_at(0, 2, 1, 10000, NULL), 10000);
    net_free();

    lone_member();
    accuse(5000, 1);
    accuse(6000, 3);
    accuse(7000, 4);
    cr_assert_eq(dead_at(), 8245 + 1200);
    net_free();

    lone_member();              /* k confirmations: the min, 2000, at once */
    accuse(5000, 1);
    accuse(5100, 3);
    accuse(5200, 4);
    accuse(5300, 0 + 5);        /* a 5th id, unknown: still an accuser */
    cr_assert_eq(dead_at(), 7000);
    cr_assert_eq(count_sent(0, 2, 1, 6999, 7001), 0);
    net_free();
}

/* Every member swim_members lists is found by swim_state_of in the same
 * state (the fuzzer's view-consistency check). */
static void assert_views_agree(const struct swim *s)
{
    struct swim_member_info arr[16];
    size_t n = swim_members(s, arr, 16);
    cr_assert_eq(n, swim_member_count(s));
    for (size_t i = 0; i < n && i < 16; i++)
        cr_assert_eq(swim_state_of(s, arr[i].node.id), arr[i].state,
                     "member %s", arr[i].node.id);
}

/* Regression (fuzz input tests/fuzz/known/swim-check-views-c78937ec): the
 * index hashed only the first 16 of an id's 20 bytes and took a matching
 * hash for a matching id, so gossip about a stranger whose id shares its
 * first 16 bytes with a known member's overwrote that member's index
 * bucket: the known member vanished from swim_state_of while still listed
 * by swim_members. Two ids that differ anywhere are two members. */
Test(swim_wire, ids_sharing_a_prefix_are_distinct_members)
{
    lone_member();
    const char *twin = "dddddddddddddddddddddddddddddddd01010101";
    struct pk p;
    pk_begin(&p, 5, 1);         /* GOSSIP from B: the twin of D is alive */
    pk_u8(&p, 1);
    pk_u8(&p, SWIM_ALIVE | 0x10);
    pk_u32(&p, 7);
    for (int i = 0; i < 20; i++)
        pk_u8(&p, i < 16 ? 0xdd : 0x01);
    pk_addr(&p, 7009);
    pk_u8(&p, 0);
    pk_u8(&p, (uint8_t)(17009 >> 8));
    pk_u8(&p, (uint8_t)17009);
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], 200, p.b, p.n, &N.out), 0);
    drain(0);
    cr_assert_eq(swim_state_of(N.s[0], N.self[3].id), SWIM_ALIVE);
    cr_assert_eq(swim_state_of(N.s[0], twin), SWIM_ALIVE);
    cr_assert_eq(swim_member_count(N.s[0]), 6);
    assert_views_agree(N.s[0]);
    /* News about the twin leaves D alone, and D's stays D's. */
    pk_begin(&p, 5, 1);
    pk_u8(&p, 2);
    pk_u8(&p, SWIM_DEAD);
    pk_u32(&p, 7);
    for (int i = 0; i < 20; i++)
        pk_u8(&p, i < 16 ? 0xdd : 0x01);
    pk_suspect(&p, 3, 0, 1);
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], 300, p.b, p.n, &N.out), 0);
    drain(0);
    cr_assert_eq(swim_state_of(N.s[0], twin), SWIM_DEAD);
    cr_assert_eq(swim_state_of(N.s[0], N.self[3].id), SWIM_SUSPECT);
    cr_assert_eq(swim_member_count(N.s[0]), 5);
    assert_views_agree(N.s[0]);
    net_free();
}

Test(swim_suspect, member_that_missed_the_refutation_is_corrected_not_fooled)
{
    net_init(3, tcfg());
    join_all();
    run_until(3000);
    /* A (0) hears nothing from B or C for a while... */
    N.cut[1][0] = N.cut[2][0] = true;
    /* ...when a suspicion of C, made by B, reaches A and C. C refutes
     * (incarnation 1) but A cannot hear it. */
    struct pk p;
    pk_begin(&p, 5, 1);
    pk_u8(&p, 1);
    pk_suspect(&p, 2, 0, 1);
    pk_end(&p);
    N.now = 3000;
    for (int i = 0; i <= 2; i += 2) {
        cr_assert_eq(swim_on_message(N.s[i], 3000, p.b, p.n, &N.out), 0);
        drain(i);
    }
    cr_assert_eq(swim_incarnation(N.s[2]), 1);
    run_until(10000);
    cr_assert_eq(swim_state_of(N.s[0], N.self[2].id), SWIM_SUSPECT);
    /* A's own probes failed with no NACK: it accused nobody. */
    cr_assert_eq(ev_at(0, SWIM_EV_SUSPECT, 1, 0), UINT64_MAX);
    N.cut[1][0] = N.cut[2][0] = false;
    run_until(30000);
    /* A's next PING to C carries the stale suspicion; C answers with its
     * newer incarnation first in the ACK. */
    uint64_t t = sent_at(0, 2, 1, 10001, NULL);
    cr_assert_leq(t, 3000 + 8000);  /* by the last-chance PING at the latest */
    cr_assert_eq(ev_at(0, SWIM_EV_ALIVE, 2, 0), t + 20);
    cr_assert_eq(ev_at(-1, SWIM_EV_DEAD, 2, 0), UINT64_MAX);
    cr_assert_eq(swim_state_of(N.s[0], N.self[2].id), SWIM_ALIVE);
    net_free();
}

Test(swim_leave, leaver_is_gone_one_delay_later)
{
    net_init(3, tcfg());
    join_all();
    run_until(2500);
    swim_leave(N.s[1], &N.out);
    drain(1);
    run_until(8000);
    cr_assert_eq(ev_at(0, SWIM_EV_LEAVE, 1, 0), 2510);
    cr_assert_eq(ev_at(2, SWIM_EV_LEAVE, 1, 0), 2510);
    cr_assert_eq(swim_member_count(N.s[0]), 2);
    cr_assert_eq(swim_member_count(N.s[1]), 2);  /* it no longer counts itself */
    cr_assert_eq(count_sent(0, 1, 1, 2511, 8000) + count_sent(2, 1, 1, 2511, 8000), 0);
    cr_assert_eq(count_sent(1, 0, 1, 2500, 8000) + count_sent(1, 2, 1, 2500, 8000), 0);
    cr_assert_eq(ev_at(-1, SWIM_EV_DEAD, 1, 0), UINT64_MAX);
    net_free();
}

Test(swim_partition, both_sides_bury_the_other_and_reconnect_after_heal)
{
    struct swim_config c = tcfg();
    c.reconnect_interval_ms = 3000;
    net_init(4, c);
    join_all();
    run_until(1500);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            N.cut[i][j] = (i < 2) != (j < 2);
    run_until(20000);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            enum swim_state want = (i < 2) == (j < 2) ? SWIM_ALIVE : SWIM_DEAD;
            if (i != j)
                cr_assert_eq(swim_state_of(N.s[i], N.self[j].id), want,
                             "%d's view of %d", i, j);
        }
        cr_assert_eq(swim_member_count(N.s[i]), 2);
    }
    cr_assert_eq(ev_at(-1, SWIM_EV_SUSPECT, 0, 0) < 20000, true);
    memset(N.cut, 0, sizeof N.cut);
    run_until(40000);
    /* Reconnect: every 3000 ms each member PINGs a random dead one; the
     * first after the heal (t=21000) is answered, and the answerer, seeing
     * a member it buried talk, sends it its state at once. */
    uint64_t t = UINT64_MAX, r = UINT64_MAX;
    for (int k = 0; k < N.nlog; k++) {
        const struct sent *x = &N.log[k];
        bool cross = (x->from < 2) != (x->to < 2);
        if (cross && x->at > 20000 && x->type == 1 && t == UINT64_MAX)
            t = x->at;
        if (cross && x->at > 20000 && x->type == 6 && r == UINT64_MAX)
            r = x->at;
    }
    cr_assert_eq(t, 21000);
    cr_assert_eq(r, t + 10);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(swim_member_count(N.s[i]), 4, "member %d", i);
        for (int j = 0; j < 4; j++)
            if (i != j)
                cr_assert_eq(swim_state_of(N.s[i], N.self[j].id), SWIM_ALIVE);
    }
    net_free();
}

Test(swim_wire, restarted_process_at_same_address_does_not_answer_for_old_id)
{
    net_init(2, tcfg());
    struct pk p;
    pk_begin(&p, 1, 1);
    pk_u32(&p, 77);             /* seq */
    pk_id(&p, 3);               /* target: not member 0 */
    pk_addr(&p, 17001);
    pk_u8(&p, 0);               /* no gossip */
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], 5, p.b, p.n, &N.out),
                 -SWIM_DROP_MISDIRECTED);
    cr_assert_eq(N.out.npkts, 0);
    /* The same PING naming member 0 is answered. */
    pk_begin(&p, 1, 1);
    pk_u32(&p, 77);
    pk_id(&p, 0);
    pk_addr(&p, 17001);
    pk_u8(&p, 0);
    pk_end(&p);
    cr_assert_eq(swim_on_message(N.s[0], 5, p.b, p.n, &N.out), 0);
    cr_assert_eq(N.out.npkts, 1);
    cr_assert_eq(N.out.buf[N.out.pkts[0].off + 3], 2);  /* ACK */
    cr_assert_eq(N.out.pkts[0].to.port, 17001);
    net_free();
}

/* A real packet from member 1 to member 0, mutated every way. */
Test(swim_wire, malformed_truncated_oversized_foreign_packets_are_counted_and_dropped)
{
    struct swim_config c = tcfg();
    c.max_stream = 4096;
    net_init(2, c);
    struct swim *a = N.s[0];
    swim_join(N.s[1], &N.self[0].bus, &N.out);      /* a push-pull */
    cr_assert_geq(N.out.npkts, 1);
    uint8_t good[512];
    size_t len = N.out.pkts[0].len;
    cr_assert_lt(len, sizeof good);
    memcpy(good, N.out.buf + N.out.pkts[0].off, len);
    swim_out_clear(&N.out);
    const struct swim_stats *st = swim_stats(a);
    uint8_t b[8192];

    for (size_t n = 0; n < len; n++) {              /* every truncation */
        memcpy(b, good, n);
        cr_assert_eq(swim_on_message(a, 1, b, n, &N.out), -SWIM_DROP_TRUNCATED);
    }
    cr_assert_eq(st->drop_truncated, len);
    for (size_t i = 0; i < len; i++) {              /* every byte flipped */
        memcpy(b, good, len);
        b[i] ^= 0x40;
        cr_assert_lt(swim_on_message(a, 1, b, len, &N.out), 0, "byte %zu", i);
    }
    cr_assert_geq(st->drop_checksum, len - 16);
    memcpy(b, good, len);
    b[0] = 'X';
    cr_assert_eq(swim_on_message(a, 1, b, len, &N.out), -SWIM_DROP_FOREIGN);
    memcpy(b, good, len);
    b[12] = 9;                                      /* another cluster */
    swim_wire_seal(b, len);
    cr_assert_eq(swim_on_message(a, 1, b, len, &N.out), -SWIM_DROP_FOREIGN);
    memcpy(b, good, len);
    b[2] = 2;                                       /* version 2 */
    swim_wire_seal(b, len);
    cr_assert_eq(swim_on_message(a, 1, b, len, &N.out), -SWIM_DROP_VERSION);
    memcpy(b, good, len);                           /* trailing garbage */
    b[len] = 0;
    b[7] = (uint8_t)(len + 1);
    swim_wire_seal(b, len + 1);
    cr_assert_eq(swim_on_message(a, 1, b, len + 1, &N.out), -SWIM_DROP_MALFORMED);
    cr_assert_eq(swim_on_message(a, 1, b, len, &N.out), -SWIM_DROP_TRUNCATED);
    memcpy(b, good, len);                           /* bad entry state */
    b[HDR_OFF_ENTRY] = 0x17;
    swim_wire_seal(b, len);
    cr_assert_eq(swim_on_message(a, 1, b, len, &N.out), -SWIM_DROP_MALFORMED);
    memset(b, 0, sizeof b);                         /* oversized stream */
    memcpy(b, good, len);
    b[4] = 0; b[5] = 0; b[6] = 0x13; b[7] = 0x88;   /* 5000 bytes */
    swim_wire_seal(b, 5000);
    cr_assert_eq(swim_on_message(a, 1, b, 5000, &N.out), -SWIM_DROP_OVERSIZED);
    struct pk p;                                    /* oversized datagram */
    pk_begin(&p, 5, 1);
    pk_u8(&p, 0);
    p.n = 1401;
    pk_end(&p);
    cr_assert_eq(swim_on_message(a, 1, p.b, p.n, &N.out), -SWIM_DROP_OVERSIZED);
    pk_begin(&p, 5, 1);                             /* alive without addr */
    pk_u8(&p, 1);
    pk_u8(&p, SWIM_ALIVE);
    pk_u32(&p, 0);
    pk_id(&p, 1);
    pk_end(&p);
    cr_assert_eq(swim_on_message(a, 1, p.b, p.n, &N.out), -SWIM_DROP_MALFORMED);
    pk_begin(&p, 6, 1);                             /* push-pull w/o sender */
    pk_u8(&p, 1);
    pk_u32(&p, 1);
    pk_alive(&p, 3, 0);
    pk_end(&p);
    cr_assert_eq(swim_on_message(a, 1, p.b, p.n, &N.out), -SWIM_DROP_MALFORMED);
    pk_begin(&p, 5, 0);                             /* our own echo */
    pk_u8(&p, 0);
    pk_end(&p);
    cr_assert_eq(swim_on_message(a, 1, p.b, p.n, &N.out), -SWIM_DROP_SELF);
    pk_begin(&p, 9, 1);                             /* unknown type */
    pk_u8(&p, 0);
    pk_end(&p);
    cr_assert_eq(swim_on_message(a, 1, p.b, p.n, &N.out), -SWIM_DROP_MALFORMED);

    /* Nothing got in: no member, no event, no reply. */
    cr_assert_eq(swim_member_count(a), 1);
    cr_assert_eq(N.out.nevents, 0);
    cr_assert_eq(N.out.npkts, 0);
    cr_assert_eq(st->recv_msgs, 0);
    cr_assert_eq(st->drop_foreign, 2 + 2);          /* flips of "RC" too */
    cr_assert_eq(st->drop_version, 1 + 1);
    cr_assert_eq(st->drop_oversized, 2);
    cr_assert_eq(st->drop_self, 1);
    /* And the original still works. */
    cr_assert_eq(swim_on_message(a, 1, good, len, &N.out), 0);
    cr_assert_eq(swim_member_count(a), 2);
    net_free();
}

Test(swim_wire, checksum_is_crc32c_of_the_packet_without_its_checksum_field)
{
    uint8_t b[40];
    for (int i = 0; i < 40; i++)
        b[i] = (uint8_t)i;
    /* Reference value computed bit by bit (poly 0x82f63b78, reflected). */
    cr_assert_eq(swim_wire_seal(b, sizeof b), 0x77838b0eu);
    cr_assert_eq(b[8], 0x77);
    cr_assert_eq(b[11], 0x0e);
}

Test(swim_addr, parse_and_format_round_trip)
{
    struct swim_addr a, b;
    char buf[64];
    cr_assert_eq(swim_addr_parse(&a, "10.1.2.3:6379"), 0);
    cr_assert_eq(a.family, 4);
    cr_assert_eq(a.port, 6379);
    cr_assert_eq(swim_addr_format(&a, buf, sizeof buf), 13);
    cr_assert_str_eq(buf, "10.1.2.3:6379");
    cr_assert_eq(swim_addr_parse(&b, "[::1]:16379"), 0);
    cr_assert_eq(b.family, 6);
    cr_assert_eq(b.ip[15], 1);
    swim_addr_format(&b, buf, sizeof buf);
    cr_assert_str_eq(buf, "[::1]:16379");
    cr_assert_not(swim_addr_equal(&a, &b));
    cr_assert_eq(swim_addr_parse(&a, "10.1.2.3"), -EINVAL);
    cr_assert_eq(swim_addr_parse(&a, "10.1.2.3:70000"), -EINVAL);
    cr_assert_eq(swim_addr_parse(&a, "nohost:1"), -EINVAL);
    cr_assert_eq(swim_addr_format(&b, buf, 5), -ENOSPC);
}

Test(swim_new, rejects_bad_ids_and_configs)
{
    struct swim_config c = tcfg();
    struct swim_node n;
    memset(n.id, 'g', SWIM_ID_LEN);             /* not hex */
    n.id[SWIM_ID_LEN] = '\0';
    swim_addr_parse(&n.bus, "127.0.0.1:1");
    n.addr = n.bus;
    cr_assert_null(swim_new(&c, &n, 1));
    memset(n.id, 'A', SWIM_ID_LEN);             /* upper case is fine */
    struct swim *s = swim_new(&c, &n, 1);
    cr_assert_not_null(s);
    cr_assert_eq(swim_self(s)->id[0], 'a');
    swim_free(&s);
    cr_assert_null(s);
    c.probe_timeout_ms = c.probe_interval_ms;
    cr_assert_null(swim_new(&c, &n, 1));
}
