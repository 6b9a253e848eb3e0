"""Identity as the whole store implies it, whatever order its issues arrived in.

Two decisions of kg.aliases.identity depend on other articles: a company's short
form "X集团" is the one "X…集团" the corpus knows, and a person whose evidence
conflicts with an earlier one of the same name is split off. Taken as files
arrive, both depend on arrival order (seed issue 002 loaded before 000 kept
乖宝集团 apart; loaded after, it joined 乖宝宠物食品集团). Here they are replayed
over the stored mentions in article order (article ids sort by date, then page
and position), starting from nothing but schemas/identity.json.

Both decisions are local: a person's depends only on mentions of that name, a
short form's only on the organisations that share its brand. So a run needs only
the evidence of the names and brands it meets (`StoreEvidence`, read on first
use through indexed lookups), and after a run only those are replayed and
compared (`replay`, `unsettled`); the loader loads again, with the replayed
decisions imposed, the files of articles decided otherwise (kg.loading). A daily
issue sorts after everything stored, so it changes no earlier decision and the
check costs a few indexed reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.aliases import alias_table
from kg.aliases.identity import Decision, IdentityRegistry, PersonGroup, brands_of
from kg.aliases.keys import org_key
from kg.models import Entity
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


class StoreEvidence:
    """What the store knows of the names and brands a run meets, read once each and put
    into the run's registry before it decides anything. In a settled store a name's
    nodes are the replay's groups, so one row per node stands for all its mentions."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.last: dict[str, str] = {}  # person name -> its latest stored article
        self.keys: dict[str, set[str]] = {}  # brand -> identity keys the store holds of it
        self._orgs: list[tuple[str, str]] | None = None  # (id, name and aliases) of every organisation

    def prepare(self, registry: IdentityRegistry, names: Iterable[str], brands: Iterable[str]) -> None:
        new = sorted(set(names) - set(self.last))
        for row in (self.store.read(cypher.person_groups(), {"names": new}) if new else []):
            registry.people.setdefault(row["name"], []).append(
                PersonGroup(row["id"], set(row.get("orgs") or []), set(row.get("districts") or [])))
            self.last[row["name"]] = max(self.last.get(row["name"]) or "", row["last"])
        self.last.update({n: self.last.get(n) or "" for n in new})
        new_brands = set(brands) - set(self.keys)
        rows = self.organizations(new_brands)
        replay_rows(registry, rows, [])
        stored = {registry_key(name) for row in rows for name, _ in _owns(row)}
        for b in new_brands:
            self.keys[b] = {k for k in stored if k.startswith(b)}

    def organizations(self, brands: Iterable[str]) -> list[dict]:
        brands = set(brands)
        if not brands:
            return []
        if self._orgs is None:  # organisation nodes are few: one read, filtered here
            self._orgs = [(r["id"], " ".join([r["name"] or "", *(r["aliases"] or [])]))
                          for r in self.store.read(cypher.organization_names())]
        ids = sorted(oid for oid, text in self._orgs if any(b in text for b in brands))
        return self.store.read(cypher.organization_mentions(), {"ids": ids}) if ids else []

    def moved(self, entities: Iterable[tuple[str, Entity]]) -> tuple[set[str], set[str]]:
        """Of these (article id, entity) pairs just decided, the names and brands whose stored
        decisions they may have moved: a name mentioned before its latest stored article (an
        old issue loaded late, a file replaced), a brand given a key the store lacked."""
        names, brands = set(), set()
        for article, ent in entities:
            own = ent.own_name or ent.name
            if ent.type == "Person" and article <= (self.last.get(own) or ""):
                names.add(own)
            elif ent.type == "Organization":
                brands |= {b for b in brands_of(own) if registry_key(own) not in self.keys.get(b, set())}
        return names, brands


def registry_key(name: str) -> str:
    table = alias_table()
    return org_key(name, table.city, table.province)


def replay_rows(registry: IdentityRegistry, orgs: list[dict], people: list[dict]) -> dict[Key, Decision]:
    """Replay stored mentions into the registry: organisations registered first (a short
    form is judged against every name), people in article order. Returns the decisions."""
    decided: dict[Key, Decision] = {}
    for row in orgs:
        for name, own_id in _owns(row):
            registry.register_org(name, own_id)
    for row in orgs:
        for name, own_id in _owns(row):
            decision = registry.org_decision(name, own_id) or Decision(own_id, name)
            decided[(row["article"], "Organization", name)] = registry.final(decision)
    for row in people:
        for name, _ in _owns(row):
            decision = registry.person_decision(name, set(row.get("orgs") or []), set(row.get("districts") or []))
            decided[(row["article"], "Person", name)] = registry.final(decision)
    return decided


def replay(store: GraphStore, names: Iterable[str] | None = None,
           brands: Iterable[str] | None = None) -> tuple[IdentityRegistry, dict[Key, Decision], list[dict]]:
    """A fresh registry with these names' and brands' stored mentions replayed (None: the
    whole store), the decision for each of those mentions, and the rows read."""
    registry = IdentityRegistry.from_schemas()
    if names is None:
        names = [r["name"] for r in store.read(cypher.person_names())]
    if brands is None:
        orgs = store.read(cypher.organization_mentions(), {"ids": [r["id"] for r in
                                                                   store.read(cypher.organization_names())]})
    else:
        orgs = StoreEvidence(store).organizations(brands)
    names = sorted(set(names))
    people = sorted(store.read(cypher.person_mentions(), {"names": names}) if names else [],
                    key=lambda r: (r["article"], r.get("name") or ""))
    return registry, replay_rows(registry, orgs, people), orgs + people


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
