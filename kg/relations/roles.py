"""Roles from the title grammar of government news.

"市委常委、常务副市长刘文强": the clause before a name is a list of posts
separated by 、; each post is [organisation] title, the title being the longest
entry of schemas/gazetteer/titles.txt that ends it. The organisation of a post
is, in this order: a body named in the post (the one nearest the title), a
company the post points back to ("该公司总经理", "企业副总经理"), the body the
title itself names (市委常委 → 市委; 市长 → 市政府, 总书记 → 中共中央: data in
schemas/relations/title_orgs.tsv and the paper profile), else the organisation
of the post before ("华电山东公司党委书记、执行董事"). A clause of posts before a
comma belongs to the same name ("中国华电集团有限公司总经理助理，华电山东公司党委
书记、执行董事董凤亮"). "副市长张旋宇、洪玉振": names listed after one title share
it. Bylines give 记者/通讯员 at the medium.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from spacy.tokens import Doc, Span

from kg.config import load_json, load_lines
from kg.gazetteer import PROFILE, paper_city, suffix_table
from kg.models import Byline, Mention, RoleFact
from kg.relations.spans import ent_index

CLAUSE_BREAK = re.compile(r"[，。；：！？,;:!?\n（）()“”\"]")
MAX_CLAUSE = 40
# Words before the posts that are no part of them: "如今任…的崔建勇", "他就是…步同良", "■ "
LEAD_IN = re.compile(r"^[■●◆\s]*(?:(?:如今|现|现在|时|曾|后|先后)?(?:担任|任)|(?:他|她)(?:就|也|还|便)?是)?")
TRAILER = re.compile(r"的\s*$")
# A title that names a party department (组织部部长, 宣传部长): its committee is the post's before
DEPARTMENT_TITLE = re.compile(r"(?:组织|宣传|统战)部")
# A post that points back to the article's school or hospital: 我校党委书记, 该院院长
SCHOOLS = ("大学", "学院", "学校", "中学", "小学")
HOSPITALS = ("医院", "法院", "检察院", "研究院", "卫生院")
INSTITUTIONS = SCHOOLS + HOSPITALS
OWN_REFERENCE = {"校", "我校", "本校", "学校", "我院", "本院"}  # the institution the article speaks for
INSTITUTION_REFERENCE = {**dict.fromkeys(("校", "我校", "该校", "本校", "学校"), SCHOOLS),
                         **dict.fromkeys(("院", "我院", "该院", "本院"), HOSPITALS),
                         "党委": INSTITUTIONS}
# The party committee of an institution names the institution ("…分局党委委员" is 党委委员 at
# …分局, "校党委书记" 党委书记 at the school); a bare 党委 points back to it
INSTITUTION_PARTY = re.compile(r"(.*?)(党委|党总支|党支部)$")
JURISDICTION_ENDINGS = ("省", "市", "县", "区", "镇", "乡", "街道", "村")
# A town's posts: its government, its party committee ("寿张镇副镇长", "清平镇党委书记")
TOWNS = ("镇", "乡", "街道")
TOWN_GOVERNMENT_TITLES = {"镇长", "副镇长", "乡长", "副乡长"}
TOWN_PARTY_TITLES = {"党委书记", "党委副书记", "书记", "副书记", "组织委员", "宣传委员", "纪委书记", "党委委员"}
# Titles of one kind of institution: with no body in front they are the article's ("党委副书记、校长")
INSTITUTION_TITLES = {"校长": SCHOOLS, "副校长": SCHOOLS, "党委": INSTITUTIONS}
FORMER = "原"  # 冠县政协原主席, 原党组书记、主席: a former post, as printed
# A post that points back to the article's company: 该公司总经理, 企业副总经理
COMPANY_REFERENCE = {"公司", "该公司", "企业", "该企业", "集团", "该集团", "本公司"}


@cache
def titles() -> tuple[str, ...]:
    return tuple(sorted(load_lines("gazetteer/titles.txt"), key=len, reverse=True))


@cache
def org_suffixes() -> tuple[str, ...]:
    return tuple(s for s, _ in suffix_table("gazetteer/org_suffixes.txt"))


@cache
def title_orgs(profile: str = PROFILE) -> dict[str, str]:
    """Title -> the body it names by itself, general rows then the paper's own."""
    table = {}
    for line in load_lines("relations/title_orgs.tsv"):
        title, _, org = line.partition("\t")
        table[title.strip()] = org.strip()
    table.update(load_json(profile).get("title_orgs", {}))
    return table


def split_post(post: str) -> tuple[str, str] | None:
    """'市工信局党组成员' -> ('市工信局', '党组成员'); None when no title ends it."""
    for t in titles():
        if post.endswith(t):
            return post[: -len(t)], t
    return None


def _orgs_in(doc: Doc, start: int, end: int) -> list[Span]:
    return ent_index(doc).starting_in(start, end, "Organization")


def _clause_start(doc: Doc, text: str, person: Span) -> int:
    left = max(0, person.start_char - MAX_CLAUSE)
    start = left
    for m in CLAUSE_BREAK.finditer(text, left, person.start_char):
        start = m.end()
    # Stop at the previous person: "…主任张三、副主任李四" gives 李四 only 副主任.
    for ent in ent_index(doc).starting_in(start, person.start_char, "Person"):
        if start <= ent.start_char and ent.end_char <= person.start_char:
            start = ent.end_char
    return start


def _posts_before_comma(doc: Doc, text: str, start: int) -> int:
    """Where a clause of posts ending in a comma right before `start` begins, or `start`."""
    if start < 2 or text[start - 1] not in "，,":
        return start
    prev_start = start - 1
    while prev_start > 0 and not CLAUSE_BREAK.match(text[prev_start - 1]) and start - prev_start < MAX_CLAUSE:
        prev_start -= 1
    segment = text[prev_start: start - 1]
    people = ent_index(doc).starting_in(prev_start, start, "Person")
    last = segment.split("、")[-1]
    if people or not split_post(last) or not _orgs_in(doc, prev_start, start):
        return start
    return prev_start


class PostReader:
    """Reads the posts in front of one person's name."""

    def __init__(self, doc: Doc, canonical: Callable[[str], str]) -> None:
        self.doc = doc
        self.canonical = canonical

    def org_named(self, org_text: str, start: int, end: int) -> str | None:
        """The body a post names in front of its title (`start`..`end` in the doc)."""
        if org_text in COMPANY_REFERENCE:
            return self.company_before(start)
        if org_text in INSTITUTION_REFERENCE:
            return self.institution(start, INSTITUTION_REFERENCE[org_text], own=org_text in OWN_REFERENCE)
        whole = self.canonical(org_text) if org_text else org_text
        if org_text and whole != org_text:
            return whole  # 省委组织部 as a whole, not the 省委 inside it
        inside = _orgs_in(self.doc, start, end)
        whole_span = [e for e in inside if e.end_char == end]
        if whole_span:
            return self.canonical(whole_span[-1].text)
        if org_text.endswith(org_suffixes()):
            return whole  # 聊城市商务和投资促进局 though the NER saw only 聊城市商务
        if inside:
            return self.canonical(inside[-1].text)  # the body nearest the title
        return None

    def org_of_title(self, title: str) -> str | None:
        table = title_orgs()
        if title in table:
            return self.canonical(table[title])
        for k in range(2, len(title)):  # 市委常委: the body is in the title (the shortest form that resolves)
            head = title[:k]
            if self.canonical(head) != head:
                return self.canonical(head)
        return None

    def company_before(self, pos: int) -> str | None:
        companies = [e for e in ent_index(self.doc).labelled("Organization") if e._.kg_kind == "company"]
        return self._referent(companies, pos)

    def institution(self, pos: int, endings: tuple[str, ...], own: bool = False) -> str | None:
        """The school, hospital or court a post points back to (该院, 党委), or for `own`
        (校党委, 我校) the one the article speaks for."""
        bodies = [e for e in ent_index(self.doc).labelled("Organization") if e.text.endswith(endings)]
        return self._referent(bodies, pos, own)

    def _referent(self, bodies: list[Span], pos: int, own: bool = False) -> str | None:
        """The body named before `pos` in its sentence ("潍坊学院党委书记A、党委副书记B"),
        unless `own`; else the nearest before it, else the one the article names most; of
        our city's bodies, if the article names one."""
        start = ent_index(self.doc).sentence_start(pos)
        here = [e for e in bodies if start <= e.start_char and e.end_char <= pos]
        if here and not own:
            return self.canonical(here[-1].text)
        local = set(local_first([e.text for e in bodies]))
        bodies = [e for e in bodies if e.text in local]
        before = [e for e in bodies if e.end_char <= pos]
        if before:
            return self.canonical(before[-1].text)
        names = [self.canonical(e.text) for e in bodies]
        return max(names, key=names.count) if names else None


def roles_before(doc: Doc, text: str, person: Span, sentence: int,
                 canonical: Callable[[str], str]) -> list[RoleFact]:
    """Posts printed before a person's name (`text` is doc.text, read once)."""
    clause_start = _posts_before_comma(doc, text, _clause_start(doc, text, person))
    reader = PostReader(doc, canonical)
    facts: list[RoleFact] = []
    org: str | None = None
    committee: str | None = None  # the last party committee among the posts
    former = ""  # 原党组书记、主席: the first post's 原 holds for those after it
    pos = clause_start
    for raw in re.split(r"[、，,]", text[clause_start: person.start_char]):
        post_start = pos
        pos += len(raw) + 1
        lead = LEAD_IN.match(raw).end()
        post = TRAILER.sub("", raw[lead:]).strip()
        parsed = split_post(post)
        if not parsed:
            continue
        org_text, title = reshape_post(*parsed)
        if org_text.endswith(FORMER) or title.startswith(FORMER):
            former, org_text, title = FORMER, org_text.removesuffix(FORMER), title.removeprefix(FORMER)
        start = post_start + lead
        in_title = DEPARTMENT_TITLE.match(title)
        department = org_text if 3 <= len(org_text) <= 5 and org_text.endswith("部") and \
            not org_text.startswith(("中共", "市", "省", "县", "区")) else (in_title.group() if in_title else None)
        if committee and department:
            # 省委常委、组织部部长 / 区委常委、组织部部长: a department of that committee
            named = canonical(committee + department)
        else:
            named = town_body(org_text, title) or reader.org_named(org_text, start, start + len(org_text))
        implied = reader.org_of_title(title)
        if not (named or implied or org_text) and title.startswith(tuple(INSTITUTION_TITLES)):
            implied = reader.institution(start, next(kinds for t, kinds in INSTITUTION_TITLES.items()
                                                     if title.startswith(t)))
        if named or implied:
            org = named or implied
            committee = org if org.endswith("委") else committee
        elif len(org_text) > 2:
            title = post  # no known body in front: keep the words as the title ("党的二十大代表")
        # a short generic word in front ("企业副总经理") names no body: the title alone
        facts.append(RoleFact(person.text, former + title, org, start, person.end_char, sentence))
    return facts


def reshape_post(org_text: str, title: str) -> tuple[str, str]:
    """A post's body and title as the title grammar reads them: a department in the
    title belongs to the body in front (市统战部部长 -> 市统战部, 部长), and the party
    committee of an institution names the institution (…分局党委, 委员 -> …分局, 党委委员;
    校党委, 书记 -> 校, 党委书记; a bare 党委 stays, to point back to the institution)."""
    dept = DEPARTMENT_TITLE.match(title)
    if dept and org_text:
        rest = title[dept.end():]
        return org_text + dept.group(), "部长" if rest == "长" else rest
    party = INSTITUTION_PARTY.match(org_text)
    if party and not party.group(1).endswith(JURISDICTION_ENDINGS):
        return party.group(1) or party.group(2), party.group(2) + title
    return org_text, title


def town_body(org_text: str, title: str) -> str | None:
    """寿张镇副镇长 -> 寿张镇人民政府; 寿张镇组织委员 -> 中共寿张镇委员会."""
    if not org_text.endswith(TOWNS) or len(org_text) < 3:
        return None
    if title in TOWN_GOVERNMENT_TITLES:
        return org_text + ("办事处" if org_text.endswith("街道") else "人民政府")
    if title in TOWN_PARTY_TITLES:
        return "中共" + org_text + "委员会"
    return None


def shared_roles(text: str, previous: tuple[Span, list[RoleFact]] | None, person: Span) -> list[RoleFact]:
    """"副市长张旋宇、洪玉振": a name listed right after another takes its posts."""
    if previous is None or text[previous[0].end_char: person.start_char] not in ("、", "和", "与"):
        return []
    return [RoleFact(person.text, r.title, r.org, r.start, person.end_char, r.sentence) for r in previous[1]]


def roles_in_apposition(doc: Doc, text: str, person: Span, sentence: int,
                        canonical: Callable[[str], str]) -> list[RoleFact]:
    """"步同良，中国农业银行聊城茌平支行高级副经理。": a post of a named body set off
    after the name by a comma, up to the clause's end."""
    if text[person.end_char: person.end_char + 1] not in "，,":
        return []
    start = person.end_char + 1
    end_match = CLAUSE_BREAK.search(text, start)
    end = end_match.start() if end_match else len(text)
    post = text[start:end]
    parsed = split_post(post) if 0 < len(post) <= MAX_CLAUSE else None
    if not parsed or ent_index(doc).starting_in(start, end, "Person"):
        return []
    org = PostReader(doc, canonical).org_named(parsed[0], start, start + len(parsed[0]))
    if org is None:
        return []  # "张三，副主任": too loose without a body
    return [RoleFact(person.text, parsed[1], org, person.start_char, end, sentence)]


@cache
def titles_after_name() -> tuple[str, ...]:
    return tuple(sorted(load_lines("relations/titles_after_name.txt"), key=len, reverse=True))


def roles_after(doc: Doc, text: str, person: Span, sentence: int,
                canonical: Callable[[str], str]) -> list[RoleFact]:
    """A title right after the name, as a form of address: "习近平总书记" (总书记 at 中共中央)."""
    title = next((t for t in titles_after_name() if text.startswith(t, person.end_char)), None)
    if title is None:
        return []
    org = PostReader(doc, canonical).org_of_title(title)
    return [RoleFact(person.text, title, org, person.start_char, person.end_char + len(title), sentence)]


def forms_of_address(text: str, people: list[Span], sentence_of: Callable[[int], int]) -> list[tuple[Mention, RoleFact]]:
    """"孔书记" for 孔繁森: a surname and a title, where the article names exactly one
    person of that surname in full. Gives the mention (as an alias) and the post."""
    by_surname: dict[str, set[str]] = {}
    for p in people:
        if len(p.text) >= 2:
            by_surname.setdefault(p.text[0], set()).add(p.text)
    spans = {(p.start_char, p.end_char) for p in people}
    found = []
    for title in titles_after_name():
        for m in re.finditer(re.escape(title), text):
            start = m.start() - 1
            full = by_surname.get(text[start], set()) if start >= 0 else set()
            if len(full) != 1 or any(a <= start < b for a, b in spans):
                continue  # no one, or two people, of that surname; or the title follows a full name
            name = next(iter(full))
            sentence = sentence_of(start)
            found.append((Mention(text[start: m.end()], "Person", start, m.end(), sentence, "address", refers_to=name),
                          RoleFact(name, title, None, start, m.end(), sentence)))
    return found


def local_first(names: list[str]) -> list[str]:
    """The names of our city's bodies, if there are any: a local paper's 我校 is a school
    of its city, though the article names 北京大学 or a college of the school more."""
    city = paper_city()[:2]
    return [n for n in names if city and city in n] or names


OUTSIDE_PAPER = "外报"  # the paper of an article that writes from our own city: another, unnamed


def written_from_outside(medium: str) -> bool:
    """本报聊城7月7日讯: a paper that writes *from* our city is not our city's paper."""
    return medium.startswith("本报") and len(medium) > 2 and paper_city().startswith(medium[2:])


def byline_roles(bylines: list[Byline], paper: str) -> list[RoleFact]:
    out = []
    for b in bylines:
        if not b.role:
            continue  # 本报讯（赵琦）: a contributor whose post the paper does not state
        # a reporter's medium is the paper's (本报, 本报莘县讯) or the outlet the byline names;
        # a correspondent has none, nor has a reporter of an unnamed outside paper
        reporter = b.role.endswith("记者") and not written_from_outside(b.medium)
        org = (paper if b.medium.startswith("本报") else b.medium) if reporter else None
        out.append(RoleFact(b.name, b.role, org, b.start, b.end, 0))
    return out
