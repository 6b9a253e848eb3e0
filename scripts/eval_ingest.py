"""Article cutting, dates and bylines measured on the seed gold (issue 3's figures).

    .venv/bin/python scripts/eval_ingest.py [CORPUS_DIR GOLD_DIR]
Default: ../shared/corpus/seeds and ../shared/gold/seeds.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest.evaluate import evaluate, format_reports  # noqa: E402


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus" / "seeds"
    gold = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "gold" / "seeds"
    reports = evaluate(corpus, gold)
    print(format_reports(reports))
    for r in reports:
        if r.misses:
            print(f"  {r.source}: unmatched gold articles {', '.join(r.misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
