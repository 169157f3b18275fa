/*
 * swim_int.h: what swim.c (the membership state machine) and swim_wire.c
 * (its wire codec) share. Internal to src/cluster/: no other module
 * includes it.
 *
 * Core idea. The codec knows bytes, not members: it writes and checks the
 * envelope (magic, version, length, CRC-32C, cluster tag, sender), writes
 * addresses and integers into a struct swim_out, and validates a whole
 * received packet before anything is applied. Which entries go into a
 * packet, and what they mean, is swim.c's business. The wire format itself
 * is drawn in swim.h.
 *
 * Invariants: every packet written by swim__begin_pkt .. swim__end_pkt is
 * well formed and sealed (length and checksum set); swim__decode accepts a
 * packet only if every byte of it has been parsed (so applying it with
 * swim__rentry cannot run off the end), and rejects it with an enum
 * swim_drop reason otherwise.
 */
#ifndef RC_SWIM_INT_H
#define RC_SWIM_INT_H

#include "swim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SWIM__HDR 36            /* envelope bytes (see swim.h) */

enum swim__type {               /* byte 3 of the envelope */
    SWIM__PING = 1, SWIM__ACK, SWIM__NACK, SWIM__PING_REQ, SWIM__GOSSIP,
    SWIM__PUSHPULL,
};
enum { SWIM__E_ADDR = 0x10, SWIM__E_ACCUSER = 0x20 };  /* entry flags */
enum { SWIM__PP_REPLY = 1, SWIM__PP_JOIN = 2 };        /* push-pull flags */

/* What the codec needs to know of the member it speaks for. */
struct swim__wire {
    uint8_t self_id[SWIM_ID_BYTES];
    uint32_t max_packet;        /* datagram limit (push-pull excepted) */
    uint32_t max_stream;        /* push-pull limit */
    uint32_t cluster_tag;       /* bytes 12..15 of every packet */
};

/* realloc that aborts on failure (n = 0 allocates one byte). */
void *swim__xrealloc(void *p, size_t n);
/* Makes room for element n in a doubling array of *cap elements of size
 * bytes; returns the (maybe moved) array. */
void *swim__grow(void *p, size_t n, size_t *cap, size_t size);

/* Big-endian integers of n (1..4) bytes. */
static inline void swim__put_be(uint8_t *p, uint32_t v, int n)
{
    while (n--)
        *p++ = (uint8_t)(v >> (8 * n));
}

static inline uint32_t swim__get_be(const uint8_t *p, int n)
{
    uint32_t v = 0;
    while (n--)
        v = v << 8 | *p++;
    return v;
}

/* ---------------------------------------------------------------- writer */

/* Grows o->buf to hold n more bytes (slow path of swim__reserve). */
void swim__out_expand(struct swim_out *o, size_t n);

/* Where the next n bytes go; o->len is not advanced. */
static inline uint8_t *swim__reserve(struct swim_out *o, size_t n)
{
    if (o->len + n > o->cap)
        swim__out_expand(o, n);
    return o->buf + o->len;
}

static inline void swim__wint(struct swim_out *o, uint32_t v, int n)
{
    swim__put_be(swim__reserve(o, (size_t)n), v, n);
    o->len += (size_t)n;
}

#define swim__w8(o, v) swim__wint(o, v, 1)
#define swim__w16(o, v) swim__wint(o, v, 2)
#define swim__w32(o, v) swim__wint(o, v, 4)

static inline void swim__wbytes(struct swim_out *o, const void *p, size_t n)
{
    memcpy(swim__reserve(o, n), p, n);
    o->len += n;
}

/* Encoded size of an address, and the address. */
size_t swim__addr_size(const struct swim_addr *a);
void swim__waddr(struct swim_out *o, const struct swim_addr *a);
/* A bus address, written as "same ip as addr, this port" when it is. */
size_t swim__bus_size(const struct swim_addr *addr,
                      const struct swim_addr *bus);
void swim__wbus(struct swim_out *o, const struct swim_addr *addr,
                const struct swim_addr *bus);

/* Starts a packet of the given type at o->len (the envelope, with length
 * and checksum left for swim__end_pkt); returns its offset in o->buf. */
size_t swim__begin_pkt(struct swim_out *o, const struct swim__wire *w,
                       uint8_t type);
/* Seals the packet that starts at start and ends at o->len (length and
 * checksum) and records it as an output packet to `to` of kind (enum
 * swim_kind). Returns its length. */
uint32_t swim__end_pkt(struct swim_out *o, size_t start,
                       const struct swim_addr *to, uint8_t kind);

/* ---------------------------------------------------------------- reader */

/* A cursor over received bytes; a read past the end sets bad (and every
 * later read returns zeros). */
struct swim__rd {
    const uint8_t *p;
    size_t len, off;
    bool bad;
};

/* One gossip or push-pull entry; id and accuser point into the packet. */
struct swim__entry {
    uint8_t state, flags;       /* enum swim_state; SWIM__E_* */
    uint32_t inc;
    const uint8_t *id, *accuser;    /* accuser: NULL unless flagged */
    struct swim_addr addr, bus;     /* set when SWIM__E_ADDR */
};

/* A decoded packet. Pointers borrow the received bytes. */
struct swim__msg {
    uint8_t type, flags;        /* enum swim__type; push-pull flags */
    const uint8_t *sender, *target;
    uint32_t seq, nentries;
    struct swim_addr addr, reply;   /* PING_REQ target; reply-to */
    struct swim__rd ents;       /* positioned at the first entry */
};

/* Reads the next entry of a packet swim__decode accepted. */
void swim__rentry(struct swim__rd *r, struct swim__entry *e);

/* Validates a whole packet and fills m; returns 0, or an enum swim_drop
 * (positive). Nothing is applied. O(len). */
int swim__decode(const struct swim__wire *w, const uint8_t *b, size_t len,
                 struct swim__msg *m);

/* Builds the CRC table (also done lazily); call once before threads. */
void swim__crc_init(void);

#endif
