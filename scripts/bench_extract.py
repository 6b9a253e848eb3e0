"""Speed and memory of extraction: figures and ratios, never assertions.

    .venv/bin/python scripts/bench_extract.py [PATH ...]   (default: examples/issues, and
                                                            ../shared/corpus/seeds when present)
Prints characters per second for LAC alone (batched and one text at a time)
and for the whole pipeline, and the peak resident memory.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import issue_files, read_issue  # noqa: E402
from kg.nlp.lac import shared_model  # noqa: E402
from kg.pipeline import analyse  # noqa: E402


def main(argv: list[str]) -> None:
    paths = argv or [str(ROOT / "examples" / "issues")]
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    if not argv and seeds.is_dir():
        paths.append(str(seeds))
    articles = [a for f in issue_files(paths) for a in read_issue(f).articles]
    texts = [a.text for a in articles]
    chars = sum(map(len, texts))
    model = shared_model()
    model.analyse(texts[:2])  # warm up the session
    t = time.perf_counter()
    model.analyse(texts)
    batched = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        model.analyse([text])
    single = time.perf_counter() - t
    t = time.perf_counter()
    list(analyse(articles))
    pipeline = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles {len(articles)}, characters {chars}")
    print(f"LAC batched      {chars / batched:>10.0f} chars/s  ({batched:.2f}s)")
    print(f"LAC one by one   {chars / single:>10.0f} chars/s  ({single:.2f}s)  batched/one-by-one = "
          f"{single / batched:.2f}x")
    print(f"whole pipeline   {chars / pipeline:>10.0f} chars/s  ({pipeline:.2f}s)")
    print(f"peak RSS         {peak:>10.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
