"""Identity across articles: organisation keys, people split on conflicting
evidence only, curated decisions, and ids that never change between runs."""

from __future__ import annotations

import json

import pytest

from kg.aliases import entity_id
from kg.aliases.identity import IdentityRegistry
from kg.aliases.keys import display_name, org_key
from kg.models import Article, ArticleFacts, Entity, RoleFact
from kg.pipeline import ArticleResult
from tests.conftest import EXAMPLES, run_kg

CITY, PROVINCE = "聊城市", "山东省"

SAME_BODY = [
    ("聊城市工信局", "聊城市工业和信息化局"),
    ("市工信局", "聊城市工业和信息化局"),
    ("中共聊城市委", "中共聊城市委员会"),
    ("聊城市委", "中共聊城市委"),
    ("市政协", "政协聊城市委员会"),
    ("中国人民政治协商会议聊城市委员会", "政协聊城市委员会"),
    ("聊城市人民政府", "市政府"),
    ("山东省科技厅", "山东省科学技术厅"),
    ("聊城市华跃新能源科技有限公司", "华跃新能源科技有限公司"),
    ("开发区鲁丰农业股份有限公司", "鲁丰农业股份有限公司"),
    ("中共聊城市委统一战线工作部", "聊城市委统战部"),
    ("阳谷县发展和改革委员会", "阳谷县发改委"),
]
OTHER_BODIES = [
    ("省工商联", "市工商联"),  # the level tells them apart
    ("中通客车", "聊城中通轻型客车有限公司"),  # parent and subsidiary
    ("聊城市商务局", "聊城市科技局"),
    ("市场监管局", "市监管局"),  # 市场 is no jurisdiction
    ("阳谷县发改委", "莘县发改委"),
]


@pytest.mark.parametrize(("a", "b"), SAME_BODY)
def test_names_of_one_body_share_a_key(a, b):
    assert org_key(a, CITY, PROVINCE) == org_key(b, CITY, PROVINCE)


@pytest.mark.parametrize(("a", "b"), OTHER_BODIES)
def test_names_of_two_bodies_keep_apart(a, b):
    assert org_key(a, CITY, PROVINCE) != org_key(b, CITY, PROVINCE)


def test_display_names_spell_abbreviations_out():
    assert display_name("聊城市工信局") == "聊城市工业和信息化局"
    assert display_name("开发区乖宝宠物食品集团股份有限公司") == "乖宝宠物食品集团股份有限公司"
    assert display_name("时风集团") == "时风集团"


def person_in(article: str, name: str, district: str | None, org: str | None) -> ArticleResult:
    ent = Entity(entity_id("Person", name), "Person", name, {name})
    roles = [RoleFact(name, "书记", org, 0, 2, 0)] if org else []
    facts = ArticleFacts(article, None, None, roles=roles)
    art = Article(id=article, issue_id=None, seq=1, title="", text="", raw_start=0, raw_end=0)
    return ArticleResult(art, facts, {("Person", name): ent}, district)


def ids_of(results: list[ArticleResult], registry: IdentityRegistry | None = None) -> list[str]:
    (registry or IdentityRegistry()).identify(results)
    return [next(iter(r.entities.values())).id for r in results]


def test_one_name_is_one_person_when_the_evidence_agrees():
    ids = ids_of([person_in("a1", "王伟", "莘县", "中共莘县王庄村支部委员会"),
                  person_in("a2", "王伟", None, None),
                  person_in("a3", "王伟", "莘县", "中共莘县王庄村支部委员会")])
    assert len(set(ids)) == 1


def test_one_name_is_two_people_when_the_evidence_conflicts():
    results = [person_in("a1", "王伟", "莘县", "中共莘县王庄村支部委员会"),
               person_in("a2", "王伟", "临清市", "中国农业银行临清支行"),
               person_in("a3", "王伟", "莘县", None)]
    ids = ids_of(results)
    assert ids[0] != ids[1] and ids[2] == ids[0]
    split = next(iter(results[1].entities.values()))
    assert split.merge_reason.startswith("split from " + ids[0]) and split.confidence == 0.9


def test_a_curated_split_tells_people_apart_by_county_alone():
    registry = IdentityRegistry(split_names={"李强"})
    ids = ids_of([person_in("a1", "李强", "莘县", None), person_in("a2", "李强", "冠县", None)], registry)
    assert ids[0] != ids[1]


def test_extract_gives_the_same_ids_on_every_run():
    lines = "".join(json.dumps({"id": f"ex-{i}", "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n"
                    for i, p in enumerate(sorted(EXAMPLES.glob("*.txt"))))
    first, second = (run_kg("extract", "--jsonl", input=lines) for _ in range(2))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    ids = [e["id"] for line in first.stdout.splitlines() for e in json.loads(line)["entities"]]
    assert ids and all(i.split("-")[0] in ("per", "org", "plc", "evt") for i in ids)
