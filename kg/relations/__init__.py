"""Stage 3: spaCy Docs -> facts with provenance (mentions, roles, attendance, bylines).

Co-mention is not computed here: it follows from the mentions' sentence
indices and is counted when the graph is assembled.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from kg.gazetteer import hosts_our_city
from kg.models import ArticleFacts, Byline, Mention
from kg.nlp.tokens import doc_text
from kg.relations.attendance import attendance_facts
from kg.relations.events import event_facts
from kg.relations.roles import (
    INSTITUTION_REFERENCE,
    OUTSIDE_PAPER,
    byline_roles,
    forms_of_address,
    local_first,
    roles_after,
    roles_before,
    roles_in_apposition,
    shared_roles,
    written_from_outside,
)
from kg.relations.spans import ent_index, indexed

__all__ = ["facts_from_doc"]


def facts_from_doc(doc: Doc, article_id: str, issue_id: str | None, date: str | None,
                   bylines: list[Byline], title: str, paper: str,
                   canonical: Callable[[str], str]) -> ArticleFacts:
    with indexed(doc):
        return _facts(doc, article_id, issue_id, date, bylines, title, paper, canonical)


def _facts(doc: Doc, article_id: str, issue_id: str | None, date: str | None, bylines: list[Byline], title: str,
           paper: str, canonical: Callable[[str], str]) -> ArticleFacts:
    facts = ArticleFacts(article_id=article_id, issue_id=issue_id, date=date, bylines=bylines)
    index = ent_index(doc)
    sentences = list(doc.sents)
    sent_of = {}
    for i, s in enumerate(sentences):
        for t in s:
            sent_of[t.i] = i
    seen_spans = set()
    for ent in index.ents:
        facts.mentions.append(Mention(ent.text, ent.label_, ent.start_char, ent.end_char, sent_of.get(ent.start, 0),
                                      ent._.kg_source or "lac", ent._.kg_kind))
        seen_spans.add((ent.start_char, ent.end_char))
    for b in bylines:
        if (b.start, b.end) not in seen_spans:
            facts.mentions.append(Mention(b.name, "Person", b.start, b.end, 0, "byline"))
    text = doc_text(doc)
    _paper_mentions(text, bylines, facts.mentions)
    _institution_mentions(facts.mentions)
    _familiar_names(facts.mentions)
    facts.roles += byline_roles(bylines, paper)
    byline_spans = {(b.start, b.end) for b in bylines}
    for i, sent in enumerate(sentences):
        previous: tuple[Span, list] | None = None
        for ent in index.of(sent):
            # a byline's name has its post from the byline (记者 at the paper), not read again
            if ent.label_ != "Person" or (ent.start_char, ent.end_char) in byline_spans:
                continue
            before = roles_before(doc, text, ent, i, canonical) or shared_roles(text, previous, ent)
            facts.roles += before + roles_after(doc, text, ent, i, canonical) + \
                roles_in_apposition(doc, text, ent, i, canonical)
            previous = (ent, before)
    people = index.labelled("Person")
    for mention, role in forms_of_address(text, people, lambda pos: _sentence_at(sentences, pos)):
        facts.mentions.append(mention)
        facts.roles.append(role)
    facts.attendance = attendance_facts(doc, text, sentences, title, byline_spans, date)
    named = [e.text for e in index.labelled("Event")]
    facts.events = event_facts(text, sentences, [a.event for a in facts.attendance] + named, date)
    facts.sentence_spans = [(s.start_char, s.end_char) for s in sentences]
    return facts


def _paper_mentions(text: str, bylines: list[Byline], mentions: list[Mention]) -> None:
    """本报 is the paper an article is from: ours, unless the byline writes from our own
    city (本报聊城7月7日讯: another paper's) or the article hosts a party from our city
    (来我市), then an outside paper of its own."""
    outside = any(written_from_outside(b.medium) for b in bylines) or hosts_our_city(text)
    if any(b.medium.startswith("本报") for b in bylines) and not any(m.text == "本报" for m in mentions):
        i = text.find("本报")
        if i >= 0:
            mentions.append(Mention("本报", "Organization", i, i + 2, 0, "byline", "other"))
    for m in mentions:
        if outside and m.text == "本报" and m.type == "Organization":
            m.refers_to = OUTSIDE_PAPER


def _institution_mentions(mentions: list[Mention]) -> None:
    """我校, 本院: the school or hospital the article names most, a local one first (a
    local paper's 我校 is the school of its city, though it write about 北京大学)."""
    for m in mentions:
        endings = INSTITUTION_REFERENCE.get(m.text) if m.type == "Organization" and len(m.text) == 2 else None
        if endings:
            named = local_first([n.text for n in mentions if n.type == "Organization" and n.text.endswith(endings)])
            if named:
                m.refers_to = max(named, key=named.count)


def _familiar_names(mentions: list[Mention]) -> None:
    """季老, 老王, 小李: the one person of that surname the article names in full."""
    people = {m.text for m in mentions if m.type == "Person" and len(m.text) >= 2 and not m.refers_to}
    for m in mentions:
        if m.type != "Person" or len(m.text) != 2:
            continue
        surname = m.text[0] if m.text[1] == "老" else m.text[1] if m.text[0] in "老小" else None
        full = {p for p in people if surname and p[0] == surname and p != m.text}
        if len(full) == 1:
            m.refers_to = full.pop()


def _sentence_at(sentences: list[Span], pos: int) -> int:
    return next((i for i, s in enumerate(sentences) if s.start_char <= pos < s.end_char), 0)
