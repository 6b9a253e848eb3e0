"""Write a networkx graph to a store: batched `UNWIND $rows` MERGEs on ids.

Nodes first (by label), then relationships grouped by (type, from label, to
label), in batches of `batch` rows. Re-running a load changes nothing: nodes
and edges are merged on their keys, list properties are unions, spans are
min/max, counts derive from unions.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

import networkx as nx
from tqdm import tqdm

from kg import PIPELINE_VERSION
from kg.aliases.identity import NODE_DEFAULTS
from kg.config import batch_size
from kg.models import Issue
from kg.store import GraphStore, Statement
from kg.writers import cypher

log = logging.getLogger("kg.load")


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i: i + size]


def statements(g: nx.MultiDiGraph, size: int | None = None, fresh_articles: bool = False) -> list[Statement]:
    """The load as (cypher, params) pairs: pure, so tests can check and lint it.
    `fresh_articles`: the store holds none of the graph's articles (kg.loading forgets
    a changed issue first), so relationships into them are created, not merged."""
    size = size or batch_size()
    schema = cypher.schema()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for _, data in g.nodes(data=True):
        label = data["label"]
        by_label[label].append({p: data.get(p) for p in cypher.node_row_keys(label)})
    by_rel: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for src, dst, data in g.edges(data=True):
        rel = data["type"]
        spec = schema["relationships"][rel]
        allowed = [*spec.get("merge", []), *spec.get("set", []), *spec.get("union", []),
                   *spec.get("min", []), *spec.get("max", [])]
        row = {"src": src, "dst": dst, **{p: data.get(p) for p in allowed}}
        by_rel[(rel, g.nodes[src]["label"], g.nodes[dst]["label"])].append(row)
    out: list[Statement] = []
    for label in schema["nodes"]:
        rows = sorted(by_label.get(label, []), key=lambda r: r["id"])
        out += [(cypher.merge_nodes(label), {"rows": b}) for b in _batches(rows, size)]
    for (rel, f, t), rows in sorted(by_rel.items()):
        rows.sort(key=lambda r: (r["src"], r["dst"], str(r.get("title", ""))))
        text = cypher.merge_relationships(rel, f, t, fresh=fresh_articles and t in cypher.FRESH_TARGETS)
        out += [(text, {"rows": b}) for b in _batches(rows, size)]
    return out


def store_counts(store: GraphStore) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes by label and relationships by type, as the store holds them."""
    nodes = {r["label"]: r["count"] for r in store.read(cypher.stats_nodes())}
    rels = {r["type"]: r["count"] for r in store.read(cypher.stats_relationships())}
    return nodes, rels


def load_plan(g: nx.MultiDiGraph, size: int | None = None, fresh_articles: bool = False) -> list[Statement]:
    """Writing a graph: its nodes and relationships, then the entity nodes recomputed."""
    return statements(g, size, fresh_articles) + recompute(g, size)


def recompute(g: nx.MultiDiGraph, size: int | None = None) -> list[Statement]:
    """The entity nodes a load touched, recomputed from all their MENTIONED_IN edges."""
    size = size or batch_size()
    out: list[Statement] = []
    for label in cypher.ENTITY_LABELS:
        ids = sorted(n for n, d in g.nodes(data=True) if d["label"] == label)
        out += [(cypher.recompute_entities(label), {"ids": b, **RECOMPUTE_DEFAULTS}) for b in _batches(ids, size)]
    return out


RECOMPUTE_DEFAULTS = {f"{k}_default": v for k, v in NODE_DEFAULTS.items()}  # parameters of the recompute


def forget_plan(store: GraphStore, issue_id: str) -> tuple[list[Statement], int]:
    """The statements that remove one issue's facts (its articles, their share of every
    relationship, the entities nothing else supports, the rest recomputed as a build
    without the issue would have made it), and how many articles go."""
    rows = store.read(cypher.issue_articles(), {"issue": issue_id})
    articles = [r["id"] for r in rows]
    touched = store.read(cypher.entities_in_articles(), {"articles": articles}) if articles else []
    params = {"articles": articles, "dates": sorted({r["date"] for r in rows if r["date"]}),
              "ids": sorted({r["id"] for r in touched}), "issue": issue_id, **RECOMPUTE_DEFAULTS}
    return [(text, params) for text in cypher.forget_statements()], len(articles)


def forget(store: GraphStore, issue_id: str) -> int:
    """Remove one issue's facts; returns the number of articles removed."""
    plan, removed = forget_plan(store, issue_id)
    store.write(plan)
    log.info("%s: forgot %d article(s)", issue_id, removed)
    return removed


def mark_plan(issues: list[Issue]) -> list[Statement]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [{"id": i.id, "sha256": i.sha256, "pipeline_version": PIPELINE_VERSION, "loaded_at": now}
            for i in issues]
    return [(cypher.mark_issues_loaded(), {"rows": rows})]


def identity_evidence(store: GraphStore) -> tuple[list[dict], list[dict]]:
    """People (with the organisations and districts their identity rests on) and
    organisations already stored, for kg.aliases.identity to decide as before."""
    return store.read(cypher.person_evidence()), store.read(cypher.organization_names())


def loaded_issues(store: GraphStore) -> dict[str, tuple[str | None, str | None]]:
    """The store's manifest: issue id -> (content hash, pipeline version) of loads that finished."""
    return {r["id"]: (r["sha256"], r["pipeline_version"]) for r in store.read(cypher.manifest())}


def load(store: GraphStore, g: nx.MultiDiGraph, progress: bool = True, schema: bool = True) -> int:
    """Apply the schema's DDL (unless done already), then write the graph.
    Returns the number of statements."""
    if schema:
        store.apply_schema()
    todo = load_plan(g)
    for stmt in tqdm(todo, desc="loading", unit="batch", disable=not progress, leave=False):
        store.write([stmt])
    log.debug("loaded %d nodes and %d relationships into %s in %d batches",
             g.number_of_nodes(), g.number_of_edges(), store.uri, len(todo))
    return len(todo)
