"""A learned entity tagger: a character CRF (CRFsuite) over what the rules found.

The rules (kg_lac_ner, kg_domain) propose entities; this component reads each
character with its neighbours, the LAC word and tag it sits in, and the rule
entity over it, and decides the entities anew: it learns from the gold where the
rules' edges hold (an event's whole name, 县委 without the 书记 after it) and
which of their finds are no names. `scripts/train_ner.py` trains it; the weights
ship in the package (kg/nlp/models/), nothing downloads.

    feats = Featurizer()(doc)                                  # feature strings per character
    spans = spans_from_labels(tagger.tag(feats[a:b]), a)        # one sentence's BIO labels -> spans
    apply_spans(doc, [t for s in spans for t in tidy(text, *s)])  # the doc's entities
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.config import load_lines
from kg.errors import ConfigError
from kg.gazetteer import suffix_table
from kg.nlp.tokens import doc_text, token_bounds, token_rows

MODEL_DIR = Path(__file__).with_name("models")
DEFAULT_MODEL = MODEL_DIR / "entities.crfsuite"
SENTENCE_END = re.compile(r"[。！？；!?;\n]")
# How a person is addressed by surname and title; the contract takes no title for a name.
# Not titles.txt: that holds every post (代表, 委员, 记者 …), and with it held out F1 fell by 0.001
ADDRESS_WORDS = ("先生", "女士", "同志", "书记", "省长", "市长", "县长", "区长", "镇长", "院长", "校长", "局长",
                 "主任", "部长", "厂长", "经理", "老师", "教授", "师傅", "大爷", "大娘")
CONVENING = re.compile(r"举行|举办|召开|主持|出席|参加|开展")
HALF_WIDTH = str.maketrans("，：；！？（）", ",:;!?()")
ZONES = ("开发区", "高新区", "经开区", "度假区", "新区", "园区")
CLAUSE_ENDS = set("，。；：！？,;:!?\n")
PUNCT = set("，。、；：！？“”‘’《》（）()【】—…·,.;:!?\"' \n")


@cache
def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "d"
    if "\u4e00" <= ch <= "\u9fff":
        return "h"
    if ch in PUNCT:
        return "p"
    if ch.isascii() and ch.isalpha():
        return "a"
    return "o"


def _positions(start: int, end: int) -> Iterator[tuple[int, str]]:
    for i in range(start, end):
        yield i, "S" if end - start == 1 else "B" if i == start else "E" if i == end - 1 else "I"


class Featurizer:
    """Feature strings for each character of a Doc the rules have read."""

    def __init__(self) -> None:
        self.suffixes = {label: tuple(sorted({s for s, _ in suffix_table(f"gazetteer/{name}")}, key=len, reverse=True))
                         for label, name in (("Organization", "org_suffixes.txt"), ("Place", "place_suffixes.txt"),
                                             ("Event", "event_suffixes.txt"))}
        self.titles = tuple(sorted(set(load_lines("gazetteer/titles.txt")), key=len, reverse=True))

    @staticmethod
    def _word_features(words: list[tuple[int, str, str]], marks: list[list[str]], ti: int, pos: str) -> list[str]:
        """The word's tag and text at this position in it, its endings, and its neighbours at its edges."""
        _, word, tag = words[ti]
        f = [f"t={tag}-{pos}"]
        if len(word) <= 6:
            f.append(f"w={word}")
        if marks[ti]:  # most words have none: no generator made for them
            f += [f"m={m}-{pos}" for m in marks[ti]]
        if pos in ("B", "S"):
            f.append(f"pw={words[ti - 1][1] if ti else '#'}")
            f.append(f"pt={words[ti - 1][2] if ti else '#'}")
            if ti and marks[ti - 1]:
                f += [f"pm={m}" for m in marks[ti - 1]]
        if pos in ("E", "S"):
            last = ti + 1 >= len(words)
            f.append(f"nw={'#' if last else words[ti + 1][1]}")
            f.append(f"nt={'#' if last else words[ti + 1][2]}")
            if not last and marks[ti + 1]:
                f += [f"nm={m}" for m in marks[ti + 1]]
        return f

    def word_marks(self, word: str) -> list[str]:
        """What a word's ending says: an organisation, place or event suffix, or a title."""
        marks = [f"suf{label[:3]}" for label, ends in self.suffixes.items() if word.endswith(ends)]
        if word.endswith(self.titles):
            marks.append("title")
        return marks

    def __call__(self, doc: Doc, text: str | None = None) -> list[list[str]]:
        text = doc_text(doc) if text is None else text
        word_at = self._word_columns(doc, text)
        rule_at, source_at = self._rule_columns(doc, len(text))
        # printed pages use full-width punctuation, web pages half-width: one form for both
        text = text.translate(HALF_WIDTH)
        n = len(text)
        padded = "##" + text + "##"
        before, after = padded[1:n + 1], padded[3:n + 3]
        # built a column at a time (each feature kind over the whole text), then read across
        columns = zip(["c=" + ch for ch in text], ["k=" + _char_class(ch) for ch in text],
                      ["r=" + r for r in rule_at], source_at,
                      ["c-2=" + ch for ch in padded[:n]], ["c-1=" + ch for ch in before],
                      ["c1=" + ch for ch in after], ["c2=" + ch for ch in padded[4:n + 4]],
                      ["b-=" + a + b for a, b in zip(before, text, strict=True)],
                      ["b+=" + a + b for a, b in zip(text, after, strict=True)],
                      [f"r-1={a}|{b}" for a, b in zip(["#", *rule_at[:-1]], rule_at, strict=True)],
                      [f"r+1={a}|{b}" for a, b in zip(rule_at, [*rule_at[1:], "#"], strict=True)],
                      word_at, strict=True)
        return [[c, k, r, s, m2, m1, p1, p2, bm, bp, rm, rp, *w] if s else
                [c, k, r, m2, m1, p1, p2, bm, bp, rm, rp, *w]
                for c, k, r, s, m2, m1, p1, p2, bm, bp, rm, rp, w in columns]

    def _word_columns(self, doc: Doc, text: str) -> list[list[str]]:
        """What the word each character sits in says, per character (the inner characters
        of a word say the same: one list for them all, never changed after)."""
        words = token_rows(doc, text)
        marks = [self.word_marks(w) for _, w, _ in words]
        word_at: list[list[str]] = [[]] * len(text)
        verb = "#"  # the clause's last verb so far: what a name after it is the object of
        for ti, (start, word, tag) in enumerate(words):
            end = start + len(word)
            if end - start == 1:
                word_at[start] = self._word_features(words, marks, ti, "S")
            else:
                word_at[start] = self._word_features(words, marks, ti, "B")
                if end - start > 2:
                    word_at[start + 1:end - 1] = [self._word_features(words, marks, ti, "I")] * (end - start - 2)
                word_at[end - 1] = self._word_features(words, marks, ti, "E")
            word_at[start].append(f"pv={verb}")
            if tag == "w" or word in CLAUSE_ENDS:
                verb = "#"
            elif tag in ("v", "vn") and len(word) <= 4:
                verb = word
        return word_at

    @staticmethod
    def _rule_columns(doc: Doc, n: int) -> tuple[list[str], list[str]]:
        """The rules' entity label over each character (BIES), and the rule that found it."""
        rule_at = ["O"] * n
        source_at = [""] * n
        for ent in doc.ents:
            for i, pos in _positions(ent.start_char, ent.end_char):
                rule_at[i] = f"{pos}-{ent.label_}"
                source_at[i] = f"s={pos}-{ent._.kg_source}"
        return rule_at, source_at


def sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences the CRF reads one at a time."""
    ranges, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.end() > start:
            ranges.append((start, m.end()))
        start = m.end()
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


def spans_from_labels(labels: list[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """BIO labels -> (start, end, label) character spans; an I- with no B- opens a span."""
    spans, start, label = [], None, None
    for i, tag in enumerate([*labels, "O"]):
        kind, _, name = tag.partition("-")
        if start is not None and (kind != "I" or name != label):
            spans.append((offset + start, offset + i, label))
            start = None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, name
    return spans


def labels_from_spans(n: int, spans: list[tuple[int, int, str]]) -> list[str]:
    labels = ["O"] * n
    for start, end, label in spans:
        for i in range(start, end):
            labels[i] = ("B-" if i == start else "I-") + label
    return labels


def cut_tokens(doc: Doc, positions: set[int]) -> None:
    """Split the tokens that run across any of these character positions, so that a
    span starting or ending there is made of whole tokens."""
    if not positions or not len(doc):
        return
    starts, ends = token_bounds(doc)
    marks = np.array(sorted(positions), dtype=np.int64)
    at = np.searchsorted(starts, marks, side="right") - 1  # the token each mark falls in
    safe = at.clip(0)
    inside = (at >= 0) & (marks > starts[safe]) & (marks < ends[safe])
    inner: dict[int, list[int]] = {}
    for i, mark in zip(at[inside].tolist(), marks[inside].tolist(), strict=True):
        inner.setdefault(i, []).append(mark - int(starts[i]))
    if not inner:
        return
    cuts = []
    for i, offsets in inner.items():
        token = doc[i]
        bounds = [0, *offsets, len(token.text)]
        cuts.append((token, [token.text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]))
    with doc.retokenize() as retokenizer:
        for token, parts in cuts:
            retokenizer.split(token, parts, heads=[(token, 0)] * len(parts),
                              attrs={"TAG": [token.tag_] * len(parts)})


@Language.factory("kg_learned_ner", default_config={"model": ""})
def make_learned_ner(nlp: Language, name: str, model: str) -> LearnedNer:
    return LearnedNer(model)


class LearnedNer:
    """Decides the entities with the trained CRF; the rules' spans are its evidence.

    `model` is a path to a CRFsuite file ("" for the one in the package; the
    environment variable KG_NER_MODEL names another, e.g. one trained without a
    gold set, and KG_NER_MODEL=none turns the component off)."""

    def __init__(self, model: str = "") -> None:
        chosen = os.environ.get("KG_NER_MODEL") or model or str(DEFAULT_MODEL)
        self.tagger = None
        if chosen != "none":
            import pycrfsuite

            if not Path(chosen).is_file():
                raise ConfigError(f"the entity model {chosen} is missing: train it with scripts/train_ner.py")
            self.tagger = pycrfsuite.Tagger()
            self.tagger.open(chosen)
        self.featurize = Featurizer()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if self.tagger is None or not text:
            return doc
        feats = self.featurize(doc, text)
        found = []
        for start, end in sentences(text):
            found += spans_from_labels(self.tagger.tag(feats[start:end]), start)
        apply_spans(doc, [t for span in found for t in tidy(text, *span)])
        return doc


def tidy(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """A span as a name reads: its quotes and brackets balanced (a closing quote takes
    the span back to its opening one: “我心中的季羡林”征文活动), and an event cut where a
    verb of convening stands inside it (…论坛举行开幕式, …市场举办…大会): each side of
    four or more characters is kept. A surname with a title (张书记) is no person."""
    span = text[start:end]
    if span.count("“") > span.count("”") and span.startswith("“"):
        start, span = start + 1, span[1:]
    if span.count("”") > span.count("“"):
        opener = text.rfind("“", max(0, start - 20), start)
        if opener < 0:
            return []
        start, span = opener, text[opener:end]
    for a, b in (("(", ")"), ("（", "）"), ("《", "》")):
        if span.count(a) != span.count(b):
            return []
    if label == "Person" and span.endswith(ADDRESS_WORDS):
        return []  # 张书记, 林先生: a title, no name
    if label == "Event":
        m = CONVENING.search(span)
        if m:
            left, right = (start, start + m.start()), (start + m.end(), end)
            return [(a, b, label) for a, b in (left, right) if b - a >= 4]
    return [(start, end, label)] if span.strip() else []


def _whole_person(span: tuple[int, int, str], rules: dict) -> tuple[int, int, str]:
    """A person the tagger cut short (林乃 for 林乃相) where the rules read the whole name."""
    start, end, label = span
    if label == "Person":
        longer = [b for a, b, lab in rules if lab == "Person" and a == start and end < b <= end + 2]
        if longer:
            return start, max(longer), label
    return span


def _known_places(text: str, found: list[tuple[int, int, str]],
                  known: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Places the gazetteer knows keep their edges: a tagger's place that runs two of
    them together (山东聊城) or one into the words after it (临清为中心, 山东省西部)
    is cut back to them."""
    out = []
    for start, end, label in found:
        inside = [(a, b) for a, b in known if start <= a and b <= end] if label == "Place" else []
        if inside and (start, end) not in inside and inside[0][0] == start \
                and not text.endswith(ZONES, start, end):  # 高唐开发区: a zone named by its county
            out += [(a, b, label) for a, b in inside]
        else:
            out.append((start, end, label))
    return sorted(out)


def apply_spans(doc: Doc, found: list[tuple[int, int, str]]) -> None:
    """Make `found` the doc's entities; a span the rules had keeps their source and
    kind, the people a byline names stay whatever the model says."""
    from kg.nlp.components import org_kind

    kept = {(e.start_char, e.end_char, e.label_): e for e in doc.ents}
    found = [_whole_person(span, kept) for span in found]
    found = _known_places(doc_text(doc), found, [(e.start_char, e.end_char) for e in doc.ents
                                  if e.label_ == "Place" and e._.kg_source == "gazetteer"])
    bylines = [(e.start_char, e.end_char) for e in doc.ents if e._.kg_source == "byline"]
    found = [s for s in found if not any(a < s[1] and s[0] < b for a, b in bylines)]
    found += [(a, b, "Person") for a, b in bylines]
    old = {k: (e._.kg_source, e._.kg_kind) for k, e in kept.items()}
    doc.ents = []
    cut_tokens(doc, {p for a, b, _ in found for p in (a, b)})
    spans = []
    for start, end, label in found:
        span = doc.char_span(start, end, label=label)
        if span is None or not span.text.strip():
            continue
        source, kind = old.get((start, end, label), ("learned", None))
        span._.kg_source = source
        span._.kg_kind = kind if kind is not None else (org_kind(span.text) if label == "Organization" else None)
        spans.append(span)
    doc.ents = filter_spans(spans)
