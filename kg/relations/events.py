"""Where and when: (Event)-[:HELD_IN]->(Place) and the event's date.

"…专项行动工作专班全体会议在莘县召开", "12月27日,…风电项目在阳谷县正式开工建设":
the venue is a place right after 在 (or 于) in a clause that convenes (召开, 举行,
举办, 开幕, 开工 …); the date is the month and day the same sentence gives, or the
article's dateline, in the issue's year (a December event in a January issue
is last year's).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from kg.models import EventFact
from kg.relations.spans import ent_index

CONVENING = re.compile(r"召开|举行|举办|开幕|闭幕|开工|开展|启动|揭牌|签约|落幕|进行")
MONTH_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
CLAUSE_END = re.compile(r"[，。；！？,;!?\n]")


def event_date(text: str, issue_date: str | None) -> str | None:
    """The first month and day in `text`, dated in the issue's year."""
    m = MONTH_DAY.search(text)
    if m is None:
        return None
    month, day = int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if m.group(1):
        year = int(m.group(1))
    elif issue_date:
        year, issue_month = int(issue_date[:4]), int(issue_date[5:7])
        if month > issue_month + 1:  # 12月27日 read in a January issue
            year -= 1
    else:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def venue(text: str, sent: Span) -> Span | None:
    """A place after 在/于 whose clause convenes something (`text`: the doc's)."""
    for ent in ent_index(sent.doc).of(sent):
        if ent.label_ != "Place" or text[ent.start_char - 1: ent.start_char] not in ("在", "于"):
            continue
        end = CLAUSE_END.search(text, ent.end_char)
        if CONVENING.search(text, ent.end_char, end.start() if end else sent.end_char):
            return ent
    return None


def reports(sentence: str, event: str) -> bool:
    """The sentence reports the gathering itself: the event's name, then a verb of convening."""
    at = sentence.find(event)
    return at >= 0 and CONVENING.search(sentence, at + len(event)) is not None


def event_facts(text: str, sentences: list[Span], events: list[str], issue_date: str | None) -> list[EventFact]:
    """For each event: a sentence reporting it ("…推进会在莘县召开") gives venue and date;
    an event named only by the headline takes the article's lead sentence."""
    facts = []
    texts = [text[s.start_char: s.end_char] for s in sentences]  # what s.text gives, built once
    for event in dict.fromkeys(events):
        candidates = [(i, s) for i, s in enumerate(sentences) if reports(texts[i], event)]
        if not candidates and sentences and not any(event in t for t in texts):
            candidates = [(0, sentences[0])]
        place = next(((i, s, v) for i, s in candidates for v in [venue(text, s)] if v is not None), None)
        dated = next(((i, s, d) for i, s in candidates for d in [event_date(texts[i], issue_date)] if d), None)
        if place is None and dated is None:
            continue
        i, sent = (place or dated)[0], (place or dated)[1]
        facts.append(EventFact(event, place[2].text if place else None, dated[2] if dated else None,
                               sent.start_char, sent.end_char, i))
    return facts
