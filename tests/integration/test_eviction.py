"""maxmemory and eviction through a real client."""
import time

import pytest
import redis

from conftest import RawConn


def fill(r, n, size=100, prefix="k"):
    p = r.pipeline(transaction=False)
    for i in range(n):
        p.set("%s%d" % (prefix, i), "x" * size)
        if i % 1000 == 999:
            p.execute()
    p.execute()


def test_noeviction_replies_oom_and_reads_still_work(start_server):
    s = start_server("--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
    r = s.client()
    with pytest.raises(redis.exceptions.ResponseError) as e:
        fill(r, 100000)
    assert "OOM command not allowed when used memory > 'maxmemory'." in str(e.value)
    n = r.dbsize()
    assert n > 1000
    assert r.get("k0") == b"x" * 100
    assert r.delete("k0") == 1          # DEL is not deny-OOM
    c = RawConn(s.port)
    assert c.cmd("SET", "new", "v") in (
        b"+OK\r\n",
        b"-OOM command not allowed when used memory > 'maxmemory'.\r\n")


@pytest.mark.parametrize("policy", ["allkeys-lru", "allkeys-lfu",
                                    "allkeys-random"])
def test_allkeys_policies_keep_memory_under_limit(start_server, policy):
    s = start_server("--maxmemory", "4mb", "--maxmemory-policy", policy)
    r = s.client()
    fill(r, 100000)
    info = r.info()
    assert info["evicted_keys"] > 0
    assert info["used_memory"] <= 4 * 1024 * 1024 * 1.1
    assert 1000 < r.dbsize() < 100000


def test_allkeys_lru_keeps_recently_used_keys(start_server):
    s = start_server("--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru",
                     "--maxmemory-samples", "10")
    r = s.client()
    fill(r, 15000, prefix="cold")           # fits: nothing evicted yet
    assert r.info()["evicted_keys"] == 0
    # The LRU clock ticks in seconds (as Redis's): let it move on so the
    # hot keys are younger than the cold ones.
    time.sleep(2.2)
    fill(r, 500, prefix="hot")
    fill(r, 20000, prefix="more")           # overflows: evicts the oldest
    assert r.info()["evicted_keys"] > 1000
    hot_left = sum(1 for v in r.mget(["hot%d" % i for i in range(500)]) if v)
    assert hot_left >= 400, hot_left


def test_volatile_policy_only_evicts_keys_with_ttl(start_server):
    s = start_server("--maxmemory", "4mb", "--maxmemory-policy", "volatile-lru")
    r = s.client()
    fill(r, 2000, prefix="keep")
    p = r.pipeline(transaction=False)
    for i in range(60000):
        p.set("tmp%d" % i, "x" * 100, ex=1000)
        if i % 1000 == 999:
            p.execute()
    p.execute()
    assert r.info()["evicted_keys"] > 0
    assert all(v is not None for v in r.mget(["keep%d" % i for i in range(2000)]))


def test_object_freq_and_idletime_follow_the_policy(r, raw):
    r.set("f", "1")
    assert raw(b"OBJECT FREQ f\r\n").startswith(
        b"-ERR An LFU maxmemory policy is not selected")
    r.config_set("maxmemory-policy", "allkeys-lfu")
    try:
        for _ in range(20):
            r.get("f")
        assert r.object("freq", "f") >= 1
        assert raw(b"OBJECT IDLETIME f\r\n").startswith(
            b"-ERR An LFU maxmemory policy is selected")
    finally:
        r.config_set("maxmemory-policy", "noeviction")
    assert r.object("idletime", "f") >= 0
