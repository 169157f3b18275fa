/*
 * config: every option as one row of a table (Redis's name, type, default,
 * bounds, mutable?, apply hook). The config file parser, command-line
 * options, CONFIG GET and CONFIG SET all walk the same table, and a unit
 * test checks that conf/ringcache.conf documents every row.
 */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cob_class { COB_NORMAL = 0, COB_REPLICA = 1, COB_PUBSUB = 2 };

struct cob_limit {
    unsigned long long hard, soft;
    long long soft_seconds;
};

enum maxmem_policy {
    MM_NOEVICTION, MM_ALLKEYS_LRU, MM_ALLKEYS_LFU, MM_ALLKEYS_RANDOM,
    MM_VOLATILE_LRU, MM_VOLATILE_LFU, MM_VOLATILE_RANDOM, MM_VOLATILE_TTL
};

struct config {
    int port;
    char *bind;
    int tcp_backlog;
    long long maxmemory;
    int maxmemory_policy;
    int maxmemory_samples;
    char *requirepass;
    int databases;
    int loglevel;
    char *logfile;
    int maxclients;
    int timeout;
    int tcp_keepalive;
    long long proto_max_bulk_len;
    long long client_query_buffer_limit;
    struct cob_limit cob[3];
    int hz;
    bool dynamic_hz;
    bool protected_mode;
    char *notify_keyspace_events;
    int io_backend;
    char *save;
    bool appendonly;
    bool daemonize;
    long long slowlog_log_slower_than;
    int slowlog_max_len;
    long long latency_monitor_threshold;
    bool cluster_enabled;
    int cluster_port;
    char *cluster_seeds;
    long long cluster_node_timeout;
    char *cluster_announce_ip;
    bool activerehashing;
    int active_expire_effort;
    int lfu_log_factor;
    int lfu_decay_time;
    char *dir;
    char *dbfilename;
    char *pidfile;
    bool lazyfree_lazy_user_flush;
    bool lazyfree_lazy_user_del;
    bool lazyfree_lazy_expire;
    bool lazyfree_lazy_eviction;
    bool lazyfree_lazy_server_del;
    int io_threads;
    char *appendfilename;
    char *appendfsync;
    char *supervised;
    bool always_show_logo;
    char *unixsocket;
    int list_max_listpack_size;
    int list_compress_depth;
    int zset_max_listpack_entries;
    int zset_max_listpack_value;
    bool jemalloc_bg_thread;
};

/* Fills defaults. */
void config_init(struct config *c);
void config_free(struct config *c);

/* Applies one option given as argv (name first). On failure writes Redis's
 * message into err and returns false. `startup` allows immutable options. */
bool config_apply(struct config *c, int argc, const char **argv,
                  const size_t *lens, bool startup, char *err, size_t errlen);
/* Loads a redis.conf-style file. On failure writes "line N: message". */
bool config_load_file(struct config *c, const char *path, char *err,
                      size_t errlen);

/* Iterates rows: name and current value text (formatted as CONFIG GET
 * prints it). Returns false past the end. */
bool config_row(const struct config *c, size_t i, const char **name,
                char *val, size_t vallen);
size_t config_rows(void);
/* Whether an option name (any case) exists; returns its row or -1. */
int config_find(const char *name, size_t len);

/* Human names. */
const char *maxmem_policy_name(int p);

/* Hook called after CONFIG SET changed an option (server wires it). */
typedef void (*config_changed_fn)(const char *name, void *arg);
void config_on_change(config_changed_fn fn, void *arg);

#endif
