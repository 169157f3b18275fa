#!/usr/bin/python3
"""bench.py: ringcache side by side with stock redis-server (and the null
server, the ceiling), on loopback, on this machine.

    bench/bench.py --build DIR [--smoke] [--rounds N] [--duration-ms MS]
                   [--out DIR] [--md FILE] [--png FILE]

bench/run builds the binaries and calls this; scripts/bench calls bench/run.

Core idea: every server runs pinned to core 0 and the load generator
(build/bench/loadgen) to core 1. Throughput tests interleave the servers:
each test runs once per server per round, with the server order reversed
on every other round (AB, BA, AB, ...), so slow drifts in the machine's
background load hit every server alike. A figure is reported as the median
over rounds of the per-round ratio ringcache/Redis, with the min and max,
beside the medians of the absolute figures.

Phases (each writes raw records into results.json):
  generator   redis-benchmark vs loadgen CPU per request (why loadgen)
  throughput  GET/SET/INCR/MGET(10) at pipeline 1 and 16, 50 connections,
              16-byte values, 100,000 keys (preloaded so GET and MGET hit);
              requests/s, server CPU us per request (= CPU seconds per
              million requests), latency p50/p99/p99.9
  memory      1,000,000 keys (SET, and SETEX with a 1-day TTL) into a fresh,
              warmed server (see warm()): RSS delta and used_memory delta
              per key
  conns       10,000 idle connections (each has sent one PING) to a fresh,
              warmed server: RSS delta per connection
  startup     spawn to first +PONG, from every server start above

Invariant: a failed figure never fails the run; a server that does not
start, a load generator that exits non-zero or reports error replies does
(exit 1), except that an io_uring server that cannot start (io_uring
disabled here) is dropped with a warning.
"""
import argparse
import json
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

REDIS = "redis"
SERVERS = [  # name, kind, backend
    (REDIS, "redis", None),
    ("rc-io_uring", "ringcache", "io_uring"),
    ("rc-epoll", "ringcache", "epoll"),
    ("null-io_uring", "null", "io_uring"),
    ("null-epoll", "null", "epoll"),
]
RC = ["rc-io_uring", "rc-epoll"]
CEILING = {"rc-io_uring": "null-io_uring", "rc-epoll": "null-epoll"}
TESTS = [(c, p) for p in (1, 16) for c in ("get", "set", "incr", "mget")]


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- RESP over a plain socket (no client library needed) ----

def resp_cmd(port, *args, timeout=10.0):
    """Sends one command, returns the raw reply bytes (one reply)."""
    req = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        req += b"$%d\r\n%s\r\n" % (len(a), a)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(req)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
            if buf[:1] != b"$":
                if buf.endswith(b"\r\n"):
                    return buf
                continue
            nl = buf.find(b"\r\n")
            if nl > 0:
                n = int(buf[1:nl])
                if n < 0 or len(buf) >= nl + 2 + n + 2:
                    return buf


def info_field(port, section, field):
    body = resp_cmd(port, "INFO", section).decode(errors="replace")
    for line in body.split("\r\n"):
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    return None


def dbsize(port):
    r = resp_cmd(port, "DBSIZE")
    return int(r[1:].strip()) if r[:1] == b":" else None


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


# ---- servers ----

class Server:
    def __init__(self, bench, name, kind, backend, extra=()):
        self.b, self.name, self.kind, self.backend = bench, name, kind, backend
        self.port = free_port()
        if kind == "redis":
            cmd = ["redis-server", "--port", str(self.port), "--bind",
                   "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--daemonize", "no"]
        elif kind == "ringcache":
            cmd = [bench.bin_rc, "--port", str(self.port), "--bind",
                   "127.0.0.1", "--io-backend", backend, "--save", "",
                   "--appendonly", "no"]
        else:
            cmd = [bench.bin_null, "--port", str(self.port), "--bind",
                   "127.0.0.1", "--io-backend", backend]
        self.cmd = bench.pin_server + cmd + list(extra)
        self.logpath = os.path.join(bench.logdir, "%s-%d.log" %
                                    (name, self.port))
        self.proc = None
        self.startup_ms = None

    def start(self):
        logf = open(self.logpath, "w")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdout=logf,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        logf.close()
        deadline = t0 + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %d; log %s:\n%s" %
                                   (self.name, self.proc.returncode,
                                    self.logpath, self.log_tail()))
            try:
                with socket.create_connection(("127.0.0.1", self.port),
                                              timeout=1) as s:
                    s.sendall(b"*1\r\n$4\r\nPING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        self.startup_ms = (time.monotonic() - t0) * 1e3
                        self.b.record("startup", server=self.name,
                                      ms=self.startup_ms)
                        return self
            except OSError:
                time.sleep(0.0005)
        self.stop()
        raise RuntimeError("%s did not answer PING in 10 s" % self.name)

    @property
    def pid(self):
        return self.proc.pid

    def log_tail(self):
        try:
            with open(self.logpath) as f:
                return "".join(f.readlines()[-15:])
        except OSError:
            return ""

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---- the suite ----

class Bench:
    def __init__(self, a):
        self.a = a
        self.smoke = a.smoke
        self.bin_rc = os.environ.get("BENCH_RC_BIN") or os.path.join(
            a.build, "ringcache")
        self.bin_null = os.path.join(a.build, "bench", "nullserver")
        self.bin_gen = os.path.join(a.build, "bench", "loadgen")
        self.out = a.out
        self.logdir = os.path.join(self.out, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        self.records = []
        ncpu = os.cpu_count() or 1
        if ncpu >= 2:
            self.pin_server = ["taskset", "-c", "0"]
            self.pin_client = ["taskset", "-c", "1"]
        else:
            self.pin_server, self.pin_client = [], []
        self.cpu_server, self.cpu_client = self.pin_server, self.pin_client
        # As root, servers and load generator run at nice -20 so that
        # other work on a shared machine (builds, tests) takes their
        # cores only when they are idle: otherwise its time slices land
        # in the tail latency of whichever server it happens to overlap.
        self.niced = os.geteuid() == 0 and not self.smoke
        if self.niced:
            self.pin_server = ["nice", "-n", "-20"] + self.pin_server
            self.pin_client = ["nice", "-n", "-20"] + self.pin_client
        self.failures = []
        self.servers = list(SERVERS)
        if self.smoke:
            self.rounds, self.dur, self.warm = 1, 0, 0
            self.keys, self.mem_keys, self.idle = 1000, 20000, 200
            self.mem_rounds = 1
        else:
            self.rounds = a.rounds
            self.dur, self.warm = a.duration_ms, 300
            self.keys, self.mem_keys, self.idle = 100000, 1000000, 10000
            self.mem_rounds = max(1, min(a.rounds, 2))
        # 10,000 connections need descriptors on both ends; children
        # inherit the soft limit.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, max(soft, 2 * self.idle + 1000))
        if want > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        self.nofile = want

    def record(self, phase, **kw):
        kw["phase"] = phase
        self.records.append(kw)
        return kw

    def order(self, names, rnd):
        return list(names) if rnd % 2 == 0 else list(reversed(names))

    def loadgen(self, port, *args, pid=None):
        cmd = self.pin_client + [self.bin_gen, "--port", str(port)]
        cmd += [str(x) for x in args]
        if pid:
            cmd += ["--pid", str(pid)]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            raise RuntimeError("loadgen %s failed (%d): %s" %
                               (" ".join(cmd), p.returncode, p.stderr))
        return json.loads(p.stdout.strip().splitlines()[-1])

    def preload(self, srv, n, ttl=None):
        args = ["--cmd", "setex" if ttl else "set", "--seq", "0",
                "--requests", n, "--conns", 4, "--pipeline", 256,
                "--size", 16]
        if ttl:
            args += ["--ttl", ttl]
        r = self.loadgen(srv.port, *args, pid=srv.pid)
        if r["errors"]:
            raise RuntimeError("%s: %d errors while loading" %
                               (srv.name, r["errors"]))
        return r

    def warm_server(self, srv):
        """Traffic that stores nothing (GETs of missing keys, PINGs over
        many connections), so that buffers a server allocates or touches
        once (io_uring's provided-buffer ring, query buffers, reply chunks)
        are in the baseline RSS and not counted per key or per
        connection."""
        n = 2000 if self.smoke else 50000
        self.loadgen(srv.port, "--cmd", "get", "--keys", 1000, "--requests",
                     n, "--conns", 4, "--pipeline", 64, pid=srv.pid)
        self.loadgen(srv.port, "--cmd", "ping", "--requests", n, "--conns",
                     50, "--pipeline", 1, pid=srv.pid)
        time.sleep(0.2)

    def settled_rss(self, srv):
        """RSS once the allocator has returned what the load freed (old
        hash tables, grown arrays). Both servers use jemalloc with a
        10 s dirty-page decay run by a background thread, so 11 s after
        the load every freed page is back with the kernel; watching for a
        quiet spell does not work, since the decay can start seconds late.
        Smoke: 0.5 s. Returns (rss, seconds waited)."""
        wait = 0.5 if self.smoke else 11.0
        time.sleep(wait)
        return rss_bytes(srv.pid), wait

    def start(self, name, extra=()):
        kind, backend = next((k, b) for n, k, b in self.servers if n == name)
        srv = Server(self, name, kind, backend, extra)
        try:
            return srv.start()
        except RuntimeError as e:
            if backend == "io_uring":
                log("WARNING: %s could not start, dropped from the run "
                    "(io_uring unavailable?):\n%s" % (name, e))
                self.servers = [s for s in self.servers if s[0] != name]
                return None
            raise

    # -- phases --

    def phase_generator(self):
        """Client CPU per request of redis-benchmark and loadgen, both
        driving the null server with GET at pipeline 16."""
        srv = self.start("null-epoll") or self.start("null-io_uring")
        n = 20000 if self.smoke else 400000
        try:
            cmd = self.pin_client + [
                "redis-benchmark", "-p", str(srv.port), "-t", "get",
                "-r", str(self.keys), "-d", "16", "-c", "50", "-P", "16",
                "-n", str(n), "-q"]
            t0 = time.monotonic()
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.monotonic() - t0
            p.stdout.close()
            cpu = ru.ru_utime + ru.ru_stime
            self.record("generator", tool="redis-benchmark", requests=n,
                        seconds=wall, rps=n / wall, client_cpu_s=cpu,
                        client_us_per_req=cpu / n * 1e6)
            r = self.loadgen(srv.port, "--cmd", "get", "--pipeline", 16,
                             "--conns", 50, "--keys", self.keys,
                             "--requests", n, pid=srv.pid)
            self.record("generator", tool="loadgen", requests=r["requests"],
                        seconds=r["seconds"], rps=r["rps"],
                        client_cpu_s=r["client_cpu_s"],
                        client_us_per_req=r["client_cpu_s"] /
                        max(1, r["requests"]) * 1e6)
        finally:
            srv.stop()

    def start_loaded(self, names, live):
        """Starts each server (into live, so the caller stops them all
        whatever happens) and loads the keys the tests read; returns the
        names of those that started."""
        for name in names:
            srv = self.start(name)
            if srv:
                live[name] = srv
                if srv.kind != "null":
                    self.preload(srv, self.keys)
        return [n for n in names if n in live]

    def phase_throughput(self):
        names = [n for n, _, _ in self.servers]
        live = {}
        try:
            names = self.start_loaded(names, live)
            for rnd in range(self.rounds):
                log("round %d/%d (%s)" % (rnd + 1, self.rounds,
                                          " ".join(self.order(names, rnd))))
                for cmd, pipe in TESTS:
                    for name in self.order(names, rnd):
                        srv = live[name]
                        # Smoke: a fixed small count (always completes,
                        # however busy the machine); full: a timed window.
                        span = (["--requests", 50 * pipe * 4]
                                if self.smoke else
                                ["--warmup-ms", self.warm,
                                 "--duration-ms", self.dur])
                        r = self.loadgen(
                            srv.port, "--cmd", cmd, "--pipeline", pipe,
                            "--conns", 50, "--keys", self.keys, "--size", 16,
                            "--mget", 10, "--seed", rnd + 1, *span,
                            pid=srv.pid)
                        if r["errors"] or not r["requests"]:
                            raise RuntimeError("%s %s P%d: %d errors, %d "
                                               "requests" % (name, cmd, pipe,
                                                             r["errors"],
                                                             r["requests"]))
                        cpu = r["server_run_s"]
                        if cpu is None or cpu < 0:
                            cpu = r["server_cpu_s"]
                        r.update(server=name, round=rnd, test=cmd,
                                 us_per_req=cpu / r["requests"] * 1e6,
                                 server_util=cpu / r["seconds"],
                                 client_util=r["client_cpu_s"] /
                                 r["seconds"])
                        self.record("throughput", **r)
        finally:
            for srv in live.values():
                srv.stop()

    def phase_latency(self):
        """p50/p99/p99.9 at the same offered load for every server: GET and
        SET at pipeline 1 over 50 connections, open loop at --lat-rate
        requests/s (loadgen --rate), far below either server's capacity,
        so the figure is each server's response time and not its queue.
        As root, servers and load generator run SCHED_FIFO here (chrt): a
        server idle most of the time is otherwise woken behind whatever
        else runs on its core, and that wait is what p99 would show."""
        names = [n for n, k, _ in self.servers if k != "null"]
        saved = (self.pin_server, self.pin_client)
        if os.geteuid() == 0 and not self.smoke:
            self.pin_server = ["chrt", "-f", "10"] + self.cpu_server
            self.pin_client = ["chrt", "-f", "10"] + self.cpu_client
        live = {}
        try:
            names = self.start_loaded(names, live)
            for rnd in range(self.rounds):
                for cmd in ("get", "set"):
                    for name in self.order(names, rnd):
                        srv = live[name]
                        span = (["--requests", 400] if self.smoke else
                                ["--warmup-ms", self.warm,
                                 "--duration-ms", self.a.lat_ms])
                        r = self.loadgen(
                            srv.port, "--cmd", cmd, "--pipeline", 1,
                            "--conns", 50, "--keys", self.keys, "--size", 16,
                            "--rate", self.a.lat_rate, "--seed", rnd + 1,
                            *span, pid=srv.pid)
                        if r["errors"] or not r["requests"]:
                            raise RuntimeError("%s %s at a fixed load: %d "
                                               "errors" % (name, cmd,
                                                           r["errors"]))
                        r.update(server=name, round=rnd, test=cmd)
                        self.record("latency", **r)
        finally:
            for srv in live.values():
                srv.stop()
            self.pin_server, self.pin_client = saved

    def phase_eviction(self):
        """Serving at maxmemory: each server runs with --maxmemory
        --evict-mb and allkeys-lru, is filled past it, then takes SET at
        pipeline 16 over a key space about 4x what fits (every SET of a new
        key evicts) and GET over the same key space (the hit rate shows how
        many keys each keeps in the same memory and how well its sampled
        LRU picks victims). Figures: server CPU per request, hit rate,
        used_memory against the limit, keys held."""
        names = [n for n in (REDIS, "rc-io_uring", "rc-epoll")
                 if any(s[0] == n for s in self.servers)]
        mb = 8 if self.smoke else self.a.evict_mb
        space = mb * 1024 * 1024 // 60 * 4
        extra = ("--maxmemory", "%dmb" % mb,
                 "--maxmemory-policy", "allkeys-lru")
        for rnd in range(1 if self.smoke else self.mem_rounds):
            for name in self.order(names, rnd):
                srv = self.start(name, extra)
                if not srv:
                    continue
                try:
                    self.loadgen(srv.port, "--cmd", "set", "--seq", 0,
                                 "--requests", space, "--conns", 4,
                                 "--pipeline", 256, "--size", 16,
                                 pid=srv.pid)
                    span = (["--requests", 4000] if self.smoke else
                            ["--warmup-ms", self.warm,
                             "--duration-ms", self.dur])
                    for cmd in ("set", "get"):
                        ev0 = info_field(srv.port, "stats", "evicted_keys")
                        h0 = info_field(srv.port, "stats", "keyspace_hits")
                        m0 = info_field(srv.port, "stats", "keyspace_misses")
                        r = self.loadgen(srv.port, "--cmd", cmd,
                                         "--pipeline", 16, "--conns", 50,
                                         "--keys", space, "--size", 16,
                                         # GET draws other keys than
                                         # the SETs just written
                                         "--seed", rnd + 1 +
                                         (100 if cmd == "get" else 0),
                                         *span, pid=srv.pid)
                        ev1 = info_field(srv.port, "stats", "evicted_keys")
                        h1 = info_field(srv.port, "stats", "keyspace_hits")
                        m1 = info_field(srv.port, "stats", "keyspace_misses")
                        used = info_field(srv.port, "memory", "used_memory")
                        cpu = r["server_run_s"]
                        if cpu is None or cpu < 0:
                            cpu = r["server_cpu_s"]
                        looked = (h1 - h0) + (m1 - m0)
                        self.record(
                            "eviction", server=name, round=rnd, test=cmd,
                            maxmemory=mb * 1024 * 1024, used_memory=used,
                            keys=dbsize(srv.port), space=space,
                            evicted=ev1 - ev0, errors=r["errors"],
                            requests=r["requests"], rps=r["rps"],
                            us_per_req=cpu / max(1, r["requests"]) * 1e6,
                            hit_rate=(h1 - h0) / looked if looked else None)
                        if r["errors"]:
                            raise RuntimeError("%s: %d errors at maxmemory"
                                               % (name, r["errors"]))
                finally:
                    srv.stop()

    def phase_memory(self):
        names = [n for n in (REDIS, "rc-io_uring", "rc-epoll")
                 if any(s[0] == n for s in self.servers)][:2]
        for rnd in range(self.mem_rounds):
            for name in self.order(names, rnd):
                for ttl in (None, 86400):
                    srv = self.start(name)
                    if not srv:
                        continue
                    try:
                        fresh = rss_bytes(srv.pid)
                        self.warm_server(srv)
                        rss0 = rss_bytes(srv.pid)
                        used0 = info_field(srv.port, "memory", "used_memory")
                        t0 = time.monotonic()
                        self.preload(srv, self.mem_keys, ttl)
                        secs = time.monotonic() - t0
                        time.sleep(0.2)
                        rss_now = rss_bytes(srv.pid)
                        rss1, settle_s = self.settled_rss(srv)
                        used1 = info_field(srv.port, "memory", "used_memory")
                        n = dbsize(srv.port)
                        if n != self.mem_keys:
                            raise RuntimeError("%s: DBSIZE %s after loading "
                                               "%d keys" % (name, n,
                                                            self.mem_keys))
                        self.record("memory", server=name, round=rnd,
                                    ttl=bool(ttl), keys=n, load_s=secs,
                                    rss_fresh=fresh, rss0=rss0,
                                    rss_at_load_end=rss_now,
                                    settle_s=settle_s,
                                    rss_per_key_at_load_end=(rss_now - rss0)
                                    / n, rss1=rss1, used0=used0,
                                    used1=used1,
                                    rss_per_key=(rss1 - rss0) / n,
                                    used_per_key=(used1 - used0) / n)
                    finally:
                        srv.stop()

    def phase_conns(self):
        names = [n for n in (REDIS, "rc-io_uring", "rc-epoll")
                 if any(s[0] == n for s in self.servers)]
        extra = ["--maxclients", str(self.idle + 100)]
        for rnd in range(self.mem_rounds):
            for name in self.order(names, rnd):
                srv = self.start(name, extra)
                if not srv:
                    continue
                try:
                    fresh = rss_bytes(srv.pid)
                    self.warm_server(srv)
                    rss0 = rss_bytes(srv.pid)
                    used0 = info_field(srv.port, "memory", "used_memory")
                    cmd = self.pin_client + [self.bin_gen, "--port",
                                             str(srv.port), "--idle",
                                             str(self.idle)]
                    g = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)
                    line = g.stdout.readline()
                    if not line:
                        g.wait()
                        raise RuntimeError("%s: idle loadgen failed (%d)" %
                                           (name, g.returncode))
                    r = json.loads(line)
                    time.sleep(0.3)
                    rss1 = rss_bytes(srv.pid)
                    used1 = info_field(srv.port, "memory", "used_memory")
                    clients = info_field(srv.port, "clients",
                                         "connected_clients")
                    g.stdin.write("\n")
                    g.stdin.close()
                    g.wait(timeout=60)
                    if r["errors"]:
                        raise RuntimeError("%s: %d of %d PINGs failed" %
                                           (name, r["errors"], self.idle))
                    self.record("conns", server=name, round=rnd,
                                conns=self.idle, clients=clients,
                                open_s=r["open_seconds"], rss_fresh=fresh,
                                rss0=rss0,
                                rss1=rss1, used0=used0, used1=used1,
                                rss_per_conn=(rss1 - rss0) / self.idle,
                                used_per_conn=(used1 - used0) / self.idle)
                finally:
                    srv.stop()

    def env(self):
        try:
            rv = subprocess.run(["redis-server", "--version"],
                                capture_output=True, text=True).stdout.strip()
        except OSError:
            rv = "?"
        return {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "host": platform.node(), "kernel": platform.release(),
            "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
            "redis": rv, "smoke": self.smoke, "rounds": self.rounds,
            "ringcache_rev": os.environ.get("BENCH_RC_REV", "worktree"),
            "ringcache_bin": self.bin_rc,
            "duration_ms": self.dur, "warmup_ms": self.warm,
            "keys": self.keys, "mem_keys": self.mem_keys,
            "idle_conns": self.idle, "nofile": self.nofile,
            "pinning": ("server cpu 0, client cpu 1"
                        if os.cpu_count() and os.cpu_count() >= 2
                        else "none (1 cpu)")
            + (", both at nice -20" if self.niced else ""),
        }

    def run(self):
        env = self.env()
        t0 = time.monotonic()
        phases = [("generator", self.phase_generator),
                  ("throughput", self.phase_throughput),
                  ("latency", self.phase_latency),
                  ("eviction", self.phase_eviction),
                  ("memory", self.phase_memory),
                  ("conns", self.phase_conns)]
        for name, fn in phases:
            if self.a.only and name not in self.a.only.split(","):
                continue
            log("== %s" % name)
            t = time.monotonic()
            fn()
            log("   %.1f s" % (time.monotonic() - t))
        env["loadavg_end"] = os.getloadavg()
        env["wall_s"] = time.monotonic() - t0
        return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--duration-ms", type=int, default=1500)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--md", help="write the results table here")
    ap.add_argument("--png", help="draw the chart here")
    ap.add_argument("--only", help="comma list of phases to run")
    ap.add_argument("--lat-rate", type=int, default=20000,
                    help="offered load of the latency phase, requests/s")
    ap.add_argument("--evict-mb", type=int, default=64,
                    help="maxmemory of the eviction phase, MB")
    ap.add_argument("--lat-ms", type=int, default=4000,
                    help="measured window per latency test: a tail "
                         "percentile needs more samples than a mean")
    ap.add_argument("--render", metavar="JSON",
                    help="only redraw the table and chart from a results.json")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import report  # noqa: E402  (bench/report.py)

    if a.render:
        with open(a.render) as f:
            res = json.load(f)
        res["summary"] = report.summarize(res["records"])
        md = report.markdown(res)
        print(md)
        if a.md:
            with open(a.md, "w") as f:
                f.write(md)
        return 0 if report.chart(res, a.png or os.path.join(
            a.out, "results.png"), a.out) else 1

    b = Bench(a)
    try:
        env = b.run()
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        print("bench: FAILED: %s" % e, file=sys.stderr)
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump({"error": str(e), "records": b.records}, f, indent=1)
        return 1
    summary = report.summarize(b.records)
    res = {"env": env, "summary": summary, "records": b.records}
    path = os.path.join(a.out, "results.json")
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
    md = report.markdown(res)
    print(md)
    if a.md:
        with open(a.md, "w") as f:
            f.write(md)
    png = a.png or os.path.join(a.out, "results.png")
    if not report.chart(res, png, a.out):
        print("bench: WARNING: no chart (gnuplot failed)", file=sys.stderr)
    log("raw numbers: %s; chart: %s; %.0f s" % (path, png, env["wall_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
