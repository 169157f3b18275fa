/*
 * config.c: the option table and its parsers.
 *
 * One row per option. A row knows how to parse a value string into the
 * struct config field it owns and how to print it back, so the file
 * parser, command-line flags, CONFIG GET and CONFIG SET share one code
 * path. Values are validated completely before the field is written.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resp.h"

enum ctype { T_BOOL, T_INT, T_LL, T_MEM, T_STR, T_ENUM, T_COB, T_SPECIAL };

struct enum_val {
    const char *name;
    int val;
};

struct row {
    const char *name;
    enum ctype type;
    size_t off;                 /* offsetof(struct config, field) */
    const char *def;            /* default, as text */
    long long min, max;
    bool mut;                   /* CONFIG SET allowed */
    const struct enum_val *ev;
    const char *only;           /* T_SPECIAL: the only accepted value(s) */
};

/* Listed in Redis's order: error messages enumerate them this way. */
static const struct enum_val ev_policy[] = {
    {"volatile-lru", MM_VOLATILE_LRU}, {"volatile-lfu", MM_VOLATILE_LFU},
    {"volatile-random", MM_VOLATILE_RANDOM},
    {"volatile-ttl", MM_VOLATILE_TTL}, {"allkeys-lru", MM_ALLKEYS_LRU},
    {"allkeys-lfu", MM_ALLKEYS_LFU}, {"allkeys-random", MM_ALLKEYS_RANDOM},
    {"noeviction", MM_NOEVICTION}, {NULL, 0}};
static const struct enum_val ev_loglevel[] = {
    {"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3},
    {NULL, 0}};
static const struct enum_val ev_backend[] = {
    {"auto", 0}, {"io_uring", 1}, {"epoll", 2}, {NULL, 0}};

#define F(field) offsetof(struct config, field)
#define BOOL(n, f, d, m) {n, T_BOOL, F(f), d, 0, 1, m, NULL, NULL}
#define INT(n, f, d, lo, hi, m) {n, T_INT, F(f), d, lo, hi, m, NULL, NULL}
#define LL(n, f, d, lo, hi, m) {n, T_LL, F(f), d, lo, hi, m, NULL, NULL}
#define MEM(n, f, d, lo, hi, m) {n, T_MEM, F(f), d, lo, hi, m, NULL, NULL}
#define STR(n, f, d, m) {n, T_STR, F(f), d, 0, 0, m, NULL, NULL}
#define ENUM(n, f, d, e, m) {n, T_ENUM, F(f), d, 0, 0, m, e, NULL}

static const struct row rows[] = {
    INT("port", port, "6379", 0, 65535, false),
    STR("bind", bind, "127.0.0.1 ::1", false),
    INT("tcp-backlog", tcp_backlog, "511", 0, INT_MAX, false),
    MEM("maxmemory", maxmemory, "0", 0, LLONG_MAX, true),
    ENUM("maxmemory-policy", maxmemory_policy, "noeviction", ev_policy, true),
    INT("maxmemory-samples", maxmemory_samples, "5", 1, 64, true),
    STR("requirepass", requirepass, "", true),
    INT("databases", databases, "16", 1, INT_MAX, false),
    ENUM("loglevel", loglevel, "notice", ev_loglevel, true),
    STR("logfile", logfile, "", false),
    INT("maxclients", maxclients, "10000", 1, INT_MAX, true),
    INT("timeout", timeout, "0", 0, INT_MAX, true),
    INT("tcp-keepalive", tcp_keepalive, "300", 0, INT_MAX, true),
    MEM("proto-max-bulk-len", proto_max_bulk_len, "536870912", 1024 * 1024,
        LLONG_MAX, true),
    MEM("client-query-buffer-limit", client_query_buffer_limit, "1073741824",
        1024 * 1024, LLONG_MAX, true),
    {"client-output-buffer-limit", T_COB, F(cob),
     "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
     0, 0, true, NULL, NULL},
    INT("hz", hz, "10", 0, INT_MAX, true),
    BOOL("dynamic-hz", dynamic_hz, "yes", true),
    BOOL("protected-mode", protected_mode, "yes", true),
    STR("notify-keyspace-events", notify_keyspace_events, "", true),
    ENUM("io-backend", io_backend, "auto", ev_backend, false),
    {"save", T_SPECIAL, F(save), "", 0, 0, true, NULL, ""},
    {"appendonly", T_SPECIAL, F(appendonly), "no", 0, 0, true, NULL, "no"},
    {"daemonize", T_SPECIAL, F(daemonize), "no", 0, 0, false, NULL, "no"},
    LL("slowlog-log-slower-than", slowlog_log_slower_than, "10000", -1,
       LLONG_MAX, true),
    INT("slowlog-max-len", slowlog_max_len, "128", 0, INT_MAX, true),
    LL("latency-monitor-threshold", latency_monitor_threshold, "0", 0,
       LLONG_MAX, true),
    BOOL("cluster-enabled", cluster_enabled, "no", false),
    INT("cluster-port", cluster_port, "0", 0, 65535, false),
    STR("cluster-seeds", cluster_seeds, "", false),
    LL("cluster-node-timeout", cluster_node_timeout, "15000", 0, LLONG_MAX,
       true),
    STR("cluster-announce-ip", cluster_announce_ip, "", true),
    BOOL("activerehashing", activerehashing, "yes", true),
    INT("active-expire-effort", active_expire_effort, "1", 1, 10, true),
    INT("lfu-log-factor", lfu_log_factor, "10", 0, INT_MAX, true),
    INT("lfu-decay-time", lfu_decay_time, "1", 0, INT_MAX, true),
    STR("dir", dir, "./", true),
    STR("dbfilename", dbfilename, "dump.rdb", true),
    STR("pidfile", pidfile, "", false),
    BOOL("lazyfree-lazy-user-flush", lazyfree_lazy_user_flush, "no", true),
    BOOL("lazyfree-lazy-user-del", lazyfree_lazy_user_del, "no", true),
    BOOL("lazyfree-lazy-expire", lazyfree_lazy_expire, "no", true),
    BOOL("lazyfree-lazy-eviction", lazyfree_lazy_eviction, "no", true),
    BOOL("lazyfree-lazy-server-del", lazyfree_lazy_server_del, "no", true),
    INT("io-threads", io_threads, "1", 1, 1, false),
    STR("appendfilename", appendfilename, "appendonly.aof", false),
    STR("appendfsync", appendfsync, "everysec", true),
    STR("supervised", supervised, "no", false),
    BOOL("always-show-logo", always_show_logo, "no", false),
    STR("unixsocket", unixsocket, "", false),
    INT("list-max-listpack-size", list_max_listpack_size, "-2", INT_MIN,
        INT_MAX, true),
    INT("list-compress-depth", list_compress_depth, "0", 0, INT_MAX, true),
    INT("zset-max-listpack-entries", zset_max_listpack_entries, "128", 0,
        INT_MAX, true),
    INT("zset-max-listpack-value", zset_max_listpack_value, "64", 0,
        INT_MAX, true),
    BOOL("jemalloc-bg-thread", jemalloc_bg_thread, "yes", true),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static config_changed_fn changed_fn;
static void *changed_arg;

void config_on_change(config_changed_fn fn, void *arg)
{
    changed_fn = fn;
    changed_arg = arg;
}

size_t config_rows(void)
{
    return NROWS;
}

const char *maxmem_policy_name(int p)
{
    for (const struct enum_val *e = ev_policy; e->name; e++)
        if (e->val == p)
            return e->name;
    return "?";
}

int config_find(const char *name, size_t len)
{
    for (size_t i = 0; i < NROWS; i++)
        if (strlen(rows[i].name) == len &&
            strncasecmp(rows[i].name, name, len) == 0)
            return (int)i;
    /* Redis's old names for the same options. */
    if (len == 28 && strncasecmp(name, "list-max-ziplist-size", len) == 0)
        return config_find("list-max-listpack-size", 22);
    return -1;
}

/* ---- value parsers ---- */

static bool parse_bool(const char *s, bool *out)
{
    if (!strcasecmp(s, "yes")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(s, "no")) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_ll_text(const char *s, long long *out)
{
    if (!*s)
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* Redis memory units: k=1000 kb=1024 m mb g gb, case-insensitive. */
static bool parse_mem(const char *s, long long *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    unsigned long long mul = 1;
    if (!strcasecmp(end, "") || !strcasecmp(end, "b"))
        mul = 1;
    else if (!strcasecmp(end, "k"))
        mul = 1000;
    else if (!strcasecmp(end, "kb"))
        mul = 1024;
    else if (!strcasecmp(end, "m"))
        mul = 1000 * 1000;
    else if (!strcasecmp(end, "mb"))
        mul = 1024 * 1024;
    else if (!strcasecmp(end, "g"))
        mul = 1000ULL * 1000 * 1000;
    else if (!strcasecmp(end, "gb"))
        mul = 1024ULL * 1024 * 1024;
    else
        return false;
    if (v > (unsigned long long)LLONG_MAX / mul)
        return false;
    *out = (long long)(v * mul);
    return true;
}

static bool parse_cob(const char *s, struct cob_limit out[3], char *err,
                      size_t errlen)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", s);
    char *tok[32];
    int n = 0;
    for (char *t = strtok(buf, " \t"); t && n < 32; t = strtok(NULL, " \t"))
        tok[n++] = t;
    if (n == 0 || n % 4) {
        snprintf(err, errlen, "Wrong number of arguments in buffer limit "
                 "configuration.");
        return false;
    }
    struct cob_limit tmp[3];
    memcpy(tmp, out, sizeof(tmp));
    for (int i = 0; i < n; i += 4) {
        int cls;
        if (!strcasecmp(tok[i], "normal"))
            cls = COB_NORMAL;
        else if (!strcasecmp(tok[i], "slave") ||
                 !strcasecmp(tok[i], "replica"))
            cls = COB_REPLICA;
        else if (!strcasecmp(tok[i], "pubsub"))
            cls = COB_PUBSUB;
        else {
            snprintf(err, errlen, "Invalid client class specified in buffer "
                     "limit configuration.");
            return false;
        }
        long long hard, soft, secs;
        if (!parse_mem(tok[i + 1], &hard) || !parse_mem(tok[i + 2], &soft) ||
            !parse_ll_text(tok[i + 3], &secs) || secs < 0) {
            snprintf(err, errlen, "Error in hard, soft or soft_seconds "
                     "setting in buffer limit configuration.");
            return false;
        }
        tmp[cls].hard = (unsigned long long)hard;
        tmp[cls].soft = (unsigned long long)soft;
        tmp[cls].soft_seconds = secs;
    }
    memcpy(out, tmp, sizeof(tmp));
    return true;
}

/* Parses `val` for row r and stores it into c. */
static bool set_value(struct config *c, const struct row *r, const char *val,
                      char *err, size_t errlen)
{
    char *field = (char *)c + r->off;
    switch (r->type) {
    case T_BOOL: {
        bool b;
        if (!parse_bool(val, &b)) {
            snprintf(err, errlen, "argument must be 'yes' or 'no'");
            return false;
        }
        *(bool *)field = b;
        return true;
    }
    case T_INT:
    case T_LL:
    case T_MEM: {
        long long v;
        bool ok = r->type == T_MEM ? parse_mem(val, &v)
                                   : parse_ll_text(val, &v);
        if (!ok) {
            snprintf(err, errlen, r->type == T_MEM
                     ? "argument must be a memory value"
                     : "argument couldn't be parsed into an integer");
            return false;
        }
        if (v < r->min || v > r->max) {
            snprintf(err, errlen, "argument must be between %lld and %lld "
                     "inclusive", r->min, r->max);
            return false;
        }
        if (r->type == T_INT)
            *(int *)field = (int)v;
        else
            *(long long *)field = v;
        return true;
    }
    case T_STR: {
        char **sp = (char **)field;
        char *nv = strdup(val);
        if (!nv)
            abort();
        free(*sp);
        *sp = nv;
        return true;
    }
    case T_ENUM:
        for (const struct enum_val *e = r->ev; e->name; e++)
            if (!strcasecmp(e->name, val)) {
                *(int *)field = e->val;
                return true;
            }
        snprintf(err, errlen, "argument(s) must be one of the following: ");
        for (const struct enum_val *e = r->ev; e->name; e++) {
            size_t l = strlen(err);
            snprintf(err + l, errlen - l, "%s%s", e == r->ev ? "" : ", ",
                     e->name);
        }
        return false;
    case T_COB:
        return parse_cob(val, (struct cob_limit *)field, err, errlen);
    case T_SPECIAL:
        /* Accepted for habit; only the value that matches what ringcache
         * does (no persistence, no daemon) is allowed. */
        if (strcasecmp(val, r->only) != 0) {
            snprintf(err, errlen, "ringcache does not support %s; only "
                     "'%s' is accepted", r->name, r->only);
            return false;
        }
        if (!strcmp(r->name, "save")) {
            free(c->save);
            c->save = strdup("");
        }
        return true;
    }
    return false;
}

void config_init(struct config *c)
{
    memset(c, 0, sizeof(*c));
    char err[256];
    for (size_t i = 0; i < NROWS; i++)
        if (!set_value(c, &rows[i], rows[i].def, err, sizeof(err)))
            abort();
    if (!c->save)
        c->save = strdup("");
}

void config_free(struct config *c)
{
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].type == T_STR) {
            char **sp = (char **)((char *)c + rows[i].off);
            free(*sp);
            *sp = NULL;
        }
    free(c->save);
    c->save = NULL;
}

bool config_apply(struct config *c, int argc, const char **argv,
                  const size_t *lens, bool startup, char *err, size_t errlen)
{
    int ri = config_find(argv[0], lens[0]);
    if (ri < 0 || argc < 2) {
        snprintf(err, errlen, "Bad directive or wrong number of arguments");
        return false;
    }
    const struct row *r = &rows[ri];
    if (!startup && !r->mut) {
        snprintf(err, errlen, "can't set immutable config");
        return false;
    }
    /* Join the value words with spaces (save "", cob "normal 0 0 0"). */
    char val[1024];
    size_t n = 0;
    val[0] = 0;
    for (int i = 1; i < argc; i++) {
        if (n + lens[i] + 2 > sizeof(val)) {
            snprintf(err, errlen, "argument too long");
            return false;
        }
        if (i > 1)
            val[n++] = ' ';
        memcpy(val + n, argv[i], lens[i]);
        n += lens[i];
        val[n] = 0;
    }
    if (r->type != T_COB && r->type != T_SPECIAL && r->type != T_STR &&
        argc != 2) {
        snprintf(err, errlen, "Bad directive or wrong number of arguments");
        return false;
    }
    if (!set_value(c, r, val, err, errlen))
        return false;
    if (!startup && changed_fn)
        changed_fn(r->name, changed_arg);
    return true;
}

bool config_row(const struct config *c, size_t i, const char **name,
                char *val, size_t vallen)
{
    if (i >= NROWS)
        return false;
    const struct row *r = &rows[i];
    const char *field = (const char *)c + r->off;
    *name = r->name;
    switch (r->type) {
    case T_BOOL:
        snprintf(val, vallen, "%s", *(const bool *)field ? "yes" : "no");
        break;
    case T_INT:
        snprintf(val, vallen, "%d", *(const int *)field);
        break;
    case T_LL:
    case T_MEM:
        snprintf(val, vallen, "%lld", *(const long long *)field);
        break;
    case T_STR: {
        const char *s = *(char *const *)field;
        snprintf(val, vallen, "%s", s ? s : "");
        break;
    }
    case T_ENUM: {
        int v = *(const int *)field;
        val[0] = 0;
        for (const struct enum_val *e = r->ev; e->name; e++)
            if (e->val == v)
                snprintf(val, vallen, "%s", e->name);
        break;
    }
    case T_COB: {
        const struct cob_limit *l = (const struct cob_limit *)field;
        snprintf(val, vallen, "normal %llu %llu %lld slave %llu %llu %lld "
                 "pubsub %llu %llu %lld", l[0].hard, l[0].soft,
                 l[0].soft_seconds, l[1].hard, l[1].soft, l[1].soft_seconds,
                 l[2].hard, l[2].soft, l[2].soft_seconds);
        break;
    }
    case T_SPECIAL:
        snprintf(val, vallen, "%s", r->only);
        break;
    }
    return true;
}

bool config_load_file(struct config *c, const char *path, char *err,
                      size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "Fatal error, can't open config file '%s': %s",
                 path, strerror(errno));
        return false;
    }
    char line[4096];
    int lineno = 0;
    bool ok = true;
    struct resp_parser p;
    resp_parser_init(&p);
    struct resp_limits lim = { .proto_max_bulk_len = 1 << 20 };
    while (ok && fgets(line, sizeof(line), f)) {
        lineno++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == 0)
            continue;
        size_t l = strlen(s);
        if (s[l - 1] != '\n' && l + 1 < sizeof(line)) {
            s[l++] = '\n';
            s[l] = 0;
        }
        size_t used;
        resp_parser_reset(&p);
        int rc = resp_parse(&p, &lim, s, l, &used);
        char msg[256];
        if (rc != RESP_OK) {
            snprintf(msg, sizeof(msg), "Unbalanced quotes in configuration "
                     "line");
            ok = false;
        } else if (p.argc == 0) {
            continue;
        } else if (config_find(p.argv[0], p.argvlen[0]) < 0) {
            snprintf(msg, sizeof(msg), "Bad directive or wrong number of "
                     "arguments: unknown option '%.*s'", (int)p.argvlen[0],
                     p.argv[0]);
            ok = false;
        } else if (!config_apply(c, p.argc, p.argv, p.argvlen, true, msg,
                                 sizeof(msg))) {
            ok = false;
        }
        if (!ok) {
            while (l && (s[l - 1] == '\n' || s[l - 1] == '\r'))
                s[--l] = 0;
            snprintf(err, errlen, "*** FATAL CONFIG FILE ERROR ***\n"
                     "Reading the configuration file '%s', at line %d\n"
                     ">>> '%s'\n%s", path, lineno, s, msg);
        }
    }
    resp_parser_free(&p);
    fclose(f);
    return ok;
}
