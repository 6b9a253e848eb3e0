"""Train a pkuseg segmentation model from the SIGHAN 2005 PKU gold segmentation,
reproducibly (fixed seeds, fixed split), for spaCy's pkuseg tokenizer.

    .venv/bin/python scripts/train_pkuseg.py [--out DIR] [--iterations 10]

Reads ../shared/data/ner/sighan2005_cws/pku_test_gold.utf8 (People's Daily text,
words separated by spaces): every tenth line is held out to measure the model,
the rest trains it. Writes the model to DIR (default: $KG_HOME/models/pkuseg) and
prints the held-out F1. Then `KG_SEGMENTER=pkuseg KG_PKUSEG_MODEL=DIR kg …` uses
it (see README, "Switching the segmenter"). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import kg_home  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "ner" / "sighan2005_cws" / "pku_test_gold.utf8"
SEED = 20051


def split(lines: list[str]) -> tuple[list[str], list[str]]:
    train = [ln for i, ln in enumerate(lines) if i % 10 != 9]
    held_out = [ln for i, ln in enumerate(lines) if i % 10 == 9]
    return train, held_out


def word_spans(words: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for w in words:
        spans.add((pos, pos + len(w)))
        pos += len(w)
    return spans


def segmentation_f1(model_dir: Path, held_out: list[str]) -> float:
    import spacy_pkuseg

    seg = spacy_pkuseg.pkuseg(str(model_dir))
    tp = n_gold = n_pred = 0
    for line in held_out:
        gold = line.split()
        pred = seg.cut("".join(gold))
        g, p = word_spans(gold), word_spans(pred)
        tp += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    prec, rec = tp / n_pred, tp / n_gold
    return 2 * prec * rec / (prec + rec)


def train_model(train: list[str], held_out: list[str], out: Path, iterations: int) -> None:
    """pkuseg's trainer with fixed seeds, in a scratch directory, quietly: the same
    lines give the same model."""
    import spacy_pkuseg

    random.seed(SEED)  # pkuseg shuffles with `random` and may initialise with numpy
    np.random.seed(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        train_file, test_file = Path(tmp, "train.txt"), Path(tmp, "test.txt")
        train_file.write_text("\n".join(train) + "\n", encoding="utf-8")
        test_file.write_text("\n".join(held_out) + "\n", encoding="utf-8")
        with contextlib.chdir(tmp), open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            spacy_pkuseg.train(str(train_file), str(test_file), str(out.resolve()), train_iter=iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="segmented text, words separated by spaces")
    parser.add_argument("--out", type=Path, default=None, help="model directory (default $KG_HOME/models/pkuseg)")
    parser.add_argument("--iterations", type=int, default=10, help="training passes (default 10)")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"train_pkuseg: {args.corpus} not found (the SIGHAN 2005 data lives in ../shared/data/ner)")
    out = args.out or kg_home() / "models" / "pkuseg"
    lines = [ln.strip() for ln in args.corpus.read_text(encoding="utf-8").splitlines() if ln.strip()]
    train, held_out = split(lines)
    started = time.perf_counter()
    train_model(train, held_out, out, args.iterations)
    print(f"trained on {len(train)} lines of {args.corpus.name} in {time.perf_counter() - started:.0f}s "
          f"-> {out}")
    print(f"held-out word F1 ({len(held_out)} lines): {segmentation_f1(out, held_out):.4f}")


if __name__ == "__main__":
    main()
