"""The protocol layer under load and abuse: pipelines, many connections,
malformed and oversized requests, clients that vanish or never read, and
shutdown with clients connected. Every other client must keep being served.
"""
import signal
import socket
import subprocess
import threading
import time

from conftest import RawConn, Server


def test_pipeline_of_10000_commands_in_one_write(server, r):
    req = b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$%d\r\nv%d\r\n"
                   % (len(b"k%d" % i), i, len(b"v%d" % i), i)
                   for i in range(10000))
    req += b"".join(b"*2\r\n$3\r\nGET\r\n$%d\r\nk%d\r\n" % (len(b"k%d" % i), i)
                    for i in range(10000))
    c = RawConn(server.port, timeout=30)
    c.send(req)
    assert c.read(10000) == b"+OK\r\n" * 10000
    for i in range(10000):
        v = b"v%d" % i
        assert c.read() == b"$%d\r\n%s\r\n" % (len(v), v)
    c.close()
    assert r.dbsize() == 10000


def test_redis_py_pipeline_transaction(r):
    p = r.pipeline()            # MULTI/EXEC by default
    for i in range(1000):
        p.incr("counter")
    assert p.execute()[-1] == 1000
    assert r.get("counter") == b"1000"


def test_frames_split_at_every_byte(server, r):
    c = RawConn(server.port)
    req = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nhello\r\nPING\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
    for b in req:
        c.send(bytes([b]))
        time.sleep(0.0005)
    assert c.read(3) == b"+OK\r\n+PONG\r\n$5\r\nhello\r\n"
    c.close()


def test_200_concurrent_connections(server, r):
    errors = []

    def worker(n):
        try:
            c = server.client()
            for i in range(50):
                c.set("c%d:%d" % (n, i), i)
                assert c.get("c%d:%d" % (n, i)) == str(i).encode()
            c.close()
        except Exception as e:       # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:3]
    assert r.dbsize() == 200 * 50


def test_huge_bulk_declaration_is_refused_and_others_unaffected(server, r):
    c = RawConn(server.port)
    c.send(b"*2\r\n$3\r\nGET\r\n$1073741824\r\n")
    assert c.read() == b"-ERR Protocol error: invalid bulk length\r\n"
    assert c.closed_by_peer()
    assert r.ping()


def test_large_bulk_within_limit_is_accepted(r):
    big = b"x" * (20 * 1024 * 1024)
    r.set("big", big)
    assert r.strlen("big") == len(big)
    assert r.get("big") == big


def test_malformed_multibulk_closes_only_that_client(server, r):
    for bad, err in [
        (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*2\r\nxx\r\n", b"-ERR Protocol error: expected '$', got 'x'\r\n"),
        (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"*99999999999\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    ]:
        c = RawConn(server.port)
        c.send(bad)
        assert c.read() == err
        assert c.closed_by_peer()
    assert r.ping()


def test_unbalanced_quotes_inline(server):
    c = RawConn(server.port)
    c.send(b'SET a "b\r\n')
    assert c.read() == b"-ERR Protocol error: unbalanced quotes in request\r\n"
    assert c.closed_by_peer()


def test_inline_commands(server, r):
    c = RawConn(server.port)
    c.send(b'SET "a b" "c\\x41d"\r\nGET "a b"\r\n\r\nPING\r\n')
    assert c.read(3) == b"+OK\r\n$3\r\ncAd\r\n+PONG\r\n"


def test_client_disconnecting_mid_frame(server, r):
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc")
        s.close()
    assert r.ping()
    assert r.get("k") is None


def test_unknown_command_reply(raw):
    assert raw(b"*3\r\n$6\r\nFOOBAR\r\n$1\r\na\r\n$2\r\nbc\r\n") == \
        b"-ERR unknown command 'FOOBAR', with args beginning with: 'a' 'bc' \r\n"


def test_wrong_arity_reply(raw):
    assert raw(b"*1\r\n$3\r\nGET\r\n") == \
        b"-ERR wrong number of arguments for 'get' command\r\n"


def test_client_that_never_reads_is_disconnected_at_output_limit(start_server):
    s = start_server("--client-output-buffer-limit", "normal 1mb 512kb 1")
    r = s.client()
    r.set("v", b"x" * 100000)
    hog = socket.create_connection(("127.0.0.1", s.port))
    hog.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    req = b"*2\r\n$3\r\nGET\r\n$1\r\nv\r\n" * 200       # 20 MB of replies
    hog.sendall(req)
    deadline = time.time() + 10
    while time.time() < deadline:
        info = r.info("stats")
        if info["client_output_buffer_limit_disconnections"] >= 1:
            break
        time.sleep(0.05)
    assert r.info("stats")["client_output_buffer_limit_disconnections"] == 1
    assert r.info("memory")["used_memory"] < 50 * 1024 * 1024
    assert r.ping()
    hog.close()


def test_query_buffer_limit(start_server):
    s = start_server("--client-query-buffer-limit", "1mb")
    r = s.client()
    c = RawConn(s.port)
    # A declared 5 MB bulk never completes; the buffer passes the limit.
    c.send(b"*2\r\n$3\r\nGET\r\n$5000000\r\n")
    chunk = b"x" * 65536
    try:
        for _ in range(40):
            c.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert c.closed_by_peer()
    assert r.info("stats")["client_query_buffer_limit_disconnections"] == 1


def test_unauthenticated_clients_may_send_only_small_frames(start_server):
    s = start_server("--requirepass", "secret")
    c = RawConn(s.port)
    c.send(b"*20\r\n")
    assert c.read() == b"-ERR Protocol error: unauthenticated multibulk length\r\n"
    assert c.closed_by_peer()
    c = RawConn(s.port)
    c.send(b"*2\r\n$3\r\nGET\r\n$100000\r\n")
    assert c.read() == b"-ERR Protocol error: unauthenticated bulk length\r\n"
    r = s.client(password="secret")
    assert r.ping()


def test_maxclients_refuses_with_redis_error(start_server):
    s = start_server("--maxclients", "3")
    held = [RawConn(s.port) for _ in range(3)]
    for h in held:
        assert h.cmd("PING") == b"+PONG\r\n"
    extra = RawConn(s.port)
    assert extra.read() == b"-ERR max number of clients reached\r\n"
    for h in held:
        h.close()


def test_idle_timeout_closes_client(start_server):
    s = start_server("--timeout", "1")
    c = RawConn(s.port)
    assert c.cmd("PING") == b"+PONG\r\n"
    assert c.closed_by_peer(timeout=5)


def test_sigterm_with_clients_connected_exits_cleanly(start_server):
    s = start_server()
    conns = [RawConn(s.port) for _ in range(20)]
    for c in conns:
        assert c.cmd("PING") == b"+PONG\r\n"
    busy = RawConn(s.port)
    busy.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n01234")   # mid-frame
    assert s.stop(signal.SIGTERM) == 0
    for c in conns:
        assert c.closed_by_peer()


def test_shutdown_command_exits_zero(start_server):
    s = start_server()
    c = RawConn(s.port)
    c.send(b"*1\r\n$8\r\nSHUTDOWN\r\n")
    assert c.closed_by_peer()
    s.proc.wait(10)
    assert s.proc.returncode == 0


def test_quit_replies_ok_then_closes(server):
    c = RawConn(server.port)
    assert c.cmd("QUIT") == b"+OK\r\n"
    assert c.closed_by_peer()


def test_redis_cli_tools(server, r):
    port = str(server.port)
    cli = ["redis-cli", "-p", port]
    out = subprocess.run(cli + ["-r", "100", "incr", "x"], capture_output=True,
                         timeout=30)
    assert out.returncode == 0
    assert r.get("x") == b"100"
    for i in range(50):
        r.set("scan:%d" % i, "v" * i)
    out = subprocess.run(cli + ["--scan", "--pattern", "scan:*"],
                         capture_output=True, timeout=30)
    assert sorted(out.stdout.split()) == sorted(b"scan:%d" % i for i in range(50))
    out = subprocess.run(cli + ["--bigkeys"], capture_output=True, timeout=30)
    assert out.returncode == 0
    assert b"Biggest string found" in out.stdout and b"scan:49" in out.stdout
    # Without a tty, --latency prints "min max avg samples" when interrupted.
    lat = subprocess.Popen(cli + ["--latency"], stdout=subprocess.PIPE,
                           stdin=subprocess.DEVNULL,
                           stderr=subprocess.STDOUT)
    time.sleep(2.0)
    lat.send_signal(signal.SIGINT)
    fields = lat.communicate(timeout=10)[0].split()
    assert len(fields) == 4 and int(fields[3]) > 10, fields
    st = subprocess.Popen(["stdbuf", "-oL"] + cli + ["--stat", "-i", "0.2"],
                          stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(1.0)
    st.send_signal(signal.SIGINT)
    text = st.communicate(timeout=10)[0]
    assert b"keys" in text and b"requests" in text, text
    lines = [l.split() for l in text.splitlines()[2:] if l.strip()]
    assert lines and lines[0][0] == b"51", lines


def test_redis_benchmark_runs(server):
    out = subprocess.run(["redis-benchmark", "-p", str(server.port), "-t",
                          "set,get,incr,ping", "-P", "16", "-q", "-n", "20000"],
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    for t in ("SET", "GET", "INCR", "PING_INLINE", "PING_MBULK"):
        assert t + ":" in text, text


def _mb(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def test_pipeline_that_changes_state_between_requests(server, r):
    """Requests are parsed (and their keys prefetched) ahead of their turn;
    what runs must still see every earlier request's effect: SELECT,
    FLUSHDB, DEL, a value replaced by another of the same size, MULTI."""
    r.flushall()
    req = b"".join([
        _mb("SET", "k", "aaaa"), _mb("GET", "k"),
        _mb("SET", "k", "bbbb"), _mb("GET", "k"),        # same-size overwrite
        _mb("SELECT", 1), _mb("GET", "k"), _mb("SET", "k", "one"),
        _mb("SELECT", 0), _mb("GET", "k"),
        _mb("DEL", "k"), _mb("GET", "k"),
        _mb("SET", "n", "10"), _mb("INCR", "n"), _mb("SET", "n", "xy"),
        _mb("GET", "n"),
        _mb("MULTI"), _mb("SET", "m", "1"), _mb("GET", "m"), _mb("EXEC"),
        _mb("FLUSHDB"), _mb("GET", "m"), _mb("SELECT", 1), _mb("GET", "k"),
    ])
    want = (b"+OK\r\n$4\r\naaaa\r\n+OK\r\n$4\r\nbbbb\r\n"
            b"+OK\r\n$-1\r\n+OK\r\n+OK\r\n$4\r\nbbbb\r\n"
            b":1\r\n$-1\r\n"
            b"+OK\r\n:11\r\n+OK\r\n$2\r\nxy\r\n"
            b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$1\r\n1\r\n"
            b"+OK\r\n$-1\r\n+OK\r\n$3\r\none\r\n")
    rng = __import__("random").Random(7)
    for chunking in ("whole", "random"):
        c = RawConn(server.port)
        if chunking == "whole":
            c.send(req)
        else:
            pos = 0
            while pos < len(req):     # bounded: every step sends >= 1 byte
                n = rng.randint(1, 40)
                c.send(req[pos:pos + n])
                pos += n
                time.sleep(0.0005)
        got = c.read(23)
        assert got == want, chunking
        c.close()
        r.flushall()


def test_pipeline_stops_at_a_protocol_error_after_valid_requests(server, r):
    c = RawConn(server.port)
    c.send(_mb("SET", "pe", "v") + _mb("GET", "pe") + b"*2\r\nxx\r\n" +
           _mb("SET", "pe", "never"))
    assert c.read(3) == (b"+OK\r\n$1\r\nv\r\n"
                         b"-ERR Protocol error: expected '$', got 'x'\r\n")
    assert c.closed_by_peer()
    assert r.get("pe") == b"v"


def test_pipeline_authenticates_then_runs_commands(start_server):
    """The first requests arrive unauthenticated (parsed with the small
    limits, never ahead); after AUTH in the same write the rest run."""
    s = start_server("--requirepass", "pw")
    c = RawConn(s.port)
    c.send(_mb("GET", "a") + _mb("AUTH", "pw") + _mb("SET", "a", "x" * 20000)
           + _mb("STRLEN", "a") + _mb("GET", "missing"))
    assert c.read(5) == (b"-NOAUTH Authentication required.\r\n+OK\r\n"
                         b"+OK\r\n:20000\r\n$-1\r\n")
