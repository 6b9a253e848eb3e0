"""Write a networkx graph to a store: batched `UNWIND $rows` MERGEs on ids.

Nodes first (by label), then relationships grouped by (type, from label, to
label), in batches of `batch` rows. Re-running a load changes nothing: nodes
and edges are merged on their keys, list properties are unions, spans are
min/max, counts derive from unions.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
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
    by_label, by_rel = graph_rows(g)
    out: list[Statement] = []
    for label, rows in by_label.items():
        out += [(cypher.merge_nodes(label), {"rows": b}) for b in _batches(rows, size)]
    for (rel, f, t), rows in by_rel.items():
        text = cypher.merge_relationships(rel, f, t, fresh=fresh_articles and t in cypher.FRESH_TARGETS)
        out += [(text, {"rows": b}) for b in _batches(rows, size)]
    return out


def graph_rows(g: nx.MultiDiGraph) -> tuple[dict[str, list[dict]], dict[tuple[str, str, str], list[dict]]]:
    """The rows a load writes: per node label (in the schema's order) and per relationship
    (type, from label, to label), each sorted (kg.store.bulk reads a relationship's keys
    off the graph the same way: cypher.relationship_row_keys)."""
    schema = cypher.schema()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for _, data in g.nodes(data=True):
        label = data["label"]
        by_label[label].append({p: data.get(p) for p in cypher.node_row_keys(label)})
    by_rel: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for src, dst, data in g.edges(data=True):
        rel = data["type"]
        row = {"src": src, "dst": dst, **{p: data.get(p) for p in cypher.relationship_row_keys(rel)}}
        by_rel[(rel, g.nodes[src]["label"], g.nodes[dst]["label"])].append(row)
    for rows in by_rel.values():
        rows.sort(key=lambda r: (r["src"], r["dst"], str(r.get("title", ""))))
    return ({label: sorted(by_label[label], key=lambda r: r["id"]) for label in schema["nodes"] if label in by_label},
            dict(sorted(by_rel.items())))


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


def forget_plan(store: GraphStore, part: str, issue: str,
                also: Sequence[str] = ()) -> tuple[list[Statement], int]:
    """The statements that remove one file's facts (its articles, their share of every
    relationship, the entities nothing else supports, the rest recomputed as a build
    without the file would have made it; its issue once no other file of it is left),
    and how many articles go. `also`: entities to look at beyond those the articles
    mention (what a write cut short may have linked to them without a mention)."""
    rows = store.read(cypher.part_articles(), {"issue": issue, "part": part})
    return _forget_articles(store, rows, part, issue, also), len(rows)


def _forget_articles(store: GraphStore, rows: list[dict], part: str | None, issue: str | None,
                     also: Sequence[str] = (), empty_issues: Sequence[str] = ()) -> list[Statement]:
    """forget_statements for these articles; `also`: more entity ids to recompute (or delete
    when nothing mentions them), `empty_issues`: issues to delete once they hold no article."""
    articles = [r["id"] for r in rows]
    touched = store.read(cypher.entities_in_articles(), {"articles": articles}) if articles else []
    params = {"articles": articles, "dates": sorted({r["date"] for r in rows if r["date"]}),
              "ids": sorted({r["id"] for r in touched} | set(also)), "part": part, "issue": issue,
              "empty_issues": sorted({*empty_issues, *([issue] if issue else [])}), **RECOMPUTE_DEFAULTS}
    return [(text, params) for text in cypher.forget_statements()]


STORE_FORMAT = 1  # stores written by this kg: nothing half-made (one write per file, MULTI/EXEC)


def checked(store: GraphStore) -> bool:
    """Whether the store was checked for an older version's debris (and none can have arisen since)."""
    rows = store.read(cypher.store_format())
    return bool(rows) and (rows[0]["format"] or 0) >= STORE_FORMAT


def checked_plan(ok: bool) -> list[Statement]:
    return [(cypher.set_store_format(), {"format": STORE_FORMAT if ok else None})]


def repair_plan(store: GraphStore) -> tuple[list[Statement], str]:
    """What makes a store that an older version's crash (or a failed write) left half-made
    whole again: articles in no issue forgotten, entity nodes with no name recomputed from
    their mentions or, with none, deleted, issues with no article deleted. Reads only;
    no statement when the store is sound. Returns the plan and what it repairs, in words."""
    dangling = store.read(cypher.dangling_articles())
    suspects = [r["id"] for label in cypher.ENTITY_LABELS for r in store.read(cypher.suspect_entities(label))]
    if dangling:  # rare (an older version's crash): relationships may cite them without a mention
        suspects += [r["id"] for r in store.read(cypher.all_entities())]
    empty = [r["id"] for r in store.read(cypher.empty_issues())]
    if not (dangling or suspects or empty):
        return [], ""
    said = f"{len(dangling)} article(s) in no issue, {len(suspects)} entity node(s) with no name or no " \
           f"mention, {len(empty)} issue(s) with no article"
    return _forget_articles(store, dangling, None, None, suspects, empty), said


def mark_plan(files: list[tuple[Issue, str]]) -> list[Statement]:
    """The manifest entries of files just loaded: (the issue read from it, its resolved path)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [{"part": i.part, "issue": i.id, "path": path, "page": i.page, "sha256": i.sha256,
             "pipeline_version": PIPELINE_VERSION, "loaded_at": now} for i, path in files]
    return [(cypher.mark_files_loaded(), {"rows": rows})]


def loaded_files(store: GraphStore) -> dict[str, dict]:
    """The store's manifest: part id -> {part, issue, path, sha256, pipeline_version} of every
    file whose load finished (issues an older version marked count as one file each)."""
    out = {r["part"]: {**r, "legacy": True} for r in store.read(cypher.legacy_manifest())}
    out.update({r["part"]: r for r in store.read(cypher.manifest())})
    return out


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
