"""Load rate into the embedded store: figures and ratios, never assertions.

    .venv/bin/python scripts/bench_load.py [--issues 100] [--copies 25] [--batch 1000 5000 10000]

1. The `kg build` load stage: --issues copies of the seed and example issues
   (shifted dates, as scripts/bench_growth.py makes them) loaded the way
   `kg build` loads them (kg.loading.locked_loader: issues gathered into groups
   of a batch of entity mentions, each group one write), once per batch
   size, into an empty embedded FalkorDB in a temporary KG_HOME. Only the time
   spent writing counts (the NLP is the extract benchmark's business). Printed:
   node and relationship rows written per second, and what the store ends with.
2. One graph at once: the seed graph copied with fresh ids until it holds tens
   of thousands of relationships, written as one load plan per batch size (the
   MERGE path), then by the bulk path of a first load (kg.store.bulk: GRAPH.BULK,
   then indexes and the entities' properties), with the ratio.
3. The store's own ceilings on this machine: a bare `UNWIND … MERGE` of 50,000
   relationships in batches of 5,000 through FalkorDB's client, and a
   server-side CREATE of 50,000 relationships that sends no parameters at all.

The issue's target (>= 50,000 relationships/s) came with its calibration: the
same bare merge ran at about 107,000/s on the machines it was set on; the last
line scales our rate by that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REFERENCE_BARE_MERGE = 107_000  # relationships/s of the bare merge where the target was set (the issue)


def copies_of(g, n: int):
    import networkx as nx

    out = nx.MultiDiGraph()
    for k in range(n):
        mapping = {node: f"{node}~{k}" for node in g.nodes}
        part = nx.relabel_nodes(g, mapping, copy=True)
        for node, data in part.nodes(data=True):
            data["id"] = node
        out = nx.compose(out, part)
    return out


def bare_merge_rate(store, total: int = 50_000, batch: int = 5_000) -> float:
    store.write([("UNWIND range(0, $n) AS i MERGE (:Bench {id: i})", {"n": 999})])
    store.write([("CREATE INDEX FOR (b:Bench) ON (b.id)", {})])
    rows = [{"a": i % 1000, "b": (i * 7 + 1) % 1000, "k": i} for i in range(total)]
    text = ("UNWIND $rows AS row MATCH (a:Bench {id: row.a}) MATCH (b:Bench {id: row.b}) "
            "MERGE (a)-[:BENCH {k: row.k}]->(b)")
    started = time.perf_counter()
    for i in range(0, total, batch):
        store.write([(text, {"rows": rows[i: i + batch]})])
    return total / (time.perf_counter() - started)


def server_create_rate(store, total: int = 50_000) -> float:
    """No client, no parameters: the server alone creating relationships between indexed nodes."""
    started = time.perf_counter()
    store.write([("UNWIND range(1, $n) AS i MATCH (a:Bench {id: i % 1000}) MATCH (b:Bench {id: (i * 7 + 1) % 1000}) "
                  "CREATE (a)-[:BENCH_CREATE {k: i}]->(b)", {"n": total})])
    return total / (time.perf_counter() - started)


class TimedWrites:
    """Wraps a store's write: seconds spent, node and relationship rows sent."""

    def __init__(self, store):
        self.store, self.inner = store, store.write
        self.seconds, self.node_rows, self.rel_rows = 0.0, 0, 0
        store.write = self

    def __call__(self, statements) -> None:
        started = time.perf_counter()
        self.inner(statements)
        self.seconds += time.perf_counter() - started
        for _, params in statements:
            rows = params.get("rows") or []
            if rows and "src" in rows[0]:
                self.rel_rows += len(rows)
            elif rows and "id" in rows[0] and "sha256" not in rows[0]:
                self.node_rows += len(rows)

    def restore(self) -> None:
        self.store.write = self.inner


def build_stage(store, files: list[Path], size: int) -> tuple[TimedWrites, int, int]:
    from kg.loading import locked_loader
    from kg.writers.load import store_counts

    os.environ["KG_BATCH_SIZE"] = str(size)
    store.write([("MATCH (n) DETACH DELETE n", {})])
    timed = TimedWrites(store)
    try:
        with locked_loader(store, "bench_load") as loader:
            for path in files:
                loader.load_file(path)
    finally:
        timed.restore()
    nodes, rels = store_counts(store)
    return timed, sum(nodes.values()), sum(rels.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=100, help="issues in the kg build stage (default 100)")
    parser.add_argument("--copies", type=int, default=25, help="copies of the seed graph (default 25)")
    parser.add_argument("--batch", type=int, nargs="+", default=[1000, 5000, 10000], help="batch sizes to try")
    args = parser.parse_args()
    os.environ["KG_HOME"] = tempfile.mkdtemp(prefix="kg-bench-load-")
    os.environ["KG_BULK"] = "0"  # part 1 measures the MERGE path a daily load takes; part 2 sets both side by side

    from bench_growth import make_issues

    from kg.graph import assemble
    from kg.ingest import issue_files, read_issue
    from kg.pipeline import analyse
    from kg.store import open_store
    from kg.store.bulk import bulk_plan, send
    from kg.writers import cypher
    from kg.writers.load import load_plan

    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    sources = [ROOT / "examples" / "issues", *([seeds] if seeds.is_dir() else [])]
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-load-issues-"))
    files = make_issues(sources, folder, args.issues, dt.date(2030, 1, 1))
    issues = [read_issue(f) for f in issue_files([str(sources[-1])])]
    g = copies_of(assemble(issues, list(analyse([a for i in issues for a in i.articles]))), args.copies)
    best = (0.0, 0)
    with open_store("embedded") as store:
        store.apply_schema()
        print(f"1. kg build load stage: {args.issues} issues (copies of {', '.join(map(str, sources))})")
        for size in args.batch:
            timed, nodes, rels = build_stage(store, files, size)
            rate = timed.rel_rows / timed.seconds
            print(f"   batch {size:>6}: writes {timed.seconds:6.2f}s  {timed.node_rows / timed.seconds:>8.0f} node rows/s  "
                  f"{rate:>8.0f} relationship rows/s  (store: {nodes} nodes, {rels} relationships)")
            best = max(best, (rate, size))
        n_nodes, n_rels = g.number_of_nodes(), g.number_of_edges()
        print(f"2. one graph at once: {n_nodes} nodes, {n_rels} relationships ({args.copies} copies of {sources[-1]})")
        merge_best = (0.0, 0.0)  # (relationships/s of the write, of making the statements and writing them)
        for size in args.batch:
            store.write([("MATCH (n) DETACH DELETE n", {})])
            started = time.perf_counter()
            todo = load_plan(g, size)
            planned = time.perf_counter() - started
            started = time.perf_counter()
            for stmt in todo:
                store.write([stmt])
            seconds = time.perf_counter() - started
            merge_best = max(merge_best, (n_rels / seconds, n_rels / (planned + seconds)))
            print(f"   MERGE, batch {size:>6}: {seconds:6.2f}s  {n_nodes / seconds:>9.0f} nodes/s  "
                  f"{n_rels / seconds:>9.0f} relationships/s  ({len(todo)} statements; making them took "
                  f"{planned:.2f}s)")
        store.write([("MATCH (n) DETACH DELETE n", {})])
        started = time.perf_counter()
        calls, *_ = bulk_plan(g, store.read(cypher.bookkeeping_nodes()))  # as load_plan above: made first
        made = time.perf_counter() - started
        started = time.perf_counter()
        send(store, calls)  # GRAPH.BULK, the key renamed, then the indexes
        seconds = time.perf_counter() - started
        print(f"   bulk (GRAPH.BULK):    {seconds:6.2f}s  {n_nodes / seconds:>9.0f} nodes/s  "
              f"{n_rels / seconds:>9.0f} relationships/s; encoding it first took {made:.2f}s")
        print(f"   bulk / best MERGE batch: the writes {n_rels / seconds / merge_best[0]:.1f}x (target >= 5x); "
              f"making and writing, both paths, {n_rels / (made + seconds) / merge_best[1]:.1f}x")
        store.write([("MATCH (n) DETACH DELETE n", {})])
        bare = bare_merge_rate(store)
        floor = server_create_rate(store)
    print(f"3. bare UNWIND MERGE of 50,000 relationships, batches of 5,000: {bare:,.0f} relationships/s; "
          f"server-side CREATE of 50,000, no parameters: {floor:,.0f} relationships/s")
    print(f"kg build load stage, best: {best[0]:,.0f} relationship rows/s at batch {best[1]} "
          f"({best[0] / bare:.2f}x the bare merge, {best[0] / floor:.2f}x the server-side create; "
          "target >= 50,000/s)")
    print(f"scaled to the machines of the target (bare merge {REFERENCE_BARE_MERGE:,}/s there): "
          f"{best[0] / bare * REFERENCE_BARE_MERGE:,.0f} relationships/s")


if __name__ == "__main__":
    main()
