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
    r"^\s*(?:[■□]\s*)?(?:本报讯|本网讯|新华社[^电]{0,12}电|据新华社|本报[^ ]{0,6}(?:记者|通讯员|评论员)|文/图|文 /图|■"
    # 本报聊城 7 月 7 日讯: a dateline with the spaces of print around its numbers
    r"|本报[\u4e00-\u9fff]{0,4}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*讯"
    # 济宁新闻网讯（记者 董振）, 齐鲁网11月29日讯: another outlet's dateline
    r"|[\u4e00-\u9fff]{1,8}?(?:网|报|台|社)(?:\d{1,2}月\d{1,2}日)?讯"
    # 东昌府讯11月30日, 临清讯 6月2日: a county's dateline
    r"|[\u4e00-\u9fff]{2,4}讯(?=\s*[\d（(])"
    # 速豹新闻网记者 许志, 全媒体记者 曹楚炜 报道: a role and a name, not "记者从…获悉"
    r"|(?:[\u4e00-\u9fff]{1,8}?(?:网|报|台))?(?:全媒体|见习|特约)?(?:记者|通讯员)\s+[\u4e00-\u9fff]{2,4}(?:\s|$)"
    # （通讯员 董永波） opening the first paragraph
    r"|[（(]\s*(?:记者|通讯员))"
)
# 本报讯（记者 王培源）, 中证网讯(记者 康曦), 齐鲁网11月29日讯(见习记者 殷明姝): the outlet before 讯
_BRACKETED = re.compile(r"(?P<medium>本报|[\u4e00-\u9fff]{2,8}?)\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?讯\s*[（(]([^）)]{1,60})[）)]")


# （通讯员 董永波） 4月24日，…: a byline in brackets with no dateline, opening the article
# (its groups are _BRACKETED's, the medium empty: the paper's own)
_OPENING_BRACKET = re.compile(r"\s*(?P<medium>)[（(](\s*(?:记者|通讯员)[^）)]{1,60})[）)]")


def _wrapped_name(line: str, next_line: str) -> bool:
    """A byline line that ends in a name cut by the column ("通讯员 庄梦", "本报记者 王"),
    the rest of it opening the next line ("琦 潍坊报道", "晓明")."""
    words = _tokens(re.sub(r"^.*?(?:记者|通讯员)", " ", line))
    rest = re.match(r"[\u4e00-\u9fff]{1,2}(?=\s|$)", next_line.strip())
    last = words[-1][0] if words else ""
    return bool(rest and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", last) and 1 in (len(last), len(rest.group())))


_TAIL_CREDIT = re.compile(r"[（(](?P<credit>[^（）()]{0,30}?(?:记者|通讯员)[^（）()。]{1,40})[）)]\s*$"
                          r"|(?:^|\n)\s*(?P<plain>(?:记者|通讯员)\s*[:：]?\s*[\u4e00-\u9fff][^\n。，,]{0,30})\s*$")
_BROKEN_ROLE = re.compile(r"通\s*\n\s*讯\s*员|通\s*讯\s*\n\s*员|记\s*\n\s*者")


def is_credit(text: str) -> bool:
    """Credits alone: "（记者 李璇 通讯员 麻荣锴 黄⏎玉利）", "记者 李政哲 黄涛", "（冯晰玥）"."""
    text = text.strip()
    bracketed = text[:1] in "（(" and text[-1:] in "）)"
    inner = text[1:-1] if bracketed else text
    words = [w for w, _ in _tokens(re.sub(r"(记者|通讯员|实习生)", r" \1 ", inner))]
    roles = [w for w in words if _ROLE_WORD.fullmatch(w)]
    names = [w for w in words if not _ROLE_WORD.fullmatch(w)]
    return bool(names) and (bracketed or bool(roles)) and all(re.fullmatch(_NAME, n) and n not in NOT_NAMES for n in names) \
        and len(names) <= 6


def _names(blob: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(_NAME, blob)]


def parse_bylines(text: str, search_window: int = 80) -> list[Byline]:
    """Bylines near the start of an article (and credits in its last line)."""
    found: list[Byline] = []
    text = _BROKEN_ROLE.sub(lambda m: re.sub(r"\s", "", m.group()), text)  # 通讯⏎员: one word, wrapped
    head = text[:search_window]
    m = _BRACKETED.search(head) or _OPENING_BRACKET.match(head)
    if m:
        inner, base, medium = m.group(2), m.start(2), m.group("medium") or "本报"
        if any(r in inner for r in ROLE_WORDS):
            found += _role_lists(inner, base, medium)
        else:  # 本报讯 （赵琦）: a contributor with no stated role
            found += [Byline(n, "", medium, base + s, base + s + len(n)) for n, s in _names(inner)]
        return found
    lines = head.split("\n")
    first_line = lines[0]
    if BYLINE_START.match(first_line) or "■" in first_line:
        if len(lines) > 1 and _wrapped_name(first_line, lines[1]):
            found += _role_lists(first_line + "\n" + lines[1], 0)  # 通讯员 庄梦⏎琦 潍坊报道
        else:
            found += _role_lists(first_line, 0)
        # "■ 本报记者 夏旭光 郭绍隆\n大众日报记者 孙亚飞": a second line of the same byline
        if len(lines) > 1 and _ROLE_WORD.match(lines[1].strip().lstrip("/ ")):
            found += _role_lists(lines[1], len(first_line) + 1)
    tail_start = text.rfind("■")
    if tail_start > len(first_line):  # a photo credit closing a caption or an article
        found += _role_lists(text[tail_start:], tail_start)
    elif (tail := _TAIL_CREDIT.search(text)) and (not found or tail.start() > len(first_line)):
        # "…交流。(记者 柴士增)", "（记者 李璇 通讯员 麻荣锴 黄⏎玉利）", "记者:李斌" closing it
        group = "credit" if tail.group("credit") else "plain"
        found += _role_lists(tail.group(group), tail.start(group))
    return found


# a role word anywhere in a byline, names glued to it or not: 聊城日报全媒体记者蒋希伟通讯员郑兆雷
_ROLE_WORD = re.compile(r"(?P<medium>本报|[\u4e00-\u9fff]{2,8}?(?:日报|晚报|电视台|新闻网|网))?"
                        r"(?P<role>(?:特约|见习|全媒体)?(?:记者|通讯员|评论员)|实习生)")
_CREDITS = ("文/图", "摄")
NOT_NAMES = {"资料图", "供图", "摄影", "图片"}  # what a bracket at a caption's end holds besides names


def _role_lists(blob: str, base: int, outlet: str = "本报") -> list[Byline]:
    """A byline's role words ("本报记者", "通讯员", "大众日报记者", "全媒体记者", as printed),
    each with the names after it up to the next role word or the first word that is no
    name; `outlet` is the medium of a role word that names none (中证网讯(记者 康曦))."""
    out: list[Byline] = []
    roles = list(_ROLE_WORD.finditer(blob))
    for k, m in enumerate(roles):
        end = roles[k + 1].start() if k + 1 < len(roles) else len(blob)
        medium = m.group("medium") or outlet
        for name, at in _tokens(blob[m.end(): end]):
            if name in _CREDITS:
                continue
            if not re.fullmatch(_NAME, name) or name.startswith("本报") or name.endswith(("报道", "讯")):
                break  # the byline has ended
            start = base + m.end() + at
            out.append(Byline(name, m.group("role"), medium, start, start + len(name)))
    return out


def _tokens(blob: str) -> list[tuple[str, int]]:
    """The words of a byline and where they start. A line break inside it is a wrap of
    the column: it splits a name where one side is a lone character (郑⏎兆雷, 庄梦⏎琦),
    and falls between two names where both sides are names of their own (张丽⏎刘明).
    Two lone characters a space apart are one name set to the width of three (高 崇)."""
    words = [(w.group(0), w.start(), w.end()) for w in re.finditer(r"[^\s、，,/（）()■:：]+", blob)]
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(words):
        word, start, end = words[k]
        if k + 1 < len(words):
            following, next_start, _ = words[k + 1]
            gap = blob[end:next_start]
            wrapped = gap == "\n" and 1 in (len(word), len(following)) and len(word) + len(following) <= 4
            spaced = gap.strip(" ") == "" and len(word) == len(following) == 1
            if wrapped or spaced:
                out.append((word + following, start))
                k += 2
                continue
        out.append((word, start))
        k += 1
    return out
