"""Graph assembly and the embedded store, on the project's own example issues."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time

import pytest

from kg.graph import statistics
from kg.store import open_store
from kg.store.embedded import EmbeddedServer
from kg.store.lock import StoreLock
from kg.writers import cypher
from kg.writers.files import export, graph_from_store
from kg.writers.load import load, load_plan, statements

EXPECTED_NODES = {"Article": 5, "Event": 3, "Issue": 2, "Organization": 9, "Person": 11, "Place": 9}


def test_example_graph_counts(example_graph):
    stats = statistics(example_graph)
    assert stats["nodes"] == EXPECTED_NODES
    assert stats["relationships"]["IN_ISSUE"] == 5
    assert stats["relationships"]["WROTE"] == 5


def test_every_fact_has_provenance(example_graph):
    g = example_graph
    for src, dst, d in g.edges(data=True):
        if d["type"] in ("MENTIONED_IN", "WROTE", "IN_ISSUE"):
            assert g.nodes[dst]["label"] in ("Article", "Issue")
        else:
            assert d["articles"], (src, dst, d)
            assert all(g.nodes[a]["label"] == "Article" for a in d["articles"])
    mentioned = [d for _, _, d in g.edges(data=True) if d["type"] == "MENTIONED_IN"]
    assert all(len(d["offsets"]) == 2 * d["count"] for d in mentioned)


def test_both_ends_of_a_fact_are_mentioned_in_its_articles(example_graph):
    """What `forget` relies on to start from the touched entities instead of scanning
    every relationship (kg.writers.cypher.strip_articles)."""
    g = example_graph
    mentioned_in = {(s, d) for s, d, data in g.edges(data=True) if data["type"] == "MENTIONED_IN"}
    facts = [(s, d, data) for s, d, data in g.edges(data=True) if data.get("articles")]
    assert facts
    for src, dst, data in facts:
        for article in data["articles"]:
            assert (src, article) in mentioned_in and (dst, article) in mentioned_in, (src, dst, data["type"])


def test_loader_emits_only_what_the_schema_declares(example_graph):
    schema = cypher.schema()
    for text, params in statements(example_graph):
        assert text in cypher.write_statements()
        for row in params["rows"]:
            if "src" in row:
                rel = text.split("[r:")[1].split("]")[0].split(" ")[0]
                spec = schema["relationships"][rel]
                allowed = {"src", "dst", *spec.get("merge", []), *spec.get("set", []), *spec.get("union", []),
                           *spec.get("min", []), *spec.get("max", [])}
            else:
                label = text.split("(n:")[1].split(" ")[0]
                spec = schema["nodes"][label]
                allowed = {spec["key"], *spec.get("properties", []), *spec.get("union", [])}
            assert set(row) <= allowed


def _store_snapshot(store):
    nodes = {r["label"]: r["count"] for r in store.read(cypher.stats_nodes())}
    rels = {r["type"]: r["count"] for r in store.read(cypher.stats_relationships())}
    props = store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p "
                       "ORDER BY a, t, b")
    return nodes, rels, props


def test_embedded_store_load_twice_changes_nothing(example_graph):
    with open_store("embedded") as store:
        load(store, example_graph, progress=False)
        first = _store_snapshot(store)
        load(store, example_graph, progress=False)
        second = _store_snapshot(store)
    assert first == second
    assert first[0] == EXPECTED_NODES
    assert sum(first[1].values()) == example_graph.number_of_edges()


def test_embedded_store_persists_and_stops(example_graph, kg_home):
    with open_store("embedded") as store:
        load(store, example_graph, progress=False)
    server = EmbeddedServer()
    assert server.running() is None, "a command must not leave the server running"
    assert any((kg_home / "falkordb").rglob("*.aof")), "append-only files must exist"
    with open_store("embedded") as store:  # a new server reads the data back from disk
        rows = store.read("MATCH (p:Person)-[:CHAIRED]->(e:Event) RETURN p.name AS p, e.name AS e ORDER BY p")
    assert rows == [{"p": "周明远", "e": "第五届聊城国际农机装备博览会"}]


def test_stale_pid_file_is_cleared(kg_home):
    kg_home.mkdir(parents=True, exist_ok=True)
    (kg_home / "server.json").write_text(json.dumps({"pid": 2 ** 22 + 12345, "port": 1, "persistent": False}))
    with open_store("embedded") as store:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    assert not (kg_home / "server.json").exists()


def test_leftover_server_of_a_crashed_command_is_adopted_and_stopped(kg_home):
    server = EmbeddedServer()
    with server:  # simulate a crash: start, then forget to stop
        state = server.state
        server._owned = False
    assert server.running() is not None
    with open_store("embedded") as store:
        assert store.read("RETURN 2 AS two") == [{"two": 2}]
    assert server.running() is None
    with pytest.raises(ProcessLookupError):
        os.kill(state.pid, 0)


def test_exports(example_graph, tmp_path):
    with open_store("embedded") as store:
        load(store, example_graph, progress=False)
        g = graph_from_store(store)
    assert g.number_of_nodes() == example_graph.number_of_nodes()
    assert g.number_of_edges() == example_graph.number_of_edges()
    export(g, "graphml", tmp_path / "g.graphml")
    import networkx as nx

    read = nx.read_graphml(tmp_path / "g.graphml")
    assert read.number_of_nodes() == g.number_of_nodes()
    # Gephi and yEd caption nodes by `label`: the name, with the type an attribute of its own
    people = [d for _, d in read.nodes(data=True) if d["type"] == "Person"]
    assert people and all(d["label"] == d["name"] for d in people)
    assert {d["type"] for _, d in read.nodes(data=True)} >= {"Person", "Article", "Issue"}
    assert all(d["label"] == d["type"] for _, _, d in read.edges(data=True))
    export(g, "jsonl", tmp_path / "g.jsonl")
    lines = (tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == g.number_of_nodes() + g.number_of_edges()
    export(g, "neo4j-csv", tmp_path / "csv")
    person = (tmp_path / "csv" / "nodes_Person.csv").read_text(encoding="utf-8").splitlines()
    assert person[0].startswith("id:ID,") and person[0].endswith(":LABEL") and "aliases:string[]" in person[0]
    assert len(person) == 1 + EXPECTED_NODES["Person"]
    holds = (tmp_path / "csv" / "relationships_HOLDS.csv").read_text(encoding="utf-8").splitlines()
    assert holds[0].startswith(":START_ID,") and ":END_ID" in holds[0]
    check_neo4j_import(tmp_path / "csv")


# Neo4j 5's `neo4j-admin database import full` (operations manual, "Full import"): the options
# import.sh may use, and the column types of the CSV header format
IMPORT_OPTIONS = {"--multiline-fields", "--array-delimiter", "--nodes", "--relationships", "--overwrite-destination"}
CSV_TYPES = {"string", "long", "double", "boolean", "int", "float", "date", "datetime", "string[]", "long[]"}


def check_neo4j_import(folder):
    """import.sh against the documented syntax (5.19 and later: the database right after
    `full`; nothing overwritten unless asked) and every CSV header against the format."""
    import re
    import shlex
    import subprocess

    script = (folder / "import.sh").read_text(encoding="utf-8")
    # run it with a stand-in neo4j-admin that prints the arguments it is given
    fake = folder / "fake-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    for extra, overwrite in (([], False), (["--overwrite"], True)):
        args = subprocess.run(["sh", str(folder / "import.sh"), *extra], capture_output=True, text=True, check=True,
                              env={"NEO4J_ADMIN": str(fake), "PATH": "/usr/bin:/bin"}).stdout.split("\n")[:-1]
        assert args[:4] == ["database", "import", "full", "neo4j"]
        options = args[4:]
        assert all(o.split("=")[0] in IMPORT_OPTIONS for o in options), options
        assert ("--overwrite-destination=true" in options) == overwrite
        assert "--multiline-fields=true" in options
        files = [o.split("=", 1)[1] for o in options if o.startswith(("--nodes=", "--relationships="))]
        assert files and all((folder / f).is_file() for f in files)
        assert sorted(files) == sorted(p.name for p in folder.glob("*.csv"))
    assert shlex.split(script)  # well-formed shell
    for csv_file in folder.glob("*.csv"):
        header = csv_file.read_text(encoding="utf-8").splitlines()[0].split(",")
        typed = [h for h in header if not h.startswith(":") and not h.startswith("id:ID")]
        assert all(h.split(":")[1] in CSV_TYPES for h in typed), header
        if csv_file.name.startswith("nodes_"):
            assert re.fullmatch(r"id:ID(\(\w+\))?", header[0]) and header[-1] == ":LABEL"
        else:
            assert header[0] == ":START_ID" and header[-2:] == [":END_ID", ":TYPE"]


def test_neo4j_adapter_live_against_falkordb_bolt(example_graph, bolt_server):
    """The official neo4j driver through FalkorDB's Bolt port: same loader, same Cypher."""
    from kg.store.neo4j import Neo4jStore

    store = Neo4jStore(bolt_server["bolt"], None)
    try:
        # small batches: FalkorDB's (experimental) Bolt server aborted on an UNWIND of 18 rows of
        # 12 properties here (4.16.3); Neo4j itself takes the default batches
        for stmt in load_plan(example_graph, size=8):
            store.write([stmt])
        with StoreLock(store, "kg reload", wait=0) as lock:  # the lease, through the neo4j driver
            nodes = {r["label"]: r["count"] for r in store.read(cypher.stats_nodes())}
            held = lock.state()
        rows = store.read("MATCH (p:Person {name: $name})-[h:HOLDS]->(o) RETURN h.title AS t, o.name AS o "
                          "ORDER BY t", {"name": "李卫东"})
        released = lock.state()
    finally:
        store.close()
    assert held["holder"] == lock.holder and held["command"] == "kg reload" and released is None
    assert nodes == EXPECTED_NODES
    assert rows == [{"t": "党组书记", "o": "聊城市工业和信息化局"}, {"t": "局长", "o": "聊城市工业和信息化局"}]


def test_neo4j_adapter_waits_for_a_server_still_starting(bolt_server, caplog):
    """Nothing listens on the port for the first second and a half (a Neo4j container
    still starting); then a relay to the Bolt server opens there. The adapter retries."""
    from kg.store.neo4j import Neo4jStore

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = ("127.0.0.1", int(bolt_server["bolt"].rsplit(":", 1)[1]))

    def pipe(src, dst):
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def relay_later():
        time.sleep(1.5)
        server = socket.create_server(("127.0.0.1", port))
        while True:
            client, _ = server.accept()
            upstream = socket.create_connection(target)
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()

    threading.Thread(target=relay_later, daemon=True).start()
    caplog.set_level("WARNING", logger="kg.store")
    store = Neo4jStore(f"bolt://127.0.0.1:{port}", None)
    try:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        store.close()
    assert "unreachable (attempt 1)" in caplog.text


def test_neo4j_adapter_reports_dead_server():
    from kg.errors import StoreError
    from kg.store.neo4j import Neo4jStore

    with pytest.raises(StoreError) as err:
        Neo4jStore("bolt://127.0.0.1:9", None)
    assert "bolt://127.0.0.1:9" in str(err.value)


REAL_NEO4J = os.environ.get("NEO4J_URI")  # read before the fixtures clear it


@pytest.mark.skipif(not REAL_NEO4J, reason="no real Neo4j: set NEO4J_URI (and NEO4J_USERNAME/NEO4J_PASSWORD)")
def test_real_neo4j(example_graph):
    with open_store(REAL_NEO4J) as store:
        load(store, example_graph, progress=False)
        first = _store_snapshot(store)
        load(store, example_graph, progress=False)
        assert _store_snapshot(store) == first


def test_entity_nodes_in_the_graph_equal_what_the_store_recomputes(example_graph):
    """One rule gathers an entity's properties from its MENTIONED_IN edges: in the
    networkx graph (kg.graph._gather) and in the store (cypher.recompute_entities)."""
    def as_sets(props: dict) -> dict:
        return {k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in props.items() if v is not None}

    with open_store("embedded") as store:
        load(store, example_graph, progress=False)
        stored = {r["props"]["id"]: as_sets(r["props"]) for r in store.read(cypher.export_nodes())
                  if r["label"] in cypher.ENTITY_LABELS}
    built = {n: as_sets({k: v for k, v in d.items() if k != "label"}) for n, d in example_graph.nodes(data=True)
             if d["label"] in cypher.ENTITY_LABELS}
    assert stored == built
