/*
 * server.h: the server's state, shared by the files of src/server only.
 *
 * There is one `struct server`, created in main.c and passed explicitly
 * (never a global reached from other modules). Clients live in an intrusive
 * doubly linked list for CLIENT LIST / timeouts, and in a table by id.
 */
#ifndef RC_SERVER_H
#define RC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "db.h"
#include "loop.h"
#include "resp.h"

struct config;
struct cmd_table;

/* Client flags. */
enum {
    CL_MULTI = 1u << 0,          /* inside MULTI */
    CL_DIRTY_CAS = 1u << 1,      /* a WATCHed key changed */
    CL_DIRTY_EXEC = 1u << 2,     /* a queued command was rejected */
    CL_CLOSE_ASAP = 1u << 3,     /* output limit hit or killed */
    CL_CLOSE_AFTER_REPLY = 1u << 4,
    CL_MONITOR = 1u << 5,
    CL_AUTHED = 1u << 6,
    CL_NO_EVICT = 1u << 7,
    CL_REPLY_OFF = 1u << 8,
    CL_REPLY_SKIP_NEXT = 1u << 9,
    CL_REPLY_SKIP = 1u << 10,    /* skip the reply of the current command */
    CL_PAUSED = 1u << 11,        /* holding input until CLIENT UNPAUSE */
    CL_IN_EXEC = 1u << 12,
    CL_CLOSED = 1u << 13,        /* conn closed; memory freed on_closed */
    CL_PUBSUB = 1u << 14,
};

struct queued_cmd {
    const struct cmd_def *cmd;
    int argc;
    char **argv;
    size_t *argvlen;
};

struct watched_key;

struct client {
    struct client *prev, *next;     /* server's client list */
    struct server *srv;
    struct conn *conn;
    uint64_t id;
    uint32_t flags;
    int proto;                      /* 2 or 3 */
    int dbid;
    struct db *db;
    char *name;                     /* CLIENT SETNAME, or NULL */
    char *lib_name, *lib_ver;       /* CLIENT SETINFO */
    char addr[64], laddr[64];
    int fd;
    uint64_t ctime_ms, last_ms;     /* created, last interaction */
    /* Input: bytes that did not form a whole request yet. */
    char *qbuf;
    size_t qlen, qcap;
    size_t qpeak;
    struct resp_parser parsers[3];  /* rotated by process(), as: */
    struct resp_parser *parser;     /* the request being parsed or run */
    struct resp_parser *ahead;      /* the next one, parsed early */
    struct resp_parser *ahead2;     /* and the one after it */
    const char *last_cmd;           /* name of the last command run */
    /* Output limits: when the soft limit was first exceeded (0 if not). */
    uint64_t soft_limit_since_ms;
    /* MULTI */
    struct queued_cmd *mq;
    int mqlen, mqcap;
    struct watched_key *watched;    /* list of WATCHed keys */
    int nwatched;
    uint64_t tot_net_in, tot_net_out, tot_cmds;
};

/* Runtime counters for INFO stats. */
struct stats {
    uint64_t start_ms;
    uint64_t total_connections, rejected_connections;
    uint64_t total_commands;
    uint64_t net_in, net_out;
    uint64_t expired_keys_seen;
    uint64_t unexpected_error_replies, total_error_replies;
    uint64_t client_qbuf_limit_disconnections;
    uint64_t client_outbuf_limit_disconnections;
};

/* Per-command statistics (INFO commandstats), indexed by cmd id. */
struct cmd_stat {
    uint64_t calls, usec, rejected, failed;
};

struct error_stat {
    char code[24];
    uint64_t count;
};

struct slowlog_entry {
    uint64_t id, time_s, dur_us;
    int argc;
    char **argv;
    size_t *argvlen;
    char addr[64];
    char *name;
};

struct server {
    struct loop *loop;
    struct config *cfg;
    struct keyspace *ks;
    struct cmd_table *cmds;
    struct {                        /* the last name cmd_lookup resolved, */
        char name[16];              /* byte for byte as the client sent it */
        size_t len;                 /* (0: empty) */
        const struct cmd_def *def;
    } lookup_cache;
    struct {                        /* client_peek's buckets in flight, */
        bool pending;               /* the last two calls' (a ring) */
        struct db *db;
        struct db_hint hint;
    } peek[2];
    unsigned peek_next;
    struct cmd_limits lim;
    struct client *clients;         /* list head */
    size_t nclients;
    uint64_t next_client_id;
    struct stats stats;
    uint64_t pause_end_ms;          /* CLIENT PAUSE deadline, 0 if none */
    bool pause_all;                 /* PAUSE ALL vs WRITE */
    bool shutting_down;
    bool evict_running;
    bool active_expire_off;
    bool cmd_clock_valid;           /* cmd_clock_us is from this turn */
    uint64_t cmd_clock_us;          /* end of the last command */         /* DEBUG SET-ACTIVE-EXPIRE 0 */             /* eviction ran out of budget: resume */
    uint64_t lastsave_s;
    /* slowlog ring */
    struct slowlog_entry *slowlog;
    size_t slowlog_len, slowlog_head, slowlog_cap;
    uint64_t slowlog_next_id;
    /* monitors */
    struct client **monitors;
    size_t nmonitors, capmonitors;
    /* WATCH: key -> watching clients (see multi.c) */
    struct watch_table *watches;
    char run_id[41];
    char executable[512];
    char config_file[512];
    int listen_fds[8];
    int nlisten;
    int port;
    struct error_stat errstats[128];   /* INFO errorstats, by error code */
    int nerrstats;
    uint64_t cron_loops;
    struct loop_timer *cron_timer;
    int exit_code;
};

/* ---- client.c ---- */
void client_accept(struct loop *l, int fd, void *arg);
/* The loop's look-ahead hint (loop_set_peek): starts loading the hash
 * bucket of the key of the request that opens buf, and the entry of the
 * key peeked at two calls earlier, whose bucket has arrived meanwhile. */
void client_peek(struct conn *conn, const char *buf, size_t len);
void client_free_all(struct server *s);
/* Closes a client (now, or after its output is flushed). */
void client_close(struct client *c, bool after_flush);
void client_cron(struct server *s, uint64_t now_ms);
/* Runs held input of clients once a CLIENT PAUSE ends. */
void client_resume_paused(struct server *s);
/* Formats one CLIENT LIST line (no trailing newline) into f. */
void client_info_line(struct client *c, FILE *f, uint64_t now_ms);
size_t client_out_pending(const struct client *c);

/* ---- commands.c ---- */
/* Evicts keys while used memory > maxmemory, for at most max_us; returns
 * the evict_status (evict.h) and sets s->evict_running. */
int server_evict(struct server *s, size_t used, uint64_t max_us);
struct cmd_table *cmd_table_new(void);
void cmd_table_free(struct cmd_table **t);
/* Finds a command by name (any case); NULL if unknown. */
const struct cmd_def *cmd_lookup(const struct cmd_table *t, const char *name,
                                 size_t len);
/* Finds a subcommand row of a container command. */
const struct cmd_def *cmd_lookup_sub(const struct cmd_def *parent,
                                     const char *name, size_t len);
/* Dense index of a command row (for stats). */
int cmd_index(const struct cmd_table *t, const struct cmd_def *d);
/* Top-level commands are rows [0, cmd_count); subcommand rows follow up
 * to cmd_count_all, with cmd_parent giving their container row. */
int cmd_count(const struct cmd_table *t);
int cmd_count_all(const struct cmd_table *t);
const struct cmd_def *cmd_at(const struct cmd_table *t, int i);
const struct cmd_def *cmd_parent(const struct cmd_table *t, int i);
struct cmd_stat *cmd_stats(struct cmd_table *t, int i);
/* Executes one parsed request for client c (auth, arity, MULTI queueing,
 * pause, OOM, stats, slowlog, MONITOR feed). Returns false when CLIENT
 * PAUSE holds the request: nothing was done; run it again later. */
bool cmd_dispatch(struct client *c, int argc, const char **argv,
                  const size_t *argvlen);
/* Counts one error reply with this code for INFO errorstats. */
void errorstat_add(struct server *s, const char *code);
/* Runs a resolved command (used by EXEC). */
void cmd_call(struct client *c, const struct cmd_def *d, int argc,
              const char **argv, const size_t *argvlen);
/* Fills ctx for c with the given arguments. */
void cmd_ctx_init(struct cmd_ctx *ctx, struct client *c, struct resp_w *w,
                  int argc, const char **argv, const size_t *argvlen);
/* Server-level tables (cmd_conn.c, cmd_server.c, multi.c, cmd_command.c). */
extern const struct cmd_def conn_commands[];
extern const struct cmd_def server_commands[];
extern const struct cmd_def multi_commands[];
extern const struct cmd_def command_commands[];

/* The client behind a ctx (server-level commands). */
static inline struct client *ctx_client(struct cmd_ctx *ctx)
{
    return ctx->client;
}
static inline struct server *ctx_server(struct cmd_ctx *ctx)
{
    return ctx->server;
}

/* ---- multi.c ---- */
void multi_on_modify(struct db *db, const char *key, size_t len, void *arg);
void multi_client_gone(struct client *c);
void multi_discard(struct client *c);
void multi_queue(struct client *c, const struct cmd_def *d, int argc,
                 const char **argv, const size_t *argvlen);
void multi_unwatch_all(struct client *c);
void multi_flag_all_watchers_dirty(struct server *s);
void multi_on_flush(struct db *db, struct db *with, void *arg);

/* ---- info.c ---- */
/* Appends INFO text for the given section ("default", "all", a name). */
void info_render(struct server *s, struct client *c, int nsect,
                 const char **sects, const size_t *lens, FILE *f);
size_t server_used_memory(void);

/* ---- cmd_server.c ---- */
void slowlog_maybe_add(struct server *s, struct client *c, int argc,
                       const char **argv, const size_t *argvlen,
                       uint64_t dur_us);
void monitor_feed(struct server *s, struct client *c, int argc,
                  const char **argv, const size_t *argvlen);
void server_shutdown(struct server *s);

/* ---- log.c ---- */
void log_init(const char *file, int level);
void log_msg(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_line(int level, const char *msg);
enum { LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3 };

uint64_t now_us_raw(void);

#endif
