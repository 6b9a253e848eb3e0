"""General knowledge the entity rules hold, each class on sentences written here (no
gold text): bodies of the article's own jurisdiction, the press, titles kept out of
names, events under their whole name, regions and outlets; and the learned tagger's
plumbing (labels, spans, a model missing or switched off)."""

from __future__ import annotations

import pytest

from kg.aliases import alias_table
from kg.aliases.keys import display_name
from kg.errors import ConfigError
from kg.nlp.learned import LearnedNer, labels_from_spans, sentences, spans_from_labels, tidy
from kg.pipeline import analyse, article_from_record
from tests.test_nlp_components import rules, run  # noqa: F401  (the rules fixture)


def entities(text: str, tagger: str | None = None, monkeypatch=None) -> dict[tuple[str, str], set[str]]:
    """(type, canonical name) -> surfaces, from the whole extraction path."""
    result = next(analyse([article_from_record({"id": "t", "text": text})]))
    return {(e.type, e.name): set(e.aliases) for e in result.entities.values()}


def test_a_county_article_s_county_committee_is_that_county_s():
    text = "本报讯 近日，冠县召开项目推进会。县委书记王某某主持会议，县委常委、副县长李某某在冠县烟庄街道调研。"
    found = entities(text)
    committee = [name for (type_, name), aliases in found.items() if type_ == "Organization" and "县委" in aliases]
    assert committee and all("冠县" in name for name in committee), found


def test_a_level_alone_stays_a_short_form_where_no_county_is_named():
    table = alias_table()
    assert table.canonical("县委", "Organization", None) == "县委"
    assert table.canonical("县委", "Organization", "莘县") == "中共莘县县委"
    assert table.canonical("区政协", "Organization", "茌平区") == "政协茌平区委员会"


def test_two_character_counties_are_districts_of_an_article():
    assert alias_table().district_of(["莘县", "莘县", "聊城市"]) == "莘县"
    assert alias_table().district_of(["全县", "该县"]) is None


def test_a_city_s_own_article_reads_its_市_as_that_city():
    table = alias_table()
    own = "市委副书记、市长雷启军到临清经济开发区督导。临清市重点项目进展顺利。"
    assert table.district_of(["临清市", "临清"], own) == "临清市"
    assert table.canonical("市委", "Organization", "临清市") == "中共临清市委"
    assert table.canonical("市政府", "Organization", "临清市") == "临清市人民政府"
    # a dateline says where an article is written from
    assert table.district_of([], "临清讯 市委书记出席。") == "临清市"
    assert table.district_of(["冠县"], "东昌府讯 区委召开会议。") == "东昌府区"
    assert table.district_of([], "本报聊城7月7日讯(记者 王明)") is None
    # an article that names the paper's city keeps 市 for that city
    assert table.district_of(["临清市"], "聊城市委书记到临清市调研。") is None
    assert table.canonical("市委", "Organization", None) == "中共聊城市委"


def test_an_article_s_district_from_the_bodies_it_names():
    table = alias_table()
    # no place of its own, but its schools and hospitals carry the district's name
    assert table.district_of([], "考察团来我区参观了东昌府区中等职业学校、东昌府区人民医院。") == "东昌府区"


def test_an_article_hosting_a_party_from_our_city_is_another_city_s():
    text = "本报讯 4月18日，聊城市政协主席钱志远一行来我市考察。市委书记赵德明会见钱志远一行。"
    found = entities(text)
    papers = [name for (type_, name), aliases in found.items() if "本报" in aliases]
    committee = [name for (type_, name), aliases in found.items() if type_ == "Organization" and "市委" in aliases]
    assert papers == ["外报"] and committee == ["市委"], found
    # the same when the party is named after 来我市, and another city named is the article's
    assert alias_table().district_of(["日照市"], "会见了来我市调研的聊城市副市长") == "日照市"


def test_familiar_forms_and_我校_resolve_within_an_article():
    from kg.models import Mention
    from kg.relations import _familiar_names, _institution_mentions

    def m(text, type_):
        return Mention(text, type_, 0, len(text), 0, "test")

    mentions = [m("季羡林", "Person"), m("季老", "Person"), m("老王", "Person"), m("王刚", "Person"), m("王强", "Person"),
                m("北京大学", "Organization"), m("北京大学", "Organization"), m("聊城大学", "Organization"),
                m("我校", "Organization")]
    _institution_mentions(mentions)
    _familiar_names(mentions)
    assert {x.text: x.refers_to for x in mentions if x.refers_to} == {"季老": "季羡林", "我校": "聊城大学"}


def test_a_level_s_cppcc_is_not_spelled_out_mid_name():
    assert display_name("政协聊城市委员会") == "中国人民政治协商会议聊城市委员会"
    assert display_name("县政协") == "县政协"


def test_a_post_glued_to_a_committee_is_cut_off(rules):  # noqa: F811
    found = run(rules, "，/w", "高唐县委书记/ORG", "张某/PER", "表示/v")
    assert ("高唐县委", "Organization") in found
    assert "高唐县委书记" not in {t for t, _ in found}


def test_the_press_by_name(rules):  # noqa: F811
    found = run(rules, "据/p", "齐鲁晚报/nz", "报道/v", "，/w", "大众网/nz", "和/c", "鲁网/nz", "转载/v")
    assert {("齐鲁晚报", "Organization"), ("大众网", "Organization"), ("鲁网", "Organization")} <= found


def test_a_company_s_short_form_is_not_the_region_it_is_named_after(rules):  # noqa: F811
    found = run(rules, "在/p", "鲁西/LOC", "大地/n", "上/f", "，/w", "鲁西/ORG", "集团/n", "投产/v")
    assert ("鲁西集团", "Organization") in found
    assert ("鲁西", "Organization") not in found


def test_an_event_keeps_its_parties_and_its_year(rules):  # noqa: F811
    signing = run(rules, "出席/v", "东方/nz", "集团/n", "与/p", "莘县/LOC", "人民政府/n", "战略/n", "合作/vn",
                  "签约仪式/n", "。/w")
    assert ("东方集团与莘县人民政府战略合作签约仪式", "Event") in signing
    forum = run(rules, "，/w", "山东/LOC", "大学/n", "2025年/TIME", "青年/n", "学者/n", "论坛/n", "开幕/v")
    assert ("山东大学2025年青年学者论坛", "Event") in forum


def test_an_event_name_holds_企业(rules):  # noqa: F811
    found = run(rules, "，/w", "2026/TIME", "阳谷/LOC", "企业家/n", "年会/n", "暨/c", "百强/n", "企业/n", "峰会/n",
                "举行/v")
    assert ("2026阳谷企业家年会暨百强企业峰会", "Event") in found


def test_sessions_by_number(rules):  # noqa: F811
    found = run(rules, "学习/v", "党的/u", "二十届/m", "四中全会/n", "精神/n", "和/c", "市十九届人大二次会议/n", "精神/n")
    names = {t for t, label in found if label == "Event"}
    assert "党的二十届四中全会" in names and "市十九届人大二次会议" in names


def test_a_ceremony_needs_a_name(rules):  # noqa: F811
    found = run(rules, "，/w", "举行/v", "酿酒/vn", "仪式/n", "。/w")
    assert not [t for t, label in found if label == "Event"]


def test_labels_and_spans_round_trip():
    spans = [(0, 2, "Place"), (2, 5, "Place"), (7, 9, "Person")]
    labels = labels_from_spans(10, spans)
    assert labels[:6] == ["B-Place", "I-Place", "B-Place", "I-Place", "I-Place", "O"]
    assert spans_from_labels(labels) == spans
    assert spans_from_labels(["I-Event", "I-Event", "O"], 5) == [(5, 7, "Event")]


def test_sentences_cover_the_text():
    text = "甲乙。丙丁！\n戊"
    ranges = sentences(text)
    assert "".join(text[a:b] for a, b in ranges) == text
    assert ranges[0] == (0, 3)


def test_a_missing_model_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_NER_MODEL", str(tmp_path / "none-here.crfsuite"))
    with pytest.raises(ConfigError, match="none-here.crfsuite"):
        LearnedNer()


def test_the_tagger_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("KG_NER_MODEL", "none")
    assert LearnedNer().tagger is None


def test_a_span_reads_as_a_name():
    text = "开展“我心中的英雄”征文活动，市场举办建市十周年纪念大会"
    quoted = text.index("我"), text.index("活动") + 2
    # a closing quote takes the span back to its opening one
    assert tidy(text, *quoted, "Event") == [(text.index("“"), quoted[1], "Event")]
    # an unmatched opening quote at the front is dropped
    assert tidy("“山东行", 0, 4, "Event") == [(1, 4, "Event")]
    # a verb of convening inside an event cuts it; the sides too short to be a name go
    start = text.index("市场")
    assert tidy(text, start, len(text), "Event") == [(text.index("建市"), len(text), "Event")]
    # brackets that do not balance are no name
    assert tidy("中国教育在线(学术桥", 0, 10, "Organization") == []
    assert tidy("聊城大学", 0, 4, "Organization") == [(0, 4, "Organization")]


def test_a_title_after_a_surname_is_no_person():
    assert tidy("张书记来了", 0, 3, "Person") == []
    assert tidy("林先生说", 0, 3, "Person") == []
    assert tidy("林乃相说", 0, 3, "Person") == [(0, 3, "Person")]


def test_a_person_cut_short_takes_the_rules_whole_name():
    from kg.nlp.learned import _whole_person

    rule_ents = {(0, 3, "Person"): None, (5, 9, "Organization"): None}
    assert _whole_person((0, 2, "Person"), rule_ents) == (0, 3, "Person")
    assert _whole_person((5, 7, "Organization"), rule_ents) == (5, 7, "Organization")


def test_known_places_keep_their_edges():
    from kg.nlp.learned import _known_places

    text = "在山东聊城，以临清为中心，高唐开发区"
    known = [(1, 3), (3, 5), (7, 9), (15, 18)]  # 山东, 聊城, 临清, 开发区
    found = [(1, 5, "Place"), (7, 12, "Place"), (13, 18, "Place")]
    assert _known_places(text, found, known) == [(1, 3, "Place"), (3, 5, "Place"), (7, 9, "Place"),
                                                 (13, 18, "Place")]
