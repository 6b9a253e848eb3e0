"""Extraction over an archive of issue files, in two steps that may run apart:

1. `analyse_issue(name, data)`: one issue file's bytes to its articles' results.
   Nothing in it depends on another file, so it runs anywhere: in kg.parallel's
   workers on one machine, in Spark's executors past it (scripts/spark_extract.py).
2. `identified_lines(analysed)`: identity over the whole archive, decided in one
   place (the parent process, Spark's driver) from every article's results, in
   article order (dates, pages, positions), and one JSON line per article in the
   extraction contract (`kg extract --jsonl`'s lines, with the article's issue).

`kg extract --issues PATHS` runs both on one machine; the Spark job gives the same
lines for the same files (tests/test_spark.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.aliases.identity import IdentityRegistry
from kg.ingest import read_issue
from kg.models import Issue


def analyse_issue(name: str, data: bytes) -> tuple[Issue, list]:
    """An issue file read from its bytes under its own name (the name carries the date
    and the page), and its articles' results (kg.pipeline.ArticleResult)."""
    from kg.pipeline import analyse

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        issue = read_issue(path)
    return issue, list(analyse(issue.articles))


def identified_lines(analysed: Iterable[tuple[Issue, list]]) -> Iterator[dict]:
    """Contract lines for every article, identity decided over all of them in article order."""
    from kg.pipeline import contract_record

    results = sorted((r for _, rs in analysed for r in rs), key=lambda r: r.article.id)
    IdentityRegistry.from_schemas().identify(results)
    for result in results:
        yield {**contract_record(result), "issue": result.article.issue_id}
