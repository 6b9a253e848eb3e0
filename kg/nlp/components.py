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

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.config import load_json, load_lines

LAC_LABELS = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
# Tags of words that may stand inside an organisation or event name.
NAME_TAGS = {"LOC", "ORG", "n", "nz", "vn", "j", "nw", "an", "m", "f", "s", "PER", "TIME"}
NAME_PUNCT = set("（）()“”《》—·")
NAME_JOINERS = {"和", "暨", "与"}
# Words ending in 局/厅/中心 that are no organisation.
NOT_ORG_WORDS = {"格局", "布局", "大局", "开局", "结局", "全局", "当局", "新格局", "客厅", "大厅", "餐厅",
                 "展厅", "中心", "公司", "集团", "银行", "政府", "学校", "医院", "委员会", "办公室", "工作室"}
# Words that end a name when reading leftwards from its suffix.
STOP_WORDS = {"该", "各", "全", "本", "我", "其", "主持", "召开", "举行", "举办", "出席", "参加", "组织", "参观",
              "会见", "参会", "列席", "讲话", "在", "到", "从", "由", "与会"}
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def _ensure_extensions() -> None:
    for name, default in (("kg_source", None), ("kg_kind", None)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Doc.has_extension("kg_article_id"):
        Doc.set_extension("kg_article_id", default=None)


def _suffix_table(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in load_lines(name):
        parts = line.split()
        rows.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return sorted(rows, key=lambda r: -len(r[0]))


def org_kind(name: str) -> str:
    """company, government or other, from the name's last word."""
    for suffix, kind in _suffix_table("gazetteer/org_suffixes.txt"):
        if name.endswith(suffix):
            return kind
    if re.search(r"(中共|党委|党组|政府|人大|政协|委$|局$|厅$|部$)", name):
        return "government"
    return "other"


@Language.factory("kg_lac_ner")
def make_lac_ner(nlp: Language, name: str) -> LacNer:
    return LacNer()


class LacNer:
    """Entities from the LAC tags the tokenizer stored in token.tag_."""

    def __init__(self) -> None:
        _ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for token in doc:
            label = LAC_LABELS.get(token.tag_)
            if not label or not _plausible(token.text, label):
                continue
            span = Span(doc, token.i, token.i + 1, label=label)
            spans.append(span)
        doc.ents = filter_spans(list(doc.ents) + spans)
        for span in doc.ents:
            if span._.kg_source is None:
                span._.kg_source = "lac"
                if span.label_ == "Organization":
                    span._.kg_kind = org_kind(span.text)
        return doc


def _plausible(text: str, label: str) -> bool:
    if label == "Person":
        return bool(_PERSON_NAME.match(text))
    return len(text) >= 2


@Language.factory("kg_domain", default_config={"profile": "profiles/liaocheng.json"})
def make_domain(nlp: Language, name: str, profile: str) -> DomainRules:
    return DomainRules(profile)


class DomainRules:
    """Gazetteer, paper-profile short forms, organisation and event names.

    Data comes from schemas/ (general knowledge only) and is read when the
    component is built; the spans found here win over LAC's where they are
    longer (spaCy's filter_spans)."""

    def __init__(self, profile: str) -> None:
        _ensure_extensions()
        self.profile_name = profile
        self.profile = load_json(profile)
        self.org_suffixes = _suffix_table("gazetteer/org_suffixes.txt")
        self.event_suffixes = sorted(load_lines("gazetteer/event_suffixes.txt"), key=len, reverse=True)
        self.phrases = self._phrases()
        alternation = "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
        self.phrase_re = re.compile(alternation)
        self.org_suffix_words = {s for s, _ in self.org_suffixes}
        self.titles = set(load_lines("gazetteer/titles.txt"))

    def _phrases(self) -> dict[str, tuple[str, str | None]]:
        out: dict[str, tuple[str, str | None]] = {}
        for line in load_lines("gazetteer/places.tsv"):
            parts = line.split("\t")
            for form in [parts[0], *(parts[1].split(",") if len(parts) > 1 else [])]:
                out[form.strip()] = ("Place", None)
        for line in load_lines("gazetteer/organizations.tsv"):
            parts = line.split("\t")
            kind = parts[1] if len(parts) > 1 else "other"
            for form in [parts[0], *(parts[2].split(",") if len(parts) > 2 else [])]:
                out[form.strip()] = ("Organization", kind)
        for form, (_canonical, kind) in self.profile.get("organizations", {}).items():
            out[form] = ("Organization", kind)
        out.pop("", None)
        return out

    def __call__(self, doc: Doc) -> Doc:
        self._split_titles(doc)
        found: list[Span] = []
        found += self._gazetteer(doc)
        found += self._names_by_suffix(doc, "Organization")
        found += self._names_by_suffix(doc, "Event")
        merged = filter_spans(found + list(doc.ents))
        doc.ents = merged
        return doc

    def _span(self, doc: Doc, start: int, end: int, label: str, source: str, kind: str | None) -> Span | None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or span.text != doc.text[start:end]:
            return None  # LAC cut a word across the name's edge: no clean span
        span._.kg_source = source
        span._.kg_kind = kind
        return span

    def _split_titles(self, doc: Doc) -> None:
        """LAC reads "市委书记" as one word; split it into the body and the post,
        so 市委 is an organisation mention and 书记 a title."""
        cuts = []
        for token in doc:
            for cut in range(2, len(token.text) - 1):
                form, rest = token.text[:cut], token.text[cut:]
                if rest in self.titles and self.phrases.get(form, ("",))[0] == "Organization":
                    cuts.append((token, [form, rest]))
                    break
        with doc.retokenize() as retokenizer:
            for token, parts in cuts:
                retokenizer.split(token, parts, heads=[(token, 1), (token, 1)],
                                  attrs={"TAG": [token.tag_, "n"]})

    def _gazetteer(self, doc: Doc) -> list[Span]:
        spans = []
        for m in self.phrase_re.finditer(doc.text):
            label, kind = self.phrases[m.group(0)]
            span = self._span(doc, m.start(), m.end(), label, "gazetteer", kind)
            if span is not None:
                spans.append(span)
        return spans

    def _names_by_suffix(self, doc: Doc, label: str) -> list[Span]:
        spans = []
        for token in doc:
            suffix = self._suffix(token.text, label)
            if suffix is None:
                continue
            start = token.i
            while start > 0 and self._may_extend(doc[start - 1], label) and \
                    doc[start - 1: token.i + 1].end_char - doc[start - 1].idx <= (25 if label == "Organization" else 45):
                start -= 1
            while start < token.i and (doc[start].text in NAME_JOINERS or doc[start].text in "）)”—"):
                start += 1
            span = doc[start: token.i + 1]
            if not self._acceptable(span, label):
                continue
            kind = org_kind(span.text) if label == "Organization" else None
            span = Span(doc, span.start, span.end, label=label)
            span._.kg_source = "suffix"
            span._.kg_kind = kind
            spans.append(span)
        return spans

    def _suffix(self, word: str, label: str) -> str | None:
        if label == "Event":
            return next((s for s in self.event_suffixes if word.endswith(s)), None)
        if word in NOT_ORG_WORDS and word not in self.org_suffix_words:
            return None  # 格局, 大厅: words that only look like a suffix
        return next((s for s, _ in self.org_suffixes if word.endswith(s)), None)

    def _may_extend(self, token, label: str) -> bool:
        if token.text in NAME_JOINERS:
            # 商务和投资促进局 is one name; 中通客车和鲁西集团 are two.
            before = token.nbor(-1) if token.i > 0 else None
            return before is not None and before.tag_ != "PER" and \
                self._suffix(before.text, label) is None and before.text not in self.phrases
        if token.text in NAME_PUNCT:
            return True
        if token.tag_ == "PER" or token.text in STOP_WORDS:
            return False
        return token.tag_ in NAME_TAGS

    def _acceptable(self, span: Span, label: str) -> bool:
        text = span.text
        if len(span) < 2 and (text in NOT_ORG_WORDS or len(text) < 3):
            return False
        if label == "Event" and (text in self.event_suffixes or span[0].tag_ in ("v", "vd", "p")):
            return False  # 会议 alone, 主持会议, 召开会议: no name
        # Brackets and quotes must balance inside a name.
        return text.count("（") == text.count("）") and text.count("(") == text.count(")") and \
            text.count("“") == text.count("”")

