/*
 * obuf.c: chunk chain for outgoing bytes. See obuf.h for the layout.
 */
#include "obuf.h"

#include <stdlib.h>
#include <string.h>

void obuf_init(struct obuf *b)
{
    memset(b, 0, sizeof(*b));
}

/* Recently freed data chunks of the two common sizes, reused before
 * malloc: at pipeline 1 every flush empties a client's chain and the next
 * reply needs a chunk again. Bounded, so idle memory stays small. (The
 * server is single-threaded; these lists are not thread-safe.) */
#define SMALL_CAP (1024 - sizeof(struct obuf_chunk))
#define POOL_SMALL 1024
#define POOL_BIG 16

static struct obuf_chunk *pool_small[POOL_SMALL], *pool_big[POOL_BIG];
static unsigned npool_small, npool_big;

static void chunk_free(struct obuf_chunk *c)
{
    if (c->release) {
        c->release(c->arg);
    } else if (c->cap == SMALL_CAP && npool_small < POOL_SMALL) {
        pool_small[npool_small++] = c;
        return;
    } else if (c->cap == OBUF_CHUNK && npool_big < POOL_BIG) {
        pool_big[npool_big++] = c;
        return;
    }
    free(c);
}

void obuf_reset(struct obuf *b)
{
    struct obuf_chunk *c = b->head;
    while (c) {
        struct obuf_chunk *n = c->next;
        chunk_free(c);
        c = n;
    }
    obuf_init(b);
}

static void link_tail(struct obuf *b, struct obuf_chunk *c)
{
    c->next = NULL;
    if (b->tail)
        b->tail->next = c;
    else
        b->head = c;
    b->tail = c;
    b->nchunks++;
}

static struct obuf_chunk *new_chunk(struct obuf *b, size_t min)
{
    size_t cap = min > OBUF_CHUNK ? min : OBUF_CHUNK;
    /* Small first chunk: most clients only ever hold a tiny reply. */
    if (!b->head && min <= SMALL_CAP)
        cap = SMALL_CAP;
    struct obuf_chunk *c;
    if (cap == SMALL_CAP && npool_small)
        c = pool_small[--npool_small];
    else if (cap == OBUF_CHUNK && npool_big)
        c = pool_big[--npool_big];
    else if (!(c = malloc(sizeof(*c) + cap)))
        abort();
    c->len = 0;
    c->cap = (uint32_t)cap;
    c->ext = NULL;
    c->release = NULL;
    c->arg = NULL;
    link_tail(b, c);
    return c;
}

struct obuf_chunk *obuf__new_chunk(struct obuf *b, size_t n)
{
    return new_chunk(b, n);
}

void obuf_append(struct obuf *b, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        struct obuf_chunk *c = b->tail;
        if (!c || c->ext || c->len == c->cap)
            c = new_chunk(b, n < OBUF_CHUNK ? n : OBUF_CHUNK);
        size_t room = c->cap - c->len;
        size_t k = n < room ? n : room;
        memcpy(c->data + c->len, s, k);
        c->len += (uint32_t)k;
        b->bytes += k;
        s += k;
        n -= k;
    }
}

void obuf_append_ref(struct obuf *b, const void *p, size_t n,
                     void (*release)(void *), void *arg)
{
    struct obuf_chunk *c = malloc(sizeof(*c));
    if (!c)
        abort();
    c->len = (uint32_t)n;
    c->cap = 0;
    c->ext = p;
    c->release = release;
    c->arg = arg;
    link_tail(b, c);
    b->bytes += n;
}

int obuf_iov(const struct obuf *b, struct iovec *iov, int max)
{
    int n = 0;
    uint32_t off = b->off;
    for (const struct obuf_chunk *c = b->head; c && n < max; c = c->next) {
        const char *base = c->ext ? c->ext : c->data;
        if (c->len > off) {
            iov[n].iov_base = (void *)(base + off);
            iov[n].iov_len = c->len - off;
            n++;
        }
        off = 0;
    }
    return n;
}

void obuf_consume(struct obuf *b, size_t n)
{
    b->bytes -= n;
    while (n && b->head) {
        struct obuf_chunk *c = b->head;
        size_t left = c->len - b->off;
        if (n < left) {
            b->off += (uint32_t)n;
            return;
        }
        n -= left;
        b->off = 0;
        b->head = c->next;
        if (!b->head)
            b->tail = NULL;
        b->nchunks--;
        chunk_free(c);
    }
    /* Drop fully-sent empty head chunks so an idle client holds nothing. */
    while (b->head && b->head->len == b->off && b->bytes == 0) {
        struct obuf_chunk *c = b->head;
        b->head = c->next;
        if (!b->head)
            b->tail = NULL;
        b->off = 0;
        b->nchunks--;
        chunk_free(c);
    }
}

size_t obuf_mem(const struct obuf *b)
{
    size_t m = 0;
    for (const struct obuf_chunk *c = b->head; c; c = c->next)
        m += sizeof(*c) + (c->ext ? c->len : c->cap);
    return m;
}
