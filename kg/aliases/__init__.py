"""Stage 4: canonical names and stable ids.

Canonical names come from data: the paper profile (市委 = 中共聊城市委, 本报 =
聊城日报), the gazetteers' short forms (时风 = 时风集团, 聊城 = 聊城市) and the
profile's jurisdiction prefix (市工信局 = 聊城市工信局). Entities with the same
type and canonical name are one entity everywhere; the id is a hash of both,
so every run on every machine gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

from kg import gazetteer
from kg.config import load_json
from kg.ingest.layout import normalise
from kg.models import ArticleFacts, Entity

ID_PREFIX = {"Person": "per", "Organization": "org", "Place": "plc", "Event": "evt"}
PROFILE = gazetteer.PROFILE


@dataclass
class AliasTable:
    organizations: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # form -> (canonical, kind)
    places: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    city_prefix: str = "市"
    city: str = ""
    province_prefix: str = "省"
    province: str = ""

    def canonical(self, name: str, type_: str) -> str:
        key = normalise(name)
        if type_ == "Organization":
            if key in self.organizations:
                return self.organizations[key][0]
            for prefix, full in ((self.city_prefix, self.city), (self.province_prefix, self.province)):
                if full and key.startswith(prefix) and len(key) > len(prefix) + 1 \
                        and not key.startswith(full[: len(prefix) + 1]) and not key.startswith("市场"):
                    return full + key[len(prefix):]
            return key
        if type_ == "Place":
            return self.places.get(key, key)
        if type_ == "Event":
            return self.events.get(key, key)
        return key

    def kind(self, canonical: str) -> str | None:
        for name, kind in self.organizations.values():
            if name == canonical:
                return kind
        return None

    def org_canonical(self, name: str) -> str:
        return self.canonical(name, "Organization")


@cache
def alias_table(profile: str = PROFILE) -> AliasTable:
    prof = load_json(profile)
    table = AliasTable(city_prefix=prof.get("city_prefix", "市"), city=prof.get("city_prefix_expands_to", ""),
                       province_prefix=prof.get("province_prefix", "省"),
                       province=prof.get("province_prefix_expands_to", ""))
    for entry in gazetteer.entries(profile):
        for form in entry.forms:
            if entry.type == "Organization":
                table.organizations[normalise(form)] = (entry.canonical, entry.kind)
            elif entry.type == "Place":
                table.places[normalise(form)] = entry.canonical
            else:
                table.events[normalise(form)] = entry.canonical
    return table


def entity_id(type_: str, canonical: str) -> str:
    digest = hashlib.sha1(f"{type_}\x1f{normalise(canonical)}".encode()).hexdigest()[:16]
    return f"{ID_PREFIX[type_]}-{digest}"


def resolve_article(facts: ArticleFacts, table: AliasTable | None = None) -> dict[tuple[str, str], Entity]:
    """The article's entities keyed by (type, canonical name), each with its surface forms.

    Sets `Mention.canonical` on every mention as a side effect of resolution."""
    table = table or alias_table()
    entities: dict[tuple[str, str], Entity] = {}
    for m in facts.mentions:
        canonical = table.canonical(m.text, m.type)
        m.canonical = canonical
        key = (m.type, canonical)
        ent = entities.get(key)
        if ent is None:
            kind = (table.kind(canonical) or m.kind) if m.type == "Organization" else None
            ent = entities[key] = Entity(entity_id(m.type, canonical), m.type, canonical, set(), kind)
        ent.aliases.add(m.text)
    return entities

