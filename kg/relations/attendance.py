"""Attendance: who attended, chaired or spoke at an event.

Government news states it in one grammar: a name (with its posts before it),
then the verb, then maybe 并 and a second verb in the same clause:
"市委书记李长萍主持会议并讲话" gives CHAIRED and SPOKE; names in a list share the
verb after the last one ("董凤亮，安同溪，刘昌松出席活动", "孙晓、山素峰先后致辞").
A verb elsewhere in the sentence ("习近平总书记重要讲话", "2016年到中国参加广交会")
puts nobody at the event. The verbs are data: schemas/relations/attendance_verbs.tsv.
The event is a named Event in the sentence, else in the article, else the
article's title when it reports a gathering.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from kg.config import load_lines
from kg.models import AttendanceFact
from kg.relations.spans import ent_index

CLAUSE_END = re.compile(r"[，。；！？,;!?\n]")
LIST_SEPARATORS = "、，,和与及"


@cache
def verbs() -> tuple[tuple[str, str], ...]:
    """(verb, role) pairs, longest verb first."""
    pairs = []
    for line in load_lines("relations/attendance_verbs.tsv"):
        role, _, words = line.partition("\t")
        pairs += [(w.strip(), role.strip()) for w in words.split(",") if w.strip()]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def list_words() -> tuple[str, ...]:
    return tuple(sorted(load_lines("relations/list_words.txt"), key=len, reverse=True))


def _skip_list_words(text: str, pos: int) -> int:
    moved = True
    while moved:
        moved = False
        for word in list_words():
            if text.startswith(word, pos):
                pos += len(word)
                moved = True
                break
    return pos


def _verb_at(text: str, pos: int) -> tuple[str, str] | None:
    return next(((v, role) for v, role in verbs() if text.startswith(v, pos)), None)


def roles_after_name(text: str, pos: int) -> list[tuple[str, int]]:
    """The roles of the verbs right after a name ending at `pos`, and of the verbs
    joined to them by 并 in the same clause, with where each verb ends."""
    found = _verb_at(text, _skip_list_words(text, pos))
    if found is None:
        return []
    start = _skip_list_words(text, pos)
    roles = [(found[1], start + len(found[0]))]
    clause_end = CLAUSE_END.search(text, start)
    end = clause_end.start() if clause_end else len(text)
    for m in re.finditer("并", text[start:end]):
        joined = _verb_at(text, _skip_list_words(text, start + m.end()))
        if joined is not None:
            roles.append((joined[1], start + m.end() + len(joined[0])))
    return roles


def attendance_in_sentence(text: str, sent: Span, sentence: int, event: str | None) -> list[AttendanceFact]:
    """`text` is the doc's text, read once by the caller (spaCy rebuilds it on each access)."""
    if not event:
        return []
    people = [e for e in ent_index(sent.doc).of(sent) if e.label_ == "Person"]
    roles: list[list[tuple[str, int]]] = [roles_after_name(text, p.end_char) for p in people]
    # right to left: a name with no verb of its own, followed by a list separator and
    # then only posts before the next name, shares that name's verbs
    for i in range(len(people) - 2, -1, -1):
        between = text[people[i].end_char: people[i + 1].start_char]
        if not roles[i] and between[:1] in LIST_SEPARATORS and not any(v in between for v, _ in verbs()):
            roles[i] = roles[i + 1]
    facts = []
    for person, found in zip(people, roles, strict=True):
        for role in dict.fromkeys(r for r, _ in found):  # one fact per role, in order
            end = max(e for r, e in found if r == role)
            facts.append(AttendanceFact(person.text, role, event, person.start_char, end, sentence))
    return facts


def settle_remarks(facts: list[AttendanceFact]) -> list[AttendanceFact]:
    """REMARK facts become SPOKE for people present at the same event by another
    verb and go otherwise; one fact per (person, role, event)."""
    present = {(f.person, f.event) for f in facts if f.role in ("ATTENDED", "CHAIRED", "SPOKE")}
    settled, seen = [], set()
    for f in facts:
        if f.role == "REMARK":
            if (f.person, f.event) not in present:
                continue
            f = AttendanceFact(f.person, "SPOKE", f.event, f.start, f.end, f.sentence)
        key = (f.person, f.role, f.event)
        if key not in seen:
            seen.add(key)
            settled.append(f)
    return settled


# A headline or lead that reports a gathering (not 发展, 社会, 机会: words, not characters)
EVENTISH_TITLE = re.compile(r"会议|大会|[座推研洽交对发论]\S?会|展览|展会|博览|展销|[摄画影书]展|大赛|比赛|竞赛|"
                            r"[文艺旅化]节|仪式|活动|开工|开幕|召开|举行|举办|签约|论坛|峰会")
# "本报讯（记者 张伟） 12月27日，" before an article's first sentence
LEAD = re.compile(r"^\s*(?:\S{0,6}讯\s*[（(][^）)]*[）)])?\s*(?:\d{1,2}月\d{1,2}日[上中下午晚间]*\s*[，,]?)?")


def main_event(doc: Doc, sent: Span, title: str, first_sentence: Span | None = None) -> str | None:
    """The event people in this sentence take part in: one named in the
    sentence, else in the article, else the headline if it reports a gathering,
    else the article's first sentence if it does (an article without its headline)."""
    index = ent_index(doc)
    for events in ([e for e in index.of(sent) if e.label_ == "Event"], index.labelled("Event")):
        if events:
            return events[0].text
    if title:
        return title if EVENTISH_TITLE.search(title) else None
    first = first_sentence if first_sentence is not None else next(iter(doc.sents), None)
    lead = first.text.strip() if first is not None else ""
    lead = LEAD.sub("", lead).rstrip("。！？!?；;")
    return lead if lead and len(lead) <= 60 and EVENTISH_TITLE.search(lead) else None
