"""COMMAND and its subcommands (src/server/cmd_command.c, cmd_docs.c):
bare COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP.

Expected reply bytes and error text were taken from stock redis-server
7.0.15. The last tests start a stock redis-server (skipped when it is not
installed) and check that the docs and key specifications of every command
ringcache serves carry the same facts (versions, groups, argument trees, key
specs, tips) as Redis 7.0; only the prose (summary, complexity, history,
notes) is ringcache's own.
"""
import os
import pty
import select
import shutil
import signal
import subprocess
import time

import pytest
import redis
from redis.commands.parser import CommandsParser

from conftest import RawConn, free_port

REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
REDIS_CLI = shutil.which("redis-cli")

GET_INFO_RESP2 = (
    b"*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    b"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
    b"*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
    b"$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
    b"$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
    b"$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    b"$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
    b"$5\r\nlimit\r\n:0\r\n*0\r\n")

GET_INFO_RESP3 = (
    b"*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    b"~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n"
    b"~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
    b"$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
    b"$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
    b"$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    b"$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
    b"$5\r\nlimit\r\n:0\r\n~0\r\n")

COMMAND_SUBS = {"command|count", "command|docs", "command|getkeys",
                "command|getkeysandflags", "command|help", "command|info",
                "command|list"}


def err(msg):
    return b"-" + msg + b"\r\n"


def arity(name):
    return err(b"ERR wrong number of arguments for '%s' command" % name)


# ---- a typed RESP reader: sets, maps and nulls stay distinguishable ----

class Set(list):
    """A RESP3 set (~)."""


class Map(list):
    """A RESP3 map (%), kept as ordered (key, value) pairs."""

    def get(self, key, default=None):
        for k, v in self:
            if k == key:
                return v
        return default

    def keys(self):
        return [k for k, _ in self]


def parse(buf, pos=0):
    """Parses one reply from buf; returns (value, end)."""
    end = buf.index(b"\r\n", pos)
    t, line = buf[pos:pos + 1], buf[pos + 1:end]
    pos = end + 2
    if t in (b"+", b"-"):
        return line.decode(), pos
    if t == b":":
        return int(line), pos
    if t == b"_":
        return None, pos
    if t in (b"$", b"="):
        n = int(line)
        if n < 0:
            return None, pos
        text = buf[pos:pos + n].decode()
        return text[4:] if t == b"=" else text, pos + n + 2
    if t in (b"*", b"~"):
        n = int(line)
        if n < 0:
            return None, pos
        out = Set() if t == b"~" else []
        for _ in range(n):
            v, pos = parse(buf, pos)
            out.append(v)
        return out, pos
    if t == b"%":
        out = Map()
        for _ in range(int(line)):
            k, pos = parse(buf, pos)
            v, pos = parse(buf, pos)
            out.append((k, v))
        return out, pos
    raise AssertionError("unexpected reply type %r" % t)


def value(buf):
    v, end = parse(buf)
    assert end == len(buf)
    return v


def as_map(v):
    """A RESP2 flat array or a RESP3 map as a Map."""
    if isinstance(v, Map):
        return v
    assert len(v) % 2 == 0
    return Map(zip(v[0::2], v[1::2]))


@pytest.fixture
def c3(server, r):
    conn = RawConn(server.port)
    conn.cmd("HELLO", "3")
    yield conn
    conn.close()


@pytest.fixture
def c2(server, r):
    conn = RawConn(server.port)
    yield conn
    conn.close()


def names_of_list(c2):
    return value(c2.cmd("COMMAND", "LIST"))


# ---- COMMAND INFO ----

def test_command_info_get_is_byte_identical_to_redis_resp2(c2):
    assert c2.cmd("COMMAND", "INFO", "get") == b"*1\r\n" + GET_INFO_RESP2


def test_command_info_get_resp3_uses_sets_and_maps_like_redis(c3):
    assert c3.cmd("COMMAND", "INFO", "get") == b"*1\r\n" + GET_INFO_RESP3


def test_command_info_unknown_name_is_null_in_its_position(c2, c3):
    assert c2.cmd("COMMAND", "INFO", "nosuch", "get") == \
        b"*2\r\n$-1\r\n" + GET_INFO_RESP2
    assert c3.cmd("COMMAND", "INFO", "get", "nosuch") == \
        b"*2\r\n" + GET_INFO_RESP3 + b"_\r\n"
    assert c2.cmd("COMMAND", "INFO", "") == b"*1\r\n$-1\r\n"


def test_command_info_finds_subcommands_by_full_name_in_any_case(c2):
    info = value(c2.cmd("COMMAND", "INFO", "CONFIG|GET", "config|nosuch",
                        "get|x", "config|get|x", "config|", "|get"))
    assert info[0][0] == "config|get"
    assert info[0][1] == -3
    assert info[1:] == [None] * 5


def test_container_lists_subcommands_as_full_rows(c3):
    cfg = value(c3.cmd("COMMAND", "INFO", "config"))[0]
    assert cfg[0] == "config" and cfg[1] == -2
    assert cfg[3:6] == [0, 0, 0]
    subs = cfg[9]
    assert type(subs) is list          # an array, not a set, when not empty
    names = {s[0] for s in subs}
    assert {"config|get", "config|set", "config|help"} <= names
    for s in subs:
        assert len(s) == 10
        assert s[9] == Set()           # no nested subcommands: empty set
    get = value(c3.cmd("COMMAND", "INFO", "get"))[0]
    assert get[9] == Set()


def test_bare_command_describes_every_top_level_command(c2):
    rows = value(c2.cmd("COMMAND"))
    names = [row[0] for row in rows]
    assert len(names) == len(set(names))
    assert set(names) == {n for n in names_of_list(c2) if "|" not in n}
    assert value(c2.cmd("COMMAND", "COUNT")) == len(rows)
    for row in rows:
        assert len(row) == 10
    # COMMAND INFO without names is the same reply.
    assert c2.cmd("COMMAND", "INFO") == c2.cmd("COMMAND")


def test_command_describes_itself_with_its_subcommands(c2):
    row = value(c2.cmd("COMMAND", "INFO", "command"))[0]
    assert row[:7] == ["command", -1, ["loading", "stale"], 0, 0, 0,
                       ["@slow", "@connection"]]
    subs = {s[0]: s[1] for s in row[9]}
    assert set(subs) == COMMAND_SUBS
    assert subs["command|count"] == 2
    assert subs["command|info"] == -2
    assert subs["command|getkeys"] == -4
    assert subs["command|getkeysandflags"] == -4
    assert value(c2.cmd("COMMAND", "INFO", "COMMAND|DOCS"))[0][1] == -2


def test_key_specs_of_multi_key_commands(c2):
    def specs(name):
        row = value(c2.cmd("COMMAND", "INFO", name))[0]
        out = []
        for ks in row[8]:
            ks = as_map(ks)
            b, f = as_map(ks.get("begin_search")), as_map(ks.get("find_keys"))
            out.append((ks.get("flags"), b.get("type"), as_map(b.get("spec")),
                        f.get("type"), as_map(f.get("spec"))))
        return out
    idx = lambda i: Map([("index", i)])
    rng = lambda last, step: Map([("lastkey", last), ("keystep", step),
                                  ("limit", 0)])
    assert specs("mget") == [(["RO", "access"], "index", idx(1), "range",
                              rng(-1, 1))]
    assert specs("mset") == [(["OW", "update"], "index", idx(1), "range",
                              rng(-1, 2))]
    assert specs("lcs") == [(["RO", "access"], "index", idx(1), "range",
                             rng(1, 1))]
    assert specs("memory|usage") == [(["RO"], "index", idx(2), "range",
                                      rng(0, 1))]
    assert specs("rename") == [
        (["RW", "access", "delete"], "index", idx(1), "range", rng(0, 1)),
        (["OW", "update"], "index", idx(2), "range", rng(0, 1))]
    assert specs("ping") == []


def test_tips_are_reported_as_a_set_of_bulk_strings(c3):
    row = value(c3.cmd("COMMAND", "INFO", "mget"))[0]
    assert row[7] == Set(["request_policy:multi_shard"])
    assert b"~1\r\n$26\r\nrequest_policy:multi_shard\r\n" in \
        c3.cmd("COMMAND", "INFO", "mget")


# ---- errors of the container ----

def test_unknown_subcommand_error_text(c2):
    assert c2.cmd("COMMAND", "foo") == \
        err(b"ERR unknown subcommand 'foo'. Try COMMAND HELP.")
    assert c2.cmd("COMMAND", "a b") == \
        err(b"ERR unknown subcommand 'a b'. Try COMMAND HELP.")
    long = b"x" * 200
    assert c2.cmd("COMMAND", long) == err(
        b"ERR unknown subcommand '" + b"x" * 128 + b"'. Try COMMAND HELP.")


def test_subcommand_arity_errors_name_the_subcommand(c2):
    assert c2.cmd("COMMAND", "COUNT", "x") == arity(b"command|count")
    assert c2.cmd("COMMAND", "help", "x") == arity(b"command|help")
    assert c2.cmd("COMMAND", "GETKEYS") == arity(b"command|getkeys")
    assert c2.cmd("COMMAND", "getkeys", "get") == arity(b"command|getkeys")
    assert c2.cmd("COMMAND", "GETKEYSANDFLAGS", "ping") == \
        arity(b"command|getkeysandflags")


def test_command_count_is_an_integer(c2):
    n = value(c2.cmd("COMMAND", "COUNT"))
    assert isinstance(n, int) and n > 50
    assert c2.cmd("command", "count") == b":%d\r\n" % n


# ---- GETKEYS / GETKEYSANDFLAGS ----

def test_getkeys_follows_key_positions(c2):
    assert c2.cmd("COMMAND", "GETKEYS", "get", "a") == b"*1\r\n$1\r\na\r\n"
    assert c2.cmd("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    # Redis 7.0 also answers for an odd MSET: keys at 1 and 3.
    assert c2.cmd("COMMAND", "GETKEYS", "mset", "a", "1", "b") == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert c2.cmd("COMMAND", "GETKEYS", "memory", "usage", "k") == \
        b"*1\r\n$1\r\nk\r\n"
    assert c2.cmd("COMMAND", "GETKEYS", "memory", "usage", "k", "samples",
                  "5") == b"*1\r\n$1\r\nk\r\n"
    assert c2.cmd("COMMAND", "GETKEYS", "rename", "a", "b") == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"


def test_getkeys_errors_match_redis(c2):
    invalid = err(b"ERR Invalid command specified")
    nokeys = err(b"ERR The command has no key arguments")
    badn = err(b"ERR Invalid number of arguments specified for command")
    assert c2.cmd("COMMAND", "GETKEYS", "nosuch", "a") == invalid
    assert c2.cmd("COMMAND", "GETKEYS", "config", "foo") == invalid
    assert c2.cmd("COMMAND", "GETKEYS", "ping", "x") == nokeys
    assert c2.cmd("COMMAND", "GETKEYS", "config", "get", "x") == nokeys
    assert c2.cmd("COMMAND", "GETKEYS", "command", "info", "x") == nokeys
    assert c2.cmd("COMMAND", "GETKEYS", "get", "a", "b") == badn
    assert c2.cmd("COMMAND", "GETKEYS", "memory", "usage") == badn
    assert c2.cmd("COMMAND", "GETKEYSANDFLAGS", "config", "get", "x") == \
        nokeys


def test_getkeysandflags_reports_access_flags(c2, c3):
    assert c2.cmd("COMMAND", "GETKEYSANDFLAGS", "get", "a") == \
        b"*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n"
    assert c3.cmd("COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b") == (
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n"
        b"*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n")
    assert value(c2.cmd("COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b",
                        "2")) == [["a", ["OW", "update"]],
                                  ["b", ["OW", "update"]]]


def test_getkeysandflags_resolves_variable_flags_of_set(c2):
    # SET's key spec says variable_flags: GET makes it a read too.
    assert value(c2.cmd("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v")) == \
        [["k", ["OW", "update"]]]
    assert value(c2.cmd("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v",
                        "Get")) == [["k", ["RW", "access", "update"]]]


# ---- COMMAND LIST ----

def test_command_list_has_commands_then_their_subcommands(c2):
    names = names_of_list(c2)
    assert len(names) == len(set(names))
    assert {"get", "config", "config|get", "command", "command|docs"} <= \
        set(names)
    assert names.index("config") < names.index("config|get")
    tops = [n for n in names if "|" not in n]
    assert len(tops) == value(c2.cmd("COMMAND", "COUNT"))


def test_command_list_filters(c2):
    def lst(*args):
        return value(c2.cmd("COMMAND", "LIST", "FILTERBY", *args))
    cfg = lst("PATTERN", "CONFIG|*")
    assert set(cfg) == {n for n in names_of_list(c2)
                        if n.startswith("config|")}
    assert "config|get" in cfg
    assert lst("pattern", "conf*")[0] == "config"
    assert {"multi", "exec", "discard", "watch", "unwatch"} <= \
        set(lst("aclcat", "TRANSACTION"))
    assert "get" not in lst("aclcat", "transaction")
    assert lst("aclcat", "@read") == []       # names go without '@'
    assert lst("aclcat", "nosuch") == []
    assert lst("module", "x") == []
    assert lst("pattern", "nosuch*") == []


def test_command_list_syntax_errors(c2):
    syntax = err(b"ERR syntax error")
    assert c2.cmd("COMMAND", "LIST", "x") == syntax
    assert c2.cmd("COMMAND", "LIST", "FILTERBY") == syntax
    assert c2.cmd("COMMAND", "LIST", "FILTERBY", "x", "y") == syntax
    assert c2.cmd("COMMAND", "LIST", "FILTERBY", "pattern") == syntax
    assert c2.cmd("COMMAND", "LIST", "FILTERBY", "pattern", "a", "b") == \
        syntax


def test_command_help_is_status_lines(c2):
    reply = c2.cmd("COMMAND", "HELP")
    assert reply.startswith(b"*")
    assert (b"\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. "
            b"Subcommands are:\r\n") in reply
    lines = value(reply)
    assert "GETKEYSANDFLAGS <full-command>" in lines
    assert "DOCS [<command-name> ...]" in lines
    assert reply.count(b"\r\n+") == len(lines)


# ---- COMMAND DOCS ----

def test_command_docs_get_has_redis_shape(c2, c3):
    docs = value(c3.cmd("COMMAND", "DOCS", "get"))
    assert isinstance(docs, Map) and docs.keys() == ["get"]
    get = docs.get("get")
    assert isinstance(get, Map)
    assert get.keys() == ["summary", "since", "group", "complexity",
                          "arguments"]
    assert get.get("summary")
    assert get.get("since") == "1.0.0"
    assert get.get("group") == "string"
    assert get.get("complexity") == "O(1)"
    assert get.get("arguments") == [Map([("name", "key"), ("type", "key"),
                                         ("key_spec_index", 0)])]
    flat = value(c2.cmd("COMMAND", "DOCS", "get"))
    assert flat[0] == "get" and flat[1][0::2] == get.keys()


def arg(name, typ, **kw):
    items = [("name", name), ("type", typ)]
    for k in ("key_spec_index", "token", "since", "flags", "arguments"):
        if k in kw:
            items.append((k, kw[k]))
    return Map(items)


def test_command_docs_set_argument_tree(c3):
    args = value(c3.cmd("COMMAND", "DOCS", "set")).get("set").get("arguments")
    opt = Set(["optional"])
    assert args == [
        arg("key", "key", key_spec_index=0),
        arg("value", "string"),
        arg("condition", "oneof", since="2.6.12", flags=opt, arguments=[
            arg("nx", "pure-token", token="NX"),
            arg("xx", "pure-token", token="XX")]),
        arg("get", "pure-token", token="GET", since="6.2.0", flags=opt),
        arg("expiration", "oneof", flags=opt, arguments=[
            arg("seconds", "integer", token="EX", since="2.6.12"),
            arg("milliseconds", "integer", token="PX", since="2.6.12"),
            arg("unix-time-seconds", "unix-time", token="EXAT",
                since="6.2.0"),
            arg("unix-time-milliseconds", "unix-time", token="PXAT",
                since="6.2.0"),
            arg("keepttl", "pure-token", token="KEEPTTL", since="6.0.0")]),
    ]


def test_command_docs_blocks_multiple_and_named_tokens(c3):
    mset = value(c3.cmd("COMMAND", "DOCS", "mset")).get("mset")
    assert mset.get("arguments") == [
        arg("key_value", "block", flags=Set(["multiple"]), arguments=[
            arg("key", "key", key_spec_index=0), arg("value", "string")])]
    lcs = value(c3.cmd("COMMAND", "DOCS", "lcs")).get("lcs")
    assert lcs.get("arguments")[:2] == [
        arg("key1", "key", key_spec_index=0),
        arg("key2", "key", key_spec_index=0)]
    assert lcs.get("arguments")[4] == arg(
        "len", "integer", token="MINMATCHLEN", flags=Set(["optional"]))


def test_command_docs_of_a_deprecated_command(c3):
    doc = value(c3.cmd("COMMAND", "DOCS", "getset")).get("getset")
    assert doc.keys() == ["summary", "since", "group", "complexity",
                          "doc_flags", "deprecated_since", "replaced_by",
                          "arguments"]
    assert doc.get("doc_flags") == Set(["deprecated"])
    assert doc.get("deprecated_since") == "6.2.0"
    assert "SET" in doc.get("replaced_by")


def test_command_docs_leaves_unknown_names_out(c2, c3):
    assert c2.cmd("COMMAND", "DOCS", "nosuch") == b"*0\r\n"
    assert c3.cmd("COMMAND", "DOCS", "nosuch") == b"%0\r\n"
    docs = value(c3.cmd("COMMAND", "DOCS", "nosuch", "GET", "config|GET"))
    assert docs.keys() == ["get", "config|get"]
    # Asking twice answers twice, as Redis does.
    assert value(c3.cmd("COMMAND", "DOCS", "get", "get")).keys() == \
        ["get", "get"]


def test_command_docs_of_a_container_maps_its_subcommands(c3):
    cfg = value(c3.cmd("COMMAND", "DOCS", "config")).get("config")
    assert cfg.keys()[-1] == "subcommands"
    subs = cfg.get("subcommands")
    assert isinstance(subs, Map)
    assert {"config|get", "config|set", "config|help"} <= set(subs.keys())
    get = subs.get("config|get")
    assert get.get("group") == "server"
    assert get.get("arguments")[0].get("type") == "block"
    own = value(c3.cmd("COMMAND", "DOCS", "command")).get("command")
    assert set(own.get("subcommands").keys()) == COMMAND_SUBS


ARG_TYPES = {"key", "string", "integer", "double", "pattern", "unix-time",
             "pure-token", "oneof", "block"}
ARG_KEYS = ["name", "type", "key_spec_index", "token", "since",
            "deprecated_since", "flags", "arguments"]


def check_args(name, args, nspecs):
    assert isinstance(args, list) and args, name
    for a in args:
        assert isinstance(a, Map), name
        keys = a.keys()
        assert keys[:2] == ["name", "type"], (name, keys)
        assert keys == [k for k in ARG_KEYS if k in keys], (name, keys)
        assert a.get("name"), name
        assert a.get("type") in ARG_TYPES, (name, a)
        if a.get("type") == "key":
            assert 0 <= a.get("key_spec_index") < nspecs, (name, a)
        if "flags" in keys:
            assert a.get("flags") and set(a.get("flags")) <= \
                {"optional", "multiple", "multiple_token"}, (name, a)
        if a.get("type") in ("oneof", "block"):
            check_args(name, a.get("arguments"), nspecs)
        else:
            assert "arguments" not in keys, (name, a)


def test_every_command_has_docs_that_parse(c3):
    """Every command and subcommand in the table has a docs row (summary,
    since, group, complexity) whose argument tree is well formed. A failure
    here names a command that needs a row in src/server/cmd_docs.c."""
    docs = value(c3.cmd("COMMAND", "DOCS"))
    info = {row[0]: row for row in value(c3.cmd("COMMAND"))}
    for row in list(info.values()):
        for sub in row[9]:
            info[sub[0]] = sub
    seen = set()

    def walk(name, doc):
        seen.add(name)
        keys = doc.keys()
        assert keys[:4] == ["summary", "since", "group", "complexity"], name
        for k in ("summary", "since", "group", "complexity"):
            assert doc.get(k), "%s has no docs row (empty %s)" % (name, k)
        if "arguments" in keys:
            check_args(name, doc.get("arguments"), len(info[name][8]))
        for sub, sdoc in doc.get("subcommands", Map()):
            assert sub.startswith(name + "|")
            walk(sub, sdoc)
    for name, doc in docs:
        walk(name, doc)
    assert seen == set(info) == set(names_of_list(c3))


def test_docs_for_every_subcommand_of_command(c2):
    for sub in COMMAND_SUBS:
        doc = as_map(value(c2.cmd("COMMAND", "DOCS", sub))[1])
        assert doc.get("group") == "server", sub
        assert doc.get("summary"), sub


# ---- real clients ----

def test_redis_py_parses_command_and_command_info(r):
    cmds = r.command()
    assert cmds["get"]["arity"] == 2
    assert cmds["get"]["flags"] == ["readonly", "fast"]
    assert (cmds["mset"]["first_key_pos"], cmds["mset"]["last_key_pos"],
            cmds["mset"]["step_count"]) == (1, -1, 2)
    assert r.command_count() == len(cmds)
    info = r.execute_command("COMMAND", "INFO", "get")
    assert info["get"]["first_key_pos"] == 1
    assert info["get"]["tips"] == []
    assert r.command_getkeys("MSET", "a", "1", "b", "2") == ["a", "b"]
    assert "config|get" in [n.decode() for n in
                            r.command_list(pattern="config|*")]
    assert r.command_getkeysandflags("GET", "k") == [[b"k", [b"RO",
                                                             b"access"]]]


def test_redis_py_cluster_key_parser_finds_keys(r):
    parser = CommandsParser(r)
    assert parser.get_keys(r, "GET", "k") == ["k"]
    assert parser.get_keys(r, "MSET", "a", "1", "b", "2") == ["a", "b"]
    # A subcommand: found through the container's subcommand rows.
    assert parser.get_keys(r, "MEMORY USAGE", "k") == ["k"]
    assert parser.get_keys(r, "PING", "hello") is None


def test_redis_cli_prints_command_docs(server):
    if not REDIS_CLI:
        pytest.skip("redis-cli is not installed")
    out = subprocess.run([REDIS_CLI, "-p", str(server.port), "command",
                          "docs", "get"], capture_output=True, timeout=10)
    text = out.stdout.decode()
    assert out.returncode == 0
    assert "summary" in text and "key_spec_index" in text and "1.0.0" in text


def cli_session(port, typed):
    """Runs interactive redis-cli in a pty, types each string, returns what
    the terminal showed. Answers linenoise's cursor position queries."""
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl
        import struct
        import termios
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 250, 0, 0))
        os.execv(REDIS_CLI, [REDIS_CLI, "-p", str(port)])
    out = b""

    def pump(seconds):
        nonlocal out
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                return
            if not data:
                return
            out += data
            if b"\x1b[6n" in data:
                os.write(fd, b"\x1b[1;1R")
    try:
        pump(1.5)
        for t in typed:
            os.write(fd, t)
            pump(0.6)
        os.write(fd, b"\x03")
        pump(0.3)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return out.decode(errors="replace")


def test_redis_cli_interactive_hints_come_from_command_docs(server):
    if not REDIS_CLI:
        pytest.skip("redis-cli is not installed")
    # Ctrl-U clears the line between the two.
    screen = cli_session(server.port, [b"set ", b"\x15client kill "])
    assert ("key value [NX|XX] [GET] [EX seconds|PX milliseconds|"
            "EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"
            ) in screen
    assert "[ID client-id]" in screen
    assert "ERR" not in screen and "rror" not in screen


# ---- facts against stock Redis 7.0 ----

@pytest.fixture(scope="module")
def reference():
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("no reference redis-server at %s" % REDIS_SERVER)
    port = free_port()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                conn = RawConn(port)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.skip("reference redis-server did not start")
                time.sleep(0.05)
        conn.cmd("HELLO", "3")
        version = value(conn.cmd("INFO", "server"))
        if "redis_version:7.0." not in version:
            conn.close()
            pytest.skip("reference is not Redis 7.0")
        yield conn
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def doc_facts(doc):
    """A doc map without the prose that is ringcache's own."""
    out = {}
    for k, v in doc:
        if k in ("summary", "complexity", "history", "replaced_by"):
            continue
        if k == "arguments":
            v = [arg_facts(a) for a in v]
        if k == "subcommands":
            v = {sk: doc_facts(sv) for sk, sv in v}
        out[k] = v
    return out


def arg_facts(a):
    out = {}
    for k, v in a:
        if k == "summary":
            continue
        if k == "arguments":
            v = [arg_facts(x) for x in v]
        out[k] = v
    return out


def spec_facts(ks):
    return [(k, v) for k, v in ks if k != "notes"]


def test_docs_and_key_specs_carry_redis_7_0_facts(c3, reference):
    """Since, group, doc flags, argument trees, key specs and tips of every
    command that both servers know are those of Redis 7.0."""
    names = names_of_list(c3)
    ref_docs = value(reference.cmd("COMMAND", "DOCS", *names))
    ours = value(c3.cmd("COMMAND", "DOCS", *names))
    ref_docs = {k: doc_facts(v) for k, v in ref_docs}
    compared = 0
    for name, doc in ours:
        if name not in ref_docs:
            continue            # a command Redis 7.0 does not have
        mine, theirs = doc_facts(doc), ref_docs[name]
        mine.pop("subcommands", None)
        theirs.pop("subcommands", None)
        assert mine == theirs, name
        compared += 1
    assert compared > 50
    ref_info = value(reference.cmd("COMMAND", "INFO", *names))
    our_info = value(c3.cmd("COMMAND", "INFO", *names))
    for theirs, mine in zip(ref_info, our_info):
        if theirs is None:
            continue
        assert sorted(mine[7]) == sorted(theirs[7]), mine[0]
        assert [spec_facts(k) for k in mine[8]] == \
            [spec_facts(k) for k in theirs[8]], mine[0]
