"""The explorer's read statements: parameters only, one per page part. Statements
that differ by label take it from ENTITY_LABELS, never from a request."""

from __future__ import annotations

from kg.aliases import ID_PREFIX

ENTITY_LABELS = tuple(ID_PREFIX)  # Person, Organization, Place, Event
LABEL_OF_PREFIX = {prefix: label for label, prefix in ID_PREFIX.items()}
IS_ENTITY = "(n:Person OR n:Organization OR n:Place OR n:Event)"


def label_of(entity_id: str) -> str | None:
    """An entity's label from its id's prefix (per-…, org-…), None if it is not an entity id."""
    return LABEL_OF_PREFIX.get(entity_id.partition("-")[0])


def counts() -> str:
    return f"MATCH (n) WHERE {IS_ENTITY} RETURN labels(n)[0] AS type, count(n) AS n ORDER BY type"


def search() -> str:
    """Entities whose name or an alias contains $q: exact names first, then by articles."""
    return (f"MATCH (n) WHERE {IS_ENTITY} AND (n.name CONTAINS $q OR any(a IN n.aliases WHERE a CONTAINS $q)) "
            "OPTIONAL MATCH (n)-[:MENTIONED_IN]->(a:Article) "
            "WITH n, count(a) AS articles, CASE WHEN n.name = $q OR $q IN n.aliases THEN 0 ELSE 1 END AS rank "
            "RETURN n.id AS id, labels(n)[0] AS type, n.name AS name, n.aliases AS aliases, articles "
            "ORDER BY rank, articles DESC, name LIMIT $limit")


def most_mentioned(label: str) -> str:
    return (f"MATCH (n:{label})-[:MENTIONED_IN]->(a:Article) "
            "RETURN n.id AS id, n.name AS name, count(a) AS articles ORDER BY articles DESC, name LIMIT $limit")


def issues() -> str:
    return ("MATCH (i:Issue) OPTIONAL MATCH (a:Article)-[:IN_ISSUE]->(i) "
            "RETURN i.id AS id, i.date AS date, i.source AS source, count(a) AS articles "
            "ORDER BY date DESC, id LIMIT $limit")


def issue_articles() -> str:
    return ("MATCH (a:Article)-[:IN_ISSUE]->(i:Issue {id: $id}) "
            "RETURN i.date AS date, a.id AS id, a.title AS title, a.kind AS kind ORDER BY id")


def entity(label: str) -> str:
    return f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS props"


def entity_articles(label: str) -> str:
    return (f"MATCH (n:{label} {{id: $id}})-[m:MENTIONED_IN]->(a:Article) "
            "RETURN a.id AS id, a.title AS title, a.date AS date, m.count AS count "
            "ORDER BY date DESC, id LIMIT $limit")


# Facts of an entity, one shape for all: the other end, its name, the role or title,
# first and last issue (posts) or the event's dates, and the spans the fact rests on.
def person_posts() -> str:
    return ("MATCH (p:Person {id: $id})-[h:HOLDS]->(o:Organization) "
            "RETURN o.id AS other, o.name AS other_name, h.title AS role, h.first_seen AS first_seen, "
            "h.last_seen AS last_seen, h.spans AS spans ORDER BY first_seen, last_seen, role")


def organization_posts() -> str:
    return ("MATCH (p:Person)-[h:HOLDS]->(o:Organization {id: $id}) "
            "RETURN p.id AS other, p.name AS other_name, h.title AS role, h.first_seen AS first_seen, "
            "h.last_seen AS last_seen, h.spans AS spans ORDER BY first_seen, last_seen, other_name")


def person_events() -> str:
    return ("MATCH (p:Person {id: $id})-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event) "
            "RETURN e.id AS other, e.name AS other_name, type(r) AS role, e.dates AS dates, r.spans AS spans "
            "ORDER BY dates, other_name, role")


def event_people() -> str:
    return ("MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event {id: $id}) "
            "RETURN p.id AS other, p.name AS other_name, type(r) AS role, e.dates AS dates, r.spans AS spans "
            "ORDER BY role, other_name")


def event_places() -> str:
    return ("MATCH (e:Event {id: $id})-[h:HELD_IN]->(pl:Place) "
            "RETURN pl.id AS other, pl.name AS other_name, 'HELD_IN' AS role, e.dates AS dates, h.spans AS spans "
            "ORDER BY other_name")


def place_events() -> str:
    return ("MATCH (e:Event)-[h:HELD_IN]->(pl:Place {id: $id}) "
            "RETURN e.id AS other, e.name AS other_name, 'HELD_IN' AS role, e.dates AS dates, h.spans AS spans "
            "ORDER BY dates, other_name")


def co_mentions(label: str) -> str:
    return (f"MATCH (n:{label} {{id: $id}})-[c:CO_MENTIONED]-(x) "
            "RETURN x.id AS other, x.name AS other_name, labels(x)[0] AS type, c.weight AS weight, "
            "c.sentences[0..1] AS spans ORDER BY weight DESC, other_name LIMIT $limit")


def neighbourhood(label: str) -> str:
    """The entity's relationships to other entities: posts and attendance first, then
    the most co-mentioned, at most $limit."""
    return (f"MATCH (n:{label} {{id: $id}})-[r]-(x) "
            "WHERE x:Person OR x:Organization OR x:Place OR x:Event "
            "WITH r, x, CASE type(r) WHEN 'CO_MENTIONED' THEN 1 ELSE 0 END AS rank "
            "RETURN startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, r.title AS title, "
            "r.weight AS weight, x.id AS id, labels(x)[0] AS label, x.name AS name "
            "ORDER BY rank, weight DESC, name LIMIT $limit")


def article_texts() -> str:
    return "UNWIND $ids AS aid MATCH (a:Article {id: aid}) RETURN a.id AS id, a.title AS title, a.text AS text"


def statements() -> list[str]:
    """Every statement above, for the linter test."""
    per_label = [f(label) for label in ENTITY_LABELS for f in (most_mentioned, entity, entity_articles,
                                                                co_mentions, neighbourhood)]
    return [counts(), search(), issues(), issue_articles(), person_posts(), organization_posts(),
            person_events(), event_people(), event_places(), place_events(), article_texts(), *per_label]
