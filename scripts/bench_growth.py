"""Growth: does loading one new issue cost more as the store grows? Figures, never assertions.

    .venv/bin/python scripts/bench_growth.py [--n 1000] [--source examples/issues]

Makes N issue files from copies of the source issues with shifted dates
(lcrb-YYYY-MM-DD.txt, one a day), loads them into an embedded store in a
temporary KG_HOME, then times loading one more new issue into that store and
into an empty one, as `kg reload` does it (plan, load, identity settled over the
store), and prints the ratio (target <= 2 at N = 1,000: the cost should follow
the change, not the corpus). Also times forgetting it and replacing a changed
issue (forget + load) at N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_issues(sources: list[Path], folder: Path, n: int, start: dt.date) -> list[Path]:
    texts = [p.read_text(encoding="utf-8") for source in sources for p in sorted(source.glob("*.txt"))]
    out = []
    for k in range(n):
        path = folder / f"lcrb-{start + dt.timedelta(days=k):%Y-%m-%d}.txt"
        path.write_text(texts[k % len(texts)], encoding="utf-8")
        out.append(path)
    return out


def timed(action, *args) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def reload(loader, path: Path) -> None:
    """What `kg reload` does with one file: plan, load, settle identity over the store."""
    loader.run(loader.plan([path]))


def load_and_forget(loader, path: Path, repeats: int = 3) -> tuple[float, float]:
    """Median seconds to load the issue, and to forget it again (the store is left as found);
    both as kg reload and kg forget do them, identity settled after."""
    loads, forgets = [], []
    for _ in range(repeats):
        loads.append(timed(reload, loader, path))
        forgets.append(timed(loader.forget, path.stem))
    return statistics.median(loads), statistics.median(forgets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="issues in the grown store (default 1000)")
    parser.add_argument("--source", type=Path, action="append",
                        help="a folder of issues to copy (repeatable; default: examples/issues and, when "
                             "present, ../shared/corpus/seeds)")
    args = parser.parse_args()
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    sources = args.source or [ROOT / "examples" / "issues", *([seeds] if seeds.is_dir() else [])]
    print("copies of: " + ", ".join(str(s) for s in sources))
    os.environ["KG_HOME"] = tempfile.mkdtemp(prefix="kg-bench-growth-")
    folder = Path(tempfile.mkdtemp(prefix="kg-growth-issues-"))

    from kg.loading import IssueLoader
    from kg.store import open_store
    from kg.writers.load import store_counts

    issues = make_issues(sources, folder, args.n + 2, dt.date(2030, 1, 1))
    grown, new, changed = issues[: args.n], issues[args.n], issues[args.n + 1]
    with open_store("embedded") as store:
        loader = IssueLoader.open(store)
        loader.load_file(new)  # warm the model and the store
        loader.forget(new.stem)
        empty, forget_empty = load_and_forget(loader, new)
        started = time.perf_counter()
        for i, path in enumerate(grown, 1):
            loader.load_file(path)
            if i % 100 == 0:
                print(f"  {i} issues loaded ({time.perf_counter() - started:.0f}s)", flush=True)
        build = time.perf_counter() - started
        nodes, rels = store_counts(store)
        at_n, forget_at_n = load_and_forget(loader, new)
        changed.write_text(grown[0].read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
        replace_path = folder / grown[0].name
        replace_path.write_text(changed.read_text(encoding="utf-8"), encoding="utf-8")
        replace = timed(reload, loader, replace_path)
    print(f"store of {args.n} issues: {sum(nodes.values())} nodes, {sum(rels.values())} relationships, "
          f"built in {build:.0f}s ({build / args.n:.2f}s per issue)")
    print(f"one new issue into the empty store: {empty:.2f}s; into the store of {args.n}: {at_n:.2f}s; "
          f"ratio {at_n / empty:.2f} (target <= 2; medians of 3)")
    print(f"forgetting it: {forget_empty:.2f}s from a store of one issue, {forget_at_n:.2f}s from the store "
          f"of {args.n}: ratio {forget_at_n / max(forget_empty, 1e-9):.2f}")
    print(f"replacing a changed issue in the store of {args.n} (forget + load): {replace:.2f}s "
          f"({replace / empty:.2f}x a load into the empty store)")


if __name__ == "__main__":
    main()
