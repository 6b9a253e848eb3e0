"""A first load into an empty FalkorDB through its bulk path, GRAPH.BULK.

The MERGE path (kg.writers.load) looks every node and relationship up before it
writes it; a store that holds nothing yet has nothing to look up. GRAPH.BULK takes
the graph in FalkorDB's binary bulk format instead (what the falkordb-bulk-loader
package sends): per label its name, its property names and each node's values; per
relationship type the same, each relationship naming its ends by their position
among the nodes sent. The values are written with their own types (a string that
looks like a number stays a string; an empty list stays an empty list), as the
MERGE statements set them on fresh nodes and relationships: sets as given, unions
without repeats, minima and maxima, sizes of lists (schemas/graph.json).

The graph is built under a key of its own and then renamed over the store's graph
in one step (RENAME), with the store's bookkeeping nodes (its lock, its checks)
carried over: a load cut short leaves the store as it was, the next run deletes
the leftover key. Entity nodes carry the properties kg.graph gathered from their
MENTIONED_IN edges by the rules the MERGE path's recompute follows; indexes and the
manifest are written after, by the ordinary statements, so the store ends
exactly as the MERGE path leaves it (tests/test_bulk.py).
"""

from __future__ import annotations

import logging
import struct
from functools import cache
from typing import Any

import networkx as nx

from kg.writers import cypher

log = logging.getLogger("kg.load")

# FalkorDB's bulk value types
NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = 0, 1, 2, 3, 4, 5
MAX_CALL_BYTES = 256 * 1024 * 1024  # one GRAPH.BULK call stays well under the server's argument limit
BULK_SUFFIX = "__bulk"


_NULL = struct.pack("=B", NULL)
_LONG, _DOUBLE, _ARRAY = struct.Struct("=Bq"), struct.Struct("=Bd"), struct.Struct("=Bq")
_STRINGS: dict[str, bytes] = {}  # names, kinds, ids repeat across a graph: each encoded once
STRING_CACHE = 500_000  # strings kept encoded, at most


def encode(value: Any) -> bytes:
    """One property value in the bulk format: its type, then the value (what is none of
    these is written as its string)."""
    kind = type(value)
    if kind is str:
        cached = _STRINGS.get(value)
        if cached is None:
            cached = bytes([STRING]) + _cstring(value)
            if len(_STRINGS) < STRING_CACHE:
                _STRINGS[value] = cached
        return cached
    if kind is list or kind is tuple:
        return _ARRAY.pack(ARRAY, len(value)) + b"".join([encode(v) for v in value])
    if kind is int:
        return _LONG.pack(LONG, value)
    if value is None:
        return _NULL
    if kind is bool:
        return struct.pack("=B?", BOOL, value)
    if kind is float:
        return _DOUBLE.pack(DOUBLE, value)
    return encode(str(value))


def _cstring(text: str) -> bytes:
    return text.encode("utf-8") + b"\0"


def _header(name: str, props: list[str]) -> bytes:
    return _cstring(name) + struct.pack("=I", len(props)) + b"".join(_cstring(p) for p in props)


def fresh_node(label: str, row: dict) -> dict:
    """What merge_nodes leaves on a node it creates: sets as given, unions without repeats."""
    spec = cypher.schema()["nodes"][label]
    props = {k: v for k, v in row.items() if v is not None}
    for p in spec.get("union", []):
        if p in props:
            props[p] = _once(props[p])
    return props


def fresh_relationship(rel: str, props: dict) -> dict:
    """What merge_relationships leaves on a relationship it creates, from its row's
    properties (none of them null): sets as given, unions without repeats, sizes."""
    unions, sizes = _relationship_rules(rel)
    for p in unions:
        if p in props:
            props[p] = _once(props[p])
    for p, source in sizes:
        if source in props:
            props[p] = len(props[source])
    return props


@cache
def _relationship_rules(rel: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    spec = cypher.schema()["relationships"][rel]
    return tuple(spec.get("union", [])), tuple(spec.get("size_of", {}).items())


def _once(values: list) -> list:
    """Each value once, in order; equal values are one (as Cypher's list union keeps them)."""
    if len(values) < 2:
        return list(values)
    try:
        return list(dict.fromkeys(values))  # hashable values: equal ones hash alike
    except TypeError:
        out: list = []
        for v in values:
            if v not in out:
                out.append(v)
        return out


def bulk_calls(nodes: list[tuple[str, dict]], rels: list[tuple[str, int, int, dict]]) -> list[list]:
    """The GRAPH.BULK argument lists (after the graph's name) for these nodes (label,
    properties; the nodes of a label together, as the server numbers them in the order
    sent) and relationships (type, start position, end position, properties): the
    first call begins the graph, each carries whole labels and types."""
    runs = [lab for k, (lab, _) in enumerate(nodes) if k == 0 or nodes[k - 1][0] != lab]
    if len(runs) != len(set(runs)):
        raise ValueError("the nodes of a label must come together: GRAPH.BULK numbers them in the order sent")
    blobs: list[tuple[str, bytes, int]] = []  # (kind, blob, count)
    by_label: dict[str, list[dict]] = {}
    for label, props in nodes:
        by_label.setdefault(label, []).append(props)
    for label, members in by_label.items():
        names = sorted({k for p in members for k in p})
        blob = _header(label, names) + b"".join([encode(p.get(k)) for p in members for k in names])
        blobs.append(("label", blob, len(members)))
    by_type: dict[str, list[tuple[int, int, dict]]] = {}
    for rel, start, end, props in rels:
        by_type.setdefault(rel, []).append((start, end, props))
    ends = struct.Struct("=QQ")
    for rel, members in by_type.items():
        names = sorted({k for *_, p in members for k in p})
        blob = _header(rel, names) + b"".join([ends.pack(a, b) + b"".join([encode(p.get(k)) for k in names])
                                               for a, b, p in members])
        blobs.append(("type", blob, len(members)))
    calls, current, size = [], [], 0
    for blob in blobs:
        if current and size + len(blob[1]) > MAX_CALL_BYTES:
            calls.append(current)
            current, size = [], 0
        current.append(blob)
        size += len(blob[1])
    calls.append(current)
    out = []
    for k, group in enumerate(calls):
        labels = [b for kind, b, _ in group if kind == "label"]
        types = [b for kind, b, _ in group if kind == "type"]
        counts = [sum(n for kind, _, n in group if kind == "label"), sum(n for kind, _, n in group if kind == "type"),
                  len(labels), len(types)]
        out.append((["BEGIN"] if k == 0 else []) + counts + labels + types)
    return out


def bulk_plan(g: nx.MultiDiGraph, keep: list[dict]) -> tuple[list[list], int, int]:
    """The GRAPH.BULK calls that make a graph of `g` and the bookkeeping nodes `keep`
    (rows of cypher.bookkeeping_nodes()); with the nodes and relationships of `g`."""
    # the values the MERGE statements carry, read straight off the graph: the order of what
    # GRAPH.BULK creates changes nothing in the store
    nodes: list[tuple[str, dict]] = [(r["label"], dict(r["props"])) for r in keep]
    by_label: dict[str, list] = {}
    for node, data in g.nodes(data=True):
        by_label.setdefault(data["label"], []).append((node, data))
    position: dict[str, int] = {}
    for label, members in by_label.items():  # label by label: GRAPH.BULK numbers the nodes in the order sent
        # an entity's properties as kg.graph gathered them from its MENTIONED_IN edges, by the rules
        # the store's recompute follows (the MERGE path sends its key alone and recomputes them)
        keys = cypher.node_keys(label)
        for node, data in members:
            position[node] = len(nodes)
            nodes.append((label, fresh_node(label, {k: data.get(k) for k in keys})))
    rels: list[tuple[str, int, int, dict]] = []
    keys = {rel: cypher.relationship_row_keys(rel) for rel in cypher.schema()["relationships"]}
    for src, dst, data in g.edges(data=True):
        rel = data["type"]
        props = fresh_relationship(rel, {k: v for k in keys[rel] if (v := data.get(k)) is not None})
        rels.append((rel, position[src], position[dst], props))
    return bulk_calls(nodes, rels), len(nodes) - len(keep), len(rels)


def bulk_write(store, g: nx.MultiDiGraph) -> tuple[int, int]:
    """Write `g` to an empty FalkorDB store (kg.store.falkor.FalkorStore) by GRAPH.BULK,
    keeping the store's bookkeeping nodes; then its schema and entity properties by the
    ordinary statements. Returns the nodes and relationships written."""
    calls, n_nodes, n_rels = bulk_plan(g, store.read(cypher.bookkeeping_nodes()))
    send(store, calls)
    log.info("bulk load: %d nodes, %d relationships", n_nodes, n_rels)
    return n_nodes, n_rels


def send(store, calls: list[list]) -> None:
    """The calls sent under a key of their own, the key renamed over the store's graph,
    then the schema."""
    connection = store.db.connection
    temporary = store.graph_name + BULK_SUFFIX
    connection.execute_command("DEL", temporary)  # what a bulk load cut short left
    for args in calls:
        connection.execute_command("GRAPH.BULK", temporary, *args)
    connection.execute_command("RENAME", temporary, store.graph_name)  # one step: the old graph or the new
    store.graph = store.db.select_graph(store.graph_name)  # labels and property names are the new graph's
    store.apply_schema()
