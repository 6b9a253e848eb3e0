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
all its issues) and starts from the store's mentions replayed in article order
(kg.aliases.settle), which also re-decides what a run's arrival order got wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
    # decisions fixed from outside: (article id, type, own name) -> Decision (kg.aliases.settle)
    decided: dict[tuple[str, str, str], Decision] = field(default_factory=dict)
    # what a store knows of the names and brands a batch meets, read before deciding
    # (kg.aliases.settle.StoreEvidence: prepare(registry, names, brands))
    evidence: Any = None

    @classmethod
    def from_schemas(cls) -> IdentityRegistry:
        curated = load_json("identity.json")
        registry = cls(split_names={s["name"] for s in curated.get("split", []) if s.get("type") == "Person"})
        for rule in curated.get("merge", []):
            ids = [_id_of(rule["type"], name) for name in rule["names"]]
            for other in ids[1:]:
                registry.merged_ids[other] = ids[0]
        return registry

    def identify(self, results: list) -> None:
        """Give the entities of these articles (kg.pipeline.ArticleResult) their corpus ids.
        A decision given in `decided` (kg.aliases.settle: what the whole store implies) wins."""
        self.meet(results)
        self.decide(results)

    def meet(self, results: list) -> None:
        """The first half of identify: what a decision about any of these articles needs
        to know of all of them (their organisations; the store's evidence). A run too
        long to hold meets its articles as they stream past, then decides them in order
        (`kg extract`)."""
        batch = [ent for r in results for ent in _unique(r.entities.values())]
        for ent in batch:
            ent.own_name, ent.own_id = ent.own_name or ent.name, ent.own_id or ent.id
        if self.evidence is not None:
            self.evidence.prepare(self, *touched(batch))
        for ent in batch:
            if ent.type == "Organization":
                self.register_org(ent.own_name, ent.own_id)

    def decide(self, results: list) -> None:
        """The second half of identify: each entity's decision, article by article."""
        batch = [(r, ent) for r in results for ent in _unique(r.entities.values())]
        for result, ent in batch:
            if ent.type == "Person":
                ent.evidence = _person_evidence(result, ent)  # this article's; the node gathers them all
            given = self.decided.get((result.article.id, ent.type, ent.own_name))
            if given is None and ent.type == "Organization":
                given = self.org_decision(ent.own_name, ent.own_id)
            elif given is None and ent.type == "Person":
                given = self.person_decision(ent.own_name, ent.evidence["orgs"], ent.evidence["districts"])
            _apply(ent, self.final(given or Decision(ent.id, ent.name)))

    def register_org(self, name: str, ent_id: str) -> None:
        table = alias_table()
        key = org_key(name, table.city, table.province)
        self.company_ids.setdefault(key, ent_id)
        self.company_names.setdefault(key, name)
        self.org_names.setdefault(ent_id, name)

    def org_decision(self, name: str, ent_id: str) -> Decision | None:
        """"乖宝集团" is 乖宝宠物食品集团 when the corpus knows one company of that brand."""
        table = alias_table()
        key = org_key(name, table.city, table.province)
        brand = key[: -len(BRAND_SUFFIX)] if key.endswith(BRAND_SUFFIX) else ""
        if not 2 <= len(brand) <= 3 or name in table.organizations:
            return None  # a group the gazetteer knows by this name (鲁西集团) is a company of its own
        fits = {k for k in self.company_ids if k != key and k.startswith(brand) and k.endswith(BRAND_SUFFIX)}
        if len(fits) != 1:
            return None
        full = fits.pop()
        kept = self.company_ids[full]
        if kept == ent_id:
            return None
        return Decision(kept, self.company_names[full],
                        f"short form of {full} (the only {brand}…{BRAND_SUFFIX} known)", 0.8, ent_id)

    def person_decision(self, name: str, orgs: set[str], districts: set[str]) -> Decision:
        groups = self.people.setdefault(name, [])
        strict = name in self.split_names
        fitting = [g for g in groups if not _conflict(g, orgs, districts, strict)]
        reason = confidence = None
        if fitting:
            # one person: nothing to record beyond the evidence (orgs, districts) kept on the
            # node, so the node reads the same however its articles were loaded
            group = max(fitting, key=lambda g: (len(g.orgs & orgs), len(g.districts & districts)))
        else:
            # a person of this name already known, whose evidence conflicts with this one's
            mark = sorted(districts)[0] if districts else sorted(orgs)[0] if orgs else str(len(groups))
            group = PersonGroup(entity_id("Person", f"{name}@{mark}") if groups else entity_id("Person", name))
            if groups:
                reason = (f"split from {groups[0].id}: posts at no common organisation and another "
                          f"county or district ({', '.join(sorted(districts)) or '-'})")
                confidence = 0.9
            groups.append(group)
        group.orgs |= orgs
        group.districts |= districts
        return Decision(group.id, name, reason, confidence)

    def final(self, decision: Decision) -> Decision:
        """A decision with schemas/identity.json's forced merges applied."""
        if decision.id not in self.merged_ids:
            return decision
        return Decision(self.merged_ids[decision.id], decision.name, "merged by schemas/identity.json", 1.0,
                        decision.id)


@dataclass(frozen=True)
class Decision:
    """Who an entity of one article is: the node's id and name, why, and the id its own
    name would have given it when that differs (kept as an alias id)."""
    id: str
    name: str
    merge_reason: str | None = None
    confidence: float | None = None
    alias_id: str | None = None


def brands_of(name: str) -> set[str]:
    """The brands an organisation's name can decide a short form of: the first two and
    three characters of its identity key, when that key ends in 集团."""
    table = alias_table()
    key = org_key(name, table.city, table.province)
    if not key.endswith(BRAND_SUFFIX) or len(key) < 2 + len(BRAND_SUFFIX):
        return set()
    return {key[:2], key[:3]}


def touched(entities: Iterable[Entity]) -> tuple[set[str], set[str]]:
    """The person names and organisation brands whose decisions these entities take part in."""
    names, brands = set(), set()
    for ent in entities:
        own = ent.own_name or ent.name
        if ent.type == "Person":
            names.add(own)
        elif ent.type == "Organization":
            brands |= brands_of(own)
    return names, brands


def _apply(ent: Entity, decision: Decision) -> None:
    if decision.alias_id:
        ent.alias_ids.add(decision.alias_id)
    ent.id, ent.name = decision.id, decision.name
    if decision.merge_reason is not None:
        ent.merge_reason, ent.confidence = decision.merge_reason, decision.confidence


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
