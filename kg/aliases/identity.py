"""Identity across articles and issues: one node per real-world entity.

Organisations are one body when their identity keys agree (kg.aliases.keys); a
company's short form "X集团" is the one company "X…集团" the corpus knows, if
exactly one. People of one name are one person unless their evidence conflicts:
posts at no common organisation *and* different counties or districts (a 王伟
who is a village secretary in 莘县 and a 王伟 who is a bank manager in 临清). Each
decision is recorded on the entity (`merge_reason`, `confidence`). Names are
blocked (grouped) first, so no two names of different blocks are ever compared;
schemas/identity.json forces merges and splits.

The registry lives for one run (`kg extract`: all its input lines; `kg build`:
all its issues) and is seeded from the store, so a later run decides the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.aliases import alias_table, entity_id, org_id
from kg.aliases.keys import org_key
from kg.config import load_json
from kg.models import Entity

BRAND_SUFFIX = "集团"
# what a node says where no article recorded an identity decision (nothing merged or split)
NODE_DEFAULTS = {"merge_reason": "one entity: no conflicting evidence", "confidence": 1.0}


@dataclass
class PersonGroup:
    id: str
    orgs: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)


@dataclass
class IdentityRegistry:
    people: dict[str, list[PersonGroup]] = field(default_factory=dict)  # name -> its people
    company_ids: dict[str, str] = field(default_factory=dict)  # company key -> id
    company_names: dict[str, str] = field(default_factory=dict)  # company key -> name
    org_names: dict[str, str] = field(default_factory=dict)  # organisation id -> name, for reasons
    merged_ids: dict[str, str] = field(default_factory=dict)  # forced merges: id -> id that wins
    split_names: set[str] = field(default_factory=set)

    @classmethod
    def from_schemas(cls) -> IdentityRegistry:
        curated = load_json("identity.json")
        registry = cls(split_names={s["name"] for s in curated.get("split", []) if s.get("type") == "Person"})
        for rule in curated.get("merge", []):
            ids = [_id_of(rule["type"], name) for name in rule["names"]]
            for other in ids[1:]:
                registry.merged_ids[other] = ids[0]
        return registry

    def seed(self, people: Iterable[dict], organizations: Iterable[dict]) -> None:
        """What an earlier run stored: Person {id, name, orgs, districts}, Organization {id, name}."""
        for row in people:
            self.people.setdefault(row["name"], []).append(
                PersonGroup(row["id"], set(row.get("orgs") or []), set(row.get("districts") or [])))
        for row in organizations:
            key = org_key(row["name"], alias_table().city, alias_table().province)
            self.company_ids.setdefault(key, row["id"])
            self.company_names.setdefault(key, row["name"])
            self.org_names.setdefault(row["id"], row["name"])

    def identify(self, results: list) -> None:
        """Give the entities of these articles (kg.pipeline.ArticleResult) their corpus ids."""
        self._companies(results)
        for result in results:
            for ent in _unique(result.entities.values()):
                if ent.type == "Person":
                    self._person(ent, _person_evidence(result, ent))
                if ent.id in self.merged_ids:
                    ent.alias_ids.add(ent.id)
                    ent.id = self.merged_ids[ent.id]
                    ent.merge_reason = "merged by schemas/identity.json"
                    ent.confidence = 1.0

    def _companies(self, results: list) -> None:
        """"乖宝集团" is 乖宝宠物食品集团 when the corpus knows one company of that brand."""
        table = alias_table()
        orgs = [e for r in results for e in _unique(r.entities.values()) if e.type == "Organization"]
        for ent in orgs:
            key = org_key(ent.name, table.city, table.province)
            self.company_ids.setdefault(key, ent.id)
            self.company_names.setdefault(key, ent.name)
            self.org_names.setdefault(ent.id, ent.name)
        for ent in orgs:
            key = org_key(ent.name, table.city, table.province)
            brand = key[: -len(BRAND_SUFFIX)] if key.endswith(BRAND_SUFFIX) else ""
            if not 2 <= len(brand) <= 3 or ent.name in table.organizations:
                continue  # a group the gazetteer knows by this name (鲁西集团) is a company of its own
            fits = {k for k in self.company_ids if k != key and k.startswith(brand) and k.endswith(BRAND_SUFFIX)}
            if len(fits) == 1:
                full = fits.pop()
                # of the two ids the one registered first stays; the other is an alias id
                kept = self.company_ids[full]
                if kept != ent.id:
                    ent.alias_ids.add(ent.id)
                    ent.id, ent.name = kept, self.company_names[full]
                    ent.merge_reason = f"short form of {full} (the only {brand}…{BRAND_SUFFIX} known)"
                    ent.confidence = 0.8

    def _person(self, ent: Entity, evidence: dict[str, set[str]]) -> None:
        groups = self.people.setdefault(ent.name, [])
        orgs, districts = evidence["orgs"], evidence["districts"]
        strict = ent.name in self.split_names
        fitting = [g for g in groups if not _conflict(g, orgs, districts, strict)]
        if fitting:
            # one person: nothing to record beyond the evidence (orgs, districts) kept on the
            # node, so the node reads the same however its articles were loaded
            group = max(fitting, key=lambda g: (len(g.orgs & orgs), len(g.districts & districts)))
        else:
            # a person of this name already known, whose evidence conflicts with this one's
            mark = sorted(districts)[0] if districts else sorted(orgs)[0] if orgs else str(len(groups))
            group = PersonGroup(entity_id("Person", f"{ent.name}@{mark}") if groups else entity_id("Person", ent.name))
            if groups:
                ent.merge_reason = (f"split from {groups[0].id}: posts at no common organisation and another "
                                    f"county or district ({', '.join(sorted(districts)) or '-'})")
                ent.confidence = 0.9
            groups.append(group)
        group.orgs |= orgs
        group.districts |= districts
        ent.id = group.id
        ent.evidence = {"orgs": orgs, "districts": districts}  # this article's; the node gathers them all


def _conflict(group: PersonGroup, orgs: set[str], districts: set[str], strict: bool) -> bool:
    other_place = bool(districts and group.districts and not districts & group.districts)
    if strict:
        return other_place
    return other_place and bool(orgs and group.orgs and not orgs & group.orgs)


def _person_evidence(result, ent: Entity) -> dict[str, set[str]]:
    orgs = {org_id(r.org) for r in result.facts.roles if r.org and r.person in ent.aliases}
    return {"orgs": orgs, "districts": {result.district} if result.district else set()}


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    return list({id(e): e for e in entities}.values())


def _id_of(type_: str, name: str) -> str:
    return org_id(alias_table().canonical(name, type_)) if type_ == "Organization" else entity_id(type_, name)
