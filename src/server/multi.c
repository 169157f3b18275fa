/*
 * multi.c: MULTI / EXEC / DISCARD / WATCH / UNWATCH.
 *
 * Queued commands are copied out of the read buffer (they outlive it).
 * WATCH keeps a table from (db, key) to the clients watching it; the
 * keyspace's on_modify hook looks the key up there and flags those clients
 * CL_DIRTY_CAS, so EXEC replies a null array. When nobody watches anything
 * the hook returns after one comparison.
 *
 * Expiry follows Redis 7.0: a key already expired at WATCH time counts as
 * absent (WATCH deletes it before registering, so that deletion is not a
 * change), and a key that expires between WATCH and EXEC is a change even
 * when nothing has deleted it yet (EXEC looks its watched keys up first).
 * Emptying or swapping a db touches only watchers of keys that exist.
 *
 *   watch table bucket -> wnode(db, key, clients[]) -> wnode ...
 *   client.watched     -> watched_key(wnode) -> watched_key ...
 */
#include "server.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "xxhash.h"

struct wnode {
    struct wnode *next;
    int db;
    size_t klen;
    struct client **cl;
    int ncl, capcl;
    char key[];
};

struct watched_key {
    struct watched_key *next;
    struct wnode *wn;
};

struct watch_table {
    struct wnode **b;
    size_t nb, n;
};

static size_t bucket_of(const struct watch_table *t, int db, const char *k,
                        size_t len)
{
    return (size_t)(XXH3_64bits_withSeed(k, len, (uint64_t)db) & (t->nb - 1));
}

static struct wnode **find(struct watch_table *t, int db, const char *k,
                           size_t len)
{
    struct wnode **p = &t->b[bucket_of(t, db, k, len)];
    while (*p) {
        if ((*p)->db == db && (*p)->klen == len && !memcmp((*p)->key, k, len))
            return p;
        p = &(*p)->next;
    }
    return p;
}

static void grow(struct watch_table *t)
{
    size_t nb = t->nb ? t->nb * 2 : 64;
    struct wnode **b = calloc(nb, sizeof(*b));
    if (!b)
        abort();
    struct watch_table nt = { b, nb, t->n };
    for (size_t i = 0; i < t->nb; i++) {
        struct wnode *w = t->b[i];
        while (w) {
            struct wnode *next = w->next;
            size_t h = bucket_of(&nt, w->db, w->key, w->klen);
            w->next = b[h];
            b[h] = w;
            w = next;
        }
    }
    free(t->b);
    *t = nt;
}

static void watch_key(struct client *c, const char *k, size_t len)
{
    struct server *s = c->srv;
    if (!s->watches) {
        s->watches = calloc(1, sizeof(*s->watches));
        if (!s->watches)
            abort();
    }
    struct watch_table *t = s->watches;
    if (t->n >= t->nb)
        grow(t);
    for (struct watched_key *w = c->watched; w; w = w->next)
        if (w->wn->db == c->dbid && w->wn->klen == len &&
            !memcmp(w->wn->key, k, len))
            return;
    struct wnode **p = find(t, c->dbid, k, len);
    struct wnode *wn = *p;
    if (!wn) {
        wn = calloc(1, sizeof(*wn) + len);
        if (!wn)
            abort();
        wn->db = c->dbid;
        wn->klen = len;
        memcpy(wn->key, k, len);
        *p = wn;
        t->n++;
    }
    if (wn->ncl == wn->capcl) {
        wn->capcl = wn->capcl ? wn->capcl * 2 : 4;
        wn->cl = realloc(wn->cl, (size_t)wn->capcl * sizeof(*wn->cl));
        if (!wn->cl)
            abort();
    }
    wn->cl[wn->ncl++] = c;
    struct watched_key *w = malloc(sizeof(*w));
    if (!w)
        abort();
    w->wn = wn;
    w->next = c->watched;
    c->watched = w;
    c->nwatched++;
}

void multi_unwatch_all(struct client *c)
{
    struct watch_table *t = c->srv->watches;
    while (c->watched) {
        struct watched_key *w = c->watched;
        struct wnode *wn = w->wn;
        for (int i = 0; i < wn->ncl; i++)
            if (wn->cl[i] == c) {
                wn->cl[i] = wn->cl[--wn->ncl];
                break;
            }
        if (wn->ncl == 0) {
            struct wnode **p = find(t, wn->db, wn->key, wn->klen);
            *p = wn->next;
            t->n--;
            free(wn->cl);
            free(wn);
        }
        c->watched = w->next;
        free(w);
    }
    c->nwatched = 0;
    c->flags &= ~CL_DIRTY_CAS;
}

void multi_on_modify(struct db *db, const char *key, size_t len, void *arg)
{
    struct server *s = arg;
    if (!s->watches || s->watches->n == 0)
        return;
    struct wnode *wn = *find(s->watches, db->id, key, len);
    if (!wn)
        return;
    for (int i = 0; i < wn->ncl; i++)
        wn->cl[i]->flags |= CL_DIRTY_CAS;
}

void multi_flag_all_watchers_dirty(struct server *s)
{
    for (struct client *c = s->clients; c; c = c->next)
        if (c->watched)
            c->flags |= CL_DIRTY_CAS;
}

/* A db is about to be emptied (FLUSHDB, FLUSHALL; with is NULL) or to
 * take the keys of with (SWAPDB). As in Redis, only watchers of a key that
 * exists (and is not expired) in db or in with are touched: watching a
 * missing key survives a FLUSHALL, and the same name in a third db does
 * not count. */
void multi_on_flush(struct db *db, struct db *with, void *arg)
{
    struct server *s = arg;
    if (!s->watches || s->watches->n == 0)
        return;
    uint64_t now = loop_now(s->loop);
    for (struct client *c = s->clients; c; c = c->next)
        for (struct watched_key *w = c->watched; w; w = w->next)
            if (w->wn->db == db->id &&
                (db_exists(db, w->wn->key, w->wn->klen, now) ||
                 (with && db_exists(with, w->wn->key, w->wn->klen, now)))) {
                c->flags |= CL_DIRTY_CAS;
                break;
            }
}

void multi_discard(struct client *c)
{
    for (int i = 0; i < c->mqlen; i++) {
        struct queued_cmd *q = &c->mq[i];
        for (int j = 0; j < q->argc; j++)
            free(q->argv[j]);
        free(q->argv);
        free(q->argvlen);
    }
    free(c->mq);
    c->mq = NULL;
    c->mqlen = c->mqcap = 0;
    c->flags &= ~(CL_MULTI | CL_DIRTY_EXEC | CL_DIRTY_CAS);
    multi_unwatch_all(c);
}

void multi_client_gone(struct client *c)
{
    multi_discard(c);
}

void multi_queue(struct client *c, const struct cmd_def *d, int argc,
                 const char **argv, const size_t *argvlen)
{
    if (c->mqlen == c->mqcap) {
        c->mqcap = c->mqcap ? c->mqcap * 2 : 8;
        c->mq = realloc(c->mq, (size_t)c->mqcap * sizeof(*c->mq));
        if (!c->mq)
            abort();
    }
    struct queued_cmd *q = &c->mq[c->mqlen++];
    q->cmd = d;
    q->argc = argc;
    q->argv = malloc((size_t)argc * sizeof(char *));
    q->argvlen = malloc((size_t)argc * sizeof(size_t));
    if (!q->argv || !q->argvlen)
        abort();
    for (int i = 0; i < argc; i++) {
        q->argv[i] = malloc(argvlen[i] + 1);
        if (!q->argv[i])
            abort();
        memcpy(q->argv[i], argv[i], argvlen[i]);
        q->argv[i][argvlen[i]] = 0;
        q->argvlen[i] = argvlen[i];
    }
    struct resp_w w = { .ob = conn_out(c->conn), .proto = c->proto };
    if (!(c->flags & (CL_REPLY_OFF | CL_REPLY_SKIP)))
        resp_w_simple(&w, "QUEUED", 6);
}

static void multi_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (c->flags & CL_MULTI) {
        reply_err(ctx, ERR_MULTI_NESTED);
        return;
    }
    c->flags |= CL_MULTI;
    resp_w_ok(ctx->w);
}

static void discard_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (!(c->flags & CL_MULTI)) {
        reply_err(ctx, ERR_DISCARD_NO_MULTI);
        return;
    }
    multi_discard(c);
    resp_w_ok(ctx->w);
}

/* A watched key that expired since WATCH is a change even if nothing has
 * deleted it yet: looking it up deletes it, which flags this client. */
static void expire_watched(struct client *c, uint64_t now_ms)
{
    struct keyspace *ks = c->srv->ks;
    for (struct watched_key *w = c->watched; w; w = w->next)
        if (!(c->flags & CL_DIRTY_CAS) && w->wn->db < ks->ndb)
            db_find(&ks->dbs[w->wn->db], w->wn->key, w->wn->klen, now_ms);
}

static void exec_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (!(c->flags & CL_MULTI)) {
        reply_err(ctx, ERR_EXEC_NO_MULTI);
        return;
    }
    if (c->flags & CL_DIRTY_EXEC) {
        reply_err(ctx, ERR_EXECABORT);
        multi_discard(c);
        return;
    }
    expire_watched(c, ctx->now_ms);
    if (c->flags & CL_DIRTY_CAS) {
        resp_w_null_array(ctx->w);
        multi_discard(c);
        return;
    }
    /* Take the queue so that commands run with the client out of MULTI. */
    struct queued_cmd *mq = c->mq;
    int n = c->mqlen;
    c->mq = NULL;
    c->mqlen = c->mqcap = 0;
    c->flags &= ~CL_MULTI;
    multi_unwatch_all(c);
    resp_w_array(ctx->w, n);
    c->flags |= CL_IN_EXEC;
    for (int i = 0; i < n; i++) {
        struct queued_cmd *q = &mq[i];
        cmd_call(c, q->cmd, q->argc, (const char **)q->argv, q->argvlen);
        if (c->flags & CL_CLOSED)
            break;
    }
    c->flags &= ~CL_IN_EXEC;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < mq[i].argc; j++)
            free(mq[i].argv[j]);
        free(mq[i].argv);
        free(mq[i].argvlen);
    }
    free(mq);
}

static void watch_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (c->flags & CL_MULTI) {
        reply_err(ctx, ERR_WATCH_IN_MULTI);
        return;
    }
    /* A key that is already expired is deleted first (its deletion must
     * not count as a change: Redis treats it as absent from the start). */
    for (int i = 1; i < ctx->argc; i++) {
        db_find(ctx->db, ctx->argv[i], ctx->argvlen[i], ctx->now_ms);
        watch_key(c, ctx->argv[i], ctx->argvlen[i]);
    }
    resp_w_ok(ctx->w);
}

static void unwatch_command(struct cmd_ctx *ctx)
{
    multi_unwatch_all(ctx_client(ctx));
    resp_w_ok(ctx->w);
}

#define TX (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | \
            CMD_ALLOW_BUSY)

const struct cmd_def multi_commands[] = {
    {"multi", multi_command, 1, TX | CMD_ALLOW_PAUSED, 0, 0, 0,
     "transactions", NULL, NULL, "@fast @transaction"},
    {"exec", exec_command, 1, CMD_NOSCRIPT | CMD_LOADING | CMD_STALE |
     CMD_SKIP_SLOWLOG, 0, 0, 0, "transactions", NULL, NULL,
     "@slow @transaction"},
    {"discard", discard_command, 1, TX | CMD_ALLOW_PAUSED, 0, 0, 0,
     "transactions", NULL, NULL, "@fast @transaction"},
    {"watch", watch_command, -2, TX | CMD_ALLOW_PAUSED, 1, -1, 1,
     "transactions", NULL, NULL, "@fast @transaction"},
    {"unwatch", unwatch_command, 1, TX | CMD_ALLOW_PAUSED, 0, 0, 0,
     "transactions", NULL, NULL, "@fast @transaction"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
