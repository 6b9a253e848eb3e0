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
    if not event:
        return []
    people = [e for e in sent.ents if e.label_ == "Person"]
    if not people:
        return []
    facts = []
    tail = doc.text[people[-1].end_char: sent.end_char]
    for role, pattern in _VERB_RE.items():
        if not pattern.search(tail):
            continue
        for person in people:
            facts.append(AttendanceFact(person.text, role, event, person.start_char, sent.end_char, sentence))
    return facts


def main_event(doc: Doc, sent: Span, title: str) -> str | None:
    for ents in (sent.ents, doc.ents):
        events = [e.text for e in ents if e.label_ == "Event"]
        if events:
            return events[0]
    return title or None
