"""Roles from the title grammar of government news.

"市委常委、常务副市长刘文强": the clause before a name is a list of posts
separated by 、; each post is [organisation] title, the title being the longest
entry of schemas/gazetteer/titles.txt that ends it; an organisation carries
over to the following posts until a new one is named. "副市长张旋宇、洪玉振":
names listed after one title share it. Bylines give 记者 at the paper.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from kg.config import load_lines
from kg.models import Byline, RoleFact

CLAUSE_BREAK = re.compile(r"[，。；：！？,;:!?\n（）()“”\"]")
MAX_CLAUSE = 40


@cache
def titles() -> tuple[str, ...]:
    return tuple(sorted(load_lines("gazetteer/titles.txt"), key=len, reverse=True))


def split_post(post: str) -> tuple[str, str] | None:
    """'市工信局党组成员' -> ('市工信局', '党组成员'); None when no title ends it."""
    for t in titles():
        if post.endswith(t):
            return post[: -len(t)], t
    return None


def _org_at(doc: Doc, start: int, end: int) -> Span | None:
    for ent in doc.ents:
        if ent.label_ == "Organization" and ent.start_char >= start and ent.end_char <= end:
            return ent
    return None


def roles_before(doc: Doc, text: str, person: Span, sentence: int, canonical) -> list[RoleFact]:
    """Posts printed before a person's name, in its own clause (`text` is doc.text, read once)."""
    left = max(0, person.start_char - MAX_CLAUSE)
    clause_start = left
    for m in CLAUSE_BREAK.finditer(text, left, person.start_char):
        clause_start = m.end()
    # Stop at the previous person: "…主任张三、副主任李四" gives 李四 only 副主任.
    for ent in doc.ents:
        if ent.label_ == "Person" and clause_start <= ent.start_char and ent.end_char <= person.start_char:
            clause_start = ent.end_char
    clause = text[clause_start: person.start_char]
    facts: list[RoleFact] = []
    org: str | None = None
    pos = clause_start
    for post in clause.split("、"):
        post_start = pos
        pos += len(post) + 1
        post = post.strip()
        parsed = split_post(post)
        if not parsed:
            continue
        org_text, title = parsed
        org_span = _org_at(doc, post_start, post_start + len(org_text))
        if org_span is not None:
            org = canonical(org_span.text)
        elif org_text and canonical(org_text) != org_text:
            org = canonical(org_text)
        elif len(org_text) > 2:
            title = post  # no known body in front: keep the words as the title ("党的二十大代表")
        # a short generic word in front ("企业副总经理") names no body: the title alone
        facts.append(RoleFact(person.text, title, org, post_start, person.end_char, sentence))
    return facts


def byline_roles(bylines: list[Byline], paper: str) -> list[RoleFact]:
    out = []
    for b in bylines:
        if not b.role:
            continue  # 本报讯（赵琦）: a contributor whose post the paper does not state
        org = paper if b.medium == "本报" and b.role == "记者" else (b.medium if b.role == "记者" else None)
        out.append(RoleFact(b.name, b.role, org, b.start, b.end, 0))
    return out
