"""Stage 5: facts -> one networkx MultiDiGraph with provenance on every fact.

Nodes carry `label` and the properties of schemas/graph.json; edges carry
`type` and theirs. Edge keys make each fact one edge however often it is seen:
(type) or (type, title) for HOLDS. Every edge records the articles it rests on.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx

from kg.aliases import article_org_id, entity_id
from kg.aliases.identity import NODE_DEFAULTS
from kg.aliases.keys import display_name
from kg.graph.curation import is_dropped
from kg.models import Entity, Issue
from kg.pipeline import ArticleResult
from kg.writers.cypher import BEST_OF, FROM_MENTIONS, schema


def _add_entity(g: nx.MultiDiGraph, ent: Entity) -> None:
    """The node, by id; its other properties are gathered from its MENTIONED_IN edges
    (`_gather`), as the store recomputes them (kg.writers.cypher.recompute_entities)."""
    if ent.id not in g:
        g.add_node(ent.id, label=ent.type, id=ent.id, name=ent.name)


def _gather(g: nx.MultiDiGraph, eid: str) -> None:
    """An entity node's properties from all its MENTIONED_IN edges, in article order:
    lists are unions, single values the first article's, identity decisions the most
    confident one's; the same rule as the store's recompute, so both agree."""
    node = g.nodes[eid]
    spec = schema()["nodes"][node["label"]]
    edges = sorted(((dst, d) for _, dst, k, d in g.out_edges(eid, keys=True, data=True) if k == "MENTIONED_IN"),
                   key=lambda e: e[0])
    said = [d for _, d in edges]
    best = max(said, key=lambda d: d.get("confidence") or 0)  # the first of the most confident
    for prop in spec.get("properties", []) + spec.get("union", []):
        src = FROM_MENTIONS.get(prop, prop)
        if prop in spec.get("union", []):
            node[prop] = list(dict.fromkeys(x for d in said for x in d.get(src) or []))
        elif prop in BEST_OF:
            node[prop] = best.get(src) if best.get(src) is not None else NODE_DEFAULTS[prop]
        else:
            node[prop] = next((d[src] for d in said if d.get(src) is not None), None)


def _union_edge(g: nx.MultiDiGraph, src: str, dst: str, key: str, rel: str, lists: dict[str, list],
                **props) -> None:
    if g.has_edge(src, dst, key):
        data = g.edges[src, dst, key]
        for name, values in lists.items():
            data[name] = data[name] + [v for v in values if v not in data[name]]
        spec = schema()["relationships"][rel]  # the same merge rules the store's Cypher follows
        for name, value in props.items():
            if name in spec.get("min", []):
                data[name] = min(data[name], value)
            elif name in spec.get("max", []):
                data[name] = max(data[name], value)
            else:
                data[name] = value
    else:
        g.add_edge(src, dst, key=key, type=rel, **{k: list(v) for k, v in lists.items()}, **props)


def add_issue(g: nx.MultiDiGraph, issue: Issue) -> None:
    # the manifest (IssueFile: path, content hash, pipeline version) is written once a file is loaded
    # (kg.writers.load.mark_plan); an issue of many page files has no one source, and which page
    # was loaded last must not show
    g.add_node(issue.id, label="Issue", id=issue.id, paper=issue.paper, date=issue.date.date,
               date_source=issue.date.source, date_confidence=issue.date.confidence,
               source=None if issue.page else issue.source)


def add_article(g: nx.MultiDiGraph, result: ArticleResult) -> None:
    a, facts = result.article, result.facts
    g.add_node(a.id, label="Article", id=a.id, issue_id=a.issue_id, part=a.part or a.issue_id, seq=a.seq, title=a.title, kind=a.kind,
               date=a.date, text=a.text, raw_start=a.raw_start, raw_end=a.raw_end)
    if a.issue_id and a.issue_id in g:
        g.add_edge(a.id, a.issue_id, key="IN_ISSUE", type="IN_ISSUE")
    contributions: dict[str, dict] = {}  # entity id -> what this article says of it (kept on MENTIONED_IN)

    def note(ent: Entity) -> str:
        _add_entity(g, ent)
        kind = ent.kind or ("other" if ent.type == "Organization" else None)
        c = contributions.setdefault(ent.id, {
            "name": ent.name, "kind": kind, "forms": set(), "titles": set(), "dates": set(), "orgs": set(),
            "districts": set(), "alias_ids": set(), "merge_reason": ent.merge_reason, "confidence": ent.confidence,
            "own": {}})
        c["own"].setdefault(ent.own_name or ent.name, ent.own_id or ent.id)  # kg.aliases.settle replays from it
        c["forms"] |= ent.aliases
        c["alias_ids"] |= ent.alias_ids
        for name, values in ent.evidence.items():
            c[name] |= values
        return ent.id

    for ent in result.entities.values():
        note(ent)
    by_key = {(m.type, m.canonical): m for m in facts.mentions}
    # MENTIONED_IN: one edge per entity and article, with every mention's offsets.
    offsets: dict[str, list[int]] = {}
    forms: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    sentence_members: dict[int, set[str]] = {}
    for m in facts.mentions:
        eid = _entity_of(result, m.type, m.canonical or m.text).id
        counts[eid] += 1
        offsets.setdefault(eid, []).extend([m.start, m.end])
        forms.setdefault(eid, set()).add(m.text)
        sentence_members.setdefault(m.sentence, set()).add(eid)

    # CO_MENTIONED: entities in one sentence; undirected, stored from the smaller id;
    # each sentence is named by its offsets ("article:start-end"), weight = their count.
    for sentence, members in sentence_members.items():
        where = _span(a.id, *facts.sentence_spans[sentence]) if sentence < len(facts.sentence_spans) \
            else f"{a.id}#{sentence}"
        for x, y in combinations(sorted(members), 2):
            _union_edge(g, x, y, "CO_MENTIONED", "CO_MENTIONED", {"sentences": [where], "articles": [a.id]})
    people = {m.text: _entity_of(result, "Person", m.canonical or m.text) for m in facts.mentions
              if m.type == "Person"}
    person = {text: ent.id for text, ent in people.items()}
    for b in facts.bylines:
        pid = person.get(b.name)
        if pid:
            g.add_edge(pid, a.id, key="WROTE", type="WROTE", role=b.role, medium=b.medium)
    date = a.date or ""
    for r in facts.roles:
        pid = person.get(r.person)
        if not pid:
            continue
        if r.org:
            org = _entity_of(result, "Organization", r.org)
            if is_dropped("HOLDS", a.id, person=_names(people[r.person]), title=(r.title,),
                          organization=_names(org)):
                continue
            oid = note(org)
            _union_edge(g, pid, oid, f"HOLDS:{r.title}", "HOLDS",
                        {"articles": [a.id], "spans": [_span(a.id, r.start, r.end)]}, title=r.title,
                        first_seen=date, last_seen=date)
        else:
            contributions[pid]["titles"].add(r.title)
    when = {e.event: e.date for e in facts.events if e.date}
    for att in facts.attendance:
        pid = person.get(att.person)
        if not pid:
            continue
        event = by_key.get(("Event", att.event))
        canonical = event.canonical if event else att.event
        if is_dropped(att.role, a.id, person=_names(people[att.person]),
                      event=(att.event, canonical, entity_id("Event", canonical))):
            continue
        eid = _event_node(g, by_key, att.event, when.get(att.event) or date, note, contributions)
        _union_edge(g, pid, eid, att.role, att.role, {"articles": [a.id], "spans": [_span(a.id, att.start, att.end)]})
    place = {m.text: _entity_of(result, "Place", m.canonical or m.text).id for m in facts.mentions
             if m.type == "Place"}
    for ev in facts.events:
        eid = _event_node(g, by_key, ev.event, ev.date or date, note, contributions)
        if ev.place in place:
            _union_edge(g, eid, place[ev.place], "HELD_IN", "HELD_IN",
                        {"articles": [a.id], "spans": [_span(a.id, ev.start, ev.end)]})
    # MENTIONED_IN: one edge per entity and article, with every mention's offsets, and
    # what the article says of the entity (a body only a post names has count 0)
    for eid, c in contributions.items():
        g.add_edge(eid, a.id, key="MENTIONED_IN", type="MENTIONED_IN", count=counts.get(eid, 0),
                   offsets=offsets.get(eid, []), forms=sorted(c["forms"] | forms.get(eid, set())),
                   name=c["name"], kind=c["kind"], titles=sorted(c["titles"]), dates=sorted(c["dates"]),
                   orgs=sorted(c["orgs"]), districts=sorted(c["districts"]), alias_ids=sorted(c["alias_ids"]),
                   merge_reason=c["merge_reason"], confidence=c["confidence"],
                   own=sorted(c["own"]), own_ids=[c["own"][n] for n in sorted(c["own"])])
        _gather(g, eid)


def _names(ent: Entity) -> tuple[str, ...]:
    """An entity's id, name and the forms it goes by, for matching curation entries."""
    return (ent.id, ent.name, *ent.aliases)


def _entity_of(result: ArticleResult, type_: str, canonical: str) -> Entity:
    """The article's resolved entity of that name, or a new one (a body only a role names)."""
    found = result.entities.get((type_, canonical))
    if found is not None:
        return found
    if type_ == "Organization":
        return Entity(article_org_id(canonical, result.article.id), type_, display_name(canonical), {canonical}, None)
    return Entity(entity_id(type_, canonical), type_, canonical, {canonical}, None)


def _span(article_id: str, start: int, end: int) -> str:
    return f"{article_id}:{start}-{end}"


def _event_node(g: nx.MultiDiGraph, by_key: dict, name: str, date: str | None, note, contributions) -> str:
    """The event's node (made when the event is known only from a headline); its date is noted."""
    key = by_key.get(("Event", name))
    eid = entity_id("Event", key.canonical if key else name)
    if eid not in contributions:
        note(Entity(eid, "Event", key.canonical if key else name, {name}, None))
    if date:
        contributions[eid]["dates"].add(date)
    return eid


def assemble(issues: list[Issue], results: list[ArticleResult]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for issue in issues:
        add_issue(g, issue)
    for result in results:
        add_article(g, result)
    return g


def statistics(g: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    nodes = Counter(d["label"] for _, d in g.nodes(data=True))
    edges = Counter(d["type"] for _, _, d in g.edges(data=True))
    return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(edges.items()))}
