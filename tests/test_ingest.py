from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.ingest import read_issue
from kg.ingest.bylines import parse_bylines
from kg.ingest.dates import date_from_filename, date_from_text, infer_date
from kg.ingest.layout import repair, split_lines
from kg.ingest.reader import read_issue_file
from tests.conftest import EXAMPLES

SAMPLE = "本报讯（记者 林晨） 12 月 27\n日，市政府新闻办公室举行发布\n会。孔繁\n森同志的事迹感人。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5"])
def test_reader_detects_encodings(tmp_path, encoding):
    text = "本报讯 聊城市举行会议。" if encoding != "big5" else "本報訊 聊城市舉行會議。"
    path = tmp_path / "issue.txt"
    path.write_bytes(text.encode(encoding))
    decoded = read_issue_file(path)
    assert decoded.text == text
    assert not decoded.bad_spans


def test_reader_normalises_line_ends(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r第三行".encode())
    assert read_issue_file(path).text == "第一行\n第二行\n第三行"


@pytest.mark.parametrize("content,reason", [(b"", "empty file"), (b"  \n\n", "empty file"),
                                            (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary")])
def test_reader_rejects_with_path_and_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_issue_file(path)
    assert str(path) in str(err.value) and reason in str(err.value)


def test_reader_reports_a_few_bad_bytes(tmp_path):
    good = ("聊城市举行会议。" * 400).encode()
    path = tmp_path / "torn.txt"
    path.write_bytes(good[:600] + b"\xff\xfe" + good[600:])
    decoded = read_issue_file(path)
    assert decoded.encoding == "utf-8"
    assert decoded.bad_spans and "\ufffd" in decoded.text


def test_repair_joins_wraps_drops_stray_spaces_and_keeps_offsets():
    text, offsets = repair(split_lines(SAMPLE))
    assert "12月27日，市政府新闻办公室举行发布会。" in text
    assert "孔繁森" in text
    assert len(offsets) == len(text)
    for i, ch in enumerate(text):
        if ch != "\n":
            assert SAMPLE[offsets[i]] == ch


def test_repair_keeps_space_between_latin_words():
    text, _ = repair(split_lines("TECHNICAL\nWORLD阿曼公司"))
    assert text == "TECHNICAL WORLD阿曼公司"


def test_bylines_roles_and_media():
    found = parse_bylines("■ 本报记者 夏旭光 郭绍隆 / 大众日报记者 孙亚飞\n\n10月25日晚")
    assert [(b.name, b.role, b.medium) for b in found] == [
        ("夏旭光", "记者", "本报"), ("郭绍隆", "记者", "本报"), ("孙亚飞", "记者", "大众日报")]
    found = parse_bylines("本报讯（记者 李政哲 通讯员 张凯） 12月27日")
    assert [(b.name, b.role) for b in found] == [("李政哲", "记者"), ("张凯", "通讯员")]
    # a contributor with no stated role: found, role left empty
    assert [(b.name, b.role) for b in parse_bylines("本报讯 （赵琦） 2021 年")] == [("赵琦", "")]
    two_lines = parse_bylines("■ 本报记者 夏旭光\n大众日报记者 孙亚飞\n\n10月25日晚")
    assert [(b.name, b.medium) for b in two_lines] == [("夏旭光", "本报"), ("孙亚飞", "大众日报")]
    credit = parse_bylines("1月4日，山东金号家纺集团获签证书。\n■ 本报通讯员 张庆安")
    assert [(b.name, b.role) for b in credit] == [("张庆安", "通讯员")]


@pytest.mark.parametrize(("text", "expected"), [
    # another outlet's dateline names the medium; the role word is kept as printed
    ("中证网讯(记者 康曦)11月15日，", [("康曦", "记者", "中证网")]),
    ("齐鲁网11月29日讯(见习记者 殷明姝)29日下午，", [("殷明姝", "见习记者", "齐鲁网")]),
    # names glued to their role words, a medium inside the brackets
    ("本报讯(聊城日报全媒体记者蒋希伟通讯员郑兆雷)“每天", [("蒋希伟", "全媒体记者", "聊城日报"), ("郑兆雷", "通讯员", "本报")]),
])
def test_bylines_of_other_outlets_and_glued_names(text, expected):
    assert [(b.name, b.role, b.medium) for b in parse_bylines(text)] == expected


def test_dates_from_filename_text_and_option():
    assert date_from_filename("lcrb-2022-12-13.txt").date == "2022-12-13"
    assert date_from_filename("20221213.txt").date == "2022-12-13"
    assert date_from_filename("000_87de89fc9e397aa6.txt") is None
    guess = date_from_text("本报讯 2022年1月4日，市里召开会议。1月3日下午，……")
    assert guess.date == "2022-01-05" and guess.confidence >= 0.7 and guess.evidence
    # December issue announcing a January event: the issue is in the year before.
    assert date_from_text("12月27日上午，……2025年1月2日至3日，会议将在聊城召开。").date == "2024-12-28"
    assert infer_date("x.txt", "没有日期", "2030-01-01").source == "option"
    assert infer_date("x.txt", "没有日期").date is None


def test_example_issue_is_cut_into_articles():
    issue = read_issue(EXAMPLES / "lcrb-2031-03-15.txt")
    assert issue.id == "lcrb-2031-03-15" and issue.date.source == "filename"
    titles = [a.title for a in issue.articles]
    assert titles == ["第五届聊城国际农机装备博览会开幕", "智能农机助力春耕", "3月14日，观众在博览会现场参观新型拖拉机。"]
    first = issue.articles[0]
    assert [(b.name, b.role) for b in first.bylines] == [("宋晓岚", "记者")]
    assert first.text.startswith("本报讯（记者宋晓岚）3月14日上午")
    assert issue.articles[2].kind == "caption"
    # every repaired character maps back to the raw file
    for i in (0, 10, len(first.text) - 1):
        assert issue.text[first.raw_offset(i)] == first.text[i]


def test_seed_issues_all_read(shared):
    from kg.ingest import issue_files

    files = list(issue_files([str(shared / "corpus" / "seeds")]))
    assert len(files) == 5
    for f in files:
        issue = read_issue(f)
        assert issue.articles and issue.date.date


def test_headline_parts_and_dateline():
    from kg.ingest.articles import dateline, split_headline

    assert split_headline([["把失去的时间抢回来", "——我市广大企业“火力全开”保生产稳增长促发展"]]) == (
        "把失去的时间抢回来", "", "我市广大企业“火力全开”保生产稳增长促发展")
    assert split_headline([["东昌府区"], ["厚植双创沃土 点燃创新引擎"]]) == ("厚植双创沃土 点燃创新引擎", "东昌府区", "")
    # one deck wrapped over two lines is one headline
    assert split_headline([["我市部署推进", "乡村文化振兴暨移风易俗工作"]])[0] == "我市部署推进乡村文化振兴暨移风易俗工作"
    # the deck above a dash subtitle is the headline, even when a slogan above it is longer
    assert split_headline([["深入学习宣传贯彻党的二十大精神"], ["“党心”与“民心”的双向奔赴"],
                           ["——聊城探索建立行业党代表工作室综述"]]) == (
        "“党心”与“民心”的双向奔赴", "深入学习宣传贯彻党的二十大精神", "聊城探索建立行业党代表工作室综述")
    assert dateline("本报讯（记者林晨）12月27日下午，市政府新闻办公室举行") == "12月27日下午"
    assert dateline("新华社北京12月12日电中共中央总书记") == "新华社北京12月12日电"
    assert dateline("■本报评论员新冠肺炎疫情防控") == ""


def test_feature_intertitles_stay_in_the_article():
    text = ("■ 本报记者 陈若溪\n\n在阳谷县寿张镇的麦田里，种粮大户\n刘国梁正在查看小麦长势。\n\n"
            "智能农机进万家\n\n今年，他流转了 800 亩土地，全部采用\n了智能播种机。\n\n智能农机助力春耕\n\n"
            "本报讯（记者 宋晓岚） 3 月 14 日，\n会议召开。\n\n会议召开\n")
    from kg.ingest.articles import segment

    articles, skipped = segment("t", text)
    assert [a.title for a in articles] == ["智能农机助力春耕", "会议召开"]
    assert "智能农机进万家" in articles[0].text
    assert not skipped


def test_index_and_furniture_are_skipped_with_reasons():
    from kg.ingest.articles import segment

    text = ("今日导读\n市委常委会召开会议 2版\n冠县举办春季招聘会 3版\n\n"
            "本报讯（记者 宋晓岚） 3 月 14 日，会议召开。\n（下转2版）\n\n会议召开\n\n 摄影版\n")
    articles, skipped = segment("t", text)
    assert [a.title for a in articles] == ["会议召开"]
    reasons = {s.text.split("\n")[0].strip(): s.reason for s in skipped}
    assert reasons["今日导读"].startswith("front-page index")
    assert "continuation" in reasons["（下转2版）"] and "furniture" in reasons["摄影版"]


def test_notice_keeps_its_issuer_and_date():
    from kg.ingest.articles import segment

    text = ("市重污染天气应急指挥部各成员单位：\n经会商，决定发布橙色预警。\n\n"
            "聊城市重污染天气应急指挥部办公室\n2022年1月4日\n\n关于发布重污染天气橙色预警的通知\n")
    articles, _ = segment("t", text)
    assert len(articles) == 1
    notice = articles[0]
    assert notice.kind == "notice" and notice.title == "关于发布重污染天气橙色预警的通知"
    assert (notice.issuer, notice.issued) == ("聊城市重污染天气应急指挥部办公室", "2022-01-04")


def test_a_short_line_before_a_blank_line_ends_its_paragraph():
    raw = "■ 本报通讯员 方丽\n\n茌平区纪委监委围绕制约全区经\n济社会发展的痛点、难点、堵\n点推进工作。"
    text, _ = repair(split_lines(raw))
    assert text.split("\n")[0] == "■本报通讯员方丽"
    # a column break in mid-sentence leaves a blank line after a full line: joined
    wrapped = "政协第十四届聊城市委员会第二次会议有关情况汇\n\n报，会议强调要加强统筹协调工作。"
    assert "\n" not in repair(split_lines(wrapped))[0]


# --- issues the reader was not written from (issue 15), each case on text written here ---

@pytest.mark.parametrize(("text", "expected"), [
    # a line break inside a name (the column wraps it), one name of several broken
    ("本报讯（记者 王\n晓明）12月3日，", [("王晓明", "记者")]),
    ("本报讯（记者 牛立新 通讯员 郑\n兆雷 王黎） 3月23日，", [("牛立新", "记者"), ("郑兆雷", "通讯员"), ("王黎", "通讯员")]),
    ("本报讯（记者 张丽\n刘明）今天，", [("张丽", "记者"), ("刘明", "记者")]),
    ("■ 本报记者 王\n晓明\n\n正文第一段。", [("王晓明", "记者")]),
    # a role word broken by the column; a two-character name set to three characters' width
    ("本报讯（记者 苑青 通讯\n员 刘地）狮泉河水", [("苑青", "记者"), ("刘地", "通讯员")]),
    ("会议召开。\n（记者 高 崇）", [("高崇", "记者")]),
    # other outlets' reporters on a line of their own; a bracket opening the text
    ("速豹新闻网记者 许远\n 5 月19日，运动会开幕。", [("许远", "记者")]),
    ("大众网记者 李新 通讯员 庄梦\n琦 潍坊报道\n\n日前，", [("李新", "记者"), ("庄梦琦", "通讯员")]),
    ("（通讯员 董永安）4月24日，记者从莘县获悉，", [("董永安", "通讯员")]),
    # credits closing an article
    ("会议召开。\n（记者 李璇 通讯员 麻荣 黄\n玉利）", [("李璇", "记者"), ("麻荣", "通讯员"), ("黄玉利", "通讯员")]),
    ("会议召开。\n记者:李斌", [("李斌", "记者")]),
    ("作了会议交流。(记者 柴士增 实习生 潘晓君)", [("柴士增", "记者"), ("潘晓君", "实习生")]),
    # no byline: 记者 as a word of the story
    ("记者从市工信局了解到，近日，……", []),
])
def test_bylines_as_printed_on_any_page(text, expected):
    assert [(b.name, b.role) for b in parse_bylines(text)] == expected


def _titles(text: str) -> list[tuple[str, str]]:
    from kg.ingest.articles import segment

    articles, _ = segment("t", text)
    return [(a.title, a.text[:6]) for a in articles]


def test_a_credit_line_closes_its_article_instead_of_opening_one():
    text = ("本报讯（记者 宋晓岚） 3 月 14 日，\n会议召开。\n\n（记者 李璇 通讯员 麻荣\n锴）\n\n会议召开\n\n"
            "15日，全市春耕生产现场会召开。\n\n春耕现场会召开\n")
    assert _titles(text) == [("会议召开", "本报讯（记者"), ("春耕现场会召开", "15日，全市")]


def test_a_county_dateline_opens_an_article():
    text = ("本报讯（记者 宋晓岚） 3 月 14 日，\n会议召开。\n\n会议召开\n\n"
            " 东昌府讯11月30日，全区社区文明\n创建观摩会举行。\n\n观摩会举行\n")
    assert _titles(text) == [("会议召开", "本报讯（记者"), ("观摩会举行", "东昌府讯11")]


def test_a_headline_the_width_of_the_column_before_a_dated_lead_is_a_headline():
    body = "".join(f"第{i}段落的文字排满了这一栏的宽度\n" for i in range(12))
    text = (f"本报讯（记者 宋晓岚）\n{body}。\n\n莘县香瓜文化节28日开幕\n\n"
            "5月1日，区委书记孙荣军就乡村振兴\n片区建设工作进行现场办公。\n\n现场办公会举行\n")
    assert [t for t, _ in _titles(text)] == ["莘县香瓜文化节28日开幕", "现场办公会举行"]


def test_headline_first_issues_keep_intertitles_and_labels_out_of_articles_boundaries():
    text = ("经济新闻\n\n研究傅斯年其人其事在聊城破题\n\n本报讯（记者 王明）“聊城出版了大陆第一本研究傅斯年的专著。”\n\n"
            "出版大陆首本\n\n研究傅斯年专著\n\n1990年底，全国政协要出一本有关傅斯年的专著。\n\n"
            "穿越岁月的回响\n\n——纪念孔繁森殉职二十周年\n\n狮泉河水清澈依旧，冈底斯山悄然矗立。\n\n"
            "阳谷县寿张镇：选出咱的“当家人”\n\n1月7日上午，村民来到村委大院。\n")
    from kg.ingest.articles import segment

    articles, _ = segment("t", text)
    assert [(a.kicker, a.title, a.subtitle) for a in articles] == [
        ("经济新闻", "研究傅斯年其人其事在聊城破题", ""), ("", "穿越岁月的回响", "纪念孔繁森殉职二十周年"),
        ("", "阳谷县寿张镇：选出咱的“当家人”", "")]
    assert "研究傅斯年专著" in articles[0].text


def test_a_bracket_cut_off_by_a_column_break_is_no_headline():
    text = ("济宁新闻网讯（记者 董振）9月 6 日，考察团来济宁学\n习考察。考察团表示，将借鉴经验（济宁新闻联\n\n"
            "播）\n\n考察团到济宁考察\n")
    assert [t for t, _ in _titles(text)] == ["考察团到济宁考察"]


@pytest.mark.parametrize(("text", "expected"), [
    # the days an issue reports cluster; the issue is the day after the last of them, across a new year
    ("12月29日，会议召开。1月3日，活动举行。2024年，全市……", "2024-01-04"),
    # years in names and in a code name; a year long past does not date the issue
    ("“2024聊城市环东昌湖半程马拉松赛”5月1日开跑。依托“云剑2024”行动，", "2024-05-02"),
    ("孔繁森纪念馆于1995年7月4日批准建馆，9月14日正式开馆。2013香港山东周6月18日开幕。", "2013-06-19"),
    # a plan is printed in its year or late in the year before; a review the year after
    ("1月15日，会议表决通过了2026年重大民生项目。", "2026-01-16"),
    ("12月27日，市政协召开会议，审议2025年协商工作计划。", "2024-12-28"),
    # a target is no year of the issue; an announced date is no day of it
    ("力争到 2030 年，全市……5月6日，会议召开。2024年以来，", "2024-05-07"),
    ("时间为2025年1月2日至3日\n12月27日，市政府新闻办召开发布会。", "2024-12-28"),
    # a year its sentence gives a day carries into the new year
    ("11月26日，高唐县召开2024年度表扬大会。3月10日，市里召开会议。", "2025-03-11"),
])
def test_the_issue_date_weighs_all_its_evidence(text, expected):
    assert date_from_text(text).date == expected


def test_a_photo_s_line_inside_an_article_stays_in_it():
    text = ("本网讯6月18日，采访团来到聊城进行采访\n活动。采访团一行首先到泉林集团。\n\n"
            "记者在泉林集团产品展示大厅了解企业\n发展情况\n\n经生态污水处理体系处理后的污水可\n以养鱼。\n\n"
            "网络媒体行走进聊城\n")
    assert [t for t, _ in _titles(text)] == ["网络媒体行走进聊城"]
