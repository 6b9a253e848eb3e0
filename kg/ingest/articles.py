"""Cut an issue's text into articles.

The Liaocheng Daily's extracted text runs: byline and body, then the headline
(printed after the body), sometimes a kicker or subtitle; photo captions and
page furniture sit between articles. We read it as blocks of non-blank lines
and classify each block:

- furniture ("摄影版", "今日导读", continuation markers alone): skipped, with a reason;
- caption: a short block with a photo credit ("（资料图）", "■ 本报记者 …", "…摄"): an article of its own;
- heading: a few short lines with no sentence end: the title of the article before it;
- byline ("本报讯（记者 …）", "■ 本报记者 …", "新华社…电"): starts a new article;
- body: continues the current article (column breaks leave blank lines mid-sentence).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from kg.ingest.bylines import BYLINE_START, is_credit, parse_bylines
from kg.ingest.layout import Line, ends_sentence, repair, split_lines
from kg.models import Article, Byline, SkippedSpan

FURNITURE = re.compile(r"^\s*(摄影版|本版责编.*|责任编辑.*|版式.*|校对.*|[（(]?(上|下)转\s*\d+\s*版[）)]?)\s*$")
INDEX_HEAD = re.compile(r"^\s*(今日导读|导\s*读)\s*$")
CAPTION_MARK = re.compile(r"(（资料图）|\(资料图\)|[（(][^（）()]{0,20}摄[）)]|■\s*本报(记者|通讯员)|本报记者\s*\S+\s*摄)")
LABEL_COLON = re.compile(r"(电话|地址|邮编|邮箱|网址|时间|地点|传真|单位|日期|来源)\s*[：:]")
HEADING_MAX_LINE = 36
HEADING_MAX_LINES = 4
CAPTION_MAX_CHARS = 220


@dataclass
class _Block:
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


@dataclass
class _Draft:
    body: list[_Block] = field(default_factory=list)
    title: list[_Block] = field(default_factory=list)
    kind: str = "news"
    ended: bool = False  # its headline has been printed (headline-after layout): no more body
    feature: bool = False  # opened by "■ 本报记者 …", not a dateline (…讯): short headings inside are intertitles


def blocks_of(text: str, base: int = 0) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[Line] = []
    for ln in split_lines(text, base):
        if ln.text.strip():
            current.append(ln)
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def classify(block: _Block, column: int | None = None) -> str:
    """`column`: the width of the issue's hard-wrapped columns, if it has them."""
    first = block.lines[0].text
    if BYLINE_START.match(first) and not _is_caption(block):
        return "byline"
    if _is_caption(block):
        return "caption"
    if _is_heading(block, column):
        return "heading"
    return "body"


def column_width(blocks: list[_Block]) -> int | None:
    """The width of hard-wrapped columns: most lines are within a character or two of
    it. None for an issue printed one line per paragraph."""
    lengths = sorted(len(ln.text.strip()) for b in blocks for ln in b.lines if len(ln.text.strip()) >= 8)
    if len(lengths) < 20:
        return None
    median = lengths[len(lengths) // 2]
    near = sum(1 for n in lengths if abs(n - median) <= 2)
    return median if near >= 0.6 * len(lengths) else None


def _is_caption(block: _Block) -> bool:
    text = "".join(ln.text.strip() for ln in block.lines)
    if len(text) > CAPTION_MAX_CHARS or len(block.lines) > 6:
        return False
    m = CAPTION_MARK.search(text)
    # The credit closes a caption; a byline at the start opens an article; a
    # headline above a feature's byline ("我市实施…■ 本报记者 …") is no caption.
    if not m or m.start() <= 8:
        return False
    before = text[: m.start()].rstrip()
    return ends_sentence(before) or "资料图" in m.group(0) or "摄" in m.group(0)


def _is_heading(block: _Block, column: int | None = None) -> bool:
    if len(block.lines) > HEADING_MAX_LINES:
        return False
    narrow = column is not None and all(len(ln.text.strip()) <= column - 2 for ln in block.lines)
    if len(block.lines) > 1 and re.search(r"[，、,]", block.text) and not narrow:
        return False  # a hard-wrapped run of a sentence cut off by a column break (a headline is set narrower)
    for ln in block.lines:
        commas = len(re.findall(r"[，,]", ln.text))
        if commas >= 2 or (commas == 1 and len(ln.text.strip()) > 24):
            return False  # a sentence, not a headline
    joined = "".join(ln.text.strip() for ln in block.lines)
    if any(joined.count(a) != joined.count(b) for a, b in ("（）", "()", "《》")):
        return False  # "济宁新闻联播）": the end of a sentence's bracket, cut off by a column break
    for ln in block.lines:
        s = ln.text.strip()
        if len(s) > HEADING_MAX_LINE or ends_sentence(s) or s[-1] in "，,、；;：:" or "。" in s:
            return False
        if re.match(r"^\d{1,2}\s*月\s*\d{1,2}\s*日", s) or re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", s):
            return False  # a dateline, or a notice's date
        if re.search(r"[：:]", s) and (s[-1] in "：:" or LABEL_COLON.search(s)):
            return False  # 联系电话：…, 各成员单位： (but 阳谷县寿张镇：选出“当家人” is a headline)
    return True


def _furniture(block: _Block) -> tuple[list[Line], list[Line]]:
    keep, drop = [], []
    for ln in block.lines:
        (drop if FURNITURE.match(ln.text) else keep).append(ln)
    return keep, drop


def _prepared_blocks(text: str, skipped: list[SkippedSpan],
                     base: int = 0) -> tuple[list[tuple[_Block, str]], int | None]:
    """Blocks with furniture removed, split where a dateline byline starts a line
    mid-block ("当好营商环境“护航人”\n本报讯（通讯员 李阳）…"), each with its kind; and
    the width of the text's columns (column_width), which the kinds were read by."""
    out: list[tuple[_Block, str]] = []
    raw_blocks = blocks_of(text, base)
    column = column_width(raw_blocks)
    for raw_block in raw_blocks:
        if INDEX_HEAD.match(raw_block.lines[0].text):
            skipped.append(SkippedSpan(raw_block.start, raw_block.end, "front-page index (今日导读)",
                                       raw_block.text))
            continue
        lines, dropped = _furniture(raw_block)
        for ln in dropped:
            skipped.append(SkippedSpan(ln.start, ln.end, "page furniture or continuation marker", ln.text.strip()))
        parts: list[list[Line]] = [[]]
        for ln in lines:
            if parts[-1] and (re.match(r"^\s*本报讯", ln.text) or
                              (re.match(r"^\s*■", ln.text) and not ends_sentence(parts[-1][-1].text))):
                parts.append([])
            parts[-1].append(ln)
        for part in parts:
            if part:
                block = _Block(part)
                out.append((block, classify(block, column)))
    # One unpunctuated line right above a byline is that article's headline, however long.
    for i in range(len(out) - 1):
        block, kind = out[i]
        line = block.lines[0].text.strip()
        if kind == "body" and len(block.lines) == 1 and out[i + 1][1] == "byline" and len(line) <= 50 \
                and not ends_sentence(line) and not re.search(r"[，,：:]", line):
            out[i] = (block, "heading")
    return out, column


# how an article's first paragraph opens when it has no byline: its date, or a word for one
ARTICLE_LEAD = re.compile(r"^\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|^\s*(?:日前|近日|近期|昨日|昨天|今天|今年以来)"
                          r"|^\s*\d{1,2}\s*日[上下]?午?\s*[，,]")
INTERTITLE_MAX = 10  # headlines are longer: 5 in 162 gold headlines have 10 characters or fewer


def _intertitle(block: _Block) -> bool:
    """In a headline-first issue, a one-line heading of a few words that the text runs on
    after, with neither byline nor date: a heading inside the article ("研究傅斯年专著")."""
    return len(block.lines) == 1 and len(block.lines[0].text.strip()) <= INTERTITLE_MAX


def _credit_only(block: _Block, before_heading: bool = False) -> bool:
    """A block of credits alone ("记者 李政哲 黄涛", "（冯晰玥）"), not a feature's opening
    "■ 本报记者 …" line, unless a headline follows it ("□聊城日报全媒体记者林金彦" closing
    an article, then its headline)."""
    text = "\n".join(ln.text.strip() for ln in block.lines)
    if text.startswith(("■", "□")):
        return before_heading and not re.search(r"讯(?!员)", text) and all(
            not ends_sentence(ln.text.strip()) for ln in block.lines) and len(text) <= 40
    return is_credit(text)


# what a photo's caption says and a headline does not: 图为…, 记者在…, who is where (右二)
INLINE_CAPTION = re.compile(r"^\s*(?:图为|记者在)|[（(][左右中前后][一二三四\d]?[）)]")


def _inline_caption(block: _Block) -> bool:
    return INLINE_CAPTION.search("".join(ln.text.strip() for ln in block.lines)) is not None


def _uncredited_caption(block: _Block) -> bool:
    """"乖宝宠物食品集团技术人员正在调试新引进的生产加工设备": a photo caption
    with no credit describes what is going on; headlines do not say 正在."""
    line = block.lines[0].text.strip()
    return len(block.lines) == 1 and "正在" in line and len(line) >= 16 and " " not in line


def _looks_like_fragment(block: _Block, previous: _Block, column: int | None = None) -> bool:
    """A short block between body blocks that is a piece of a sentence: one line with
    a comma, or as wide as the body lines before it; or lines that all fill the
    issue's column to its width (a headline is set by phrases, not filled)."""
    if len(block.lines) > 1:
        return column is not None and all(len(ln.text.strip()) >= column - 1 for ln in block.lines)
    line = block.lines[0].text.strip()
    if re.search(r"[，、,]", line):
        return True
    widths = sorted(len(ln.text.strip()) for ln in previous.lines)
    return len(widths) >= 2 and len(line) >= widths[len(widths) // 2] - 2 and " " not in line


def _has_subtitle(block: _Block) -> bool:
    """"裂变新要素 催生新动能 / ——东昌府区…": a headline with its subtitle, never an intertitle."""
    return any(ln.text.strip().startswith("—") for ln in block.lines[1:])


def headline_first(text: str) -> bool:
    """Some editions print the headline before the byline and body, others after
    the body: the issue's first block tells which."""
    blocks, _ = _prepared_blocks(text, [])
    return bool(blocks) and blocks[0][1] == "heading"


def segment(issue_id: str, text: str, base: int = 0, first_seq: int = 1,
            part: str | None = None) -> tuple[list[Article], list[SkippedSpan]]:
    """Articles and skipped spans of `text`, which starts at offset `base` of the
    issue (a part of a large file is cut on its own, numbered from `first_seq`).
    `part`: the file's part id (a page of the issue), which article ids start with."""
    drafts: list[_Draft] = []
    skipped: list[SkippedSpan] = []
    current: _Draft | None = None
    pending_title: list[_Block] = []

    def close() -> None:
        nonlocal current
        if current and current.body:
            drafts.append(current)
        current = None

    blocks, column = _prepared_blocks(text, skipped, base)
    first_is_headline = bool(blocks) and blocks[0][1] == "heading"
    for i, (block, kind) in enumerate(blocks):
        following = blocks[i + 1][1] if i + 1 < len(blocks) else None
        if following == "body" and ARTICLE_LEAD.match(blocks[i + 1][0].lines[0].text):
            following = "lead"  # "5月1日，…": the block after opens an article of its own
        after_headings = next(((b, k) for b, k in itertools.islice(blocks, i + 1, None) if k != "heading"),
                              (None, None))
        runs_on = after_headings[1] == "body" and not ARTICLE_LEAD.match(after_headings[0].lines[0].text)
        if current and current.body and not current.ended and _credit_only(block, following == "heading"):
            current.body.append(block)  # "（记者 李璇 通讯员 麻荣锴）" closing the article
        elif kind == "heading" and current and current.body and not current.ended and _inline_caption(block):
            current.body.append(block)  # "记者在泉林集团展厅了解企业发展情况": a photo's line inside the article
        elif kind == "caption" or (kind == "heading" and _uncredited_caption(block)):
            drafts.append(_Draft(body=[block], kind="caption"))
        elif kind == "heading" and current and current.body and not current.ended and following == "body" \
                and _looks_like_fragment(block, current.body[-1], column):
            current.body.append(block)  # a line cut off by a column break, not a headline
        elif kind == "heading" and current and current.body and not first_is_headline:
            if current.feature and following == "body" and not _has_subtitle(block):
                current.body.append(block)  # an intertitle inside a feature
            else:
                current.title.append(block)
                current.ended = True
        elif kind == "heading" and current and current.body and runs_on and _intertitle(block) \
                and not (following == "heading" and _has_subtitle(_Block([ln for b, _ in blocks[i:i + 2] for ln in b.lines]))):
            current.body.append(block)  # headline-first: a short heading the text runs on after
        elif kind == "heading":
            close()
            pending_title.append(block)
        elif kind == "byline" or current is None or current.ended:
            close()
            current = _Draft(body=[block], feature=kind == "byline" and not re.search("讯(?!员)", block.lines[0].text[:20]))
            if pending_title:
                current.title, pending_title = pending_title, []
        else:
            current.body.append(block)
    close()
    for b in pending_title:
        skipped.append(SkippedSpan(b.start, b.end, "heading with no article", b.text))
    drafts.sort(key=lambda d: d.body[0].start)  # captions were emitted as met; keep print order
    return [_article(issue_id, first_seq + i, d, part or issue_id) for i, d in enumerate(drafts)], skipped


def _article(issue_id: str, seq: int, draft: _Draft, part: str) -> Article:
    lines = [ln for b in draft.body for ln in b.lines]
    text, offsets = repair(lines)
    title, kicker, subtitle = split_headline([[_heading_text(ln.text) for ln in b.lines] for b in draft.title])
    if not title and (draft.kind == "caption" or not re.match(r"本报讯|■|新华社", text)):
        first = CAPTION_MARK.split(text)[0].strip()  # a caption is titled by its first sentence
        title = first[: first.find("。") + 1] if "。" in first else first
    kind = draft.kind
    issuer, issued = notice_signature(text)
    if kind == "news" and (re.search(r"各成员单位：|特此通知|通\s*知$", text) or issuer):
        kind = "notice"
    elif kind == "news" and "评论员" in text[:20]:
        kind = "commentary"
    return Article(
        id=f"{part}-{seq:02d}",
        issue_id=issue_id,
        part=part,
        seq=seq,
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        dateline=dateline(text),
        issuer=issuer,
        issued=issued,
        text=text,
        raw_start=draft.body[0].start,
        raw_end=max(b.end for b in draft.body + draft.title),
        offsets=offsets,
        kind=kind,
        title_spans=[(b.start, b.end) for b in draft.title],
        bylines=locate_bylines(parse_bylines("\n".join(ln.text for ln in lines)), text),
    )


def _heading_text(line: str) -> str:
    """Headlines are set with letter spacing ("推 动 中 华 文 化"): drop spaces
    between Han characters, keep those between phrases."""
    line = line.strip()
    if re.fullmatch(r"(\S\s)+\S", line):
        return line.replace(" ", "")
    return re.sub(r"\s+", " ", line)


def split_headline(blocks: list[list[str]]) -> tuple[str, str, str]:
    """(title, kicker, subtitle) from the headline's blocks (decks), each a list of lines.

    A deck led by a dash is the subtitle ("——我市广大企业…"), and the deck just
    above it the headline; without one, the longest deck is the headline. Decks
    above it are the kicker ("东昌府区", "铸魂 强基 赋能"); decks below, the subtitle."""
    decks: list[tuple[bool, str]] = []  # (is a dash subtitle, text)
    for lines in blocks:
        lines = [ln for ln in lines if ln]
        plain = [ln for ln in lines if not ln.startswith(("—", "－"))]
        if plain:
            decks.append((False, _join_title(plain)))
        decks += [(True, ln.lstrip("—－- ").strip()) for ln in lines if ln.startswith(("—", "－"))]
    if not decks:
        return "", "", ""
    first_dash = next((i for i, (dash, _) in enumerate(decks) if dash), None)
    plain_idx = [i for i, (dash, _) in enumerate(decks) if not dash]
    if not plain_idx:
        return "", "", " ".join(t for _, t in decks)
    if first_dash is not None and any(i < first_dash for i in plain_idx):
        main = max(i for i in plain_idx if i < first_dash)
    else:
        main = max(plain_idx, key=lambda i: len(decks[i][1].replace(" ", "")))
    kicker = " ".join(t for i, (_, t) in enumerate(decks) if i < main)
    subtitle = " ".join(t for i, (_, t) in enumerate(decks) if i > main)
    return decks[main][1], kicker, subtitle


def _join_title(parts: list[str]) -> str:
    """Lines of one headline wrapped mid-phrase join without a space; separate
    decks ("…重要指示强调" / "扎实做好…") join with one."""
    out = ""
    for part in parts:
        if out and not out.endswith(("“", "《", "（")) and (len(out) > 14 or out.endswith(("强调", "指出"))):
            out += " "
        out += part
    return out


_DATELINE = re.compile(r"(新华社[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电|(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[上下]午|晚|早)?)")


_SIGNATURE = re.compile(r"([\u4e00-\u9fff（）]{4,30}?(?:办公室|指挥部|委员会|人民政府|政府|局|厅|中心|委))\s*"
                        r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")


def notice_signature(text: str) -> tuple[str, str | None]:
    """A notice ends with its issuing office and its date: "…指挥部办公室 2022年1月4日"."""
    m = _SIGNATURE.search(text[-80:])
    if not m:
        return "", None
    office = re.sub(r"^.*?([\u4e00-\u9fff]*?(?:聊城市|山东省|市|县|区))", r"\1", m.group(1), count=1)
    return office, f"{int(m.group(2)):04d}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"


def dateline(text: str) -> str:
    """The dateline after the byline: "12月27日下午", "新华社北京12月12日电"."""
    head = re.sub(r"^.*?[）)]", "", text[:60], count=1) if text.startswith(("本报讯", "■")) else text[:60]
    m = _DATELINE.search(head[:30])
    return m.group(0) if m else ""


def locate_bylines(bylines: list[Byline], text: str) -> list[Byline]:
    """Bylines are parsed on the raw lines, where spaces still separate names
    ("记者 张伟 于新新"); their offsets are then found in the repaired text."""
    out, pos = [], 0
    for b in bylines:
        i = text.find(b.name, pos)
        if i < 0:
            i = text.find(b.name)
        if i < 0:
            continue
        out.append(Byline(b.name, b.role, b.medium, i, i + len(b.name)))
        pos = i + len(b.name)
    return out
