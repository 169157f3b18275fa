/*
 * cmd: what a command handler sees, and the shape of a command table row.
 *
 * A handler never touches a socket: it reads its arguments, works on the
 * keyspace, and appends exactly one reply to ctx->w (the loop flushes the
 * connection once per turn). Handlers validate everything first and only
 * then mutate, so a command either runs fully or not at all.
 *
 * argv slices point into the client's read buffer (or the parser's scratch)
 * until the handler returns; copy to keep.
 */
#ifndef RC_CMD_H
#define RC_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "resp.h"

/* Limits a handler needs from the config (owned by the server). */
struct cmd_limits {
    long long proto_max_bulk_len;
};

struct cmd_ctx {
    int argc;
    const char **argv;
    const size_t *argvlen;
    struct db *db;                  /* the client's selected db */
    struct keyspace *ks;
    struct resp_w *w;
    uint64_t now_ms;
    const struct cmd_limits *lim;
    void *client;                   /* opaque; server-level commands only */
    void *server;                   /* opaque; server-level commands only */
};

typedef void (*cmd_fn)(struct cmd_ctx *ctx);

/* Command flags (Redis's names in COMMAND INFO). */
enum {
    CMD_WRITE = 1u << 0,
    CMD_READONLY = 1u << 1,
    CMD_DENYOOM = 1u << 2,
    CMD_ADMIN = 1u << 3,
    CMD_PUBSUB = 1u << 4,
    CMD_NOSCRIPT = 1u << 5,
    CMD_BLOCKING = 1u << 6,
    CMD_LOADING = 1u << 7,
    CMD_STALE = 1u << 8,
    CMD_SKIP_MONITOR = 1u << 9,
    CMD_SKIP_SLOWLOG = 1u << 10,
    CMD_FAST = 1u << 11,
    CMD_NO_AUTH = 1u << 12,
    CMD_MAY_REPLICATE = 1u << 13,
    CMD_NO_MULTI = 1u << 14,
    CMD_ALLOW_BUSY = 1u << 15,
    CMD_MOVABLE_KEYS = 1u << 16,    /* keys found by getkeys, not positions */
    CMD_ALLOW_PAUSED = 1u << 17,    /* not held by CLIENT PAUSE WRITE */
};

/* Finds key positions for commands whose keys are not a fixed range
 * (CMD_MOVABLE_KEYS): fills idx with argv indexes; returns the count. */
typedef int (*cmd_keys_fn)(int argc, const char **argv, const size_t *argvlen,
                           int *idx, int max);

struct cmd_def {
    const char *name;               /* lower case */
    cmd_fn fn;
    int arity;                      /* Redis's: negative = at least -arity */
    uint32_t flags;
    int first_key, last_key, key_step;
    const char *group;              /* "string", "generic", "server", ... */
    cmd_keys_fn getkeys;            /* CMD_MOVABLE_KEYS only */
    const struct cmd_def *subcmds;  /* container commands: name "a|b" rows */
    const char *acl;                /* ACL categories, e.g. "@string @fast" */
};

/* Each type file exports a table terminated by a row with name NULL. */
extern const struct cmd_def strings_commands[];
extern const struct cmd_def keys_commands[];

/* ---- helpers for handlers (cmd.c) ---- */

/* Case-insensitive compare of argv[i] with a lower-case literal. */
bool arg_is(const struct cmd_ctx *c, int i, const char *lit);
/* Parses argv[i] as a long long; on failure replies the Redis error
 * "value is not an integer or out of range" and returns false. */
bool arg_ll(struct cmd_ctx *c, int i, long long *out);
bool arg_ll_range(struct cmd_ctx *c, int i, long long min, long long max,
                  long long *out, const char *errmsg);
bool arg_double(struct cmd_ctx *c, int i, double *out);
bool arg_long_double(struct cmd_ctx *c, int i, long double *out);
/* Replies -WRONGTYPE. */
void reply_wrongtype(struct cmd_ctx *c);
void reply_syntax(struct cmd_ctx *c);
void reply_err(struct cmd_ctx *c, const char *msg);
/* Replies a HELP text: an array of status lines (n lines). */
void reply_help(struct cmd_ctx *c, const char *const *lines, size_t n);
/* Replies the stored string value of e as a bulk (zero-copy for blobs). */
void reply_entry_str(struct cmd_ctx *c, const struct entry *e);

/* Parses a string as Redis's string2ll / string2ld. */
bool parse_ll(const char *s, size_t len, long long *out);
bool parse_ld(const char *s, size_t len, long double *out);
bool parse_double(const char *s, size_t len, double *out);
/* Formats a long double as INCRBYFLOAT replies (%.17Lf, trailing zeros
 * stripped). Returns the length; buf >= 5120 bytes. */
int fmt_long_double(char *buf, size_t cap, long double v);

#endif
