"""ioredis (Node.js), the client many applications use, against ringcache.

scripts/test installs ioredis from the npm registry into
tests/integration/js/node_modules when npm is available; without node or
ioredis this test skips and says why."""
import json
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
JS = os.path.join(HERE, "js")


def test_ioredis_commands_pipeline_transaction_errors(server, r):
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    if not os.path.isdir(os.path.join(JS, "node_modules", "ioredis")):
        pytest.skip("ioredis is not installed (npm install in tests/integration/js)")
    out = subprocess.run(["node", os.path.join(JS, "ioredis_smoke.js"),
                          str(server.port)], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["set"] == "OK" and got["get"] == "1" and got["incr"] == 2
    assert got["pipeline"] == [[None, "OK"], [None, "x"]]
    assert got["multi"] == [[None, "OK"], [None, 2]]
    assert got["unknown"] == ("ERR unknown command 'nosuch', with args "
                              "beginning with: 'x' ")
    assert got["notint"] == "ERR value is not an integer or out of range"
    assert got["mget"] == ["2", "x", None]
    assert got["ttl"] == 100
    assert got["scan"] == ["io:a", "io:b", "io:c", "io:t"]
