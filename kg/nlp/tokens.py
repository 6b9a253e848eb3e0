"""A Doc's text and tokens read without a Token object per token: spaCy builds
`doc.text` and a new Token on every access, which cost the rules a quarter of
their time. The tokenizer records the text it was given (kg_text): spaCy's
retokenizer splits and merges tokens but never changes the text."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.attrs import IDX, LENGTH, TAG
from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get("kg_text")
    return doc.text if text is None else text


def token_bounds(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """Each token's start and end character offsets."""
    table = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(-1, 2)
    return table[:, 0], table[:, 0] + table[:, 1]


def token_rows(doc: Doc, text: str | None = None) -> list[tuple[int, str, str]]:
    """(start, text, tag) of every token, in order."""
    text = doc_text(doc) if text is None else text
    table = doc.to_array([IDX, LENGTH, TAG]).reshape(-1, 3)
    strings = doc.vocab.strings
    return [(int(start), text[start:start + length], strings[int(tag)] if tag else "")
            for start, length, tag in table.tolist()]


def know_tags(doc: Doc, tags: Iterable[str]) -> None:
    """Make the vocabulary know tags a retokenizer is about to set: it stores a tag's hash
    only, and token_rows reads the tag's string back from the vocabulary."""
    for tag in tags:
        doc.vocab.strings.add(tag)
