/*
 * fuzz_swim.c: libFuzzer target for the swim wire decoder and everything a
 * received packet can reach (gossip merge, push-pull merge, PING/PING_REQ
 * handling, timers afterwards).
 *
 * Input: one mode byte, then the packet. Mode bits:
 *   1  make the envelope valid: magic, version 1, length = input length,
 *      cluster tag 0, then a correct checksum (otherwise the fuzzer would
 *      almost never get past the CRC);
 *   2  the receiver already knows two members (joined through real
 *      push-pulls), so updates about known members are exercised;
 *   4  the sender id is set to one of those members.
 * Each input runs on fresh instances, so a crash reproduces from the input
 * alone. Invariants: a dropped packet changes nothing but one drop counter
 * and emits nothing; an accepted one bumps recv_msgs; the member views
 * agree; every packet the receiver then emits (also after a later tick) lies
 * inside the output buffer and is accepted by a peer's decoder (a PING may
 * be refused only as misdirected).
 */
#include "swim.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct swim *mk(struct swim_config *c, char ch, int port)
{
    struct swim_node n;
    memset(n.id, ch, SWIM_ID_LEN);
    n.id[SWIM_ID_LEN] = '\0';
    n.addr = (struct swim_addr){ .family = 4, .ip = { 10, 0, 0, 1 },
                                 .port = (uint16_t)port };
    n.bus = n.addr;
    n.bus.port = (uint16_t)(port + 10000);
    return swim_new(c, &n, (uint64_t)port);
}

static void feed_join(struct swim *from, struct swim *to, struct swim_out *o)
{
    swim_out_clear(o);
    swim_join(from, &swim_self(to)->bus, o);
    for (size_t k = 0; k < o->npkts; k++)
        swim_on_message(to, 10, o->buf + o->pkts[k].off, o->pkts[k].len, o);
    swim_out_clear(o);
}

static uint64_t drops(const struct swim_stats *s)
{
    return s->drop_truncated + s->drop_oversized + s->drop_foreign +
           s->drop_version + s->drop_checksum + s->drop_malformed +
           s->drop_self + s->drop_misdirected;
}

static void check_out(struct swim *peer, struct swim_out *o)
{
    for (size_t k = 0; k < o->npkts; k++) {
        const struct swim_packet *p = &o->pkts[k];
        if ((size_t)p->off + p->len > o->len || p->len < 36)
            abort();
        struct swim_out tmp;
        swim_out_init(&tmp);
        int r = swim_on_message(peer, 20, o->buf + p->off, p->len, &tmp);
        if (r != 0 && r != -SWIM_DROP_MISDIRECTED)
            abort();
        swim_out_free(&tmp);
    }
}

static void check_views(struct swim *x)
{
    struct swim_member_info arr[64];
    size_t n = swim_members(x, arr, 64);
    if (n != swim_member_count(x))
        abort();
    for (size_t i = 0; i < n && i < 64; i++)
        if (swim_state_of(x, arr[i].node.id) != arr[i].state &&
            strcmp(arr[i].node.id, swim_self(x)->id))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    size_t n = size - 1;
    uint8_t *pkt = malloc(n ? n : 1);     /* exact size: ASan sees overreads */
    memcpy(pkt, data + 1, n);
    struct swim_config c;
    swim_config_default(&c, 15000);
    c.jitter = false;
    struct swim *x = mk(&c, 'a', 7000), *b = mk(&c, 'b', 7001);
    struct swim *d = mk(&c, 'd', 7003), *peer = mk(&c, 'e', 7004);
    struct swim_out o;
    swim_out_init(&o);
    swim_tick(x, 0, &o);
    if (mode & 2) {
        feed_join(b, x, &o);
        feed_join(d, x, &o);
    }
    if ((mode & 4) && n >= 36) {
        memset(pkt + 16, 0xbb, 20);
    }
    if ((mode & 1) && n >= 16) {
        pkt[0] = 'R';
        pkt[1] = 'C';
        pkt[2] = 1;
        pkt[4] = (uint8_t)(n >> 24);
        pkt[5] = (uint8_t)(n >> 16);
        pkt[6] = (uint8_t)(n >> 8);
        pkt[7] = (uint8_t)n;
        memset(pkt + 12, 0, 4);
        swim_wire_seal(pkt, n);
    }
    swim_out_clear(&o);
    const struct swim_stats *st = swim_stats(x);
    uint64_t d0 = drops(st), r0 = st->recv_msgs;
    size_t members0 = swim_member_count(x);
    int r = swim_on_message(x, 1000, pkt, n, &o);
    if (r < 0) {
        if (r < -SWIM_DROP_MISDIRECTED || drops(st) != d0 + 1 ||
            st->recv_msgs != r0 || o.npkts || o.nevents ||
            swim_member_count(x) != members0)
            abort();
    } else if (r != 0 || st->recv_msgs != r0 + 1) {
        abort();
    }
    check_views(x);
    check_out(peer, &o);
    swim_out_clear(&o);
    /* Same packet again (nothing new to learn), then a long stretch of
     * timers over whatever state it left. */
    swim_on_message(x, 1001, pkt, n, &o);
    for (uint64_t t = 1002; t < 40000;) {
        uint64_t next = swim_tick(x, t, &o);
        check_out(peer, &o);
        swim_out_clear(&o);
        t = next > t ? next : t + 1;
    }
    check_views(x);
    swim_out_free(&o);
    swim_free(&x);
    swim_free(&b);
    swim_free(&d);
    swim_free(&peer);
    free(pkt);
    return 0;
}
