"""How fast a command answers on the embedded store: figures, never assertions.

    .venv/bin/python scripts/bench_cli.py [--runs 5]

In a temporary KG_HOME holding the example issues, `kg stats` is timed (wall
clock, the whole process) three ways: with KG_STORE_IDLE=0 (each command starts
and stops the server, as before the idle watchdog), the first command after the
server stopped, and the commands after it while the server stays up idle. Also
printed: a bare `python -c "import kg.cli"`, the part no store can save. The
target of the issue: a second `kg stats` in well under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).parent / "kg")


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "KG_HOME": home, "KG_STORE_IDLE": "0"}
        subprocess.run([KG, "build", str(ROOT / "examples" / "issues"), "--no-progress"], env=env, check=True,
                       capture_output=True)
        stats = [KG, "stats"]
        stop_each = [timed(stats, env) for _ in range(runs)]
        idle = {**env, "KG_STORE_IDLE": "10m"}
        first = timed(stats, idle)
        again = [timed(stats, idle) for _ in range(runs)]
        imports = [timed([sys.executable, "-c", "import kg.cli"], env) for _ in range(runs)]
        subprocess.run([KG, "store", "stop"], env=idle, capture_output=True)
    median = statistics.median
    print(f"kg stats, server started and stopped each time (KG_STORE_IDLE=0): {median(stop_each):.2f} s "
          f"(median of {runs})")
    print(f"kg stats, first with KG_STORE_IDLE=10m (starts the server):     {first:.2f} s")
    print(f"kg stats, next ones (the server up, idle):                     {median(again):.2f} s "
          f"(median of {runs}); {median(stop_each) / median(again):.1f}x faster; target < 1 s")
    print(f"python -c 'import kg.cli' alone:                                {median(imports):.2f} s")


if __name__ == "__main__":
    main()
