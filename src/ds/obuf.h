/*
 * obuf: an output buffer as a chain of chunks, for replies on their way to
 * a socket.
 *
 * Core idea: replies are appended (copied) into fixed-size chunks so small
 * replies cost no allocation per reply; a large value can instead be
 * appended by reference (zero copy) with a release callback that runs once
 * the bytes have been sent or the buffer is freed. The network layer turns
 * the chain into an iovec array for one writev/sendmsg and consumes what was
 * sent.
 *
 *   head                                             tail
 *   [chunk: data[off..len)] -> [ref: ext, len] -> [chunk: data[0..len) cap]
 *
 * Invariants: `bytes` is the sum of unsent bytes over all chunks; `off` is
 * the sent prefix of the head chunk; appends only ever touch the tail.
 */
#ifndef RC_OBUF_H
#define RC_OBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define OBUF_CHUNK 16384

struct obuf_chunk {
    struct obuf_chunk *next;
    uint32_t len;                 /* bytes written into data / ext */
    uint32_t cap;                 /* capacity of data; 0 for a reference */
    const char *ext;              /* referenced bytes, or NULL */
    void (*release)(void *arg);   /* called when a reference is done */
    void *arg;
    char data[];
};

struct obuf {
    struct obuf_chunk *head, *tail;
    size_t bytes;                 /* unsent bytes in the chain */
    uint32_t off;                 /* bytes of head already sent */
    uint32_t nchunks;
};

void obuf_init(struct obuf *b);
/* Frees every chunk and releases every reference; leaves b empty. */
void obuf_reset(struct obuf *b);

/* Copies n bytes at the end. */
void obuf_append(struct obuf *b, const void *p, size_t n);
/* Returns a pointer to at least n writable bytes at the end; follow with
 * obuf_commit(b, used) where used <= n. n must be <= OBUF_CHUNK. */
static inline char *obuf_reserve(struct obuf *b, size_t n);
static inline void obuf_commit(struct obuf *b, size_t used);
/* Appends n bytes by reference: p must stay valid until release(arg) runs,
 * which happens once they are sent or the buffer is reset. */
void obuf_append_ref(struct obuf *b, const void *p, size_t n,
                     void (*release)(void *), void *arg);

static inline size_t obuf_len(const struct obuf *b) { return b->bytes; }

/* Appends a chunk with room for at least n bytes (obuf_reserve's slow
 * path; not for other callers). */
struct obuf_chunk *obuf__new_chunk(struct obuf *b, size_t n);

/* Inline: every reply goes through these two. */
static inline char *obuf_reserve(struct obuf *b, size_t n)
{
    struct obuf_chunk *c = b->tail;
    if (!c || c->ext || c->cap - c->len < n)
        c = obuf__new_chunk(b, n);
    return c->data + c->len;
}

static inline void obuf_commit(struct obuf *b, size_t used)
{
    b->tail->len += (uint32_t)used;
    b->bytes += used;
}

/* Fills up to max iovecs with the unsent bytes from the head; returns how
 * many were filled. */
int obuf_iov(const struct obuf *b, struct iovec *iov, int max);
/* Marks n bytes at the head as sent, freeing finished chunks. */
void obuf_consume(struct obuf *b, size_t n);
/* Memory held by the chain (chunk capacities plus referenced bytes). */
size_t obuf_mem(const struct obuf *b);

#endif
