"""Generic key commands (src/types/keys.c): DEL, UNLINK, EXISTS, TOUCH,
TYPE, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL, RENAME, RENAMENX,
COPY, MOVE, the EXPIRE/TTL family, PERSIST and OBJECT.

Expected replies (bytes and error text) were taken from stock redis-server
7.0.15 running the same commands.
"""
import time

import pytest

from conftest import RawConn

LLONG_MAX = 2**63 - 1
LLONG_MIN = -2**63
ERR_INT = b"-ERR value is not an integer or out of range\r\n"
ERR_SYNTAX = b"-ERR syntax error\r\n"
ERR_SAME = b"-ERR source and destination objects are the same\r\n"
ERR_DB_RANGE = b"-ERR DB index is out of range\r\n"
ERR_INT32 = (b"-ERR value is out of range, value must between -2147483648 "
             b"and 2147483647\r\n")
ERR_NO_KEY = b"-ERR no such key\r\n"
ERR_CURSOR = b"-ERR invalid cursor\r\n"
ERR_NX_COMBO = (b"-ERR NX and XX, GT or LT options at the same time are not "
                b"compatible\r\n")
ERR_GT_LT = b"-ERR GT and LT options at the same time are not compatible\r\n"
ERR_LFU = (b"-ERR An LFU maxmemory policy is not selected, access frequency "
           b"not tracked. Please note that when switching between policies "
           b"at runtime LRU and LFU data will take some time to adjust.\r\n")


def arity(name):
    return b"-ERR wrong number of arguments for '%s' command\r\n" % name


def bulk(b):
    return b"$%d\r\n%s\r\n" % (len(b), b)


def array(items):
    return b"*%d\r\n" % len(items) + b"".join(bulk(i) for i in items)


def expire_err(name):
    return b"-ERR invalid expire time in '%s' command\r\n" % name


@pytest.fixture
def c(server, r):
    """A RESP2 raw connection (after r's FLUSHALL)."""
    conn = RawConn(server.port)
    yield conn
    conn.close()


def scan_all(c, *opts):
    """Runs a whole SCAN; returns (list of keys in reply order, calls)."""
    cursor, keys, calls = b"0", [], 0
    while True:
        r = c.cmd("SCAN", cursor, *opts)
        calls += 1
        cursor, got = parse_scan(r)
        keys += got
        if cursor == b"0":
            return keys, calls


def parse(reply):
    """Decodes one RESP2 reply: bulk -> bytes, integer -> int, array ->
    list, status -> str, error -> Exception, null -> None."""
    def at(pos):
        end = reply.index(b"\r\n", pos)
        t, body = reply[pos:pos + 1], reply[pos + 1:end]
        if t == b"+":
            return body.decode(), end + 2
        if t == b"-":
            return Exception(body.decode()), end + 2
        if t == b":":
            return int(body), end + 2
        if t == b"$":
            n = int(body)
            if n < 0:
                return None, end + 2
            return reply[end + 2:end + 2 + n], end + 4 + n
        if t == b"*":
            items, p = [], end + 2
            for _ in range(int(body)):
                v, p = at(p)
                items.append(v)
            return items, p
        raise AssertionError("bad reply %r" % reply)
    value, used = at(0)
    assert used == len(reply), reply
    return value


def parse_array(reply):
    v = parse(reply)
    assert isinstance(v, list), reply
    return v


def parse_scan(reply):
    """Parses a RESP2 SCAN reply into (cursor, [keys])."""
    v = parse(reply)
    assert isinstance(v, list) and len(v) == 2, reply
    return v[0], v[1]


# ---- DEL, UNLINK, EXISTS, TOUCH, TYPE ----

def test_del_counts_each_deleted_key_once(c):
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2")
    assert c.cmd("DEL", "a", "a", "nokey", "b") == b":2\r\n"
    assert c.cmd("EXISTS", "a", "b") == b":0\r\n"
    assert c.cmd("DEL", "a") == b":0\r\n"


def test_unlink_counts_like_del(c):
    c.cmd("SET", "a", "1")
    c.cmd("SET", "big", "x" * 100000)
    assert c.cmd("UNLINK", "a", "big", "nokey", "a") == b":2\r\n"
    assert c.cmd("DBSIZE") == b":0\r\n"


def test_del_of_expired_key_returns_zero(c):
    c.cmd("SET", "a", "1", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("DEL", "a") == b":0\r\n"


def test_exists_counts_repeats(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("EXISTS", "a", "a", "nokey", "a") == b":3\r\n"
    assert c.cmd("EXISTS", "nokey") == b":0\r\n"


def test_touch_counts_existing_keys_with_repeats(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("TOUCH", "a", "nokey", "a") == b":2\r\n"


def test_type_replies_status_string(c):
    c.cmd("SET", "s", "hello")
    c.cmd("SET", "i", "12")
    assert c.cmd("TYPE", "s") == b"+string\r\n"
    assert c.cmd("TYPE", "i") == b"+string\r\n"
    assert c.cmd("TYPE", "nokey") == b"+none\r\n"


def test_type_of_expired_key_is_none(c):
    c.cmd("SET", "a", "1", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("TYPE", "a") == b"+none\r\n"


@pytest.mark.parametrize("cmd,args", [
    (b"del", []), (b"unlink", []), (b"exists", []), (b"touch", []),
    (b"type", []), (b"type", ["a", "b"]), (b"keys", []), (b"keys", ["a", "b"]),
    (b"scan", []), (b"randomkey", ["x"]), (b"dbsize", ["x"]),
    (b"rename", ["a"]), (b"rename", ["a", "b", "c"]), (b"renamenx", ["a"]),
    (b"move", ["a"]), (b"copy", ["a"]), (b"expire", ["a"]),
    (b"pexpire", ["a"]), (b"expireat", ["a"]), (b"pexpireat", ["a"]),
    (b"ttl", []), (b"ttl", ["a", "b"]), (b"pttl", []), (b"expiretime", []),
    (b"pexpiretime", ["a", "b"]), (b"persist", []), (b"object", []),
])
def test_wrong_arity_is_rejected(c, cmd, args):
    assert c.cmd(cmd.upper(), *args) == arity(cmd)


# ---- KEYS ----

def test_keys_glob_patterns(c):
    for k in ["k1", "k2", "k10", "other", "h?llo", "hello"]:
        c.cmd("SET", k, "v")
    assert sorted(parse_array(c.cmd("KEYS", "*"))) == sorted(
        [b"k1", b"k2", b"k10", b"other", b"h?llo", b"hello"])
    assert sorted(parse_array(c.cmd("KEYS", "k?"))) == [b"k1", b"k2"]
    assert sorted(parse_array(c.cmd("KEYS", "k*"))) == [b"k1", b"k10", b"k2"]
    assert parse_array(c.cmd("KEYS", "[o]*")) == [b"other"]
    assert parse_array(c.cmd("KEYS", "h\\?llo")) == [b"h?llo"]
    assert c.cmd("KEYS", "K*") == b"*0\r\n"          # case-sensitive
    assert c.cmd("KEYS", "nomatch") == b"*0\r\n"


def test_keys_on_empty_db_is_empty_array(c):
    assert c.cmd("KEYS", "*") == b"*0\r\n"


def test_keys_skips_expired_keys(c):
    c.cmd("SET", "live", "1")
    c.cmd("SET", "dead", "1", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("KEYS", "*") == array([b"live"])


def test_keys_binary_key(c):
    key = b"a\x00b\r\nc"
    c.cmd("SET", key, "v")
    assert c.cmd("KEYS", "a*c") == array([key])


def test_keys_returns_every_key_of_a_large_db(r, c):
    p = r.pipeline(transaction=False)
    for i in range(5000):
        p.set("key:%d" % i, i)
    p.execute()
    got = parse_array(c.cmd("KEYS", "key:*"))
    assert len(got) == 5000
    assert set(got) == {b"key:%d" % i for i in range(5000)}


# ---- SCAN ----

def test_scan_empty_db(c):
    assert c.cmd("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_scan_small_db_in_one_call(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"


def test_scan_returns_every_key_over_many_calls(r, c):
    p = r.pipeline(transaction=False)
    for i in range(3000):
        p.set("k%d" % i, i)
    p.execute()
    keys, calls = scan_all(c)
    assert set(keys) == {b"k%d" % i for i in range(3000)}
    assert calls > 1


def test_scan_count_bounds_the_work_per_call(r, c):
    p = r.pipeline(transaction=False)
    for i in range(2000):
        p.set("k%d" % i, i)
    p.execute()
    cursor, keys = parse_scan(c.cmd("SCAN", "0", "COUNT", "5"))
    assert cursor != b"0"
    assert 1 <= len(keys) < 50
    keys, _ = scan_all(c, "COUNT", "100000")
    assert len(set(keys)) == 2000


def test_scan_match_filters_after_collecting(r, c):
    p = r.pipeline(transaction=False)
    for i in range(500):
        p.set("user:%d" % i, i)
        p.set("item:%d" % i, i)
    p.execute()
    keys, _ = scan_all(c, "MATCH", "user:*")
    assert set(keys) == {b"user:%d" % i for i in range(500)}
    keys, _ = scan_all(c, "MATCH", "user:1?", "COUNT", "7")
    assert set(keys) == {b"user:1%d" % i for i in range(10)}
    keys, _ = scan_all(c, "MATCH", "*")
    assert len(set(keys)) == 1000


def test_scan_type_filter_is_case_insensitive(c):
    c.cmd("SET", "s", "1")
    assert parse_scan(c.cmd("SCAN", "0", "TYPE", "string"))[1] == [b"s"]
    assert parse_scan(c.cmd("SCAN", "0", "TYPE", "STRING"))[1] == [b"s"]
    assert parse_scan(c.cmd("SCAN", "0", "TYPE", "list"))[1] == []
    # Redis 7.0 accepts an unknown type name and matches nothing.
    assert c.cmd("SCAN", "0", "TYPE", "nosuch") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert c.cmd("SCAN", "0", "TYPE", "none") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_scan_all_options_together(c):
    for k in ["k1", "k2", "x1"]:
        c.cmd("SET", k, "v")
    reply = c.cmd("SCAN", "0", "match", "k*", "type", "string", "count",
                  "100")
    assert sorted(parse_scan(reply)[1]) == [b"k1", b"k2"]
    # The last of repeated options wins.
    reply = c.cmd("SCAN", "0", "MATCH", "x*", "MATCH", "k1", "COUNT", "1",
                  "COUNT", "100")
    assert parse_scan(reply)[1] == [b"k1"]


def test_scan_skips_expired_keys(c):
    c.cmd("SET", "live", "1")
    c.cmd("SET", "dead", "1", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n"
    assert c.cmd("EXISTS", "dead") == b":0\r\n"


@pytest.mark.parametrize("cursor", [
    b" 5", b"5 ", b"abc", b"0x10", b"1.5", b"18446744073709551616",
    b"-18446744073709551616", b"-", b"+", b"99999999999999999999999",
])
def test_scan_rejects_bad_cursor(c, cursor):
    assert c.cmd("SCAN", cursor) == ERR_CURSOR
    # The cursor is checked before the options.
    assert c.cmd("SCAN", cursor, "COUNT", "0") == ERR_CURSOR


@pytest.mark.parametrize("cursor", [
    b"0", b"00", b"+0", b"", b"18446744073709551615", b"-1",
    b"-18446744073709551615",
])
def test_scan_accepts_cursor_as_strtoull_does(c, cursor):
    assert c.cmd("SCAN", cursor).startswith(b"*2\r\n$")


def test_scan_option_errors(c):
    assert c.cmd("SCAN", "0", "COUNT", "0") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "-1") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "x") == ERR_INT
    assert c.cmd("SCAN", "0", "COUNT", "99999999999999999999") == ERR_INT
    assert c.cmd("SCAN", "0", "MATCH") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "TYPE") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "COUNT") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "foo", "bar") == ERR_SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "1", "foo") == ERR_SYNTAX


def test_scan_huge_count_does_not_overflow(c):
    c.cmd("SET", "a", "1")
    reply = c.cmd("SCAN", "0", "COUNT", str(LLONG_MAX))
    assert reply == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"


def test_scan_resp3_reply_shape(r3):
    r3.cmd("SET", "a", "1")
    assert r3.cmd("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"


# ---- RANDOMKEY, DBSIZE ----

def test_randomkey_empty_db_is_null(c, r3):
    assert c.cmd("RANDOMKEY") == b"$-1\r\n"
    assert r3.cmd("RANDOMKEY") == b"_\r\n"


def test_randomkey_returns_existing_keys(c):
    for k in ["a", "b", "c"]:
        c.cmd("SET", k, "1")
    seen = set()
    for _ in range(200):
        reply = c.cmd("RANDOMKEY")
        seen.add(reply)
    assert seen <= {bulk(b"a"), bulk(b"b"), bulk(b"c")}
    assert len(seen) >= 2


def test_randomkey_never_returns_expired_key(c):
    c.cmd("SET", "live", "1")
    for i in range(20):
        c.cmd("SET", "dead%d" % i, "1", "PX", "30")
    time.sleep(0.08)
    for _ in range(50):
        assert c.cmd("RANDOMKEY") == bulk(b"live")


def test_dbsize_counts_keys_of_selected_db(c):
    assert c.cmd("DBSIZE") == b":0\r\n"
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "1")
    assert c.cmd("DBSIZE") == b":2\r\n"
    c.cmd("SELECT", "1")
    assert c.cmd("DBSIZE") == b":0\r\n"
    c.cmd("SET", "a", "1")
    assert c.cmd("DBSIZE") == b":1\r\n"


# ---- FLUSHDB, FLUSHALL ----

def fill_two_dbs(c):
    c.cmd("SELECT", "0")
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2")
    c.cmd("SELECT", "1")
    c.cmd("SET", "c", "3")
    c.cmd("SELECT", "0")


@pytest.mark.parametrize("opt", [[], ["ASYNC"], ["sync"], ["Async"]])
def test_flushdb_empties_only_the_selected_db(c, opt):
    fill_two_dbs(c)
    assert c.cmd("FLUSHDB", *opt) == b"+OK\r\n"
    assert c.cmd("DBSIZE") == b":0\r\n"
    assert c.cmd("GET", "a") == b"$-1\r\n"
    c.cmd("SELECT", "1")
    assert c.cmd("GET", "c") == bulk(b"3")


@pytest.mark.parametrize("opt", [[], ["ASYNC"], ["SYNC"]])
def test_flushall_empties_every_db(c, opt):
    fill_two_dbs(c)
    assert c.cmd("FLUSHALL", *opt) == b"+OK\r\n"
    assert c.cmd("DBSIZE") == b":0\r\n"
    c.cmd("SELECT", "1")
    assert c.cmd("DBSIZE") == b":0\r\n"
    assert c.cmd("GET", "c") == b"$-1\r\n"


@pytest.mark.parametrize("cmd", ["FLUSHDB", "FLUSHALL"])
def test_flush_option_errors(c, cmd):
    c.cmd("SET", "a", "1")
    assert c.cmd(cmd, "foo") == ERR_SYNTAX
    assert c.cmd(cmd, "async", "sync") == ERR_SYNTAX
    assert c.cmd(cmd, "sync", "sync") == ERR_SYNTAX
    assert c.cmd("DBSIZE") == b":1\r\n"          # nothing was flushed


def test_flushall_of_many_keys_then_reuse(r, c):
    p = r.pipeline(transaction=False)
    for i in range(20000):
        p.set("k%d" % i, "v" * 50)
    p.execute()
    assert c.cmd("FLUSHALL", "ASYNC") == b"+OK\r\n"
    assert c.cmd("DBSIZE") == b":0\r\n"
    assert c.cmd("SET", "k1", "new") == b"+OK\r\n"
    assert c.cmd("GET", "k1") == bulk(b"new")
    assert c.cmd("DBSIZE") == b":1\r\n"


# ---- RENAME, RENAMENX ----

def test_rename_moves_value(c):
    c.cmd("SET", "a", "hello")
    assert c.cmd("RENAME", "a", "b") == b"+OK\r\n"
    assert c.cmd("GET", "b") == bulk(b"hello")
    assert c.cmd("EXISTS", "a") == b":0\r\n"


def test_rename_missing_key_errors(c):
    assert c.cmd("RENAME", "nokey", "b") == ERR_NO_KEY
    assert c.cmd("RENAME", "nokey", "nokey") == ERR_NO_KEY
    assert c.cmd("RENAMENX", "nokey", "b") == ERR_NO_KEY
    assert c.cmd("RENAMENX", "nokey", "nokey") == ERR_NO_KEY


def test_rename_expired_source_is_no_such_key(c):
    c.cmd("SET", "a", "1", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("RENAME", "a", "b") == ERR_NO_KEY


def test_rename_to_itself(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("RENAME", "a", "a") == b"+OK\r\n"
    assert c.cmd("RENAMENX", "a", "a") == b":0\r\n"
    assert c.cmd("GET", "a") == bulk(b"1")


def test_rename_overwrites_destination_and_its_ttl(c):
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2", "EX", "100")
    assert c.cmd("RENAME", "a", "b") == b"+OK\r\n"
    assert c.cmd("GET", "b") == bulk(b"1")
    assert c.cmd("TTL", "b") == b":-1\r\n"


def test_rename_carries_the_ttl(c):
    c.cmd("SET", "a", "1", "PX", "100000")
    assert c.cmd("RENAME", "a", "b") == b"+OK\r\n"
    pttl = int(c.cmd("PTTL", "b")[1:-2])
    assert 99000 < pttl <= 100000
    assert c.cmd("PERSIST", "b") == b":1\r\n"   # the TTL index knows b


def test_renamed_key_with_ttl_expires(c):
    c.cmd("SET", "a", "1", "PX", "50")
    c.cmd("RENAME", "a", "b")
    time.sleep(0.1)
    assert c.cmd("GET", "b") == b"$-1\r\n"
    assert c.cmd("DBSIZE") in (b":0\r\n", b":1\r\n")


def test_rename_large_value(c):
    v = b"x" * 200000
    c.cmd("SET", "a", v)
    c.cmd("RENAME", "a", "b")
    assert c.cmd("GET", "b") == bulk(v)


def test_renamenx(c):
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2")
    assert c.cmd("RENAMENX", "a", "b") == b":0\r\n"
    assert c.cmd("GET", "a") == bulk(b"1")
    assert c.cmd("RENAMENX", "a", "c") == b":1\r\n"
    assert c.cmd("GET", "c") == bulk(b"1")
    assert c.cmd("EXISTS", "a") == b":0\r\n"


def test_renamenx_over_expired_destination(c):
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2", "PX", "30")
    time.sleep(0.08)
    assert c.cmd("RENAMENX", "a", "b") == b":1\r\n"
    assert c.cmd("GET", "b") == bulk(b"1")


# ---- COPY ----

def test_copy_errors_in_redis_order(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("COPY", "a", "a") == ERR_SAME
    assert c.cmd("COPY", "a", "a", "DB", "0") == ERR_SAME
    assert c.cmd("COPY", "nokey", "nokey") == ERR_SAME
    assert c.cmd("COPY", "a", "b", "DB", "16") == ERR_DB_RANGE
    assert c.cmd("COPY", "a", "b", "DB", "-1") == ERR_DB_RANGE
    assert c.cmd("COPY", "nokey", "b", "DB", "99") == ERR_DB_RANGE
    assert c.cmd("COPY", "a", "a", "DB", "99") == ERR_DB_RANGE
    assert c.cmd("COPY", "a", "b", "DB", "x") == ERR_INT
    assert c.cmd("COPY", "a", "b", "DB", "99999999999") == ERR_INT32
    assert c.cmd("COPY", "a", "b", "foo") == ERR_SYNTAX
    assert c.cmd("COPY", "a", "b", "DB") == ERR_SYNTAX
    assert c.cmd("EXISTS", "b") == b":0\r\n"


def test_copy_basic_and_replace(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("COPY", "nokey", "b") == b":0\r\n"
    assert c.cmd("COPY", "a", "b") == b":1\r\n"
    assert c.cmd("GET", "b") == bulk(b"1")
    c.cmd("SET", "a", "2")
    assert c.cmd("COPY", "a", "b") == b":0\r\n"
    assert c.cmd("GET", "b") == bulk(b"1")
    assert c.cmd("COPY", "a", "b", "REPLACE") == b":1\r\n"
    assert c.cmd("GET", "b") == bulk(b"2")
    assert c.cmd("COPY", "a", "b", "replace", "replace") == b":1\r\n"


def test_copy_keeps_ttl_and_replace_drops_old_ttl(c):
    c.cmd("SET", "a", "1", "PX", "100000")
    assert c.cmd("COPY", "a", "b") == b":1\r\n"
    assert 99000 < int(c.cmd("PTTL", "b")[1:-2]) <= 100000
    c.cmd("SET", "x", "plain")
    c.cmd("SET", "y", "old", "EX", "500")
    assert c.cmd("COPY", "x", "y", "REPLACE") == b":1\r\n"
    assert c.cmd("TTL", "y") == b":-1\r\n"


def test_copy_is_independent_of_source(c):
    big = b"y" * 100000
    c.cmd("SET", "s", "short")
    c.cmd("SET", "big", big)
    c.cmd("COPY", "s", "s2")
    c.cmd("COPY", "big", "big2")
    c.cmd("APPEND", "s", "!")
    c.cmd("SETRANGE", "big", "0", "Z")
    c.cmd("DEL", "big")
    assert c.cmd("GET", "s2") == bulk(b"short")
    assert c.cmd("GET", "big2") == bulk(big)


def test_copy_to_other_db(c):
    c.cmd("SET", "a", "v")
    assert c.cmd("COPY", "a", "a", "DB", "1") == b":1\r\n"
    assert c.cmd("COPY", "a", "b", "DB", "1", "REPLACE") == b":1\r\n"
    assert c.cmd("COPY", "a", "a", "DB", "1") == b":0\r\n"
    c.cmd("SELECT", "1")
    assert c.cmd("GET", "a") == bulk(b"v")
    assert c.cmd("GET", "b") == bulk(b"v")
    c.cmd("SELECT", "0")
    assert c.cmd("GET", "a") == bulk(b"v")


def test_copy_keeps_int_encoding(c):
    c.cmd("SET", "a", "123")
    c.cmd("COPY", "a", "b")
    assert c.cmd("OBJECT", "ENCODING", "b") == bulk(b"int")
    assert c.cmd("INCR", "b") == b":124\r\n"
    assert c.cmd("GET", "a") == bulk(b"123")


# ---- MOVE ----

def test_move_errors_in_redis_order(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("MOVE", "a", "0") == ERR_SAME
    assert c.cmd("MOVE", "nokey", "0") == ERR_SAME
    assert c.cmd("MOVE", "a", "16") == ERR_DB_RANGE
    assert c.cmd("MOVE", "nokey", "16") == ERR_DB_RANGE
    assert c.cmd("MOVE", "a", "-1") == ERR_DB_RANGE
    assert c.cmd("MOVE", "a", "x") == ERR_INT
    assert c.cmd("MOVE", "a", "99999999999") == ERR_INT32
    assert c.cmd("MOVE", "nokey", "1") == b":0\r\n"


def test_move_moves_value_and_ttl(c):
    c.cmd("SET", "a", "v", "PX", "100000")
    assert c.cmd("MOVE", "a", "3") == b":1\r\n"
    assert c.cmd("EXISTS", "a") == b":0\r\n"
    c.cmd("SELECT", "3")
    assert c.cmd("GET", "a") == bulk(b"v")
    assert 99000 < int(c.cmd("PTTL", "a")[1:-2]) <= 100000
    assert c.cmd("MOVE", "a", "0") == b":1\r\n"
    c.cmd("SELECT", "0")
    assert c.cmd("GET", "a") == bulk(b"v")


def test_move_does_not_overwrite(c):
    c.cmd("SET", "a", "src")
    c.cmd("SELECT", "1")
    c.cmd("SET", "a", "dst")
    c.cmd("SELECT", "0")
    assert c.cmd("MOVE", "a", "1") == b":0\r\n"
    assert c.cmd("GET", "a") == bulk(b"src")
    c.cmd("SELECT", "1")
    assert c.cmd("GET", "a") == bulk(b"dst")


def test_move_over_expired_destination(c):
    c.cmd("SELECT", "1")
    c.cmd("SET", "a", "old", "PX", "30")
    c.cmd("SELECT", "0")
    c.cmd("SET", "a", "new")
    time.sleep(0.08)
    assert c.cmd("MOVE", "a", "1") == b":1\r\n"
    c.cmd("SELECT", "1")
    assert c.cmd("GET", "a") == bulk(b"new")
    assert c.cmd("TTL", "a") == b":-1\r\n"


# ---- EXPIRE family ----

@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT",
                                 "PEXPIREAT"])
def test_expire_option_errors(c, cmd):
    c.cmd("SET", "a", "1")
    assert c.cmd(cmd, "a", "100", "NX", "XX") == ERR_NX_COMBO
    assert c.cmd(cmd, "a", "100", "nx", "gt") == ERR_NX_COMBO
    assert c.cmd(cmd, "a", "100", "NX", "LT") == ERR_NX_COMBO
    assert c.cmd(cmd, "a", "100", "GT", "LT") == ERR_GT_LT
    assert c.cmd(cmd, "a", "100", "foo") == b"-ERR Unsupported option foo\r\n"
    # An unknown option is reported before the incompatibilities and before
    # the time is parsed.
    assert c.cmd(cmd, "a", "100", "nx", "xx", "Bar") == \
        b"-ERR Unsupported option Bar\r\n"
    assert c.cmd(cmd, "a", "abc", "foo") == b"-ERR Unsupported option foo\r\n"
    assert c.cmd(cmd, "nokey", "100", "nx", "xx") == ERR_NX_COMBO
    assert c.cmd(cmd, "a", "abc") == ERR_INT
    assert c.cmd(cmd, "a", "1.5") == ERR_INT
    assert c.cmd("TTL", "a") == b":-1\r\n"


def test_expire_missing_key_returns_zero(c):
    assert c.cmd("EXPIRE", "nokey", "10") == b":0\r\n"
    assert c.cmd("PEXPIREAT", "nokey", "99999999999999") == b":0\r\n"
    assert c.cmd("EXISTS", "nokey") == b":0\r\n"


def test_expire_sets_ttl(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("EXPIRE", "a", "100") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":100\r\n"
    assert c.cmd("PEXPIRE", "a", "50000") == b":1\r\n"
    assert 49000 < int(c.cmd("PTTL", "a")[1:-2]) <= 50000
    assert c.cmd("EXPIREAT", "a", "1900000000") == b":1\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":1900000000000\r\n"
    assert c.cmd("PEXPIREAT", "a", "1900000000123") == b":1\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":1900000000123\r\n"


def test_expire_nx_xx_on_key_without_ttl(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("EXPIRE", "a", "100", "XX") == b":0\r\n"
    assert c.cmd("TTL", "a") == b":-1\r\n"
    assert c.cmd("EXPIRE", "a", "100", "NX") == b":1\r\n"
    assert c.cmd("EXPIRE", "a", "200", "NX") == b":0\r\n"
    assert c.cmd("EXPIRE", "a", "200", "nx", "nx") == b":0\r\n"
    assert c.cmd("TTL", "a") == b":100\r\n"
    assert c.cmd("EXPIRE", "a", "200", "XX") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":200\r\n"


def test_expire_gt_lt_treat_no_ttl_as_infinite(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("EXPIRE", "a", "100", "GT") == b":0\r\n"
    assert c.cmd("TTL", "a") == b":-1\r\n"
    assert c.cmd("EXPIRE", "a", "100", "LT") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":100\r\n"
    assert c.cmd("EXPIRE", "a", "50", "GT") == b":0\r\n"
    assert c.cmd("EXPIRE", "a", "200", "LT") == b":0\r\n"
    assert c.cmd("EXPIRE", "a", "50", "LT") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":50\r\n"
    assert c.cmd("EXPIRE", "a", "300", "GT", "XX") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":300\r\n"
    # Equal times are neither greater nor less.
    assert c.cmd("PEXPIREAT", "a", "1900000000000") == b":1\r\n"
    assert c.cmd("PEXPIREAT", "a", "1900000000000", "gt", "gt") == b":0\r\n"
    assert c.cmd("PEXPIREAT", "a", "1900000000000", "LT") == b":0\r\n"
    assert c.cmd("PEXPIREAT", "a", "1900000000001", "GT") == b":1\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":1900000000001\r\n"


def test_expire_gt_with_past_time_keeps_persistent_key(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("EXPIRE", "a", "-1", "GT") == b":0\r\n"
    assert c.cmd("EXISTS", "a") == b":1\r\n"
    assert c.cmd("EXPIRE", "a", "-1", "LT") == b":1\r\n"
    assert c.cmd("EXISTS", "a") == b":0\r\n"


@pytest.mark.parametrize("cmd,t", [
    ("EXPIRE", "0"), ("EXPIRE", "-1"), ("PEXPIRE", "0"),
    ("PEXPIRE", str(LLONG_MIN)), ("EXPIREAT", "100"), ("PEXPIREAT", "1"),
    ("EXPIREAT", "-9223372036854775"), ("PEXPIREAT", "0"),
])
def test_expire_in_the_past_deletes_and_returns_one(c, cmd, t):
    c.cmd("SET", "a", "1", "EX", "1000")
    assert c.cmd(cmd, "a", t) == b":1\r\n"
    assert c.cmd("EXISTS", "a") == b":0\r\n"
    assert c.cmd("TTL", "a") == b":-2\r\n"


@pytest.mark.parametrize("cmd,t", [
    ("EXPIRE", str(LLONG_MAX)), ("PEXPIRE", str(LLONG_MAX)),
    ("EXPIREAT", str(LLONG_MAX)), ("EXPIRE", "9223372036854775"),
    ("EXPIRE", "9223372036854774"), ("EXPIRE", "-9223372036854776"),
    ("EXPIRE", str(LLONG_MIN)), ("EXPIREAT", "-9223372036854776"),
    ("PEXPIRE", str(LLONG_MAX - 1000)),
])
def test_expire_overflow_is_invalid_expire_time(c, cmd, t):
    c.cmd("SET", "a", "1")
    assert c.cmd(cmd, "a", t) == expire_err(cmd.lower().encode())
    assert c.cmd("TTL", "a") == b":-1\r\n"
    # Checked before the key is looked up.
    assert c.cmd(cmd, "nokey", t) == expire_err(cmd.lower().encode())


def test_pexpireat_llong_max_is_accepted(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("PEXPIREAT", "a", str(LLONG_MAX)) == b":1\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":%d\r\n" % LLONG_MAX
    assert c.cmd("EXPIRETIME", "a") == b":%d\r\n" % ((LLONG_MAX + 500) // 1000)
    assert c.cmd("GET", "a") == bulk(b"1")


def test_key_expires_after_pexpire(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("PEXPIRE", "a", "50") == b":1\r\n"
    time.sleep(0.12)
    assert c.cmd("GET", "a") == b"$-1\r\n"
    assert c.cmd("PTTL", "a") == b":-2\r\n"


def test_ttl_and_pttl_missing_and_persistent(c):
    assert c.cmd("TTL", "nokey") == b":-2\r\n"
    assert c.cmd("PTTL", "nokey") == b":-2\r\n"
    c.cmd("SET", "a", "1")
    assert c.cmd("TTL", "a") == b":-1\r\n"
    assert c.cmd("PTTL", "a") == b":-1\r\n"


def test_ttl_rounds_to_nearest_second(c):
    c.cmd("SET", "a", "1")
    c.cmd("PEXPIRE", "a", "1400")        # 1.4 s minus a few ms -> 1
    assert c.cmd("TTL", "a") == b":1\r\n"
    c.cmd("PEXPIRE", "a", "1750")        # 1.75 s minus a few ms -> 2
    assert c.cmd("TTL", "a") == b":2\r\n"
    c.cmd("PEXPIRE", "a", "300")         # 0.3 s -> 0
    assert c.cmd("TTL", "a") == b":0\r\n"


def test_expiretime_rounds_to_nearest_second(c):
    c.cmd("SET", "a", "1")
    c.cmd("PEXPIREAT", "a", "1900000000499")
    assert c.cmd("EXPIRETIME", "a") == b":1900000000\r\n"
    c.cmd("PEXPIREAT", "a", "1900000000500")
    assert c.cmd("EXPIRETIME", "a") == b":1900000001\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":1900000000500\r\n"


def test_expiretime_missing_and_persistent(c):
    assert c.cmd("EXPIRETIME", "nokey") == b":-2\r\n"
    assert c.cmd("PEXPIRETIME", "nokey") == b":-2\r\n"
    c.cmd("SET", "a", "1")
    assert c.cmd("EXPIRETIME", "a") == b":-1\r\n"
    assert c.cmd("PEXPIRETIME", "a") == b":-1\r\n"


def test_persist(c):
    assert c.cmd("PERSIST", "nokey") == b":0\r\n"
    c.cmd("SET", "a", "1")
    assert c.cmd("PERSIST", "a") == b":0\r\n"
    c.cmd("EXPIRE", "a", "100")
    assert c.cmd("PERSIST", "a") == b":1\r\n"
    assert c.cmd("TTL", "a") == b":-1\r\n"
    assert c.cmd("PERSIST", "a") == b":0\r\n"


def test_persisted_key_does_not_expire(c):
    c.cmd("SET", "a", "1", "PX", "60")
    c.cmd("PERSIST", "a")
    time.sleep(0.12)
    assert c.cmd("GET", "a") == bulk(b"1")


def test_many_keys_with_ttl_changes_keep_index_consistent(r, c):
    # Set, change, persist and delete TTLs on many keys; the survivors must
    # expire on time and the others must stay.
    p = r.pipeline(transaction=False)
    for i in range(2000):
        p.set("k%d" % i, i)
        p.pexpire("k%d" % i, 100000)
    for i in range(0, 2000, 2):
        p.pexpire("k%d" % i, 50)
    for i in range(0, 2000, 4):
        p.persist("k%d" % i)
    for i in range(1, 2000, 4):
        p.delete("k%d" % i)
    p.execute()
    time.sleep(0.15)
    alive = {b"k%d" % i for i in range(2000) if i % 4 in (0, 3)}
    keys, _ = scan_all(c, "COUNT", "1000")
    assert set(keys) == alive
    assert c.cmd("TTL", "k0") == b":-1\r\n"
    assert c.cmd("TTL", "k2") == b":-2\r\n"
    assert int(c.cmd("TTL", "k3")[1:-2]) > 90


# ---- OBJECT ----

def test_object_encoding_of_strings(c):
    c.cmd("SET", "i", "12345")
    c.cmd("SET", "neg", "-7")
    c.cmd("SET", "e", "hello")
    c.cmd("SET", "e44", "x" * 44)
    c.cmd("SET", "r45", "x" * 45)
    c.cmd("SET", "big", "12345678901234567890")
    c.cmd("SET", "lz", "0123")
    assert c.cmd("OBJECT", "ENCODING", "i") == bulk(b"int")
    assert c.cmd("OBJECT", "encoding", "neg") == bulk(b"int")
    assert c.cmd("OBJECT", "Encoding", "e") == bulk(b"embstr")
    assert c.cmd("OBJECT", "ENCODING", "e44") == bulk(b"embstr")
    assert c.cmd("OBJECT", "ENCODING", "r45") == bulk(b"raw")
    assert c.cmd("OBJECT", "ENCODING", "big") == bulk(b"embstr")
    assert c.cmd("OBJECT", "ENCODING", "lz") == bulk(b"embstr")
    c.cmd("APPEND", "e", "!")
    assert c.cmd("OBJECT", "ENCODING", "e") == bulk(b"raw")


def test_object_refcount_shared_integers(c):
    for v, refs in [("0", 2147483647), ("9999", 2147483647), ("10000", 1),
                    ("-1", 1), ("abc", 1), ("123456789", 1)]:
        c.cmd("SET", "k", v)
        assert c.cmd("OBJECT", "REFCOUNT", "k") == b":%d\r\n" % refs, v


def test_object_refcount_small_integers_unshared_under_lru_lfu_maxmemory(c):
    """As Redis: with maxmemory set and an LRU or LFU policy, each value
    needs its own access data, so small integers are not shared."""
    try:
        for policy, mm, refs in [("allkeys-lru", "0", 2147483647),
                                 ("allkeys-lru", "1gb", 1),
                                 ("volatile-lfu", "1gb", 1),
                                 ("allkeys-random", "1gb", 2147483647),
                                 ("noeviction", "1gb", 2147483647)]:
            c.cmd("CONFIG", "SET", "maxmemory-policy", policy)
            c.cmd("CONFIG", "SET", "maxmemory", mm)
            c.cmd("SET", "k", "7")
            got = c.cmd("OBJECT", "REFCOUNT", "k")
            assert got == b":%d\r\n" % refs, (policy, mm)
    finally:
        c.cmd("CONFIG", "SET", "maxmemory", "0")
        c.cmd("CONFIG", "SET", "maxmemory-policy", "noeviction")


def test_object_on_missing_key_is_null(c, r3):
    for sub in ["ENCODING", "REFCOUNT", "IDLETIME", "FREQ"]:
        assert c.cmd("OBJECT", sub, "nokey") == b"$-1\r\n"
        assert r3.cmd("OBJECT", sub, "nokey") == b"_\r\n"


def test_object_freq_without_lfu_policy_errors(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("OBJECT", "FREQ", "a") == ERR_LFU


def test_object_idletime_counts_seconds_since_access(c):
    for k in ["peeked", "renamed", "touched", "read", "expired", "persisted",
              "moved"]:
        c.cmd("SET", k, "1")
    assert c.cmd("OBJECT", "IDLETIME", "peeked") == b":0\r\n"
    time.sleep(2.2)
    # Observing a key (OBJECT, TTL, TYPE, EXISTS) is not an access.
    for cmd in ["TTL", "PTTL", "TYPE", "EXISTS", "EXPIRETIME"]:
        c.cmd(cmd, "peeked")
    c.cmd("OBJECT", "ENCODING", "peeked")
    idle = int(c.cmd("OBJECT", "IDLETIME", "peeked")[1:-2])
    assert 1 <= idle <= 3
    # Reads and writes that look the key up are.
    c.cmd("RENAME", "renamed", "renamed2")
    c.cmd("TOUCH", "touched")
    c.cmd("GET", "read")
    c.cmd("EXPIRE", "expired", "100")
    c.cmd("PERSIST", "persisted")
    c.cmd("MOVE", "moved", "1")
    for k in ["renamed2", "touched", "read", "expired", "persisted"]:
        assert c.cmd("OBJECT", "IDLETIME", k) == b":0\r\n", k
    c.cmd("SELECT", "1")
    assert c.cmd("OBJECT", "IDLETIME", "moved") == b":0\r\n"


def test_object_help_exact_lines(c):
    lines = [
        b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        b"ENCODING <key>",
        b"    Return the kind of internal representation used in order to "
        b"store the value",
        b"    associated with a <key>.",
        b"FREQ <key>",
        b"    Return the access frequency index of the <key>. The returned "
        b"integer is",
        b"    proportional to the logarithm of the recent access frequency "
        b"of the key.",
        b"IDLETIME <key>",
        b"    Return the idle time of the <key>, that is the approximated "
        b"number of",
        b"    seconds elapsed since the last access to the key.",
        b"REFCOUNT <key>",
        b"    Return the number of references of the value associated with "
        b"the specified",
        b"    <key>.",
        b"HELP",
        b"    Prints this help.",
    ]
    want = b"*15\r\n" + b"".join(b"+" + l + b"\r\n" for l in lines)
    assert c.cmd("OBJECT", "HELP") == want
    assert c.cmd("object", "help") == want


def test_object_subcommand_errors(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("OBJECT") == arity(b"object")
    assert c.cmd("OBJECT", "foo") == \
        b"-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n"
    assert c.cmd("OBJECT", "ENCODING") == arity(b"object|encoding")
    assert c.cmd("OBJECT", "ENCODING", "a", "b") == arity(b"object|encoding")
    assert c.cmd("OBJECT", "REFCOUNT") == arity(b"object|refcount")
    assert c.cmd("OBJECT", "IDLETIME", "a", "b") == arity(b"object|idletime")
    assert c.cmd("OBJECT", "FREQ") == arity(b"object|freq")
    assert c.cmd("OBJECT", "HELP", "x") == arity(b"object|help")


# ---- RESP3 and redis-py round trips ----

def test_resp3_replies(r3):
    r3.cmd("SET", "a", "1")
    assert r3.cmd("TYPE", "a") == b"+string\r\n"
    assert r3.cmd("EXISTS", "a") == b":1\r\n"
    assert r3.cmd("OBJECT", "ENCODING", "a") == b"$3\r\nint\r\n"
    assert r3.cmd("KEYS", "*") == b"*1\r\n$1\r\na\r\n"
    assert r3.cmd("TTL", "a") == b":-1\r\n"


def test_redis_py_generic_commands(r):
    r.set("a", "1")
    assert r.exists("a") == 1
    assert r.type("a") == b"string"
    assert r.rename("a", "b") is True
    assert r.copy("b", "c") is True
    assert r.expire("c", 100) is True
    assert r.ttl("c") == 100
    assert r.persist("c") is True
    assert sorted(r.keys()) == [b"b", b"c"]
    cursor, keys = r.scan(0)
    assert cursor == 0 and sorted(keys) == [b"b", b"c"]
    assert sorted(r.scan_iter(match="b*")) == [b"b"]
    assert r.move("b", 2) is True
    assert r.dbsize() == 1
    assert r.object("encoding", "c") == b"int"
    assert r.delete("c") == 1
    assert r.randomkey() is None


# ---- key positions, for cluster clients ----

KEY_SPECS = {
    b"del": (-2, 1, -1, 1), b"unlink": (-2, 1, -1, 1),
    b"exists": (-2, 1, -1, 1), b"touch": (-2, 1, -1, 1),
    b"type": (2, 1, 1, 1), b"keys": (2, 0, 0, 0), b"scan": (-2, 0, 0, 0),
    b"randomkey": (1, 0, 0, 0), b"dbsize": (1, 0, 0, 0),
    b"flushdb": (-1, 0, 0, 0), b"flushall": (-1, 0, 0, 0),
    b"rename": (3, 1, 2, 1), b"renamenx": (3, 1, 2, 1),
    b"copy": (-3, 1, 2, 1), b"move": (3, 1, 1, 1),
    b"expire": (-3, 1, 1, 1), b"pexpire": (-3, 1, 1, 1),
    b"expireat": (-3, 1, 1, 1), b"pexpireat": (-3, 1, 1, 1),
    b"ttl": (2, 1, 1, 1), b"pttl": (2, 1, 1, 1),
    b"expiretime": (2, 1, 1, 1), b"pexpiretime": (2, 1, 1, 1),
    b"persist": (2, 1, 1, 1), b"object": (-2, 0, 0, 0),
}


def test_command_info_key_positions(c):
    for name, want in KEY_SPECS.items():
        reply = c.cmd("COMMAND", "INFO", name)
        if reply.startswith(b"-ERR unknown command"):
            pytest.skip("COMMAND is not implemented by this build")
        row = parse(reply)[0]
        assert row[0] == name
        assert (row[1], row[3], row[4], row[5]) == want, name


def test_command_info_object_subcommand_key_positions(c):
    reply = c.cmd("COMMAND", "INFO", "object")
    if reply.startswith(b"-ERR unknown command"):
        pytest.skip("COMMAND is not implemented by this build")
    row = parse(reply)[0]
    subs = {s[0]: (s[1], s[3], s[4], s[5]) for s in row[9]}
    assert subs == {
        b"object|encoding": (3, 2, 2, 1), b"object|freq": (3, 2, 2, 1),
        b"object|idletime": (3, 2, 2, 1), b"object|refcount": (3, 2, 2, 1),
        b"object|help": (2, 0, 0, 0),
    }
