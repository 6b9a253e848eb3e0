"""Reloads and forgets leave the store exactly as a clean build of the same final
set of issues would: same nodes, same relationships, same properties (list
properties compared as sets; `loaded_at` is when, not what)."""

from __future__ import annotations

from pathlib import Path

from kg.loading import IssueLoader, locked_loader
from kg.store import open_store
from kg.writers import cypher
from tests.conftest import EXAMPLES

FIRST, SECOND = sorted(EXAMPLES.glob("*.txt"))
WHEN_NOT_WHAT = {"loaded_at"}


def _norm(value):
    if isinstance(value, list):
        return tuple(sorted(map(repr, value)))
    if isinstance(value, dict):
        return tuple(sorted((k, _norm(v)) for k, v in value.items() if k not in WHEN_NOT_WHAT))
    return value


def snapshot(store) -> tuple[set, set]:
    nodes = {(r["label"], _norm(r["props"])) for r in store.read(cypher.export_nodes())}
    rels = {(r["src"], r["type"], r["dst"], _norm(r["props"])) for r in store.read(cypher.export_relationships())}
    return nodes, rels


def state_after(steps: list[tuple[str, Path | str]]) -> tuple[set, set]:
    """Run load/forget steps on an emptied embedded store and take its picture."""
    with open_store("embedded") as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        loader = IssueLoader.open(store)
        for action, what in steps:
            if action == "load":
                loader.load_file(what)
            else:
                loader.forget(what)
        return snapshot(store)


def changed_copy(tmp_path: Path) -> Path:
    """The first issue with one article's text changed (same file name: same issue id)."""
    target = tmp_path / FIRST.name
    text = FIRST.read_text(encoding="utf-8")
    assert "星河机械" in text
    target.write_text(text.replace("星河机械", "星海机械", 1), encoding="utf-8")
    return target


def test_forgetting_an_issue_equals_never_loading_it():
    clean = state_after([("load", FIRST)])
    assert state_after([("load", FIRST), ("load", SECOND), ("forget", "lcrb-2031-03-16")]) == clean
    assert clean[0], "the clean build must hold something"


def test_reloading_a_changed_issue_replaces_exactly_its_own_facts(tmp_path):
    changed = changed_copy(tmp_path)
    clean = state_after([("load", changed), ("load", SECOND)])
    after = state_after([("load", FIRST), ("load", SECOND), ("load", changed)])
    assert after == clean
    assert after != state_after([("load", FIRST), ("load", SECOND)]), "the change must show"


def test_forget_then_load_again_and_repeated_loads_change_nothing():
    clean = state_after([("load", FIRST), ("load", SECOND)])
    assert state_after([("load", SECOND), ("load", FIRST), ("forget", "lcrb-2031-03-15"), ("load", FIRST),
                        ("load", FIRST), ("load", SECOND)]) == clean


def test_an_interrupted_load_is_replaced_on_the_next_run(tmp_path):
    """A load cut short leaves its issue unmarked; the next run replaces it."""
    clean = state_after([("load", FIRST), ("load", SECOND)])
    with open_store("embedded") as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        loader = IssueLoader.open(store)
        loader.load_file(FIRST)
        loader.load_file(SECOND)
        # the state a crash after the facts but before the mark leaves: facts in, no mark
        store.write([("MATCH (i:Issue {id: 'lcrb-2031-03-16'}) SET i.sha256 = null, i.pipeline_version = null", {})])
        IssueLoader.open(store).load_file(SECOND)
        assert snapshot(store) == clean


def test_issues_written_in_groups_equal_issues_written_one_by_one(tmp_path, monkeypatch):
    """kg build gathers issues into one write (kg.loading.locked_loader); the same issue
    twice in a group (here: first its old text, then its new) is flushed in between."""
    changed = changed_copy(tmp_path)
    clean = state_after([("load", changed), ("load", SECOND)])
    monkeypatch.setenv("KG_BATCH_SIZE", "100000")  # everything in one group
    monkeypatch.setenv("KG_BULK", "0")  # the MERGE path's writes are counted here (tests/test_bulk.py: the bulk path)
    with open_store("embedded") as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        writes = []
        store.write = lambda statements, write=store.write: (writes.append(statements), write(statements))
        with locked_loader(store, "test") as loader:
            assert [loader.load_file(p).action for p in (FIRST, SECOND, changed)] == ["loaded", "loaded", "replaced"]
        del store.write
        assert snapshot(store) == clean
    loads = [w for w in writes if not any(":KgLock" in text or ":KgStore" in text for text, _ in w)]  # not kg's bookkeeping
    marks = [w for w in loads if all(":IssueFile" in text for text, _ in w)]
    assert len(loads) - len(marks) == 2, "one write for FIRST and SECOND, then one for FIRST's new text"
    assert len(marks) == 2, "each followed by the files' manifest entries, written once their facts are in"



def test_a_build_killed_at_any_moment_is_finished_by_the_next_reload():
    """kill -9 in the middle of a load (wherever it lands), then `kg reload`: the
    store equals a clean build, nothing duplicated or lost."""
    import os
    import signal
    import subprocess
    import time

    clean = state_after([("load", FIRST), ("load", SECOND)])
    with open_store("embedded") as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
    exe = Path(os.environ.get("VIRTUAL_ENV", Path(__file__).resolve().parent.parent / ".venv")) / "bin" / "kg"
    # small batches: each issue is written on its own, in many statements, so the kill
    # lands while the second issue is being written
    proc = subprocess.Popen([str(exe), "build", str(EXAMPLES), "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "KG_BATCH_SIZE": "20"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # wait until it is loading
        if "loaded as lcrb-2031-03-15" in (proc.stderr.readline() or ""):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert subprocess.run([str(exe), "reload", str(EXAMPLES), "--no-progress"], capture_output=True,
                          timeout=300).returncode == 0
    with open_store("embedded") as store:
        assert snapshot(store) == clean
