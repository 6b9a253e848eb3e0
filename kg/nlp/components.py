"""spaCy components of the kg pipeline, registered with @Language.factory.

kg_lac_ner      LAC's PER/ORG/LOC tags -> Person/Organization/Place entities
kg_domain       domain knowledge from schemas/: gazetteer places and organisations,
                the paper profile's short forms (市委, 本报 …), organisation names
                built from LAC words ending in an organisation suffix (…局, …集团),
                and event names ending in an event suffix (…博览会, …会议)

Every entity span carries `span._.kg_source` (which rule found it) and
`span._.kg_kind` (company, government, other for organisations).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg import gazetteer
from kg.config import load_lines
from kg.gazetteer import suffix_table
from kg.nlp.tokens import doc_text, know_tags, token_rows

LAC_LABELS = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
# Tags of words that may stand inside an organisation or event name.
NAME_TAGS = {"LOC", "ORG", "n", "nz", "vn", "j", "nw", "an", "s"}
NAME_PUNCT = set("（）()“”—·")
NAME_JOINERS = {"和", "暨", "与"}
# Words ending in 局/厅/中心 that are no organisation.
NOT_ORG_WORDS = {"格局", "布局", "大局", "开局", "结局", "全局", "当局", "新格局", "客厅", "大厅", "餐厅",
                 "展厅", "中心", "公司", "集团", "银行", "政府", "学校", "医院", "委员会", "办公室", "工作室"}
# Words that end a name when reading leftwards from its suffix.
STOP_WORDS = {"该", "各", "全", "本", "我", "其", "主持", "召开", "举行", "举办", "出席", "参加", "组织", "参观",
              "会见", "参会", "列席", "讲话", "在", "到", "从", "由", "与会", "企业", "有关", "相关", "目前",
              "近期", "如今", "一个", "一场", "我市", "本报"} | {"任", "现任", "担任", "时任", "曾任", "联合", "会同"}
# Verbs LAC may glue to the front of a name ("联合人民银行…支行", "任拉萨市…"); the
# one-character ones only before a jurisdiction, where they cannot begin the name.
VERB_PREFIXES = ("联合", "会同", "协同", "担任", "现任", "时任", "曾任", "携手", "联手", "依托", "配合")
VERB_CHARS = tuple("任在由到赴向与和及从对被经为")
# A name does not end in these: 李云龙式 (style), 周公河 (a river).
NOT_NAME_ENDINGS = set("式河湖山路街村镇县市省区")
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def _ensure_extensions() -> None:
    for name, default in (("kg_source", None), ("kg_kind", None)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Doc.has_extension("kg_article_id"):
        Doc.set_extension("kg_article_id", default=None)


def org_kind(name: str) -> str:
    """company, government or other, from the name's last word."""
    for suffix, kind in suffix_table("gazetteer/org_suffixes.txt"):
        if name.endswith(suffix):
            return kind
    if re.search(r"(中共|党委|党组|政府|人大|政协|委$|局$|厅$|部$)", name):
        return "government"
    return "other"


@Language.factory("kg_lac_ner")
def make_lac_ner(nlp: Language, name: str) -> LacNer:
    return LacNer()


class LacNer:
    """Entities from the LAC tags the tokenizer stored in token.tag_. A doc another
    tokenizer made (spaCy's pkuseg) is tagged here first: LAC runs on its text and
    each token takes the tag of the LAC word it starts in."""

    def __init__(self) -> None:
        _ensure_extensions()

    def pipe(self, docs, batch_size: int = 64):
        from kg.nlp.lac import chunked

        for batch in chunked(docs, batch_size):
            yield from self._tag_and_find(batch)

    def __call__(self, doc: Doc) -> Doc:
        return self._tag_and_find([doc])[0]

    def _tag_and_find(self, docs: list[Doc]) -> list[Doc]:
        untagged = [d for d in docs if not d.user_data.get("kg_lac_tagged")]
        if untagged:
            from kg.nlp.lac import shared_model

            for doc, words in zip(untagged, shared_model().analyse([d.text for d in untagged]), strict=True):
                tag_from_words(doc, words)
        return [self._find(doc) for doc in docs]

    def _find(self, doc: Doc) -> Doc:
        spans = []
        for i, (_, word, tag) in enumerate(token_rows(doc)):
            label = LAC_LABELS.get(tag)
            if label and _plausible(word, label):
                spans.append(Span(doc, i, i + 1, label=label))
        doc.ents = filter_spans(list(doc.ents) + spans)
        for span in doc.ents:
            if span._.kg_source is None:
                span._.kg_source = "lac"
                if span.label_ == "Organization":
                    span._.kg_kind = org_kind(span.text)
        return doc


def tag_from_words(doc: Doc, words) -> None:
    """LAC's tags onto another segmentation's tokens: each token takes the tag of the
    LAC word it starts in, and the tokens a LAC name covers become one token with
    the name's tag (a name is never cut)."""
    k = 0
    for token in doc:
        while k + 1 < len(words) and words[k].end <= token.idx:
            k += 1
        token.tag_ = words[k].tag if words else "x"
    names = [(span, w.tag) for w in words if w.tag in LAC_LABELS
             for span in [doc.char_span(w.start, w.end, alignment_mode="expand")] if span is not None]
    kept = {(s.start, s.end) for s in filter_spans([span for span, _ in names])}
    know_tags(doc, (tag for _, tag in names))
    with doc.retokenize() as retokenizer:
        for span, tag in names:
            if (span.start, span.end) not in kept:
                continue
            if len(span) > 1:
                retokenizer.merge(span, attrs={"TAG": tag})
            else:
                span[0].tag_ = tag
    doc.user_data["kg_lac_tagged"] = True


def _plausible(text: str, label: str) -> bool:
    if label == "Person":
        return bool(_PERSON_NAME.match(text))
    return len(text) >= 2


@Language.factory("kg_domain", default_config={"profile": "profiles/liaocheng.json"})
def make_domain(nlp: Language, name: str, profile: str) -> DomainRules:
    return DomainRules(profile)


@dataclass
class NameRule:
    """How names of one type are read leftwards from their last word."""

    label: str
    suffixes: list[tuple[str, str]]  # (suffix, kind), longest first
    max_chars: int
    joiners: frozenset[str]
    needs_proper_noun: frozenset[str]  # suffixes that need a proper noun in the name

    def __post_init__(self) -> None:
        # suffixes by their last character: a word is compared only with those that can end it
        self.by_last_char: dict[str, list[tuple[str, str]]] = {}
        for suffix, kind in self.suffixes:
            self.by_last_char.setdefault(suffix[-1], []).append((suffix, kind))

    def ending(self, word: str) -> list[tuple[str, str]]:
        """The suffixes that may end `word`, longest first."""
        return self.by_last_char.get(word[-1], []) if word else []


UNIT_IN_WORD = re.compile(r"^(.{2,6}?(?:街道|镇|乡))(.{1,4}(?:村|社区))$")
WHOLE_AREA = {"全市", "全省", "全县", "全区", "全国"}
SITE_ENDINGS = tuple("园城馆场街湖河山寺桥站")
ZONE_SHORT_FORMS = {"开发区", "高新区", "度假区", "经开区", "保税区"}
JURISDICTION = re.compile(r"^(中共|中国|全国|国家|省|市|县|区|乡|镇|山东|聊城)")
PLACE_AS_MODIFIER = ("式", "特色", "之治", "梦", "方案", "智慧")
# A list of names closed by 等 (+ a count) and the kind of thing they are.
ENUMERATED_KINDS = {"企业": "Organization", "公司": "Organization", "园区": "Place", "景区": "Place"}
ENUMERATION = re.compile(r"(?P<items>(?:[^、，。；：,;:\s]{2,14}、)+[^、，。；：,;:\s]{2,14})等"
                         r"(?:[\d一二三四五六七八九十百余多几]+[家个所])?(?P<head>企业|公司|园区|景区)(?!项目)")
CLAUSE_TAGS = {"v", "vd", "p", "d", "u", "c", "r"}
ITEM = re.compile(r"^[\u4e00-\u9fff]{2,10}$")
# Endings of roads, waters and landforms that LAC's place names may have
PLACE_FEATURES = tuple("路街巷桥港湾岛山河湖海江洲") + ("半岛", "大道")
HAN_NUMBER = re.compile(r"^[一二三四五六七八九十百千万亿两]+$")
ADMIN_UNITS = ("省", "市", "县", "区", "镇", "乡", "村", "街道")
ORDINAL = re.compile(r"^(第[一二三四五六七八九十百\d]+[届次]|首届|\d{4}(年度?)?|[一二三四五六七八九十]+[届次])$")
PROPER_TAGS = {"LOC", "ORG", "PER", "nz", "nw"}
TITLE_AFTER_PERSON = ("同志", "总书记", "主席", "书记", "先生", "教授", "大师")
EVENT_YEAR = re.compile(r"(19|20)\d\d(年度?)?")
EVENT_WORDS = {"企业"}
# What follows a region's name: a company's short form (鲁西 for 鲁西集团) is not meant there
REGION_WORDS = ("大地", "平原", "大平原", "地区", "一带", "最", "经济开发区")


class DomainRules:
    """Gazetteer, paper-profile short forms, and organisation, place and event
    names read from their last word (…局, …集团; …街道, …纪念馆; …博览会).

    Data comes from schemas/ (general knowledge only) and is read when the
    component is built; the spans found here win over LAC's where they are
    longer (spaCy's filter_spans)."""

    DATA_FILE = "domain.json"

    def __init__(self, profile: str) -> None:
        _ensure_extensions()
        self.profile = profile
        self.data: dict | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Read the component's data from schemas/ (gazetteers, suffixes, titles, the profile)."""
        entries = gazetteer.entries(self.profile)
        self._use({
            "phrases": {**{f: ["Organization", "government"] for f in load_lines("gazetteer/local_bodies.txt")},
                        **{f: [e.type, e.kind] for e in entries for f in e.forms}},
            "short_places": sorted({f for e in entries if e.type == "Place" for f in e.forms[1:]}),
            "titles": list(load_lines("gazetteer/titles.txt")),
            "surnames": sorted({s for line in load_lines("gazetteer/surnames.txt") for s in line.split()}),
            "not_entities": list(load_lines("gazetteer/not_entities.txt")),
            "event_patterns": list(load_lines("gazetteer/event_patterns.txt")),
            "suffixes": {label: [list(row) for row in suffix_table(f"gazetteer/{name}")]
                         for label, name in (("Organization", "org_suffixes.txt"),
                                             ("Place", "place_suffixes.txt"), ("Event", "event_suffixes.txt"))},
        })

    def to_disk(self, path, *, exclude=()) -> None:
        """The data the rules use travels with the pipeline: spacy.load() needs no schemas/."""
        if self.data is None:
            self.initialize()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / self.DATA_FILE).write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> DomainRules:
        self._use(json.loads((Path(path) / self.DATA_FILE).read_text(encoding="utf-8")))
        return self

    def _use(self, data: dict) -> None:
        self.data = data
        self.phrases = {f: tuple(v) for f, v in data["phrases"].items()}  # surface form -> (type, kind)
        alternation = "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
        self.phrase_re = re.compile(alternation)
        self.titles = set(data["titles"])
        self.title_endings = tuple(self.titles)
        self.short_places = set(data["short_places"])
        self.surnames = set(data["surnames"])
        self.not_entities = set(data["not_entities"])
        self.event_patterns = [re.compile(p) for p in data["event_patterns"]]
        suffixes = {label: [tuple(row) for row in rows] for label, rows in data["suffixes"].items()}
        self.org_suffix_words = {s for s, _ in suffixes["Organization"]}
        self.rules = [
            NameRule("Organization", suffixes["Organization"], 25, frozenset({"和", "与", "驻"}), frozenset()),
            NameRule("Place", suffixes["Place"], 20, frozenset(), frozenset({"*"})),
            NameRule("Event", suffixes["Event"], 45, frozenset({"和", "暨", "与"}),
                     frozenset({"活动", "展览", "仪式", "典礼", "大集"})),
        ]

    def __call__(self, doc: Doc) -> Doc:
        if self.data is None:  # built by add_pipe or from a config, never initialised
            self.initialize()
        self._split_tokens(doc)
        text = doc_text(doc)  # read once, passed on
        words = [word for _, word, _ in token_rows(doc, text)]
        found: list[Span] = self._people_after_titles(doc, words)
        found += self._gazetteer(doc, text)
        found += self._patterns(doc, text)
        found += self._place_with_short_prefix(doc)
        for rule in self.rules:
            found += self._names_by_suffix(doc, text, words, rule)
        found += self._enumerated(doc, text, found)
        # A two-character place LAC alone proposes, that no gazetteer knows, is too
        # often a common word (大兴, 港澳 as in 港澳台): kept only with a unit (…县).
        kept = [e for e in doc.ents if e.text not in self.not_entities
                and not (e.label_ == "Place" and e._.kg_source == "lac" and not self._place_like(e.text))
                and (e.label_ != "Person" or self.plausible_name(e.text))
                and not (e.label_ != "Person" and len(e.text) <= 2 and e.text[0] in "市省县区")]
        doc.ents = [e for e in filter_spans(found + kept) if not self._mention_in_name(text, e)]
        return doc

    def _place_like(self, name: str) -> bool:
        """A place LAC alone proposes is kept when a gazetteer knows it or it ends like
        a place (…街, …路, …半岛): 团结协作, 恒温库 and two-character words such as 大兴
        and 港澳 (in 港澳台) are too often common words."""
        return name in self.phrases or (len(name) > 2 and (
            any(name.endswith(s) for s, _ in self.rules[1].ending(name)) or name.endswith(PLACE_FEATURES)))

    @staticmethod
    def _mention_in_name(text: str, ent: Span) -> bool:
        """No place or body is mentioned inside a document's title (《聊城市…办法》),
        nor is 中国 a place in 中国式现代化, 中国特色, 中国之治."""
        if ent.label_ in ("Place", "Organization"):
            before = text[max(0, ent.start_char - 30): ent.start_char]
            if before.rfind("《") > before.rfind("》"):
                return True
        if ent.label_ == "Place" and ent._.kg_source in ("lac", "suffix") and \
                text[ent.start_char - 1: ent.start_char] == "“" and text[ent.end_char: ent.end_char + 1] == "”":
            return True  # “连心桥”, “三桥两路”: a figure of speech or a project's nickname
        return ent.label_ == "Place" and text[ent.end_char: ent.end_char + 2].startswith(PLACE_AS_MODIFIER)

    def plausible_name(self, text: str) -> bool:
        """A personal name: a known surname, then one or two characters; not a
        reduplication (月月), not a title (孔书记), not a name + 式/河 (李云龙式)."""
        if not _PERSON_NAME.match(text) or (len(text) == 2 and text[0] == text[1]):
            return False
        given = text[2:] if text[:2] in self.surnames else text[1:] if text[0] in self.surnames else None
        if not given or len(given) > 2:
            return False
        return not any(text.endswith(t) for t in self.titles) and text[-1] not in NOT_NAME_ENDINGS

    def _people_after_titles(self, doc: Doc, words: list[str]) -> list[Span]:
        """The title grammar: a name right after a post and before a verb or a
        stop ("局长盛强表示", "党支部书记成立锋说"), where LAC saw no person.
        `words`: the doc's token texts."""
        spans = []
        titles = tuple(self.titles)
        for i, word in enumerate(words):
            if not word.endswith(titles) or i + 1 >= len(doc):
                continue
            token = doc[i]
            for width in (1, 2):
                end = token.i + 1 + width
                if end >= len(doc):
                    break
                cand = doc[token.i + 1: end]
                nxt = doc[end]
                if any(t.tag_ in LAC_LABELS for t in cand) or not self.plausible_name(cand.text) or \
                        cand.text in self.not_entities:
                    continue
                if nxt.tag_ in ("v", "w", "c", "p") or nxt.text in ("、", "，", "等"):
                    span = Span(doc, cand.start, cand.end, label="Person")
                    span._.kg_source = "title"
                    spans.append(span)
                    break
        return spans

    def _span(self, doc: Doc, start: int, end: int, label: str, source: str, kind: str | None) -> Span | None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or span.start_char != start or span.end_char != end:
            return None  # LAC cut a word across the name's edge: no clean span
        span._.kg_source = source
        span._.kg_kind = kind
        return span

    def _split_tokens(self, doc: Doc) -> None:
        """Split a LAC word where a known name ends inside it: "市委书记" -> 市委 +
        书记, "党中央国务院" -> 党中央 + 国务院. A word LAC tagged as a name is
        split only into known pieces, so 山东聊粮食品有限公司 stays whole."""
        cuts, glued = [], []
        for token in doc:
            text = token.text
            verb = self._verb_prefix(text) if token.tag_ in ("ORG", "LOC") else None
            if verb:
                cuts.append((token, [verb, text[len(verb):]], ["v", token.tag_]))
                continue
            if token.tag_ == "c" and len(text) > 2 and text[0] in NAME_JOINERS:
                # 商务|和投资促进|局: LAC glued the joiner to the next name's words
                cuts.append((token, [text[0], text[1:]], ["c", "n"]))
                continue
            title = self._glued_title(text) if token.tag_ in ("ORG", "LOC", "n", "nz") else None
            if title:  # 高唐县委|书记, 东昌府区委|书记: a post is no part of the body's name
                cuts.append((token, [text[: -len(title)], title], ["ORG", "n"]))
                glued.append((token.idx, token.idx + len(text) - len(title)))
                continue
            unit = UNIT_IN_WORD.match(text) if token.tag_ == "LOC" else None
            if unit:  # 烟庄街道王村: a town and a village in one word
                cuts.append((token, [unit.group(1), unit.group(2)], [token.tag_, token.tag_]))
                continue
            for cut in range(2, len(text) - 1):
                head, rest = text[:cut], text[cut:]
                if head not in self.phrases:
                    continue
                known_rest = rest in self.titles or rest in self.phrases
                # 党中央|新冠: a known body, then words that name no part of it
                loose_rest = self.phrases[head][0] == "Organization" and len(rest) >= 2 and \
                    self._suffix(rest, self.rules[0]) is None
                if known_rest or loose_rest or (token.tag_ not in LAC_LABELS and len(rest) >= 2
                                                and not rest[0].isdigit()):
                    cuts.append((token, [head, rest], [token.tag_, "n"]))
                    break
        if not cuts:
            return
        split_at = {(t.idx, t.idx + len(t.text)) for t, _, _ in cuts}
        # an entity LAC gave the whole word no longer holds: the pieces are read again
        doc.ents = [e for e in doc.ents if (e.start_char, e.end_char) not in split_at]
        know_tags(doc, (tag for _, _, tags in cuts for tag in tags))
        with doc.retokenize() as retokenizer:
            for token, parts, tags in cuts:
                retokenizer.split(token, parts, heads=[(token, 1), (token, 1)], attrs={"TAG": tags})
        bodies = [s for s in (doc.char_span(a, b, label="Organization") for a, b in glued) if s is not None]
        for span in bodies:  # the body a post was cut from is a name of its own
            span._.kg_source, span._.kg_kind = "lac", org_kind(span.text)
        if bodies:
            doc.ents = filter_spans(list(doc.ents) + bodies)

    def _glued_title(self, word: str) -> str | None:
        """The post a body's name runs into within one word, if the front names a body."""
        if word in self.titles or not word.endswith(self.title_endings):
            return None  # (most words end in no title: one C-level test before the loop)
        for title in sorted((t for t in self.titles if word.endswith(t)), key=len, reverse=True):
            head = word[: -len(title)]
            if len(head) >= 3 and (head in self.phrases or head.endswith("委")
                                   or self._suffix(head, self.rules[0]) is not None):
                return title
        return None

    def _verb_prefix(self, word: str) -> str | None:
        """The verb a name-tagged word begins with, if the rest is a name on its own."""
        for verb in VERB_PREFIXES:
            if word.startswith(verb) and self._whole_name(word[len(verb):]):
                return verb
        if word.startswith(VERB_CHARS) and JURISDICTION.match(word[1:]) and self._whole_name(word[1:]):
            return word[0]
        return None

    def _whole_name(self, rest: str) -> bool:
        return len(rest) >= 3 and (self._suffix(rest, self.rules[0]) is not None or rest in self.phrases)

    def _enumerated(self, doc: Doc, text: str, found: list[Span]) -> list[Span]:
        """"魏氏熏鸡、正信味业、万家烧鸡等25家企业": the items of a list that ends in
        等 + a kind of body or site are bodies or sites. The first item counts only
        where the list opens a clause: in "建设了中医药大健康、…" it has no edge."""
        taken = {(e.start_char, e.end_char): e.label_ for e in list(doc.ents) + found}
        spans = []
        for m in ENUMERATION.finditer(text):
            label = ENUMERATED_KINDS[m.group("head")]
            pos = m.start()
            for k, item in enumerate(m.group("items").split("、")):
                start, end = pos, pos + len(item)
                pos = end + 1
                opens_clause = start == 0 or text[start - 1] in "，。；：,;:\n“"
                if (k == 0 and not opens_clause) or (start, end) in taken or not ITEM.match(item):
                    continue
                span = self._span(doc, start, end, label, "list", org_kind(item) if label == "Organization" else None)
                if span is None or self.plausible_name(item):
                    continue
                if k == 0 and any(t.tag_ in CLAUSE_TAGS for t in span):
                    continue  # 支持希杰集团: the clause's verb, not the name, opens the list
                spans.append(span)
        return spans

    def _gazetteer(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for m in self.phrase_re.finditer(text):
            label, kind = self.phrases[m.group(0)]
            if label == "Organization" and len(m.group(0)) <= 2 and text.startswith(REGION_WORDS, m.end()):
                continue  # 鲁西大地, 鲁西平原: the region, not the company named after it
            span = self._span(doc, m.start(), m.end(), label, "gazetteer", kind)
            if span is not None:
                spans.append(span)
        return spans

    def _place_with_short_prefix(self, doc: Doc) -> list[Span]:
        """"临清东苑园", "聊城古城": a city's short form and a place LAC found right after it."""
        spans = []
        for token in doc[:-1]:
            nxt = doc[token.i + 1]
            if token.text in self.short_places and nxt.tag_ == "LOC" and nxt.text not in self.phrases \
                    and nxt.text.endswith(SITE_ENDINGS):
                span = Span(doc, token.i, token.i + 2, label="Place")
                span._.kg_source = "gazetteer"
                spans.append(span)
        return spans

    def _patterns(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for pattern in self.event_patterns:
            for m in pattern.finditer(text):
                span = self._span(doc, m.start(), m.end(), "Event", "pattern", None)
                if span is not None:
                    spans.append(span)
        return spans

    def _names_by_suffix(self, doc: Doc, text: str, words: list[str], rule: NameRule) -> list[Span]:
        spans = []
        for i, word in enumerate(words):
            # most words end in no suffix: tested on the plain string before a Token is made
            if word in self.not_entities or not rule.ending(word):
                continue
            token = doc[i]
            found = self._suffix_at(doc, text, token, rule)
            if found is None:
                continue
            suffix, head = found  # the suffix may span words: 孔繁森精神|教学|基地
            if rule.label == "Place" and token.text == suffix and len(suffix) == 1:
                # a bare 市/县/村 word names a place only right after a proper noun: 墨竹|县, not 强|市
                if head == 0 or doc[head - 1].tag_ not in ("LOC", "nz", "j") or \
                        doc[head - 1].text.endswith(ADMIN_UNITS):
                    continue
                start = head - 1
            else:
                start = self._extend_left(doc, head, rule, suffix)
                if rule.label == "Event":
                    start = self._whole_clause(doc, start, head)
            if rule.label == "Place":  # a place name starts with a proper noun: not 部分市直部门和县
                while start < head and not self._proper(doc[start]):
                    start += 1
            span = doc[start: token.i + 1]
            if not self._acceptable(span, rule, suffix):
                continue
            span = Span(doc, span.start, span.end, label=rule.label)
            span._.kg_source = "suffix"
            span._.kg_kind = org_kind(span.text) if rule.label == "Organization" else None
            spans.append(span)
        return spans

    def _suffix(self, word: str, rule: NameRule, tag: str = "LOC") -> str | None:
        if rule.label == "Organization" and word in NOT_ORG_WORDS and word not in self.org_suffix_words:
            return None  # 格局, 大厅: words that only look like a suffix
        suffix = next((s for s, _ in rule.ending(word) if word.endswith(s)), None)
        if rule.label == "Place" and suffix and len(suffix) == 1 and word != suffix and tag != "LOC":
            return None  # 下乡, 城市, 乡村: a one-character unit ends a place only in a word tagged as one
        return suffix

    def _suffix_at(self, doc: Doc, text: str, token, rule: NameRule) -> tuple[str, int] | None:
        """The suffix ending at `token` and the index of the word it starts in."""
        suffix = self._suffix(token.text, rule, token.tag_)
        if suffix is not None:
            return suffix, token.i
        end = token.idx + len(token.text)
        for s, _ in rule.ending(token.text):
            if len(s) > len(token.text) and text.endswith(s, 0, end):
                head = doc.char_span(end - len(s), end)
                if head is not None:
                    return s, head.start
        return None

    def _extend_left(self, doc: Doc, end: int, rule: NameRule, suffix: str) -> int:
        start = end
        while start > 0:
            prev = doc[start - 1]
            if doc[start].idx + len(doc[end].text) + (doc[end].idx - doc[start].idx) - prev.idx > rule.max_chars:
                break
            if prev.text in "”」》" and rule.label != "Place":
                opener = self._quote_start(doc, start - 1)
                if opener is None:
                    break
                if rule.label == "Organization":
                    # “自然先锋”青年突击队: a quoted part may open an organisation's name,
                    # when the quote starts a clause (not: 整治“蝇贪”茌平区纪委监委)
                    if opener == 0 or doc[opener - 1].text in "，。；：、,;:！？\n（(":
                        start = opener
                    break
                start = opener
                continue
            if not self._may_extend(prev, doc[start], rule, suffix):
                break
            start -= 1
        while start < end and (doc[start].text in rule.joiners or doc[start].text in "）)”—、"):
            start += 1
        return start

    def _whole_clause(self, doc: Doc, start: int, head: int) -> int:
        """Meetings of the whole city are named by a clause: "全市学习贯彻…座谈会重要讲话
        精神专题会议". Reach back to 全市/全省/… when the clause has no other verb of convening."""
        j = start
        while j > 0 and doc[j - 1].text not in "，。；：,;:！？“”\n" and doc[j - 1].tag_ != "TIME":
            j -= 1
            spoken_words = doc[j].text == "讲话" and j + 1 < len(doc) and doc[j + 1].text == "精神"
            if (doc[j].text in STOP_WORDS and not spoken_words) or doc[head].idx - doc[j].idx > 45:
                return start  # (…重要讲话精神… is a noun phrase, no verb of convening)
        return j if doc[j].text in WHOLE_AREA else start

    @staticmethod
    def _quote_start(doc: Doc, close: int) -> int | None:
        """The token of the opening quote that matches the closing one at `close`."""
        pairs = {"”": "“", "」": "「", "》": "《"}
        opener = pairs[doc[close].text]
        for j in range(close - 1, max(-1, close - 20), -1):
            if doc[j].text == opener:
                return j
            if doc[j].text in "。！？；":
                return None
        return None

    def _may_extend(self, token, after, rule: NameRule, suffix: str) -> bool:
        if rule.label == "Event" and token.text == "精神":
            return False  # 学习…全会精神和…会议: the spirit of one meeting ends the other's name
        if token.text in rule.joiners:
            if rule.label == "Event" and token.text == "暨":
                return True  # A暨B is one event with two names
            if rule.label == "Event" and token.i > 0 and self._party(token.nbor(-1)) and self._party(after):
                return True  # 山东重工集团与聊城市人民政府…签约仪式: the parties name the signing
            # 商务和投资促进局 is one name (a department joins its fields with 和);
            # 中通客车和鲁西集团, 通盛汽车和端子电器 are two.
            before = token.nbor(-1) if token.i > 0 else None
            one_department = rule.label == "Organization" and dict(rule.suffixes).get(suffix) == "government"
            return before is not None and before.tag_ != "PER" and (before.tag_ != "ORG" or one_department) and \
                self._suffix(before.text, rule) is None and before.text not in self.phrases
        if token.text in NAME_PUNCT:
            return token.text not in "“”《》" or rule.label != "Place"
        if token.tag_ == "PER":
            # 江泽民同志追悼大会, 赵健民故居: a person in an event or a site's name
            return rule.label == "Place" or after.text.startswith(TITLE_AFTER_PERSON)
        if rule.label == "Event" and token.tag_ == "TIME" and EVENT_YEAR.fullmatch(token.text):
            return True  # 2024山东省跨境电商生态大会, 聊城大学2023年国际青年博士论坛
        if rule.label == "Event" and token.text in EVENT_WORDS:
            return True  # 百强企业高峰论坛: words that end other names may stand inside an event's
        if token.text in STOP_WORDS or token.tag_ == "TIME" or token.text in self.titles:
            return False  # 通讯员|方丽…: a post is no part of a name
        if re.search(r"[.@/:0-9]", token.text) and rule.label != "Event":
            return False  # shandong.cn, 166个: no part of a name
        if rule.label == "Organization" and token.text in ZONE_SHORT_FORMS:
            return False  # 开发区|乖宝宠物食品集团: the zone is where the company is
        if rule.label == "Place" and (
                self.phrases.get(token.text, ("",))[0] == "Place"
                or token.text.endswith(ADMIN_UNITS if suffix in ADMIN_UNITS else ADMIN_UNITS[:-2] + ("街道",))
                or token.text.endswith(tuple(self.org_suffix_words))):
            return False  # 拉萨市|墨竹工卡县, 古城区|楼南大街, 开发区|周公河市场, …公司|园区: separate
        if token.tag_ == "m":
            if rule.label == "Place":
                return bool(HAN_NUMBER.match(token.text))  # 六十二烈士墓, 百亿产业园
            return rule.label == "Event" and bool(ORDINAL.match(token.text))
        return token.tag_ in NAME_TAGS or (rule.label == "Place" and token.tag_ == "a")

    def _party(self, token) -> bool:
        """A party to a signing or a talk: a body or place by name."""
        return token.tag_ in ("ORG", "LOC") or self.phrases.get(token.text, ("",))[0] in ("Organization", "Place")

    def _proper(self, token) -> bool:
        return token.tag_ in PROPER_TAGS or token.text in self.phrases or token.text == "“" or \
            bool(HAN_NUMBER.match(token.text))

    def _acceptable(self, span: Span, rule: NameRule, suffix: str) -> bool:
        text = span.text
        if text in self.not_entities:
            return False
        if len(text) < 2 or (len(span) < 2 and (text in NOT_ORG_WORDS or len(text) < 3 or text == suffix) and
                             (rule.label != "Place" or span[0].tag_ != "LOC")):
            return False
        if rule.label == "Event" and (any(text == s for s, _ in rule.ending(text)) or span[0].tag_ in ("v", "vd", "p")):
            return False  # 会议 alone, 主持会议, 召开会议: no name
        if "*" in rule.needs_proper_noun or suffix in rule.needs_proper_noun:
            # A proper noun in front of the suffix: a word LAC tagged as a name (the
            # last one only if it holds more than the suffix), a known name, quotes, a number.
            proper = any((t.tag_ in PROPER_TAGS and (t.i < span.end - 1 or len(t.text) > len(suffix)))
                         or t.text in self.phrases for t in span) or "“" in text or \
                bool(ORDINAL.match(span[0].text) or HAN_NUMBER.match(span[0].text))
            if not proper:
                return False
        if rule.label == "Organization" and len(span) > 1 and not (
                JURISDICTION.match(text) or any(self._proper(t) for t in span[:-1])
                or (span[-1].tag_ in PROPER_TAGS and len(span[-1].text) > len(suffix))):
            return False  # 数据中心, 行业党代表工作室, 地方党委政府: no name in front of the suffix
        # Brackets and quotes must balance inside a name.
        return text.count("（") == text.count("）") and text.count("(") == text.count(")") and \
            text.count("“") == text.count("”")
