/*
 * cmd.c: argument parsing and common replies shared by the type files.
 * Number parsing follows Redis's rules exactly (string2ll: no spaces, no
 * '+', fits in long long; string2ld/strtod: no spaces, not NaN).
 */
#include "cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"

bool arg_is(const struct cmd_ctx *c, int i, const char *lit)
{
    size_t n = strlen(lit);
    return c->argvlen[i] == n && strncasecmp(c->argv[i], lit, n) == 0;
}

bool parse_ll(const char *s, size_t len, long long *out)
{
    return str_to_ll(s, len, out);
}

/* Redis's string2ld/string2d rule for strtod results: leading space and
 * trailing garbage are rejected (a NUL byte inside the value is garbage
 * too: the number must span all len bytes), and so are NaN and a range
 * error that overflowed to +-HUGE_VAL or underflowed to zero; a range
 * error that still produced a (subnormal) number is accepted. */
static bool float_text_ok(const char *buf, size_t len, const char *end,
                          bool range_err, bool inf, bool zero, bool nan)
{
    unsigned char c0 = (unsigned char)buf[0];
    if (c0 == ' ' || (c0 >= '\t' && c0 <= '\r'))
        return false;
    return end == buf + len && !nan && !(range_err && (inf || zero));
}

bool parse_ld(const char *s, size_t len, long double *out)
{
    char buf[5120];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if (!float_text_ok(buf, len, end, errno == ERANGE, isinf(v), v == 0,
                       isnan(v)))
        return false;
    *out = v;
    return true;
}

bool parse_double(const char *s, size_t len, double *out)
{
    char buf[256];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (!float_text_ok(buf, len, end, errno == ERANGE, isinf(v), v == 0,
                       isnan(v)))
        return false;
    *out = v;
    return true;
}

void reply_err(struct cmd_ctx *c, const char *msg)
{
    resp_w_error(c->w, msg, strlen(msg));
}

void reply_wrongtype(struct cmd_ctx *c)
{
    reply_err(c, ERR_WRONGTYPE);
}

void reply_syntax(struct cmd_ctx *c)
{
    reply_err(c, ERR_SYNTAX);
}

bool arg_ll(struct cmd_ctx *c, int i, long long *out)
{
    if (parse_ll(c->argv[i], c->argvlen[i], out))
        return true;
    reply_err(c, ERR_NOT_INT);
    return false;
}

bool arg_ll_range(struct cmd_ctx *c, int i, long long min, long long max,
                  long long *out, const char *errmsg)
{
    long long v;
    if (!parse_ll(c->argv[i], c->argvlen[i], &v) || v < min || v > max) {
        reply_err(c, errmsg ? errmsg : ERR_NOT_INT);
        return false;
    }
    *out = v;
    return true;
}

bool arg_double(struct cmd_ctx *c, int i, double *out)
{
    if (parse_double(c->argv[i], c->argvlen[i], out))
        return true;
    reply_err(c, ERR_NOT_FLOAT);
    return false;
}

bool arg_long_double(struct cmd_ctx *c, int i, long double *out)
{
    if (parse_ld(c->argv[i], c->argvlen[i], out))
        return true;
    reply_err(c, ERR_NOT_FLOAT);
    return false;
}

void reply_help(struct cmd_ctx *c, const char *const *lines, size_t n)
{
    resp_w_array(c->w, (long long)n);
    for (size_t i = 0; i < n; i++)
        resp_w_simple(c->w, lines[i], strlen(lines[i]));
}

void reply_entry_str(struct cmd_ctx *c, const struct entry *e)
{
    if (e->enc == ENC_BLOB) {
        struct blob *b = entry_blob(e);
        if (b->len >= 16384) {
            /* Large value: send by reference, no copy. */
            char hdr[32];
            int n = snprintf(hdr, sizeof(hdr), "$%zu\r\n", b->len);
            resp_w_raw(c->w, hdr, (size_t)n);
            blob_incref(b);
            obuf_append_ref(c->w->ob, b->data, b->len, blob_decref, b);
            resp_w_raw(c->w, "\r\n", 2);
            return;
        }
    }
    char buf[24];
    size_t len;
    const char *s = entry_str(e, buf, &len);
    resp_w_bulk(c->w, s, len);
}

int fmt_long_double(char *buf, size_t cap, long double v)
{
    /* Redis's LD_STR_HUMAN: %.17Lf, then strip trailing zeros and a
     * trailing dot; "-0" becomes "0". */
    int n = snprintf(buf, cap, "%.17Lf", v);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    if (strchr(buf, '.')) {
        while (n > 0 && buf[n - 1] == '0')
            n--;
        if (n > 0 && buf[n - 1] == '.')
            n--;
        buf[n] = 0;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        buf[1] = 0;
        n = 1;
    }
    return n;
}
