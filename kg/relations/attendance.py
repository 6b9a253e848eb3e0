"""Attendance: who attended, chaired or spoke at an event.

A sentence whose people are followed by a verb of the contract's lists gives
each of them that role: "市委书记李长萍主持会议并讲话" gives CHAIRED and SPOKE.
The event is a named Event in the sentence, else in the article, else the
article's title.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.models import AttendanceFact

VERBS = {
    "CHAIRED": ("主持",),
    "ATTENDED": ("出席", "参加", "列席", "陪同", "参会", "调研", "视察", "考察", "会见", "座谈", "带队", "率团", "随行"),
    "SPOKE": ("讲话", "致辞", "发言", "作报告", "介绍", "推介", "宣布", "汇报", "指出", "强调", "表示", "说", "希望"),
}
_VERB_RE = {role: re.compile("|".join(words)) for role, words in VERBS.items()}


def attendance_in_sentence(doc: Doc, sent: Span, sentence: int, event: str | None) -> list[AttendanceFact]:
    """Each person takes the verbs between their name and the next person's; a
    name with no verb of its own is in a list ("A，B，C出席") and shares the next one's."""
    if not event:
        return []
    people = [e for e in sent.ents if e.label_ == "Person"]
    text = sent.text
    base = sent.start_char
    segments = []
    for i, person in enumerate(people):
        end = people[i + 1].start_char if i + 1 < len(people) else sent.end_char
        segments.append(text[person.end_char - base: end - base])
    for i in range(len(segments) - 2, -1, -1):
        if not any(p.search(segments[i]) for p in _VERB_RE.values()):
            segments[i] = segments[i + 1]  # a name in a list: the verb comes after the last one
    facts = []
    for person, segment in zip(people, segments, strict=True):
        for role, pattern in _VERB_RE.items():
            if pattern.search(segment):
                facts.append(AttendanceFact(person.text, role, event, person.start_char,
                                            person.end_char + len(segment), sentence))
    return facts


EVENTISH_TITLE = re.compile(r"会|展|赛|节|仪式|活动|开工|开幕|召开|举行|举办|签约")


def main_event(doc: Doc, sent: Span, title: str) -> str | None:
    """The event people in this sentence take part in: one named in the
    sentence, else in the article, else the headline if it reports a gathering."""
    for ents in (sent.ents, doc.ents):
        events = [e.text for e in ents if e.label_ == "Event"]
        if events:
            return events[0]
    return title if title and EVENTISH_TITLE.search(title) else None
