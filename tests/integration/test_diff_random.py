"""Seeded random differential test: ringcache against stock redis-server 7.0.

For each seed a generator draws a sequence of string and generic-key
commands over a small key space (8 keys, two pairs sharing a {hash tag})
with awkward values: integers at and past the 64-bit limits, negative and
float forms, empty strings, binary bytes, strings on both sides of the
44-byte embstr limit. Wrong arity, unknown options, out-of-range and
non-numeric arguments are mixed in, command names and option words change
case, some commands go inline and some in MULTI/EXEC blocks. The same
sequence goes to a reference redis-server and to ringcache over raw sockets,
in RESP2 and then in RESP3 (HELLO 3), and the reply bytes must be equal.

Only what is legitimately unstable is normalised, the same way on both
sides:
  TTL / PTTL       relative TTLs are >= 1000 s and multiples of 100 s, so a
                   positive reply is rounded to 100 s (the run takes seconds)
  EXPIRETIME       a positive reply near none of the absolute times the
  PEXPIRETIME      generator uses (around 2100-01-01, and the ms and s
                   readings of 9223372036854775) came from a relative TTL
                   and is masked; absolute times compare exactly
  KEYS             elements sorted (order is unspecified)
  SCAN             run to cursor 0 and the union of keys compared, sorted;
                   an error reply compares as bytes
  RANDOMKEY        nil or "some key" (and the key must be one we use)
What is kept out of the generator, and why:
  - SET with EXAT/PXAT in the past: Redis stores the key already expired
    and DBSIZE (and SCAN TYPE none) see it until active expiry, on its own
    clock, reclaims it (GETEX and EXPIREAT with past times delete at once
    and are generated);
  - OBJECT REFCOUNT inside MULTI: Redis counts the transaction's queued
    argv that still hold the value (SET, INCRBYFLOAT there read 2);
  - relative EXPIRE with GT/LT: which of two relative times is later
    depends on the milliseconds between the commands;
  - OBJECT IDLETIME, MEMORY USAGE, OBJECT FREQ on a value: clock or
    allocator dependent (ringcache's values are smaller by design);
  - WRONGTYPE: ringcache implements no non-string type to create one.
  - APPEND/SETRANGE growing a value past 512 MB: both servers would
    allocate it (the offset checks are exercised with empty values).

Environment:
  REDIS_SERVER        reference binary (default /usr/bin/redis-server)
  DIFF_RANDOM_SEEDS   number of seeds (default 6); seeds are 0..N-1
  DIFF_RANDOM_FIRST   first seed (default 0), to resume a long run
  DIFF_RANDOM_LEN     commands per seed (default 400)
"""
import os
import random
import re
import socket

import pytest

from conftest import Server
from test_differential import (FAR_MS, FAR_S, LLMAX, LLMIN, RedisRef, Side,
                               encode, encode_inline)

SEEDS = int(os.environ.get("DIFF_RANDOM_SEEDS", "6"))
FIRST = int(os.environ.get("DIFF_RANDOM_FIRST", "0"))
LENGTH = int(os.environ.get("DIFF_RANDOM_LEN", "400"))
CHUNK = 20          # commands per pipelined write

KEYS = ["a", "b", "{t}x", "{t}y", "n", "{u}1", "{u}2", "long:key:3"]
BIG = "18446744073709551616"
VALUES = ["0", "1", "-1", "7", "42", "9999", "10000", "-10000", "123456789",
          LLMAX, LLMIN, "9223372036854775806", "-9223372036854775807",
          "9223372036854775808", "-9223372036854775809", BIG,
          "12345678901234567890", "01", "-0", "+1", " 1", "1 ", "0x1f",
          "1.5", "-2.25", "3.0", "0.1", "1e3", "-1e-3", "inf", "nan",
          "", "abc", "hello world", "ab", "ba", "abab", "aXbXc",
          "\x00", "a\x00b", "\xff\xfe\r\n\x01", "\r\n",
          "x" * 20, "y" * 21, "z" * 43, "x" * 44, "x" * 45, "xy" * 40,
          "ab" * 150]
INTS = ["0", "1", "-1", "2", "5", "-3", "100", "-100", "1000", LLMAX, LLMIN,
        "9223372036854775806", "-9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "abc", "", "1.5",
        "01", "+5", " 5", "5 ", "-0", "0x10", "1e3"]
FLOATS = ["0", "-0", "0.1", "-0.1", "1", "1.5", "-2.5", "3.25", "1e3",
          "5.0e3", "1e-3", "3e-20", "-1e20", "1e20", "1e300", "1e308",
          "1.7976931348623157e308", "1e400", "-1e400", "inf", "-inf", "nan",
          "abc", "", " 1", "1 ", "0x10", "1.", ".5", "+.5", "1e", "17",
          "0.3333333333333333", "123456789012345678", "-9223372036854775808"]
OFFSETS = ["0", "1", "2", "3", "5", "10", "43", "44", "45", "100", "-1", "-2",
           "-5", "-44", "-100", LLMAX, LLMIN, "9223372036854775808", "abc",
           "1.0", ""]
SET_OFFSETS = ["0", "1", "3", "10", "44", "45", "60", "-1", "abc", "", "1.0"]
# offsets whose write would pass 512 MB: only ever with an empty value (or
# past the limit), so neither server allocates that much
HUGE_OFFSETS = ["536870911", "536870912", LLMAX, "9223372036854775808"]
REL_S = ["1000", "2000", "3000"]
REL_MS = ["1000000", "1500000", "2000000"]
BAD_TIMES = ["0", "-1", "-100", "abc", "", "1.5", LLMAX, LLMIN,
             "9223372036854775808", "9223372036854775"]
FUTURE_S = [str(FAR_S + d) for d in (0, 1, 2, 3)]
FUTURE_MS = [str(FAR_MS + d) for d in (0, 1, 999, 1000, 2500)]
ABS_S = FUTURE_S + ["1", "100"]          # past times delete the key at once
ABS_MS = FUTURE_MS + ["1", "1000"]
OPTION_WORDS = {"NX", "XX", "GT", "LT", "GET", "KEEPTTL", "EX", "PX", "EXAT",
                "PXAT", "PERSIST", "REPLACE", "DB", "MATCH", "COUNT", "TYPE",
                "LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "ENCODING",
                "REFCOUNT", "FREQ", "HELP", "ASYNC", "SYNC"}


# ---- the generator ----

def gen_set_opts(rng):
    opts = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        o = rng.choice(["NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT",
                        "PXAT", "EX", "PX", "BAD"])
        if o == "EX":
            opts += [o, rng.choice(REL_S + BAD_TIMES[:6])]
        elif o == "PX":
            opts += [o, rng.choice(REL_MS + BAD_TIMES[:6])]
        elif o == "EXAT":
            opts += [o, rng.choice(FUTURE_S + BAD_TIMES[:3])]
        elif o == "PXAT":
            opts += [o, rng.choice(FUTURE_MS + BAD_TIMES[:3])]
        elif o == "BAD":
            opts.append(rng.choice(["FOO", "EX", "PX", "NXX", "GETT"]))
        else:
            opts.append(o)
    return opts


def gen_command(rng, in_multi=False):
    """One command as a list of str. in_multi keeps out the commands whose
    replies are normalised (the normalisers see single replies only)."""
    k = lambda: rng.choice(KEYS)                                 # noqa: E731
    v = lambda: rng.choice(VALUES)                               # noqa: E731
    ks = lambda lo=1, hi=4: [k() for _ in range(rng.randrange(lo, hi))]  # noqa
    g = [
        (8, lambda: ["SET", k(), v()] + gen_set_opts(rng)),
        (5, lambda: ["GET", k()]),
        (2, lambda: ["SETNX", k(), v()]),
        (2, lambda: ["SETEX", k(), rng.choice(REL_S + BAD_TIMES), v()]),
        (2, lambda: ["PSETEX", k(), rng.choice(REL_MS + BAD_TIMES), v()]),
        (2, lambda: ["GETSET", k(), v()]),
        (2, lambda: ["GETDEL", k()]),
        (3, lambda: ["GETEX", k()] + rng.choice(
            [[], ["PERSIST"], ["EX", rng.choice(REL_S + BAD_TIMES)],
             ["PX", rng.choice(REL_MS + BAD_TIMES)],
             ["EXAT", rng.choice(ABS_S + BAD_TIMES)],
             ["PXAT", rng.choice(ABS_MS)], ["PERSIST", "EX", "1000"],
             ["EX", "1000", "PX", "1000000"], ["KEEPTTL"], ["GET"],
             ["NX"], ["EX"], ["FOO"]])),
        (3, lambda: ["MGET"] + ks()),
        (3, lambda: ["MSET"] + [a for _ in range(rng.randrange(1, 4))
                                for a in (k(), v())]),
        (2, lambda: ["MSETNX"] + [a for _ in range(rng.randrange(1, 4))
                                  for a in (k(), v())]),
        (4, lambda: [rng.choice(["INCR", "DECR"]), k()]),
        (4, lambda: [rng.choice(["INCRBY", "DECRBY"]), k(),
                     rng.choice(INTS)]),
        (4, lambda: ["INCRBYFLOAT", k(), rng.choice(FLOATS)]),
        (3, lambda: ["APPEND", k(), rng.choice(
            ["", "x", "12", "-", "\x00", "1", "x" * 30, "y" * 44])]),
        (2, lambda: ["STRLEN", k()]),
        (3, lambda: [rng.choice(["GETRANGE", "SUBSTR"]), k(),
                     rng.choice(OFFSETS), rng.choice(OFFSETS)]),
        (3, lambda: ["SETRANGE", k(), rng.choice(SET_OFFSETS),
                     rng.choice(["", "Z", "xy", "123", "\x00", "x" * 50])]),
        (1, lambda: ["SETRANGE", k()] + rng.choice(
            [[rng.choice(HUGE_OFFSETS), ""], ["536870912", "x"],
             ["536870911", "xy"], [LLMAX, "x"]])),
        (3, lambda: ["LCS", k(), k()] + rng.choice(
            [[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN"],
             ["IDX", "MINMATCHLEN", rng.choice(["0", "1", "2", "-1", "x"])],
             ["IDX", "MINMATCHLEN", "2", "WITHMATCHLEN"], ["LEN", "IDX"],
             ["MINMATCHLEN"], ["FOO"]])),
        (3, lambda: [rng.choice(["DEL", "UNLINK", "EXISTS", "TOUCH"])] +
            ks(1, 5)),
        (2, lambda: ["TYPE", k()]),
        (3, lambda: [rng.choice(["RENAME", "RENAMENX"]), k(), k()]),
        (2, lambda: ["COPY", k(), k()] + rng.choice(
            [[], ["REPLACE"], ["DB", "1"], ["DB", "0"], ["DB", "1", "REPLACE"],
             ["DB", "16"], ["DB", "-1"], ["DB", "x"], ["DB"], ["FOO"]])),
        (2, lambda: ["MOVE", k(), rng.choice(["0", "1", "2", "15", "16", "-1",
                                              "x", ""])]),
        (2, lambda: ["SELECT", rng.choice(["0", "0", "0", "1", "2", "16",
                                           "-1", "x"])]),
        (1, lambda: ["SWAPDB", rng.choice(["0", "1", "x"]),
                     rng.choice(["0", "1", "2", "16"])]),
        (3, lambda: [rng.choice(["EXPIRE", "PEXPIRE"]), k()] + rng.choice(
            [[rng.choice(REL_S)], [rng.choice(REL_MS)],
             [rng.choice(BAD_TIMES)]]) + rng.choice(
            [[], [], ["NX"], ["XX"], ["NX", "XX"], ["GT", "LT"], ["FOO"]])),
        (3, lambda: [rng.choice(["EXPIREAT", "PEXPIREAT"]), k(),
                     rng.choice(ABS_S + ABS_MS + BAD_TIMES)] + rng.choice(
            [[], ["GT"], ["LT"], ["NX"], ["XX"], ["GT", "XX"], ["LT", "NX"],
             ["GT", "LT"], ["NX", "GT"], ["XX", "XX"]])),
        (2, lambda: ["PERSIST", k()]),
        (1, lambda: ["DBSIZE"]),
        (2, lambda: ["OBJECT", "ENCODING", k()]),
        (1, lambda: ["OBJECT", rng.choice(["FREQ", "FOO"] if in_multi else
                                          ["REFCOUNT", "FREQ", "FOO"]), k()]),
        (2, lambda: gen_bad_arity(rng)),
    ]
    if not in_multi:
        g += [
            (3, lambda: [rng.choice(["TTL", "PTTL", "EXPIRETIME",
                                     "PEXPIRETIME"]), k()]),
            (1, lambda: ["KEYS", rng.choice(
                ["*", "{t}*", "?", "*1*", "[ab]", "[^a]", "long:*:?", "\\{*",
                 "*[xy]", "[a-c]*", ""])]),
            (2, lambda: gen_scan(rng)),
            (1, lambda: ["RANDOMKEY"]),
        ]
    weights = [w for w, _ in g]
    return rng.choices([f for _, f in g], weights)[0]()


def gen_scan(rng):
    args = ["SCAN", "0"]
    for _ in range(rng.randrange(0, 3)):
        o = rng.choice(["MATCH", "COUNT", "TYPE", "BAD"])
        if o == "MATCH":
            args += [o, rng.choice(["*", "{t}*", "?", "[ab]", "*1", "x*"])]
        elif o == "COUNT":
            args += [o, rng.choice(["1", "2", "10", "1000", "0", "-1", "x"])]
        elif o == "TYPE":
            args += [o, rng.choice(["string", "list", "none", "STRING",
                                    "foo"])]
        else:
            args += rng.choice([["MATCH"], ["FOO"]])
    if rng.random() < 0.05:
        args[1] = rng.choice(["abc", "18446744073709551616", "1x"])
    return args


ARITY = {"SET": 3, "GET": 2, "SETNX": 3, "SETEX": 4, "PSETEX": 4,
         "GETSET": 3, "GETDEL": 2, "GETEX": 2, "MGET": 2, "MSET": 3,
         "MSETNX": 3, "INCR": 2, "DECR": 2, "INCRBY": 3, "DECRBY": 3,
         "INCRBYFLOAT": 3, "APPEND": 3, "STRLEN": 2, "GETRANGE": 4,
         "SUBSTR": 4, "SETRANGE": 4, "LCS": 3, "DEL": 2, "UNLINK": 2,
         "EXISTS": 2, "TOUCH": 2, "TYPE": 2, "RENAME": 3, "RENAMENX": 3,
         "COPY": 3, "MOVE": 3, "EXPIRE": 3, "PEXPIRE": 3, "EXPIREAT": 3,
         "PEXPIREAT": 3, "TTL": 2, "PTTL": 2, "EXPIRETIME": 2,
         "PEXPIRETIME": 2, "PERSIST": 2, "DBSIZE": 1, "KEYS": 2,
         "RANDOMKEY": 1, "SELECT": 2, "SWAPDB": 3, "OBJECT": 2}


FIXED_ARITY = {"GET", "STRLEN", "TYPE", "KEYS", "SELECT", "RENAME", "MOVE",
               "SWAPDB", "SETEX", "INCRBY", "GETSET", "SETNX", "PSETEX",
               "APPEND", "DBSIZE", "RANDOMKEY", "TTL", "PTTL", "INCR", "DECR",
               "DECRBY", "INCRBYFLOAT", "GETDEL", "GETRANGE", "SUBSTR",
               "SETRANGE", "RENAMENX", "PERSIST", "EXPIRETIME",
               "PEXPIRETIME"}


def gen_bad_arity(rng):
    """A command with one argument too few, or one too many when its arity
    is fixed (or an odd count for MSET)."""
    name = rng.choice(sorted(ARITY))
    nargs = ARITY[name] - 1             # arguments after the name
    if name in ("MSET", "MSETNX"):
        count = rng.choice([1, 3, 5])
    elif name in FIXED_ARITY:
        count = rng.choice([nargs - 1, nargs + 1]) if nargs else 1
    else:
        count = nargs - 1
    return [name] + [rng.choice(KEYS + ["1"]) for _ in range(count)]


def random_case(rng, args):
    out = list(args)
    if rng.random() < 0.15:
        out[0] = "".join(ch.lower() if rng.random() < 0.5 else ch
                         for ch in out[0])
    for i in range(1, len(out)):
        if out[i] in OPTION_WORDS and rng.random() < 0.2:
            out[i] = out[i].lower()
    return out


def gen_stream(seed, n):
    """Returns a list of commands (lists of str); MULTI blocks count as
    their commands."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        x = rng.random()
        if x < 0.04:
            body = [random_case(rng, gen_command(rng, True))
                    for _ in range(rng.randrange(0, 5))]
            end = rng.choice(["EXEC", "EXEC", "EXEC", "DISCARD"])
            if rng.random() < 0.5:
                # WATCH keys, run a few commands that may or may not touch
                # them (writes, expires, MOVE, SWAPDB, SELECT, FLUSH...),
                # then the transaction
                out.append(["WATCH"] + [rng.choice(KEYS)
                                        for _ in range(rng.randrange(1, 3))])
                for _ in range(rng.randrange(0, 4)):
                    y = rng.random()
                    if y < 0.1:
                        out.append(["UNWATCH"])
                    elif y < 0.15:
                        out.append([rng.choice(["FLUSHDB", "FLUSHALL"])])
                    else:
                        out.append(random_case(rng, gen_command(rng, True)))
            out += [["MULTI"]] + body + [[end]]
        elif x < 0.045:
            out.append([rng.choice(["FLUSHDB", "FLUSHALL"])] + rng.choice(
                [[], [], ["ASYNC"], ["SYNC"], ["async"], ["FOO"],
                 ["SYNC", "ASYNC"]]))
        else:
            out.append(random_case(rng, gen_command(rng)))
    return out


# ---- replies: a small parser and the normalisers ----

def parse(b, pos=0):
    """Returns (value, end) for the reply at pos: ('err', bytes),
    ('str', bytes), ('int', int), None, or a list."""
    end = b.index(b"\r\n", pos)
    t, line = b[pos:pos + 1], b[pos + 1:end]
    if t in (b"+", b"-"):
        return ("err" if t == b"-" else "str", line), end + 2
    if t == b":":
        return ("int", int(line)), end + 2
    if t == b"_":
        return None, end + 2
    if t in (b"$", b"="):
        n = int(line)
        if n < 0:
            return None, end + 2
        return ("str", b[end + 2:end + 2 + n]), end + 2 + n + 2
    if t in (b"*", b"~", b">"):
        n = int(line)
        if n < 0:
            return None, end + 2
        out, p = [], end + 2
        for _ in range(n):
            x, p = parse(b, p)
            out.append(x)
        return out, p
    return ("other", b[pos:end]), end + 2


def norm_ttl(cmd, b):
    unit = 100000 if cmd in ("PTTL",) else 100

    def f(m):
        v = int(m.group(1))
        if v <= 0:
            return m.group(0)
        return b":~%d\r\n" % ((v + unit // 2) // unit)
    return re.sub(rb":(-?\d+)\r\n", f, b)


# the absolute expire times (in ms) the generator can set on a key that
# survives; an expire time near none of them came from a relative TTL
ABS_TARGETS_MS = [FAR_MS, 9223372036854775, 9223372036854775000]


def norm_expiretime(cmd, b):
    ms = cmd == "PEXPIRETIME"

    def f(m):
        v = int(m.group(1))
        if v <= 0:
            return m.group(0)
        for t in ABS_TARGETS_MS:
            if abs(v - (t if ms else t // 1000)) <= (10000 if ms else 10):
                return m.group(0)
        return b":<relative>\r\n"
    return re.sub(rb":(-?\d+)\r\n", f, b)


def norm_keys(cmd, b):
    v, _ = parse(b)
    if not isinstance(v, list):
        return b
    return repr(sorted(x[1] for x in v)).encode()


def norm_randomkey(cmd, b):
    v, _ = parse(b)
    if v is None:
        return b"<nil>"
    assert v[0] == "str" and v[1].decode("latin-1") in KEYS, b
    return b"<a key>"


NORMALISE = {"TTL": norm_ttl, "PTTL": norm_ttl,
             "EXPIRETIME": norm_expiretime, "PEXPIRETIME": norm_expiretime,
             "KEYS": norm_keys, "RANDOMKEY": norm_randomkey}


def scan_all(conn, args):
    """Runs SCAN from cursor 0 to the end; returns the first error's bytes
    or the sorted union of keys."""
    seen, cursor = set(), b"0"
    for _ in range(10000):
        a = list(args)
        a[1] = cursor
        conn.send(encode(a))
        b = conn.read()
        if b[:1] == b"-":
            return b
        v, _ = parse(b)
        cursor = v[0][1]
        seen.update(x[1] for x in v[1])
        if cursor == b"0":
            return repr(sorted(seen)).encode()
    return b"<scan did not finish>"


def latin(args):
    return [a.encode("latin-1") for a in args]


# ---- the runner ----

@pytest.fixture(scope="module")
def pair():
    ref = RedisRef()
    rc = Server()
    yield ref, rc
    alive = rc.alive()
    out = rc.output()
    code = rc.stop()
    ref.stop()
    assert alive and code == 0, "ringcache exit %r\n%s" % (code, out[-4000:])


def run_stream(ref_port, rc_port, seed, proto, cmds):
    """Plays cmds on both servers; returns a list of difference reports
    (empty when every reply matched). Stops at the first difference, since
    the two keyspaces may differ after it."""
    ref, rc = Side(ref_port, proto), Side(rc_port, proto)
    rng = random.Random(seed * 7 + proto)
    try:
        for side in (ref, rc):
            c = side.conn(1)
            c.send(encode(["FLUSHALL"]))
            c.read()
        i = 0
        while i < len(cmds):
            if cmds[i][0].upper() == "SCAN" and cmds[i][1] == "0":
                got = [scan_all(s.conn(1), latin(cmds[i])) for s in (ref, rc)]
                batch = [cmds[i]]
                replies = [[got[0]], [got[1]]]
            else:
                batch = []
                while (i + len(batch) < len(cmds) and len(batch) < CHUNK and
                       not (cmds[i + len(batch)][0].upper() == "SCAN" and
                            cmds[i + len(batch)][1] == "0")):
                    batch.append(cmds[i + len(batch)])
                data = b"".join(encode_inline(latin(c))
                                if rng.random() < 0.1 else encode(latin(c))
                                for c in batch)
                replies = []
                for side in (ref, rc):
                    c = side.conn(1)
                    c.send(data)
                    try:
                        out = [c.read() for _ in batch]
                    except (socket.timeout, ConnectionError) as e:
                        out = [b"<%r>" % e] * len(batch)
                    out = [NORMALISE[cmd[0].upper()](cmd[0].upper(), r)
                           if cmd[0].upper() in NORMALISE and r[:1] != b"-"
                           else r for cmd, r in zip(batch, out)]
                    replies.append(out)
            for j, (want, got) in enumerate(zip(*replies)):
                if want != got:
                    at = i + j
                    ctx = cmds[max(0, at - 15):at + 1]
                    return ["seed %d RESP%d command %d: %r\n  redis:     %r\n"
                            "  ringcache: %r\n  after:\n    %s"
                            % (seed, proto, at, cmds[at], want[:400],
                               got[:400], "\n    ".join(
                                   " ".join(repr(a) if not a.isprintable()
                                            or " " in a or a == "" else a
                                            for a in c) for c in ctx))]
            i += len(batch)
    finally:
        ref.close()
        rc.close()
    return []


@pytest.mark.parametrize("seed", range(FIRST, FIRST + SEEDS))
def test_random_stream_same_replies(pair, seed):
    ref, rc = pair
    assert rc.alive(), "ringcache died in an earlier seed"
    cmds = gen_stream(seed, LENGTH)
    diffs = []
    for proto in (2, 3):
        diffs += run_stream(ref.port, rc.port, seed, proto, cmds)
    assert not diffs, "\n".join(diffs)
