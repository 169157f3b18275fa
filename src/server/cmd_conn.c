/*
 * cmd_conn.c: connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH,
 * SELECT, SWAPDB and CLIENT.
 */
#include "server.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "errors.h"

#define SERVER_VERSION "7.0.15"

static void ping_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (ctx->argc > 2) {
        reply_err(ctx, "ERR wrong number of arguments for 'ping' command");
        return;
    }
    if ((c->flags & CL_PUBSUB) && c->proto == 2) {
        resp_w_array(ctx->w, 2);
        resp_w_bulk(ctx->w, "pong", 4);
        if (ctx->argc == 2)
            resp_w_bulk(ctx->w, ctx->argv[1], ctx->argvlen[1]);
        else
            resp_w_bulk(ctx->w, "", 0);
        return;
    }
    if (ctx->argc == 2)
        resp_w_bulk(ctx->w, ctx->argv[1], ctx->argvlen[1]);
    else
        resp_w_simple(ctx->w, "PONG", 4);
}

static void echo_command(struct cmd_ctx *ctx)
{
    resp_w_bulk(ctx->w, ctx->argv[1], ctx->argvlen[1]);
}

static void quit_command(struct cmd_ctx *ctx)
{
    resp_w_ok(ctx->w);
    ctx_client(ctx)->flags |= CL_CLOSE_AFTER_REPLY;
}

static void select_db(struct client *c, int id)
{
    c->dbid = id;
    c->db = &c->srv->ks->dbs[id];
}

static void reset_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    multi_discard(c);
    select_db(c, 0);
    c->proto = 2;
    ctx->w->proto = 2;
    c->flags &= ~(CL_REPLY_OFF | CL_REPLY_SKIP | CL_REPLY_SKIP_NEXT |
                  CL_NO_EVICT);
    if (c->flags & CL_MONITOR) {
        struct server *s = c->srv;
        for (size_t i = 0; i < s->nmonitors; i++)
            if (s->monitors[i] == c) {
                s->monitors[i] = s->monitors[--s->nmonitors];
                break;
            }
        c->flags &= ~CL_MONITOR;
    }
    free(c->name);
    c->name = NULL;
    if (c->srv->cfg->requirepass[0])
        c->flags &= ~CL_AUTHED;
    resp_w_simple(ctx->w, "RESET", 5);
}

/* Checks a password for the default user; true when accepted. */
static bool check_pass(struct server *s, const char *user, size_t ulen,
                       const char *pass, size_t plen)
{
    if (user && !(ulen == 7 && !memcmp(user, "default", 7)))
        return false;
    const char *want = s->cfg->requirepass;
    if (!want[0])
        return true;
    return strlen(want) == plen && memcmp(want, pass, plen) == 0;
}

static void auth_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (ctx->argc > 3) {
        reply_syntax(ctx);
        return;
    }
    if (ctx->argc == 2 && !c->srv->cfg->requirepass[0]) {
        reply_err(ctx, ERR_AUTH_NOPASS);
        return;
    }
    bool ok = ctx->argc == 2
        ? check_pass(c->srv, NULL, 0, ctx->argv[1], ctx->argvlen[1])
        : check_pass(c->srv, ctx->argv[1], ctx->argvlen[1], ctx->argv[2],
                     ctx->argvlen[2]);
    if (!ok) {
        reply_err(ctx, ERR_WRONGPASS);
        return;
    }
    c->flags |= CL_AUTHED;
    resp_w_ok(ctx->w);
}

static bool valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '!' || s[i] > '~')
            return false;
    return true;
}

static void set_name(struct client *c, const char *s, size_t len)
{
    free(c->name);
    c->name = NULL;
    if (len) {
        c->name = malloc(len + 1);
        if (!c->name)
            abort();
        memcpy(c->name, s, len);
        c->name[len] = 0;
    }
}

static void hello_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    struct server *s = c->srv;
    long long ver = c->proto;
    int i = 1;
    if (ctx->argc >= 2) {
        if (!parse_ll(ctx->argv[1], ctx->argvlen[1], &ver)) {
            reply_err(ctx, "ERR Protocol version is not an integer or out "
                      "of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            reply_err(ctx, ERR_PROTO_VERSION);
            return;
        }
        i = 2;
    }
    int auth_at = -1, name_at = -1;
    for (; i < ctx->argc; i++) {
        bool more = i + 1 < ctx->argc;
        if (arg_is(ctx, i, "auth") && i + 2 < ctx->argc) {
            auth_at = i + 1;
            i += 2;
        } else if (arg_is(ctx, i, "setname") && more) {
            name_at = i + 1;
            i++;
        } else {
            char msg[256];
            snprintf(msg, sizeof(msg), "ERR Syntax error in HELLO option "
                     "'%.*s'", (int)ctx->argvlen[i], ctx->argv[i]);
            reply_err(ctx, msg);
            return;
        }
    }
    if (auth_at > 0) {
        if (!check_pass(s, ctx->argv[auth_at], ctx->argvlen[auth_at],
                        ctx->argv[auth_at + 1], ctx->argvlen[auth_at + 1])) {
            reply_err(ctx, ERR_WRONGPASS);
            return;
        }
        c->flags |= CL_AUTHED;
    }
    if (!(c->flags & CL_AUTHED)) {
        reply_err(ctx, "NOAUTH HELLO must be called with the client already "
                  "authenticated, otherwise the HELLO <proto> AUTH <user> "
                  "<pass> option can be used to authenticate the client and "
                  "select the RESP protocol version at the same time");
        return;
    }
    if (name_at > 0) {
        if (!valid_name(ctx->argv[name_at], ctx->argvlen[name_at])) {
            reply_err(ctx, "ERR Client names cannot contain spaces, newlines "
                      "or special characters.");
            return;
        }
        set_name(c, ctx->argv[name_at], ctx->argvlen[name_at]);
    }
    c->proto = (int)ver;
    ctx->w->proto = (int)ver;
    struct resp_w *w = ctx->w;
    resp_w_map(w, 7);
    resp_w_bulk_cstr(w, "server");
    resp_w_bulk_cstr(w, "redis");
    resp_w_bulk_cstr(w, "version");
    resp_w_bulk_cstr(w, SERVER_VERSION);
    resp_w_bulk_cstr(w, "proto");
    resp_w_int(w, ver);
    resp_w_bulk_cstr(w, "id");
    resp_w_int(w, (long long)c->id);
    resp_w_bulk_cstr(w, "mode");
    resp_w_bulk_cstr(w, s->cfg->cluster_enabled ? "cluster" : "standalone");
    resp_w_bulk_cstr(w, "role");
    resp_w_bulk_cstr(w, "master");
    resp_w_bulk_cstr(w, "modules");
    resp_w_array(w, 0);
}

static void select_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    long long id;
    if (!parse_ll(ctx->argv[1], ctx->argvlen[1], &id)) {
        reply_err(ctx, ERR_NOT_INT);
        return;
    }
    if (id < INT32_MIN || id > INT32_MAX) {
        reply_err(ctx, ERR_INT_RANGE);
        return;
    }
    if (c->srv->cfg->cluster_enabled && id != 0) {
        reply_err(ctx, "ERR SELECT is not allowed in cluster mode");
        return;
    }
    if (id < 0 || id >= c->srv->ks->ndb) {
        reply_err(ctx, ERR_INVALID_DB);
        return;
    }
    select_db(c, (int)id);
    ctx->db = c->db;
    resp_w_ok(ctx->w);
}

static void swapdb_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    long long a, b;
    if (s->cfg->cluster_enabled) {
        reply_err(ctx, "ERR SWAPDB is not allowed in cluster mode");
        return;
    }
    if (!parse_ll(ctx->argv[1], ctx->argvlen[1], &a) || a < INT32_MIN ||
        a > INT32_MAX) {
        reply_err(ctx, "ERR invalid first DB index");
        return;
    }
    if (!parse_ll(ctx->argv[2], ctx->argvlen[2], &b) || b < INT32_MIN ||
        b > INT32_MAX) {
        reply_err(ctx, "ERR invalid second DB index");
        return;
    }
    if (a < 0 || a >= s->ks->ndb || b < 0 || b >= s->ks->ndb) {
        reply_err(ctx, ERR_INVALID_DB);
        return;
    }
    if (a != b)
        db_swap(&s->ks->dbs[a], &s->ks->dbs[b]);
    s->ks->dirty++;
    resp_w_ok(ctx->w);
}

/* ---- CLIENT ---- */

static void client_id_command(struct cmd_ctx *ctx)
{
    resp_w_int(ctx->w, (long long)ctx_client(ctx)->id);
}

static void client_setname_command(struct cmd_ctx *ctx)
{
    if (!valid_name(ctx->argv[2], ctx->argvlen[2])) {
        reply_err(ctx, "ERR Client names cannot contain spaces, newlines or "
                  "special characters.");
        return;
    }
    set_name(ctx_client(ctx), ctx->argv[2], ctx->argvlen[2]);
    resp_w_ok(ctx->w);
}

static void client_getname_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (c->name)
        resp_w_bulk_cstr(ctx->w, c->name);
    else
        resp_w_null(ctx->w);
}

static void reply_text(struct cmd_ctx *ctx, char *buf, size_t len)
{
    resp_w_verbatim(ctx->w, "txt", buf, len);
}

static void client_info_command(struct cmd_ctx *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    client_info_line(ctx_client(ctx), f, ctx->now_ms);
    fputc('\n', f);
    fclose(f);
    reply_text(ctx, buf, len);
    free(buf);
}

static bool client_matches_type(struct client *c, const char *t, size_t len)
{
    if (len == 6 && !strncasecmp(t, "normal", 6))
        return !(c->flags & CL_PUBSUB);
    if (len == 6 && !strncasecmp(t, "pubsub", 6))
        return c->flags & CL_PUBSUB;
    return false;
}

static bool valid_type(const char *t, size_t len)
{
    return (len == 6 && (!strncasecmp(t, "normal", 6) ||
                         !strncasecmp(t, "pubsub", 6))) ||
           (len == 6 && !strncasecmp(t, "master", 6)) ||
           (len == 7 && !strncasecmp(t, "replica", 7)) ||
           (len == 5 && !strncasecmp(t, "slave", 5));
}

static void client_list_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    const char *type = NULL;
    size_t tlen = 0;
    int ids_from = -1;
    if (ctx->argc >= 4 && arg_is(ctx, 2, "type") && ctx->argc == 4) {
        type = ctx->argv[3];
        tlen = ctx->argvlen[3];
        if (!valid_type(type, tlen)) {
            char msg[128];
            snprintf(msg, sizeof(msg), "ERR Unknown client type '%.*s'",
                     (int)tlen, type);
            reply_err(ctx, msg);
            return;
        }
    } else if (ctx->argc >= 4 && arg_is(ctx, 2, "id")) {
        ids_from = 3;
        for (int i = 3; i < ctx->argc; i++) {
            long long id;
            if (!parse_ll(ctx->argv[i], ctx->argvlen[i], &id) || id <= 0) {
                reply_err(ctx, "ERR Invalid client ID");
                return;
            }
        }
    } else if (ctx->argc != 2) {
        reply_syntax(ctx);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (struct client *c = s->clients; c; c = c->next) {
        if (type && !client_matches_type(c, type, tlen))
            continue;
        if (ids_from > 0) {
            bool hit = false;
            for (int i = ids_from; i < ctx->argc && !hit; i++) {
                long long id;
                parse_ll(ctx->argv[i], ctx->argvlen[i], &id);
                hit = (uint64_t)id == c->id;
            }
            if (!hit)
                continue;
        }
        client_info_line(c, f, ctx->now_ms);
        fputc('\n', f);
    }
    fclose(f);
    reply_text(ctx, buf, len);
    free(buf);
}

static void client_kill_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    struct client *me = ctx_client(ctx);
    /* Old form: CLIENT KILL addr:port */
    if (ctx->argc == 3) {
        for (struct client *c = s->clients; c; c = c->next) {
            if (strlen(c->addr) == ctx->argvlen[2] &&
                !memcmp(c->addr, ctx->argv[2], ctx->argvlen[2])) {
                resp_w_ok(ctx->w);
                if (c == me)
                    me->flags |= CL_CLOSE_AFTER_REPLY;
                else
                    client_close(c, false);
                return;
            }
        }
        reply_err(ctx, "ERR No such client");
        return;
    }
    if (ctx->argc % 2 != 0) {
        reply_syntax(ctx);
        return;
    }
    long long id = 0;
    const char *addr = NULL, *laddr = NULL, *type = NULL;
    size_t alen = 0, llen = 0, tlen = 0;
    bool skipme = true;
    for (int i = 2; i < ctx->argc; i += 2) {
        const char *v = ctx->argv[i + 1];
        size_t vl = ctx->argvlen[i + 1];
        if (arg_is(ctx, i, "id")) {
            if (!parse_ll(v, vl, &id) || id <= 0) {
                reply_err(ctx, "ERR client-id should be greater than 0");
                return;
            }
        } else if (arg_is(ctx, i, "addr")) {
            addr = v;
            alen = vl;
        } else if (arg_is(ctx, i, "laddr")) {
            laddr = v;
            llen = vl;
        } else if (arg_is(ctx, i, "type")) {
            if (!valid_type(v, vl)) {
                char msg[128];
                snprintf(msg, sizeof(msg), "ERR Unknown client type '%.*s'",
                         (int)vl, v);
                reply_err(ctx, msg);
                return;
            }
            type = v;
            tlen = vl;
        } else if (arg_is(ctx, i, "user")) {
            if (!(vl == 7 && !memcmp(v, "default", 7))) {
                char msg[160];
                snprintf(msg, sizeof(msg), "ERR No such user '%.*s'",
                         (int)vl, v);
                reply_err(ctx, msg);
                return;
            }
        } else if (arg_is(ctx, i, "skipme")) {
            if (vl == 3 && !strncasecmp(v, "yes", 3))
                skipme = true;
            else if (vl == 2 && !strncasecmp(v, "no", 2))
                skipme = false;
            else {
                reply_syntax(ctx);
                return;
            }
        } else {
            reply_syntax(ctx);
            return;
        }
    }
    long long killed = 0;
    struct client *c = s->clients;
    while (c) {
        struct client *next = c->next;
        bool match = (!id || c->id == (uint64_t)id) &&
            (!addr || (strlen(c->addr) == alen &&
                       !memcmp(c->addr, addr, alen))) &&
            (!laddr || (strlen(c->laddr) == llen &&
                        !memcmp(c->laddr, laddr, llen))) &&
            (!type || client_matches_type(c, type, tlen)) &&
            !(c == me && skipme);
        if (match) {
            killed++;
            if (c == me)
                me->flags |= CL_CLOSE_AFTER_REPLY;
            else
                client_close(c, false);
        }
        c = next;
    }
    resp_w_int(ctx->w, killed);
}

static void client_pause_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    long long ms;
    if (!parse_ll(ctx->argv[2], ctx->argvlen[2], &ms)) {
        reply_err(ctx, "ERR timeout is not an integer or out of range");
        return;
    }
    if (ms < 0) {
        reply_err(ctx, ERR_TIMEOUT_NEG);
        return;
    }
    bool all = true;
    if (ctx->argc == 4) {
        if (arg_is(ctx, 3, "write"))
            all = false;
        else if (!arg_is(ctx, 3, "all")) {
            reply_err(ctx, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    } else if (ctx->argc > 4) {
        reply_syntax(ctx);
        return;
    }
    uint64_t end = ctx->now_ms + (uint64_t)ms;
    /* A new pause never shortens or weakens a running one (as Redis). */
    if (!s->pause_end_ms) {
        s->pause_end_ms = end;
        s->pause_all = all;
    } else {
        if (end > s->pause_end_ms)
            s->pause_end_ms = end;
        if (all)
            s->pause_all = true;
    }
    resp_w_ok(ctx->w);
}

static void client_unpause_command(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    s->pause_end_ms = 0;
    s->pause_all = false;
    client_resume_paused(s);
    resp_w_ok(ctx->w);
}

static void client_reply_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (arg_is(ctx, 2, "on")) {
        c->flags &= ~(CL_REPLY_OFF | CL_REPLY_SKIP | CL_REPLY_SKIP_NEXT);
        resp_w_ok(ctx->w);
    } else if (arg_is(ctx, 2, "off")) {
        c->flags |= CL_REPLY_OFF;
    } else if (arg_is(ctx, 2, "skip")) {
        if (!(c->flags & CL_REPLY_OFF))
            c->flags |= CL_REPLY_SKIP_NEXT;
    } else {
        reply_syntax(ctx);
    }
}

static void client_no_evict_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    if (arg_is(ctx, 2, "on"))
        c->flags |= CL_NO_EVICT;
    else if (arg_is(ctx, 2, "off"))
        c->flags &= ~CL_NO_EVICT;
    else {
        reply_syntax(ctx);
        return;
    }
    resp_w_ok(ctx->w);
}

static void client_setinfo_command(struct cmd_ctx *ctx)
{
    struct client *c = ctx_client(ctx);
    char **slot;
    if (arg_is(ctx, 2, "lib-name"))
        slot = &c->lib_name;
    else if (arg_is(ctx, 2, "lib-ver"))
        slot = &c->lib_ver;
    else {
        char msg[160];
        snprintf(msg, sizeof(msg), "ERR Unrecognized option '%.*s'",
                 (int)ctx->argvlen[2], ctx->argv[2]);
        reply_err(ctx, msg);
        return;
    }
    if (!valid_name(ctx->argv[3], ctx->argvlen[3])) {
        reply_err(ctx, "ERR lib-name and lib-ver cannot contain spaces, "
                  "newlines or special characters.");
        return;
    }
    free(*slot);
    *slot = strndup(ctx->argv[3], ctx->argvlen[3]);
    resp_w_ok(ctx->w);
}

static void client_help_command(struct cmd_ctx *ctx)
{
    static const char *lines[] = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "HELP",
        "    Print this help.",
    };
    reply_help(ctx, lines, sizeof(lines) / sizeof(lines[0]));
}

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

static const struct cmd_def client_subcommands[] = {
    {"id", client_id_command, 2, CONN_FLAGS | CMD_ALLOW_PAUSED, 0, 0, 0,
     "connection", NULL, NULL, "@slow @connection"},
    {"setname", client_setname_command, 3, CONN_FLAGS | CMD_ALLOW_PAUSED,
     0, 0, 0, "connection", NULL, NULL, "@slow @connection"},
    {"getname", client_getname_command, 2, CONN_FLAGS | CMD_ALLOW_PAUSED,
     0, 0, 0, "connection", NULL, NULL, "@slow @connection"},
    {"list", client_list_command, -2, CONN_FLAGS | CMD_ADMIN |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@admin @slow @dangerous @connection"},
    {"info", client_info_command, 2, CONN_FLAGS | CMD_ALLOW_PAUSED, 0, 0, 0,
     "connection", NULL, NULL, "@slow @connection"},
    {"kill", client_kill_command, -3, CONN_FLAGS | CMD_ADMIN |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@admin @slow @dangerous @connection"},
    {"pause", client_pause_command, -3, CONN_FLAGS | CMD_ADMIN |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@admin @slow @dangerous @connection"},
    {"unpause", client_unpause_command, 2, CONN_FLAGS | CMD_ADMIN |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@admin @slow @dangerous @connection"},
    {"reply", client_reply_command, 3, CONN_FLAGS | CMD_ALLOW_PAUSED, 0, 0,
     0, "connection", NULL, NULL, "@slow @connection"},
    {"no-evict", client_no_evict_command, 3, CONN_FLAGS | CMD_ADMIN |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@admin @slow @dangerous @connection"},
    {"setinfo", client_setinfo_command, 4, CONN_FLAGS | CMD_ALLOW_PAUSED,
     0, 0, 0, "connection", NULL, NULL, "@slow @connection"},
    {"help", client_help_command, 2, CMD_LOADING | CMD_STALE |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@slow @connection"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

static void client_command(struct cmd_ctx *ctx)
{
    (void)ctx;      /* dispatched to subcommand rows by commands.c */
}

const struct cmd_def conn_commands[] = {
    {"ping", ping_command, -1, CMD_FAST, 0, 0, 0, "connection", NULL, NULL,
     "@fast @connection"},
    {"echo", echo_command, 2, CMD_FAST | CMD_LOADING | CMD_STALE, 0, 0, 0, "connection", NULL, NULL,
     "@fast @connection"},
    {"quit", quit_command, -1, CMD_ALLOW_PAUSED | CMD_NO_AUTH | CMD_FAST |
     CMD_LOADING | CMD_STALE | CMD_NOSCRIPT | CMD_ALLOW_BUSY, 0, 0, 0, "connection", NULL,
     NULL, "@fast @connection"},
    {"reset", reset_command, 1, CMD_NOSCRIPT | CMD_LOADING | CMD_STALE |
     CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY | CMD_ALLOW_PAUSED, 0, 0, 0,
     "connection", NULL, NULL, "@fast @connection"},
    {"hello", hello_command, -1, CMD_NOSCRIPT | CMD_LOADING | CMD_STALE |
     CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY | CMD_ALLOW_PAUSED, 0, 0, 0,
     "connection", NULL, NULL, "@fast @connection"},
    {"auth", auth_command, -2, CMD_NOSCRIPT | CMD_LOADING | CMD_STALE |
     CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY | CMD_ALLOW_PAUSED, 0, 0, 0,
     "connection", NULL, NULL, "@fast @connection"},
    {"select", select_command, 2, CMD_LOADING | CMD_STALE | CMD_FAST |
     CMD_ALLOW_PAUSED, 0, 0, 0, "connection", NULL, NULL,
     "@fast @connection"},
    {"swapdb", swapdb_command, 3, CMD_WRITE | CMD_FAST, 0, 0, 0, "server",
     NULL, NULL, "@keyspace @write @fast @dangerous"},
    {"client", client_command, -2, CMD_ALLOW_PAUSED, 0, 0, 0, "connection",
     NULL, client_subcommands, "@slow"},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
