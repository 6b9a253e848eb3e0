"""The bulk path (GRAPH.BULK) of a first load leaves the store the MERGE path leaves,
property by property, and keeps the store's bookkeeping (its lock) as it was."""

from __future__ import annotations

import pytest

from kg.aliases.identity import IdentityRegistry
from kg.graph import assemble
from kg.ingest import read_issue
from kg.loading import IssueLoader
from kg.pipeline import analyse
from kg.store import open_store
from kg.store.bulk import bulk_calls, encode
from kg.store.lock import StoreLock
from kg.writers.load import load_plan
from tests.test_parallel import _issue_files
from tests.test_reload import snapshot

pytestmark = pytest.mark.store


def _graph():
    issues = [read_issue(f) for f in _issue_files()]
    results = [r for issue in issues for r in analyse(issue.articles)]
    IdentityRegistry.from_schemas().identify(results)
    return assemble(issues, results)


def test_a_bulk_first_load_equals_the_merge_path(tmp_path, monkeypatch):
    from kg.store.bulk import bulk_write

    g = _graph()
    states = {}
    for path in ("merge", "bulk"):
        monkeypatch.setenv("KG_HOME", str(tmp_path / path))
        with open_store("embedded") as store:
            IssueLoader.open(store)  # schema and checks, as a build starts
            with StoreLock(store, "test"):
                lock = "MATCH (l:KgLock) RETURN properties(l) AS props"
                before = store.read(lock)
                if path == "merge":
                    store.write(load_plan(g))
                else:
                    assert bulk_write(store, g) == (g.number_of_nodes(), g.number_of_edges())
                assert store.read(lock) == before and before  # the lock is still held, as it was
            states[path] = snapshot(store)
    assert states["merge"] == states["bulk"]
    nodes, rels = states["bulk"]
    assert len(nodes) == g.number_of_nodes() and len(rels) == g.number_of_edges()


def test_values_keep_their_types_in_the_bulk_format():
    # a string of digits stays a string, an empty list a list, nested lists nest
    assert encode("2024") == b"\x032024\0"
    assert encode([]) == b"\x05" + (0).to_bytes(8, "little")
    assert encode([[1]])[:9] == b"\x05" + (1).to_bytes(8, "little")
    calls = bulk_calls([("A", {"id": "a"}), ("B", {"id": "b", "n": 1})], [("R", 0, 1, {})])
    assert calls[0][:5] == ["BEGIN", 2, 1, 2, 1]
    with pytest.raises(ValueError):  # positions would not be the ids the server gives
        bulk_calls([("A", {}), ("B", {}), ("A", {})], [])


def test_a_bulk_load_cut_short_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    from kg.store.bulk import BULK_SUFFIX, bulk_write

    g = _graph()
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    with open_store("embedded") as store:
        IssueLoader.open(store)
        connection = store.db.connection
        real = connection.execute_command

        def cut(*args):
            if args[0] == "RENAME":
                raise ConnectionError("killed before the rename")
            return real(*args)

        connection.execute_command = cut
        with pytest.raises(ConnectionError):
            bulk_write(store, g)
        connection.execute_command = real
        assert snapshot(store) == (set(), set())  # nothing of the load in the store
        assert real("EXISTS", store.graph_name + BULK_SUFFIX) == 1
        bulk_write(store, g)  # the next run starts over: the leftover is replaced, then renamed
        assert real("EXISTS", store.graph_name + BULK_SUFFIX) == 0
        assert len(snapshot(store)[1]) == g.number_of_edges()
