/*
 * cmd_command.c: COMMAND and its subcommands (COUNT, INFO, DOCS, LIST,
 * GETKEYS, GETKEYSANDFLAGS, HELP), describing the live command table the
 * way Redis 7.0 does, byte for byte in shape.
 *
 * Core idea: everything is read from two tables joined by the full name:
 * the command table (struct cmd_def: arity, flags, key positions, ACL
 * categories, subcommands) and the docs table (cmd_docs.c: summary,
 * arguments, key specifications, tips). Nothing is cached, so a command
 * added to any module shows up here with no extra step; a command with no
 * docs row gets a minimal doc map and key specifications derived from its
 * first/last/step.
 *
 * COMMAND itself is a container whose bare form (argc 1) is valid, which
 * the dispatcher's container rule (argv[1] required) cannot express. So the
 * "command" row has subcmds = NULL and command_command dispatches to
 * command_sub[] itself, replying the unknown-subcommand and arity errors
 * with Redis's text. Everything that lists subcommands goes through
 * subs_of(), which knows about this one exception.
 *
 * Key specification notation (the docs table's `keyspecs` column):
 *
 *   specs := spec {';' spec}
 *   spec  := FLAG {',' FLAG} '/' begin '/' find
 *   begin := 'i' n                  begin_search index: key at argv[n]
 *          | 'k' KEYWORD ',' n      keyword, searched from argv[n]
 *                                   (n < 0: from the end, backwards)
 *          | 'u'                    unknown
 *   find  := 'r' last ',' step ',' limit    range (last < 0: from the end)
 *          | 'n' idx ',' first ',' step     keynum: count at begin+idx
 *          | 'u'                            unknown
 *
 *   e.g. RENAME "RW,access,delete/i1/r0,1,0;OW,update/i2/r0,1,0".
 *
 * Key positions for GETKEYS come from the command row (getkeys for
 * movable-key commands, else first/last/step), the same source cluster
 * routing uses; key specifications only add the access flags of
 * GETKEYSANDFLAGS.
 */
#include "server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd_docs.h"
#include "errors.h"
#include "glob.h"

/* ---- names and lookups ---- */

static void command_count(struct cmd_ctx *ctx);
static void command_docs(struct cmd_ctx *ctx);
static void command_getkeys(struct cmd_ctx *ctx);
static void command_getkeysandflags(struct cmd_ctx *ctx);
static void command_help(struct cmd_ctx *ctx);
static void command_info(struct cmd_ctx *ctx);
static void command_list(struct cmd_ctx *ctx);

#define CMD_FLAGS (CMD_LOADING | CMD_STALE)
#define CMD_ACL "@slow @connection"

static const struct cmd_def command_sub[] = {
    {"count", command_count, 2, CMD_FLAGS, 0, 0, 0, "server", NULL, NULL,
     CMD_ACL},
    {"docs", command_docs, -2, CMD_FLAGS, 0, 0, 0, "server", NULL, NULL,
     CMD_ACL},
    {"getkeys", command_getkeys, -4, CMD_FLAGS, 0, 0, 0, "server", NULL,
     NULL, CMD_ACL},
    {"getkeysandflags", command_getkeysandflags, -4, CMD_FLAGS, 0, 0, 0,
     "server", NULL, NULL, CMD_ACL},
    {"help", command_help, 2, CMD_FLAGS, 0, 0, 0, "server", NULL, NULL,
     CMD_ACL},
    {"info", command_info, -2, CMD_FLAGS, 0, 0, 0, "server", NULL, NULL,
     CMD_ACL},
    {"list", command_list, -2, CMD_FLAGS, 0, 0, 0, "server", NULL, NULL,
     CMD_ACL},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};


/* The subcommand rows of a container (NULL-name terminated), or NULL. */
static const struct cmd_def *subs_of(const struct cmd_def *d)
{
    if (d->subcmds)
        return d->subcmds;
    return d == &command_commands[0] ? command_sub : NULL;
}

static int count_subs(const struct cmd_def *d)
{
    int n = 0;
    for (const struct cmd_def *s = subs_of(d); s && s->name; s++)
        n++;
    return n;
}

static const struct cmd_def *find_sub(const struct cmd_def *parent,
                                      const char *name, size_t len)
{
    for (const struct cmd_def *s = subs_of(parent); s && s->name; s++)
        if (strlen(s->name) == len && !strncasecmp(s->name, name, len))
            return s;
    return NULL;
}

/* "name" or "parent|name" into buf (>= 96 bytes). */
static const char *full_name(char *buf, size_t cap, const struct cmd_def *d,
                             const struct cmd_def *parent)
{
    if (!parent)
        return d->name;
    snprintf(buf, cap, "%s|%s", parent->name, d->name);
    return buf;
}

/* Looks up "name" or "parent|sub" (any case). Sets *parent for a
 * subcommand, NULL otherwise. */
static const struct cmd_def *lookup_full(struct server *s, const char *name,
                                         size_t len,
                                         const struct cmd_def **parent)
{
    const char *bar = memchr(name, '|', len);
    *parent = NULL;
    if (!bar)
        return cmd_lookup(s->cmds, name, len);
    const struct cmd_def *p = cmd_lookup(s->cmds, name, (size_t)(bar - name));
    const char *rest = bar + 1;
    size_t rlen = len - (size_t)(rest - name);
    if (!p || memchr(rest, '|', rlen))
        return NULL;
    *parent = p;
    return find_sub(p, rest, rlen);
}

/* ---- key specifications ---- */

enum { MAX_SPECS = 8 };

struct keyspec {
    const char *flags;          /* "RW,access,delete", not NUL-terminated */
    int flags_len;
    char begin;                 /* 'i', 'k' or 'u' */
    int index;                  /* 'i': argv index; 'k': startfrom */
    const char *keyword;
    int keyword_len;
    char find;                  /* 'r', 'n' or 'u' */
    int a, b, c;                /* r: lastkey, keystep, limit;
                                   n: keynumidx, firstkey, keystep */
};

static int parse_int(const char **p)
{
    char *end;
    long v = strtol(*p, &end, 10);
    *p = end;
    return (int)v;
}

/* Parses the notation into out; returns the number of specs, or -1 if the
 * notation is malformed. */
static int keyspecs_parse(const char *s, struct keyspec *out)
{
    int n = 0;
    while (s && *s) {
        if (n == MAX_SPECS)
            return -1;
        struct keyspec *k = &out[n++];
        memset(k, 0, sizeof(*k));
        k->flags = s;
        s = strchr(s, '/');
        if (!s)
            return -1;
        k->flags_len = (int)(s - k->flags);
        k->begin = *++s;
        s++;
        if (k->begin == 'i') {
            k->index = parse_int(&s);
        } else if (k->begin == 'k') {
            k->keyword = s;
            s = strchr(s, ',');
            if (!s)
                return -1;
            k->keyword_len = (int)(s - k->keyword);
            s++;
            k->index = parse_int(&s);
        } else if (k->begin != 'u') {
            return -1;
        }
        if (*s++ != '/')
            return -1;
        k->find = *s++;
        if (k->find == 'r' || k->find == 'n') {
            k->a = parse_int(&s);
            if (*s++ != ',')
                return -1;
            k->b = parse_int(&s);
            if (*s++ != ',')
                return -1;
            k->c = parse_int(&s);
        } else if (k->find != 'u') {
            return -1;
        }
        if (*s == ';')
            s++;
        else if (*s)
            return -1;
    }
    return n;
}

/* The key specs of a command: its docs row's, or one derived from the
 * row's first/last/step. */
static int keyspecs_of(const struct cmd_def *d, const struct cmd_doc *doc,
                       struct keyspec *out)
{
    if (doc && doc->keyspecs) {
        int n = keyspecs_parse(doc->keyspecs, out);
        if (n >= 0)
            return n;
    }
    if (d->first_key <= 0)
        return 0;
    memset(out, 0, sizeof(*out));
    if (d->flags & CMD_WRITE)
        out->flags = "RW,access,update";
    else if (d->flags & CMD_READONLY)
        out->flags = "RO,access";
    else
        out->flags = "RO";
    out->flags_len = (int)strlen(out->flags);
    out->begin = 'i';
    out->index = d->first_key;
    out->find = 'r';
    out->a = d->last_key < 0 ? d->last_key : d->last_key - d->first_key;
    out->b = d->key_step > 0 ? d->key_step : 1;
    return 1;
}

static void put_str(struct resp_w *w, const char *s)
{
    resp_w_bulk(w, s, strlen(s));
}

static void put_status(struct resp_w *w, const char *s)
{
    resp_w_simple(w, s, strlen(s));
}

/* Writes a comma-separated flag list as a set of status strings. */
static void reply_spec_flags(struct resp_w *w, const char *f, int len)
{
    int n = len > 0;
    for (int i = 0; i < len; i++)
        n += f[i] == ',';
    resp_w_set(w, n);
    for (int i = 0; i < len;) {
        int j = i;
        while (j < len && f[j] != ',')
            j++;
        resp_w_simple(w, f + i, (size_t)(j - i));
        i = j + 1;
    }
}

static void reply_keyspec(struct resp_w *w, const struct keyspec *k)
{
    resp_w_map(w, 3);
    put_str(w, "flags");
    reply_spec_flags(w, k->flags, k->flags_len);
    put_str(w, "begin_search");
    resp_w_map(w, 2);
    put_str(w, "type");
    if (k->begin == 'i') {
        put_str(w, "index");
        put_str(w, "spec");
        resp_w_map(w, 1);
        put_str(w, "index");
        resp_w_int(w, k->index);
    } else if (k->begin == 'k') {
        put_str(w, "keyword");
        put_str(w, "spec");
        resp_w_map(w, 2);
        put_str(w, "keyword");
        resp_w_bulk(w, k->keyword, (size_t)k->keyword_len);
        put_str(w, "startfrom");
        resp_w_int(w, k->index);
    } else {
        put_str(w, "unknown");
        put_str(w, "spec");
        resp_w_map(w, 0);
    }
    put_str(w, "find_keys");
    resp_w_map(w, 2);
    put_str(w, "type");
    if (k->find == 'u') {
        put_str(w, "unknown");
        put_str(w, "spec");
        resp_w_map(w, 0);
        return;
    }
    bool range = k->find == 'r';
    put_str(w, range ? "range" : "keynum");
    put_str(w, "spec");
    resp_w_map(w, 3);
    put_str(w, range ? "lastkey" : "keynumidx");
    resp_w_int(w, k->a);
    put_str(w, range ? "keystep" : "firstkey");
    resp_w_int(w, k->b);
    put_str(w, range ? "limit" : "keystep");
    resp_w_int(w, k->c);
}

/* The argv positions [*first, *last] (every *step) that spec k selects in
 * a command line; false if it selects none. */
static bool keyspec_range(const struct keyspec *k, int argc,
                          const char **argv, const size_t *argvlen,
                          int *first, int *last, int *step)
{
    int start = -1;
    if (k->begin == 'i') {
        start = k->index;
    } else if (k->begin == 'k') {
        size_t kl = (size_t)k->keyword_len;
        int i = k->index >= 0 ? k->index : argc + k->index;
        int dir = k->index >= 0 ? 1 : -1;
        for (; i > 0 && i < argc; i += dir)
            if (argvlen[i] == kl && !strncasecmp(argv[i], k->keyword, kl)) {
                start = i + 1;
                break;
            }
    }
    if (start <= 0 || start >= argc)
        return false;
    if (k->find == 'r') {
        *first = start;
        if (k->a >= 0)
            *last = start + k->a;
        else if (k->c <= 1)
            *last = argc + k->a;
        else
            *last = start + (argc - start) / k->c + k->a;
        *step = k->b > 0 ? k->b : 1;
    } else if (k->find == 'n') {
        long long nk;
        int at = start + k->a;
        if (at >= argc || !parse_ll(argv[at], argvlen[at], &nk) || nk <= 0 ||
            nk > argc)
            return false;
        *step = k->c > 0 ? k->c : 1;
        *first = start + k->b;
        *last = *first + (int)(nk - 1) * *step;
    } else {
        return false;
    }
    if (*last >= argc)
        *last = argc - 1;
    return *first <= *last;
}

/* ---- COMMAND INFO ---- */

static const struct {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    /* Redis 7.0's order; may_replicate is not shown, as in Redis. */
    {CMD_WRITE, "write"}, {CMD_READONLY, "readonly"},
    {CMD_DENYOOM, "denyoom"}, {CMD_ADMIN, "admin"}, {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"}, {CMD_BLOCKING, "blocking"},
    {CMD_LOADING, "loading"}, {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"}, {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    {CMD_FAST, "fast"}, {CMD_NO_AUTH, "no_auth"}, {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"}, {CMD_ALLOW_BUSY, "allow_busy"},
};

#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

/* Calls fn(w, word, len) for each space-separated word of s. */
static int each_word(const char *s, struct resp_w *w,
                     void (*fn)(struct resp_w *, const char *, size_t))
{
    int n = 0;
    while (s && *s) {
        while (*s == ' ')
            s++;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (e > s) {
            if (fn)
                fn(w, s, (size_t)(e - s));
            n++;
        }
        s = e;
    }
    return n;
}

static void put_category(struct resp_w *w, const char *s, size_t len)
{
    char buf[64];
    if (*s == '@' || len > sizeof(buf) - 2) {
        resp_w_simple(w, s, len);
        return;
    }
    buf[0] = '@';
    memcpy(buf + 1, s, len);
    resp_w_simple(w, buf, len + 1);
}

static void put_tip(struct resp_w *w, const char *s, size_t len)
{
    resp_w_bulk(w, s, len);
}

/* Writes the 10-element COMMAND INFO array of row d (a subcommand of
 * parent when parent is not NULL). */
static void reply_info(struct resp_w *w, const struct cmd_def *d,
                       const struct cmd_def *parent)
{
    char buf[96];
    const char *name = full_name(buf, sizeof(buf), d, parent);
    const struct cmd_doc *doc = cmd_doc_find(name);

    resp_w_array(w, 10);
    put_str(w, name);
    resp_w_int(w, d->arity);
    int nflags = 0;
    for (size_t i = 0; i < NFLAGS; i++)
        nflags += (d->flags & flag_names[i].bit) != 0;
    resp_w_set(w, nflags);
    for (size_t i = 0; i < NFLAGS; i++)
        if (d->flags & flag_names[i].bit)
            put_status(w, flag_names[i].name);
    resp_w_int(w, d->first_key);
    resp_w_int(w, d->last_key);
    resp_w_int(w, d->key_step);
    resp_w_set(w, each_word(d->acl, w, NULL));
    each_word(d->acl, w, put_category);
    const char *tips = doc ? doc->tips : NULL;
    resp_w_set(w, each_word(tips, w, NULL));
    each_word(tips, w, put_tip);

    struct keyspec ks[MAX_SPECS];
    int nks = keyspecs_of(d, doc, ks);
    resp_w_set(w, nks);
    for (int i = 0; i < nks; i++)
        reply_keyspec(w, &ks[i]);

    int nsub = parent ? 0 : count_subs(d);
    if (!nsub) {
        resp_w_set(w, 0);       /* Redis 7.0: an empty set, else an array */
        return;
    }
    resp_w_array(w, nsub);
    for (const struct cmd_def *s = subs_of(d); s->name; s++)
        reply_info(w, s, d);
}

static void reply_all_info(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    int n = cmd_count(s->cmds);
    resp_w_array(ctx->w, n);
    for (int i = 0; i < n; i++)
        reply_info(ctx->w, cmd_at(s->cmds, i), NULL);
}

static void command_info(struct cmd_ctx *ctx)
{
    if (ctx->argc == 2) {
        reply_all_info(ctx);
        return;
    }
    struct server *s = ctx_server(ctx);
    resp_w_array(ctx->w, ctx->argc - 2);
    for (int i = 2; i < ctx->argc; i++) {
        const struct cmd_def *parent;
        const struct cmd_def *d = lookup_full(s, ctx->argv[i],
                                              ctx->argvlen[i], &parent);
        if (d)
            reply_info(ctx->w, d, parent);
        else
            resp_w_null(ctx->w);
    }
}

static void command_count(struct cmd_ctx *ctx)
{
    resp_w_int(ctx->w, cmd_count(ctx_server(ctx)->cmds));
}

/* ---- COMMAND DOCS ---- */

/* Writes name -> doc map pair for row d. */
static void reply_doc(struct resp_w *w, const struct cmd_def *d,
                      const struct cmd_def *parent)
{
    char buf[96];
    const char *name = full_name(buf, sizeof(buf), d, parent);
    const char *group = parent ? parent->group : d->group;
    put_str(w, name);
    int nsub = parent ? 0 : count_subs(d);
    cmd_doc_reply(w, cmd_doc_find(name), group, nsub ? nsub : -1);
    if (!nsub)
        return;
    resp_w_map(w, nsub);
    for (const struct cmd_def *s = subs_of(d); s->name; s++)
        reply_doc(w, s, d);
}

static void command_docs(struct cmd_ctx *ctx)
{
    struct server *s = ctx_server(ctx);
    if (ctx->argc == 2) {
        int n = cmd_count(s->cmds);
        resp_w_map(ctx->w, n);
        for (int i = 0; i < n; i++)
            reply_doc(ctx->w, cmd_at(s->cmds, i), NULL);
        return;
    }
    /* Unknown names are left out of the map, as in Redis. */
    const struct cmd_def *parent;
    int found = 0;
    for (int i = 2; i < ctx->argc; i++)
        found += lookup_full(s, ctx->argv[i], ctx->argvlen[i], &parent) !=
                 NULL;
    resp_w_map(ctx->w, found);
    for (int i = 2; i < ctx->argc; i++) {
        const struct cmd_def *d = lookup_full(s, ctx->argv[i],
                                              ctx->argvlen[i], &parent);
        if (d)
            reply_doc(ctx->w, d, parent);
    }
}

/* ---- COMMAND LIST ---- */

enum { FILTER_NONE, FILTER_MODULE, FILTER_ACLCAT, FILTER_PATTERN };

struct list_filter {
    int kind;
    const char *arg;
    size_t len;
};

static bool has_category(const char *acl, const char *cat, size_t len)
{
    while (acl && *acl) {
        while (*acl == ' ')
            acl++;
        if (*acl == '@')
            acl++;
        const char *e = acl;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - acl) == len && !strncasecmp(acl, cat, len))
            return true;
        acl = e;
    }
    return false;
}

static bool list_match(const struct list_filter *f, const struct cmd_def *d,
                       const char *name)
{
    switch (f->kind) {
    case FILTER_MODULE:
        return false;           /* ringcache has no modules */
    case FILTER_ACLCAT:
        return has_category(d->acl, f->arg, f->len);
    case FILTER_PATTERN:
        return glob_match(f->arg, f->len, name, strlen(name), true);
    default:
        return true;
    }
}

/* Counts (w NULL) or writes the matching names: each command followed by
 * its subcommands, as Redis lists them. */
static int list_names(struct server *s, const struct list_filter *f,
                      struct resp_w *w)
{
    int n = 0, ncmds = cmd_count(s->cmds);
    char buf[96];
    for (int i = 0; i < ncmds; i++) {
        const struct cmd_def *d = cmd_at(s->cmds, i);
        if (list_match(f, d, d->name)) {
            if (w)
                put_str(w, d->name);
            n++;
        }
        for (const struct cmd_def *sd = subs_of(d); sd && sd->name; sd++) {
            const char *name = full_name(buf, sizeof(buf), sd, d);
            if (list_match(f, sd, name)) {
                if (w)
                    put_str(w, name);
                n++;
            }
        }
    }
    return n;
}

static void command_list(struct cmd_ctx *ctx)
{
    struct list_filter f = {FILTER_NONE, NULL, 0};
    if (ctx->argc == 5 && arg_is(ctx, 2, "filterby")) {
        if (arg_is(ctx, 3, "module"))
            f.kind = FILTER_MODULE;
        else if (arg_is(ctx, 3, "aclcat"))
            f.kind = FILTER_ACLCAT;
        else if (arg_is(ctx, 3, "pattern"))
            f.kind = FILTER_PATTERN;
        f.arg = ctx->argv[4];
        f.len = ctx->argvlen[4];
    }
    if (ctx->argc != 2 && f.kind == FILTER_NONE) {
        reply_syntax(ctx);
        return;
    }
    struct server *s = ctx_server(ctx);
    resp_w_array(ctx->w, list_names(s, &f, NULL));
    list_names(s, &f, ctx->w);
}

/* ---- COMMAND GETKEYS / GETKEYSANDFLAGS ---- */

static bool arity_ok(int arity, int argc)
{
    return arity > 0 ? argc == arity : argc >= -arity;
}

/* Fills idx with the key positions of a command line (argv[0] is the
 * command). Returns the count, or -1 when the arguments do not make sense
 * for the command (a bad numkeys, say). */
static int find_keys(const struct cmd_def *d, int argc, const char **argv,
                     const size_t *argvlen, int *idx)
{
    if (d->getkeys)
        return d->getkeys(argc, argv, argvlen, idx, argc);
    int last = d->last_key < 0 ? argc + d->last_key : d->last_key;
    int step = d->key_step > 0 ? d->key_step : 1;
    int n = 0;
    for (int i = d->first_key; i > 0 && i <= last && i < argc; i += step)
        idx[n++] = i;
    return n;
}

/* Commands whose key spec says "variable_flags": the real access depends
 * on the arguments. Any of `words` after the key means `yes`, else `no`. */
static const struct {
    const char *cmd, *words, *yes, *no;
} variable_flags[] = {
    {"set", " get ", "RW,access,update", "OW,update"},
    {"bitfield", " set incrby ", "RW,access,update", "RO,access"},
};

/* Replaces the flags of *k by the ones this command line needs. */
static void resolve_variable_flags(const struct cmd_def *d, int argc,
                                   const char **argv, const size_t *argvlen,
                                   struct keyspec *k)
{
    for (size_t i = 0; i < sizeof(variable_flags) /
         sizeof(variable_flags[0]); i++) {
        if (strcmp(d->name, variable_flags[i].cmd))
            continue;
        const char *f = variable_flags[i].no;
        for (int a = 2; a < argc; a++) {
            char word[16];
            if (argvlen[a] > sizeof(word) - 3)
                continue;
            word[0] = ' ';
            for (size_t j = 0; j < argvlen[a]; j++)
                word[j + 1] = (char)tolower((unsigned char)argv[a][j]);
            word[argvlen[a] + 1] = ' ';
            word[argvlen[a] + 2] = 0;
            if (strstr(variable_flags[i].words, word))
                f = variable_flags[i].yes;
        }
        k->flags = f;
        k->flags_len = (int)strlen(f);
        return;
    }
}

static void getkeys(struct cmd_ctx *ctx, bool with_flags)
{
    struct server *s = ctx_server(ctx);
    int argc = ctx->argc - 2;
    const char **argv = ctx->argv + 2;
    const size_t *argvlen = ctx->argvlen + 2;
    const struct cmd_def *d = cmd_lookup(s->cmds, argv[0], argvlen[0]);
    const struct cmd_def *parent = NULL;
    if (d && subs_of(d) && argc >= 2) {
        parent = d;
        d = find_sub(d, argv[1], argvlen[1]);
    }
    if (!d) {
        reply_err(ctx, "ERR Invalid command specified");
        return;
    }
    if (d->first_key <= 0 && !d->getkeys) {
        reply_err(ctx, "ERR The command has no key arguments");
        return;
    }
    if (!arity_ok(d->arity, argc)) {
        reply_err(ctx, "ERR Invalid number of arguments specified for "
                  "command");
        return;
    }
    int *idx = malloc(sizeof(int) * (size_t)argc);
    if (!idx)
        abort();
    int n = find_keys(d, argc, argv, argvlen, idx);
    if (n < 0 || (n == 0 && d->first_key > 0)) {
        reply_err(ctx, "ERR Invalid arguments specified for command");
        goto cleanup;
    }
    struct keyspec ks[MAX_SPECS];
    char buf[96];
    int nks = with_flags ?
        keyspecs_of(d, cmd_doc_find(full_name(buf, sizeof(buf), d, parent)),
                    ks) : 0;
    resp_w_array(ctx->w, n);
    for (int i = 0; i < n; i++) {
        if (!with_flags) {
            resp_w_bulk(ctx->w, argv[idx[i]], argvlen[idx[i]]);
            continue;
        }
        /* The first spec that selects this position gives the flags. */
        struct keyspec *k = NULL;
        for (int j = 0; j < nks && !k; j++) {
            int first, last, step;
            if (keyspec_range(&ks[j], argc, argv, argvlen, &first, &last,
                              &step) && idx[i] >= first && idx[i] <= last &&
                (idx[i] - first) % step == 0)
                k = &ks[j];
        }
        if (k && memmem(k->flags, (size_t)k->flags_len, "variable_flags",
                        14))
            resolve_variable_flags(d, argc, argv, argvlen, k);
        resp_w_array(ctx->w, 2);
        resp_w_bulk(ctx->w, argv[idx[i]], argvlen[idx[i]]);
        if (k)
            reply_spec_flags(ctx->w, k->flags, k->flags_len);
        else
            resp_w_set(ctx->w, 0);
    }
cleanup:
    free(idx);
}

static void command_getkeys(struct cmd_ctx *ctx)
{
    getkeys(ctx, false);
}

static void command_getkeysandflags(struct cmd_ctx *ctx)
{
    getkeys(ctx, true);
}

/* ---- COMMAND HELP and the container ---- */

static void command_help(struct cmd_ctx *ctx)
{
    static const char *const lines[] = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about every command of this server.",
        "COUNT",
        "    Return the number of commands of this server.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN "
        "<pattern>)]",
        "    Return the names of the commands of this server, optionally "
        "filtered.",
        "INFO [<command-name> ...]",
        "    Return details about the given commands, or about every "
        "command",
        "    when no name is given.",
        "DOCS [<command-name> ...]",
        "    Return the documentation of the given commands, or of every",
        "    command when no name is given.",
        "GETKEYS <full-command>",
        "    Return the key names found in a full command line.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the key names found in a full command line, with their "
        "access",
        "    flags.",
        "HELP",
        "    Print this help.",
    };
    size_t n = sizeof(lines) / sizeof(lines[0]);
    resp_w_array(ctx->w, (long long)n);
    for (size_t i = 0; i < n; i++)
        put_status(ctx->w, lines[i]);
}

/* COMMAND [subcommand ...]: the bare form lists everything; subcommands
 * are resolved here (see the file comment). */
static void command_command(struct cmd_ctx *ctx)
{
    if (ctx->argc == 1) {
        reply_all_info(ctx);
        return;
    }
    const char *name = ctx->argv[1];
    size_t len = ctx->argvlen[1];
    const struct cmd_def *sub = find_sub(&command_commands[0], name, len);
    if (!sub) {
        resp_w_errorf(ctx->w, "ERR unknown subcommand '%.*s'. Try COMMAND "
                      "HELP.", (int)(len > 128 ? 128 : len), name);
        return;
    }
    if (!arity_ok(sub->arity, ctx->argc)) {
        resp_w_errorf(ctx->w, "ERR wrong number of arguments for "
                      "'command|%s' command", sub->name);
        return;
    }
    sub->fn(ctx);
}

const struct cmd_def command_commands[] = {
    {"command", command_command, -1, CMD_FLAGS, 0, 0, 0, "server", NULL,
     NULL, CMD_ACL},
    {NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};
