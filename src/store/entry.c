/*
 * entry.c: the one-allocation key/value record. Layout in entry.h.
 *
 * Every function that can change the size of an entry returns the (maybe
 * moved) pointer; the old pointer is invalid afterwards.
 */
#include "entry.h"

#include "xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR ((size_t)ENTRY_HDR)
_Static_assert(ENTRY_HDR == 13, "entry header is 13 bytes");
#define TTL_BYTES 12

static entry_free_fn type_free[8];
static entry_dup_fn type_dup[8];
static entry_encname_fn type_encname[8];

void entry_register_type(enum obj_type t, entry_free_fn free_fn,
                         entry_dup_fn dup_fn, entry_encname_fn encname_fn)
{
    type_free[t] = free_fn;
    type_dup[t] = dup_fn;
    type_encname[t] = encname_fn;
}

/* ---- small helpers ---- */

static size_t varint_len(size_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static size_t varint_put(unsigned char *p, size_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static size_t varint_get(const unsigned char *p, size_t *v)
{
    size_t r = 0, n = 0;
    int shift = 0;
    for (;;) {
        unsigned char b = p[n++];
        r |= (size_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *v = r;
    return n;
}

bool str_to_ll(const char *s, size_t len, long long *out)
{
    if (len == 0 || len > 20)
        return false;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-') {
        neg = true;
        i = 1;
        if (len == 1)
            return false;
    }
    if (s[i] == '0' && len > i + 1)
        return false;
    if (s[i] == '0' && neg)
        return false;                   /* "-0" is not canonical */
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return false;
        *out = (long long)(0 - v);
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return false;
        *out = (long long)v;
    }
    return true;
}

/* ---- blobs ---- */

struct blob *blob_new(const void *p, size_t len, size_t cap)
{
    if (cap < len)
        cap = len;
    struct blob *b = xmalloc(sizeof(*b) + cap);
    b->refs = 1;
    b->len = len;
    b->cap = cap;
    if (len)
        memcpy(b->data, p, len);
    return b;
}

void blob_incref(struct blob *b)
{
    b->refs++;
}

void blob_decref(void *p)
{
    struct blob *b = p;
    if (--b->refs == 0)
        free(b);
}

/* ---- layout ---- */

static size_t ttl_bytes(const struct entry *e)
{
    return (e->flags & E_TTL) ? TTL_BYTES : 0;
}

static unsigned char *key_at(const struct entry *e)
{
    return (unsigned char *)e->data + ttl_bytes(e);
}

static unsigned char *val_at(const struct entry *e)
{
    size_t klen;
    unsigned char *k = key_at(e);
    size_t n = varint_get(k, &klen);
    return k + n + klen;
}

static size_t val_bytes(const struct entry *e)
{
    switch (e->enc) {
    case ENC_INT:
        return 8;
    case ENC_EMB: {
        size_t vlen;
        return varint_get(val_at(e), &vlen) + vlen;
    }
    default:
        return sizeof(void *);
    }
}

static size_t total_bytes(const struct entry *e)
{
    return (size_t)(val_at(e) - (const unsigned char *)e) + val_bytes(e);
}

const char *entry_key(const struct entry *e, size_t *len)
{
    const unsigned char *k = key_at(e);
    size_t n = varint_get(k, len);
    return (const char *)k + n;
}

static void dict_key(const struct dnode *n, const char **key, size_t *len)
{
    *key = entry_key((const struct entry *)n, len);
}

const struct dict_ops entry_dict_ops = { .key = dict_key };

static void free_value(struct entry *e)
{
    if (e->enc == ENC_BLOB) {
        void *b;
        memcpy(&b, val_at(e), sizeof(b));
        blob_decref(b);
    } else if (e->enc == ENC_PTR) {
        void *p;
        memcpy(&p, val_at(e), sizeof(p));
        if (type_free[e->type])
            type_free[e->type](p);
    }
}

void entry_free(struct entry *e)
{
    free_value(e);
    free(e);
}

/* Allocates an entry for key with room for `vbytes` of value. */
static struct entry *alloc_entry(const char *key, size_t klen, size_t vbytes,
                                 unsigned char **val)
{
    size_t kl = varint_len(klen);
    struct entry *e = xmalloc(HDR + kl + klen + vbytes);
    ((struct dnode *)(void *)e)->next = NULL;
    e->lru = 0;
    e->type = OBJ_STRING;
    e->enc = ENC_EMB;
    e->flags = 0;
    unsigned char *p = e->data;
    p += varint_put(p, klen);
    memcpy(p, key, klen);
    *val = p + klen;
    return e;
}

/* How a string value is to be stored, decided once (the integer test is
 * the costly part): its encoding, the bytes it takes in the entry, and
 * the integer when it is one. */
struct str_plan {
    uint8_t enc;
    size_t bytes;
    long long ll;
};

static void plan_str(struct str_plan *p, const char *val, size_t vlen,
                     bool allow_int)
{
    if (allow_int && vlen <= 20 && str_to_ll(val, vlen, &p->ll)) {
        p->enc = ENC_INT;
        p->bytes = 8;
    } else if (vlen <= ENTRY_EMB_MAX) {
        p->enc = ENC_EMB;
        p->bytes = varint_len(vlen) + vlen;
    } else {
        p->enc = ENC_BLOB;
        p->bytes = sizeof(void *);
    }
}

static void put_str_value(struct entry *e, unsigned char *v,
                          const struct str_plan *p, const char *val,
                          size_t vlen)
{
    e->enc = p->enc;
    if (p->enc == ENC_INT) {
        memcpy(v, &p->ll, 8);
    } else if (p->enc == ENC_EMB) {
        v += varint_put(v, vlen);
        memcpy(v, val, vlen);
    } else {
        struct blob *b = blob_new(val, vlen, vlen);
        memcpy(v, &b, sizeof(b));
    }
}

/* As alloc_entry, with room for a TTL when when_ms >= 0. */
static struct entry *alloc_entry_ttl(const char *key, size_t klen,
                                     size_t vbytes, unsigned char **val,
                                     int64_t when_ms)
{
    if (when_ms < 0)
        return alloc_entry(key, klen, vbytes, val);
    size_t kl = varint_len(klen);
    struct entry *e = xmalloc(HDR + TTL_BYTES + kl + klen + vbytes);
    ((struct dnode *)(void *)e)->next = NULL;
    e->lru = 0;
    e->type = OBJ_STRING;
    e->enc = ENC_EMB;
    e->flags = E_TTL;
    memcpy(e->data, &when_ms, 8);
    uint32_t none = UINT32_MAX;
    memcpy(e->data + 8, &none, 4);
    unsigned char *p = e->data + TTL_BYTES;
    p += varint_put(p, klen);
    memcpy(p, key, klen);
    *val = p + klen;
    return e;
}

static struct entry *new_str(const char *key, size_t klen, const char *val,
                             size_t vlen, bool allow_int, int64_t when_ms)
{
    unsigned char *v;
    struct str_plan p;
    plan_str(&p, val, vlen, allow_int);
    struct entry *e = alloc_entry_ttl(key, klen, p.bytes, &v, when_ms);
    put_str_value(e, v, &p, val, vlen);
    return e;
}

struct entry *entry_new_str_ttl(const char *key, size_t klen,
                                const char *val, size_t vlen, int64_t when_ms)
{
    return new_str(key, klen, val, vlen, true, when_ms);
}

struct entry *entry_new_str(const char *key, size_t klen, const char *val,
                            size_t vlen)
{
    return new_str(key, klen, val, vlen, true, -1);
}

struct entry *entry_new_str_noint(const char *key, size_t klen,
                                  const char *val, size_t vlen)
{
    return new_str(key, klen, val, vlen, false, -1);
}

struct entry *entry_new_int(const char *key, size_t klen, long long ll)
{
    unsigned char *v;
    struct entry *e = alloc_entry(key, klen, 8, &v);
    e->enc = ENC_INT;
    memcpy(v, &ll, 8);
    return e;
}

struct entry *entry_new_ptr(const char *key, size_t klen, enum obj_type t,
                            void *ptr)
{
    unsigned char *v;
    struct entry *e = alloc_entry(key, klen, sizeof(void *), &v);
    e->type = t;
    e->enc = ENC_PTR;
    memcpy(v, &ptr, sizeof(ptr));
    return e;
}

/* ---- TTL ---- */

int64_t entry_expire(const struct entry *e)
{
    if (!(e->flags & E_TTL))
        return -1;
    int64_t t;
    memcpy(&t, e->data, 8);
    return t;
}

uint32_t entry_xidx(const struct entry *e)
{
    uint32_t x;
    memcpy(&x, e->data + 8, 4);
    return x;
}

void entry_set_xidx(struct entry *e, uint32_t idx)
{
    memcpy(e->data + 8, &idx, 4);
}

struct entry *entry_set_expire(struct entry *e, int64_t when_ms)
{
    if (!(e->flags & E_TTL)) {
        size_t total = total_bytes(e);
        e = xrealloc(e, total + TTL_BYTES);
        memmove(e->data + TTL_BYTES, e->data, total - HDR);
        e->flags |= E_TTL;
        entry_set_xidx(e, UINT32_MAX);
    }
    memcpy(e->data, &when_ms, 8);
    return e;
}

struct entry *entry_clear_expire(struct entry *e)
{
    if (!(e->flags & E_TTL))
        return e;
    size_t total = total_bytes(e);
    memmove(e->data, e->data + TTL_BYTES, total - HDR - TTL_BYTES);
    e->flags &= (uint8_t)~E_TTL;
    return xrealloc(e, total - TTL_BYTES);
}

/* ---- string values ---- */

const char *entry_str(const struct entry *e, char *buf, size_t *len)
{
    const unsigned char *v = val_at(e);
    switch (e->enc) {
    case ENC_INT: {
        long long ll;
        memcpy(&ll, v, 8);
        *len = (size_t)snprintf(buf, 21, "%lld", ll);
        return buf;
    }
    case ENC_EMB: {
        size_t n = varint_get(v, len);
        return (const char *)v + n;
    }
    case ENC_BLOB: {
        struct blob *b;
        memcpy(&b, v, sizeof(b));
        *len = b->len;
        return b->data;
    }
    default:
        *len = 0;
        return "";
    }
}

size_t entry_strlen(const struct entry *e)
{
    char buf[24];
    size_t len;
    entry_str(e, buf, &len);
    return len;
}

struct blob *entry_blob(const struct entry *e)
{
    struct blob *b;
    memcpy(&b, val_at(e), sizeof(b));
    return b;
}

long long entry_int(const struct entry *e)
{
    long long ll;
    memcpy(&ll, val_at(e), 8);
    return ll;
}

void *entry_ptr(const struct entry *e)
{
    void *p;
    memcpy(&p, val_at(e), sizeof(p));
    return p;
}

void entry_set_ptr(struct entry *e, void *ptr)
{
    memcpy(val_at(e), &ptr, sizeof(ptr));
}

/* Resizes the value area to vbytes; returns the new entry and value ptr. */
static struct entry *resize_value(struct entry *e, size_t vbytes,
                                  unsigned char **val)
{
    size_t prefix = (size_t)(val_at(e) - (unsigned char *)e);
    e = xrealloc(e, prefix + vbytes);
    *val = (unsigned char *)e + prefix;
    return e;
}

/* The allocation is kept as it is when the new value takes exactly the
 * bytes the old one took (an overwrite with a value of the same length,
 * the common case); otherwise it is resized. */
static struct entry *replace_str(struct entry *e, const char *val,
                                 size_t vlen, bool allow_int)
{
    struct str_plan p;
    plan_str(&p, val, vlen, allow_int);
    size_t had = e->type == OBJ_STRING ? val_bytes(e) : SIZE_MAX;
    free_value(e);
    unsigned char *v;
    if (p.bytes == had)
        v = val_at(e);
    else
        e = resize_value(e, p.bytes, &v);
    e->type = OBJ_STRING;
    e->flags &= (uint8_t)~(E_RAW | E_UNSHARED);
    put_str_value(e, v, &p, val, vlen);
    return e;
}

struct entry *entry_replace_str(struct entry *e, const char *val, size_t vlen)
{
    return replace_str(e, val, vlen, true);
}

struct entry *entry_replace_str_noint(struct entry *e, const char *val,
                                      size_t vlen)
{
    return replace_str(e, val, vlen, false);
}

struct entry *entry_replace_int(struct entry *e, long long ll)
{
    if (e->enc == ENC_INT) {
        memcpy(val_at(e), &ll, 8);
        e->flags &= (uint8_t)~E_UNSHARED;
        return e;
    }
    free_value(e);
    unsigned char *v;
    e = resize_value(e, 8, &v);
    e->type = OBJ_STRING;
    e->enc = ENC_INT;
    e->flags &= (uint8_t)~(E_RAW | E_UNSHARED);
    memcpy(v, &ll, 8);
    return e;
}

struct entry *entry_str_write(struct entry *e, size_t off, const char *p,
                              size_t n)
{
    char buf[24];
    size_t cur;
    const char *s = entry_str(e, buf, &cur);
    size_t need = off + n > cur ? off + n : cur;

    if (e->enc == ENC_BLOB) {
        struct blob *b = entry_blob(e);
        if (b->refs == 1 && b->cap >= need) {
            if (off > b->len)
                memset(b->data + b->len, 0, off - b->len);
            memcpy(b->data + off, p, n);
            b->len = need;
            e->flags |= E_RAW;
            return e;
        }
    }
    if (need <= ENTRY_EMB_MAX) {
        /* Rebuild inline: copy the old bytes out first (they live inside
         * the entry, or in a blob/buf). */
        char tmp[ENTRY_EMB_MAX];
        memcpy(tmp, s, cur);
        if (off > cur)
            memset(tmp + cur, 0, off - cur);
        memcpy(tmp + off, p, n);
        free_value(e);
        unsigned char *v;
        e = resize_value(e, varint_len(need) + need, &v);
        e->enc = ENC_EMB;
        v += varint_put(v, need);
        memcpy(v, tmp, need);
        e->flags |= E_RAW;
        return e;
    }
    /* Grow greedily into a private blob (appends become amortised O(1)). */
    size_t cap = need < (1u << 20) ? need * 2 : need + (1u << 20);
    struct blob *nb = blob_new(s, cur, cap);
    if (off > cur)
        memset(nb->data + cur, 0, off - cur);
    memcpy(nb->data + off, p, n);
    nb->len = need;
    free_value(e);
    unsigned char *v;
    e = resize_value(e, sizeof(void *), &v);
    e->enc = ENC_BLOB;
    memcpy(v, &nb, sizeof(nb));
    e->flags |= E_RAW;
    return e;
}

size_t entry_mem(const struct entry *e)
{
    size_t m = total_bytes(e);
    if (e->enc == ENC_BLOB)
        m += sizeof(struct blob) + entry_blob(e)->cap;
    return m;
}

const char *entry_encoding_name(const struct entry *e)
{
    switch (e->enc) {
    case ENC_INT:
        return "int";
    case ENC_EMB: {
        size_t len;
        varint_get(val_at(e), &len);
        return (len <= 44 && !(e->flags & E_RAW)) ? "embstr" : "raw";
    }
    case ENC_BLOB:
        return "raw";
    default:
        return type_encname[e->type] ? type_encname[e->type](entry_ptr(e))
                                     : "unknown";
    }
}

/* Builds an entry for key carrying the value bytes of e (raw copy of the
 * value area) and e's header and TTL. The value is shared, not copied. */
static struct entry *clone_with_key(const struct entry *e, const char *key,
                                    size_t klen)
{
    size_t vb = val_bytes(e);
    unsigned char *v;
    struct entry *n = alloc_entry_ttl(key, klen, vb, &v, entry_expire(e));
    n->type = e->type;
    n->enc = e->enc;
    n->flags = (uint8_t)((n->flags & E_TTL) |
                         (e->flags & (E_RAW | E_UNSHARED)));
    n->lru = e->lru;
    memcpy(v, val_at(e), vb);
    return n;
}

struct entry *entry_dup(const struct entry *e, const char *key, size_t klen)
{
    struct entry *n = clone_with_key(e, key, klen);
    if (e->enc == ENC_BLOB) {
        struct blob *b = entry_blob(e);
        struct blob *nb = blob_new(b->data, b->len, b->len);
        memcpy(val_at(n), &nb, sizeof(nb));
    } else if (e->enc == ENC_PTR) {
        void *p = type_dup[e->type] ? type_dup[e->type](entry_ptr(e)) : NULL;
        entry_set_ptr(n, p);
    } else if (e->enc == ENC_INT) {
        n->flags |= E_UNSHARED;     /* Redis's COPY makes a new object */
    }
    return n;
}

struct entry *entry_rekey(struct entry *e, const char *key, size_t klen)
{
    struct entry *n = clone_with_key(e, key, klen);
    free(e);        /* the value now belongs to n */
    return n;
}
