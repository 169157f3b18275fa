/*
 * cmd_server.c: server commands: CONFIG, INFO, TIME, LASTSAVE, SHUTDOWN,
 * MONITOR, SLOWLOG, LATENCY, DEBUG, MEMORY USAGE.
 */
#include "server.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "errors.h"
#include "glob.h"
#include "xxhash.h"

/* ---- CONFIG ---- */

static void config_get_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    size_t n = config_rows();
    bool *hit = calloc(n, sizeof(bool));
    if (!hit)
        abort();
    size_t nhit = 0;
    for (int a = 2; a < ctx->argc; a++) {
        for (size_t i = 0; i < n; i++) {
            const char *name;
            char val[8];
            config_row(s->cfg, i, &name, val, sizeof(val));
            if (!hit[i] && glob_match(ctx->argv[a], ctx->argvlen[a], name,
                                      strlen(name), true)) {
                hit[i] = true;
                nhit++;
            }
        }
    }
    /* An exact (non-glob) name is echoed as the client typed it, as
     * Redis 7.0 does; glob matches reply the canonical names. */
    const char **as_typed = calloc(n, sizeof(char *));
    size_t *typed_len = calloc(n, sizeof(size_t));
    if (!as_typed || !typed_len)
        abort();
    for (int a = 2; a < ctx->argc; a++) {
        if (memchr(ctx->argv[a], '*', ctx->argvlen[a]) ||
            memchr(ctx->argv[a], '?', ctx->argvlen[a]) ||
            memchr(ctx->argv[a], '[', ctx->argvlen[a]))
            continue;
        int row = config_find(ctx->argv[a], ctx->argvlen[a]);
        if (row >= 0 && !as_typed[row]) {
            as_typed[row] = ctx->argv[a];
            typed_len[row] = ctx->argvlen[a];
        }
    }
    resp_w_map(ctx->w, (long long)nhit);
    for (size_t i = 0; i < n; i++) {
        if (!hit[i])
            continue;
        const char *name;
        char val[1024];
        config_row(s->cfg, i, &name, val, sizeof(val));
        if (as_typed[i])
            resp_w_bulk(ctx->w, as_typed[i], typed_len[i]);
        else
            resp_w_bulk_cstr(ctx->w, name);
        resp_w_bulk_cstr(ctx->w, val);
    }
    free(as_typed);
    free(typed_len);
    free(hit);
}

static void config_set_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    if (ctx->argc % 2 != 0) {
        reply_syntax(ctx);
        return;
    }
    int npairs = (ctx->argc - 2) / 2;
    /* Validate names first. */
    for (int p = 0; p < npairs; p++) {
        int a = 2 + 2 * p;
        int row = config_find(ctx->argv[a], ctx->argvlen[a]);
        if (row < 0) {
            char msg[300];
            snprintf(msg, sizeof(msg), "ERR Unknown option or number of "
                     "arguments for CONFIG SET - '%.*s'",
                     (int)ctx->argvlen[a], ctx->argv[a]);
            reply_err(ctx, msg);
            return;
        }
        for (int q = 0; q < p; q++) {
            int b = 2 + 2 * q;
            if (config_find(ctx->argv[b], ctx->argvlen[b]) == row) {
                char msg[300];
                snprintf(msg, sizeof(msg), "ERR CONFIG SET failed (possibly "
                         "related to argument '%.*s') - duplicate parameter",
                         (int)ctx->argvlen[a], ctx->argv[a]);
                reply_err(ctx, msg);
                return;
            }
        }
    }
    /* Apply in order, remembering old values to roll back on failure. */
    char (*old)[1024] = calloc((size_t)npairs, sizeof(*old));
    if (!old)
        abort();
    for (int p = 0; p < npairs; p++) {
        int a = 2 + 2 * p;
        const char *name;
        config_row(s->cfg, (size_t)config_find(ctx->argv[a], ctx->argvlen[a]),
                   &name, old[p], sizeof(old[p]));
        char err[256];
        if (!config_apply(s->cfg, 2, ctx->argv + a, ctx->argvlen + a, false,
                          err, sizeof(err))) {
            for (int q = p - 1; q >= 0; q--) {
                int b = 2 + 2 * q;
                const char *av[2] = { ctx->argv[b], old[q] };
                size_t al[2] = { ctx->argvlen[b], strlen(old[q]) };
                config_apply(s->cfg, 2, av, al, false, err, sizeof(err));
            }
            char msg[512];
            snprintf(msg, sizeof(msg), "ERR CONFIG SET failed (possibly "
                     "related to argument '%.*s') - %s",
                     (int)ctx->argvlen[a], ctx->argv[a], err);
            reply_err(ctx, msg);
            free(old);
            return;
        }
    }
    free(old);
    resp_w_ok(ctx->w);
}

static void config_resetstat_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    uint64_t start = s->stats.start_ms;
    memset(&s->stats, 0, sizeof(s->stats));
    s->stats.start_ms = start;
    s->nerrstats = 0;
    for (int i = 0; i < cmd_count_all(s->cmds); i++)
        memset(cmd_stats(s->cmds, i), 0, sizeof(struct cmd_stat));
    s->ks->expired_keys = s->ks->keyspace_hits = s->ks->keyspace_misses = 0;
    resp_w_ok(ctx->w);
}

static void config_rewrite_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    if (!s->config_file[0]) {
        reply_err(ctx, "ERR The server is running without a config file");
        return;
    }
    reply_err(ctx, "ERR Rewriting config file: not supported by ringcache");
}

/* HELP texts here are NULL-terminated arrays. */
static void reply_help_nt(struct cmd_ctx *ctx, const char *const *lines)
{
    size_t n = 0;
    while (lines[n])
        n++;
    reply_help(ctx, lines, n);
}

static void config_help_command(struct cmd_ctx *ctx)
{
    static const char *const lines[] = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their "
        "values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help_nt(ctx, lines);
}

/* ---- INFO ---- */

static void info_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    info_render(s, ctx_client(ctx), ctx->argc - 1, ctx->argv + 1,
                ctx->argvlen + 1, f);
    fclose(f);
    resp_w_verbatim(ctx->w, "txt", buf, len);
    free(buf);
}

/* ---- TIME, LASTSAVE, SHUTDOWN ---- */

static void time_command(struct cmd_ctx *ctx)
{
    uint64_t us = now_us_raw();
    resp_w_array(ctx->w, 2);
    resp_w_bulk_ll(ctx->w, (long long)(us / 1000000));
    resp_w_bulk_ll(ctx->w, (long long)(us % 1000000));
}

static void lastsave_command(struct cmd_ctx *ctx)
{
    resp_w_int(ctx->w, (long long)ctx_server(ctx)->lastsave_s);
}

void server_shutdown(struct server *s)
{
    if (s->shutting_down)
        return;
    s->shutting_down = true;
    log_msg(LOG_WARNING, "User requested shutdown...");
    loop_unlisten_all(s->loop);
    /* Queued replies go out, then every connection closes. */
    client_free_all(s);
    loop_flush_all(s->loop);
    loop_stop(s->loop);
}

static void shutdown_command(struct cmd_ctx *ctx)
{
    for (int i = 1; i < ctx->argc; i++) {
        if (!arg_is(ctx, i, "nosave") && !arg_is(ctx, i, "save") &&
            !arg_is(ctx, i, "now") && !arg_is(ctx, i, "force") &&
            !arg_is(ctx, i, "abort")) {
            reply_syntax(ctx);
            return;
        }
        if (arg_is(ctx, i, "abort")) {
            reply_err(ctx, "ERR No shutdown in progress.");
            return;
        }
    }
    /* No reply on success: the connection closes, as with Redis. */
    server_shutdown(ctx_server(ctx));
}

/* ---- MONITOR ---- */

static void repr(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '\\': fputs("\\\\", f); break;
        case '"': fputs("\\\"", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\a': fputs("\\a", f); break;
        case '\b': fputs("\\b", f); break;
        default:
            if (isprint(ch))
                fputc(ch, f);
            else
                fprintf(f, "\\x%02x", ch);
        }
    }
    fputc('"', f);
}

void monitor_feed(struct server *s, struct client *c, int argc,
                  const char **argv, const size_t *argvlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    uint64_t us = now_us_raw();
    fprintf(f, "%llu.%06llu [%d %s]", (unsigned long long)(us / 1000000),
            (unsigned long long)(us % 1000000), c->dbid, c->addr);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        repr(f, argv[i], argvlen[i]);
    }
    fclose(f);
    for (size_t i = 0; i < s->nmonitors; i++) {
        struct client *m = s->monitors[i];
        struct resp_w w = { .ob = conn_out(m->conn), .proto = m->proto };
        resp_w_simple(&w, buf, len);
    }
    free(buf);
}

static void monitor_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    struct server *s = c->srv;
    if (c->flags & CL_MONITOR)
        return;
    if (c->flags & CL_MULTI) {
        reply_err(ctx, "ERR MONITOR isn't allowed inside a transaction");
        return;
    }
    if (s->nmonitors == s->capmonitors) {
        s->capmonitors = s->capmonitors ? s->capmonitors * 2 : 4;
        s->monitors = realloc(s->monitors,
                              s->capmonitors * sizeof(*s->monitors));
        if (!s->monitors)
            abort();
    }
    s->monitors[s->nmonitors++] = c;
    c->flags |= CL_MONITOR;
    resp_w_ok(ctx->w);
}

/* ---- SLOWLOG ---- */

static void slowlog_free_entry(struct slowlog_entry *e)
{
    for (int i = 0; i < e->argc; i++)
        free(e->argv[i]);
    free(e->argv);
    free(e->argvlen);
    free(e->name);
    memset(e, 0, sizeof(*e));
}

void slowlog_maybe_add(struct server *s, struct client *c, int argc,
                       const char **argv, const size_t *argvlen,
                       uint64_t dur_us)
{
    long long thr = s->cfg->slowlog_log_slower_than;
    size_t max = (size_t)s->cfg->slowlog_max_len;
    if (thr < 0 || dur_us < (uint64_t)thr || max == 0)
        return;
    if (!s->slowlog) {
        s->slowlog = calloc(max, sizeof(*s->slowlog));
        if (!s->slowlog)
            abort();
        s->slowlog_len = 0;
        s->slowlog_head = 0;
        s->slowlog_cap = max;
    }
    max = s->slowlog_cap;
    /* The ring is sized at first use; a later slowlog-max-len change
     * takes effect on SLOWLOG RESET. */
    struct slowlog_entry *e = &s->slowlog[s->slowlog_head];
    slowlog_free_entry(e);
    int keep = argc > 32 ? 32 : argc;
    e->argc = keep;
    e->argv = calloc((size_t)keep, sizeof(char *));
    e->argvlen = calloc((size_t)keep, sizeof(size_t));
    for (int i = 0; i < keep; i++) {
        char tmp[192];
        size_t n;
        if (i == 31 && argc > 32) {
            n = (size_t)snprintf(tmp, sizeof(tmp), "... (%d more arguments)",
                                 argc - 31);
            e->argv[i] = strndup(tmp, n);
        } else if (argvlen[i] > 128) {
            char *v = malloc(128 + 64);
            memcpy(v, argv[i], 128);
            n = 128 + (size_t)snprintf(v + 128, 64, "... (%zu more bytes)",
                                       argvlen[i] - 128);
            e->argv[i] = v;
        } else {
            n = argvlen[i];
            e->argv[i] = malloc(n + 1);
            memcpy(e->argv[i], argv[i], n);
        }
        e->argvlen[i] = n;
    }
    e->id = s->slowlog_next_id++;
    e->time_s = now_us_raw() / 1000000;
    e->dur_us = dur_us;
    snprintf(e->addr, sizeof(e->addr), "%s", c->addr);
    e->name = strdup(c->name ? c->name : "");
    s->slowlog_head = (s->slowlog_head + 1) % max;
    if (s->slowlog_len < max)
        s->slowlog_len++;
}

static size_t slowlog_cap(struct server *s)
{
    return s->slowlog ? s->slowlog_cap : 0;
}

static void slowlog_reset(struct server *s)
{
    size_t cap = slowlog_cap(s);
    for (size_t i = 0; i < cap; i++)
        slowlog_free_entry(&s->slowlog[i]);
    free(s->slowlog);
    s->slowlog = NULL;
    s->slowlog_len = s->slowlog_head = 0;
}

static void slowlog_get_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    long long count = 10;
    if (ctx->argc == 3) {
        if (!parse_ll(ctx->argv[2], ctx->argvlen[2], &count) ||
            count < -1) {
            reply_err(ctx, "ERR count should be greater than or equal to -1");
            return;
        }
        if (count == -1)
            count = (long long)s->slowlog_len;
    }
    size_t n = s->slowlog_len < (size_t)count ? s->slowlog_len
                                               : (size_t)count;
    size_t cap = slowlog_cap(s);
    resp_w_array(ctx->w, (long long)n);
    for (size_t k = 0; k < n; k++) {
        size_t idx = (s->slowlog_head + cap - 1 - k) % cap;
        struct slowlog_entry *e = &s->slowlog[idx];
        resp_w_array(ctx->w, 6);
        resp_w_int(ctx->w, (long long)e->id);
        resp_w_int(ctx->w, (long long)e->time_s);
        resp_w_int(ctx->w, (long long)e->dur_us);
        resp_w_array(ctx->w, e->argc);
        for (int i = 0; i < e->argc; i++)
            resp_w_bulk(ctx->w, e->argv[i], e->argvlen[i]);
        resp_w_bulk_cstr(ctx->w, e->addr);
        resp_w_bulk_cstr(ctx->w, e->name);
    }
}

static void slowlog_len_command(struct cmd_ctx *ctx)
{
    resp_w_int(ctx->w, (long long)ctx_server(ctx)->slowlog_len);
}

static void slowlog_reset_command(struct cmd_ctx *ctx)
{
    slowlog_reset(ctx_server(ctx));
    resp_w_ok(ctx->w);
}

static void slowlog_help_command(struct cmd_ctx *ctx)
{
    static const char *const lines[] = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 "
        "mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client "
        "IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help_nt(ctx, lines);
}

/* ---- LATENCY (minimal: no events are sampled yet) ---- */

static void latency_doctor_command(struct cmd_ctx *ctx)
{
    static const char txt[] =
        "Dave, no latency spike was observed during the lifetime of this "
        "ringcache instance, not in the slightest bit. I honestly think you "
        "ought to sleep for a while. (latency-monitor-threshold is "
        "currently not sampling events.)\n";
    resp_w_verbatim(ctx->w, "txt", txt, sizeof(txt) - 1);
}

static void latency_empty_command(struct cmd_ctx *ctx)
{
    resp_w_array(ctx->w, 0);
}

static void latency_reset_command(struct cmd_ctx *ctx)
{
    resp_w_int(ctx->w, 0);
}

static void latency_help_command(struct cmd_ctx *ctx)
{
    static const char *const lines[] = {
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "HISTORY <event>",
        "    Return latency samples for the specified event.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help_nt(ctx, lines);
}

/* ---- DEBUG ---- */

struct digest_acc {
    uint64_t a, b;
    uint64_t now;
};

/* Order-independent digest of one entry: key, type, value, TTL. */
static void digest_entry(const struct entry *e, uint64_t *a, uint64_t *b)
{
    size_t klen, vlen;
    const char *k = entry_key(e, &klen);
    char buf[24];
    const char *v = e->type == OBJ_STRING ? entry_str(e, buf, &vlen) : "";
    if (e->type != OBJ_STRING)
        vlen = 0;
    uint64_t h = XXH3_64bits_withSeed(k, klen, e->type);
    h ^= XXH3_64bits_withSeed(v, vlen, h);
    h ^= (uint64_t)entry_expire(e) * 0x9E3779B97F4A7C15ULL;
    *a += h;
    *b ^= XXH3_64bits_withSeed(&h, sizeof(h), 0x5bd1e995);
}

static void digest_cb(struct dnode *n, void *arg)
{
    struct digest_acc *acc = arg;
    digest_entry((const struct entry *)(void *)n, &acc->a, &acc->b);
}

/* 40 hex chars; all zeros for an empty dataset or a missing key, as
 * Redis's DEBUG DIGEST. Walks the whole keyspace (a debugging command,
 * O(N) like Redis's). */
static void debug_digest(struct server *s, bool whole,
                         const struct entry *one, char hex[41])
{
    struct digest_acc acc = {0, 0, 0};
    if (!whole) {
        if (one)
            digest_entry(one, &acc.a, &acc.b);
    } else {
        for (int i = 0; i < s->ks->ndb; i++) {
            struct db *db = &s->ks->dbs[i];
            if (!db_size(db))
                continue;
            uint64_t cur = 0;
            do {
                cur = db_scan(db, cur, digest_cb, &acc);
            } while (cur);
            acc.a = acc.a * 31 + (uint64_t)i;
        }
    }
    if (!acc.a && !acc.b) {
        memset(hex, '0', 40);
    } else {
        uint64_t c = XXH3_64bits_withSeed(&acc, 16, 7);
        snprintf(hex, 41, "%016llx%016llx%08x", (unsigned long long)acc.a,
                 (unsigned long long)acc.b, (unsigned)(c >> 32));
    }
    hex[40] = 0;
}

static void debug_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    if (arg_is(ctx, 1, "sleep") && ctx->argc == 3) {
        double secs;
        if (!parse_double(ctx->argv[2], ctx->argvlen[2], &secs)) {
            reply_err(ctx, ERR_NOT_FLOAT);
            return;
        }
        struct timespec ts = { (time_t)secs,
                               (long)((secs - floor(secs)) * 1e9) };
        nanosleep(&ts, NULL);
        loop_update_time(s->loop);
        resp_w_ok(ctx->w);
    } else if (arg_is(ctx, 1, "object") && ctx->argc == 3) {
        struct entry *e = db_find(ctx->db, ctx->argv[2], ctx->argvlen[2],
                                  ctx->now_ms);
        if (!e) {
            reply_err(ctx, ERR_NO_KEY);
            return;
        }
        char buf[256];
        uint32_t clk = s->ks->lru_clock;
        uint32_t idle = clk >= e->lru ? clk - e->lru
                                      : clk + (0xFFFFFF - e->lru);
        int n = snprintf(buf, sizeof(buf), "Value at:%p refcount:1 "
                         "encoding:%s serializedlength:%zu lru:%u "
                         "lru_seconds_idle:%u", (void *)e,
                         entry_encoding_name(e),
                         e->type == OBJ_STRING ? entry_strlen(e) + 1 : 1,
                         (unsigned)e->lru, idle);
        resp_w_simple(ctx->w, buf, (size_t)n);
    } else if (arg_is(ctx, 1, "set-active-expire") && ctx->argc == 3) {
        long long on;
        if (!parse_ll(ctx->argv[2], ctx->argvlen[2], &on)) {
            reply_err(ctx, ERR_NOT_INT);
            return;
        }
        s->active_expire_off = on == 0;
        resp_w_ok(ctx->w);
    } else if (arg_is(ctx, 1, "reload") || arg_is(ctx, 1, "loadaof")) {
        /* Nothing is persisted, so a reload keeps the dataset as it is:
         * what a test of "data survives DEBUG RELOAD" expects. */
        resp_w_ok(ctx->w);
    } else if (arg_is(ctx, 1, "digest") && ctx->argc == 2) {
        char hex[41];
        debug_digest(s, true, NULL, hex);
        resp_w_simple(ctx->w, hex, 40);
    } else if (arg_is(ctx, 1, "digest-value") && ctx->argc >= 2) {
        resp_w_array(ctx->w, ctx->argc - 2);
        for (int i = 2; i < ctx->argc; i++) {
            char hex[41];
            struct entry *e = db_find(ctx->db, ctx->argv[i],
                                      ctx->argvlen[i], ctx->now_ms);
            debug_digest(s, false, e, hex);
            resp_w_simple(ctx->w, hex, 40);
        }
    } else if (arg_is(ctx, 1, "help")) {
        static const char *const lines[] = {
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "OBJECT <key>",
            "    Show low level info about `key` and associated value.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "RELOAD",
            "    No-op: ringcache keeps no snapshot; the dataset stays.",
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified "
            "keys.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when "
            "they are not accessed (otherwise the Redis behavior). Setting "
            "it to 1 reenables back the default.",
            "HELP",
            "    Print this help.",
            NULL,
        };
        reply_help_nt(ctx, lines);
    } else {
        char msg[256];
        snprintf(msg, sizeof(msg), "ERR unknown subcommand '%.*s'. Try "
                 "DEBUG HELP.", (int)ctx->argvlen[1], ctx->argv[1]);
        reply_err(ctx, msg);
    }
}

/* ---- MEMORY USAGE ---- */

static void memory_usage_command(struct cmd_ctx *ctx)
{
    if (ctx->argc != 3 && !(ctx->argc == 5 && arg_is(ctx, 3, "samples"))) {
        reply_syntax(ctx);
        return;
    }
    struct entry *e = db_find(ctx->db, ctx->argv[2], ctx->argvlen[2],
                              ctx->now_ms);
    if (!e) {
        resp_w_null(ctx->w);
        return;
    }
    resp_w_int(ctx->w, (long long)(entry_mem(e) + sizeof(void *)));
}

static void memory_help_command(struct cmd_ctx *ctx)
{
    static const char *const lines[] = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help_nt(ctx, lines);
}

static void role_command(struct cmd_ctx *ctx)
{
    resp_w_array(ctx->w, 3);
    resp_w_bulk_cstr(ctx->w, "master");
    resp_w_int(ctx->w, 0);
    resp_w_array(ctx->w, 0);
}

static void wait_command(struct cmd_ctx *ctx)
{
    long long n, ms;
    if (!arg_ll(ctx, 1, &n) || !arg_ll(ctx, 2, &ms))
        return;
    if (ms < 0) {
        reply_err(ctx, ERR_TIMEOUT_NEG);
        return;
    }
    resp_w_int(ctx->w, 0);      /* no replicas */
}

static void container(struct cmd_ctx *ctx)
{
    (void)ctx;      /* dispatched to subcommand rows by commands.c */
}

#define ADM (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

static const struct cmd_def config_sub[] = {
    {"get", config_get_command, -3, ADM, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"set", config_set_command, -4, ADM | CMD_MAY_REPLICATE, 0, 0, 0,
     "server", NULL, NULL, "@admin @slow @dangerous"},
    {"resetstat", config_resetstat_command, 2, ADM, 0, 0, 0, "server", NULL,
     NULL, "@admin @slow @dangerous"},
    {"rewrite", config_rewrite_command, 2, ADM, 0, 0, 0, "server", NULL,
     NULL, "@admin @slow @dangerous"},
    {"help", config_help_command, 2, CMD_LOADING | CMD_STALE, 0, 0, 0,
     "server", NULL, NULL, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

static const struct cmd_def slowlog_sub[] = {
    {"get", slowlog_get_command, -2, CMD_ADMIN | CMD_LOADING | CMD_STALE, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"len", slowlog_len_command, 2, CMD_ADMIN | CMD_LOADING | CMD_STALE, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"reset", slowlog_reset_command, 2, CMD_ADMIN | CMD_LOADING | CMD_STALE, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"help", slowlog_help_command, 2, CMD_LOADING | CMD_STALE, 0, 0, 0,
     "server", NULL, NULL, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

static const struct cmd_def latency_sub[] = {
    {"doctor", latency_doctor_command, 2, ADM, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"latest", latency_empty_command, 2, ADM, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"history", latency_empty_command, 3, ADM, 0, 0, 0, "server", NULL,
     NULL, "@admin @slow @dangerous"},
    {"reset", latency_reset_command, -2, ADM, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"help", latency_help_command, 2, CMD_LOADING | CMD_STALE, 0, 0, 0,
     "server", NULL, NULL, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

static const struct cmd_def memory_sub[] = {
    {"usage", memory_usage_command, -3, CMD_READONLY, 2, 2, 1, "server",
     NULL, NULL, "@read @slow"},
    {"help", memory_help_command, 2, CMD_LOADING | CMD_STALE, 0, 0, 0,
     "server", NULL, NULL, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

const struct cmd_def server_commands[] = {
    {"config", container, -2, 0, 0, 0, 0, "server", NULL, config_sub,
     "@slow"},
    {"info", info_command, -1, CMD_LOADING | CMD_STALE, 0, 0, 0, "server",
     NULL, NULL, "@slow @dangerous"},
    {"time", time_command, 1, CMD_LOADING | CMD_STALE | CMD_FAST, 0, 0, 0,
     "server", NULL, NULL, "@fast"},
    {"lastsave", lastsave_command, 1, CMD_LOADING | CMD_STALE | CMD_FAST,
     0, 0, 0, "server", NULL, NULL, "@admin @fast @dangerous"},
    {"shutdown", shutdown_command, -1, ADM | CMD_NO_MULTI | CMD_ALLOW_BUSY,
     0, 0, 0, "server", NULL, NULL, "@admin @slow @dangerous"},
    {"monitor", monitor_command, 1, ADM, 0, 0, 0, "server", NULL, NULL,
     "@admin @slow @dangerous"},
    {"slowlog", container, -2, 0, 0, 0, 0, "server", NULL, slowlog_sub,
     "@slow"},
    {"latency", container, -2, 0, 0, 0, 0, "server", NULL, latency_sub,
     "@slow"},
    {"debug", debug_command, -2, ADM, 0, 0, 0, "server",
     NULL, NULL, "@admin @slow @dangerous"},
    {"memory", container, -2, 0, 0, 0, 0, "server", NULL, memory_sub,
     "@slow"},
    {"role", role_command, 1, CMD_NOSCRIPT | CMD_LOADING | CMD_STALE |
     CMD_FAST, 0, 0, 0, "server", NULL, NULL, "@admin @fast @dangerous"},
    {"wait", wait_command, 3, CMD_NOSCRIPT, 0, 0, 0, "generic", NULL, NULL,
     "@slow @connection"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
