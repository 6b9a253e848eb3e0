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
