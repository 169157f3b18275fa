"""report.py: turns bench.py's raw records into the summary (medians of
per-round ratios), the markdown table (bench/RESULTS.md) and the gnuplot
chart (bench/results.png).

Conventions: a ratio is ringcache / Redis for throughput, latency and memory
(throughput: higher is better; latency and memory: lower is better), and
Redis / ringcache for CPU per request, so that it reads as "requests per
server-CPU-second, relative to Redis" (higher is better), as the targets are
phrased. "Of ceiling" is the same efficiency relative to the null server on
the same io backend (1.0 = as cheap as a server that stores nothing).
Every ratio is computed within one round and then summarized as the median
over rounds with the min and max.
"""
import os
import statistics
import subprocess

REDIS = "redis"
RC = ["rc-io_uring", "rc-epoll"]
CEILING = {"rc-io_uring": "null-io_uring", "rc-epoll": "null-epoll"}
LABEL = {"redis": "Redis 7.0", "rc-io_uring": "ringcache io_uring",
         "rc-epoll": "ringcache epoll", "null-io_uring": "null io_uring",
         "null-epoll": "null epoll"}
TEST_ORDER = [(c, p) for p in (1, 16) for c in ("get", "set", "incr", "mget")]


def stat(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs),
            "n": len(xs)}


def tkey(cmd, pipe):
    return "%s P%d" % (cmd.upper(), pipe)


def by(records, phase, **match):
    out = []
    for r in records:
        if r.get("phase") != phase:
            continue
        if all(r.get(k) == v for k, v in match.items()):
            out.append(r)
    return out


def round_ratio(rows, a, b, field, invert=False):
    """Per-round field(a)/field(b) (or b/a when invert), over rounds where
    both ran."""
    ra = {r["round"]: r[field] for r in rows if r["server"] == a}
    rb = {r["round"]: r[field] for r in rows if r["server"] == b}
    out = []
    for k in sorted(set(ra) & set(rb)):
        x, y = (rb[k], ra[k]) if invert else (ra[k], rb[k])
        if x is not None and y:
            out.append(x / y)
    return stat(out)


def summarize(records):
    s = {"throughput": {}, "latency": {}, "eviction": {}, "memory": {},
         "conns": {}, "startup": {}, "generator": {}}
    servers = sorted({r["server"] for r in records if "server" in r})
    for cmd, pipe in TEST_ORDER:
        rows = by(records, "throughput", test=cmd, pipeline=pipe)
        if not rows:
            continue
        t = {"abs": {}, "vs_redis": {}, "of_ceiling": {}}
        for srv in servers:
            mine = [r for r in rows if r["server"] == srv]
            if not mine:
                continue
            t["abs"][srv] = {f: stat([r[f] for r in mine]) for f in
                             ("rps", "us_per_req", "p50_us", "p99_us",
                              "p999_us", "server_util", "client_util")}
        for srv in servers:
            if srv == REDIS or srv not in t["abs"]:
                continue
            t["vs_redis"][srv] = {
                "rps": round_ratio(rows, srv, REDIS, "rps"),
                "efficiency": round_ratio(rows, srv, REDIS, "us_per_req",
                                          invert=True),
                "p50": round_ratio(rows, srv, REDIS, "p50_us"),
                "p99": round_ratio(rows, srv, REDIS, "p99_us"),
                "p999": round_ratio(rows, srv, REDIS, "p999_us"),
            }
            ceil = CEILING.get(srv)
            if ceil and ceil in t["abs"]:
                t["of_ceiling"][srv] = {
                    "efficiency": round_ratio(rows, srv, ceil, "us_per_req",
                                              invert=True),
                    "rps": round_ratio(rows, srv, ceil, "rps"),
                }
        s["throughput"][tkey(cmd, pipe)] = t
    for cmd in ("get", "set"):
        rows = by(records, "latency", test=cmd)
        if not rows:
            continue
        t = {"abs": {}, "vs_redis": {}, "rate": rows[0].get("rate")}
        for srv in sorted({r["server"] for r in rows}):
            mine = [r for r in rows if r["server"] == srv]
            t["abs"][srv] = {f: stat([r[f] for r in mine]) for f in
                             ("rps", "p50_us", "p99_us", "p999_us")}
            if srv != REDIS:
                t["vs_redis"][srv] = {
                    q: round_ratio(rows, srv, REDIS, q + "_us")
                    for q in ("p50", "p99", "p999")}
        s["latency"][tkey(cmd, 1)] = t
    for cmd in ("set", "get"):
        rows = by(records, "eviction", test=cmd)
        if not rows:
            continue
        t = {"abs": {}, "vs_redis": {}}
        for srv in sorted({r["server"] for r in rows}):
            mine = [r for r in rows if r["server"] == srv]
            t["abs"][srv] = {f: stat([r.get(f) for r in mine]) for f in
                             ("us_per_req", "hit_rate", "used_memory",
                              "maxmemory", "keys", "evicted", "space")}
            if srv != REDIS:
                t["vs_redis"][srv] = {
                    "efficiency": round_ratio(rows, srv, REDIS,
                                              "us_per_req", invert=True),
                    "keys": round_ratio(rows, srv, REDIS, "keys")}
        s["eviction"][tkey(cmd, 16)] = t
    for ttl in (False, True):
        rows = by(records, "memory", ttl=ttl)
        key = "ttl" if ttl else "no_ttl"
        m = {"abs": {}, "vs_redis": {}}
        for srv in sorted({r["server"] for r in rows}):
            mine = [r for r in rows if r["server"] == srv]
            fields = ("rss_per_key", "used_per_key",
                      "rss_per_key_at_load_end")
            m["abs"][srv] = {f: stat([r.get(f) for r in mine])
                             for f in fields}
            if srv != REDIS:
                m["vs_redis"][srv] = {
                    f: round_ratio([r for r in rows if f in r], srv, REDIS,
                                   f) for f in fields}
        s["memory"][key] = m
    rows = by(records, "conns")
    for srv in sorted({r["server"] for r in rows}):
        mine = [r for r in rows if r["server"] == srv]
        s["conns"][srv] = {f: stat([r[f] for r in mine])
                           for f in ("rss_per_conn", "used_per_conn")}
        if srv != REDIS:
            s["conns"][srv]["vs_redis"] = {
                f: round_ratio(rows, srv, REDIS, f)
                for f in ("rss_per_conn", "used_per_conn")}
    for r in by(records, "startup"):
        s["startup"].setdefault(r["server"], []).append(r["ms"])
    s["startup"] = {k: stat(v) for k, v in s["startup"].items()}
    for r in by(records, "generator"):
        s["generator"][r["tool"]] = r
    return s


# ---- markdown ----

def fnum(x, nd=None):
    if x is None:
        return "-"
    if nd is None:
        nd = 0 if abs(x) >= 100 else (1 if abs(x) >= 10 else 2)
    return "{:,.{}f}".format(x, nd)


def fmed(st, nd=None):
    return fnum(st["median"], nd) if st else "-"


def fratio(st):
    if not st:
        return "-"
    if st["n"] == 1:
        return "%.2f" % st["median"]
    return "%.2f (%.2f–%.2f)" % (st["median"], st["min"], st["max"])


def present(s, names):
    tables = (list(s["throughput"].values()) +
              list((s.get("eviction") or {}).values()))
    return [n for n in names if any(n in t["abs"] for t in tables)]


def md_throughput(s):
    rcs = present(s, RC)
    nulls = present(s, ["null-io_uring", "null-epoll"])
    lines = ["## Throughput (requests/s; 50 connections, 16-byte values, "
             "100,000 keys)", ""]
    head = ["test", "Redis"]
    for rc in rcs:
        head += [LABEL[rc], "× Redis"]
    head += [LABEL[n] for n in nulls]
    lines += ["| " + " | ".join(head) + " |",
              "|" + "---|" * len(head)]
    for k, t in s["throughput"].items():
        row = [k, fmed(t["abs"].get(REDIS, {}).get("rps"))]
        for rc in rcs:
            row += [fmed(t["abs"].get(rc, {}).get("rps")),
                    fratio(t["vs_redis"].get(rc, {}).get("rps"))]
        row += [fmed(t["abs"].get(n, {}).get("rps")) for n in nulls]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Busy fraction of each side's core (CPU s / wall s, "
              "median): server / load generator. Below ~90% for both, other "
              "work on the machine was taking the cores.", "",
              "| test | " + " | ".join(LABEL[n] for n in [REDIS] + rcs) +
              " |", "|" + "---|" * (2 + len(rcs))]
    for k, t in s["throughput"].items():
        row = [k]
        for n in [REDIS] + rcs:
            a = t["abs"].get(n)
            row.append("%.0f%% / %.0f%%" % (
                100 * a["server_util"]["median"],
                100 * a["client_util"]["median"]) if a else "-")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    return lines


def md_cpu(s):
    rcs = present(s, RC)
    lines = ["## Server CPU per request (µs = CPU seconds per million "
             "requests; lower is better)", "",
             "Ratios: requests per server-CPU-second relative to Redis "
             "(higher is better), and the same relative to the null server "
             "on the same backend (\"of ceiling\", 1.0 = no cost beyond the "
             "kernel and the loop).", ""]
    head = ["test", "Redis", "null io_uring", "null × Redis"]
    for rc in rcs:
        head += [LABEL[rc], "× Redis", "of ceiling"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k, t in s["throughput"].items():
        row = [k, fmed(t["abs"].get(REDIS, {}).get("us_per_req"), 2),
               fmed(t["abs"].get("null-io_uring", {}).get("us_per_req"), 2),
               fratio(t["vs_redis"].get("null-io_uring", {})
                      .get("efficiency"))]
        for rc in rcs:
            row += [fmed(t["abs"].get(rc, {}).get("us_per_req"), 2),
                    fratio(t["vs_redis"].get(rc, {}).get("efficiency")),
                    fratio(t["of_ceiling"].get(rc, {}).get("efficiency"))]
        lines.append("| " + " | ".join(row) + " |")
    return lines + [""]


def latency_table(s, title, tests):
    """A p50 / p99 / p99.9 table, one row per (name, summary) in tests."""
    rcs = present(s, RC)
    head = ["test", "Redis"]
    for rc in rcs:
        head += [LABEL[rc], "p99 × Redis"]
    lines = title + ["| " + " | ".join(head) + " |",
                     "|" + "---|" * len(head)]
    for k, t in tests:
        def trio(srv):
            a = t["abs"].get(srv)
            if not a:
                return "-"
            return " / ".join(fmed(a[f]) for f in ("p50_us", "p99_us",
                                                    "p999_us"))
        row = [k, trio(REDIS)]
        for rc in rcs:
            row += [trio(rc), fratio(t["vs_redis"].get(rc, {}).get("p99"))]
        lines.append("| " + " | ".join(row) + " |")
    return lines + [""]


def md_fixed_latency(s):
    lat = s.get("latency") or {}
    if not lat:
        return []
    rate = next(iter(lat.values())).get("rate")
    title = ["## Latency at the same load (µs, p50 / p99 / p99.9; pipeline "
             "1, 50 connections, open loop at %s requests/s)" % fnum(rate),
             "", "Every server gets the same offered load, far below its "
             "capacity; latency counts from each request's scheduled send "
             "time. The p99 targets are judged here.", ""]
    return latency_table(s, title, lat.items())


def md_latency(s):
    title = ["## Latency at pipeline 1 in the throughput test (µs, p50 / "
             "p99 / p99.9; 50 connections, closed loop: each server at its "
             "own throughput)", ""]
    return latency_table(s, title, [(k, t) for k, t in
                                    s["throughput"].items()
                                    if k.endswith(" P1")])


def md_eviction(s):
    ev = s.get("eviction") or {}
    if not ev:
        return []
    any_t = next(iter(ev.values()))
    a = next(iter(any_t["abs"].values()))
    lines = ["## Serving at maxmemory (allkeys-lru, maxmemory %s MB; "
             "pipeline 16, 50 connections, random keys from a space of %s, "
             "about 4x what fits)" % (
                 fnum(a["maxmemory"]["median"] / 1048576),
                 fnum(a["space"]["median"])), "",
             "| test | server | µs/request | × Redis (requests per "
             "CPU-second) | keys held | keys × Redis | GET hit rate | "
             "used_memory / maxmemory | evicted in the window |",
             "|---|---|---|---|---|---|---|---|---|"]
    for k, t in ev.items():
        for srv in [REDIS] + present(s, RC):
            a = t["abs"].get(srv)
            if not a:
                continue
            v = t["vs_redis"].get(srv, {})
            hit = a["hit_rate"]
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %.3f | %s |" % (
                k, LABEL.get(srv, srv), fmed(a["us_per_req"], 2),
                fratio(v.get("efficiency")) if v else "1",
                fmed(a["keys"]), fratio(v.get("keys")) if v else "1",
                "%.1f%%" % (100 * hit["median"])
                if k.startswith("GET") and hit and hit.get("median")
                is not None else "-",
                a["used_memory"]["median"] / a["maxmemory"]["median"],
                fmed(a["evicted"])))
    return lines + [""]


def md_memory(s, env):
    lines = ["## Memory", "",
             "| figure | Redis | ringcache | ringcache × Redis |",
             "|---|---|---|---|"]
    for key, label in (("no_ttl", "no TTL"), ("ttl", "with TTL")):
        m = s["memory"].get(key)
        if not m:
            continue
        rc = next((r for r in RC if r in m["abs"]), None)
        for f, fl in (("rss_per_key", "RSS settled"),
                      ("used_per_key", "used_memory"),
                      ("rss_per_key_at_load_end", "RSS right after the load")):
            if not m["abs"].get(REDIS, {}).get(f):
                continue
            lines.append("| bytes/key, %s, %s (%s keys) | %s | %s | %s |" % (
                label, fl, fnum(env.get("mem_keys")),
                fmed(m["abs"].get(REDIS, {}).get(f), 1),
                fmed(m["abs"].get(rc, {}).get(f), 1) if rc else "-",
                fratio(m["vs_redis"].get(rc, {}).get(f)) if rc else "-"))
    c = s["conns"]
    for rc in RC:
        if rc not in c or REDIS not in c:
            continue
        for f, fl in (("rss_per_conn", "RSS"), ("used_per_conn",
                                                 "used_memory")):
            lines.append("| bytes/idle connection, %s (%s, %s conns) | %s | "
                         "%s | %s |" % (fl, LABEL[rc].split()[1],
                                        fnum(env.get("idle_conns")),
                                        fmed(c[REDIS][f], 0),
                                        fmed(c[rc][f], 0),
                                        fratio(c[rc]["vs_redis"][f])))
    return lines + [""]


def md_startup(s):
    lines = ["## Startup to first PONG (ms, median (min–max) over every "
             "start in the run)", "", "| server | ms |", "|---|---|"]
    for srv, st in sorted(s["startup"].items()):
        lines.append("| %s | %s |" % (LABEL.get(srv, srv),
                                      "%.1f (%.1f–%.1f), n=%d" % (
                                          st["median"], st["min"], st["max"],
                                          st["n"])))
    return lines + [""]


def check(ok):
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def md_targets(s):
    lines = ["## Targets (issue 5)", "",
             "| target | measured (median, min–max) | met |", "|---|---|---|"]
    tp = s["throughput"]
    for rc in present(s, RC):
        for k, want in (("GET P1", 1.3), ("SET P1", 1.3), ("GET P16", 1.6),
                        ("SET P16", 1.6)):
            st = tp.get(k, {}).get("vs_redis", {}).get(rc, {}).get(
                "efficiency")
            lines.append("| %s %s: requests per CPU-second ≥ %.1f× Redis | "
                         "%s | %s |" % (LABEL[rc], k, want, fratio(st),
                                        check(st and st["median"] >= want)))
        for k in ("GET P1", "SET P1"):
            st = s.get("latency", {}).get(k, {}).get("vs_redis", {}).get(
                rc, {}).get("p99")
            lines.append("| %s %s: p99 ≤ Redis at the same load | %s | %s |"
                         % (LABEL[rc], k, fratio(st),
                            check(st and st["median"] <= 1.0)))
    for key, label in (("no_ttl", "no TTL"), ("ttl", "with TTL")):
        m = s["memory"].get(key, {}).get("vs_redis", {})
        for rc, v in m.items():
            for f, fl in (("rss_per_key", "RSS settled"),
                          ("used_per_key", "used_memory")):
                st = v.get(f)
                lines.append("| bytes/key %s (%s) ≤ 0.6× Redis | %s | %s |" %
                             (label, fl, fratio(st),
                              check(st and st["median"] <= 0.6)))
    for rc in RC:
        v = s["conns"].get(rc, {}).get("vs_redis")
        if v:
            st = v["rss_per_conn"]
            lines.append("| %s memory per idle connection (RSS) < Redis | "
                         "%s | %s |" % (LABEL[rc], fratio(st),
                                        check(st and st["median"] < 1.0)))
    return lines + [""]


def md_generator(s):
    g = s["generator"]
    if not g:
        return []
    lines = ["## Load generator", "",
             "Client CPU per request driving the null server with GET at "
             "pipeline 16 (50 connections), same core:", "",
             "| tool | req/s | client CPU µs/request |", "|---|---|---|"]
    for tool in ("redis-benchmark", "loadgen"):
        if tool in g:
            lines.append("| %s | %s | %.2f |" % (tool, fnum(g[tool]["rps"]),
                                                 g[tool]["client_us_per_req"]))
    return lines + [""]


def markdown(res):
    env, s = res["env"], res["summary"]
    la0 = " ".join("%.2f" % x for x in env["loadavg_start"])
    la1 = " ".join("%.2f" % x for x in env.get("loadavg_end", ()))
    lines = [
        "# ringcache vs %s" % env["redis"].split(" sha=")[0], "",
        "ringcache commit %s. "
        "Run %s on %s (%s CPUs, kernel %s); %s. %d round(s) alternating "
        "the server order, %s. Load average "
        "(1/5/15 min) at start %s, at end %s: other work shared the machine, "
        "so judge by CPU per request and the ratios, which are paired within "
        "each round. Produced by `scripts/bench`; raw numbers in "
        "bench/out/results.json; what each figure means: bench/NOTES.md." % (
            env.get("ringcache_rev", "?"),
            env["date"], env["host"], env["cpus"], env["kernel"],
            env["pinning"], env["rounds"],
            "200 batches per test" if env.get("smoke") else
            "%d ms per test after %d ms warm-up" % (env["duration_ms"],
                                                    env["warmup_ms"]),
            la0, la1),
        ""]
    if env.get("smoke"):
        lines += ["**Smoke run: tiny request counts; the figures mean "
                  "nothing.**", ""]
    lines += md_targets(s) + md_cpu(s) + md_throughput(s)
    lines += md_fixed_latency(s) + md_latency(s) + md_eviction(s)
    lines += md_memory(s, env) + md_startup(s) + md_generator(s)
    return "\n".join(lines)


# ---- chart ----

def write_dat(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(" ".join(str(x) for x in r) + "\n")


def triple(st):
    if not st:
        return ["NaN", "NaN", "NaN"]
    return ["%.4f" % st["median"], "%.4f" % st["min"], "%.4f" % st["max"]]


def chart(res, png, outdir):
    s, env = res["summary"], res["env"]
    tp = s["throughput"]
    keys = list(tp.keys())
    series = [n for n in ("rc-io_uring", "rc-epoll", "null-io_uring")
              if any(n in tp[k]["vs_redis"] for k in keys)]
    eff, rps = [], []
    for k in keys:
        e, r = ['"%s"' % k], ['"%s"' % k]
        for n in series:
            e += triple(tp[k]["vs_redis"].get(n, {}).get("efficiency"))
            r += triple(tp[k]["vs_redis"].get(n, {}).get("rps"))
        eff.append(e)
        rps.append(r)
    lat = []
    for k, t in (s.get("latency") or {}).items():
        for q, ql in (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9")):
            row = ['"%s %s"' % (k.split()[0], ql)]
            for n in RC:
                row += triple(t["vs_redis"].get(n, {}).get(q))
            lat.append(row)
    mem = []
    for key, label in (("no_ttl", "key"), ("ttl", "key+TTL")):
        m = s["memory"].get(key, {}).get("vs_redis", {})
        rc = next((r for r in RC if r in m), None)
        for f, fl in (("rss_per_key", "RSS"), ("used_per_key", "used")):
            mem.append(['"%s %s"' % (label, fl)] +
                        triple(m.get(rc, {}).get(f) if rc else None))
    for rc in RC:
        v = s["conns"].get(rc, {}).get("vs_redis")
        if v:
            mem.append(['"conn %s"' % rc.split("-")[1]] +
                       triple(v["rss_per_conn"]))
    d = {n: os.path.join(outdir, "chart_%s.dat" % n)
         for n in ("eff", "rps", "lat", "mem")}
    write_dat(d["eff"], eff)
    write_dat(d["rps"], rps)
    write_dat(d["lat"], lat or [['"-"', "NaN", "NaN", "NaN", "NaN", "NaN",
                                 "NaN"]])
    write_dat(d["mem"], mem or [['"-"', "NaN", "NaN", "NaN"]])
    colors = {"rc-io_uring": "#1f77b4", "rc-epoll": "#2ca02c",
              "null-io_uring": "#bbbbbb"}

    def plot(dat, names, target=None):
        parts = []
        for i, n in enumerate(names):
            c = 2 + 3 * i
            parts.append("'%s' using %d:%d:%d%s title '%s' lc rgb '%s'" % (
                dat, c, c + 1, c + 2, ":xtic(1)" if i == 0 else "",
                LABEL[n], colors.get(n, "#ff7f0e")))
        parts.append("1 with lines lc rgb 'black' dt 2 notitle")
        if target:
            parts.append("%s with lines lc rgb 'red' dt 3 title 'target'" %
                         target)
        return "plot " + ", ".join(parts) + "\n"

    title = "ringcache / Redis 7.0 on %s, %s (load avg %.1f)" % (
        env["host"], env["date"].split()[0], env["loadavg_start"][0])
    gp = [
        "set terminal pngcairo noenhanced size 1400,1000 font 'sans,10'",
        "set output '%s'" % png,
        "set multiplot layout 2,2 title '%s' font 'sans,13'" % title,
        "set style data histogram",
        "set style histogram errorbars gap 1 lw 1",
        "set style fill solid 0.85 border -1",
        "set boxwidth 0.9", "set grid ytics", "set yrange [0:*]",
        "set key top left", "set xtics rotate by -30",
        "set title \"Requests per server-CPU-second, × Redis (higher is "
        "better)\\nbars: median over rounds, whiskers: min-max; bars over 5 "
        "are cut\"",
        "set yrange [0:5]",
    ]
    script = "\n".join(gp) + "\n" + plot(d["eff"], series)
    script += ("set title \"Throughput, × Redis (req/s; noisy: see the busy "
               "fractions in RESULTS.md)\\nbars over 5 are cut\"\n" +
               plot(d["rps"], series))
    script += ("set yrange [0:3]\nset title \"Latency at the same load, "
               "pipeline 1, × Redis (lower is better)\\nopen loop at %s "
               "requests/s; whiskers over 3 are cut\"\n" % fnum(
                   next(iter((s.get("latency") or {"": {}}).values()),
                        {}).get("rate")) + plot(d["lat"], [n for n in RC]))
    script += ("set yrange [0:1.2]\nset key top right\n"
               "set title \"Memory, ringcache × Redis (lower is better)\\n"
               "per key: %s keys; per idle connection: %s\"\n" % (
                   fnum(env.get("mem_keys")), fnum(env.get("idle_conns"))) +
               plot(d["mem"], ["rc-io_uring"], target="0.6").replace(
                   "title 'ringcache io_uring'", "title 'ringcache'"))
    script += "unset multiplot\n"
    gpath = os.path.join(outdir, "chart.gp")
    with open(gpath, "w") as f:
        f.write(script)
    try:
        p = subprocess.run(["gnuplot", gpath], capture_output=True,
                           text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if p.returncode != 0:
        print(p.stderr)
        return False
    return True
