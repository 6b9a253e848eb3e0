"""Train the learned entity tagger (kg/nlp/learned.py) on the gold, and report it honestly.

    .venv/bin/python scripts/train_ner.py                  # train on every gold set -> kg/nlp/models/
    .venv/bin/python scripts/train_ner.py --loso           # leave-one-set-out figures, then train
    .venv/bin/python scripts/train_ner.py --loso --no-save # the figures only

The gold is ../shared/gold (seeds/*.jsonl as one set, dev/*.jsonl one set each).
Each article is read by the rules alone (the kg pipeline without the tagger);
the gold's surfaces, found in the article's repaired text, give the character
labels; CRFsuite trains with fixed parameters, so two runs on the same gold give
the same weights (the order of articles and features is fixed, L-BFGS has no
randomness).

--loso trains once without each set, runs `kg extract --jsonl` on that set with
the model that never saw it, and scores it with the gold's own scorer: the only
figures that say how the tagger does on articles nobody tuned to. The rules
alone (KG_NER_MODEL=none) are scored beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.nlp import build_nlp, process  # noqa: E402
from kg.nlp.learned import DEFAULT_MODEL, Featurizer, labels_from_spans, sentences  # noqa: E402
from kg.pipeline import article_from_record  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
SCORER = ROOT.parent / "shared" / "tools" / "score.py"
PARAMS = {"c1": 0.05, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True,
          "feature.minfreq": 1}
COLUMNS = ("Person", "Organization", "Place", "Event", "entities", "roles", "roles+org", "attendance",
           "attendance+event", "identity")


def gold_sets(gold: Path) -> dict[str, list[dict]]:
    """seeds, dev-congress, … : the sets eval-gold scores, in its order."""
    sets = {"seeds": [json.loads(line) for f in sorted((gold / "seeds").glob("*.jsonl"))
                      for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]}
    for f in sorted((gold / "dev").glob("*.jsonl")):
        sets[f"dev-{f.stem}"] = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()
                                 if line.strip()]
    return sets


def _fold(text: str) -> str:
    """Character by character NFKC (offsets kept), as the scorer compares names."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def gold_spans(text: str, entities: list[dict]) -> list[tuple[int, int, str]]:
    """Every occurrence of every gold surface in the text, longest first, none overlapping."""
    folded = _fold(text)
    found = []
    for ent in entities:
        for surface in {_fold("".join(s.split())) for s in [ent["name"], *ent.get("aliases", [])] if s}:
            start = folded.find(surface)
            while start >= 0 and surface:
                found.append((start, start + len(surface), ent["type"]))
                start = folded.find(surface, start + 1)
    taken = [False] * len(text)
    spans = []
    for start, end, label in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if not any(taken[start:end]):
            spans.append((start, end, label))
            for i in range(start, end):
                taken[i] = True
    return sorted(spans)


def sequences(records: list[dict], nlp, featurize: Featurizer) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) per sentence of every record."""
    articles = [article_from_record(r) for r in records]
    docs = process(nlp, [a.text for a in articles], [[(b.start, b.end) for b in a.bylines] for a in articles])
    out = []
    for record, doc in zip(records, docs, strict=True):
        feats = featurize(doc)
        labels = labels_from_spans(len(doc.text), gold_spans(doc.text, record["entities"]))
        out += [(feats[a:b], labels[a:b]) for a, b in sentences(doc.text)]
    return out


def train(data: list[tuple[list[list[str]], list[str]]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in data:
        trainer.append(feats, labels)
    trainer.set_params(PARAMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


def score_set(records: list[dict], model: str, workdir: Path, name: str) -> dict:
    """`kg extract --jsonl` on the records with `model`, scored by the gold's scorer."""
    gold = workdir / f"{name}.gold"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    inputs = subprocess.run([sys.executable, str(SCORER), "inputs", str(gold)], capture_output=True, text=True,
                            check=True).stdout
    kg = ROOT / ".venv" / "bin" / "kg"
    pred = subprocess.run([str(kg) if kg.exists() else "kg", "extract", "--jsonl"], input=inputs,
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "KG_NER_MODEL": model}).stdout
    (workdir / f"{name}.pred").write_text(pred, encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), "score", str(gold), str(workdir / f"{name}.pred"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def print_table(title: str, figures: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'F1':<16}" + "".join(f"{c.replace('attendance', 'att')[:10]:>11}" for c in COLUMNS))
    for name, fig in figures.items():
        print(f"{name:<16}" + "".join(f"{fig[c]['f1']:>11.3f}" for c in COLUMNS))
    sets = [s for s in figures if s != "all"]
    print(f"{'lowest set':<16}" + "".join(f"{min(figures[s][c]['f1'] for s in sets):>11.3f}" for c in COLUMNS))


def _held_out(job: tuple) -> tuple[str, dict, dict | None]:
    """Train without one set and score it (and, if asked, the rules alone on it)."""
    name, records, training, workdir, with_rules = job
    model = workdir / f"without-{name}.crfsuite"
    train(training, model)
    held = score_set(records, str(model), workdir, name)
    print(f"  {name}: entities {held['entities']['f1']:.3f} held out", file=sys.stderr)
    return name, held, score_set(records, "none", workdir, f"{name}-rules") if with_rules else None


def leave_one_set_out(sets: dict[str, list[dict]], data: dict[str, list], workdir: Path,
                      with_rules: bool = True) -> None:
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(name, records, [seq for other, seqs in data.items() if other != name for seq in seqs], workdir,
             with_rules) for name, records in sets.items()]
    held, rules = {}, {}
    with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        for name, figures, rule_figures in pool.map(_held_out, jobs):
            held[name] = figures
            if rule_figures is not None:
                rules[name] = rule_figures
    everything = [r for records in sets.values() for r in records]
    for figures, suffix in ((held, ""), (rules, "-rules"))[: 2 if with_rules else 1]:
        gold = workdir / f"all{suffix}.gold"
        gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in everything), encoding="utf-8")
        pred = workdir / f"all{suffix}.pred"
        pred.write_text("".join((workdir / f"{n}{suffix}.pred").read_text(encoding="utf-8") for n in sets),
                        encoding="utf-8")
        figures["all"] = json.loads(subprocess.run(
            [sys.executable, str(SCORER), "score", str(gold), str(pred), "--json"],
            capture_output=True, text=True, check=True).stdout)
    if with_rules:
        print_table("rules alone (KG_NER_MODEL=none)", rules)
    print_table("learned tagger, each set scored by the model trained without it", held)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD, help="the gold directory (seeds/, dev/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="where the trained model goes")
    parser.add_argument("--loso", action="store_true", help="report leave-one-set-out figures first")
    parser.add_argument("--no-save", action="store_true", help="do not write the model trained on every set")
    parser.add_argument("--no-rules", action="store_true", help="with --loso: skip scoring the rules alone")
    parser.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 penalty (default %(default)s)")
    parser.add_argument("--c2", type=float, default=PARAMS["c2"], help="L2 penalty (default %(default)s)")
    parser.add_argument("--keep", type=Path, help="keep the held-out models and predictions in this directory")
    args = parser.parse_args()
    if not (args.gold / "seeds").is_dir():
        sys.exit(f"train_ner: no gold at {args.gold} (expected seeds/ and dev/ there)")
    PARAMS.update(c1=args.c1, c2=args.c2)
    sets = gold_sets(args.gold)
    nlp = build_nlp(tagger=False)
    featurize = Featurizer()
    print(f"reading {sum(map(len, sets.values()))} gold articles with the rules …", file=sys.stderr)
    data = {name: sequences(records, nlp, featurize) for name, records in sets.items()}
    if args.loso and args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        leave_one_set_out(sets, data, args.keep, not args.no_rules)
    elif args.loso:
        with tempfile.TemporaryDirectory() as tmp:
            leave_one_set_out(sets, data, Path(tmp), not args.no_rules)
    if not args.no_save:
        train([seq for seqs in data.values() for seq in seqs], args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
