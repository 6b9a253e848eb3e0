"""Every Cypher statement kg ships or emits passes Neo4j's own front end
(@neo4j-cypher/language-support, lintCypherQuery) with zero diagnostics."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from kg.cli import EXAMPLE_QUERY
from kg.serve import queries as serve_queries
from kg.writers import cypher
from tests.conftest import ROOT


def lint(linter: Path, statements: list[tuple[str, dict]]) -> list[dict]:
    schema = cypher.schema()
    labelled = dict(cypher.keyed_labels())  # data labels and kg's own (the store lock)
    props = sorted({p for spec in list(labelled.values()) + list(schema["relationships"].values())
                    for key in ("key", "properties", "union", "merge", "set", "min", "max", "indexes", "marks")
                    for p in ([spec[key]] if isinstance(spec.get(key), str) else spec.get(key, []))}
                   | {"weight", "id", "src", "dst"}  # row.src, row.dst: keys of the UNWIND rows
                   | {cypher.STALE})  # the mark forget sets and removes within one run
    payload = {"schema": {"labels": list(labelled), "relationshipTypes": list(schema["relationships"]),
                          "propertyKeys": props},
               "statements": [{"query": q, "parameters": p} for q, p in statements]}
    out = subprocess.run(["node", str(linter / "lint.mjs")], input=json.dumps(payload), capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout)


# the parameters the queries in scripts/queries take
QUERY_PARAMS = {"name": "王刚", "title": "副市长", "org": "聊城市人民政府", "date": "2024-12-28",
                "from_issue": "lcrb-2023-06-26", "to_issue": "lcrb-2024-12-28", "event": "x", "from": "2024-01-01",
                "to": "2024-12-31", "a": "王刚", "b": "李卫东"}


def shipped_statements() -> list[tuple[str, dict]]:
    rows = {"rows": [{"id": "x", "src": "x", "dst": "y"}]}
    out = [(q, rows) for q in cypher.write_statements()]
    out += [(q, {}) for q in cypher.neo4j_ddl()]
    out += [(q, {"names": ["王刚"], "ids": ["x"]}) for q in (cypher.person_mentions(), cypher.organization_mentions(),
                                                             cypher.person_groups())]
    out += [(cypher.latest_mentions(), {"names": ["王刚"], "articles": ["x"]})]
    out += [(q, {}) for q in (cypher.all_entities(), cypher.organization_names(), cypher.person_names())]
    out += [(q, {"ids": ["x"]}) for q in (cypher.article_parts(), cypher.entity_names())]
    out += [(cypher.store_format(), {}), (cypher.set_store_format(), {"format": 1})]
    forget = {"articles": ["x"], "dates": ["2024-01-01"], "ids": ["x"], "issue": "x", "part": "x-A01",
              "empty_issues": ["x"], "merge_reason_default": "x", "confidence_default": 1.0}
    out += [(q, forget) for q in [*cypher.forget_statements(), cypher.part_articles(), cypher.entities_in_articles()]]
    out += [(q, {}) for q in (cypher.dangling_articles(), cypher.empty_issues(), cypher.legacy_manifest(),
                              *map(cypher.suspect_entities, cypher.ENTITY_LABELS))]
    out += [(cypher.person_profile(), {"name": "王刚"})]
    out += [(q, {"id": "x", "limit": 10}) for q in (cypher.person_posts(), cypher.person_events(),
                                                    cypher.person_co_mentions())]
    out += [(q, {}) for q in (cypher.stats_nodes(), cypher.stats_relationships(), cypher.export_nodes(),
                              cypher.export_relationships(), EXAMPLE_QUERY, cypher.manifest())]
    out.append((cypher.mark_files_loaded(), {"rows": [{"part": "x", "issue": "x", "path": "/x", "page": None,
                                                        "sha256": "x", "pipeline_version": "x", "loaded_at": "x"}]}))
    out += [(q, {"id": "x"}) for q in (cypher.article_text(), cypher.article_mentions(), cypher.article_roles(),
                                       cypher.article_attendance())]
    out += [(q, {}) for q in (cypher.export_manifest(), cypher.bookkeeping_nodes(), cypher.any_data())]
    lock = {"name": "load", "holder": "x", "ttl_ms": 1000, "host": "h", "pid": 1, "command": "kg", "dead_pids": []}
    out += [(q, lock) for q in cypher.lock_statements()]
    explorer = {"id": "x", "ids": ["x"], "q": "时风", "limit": 10}
    out += [(q, explorer) for q in serve_queries.statements()]
    for path in sorted((ROOT / "scripts" / "queries").glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        out.append((text, QUERY_PARAMS))
    return out


def test_every_statement_passes_neo4j_front_end(linter):
    statements = shipped_statements()
    assert len(statements) > 60
    results = lint(linter, statements)
    bad = [(r["query"], r["diagnostics"]) for r in results if r["diagnostics"]]
    assert bad == []


def test_the_linter_does_catch_errors(linter):
    """Control: the harness reports what Neo4j would reject."""
    results = lint(linter, [("MATCH (n) RETRUN n", {}), ("UNWIND $rows AS row RETURN row", {}),
                            ("MATCH (n:Persn) RETURN n", {})])
    assert all(r["diagnostics"] for r in results)
