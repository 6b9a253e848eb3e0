"""The gazetteer files of schemas/gazetteer and the paper profile, read once.

The NLP stage finds these names in text; the alias stage maps their short
forms to the canonical name. Both read them here, so the files are parsed in
one way only.

    places.tsv          canonical <TAB> short forms (comma separated)
    organizations.tsv   canonical <TAB> kind <TAB> short forms
    events.tsv          canonical <TAB> short forms
    profiles/*.json     "organizations": {short form: [canonical, kind]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.config import load_json, load_lines

PROFILE = "profiles/liaocheng.json"


@dataclass(frozen=True)
class Entry:
    canonical: str
    type: str  # Place, Organization, Event
    kind: str | None  # for organisations: company, government, other
    forms: tuple[str, ...]  # every surface form, the canonical one first


def _split_forms(column: str) -> list[str]:
    return [f.strip() for f in column.split(",") if f.strip()]


@cache
def entries(profile: str = PROFILE) -> tuple[Entry, ...]:
    out = []
    for name, type_, has_kind in (("places.tsv", "Place", False), ("organizations.tsv", "Organization", True),
                                  ("events.tsv", "Event", False)):
        for line in load_lines(f"gazetteer/{name}"):
            cols = line.split("\t")
            kind = (cols[1] if len(cols) > 1 else "other") if has_kind else None
            forms_col = 2 if has_kind else 1
            forms = _split_forms(cols[forms_col]) if len(cols) > forms_col else []
            out.append(Entry(cols[0], type_, kind, (cols[0], *forms)))
    for form, (canonical, kind) in load_json(profile).get("organizations", {}).items():
        out.append(Entry(canonical, "Organization", kind, (form,)))
    return tuple(out)


@cache
def suffix_table(name: str) -> tuple[tuple[str, str], ...]:
    """(suffix, kind) rows of a suffix file, longest suffix first."""
    rows = []
    for line in load_lines(name):
        parts = line.split()
        rows.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def paper_city(profile: str = PROFILE) -> str:
    """The city of the paper's profile (聊城市); "" for a profile that names none."""
    return load_json(profile).get("city_prefix_expands_to", "")


@cache
def _hosting(profile: str) -> re.Pattern | None:
    city = paper_city(profile)[:2]
    return re.compile(f"{city}[^。！？\n]{{0,40}}?(?:来|到|赴|莅临)我市|(?:来|到|莅临)我市[^。！？\n，,]{{0,20}}?的{city}") \
        if city else None


def hosts_our_city(text: str, profile: str = PROFILE) -> bool:
    """"聊城市政协主席曾晓黎一行，来我市考察", "会见了来我市调研的聊城市副市长": a party
    from the profile's city comes to the city the article is written in, another one."""
    pattern = _hosting(profile)
    return pattern is not None and pattern.search(text) is not None
