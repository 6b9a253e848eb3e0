"""schemas/curation.json: facts a person found wrong, dropped at every load.

An entry names a fact by the names the explorer shows (any alias of them works),
optionally limited to one article:
    {"fact": "HOLDS", "person": "王刚", "title": "副市长", "organization": "聊城市人民政府",
     "article": "lcrb-2022-11-24-02", "why": "…"}
    {"fact": "SPOKE", "person": "王刚", "event": "…"}
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.config import load_json
from kg.errors import ConfigError

FACTS = {"HOLDS": ("person", "title", "organization"), "ATTENDED": ("person", "event"),
         "CHAIRED": ("person", "event"), "SPOKE": ("person", "event")}


@dataclass(frozen=True)
class Dropped:
    fact: str
    names: tuple[tuple[str, frozenset[str]], ...]  # (field, what it may be) the fact must match
    article: str | None


def _forms(field: str, value: str) -> frozenset[str]:
    """What an entry's name may match: the name, and for an organisation or event the id
    its canonical form has, so any alias the paper resolves (市政府) finds the entity."""
    from kg.aliases import alias_table, entity_id, org_id

    if field == "organization":
        return frozenset({value, org_id(alias_table().canonical(value, "Organization"))})
    if field == "event":
        return frozenset({value, entity_id("Event", alias_table().canonical(value, "Event"))})
    return frozenset({value})


@cache
def dropped() -> tuple[Dropped, ...]:
    entries = load_json("curation.json").get("drop", [])
    out = []
    for number, entry in enumerate(entries, 1):
        fact = entry.get("fact") if isinstance(entry, dict) else None
        if fact not in FACTS or any(not isinstance(entry.get(f), str) or not entry[f] for f in FACTS[fact]):
            need = "; ".join(f"{f}: {', '.join(fields)}" for f, fields in FACTS.items())
            raise ConfigError(f"schemas/curation.json: drop entry {number} ({entry!r}) must name a fact and its "
                              f"fields ({need})")
        out.append(Dropped(fact, tuple((f, _forms(f, entry[f])) for f in FACTS[fact]), entry.get("article")))
    return tuple(out)


def is_dropped(fact: str, article: str, **names: tuple[str, ...]) -> bool:
    """Whether curation.json drops this fact of this article; each of `names` is what the
    fact's field goes by (an entity's id, name and aliases; a title alone)."""
    for entry in dropped():
        if entry.fact != fact or (entry.article and entry.article != article):
            continue
        if all(forms.intersection(names[field]) for field, forms in entry.names):
            return True
    return False
