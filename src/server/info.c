/*
 * info.c: INFO sections with Redis's field names, and the used-memory
 * figure (jemalloc's stats.allocated, refreshed through its epoch).
 */
#include "server.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"

#ifdef HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif
#ifdef RC_SANITIZE
#include <sanitizer/allocator_interface.h>
#endif

size_t server_used_memory(void)
{
#ifdef HAVE_JEMALLOC
    /* The loop thread's running allocation totals: two loads, no stats
     * refresh (all allocation happens on this one thread). */
    static uint64_t *alloc_p, *dealloc_p;
    static bool tried;
    if (!tried) {
        tried = true;
        size_t psz = sizeof(alloc_p);
        if (mallctl("thread.allocatedp", &alloc_p, &psz, NULL, 0) != 0 ||
            mallctl("thread.deallocatedp", &dealloc_p, &psz, NULL, 0) != 0)
            alloc_p = dealloc_p = NULL;
    }
    if (alloc_p)
        return (size_t)(*alloc_p - *dealloc_p);
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    size_t allocated = 0;
    sz = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &sz, NULL, 0) == 0)
        return allocated;
#endif
#ifdef RC_SANITIZE
    /* The sanitizer build uses ASan's allocator, not libc's. */
    return __sanitizer_get_current_allocated_bytes();
#endif
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    unsigned long pages = 0, rss = 0;
    if (fscanf(f, "%lu %lu", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return rss * (size_t)sysconf(_SC_PAGESIZE);
}

static void human(char *buf, size_t len, double n)
{
    if (n < 1024)
        snprintf(buf, len, "%.0fB", n);
    else if (n < 1024.0 * 1024)
        snprintf(buf, len, "%.2fK", n / 1024);
    else if (n < 1024.0 * 1024 * 1024)
        snprintf(buf, len, "%.2fM", n / (1024.0 * 1024));
    else
        snprintf(buf, len, "%.2fG", n / (1024.0 * 1024 * 1024));
}

static void sec_server(struct server *s, FILE *f)
{
    struct utsname u;
    uname(&u);
    uint64_t now = loop_now(s->loop);
    uint64_t up = (now - s->stats.start_ms) / 1000;
    fprintf(f, "# Server\r\n"
            "redis_version:7.0.15\r\n"
            "ringcache_version:0.1.0\r\n"
            "redis_git_sha1:00000000\r\n"
            "redis_git_dirty:0\r\n"
            "redis_build_id:0\r\n"
            "redis_mode:%s\r\n"
            "os:%s %s %s\r\n"
            "arch_bits:64\r\n"
            "monotonic_clock:POSIX clock_gettime\r\n"
            "multiplexing_api:%s\r\n"
            "atomicvar_api:c11-builtin\r\n"
            "gcc_version:%d.%d.0\r\n"
            "process_id:%d\r\n"
            "process_supervised:no\r\n"
            "run_id:%s\r\n"
            "tcp_port:%d\r\n"
            "server_time_usec:%llu\r\n"
            "uptime_in_seconds:%llu\r\n"
            "uptime_in_days:%llu\r\n"
            "hz:%d\r\n"
            "configured_hz:%d\r\n"
            "lru_clock:%u\r\n"
            "executable:%s\r\n"
            "config_file:%s\r\n"
            "io_threads_active:0\r\n",
            s->cfg->cluster_enabled ? "cluster" : "standalone",
            u.sysname, u.release, u.machine, loop_backend_name(s->loop),
            __GNUC__, __GNUC_MINOR__, (int)getpid(), s->run_id, s->port,
            (unsigned long long)loop_now_us(s->loop),
            (unsigned long long)up, (unsigned long long)(up / 86400),
            s->cfg->hz, s->cfg->hz, s->ks->lru_clock, s->executable,
            s->config_file);
}

static void sec_clients(struct server *s, FILE *f)
{
    size_t maxin = 0, maxout = 0;
    for (struct client *c = s->clients; c; c = c->next) {
        if (c->qcap > maxin)
            maxin = c->qcap;
        size_t o = client_out_pending(c);
        if (o > maxout)
            maxout = o;
    }
    fprintf(f, "# Clients\r\n"
            "connected_clients:%zu\r\n"
            "cluster_connections:0\r\n"
            "maxclients:%d\r\n"
            "client_recent_max_input_buffer:%zu\r\n"
            "client_recent_max_output_buffer:%zu\r\n"
            "blocked_clients:0\r\n"
            "tracking_clients:0\r\n"
            "clients_in_timeout_table:0\r\n",
            s->nclients, s->cfg->maxclients, maxin, maxout);
}

static void sec_memory(struct server *s, FILE *f)
{
    size_t used = server_used_memory();
    size_t rss = rss_bytes();
    size_t overhead = 0, keys = 0;
    for (int i = 0; i < s->ks->ndb; i++) {
        overhead += db_overhead(&s->ks->dbs[i]);
        keys += db_size(&s->ks->dbs[i]);
    }
    char h1[32], h2[32], h3[32], h4[32];
    human(h1, sizeof(h1), (double)used);
    human(h2, sizeof(h2), (double)rss);
    human(h3, sizeof(h3), (double)s->cfg->maxmemory);
    struct sysinfo_ {
        unsigned long total;
    } si = { (unsigned long)sysconf(_SC_PHYS_PAGES) *
             (unsigned long)sysconf(_SC_PAGESIZE) };
    human(h4, sizeof(h4), (double)si.total);
    fprintf(f, "# Memory\r\n"
            "used_memory:%zu\r\n"
            "used_memory_human:%s\r\n"
            "used_memory_rss:%zu\r\n"
            "used_memory_rss_human:%s\r\n"
            "used_memory_peak:%zu\r\n"
            "used_memory_overhead:%zu\r\n"
            "used_memory_dataset:%zu\r\n"
            "total_system_memory:%lu\r\n"
            "total_system_memory_human:%s\r\n"
            "maxmemory:%lld\r\n"
            "maxmemory_human:%s\r\n"
            "maxmemory_policy:%s\r\n"
            "mem_fragmentation_ratio:%.2f\r\n"
            "mem_allocator:%s\r\n"
            "lazyfree_pending_objects:%zu\r\n",
            used, h1, rss, h2, used, overhead,
            used > overhead ? used - overhead : 0, si.total, h4,
            s->cfg->maxmemory, h3,
            maxmem_policy_name(s->cfg->maxmemory_policy),
            used ? (double)rss / (double)used : 0.0,
#ifdef HAVE_JEMALLOC
            "jemalloc-5.3.0",
#else
            "libc",
#endif
            s->ks->ngraves);
    (void)keys;
}

static void sec_persistence(struct server *s, FILE *f)
{
    fprintf(f, "# Persistence\r\n"
            "loading:0\r\n"
            "async_loading:0\r\n"
            "rdb_changes_since_last_save:%llu\r\n"
            "rdb_bgsave_in_progress:0\r\n"
            "rdb_last_save_time:%llu\r\n"
            "rdb_last_bgsave_status:ok\r\n"
            "aof_enabled:0\r\n"
            "aof_rewrite_in_progress:0\r\n",
            (unsigned long long)s->ks->dirty,
            (unsigned long long)s->lastsave_s);
}

static void sec_stats(struct server *s, FILE *f)
{
    uint64_t up_ms = loop_now(s->loop) - s->stats.start_ms;
    fprintf(f, "# Stats\r\n"
            "total_connections_received:%llu\r\n"
            "total_commands_processed:%llu\r\n"
            "instantaneous_ops_per_sec:%llu\r\n"
            "total_net_input_bytes:%llu\r\n"
            "total_net_output_bytes:%llu\r\n"
            "rejected_connections:%llu\r\n"
            "expired_keys:%llu\r\n"
            "evicted_keys:%llu\r\n"
            "keyspace_hits:%llu\r\n"
            "keyspace_misses:%llu\r\n"
            "pubsub_channels:0\r\n"
            "pubsub_patterns:0\r\n"
            "total_error_replies:%llu\r\n"
            "client_query_buffer_limit_disconnections:%llu\r\n"
            "client_output_buffer_limit_disconnections:%llu\r\n",
            (unsigned long long)s->stats.total_connections,
            (unsigned long long)s->stats.total_commands,
            (unsigned long long)(up_ms ? s->stats.total_commands * 1000 /
                                 up_ms : 0),
            (unsigned long long)s->stats.net_in,
            (unsigned long long)s->stats.net_out,
            (unsigned long long)s->stats.rejected_connections,
            (unsigned long long)s->ks->expired_keys,
            (unsigned long long)s->ks->evicted_keys,
            (unsigned long long)s->ks->keyspace_hits,
            (unsigned long long)s->ks->keyspace_misses,
            (unsigned long long)s->stats.total_error_replies,
            (unsigned long long)s->stats.client_qbuf_limit_disconnections,
            (unsigned long long)s->stats.client_outbuf_limit_disconnections);
}

static void sec_replication(struct server *s, FILE *f)
{
    fprintf(f, "# Replication\r\n"
            "role:master\r\n"
            "connected_slaves:0\r\n"
            "master_replid:%s\r\n"
            "master_repl_offset:0\r\n", s->run_id);
}

static void sec_cpu(struct server *s, FILE *f)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(f, "# CPU\r\n"
            "used_cpu_sys:%ld.%06ld\r\n"
            "used_cpu_user:%ld.%06ld\r\n"
            "used_cpu_sys_children:0.000000\r\n"
            "used_cpu_user_children:0.000000\r\n",
            (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
            (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
}

static void sec_cluster(struct server *s, FILE *f)
{
    fprintf(f, "# Cluster\r\ncluster_enabled:%d\r\n",
            s->cfg->cluster_enabled ? 1 : 0);
}

static void sec_keyspace(struct server *s, FILE *f)
{
    fprintf(f, "# Keyspace\r\n");
    for (int i = 0; i < s->ks->ndb; i++) {
        struct db *db = &s->ks->dbs[i];
        if (db_size(db) == 0)
            continue;
        fprintf(f, "db%d:keys=%zu,expires=%zu,avg_ttl=%zu\r\n", i,
                db_size(db), db->nx, db->nx ? db->avg_ttl_ms : 0);
    }
}

static void sec_commandstats(struct server *s, FILE *f)
{
    fprintf(f, "# Commandstats\r\n");
    for (int i = 0; i < cmd_count_all(s->cmds); i++) {
        struct cmd_stat *st = cmd_stats(s->cmds, i);
        if (!st->calls && !st->failed && !st->rejected)
            continue;
        const struct cmd_def *d = cmd_at(s->cmds, i);
        const struct cmd_def *p = cmd_parent(s->cmds, i);
        if (p)
            fprintf(f, "cmdstat_%s|%s:", p->name, d->name);
        else
            fprintf(f, "cmdstat_%s:", d->name);
        fprintf(f, "calls=%llu,usec=%llu,usec_per_call=%.2f,"
                "rejected_calls=%llu,failed_calls=%llu\r\n",
                (unsigned long long)st->calls, (unsigned long long)st->usec,
                st->calls ? (double)st->usec / (double)st->calls : 0.0,
                (unsigned long long)st->rejected,
                (unsigned long long)st->failed);
    }
}

static void sec_errorstats(struct server *s, FILE *f)
{
    fprintf(f, "# Errorstats\r\n");
    for (int i = 0; i < s->nerrstats; i++)
        fprintf(f, "errorstat_%s:count=%llu\r\n", s->errstats[i].code,
                (unsigned long long)s->errstats[i].count);
}

struct section {
    const char *name;
    void (*fn)(struct server *s, FILE *f);
    bool in_default;
};

static const struct section sections[] = {
    {"server", sec_server, true},
    {"clients", sec_clients, true},
    {"memory", sec_memory, true},
    {"persistence", sec_persistence, true},
    {"stats", sec_stats, true},
    {"replication", sec_replication, true},
    {"cpu", sec_cpu, true},
    {"commandstats", sec_commandstats, false},
    {"errorstats", sec_errorstats, true},
    {"cluster", sec_cluster, true},
    {"keyspace", sec_keyspace, true},
};

#define NSECT (sizeof(sections) / sizeof(sections[0]))

void info_render(struct server *s, struct client *c, int nsect,
                 const char **sects, const size_t *lens, FILE *f)
{
    bool want[NSECT] = {0};
    bool any = false;
    if (nsect == 0) {
        for (size_t i = 0; i < NSECT; i++)
            want[i] = sections[i].in_default;
    }
    for (int k = 0; k < nsect; k++) {
        bool all = lens[k] == 3 && !strncasecmp(sects[k], "all", 3);
        bool every = lens[k] == 10 && !strncasecmp(sects[k], "everything",
                                                   10);
        bool def = lens[k] == 7 && !strncasecmp(sects[k], "default", 7);
        for (size_t i = 0; i < NSECT; i++) {
            if (all || every ||
                (def && sections[i].in_default) ||
                (strlen(sections[i].name) == lens[k] &&
                 !strncasecmp(sections[i].name, sects[k], lens[k])))
                want[i] = true;
        }
    }
    (void)c;
    for (size_t i = 0; i < NSECT; i++) {
        if (!want[i])
            continue;
        if (any)
            fputs("\r\n", f);
        sections[i].fn(s, f);
        any = true;
    }
}
