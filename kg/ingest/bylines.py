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
# 本报讯（记者 王培源）, 中证网讯(记者 康曦), 齐鲁网11月29日讯(见习记者 殷明姝): the outlet before 讯
_BRACKETED = re.compile(r"(?P<medium>本报|[\u4e00-\u9fff]{2,8}?)(?:\d{1,2}月\d{1,2}日)?讯\s*[（(]([^）)]{1,60})[）)]")


def _names(blob: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(_NAME, blob)]


def parse_bylines(text: str, search_window: int = 80) -> list[Byline]:
    """Bylines near the start of an article (and credits in its last line)."""
    found: list[Byline] = []
    head = text[:search_window]
    m = _BRACKETED.search(head)
    if m:
        inner, base, medium = m.group(2), m.start(2), m.group("medium")
        if any(r in inner for r in ROLE_WORDS):
            found += _role_lists(inner, base, medium)
        else:  # 本报讯 （赵琦）: a contributor with no stated role
            found += [Byline(n, "", medium, base + s, base + s + len(n)) for n, s in _names(inner)]
        return found
    lines = head.split("\n")
    first_line = lines[0]
    if BYLINE_START.match(first_line) or "■" in first_line:
        found += _role_lists(first_line, 0)
        # "■ 本报记者 夏旭光 郭绍隆\n大众日报记者 孙亚飞": a second line of the same byline
        if len(lines) > 1 and _ROLE_WORD.match(lines[1].strip().lstrip("/ ")):
            found += _role_lists(lines[1], len(first_line) + 1)
    tail_start = text.rfind("■")
    if tail_start > len(first_line):  # a photo credit closing a caption or an article
        found += _role_lists(text[tail_start:], tail_start)
    return found


# a role word anywhere in a byline, names glued to it or not: 聊城日报全媒体记者蒋希伟通讯员郑兆雷
_ROLE_WORD = re.compile(r"(?P<medium>本报|[\u4e00-\u9fff]{2,8}?(?:日报|晚报|电视台|新闻网|网))?"
                        r"(?P<role>(?:特约|见习|全媒体)?(?:记者|通讯员|评论员))")
_CREDITS = ("文/图", "摄")


def _role_lists(blob: str, base: int, outlet: str = "本报") -> list[Byline]:
    """A byline's role words ("本报记者", "通讯员", "大众日报记者", "全媒体记者", as printed),
    each with the names after it up to the next role word or the first word that is no
    name; `outlet` is the medium of a role word that names none (中证网讯(记者 康曦))."""
    out: list[Byline] = []
    roles = list(_ROLE_WORD.finditer(blob))
    for k, m in enumerate(roles):
        end = roles[k + 1].start() if k + 1 < len(roles) else len(blob)
        medium = m.group("medium") or outlet
        for token in re.finditer(r"[^\s、，,/（）()■]+", blob[m.end(): end]):
            name = token.group(0)
            if name in _CREDITS:
                continue
            if not re.fullmatch(_NAME, name) or name.startswith("本报"):
                break  # the byline has ended
            start = base + m.end() + token.start()
            out.append(Byline(name, m.group("role"), medium, start, start + len(name)))
    return out
