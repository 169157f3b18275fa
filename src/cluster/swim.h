/*
 * swim: cluster membership by SWIM with the Lifeguard refinements. Pure.
 *
 * Core idea. Every member probes one other member per protocol period (a
 * shuffled round-robin order, so every member is probed by every other
 * within N periods). A probe is a PING answered by an ACK. Without an ACK
 * by the probe timeout the PING is sent once more; still nothing half a
 * timeout later, and k other members are asked to PING the target on the
 * prober's behalf (PING_REQ): they relay the ACK, or answer NACK when they
 * could not reach it either. A target that answered nobody by the end of
 * the period becomes SUSPECT; the suspect refutes by raising its own
 * incarnation; a suspicion not refuted in time becomes DEAD. Membership
 * changes ride on every packet (piggybacked gossip) and on small GOSSIP
 * packets sent while news is pending, each change
 * retransmit_mult * ceil(log10(N+1)) times; a periodic full-state PUSH_PULL
 * with one random member (a "stream" record: TCP in the server) heals what
 * gossip missed, and a joining member gets everything in one PUSH_PULL and
 * then greets every member once.
 *
 * Lifeguard (Dadgar, Phillips, Currey 2018):
 *  - local health: a member whose probes fail without the NACKs it asked for
 *    concludes that it is the one in trouble: its health score rises, which
 *    stretches its probe period and timeout (score+1 times), and a probe that
 *    failed without a single NACK accuses nobody;
 *  - suspicion timeouts start at suspicion_max and shrink (log scale) toward
 *    suspicion_min as independent accusers confirm the suspicion;
 *  - buddy system: a PING to a suspect carries the suspicion, so the suspect
 *    hears it at once and refutes in its ACK.
 * Rules of ours on top: our own suspicion is first checked in private (two
 * more PINGs; an ACK withdraws it) and gossiped only if both go unanswered
 * within a probe timeout, so mistaken suspicions under loss cost no
 * broadcast and change nobody's incarnation; a member that had to NACK a
 * target probes it
 * itself next period (a real crash collects independent confirmations
 * within about a period); a member hearing a suspicion of itself older than its
 * incarnation answers with its current one; a suspicion short of
 * confirmations gets three last-chance PINGs before it turns DEAD (a member
 * that missed a refutation is corrected instead of fooled); members held
 * DEAD are PINGed now and then, and one that answers is sent our state, so
 * both sides of a healed partition refute and merge.
 *
 * Pure: the module never opens a socket, reads a clock, sleeps or calls a
 * global random function. Time comes in as now_ms; randomness from a PRNG
 * seeded by swim_new; every call appends outgoing (destination, bytes)
 * records and membership events to a caller-owned struct swim_out, which
 * the caller drains (sends, applies) and clears.
 *
 * Cost. Member lookup is a hash map; the probe order, the suspicion timers
 * (an indexed heap) and the broadcast queue (buckets by transmit count) cost
 * O(1) or O(log N) per message; a push-pull costs O(N) every
 * max(pushpull_interval, N * pushpull_ms_per_member), so the load per member
 * per second stays constant as N grows.
 *
 * Wire format (version 1, big-endian), every packet:
 *
 *   0      2     3      4          8          12          16             36
 *   +------+-----+------+----------+----------+-----------+--------------+
 *   | "RC" | ver | type | length   | crc32c   | cluster   | sender id    |
 *   +------+-----+------+----------+----------+-----------+--------------+
 *   length = whole packet; crc32c over the packet with bytes 8..11 skipped.
 *
 *   PING      seq u32, target id[20], reply-to addr, gossip
 *   ACK, NACK seq u32, gossip
 *   PING_REQ  seq u32, target id[20], target addr, reply-to addr, gossip
 *   GOSSIP    gossip
 *   PUSH_PULL flags u8 (1 reply wanted, 2 join), count u32, entries
 *   gossip  = count u8, entries
 *   entry   = state u8 (low 4 bits; 0x10 addresses follow, 0x20 accuser
 *             follows), incarnation u32, id[20], [addr, bus addr], [accuser]
 *   addr    = family u8 (4|6), ip[4|16], port u16; a bus addr may use
 *             family 0 (= the client address's ip) followed by the port.
 * A datagram larger than max_packet, a stream larger than max_stream, a
 * wrong magic or cluster tag, another version, a bad checksum, a truncated
 * or malformed body: counted in swim_stats and dropped before any state
 * changes. A PING naming another id (a restarted process reusing the
 * address) is never answered.
 *
 * Defaults (swim_config_default, from cluster-node-timeout T, 15000 ms by
 * default), chosen from the simulator's figures (docs/cluster.md has the
 * tables and the commands):
 *   probe_interval  T/30 = 500 ms. Detection time is dominated by the wait
 *                   for the first probe of the crashed member: each member
 *                   is probed by a Poisson(1) number of members per period,
 *                   so that wait is ~4.6 periods at p99. 500 ms gives a
 *                   detection p99 of 3.5 s at N=1000 and 1% loss (target
 *                   6 s) for 4.5 messages per member-second (target 5);
 *                   memberlist's timing measures 22.7 s there.
 *   probe_timeout   2/5 of the period = 200 ms (retry at 200, PING_REQ at
 *                   300, helpers NACK 160 ms later, verdict at 500).
 *   indirect_checks 3, as SWIM and memberlist.
 *   gossip          every 2/5 period (200 ms) to 3 members while news is
 *                   pending; retransmit_mult 4 (memberlist's): 16 sends per
 *                   change at N=1000, so a member misses a broadcast with
 *                   odds ~e^-16.
 *   suspicion       k = 3 confirmations; min = T/30 * max(1, log10 N)
 *                   (1.5 s at N=1000), max = T: an unconfirmed suspicion of
 *                   a live member gets a whole node timeout to be refuted
 *                   (no false dead at N=1000, 5% loss, over an hour).
 *   push-pull       every max(2T, N * 150 ms) (150 s at N=1000): the full
 *                   state is ~36 bytes per member each way, so this stays
 *                   near 0.5 KB per member-second at any N.
 *   reconnect       2T: how often a member PINGs one member it holds DEAD.
 */
#ifndef RC_SWIM_H
#define RC_SWIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWIM_ID_LEN 40          /* node id: 40 hex characters */
#define SWIM_ID_BYTES 20
#define SWIM_K_MAX 8            /* largest suspicion_k accepted */
#define SWIM_NEVER UINT64_MAX   /* "no deadline" */

struct swim;

/* An IPv4 or IPv6 endpoint. family 0 means unset. */
struct swim_addr {
    uint8_t family;             /* 4 or 6 */
    uint8_t ip[16];             /* network order; IPv4 uses ip[0..3] */
    uint16_t port;              /* host order */
};

/* A member's identity: random id, client address, cluster bus address. */
struct swim_node {
    char id[SWIM_ID_LEN + 1];   /* lowercase hex, NUL-terminated */
    struct swim_addr addr;      /* where clients connect (ip:port) */
    struct swim_addr bus;       /* where SWIM packets go */
};

enum swim_state {
    SWIM_UNKNOWN = 0, SWIM_ALIVE = 1, SWIM_SUSPECT = 2, SWIM_DEAD = 3,
    SWIM_LEFT = 4,
};

struct swim_config {
    uint32_t node_timeout_ms;       /* cluster-node-timeout */
    uint32_t probe_interval_ms;     /* protocol period */
    uint32_t probe_timeout_ms;      /* direct ACK wait; < probe_interval */
    uint32_t indirect_checks;       /* k members asked to PING_REQ */
    uint32_t gossip_interval_ms;    /* GOSSIP rounds while news is pending */
    uint32_t gossip_nodes;          /* members per GOSSIP round */
    uint32_t retransmit_mult;       /* sends per change: mult*ceil(log10(N+1)) */
    uint32_t suspicion_k;           /* confirmations for the min timeout */
    uint32_t suspicion_min_ms;      /* scaled by max(1, log10 N) */
    uint32_t suspicion_max_ms;      /* timeout with no confirmation */
    uint32_t pushpull_interval_ms;  /* at least this between push-pulls */
    uint32_t pushpull_ms_per_member;/* ... and at least N times this */
    uint32_t reconnect_interval_ms; /* PING a random dead member (heals) */
    uint32_t dead_reap_ms;          /* forget dead/left members after */
    uint32_t awareness_max;         /* local health score cap */
    uint32_t max_packet;            /* datagram size limit, bytes */
    uint32_t max_stream;            /* push-pull size limit, bytes */
    uint32_t cluster_tag;           /* packets with another tag are foreign */
    bool jitter;                    /* randomize first timers (false: tests) */
};

/* Output records. kind SWIM_DGRAM goes over UDP to to; SWIM_STREAM is a
 * push-pull sent over TCP (reliable, may exceed max_packet). */
enum swim_kind { SWIM_DGRAM = 0, SWIM_STREAM = 1 };

struct swim_packet {
    struct swim_addr to;        /* destination bus address */
    uint8_t kind;               /* enum swim_kind */
    uint32_t off, len;          /* bytes are out->buf[off .. off+len) */
};

enum swim_event_type {
    SWIM_EV_JOIN,       /* a member this node did not know is alive */
    SWIM_EV_ALIVE,      /* a suspect refuted, or a dead member came back */
    SWIM_EV_SUSPECT,
    SWIM_EV_DEAD,
    SWIM_EV_LEAVE,      /* the member left voluntarily */
    SWIM_EV_UPDATE,     /* an alive member's addresses changed */
};

struct swim_event {
    uint8_t type;               /* enum swim_event_type */
    uint8_t state, prev;        /* new and previous enum swim_state */
    uint32_t incarnation;
    struct swim_node node;
};

/* Caller-owned collector. Calls append; the caller reads pkts/events and
 * calls swim_out_clear. Invariant: every pkts[i] lies inside buf[0..len). */
struct swim_out {
    struct swim_packet *pkts;
    size_t npkts, cap_pkts;
    uint8_t *buf;
    size_t len, cap;
    struct swim_event *events;
    size_t nevents, cap_events;
};

struct swim_stats {
    uint64_t sent_msgs, sent_bytes;         /* datagrams */
    uint64_t sent_streams, sent_stream_bytes;
    uint64_t recv_msgs, recv_bytes;         /* accepted, both kinds */
    uint64_t drop_truncated, drop_oversized, drop_foreign, drop_version;
    uint64_t drop_checksum, drop_malformed, drop_self, drop_misdirected;
    uint64_t probes, probe_failures, indirect_probes, suspicions;
    uint64_t refutes, deaths, gossip_msgs, reconnects, resyncs;
};

/* Reasons swim_on_message returns (negated) when it drops a packet. */
enum swim_drop {
    SWIM_DROP_TRUNCATED = 1, SWIM_DROP_OVERSIZED, SWIM_DROP_FOREIGN,
    SWIM_DROP_VERSION, SWIM_DROP_CHECKSUM, SWIM_DROP_MALFORMED,
    SWIM_DROP_SELF, SWIM_DROP_MISDIRECTED,
};

struct swim_member_info {
    struct swim_node node;
    uint8_t state;              /* enum swim_state */
    uint32_t incarnation;
};

/* Fills c with the defaults derived from node_timeout_ms (0 means 15000);
 * see the table above. */
void swim_config_default(struct swim_config *c, uint32_t node_timeout_ms);

/* A new member that knows only itself. cfg and self are copied; self->id
 * must be 40 hex characters and self->bus set. Returns NULL when they are
 * invalid (or cfg is out of range). Never fails otherwise. */
struct swim *swim_new(const struct swim_config *cfg,
                      const struct swim_node *self, uint64_t rng_seed);
/* Frees *s (may be NULL) and sets it to NULL. */
void swim_free(struct swim **s);

/* Runs every timer due at now_ms (probes, indirect probes, suspicion
 * timeouts, gossip, push-pull, reconnect, join retries), appending to out.
 * now_ms never needs to be exact: calling late just runs late. Returns the
 * next deadline (as swim_next_deadline). O(work due + log N). */
uint64_t swim_tick(struct swim *s, uint64_t now_ms, struct swim_out *out);

/* Earliest time swim_tick has something to do; may be <= now (call now).
 * Recompute after every call into the module. */
uint64_t swim_next_deadline(const struct swim *s);

/* Handles one received datagram or stream message. bytes are borrowed for
 * the call. Returns 0, or -enum swim_drop when the packet was dropped (it
 * changed nothing but the counters). O(entries * log N). */
int swim_on_message(struct swim *s, uint64_t now_ms, const uint8_t *bytes,
                    size_t len, struct swim_out *out);

/* Sends this member's state to seed (a bus address) as a join push-pull and
 * retries every 4 probe periods until some member answers. Returns 0, or
 * -EINVAL when seed is unset. */
int swim_join(struct swim *s, const struct swim_addr *seed,
              struct swim_out *out);

/* Announces a voluntary leave (gossip sent at once, then while pending);
 * the member stops probing. Keep calling swim_tick for a second or so to
 * let the news spread. */
void swim_leave(struct swim *s, struct swim_out *out);

/* Views. Borrowed, valid until the next call that mutates s. */
const struct swim_stats *swim_stats(const struct swim *s);
const struct swim_node *swim_self(const struct swim *s);
uint32_t swim_incarnation(const struct swim *s);
uint32_t swim_health(const struct swim *s);     /* 0 = healthy */
/* Alive + suspect members, self included. O(1). */
size_t swim_member_count(const struct swim *s);
/* State of a member in this node's view; SWIM_UNKNOWN when absent or id is
 * not 40 hex characters. O(1). */
enum swim_state swim_state_of(const struct swim *s, const char *id);
/* Copies up to cap alive + suspect members (self included, unordered) into
 * arr; returns how many there are. O(N). */
size_t swim_members(const struct swim *s, struct swim_member_info *arr,
                    size_t cap);

/* Output collector. */
void swim_out_init(struct swim_out *o);
void swim_out_clear(struct swim_out *o);        /* keeps the capacity */
void swim_out_free(struct swim_out *o);

/* Addresses: "1.2.3.4:6379", "[::1]:6379". parse returns 0 or -EINVAL;
 * format returns the length written or -ENOSPC. */
int swim_addr_parse(struct swim_addr *a, const char *s);
int swim_addr_format(const struct swim_addr *a, char *buf, size_t cap);
bool swim_addr_equal(const struct swim_addr *a, const struct swim_addr *b);

/* Writes the checksum of a packet in place (bytes 8..11) and returns it;
 * for tests and the fuzzer, which build packets by hand. len >= 12. */
uint32_t swim_wire_seal(uint8_t *pkt, size_t len);

#endif
