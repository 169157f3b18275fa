/*
 * main.c: start-up and the periodic cron.
 *
 *   ringcache [CONFIG_FILE] [--name value ...]
 *
 * Options have redis-server's names and syntax; a bad option is a startup
 * error naming the option (and the line, for the file).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "evict.h"

#ifdef HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

/* jemalloc-bg-thread (Redis's option, default yes): jemalloc purges freed
 * dirty pages (e.g. the old table of a finished rehash) from a background
 * thread, so RSS follows used memory even while the server is idle. The
 * event loop itself stays single-threaded. */
static void apply_jemalloc_bg_thread(bool on)
{
#ifdef HAVE_JEMALLOC
    bool v = on;
    mallctl("background_thread", NULL, NULL, &v, sizeof(v));
#else
    (void)on;
#endif
}

#define RINGCACHE_VERSION "0.1.0"

static void usage(void)
{
    fprintf(stderr,
            "Usage: ringcache [/path/to/ringcache.conf] [options]\n"
            "       ringcache -v or --version\n"
            "       ringcache -h or --help\n\n"
            "Examples:\n"
            "       ringcache conf/ringcache.conf\n"
            "       ringcache --port 7777\n"
            "       ringcache conf/ringcache.conf --loglevel verbose "
            "--io-backend epoll\n");
}

/* Applies --name value... flags. Returns false with a message printed. */
static bool apply_args(struct config *cfg, int argc, char **argv, int start)
{
    int i = start;
    while (i < argc) {
        if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == 0) {
            fprintf(stderr, "*** FATAL CONFIG ERROR ***\nUnexpected "
                    "argument '%s' (options are --name value)\n", argv[i]);
            return false;
        }
        const char *av[64];
        size_t lens[64];
        int n = 0;
        av[n] = argv[i] + 2;
        lens[n] = strlen(av[n]);
        n++;
        i++;
        while (i < argc && n < 64 &&
               !(strncmp(argv[i], "--", 2) == 0 && argv[i][2] != 0)) {
            av[n] = argv[i];
            lens[n] = strlen(argv[i]);
            n++;
            i++;
        }
        if (n == 1) {   /* "--save" alone means save "" in redis-server */
            av[n] = "";
            lens[n] = 0;
            n++;
        }
        char err[512];
        if (config_find(av[0], lens[0]) < 0) {
            fprintf(stderr, "*** FATAL CONFIG ERROR ***\nUnknown option "
                    "'--%s'\n", av[0]);
            return false;
        }
        if (!config_apply(cfg, n, av, lens, true, err, sizeof(err))) {
            fprintf(stderr, "*** FATAL CONFIG ERROR ***\nOption '--%s': "
                    "%s\n", av[0], err);
            return false;
        }
    }
    return true;
}

static int listen_on(const char *addr, int port, int backlog, int *out_fd)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    bool any4 = !strcmp(addr, "*") || !strcmp(addr, "0.0.0.0");
    bool any6 = !strcmp(addr, "::*") || !strcmp(addr, "::");
    if (strchr(addr, ':') || any6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (any6)
            a->sin6_addr = in6addr_any;
        else if (inet_pton(AF_INET6, addr, &a->sin6_addr) != 1)
            return -EINVAL;
        sl = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (any4)
            a->sin_addr.s_addr = htonl(INADDR_ANY);
        else if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
            return -EINVAL;
        sl = sizeof(*a);
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0)
        return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, backlog) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    *out_fd = fd;
    return 0;
}

static bool open_listeners(struct server *s)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", s->cfg->bind);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        bool optional = tok[0] == '-';
        const char *addr = optional ? tok + 1 : tok;
        int fd = -1;
        int rc = listen_on(addr, s->cfg->port, s->cfg->tcp_backlog, &fd);
        if (rc < 0) {
            /* A missing IPv6 stack should not stop a loopback server. */
            bool v6 = strchr(addr, ':') != NULL;
            if (optional || (v6 && (rc == -EADDRNOTAVAIL ||
                                    rc == -EAFNOSUPPORT))) {
                log_msg(LOG_NOTICE, "Skipping listen on %s:%d: %s", addr,
                        s->cfg->port, strerror(-rc));
                continue;
            }
            log_msg(LOG_WARNING, "Warning: Could not create server TCP "
                    "listening socket %s:%d: %s", addr, s->cfg->port,
                    strerror(-rc));
            return false;
        }
        if (s->nlisten < 8)
            s->listen_fds[s->nlisten++] = fd;
        loop_listen(s->loop, fd, client_accept, s);
    }
    if (s->nlisten == 0) {
        log_msg(LOG_WARNING, "Failed listening on any address");
        return false;
    }
    return true;
}

static uint64_t cron_clock_us(void)
{
    return now_us_raw();
}

static void cron(struct loop *l, void *arg)
{
    struct server *s = arg;
    uint64_t now = loop_now(l);
    s->cron_loops++;
    s->ks->lru_clock = (uint32_t)((now / 1000) & 0xFFFFFF);
    int hz = s->cfg->hz > 0 ? s->cfg->hz : 1;
    /* Active expiry: up to 25% of a tick (Redis's budget), scaled by
     * active-expire-effort. */
    uint64_t budget_us = 250000u / (uint64_t)hz;
    budget_us += budget_us * (uint64_t)(s->cfg->active_expire_effort - 1) / 4;
    if (!s->active_expire_off)
        expire_cycle(s->ks, now, 200000, budget_us, cron_clock_us);
    if (s->cfg->activerehashing)
        keyspace_rehash_step(s->ks, 100);
    keyspace_gc_step(s->ks, 10000);
    client_cron(s, now);
    if (s->pause_end_ms && now >= s->pause_end_ms) {
        s->pause_end_ms = 0;
        client_resume_paused(s);
    }
}

static void before_wait(struct loop *l, void *arg)
{
    struct server *s = arg;
    s->cmd_clock_valid = false;     /* the next turn starts after a wait */
    /* Eviction that ran out of time continues every loop turn. */
    if (s->evict_running && s->cfg->maxmemory) {
        size_t used = server_used_memory();
        if (used > (size_t)s->cfg->maxmemory)
            server_evict(s, used, 500);
        else
            s->evict_running = false;
    }
    /* Free flushed keyspaces a slice per turn too, so FLUSHALL's memory
     * comes back quickly without a long pause. */
    if (s->ks->ngraves)
        keyspace_gc_step(s->ks, 2000);
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    struct server *s = arg;
    log_msg(LOG_WARNING, "Received %s scheduling shutdown...",
            signo == SIGINT ? "SIGINT" : "SIGTERM");
    server_shutdown(s);
}

static void apply_evict_config(struct server *s)
{
    struct evict_cfg ec = {
        .policy = (enum evict_policy)s->cfg->maxmemory_policy,
        .lfu_log_factor = (unsigned)s->cfg->lfu_log_factor,
        .lfu_decay_time = (unsigned)s->cfg->lfu_decay_time,
        .maxmemory_set = s->cfg->maxmemory != 0,
    };
    evict_configure(s->ks, &ec);
}

static void on_config_change(const char *name, void *arg)
{
    struct server *s = arg;
    if (!strcmp(name, "maxmemory-policy") ||
        !strcmp(name, "lfu-log-factor") || !strcmp(name, "lfu-decay-time"))
        apply_evict_config(s);
    if (!strcmp(name, "maxmemory")) {
        s->evict_running = true;    /* lowered: evict without waiting */
        apply_evict_config(s);
    }
    if (!strcmp(name, "hz")) {
        int hz = s->cfg->hz > 0 ? s->cfg->hz : 1;
        if (hz > 500)
            hz = 500;
        loop_timer_set_interval(s->cron_timer, 1000u / (unsigned)hz);
    } else if (!strcmp(name, "proto-max-bulk-len")) {
        s->lim.proto_max_bulk_len = s->cfg->proto_max_bulk_len;
    } else if (!strcmp(name, "jemalloc-bg-thread")) {
        apply_jemalloc_bg_thread(s->cfg->jemalloc_bg_thread);
    } else if (!strcmp(name, "loglevel")) {
        log_init(s->cfg->logfile, s->cfg->loglevel);
    }
}

static void log_sink(int level, const char *msg)
{
    log_line(level == 0 ? LOG_NOTICE : LOG_WARNING, msg);
}

int main(int argc, char **argv)
{
    static struct config cfg;
    static struct server srv;
    struct server *s = &srv;

    if (argc >= 2 && (!strcmp(argv[1], "-v") ||
                      !strcmp(argv[1], "--version"))) {
        printf("ringcache v=%s (speaks the Redis 7 protocol)\n",
               RINGCACHE_VERSION);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage();
        return 0;
    }
    config_init(&cfg);
    int first = 1;
    if (argc >= 2 && strncmp(argv[1], "--", 2) != 0) {
        char err[1024];
        if (!config_load_file(&cfg, argv[1], err, sizeof(err))) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        snprintf(s->config_file, sizeof(s->config_file), "%s", argv[1]);
        first = 2;
    }
    if (!apply_args(&cfg, argc, argv, first))
        return 1;

    log_init(cfg.logfile, cfg.loglevel);
    signal(SIGPIPE, SIG_IGN);
    apply_jemalloc_bg_thread(cfg.jemalloc_bg_thread);

    s->cfg = &cfg;
    s->lim.proto_max_bulk_len = cfg.proto_max_bulk_len;
    s->port = cfg.port;
    s->stats.start_ms = now_us_raw() / 1000;
    s->lastsave_s = s->stats.start_ms / 1000;
    uint64_t seed = 0;
    unsigned char rb[20 + 8];
    if (getrandom(rb, sizeof(rb), 0) != (ssize_t)sizeof(rb))
        for (size_t i = 0; i < sizeof(rb); i++)
            rb[i] = (unsigned char)(now_us_raw() >> (i % 8));
    memcpy(&seed, rb + 20, 8);
    for (int i = 0; i < 20; i++)
        snprintf(s->run_id + 2 * i, 3, "%02x", rb[i]);
    ssize_t n = readlink("/proc/self/exe", s->executable,
                         sizeof(s->executable) - 1);
    if (n > 0)
        s->executable[n] = 0;

    log_msg(LOG_NOTICE, "ringcache %s starting, pid=%d", RINGCACHE_VERSION,
            (int)getpid());
    s->ks = keyspace_new(cfg.databases, cfg.cluster_enabled, seed);
    s->ks->hooks.on_modify = multi_on_modify;
    s->ks->hooks.on_flush = multi_on_flush;
    s->ks->hooks.arg = s;
    s->ks->lru_clock = (uint32_t)((s->stats.start_ms / 1000) & 0xFFFFFF);
    apply_evict_config(s);
    s->cmds = cmd_table_new();

    /* 512 x 4 KiB provided buffers: 2 MiB of receive memory shared by all
     * connections (the loop's 16 MiB default would dominate a small
     * server's RSS; a large request simply spans more completions). */
    struct loop_config lc = {
        .backend = (enum loop_backend)cfg.io_backend,
        .buf_count = 512,
        .buf_size = 4096,
    };
    s->loop = loop_new(&lc, log_sink);
    if (!s->loop) {
        log_msg(LOG_WARNING, "Failed to start the event loop");
        return 1;
    }
    if (!open_listeners(s))
        return 1;
    config_on_change(on_config_change, s);
    int hz = cfg.hz > 0 ? cfg.hz : 1;
    if (hz > 500)
        hz = 500;
    s->cron_timer = loop_timer_add(s->loop, 1000u / (unsigned)hz, cron, s);
    loop_before_wait(s->loop, before_wait, s);
    loop_set_peek(s->loop, client_peek);
    loop_signal(s->loop, SIGTERM, on_signal, s);
    loop_signal(s->loop, SIGINT, on_signal, s);

    log_msg(LOG_NOTICE, "Server initialized (io backend: %s)",
            loop_backend_name(s->loop));
    log_msg(LOG_NOTICE, "Ready to accept connections tcp on port %d",
            cfg.port);
    loop_run(s->loop);

    log_msg(LOG_WARNING, "ringcache is now ready to exit, bye bye...");
#ifdef RC_SANITIZE
    /* Values hold pointers at unaligned offsets inside entries, which the
     * leak checker cannot see: free everything so that what it reports is
     * real. A production exit skips this (it would only cost time). */
    loop_free(&s->loop);
    keyspace_free(&s->ks);
    cmd_table_free(&s->cmds);
    config_free(&cfg);
#endif
    return s->exit_code;
}
