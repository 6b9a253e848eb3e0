"""Stage 4: canonical names and stable ids.

Canonical names come from data: the paper profile (市委 = 中共聊城市委, 本报 =
聊城日报), the gazetteers' short forms (时风 = 时风集团, 聊城 = 聊城市) and the
profile's jurisdiction prefix (市工信局 = 聊城市工信局). Entities with the same
type and canonical name are one entity everywhere; the id is a hash of both,
so every run on every machine gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from kg import gazetteer
from kg.aliases.keys import display_name, org_key
from kg.config import load_json, load_lines
from kg.ingest.layout import normalise
from kg.models import ArticleFacts, Entity

DEVELOPMENT_ZONES = ("开发区", "高新区", "度假区", "示范区", "园区", "新区")
ID_PREFIX = {"Person": "per", "Organization": "org", "Place": "plc", "Event": "evt"}
PROFILE = gazetteer.PROFILE
NOT_A_NAME_START = set("全本该各我两县区市")
# the Party's national congresses by number: 中共二十大 = 党的二十大
PARTY_CONGRESS = re.compile(r"(?:党的|中共|中国共产党)第?([一二三四五六七八九十]{1,3})(?:大|次全国代表大会)")
ELSEWHERE = "外市"  # the district of an article written in another city it does not name
# a dateline naming where an article is written from: 临清讯, 本报莘县讯, 东昌府讯
DATELINE = re.compile(r"\s*(?:本报)?([\u4e00-\u9fff]{2,4}?)(?:\d{1,2}月\d{1,2}日)?讯")


@dataclass
class AliasTable:
    organizations: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # form -> (canonical, kind)
    places: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    city_prefix: str = "市"
    city: str = ""
    province_prefix: str = "省"
    province: str = ""

    def canonical(self, name: str, type_: str, district: str | None = None) -> str:
        """The canonical name; `district` is the county or district an article is about,
        for its short forms (区委 in an article about 东昌府区 = 中共东昌府区委)."""
        key = normalise(name)
        if type_ == "Organization":
            if district == ELSEWHERE and key.startswith(self.city_prefix) and not key.startswith("市场"):
                return key  # 市委 of another, unnamed city: the article's own (see article_org_id)
            local = self._in_district(key, district)
            if local and district.endswith("市"):  # a city's own article: 市委 is that city's, not the profile's
                return local
            if key in self.organizations:
                return self.organizations[key][0]
            if local:
                return local
            division = self._division_body(key)
            if division:
                return division
            for prefix, full in ((self.city_prefix, self.city), (self.province_prefix, self.province)):
                # 山东省工商联: the full jurisdiction in front of a short form the profile knows (省工商联)
                short = prefix + key[len(full):] if full and key.startswith(full) else None
                if short in self.organizations:
                    return self.organizations[short][0]
            for prefix, full in ((self.city_prefix, self.city), (self.province_prefix, self.province)):
                if full and key.startswith(prefix) and len(key) > len(prefix) + 1 \
                        and not key.startswith(full[: len(prefix) + 1]) and not key.startswith("市场"):
                    return full + key[len(prefix):]
            return key
        if type_ == "Place":
            return self.places.get(key, key)
        if type_ == "Event":
            congress = PARTY_CONGRESS.fullmatch(key)
            return f"党的{congress.group(1)}大" if congress else self.events.get(key, key)
        return key

    def _in_district(self, key: str, district: str | None) -> str | None:
        """区委 -> 中共东昌府区委, 县政府 -> 阳谷县人民政府, 区纪委监委 -> 东昌府区纪委监委: the
        bodies of a county or district by its own name, as they sign themselves."""
        if not district or len(key) < 2 or key[0] != district[-1] or district[-1] not in "区县市":
            return None
        full = district[len(self.city):] if self.city and district.startswith(self.city) else district
        rest = key[1:]
        if rest == "委":  # 中共高唐县委, but 中共莘县县委: a two-character county keeps its 县
            return "中共" + full + (key if len(full) == 2 else "委")
        if rest == "政府":
            return full + "人民政府"
        if rest == "政协":
            return "政协" + full + "委员会"
        return full + rest

    def _division_body(self, key: str) -> str | None:
        """茌平区委, 冠县县委, 临清市政府: a body named with its county or district, as in
        that division's own articles (中共茌平区委, 中共冠县县委, 临清市人民政府)."""
        for cut in range(2, len(key)):
            division = self.places.get(key[:cut])
            if division and self._is_division(division):
                rest = key[cut:]
                level = division[-1]
                short = rest if rest.startswith(level) else level + rest
                if short[1:] in ("委", "政府", "政协"):
                    return self._in_district(short, division)
        return None

    @cached_property
    def _county_forms(self) -> re.Pattern:
        forms = sorted((f for f, name in self.places.items() if len(f) >= 2 and name.endswith(("区", "县"))
                        and self._is_division(name)), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, forms)) or "(?!)")

    def _is_division(self, name: str) -> bool:
        """A county, district or city other than the paper's own (not 高新区, 自治区, 地区)."""
        return name.endswith(("区", "县", "市")) and not name.endswith((*DEVELOPMENT_ZONES, "自治区", "行政区", "地区")) \
            and name != self.city and name[0] not in NOT_A_NAME_START

    def district_of(self, places: list[str], text: str = "") -> str | None:
        """The county or district an article is about: the one its places name most
        (a development zone is no district), unless its dateline says where it is written
        from (临清讯); else, for an article that never names the paper's city, the city it
        names most (临清市: its 市委 is 中共临清市委). An article that hosts a party from
        the paper's city is another city's: the one it names, else ELSEWHERE."""
        names = [self.canonical(place, "Place") for place in places]
        if gazetteer.hosts_our_city(text):  # 聊城…来我市: written in another city, the one it names most
            cities = [n for n in names if n.endswith("市") and len(n) >= 3 and n != self.city]
            return max(cities, key=cities.count) if cities else ELSEWHERE
        dateline = DATELINE.match(text)
        if dateline:  # 临清讯, 本报莘县讯, 东昌府讯: the place it is written from
            short = dateline.group(1)
            known = [self.places[f] for f in (short, short + "区", short + "县", short + "市") if f in self.places]
            name = known[0] if known else short
            if self._is_division(name):
                return name
        # 冠县 and 莘县 are counties; 全县, 该区, 县区 are no names
        counties = [n for n in names if n.endswith(("区", "县")) and self._is_division(n)]
        if counties:
            return max(counties, key=counties.count)
        # "来我区…东昌府区中等职业学校": the county its bodies and schools are named with
        inside = [self.places[m.group()] for m in self._county_forms.finditer(text)]
        if inside:
            return max(inside, key=inside.count)
        if not text or not self.city or self.city[:2] in text:
            return None
        cities = [n for n in names if n.endswith("市") and len(n) >= 3 and n[0] not in NOT_A_NAME_START]
        return max(cities, key=cities.count) if cities else None

    def kind(self, canonical: str) -> str | None:
        for name, kind in self.organizations.values():
            if name == canonical:
                return kind
        return None



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
    # the city's names that only resolve, never tag (聊 in 来聊, 江北水城): not gazetteer forms
    for form, place in prof.get("place_aliases", {}).items():
        table.places[normalise(form)] = place
    return table


def entity_id(type_: str, canonical: str) -> str:
    digest = hashlib.sha1(f"{type_}\x1f{normalise(canonical)}".encode()).hexdigest()[:16]
    return f"{ID_PREFIX[type_]}-{digest}"


def resolve_article(facts: ArticleFacts, table: AliasTable | None = None,
                    district: str | None = None) -> dict[tuple[str, str], Entity]:
    """The article's entities keyed by (type, canonical name), each with its surface forms.

    Sets `Mention.canonical` on every mention as a side effect of resolution."""
    table = table or alias_table()
    entities: dict[tuple[str, str], Entity] = {}
    for m in facts.mentions:
        canonical = table.canonical(m.refers_to or m.text, m.type, district)
        m.canonical = canonical
        key = (m.type, canonical)
        ent = entities.get(key)
        if ent is None:
            kind = (table.kind(canonical) or m.kind) if m.type == "Organization" else None
            ent = entities[key] = Entity(entity_id(m.type, canonical), m.type, canonical, set(), kind)
        ent.aliases.add(m.text)
    renamed = _merge_short_forms(entities, table)
    for m in facts.mentions:
        m.canonical = renamed.get((m.type, m.canonical), m.canonical)
    for r in facts.roles:
        r.org = renamed.get(("Organization", r.org), r.org)
    _identify_organizations(entities, table, facts.article_id)
    return entities


def _identify_organizations(entities: dict[tuple[str, str], Entity], table: AliasTable, article_id: str) -> None:
    """An organisation's id comes from its identity key (kg.aliases.keys), its name is
    spelled out; two names of one body in an article become one Entity under both keys.
    A body named by its level alone that no county resolved (区委 with no district) is
    the article's own: 区委 in two articles may be two districts' committees."""
    by_id: dict[str, Entity] = {}
    for key, ent in sorted(entities.items()):
        if ent.type != "Organization":
            continue
        ent.id = article_org_id(ent.name, article_id, table)
        ent.name = display_name(ent.name)
        ent.aliases.add(ent.name)
        first = by_id.setdefault(ent.id, ent)
        if first is not ent:
            first.aliases |= ent.aliases
            first.kind = first.kind or ent.kind
            entities[key] = first


@cache
def level_bodies() -> frozenset[str]:
    """县委, 区政府 …: bodies named by their level alone (schemas/gazetteer/local_bodies.txt)."""
    return frozenset(normalise(f) for f in load_lines("gazetteer/local_bodies.txt"))


def article_org_id(canonical: str, article_id: str, table: AliasTable | None = None) -> str:
    """An organisation's id as one article names it: its identity key's, or the
    article's own for a body named by its level alone that no county resolved."""
    if canonical in level_bodies():
        return entity_id("Organization", f"{canonical}@{article_id}")
    return org_id(canonical, table)


def org_id(canonical: str, table: AliasTable | None = None) -> str:
    table = table or alias_table()
    return entity_id("Organization", org_key(canonical, table.city, table.province))


LOCAL_UNITS = "省市县区镇乡"
CONTRACTED = ("大学", "学院", "医院", "银行", "集团", "公司")  # names whose 2-character contraction is usual
COMPANY_TAIL = re.compile(r"(集团)?(股份|控股)?(有限)?(责任)?公司|集团")


def _merge_short_forms(entities: dict[tuple[str, str], Entity], table: AliasTable) -> dict[tuple[str, str], str]:
    """Within one article, a body named twice is one entity: 王村党支部 and
    中共王村党支部, 区纪委监委 and 茌平区纪委监委, 华跃新能源科技有限公司 and
    聊城市华跃新能源科技有限公司, 商务投资促进局 and 商务和投资促进局, 乖宝 and
    乖宝宠物食品集团. The short
    form joins the full one when exactly one full form fits. Returns the renames."""
    renamed: dict[tuple[str, str], str] = {}
    orgs = [name for type_, name in entities if type_ == "Organization"]
    for short in orgs:
        fits = [full for full in orgs if full != short and _is_short_form(short, full, table)]
        if len(fits) != 1:
            continue
        full_key = ("Organization", _final(renamed, fits[0]))
        if full_key not in entities:
            continue
        entities[full_key].aliases |= entities.pop(("Organization", short)).aliases
        renamed[("Organization", short)] = full_key[1]
    return {k: _final(renamed, v) for k, v in renamed.items()}


def _final(renamed: dict[tuple[str, str], str], name: str) -> str:
    while ("Organization", name) in renamed:
        name = renamed[("Organization", name)]
    return name


def _is_short_form(short: str, full: str, table: AliasTable) -> bool:
    if full.startswith(short) and 2 <= len(short) <= 3 and len(full) - len(short) >= 2 \
            and short[0] not in LOCAL_UNITS and short not in table.places:
        return True  # 中通客车 … 中通, 乖宝宠物食品集团 … 乖宝: the name's head, after the full name
    if len(short) == 2 and short[0] == full[0] and short[1] in full[2:] and full.endswith(CONTRACTED) \
            and short not in table.places:
        return True  # 聊大 … 聊城大学, 中行 … 中国银行: the first characters of the name's parts
    if len(short) < 3:
        return False
    if full.startswith(short) and COMPANY_TAIL.fullmatch(full[len(short):]):
        return True  # 乖宝宠物食品 … 乖宝宠物食品集团股份有限公司: the name without its legal form
    if full == "中共" + short:
        return True
    if "和" in full and full.replace("和", "") == short:
        return True
    if not full.endswith(short) or len(full) == len(short):
        return False
    front = full[: len(full) - len(short)]  # the jurisdiction the short form leaves out
    return front in table.places or front.endswith(tuple(LOCAL_UNITS)) or \
        (short[0] in LOCAL_UNITS and len(front) >= 2)

