"""Identity keys and display names of organisations.

Two names are one body when their keys agree: the key folds what papers vary
(the paper's own city and province in front, or their short forms 市/省; 中共;
委员会/委; legal suffixes such as 股份有限公司; the abbreviations of
schemas/aliases/abbreviations.tsv: 工信局 for 工业和信息化局) and keeps what
tells bodies apart (the level: 省工商联 is not 市工商联; the rest of the name:
中通客车 is not 聊城中通轻型客车有限公司). The display name spells abbreviations out.
"""

from __future__ import annotations

import re
from functools import cache

from kg.config import load_lines
from kg.ingest.layout import normalise

COUNTY_FIRST = re.compile(r"[\u4e00-\u9fff]{1,3}[区县]")
TERM = re.compile(r"第?[一二三四五六七八九十\d]+届")
LEGAL_SUFFIXES = ("控股集团股份有限公司", "集团股份有限公司", "控股股份有限公司", "控股集团有限公司", "股份有限公司",
                  "集团有限公司", "控股有限公司", "有限责任公司", "有限公司", "股份公司")
COMPANY_ENDS = (*LEGAL_SUFFIXES, "集团", "公司")
PARTY_PREFIXES = ("中国共产党", "中共")
ZONE_PREFIXES = ("开发区", "高新区", "经开区", "度假区")


@cache
def abbreviations() -> tuple[tuple[str, str], ...]:
    """(full, short) pairs, longest full form first."""
    pairs = []
    for line in load_lines("aliases/abbreviations.tsv"):
        full, _, short = line.partition("\t")
        pairs.append((full.strip(), short.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _fold_abbreviations(name: str) -> str:
    for full, short in abbreviations():
        name = name.replace(full, short)
        if full.endswith("委员会") and short.endswith("委"):
            name = name.replace(full[:-3] + "委", short)  # 卫生健康委 = 卫生健康委员会 = 卫健委
    return name


def display_name(name: str) -> str:
    """聊城市工信局 -> 聊城市工业和信息化局: short forms inside a name spelled out;
    a company's name without the zone it is in (开发区乖宝…有限公司)."""
    if name.endswith(LEGAL_SUFFIXES) and name.startswith(ZONE_PREFIXES):
        name = next(name[len(z):] for z in ZONE_PREFIXES if name.startswith(z))
    folded = _fold_abbreviations(name)
    for full, short in sorted(abbreviations(), key=lambda p: -len(p[1])):
        if full.startswith("中国") and not folded.startswith(short):
            continue  # 政协聊城市委员会 is spelled out; 县政协 is no 县中国人民政治协商会议
        if short in folded and full not in folded:
            folded = folded.replace(short, full)
    return folded


def org_key(name: str, city: str = "", province: str = "") -> str:
    """The identity key of an organisation's canonical name."""
    key = normalise(name)
    for prefix in PARTY_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    key = TERM.sub("", _fold_abbreviations(key))  # 聊城市第十六届人大常委会: one body through its terms
    if province and city and key.startswith(province) and key[len(province):].startswith(city[:2]):
        key = key[len(province):]  # 山东省聊城市人大常委会: the city's, the province in front
    cppcc = key.startswith("政协")  # 政协聊城市委员会 = 市政协: the level sits inside the name
    if cppcc:
        key = key[2:]
    level = ""
    for full, marker in ((city, "市"), (province, "省")):
        short = full[:-1] if full.endswith(("市", "省")) else full
        for form in (full, short):
            if form and key.startswith(form) and len(key) > len(form):
                key, level = key[len(form):], marker
                break
        if level:
            break
    if level == "市" and COUNTY_FIRST.match(key) and not COUNTY_FIRST.match(key).group().endswith(ZONE_PREFIXES):
        level = ""  # 聊城市茌平区人大常委会 = 茌平区人大常委会: the county's body, the city in front
    if not level and key[:1] in ("市", "省") and not key.startswith("市场") and len(key) > 1:
        level, key = key[0], key[1:]
    if key.endswith("委员会"):
        key = key[:-3] + "委"
    if cppcc:
        key = "政协" + (key[:-1] if key.endswith("委") else key)
    if key.startswith("委") and key.endswith("部") and len(key) > 2:
        key = key[1:]  # 市委统战部 = 市统战部: a city's departments of that kind are its party committee's
    company = key.endswith(COMPANY_ENDS)  # 山东时风集团 = 时风集团: a company is no body of its province
    for suffix in LEGAL_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)] + ("集团" if "集团" in suffix else "")
            break
    if company and key.startswith(ZONE_PREFIXES):
        key = next(key[len(z):] for z in ZONE_PREFIXES if key.startswith(z))  # 开发区乖宝… : where it is
    # a company keeps its name with or without the city in front (聊城市华跃… = 华跃…)
    return f"{level}:{key}" if level and not company else key
