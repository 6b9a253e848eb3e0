"""A document's entities (and where its sentences start), indexed once.

spaCy builds `doc.ents` (and `Span.ents`, which filters it) anew on every access,
so reading them per sentence or per person costs the whole document each time:
quadratic in an article's length (a file with no line breaks is one article).
The index is built once per document by kg.relations.facts_from_doc and answers
the same questions in the same order by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span

_KEY = "kg_ent_index"


class EntIndex:
    def __init__(self, doc: Doc) -> None:
        self.ents: list[Span] = list(doc.ents)
        self._chars = [e.start_char for e in self.ents]
        self._tokens = [e.start for e in self.ents]
        self._labelled: dict[str, list[Span]] = {}
        self._sentences = [sent.start_char for sent in doc.sents] if doc.has_annotation("SENT_START") else [0]

    def starting_in(self, start_char: int, end_char: int, label: str | None = None) -> list[Span]:
        """Entities that start at a character offset in [start_char, end_char)."""
        found = self.ents[bisect_left(self._chars, start_char): bisect_left(self._chars, end_char)]
        return [e for e in found if label is None or e.label_ == label]

    def of(self, span: Span) -> list[Span]:
        """What `span.ents` gives: the entities wholly inside the span."""
        found = self.ents[bisect_left(self._tokens, span.start): bisect_left(self._tokens, span.end)]
        return [e for e in found if e.end <= span.end]

    def sentence_start(self, pos: int) -> int:
        """Where the sentence holding character `pos` starts."""
        return self._sentences[max(0, bisect_right(self._sentences, pos) - 1)]

    def labelled(self, label: str) -> list[Span]:
        if label not in self._labelled:
            self._labelled[label] = [e for e in self.ents if e.label_ == label]
        return self._labelled[label]


def ent_index(doc: Doc) -> EntIndex:
    """The index facts_from_doc keeps on the doc while it reads it, else a new one."""
    return doc.user_data.get(_KEY) or EntIndex(doc)


class indexed:  # noqa: N801 - used as a context manager, like contextlib's
    """`with indexed(doc):` keeps one EntIndex on the doc for as long as relations read it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def __enter__(self) -> EntIndex:
        index = self.doc.user_data[_KEY] = EntIndex(self.doc)
        return index

    def __exit__(self, *exc) -> None:
        self.doc.user_data.pop(_KEY, None)
