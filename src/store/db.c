/*
 * db.c: dbs, slot dicts, the TTL index and lazy expiry. See db.h.
 *
 * Invariant: for every entry e with E_TTL stored in db,
 * db_xv_get(db, entry_xidx(e)) == e; entries without E_TTL are not in the
 * TTL index.
 */
#include "db.h"

#include "evict.h"
#include "keyslot.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static void xv_free(struct db *db);

struct keyspace *keyspace_new(int ndb, bool cluster, uint64_t seed)
{
    struct keyspace *ks = xcalloc(1, sizeof(*ks));
    ks->ndb = ndb;
    ks->seed = seed;
    ks->rnd_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
    ks->dbs = xcalloc((size_t)ndb, sizeof(struct db));
    for (int i = 0; i < ndb; i++) {
        struct db *db = &ks->dbs[i];
        db->ks = ks;
        db->id = i;
        db->nslots = cluster ? KEYSLOT_COUNT : 1;
        db->slots = xcalloc(db->nslots, sizeof(struct dict *));
    }
    return ks;
}

static void destroy_node(struct dnode *n, void *arg)
{
    entry_free((struct entry *)n);
}

void keyspace_free(struct keyspace **ksp)
{
    struct keyspace *ks = *ksp;
    if (!ks)
        return;
    for (int i = 0; i < ks->ndb; i++)
        db_flush(&ks->dbs[i]);
    while (keyspace_gc_step(ks, 1u << 20))
        ;
    for (int i = 0; i < ks->ndb; i++) {
        struct db *db = &ks->dbs[i];
        for (unsigned s = 0; s < db->nslots; s++)
            dict_free(&db->slots[s]);
        free(db->slots);
        xv_free(db);
    }
    free(ks->graves);
    free(ks->dbs);
    evict_pool_free(&ks->evict_pool);
    free(ks);
    *ksp = NULL;
}

uint64_t keyspace_rand(struct keyspace *ks)
{
    /* xorshift64* */
    uint64_t x = ks->rnd_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    ks->rnd_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_cb(void *arg)
{
    return keyspace_rand(arg);
}

/* ---- slot dicts ---- */

static unsigned slot_of(const struct db *db, const char *key, size_t len)
{
    return db->nslots == 1 ? 0 : keyslot(key, len);
}

static struct dict *dict_for(struct db *db, const char *key, size_t len,
                             bool create)
{
    unsigned s = slot_of(db, key, len);
    if (!db->slots[s] && create)
        db->slots[s] = dict_new(&entry_dict_ops, db->ks->seed);
    return db->slots[s];
}

/* ---- TTL index ---- */

static void xv_add(struct db *db, struct entry *e)
{
    if (db->nx == db->nblocks * XV_BLOCK) {
        if (db->nblocks == db->capblocks) {
            db->capblocks = db->capblocks ? db->capblocks * 2 : 4;
            db->xvb = xrealloc(db->xvb, db->capblocks * sizeof(*db->xvb));
        }
        db->xvb[db->nblocks++] = xmalloc(XV_BLOCK * sizeof(struct entry *));
    }
    entry_set_xidx(e, (uint32_t)db->nx);
    db_xv_set(db, db->nx++, e);
}

static void xv_remove(struct db *db, struct entry *e)
{
    uint32_t i = entry_xidx(e);
    struct entry *last = db_xv_get(db, --db->nx);
    db_xv_set(db, i, last);
    entry_set_xidx(last, i);
    /* Keep one spare block so add/remove at a boundary do not thrash. */
    if (db->nblocks >= 2 && db->nx + 2 * XV_BLOCK <= db->nblocks * XV_BLOCK)
        free(db->xvb[--db->nblocks]);
}

static void xv_free(struct db *db)
{
    for (size_t b = 0; b < db->nblocks; b++)
        free(db->xvb[b]);
    free(db->xvb);
    db->xvb = NULL;
    db->nblocks = db->capblocks = 0;
    db->nx = 0;
}

/* ---- hooks ---- */

static void modified(struct db *db, const char *key, size_t len)
{
    struct keyspace *ks = db->ks;
    ks->dirty++;
    if (ks->hooks.on_modify)
        ks->hooks.on_modify(db, key, len, ks->hooks.arg);
}

void db_touch_modified(struct db *db, const char *key, size_t len)
{
    modified(db, key, len);
}

/* Removes a stored entry from its dict and the TTL index, and frees it. */
static void remove_entry(struct db *db, struct dict *d, struct entry *e)
{
    size_t len;
    const char *key = entry_key(e, &len);
    dict_remove(d, key, len);
    if (entry_has_ttl(e))
        xv_remove(db, e);
    db->keys--;
    entry_free(e);
}

static void expire_entry(struct db *db, struct dict *d, struct entry *e)
{
    struct keyspace *ks = db->ks;
    size_t len;
    const char *k = entry_key(e, &len);
    /* Copy the key: the hooks run after the entry is gone. */
    char small[128];
    char *key = len <= sizeof(small) ? small : malloc(len);
    if (!key)
        abort();
    memcpy(key, k, len);
    remove_entry(db, d, e);
    ks->expired_keys++;
    if (ks->hooks.on_expire)
        ks->hooks.on_expire(db, key, len, ks->hooks.arg);
    modified(db, key, len);
    if (key != small)
        free(key);
}

/* Used by expire.c. */
void db__expire_entry(struct db *db, struct entry *e)
{
    size_t len;
    const char *key = entry_key(e, &len);
    expire_entry(db, dict_for(db, key, len, false), e);
}

/* ---- lookups ---- */

struct entry *db_find(struct db *db, const char *key, size_t len,
                      uint64_t now_ms)
{
    struct dict *d = dict_for(db, key, len, false);
    if (!d)
        return NULL;
    struct entry *e = (struct entry *)dict_find(d, key, len);
    if (e && entry_expired(e, now_ms)) {
        expire_entry(db, d, e);
        return NULL;
    }
    return e;
}

struct entry *db_lookup(struct db *db, const char *key, size_t len,
                        uint64_t now_ms)
{
    struct entry *e = db_find(db, key, len, now_ms);
    if (e) {
        db->ks->keyspace_hits++;
        evict_touch(db->ks, e);
    } else {
        db->ks->keyspace_misses++;
    }
    return e;
}

void db_prefetch(struct db *db, const char *key, size_t len,
                 struct db_hint *hint)
{
    hint->slot = slot_of(db, key, len);
    struct dict *d = db->slots[hint->slot];
    hint->valid = d != NULL;
    if (d)
        hint->hash = dict_prefetch(d, key, len);
}

void db_prefetch_entry(struct db *db, const struct db_hint *hint)
{
    struct dict *d = hint->valid ? db->slots[hint->slot] : NULL;
    if (d)
        dict_prefetch_node(d, hint->hash);
}

bool db_exists(struct db *db, const char *key, size_t len, uint64_t now_ms)
{
    return db_find(db, key, len, now_ms) != NULL;
}

/* ---- writes ---- */

void db_add(struct db *db, struct entry *e)
{
    size_t len;
    const char *key = entry_key(e, &len);
    struct dict *d = dict_for(db, key, len, true);
    e->lru = evict_lru_init(db->ks);
    dict_add(d, (struct dnode *)(void *)e);
    if (entry_has_ttl(e))
        xv_add(db, e);
    db->keys++;
    modified(db, key, len);
}

void db_relink(struct db *db, struct entry *old, struct entry *ne)
{
    size_t len;
    const char *key = entry_key(ne, &len);
    struct dict *d = dict_for(db, key, len, false);
    if (old != ne) {
        struct dnode **link =
            dict_link_to(d, key, len, (struct dnode *)(void *)old);
        *link = (struct dnode *)(void *)ne;
    }
    /* old's TTL state is gone with old; compare through the index. */
    if (entry_has_ttl(ne)) {
        uint32_t i = entry_xidx(ne);
        if (i < db->nx && db_xv_get(db, i) == old)
            db_xv_set(db, i, ne);
        else if (!(i < db->nx && db_xv_get(db, i) == ne))
            xv_add(db, ne);
    }
    modified(db, key, len);
}

/* Replaces the entry that *link points at (old) by e. */
static void set_at(struct db *db, struct dnode **link, struct entry *e,
                   bool keep_ttl, uint64_t now_ms)
{
    struct entry *old = (struct entry *)*link;
    if (entry_expired(old, now_ms))
        keep_ttl = false;
    if (keep_ttl && entry_has_ttl(old)) {
        e = entry_set_expire(e, entry_expire(old));
        uint32_t i = entry_xidx(old);
        entry_set_xidx(e, i);
        db_xv_set(db, i, e);
    } else if (entry_has_ttl(old)) {
        xv_remove(db, old);
    }
    if (db->ks->lfu && !entry_expired(old, now_ms)) {
        /* An overwrite is an access: the key keeps its frequency. */
        e->lru = old->lru;
        evict_lfu_touch(db->ks, e);
    } else {
        e->lru = evict_lru_init(db->ks);
    }
    ((struct dnode *)(void *)e)->next = (*link)->next;
    *link = (struct dnode *)(void *)e;
    entry_free(old);
    if (entry_has_ttl(e) && !(keep_ttl))
        xv_add(db, e);
    size_t len;
    const char *key = entry_key(e, &len);
    modified(db, key, len);
}

void db_set(struct db *db, struct entry *e, bool keep_ttl, uint64_t now_ms)
{
    size_t len;
    const char *key = entry_key(e, &len);
    struct dict *d = dict_for(db, key, len, true);
    struct dnode **link = dict_find_link(d, key, len);
    if (!link) {
        db_add(db, e);
        return;
    }
    set_at(db, link, e, keep_ttl, now_ms);
}

void db_set_found(struct db *db, struct entry *old, struct entry *e,
                  bool keep_ttl, uint64_t now_ms)
{
    if (!old) {
        db_add(db, e);
        return;
    }
    size_t len;
    const char *key = entry_key(e, &len);
    struct dnode **link = dict_link_to(dict_for(db, key, len, false), key,
                                       len, (struct dnode *)(void *)old);
    set_at(db, link, e, keep_ttl, now_ms);
}

bool db_delete(struct db *db, const char *key, size_t len, uint64_t now_ms)
{
    struct entry *e = db_find(db, key, len, now_ms);
    if (!e)
        return false;
    remove_entry(db, dict_for(db, key, len, false), e);
    modified(db, key, len);
    return true;
}

struct entry *db_unlink(struct db *db, const char *key, size_t len)
{
    struct dict *d = dict_for(db, key, len, false);
    if (!d)
        return NULL;
    struct entry *e = (struct entry *)dict_remove(d, key, len);
    if (!e)
        return NULL;
    if (entry_has_ttl(e))
        xv_remove(db, e);
    db->keys--;
    ((struct dnode *)(void *)e)->next = NULL;
    modified(db, key, len);
    return e;
}

/* Points the dict link of old (already freed by realloc) at ne. */
static void relink_moved(struct db *db, struct entry *old, struct entry *ne)
{
    size_t len;
    const char *key = entry_key(ne, &len);
    struct dnode **link = dict_link_to(dict_for(db, key, len, false), key,
                                       len, (struct dnode *)(void *)old);
    *link = (struct dnode *)(void *)ne;
}

struct entry *db_set_expire(struct db *db, struct entry *e, int64_t when)
{
    bool had = entry_has_ttl(e);
    struct entry *ne = entry_set_expire(e, when);
    if (had)
        db_xv_set(db, entry_xidx(ne), ne);
    else
        xv_add(db, ne);
    if (ne != e)
        relink_moved(db, e, ne);
    size_t len;
    const char *key = entry_key(ne, &len);
    modified(db, key, len);
    return ne;
}

struct entry *db_persist(struct db *db, struct entry *e)
{
    if (!entry_has_ttl(e))
        return e;
    xv_remove(db, e);
    struct entry *ne = entry_clear_expire(e);
    if (ne != e)
        relink_moved(db, e, ne);
    size_t len;
    const char *key = entry_key(ne, &len);
    modified(db, key, len);
    return ne;
}

/* ---- flush / swap / gc ---- */

static void add_grave(struct keyspace *ks, struct dict_graveyard *g)
{
    if (!g)
        return;
    if (ks->ngraves == ks->capgraves) {
        ks->capgraves = ks->capgraves ? ks->capgraves * 2 : 8;
        ks->graves = xrealloc(ks->graves, ks->capgraves * sizeof(*ks->graves));
    }
    ks->graves[ks->ngraves++] = g;
}

void db_flush(struct db *db)
{
    if (db->ks->hooks.on_flush && db->keys)
        db->ks->hooks.on_flush(db, NULL, db->ks->hooks.arg);
    for (unsigned s = 0; s < db->nslots; s++) {
        if (db->slots[s] && dict_size(db->slots[s]))
            add_grave(db->ks, dict_detach_all(db->slots[s]));
    }
    db->keys = 0;
    xv_free(db);
    db->ks->dirty++;
}

void db_swap(struct db *a, struct db *b)
{
    struct db t = *a;
    if (a->ks->hooks.on_flush) {
        a->ks->hooks.on_flush(a, b, a->ks->hooks.arg);
        a->ks->hooks.on_flush(b, a, a->ks->hooks.arg);
    }
    a->nslots = b->nslots;
    a->slots = b->slots;
    a->keys = b->keys;
    a->xvb = b->xvb;
    a->nx = b->nx;
    a->nblocks = b->nblocks;
    a->capblocks = b->capblocks;
    a->avg_ttl_ms = b->avg_ttl_ms;
    b->nslots = t.nslots;
    b->slots = t.slots;
    b->keys = t.keys;
    b->xvb = t.xvb;
    b->nx = t.nx;
    b->nblocks = t.nblocks;
    b->capblocks = t.capblocks;
    b->avg_ttl_ms = t.avg_ttl_ms;
}

bool keyspace_gc_step(struct keyspace *ks, unsigned budget)
{
    while (ks->ngraves) {
        struct dict_graveyard *g = ks->graves[ks->ngraves - 1];
        if (dict_graveyard_step(g, budget, destroy_node, NULL))
            return true;
        ks->ngraves--;
    }
    return false;
}

void keyspace_rehash_step(struct keyspace *ks, unsigned buckets)
{
    for (int i = 0; i < ks->ndb; i++) {
        struct db *db = &ks->dbs[i];
        if (db->nslots == 1) {
            struct dict *d = db->slots[0];
            if (d && !dict_rehash_step(d, buckets))
                dict_shrink_if_needed(d);
            continue;
        }
        /* Cluster mode: a rotating window of slot dicts per call. */
        static unsigned next;
        for (unsigned k = 0; k < 64; k++) {
            struct dict *d = db->slots[next++ & (KEYSLOT_COUNT - 1)];
            if (d && !dict_rehash_step(d, buckets / 8 + 1))
                dict_shrink_if_needed(d);
        }
    }
}

/* ---- iteration ---- */

uint64_t db_scan(struct db *db, uint64_t cursor, dict_scan_fn fn, void *arg)
{
    if (db->nslots == 1)
        return db->slots[0] ? dict_scan(db->slots[0], cursor, fn, arg) : 0;
    unsigned slot = (unsigned)(cursor & (KEYSLOT_COUNT - 1));
    uint64_t c = cursor >> 14;
    while (slot < KEYSLOT_COUNT) {
        struct dict *d = db->slots[slot];
        if (d && dict_size(d)) {
            c = dict_scan(d, c, fn, arg);
            if (c)
                return (c << 14) | slot;
            slot++;
            return slot < KEYSLOT_COUNT ? slot : 0;
        }
        slot++;
        c = 0;
    }
    return 0;
}

/* A non-empty dict of db, a random slot's in cluster mode; NULL if none. */
static struct dict *random_dict(struct db *db)
{
    if (db->nslots == 1)
        return db->slots[0];
    for (int k = 0; k < 64; k++) {
        struct dict *c =
            db->slots[keyspace_rand(db->ks) & (KEYSLOT_COUNT - 1)];
        if (c && dict_size(c))
            return c;
    }
    for (unsigned s = 0; s < KEYSLOT_COUNT; s++)
        if (db->slots[s] && dict_size(db->slots[s]))
            return db->slots[s];
    return NULL;
}

struct entry *db_random(struct db *db, uint64_t now_ms)
{
    for (int tries = 0; tries < 100 && db->keys; tries++) {
        struct dict *d = random_dict(db);
        if (!d)
            return NULL;
        struct entry *e = (struct entry *)dict_random(d, rnd_cb, db->ks);
        if (!e)
            return NULL;
        if (!entry_expired(e, now_ms))
            return e;
        /* Every key expired: return one anyway after a few tries, as
         * Redis does, rather than loop; here delete and retry. */
        expire_entry(db, d, e);
    }
    return NULL;
}

size_t db_sample(struct db *db, struct entry **out, size_t n)
{
    struct dict *d = random_dict(db);
    if (!d)
        return 0;
    size_t got = dict_sample(d, (struct dnode **)(void *)out, n, rnd_cb,
                             db->ks);
    for (size_t i = 0; i < got; i++)
        __builtin_prefetch(out[i]);
    return got;
}

size_t db_slot_count(const struct db *db, unsigned slot)
{
    if (db->nslots == 1)
        return slot == 0 ? db->keys : 0;
    return db->slots[slot] ? dict_size(db->slots[slot]) : 0;
}

uint64_t db_slot_scan(struct db *db, unsigned slot, uint64_t cursor,
                      dict_scan_fn fn, void *arg)
{
    if (slot >= db->nslots || !db->slots[slot])
        return 0;
    return dict_scan(db->slots[slot], cursor, fn, arg);
}

size_t db_overhead(const struct db *db)
{
    size_t m = db->nblocks * XV_BLOCK * sizeof(struct entry *) +
               db->capblocks * sizeof(void *) + db->nslots * sizeof(void *);
    for (unsigned s = 0; s < db->nslots; s++)
        if (db->slots[s])
            m += dict_mem(db->slots[s]);
    return m;
}
