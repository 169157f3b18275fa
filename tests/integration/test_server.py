"""Connection, server and transaction commands through redis-py, raw RESP
(exact bytes) and redis-cli."""
import subprocess
import time

import pytest
import redis

from conftest import RawConn


def test_ping_echo(raw, r):
    assert raw(b"PING\r\n") == b"+PONG\r\n"
    assert raw(b"*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n") == b"$2\r\nhi\r\n"
    assert raw(b"*3\r\n$4\r\nPING\r\n$1\r\na\r\n$1\r\nb\r\n") == \
        b"-ERR wrong number of arguments for 'ping' command\r\n"
    assert r.echo("hello") == b"hello"


def test_hello_3_switches_to_resp3(server, r):
    c = RawConn(server.port)
    rep = c.cmd("HELLO", "3")
    assert rep.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
    assert b"$5\r\nproto\r\n:3\r\n" in rep
    c.cmd("SET", "k", "v")
    assert c.cmd("GET", "nokey") == b"_\r\n"
    assert c.cmd("HELLO", "4") == b"-NOPROTO unsupported protocol version\r\n"
    assert c.cmd("HELLO", "x") == \
        b"-ERR Protocol version is not an integer or out of range\r\n"
    rep = c.cmd("HELLO", "2")
    assert rep.startswith(b"*14\r\n")
    assert c.cmd("GET", "nokey") == b"$-1\r\n"


def test_resp3_types(r3):
    assert r3.cmd("CONFIG", "GET", "maxmemory") == \
        b"%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"
    assert r3.cmd("INCRBYFLOAT", "f", "1.5") == b"$3\r\n1.5\r\n"


def test_select_and_swapdb(r, raw):
    r.set("a", "0")
    assert r.execute_command("SELECT", 1) is True
    assert r.get("a") is None
    assert raw(b"SELECT 16\r\n") == b"-ERR DB index is out of range\r\n"
    assert raw(b"SELECT x\r\n") == b"-ERR value is not an integer or out of range\r\n"
    assert r.execute_command("SELECT", 0) is True
    assert r.swapdb(0, 1)
    assert r.get("a") is None
    r.execute_command("SELECT", 1)
    assert r.get("a") == b"0"
    r.execute_command("SELECT", 0)
    assert raw(b"SWAPDB x 1\r\n") == b"-ERR invalid first DB index\r\n"
    assert raw(b"SWAPDB 0 99\r\n") == b"-ERR DB index is out of range\r\n"


def test_auth_with_requirepass(start_server):
    s = start_server("--requirepass", "pw")
    c = RawConn(s.port)
    assert c.cmd("GET", "x") == b"-NOAUTH Authentication required.\r\n"
    assert c.cmd("AUTH", "bad") == \
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    assert c.cmd("AUTH", "pw") == b"+OK\r\n"
    assert c.cmd("GET", "x") == b"$-1\r\n"
    d = RawConn(s.port)
    assert d.cmd("AUTH", "default", "pw") == b"+OK\r\n"
    e = RawConn(s.port)
    rep = e.cmd("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me")
    assert rep.startswith(b"%7\r\n")
    assert e.cmd("CLIENT", "GETNAME") == b"$2\r\nme\r\n"


def test_auth_without_password_configured(raw):
    assert raw(b"AUTH x\r\n") == (
        b"-ERR AUTH <password> called without any password configured for "
        b"the default user. Are you sure your configuration is correct?\r\n")


def test_client_commands(server, r):
    c = RawConn(server.port)
    assert c.cmd("CLIENT", "SETNAME", "worker1") == b"+OK\r\n"
    assert c.cmd("CLIENT", "GETNAME") == b"$7\r\nworker1\r\n"
    assert c.cmd("CLIENT", "SETNAME", "a b") == \
        b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    lst = r.client_list()
    assert any(x["name"] == "worker1" and int(x["id"]) == cid for x in lst)
    info = c.cmd("CLIENT", "INFO")
    assert b"name=worker1" in info and b"id=%d " % cid in info
    assert r.execute_command("CLIENT", "KILL", "ID", cid) == 1
    assert c.closed_by_peer()
    assert c.sock.fileno() >= 0
    d = RawConn(server.port)
    assert d.cmd("CLIENT", "FOO") == \
        b"-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n"
    assert d.cmd("CLIENT", "KILL", "1.2.3.4:5") == b"-ERR No such client\r\n"


def test_client_reply_off_skip(server):
    c = RawConn(server.port)
    c.send(b"CLIENT REPLY SKIP\r\nSET a 1\r\nGET a\r\n")
    assert c.read() == b"$1\r\n1\r\n"
    c.send(b"CLIENT REPLY OFF\r\nSET a 2\r\nGET a\r\nCLIENT REPLY ON\r\nGET a\r\n")
    assert c.read(2) == b"+OK\r\n$1\r\n2\r\n"


def test_client_pause_write_holds_writes_not_reads(server, r):
    other = server.client()
    r.set("k", "1")
    assert r.execute_command("CLIENT", "PAUSE", 500, "WRITE") == b"OK"
    t0 = time.time()
    assert other.get("k") == b"1"
    assert time.time() - t0 < 0.3
    other.set("k", "2")
    assert time.time() - t0 >= 0.4
    assert r.get("k") == b"2"


def test_client_unpause_releases_held_clients(server, r):
    other = server.client()
    r.execute_command("CLIENT", "PAUSE", 10000, "ALL")
    import threading
    done = []
    t = threading.Thread(target=lambda: done.append(other.set("p", "1")))
    t.start()
    time.sleep(0.2)
    assert not done
    c = RawConn(server.port)
    # CLIENT UNPAUSE is allowed during a pause.
    assert c.cmd("CLIENT", "UNPAUSE") == b"+OK\r\n"
    t.join(5)
    assert done == [True]


def test_multi_exec(r, raw, server):
    c = RawConn(server.port)
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("SET", "a", "1") == b"+QUEUED\r\n"
    assert c.cmd("INCR", "a") == b"+QUEUED\r\n"
    assert c.cmd("EXEC") == b"*2\r\n+OK\r\n:2\r\n"
    assert c.cmd("EXEC") == b"-ERR EXEC without MULTI\r\n"
    assert c.cmd("DISCARD") == b"-ERR DISCARD without MULTI\r\n"
    c.cmd("MULTI")
    assert c.cmd("MULTI") == b"-ERR MULTI calls can not be nested\r\n"
    assert c.cmd("NOSUCH") == \
        b"-ERR unknown command 'NOSUCH', with args beginning with: \r\n"
    c.cmd("SET", "a", "5")
    assert c.cmd("EXEC") == \
        b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    assert r.get("a") == b"2"
    c.cmd("MULTI")
    c.cmd("SET", "a", "x")
    c.cmd("INCR", "a")
    assert c.cmd("EXEC") == \
        b"*2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n"


def test_watch(r, server):
    c = RawConn(server.port)
    r.set("w", "1")
    assert c.cmd("WATCH", "w") == b"+OK\r\n"
    r.set("w", "2")
    c.cmd("MULTI")
    c.cmd("SET", "w", "3")
    assert c.cmd("EXEC") == b"*-1\r\n"
    assert r.get("w") == b"2"
    c.cmd("WATCH", "w")
    c.cmd("MULTI")
    assert c.cmd("WATCH", "w") == b"-ERR WATCH inside MULTI is not allowed\r\n"
    c.cmd("SET", "w", "4")
    assert c.cmd("EXEC") == b"*1\r\n+OK\r\n"
    # redis-py's optimistic locking helper
    def incr(pipe):
        v = int(pipe.get("w2") or 0)
        pipe.multi()
        pipe.set("w2", v + 1)
    for _ in range(5):
        r.transaction(incr, "w2")
    assert r.get("w2") == b"5"


def test_watch_flushall_invalidates(r, server):
    c = RawConn(server.port)
    r.set("f", "1")
    c.cmd("WATCH", "f")
    r.flushall()
    c.cmd("MULTI")
    c.cmd("SET", "f", "2")
    assert c.cmd("EXEC") == b"*-1\r\n"


def test_config_get_set(r, raw):
    assert r.config_get("maxmemory") == {"maxmemory": "0"}
    assert r.config_set("maxmemory", "10mb")
    assert r.config_get("maxmemory") == {"maxmemory": "10485760"}
    r.config_set("maxmemory", "0")
    got = r.config_get("max*")
    assert "maxmemory-policy" in got and "maxclients" in got
    assert raw(b"CONFIG SET nosuch 1\r\n") == \
        b"-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"
    assert raw(b"CONFIG SET maxmemory abc\r\n") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
        b"argument must be a memory value\r\n")
    # several pairs, atomically
    assert raw(b"CONFIG SET hz 20 maxmemory bad\r\n").startswith(b"-ERR CONFIG SET failed")
    assert r.config_get("hz") == {"hz": "10"}
    assert raw(b"CONFIG SET hz 20 timeout 0\r\n") == b"+OK\r\n"
    assert r.config_get("hz") == {"hz": "20"}
    r.config_set("hz", "10")


def test_info_sections(r):
    info = r.info()
    assert info["redis_version"].startswith("7.")
    for field in ("connected_clients", "used_memory", "total_commands_processed",
                  "keyspace_hits", "used_cpu_sys", "uptime_in_seconds"):
        assert field in info
    r.set("a", 1)
    r.expire("a", 100)
    ks = r.info("keyspace")
    assert ks["db0"]["keys"] == 1 and ks["db0"]["expires"] == 1
    r.get("a")
    cs = r.info("commandstats")
    assert cs["cmdstat_get"]["calls"] >= 1
    assert "cmdstat_set" in cs
    r.config_resetstat()
    assert "cmdstat_set" not in r.info("commandstats")


def test_time_and_lastsave(r):
    sec, usec = r.time()
    assert abs(sec - time.time()) < 5 and 0 <= usec < 1000000
    assert abs(r.lastsave().timestamp() - time.time()) < 3600


def test_slowlog(r):
    r.config_set("slowlog-log-slower-than", 0)
    r.slowlog_reset()
    r.set("s", "v")
    entries = r.slowlog_get()
    assert entries and entries[0]["command"] in (b"SET s v", b"set s v") or \
        any(e["command"].lower() == b"set s v" for e in entries)
    assert r.slowlog_len() >= 1
    r.config_set("slowlog-log-slower-than", 10000)
    r.slowlog_reset()
    assert r.slowlog_len() == 0


def test_monitor_streams_commands(server, r):
    c = RawConn(server.port)
    assert c.cmd("MONITOR") == b"+OK\r\n"
    r.set("mon", "x y")
    line = c.read()
    assert line.startswith(b"+") and b'"set" "mon" "x y"' in line.lower()


def test_debug_sleep_and_object(r, raw):
    r.set("d", "hello")
    t0 = time.time()
    assert r.execute_command("DEBUG", "SLEEP", "0.2") == b"OK"
    assert time.time() - t0 >= 0.19
    obj = r.execute_command("DEBUG", "OBJECT", "d")
    assert b"encoding:embstr" in obj
    assert raw(b"DEBUG OBJECT nokey\r\n") == b"-ERR no such key\r\n"


def test_latency_doctor(r):
    assert r.execute_command("LATENCY", "DOCTOR")


def test_reset(server):
    c = RawConn(server.port)
    c.cmd("SELECT", "3")
    c.cmd("MULTI")
    assert c.cmd("RESET") == b"+RESET\r\n"
    assert c.cmd("SET", "rk", "1") == b"+OK\r\n"
    d = RawConn(server.port)
    assert d.cmd("GET", "rk") == b"$1\r\n1\r\n"


def test_redis_cli_basic(server, r):
    out = subprocess.run(["redis-cli", "-p", str(server.port), "set", "c", "1"],
                         capture_output=True, timeout=10)
    assert out.stdout == b"OK\n"
    out = subprocess.run(["redis-cli", "-p", str(server.port), "incrby", "c", "9"],
                         capture_output=True, timeout=10)
    assert out.stdout == b"10\n"
    out = subprocess.run(["redis-cli", "-p", str(server.port), "get", "nokey"],
                         capture_output=True, timeout=10)
    assert out.stdout == b"\n"


def test_debug_digest_reload_and_active_expire(r):
    assert r.execute_command("DEBUG", "DIGEST") == b"0" * 40
    r.set("a", "1")
    r.set("b", "2")
    d1 = r.execute_command("DEBUG", "DIGEST")
    assert d1 != b"0" * 40 and len(d1) == 40
    assert r.execute_command("DEBUG", "RELOAD") == b"OK"
    assert r.execute_command("DEBUG", "DIGEST") == d1
    r.set("b", "3")
    assert r.execute_command("DEBUG", "DIGEST") != d1
    va, vx = r.execute_command("DEBUG", "DIGEST-VALUE", "a", "nokey")
    assert vx == b"0" * 40 and va != vx
    assert r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"OK"
    try:
        r.set("e", "1", px=50)
        time.sleep(0.4)
        assert r.info("keyspace")["db0"]["keys"] == 3   # not reclaimed
        assert r.get("e") is None                       # lazily expired
    finally:
        r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_role_and_wait(r):
    assert r.execute_command("ROLE") == [b"master", 0, []]
    assert r.execute_command("WAIT", 0, 0) == 0
