"""Fixtures for the integration suite: real ringcache processes, real clients.

Environment:
  RINGCACHE_BIN         server binary (default: build/ringcache)
  RINGCACHE_IO_BACKEND  io-backend to start with (auto, io_uring, epoll)
  RINGCACHE_SANITIZED   1 when the binary is an ASan/UBSan build: a server
                        that printed a sanitizer report fails the test.

Fixtures:
  server        a ringcache started for the test module (shared by its tests)
  r             redis.Redis (RESP2, bytes) to `server`, after FLUSHALL
  r3            a RawConn already switched to RESP3 with HELLO 3
  raw           raw(bytes, n=1) -> bytes: n exact replies to a raw request
  start_server  start_server(*args) -> Server, for tests needing options
"""
import os
import signal
import socket
import subprocess
import time

import pytest
import redis

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("RINGCACHE_BIN", os.path.join(ROOT, "build", "ringcache"))
BACKEND = os.environ.get("RINGCACHE_IO_BACKEND", "auto")
SANITIZED = os.environ.get("RINGCACHE_SANITIZED") == "1"
START_TIMEOUT = 30 if SANITIZED else 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_pong(proc, port, timeout):
    """Waits until a server process answers PING on port. Returns None, or
    why it did not ("exited" / "timeout"); the caller reports and stops."""
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            return "exited"
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64):
                    return None
        except OSError:
            pass
        if time.time() > deadline:
            return "timeout"
        time.sleep(0.02)


class Server:
    """One ringcache process on 127.0.0.1:<port>, owned by the test."""

    def __init__(self, *args, port=None, config_file=None):
        self.port = port or free_port()
        self.logpath = "/tmp/ringcache-test-%d-%d.log" % (os.getpid(), self.port)
        cmd = [BIN]
        if config_file:
            cmd.append(config_file)
        cmd += ["--port", str(self.port), "--bind", "127.0.0.1",
                "--io-backend", BACKEND]
        cmd += [str(a) for a in args]
        self.log = open(self.logpath, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        why = wait_for_pong(self.proc, self.port, START_TIMEOUT)
        if why == "exited":
            raise RuntimeError("ringcache exited at start:\n" + self.output())
        if why:
            self.stop()
            raise RuntimeError("ringcache did not start:\n" + self.output())

    def client(self, **kw):
        kw.setdefault("socket_timeout", 20)
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    def output(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.logpath, "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Stops the server; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        out = self.output()
        if SANITIZED and ("AddressSanitizer" in out or "runtime error:" in out
                          or "LeakSanitizer" in out):
            raise AssertionError("sanitizer report:\n" + out)
        return self.proc.returncode


class RawConn:
    """A plain socket speaking RESP, for exact reply bytes."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed by server")
        self.buf += chunk

    def _line(self, pos):
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return i
            self._fill()

    def _skip(self, pos):
        """Returns the end offset of the reply starting at pos."""
        end = self._line(pos)
        t = self.buf[pos:pos + 1]
        if t in (b"+", b"-", b":", b",", b"_", b"#", b"("):
            return end + 2
        if t in (b"$", b"=", b"!"):
            n = int(self.buf[pos + 1:end])
            if n < 0:
                return end + 2
            while len(self.buf) < end + 2 + n + 2:
                self._fill()
            return end + 2 + n + 2
        if t in (b"*", b"~", b">", b"%", b"|"):
            n = int(self.buf[pos + 1:end])
            if t in (b"%", b"|"):
                n *= 2
            p = end + 2
            for _ in range(max(n, 0)):
                p = self._skip(p)
            if t == b"|":
                p = self._skip(p)
            return p
        raise AssertionError("bad reply byte %r in %r" % (t, self.buf[:200]))

    def read(self, n=1):
        """Returns the bytes of the next n replies."""
        end = 0
        for _ in range(n):
            if end >= len(self.buf):
                self._fill()
            end = self._skip(end)
        out, self.buf = self.buf[:end], self.buf[end:]
        return out

    def cmd(self, *args):
        """Sends one command as a multibulk and returns its reply bytes."""
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.send(b"".join(parts))
        return self.read()

    def closed_by_peer(self, timeout=5):
        """True if the server closes the connection within timeout."""
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    rc = s.stop()
    assert rc == 0, "server exit code %r\n%s" % (rc, s.output())


@pytest.fixture
def r(server):
    c = server.client()
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def r3(server, r):
    c = RawConn(server.port)
    c.cmd("HELLO", "3")
    yield c
    c.close()


@pytest.fixture
def raw(server, r):
    conns = []

    def do(data, n=1):
        c = RawConn(server.port)
        conns.append(c)
        c.send(data)
        return c.read(n)

    yield do
    for c in conns:
        c.close()


@pytest.fixture
def start_server():
    started = []

    def do(*args, **kw):
        s = Server(*args, **kw)
        started.append(s)
        return s

    yield do
    for s in started:
        s.stop()
