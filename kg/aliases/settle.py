"""Identity as the whole store implies it, whatever order its issues arrived in.

Two decisions of kg.aliases.identity depend on other articles: a company's short
form "X集团" is the one "X…集团" the corpus knows, and a person whose evidence
conflicts with an earlier one of the same name is split off. Taken as files
arrive, both depend on arrival order (seed issue 002 loaded before 000 kept
乖宝集团 apart; loaded after, it joined 乖宝宠物食品集团). Here they are replayed
over every mention in the store in article order (article ids sort by date,
then page and position), starting from nothing but schemas/identity.json.

`replay` gives the registry a run starts from (the store's evidence, as a clean
build would have gathered it) and the decision for every stored mention;
`unsettled` names the articles whose stored node differs from that decision, so
the loader loads their files again with the decisions imposed (kg.loading).
A daily issue sorts after everything stored, so it changes no earlier decision
and costs only the two reads.
"""

from __future__ import annotations

from kg.aliases.identity import Decision, IdentityRegistry
from kg.store import GraphStore
from kg.writers import cypher

Key = tuple[str, str, str]  # (article id, entity type, the name its article gives)


def _owns(row: dict) -> list[tuple[str, str]]:
    """(own name, own id) pairs of one MENTIONED_IN edge; an older version's edge has
    none recorded: its name and node stand for them."""
    names, ids = row.get("own") or [], row.get("own_ids") or []
    if names and len(names) == len(ids):
        return list(zip(names, ids, strict=True))
    return [(row["name"], row["node"])] if row.get("name") else []


def replay(store: GraphStore) -> tuple[IdentityRegistry, dict[Key, Decision], list[dict]]:
    """The registry after every stored mention, replayed in article order; the decision for
    each stored mention; and the rows read (for `unsettled`)."""
    registry = IdentityRegistry.from_schemas()
    orgs = store.read(cypher.organization_mentions())
    people = store.read(cypher.person_mentions())
    decided: dict[Key, Decision] = {}
    for row in orgs:  # every name first: a short form is judged against the whole corpus
        for name, own_id in _owns(row):
            registry.register_org(name, own_id)
    for row in orgs:
        for name, own_id in _owns(row):
            decision = registry.org_decision(name, own_id) or Decision(own_id, name)
            decided[(row["article"], "Organization", name)] = registry.final(decision)
    for row in sorted(people, key=lambda r: (r["article"], r.get("name") or "")):
        for name, _ in _owns(row):
            decision = registry.person_decision(name, set(row.get("orgs") or []), set(row.get("districts") or []))
            decided[(row["article"], "Person", name)] = registry.final(decision)
    return registry, decided, orgs + people


def unsettled(rows: list[dict], decided: dict[Key, Decision]) -> set[str]:
    """Articles with a mention whose stored node is not the one the replay decided."""
    out = set()
    for row in rows:
        kind = "Person" if row["node"].startswith("per-") else "Organization"
        for name, _ in _owns(row):
            decision = decided.get((row["article"], kind, name))
            if decision is None:
                continue
            if decision.id != row["node"] or (kind == "Person" and decision.merge_reason != row.get("merge_reason")):
                out.add(row["article"])
    return out
