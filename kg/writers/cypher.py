"""Every Cypher statement kg emits, as pure functions of the schema (schemas/graph.json).

Values always travel as parameters (`UNWIND $rows AS row`); only labels,
relationship types and property names, which come from the schema file and
never from input, are written into the text. Tests lint each statement with
Neo4j's own front end and run it on the embedded store.
"""

from __future__ import annotations

import re
from functools import cache

from kg.config import load_json

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENTITY_LABELS = ("Person", "Organization", "Place", "Event")


@cache
def schema() -> dict:
    data = load_json("graph.json")
    for name in list(data["nodes"]) + list(data["relationships"]):
        _ident(name)
    return data


def _ident(name: str) -> str:
    """Identifiers from the schema are checked, so no input can reach the query text."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe Cypher identifier: {name!r}")
    return name


def _union(target: str, prop: str) -> str:
    """A list property merged with the row's list, each value once, order kept."""
    return (f"{target}.{prop} = reduce(acc = coalesce({target}.{prop}, []), x IN row.{prop} | "
            f"CASE WHEN x IN acc THEN acc ELSE acc + x END)")


def node_keys(label: str) -> list[str]:
    """A node's key and every property the schema gives it."""
    spec = schema()["nodes"][label]
    return [spec["key"], *spec.get("properties", []), *spec.get("union", [])]


def node_row_keys(label: str) -> list[str]:
    """What a node's row carries: its key, and its properties unless it is an entity,
    whose properties recompute_entities derives from its MENTIONED_IN edges after
    every load (setting them here too would only be overwritten)."""
    return node_keys(label)[:1] if label in ENTITY_LABELS else node_keys(label)


def relationship_row_keys(rel_type: str) -> list[str]:
    spec = schema()["relationships"][rel_type]
    return [*spec.get("merge", []), *spec.get("set", []), *spec.get("union", []), *spec.get("min", []),
            *spec.get("max", [])]


def merge_nodes(label: str) -> str:
    spec = schema()["nodes"][label]
    key = _ident(spec["key"])
    carried = node_row_keys(label)
    sets = [f"n.{_ident(p)} = row.{p}" for p in spec.get("properties", []) if p in carried]
    sets += [_union("n", _ident(p)) for p in spec.get("union", []) if p in carried]
    text = f"UNWIND $rows AS row MERGE (n:{_ident(label)} {{{key}: row.{key}}})"
    return text + (" SET " + ", ".join(sets) if sets else "")


# relationships ending here start or end at an article (MENTIONED_IN, WROTE into one; IN_ISSUE from one
# to its issue), and kg.loading writes only articles it has just created (a changed issue's are deleted first)
FRESH_TARGETS = ("Article", "Issue")


def merge_relationships(rel_type: str, from_label: str, to_label: str, fresh: bool = False) -> str:
    """MERGE the rows' relationships, or CREATE them when `fresh`: for relationships into
    an article, which IssueLoader writes only right after creating the article (a changed
    issue's articles are deleted first), so none can exist yet and no lookup is needed."""
    spec = schema()["relationships"][rel_type]
    if from_label not in spec["from"] or to_label not in spec["to"]:
        raise ValueError(f"{rel_type} does not join {from_label} to {to_label} in schemas/graph.json")
    if fresh and to_label not in FRESH_TARGETS:
        raise ValueError(f"{rel_type} into {to_label}: only relationships into articles or issues are created fresh")
    from_key = schema()["nodes"][from_label]["key"]
    to_key = schema()["nodes"][to_label]["key"]
    merge_props = ", ".join(f"{_ident(p)}: row.{p}" for p in spec.get("merge", []))
    pattern = f"[r:{_ident(rel_type)}" + (f" {{{merge_props}}}" if merge_props else "") + "]"
    sets = [f"r.{_ident(p)} = row.{p}" for p in spec.get("set", [])]
    sets += [_union("r", _ident(p)) for p in spec.get("union", [])]
    sets += [f"r.{_ident(p)} = CASE WHEN r.{p} IS NULL OR row.{p} < r.{p} THEN row.{p} ELSE r.{p} END"
             for p in spec.get("min", [])]
    sets += [f"r.{_ident(p)} = CASE WHEN r.{p} IS NULL OR row.{p} > r.{p} THEN row.{p} ELSE r.{p} END"
             for p in spec.get("max", [])]
    text = (f"UNWIND $rows AS row "
            f"MATCH (a:{_ident(from_label)} {{{from_key}: row.src}}) "
            f"MATCH (b:{_ident(to_label)} {{{to_key}: row.dst}}) "
            f"{'CREATE' if fresh else 'MERGE'} (a)-{pattern}->(b)")
    if sets:
        text += " SET " + ", ".join(sets)
    derived = [f"r.{_ident(p)} = size(r.{_ident(src)})" for p, src in spec.get("size_of", {}).items()]
    if derived:  # after a WITH, so the count sees the merged list (FalkorDB reads SET inputs first)
        text += " WITH r SET " + ", ".join(derived)
    return text


def write_statements() -> list[str]:
    """Every write statement the loader can emit (for linting and tests)."""
    out = [merge_nodes(label) for label in schema()["nodes"]]
    for rel_type, spec in schema()["relationships"].items():
        for f in spec["from"]:
            for t in spec["to"]:
                out.append(merge_relationships(rel_type, f, t))
                if t in FRESH_TARGETS:
                    out.append(merge_relationships(rel_type, f, t, fresh=True))
    return out


# ----------------------------------------------------------------------------- aggregates and forgetting

# a node property and the MENTIONED_IN property it is gathered from, where the names differ
FROM_MENTIONS = {"aliases": "forms"}
BEST_OF = ("merge_reason", "confidence")  # taken together from the contribution of highest confidence
STALE = "stale"  # marks relationships forget has changed, removed before it ends


def recompute_entities(label: str) -> str:
    """An entity node's properties from the MENTIONED_IN edges it has left, in article
    order: lists are unions, single values the first article's (identity decisions:
    the most confident one). After any load or forget, so the result never depends
    on the order issues were loaded or forgotten in."""
    spec = schema()["nodes"][label]
    props = [p for p in spec.get("properties", []) + spec.get("union", []) if p != spec["key"]]
    sets = []
    for p in props:
        src = _ident(FROM_MENTIONS.get(p, p))
        if p in spec.get("union", []):
            sets.append(f"n.{_ident(p)} = reduce(acc = [], m IN ms | "
                        f"acc + [x IN coalesce(m.{src}, []) WHERE NOT x IN acc])")
        elif p in BEST_OF:
            sets.append(f"n.{_ident(p)} = coalesce(best.{src}, ${p}_default)")
        else:
            sets.append(f"n.{_ident(p)} = head([m IN ms WHERE m.{src} IS NOT NULL | m.{src}])")
    best = ("reduce(best = head(ms), m IN ms | CASE WHEN coalesce(m.confidence, 0) > coalesce(best.confidence, 0) "
            "THEN m ELSE best END) AS best" if any(p in BEST_OF for p in props) else "head(ms) AS best")
    return (f"UNWIND $ids AS id MATCH (n:{_ident(label)} {{id: id}})-[m:MENTIONED_IN]->(a:Article) "
            f"WITH n, m ORDER BY a.id WITH n, collect(m) AS ms WITH n, ms, {best} SET " + ", ".join(sets))


def part_articles() -> str:
    """The articles one file gave its issue (articles of older versions have no part:
    they are the part whose id is the issue's)."""
    return ("MATCH (a:Article)-[:IN_ISSUE]->(i:Issue {id: $issue}) WHERE coalesce(a.part, i.id) = $part "
            "RETURN a.id AS id, a.date AS date ORDER BY id")


def article_parts() -> str:
    return ("UNWIND $ids AS aid MATCH (a:Article {id: aid})-[:IN_ISSUE]->(i:Issue) "
            "RETURN DISTINCT coalesce(a.part, i.id) AS part ORDER BY part")


def dangling_articles() -> str:
    """Articles in no issue: what an older version's load, cut short, could leave."""
    return "MATCH (a:Article) WHERE NOT (a)-[:IN_ISSUE]->(:Issue) RETURN a.id AS id, a.date AS date ORDER BY id"


def suspect_entities(label: str) -> str:
    """Entity nodes that are not what a recompute makes of them: no name, or no mention
    left (an older version's load or replace cut short)."""
    return (f"MATCH (n:{_ident(label)}) WHERE n.name IS NULL OR NOT (n)-[:MENTIONED_IN]->() "
            "RETURN n.id AS id ORDER BY id")


def all_entities() -> str:
    return ("MATCH (n) WHERE n:Person OR n:Organization OR n:Place OR n:Event RETURN n.id AS id ORDER BY id")


def empty_issues() -> str:
    return "MATCH (i:Issue) WHERE NOT ()-[:IN_ISSUE]->(i) RETURN i.id AS id ORDER BY id"


def entities_in_articles() -> str:
    return ("UNWIND $articles AS aid MATCH (n)-[:MENTIONED_IN]->(:Article {id: aid}) "
            "RETURN DISTINCT n.id AS id, labels(n)[0] AS label")


def strip_articles(rel_type: str) -> list[str]:
    """Take some articles' share out of relationships that gather many articles: their
    ids, their evidence ('article:…' entries), then the counts and spans derived from
    them; a relationship no article supports any more is deleted.

    Every statement starts from the touched entities ($ids, looked up by key): each
    end of such a relationship is mentioned in every article it cites (a test holds
    the graph to that), so forgetting costs what the issue touched, not the corpus.
    Separate statements, marked with `stale`: FalkorDB reads a property set earlier
    in the same query as it was."""
    spec = schema()["relationships"][rel_type]
    rel = _ident(rel_type)
    sets = ["r.articles = [x IN r.articles WHERE NOT x IN $articles]", f"r.{STALE} = true"]
    for p in spec.get("union", []):
        if p != "articles":
            sets.append(f"r.{_ident(p)} = [s IN r.{_ident(p)} WHERE NOT any(x IN $articles WHERE "
                        f"s STARTS WITH (x + ':') OR s STARTS WITH (x + '#'))]")
    derived = [f"r.{_ident(p)} = size(r.{_ident(src)})" for p, src in spec.get("size_of", {}).items()]
    spans = [(p, "min") for p in spec.get("min", [])] + [(p, "max") for p in spec.get("max", [])]
    out = []
    for label in spec["from"]:
        touched = f"UNWIND $ids AS id MATCH (:{_ident(label)} {{id: id}})-[r:{rel}"
        stale = f"{touched} {{{STALE}: true}}]->()"
        out.append(f"{touched}]->() WHERE any(x IN r.articles WHERE x IN $articles) SET " + ", ".join(sets))
        out.append(f"{stale} WHERE size(r.articles) = 0 DELETE r")
        if derived:
            out.append(f"{stale} SET " + ", ".join(derived))
        if spans:  # first/last seen: the dates of the articles that remain, where a forgotten one set them
            bounds = " OR ".join(f"r.{_ident(p)} IN $dates" for p, _ in spans)
            out.append(f"{stale} WHERE {bounds} UNWIND r.articles AS aid MATCH (a:Article {{id: aid}}) "
                       "WITH r, " + ", ".join(f"{fn}(a.date) AS {_ident(p)}" for p, fn in spans) +
                       " SET " + ", ".join(f"r.{_ident(p)} = {_ident(p)}" for p, _ in spans))
        out.append(f"{stale} REMOVE r.{STALE}")
    return out


def forget_statements() -> list[str]:
    """Every statement forgetting one file's articles runs, in order (for linting and tests):
    its manifest entry first (and an older version's mark on the issue), its articles'
    share of every relationship, the articles, the touched entities recomputed or deleted,
    and the issue once no article of it is left. One write: all or nothing."""
    out = [f"MATCH (f:{FILE} {{id: $part}}) DELETE f",
           "MATCH (i:Issue {id: $issue}) REMOVE i.sha256, i.pipeline_version, i.loaded_at"]
    out += [q for rel, spec in schema()["relationships"].items() if "articles" in spec.get("union", [])
           for q in strip_articles(rel)]
    out.append("UNWIND $articles AS aid MATCH (a:Article {id: aid}) DETACH DELETE a")
    out += [recompute_entities(label) for label in ENTITY_LABELS]
    out += [f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) WHERE NOT (n)-[:MENTIONED_IN]->() DETACH DELETE n"
            for label in ENTITY_LABELS]
    out.append("UNWIND $empty_issues AS iid MATCH (i:Issue {id: iid}) WHERE NOT ()-[:IN_ISSUE]->(i) DETACH DELETE i")
    return out


# ----------------------------------------------------------------------------- DDL

def keyed_labels() -> list[tuple[str, dict]]:
    """Data labels, then kg's own bookkeeping labels (the store lock): all keyed on `id`."""
    own = [(label, spec) for label, spec in schema().get("bookkeeping", {}).items() if label != "comment"]
    return [*schema()["nodes"].items(), *own]


def neo4j_ddl() -> list[str]:
    out = []
    for label, spec in keyed_labels():
        key = _ident(spec["key"])
        out.append(f"CREATE CONSTRAINT {label.lower()}_{key}_unique IF NOT EXISTS "
                   f"FOR (n:{_ident(label)}) REQUIRE n.{key} IS UNIQUE")
        for prop in spec.get("indexes", []):
            out.append(f"CREATE INDEX {label.lower()}_{_ident(prop)} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    ft = schema().get("fulltext")
    if ft:
        labels = "|".join(_ident(x) for x in ft["labels"])
        props = ", ".join(f"n.{_ident(p)}" for p in ft["properties"])
        out.append(f"CREATE FULLTEXT INDEX {_ident(ft['name'])} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}] "
                   "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}")
    return out


def falkordb_ddl() -> list[str]:
    """Range indexes (FalkorDB's unique constraints are a server command, not
    Cypher: the FalkorDB adapter adds them after these indexes exist)."""
    out = []
    for label, spec in keyed_labels():
        for prop in [spec["key"], *spec.get("indexes", [])]:
            out.append(f"CREATE INDEX FOR (n:{_ident(label)}) ON (n.{_ident(prop)})")
    return out


def unique_keys() -> list[tuple[str, str]]:
    return [(label, spec["key"]) for label, spec in keyed_labels()]


FILE = "IssueFile"  # schemas/graph.json "bookkeeping": the manifest


def mark_files_loaded() -> str:
    """Written after all of a file's facts: a load cut short leaves the file unrecorded,
    so the next run loads it again. An older version's mark on the issue goes."""
    return (f"UNWIND $rows AS row MERGE (f:{FILE} {{id: row.part}}) "
            "SET f.issue = row.issue, f.path = row.path, f.page = row.page, f.sha256 = row.sha256, "
            "f.pipeline_version = row.pipeline_version, f.loaded_at = row.loaded_at "
            "WITH row MATCH (i:Issue {id: row.issue}) REMOVE i.sha256, i.pipeline_version, i.loaded_at")


def manifest() -> str:
    return (f"MATCH (f:{FILE}) RETURN f.id AS part, f.issue AS issue, f.path AS path, f.sha256 AS sha256, "
            "f.pipeline_version AS pipeline_version ORDER BY part")


def legacy_manifest() -> str:
    """Issues an older version marked loaded on the Issue node itself (one file each)."""
    return ("MATCH (i:Issue) WHERE i.sha256 IS NOT NULL RETURN i.id AS part, i.id AS issue, i.source AS path, "
            "i.sha256 AS sha256, i.pipeline_version AS pipeline_version ORDER BY part")


# ----------------------------------------------------------------------------- the store lock

LOCK = "KgLock"  # schemas/graph.json "bookkeeping"
STORE = "KgStore"  # schemas/graph.json "bookkeeping": the store checked for older versions' debris
NOT_DATA = f"NOT n:{LOCK} AND NOT n:{FILE} AND NOT n:{STORE}"  # kg's own nodes, left out of statistics and exports


def store_format() -> str:
    return f"MATCH (s:{STORE} {{id: 'store'}}) RETURN s.format AS format"


def set_store_format() -> str:
    """$format null: the store must be checked again (a write undone half way)."""
    return f"MERGE (s:{STORE} {{id: 'store'}}) SET s.format = $format"


def lock_acquire() -> str:
    """Take the lease if it is free, expired, ours, or left by a dead process on this
    host ($dead_pids). The first SET takes Neo4j's write lock on the node before the
    holder is read, so two commands cannot both see it free; FalkorDB runs one
    query at a time anyway. Times are the server's clock (timestamp(), ms)."""
    return (f"MERGE (l:{LOCK} {{id: $name}}) SET l.expires = coalesce(l.expires, 0) WITH l "
            "WHERE l.holder IS NULL OR l.holder = $holder OR l.expires < timestamp() "
            "OR (l.host = $host AND l.pid IN $dead_pids) "
            "SET l.holder = $holder, l.host = $host, l.pid = $pid, l.command = $command, "
            "l.since = timestamp(), l.expires = timestamp() + $ttl_ms")


def lock_renew() -> str:
    return f"MATCH (l:{LOCK} {{id: $name}}) WHERE l.holder = $holder SET l.expires = timestamp() + $ttl_ms"


def lock_release() -> str:
    return f"MATCH (l:{LOCK} {{id: $name}}) WHERE l.holder = $holder DELETE l"


def lock_state() -> str:
    return (f"MATCH (l:{LOCK} {{id: $name}}) RETURN l.holder AS holder, l.host AS host, l.pid AS pid, "
            "l.command AS command, l.since AS since, l.expires - timestamp() AS expires_in_ms")


def lock_statements() -> list[str]:
    return [lock_acquire(), lock_renew(), lock_release(), lock_state()]


# ----------------------------------------------------------------------------- reads

def stats_nodes() -> str:
    return f"MATCH (n) WHERE {NOT_DATA} RETURN labels(n)[0] AS label, count(n) AS count ORDER BY label"


def stats_relationships() -> str:
    return "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS count ORDER BY type"


def entity_names() -> str:
    """Labels and names of entities by id (a union of indexed lookups, one per label)."""
    return " UNION ".join(f"UNWIND $ids AS eid MATCH (n:{label} {{id: eid}}) RETURN n.id AS id, "
                          f"'{label}' AS label, n.name AS name" for label in ("Person", "Organization"))


def organization_names() -> str:
    return "MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.aliases AS aliases ORDER BY id"


def organization_mentions() -> str:
    """These organisations' articles, each naming them as it does (kg.aliases.settle), in article order."""
    return ("UNWIND $ids AS oid MATCH (n:Organization {id: oid})-[m:MENTIONED_IN]->(a:Article) "
            "RETURN a.id AS article, n.id AS node, m.own AS own, m.own_ids AS own_ids, m.name AS name "
            "ORDER BY article, node")


def person_groups() -> str:
    """The people of these names, one row each with the evidence gathered on the node,
    in the order of their first article (kg.aliases.settle.StoreEvidence)."""
    return ("UNWIND $names AS nm MATCH (n:Person {name: nm})-[:MENTIONED_IN]->(a:Article) "
            "WITH n, min(a.id) AS first, max(a.id) AS last "
            "RETURN n.id AS id, n.name AS name, n.orgs AS orgs, n.districts AS districts, first, last "
            "ORDER BY first, id")


def latest_mentions() -> str:
    """For each of these names, its latest article outside $articles."""
    return ("UNWIND $names AS nm MATCH (n:Person {name: nm})-[:MENTIONED_IN]->(a:Article) "
            "WHERE NOT a.id IN $articles RETURN nm AS name, max(a.id) AS last")


def person_names() -> str:
    return "MATCH (n:Person) RETURN DISTINCT n.name AS name ORDER BY name"


def person_mentions() -> str:
    """The mentions of people of these names, with the evidence each article gives (kg.aliases.settle)."""
    return ("UNWIND $names AS nm MATCH (n:Person {name: nm})-[m:MENTIONED_IN]->(a:Article) "
            "RETURN a.id AS article, n.id AS node, m.own AS own, m.own_ids AS own_ids, m.name AS name, "
            "m.orgs AS orgs, m.districts AS districts, m.merge_reason AS merge_reason ORDER BY article, node")


def person_profile() -> str:
    """One row per person of that name (or alias): who they are taken to be, and why."""
    return ("MATCH (p:Person) WHERE p.name = $name OR $name IN p.aliases "
            "RETURN p.id AS id, p.name AS name, p.titles AS titles, p.merge_reason AS merge_reason, "
            "p.confidence AS confidence ORDER BY id")


def person_posts() -> str:
    return ("MATCH (p:Person {id: $id})-[h:HOLDS]->(o:Organization) "
            "RETURN h.title AS title, o.name AS organization, h.first_seen AS first_seen, "
            "h.last_seen AS last_seen, size(h.articles) AS articles, h.spans AS spans "
            "ORDER BY first_seen, last_seen, title")


def person_events() -> str:
    return ("MATCH (p:Person {id: $id})-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event) "
            "OPTIONAL MATCH (e)-[:HELD_IN]->(pl:Place) "
            "RETURN e.name AS event, e.dates AS dates, pl.name AS place, collect(DISTINCT type(r)) AS roles, "
            "head(collect(r.spans)) AS spans ORDER BY dates, event")


def person_co_mentions() -> str:
    return ("MATCH (p:Person {id: $id})-[c:CO_MENTIONED]-(x) "
            "RETURN x.name AS name, labels(x)[0] AS label, c.weight AS sentences "
            "ORDER BY sentences DESC, name LIMIT $limit")


def article_text() -> str:
    return "MATCH (a:Article {id: $id}) RETURN a.title AS title, a.text AS text, a.issue_id AS issue, a.date AS date"


def article_mentions() -> str:
    """The stored mentions of one article: each entity with its (start, end) offsets, flattened."""
    return ("MATCH (e)-[m:MENTIONED_IN]->(a:Article {id: $id}) "
            "RETURN labels(e)[0] AS type, e.id AS entity, e.name AS name, m.offsets AS offsets ORDER BY name")


def article_roles() -> str:
    return ("MATCH (p:Person)-[h:HOLDS]->(o:Organization) WHERE $id IN h.articles "
            "RETURN p.id AS person_id, p.name AS person, h.title AS title, o.id AS organization_id, "
            "o.name AS organization, h.spans AS spans ORDER BY person, title")


def article_attendance() -> str:
    return ("MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event) WHERE $id IN r.articles "
            "RETURN p.id AS person_id, p.name AS person, type(r) AS role, e.id AS event_id, e.name AS event, "
            "r.spans AS spans ORDER BY person, role")


def export_nodes() -> str:
    return (f"MATCH (n) WHERE {NOT_DATA} RETURN labels(n)[0] AS label, properties(n) AS props "
            "ORDER BY label, props.id")


def any_data() -> str:
    """One node that is not kg's lock or checks, if there is one: none in an empty store."""
    return f"MATCH (n) WHERE NOT n:{LOCK} AND NOT n:{STORE} RETURN n.id AS id LIMIT 1"


def bookkeeping_nodes() -> str:
    return (f"MATCH (n) WHERE n:{LOCK} OR n:{STORE} OR n:{FILE} "
            "RETURN labels(n)[0] AS label, properties(n) AS props")


def export_manifest() -> str:
    return f"MATCH (n:{FILE}) RETURN labels(n)[0] AS label, properties(n) AS props ORDER BY props.id"


def export_relationships() -> str:
    return ("MATCH (a)-[r]->(b) RETURN a.id AS src, type(r) AS type, b.id AS dst, properties(r) AS props "
            "ORDER BY src, type, dst")
