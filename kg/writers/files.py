"""Files from a graph: GraphML, JSON lines, and the CSV layout that
`neo4j-admin database import full` reads.

The graph comes from a store (`graph_from_store`), so an export shows what is
actually loaded, whichever run put it there.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.store import GraphStore
from kg.writers import cypher

FORMATS = ("graphml", "jsonl", "neo4j-csv")
ARRAY_DELIMITER = ";"
OWN_ID_SPACE = {cypher.FILE}  # bookkeeping nodes whose ids repeat those of the data (a file's part = its issue)


def graph_from_store(store: GraphStore, manifest: bool = False) -> nx.MultiDiGraph:
    """The store's graph; with `manifest`, also its record of the files loaded (IssueFile
    nodes), so that a store made from the export takes `kg reload` as this one would."""
    g = nx.MultiDiGraph()
    for row in store.read(cypher.export_nodes()):
        props = dict(row["props"])
        g.add_node(props["id"], label=row["label"], **props)
    for row in store.read(cypher.export_manifest()) if manifest else []:
        props = dict(row["props"])  # a file's part id is its issue's id: kept apart (an ID space of its own)
        g.add_node(f"{row['label']}:{props['id']}", label=row["label"], **props)
    for row in store.read(cypher.export_relationships()):
        props = dict(row["props"] or {})
        key = row["type"] + (f":{props['title']}" if "title" in props else "")
        g.add_edge(row["src"], row["dst"], key=key, type=row["type"], **props)
    return g


def write_graphml(g: nx.MultiDiGraph, out: Path) -> None:
    """GraphML has no list type: lists are written as JSON strings. Gephi and yEd caption
    a node by its `label`: that is its name (an article's title, an issue's id), and the
    node's type is the attribute `type`, as a relationship's is."""
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items() if k != "label"}
        h.add_node(n, **attrs, type=d["label"], label=_scalar(d.get("name") or d.get("title") or n))
    for s, t, k, d in g.edges(keys=True, data=True):
        h.add_edge(s, t, key=k, **{a: _scalar(v) for a, v in d.items()}, label=d["type"])
    nx.write_graphml(h, out)


def _scalar(v):
    if isinstance(v, list | dict):
        v = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str):
        return _XML_FORBIDDEN.sub(" ", v)
    return "" if v is None else v


# What XML 1.0 does not allow in a document (a form feed from pdftotext in a store written by
# an older kg, a NUL): each becomes a space, so the file always parses.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_jsonl(g: nx.MultiDiGraph, out: Path) -> None:
    with out.open("w", encoding="utf-8") as f:
        for n, d in sorted(g.nodes(data=True)):
            props = {k: v for k, v in d.items() if k != "label"}
            f.write(json.dumps({"kind": "node", "label": d["label"], "id": n, "properties": props},
                               ensure_ascii=False) + "\n")
        for s, t, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[2]["type"], e[1])):
            props = {k: v for k, v in d.items() if k != "type"}
            f.write(json.dumps({"kind": "relationship", "type": d["type"], "start": s, "end": t,
                                "properties": props}, ensure_ascii=False) + "\n")


def _csv_type(values: list) -> str:
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "long"
    if isinstance(sample, float):
        return "double"
    if isinstance(sample, list):
        inner = next((x for x in sample), "")
        return "long[]" if isinstance(inner, int) and not isinstance(inner, bool) else "string[]"
    return "string"


def _csv_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ARRAY_DELIMITER.join(str(x).replace(ARRAY_DELIMITER, ",") for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_neo4j_csv(g: nx.MultiDiGraph, out: Path) -> list[str]:
    """One nodes file per label and one relationships file per type, and the
    neo4j-admin command that imports them (written to import.sh)."""
    out.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, list[dict]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        nodes[d["label"]].append({k: v for k, v in d.items() if k != "label"} | {"id": d.get("id", n)})
    rels: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for s, t, d in g.edges(data=True):
        rels[d["type"]].append((s, t, {k: v for k, v in d.items() if k != "type"}))
    args = []
    for label, rows in sorted(nodes.items()):
        props = sorted({k for r in rows for k in r} - {"id"})
        id_column = f"id:ID({label})" if label in OWN_ID_SPACE else "id:ID"
        header = [id_column] + [f"{p}:{_csv_type([r.get(p) for r in rows])}" for p in props] + [":LABEL"]
        path = out / f"nodes_{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for r in sorted(rows, key=lambda r: r["id"]):
                w.writerow([r["id"]] + [_csv_value(r.get(p)) for p in props] + [label])
        args.append(f"--nodes={path.name}")
    for rel, rows in sorted(rels.items()):
        props = sorted({k for _, _, d in rows for k in d})
        header = [":START_ID"] + [f"{p}:{_csv_type([d.get(p) for _, _, d in rows])}" for p in props] + \
            [":END_ID", ":TYPE"]
        path = out / f"relationships_{rel}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for s, t, d in sorted(rows, key=lambda x: (x[0], x[1])):
                w.writerow([s] + [_csv_value(d.get(p)) for p in props] + [t, rel])
        args.append(f"--relationships={path.name}")
    (out / "import.sh").write_text(IMPORT_SH.format(files=" \\\n  ".join(args), delimiter=ARRAY_DELIMITER),
                                   encoding="utf-8")
    return [p.name for p in sorted(out.iterdir())]


# Neo4j 5's full import (operations manual, "Full import"): the database name right after
# `full`, where 5.19 and later read it; article texts hold line breaks; the arrays of
# aliases are joined by ARRAY_DELIMITER; an existing database is replaced only when asked.
IMPORT_SH = """#!/bin/sh
# A first bulk load of this folder into Neo4j 5 with neo4j-admin, the server stopped.
# The database must not exist yet; ./import.sh --overwrite replaces it (all in it is lost).
# With the compose file, before the first `docker compose up` (or with neo4j stopped):
#   docker compose run --rm -v "$PWD/import:/import" neo4j sh /import/import.sh
# Then start Neo4j; `kg reload` on the same issues after it loads only what changed.
set -eu
cd "$(dirname "$0")"
overwrite=""
if [ "${{1:-}}" = "--overwrite" ]; then overwrite="--overwrite-destination=true"; fi
exec "${{NEO4J_ADMIN:-neo4j-admin}}" database import full "${{NEO4J_DATABASE:-neo4j}}" $overwrite \\
  --multiline-fields=true --array-delimiter='{delimiter}' \\
  {files}
"""


def export(g: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    if fmt == "graphml":
        write_graphml(g, out)
    elif fmt == "jsonl":
        write_jsonl(g, out)
    elif fmt == "neo4j-csv":
        write_neo4j_csv(g, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
