/*
 * commands.c: the command table and dispatch.
 *
 * The table is the concatenation of every module's rows (types/strings.c,
 * types/keys.c, the server's own). At startup the names go into an
 * open-addressed hash table keyed by the lower-cased name, so a lookup is
 * one hash of the (at most 32-byte) name plus one length check and one
 * case-insensitive compare to confirm: no scan over names on the hot path.
 *
 * cmd_dispatch follows Redis's processCommand order: lookup, arity,
 * authentication, MULTI queueing, OOM, CLIENT PAUSE, then the call, with
 * stats, slowlog and MONITOR around it.
 */
#include "server.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "errors.h"
#include "evict.h"

#define HBITS 10
#define HSIZE (1u << HBITS)

#define PBITS 11
#define PSIZE (1u << PBITS)

struct cmd_table {
    const struct cmd_def **rows;    /* dense: commands, then subcommands */
    const struct cmd_def **parent;  /* container row of a subcommand */
    int nrows;                      /* all rows */
    int ntop;                       /* top-level rows (rows[0..ntop)) */
    int16_t pslot[PSIZE];           /* row pointer hash -> index + 1 */
    struct cmd_stat *stats;
    int16_t slot[HSIZE];            /* row index + 1, 0 = empty */
    uint8_t *namelen;               /* strlen of each row's name */
};

static const struct cmd_def *const all_tables[] = {
    strings_commands, keys_commands, conn_commands, server_commands,
    multi_commands, command_commands,
};

/* FNV-1a over the ASCII-lower-cased name; also writes the lower-cased
 * bytes to low (len <= 32). */
static uint32_t name_hash(const char *s, size_t len, char *low)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        low[i] = ch;
        h = (h ^ (uint32_t)(unsigned char)ch) * 16777619u;
    }
    return h;
}

static uint32_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(x >> (64 - PBITS));
}

struct cmd_table *cmd_table_new(void)
{
    struct cmd_table *t = calloc(1, sizeof(*t));
    if (!t)
        abort();
    int cap = 0;
    for (size_t k = 0; k < sizeof(all_tables) / sizeof(all_tables[0]); k++)
        for (const struct cmd_def *d = all_tables[k]; d->name; d++) {
            cap++;
            for (const struct cmd_def *sd = d->subcmds; sd && sd->name; sd++)
                cap++;
        }
    t->rows = calloc((size_t)cap, sizeof(*t->rows));
    t->parent = calloc((size_t)cap, sizeof(*t->parent));
    t->namelen = calloc((size_t)cap, 1);
    t->stats = calloc((size_t)cap, sizeof(*t->stats));
    if (!t->rows || !t->stats || !t->parent || !t->namelen)
        abort();
    for (size_t k = 0; k < sizeof(all_tables) / sizeof(all_tables[0]); k++) {
        for (const struct cmd_def *d = all_tables[k]; d->name; d++) {
            size_t len = strlen(d->name);
            char low[64];
            uint32_t h = name_hash(d->name, len < 64 ? len : 63, low) &
                         (HSIZE - 1);
            while (t->slot[h])
                h = (h + 1) & (HSIZE - 1);
            t->slot[h] = (int16_t)(t->nrows + 1);
            t->namelen[t->nrows] = (uint8_t)len;
            t->rows[t->nrows++] = d;
        }
    }
    t->ntop = t->nrows;
    for (int i = 0; i < t->ntop; i++)
        for (const struct cmd_def *sd = t->rows[i]->subcmds; sd && sd->name;
             sd++) {
            t->parent[t->nrows] = t->rows[i];
            t->rows[t->nrows++] = sd;
        }
    for (int i = 0; i < t->nrows; i++) {
        uint32_t h = ptr_hash(t->rows[i]);
        while (t->pslot[h])
            h = (h + 1) & (PSIZE - 1);
        t->pslot[h] = (int16_t)(i + 1);
    }
    return t;
}

void cmd_table_free(struct cmd_table **tp)
{
    struct cmd_table *t = *tp;
    if (!t)
        return;
    free(t->rows);
    free(t->parent);
    free(t->namelen);
    free(t->stats);
    free(t);
    *tp = NULL;
}

const struct cmd_def *cmd_lookup(const struct cmd_table *t, const char *name,
                                 size_t len)
{
    if (len == 0 || len > 32)
        return NULL;
    char low[32];
    uint32_t h = name_hash(name, len, low) & (HSIZE - 1);
    while (t->slot[h]) {
        int i = t->slot[h] - 1;
        if (t->namelen[i] == len && memcmp(t->rows[i]->name, low, len) == 0)
            return t->rows[i];
        h = (h + 1) & (HSIZE - 1);
    }
    return NULL;
}

const struct cmd_def *cmd_lookup_sub(const struct cmd_def *parent,
                                     const char *name, size_t len)
{
    for (const struct cmd_def *d = parent->subcmds; d && d->name; d++)
        if (strlen(d->name) == len && strncasecmp(d->name, name, len) == 0)
            return d;
    return NULL;
}

int cmd_index(const struct cmd_table *t, const struct cmd_def *d)
{
    uint32_t h = ptr_hash(d);
    while (t->pslot[h]) {
        int i = t->pslot[h] - 1;
        if (t->rows[i] == d)
            return i;
        h = (h + 1) & (PSIZE - 1);
    }
    return -1;
}

int cmd_count(const struct cmd_table *t)
{
    return t->ntop;
}

int cmd_count_all(const struct cmd_table *t)
{
    return t->nrows;
}

const struct cmd_def *cmd_parent(const struct cmd_table *t, int i)
{
    return i >= 0 && i < t->nrows ? t->parent[i] : NULL;
}

const struct cmd_def *cmd_at(const struct cmd_table *t, int i)
{
    return i >= 0 && i < t->nrows ? t->rows[i] : NULL;
}

struct cmd_stat *cmd_stats(struct cmd_table *t, int i)
{
    return &t->stats[i];
}

uint64_t now_us_raw(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- replies for rejected commands ---- */

static struct resp_w writer_for(struct client *c)
{
    struct resp_w w = { .ob = conn_out(c->conn), .proto = c->proto };
    return w;
}

void errorstat_add(struct server *s, const char *code)
{
    s->stats.total_error_replies++;
    for (int i = 0; i < s->nerrstats; i++)
        if (!strcmp(s->errstats[i].code, code)) {
            s->errstats[i].count++;
            return;
        }
    /* Like Redis, stop tracking new codes past 128 of them. */
    if (s->nerrstats == (int)(sizeof(s->errstats) / sizeof(s->errstats[0])))
        return;
    struct error_stat *e = &s->errstats[s->nerrstats++];
    snprintf(e->code, sizeof(e->code), "%s", code);
    e->count = 1;
}

/* Replies an error for a command that was not run. `d` is the command
 * when it was resolved (its rejected_calls counter goes up). */
static void reject_cmd(struct client *c, const struct cmd_def *d,
                       const char *msg, size_t len)
{
    struct resp_w w = writer_for(c);
    struct obuf scratch;
    if (c->flags & CL_MULTI)
        c->flags |= CL_DIRTY_EXEC;
    if (d) {
        int idx = cmd_index(c->srv->cmds, d);
        if (idx >= 0)
            cmd_stats(c->srv->cmds, idx)->rejected++;
    }
    if (c->flags & (CL_REPLY_OFF | CL_REPLY_SKIP)) {
        obuf_init(&scratch);
        w.ob = &scratch;
    }
    resp_w_error(&w, msg, len);
    errorstat_add(c->srv, w.errcode);
    if (w.ob != conn_out(c->conn))
        obuf_reset(&scratch);
}

static void reject(struct client *c, const char *msg, size_t len)
{
    reject_cmd(c, NULL, msg, len);
}

static void reject_unknown(struct client *c, int argc, const char **argv,
                           const size_t *argvlen)
{
    /* Redis quotes the arguments until the excerpt reaches 128 bytes. */
    char args[300];
    int alen = 0;
    for (int i = 1; i < argc && alen < 128; i++)
        alen += snprintf(args + alen, sizeof(args) - (size_t)alen, "'%.*s' ",
                         (int)(argvlen[i] < (size_t)(128 - alen)
                               ? argvlen[i] : (size_t)(128 - alen)),
                         argv[i]);
    args[alen] = 0;
    char msg[512];
    int n = snprintf(msg, sizeof(msg), "ERR unknown command '%.*s', with "
                     "args beginning with: %s",
                     (int)(argvlen[0] > 128 ? 128 : argvlen[0]), argv[0],
                     args);
    reject(c, msg, (size_t)n);
}

/* A rejected EXEC aborts the transaction, as Redis's execCommandAbort. */
static void reject_exec(struct client *c, const char *msg)
{
    if (!strncmp(msg, "ERR ", 4))
        msg += 4;
    char buf[512];
    int n = snprintf(buf, sizeof(buf), "EXECABORT Transaction discarded "
                     "because of: %s", msg);
    c->flags &= ~CL_MULTI;
    reject(c, buf, (size_t)n);
    multi_discard(c);
}

static void reject_arity(struct client *c, const char *parent,
                         const char *name)
{
    char msg[256];
    int n;
    if (parent)
        n = snprintf(msg, sizeof(msg), "ERR wrong number of arguments for "
                     "'%s|%s' command", parent, name);
    else
        n = snprintf(msg, sizeof(msg), ERR_ARITY, name);
    if (!parent && !strcmp(name, "exec")) {
        reject_exec(c, msg);
        return;
    }
    reject(c, msg, (size_t)n);
}

static bool arity_ok(int arity, int argc)
{
    return arity > 0 ? argc == arity : argc >= -arity;
}

/* cmd_lookup behind a one-entry cache: a pipeline, and most traffic,
 * repeats one command name spelled the same way, and comparing the bytes
 * costs less than hashing and folding the case. */
static const struct cmd_def *lookup_cached(struct server *s, const char *name,
                                           size_t len)
{
    if (len == s->lookup_cache.len &&
        memcmp(s->lookup_cache.name, name, len) == 0)
        return s->lookup_cache.def;
    const struct cmd_def *d = cmd_lookup(s->cmds, name, len);
    if (d && len <= sizeof(s->lookup_cache.name)) {
        memcpy(s->lookup_cache.name, name, len);
        s->lookup_cache.len = len;
        s->lookup_cache.def = d;
    }
    return d;
}

/* Resolves argv to a row (a subcommand row for container commands) and
 * checks arity. Replies and returns NULL on failure. */
static const struct cmd_def *resolve(struct client *c, int argc,
                                     const char **argv, const size_t *argvlen)
{
    const struct cmd_def *d = lookup_cached(c->srv, argv[0], argvlen[0]);
    if (!d) {
        reject_unknown(c, argc, argv, argvlen);
        return NULL;
    }
    if (d->subcmds) {
        if (argc < 2) {
            reject_arity(c, NULL, d->name);
            return NULL;
        }
        const struct cmd_def *s = cmd_lookup_sub(d, argv[1], argvlen[1]);
        if (!s) {
            char msg[512], up[64];
            size_t k = 0;
            for (; d->name[k] && k < sizeof(up) - 1; k++)
                up[k] = (char)toupper((unsigned char)d->name[k]);
            up[k] = 0;
            int n = snprintf(msg, sizeof(msg), "ERR unknown subcommand "
                             "'%.*s'. Try %s HELP.",
                             (int)(argvlen[1] > 128 ? 128 : argvlen[1]),
                             argv[1], up);
            reject(c, msg, (size_t)n);
            return NULL;
        }
        if (!arity_ok(s->arity, argc)) {
            reject_arity(c, d->name, s->name);
            return NULL;
        }
        return s;
    }
    if (!arity_ok(d->arity, argc)) {
        reject_arity(c, NULL, d->name);
        return NULL;
    }
    return d;
}

void cmd_ctx_init(struct cmd_ctx *ctx, struct client *c, struct resp_w *w,
                  int argc, const char **argv, const size_t *argvlen)
{
    ctx->argc = argc;
    ctx->argv = argv;
    ctx->argvlen = argvlen;
    ctx->db = c->db;
    ctx->ks = c->srv->ks;
    ctx->w = w;
    ctx->now_ms = loop_now(c->srv->loop);
    ctx->lim = &c->srv->lim;
    ctx->client = c;
    ctx->server = c->srv;
}

void cmd_call(struct client *c, const struct cmd_def *d, int argc,
              const char **argv, const size_t *argvlen)
{
    struct server *s = c->srv;
    struct obuf scratch;
    struct resp_w w;
    bool drop = c->flags & (CL_REPLY_OFF | CL_REPLY_SKIP);
    if (drop) {
        obuf_init(&scratch);
        w.ob = &scratch;
    } else {
        w.ob = conn_out(c->conn);
    }
    w.proto = c->proto;
    w.nerr = 0;

    struct cmd_ctx ctx;
    cmd_ctx_init(&ctx, c, &w, argc, argv, argvlen);
    if (s->nmonitors && !(d->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        monitor_feed(s, c, argc, argv, argvlen);
    /* One clock read per command: the previous command's end (in this
     * loop turn) is this one's start. */
    uint64_t t0 = s->cmd_clock_valid ? s->cmd_clock_us : now_us_raw();
    d->fn(&ctx);
    uint64_t t1 = now_us_raw();
    uint64_t dur = t1 > t0 ? t1 - t0 : 0;
    s->cmd_clock_us = t1;
    s->cmd_clock_valid = true;

    int idx = cmd_index(s->cmds, d);
    if (idx >= 0) {
        struct cmd_stat *st = cmd_stats(s->cmds, idx);
        st->calls++;
        st->usec += dur;
        if (w.nerr)
            st->failed++;
    }
    c->last_cmd = d->name;
    c->tot_cmds++;
    s->stats.total_commands++;
    if (w.nerr)
        errorstat_add(s, w.errcode);
    long long slower = s->cfg->slowlog_log_slower_than;
    if (slower >= 0 && dur >= (uint64_t)slower &&
        !(d->flags & CMD_SKIP_SLOWLOG))
        slowlog_maybe_add(s, c, argc, argv, argvlen, dur);
    if (drop) {
        /* CLIENT REPLY ON itself is answered although replies were off. */
        if (!(c->flags & (CL_REPLY_OFF | CL_REPLY_SKIP)) &&
            !(c->flags & CL_CLOSED)) {
            struct iovec iov[16];
            int n;
            while ((n = obuf_iov(&scratch, iov, 16)) > 0) {
                size_t total = 0;
                for (int i = 0; i < n; i++) {
                    obuf_append(conn_out(c->conn), iov[i].iov_base,
                                iov[i].iov_len);
                    total += iov[i].iov_len;
                }
                obuf_consume(&scratch, total);
            }
        }
        obuf_reset(&scratch);
    }
}

static bool is_multi_ctl(const struct cmd_def *d)
{
    return !strcmp(d->name, "exec") || !strcmp(d->name, "discard") ||
           !strcmp(d->name, "multi") || !strcmp(d->name, "watch") ||
           !strcmp(d->name, "quit") || !strcmp(d->name, "reset");
}

int server_evict(struct server *s, size_t used, uint64_t max_us)
{
    const struct config *cfg = s->cfg;
    struct evict_cfg ec = {
        .policy = (enum evict_policy)cfg->maxmemory_policy,
        .samples = (unsigned)cfg->maxmemory_samples,
        .lfu_log_factor = (unsigned)cfg->lfu_log_factor,
        .lfu_decay_time = (unsigned)cfg->lfu_decay_time,
    };
    enum evict_status st;
    evict_until(s->ks, &ec, used, (size_t)cfg->maxmemory, loop_now(s->loop),
                server_used_memory, max_us, now_us_raw, &st);
    s->evict_running = st == EVICT_RUNNING;
    return st;
}

/* Whether CLIENT PAUSE holds this command now. */
static bool held_by_pause(struct client *c, const struct cmd_def *d)
{
    struct server *s = c->srv;
    if (!s->pause_end_ms || (d->flags & CMD_ALLOW_PAUSED))
        return false;
    if (loop_now(s->loop) >= s->pause_end_ms) {
        s->pause_end_ms = 0;
        return false;
    }
    if (s->pause_all)
        return true;
    if (d->flags & (CMD_WRITE | CMD_MAY_REPLICATE))
        return true;
    if (!strcmp(d->name, "exec"))
        for (int i = 0; i < c->mqlen; i++)
            if (c->mq[i].cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE))
                return true;
    return false;
}

bool cmd_dispatch(struct client *c, int argc, const char **argv,
                  const size_t *argvlen)
{
    struct server *s = c->srv;
    struct config *cfg = s->cfg;

    /* One-shot CLIENT REPLY SKIP applies to this command. */
    if (c->flags & CL_REPLY_SKIP_NEXT) {
        c->flags &= ~CL_REPLY_SKIP_NEXT;
        c->flags |= CL_REPLY_SKIP;
    }

    const struct cmd_def *d = resolve(c, argc, argv, argvlen);
    if (!d)
        goto done;
    /* Rows of subcommands carry the parent's handler when they share
     * one; the parent is what stats and flags use. */
    if (cfg->requirepass[0] && !(c->flags & CL_AUTHED) &&
        !(d->flags & CMD_NO_AUTH)) {
        if (!strcmp(d->name, "exec"))
            reject_exec(c, ERR_NOAUTH);
        else
            reject_cmd(c, d, ERR_NOAUTH, sizeof(ERR_NOAUTH) - 1);
        goto done;
    }
    if (!(c->flags & CL_MULTI) || is_multi_ctl(d)) {
        if (held_by_pause(c, d)) {
            if (c->flags & CL_REPLY_SKIP)
                c->flags = (c->flags & ~CL_REPLY_SKIP) | CL_REPLY_SKIP_NEXT;
            return false;
        }
    }
    if ((c->flags & CL_MULTI) && !is_multi_ctl(d)) {
        if (d->flags & CMD_NO_MULTI) {
            char msg[128];
            int n = snprintf(msg, sizeof(msg), "ERR Command not allowed "
                             "inside a transaction");
            reject_cmd(c, d, msg, (size_t)n);
            goto done;
        }
        multi_queue(c, d, argc, argv, argvlen);
        goto done;
    }
    if (cfg->maxmemory) {
        /* As Redis: evict before every command (bounded to 500 us);
         * refuse deny-OOM commands only when nothing could be evicted. */
        size_t used = server_used_memory();
        if (used > (size_t)cfg->maxmemory &&
            server_evict(s, used, 500) == EVICT_FAIL &&
            (d->flags & CMD_DENYOOM)) {
            reject_cmd(c, d, ERR_OOM, sizeof(ERR_OOM) - 1);
            goto done;
        }
    }
    cmd_call(c, d, argc, argv, argvlen);
done:
    c->flags &= ~CL_REPLY_SKIP;
    return true;
}
