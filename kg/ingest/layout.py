"""Layout repair that keeps provenance.

PDF text of a newspaper page breaks lines inside words ("孔繁\\n森"), leaves blank
lines at column breaks in mid-sentence and scatters spaces inside numbers and
dates ("12 月 1 日", "45 亿 元"). `repair` joins and cleans a run of raw lines
and returns, for every character it keeps, its offset in the raw text, so any
fact can be shown in its source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)"
# A line before a blank line ends its paragraph when it is this much shorter than the
# lines around it and short in itself (a byline, a heading; not a long unwrapped paragraph).
SHORT_BY = 3
SHORT_LINE = 24
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2018-\u201d]")


@dataclass
class Line:
    text: str
    start: int  # offset of text[0] in the raw text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str, base: int = 0) -> list[Line]:
    """Lines with their offsets; `base` is where `text` starts in the whole file."""
    lines, pos = [], base
    for part in text.split("\n"):
        lines.append(Line(part, pos))
        pos += len(part) + 1
    return lines


def ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(CLOSERS)
    return bool(t) and t[-1] in SENTENCE_END


def _is_cjkish(ch: str) -> bool:
    return bool(_CJK.match(ch)) or ch.isdigit() or ch in "%％.，,：:；;"


def repair(lines: list[Line]) -> tuple[str, list[int]]:
    """Join hard-wrapped lines into paragraphs ("\\n" between them) and drop stray spaces.

    A line ends a paragraph when it ends a sentence and is visibly shorter than
    the lines around it (columns differ in width, so the measure is local).
    """
    content = [ln for ln in lines if ln.text.strip()]
    if not content:
        return "", []
    before_blank = _before_blank(lines)
    sizes = [len(ln.text.strip()) for ln in content]
    chars: list[str] = []
    offsets: list[int] = []
    for i, ln in enumerate(content):
        lead = len(ln.text) - len(ln.text.lstrip())
        body = ln.text.strip()
        for j, ch in enumerate(body):
            chars.append(ch)
            offsets.append(ln.start + lead + j)
        if i + 1 < len(content):
            width = max(sizes[max(0, i - 1)], sizes[i + 1]) - 1
            # a short line before a blank one ends its block too: "■ 本报通讯员 方丽", a heading;
            # a column break in mid-sentence follows a full line
            if (ends_sentence(body) and len(body) < width) or \
                    (ln.start in before_blank and len(body) <= min(width - SHORT_BY, SHORT_LINE)):
                chars.append("\n")
                offsets.append(ln.start + lead + len(body))
            elif _needs_space(body, content[i + 1].text.strip()):
                chars.append(" ")
                offsets.append(ln.start + lead + len(body))
    return _drop_stray_spaces(chars, offsets)


def _before_blank(lines: list[Line]) -> set[int]:
    """Start offsets of the non-blank lines that a blank line follows."""
    return {ln.start for ln, nxt in zip(lines, lines[1:], strict=False) if ln.text.strip() and not nxt.text.strip()}


def _needs_space(left: str, right: str) -> bool:
    """Latin words broken across lines keep a space between them ("TECHNICAL WORLD")."""
    return bool(left and right) and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() \
        and right[0].isalpha()


def _drop_stray_spaces(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    out_c: list[str] = []
    out_o: list[int] = []
    following = _next_non_space(chars)
    for i, ch in enumerate(chars):
        if ch in SPACES:
            prev = out_c[-1] if out_c else ""
            nxt = following[i]
            # Keep a space only between two Latin letters or digits in Latin text.
            if not prev or not nxt or prev == "\n" or nxt == "\n" or _is_cjkish(prev) or _is_cjkish(nxt):
                continue
            if out_c and out_c[-1] == " ":
                continue
        out_c.append(ch)
        out_o.append(offsets[i])
    return "".join(out_c), out_o


SPACES = " \u3000\t"


def _next_non_space(chars: list[str]) -> list[str]:
    """For each position, the first character after it that is not a space ("" at the end):
    one pass from the right, so a long line of spaced-out text costs linear time."""
    out = [""] * len(chars)
    nxt = ""
    for i in range(len(chars) - 1, -1, -1):
        out[i] = nxt
        if chars[i] not in SPACES:
            nxt = chars[i]
    return out


def normalise(text: str) -> str:
    """NFKC and no white space: the key the scorer and the alias table compare on."""
    return "".join(unicodedata.normalize("NFKC", text).split())
