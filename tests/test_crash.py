"""No crash can wedge the embedded store.

A crash leaves on disk a prefix of the server's append-only file (fsync on every
write). So a crash after any number of bytes is a copy of the file cut there:
the server must start on it, and the next `kg reload` must make the store equal
a clean build. The load recorded here builds two issues and then replaces an
edited one, so cuts land inside loads, inside a replacement (old facts out, new
in) and between a file's facts and its manifest entry. Real kill -9 of `kg` and
of the server, at points chosen by the bytes the file has grown by, come after.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kg.loading import IssueLoader
from kg.store import open_store
from kg.store.embedded import EmbeddedServer
from tests.conftest import EXAMPLES, ROOT
from tests.test_reload import FIRST, SECOND, snapshot

pytestmark = pytest.mark.store

EDIT = ("星河机械", "星海机械")  # one name changed in FIRST: a person-free edit that changes an organisation


def _incr(home: Path) -> Path:
    files = sorted((home / "falkordb" / "appendonlydir").glob("*.incr.aof"))
    assert files, f"no append-only file under {home}"
    return files[-1]


def _issues(folder: Path, edited: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = FIRST.read_text(encoding="utf-8")
    (folder / FIRST.name).write_text(text.replace(*EDIT, 1) if edited else text, encoding="utf-8")
    shutil.copy(SECOND, folder / SECOND.name)
    return folder


def _reload(folder: Path) -> None:
    with open_store("embedded") as store:
        loader = IssueLoader.open(store)
        report = loader.run(loader.plan(sorted(folder.glob("*.txt")), remove_missing=[folder]))
        assert report.errors == []


def _health(store) -> dict[str, int]:
    """What a half-made write would show: nodes without names, articles in no issue."""
    return {
        "unnamed": store.read("MATCH (n) WHERE (n:Person OR n:Organization OR n:Place OR n:Event) "
                              "AND n.name IS NULL RETURN count(n) AS c")[0]["c"],
        "dangling": store.read("MATCH (a:Article) WHERE NOT (a)-[:IN_ISSUE]->() RETURN count(a) AS c")[0]["c"],
    }


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """The append-only file of: build two issues, then reload with the first edited;
    and the clean build of the final files to compare with."""
    base = tmp_path_factory.mktemp("crash")
    folder = base / "issues"
    home = base / "recording"
    old = os.environ.get("KG_HOME")
    os.environ["KG_HOME"] = str(home)
    try:
        _issues(folder, edited=False)
        _reload(folder)
        _issues(folder, edited=True)
        _reload(folder)
        os.environ["KG_HOME"] = str(base / "clean")
        _reload(folder)
        with open_store("embedded") as store:
            clean = snapshot(store)
    finally:
        if old is None:
            os.environ.pop("KG_HOME", None)
        else:
            os.environ["KG_HOME"] = old
    return {"home": home, "folder": folder, "clean": clean, "aof": _incr(home).read_bytes()}


def _cut_points(aof: bytes, count: int) -> list[int]:
    """Evenly spaced offsets, and offsets just inside and at the end of every MULTI block."""
    points = {len(aof) * i // count for i in range(1, count)}
    at = 0
    while (at := aof.find(b"MULTI\r\n", at + 1)) != -1:
        points |= {at + 7, at + 200}
        end = aof.find(b"EXEC\r\n", at)
        if end != -1:
            points |= {end - 3, end + 6}
    return sorted(p for p in points if 0 < p < len(aof))


def test_a_crash_after_any_byte_of_a_load_is_repaired_by_the_next_reload(recorded, tmp_path, monkeypatch):
    aof = recorded["aof"]
    points = _cut_points(aof, 14)
    assert len(points) >= 20, "the recording must hold several writes to cut into"
    assert aof.count(b"MULTI") >= 3, "each load and each replacement is one MULTI/EXEC block"
    for n, cut in enumerate(points):
        home = tmp_path / f"cut-{n}"
        shutil.copytree(recorded["home"] / "falkordb", home / "falkordb")
        _incr(home).write_bytes(aof[:cut])
        monkeypatch.setenv("KG_HOME", str(home))
        with open_store("embedded") as store:  # the server starts on what the crash left
            assert _health(store) == {"unnamed": 0, "dangling": 0}, f"half-made write visible after {cut} bytes"
        _reload(recorded["folder"])
        with open_store("embedded") as store:
            assert snapshot(store) == recorded["clean"], f"cut after {cut} of {len(aof)} bytes"


def test_readers_tolerate_what_an_older_version_left(tmp_path, monkeypatch):
    """An older version wrote statement by statement: a kill could leave entity nodes
    without names, articles in no issue, entities no article mentions. The next run
    repairs all of it and equals a clean build."""
    folder = _issues(tmp_path / "issues", edited=False)
    monkeypatch.setenv("KG_HOME", str(tmp_path / "clean"))
    _reload(folder)
    with open_store("embedded") as store:
        clean = snapshot(store)
    monkeypatch.setenv("KG_HOME", str(tmp_path / "old"))
    _reload(folder)
    with open_store("embedded") as store:
        store.write([
            ("CREATE (:Person {id: 'p-half-made'}), (:Organization {id: 'o-half-made'})", {}),
            ("CREATE (:Person {id: 'p-stale', name: '无名'})", {}),
            ("MATCH (o:Organization) WITH o LIMIT 1 REMOVE o.name", {}),  # a node whose recompute never ran
            ("CREATE (a:Article {id: 'lcrb-2031-03-16-09', text: 'x'}) "
             "WITH a MATCH (p:Person) WITH a, p LIMIT 1 CREATE (p)-[:MENTIONED_IN {count: 1}]->(a)", {}),
            # an older version's manifest: the mark on the Issue node
            ("MATCH (f:IssueFile {id: 'lcrb-2031-03-15'}), (i:Issue {id: 'lcrb-2031-03-15'}) "
             "SET i.sha256 = f.sha256, i.pipeline_version = f.pipeline_version DELETE f", {}),
            # a file whose facts are in but whose manifest entry is not
            ("MATCH (f:IssueFile {id: 'lcrb-2031-03-16'}) DELETE f", {}),
            # an older version never recorded that its store was checked
            ("MATCH (s:KgStore) DELETE s", {}),
        ])
        assert _health(store)["unnamed"] >= 3
    _reload(folder)
    with open_store("embedded") as store:
        assert _health(store) == {"unnamed": 0, "dangling": 0}
        assert snapshot(store) == clean


def _kg(*args: str, **kw) -> subprocess.Popen:
    exe = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "kg"
    return subprocess.Popen([str(exe), *args, "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT, **kw)


def _grown_bytes(home: Path) -> int:
    try:
        return _incr(home).stat().st_size
    except AssertionError:
        return 0


@pytest.mark.parametrize("victim", ["kg", "server"])
def test_kill_9_at_many_points_of_a_load_then_reload_equals_a_clean_build(tmp_path, monkeypatch, victim):
    """kill -9 of `kg build` (or of its redis-server) once the append-only file has grown
    past a threshold, at several thresholds across the load; then `kg reload`."""
    folder = _issues(tmp_path / "issues", edited=False)
    shutil.copy(EXAMPLES / FIRST.name, folder / "lcrb-2031-03-20.txt")  # a third issue: more writes to land in
    monkeypatch.setenv("KG_HOME", str(tmp_path / "clean"))
    assert _kg("build", str(folder)).wait(300) == 0
    with open_store("embedded") as store:
        clean = snapshot(store)
    full = _grown_bytes(tmp_path / "clean")
    landed = []
    for n, share in enumerate((0.15, 0.35, 0.55, 0.75, 0.95)):
        home = tmp_path / f"{victim}-{n}"
        monkeypatch.setenv("KG_HOME", str(home))
        proc = _kg("build", str(folder), env={**os.environ, "KG_BATCH_SIZE": "50"})
        deadline = time.monotonic() + 300
        while proc.poll() is None and _grown_bytes(home) < full * share and time.monotonic() < deadline:
            time.sleep(0.002)
        at = _grown_bytes(home)
        if victim == "kg":
            proc.send_signal(signal.SIGKILL)
        else:
            state = EmbeddedServer(home).read_state()
            if state is not None:
                os.kill(state.pid, signal.SIGKILL)
        proc.wait(60)
        landed.append((share, at, proc.returncode))
        assert _kg("reload", str(folder)).wait(300) == 0, f"reload after a kill at {at} bytes"
        with open_store("embedded") as store:
            assert _health(store) == {"unnamed": 0, "dangling": 0}
            assert snapshot(store) == clean, f"kill of {victim} at {at} of {full} bytes"
    # the kills must have landed inside the load, not after it
    assert sum(1 for _, at, rc in landed if rc != 0 and at < full) >= 3, landed
