"""kg: Chinese local newspaper issues -> a knowledge graph (Neo4j or embedded FalkorDB).

A thin shell over the library: each command reads its input, calls the stages
and prints what happened. Errors that kg means to report exit with status 1
and one line naming the file or server and the cause.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError

log = logging.getLogger("kg")

EXAMPLE_QUERY = (
    "MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event) "
    "RETURN p.name AS person, type(r) AS role, e.name AS event ORDER BY event, person, role LIMIT 20"
)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="kg: %(message)s", stream=sys.stderr)
    for noisy in ("neo4j", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", count=True, help="More log lines (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn Liaocheng Daily (聊城日报) issues into a knowledge graph of people,
    organisations, places and events, with roles, attendance and co-mention.

    \b
    Typical session (embedded store, no server needed):
      kg build examples/issues          # read, extract, resolve, load
      kg stats                          # what is in the store
      kg query "MATCH (p:Person)-[:CHAIRED]->(e:Event) RETURN p.name, e.name"
      kg export --format graphml out.graphml

    \b
    Neo4j instead of the embedded store:
      export NEO4J_URI=bolt://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=...
      kg build examples/issues          # or: kg build --store bolt://localhost:7687 …

    The embedded store keeps its data under $KG_HOME (default ~/.local/share/kg).
    """
    _setup_logging(verbose, quiet)


def _fail(exc: Exception) -> None:
    click.echo(f"kg: error: {exc}", err=True)
    sys.exit(1)


store_option = click.option(
    "--store", "store_uri", metavar="URI",
    help="'embedded' (default) or a Bolt URI (bolt://, neo4j://). Default: $NEO4J_URI, else embedded.")


# --------------------------------------------------------------------------- ingest / extract

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jsonl", is_flag=True, help="One JSON object per article (the default output).")
@click.option("--encoding", help="Force the files' encoding (default: detect utf-8, gb18030, big5).")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Issue date when neither file name nor text gives one.")
@click.option("--skipped", is_flag=True, help="Also print the spans skipped as page furniture, with reasons.")
def ingest(paths: tuple[str, ...], jsonl: bool, encoding: str | None, date_: str | None, skipped: bool) -> None:
    """Show how issue files are cut into articles, before any NLP runs.

    Prints one JSON line per article: id, issue, date, title, bylines, text and
    its raw span in the file. Unreadable files are reported and skipped.

    \b
    Example:
      kg ingest examples/issues/lcrb-2031-03-15.txt | head -1
    """
    from kg.ingest import issue_files, read_issue

    failures = 0
    for path in issue_files(list(paths)):
        try:
            issue = read_issue(path, encoding, date_)
        except KGError as exc:
            failures += 1
            click.echo(f"kg: skipped {exc}", err=True)
            continue
        for w in issue.warnings:
            log.warning(w)
        for a in issue.articles:
            click.echo(json.dumps({
                "id": a.id, "issue": issue.id, "date": issue.date.date, "date_source": issue.date.source,
                "title": a.title, "kind": a.kind,
                "bylines": [{"name": b.name, "role": b.role, "medium": b.medium} for b in a.bylines],
                "text": a.text, "raw_span": [a.raw_start, a.raw_end], "source": issue.source,
            }, ensure_ascii=False))
        if skipped:
            for s in issue.skipped:
                click.echo(json.dumps({"skipped": [s.start, s.end], "reason": s.reason, "text": s.text,
                                       "issue": issue.id}, ensure_ascii=False))
    if failures:
        sys.exit(1)


@cli.command()
@click.option("--jsonl", is_flag=True, required=True,
              help="JSON lines in on stdin, JSON lines out on stdout (the only mode).")
def extract(jsonl: bool) -> None:
    """Extract entities, roles and attendance from articles given as JSON lines.

    \b
    In  (stdin):  {"id": "a-001", "text": "本报讯（记者 林晨）12月27日……", "date": "2024-12-28"}
    Out (stdout): {"id": "a-001", "entities": [...], "roles": [...], "attendance": [...]}

    One output line per input line, same order; all lines are one corpus, so
    equal entity ids mean the same entity. A line that fails still gets an
    output line, with an "error" field and empty lists. See
    spec/extraction-contract.md in the shared folder for the full contract.
    """
    from kg.pipeline import analyse, article_from_record, contract_record

    lines = sys.stdin.read().splitlines()
    parsed: list[tuple[int, dict | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            parsed.append((n, rec, None))
        except ValueError as exc:
            parsed.append((n, None, f"line {n}: invalid JSON: {exc}"))
    good = [rec for _, rec, err in parsed if rec is not None]
    results: dict[int, dict] = {}
    try:
        articles = [article_from_record(r) for r in good]
        for i, res in enumerate(analyse(articles)):
            results[i] = contract_record(res)
    except Exception as exc:  # noqa: BLE001 - the contract wants a line per input, whatever failed
        log.error("extraction failed: %s", exc)
        failure = f"{type(exc).__name__}: {exc}"
        results = {i: results.get(i) or _error_line(good[i].get("id"), failure) for i in range(len(good))}
    i = 0
    for _, rec, err in parsed:
        if rec is None:
            click.echo(json.dumps(_error_line(None, err), ensure_ascii=False))
            continue
        click.echo(json.dumps(results[i], ensure_ascii=False))
        i += 1


def _error_line(rec_id, error: str | None) -> dict:
    return {"id": rec_id, "error": error, "entities": [], "roles": [], "attendance": []}


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KGError as exc:
        _fail(exc)


if __name__ == "__main__":
    main()
