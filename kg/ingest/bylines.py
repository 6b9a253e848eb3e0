"""Bylines: 本报讯（记者 王培源）, ■ 本报记者 夏旭光 郭绍隆 / 大众日报记者 孙亚飞,
本报讯 （赵琦）, ■ 本报通讯员 方丽, photo credits at a caption's end."""

from __future__ import annotations

import re

from kg.models import Byline

ROLE_WORDS = ("记者", "通讯员", "评论员", "特约记者", "见习记者")
# A name in a byline: 2-4 Han characters (a Chinese personal name), or 5 for a
# few compound names; separated by spaces or 、.
_NAME = r"[\u4e00-\u9fff·]{2,4}"

BYLINE_START = re.compile(
    r"^\s*(?:■\s*)?(?:本报讯|新华社[^电]{0,12}电|据新华社|本报[^ ]{0,6}(?:记者|通讯员|评论员)|文/图|文 /图|■)"
)
_BRACKETED = re.compile(r"本报讯\s*[（(]([^）)]{1,60})[）)]")


def _names(blob: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(_NAME, blob)]


def parse_bylines(text: str, search_window: int = 80) -> list[Byline]:
    """Bylines near the start of an article (and credits in its last line)."""
    found: list[Byline] = []
    head = text[:search_window]
    m = _BRACKETED.search(head)
    if m:
        inner, base = m.group(1), m.start(1)
        if any(r in inner for r in ROLE_WORDS):
            found += _role_lists(inner, base)
        else:  # 本报讯 （赵琦）: a contributor with no stated role
            found += [Byline(n, "", "本报", base + s, base + s + len(n)) for n, s in _names(inner)]
        return found
    lines = head.split("\n")
    first_line = lines[0]
    if BYLINE_START.match(first_line) or "■" in first_line:
        found += _role_lists(first_line, 0)
        # "■ 本报记者 夏旭光 郭绍隆\n大众日报记者 孙亚飞": a second line of the same byline
        if len(lines) > 1 and _ROLE_TOKEN.match(lines[1].strip().lstrip("/ ")):
            found += _role_lists(lines[1], len(first_line) + 1)
    tail_start = text.rfind("■")
    if tail_start > len(first_line):  # a photo credit closing a caption or an article
        found += _role_lists(text[tail_start:], tail_start)
    return found


_ROLE_TOKEN = re.compile(r"^(?P<medium>本报|[\u4e00-\u9fff]{2,8}(?:日报|晚报|电视台|新闻网|网))?(?:特约|见习)?"
                         r"(?P<role>记者|通讯员|评论员)(?P<rest>.*)$")


def _role_lists(blob: str, base: int) -> list[Byline]:
    """Walk the tokens of a byline: a role word ("本报记者", "通讯员", "大众日报记者")
    sets the role for the names after it, until the next role word."""
    out: list[Byline] = []
    role = medium = None
    for m in re.finditer(r"[^\s、，,/（）()■]+", blob):
        token, start = m.group(0), base + m.start()
        rm = _ROLE_TOKEN.match(token)
        if rm:
            role, medium = rm.group("role"), rm.group("medium") or "本报"
            token, start = rm.group("rest"), start + rm.start("rest")
            if not token:
                continue
        if role and re.fullmatch(_NAME, token) and not token.startswith("本报") and token != "摄":
            out.append(Byline(token, role, medium or "本报", start, start + len(token)))
        elif role and token not in ("文/图", "摄"):
            role = None  # the byline has ended
    return out
