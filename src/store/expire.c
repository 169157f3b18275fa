/*
 * expire.c: active expiry.
 *
 * Core idea (Redis's adaptive cycle over a dense index): each call samples
 * up to 20 random entries from each db's TTL index and deletes the expired
 * ones; while more than 10% of a sample was expired the db probably holds
 * many more, so it samples again, until the key budget or the time budget
 * runs out. A million keys expiring at once are therefore removed over many
 * ticks, each bounded, instead of in one stall. Lazy expiry on access
 * (db.c) covers whatever the cycle has not reached yet.
 */
#include "db.h"

#define SAMPLE 20

void db__expire_entry(struct db *db, struct entry *e);

size_t expire_cycle(struct keyspace *ks, uint64_t now_ms, size_t max_keys,
                    uint64_t max_us, uint64_t (*clock_us)(void))
{
    static int next_db;
    size_t expired = 0, checked = 0;
    uint64_t start = clock_us ? clock_us() : 0;

    for (int k = 0; k < ks->ndb; k++) {
        struct db *db = &ks->dbs[(next_db + k) % ks->ndb];
        for (;;) {
            if (db->nx == 0)
                break;
            size_t hit = 0, n = db->nx < SAMPLE ? db->nx : SAMPLE;
            uint64_t ttl_sum = 0;
            size_t ttl_n = 0;
            for (size_t i = 0; i < n && db->nx; i++) {
                struct entry *e = db_xv_get(db, keyspace_rand(ks) % db->nx);
                int64_t when = entry_expire(e);
                checked++;
                if ((uint64_t)when <= now_ms) {
                    db__expire_entry(db, e);
                    hit++;
                    expired++;
                } else {
                    ttl_sum += (uint64_t)when - now_ms;
                    ttl_n++;
                }
            }
            if (ttl_n) {
                size_t avg = (size_t)(ttl_sum / ttl_n);
                db->avg_ttl_ms = db->avg_ttl_ms
                    ? (db->avg_ttl_ms / 50) * 49 + avg / 50 : avg;
            }
            if (expired >= max_keys || checked >= max_keys * 2)
                goto out;
            if (clock_us &&
                clock_us() - start > max_us)
                goto out;
            if (hit * 10 <= n)
                break;
        }
    }
out:
    next_db = (next_db + 1) % ks->ndb;
    return expired;
}
