"""Extraction of an archive on Apache Spark: the lines `kg extract --jsonl --issues` prints.

    spark-submit scripts/spark_extract.py ISSUES_URI OUT_URI
    .venv/bin/python scripts/spark_extract.py examples/issues /tmp/out --master 'local[2]'

Needs the optional extra: pip install '.[spark]' (PySpark; Java 17). ISSUES_URI is
any path Spark reads (a folder or a glob: local, hdfs://, s3a://); its *.txt files
are the issues. Each executor loads the pipeline once (per Python worker, by
mapPartitions) and analyses its partition's issues: reading, layout, articles,
NLP and facts depend on one file alone. Identity is decided on the driver, from
every article's results in article order, because its decisions are sequential
(a person of one name is split from the people met before) and need the whole
archive's organisations: a join could block by name, but the order of decisions
would still have to be replayed; the driver does exactly what one machine does,
so the output equals `kg extract --issues` byte for byte (tests/test_spark.py).
The results brought to the driver are what identity reads and the lines print,
not the issue texts.

OUT_URI receives part files of JSON lines (Spark's text output, any file system);
for a local OUT_URI the lines are also written whole to OUT_URI/facts.jsonl.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def analyse_partition(files):
    """One partition's issue files (name, bytes) to (name, pickled results); the pipeline
    is loaded once per Python worker (kg.nlp.shared_nlp caches it)."""
    import os

    # an executor's Python workers share its cores: one onnxruntime thread each (as kg.parallel's)
    os.environ.setdefault("KG_ONNX_THREADS", "1")
    from kg.archive import analyse_issue
    from kg.errors import KGError

    for name, data in files:
        try:
            issue, results = analyse_issue(name, data)
        except KGError as exc:
            yield name, pickle.dumps(("error", str(exc)))
            continue
        issue.text = ""  # the driver needs the articles' results, not the issue's text again
        yield name, pickle.dumps(("ok", (issue, results)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("issues_uri", help="folder or glob of issue files (*.txt), any path Spark reads")
    parser.add_argument("out_uri", help="where the JSON lines go")
    parser.add_argument("--master", help="Spark master when not run by spark-submit (local[2], …)")
    parser.add_argument("--partitions", type=int, default=0, help="partitions of the input (default: Spark's)")
    args = parser.parse_args(argv)

    import os

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this environment's Python
    from pyspark.sql import SparkSession

    from kg.archive import identified_lines

    builder = SparkSession.builder.appName("kg-extract")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    try:
        uri = args.issues_uri
        pattern = uri if any(c in uri for c in "*?[") or uri.endswith(".txt") else uri.rstrip("/") + "/*.txt"
        context = spark.sparkContext
        files = context.binaryFiles(pattern)
        wanted = args.partitions or context.defaultParallelism
        if files.getNumPartitions() < wanted:  # small files come in one partition: spread them over the cores
            files = files.repartition(wanted)
        done = files.mapPartitions(analyse_partition).collect()
        analysed = []
        for name, blob in sorted(done):
            status, payload = pickle.loads(blob)
            if status == "error":
                print(f"spark_extract: skipped {name}: {payload}", file=sys.stderr)
            else:
                analysed.append(payload)
        lines = [json.dumps(line, ensure_ascii=False) for line in identified_lines(analysed)]
        _write(spark, lines, args.out_uri)
        print(f"spark_extract: {len(analysed)} issues, {len(lines)} articles -> {args.out_uri}", file=sys.stderr)
    finally:
        spark.stop()
    return 0


def _write(spark, lines: list[str], out_uri: str) -> None:
    local = "://" not in out_uri or out_uri.startswith("file://")
    spark.sparkContext.parallelize(lines, 1).saveAsTextFile(out_uri.rstrip("/") + "/parts")
    if local:
        folder = Path(out_uri.removeprefix("file://"))
        (folder / "facts.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
