from __future__ import annotations

import pytest

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
    assert ("李长萍", "市委书记", "中共聊城市委") in roles  # the title as printed, its level kept
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
    assert names[("Organization", "聊城日报")] == {"本报", "聊城日报"}  # the canonical name is one of its forms (contract)


def test_a_paper_writing_from_our_city_is_not_ours():
    text = "本报聊城7月7日讯(记者 王传胜) 7日，本报记者从临清市了解到。"
    res = facts_of(text, bylines=[Byline("王传胜", "记者", "本报聊城", 15, 18)])
    assert ("王传胜", "记者", None) in {(r.person, r.title, r.org) for r in res.facts.roles}
    papers = {e.name for e in res.entities.values() if "本报" in e.aliases}
    assert papers == {"外报"}
    res = facts_of("本报莘县讯（记者 王传胜）7日，莘县召开会议。", bylines=[Byline("王传胜", "记者", "本报莘县", 10, 13)])
    assert ("王传胜", "记者", "聊城日报") in {(r.person, r.title, r.org) for r in res.facts.roles}


# The constructions of government news, each with its exact relations (sentences of our own).
ROLE_CASES = [
    ("市委常委、常务副市长刘文强出席会议。",
     {("刘文强", "市委常委", "中共聊城市委"), ("刘文强", "常务副市长", "聊城市人民政府")}),
    ("市委副书记、市长张百顺出席活动。",
     {("张百顺", "市委副书记", "中共聊城市委"), ("张百顺", "市长", "聊城市人民政府")}),
    ("中国华电集团有限公司总经理助理，华电山东公司党委书记、执行董事董凤亮出席活动。",
     {("董凤亮", "总经理助理", "中国华电集团有限公司"), ("董凤亮", "党委书记", "华电山东公司"),
      ("董凤亮", "执行董事", "华电山东公司")}),
    ("市工信局党组成员、副局长吴明启介绍有关情况。",
     {("吴明启", "党组成员", "聊城市工信局"), ("吴明启", "副局长", "聊城市工信局")}),
    ("党的二十大代表、高级农艺师杜立芝说，要把论文写在大地上。",
     {("杜立芝", "党的二十大代表", None), ("杜立芝", "高级农艺师", None)}),
    ("副市长张旋宇、洪玉振参加活动。",
     {("张旋宇", "副市长", "聊城市人民政府"), ("洪玉振", "副市长", "聊城市人民政府")}),
    ("会上，省贸促会会长孟向东、省侨办主任孙传尚先后致辞。",
     {("孟向东", "会长", "山东省贸促会"), ("孙传尚", "主任", "山东省侨办")}),
    ("习近平总书记强调，要守正创新。", {("习近平", "总书记", "中共中央")}),
    ("步同良，中国农业银行聊城茌平支行高级副经理。", {("步同良", "高级副经理", "中国农业银行聊城茌平支行")}),
    ("省委常委、组织部部长王宇燕到工作室调研。",
     {("王宇燕", "省委常委", "中共山东省委"), ("王宇燕", "组织部部长", "中共山东省委组织部")}),
    ("“今年订单饱满。”公司总经理杨立新介绍。东阿华康药业有限公司去年产值翻番。",
     {("杨立新", "总经理", "东阿华康药业有限公司")}),
    ("区委书记王建国在东昌府区调研。", {("王建国", "区委书记", "中共东昌府区委")}),
    # a county's posts by level, and a department of the committee before it
    ("县委副书记、县长高志国到莘县调研。",
     {("高志国", "县委副书记", "中共莘县县委"), ("高志国", "县长", "莘县人民政府")}),
    ("茌平区委常委、组织部部长、统战部部长陈海蓉参加座谈。",
     {("陈海蓉", "区委常委", "中共茌平区委"), ("陈海蓉", "组织部部长", "中共茌平区委组织部"),
      ("陈海蓉", "统战部部长", "中共茌平区委统战部")}),
    # former posts keep 原, for every post of the list
    ("聊城市政协原党组书记、主席赵振兰出席。",
     {("赵振兰", "原党组书记", "政协聊城市委员会"), ("赵振兰", "原主席", "政协聊城市委员会")}),
    # a town's government and party committee
    ("寿张镇副镇长魏宏锋说。", {("魏宏锋", "副镇长", "寿张镇人民政府")}),
    ("寿张镇组织委员蒋秀敬表示。", {("蒋秀敬", "组织委员", "中共寿张镇委员会")}),
    # an institution's party committee is the institution's; 校 and 党委 point back to it
    ("聊城市公安局茌平分局党委委员、副局长张建新表示。",
     {("张建新", "党委委员", "聊城市公安局茌平分局"), ("张建新", "副局长", "聊城市公安局茌平分局")}),
    ("聊城大学举行会议。校党委书记关延平，党委常委、副校长赵长林出席。",
     {("关延平", "党委书记", "聊城大学"), ("赵长林", "党委常委", "聊城大学"), ("赵长林", "副校长", "聊城大学")}),
    ("中国工程院院士石碧出席。", {("石碧", "院士", "中国工程院")}),
]


@pytest.mark.parametrize(("text", "expected"), ROLE_CASES, ids=[c[0][:12] for c in ROLE_CASES])
def test_title_grammar(text, expected):
    assert {(r.person, r.title, r.org) for r in facts_of(text).facts.roles} == expected


ATTENDANCE_CASES = [
    ("市委书记李长萍主持会议并讲话。", {("李长萍", "CHAIRED"), ("李长萍", "SPOKE")}),
    ("市政协副主席李涤尘参加并致辞。", {("李涤尘", "ATTENDED"), ("李涤尘", "SPOKE")}),
    ("董凤亮，安同溪，刘昌松，张同奇出席活动。",
     {("董凤亮", "ATTENDED"), ("安同溪", "ATTENDED"), ("刘昌松", "ATTENDED"), ("张同奇", "ATTENDED")}),
    ("会上，省贸促会会长孟向东、省侨办主任孙传尚先后致辞。", {("孟向东", "SPOKE"), ("孙传尚", "SPOKE")}),
    ("副市长王刚推介了聊城优势产业。", {("王刚", "SPOKE")}),
    ("市委常委刘文强出席会议。刘文强指出，要压实责任。", {("刘文强", "ATTENDED"), ("刘文强", "SPOKE")}),
    # a remark from someone the article does not put at the event is no attendance
    ("市长张百顺出席会议。企业负责人赵建军表示，将扩大生产。", {("张百顺", "ATTENDED")}),
    # a verb away from the name, and a speech only referred to, put nobody at the event
    ("习近平总书记重要讲话精神鼓舞人心。巴达2016年到中国参加广交会。", set()),
    ("会议传达了习近平总书记在全国两会上的重要讲话。", set()),
    # a list of titled names, closed by 及/等, shares the verb after it
    ("县委书记王建华、县长李春生，副县长赵德明、张海峰及有关部门负责人陪同考察。",
     {("王建华", "ATTENDED"), ("李春生", "ATTENDED"), ("赵德明", "ATTENDED"), ("张海峰", "ATTENDED")}),
    ("市人大常委会主任吴永刚，市政协主席郑立新，以及企业界人士等200余人出席开幕式。",
     {("吴永刚", "ATTENDED"), ("郑立新", "ATTENDED")}),
    ("大会执行主席钱志远、孙国庆在主席台前排就座。", {("钱志远", "ATTENDED"), ("孙国庆", "ATTENDED")}),
    ("张海峰、赵德明等专家分别作了精彩演讲。", {("张海峰", "SPOKE"), ("赵德明", "SPOKE")}),
    # visits: the one who comes, the one who leads, the one led by, the host and the hosted
    ("省教育厅副厅长冯晓东一行来聊调研职业教育工作。", {("冯晓东", "ATTENDED")}),
    ("市政协主席陈建国带领部分委员，赴临清市视察。", {("陈建国", "ATTENDED")}),
    ("考察团一行在管委会主任蒋文博的带领下，来冠县参观考察。", {("蒋文博", "ATTENDED")}),
    ("市委书记沈丽华会见了杨振宇一行。", {("沈丽华", "ATTENDED"), ("杨振宇", "ATTENDED")}),
    # speaking at the occasion, by a pronoun, or by a report
    ("市长韩晓明出席会议。韩晓明在致辞中表示，欢迎各方来聊投资。", {("韩晓明", "ATTENDED"), ("韩晓明", "SPOKE")}),
    ("副市长王建华出席活动。他表示，要抓好落实。", {("王建华", "ATTENDED"), ("王建华", "SPOKE")}),
    ("市人大常委会主任吴永刚作常委会工作报告。", {("吴永刚", "SPOKE")}),
    # the clause before sets the occasion: what the person says there is a speech
    ("市长韩晓明出席会议。座谈会上，县委书记王建华代表县委表示欢迎。", {("韩晓明", "ATTENDED"), ("王建华", "SPOKE")}),
    ("在启动仪式上，市委书记沈丽华说，要加快发展。", {("沈丽华", "SPOKE")}),
    # a past year before the name (the article is of 2031), a caption, a name in brackets
    ("2019年，副市长李春生到高唐调研时指出，要抓项目。", set()),
    ("左起：赵德明、张海峰。开展仪式由副市长郑立新主持。", {("郑立新", "CHAIRED")}),
    ("（通讯员钱志远）副市长孙国庆出席活动。", {("孙国庆", "ATTENDED")}),
    # groups of a list apart by ；, verbs joined by 、, a count LAC reads as 人参 (ginseng)
    ("中国机床协会会长周明远，省机械协会会长韩立新；副省长孙建平等领导出席会议、致辞。",
     {(n, r) for n in ("周明远", "韩立新", "孙建平") for r in ("ATTENDED", "SPOKE")}),
    ("副市长赵德明、县长钱志远及企业负责人等60多人参会。", {("赵德明", "ATTENDED"), ("钱志远", "ATTENDED")}),
    ("市委常委王海涛，与来自省内外高校的青年博士近百人参加开幕式。", {("王海涛", "ATTENDED")}),
    # a topic before the verb that carries the visit (就…进行, 就…工作到…), a trip's verb with an object
    ("省委副书记刘建军在聊城市就乡村振兴工作进行调查研究。", {("刘建军", "ATTENDED")}),
    ("市人大常委会副主任王建鹏带领调研组就联络站建设工作到我市调研。", {("王建鹏", "ATTENDED")}),
    ("市政协秘书长韩立新一行赴聊城大学对接信息工作。", {("韩立新", "ATTENDED")}),
    # the occasion set by 期间; 他们 is no one person
    ("副市长王建华出席活动。调研期间，副市长孙国庆表示，要抓好落实。",
     {("王建华", "ATTENDED"), ("孙国庆", "SPOKE")}),
    ("副市长王建华出席活动。他们表示，要抓好落实。", {("王建华", "ATTENDED")}),
]


@pytest.mark.parametrize(("text", "expected"), ATTENDANCE_CASES, ids=[c[0][:12] for c in ATTENDANCE_CASES])
def test_attendance_grammar(text, expected):
    res = facts_of(text, title="全市安全生产工作会议召开")
    assert {(a.person, a.role) for a in res.facts.attendance} == expected


def test_venue_and_date_of_the_event():
    res = facts_of("本报讯（记者 林晨）12月27日，全市招商引资推进会在东昌府区召开。市长张百顺出席会议并讲话。",
                   bylines=[Byline("林晨", "记者", "本报", 7, 9)])
    assert [(e.event, e.place, e.date) for e in res.facts.events] == [("全市招商引资推进会", "东昌府区", "2030-12-27")]
    assert {(a.person, a.role, a.event) for a in res.facts.attendance} == {
        ("张百顺", "ATTENDED", "全市招商引资推进会"), ("张百顺", "SPOKE", "全市招商引资推进会")}


def test_a_visit_without_a_name_is_told_by_who_went_where():
    res = facts_of("3月28日，省教育厅副厅长冯晓东一行来聊调研职业教育工作。市委书记王建华陪同。")
    assert {(a.person, a.role, a.event) for a in res.facts.attendance} == {
        ("冯晓东", "ATTENDED", "冯晓东一行来聊调研职业教育工作"), ("王建华", "ATTENDED", "冯晓东一行来聊调研职业教育工作")}


def test_the_event_is_the_one_the_verb_governs_not_the_first_in_the_article():
    res = facts_of("全市安全生产工作会议召开。下午，第三届中国（聊城）运河文化博览会开幕，市长韩晓明出席开幕式并致辞。")
    events = {a.event for a in res.facts.attendance if a.person == "韩晓明"}
    assert events == {"第三届中国（聊城）运河文化博览会"}


VISIT_CASES = [
    # the lead's visit names the gathering, though a later sentence names what was seen
    ("7月5日，空军政委刘建设一行来我馆参观考察。刘建设一行先后参观了运河文化陈列。", "刘建设", "刘建设一行来我馆参观考察"),
    # the group one leads, the place the paper speaks from
    ("5月27日，市人大常委会副主任王建鹏带领调研组就联络站建设工作到我市调研。", "王建鹏", "调研组就联络站建设工作到我市调研"),
    # the party, not who led it; a long object left out
    ("9月8日，高新区考察团一行在管委会主任蒋文博的带领下，来冠县参观考察新旧动能转换重点项目建设工作。", "蒋文博",
     "高新区考察团来冠县参观考察"),
    # what the visit is about, when the verb is 进行
    ("5月1日，区委书记孙荣军就乡村振兴片区建设工作进行现场办公。", "孙荣军", "孙荣军就乡村振兴片区建设工作进行现场办公"),
    # 一行 after a list of names is the first name's party
    ("5月30日，潍坊学院党委书记李东、党委副书记徐梅一行来访。", "徐梅", "李东一行来访"),
]


@pytest.mark.parametrize(("text", "person", "event"), VISIT_CASES, ids=[c[2][:10] for c in VISIT_CASES])
def test_a_visit_is_named_by_who_went_where(text, person, event):
    res = facts_of(text)
    assert {a.event for a in res.facts.attendance if a.person == person} == {event}


def test_a_bare_party_committee_is_the_one_just_named_and_校_the_article_s_own_school():
    res = facts_of("5月30日，潍坊学院党委书记李东、党委副书记徐梅一行来访，校党委书记关延平与来宾座谈。"
                   "李东介绍了学院情况，表示将学习借鉴聊城大学的经验。")
    roles = {(r.person, r.title, r.org) for r in res.facts.roles}
    assert ("徐梅", "党委副书记", "潍坊学院") in roles
    assert ("关延平", "党委书记", "聊城大学") in roles
