from __future__ import annotations

from kg.models import Article, Byline
from kg.pipeline import analyse


def facts_of(text: str, title: str = "", bylines=None):
    article = Article(id="t-1", issue_id=None, seq=1, title=title, text=text, raw_start=0, raw_end=len(text),
                      bylines=bylines or [], date="2031-03-15")
    return next(analyse([article]))


def test_titles_before_a_name_split_into_posts_with_carried_org():
    res = facts_of("市工信局党组成员、副局长吴明启介绍了情况。时风集团董事长刘成强说。")
    roles = {(r.person, r.title, r.org) for r in res.facts.roles}
    assert ("吴明启", "党组成员", "聊城市工信局") in roles
    assert ("吴明启", "副局长", "聊城市工信局") in roles
    assert ("刘成强", "董事长", "时风集团") in roles


def test_party_short_form_resolves_through_the_profile():
    res = facts_of("市委书记李长萍主持会议并讲话。", title="市委常委会召开会议")
    roles = {(r.person, r.title, r.org) for r in res.facts.roles}
    assert ("李长萍", "书记", "中共聊城市委") in roles
    att = {(a.person, a.role) for a in res.facts.attendance}
    assert att == {("李长萍", "CHAIRED"), ("李长萍", "SPOKE")}


def test_a_list_of_names_shares_the_verb_after_it():
    res = facts_of("华电山东公司总经理安同溪，市政协副主席张同奇出席活动。", title="风电项目开工")
    att = {(a.person, a.role) for a in res.facts.attendance}
    assert att == {("安同溪", "ATTENDED"), ("张同奇", "ATTENDED")}


def test_each_name_takes_its_own_verbs():
    res = facts_of("市委书记韩立新出席开幕式并致辞，副市长周明远主持开幕式。", title="博览会开幕")
    att = {(a.person, a.role) for a in res.facts.attendance}
    assert att == {("韩立新", "ATTENDED"), ("韩立新", "SPOKE"), ("周明远", "CHAIRED")}


def test_no_event_no_attendance():
    res = facts_of("“机器下地，省工又省心。”刘国梁说。", title="智能农机助力春耕")
    assert res.facts.attendance == []


def test_bylines_give_reporter_role_at_the_paper():
    text = "本报讯（记者林晨）12月27日，聊城市举行活动。"
    res = facts_of(text, bylines=[Byline("林晨", "记者", "本报", 7, 9)])
    assert ("林晨", "记者", "聊城日报") in {(r.person, r.title, r.org) for r in res.facts.roles}
    names = {(e.type, e.name): e.aliases for e in res.entities.values()}
    assert names[("Organization", "聊城日报")] == {"本报"}
