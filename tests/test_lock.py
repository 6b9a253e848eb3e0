"""One loading command at a time per store (kg.store.lock): the lease, its lapse,
and two `kg reload` started together on one shared FalkorDB server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import open_store
from kg.store.embedded import EmbeddedServer
from kg.store.lock import LockBusy, LockLost, StoreLock
from kg.writers import cypher
from tests.conftest import EXAMPLES, ROOT
from tests.test_reload import snapshot, state_after


@pytest.fixture
def store():
    with open_store("embedded") as s:
        s.write([("MATCH (n) DETACH DELETE n", {})])
        s.apply_schema()
        yield s


def test_a_second_holder_waits_then_stops_naming_the_first(store):
    first = StoreLock(store, "kg reload (first)")
    first.acquire()
    try:
        started = time.monotonic()
        with pytest.raises(LockBusy, match=r"busy: held by `kg reload \(first\)` \(pid \d+"):
            StoreLock(store, "kg reload (second)", wait=1.0).acquire()
        assert time.monotonic() - started >= 1.0, "it must wait --lock-wait before giving up"
        assert store.read(cypher.stats_nodes()) == [], "the lock is no data: statistics leave it out"
    finally:
        first.release()
    with StoreLock(store, "kg reload (second)", wait=0) as second:
        assert second.state()["holder"] == second.holder
    assert second.state() is None, "released: no lock node is left behind"


def test_a_lease_nobody_renews_lapses(store):
    stalled = StoreLock(store, "kg build (stalled)", ttl=0.5)
    stalled.acquire()
    stalled._stop.set()  # its process hangs: no more renewals
    time.sleep(0.8)
    with StoreLock(store, "kg reload", wait=0):
        pass


def test_a_holder_that_loses_its_lease_stops_before_writing(store):
    holder = StoreLock(store, "kg reload", ttl=0.4)
    holder.acquire()
    try:
        holder.check()
        store.write([("MATCH (l:KgLock {id: 'load'}) SET l.holder = 'someone else'", {})])
        deadline = time.monotonic() + 5
        while not holder.lost and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(LockLost, match="lapsed"):
            holder.check()
    finally:
        holder.release()


def test_the_lease_of_a_dead_process_on_this_host_is_taken_at_once(store):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    store.write([("MERGE (l:KgLock {id: 'load'}) SET l.holder = 'dead', l.host = $host, l.pid = $pid, "
                  "l.command = 'kg reload', l.since = timestamp(), l.expires = timestamp() + 3600000",
                  {"host": socket.gethostname(), "pid": gone.pid})])
    store.write([("MATCH (l:KgLock {id: 'load'}) SET l.host = 'another-host'", {})])
    with pytest.raises(LockBusy):  # on another host that pid says nothing: its lease is waited for
        StoreLock(store, "kg reload", wait=0).acquire()
    store.write([("MATCH (l:KgLock {id: 'load'}) SET l.host = $host", {"host": socket.gethostname()})])
    with StoreLock(store, "kg reload", wait=0) as lock:
        assert lock.state()["holder"] == lock.holder


@pytest.fixture
def shared_server(tmp_path):
    """A FalkorDB server of its own that several commands reach as falkor://host:port
    (as a team shares one), so the embedded store's kg.lock file is not what serialises them."""
    server = EmbeddedServer(home=tmp_path / "server", persistent=True)
    state = server.keep_running()
    yield f"falkor://127.0.0.1:{state.port}"
    server.shut_down()


def test_two_reloads_at_once_take_turns_and_equal_a_clean_build(shared_server, tmp_path):
    """Both start while the test holds the lock; when it lets go, one loads both issues,
    the other waits, then reads the manifest and finds nothing left to do."""
    uri = shared_server
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    kg = [sys.executable, "-m", "kg.cli"] if not (Path(sys.executable).parent / "kg").exists() \
        else [str(Path(sys.executable).parent / "kg")]
    logs = [tmp_path / f"reload-{k}.log" for k in range(2)]
    with open_store(uri) as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        store.apply_schema()
        gate = StoreLock(store, "test gate")
        gate.acquire()
        procs = [subprocess.Popen([*kg, "reload", str(EXAMPLES), "--store", uri, "--no-progress"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
                 for log in logs]
        deadline = time.monotonic() + 240
        while not all("is busy" in log.read_text() for log in logs) and time.monotonic() < deadline:
            time.sleep(0.2)
        gate.release()
        outputs = [p.communicate(timeout=300)[0] for p in procs]
        errors = [log.read_text() for log in logs]
        assert [p.returncode for p in procs] == [0, 0], errors
        assert all("busy: held by `test gate`" in e for e in errors), errors
        assert any("Loaded 2 issue(s)" in out for out in outputs), outputs
        assert any("Loaded 0 issue(s)" in out and "2 unchanged file(s) skipped" in out for out in outputs), outputs
        assert snapshot(store) == state_after([("load", p) for p in sorted(EXAMPLES.glob("*.txt"))])
