/*
 * swim_wire.c: the swim wire codec (format in swim.h): the envelope and
 * its CRC-32C, the writer that appends packets to a struct swim_out, the
 * reader that validates a received packet, and address parsing/printing.
 *
 * Core idea: a received packet is checked in full (envelope, checksum,
 * version, tag, then every field and entry) by swim__decode before
 * swim.c applies any of it, so a packet is either dropped having changed
 * nothing or applied from bytes known to be well formed. Packets are
 * built in place in the output buffer: swim__begin_pkt writes the
 * envelope, the caller appends the body, swim__end_pkt fills in the length
 * and seals the checksum.
 *
 * Invariants: every struct swim_packet recorded lies inside out->buf;
 * crc_tab is all zeros until swim__crc_init fills it (entry 1 is non-zero
 * afterwards, which is how it knows).
 */
#include "swim_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- utils */

void *swim__xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *swim__grow(void *p, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? 2 * *cap : 16;
    return swim__xrealloc(p, *cap * size);
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* ------------------------------------------------------------- crc32c */

/* CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), a byte at a
 * time; the SSE4.2 instruction below does 8 bytes at a time. */
static uint32_t crc_tab[256];

void swim__crc_init(void)
{
    if (crc_tab[1])
        return;
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        crc_tab[n] = c;
    }
}

static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
    while (n--)
        c = crc_tab[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The same CRC with the SSE4.2 instruction, used when the CPU has it. */
__attribute__((target("sse4.2")))
static uint32_t crc_update_hw(uint32_t c, const uint8_t *p, size_t n)
{
    uint64_t c64 = c;
    for (; n >= 8; p += 8, n -= 8)
        c64 = __builtin_ia32_crc32di(c64, load64(p));
    c = (uint32_t)c64;
    while (n--)
        c = __builtin_ia32_crc32qi(c, *p++);
    return c;
}

static int crc_hw = -1;

static uint32_t crc_any(uint32_t c, const uint8_t *p, size_t n)
{
    if (crc_hw < 0)
        crc_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    return crc_hw ? crc_update_hw(c, p, n) : crc_update(c, p, n);
}
#else
#define crc_any crc_update
#endif

static uint32_t wire_crc(const uint8_t *p, size_t len)
{
    swim__crc_init();
    uint32_t c = crc_any(0xffffffffu, p, 8);
    return ~crc_any(c, p + 12, len - 12);
}

uint32_t swim_wire_seal(uint8_t *pkt, size_t len)
{
    uint32_t c = wire_crc(pkt, len);
    swim__put_be(pkt + 8, c, 4);
    return c;
}

/* ------------------------------------------------------------ out/writer */

void swim_out_init(struct swim_out *o)
{
    memset(o, 0, sizeof *o);
}

void swim_out_clear(struct swim_out *o)
{
    o->npkts = o->len = o->nevents = 0;
}

void swim_out_free(struct swim_out *o)
{
    free(o->pkts);
    free(o->buf);
    free(o->events);
    swim_out_init(o);
}

void swim__out_expand(struct swim_out *o, size_t n)
{
    size_t c = o->cap ? o->cap : 4096;
    while (c < o->len + n)
        c *= 2;
    o->buf = swim__xrealloc(o->buf, c);
    o->cap = c;
}

size_t swim__addr_size(const struct swim_addr *a)
{
    return 3 + (a->family == 6 ? 16 : 4);
}

void swim__waddr(struct swim_out *o, const struct swim_addr *a)
{
    swim__w8(o, a->family == 6 ? 6 : 4);
    swim__wbytes(o, a->ip, a->family == 6 ? 16 : 4);
    swim__w16(o, a->port);
}

static bool same_ip(const struct swim_addr *a, const struct swim_addr *b)
{
    return a->family == b->family &&
           !memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4);
}

size_t swim__bus_size(const struct swim_addr *addr,
                      const struct swim_addr *bus)
{
    return same_ip(addr, bus) ? 3 : swim__addr_size(bus);
}

void swim__wbus(struct swim_out *o, const struct swim_addr *addr,
                const struct swim_addr *bus)
{
    if (!same_ip(addr, bus))
        return swim__waddr(o, bus);
    swim__w8(o, 0);
    swim__w16(o, bus->port);
}

size_t swim__begin_pkt(struct swim_out *o, const struct swim__wire *w,
                       uint8_t type)
{
    size_t start = o->len;
    uint8_t *p = swim__reserve(o, SWIM__HDR);
    p[0] = 'R';
    p[1] = 'C';
    p[2] = 1;
    p[3] = type;
    swim__put_be(p + 12, w->cluster_tag, 4);
    memcpy(p + 16, w->self_id, SWIM_ID_BYTES);
    o->len += SWIM__HDR;
    return start;
}

uint32_t swim__end_pkt(struct swim_out *o, size_t start,
                       const struct swim_addr *to, uint8_t kind)
{
    uint8_t *p = o->buf + start;
    uint32_t len = (uint32_t)(o->len - start);
    swim__put_be(p + 4, len, 4);
    swim_wire_seal(p, len);
    o->pkts = swim__grow(o->pkts, o->npkts, &o->cap_pkts, sizeof *o->pkts);
    struct swim_packet *k = &o->pkts[o->npkts++];
    k->to = *to;
    k->kind = kind;
    k->off = (uint32_t)start;
    k->len = len;
    return len;
}

/* ------------------------------------------------------------- reader */

static const uint8_t *rtake(struct swim__rd *r, size_t n)
{
    if (r->bad || r->len - r->off < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->off;
    r->off += n;
    return p;
}

static uint32_t rd_int(struct swim__rd *r, int n)
{
    const uint8_t *p = rtake(r, (size_t)n);
    return p ? swim__get_be(p, n) : 0;
}

#define r8(r) ((uint8_t)rd_int(r, 1))
#define r16(r) ((uint16_t)rd_int(r, 2))
#define r32(r) rd_int(r, 4)

/* family 0 is accepted only when base is given (bus address). */
static void raddr(struct swim__rd *r, struct swim_addr *a,
                  const struct swim_addr *base)
{
    uint8_t f = r8(r);
    memset(a, 0, sizeof *a);
    if (f == 0 && base) {
        *a = *base;
    } else if (f == 4 || f == 6) {
        const uint8_t *ip = rtake(r, f == 6 ? 16 : 4);
        if (ip)
            memcpy(a->ip, ip, f == 6 ? 16 : 4);
        a->family = f;
    } else {
        r->bad = true;
    }
    a->port = r16(r);
}

void swim__rentry(struct swim__rd *r, struct swim__entry *e)
{
    uint8_t b = r8(r);
    e->state = b & 0x0f;
    e->flags = b & 0xf0;
    e->inc = r32(r);
    e->id = rtake(r, SWIM_ID_BYTES);
    e->accuser = NULL;
    if (e->state < SWIM_ALIVE || e->state > SWIM_LEFT || (b & 0xc0))
        r->bad = true;
    if (e->flags & SWIM__E_ADDR) {
        raddr(r, &e->addr, NULL);
        raddr(r, &e->bus, &e->addr);
    } else if (e->state == SWIM_ALIVE) {
        r->bad = true;          /* an alive entry must say where */
    }
    if (e->flags & SWIM__E_ACCUSER)
        e->accuser = rtake(r, SWIM_ID_BYTES);
    else if (e->state == SWIM_SUSPECT)
        r->bad = true;          /* a suspicion must name its accuser */
}

int swim__decode(const struct swim__wire *w, const uint8_t *b, size_t len,
                 struct swim__msg *m)
{
    if (len >= 2 && (b[0] != 'R' || b[1] != 'C'))
        return SWIM_DROP_FOREIGN;
    if (len > w->max_stream)
        return SWIM_DROP_OVERSIZED;
    if (len < SWIM__HDR)
        return SWIM_DROP_TRUNCATED;
    if (b[2] != 1)
        return SWIM_DROP_VERSION;
    m->type = b[3];
    m->flags = 0;
    if (m->type < SWIM__PING || m->type > SWIM__PUSHPULL)
        return SWIM_DROP_MALFORMED;
    uint32_t declared = swim__get_be(b + 4, 4);
    if (declared > len)
        return SWIM_DROP_TRUNCATED;
    if (declared < len || declared < SWIM__HDR)
        return SWIM_DROP_MALFORMED;
    if (m->type != SWIM__PUSHPULL && len > w->max_packet)
        return SWIM_DROP_OVERSIZED;
    if (swim__get_be(b + 8, 4) != wire_crc(b, len))
        return SWIM_DROP_CHECKSUM;
    if (swim__get_be(b + 12, 4) != w->cluster_tag)
        return SWIM_DROP_FOREIGN;
    m->sender = b + 16;
    if (!memcmp(m->sender, w->self_id, SWIM_ID_BYTES))
        return SWIM_DROP_SELF;
    struct swim__rd r = { b, len, SWIM__HDR, false };
    switch (m->type) {
    case SWIM__PING:
        m->seq = r32(&r);
        m->target = rtake(&r, SWIM_ID_BYTES);
        raddr(&r, &m->reply, NULL);
        break;
    case SWIM__ACK:
    case SWIM__NACK:
        m->seq = r32(&r);
        break;
    case SWIM__PING_REQ:
        m->seq = r32(&r);
        m->target = rtake(&r, SWIM_ID_BYTES);
        raddr(&r, &m->addr, NULL);
        raddr(&r, &m->reply, NULL);
        break;
    case SWIM__PUSHPULL:
        m->flags = r8(&r);
        if (m->flags & ~(SWIM__PP_REPLY | SWIM__PP_JOIN))
            r.bad = true;
        break;
    }
    m->nentries = m->type == SWIM__PUSHPULL ? r32(&r) : r8(&r);
    if (r.bad || m->nentries > (len - r.off) / 25)
        return SWIM_DROP_MALFORMED;
    m->ents = r;
    struct swim__entry e;
    bool sender_seen = false;
    for (uint32_t i = 0; i < m->nentries && !r.bad; i++) {
        swim__rentry(&r, &e);
        if (!r.bad && m->type == SWIM__PUSHPULL) {
            if (!(e.flags & SWIM__E_ADDR))
                r.bad = true;
            if (!memcmp(e.id, m->sender, SWIM_ID_BYTES))
                sender_seen = true;
        }
    }
    if (r.bad || r.off != len || (m->type == SWIM__PUSHPULL && !sender_seen))
        return SWIM_DROP_MALFORMED;
    return 0;
}


/* ------------------------------------------------------------ addresses */

int swim_addr_parse(struct swim_addr *a, const char *str)
{
    char host[64];
    const char *colon = strrchr(str, ':');
    if (!colon || colon == str || (size_t)(colon - str) >= sizeof host)
        return -EINVAL;
    size_t hl = (size_t)(colon - str);
    memcpy(host, str, hl);
    host[hl] = '\0';
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || colon[1] == '\0' || port > 65535)
        return -EINVAL;
    memset(a, 0, sizeof *a);
    a->port = (uint16_t)port;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        a->family = 6;
        return inet_pton(AF_INET6, host + 1, a->ip) == 1 ? 0 : -EINVAL;
    }
    a->family = 4;
    return inet_pton(AF_INET, host, a->ip) == 1 ? 0 : -EINVAL;
}

int swim_addr_format(const struct swim_addr *a, char *buf, size_t cap)
{
    char ip[INET6_ADDRSTRLEN];
    int n;
    if (a->family == 6) {
        inet_ntop(AF_INET6, a->ip, ip, sizeof ip);
        n = snprintf(buf, cap, "[%s]:%u", ip, a->port);
    } else {
        inet_ntop(AF_INET, a->ip, ip, sizeof ip);
        n = snprintf(buf, cap, "%s:%u", ip, a->port);
    }
    return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

bool swim_addr_equal(const struct swim_addr *a, const struct swim_addr *b)
{
    return a->family == b->family && a->port == b->port &&
           !memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4);
}

