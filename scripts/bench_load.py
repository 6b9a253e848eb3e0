"""Load rate into the embedded store: figures and ratios, never assertions.

    .venv/bin/python scripts/bench_load.py [--copies 25] [--batch 1000 5000 10000]

The graph of the seed issues (../shared, else examples/issues), copied with
fresh ids until it holds tens of thousands of relationships, is loaded into an
empty embedded FalkorDB (a temporary KG_HOME) the way `kg build` loads it
(UNWIND batches, then the entity recompute), once per batch size. Printed:
nodes and relationships per second of the whole load stage, and beside them
a bare `UNWIND … MERGE` of 50,000 relationships in batches of 5,000 (the
ceiling the store itself gives on this machine), with the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=25, help="copies of the seed graph (default 25)")
    parser.add_argument("--batch", type=int, nargs="+", default=[1000, 5000, 10000], help="batch sizes to try")
    args = parser.parse_args()
    os.environ["KG_HOME"] = tempfile.mkdtemp(prefix="kg-bench-load-")

    from kg.graph import assemble
    from kg.ingest import issue_files, read_issue
    from kg.pipeline import analyse
    from kg.store import open_store
    from kg.writers.load import load_plan

    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    source = seeds if seeds.is_dir() else ROOT / "examples" / "issues"
    issues = [read_issue(f) for f in issue_files([str(source)])]
    g = copies_of(assemble(issues, list(analyse([a for i in issues for a in i.articles]))), args.copies)
    n_nodes, n_rels = g.number_of_nodes(), g.number_of_edges()
    print(f"graph: {n_nodes} nodes, {n_rels} relationships ({args.copies} copies of {source})")
    best = (0.0, 0)
    with open_store("embedded") as store:
        store.apply_schema()
        for size in args.batch:
            store.write([("MATCH (n) DETACH DELETE n", {})])
            todo = load_plan(g, size)
            started = time.perf_counter()
            for stmt in todo:
                store.write([stmt])
            seconds = time.perf_counter() - started
            print(f"batch {size:>6}: {seconds:6.2f}s  {n_nodes / seconds:>9.0f} nodes/s  "
                  f"{n_rels / seconds:>9.0f} relationships/s  ({len(todo)} statements)")
            best = max(best, (n_rels / seconds, size))
        store.write([("MATCH (n) DETACH DELETE n", {})])
        bare = bare_merge_rate(store)
    print(f"bare UNWIND MERGE of 50,000 relationships, batches of 5,000: {bare:,.0f} relationships/s")
    print(f"best load stage: {best[0]:,.0f} relationships/s at batch {best[1]} "
          f"({best[0] / bare:.2f}x the bare merge; target >= 50,000/s)")


if __name__ == "__main__":
    main()
