#!/bin/sh
# bench/profile.sh: where the CPU goes, for bench/NOTES.md ("profile").
#
#   bench/profile.sh [callgrind] [perf]     (default: both)
#
# 1. callgrind: user-space instructions per request (valgrind counts only
#    user space; this VM exposes no hardware counters, so `perf stat -e
#    instructions` is not supported here). Each server runs under
#    callgrind, is preloaded with 100,000 keys, warmed with 2,000 requests,
#    then the counters are zeroed (callgrind_control -z), a fixed number of
#    requests is sent and the profile dumped (callgrind_control -d): Ir per
#    request = the dump's total / requests. Workloads: GET and SET over 1
#    connection at pipeline 1 (the whole per-request path, one request per
#    loop turn) and over 50 connections at pipeline 16 (the batched path).
#    Per-function listings: $OUT/<server>-<workload>.txt; every result line
#    is appended to $OUT/ir.txt.
# 2. perf: on-CPU samples (cpu-clock, a software event) of each server,
#    pinned to core 0, under GET and SET at pipeline 16 from loadgen on core
#    1, split by kernel and user space and by symbol: $OUT/perf-*.txt.
#
# Builds build-bench-prof (release, -g, frame pointers). Output:
# bench/out/profile/. Takes about 5 minutes.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
B=$ROOT/build-bench-prof
OUT=$ROOT/bench/out/profile
mkdir -p "$OUT"
if [ ! -f "$B/build.ninja" ]; then
    meson setup "$B" --buildtype=release \
        -Dc_args="-g -fno-omit-frame-pointer" >/dev/null
fi
ninja -C "$B" ringcache bench/nullserver bench/loadgen >/dev/null
GEN=$B/bench/loadgen
RC=$B/ringcache
WHAT=${*:-callgrind perf}
# PROFILE_REV=<commit>: profile ringcache as of that commit (exported with
# git archive into build-bench-prof-rev/<sha>, same flags); default: the
# working tree. PROFILE_SERVERS / PROFILE_WORKLOADS narrow the callgrind
# matrix, e.g. PROFILE_SERVERS="rc-epoll" PROFILE_WORKLOADS="get:1:1".
SERVERS=${PROFILE_SERVERS:-redis rc-epoll rc-io_uring null-epoll null-io_uring}
WORKLOADS=${PROFILE_WORKLOADS:-get:1:1 set:1:1 get:50:16 set:50:16}
REVTAG=""
if [ -n "${PROFILE_REV:-}" ]; then
    SHA=$(git rev-parse --short "$PROFILE_REV^{commit}")
    SRC=$ROOT/build-bench-prof-rev/$SHA
    if [ ! -x "$SRC/_build/ringcache" ]; then
        rm -rf "$SRC"
        mkdir -p "$SRC"
        git archive --format=tar "$SHA" | tar -x -C "$SRC"
        meson setup "$SRC/_build" "$SRC" --buildtype=release \
            -Dc_args="-g -fno-omit-frame-pointer" >/dev/null
        ninja -C "$SRC/_build" ringcache >/dev/null
    fi
    RC=$SRC/_build/ringcache
    REVTAG="@$SHA"
fi

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# server_cmd NAME PORT: prints the command line of server NAME.
server_cmd() {
    case $1 in
    redis) echo "redis-server --port $2 --bind 127.0.0.1 --save '' --appendonly no --daemonize no" ;;
    rc-epoll) echo "$RC --port $2 --bind 127.0.0.1 --io-backend epoll --save '' --appendonly no" ;;
    rc-io_uring) echo "$RC --port $2 --bind 127.0.0.1 --io-backend io_uring --save '' --appendonly no" ;;
    null-epoll) echo "$B/bench/nullserver --port $2 --io-backend epoll" ;;
    null-io_uring) echo "$B/bench/nullserver --port $2 --io-backend io_uring" ;;
    esac
}

wait_pong() {
    for _ in $(seq 300); do
        redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "profile: server on port $1 did not start" >&2
    return 1
}

# callgrind_one SERVER CMD CONNS PIPELINE REQUESTS
callgrind_one() {
    srv=$1 cmd=$2 conns=$3 pipe=$4 n=$5
    port=$(free_port)
    tag=$srv$REVTAG-$cmd-c$conns-P$pipe
    rm -f "$OUT/$tag".cg.*
    eval "exec taskset -c 0 valgrind --tool=callgrind \
        --callgrind-out-file=$OUT/$tag.cg.%p $(server_cmd "$srv" "$port")" \
        >"$OUT/$tag.log" 2>&1 &
    pid=$!
    wait_pong "$port"
    "$GEN" --port "$port" --cmd set --seq 0 --requests 100000 --conns 4 \
        --pipeline 256 >/dev/null
    "$GEN" --port "$port" --cmd "$cmd" --conns "$conns" --pipeline "$pipe" \
        --requests 2000 >/dev/null
    callgrind_control -z "$pid" >/dev/null
    "$GEN" --port "$port" --cmd "$cmd" --conns "$conns" --pipeline "$pipe" \
        --requests "$n" >/dev/null
    callgrind_control -d "$pid" >/dev/null
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    f=$(ls "$OUT/$tag".cg.*.1)
    callgrind_annotate --threshold=100 --auto=no --inclusive=no "$f" \
        2>/dev/null | sed "s#$B/../##g" >"$OUT/$tag.txt"
    tot=$(grep "PROGRAM TOTALS" "$OUT/$tag.txt" | awk '{gsub(",","",$1); print $1}')
    printf "%-22s %-5s conns=%-3s P=%-3s requests=%-7s Ir/request=%s\n" \
        "$srv$REVTAG" "$cmd" "$conns" "$pipe" "$n" "$((tot / n))" |
        tee -a "$OUT/ir.txt"
}

# perf_one SERVER CMD: samples the server for 3 s under pipeline-16 load.
perf_one() {
    srv=$1 cmd=$2
    port=$(free_port)
    eval "exec taskset -c 0 $(server_cmd "$srv" "$port")" >"$OUT/perf-$srv$REVTAG.log" 2>&1 &
    pid=$!
    wait_pong "$port"
    "$GEN" --port "$port" --cmd set --seq 0 --requests 100000 --conns 4 \
        --pipeline 256 >/dev/null
    taskset -c 1 "$GEN" --port "$port" --cmd "$cmd" --conns 50 --pipeline 16 \
        --warmup-ms 500 --duration-ms 4000 --pid "$pid" \
        >"$OUT/perf-$srv$REVTAG-$cmd.load.json" &
    gen=$!
    sleep 1
    perf record -q -e cpu-clock -F 4999 -g -p "$pid" \
        -o "$OUT/perf-$srv$REVTAG-$cmd.data" -- sleep 3 >/dev/null 2>&1
    wait "$gen"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    {
        echo "== $srv $cmd P16: $(cat "$OUT/perf-$srv$REVTAG-$cmd.load.json")"
        echo "-- by object ([kernel.kallsyms] is the kernel)"
        perf report -i "$OUT/perf-$srv$REVTAG-$cmd.data" --no-children \
            --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' || true
        echo "-- top symbols (self; [k] kernel, [.] user)"
        perf report -i "$OUT/perf-$srv$REVTAG-$cmd.data" --no-children \
            --sort sym --stdio -g none --percent-limit 1.2 2>/dev/null |
            grep -E '^ +[0-9]' || true
    } >"$OUT/perf-$srv$REVTAG-$cmd.txt"
    cat "$OUT/perf-$srv$REVTAG-$cmd.txt"
}

for w in $WHAT; do
    case $w in
    callgrind)
        for srv in $SERVERS; do
            for wl in $WORKLOADS; do
                cmd=${wl%%:*} rest=${wl#*:}
                conns=${rest%%:*} pipe=${rest#*:}
                n=20000
                [ "$pipe" -gt 1 ] && n=200000
                callgrind_one "$srv" "$cmd" "$conns" "$pipe" "$n"
            done
        done
        ;;
    perf)
        for srv in $(echo "$SERVERS" | tr ' ' '\n' | grep -v null-epoll); do
            perf_one $srv get
            perf_one $srv set
        done
        ;;
    esac
done
echo "profile: output in $OUT"
