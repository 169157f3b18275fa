/*
 * entry: one key and its value in one allocation.
 *
 * Core idea: the dict link, the LRU/LFU clock, type, encoding, an optional
 * TTL with its position in the expiry index, the key and a small value all
 * share one malloc'd chunk, so a 16-byte key with a 16-byte value costs one
 * 48-byte jemalloc allocation plus its bucket pointer.
 *
 *   0        8           11    12     13
 *   +--------+-----------+-----+------+--------------------+---------+--------+
 *   | next   | lru (24b) | t/e | flags| [expire_ms 8][xidx 4] | klen+key | value |
 *   +--------+-----------+-----+------+--------------------+---------+--------+
 *                                        only if E_TTL        varint
 *
 *   value by encoding:
 *     ENC_INT     8-byte int64 (the string is its canonical decimal form)
 *     ENC_EMB     varint length + bytes (small strings)
 *     ENC_BLOB    pointer to a refcounted struct blob (large strings; the
 *                 network layer can send it without copying)
 *     ENC_PTR     pointer to a type's own structure (lists, sorted sets)
 *
 * Invariants: multi-byte fields after byte 13 are unaligned and accessed
 * with memcpy; an entry is only ever reallocated through entry_* functions
 * that return the new pointer, and the caller (db.c) relinks it in the dict
 * and the expiry index.
 */
#ifndef RC_ENTRY_H
#define RC_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dict.h"

enum obj_type { OBJ_STRING = 0, OBJ_LIST = 1, OBJ_SET = 2, OBJ_ZSET = 3,
                OBJ_HASH = 4 };
enum obj_enc { ENC_INT = 0, ENC_EMB = 1, ENC_BLOB = 2, ENC_PTR = 3 };

#define E_TTL 0x01        /* has expire_ms and xidx */
#define E_RAW 0x02        /* report "raw" for OBJECT ENCODING (mutated) */
#define E_UNSHARED 0x04   /* an ENC_INT that Redis would hold in an object of
                             its own even in the shared 0..9999 range (made
                             by COPY): OBJECT REFCOUNT reports 1, not
                             INT_MAX. Cleared when the value is replaced. */

/* Strings longer than this are stored out of line in a blob. */
#define ENTRY_EMB_MAX 256

struct entry {
    struct dnode node;
    uint32_t lru : 24;
    uint32_t type : 4;
    uint32_t enc : 4;
    uint8_t flags;
    unsigned char data[];       /* at offset 13: see ENTRY_HDR */
};

/* Bytes before data[]. Allocations use this, not sizeof (which rounds up
 * to 16 for alignment). */
#define ENTRY_HDR (offsetof(struct entry, data))

/* A refcounted large string. */
struct blob {
    uint32_t refs;
    size_t len, cap;
    char data[];
};

struct blob *blob_new(const void *p, size_t len, size_t cap);
void blob_incref(struct blob *b);
void blob_decref(void *b);          /* void* so it can be an obuf release */

/* Value destructor for ENC_PTR types, registered per type by types/. */
typedef void (*entry_free_fn)(void *ptr);
typedef void *(*entry_dup_fn)(const void *ptr);
typedef const char *(*entry_encname_fn)(const void *ptr);
void entry_register_type(enum obj_type t, entry_free_fn free_fn,
                         entry_dup_fn dup_fn, entry_encname_fn encname_fn);

/* Creates a string entry; the value is encoded as INT when it is a
 * canonical integer, EMB when small, else BLOB. */
struct entry *entry_new_str(const char *key, size_t klen, const char *val,
                            size_t vlen);
/* As entry_new_str, with a TTL (absolute ms) from the start: one
 * allocation of the final size instead of a realloc. */
struct entry *entry_new_str_ttl(const char *key, size_t klen,
                                const char *val, size_t vlen, int64_t when_ms);
/* As entry_new_str / entry_replace_str but never integer-encoded (Redis
 * keeps INCRBYFLOAT's and APPEND's results as strings). */
struct entry *entry_new_str_noint(const char *key, size_t klen,
                                  const char *val, size_t vlen);
struct entry *entry_new_int(const char *key, size_t klen, long long v);
struct entry *entry_new_ptr(const char *key, size_t klen, enum obj_type t,
                            void *ptr);
/* Frees the entry and its value. */
void entry_free(struct entry *e);
/* A deep copy of e's value (and TTL) under another key (COPY). The copy
 * is not linked anywhere; its xidx is unset. */
struct entry *entry_dup(const struct entry *e, const char *key, size_t klen);
/* The same entry under a new key (RENAME, MOVE): takes ownership of e and
 * returns a new allocation with the value moved, TTL kept. */
struct entry *entry_rekey(struct entry *e, const char *key, size_t klen);

/* Key bytes. */
const char *entry_key(const struct entry *e, size_t *len);
/* dict_ops for the keyspace. */
extern const struct dict_ops entry_dict_ops;

/* TTL. */
static inline bool entry_has_ttl(const struct entry *e)
{
    return e->flags & E_TTL;
}
int64_t entry_expire(const struct entry *e);    /* -1 when none */
uint32_t entry_xidx(const struct entry *e);
void entry_set_xidx(struct entry *e, uint32_t idx);
/* Adds or updates the TTL; may reallocate (returns the new pointer). */
struct entry *entry_set_expire(struct entry *e, int64_t when_ms);
/* Removes the TTL; may reallocate. */
struct entry *entry_clear_expire(struct entry *e);

/* String value access. For ENC_INT, buf (>= 21 bytes) receives the
 * decimal text. The result is borrowed, valid until the entry changes. */
const char *entry_str(const struct entry *e, char *buf, size_t *len);
size_t entry_strlen(const struct entry *e);
/* The blob of an ENC_BLOB string (borrowed). */
struct blob *entry_blob(const struct entry *e);
long long entry_int(const struct entry *e);             /* ENC_INT only */
void *entry_ptr(const struct entry *e);                 /* ENC_PTR only */
void entry_set_ptr(struct entry *e, void *ptr);

/* Replaces the string value (type becomes OBJ_STRING), keeping key, TTL
 * and flags except E_RAW; may reallocate. Frees the old value. */
struct entry *entry_replace_str(struct entry *e, const char *val,
                                size_t vlen);
struct entry *entry_replace_str_noint(struct entry *e, const char *val,
                                      size_t vlen);
struct entry *entry_replace_int(struct entry *e, long long v);
/* Appends to / overwrites inside a string value, growing it (zero padded);
 * the value becomes a raw string (E_RAW). May reallocate. */
struct entry *entry_str_write(struct entry *e, size_t off, const char *p,
                              size_t n);

/* Bytes used by the entry and its value (for MEMORY USAGE / DEBUG). */
size_t entry_mem(const struct entry *e);
/* Name for OBJECT ENCODING. */
const char *entry_encoding_name(const struct entry *e);

/* Parses a canonical integer (as Redis's string2ll: no leading zeros,
 * no '+', no spaces, fits in long long). */
bool str_to_ll(const char *s, size_t len, long long *out);

#endif
