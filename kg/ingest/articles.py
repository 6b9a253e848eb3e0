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

import re
from dataclasses import dataclass, field

from kg.ingest.bylines import BYLINE_START, parse_bylines
from kg.ingest.layout import Line, ends_sentence, repair, split_lines
from kg.models import Article, Byline, SkippedSpan

FURNITURE = re.compile(r"^\s*(摄影版|今日导读|导读|本版责编.*|责任编辑.*|版式.*|校对.*|[（(]?(上|下)转\s*\d+\s*版[）)]?)\s*$")
CAPTION_MARK = re.compile(r"(（资料图）|\(资料图\)|[（(][^（）()]{0,20}摄[）)]|■\s*本报(记者|通讯员)|本报记者\s*\S+\s*摄)")
HEADING_MAX_LINE = 36
HEADING_MAX_LINES = 4
CAPTION_MAX_CHARS = 160


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


def blocks_of(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[Line] = []
    for ln in split_lines(text):
        if ln.text.strip():
            current.append(ln)
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def classify(block: _Block) -> str:
    first = block.lines[0].text
    if BYLINE_START.match(first) and not _is_caption(block):
        return "byline"
    if _is_caption(block):
        return "caption"
    if _is_heading(block):
        return "heading"
    return "body"


def _is_caption(block: _Block) -> bool:
    text = "".join(ln.text.strip() for ln in block.lines)
    if len(text) > CAPTION_MAX_CHARS or len(block.lines) > 5:
        return False
    m = CAPTION_MARK.search(text)
    # The credit closes a caption; a byline at the start opens an article.
    return bool(m) and m.start() > 8


def _is_heading(block: _Block) -> bool:
    if len(block.lines) > HEADING_MAX_LINES:
        return False
    if len(block.lines) > 1 and re.search(r"[，、,]", block.text):
        return False  # a hard-wrapped run of a sentence cut off by a column break
    for ln in block.lines:
        commas = len(re.findall(r"[，,]", ln.text))
        if commas >= 2 or (commas == 1 and len(ln.text.strip()) > 24):
            return False  # a sentence, not a headline
    for ln in block.lines:
        s = ln.text.strip()
        if len(s) > HEADING_MAX_LINE or ends_sentence(s) or s[-1] in "，,、；;：:" or "。" in s:
            return False
        if re.match(r"^\d{1,2}\s*月\s*\d{1,2}\s*日", s):
            return False
    return True


def _headline_first(blocks: list[_Block]) -> bool:
    """Some editions print the headline before the byline and body, others after
    the body: the issue's first block tells which."""
    for b in blocks:
        keep, _ = _furniture(b)
        if keep:
            return classify(_Block(keep)) == "heading"
    return False


def _furniture(block: _Block) -> tuple[list[Line], list[Line]]:
    keep, drop = [], []
    for ln in block.lines:
        (drop if FURNITURE.match(ln.text) else keep).append(ln)
    return keep, drop


def segment(issue_id: str, text: str) -> tuple[list[Article], list[SkippedSpan]]:
    drafts: list[_Draft] = []
    skipped: list[SkippedSpan] = []
    current: _Draft | None = None
    pending_title: list[_Block] = []

    def close() -> None:
        nonlocal current
        if current and current.body:
            drafts.append(current)
        current = None

    blocks = blocks_of(text)
    headline_first = _headline_first(blocks)
    for raw_block in blocks:
        lines, dropped = _furniture(raw_block)
        for ln in dropped:
            skipped.append(SkippedSpan(ln.start, ln.end, "page furniture or continuation marker", ln.text.strip()))
        if not lines:
            continue
        block = _Block(lines)
        kind = classify(block)
        if kind == "caption":
            drafts.append(_Draft(body=[block], kind="caption"))
        elif kind == "heading":
            if current and current.body and not headline_first:
                current.title.append(block)
                current.ended = True
            else:
                close()
                pending_title.append(block)
        elif kind == "byline" or current is None or current.ended:
            close()
            current = _Draft(body=[block])
            if pending_title:
                current.title, pending_title = pending_title, []
        else:
            current.body.append(block)
    close()
    for b in pending_title:
        skipped.append(SkippedSpan(b.start, b.end, "heading with no article", b.text))
    drafts.sort(key=lambda d: d.body[0].start)  # captions were emitted as met; keep print order
    return [_article(issue_id, i + 1, d) for i, d in enumerate(drafts)], skipped


def _article(issue_id: str, seq: int, draft: _Draft) -> Article:
    lines = [ln for b in draft.body for ln in b.lines]
    text, offsets = repair(lines)
    title = " ".join(repair(b.lines)[0].replace("\n", "") for b in draft.title)
    if draft.kind == "caption":
        title = title or CAPTION_MARK.split(text)[0].strip()
    kind = draft.kind
    if kind == "news" and re.search(r"各成员单位：|特此通知|通\s*知$", text):
        kind = "notice"
    elif kind == "news" and "评论员" in text[:20]:
        kind = "commentary"
    return Article(
        id=f"{issue_id}-{seq:02d}",
        issue_id=issue_id,
        seq=seq,
        title=title,
        text=text,
        raw_start=draft.body[0].start,
        raw_end=max(b.end for b in draft.body + draft.title),
        offsets=offsets,
        kind=kind,
        bylines=locate_bylines(parse_bylines("\n".join(ln.text for ln in lines)), text),
    )


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
