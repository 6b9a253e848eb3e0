"""Attendance: who attended, chaired or spoke at an event.

A person's part is the first verb after the name in its sentence (the verbs and
their roles are data: schemas/relations/attendance_verbs.tsv). Between the name
and the verb may stand:
- more names with their posts, separated by 、 and ， and closed by 等 or 及
  ("县委书记A、县长B，副县长C及有关部门负责人陪同"): a list shares its verb;
- words that lead to the verb without being one (MOVE: "A一行来聊调研",
  "A带领…，赴临清视察"), adverbs ("先后致辞"), places and times ("在主席台就座");
- an occasion "在…上/中/时" ("在致辞中表示": the speech in it counts).
A verb outside the table ends the search (the name does something else: "向A颁发"),
so does a year (a past event: "A2016年到中国参加广交会") or a possessive ("A的讲话").
"在A的带领下/陪同下" puts A there; the object of 会见, 看望 … is there too; 并
joins a second verb ("主持会议并讲话"); 他/她 with a verb is the last person named.

The event is the Event the verb governs ("出席签约仪式", "座谈会上，A介绍"), else
the article's gathering: the event of its first fact that names one, else what its
lead reports as held ("…恳谈会在济南举行", "市委常委会召开会议"), else its first
visit told in short ("刘爱军来聊调研史志工作"), else its headline or lead clause if
that reports a gathering, else a gathering a verb takes as object. REMARK verbs
(指出, 表示 …) give SPOKE to people the article puts at an event by another verb
or an occasion ("在恳谈会上指出", "座谈会上，A代表县委表示欢迎"), and nothing to
anyone else.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from kg.config import load_lines
from kg.models import AttendanceFact
from kg.nlp.tokens import token_bounds
from kg.relations.spans import ent_index

# where a name's search for its verb ends: a sentence's end, a bracket closing round
# the name ("（记者李政哲）"), a caption's colon ("左起："), and 由, whose verb is
# another's ("A、B…开展仪式由C主持")
SENTENCE_END = set("。；！？;!?\n:：由")
LIST_BREAKS = set("；;")
OPENING, CLOSING = set("（("), set("）)")
COMMAS = set("，,")
CLAUSE_END = re.compile(r"[，。；！？,;!?\n]")
# LAC tags of what a list of titled names is made of (nouns, names, numbers, 、 等 及)
LIST_TAGS = {"n", "nr", "nz", "ns", "nt", "nw", "PER", "ORG", "LOC", "TIME", "m", "q", "w", "c", "u", "f", "an", "a",
             "ad", "vn"}
VERB_TAGS = {"v", "vd"}
NOUN_TAGS = {"n", "nz", "nr", "nt", "nw"}
MAX_REACH = 240  # characters from a name to its verb: a long list of titled names
# an occasion between a name and the verb: "在致辞中", "在审议时", "在恳谈会上"
OCCASION = re.compile(r"在[^，。；！？,;!?]{1,30}?(?:上|中|时|期间|之际)")
# "作了题为《…》的专题报告", "作聊城市人民检察院工作报告", "分别作了精彩演讲"
REPORT = re.compile(r"作了?(?:题为)?(?:《[^》]{1,60}》|“[^”]{1,40}”)?的?[^，。；,;《》]{0,20}?(?:报告|演讲|发言|讲话)")
LED = ("的带领下", "的陪同下", "的率领下", "带领下", "陪同下")
YEAR = re.compile(r"\d{4}年")
NOUN_MAKERS = {"重要"}  # 习近平总书记重要讲话
# "与来自省内外高校的青年博士": an origin inside a list of people
ORIGIN = re.compile(r"来自[^，。；,;！？]{1,30}?的")
# "就…进行调研", "对…开展督导", "围绕…进行座谈": a topic, then the verb that carries the visit
TOPIC_MARKERS = {"就", "对", "围绕", "针对"}
TOPIC = re.compile(r"\S{1,4}?[^，。；,;！？]{1,40}?(?:(进行|开展)|(?:工作|情况|问题|事宜)(?=到|赴|来|前往))")
GATHERING_WORD = re.compile(r"会|式|论坛|活动|仪式|典礼")
PRONOUN = re.compile(r"(?:^|(?<=[。；！？;!?\n，,”]))\s*(他|她)(?!们)")  # 他们: not one person
ADDRESS_AFTER_NAME = ("同志", "先生", "女士")


@cache
def verb_table() -> dict[str, tuple[str, ...]]:
    """Role (ATTENDED, CHAIRED, SPOKE, REMARK, MOVE, TRAVEL, HOSTS) -> its words, longest first;
    MOVE holds the TRAVEL words too."""
    table: dict[str, list[str]] = {}
    for line in load_lines("relations/attendance_verbs.tsv"):
        role, _, words = line.partition("\t")
        table.setdefault(role.strip(), []).extend(w.strip() for w in words.split(",") if w.strip())
    table["MOVE"] = [*table.get("MOVE", []), *table.get("TRAVEL", [])]
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in table.items()}


@cache
def verbs() -> tuple[tuple[str, str], ...]:
    """(verb, role) pairs of the roles a person takes, longest verb first."""
    pairs = [(w, role) for role in ("ATTENDED", "CHAIRED", "SPOKE", "REMARK") for w in verb_table().get(role, ())]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def list_words() -> tuple[str, ...]:
    return tuple(sorted(load_lines("relations/list_words.txt"), key=len, reverse=True))


@cache
def _after_name() -> tuple[str, ...]:
    from kg.relations.roles import titles_after_name

    return tuple(sorted((*titles_after_name(), *ADDRESS_AFTER_NAME), key=len, reverse=True))


@dataclass
class Found:
    """A person's part in a sentence: the role, where its evidence ends, and the
    verb's word (to tell visits from other gatherings)."""

    role: str
    end: int
    verb: str
    start: int = -1  # where the predicate begins: its first MOVE word or the verb
    trip: bool = False  # a verb outside the table after a word of travel and its destination


class Reader:
    """One document's tokens, read for the words after each name."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        starts, ends = token_bounds(doc)
        self.starts = starts.tolist()
        self.ends = set(ends.tolist())
        self.ent_end = {}
        for ent in ent_index(doc).ents:
            for t in ent:
                self.ent_end[t.i] = ent.end_char

    def word_at(self, pos: int, words: tuple[str, ...]) -> str | None:
        """The longest of `words` that starts at `pos` and ends where a token does."""
        return next((w for w in words if self.text.startswith(w, pos) and pos + len(w) in self.ends), None)

    def verb_at(self, pos: int) -> tuple[str, str] | None:
        m = REPORT.match(self.text, pos)
        if m:
            return m.group(), "SPOKE"
        return next(((v, role) for v, role in verbs()
                     if self.text.startswith(v, pos) and (pos + len(v) in self.ends or len(v) > 1 and self.verb_token_at(pos))
                     and self.text[pos + len(v): pos + len(v) + 1] not in GROUP_NOUNS), None)

    def verb_token_at(self, pos: int) -> bool:
        """A verb token starts at `pos`: a table verb that starts a longer verb token counts
        (主持会议; one character does not: 说明), and a visit's verb followed by one has
        no object of its own (调研指导工作)."""
        i = self.token_at(pos)
        return i < len(self.doc) and self.starts[i] == pos and self.doc[i].tag_ in ("v", "vn", "vd")

    def token_at(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def skip_after_name(self, pos: int) -> int:
        """Past a title or form of address that follows a name (李长萍书记, 刘成强同志)."""
        word = self.word_at(pos, _after_name())
        return pos + len(word) if word else pos

    def parts_after(self, pos: int, limit: int) -> list[Found]:
        """The roles of the verbs that a name ending at `pos` takes (see the module's doc)."""
        text = self.text
        pos = self.skip_after_name(pos)
        led = next((w for w in LED if text.startswith(w, pos)), None)
        if led:
            return [Found("ATTENDED", pos + len(led), "陪同")]
        if text.startswith("的", pos):
            return []
        start, found, predicate = pos, [], -1
        listlike, moving, depth = True, False, 0
        going = travelled = False  # a word of travel (赴, 到), then its destination
        arrived = -1  # where the destination's name ends
        i = self.token_at(pos)
        while i < len(self.doc) and pos < limit and pos - start <= MAX_REACH:
            token = self.doc[i]
            pos = token.idx
            word = token.text
            if word in LIST_BREAKS and listlike:
                i += 1  # "A，B；C，D等出席": groups of a list apart
                continue
            if word in SENTENCE_END or YEAR.match(word) or (word in CLOSING and depth == 0):
                break
            depth += (word in OPENING) - (word in CLOSING)
            if i in self.ent_end:
                travelled = travelled or going
                arrived = pos = self.ent_end[i]
                i = self.token_at(pos)
                continue
            if word in COMMAS:
                if not (listlike or moving and self._trip_goes_on(i + 1, limit)):
                    break
                i += 1
                continue
            occasion = OCCASION.match(text, pos) if word == "在" else None
            if occasion:
                if text.startswith("的", occasion.end()):
                    break  # "在…上的讲话": a speech referred to
                inside = occasion.group()
                spoke = [Found("SPOKE", occasion.end(), v) for v in verb_table()["SPOKE"] if v in inside][:1]
                # "在恳谈会上指出": at the gathering, so what follows is said there
                found += spoke or ([Found("PRESENT", occasion.end(), "在")] if GATHERING_WORD.search(inside) else [])
                listlike, pos = False, occasion.end()
                i = self.token_at(pos)
                continue
            if word in NOUN_MAKERS:
                break  # "重要讲话": a speech as a thing
            origin = ORIGIN.match(text, pos, limit) if word == "来自" else None
            if origin:  # "与来自省内外高校的青年博士": where they come from, inside the list
                pos = origin.end()
                i = self.token_at(pos)
                continue
            topic = TOPIC.match(text, pos, limit) if word in TOPIC_MARKERS else None
            if topic:  # "就加快…建设进行调查研究": the topic runs to the verb it is done by
                predicate = pos if predicate < 0 else predicate
                pos = topic.end(1) if topic.group(1) else topic.end()  # …进行 | …工作 到我市
                i = self.token_at(pos)
                continue
            verb = self.verb_at(pos)
            if verb is None and word[0] == "人" and i > 0 and self.doc[i - 1].tag_ == "m" and self.verb_at(pos + 1):
                pos += 1  # "70多人参会": LAC reads 人参 (ginseng); the count's 人, then the verb
                verb = self.verb_at(pos)
            # a word ends between tokens: 赴聊 (to our city) is no word in 赴|聊城大学
            move = next((w for w in verb_table()["MOVE"] if text.startswith(w, pos) and pos + len(w) in self.ends),
                        None)
            # the verb right after the destination is the trip's (赴聊城大学对接信息工作)
            trip = verb is None and move is None and travelled and token.tag_ in VERB_TAGS \
                and (pos == arrived or not self._modifies_noun(i))
            if trip:
                verb = word, "ATTENDED"  # "一行赴聊城大学对接…工作": a trip is a visit
            if verb:
                first = Found(verb[1], pos + len(verb[0]), verb[0], pos if predicate < 0 else predicate, trip)
                if text.startswith("时", first.end) and first.verb in VISIT_VERBS:
                    return found  # "到…家走访时，听说…": the circumstance of what follows
                return [*found, *self._joined(first, limit)]
            listed = self.word_at(pos, list_words())
            if move or listed:
                if move and predicate < 0:
                    predicate = pos
                going = going or move in verb_table()["TRAVEL"]
                moving = moving or bool(move)
                listlike = listlike and not move
                pos += len(move or listed)
                i = self.token_at(pos)
                continue
            if token.tag_ in VERB_TAGS:
                if not ((listlike or travelled) and self._modifies_noun(i)):
                    break
            elif token.tag_ not in LIST_TAGS:
                listlike = False
            i += 1
        return found

    def _trip_goes_on(self, i: int, limit: int) -> bool:
        """After a comma in "A带领…，先后深入…，对其运行情况进行督导": the next clause
        goes on with a word of motion or a visit, and names nobody new."""
        if i >= len(self.doc):
            return False
        pos = self.doc[i].idx
        if self.verb_at(pos) or any(self.text.startswith(w, pos) for w in (*verb_table()["MOVE"], *list_words())):
            return True
        end = CLAUSE_END.search(self.text, pos)
        clause = self.text[pos: min(end.start() if end else limit, limit)]
        return any(v in clause for v in VISIT_VERBS) and not ent_index(self.doc).starting_in(pos, pos + len(clause),
                                                                                               "Person")

    def _modifies_noun(self, i: int) -> bool:
        """A verb inside a list's noun phrase: 负责同志, 建设方负责人."""
        return i + 1 < len(self.doc) and self.doc[i + 1].tag_ in NOUN_TAGS

    def _joined(self, first: Found, limit: int) -> list[Found]:
        """The verb found, and those 并 or 、 join to it in the same clause ("主持会议并讲话",
        "出席会议、致辞")."""
        out = [first]
        clause_end = CLAUSE_END.search(self.text, first.end)
        end = min(clause_end.start() if clause_end else len(self.text), limit)
        for m in re.finditer("并|、", self.text[first.end:end]):
            at = first.end + m.end()
            for word in list_words():
                if self.text.startswith(word, at):
                    at += len(word)
                    break
            verb = self.verb_at(at)
            if verb is not None:
                out.append(Found(verb[1], at + len(verb[0]), verb[0]))
        return out

    def hosted(self, sent: Span, people: list[Span]) -> list[tuple[Span, Found]]:
        """The people a host verb takes as its object: "会见了…李强一行"."""
        out = []
        for word in verb_table().get("HOSTS", ()):
            for m in re.finditer(word, self.text[sent.start_char: sent.end_char]):
                at = sent.start_char + m.end()
                clause_end = CLAUSE_END.search(self.text, at)
                end = clause_end.start() if clause_end else sent.end_char
                out += [(p, Found("ATTENDED", p.end_char, word)) for p in people if at <= p.start_char < end]
        return out


@dataclass
class _Part:
    person: Span
    found: Found
    sentence: int
    event: str | None  # named in the clause or sentence
    obj: str | None = None  # the verb's object, when it names a gathering


OBJECT_GAP = 3  # 出席了本次…: an Event further on is in a relative clause ("看望出席…会议归来的代表")
# what follows an Event that is the occasion of a later clause: "签约仪式上，", "会议召开，"
OCCASION_AFTER = re.compile(r"上|中|期间|召开|举行|举办|开幕")


def _named_event(index, text: str, sent: Span, found: Found) -> str | None:
    """The Event the verb governs: one after it in its clause (出席签约仪式; not for
    speech, whose object is what was said), else one the sentence set as its occasion
    before it ("座谈会上，A介绍…")."""
    events = [e for e in index.of(sent) if e.label_ == "Event"]
    clause_end = CLAUSE_END.search(text, found.end)
    end = clause_end.start() if clause_end else sent.end_char
    after = [e for e in events if found.end <= e.start_char <= found.end + OBJECT_GAP and e.start_char < end] \
        if found.role in ("ATTENDED", "CHAIRED") else []
    before = [e for e in events if e.end_char <= found.end and OCCASION_AFTER.match(text, e.end_char)]
    chosen = after or list(reversed(before))
    return chosen[0].text if chosen else None


def _object_event(text: str, found: Found) -> str | None:
    """The verb's object when it names a gathering in three or more characters
    (出席项目启用仪式, 参加座谈会): the gathering of an article that has no other."""
    clause_end = CLAUSE_END.search(text, found.end)
    obj = text[found.end: clause_end.start() if clause_end else len(text)].lstrip("了")
    if found.role in ("ATTENDED", "CHAIRED") and 3 <= len(obj) <= 20 and OBJECT_EVENT.search(obj):
        return obj
    return None


# a verb's object that is a gathering: …启用仪式, …座谈会, …开幕式
OBJECT_EVENT = re.compile(r"(?:会议|大会|[^社机]会|仪式|典礼|论坛|活动|式)$")


def _past(text: str, sent: Span, person: Span, year: int | None) -> bool:
    """A year before the name in its sentence, earlier than the issue's: a past event
    ("2021年10月，…王宇燕到…调研时指出")."""
    return year is not None and any(int(m.group(1)) < year
                                    for m in PAST_YEAR.finditer(text, sent.start_char, person.start_char))


PAST_YEAR = re.compile(r"((?:19|20)\d\d)年")
# a clause that sets the occasion of the next one: "在启动仪式上，", "座谈会上，"
OCCASION_CLAUSE = re.compile(r"(?:(?:会|仪式|典礼|论坛|活动|式)(?:上|期间|结束后)|(?:调研|考察|视察)期间)\s*[，,]\s*$")
MAX_POSTS = 40  # characters of posts between an occasion's comma and the name


def _after_occasion(text: str, sent: Span, person: Span) -> bool:
    """"座谈会上，县委书记A代表我县表示欢迎": A is at the gathering the clause before
    names, whatever A's verb (what A says there is a speech)."""
    comma = max(text.rfind("，", sent.start_char, person.start_char), text.rfind(",", sent.start_char, person.start_char))
    if comma < 0 or person.start_char - comma > MAX_POSTS or CLAUSE_END.search(text, comma + 1, person.start_char):
        return False
    return OCCASION_CLAUSE.search(text, max(sent.start_char, comma - 30), comma + 1) is not None


def attendance_facts(doc: Doc, text: str, sentences: list[Span], title: str,
                     skip: set[tuple[int, int]], date: str | None = None) -> list[AttendanceFact]:
    """Every attendance fact of a document; `skip`: spans of names that are no
    participants (a byline's reporter); `date`: the issue's, to tell past events."""
    index = ent_index(doc)
    reader = Reader(doc, text)
    year = int(date[:4]) if date and date[:4].isdigit() else None
    parts: list[_Part] = []
    last_person: Span | None = None
    for i, sent in enumerate(sentences):
        people = [e for e in index.of(sent) if e.label_ == "Person" and (e.start_char, e.end_char) not in skip]
        # a list that goes on after ； reaches the verb in the next sentence
        limit = sentences[i + 1].end_char if text[sent.end_char - 1] in LIST_BREAKS and i + 1 < len(sentences) \
            else sent.end_char
        found_after = [(p, f) for p in people if not _past(text, sent, p, year)
                       for f in reader.parts_after(p.end_char, limit)]
        found_after += [(p, Found("PRESENT", p.end_char, "上")) for p in people if _after_occasion(text, sent, p)]
        for m in PRONOUN.finditer(text, sent.start_char, sent.end_char):
            before = [p for p in people if p.end_char <= m.start(1)] or ([last_person] if last_person else [])
            if before:
                found_after += [(before[-1], f) for f in reader.parts_after(m.end(1), sent.end_char)]
        found_after += reader.hosted(sent, people)
        parts += [_Part(p, f, i, _named_event(index, text, sent, f), _object_event(text, f)) for p, f in found_after]
        if people:
            last_person = people[-1]
    gathering = _gathering(reader, parts, sentences, title)
    return _settle([AttendanceFact(p.person.text, p.found.role, p.event or gathering, p.person.start_char,
                                   p.found.end, p.sentence)
                    for p in parts if p.event or gathering])


def convened_in(text: str, sent: Span, events: list[Span]) -> str | None:
    """The gathering a sentence reports as held: a named Event followed by a verb of
    convening ("…恳谈会”在济南举行"), else "X召开会议" read as X会议."""
    from kg.relations.events import CONVENING

    for e in events:
        if sent.start_char <= e.start_char < sent.end_char and CONVENING.search(text, e.end_char, sent.end_char):
            sitting = SITTING.match(text, e.end_char, sent.end_char)
            return e.text + sitting.group(1) if sitting else e.text
    m = HELD_MEETING.search(text, sent.start_char, sent.end_char)
    return m.group(1) + m.group(2) if m else None


# "…人大六次会议在…举行第二次全体会议": the session's sitting
SITTING = re.compile(r"[^，。；,;]{0,30}?举行(第[一二三四五六七八九十\d]+次(?:全体会议|大会|会议))")
# "市委常委会召开会议" -> 市委常委会会议; "县政府召开常务会议" -> 县政府常务会议
HELD_MEETING = re.compile(r"([^，。；,;\s\d日讯）)]{2,12}?)(?:召开|举行)了?((?:常务|全体|专题)?会议)")


def _gathering(reader: Reader, parts: list[_Part], sentences: list[Span], title: str) -> str | None:
    """The article's gathering, for facts whose sentence names none: its lead's visit
    (unless the lead names the event a verb governs), else the event of its first
    fact that names one, else the Event its lead reports as held, else its first
    visit or Event, else its headline or lead if that reports a gathering, else the
    first gathering a verb takes as its object."""
    if not sentences:
        return None
    visits = [p for p in parts if p.found.verb in VISIT_VERBS or p.found.trip]
    named = next((p for p in parts if p.event and p.found.role != "REMARK"), None)
    if visits and visits[0].sentence == 0 and not (named and named.sentence == 0):
        # the lead reports a visit: what the party sees later (参观了…展) is part of it
        return visit_description(reader, visits[0].person, visits[0].found)
    if named:
        return named.event
    events = ent_index(sentences[0].doc).labelled("Event")
    convened = convened_in(reader.text, sentences[0], events)
    if convened:
        return convened
    if visits:
        return visit_description(reader, visits[0].person, visits[0].found)
    if events:
        return events[0].text
    if title:
        return title if EVENTISH_TITLE.search(title) else None
    # "考察团一行在X的带领下，来冠县参观考察": the party and its visit, not who led it
    lead = LED_CLAUSE.sub("", LEAD.sub("", sentences[0].text.strip())).rstrip("。！？!?；;")
    # a long lead gives the clause that reports the gathering, not the whole sentence
    clause = next((c for c in CLAUSE_END.split(lead) if EVENTISH_TITLE.search(c)), None) if lead else None
    if clause:
        return _without_long_object(lead if len(lead) <= 30 else clause)
    return next((p.obj for p in parts if p.obj), None)


VISIT_VERBS = {"调研", "视察", "考察", "督导", "督查", "参观", "走访", "看望", "慰问", "现场办公", "调查研究",
               "来访", "会见", "接见", "会晤", "座谈"}
LED_CLAUSE = re.compile(rf"一行|在[^，,。；;]{{1,40}}?(?:{'|'.join(LED)})[，,]?")
NOT_IN_DESCRIPTION = re.compile(r"一行|先后|了|专程|亲自|实地|[，,、]")
GROUP_NOUNS = ("团", "组", "队")  # 考察团, 调研组: a visit's party, no verb
SHORT_OBJECT = 8
LONG_WAY = 10
LONG_TOPIC = 24  # "就乡村振兴片区建设工作进行现场办公": what the visit is about names it


# 到我市, 来我馆, 来本县: the place the paper or the host speaks from
HERE = re.compile(r"[我本该][市县区校馆院所局厂司镇乡村]")


def _destination(doc: Doc, text: str, start: int, end: int) -> str:
    """The first word of travel in text[start:end] and the place or body right after it."""
    index = ent_index(doc)
    for m in re.finditer("|".join(verb_table()["TRAVEL"]), text[start:end]):
        at = to = start + m.end()
        while there := [e for e in index.starting_in(to, to + 1) if e.end_char <= end]:
            to = there[0].end_char  # 聊城市茌平区温陈街道: places in a row
        here = HERE.match(text, at, end) if to == at else None
        return m.group() + (here.group() if here else text[at:to])
    return ""


# "带领市第八网格创城工作组…": the group a person leads names the visit
LED_GROUP = re.compile(r"(?:带领|率领|率)([^，,、；;]{2,14}?(?:组|团|队))")


def visit_description(reader: Reader, person: Span, found: Found) -> str:
    """"刘爱军来聊调研史志工作", "孙晓筠一行来校调研": the name (and 一行), or the group
    the person leads ("李志华带领市第八网格创城工作组来…" -> 市第八网格创城工作组来…); the
    way from the first MOVE word to the verb, cut to the word of travel and the
    destination when long ("马军权到聊城大学…、…生产线进行督导" -> 马军权到聊城大学督导);
    the verb; its object when a short noun phrase; without 了, 先后 and commas."""
    text = reader.text
    verb_start = found.end - len(found.verb)
    start = found.start if found.start >= 0 else verb_start
    group = LED_GROUP.match(text, start, verb_start)
    # "李东、徐梅一行来访": the first name's party
    party = "一行" in text[person.end_char: verb_start]
    subject = group.group(1) if group else person.text + ("一行" if party else "")
    way = NOT_IN_DESCRIPTION.sub("", text[group.end() if group else start: verb_start])
    if len(way) > (LONG_TOPIC if way.startswith(tuple(TOPIC_MARKERS)) else LONG_WAY):
        way = _destination(person.doc, text, start, verb_start)
    verb_end = found.end
    while more := next((v for v in VISIT_VERBS if text.startswith(v, verb_end)), None):
        verb_end += len(more)  # 参观考察, 调研座谈: one visit
    clause_end = CLAUSE_END.search(text, verb_end)
    end = clause_end.start() if clause_end else len(text)
    obj = text[verb_end: end] if end - verb_end <= SHORT_OBJECT and not reader.verb_token_at(verb_end) else ""
    return subject + way + NOT_IN_DESCRIPTION.sub("", text[verb_start:verb_end] + obj)



def _without_long_object(clause: str) -> str:
    """"考察团来我区参观考察新旧动能转换重点项目建设工作" -> "考察团来我区参观考察": a visit
    is named by who goes where, not by a long object."""
    last = max((m.end() for v in VISIT_VERBS for m in re.finditer(v, clause)), default=0)
    return clause[:last] if last and len(clause) - last > SHORT_OBJECT else clause


def _settle(facts: list[AttendanceFact]) -> list[AttendanceFact]:
    """REMARK facts become SPOKE, at the person's first event, for people the article
    puts at an event by another verb or occasion ("在会上指出"), and go otherwise;
    PRESENT facts (the occasion alone) go; one fact per (person, role, event)."""
    present: dict[str, str] = {}
    for f in facts:
        if f.role != "REMARK":
            present.setdefault(f.person, f.event)
    settled, seen = [], set()
    for f in facts:
        if f.role == "PRESENT":
            continue  # "在会上": there, but no part of its own
        if f.role == "REMARK":
            if f.person not in present:
                continue
            f = AttendanceFact(f.person, "SPOKE", present[f.person], f.start, f.end, f.sentence)
        key = (f.person, f.role, f.event)
        if key not in seen:
            seen.add(key)
            settled.append(f)
    return settled


# A headline or lead that reports a gathering (not 发展, 社会, 机会: words, not characters)
EVENTISH_TITLE = re.compile(r"会议|大会|[座推研洽交对发论]\S?会|展览|展会|博览|展销|[摄画影书]展|大赛|比赛|竞赛|"
                            r"[文艺旅化]节|仪式|活动|开工|开幕|召开|举行|举办|签约|论坛|峰会|调研|考察|视察|会见|督导")
# "本报讯（记者 张伟） 12月27日，" before an article's first sentence
LEAD = re.compile(r"^\s*(?:\S{0,6}讯\s*[（(][^）)]*[）)])?\s*(?:\d{1,2}月\d{1,2}日[上中下午晚间]*\s*[，,]?)?")
