"""The Spark job (scripts/spark_extract.py) in Spark's local mode gives the lines that
`kg extract --jsonl --issues` gives for the same files, byte for byte."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT, SHARED, run_kg

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="PySpark is not installed: pip install '.[spark]' (CI installs it)"),
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java on PATH: Spark needs Java 17"),
]


def test_the_spark_job_equals_kg_extract_on_the_same_issues(tmp_path):
    issues = tmp_path / "issues"
    issues.mkdir()
    sources = list(EXAMPLES.glob("*.txt")) + sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    for f in sources:
        shutil.copy(f, issues / f.name)
    out = tmp_path / "out"
    job = subprocess.run([sys.executable, str(ROOT / "scripts" / "spark_extract.py"), str(issues), str(out),
                          "--master", "local[2]", "--partitions", "2"], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert job.returncode == 0, job.stderr[-2000:]
    local = run_kg("extract", "--jsonl", "--issues", str(issues), "--workers", "1")
    assert local.returncode == 0, local.stderr
    spark_lines = (out / "facts.jsonl").read_text(encoding="utf-8")
    assert spark_lines == local.stdout
    assert len(spark_lines.splitlines()) >= 5
    parts = "".join(p.read_text(encoding="utf-8") for p in sorted((out / "parts").glob("part-*")))
    assert parts == spark_lines
