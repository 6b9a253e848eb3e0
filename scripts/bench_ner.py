"""PER/LOC/ORG F1 on the MSRA NER test set: figures to report, never assertions.

    .venv/bin/python scripts/bench_ner.py [--data ../shared/data/ner/msra/msra_test_bio.txt] [--limit N]

Scores, in one run and on the same sentences, raw LAC (its PER/LOC/ORG words
as they come out of the model) and the whole kg pipeline (Person, Place and
Organization entities; events are left out, MSRA has none), by exact span
match, and prints them beside published anchors. MSRA's conventions differ
from ours (it tags 中共中央 and 中国 inside longer names, we name the longest
body), so a lower figure here is no defect in itself: the pipeline is tuned to
the newsroom's conventions, not to MSRA's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.nlp import process, shared_nlp  # noqa: E402
from kg.nlp.lac import shared_model  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "ner" / "msra" / "msra_test_bio.txt"
TYPES = ("PER", "LOC", "ORG")
OURS = {"Person": "PER", "Place": "LOC", "Organization": "ORG"}
ANCHORS = (("Lattice LSTM (Zhang & Yang 2018)", 0.9318), ("BERT-base (about)", 0.95))

Span = tuple[int, int, int, str]  # sentence, start, end, type


def read_bio(path: Path) -> tuple[list[str], set[Span]]:
    """Sentences and their gold spans from a character-per-line BIO file."""
    sentences: list[str] = []
    gold: set[Span] = set()
    chars: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if chars:
            gold.update((len(sentences), a, b, t) for a, b, t in bio_spans(tags))
            sentences.append("".join(chars))
            chars.clear()
            tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            close()
            continue
        chars.append(parts[0])
        tags.append(parts[-1])
    close()
    return sentences, gold


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start, kind = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            spans.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return spans


def raw_lac(sentences: list[str]) -> set[Span]:
    return {(i, w.start, w.end, w.tag) for i, words in enumerate(shared_model().analyse(sentences))
            for w in words if w.tag in TYPES}


def pipeline(sentences: list[str]) -> set[Span]:
    docs = process(shared_nlp(), sentences)
    return {(i, e.start_char, e.end_char, OURS[e.label_]) for i, doc in enumerate(docs)
            for e in doc.ents if e.label_ in OURS}


def figures(gold: set[Span], pred: set[Span], kind: str | None = None) -> tuple[float, float, float]:
    g = {s for s in gold if kind in (None, s[3])}
    p = {s for s in pred if kind in (None, s[3])}
    tp = len(g & p)
    prec = tp / len(p) if p else 0.0
    rec = tp / len(g) if g else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT, help="a BIO file, one character and tag a line")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N sentences")
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"bench_ner: {args.data} not found (the MSRA test set lives in ../shared/data/ner/msra)")
    sentences, gold = read_bio(args.data)
    if args.limit:
        sentences = sentences[: args.limit]
        gold = {s for s in gold if s[0] < args.limit}
    counts = Counter(s[3] for s in gold)
    print(f"{args.data.name}: {len(sentences)} sentences, {sum(map(len, sentences))} characters, "
          f"gold {dict(sorted(counts.items()))}")
    shared_model().analyse(["预热"])  # load the model before timing
    rows = []
    for name, run in (("raw LAC", raw_lac), ("kg pipeline", pipeline)):
        t = time.perf_counter()
        pred = run(sentences)
        seconds = time.perf_counter() - t
        rows.append((name, [figures(gold, pred, k) for k in TYPES], figures(gold, pred), seconds))
    print(f"{'':14}" + "".join(f"{k:>8}" for k in TYPES) + f"{'all P':>8}{'all R':>8}{'all F1':>8}{'time':>8}")
    for name, per_type, (p, r, f), seconds in rows:
        print(f"{name:14}" + "".join(f"{fig[2]:8.3f}" for fig in per_type) + f"{p:8.3f}{r:8.3f}{f:8.3f}"
              f"{seconds:7.1f}s")
    for name, f1 in ANCHORS:
        print(f"{name:36} F1 {f1:.2f} (published, trained on MSRA)")
    print(f"pipeline / raw LAC F1: {rows[1][2][2] / rows[0][2][2]:.2f}x")


if __name__ == "__main__":
    main()
