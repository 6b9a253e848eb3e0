"""kg: Chinese local newspaper issues -> a knowledge graph (Neo4j or embedded FalkorDB).

A thin shell over the library: each command reads its input, calls the stages
and prints what happened. Errors that kg means to report exit with status 1
and one line naming the file or server and the cause.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError

log = logging.getLogger("kg")

EXIT_PARTIAL = 3  # some files could not be read; the others were processed
EXIT_BUSY = 4  # another command held the store's lock past --lock-wait

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

    click.echo(f"kg: error: {_one_line(exc)}", err=True)
    sys.exit(1)


def _one_line(exc: Exception) -> str:
    """An error as one line, store passwords masked (logs and crontab mail keep no secret)."""
    from kg.store import masked

    return " ".join(masked(str(exc)).split())


def _open_store(store_uri: str | None, wait: float | None = None, command: str = "kg"):
    """The store a command names: --store, else $NEO4J_URI, else the embedded one."""
    from kg.config import store_uri as resolve_uri
    from kg.store import open_store

    return open_store(resolve_uri(store_uri), wait=wait, command=command)


def _store_uri(ctx, param, value: str | None) -> str | None:  # noqa: ARG001 - click callback signature
    """An unknown kind of store is a usage error (exit 2), found before anything starts."""
    from kg.store import check_uri

    if value is not None:
        try:
            check_uri(value)
        except KGError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


store_option = click.option(
    "--store", "store_uri", metavar="URI", callback=_store_uri,
    help="'embedded' (default), a Bolt URI (bolt://, neo4j://) or falkor://host:port (a shared FalkorDB). "
         "Default: $NEO4J_URI, else embedded.")


def _seconds(value: str) -> float:
    from kg.config import duration

    try:
        return duration(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: use seconds or a number with s, m or h (10m)") from None


workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes that analyse articles (default: KG_WORKERS, else the machine's cores). The "
         "parent keeps the order, resolves identity and writes, so the result is the same for any N.")

lock_wait_option = click.option(
    "--lock-wait", default="1h", show_default=True, metavar="TIME",
    help="How long to wait while another command loads into the same store (30s, 10m, 0: "
         "do not wait); then stop with exit status 4.")


# --------------------------------------------------------------------------- ingest / extract

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jsonl", is_flag=True, help="One JSON object per article (the default output).")
@click.option("--encoding", help="Force the files' encoding (default: detect utf-8, gb18030, big5).")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Issue date when neither file name nor text gives one.")
@click.option("--skipped", is_flag=True, help="Also print the spans skipped as page furniture, with reasons.")
def ingest(paths: tuple[str, ...], jsonl: bool, encoding: str | None, date_: str | None, skipped: bool) -> None:
    """Show how issue files are cut into articles, before any NLP runs.

    Prints one JSON line per article: id, issue, date (with its source and
    confidence), kind, kicker, title, subtitle, dateline, bylines, the repaired
    text and its raw span in the file. Unreadable files are reported with the
    reason and skipped (exit status 3: partial). --skipped also prints the
    spans left out (page furniture, continuation markers), with reasons.

    \b
    Example:
      kg ingest examples/issues/lcrb-2031-03-15.txt | head -1
    """
    from kg.ingest import read_issue_parts

    _check_options(encoding, date_)
    failures = done = 0
    for path in _issue_files(paths):
        try:
            for issue in read_issue_parts(path, encoding, date_):
                _print_issue_part(issue, skipped)
            done += 1
        except KGError as exc:
            failures += 1
            click.echo(f"kg: skipped {exc}", err=True)
    if failures:
        sys.exit(EXIT_PARTIAL if done else 1)


def _print_issue_part(issue, skipped: bool) -> None:
    for w in issue.warnings:
        log.warning(w)
    for a in issue.articles:
        click.echo(json.dumps({
            "id": a.id, "issue": issue.id, "date": issue.date.date, "date_source": issue.date.source,
            "date_confidence": issue.date.confidence, "kind": a.kind, "kicker": a.kicker, "title": a.title,
            "subtitle": a.subtitle, "dateline": a.dateline, "issuer": a.issuer or None, "issued": a.issued,
            "bylines": [{"name": b.name, "role": b.role or None, "medium": b.medium} for b in a.bylines],
            "text": a.text, "raw_span": [a.raw_start, a.raw_end], "title_spans": a.title_spans,
            "source": issue.source, "encoding": issue.encoding,
        }, ensure_ascii=False))
    if skipped:
        for s in issue.skipped:
            click.echo(json.dumps({"skipped": [s.start, s.end], "reason": s.reason, "text": s.text,
                                   "issue": issue.id}, ensure_ascii=False))


@cli.command()
@click.option("--jsonl", is_flag=True, required=True,
              help="JSON lines in on stdin, JSON lines out on stdout (the only mode).")
@click.option("--issues", "issue_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Read issue files (or folders of them) instead of stdin: one line per article, with its "
                   "issue. The single-machine run of scripts/spark_extract.py. Repeatable.")
@workers_option
def extract(jsonl: bool, issue_paths: tuple[str, ...], workers: int | None) -> None:
    """Extract entities, roles and attendance from articles given as JSON lines.

    \b
    In  (stdin):  {"id": "a-001", "text": "本报讯（记者 林晨）12月27日……", "date": "2024-12-28"}
    Out (stdout): {"id": "a-001", "entities": [...], "roles": [...], "attendance": [...]}

    \b
    With --issues PATH, issue files are read instead of stdin, one line per
    article (with "issue"):  kg extract --jsonl --issues examples/issues

    One output line per input line, same order; all lines are one corpus, so
    equal entity ids mean the same entity. A line that fails still gets an
    output line, with an "error" field and empty lists. Input is streamed:
    analysed results wait in a temporary file, not in memory, until identity
    over all lines is known. See spec/extraction-contract.md in the shared
    folder for the full contract.
    """
    from kg.parallel import Analyser, default_workers

    files = _issue_files(issue_paths) if issue_paths else None
    with Analyser(workers or default_workers()) as analyser:
        lines = extracted_lines(sys.stdin, analyser) if files is None else _issue_lines(files, analyser)
        for line in lines:
            click.echo(json.dumps(line, ensure_ascii=False))


def _issue_lines(files: list[Path], analyser) -> Iterator[dict]:
    """`kg extract --issues`: each readable file's articles analysed, identity over all."""
    from kg.archive import identified_lines
    from kg.ingest import read_issue
    from kg.parallel import first_failure

    def analysed() -> Iterator:
        for path in files:
            try:
                issue = read_issue(path)
            except KGError as exc:
                log.error("skipped %s", exc)
                continue
            results = analyser.analyse(issue.articles)
            failed = first_failure(results)
            if failed:
                log.error("skipped %s: analysis failed (%s)", path, failed)
                continue
            yield issue, results

    yield from identified_lines(analysed())


def extracted_lines(lines: Iterable[str], analyser) -> Iterator[dict]:
    """The output lines of `kg extract` for these input lines. Two passes: the first
    analyses (in the analyser's workers) and meets every article's entities, spooling
    the results to a temporary file; the second decides identity article by article
    and yields each line, so a long input never sits in memory."""
    import pickle
    import tempfile

    from kg.aliases.identity import IdentityRegistry
    from kg.pipeline import contract_record

    registry = IdentityRegistry.from_schemas()  # one run, one corpus: ids across all lines
    entries: list[tuple[str | None, str | None]] = []  # (id, error) per non-blank input line

    def articles() -> Iterator:
        for n, line in enumerate(lines, 1):
            if line.strip():
                rec, err = _extract_record(n, line)
                entries.append((rec.get("id") if rec else None, err))
                if err is None:
                    yield rec  # made an Article in the worker that analyses it (kg.parallel)

    with tempfile.TemporaryFile() as spool:
        for result in analyser.stream(articles()):
            if not isinstance(result, str):  # a failed article is its error, said in the second pass
                registry.meet([result])
            pickle.dump(result, spool)
        spool.seek(0)
        for rec_id, err in entries:
            result = err or pickle.load(spool)
            if isinstance(result, str):
                if not err:
                    log.error("record %s: %s", rec_id, result)
                yield _error_line(rec_id, result)
            else:
                registry.decide([result])
                yield contract_record(result)


def _extract_record(n: int, line: str) -> tuple[dict | None, str | None]:
    """One input line checked on its own: (record, None), or (record or None, the error).
    A bad date is dropped with a warning; the record is read without it."""
    from datetime import date

    try:
        rec = json.loads(line)
    except ValueError as exc:
        return None, f"line {n}: invalid JSON: {exc}"
    if not isinstance(rec, dict):
        return None, f"line {n}: not a JSON object"
    if not isinstance(rec.get("text"), str):
        return rec, f"line {n}: no \"text\" (a string) in the record"
    if rec.get("date") is not None:
        try:
            rec = {**rec, "date": date.fromisoformat(str(rec["date"])).isoformat()}
        except ValueError:
            log.warning("line %d (id %s): date %r is not YYYY-MM-DD; read without a date", n, rec.get("id"),
                        rec["date"])
            rec = {**rec, "date": None}
    return rec, None


# --------------------------------------------------------------------------- build / query / stats / export

def _issue_files(paths: tuple[str, ...]) -> list[Path]:
    """The issue files named or inside named folders; a path that does not exist is a usage
    error (exit 2), said before any server starts."""
    from kg.ingest import issue_files

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    return list(issue_files(list(paths)))


def _load(paths: tuple[str, ...], store_uri: str | None, command: str, encoding: str | None, date_: str | None,
          force: bool, lock_wait: str, remove_missing: bool, progress: bool, files: list[Path] | None = None,
          query: str | None = None, workers: int | None = None):
    """Plan and run one load of these paths (kg.loading): the report, the store's counts and
    address, and the rows of `query` run afterwards."""
    from kg.config import store_uri as resolve_uri
    from kg.loading import locked_loader
    from kg.parallel import default_workers
    from kg.store import open_store
    from kg.writers.load import store_counts

    files = _issue_files(paths) if files is None else files
    with open_store(resolve_uri(store_uri), wait=_seconds(lock_wait), command=command) as store:
        with locked_loader(store, command, _seconds(lock_wait), workers or default_workers()) as loader:
            plan = loader.plan(files, encoding, date_, force, [Path(p) for p in paths] if remove_missing else None)
            report = loader.run(plan, encoding, date_, progress)
        return report, store_counts(store), store.uri, store.read(query) if query else None


def _writable(path: str) -> None:
    """An output file whose folder does not exist is a usage error, said before any work."""
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise click.UsageError(f"cannot write {path}: the folder {folder} does not exist")


def _check_options(encoding: str | None, date_: str | None) -> None:
    """Options that would fail only deep inside a run, checked first (exit 2)."""
    import codecs
    from datetime import date

    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(f"{encoding!r} is not an encoding Python knows (utf-8, gb18030, big5…)",
                                     param_hint="--encoding") from None
    if date_:
        try:
            date.fromisoformat(date_)
        except ValueError:
            raise click.BadParameter(f"{date_!r}: use YYYY-MM-DD", param_hint="--date") from None


encoding_option = click.option("--encoding", help="Force the files' encoding (default: detect utf-8, utf-16 "
                                                  "with a BOM, gb18030, big5).")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@encoding_option
@click.option("--date", "date_", metavar="YYYY-MM-DD",
              help="Issue date for files whose name and text give none (a confident guess from the text wins).")
@click.option("--force", is_flag=True, help="Process issues again even when the store has them unchanged.")
@click.option("--no-progress", is_flag=True, help="No progress bars (logs only).")
@click.option("--example-query", is_flag=True, help="Also print who attended what, from the store, when done.")
@lock_wait_option
@workers_option
def build(paths, store_uri, encoding, date_, force, no_progress, example_query, lock_wait, workers=None,
          command="kg build", remove_missing=False) -> None:
    """Read issues, extract, resolve aliases and load the graph into a store.

    PATHS are issue files or folders of them (*.txt). Each file is extracted
    and loaded on its own, so memory stays bounded (files over 8 MiB are read
    as a stream). A file the store already holds with the same content and
    pipeline version is skipped (--force processes it again); one it holds
    otherwise (changed text, newer pipeline, a load cut short) has exactly its
    own facts replaced, so repeating a build never duplicates anything.

    \b
    An issue delivered one file per page loads as one issue: name the files
    lcrb-2024-12-28-A01.txt, lcrb-2024-12-28-A02.txt (a page after the date;
    …-p3.txt and …-第3版.txt work too). Two files that claim one issue without
    being pages of it are an error naming both; the second is not loaded.

    \b
    Exit status: 0 all files loaded or unchanged; 3 partial: some files could
    not be read or loaded (each is named with the reason) and the rest were
    loaded; 1 nothing could be done (bad store, no readable file); 2 a usage
    error (a path that does not exist, a bad option); 4 another command kept
    loading into the same store for longer than --lock-wait.

    \b
    Examples:
      kg build examples/issues
      kg build ../shared/corpus/seeds --store bolt://localhost:7687
    """
    _check_options(encoding, date_)
    started = time.monotonic()
    files = _issue_files(paths)
    if not files:
        click.echo(f"kg: error: no issue files (*.txt) in {', '.join(paths)}", err=True)
        sys.exit(1)
    report, (nodes, rels), uri, rows = _load(paths, store_uri, command, encoding, date_, force, lock_wait,
                                             remove_missing, not no_progress, files,
                                             EXAMPLE_QUERY if example_query else None, workers)
    elapsed = time.monotonic() - started
    loaded = [o for o in report.outcomes if o.action in ("loaded", "replaced")]
    issues = len({o.issue_id for o in loaded})
    unchanged = report.count("unchanged", "moved")
    forgotten = [o for o in report.outcomes if o.action == "forgotten"]
    click.echo(f"Loaded {issues} issue(s), {sum(o.articles for o in loaded)} article(s) from {len(loaded)} "
               f"file(s) into {uri} in {elapsed:.1f}s"
               + (f"; {unchanged} unchanged file(s) skipped" if unchanged else "")
               + (f"; forgot {len(forgotten)} file(s) that are gone: "
                  + ", ".join(f"{o.part} ({o.path})" for o in forgotten) if forgotten else "") + ".")
    entity_counts = {k: v for k, v in nodes.items() if k not in ("Issue", "Article")}
    click.echo(f"The store holds {nodes.get('Issue', 0)} issue(s), {nodes.get('Article', 0)} article(s).")
    click.echo("Entities:      " + ", ".join(f"{k} {v}" for k, v in entity_counts.items()))
    click.echo("Relationships: " + ", ".join(f"{k} {v}" for k, v in rels.items()))
    if rows is not None:
        click.echo("\nWho attended what (first 20):")
        _print_table(rows)
    if report.errors:
        click.echo(f"Partial: {len(report.errors)} file(s) could not be read or loaded:", err=True)
        for f in report.errors:
            click.echo(f"  {f}", err=True)
        sys.exit(EXIT_PARTIAL if loaded or unchanged or forgotten else 1)


keep_missing_option = click.option(
    "--keep-missing", is_flag=True,
    help="Keep the facts of files loaded from under PATHS that are gone (deleted or renamed); by default "
         "they are forgotten, so the store equals a clean build of what is there.")


@cli.command("reload")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@encoding_option
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Issue date for files whose name and text give none.")
@click.option("--no-progress", is_flag=True, help="No progress bars (logs only).")
@keep_missing_option
@lock_wait_option
@workers_option
@click.pass_context
def reload_(ctx, paths, store_uri, encoding, date_, no_progress, keep_missing, lock_wait, workers) -> None:
    """Make the store match the issue files under PATHS, for schedules (cron, kg watch).

    \b
    The store's manifest (each file's path, content hash, pipeline version)
    says what it holds. New files are loaded; a file whose text or the
    pipeline changed, or whose last load was cut short, has exactly its own
    facts replaced; unchanged files are skipped (a moved one is recognised by
    its content); files loaded from under PATHS that are gone are forgotten
    (--keep-missing keeps them), each named in the summary. A renamed file is
    its old name gone and its new name new. Exit status as for `kg build`.
    Two reloads on one store take turns: the second waits (up to --lock-wait)
    while the first loads.
    Example (crontab, every 10 minutes):
      */10 * * * * cd /srv/kg && .venv/bin/kg reload /data/issues --no-progress >> reload.log 2>&1
    """
    ctx.invoke(build, paths=paths, store_uri=store_uri, encoding=encoding, date_=date_, force=False,
               no_progress=no_progress, example_query=False, lock_wait=lock_wait, workers=workers,
               command="kg reload", remove_missing=not keep_missing)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@store_option
@click.option("--interval", default="10m", show_default=True, help="Time between passes: 30s, 10m, 1h.")
@click.option("--cycles", default=0, show_default=True, help="Stop after this many passes (0: run until Ctrl-C).")
@keep_missing_option
@lock_wait_option
@workers_option
def watch(folder, store_uri, interval, cycles, keep_missing, lock_wait, workers) -> None:
    """Load new and changed issues from FOLDER as they arrive.

    \b
    A pass runs at start and then every --interval: like `kg reload FOLDER`, it
    loads new files, replaces changed ones, forgets files that are gone
    (unless --keep-missing) and skips the rest, printing one line per file
    loaded, replaced or forgotten once it is done in the store. Ctrl-C (or
    SIGTERM) stops it between passes. A file that cannot be read or loaded is
    logged and tried again on the next pass.
    Examples:
      kg watch /data/issues
      kg watch /data/issues --interval 30s --store bolt://localhost:7687
    """
    import signal

    pause = _seconds(interval)
    stop = {"asked": False}

    def ask_to_stop(signum, frame):  # noqa: ARG001 - signal handler signature
        if stop["asked"]:
            raise KeyboardInterrupt
        stop["asked"] = True
        log.info("stopping after the current pass (Ctrl-C again to stop at once)")

    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    passes = 0
    while not stop["asked"]:
        report, *_ = _load((folder,), store_uri, "kg watch", None, None, False, lock_wait,
                             not keep_missing, False, workers=workers)
        for error in report.errors:
            log.error("skipped %s (tried again next pass)", error)
        for outcome in report.outcomes:
            if outcome.action not in ("unchanged", "moved"):
                click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {outcome.action} {outcome.part} "
                           f"({outcome.articles} articles) from {outcome.path}")
        passes += 1
        if cycles and passes >= cycles:
            break
        deadline = time.monotonic() + pause
        while not stop["asked"] and time.monotonic() < deadline:
            time.sleep(min(1.0, pause))
    click.echo(f"kg watch: stopped after {passes} pass(es).")


@cli.command()
@click.argument("issue_ids", nargs=-1, required=True)
@store_option
@lock_wait_option
def forget(issue_ids, store_uri, lock_wait) -> None:
    """Remove issues and every fact that rests only on them.

    \b
    Each ISSUE_ID (as `kg query "MATCH (i:Issue) RETURN i.id"` lists them, e.g.
    lcrb-2024-12-28) loses its articles, their mentions and their share of
    every relationship; co-mention weights, post spans and aliases are
    recomputed from what remains, and entities nothing else supports are
    deleted: the store ends as a build without those issues would leave it.
    Example:
      kg forget lcrb-2024-12-28
    """
    from kg.loading import locked_loader

    wait = _seconds(lock_wait)
    with _open_store(store_uri, wait, "kg forget") as store, locked_loader(store, "kg forget", wait) as loader:
        for issue_id in issue_ids:
            stored = {row["issue"] for row in loader.manifest.values()}
            if issue_id not in stored and not loader.store.read("MATCH (i:Issue {id: $id}) RETURN i.id AS id",
                                                                {"id": issue_id}):
                raise click.ClickException(f"no issue {issue_id} in the store")
            removed = loader.forget(issue_id)
            click.echo(f"Forgot {issue_id}: {removed} article(s).")


_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _parse_params(params: tuple[str, ...]) -> dict:
    out = {}
    for p in params:
        k, eq, v = p.partition("=")
        if not eq or not _PARAM_NAME.match(k):
            raise click.BadParameter(f"{p!r}: use NAME=VALUE, NAME a Cypher parameter name (letters, digits, _)",
                                     param_hint="--param")
        try:
            out[k] = json.loads(v)
        except ValueError:
            out[k] = v
        bad = _bad_map_key(out[k])
        if bad is not None:
            raise click.BadParameter(f"{p!r}: map key {bad!r} cannot be sent to the store (use letters, "
                                     "digits and _)", param_hint="--param")
    return out


def _bad_map_key(value) -> str | None:
    """A key inside a JSON value that no store's parameter syntax takes (empty, a backtick)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if not key or "`" in key:
                return key
            bad = _bad_map_key(inner)
            if bad is not None:
                return bad
    if isinstance(value, list):
        return next((b for b in map(_bad_map_key, value) if b is not None), None)
    return None


def _print_table(rows: list[dict]) -> None:
    if not rows:
        click.echo("(no rows)")
        return
    cols = list(rows[0])
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]
    click.echo(" | ".join(_pad(c, w) for c, w in zip(cols, widths, strict=True)))
    click.echo("-+-".join("-" * w for w in widths))
    for row in cells:
        click.echo(" | ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)))
    click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _cell(v) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


QUERIES = Path(__file__).resolve().parent.parent / "scripts" / "queries"  # the shipped queries


@cli.command()
@click.argument("cypher_text", metavar="CYPHER|NAME", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False), help="Read the query from this file.")
@click.option("--list", "list_queries", is_flag=True, help="List the shipped queries (scripts/queries) by name.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; VALUE is read as JSON when it parses, else as a string. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table",
              show_default=True, help="table, json (one object per row), csv or tsv (a header row first).")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("--timeout", default="60s", show_default=True, metavar="TIME",
              help="Stop the query on the server after this long (30s, 10m); an abandoned query never "
                   "keeps the store busy.")
@store_option
def query(cypher_text, query_file, list_queries, params, fmt, as_json, timeout, store_uri) -> None:
    """Run a read-only Cypher query on the store and print the rows.

    The query is CYPHER itself, a shipped query by NAME (see --list), or --file F.
    A syntax error shows where it is; a label, relationship type or property the
    schema (schemas/graph.json) does not know is warned about, as Neo4j does.

    \b
    Examples:
      kg query "MATCH (p:Person)-[:MENTIONED_IN]->(a:Article) RETURN p.name, count(a) ORDER BY count(a) DESC LIMIT 5"
      kg query "MATCH (p:Person {name: $name})-[h:HOLDS]->(o) RETURN h.title, o.name" --param name=王刚
      kg query --list
      kg query posts_of_a_person --param name=李卫东 --format csv
      kg query --file my.cypher --format json
    """
    if list_queries:
        for path in sorted(QUERIES.glob("*.cypher")):
            about, example = query_header(path.read_text(encoding="utf-8"))
            click.echo(f"{path.stem:<42} {about[0] if about else ''}")
            if example:
                click.echo(f"{'':<42}   e.g. " + " ".join(f"--param {k}={v}" for k, v in example.items()))
        return
    text = _query_text(cypher_text, query_file)
    for warning in unknown_names(text):
        click.echo(f"kg: warning: {warning}", err=True)
    values = _parse_params(params)
    missing = [name for name in query_parameters(text) if name not in values]
    if missing:
        _, example = query_header(text)
        hint = " ".join(f"--param {k}={example.get(k, '…')}" for k in missing)
        raise click.UsageError(f"the query needs {', '.join('$' + m for m in missing)}: add {hint}")
    with _open_store(store_uri) as store:
        try:
            rows = store.read(text, values, timeout=_seconds(timeout) or None)
        except KGError as exc:
            click.echo(f"kg: error: {_one_line(exc)}", err=True)
            for line in _caret(text, str(exc)):
                click.echo(line, err=True)
            sys.exit(1)
    _print_rows(rows, "json" if as_json else fmt)


def _query_text(cypher_text: str | None, query_file: str | None) -> str:
    """The query: from --file, a shipped query's name, or the argument itself."""
    if query_file:
        path = Path(query_file)
        if not path.is_file():
            raise click.UsageError(f"no such query file: {query_file}")
        return path.read_text(encoding="utf-8")
    if not cypher_text:
        raise click.UsageError("give a query (CYPHER, a shipped query's NAME, or --file F); --list names them")
    shipped = QUERIES / f"{cypher_text}.cypher"
    if re.fullmatch(r"[A-Za-z_]\w*", cypher_text):
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8")
        raise click.UsageError(f"no shipped query called {cypher_text} (kg query --list names them)")
    return cypher_text


def query_header(text: str) -> tuple[list[str], dict]:
    """A shipped query's leading comments: what it answers (lines), and the parameters of
    its `// params: {json}` line, values that answer on the seed issues."""
    about, example = [], {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if body.startswith("params:"):
            try:
                example = json.loads(body[len("params:"):])
            except ValueError:
                example = {}  # a user's own file: a comment that is not JSON is only a comment
        else:
            about.append(body)
    return about, example


def _code(text: str) -> str:
    """A query without its string literals and comments (what names and parameters are read from)."""
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*", "", text)


def query_parameters(text: str) -> list[str]:
    """The $parameters a query uses (not inside strings or comments), in order of first use."""
    return list(dict.fromkeys(re.findall(r"\$([A-Za-z_]\w*)", _code(text))))


def _caret(text: str, message: str) -> list[str]:
    """The query's line an error points at ("line: 1, column: 21"), a caret under the column."""
    m = re.search(r"line:?\s*(\d+),\s*column:?\s*(\d+)", message)
    lines = text.splitlines()
    if not m or not 1 <= int(m.group(1)) <= len(lines):
        return []
    line, column = lines[int(m.group(1)) - 1], int(m.group(2))
    return ["  " + line, "  " + " " * sum(2 if _width(ch) == 2 else 1 for ch in line[: column - 1]) + "^"]


def unknown_names(text: str) -> list[str]:
    """Labels, relationship types and properties the schema does not have, as Neo4j warns of."""
    from kg.writers import cypher as statements

    schema = statements.schema()
    body = _code(text)
    labels = set(schema["nodes"]) | {statements.FILE, statements.LOCK, statements.STORE}
    types = set(schema["relationships"])
    properties = {p for spec in schema["nodes"].values() for key in ("properties", "union") for p in spec.get(key, [])}
    properties |= {spec["key"] for spec in schema["nodes"].values()}
    properties |= {p for spec in schema["relationships"].values()
                   for key in ("merge", "set", "union", "min", "max") for p in spec.get(key, [])}
    properties |= {p for spec in schema["relationships"].values() for p in spec.get("size_of", {})}
    out = []
    for name in sorted(set(re.findall(r"\(\s*\w*\s*:\s*`?(\w+)", body)) - labels):
        out.append(f"the label {name} is not in the schema (schemas/graph.json): the query finds no such node")
    for group in re.findall(r"\[\s*\w*\s*:\s*([\w|`: ]+)", body):
        for name in sorted({n.strip(" `:") for n in group.split("|")} - types - {""}):
            out.append(f"the relationship type {name} is not in the schema (schemas/graph.json)")
    for name in sorted({p for p in re.findall(r"\b\w+\.(\w+)\b", body) if not p[0].isdigit()} - properties):
        out.append(f"the property {name} is not in the schema (schemas/graph.json)")
    return out


def _print_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    elif fmt in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        cols = list(rows[0]) if rows else []
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        click.echo(out.getvalue(), nl=False)
    else:
        _print_table(rows)


@cli.command()
@click.argument("name")
@click.option("--top", default=10, show_default=True, help="How many co-mentioned entities to list.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per person instead of text.")
@store_option
def person(name, top, as_json, store_uri) -> None:
    """A person's posts as a timeline, the events they took part in (each with the
    sentence it rests on), and the entities named most often in the same sentences.

    \b
    Every person of that name (or alias) is shown: two people who share a name
    are two nodes, each with the reason identity resolution gave (merge_reason).
    Examples:
      kg person 柳庆发
      kg person 王刚 --top 5 --json
    """
    from kg.writers import cypher

    with _open_store(store_uri) as store:
        people = store.read(cypher.person_profile(), {"name": name})
        texts: dict[str, str] = {}
        for p in people:
            args = {"id": p["id"]}
            p["posts"] = store.read(cypher.person_posts(), args)
            p["events"] = store.read(cypher.person_events(), args)
            for item in p["posts"] + p["events"]:
                spans = item.pop("spans") or []
                item["evidence"] = _evidence(store, spans[0], texts) if spans else None
            p["co_mentioned"] = store.read(cypher.person_co_mentions(), {**args, "limit": top})
    if not people:
        raise click.ClickException(f"no person called {name} in the store")
    for p in people:
        if as_json:
            click.echo(json.dumps(p, ensure_ascii=False))
            continue
        click.echo(f"{p['name']}  ({p['id']}; {p['merge_reason']}, confidence {p['confidence']})")
        click.echo("  posts:")
        for post in p["posts"]:
            span = post["first_seen"] if post["first_seen"] == post["last_seen"] else \
                f"{post['first_seen']} .. {post['last_seen']}"
            click.echo(f"    {span}  {post['title']}, {post['organization']}  ({post['articles']} article(s))")
            _echo_evidence(post["evidence"])
        for title in p["titles"] or []:
            click.echo(f"    (no body given)  {title}")
        click.echo("  events:")
        for ev in p["events"]:
            where = f" in {ev['place']}" if ev["place"] else ""
            click.echo(f"    {', '.join(ev['dates'] or []) or '?'}  {ev['event']}{where}: {', '.join(ev['roles'])}")
            _echo_evidence(ev["evidence"])
        click.echo("  most co-mentioned:")
        for co in p["co_mentioned"]:
            click.echo(f"    {co['name']} ({co['label']}): {co['sentences']} sentence(s)")


def _evidence(store, span: str, texts: dict[str, str]) -> dict | None:
    """The sentence of an article that a fact rests on ("lcrb-2031-03-15-01:12-30")."""
    from kg.serve.render import parse_span, sentence_around
    from kg.writers import cypher

    parsed = parse_span(span)
    if parsed is None:
        return None
    article, start, end = parsed
    if article not in texts:
        rows = store.read(cypher.article_text(), {"id": article})
        texts[article] = (rows[0]["text"] or "") if rows else ""
    if not texts[article]:
        return None
    sentence = "".join(sentence_around(texts[article], start, end))
    return {"article": article, "sentence": "".join(sentence.split())}


def _echo_evidence(evidence: dict | None) -> None:
    if evidence:
        click.echo(f"        “{evidence['sentence']}” ({evidence['article']})")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@store_option
def stats(as_json, store_uri) -> None:
    """Count the store's nodes by label and relationships by type."""
    from kg.writers.load import store_counts

    with _open_store(store_uri) as store:
        nodes, rels = store_counts(store)
    if as_json:
        click.echo(json.dumps({"nodes": nodes, "relationships": rels}, ensure_ascii=False))
        return
    click.echo("Nodes:")
    for k, v in nodes.items():
        click.echo(f"  {k:<14}{v:>8}")
    click.echo("Relationships:")
    for k, v in rels.items():
        click.echo(f"  {k:<14}{v:>8}")


@cli.command()
@click.argument("out", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["graphml", "jsonl", "neo4j-csv"]), required=True,
              help="graphml (one file), jsonl (one file), neo4j-csv (a folder for neo4j-admin import).")
@store_option
def export(out, fmt, store_uri) -> None:
    """Write the store's graph to files.

    \b
    Examples:
      kg export --format graphml graph.graphml        # Gephi, yEd, networkx
      kg export --format jsonl graph.jsonl            # one node or relationship per line
      kg export --format neo4j-csv import/            # then: sh import/import.sh (neo4j-admin, see
                                                      # README "First loads"); the files it records are in
    """
    from kg.writers.files import export as write
    from kg.writers.files import graph_from_store

    if fmt != "neo4j-csv":
        _writable(out)
    with _open_store(store_uri) as store:
        g = graph_from_store(store, manifest=fmt == "neo4j-csv")  # a bulk load, then kg reload on top
    write(g, fmt, Path(out))
    click.echo(f"Wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} relationships to {out} ({fmt}).")


@cli.command()
@click.argument("article_id")
@click.option("--html", "html_path", type=click.Path(), metavar="OUT.html",
              help="Also write a page: the text with the stored mentions marked by type (displaCy's view).")
@store_option
def show(article_id, html_path, store_uri) -> None:
    """What the store holds of one article: its mentions, the posts and the attendance
    read from it (what queries see, not a new run of the pipeline).

    \b
    Examples:
      kg show lcrb-2031-03-15-01
      kg show lcrb-2031-03-15-01 --html article.html
    """
    from kg.writers import cypher

    if html_path:
        _writable(html_path)
    with _open_store(store_uri) as store:
        found = store.read(cypher.article_text(), {"id": article_id})
        if not found:
            raise click.ClickException(f"no article {article_id!r} in the store (see: kg query "
                                       "\"MATCH (a:Article) RETURN a.id, a.title LIMIT 20\")")
        mentions = store.read(cypher.article_mentions(), {"id": article_id})
        roles = store.read(cypher.article_roles(), {"id": article_id})
        attendance = store.read(cypher.article_attendance(), {"id": article_id})
    from kg.serve.render import marked_text, mention_spans

    article = found[0]
    spans = mention_spans(mentions)
    click.echo(f"{article_id}  {article['title'] or '(no title)'}  (issue {article['issue']}, {article['date']})")
    click.echo("Mentions:")
    for start, end, kind, _, name in spans:
        form = article["text"][start:end]
        click.echo(f"  {kind:<13}{form}" + (f" = {name}" if form != name else "") + f"  [{start}-{end}]")
    click.echo("Posts:" + ("" if roles else " none"))
    for r in roles:
        click.echo(f"  {r['person']}: {r['title']}, {r['organization']}")
    click.echo("Attendance:" + ("" if attendance else " none"))
    for a in attendance:
        click.echo(f"  {a['person']} {a['role']} {a['event']}")
    if html_path:
        page = marked_text(article["text"], spans, link=None, page=True,
                           title=f"{article_id} {article['title'] or ''}")
        Path(html_path).write_text(page, encoding="utf-8")
        click.echo(f"Wrote {html_path}")


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 to serve on (never on other addresses).")
@click.option("--open", "open_browser", is_flag=True, help="Open the explorer in the default web browser.")
@store_option
def serve(port, open_browser, store_uri) -> None:
    """Explore the graph in a web browser: search, entity and article pages, and a
    neighbourhood view, read from the store (embedded or Neo4j alike).

    \b
    Pages:
      /                      what the store holds, most-named entities, issues
      /search?q=时风          any name or alias (时风 finds 时风集团)
      /entity/ID             posts as a timeline, events, co-mentions, articles,
                             and for each fact the sentence it rests on
      /article/ID            the text with its stored mentions marked and linked
      /issue/ID              an issue's articles

    Serves on 127.0.0.1 only; Ctrl-C stops it. Pages read without taking the
    store's lock, so `kg reload` can load while you browse.

    \b
    Examples:
      kg serve                                   # http://127.0.0.1:8000/
      kg serve --port 8100 --store bolt://localhost:7687
    """
    import socket

    import uvicorn

    from kg.config import store_uri as resolve_uri
    from kg.serve.app import create_app
    from kg.serve.reader import StoreReader
    from kg.store import masked

    with socket.socket() as probe:  # a port in use is said before anything starts
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise click.UsageError(f"port {port} on 127.0.0.1 is not free ({exc.strerror}); try --port") from None
    reader = StoreReader(resolve_uri(store_uri))
    reader.read("RETURN 1 AS ok")  # a dead store is an error now, not on the first page
    url = f"http://127.0.0.1:{port}/"
    click.echo(f"kg explorer on {url} (store: {masked(reader.uri)}); Ctrl-C stops it")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        uvicorn.run(create_app(reader), host="127.0.0.1", port=port, log_level="warning")
    finally:
        reader.close()


# --------------------------------------------------------------------------- store

@cli.group()
def store() -> None:
    """Start, stop or inspect the embedded FalkorDB server.

    Every command starts the embedded server when it needs it. It stays up
    for the next command and stops itself once no command has used it for
    KG_STORE_IDLE (default 10m; 0 stops it as each command ends). `kg store
    start` keeps one running for good (to connect other tools) until `kg
    store stop`, which also stops an idle one now.
    """


@store.command("start")
def store_start() -> None:
    """Start the embedded server and leave it running."""
    from kg.store.embedded import EmbeddedServer

    server = EmbeddedServer(persistent=True)
    state = server.keep_running()
    click.echo(f"running: pid {state.pid}, falkor://127.0.0.1:{state.port}, data in {server.data_dir}")


@store.command("stop")
def store_stop() -> None:
    """Stop the embedded server if one is running (after any kg command using it ends)."""
    from kg.store.embedded import EmbeddedServer

    state = EmbeddedServer().shut_down()
    click.echo(f"stopped pid {state.pid}" if state else "not running")


@store.command("status")
def store_status() -> None:
    """Say whether the embedded server runs, where, and where its data is."""
    from kg.store.embedded import EmbeddedServer

    server = EmbeddedServer()
    state = server.running()
    if state is None:
        click.echo(f"not running (data in {server.data_dir})")
    else:
        kind = ("kept running by kg store start" if state.persistent else
                f"stops after {state.idle:.0f}s idle; idle {min(server.idle_for(), 1e9):.0f}s now" if state.idle > 0
                else "left by an earlier command")
        click.echo(f"running: pid {state.pid}, falkor://127.0.0.1:{state.port} ({kind}); data in {server.data_dir}")


def _error_line(rec_id, error: str | None) -> dict:
    return {"id": rec_id, "error": error, "entities": [], "roles": [], "attendance": []}


def main() -> None:
    from kg.store import masked
    from kg.store.lock import LockBusy

    try:
        cli(standalone_mode=True)
    except LockBusy as exc:
        click.echo(f"kg: error: {_one_line(exc)}", err=True)
        sys.exit(EXIT_BUSY)
    except KGError as exc:
        _fail(exc)
    except Exception as exc:  # noqa: BLE001 - a bug or an unforeseen failure: one line, no password in it
        if log.isEnabledFor(logging.DEBUG):
            import traceback

            click.echo(masked(traceback.format_exc()), err=True)
        click.echo(f"kg: error: {type(exc).__name__}: {_one_line(exc)} (kg -vv … shows where)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
