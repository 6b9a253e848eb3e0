from __future__ import annotations

from kg.aliases import alias_table, entity_id, resolve_article
from kg.models import ArticleFacts, Mention, RoleFact


def test_profile_and_gazetteer_short_forms():
    t = alias_table()
    assert t.canonical("市委", "Organization") == "中共聊城市委"
    assert t.canonical("本报", "Organization") == "聊城日报"
    assert t.canonical("时风", "Organization") == "时风集团"
    assert t.canonical("市工信局", "Organization") == "聊城市工信局"
    assert t.canonical("省商务厅", "Organization") == "山东省商务厅"
    assert t.canonical("市场监管局", "Organization") == "市场监管局"  # 市场 is no jurisdiction prefix
    assert t.canonical("聊城", "Place") == "聊城市"
    assert t.canonical("王 刚", "Person") == "王刚"


def test_ids_are_stable_hashes_of_type_and_name():
    assert entity_id("Person", "王刚") == entity_id("Person", " 王刚 ")
    assert entity_id("Person", "王刚") != entity_id("Organization", "王刚")
    assert entity_id("Organization", "时风集团").startswith("org-")
    # a fixed value: ids must not change between runs, machines or versions
    assert entity_id("Person", "王刚") == "per-" + __import__("hashlib").sha1(
        "Person\x1f王刚".encode()).hexdigest()[:16]


def test_province_full_name_in_front_of_a_profile_short_form():
    assert alias_table().canonical("山东省工商联", "Organization") == "山东省工商业联合会"


def mention(text: str, start: int) -> Mention:
    return Mention(text=text, type="Organization", start=start, end=start + len(text), sentence=0, source="test")


def test_short_forms_join_their_full_form_within_an_article():
    names = ["聊城市华跃新能源科技有限公司", "华跃新能源科技有限公司", "茌平区纪委监委", "区纪委监委",
             "中共王村党支部", "王村党支部", "聊城市商务和投资促进局", "聊城市商务投资促进局",
             "乖宝宠物食品集团", "乖宝"]
    facts = ArticleFacts("a1", None, None, mentions=[mention(n, 20 * i) for i, n in enumerate(names)],
                         roles=[RoleFact("崔俊杰", "董事长", "华跃新能源科技有限公司", 0, 3, 0)])
    entities = resolve_article(facts)
    assert sorted({e.name for e in entities.values()}) == ["中共王村党支部", "乖宝宠物食品集团",
                                                            "聊城市华跃新能源科技有限公司", "聊城市商务和投资促进局",
                                                            "茌平区纪委监委"]
    assert entities[("Organization", "茌平区纪委监委")].aliases == {"茌平区纪委监委", "区纪委监委"}
    assert facts.roles[0].org == "聊城市华跃新能源科技有限公司"
    assert {m.canonical for m in facts.mentions if m.text == "王村党支部"} == {"中共王村党支部"}


def test_a_short_form_two_full_forms_fit_stays_apart():
    facts = ArticleFacts("a2", None, None, mentions=[mention(n, 20 * i) for i, n in
                                                     enumerate(["茌平区纪委监委", "东昌府区纪委监委", "区纪委监委"])])
    assert len(resolve_article(facts)) == 3


def test_names_of_one_body_or_event_fold_together():
    from kg.aliases import org_id

    t = alias_table()
    # 委 for 委员会 inside an abbreviation's full form; a body through its terms; the province or city in front
    assert org_id("聊城市卫生健康委") == org_id("聊城市卫生健康委员会") == org_id("聊城市卫健委")
    assert org_id("聊城市第十六届人民代表大会常务委员会") == org_id("聊城市人大常委会")
    assert org_id("山东省聊城市人民代表大会常务委员会") == org_id("聊城市人大常委会")
    assert org_id("聊城市茌平区人大常委会") == org_id("茌平区人大常委会")
    assert org_id("山东省人民政府") != org_id("聊城市人民政府")
    assert t.canonical("中共二十大", "Event") == t.canonical("党的二十大", "Event") == "党的二十大"
    assert t.canonical("江北水城", "Place") == t.canonical("聊", "Place") == "聊城市"
    # a company is no body of its province; 控股 and 股份公司 are legal forms
    assert org_id("山东时风集团") == org_id("时风集团")
    assert org_id("中通客车控股股份有限公司") == org_id("中通客车")
    assert org_id("山东东阿阿胶股份公司") == org_id("东阿阿胶股份有限公司")
    assert org_id("山东省国资委") != org_id("国资委")


def test_a_division_s_bodies_by_its_name_are_named_as_the_division_s_own_articles_name_them():
    t = alias_table()
    assert t.canonical("茌平区委", "Organization") == t.canonical("区委", "Organization", "茌平区") == "中共茌平区委"
    assert t.canonical("冠县委", "Organization") == t.canonical("冠县县委", "Organization") == "中共冠县县委"
    assert t.canonical("临清市政府", "Organization") == "临清市人民政府"
    assert t.canonical("济南市委", "Organization") == "中共济南市委"
    assert t.canonical("高新区委", "Organization") == "高新区委"  # a development zone is no division


def test_a_contraction_joins_the_full_name_within_an_article():
    facts = ArticleFacts("a3", None, None, mentions=[mention(n, 20 * i) for i, n in
                                                     enumerate(["聊城大学", "聊大", "中国银行", "中行", "聊城"])])
    names = {e.name: e.aliases for e in resolve_article(facts).values()}
    assert names["聊城大学"] == {"聊城大学", "聊大"}
    assert names["中国银行"] == {"中国银行", "中行"}


def test_a_level_alone_no_county_resolves_is_the_article_s_own_body():
    facts = [ArticleFacts(article_id=a, issue_id=None, date=None) for a in ("a-1", "a-2")]
    for f in facts:
        f.mentions.append(Mention("区委", "Organization", 0, 2, 0, "gazetteer", "government"))
    ids = [resolve_article(f)[("Organization", "区委")].id for f in facts]
    assert ids[0] != ids[1]
    named = [ArticleFacts(article_id=a, issue_id=None, date=None) for a in ("a-1", "a-2")]
    for f in named:
        f.mentions.append(Mention("市委", "Organization", 0, 2, 0, "gazetteer", "government"))
    assert len({resolve_article(f)[("Organization", "中共聊城市委")].id for f in named}) == 1
