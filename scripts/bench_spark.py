"""The Spark job on one machine: local[1] against local[2]; figures, never assertions.

    .venv/bin/python scripts/bench_spark.py [--issues 1000]

Copies of the seed issues (../shared, else examples/issues) under dated names, one
day apart, make an archive of --issues files; scripts/spark_extract.py runs on it
with Spark's local[1] and local[2] masters. Prints seconds, issues per minute and
the ratio. Needs pip install '.[spark]' and Java 17.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_archive(folder: Path, count: int) -> int:
    """`count` issue files, copies of the seed issues named one day apart; their characters."""
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    sources = sorted(seeds.glob("*.txt")) if seeds.is_dir() else sorted((ROOT / "examples" / "issues").glob("*.txt"))
    day, chars = date(2020, 1, 1), 0
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"lcrb-{day + timedelta(days=i):%Y-%m-%d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def run(issues: Path, out: Path, master: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "spark_extract.py"), str(issues), str(out),
                    "--master", master], check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=1000, help="issue files in the archive (default 1000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        issues = Path(tmp) / "issues"
        issues.mkdir()
        chars = make_archive(issues, args.issues)
        print(f"{args.issues} issues, {chars / 1e6:.1f} M characters")
        took = {}
        for master in ("local[1]", "local[2]"):
            took[master] = run(issues, Path(tmp) / master.replace("[", "").replace("]", ""), master)
            print(f"{master}: {took[master]:.0f}s, {args.issues / took[master] * 60:.0f} issues per minute "
                  "(Spark's start and the driver's identity included)")
        print(f"ratio local[2] / local[1]: {took['local[1]'] / took['local[2]']:.2f}x")


if __name__ == "__main__":
    main()
