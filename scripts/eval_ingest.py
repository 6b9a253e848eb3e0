"""How the reader cuts issues it was not written from: dates, articles, titles, bylines.

    .venv/bin/python scripts/eval_ingest.py                 # the seeds, then the test issues
    .venv/bin/python scripts/eval_ingest.py CORPUS_DIR GOLD_DIR
    .venv/bin/python scripts/eval_ingest.py --seed 3        # test issues of another draw

The seeds are ../shared/corpus/seeds with ../shared/gold/seeds. The test issues are
made from ../shared/gold/dev by scripts/make_test_issues.py (seeded, into a
temporary directory) and scored the same way. The test issues' gold dates are those
of the web pages the articles come from, the day of the event or a few days after,
so beside the exact date the table gives the year and the date within a week.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_test_issues import make_issues  # noqa: E402

from kg.ingest.evaluate import evaluate, format_reports  # noqa: E402

SHARED = ROOT.parent / "shared"


def report(title: str, corpus: Path, gold: Path) -> None:
    reports = evaluate(corpus, gold)
    print(f"{title}\n{format_reports(reports)}")
    for r in reports:
        if r.misses:
            print(f"  {r.source}: unmatched gold articles {', '.join(r.misses)}")
    print()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("gold", nargs="?", type=Path)
    parser.add_argument("--seed", type=int, default=15, help="the draw of test issues (default 15)")
    args = parser.parse_args(argv)
    if args.corpus:
        report(str(args.corpus), args.corpus, args.gold or args.corpus.parent / "gold")
        return 0
    if not (SHARED / "gold" / "seeds").is_dir():
        print(f"eval_ingest: no gold at {SHARED / 'gold'} (it lives in ../shared)", file=sys.stderr)
        return 2
    report("seed issues", SHARED / "corpus" / "seeds", SHARED / "gold" / "seeds")
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_issues(SHARED / "gold" / "dev", Path(tmp), seed=args.seed)
        report(f"{len(paths)} test issues (scripts/make_test_issues.py --seed {args.seed})",
               Path(tmp) / "corpus", Path(tmp) / "gold")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
