"""Memory and speed of reading issues: a 5 MiB and a 50 MiB file, streamed.

    .venv/bin/python scripts/bench_ingest.py
Each size is read in a fresh process; prints seconds, MiB/s and peak RSS, and
the 50/5 ratios (bounded memory: the RSS ratio stays near 1, not 10).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from kg.ingest import read_issue_parts
t = time.perf_counter()
articles = sum(len(p.articles) for p in read_issue_parts(sys.argv[1], date="2031-03-15", stream_over=1 << 20))
print(json.dumps({"seconds": time.perf_counter() - t, "articles": articles,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_file(path: Path, mib: int) -> None:
    unit = ((ROOT / "examples" / "issues" / "lcrb-2031-03-15.txt").read_text(encoding="utf-8") + "\n\n").encode()
    with path.open("wb") as f:
        for _ in range(mib * 1024 * 1024 // len(unit) + 1):
            f.write(unit)


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mib in (5, 50):
            path = Path(tmp) / f"issue-{mib}.txt"
            make_file(path, mib)
            out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)], capture_output=True,
                                 text=True, check=True).stdout
            results[mib] = json.loads(out)
            r = results[mib]
            print(f"{mib:>3} MiB: {r['articles']:>7} articles in {r['seconds']:6.1f}s "
                  f"({mib / r['seconds']:5.1f} MiB/s), peak RSS {r['rss_mib']:6.1f} MiB")
    print(f"50/5 ratios: time {results[50]['seconds'] / results[5]['seconds']:.1f}x, "
          f"peak RSS {results[50]['rss_mib'] / results[5]['rss_mib']:.2f}x")


if __name__ == "__main__":
    main()
