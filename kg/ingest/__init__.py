"""Stage 1: issue files -> Issue with Articles (repaired text, offsets, bylines, date)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from kg.config import PAPER, PAPER_ID
from kg.errors import InputError
from kg.ingest.articles import headline_first, segment
from kg.ingest.dates import CONFIDENT, infer_date
from kg.ingest.reader import TEXT_SUFFIXES, detect_encoding, file_digest, read_issue_file, stream_issue_file
from kg.models import Issue

__all__ = ["read_issue", "read_issue_parts", "issue_files", "CONFIDENT"]

# Files above this many bytes (default 8 MiB; KG_STREAM_OVER) are read as a stream, part by part.
STREAM_OVER = int(os.environ.get("KG_STREAM_OVER", 8 << 20))


def issue_files(paths: list[str]) -> Iterator[Path]:
    """Files named on the command line, and the text files inside named folders, sorted."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                              and not f.name.startswith("."))
        else:
            yield p


def _issue_id(path: str | Path, guess) -> str:
    stem = re.sub(r"[^0-9A-Za-z_-]+", "-", Path(path).stem).strip("-") or "issue"
    return f"{PAPER_ID}-{guess.date}" if guess.date else f"{PAPER_ID}-{stem}"


def _bad_bytes_warning(path, bad_spans, encoding) -> list[str]:
    if not bad_spans:
        return []
    spans = ", ".join(f"{s}-{e}" for s, e in bad_spans[:5])
    return [f"{path}: {len(bad_spans)} undecodable byte span(s) at {spans} "
            f"(read as {encoding}, replaced with U+FFFD)"]


def _date_warning(path, guess) -> list[str]:
    if guess.date is None:
        return [f"{path}: issue date unknown ({'; '.join(guess.evidence)}); pass --date"]
    if guess.confidence < CONFIDENT:
        return [f"{path}: issue date {guess.date} is a low-confidence guess "
                f"({guess.confidence:.1f}: {'; '.join(guess.evidence)}); pass --date to fix it"]
    return []


def read_issue(path: str | Path, encoding: str | None = None, date: str | None = None) -> Issue:
    decoded = read_issue_file(path, encoding)
    guess = infer_date(str(path), decoded.text, date)
    issue_id = _issue_id(path, guess)
    articles, skipped = segment(issue_id, decoded.text)
    if not articles:
        raise InputError(str(path), "no article text found")
    for a in articles:
        a.date = guess.date
    return Issue(id=issue_id, paper=PAPER, source=str(path), sha256=decoded.sha256, date=guess,
                 encoding=decoded.encoding, text=decoded.text, articles=articles, skipped=skipped,
                 warnings=_bad_bytes_warning(path, decoded.bad_spans, decoded.encoding) + _date_warning(path, guess))


def read_issue_parts(path: str | Path, encoding: str | None = None, date: str | None = None,
                     stream_over: int | None = None) -> Iterator[Issue]:
    """An issue as one Issue, or a file larger than `stream_over` bytes as
    several Issue parts (same id, articles numbered on), read as a stream so
    memory stays bounded whatever the file's size."""
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if size <= (stream_over if stream_over is not None else int(os.environ.get("KG_STREAM_OVER", STREAM_OVER))):
        yield read_issue(path, encoding, date)
        return
    detected, head = detect_encoding(path)  # also checks the file is text
    enc = encoding or detected
    digest = file_digest(path)
    bad: list[tuple[int, int]] = []
    guess, issue_id, seq, reported = None, "", 1, 0
    for part in stream_issue_file(path, enc, bad, headline_first(head)):
        if guess is None:
            guess = infer_date(str(path), part.text, date)
            issue_id = _issue_id(path, guess)
        articles, skipped = segment(issue_id, part.text, part.base, seq)
        seq += len(articles)
        for a in articles:
            a.date = guess.date
        warnings = _bad_bytes_warning(path, bad[reported:], enc) + (_date_warning(path, guess) if part.base == 0 else [])
        reported = len(bad)
        yield Issue(id=issue_id, paper=PAPER, source=str(path), sha256=digest, date=guess, encoding=enc,
                    text="", articles=articles, skipped=skipped, warnings=warnings)
    if guess is None:
        raise InputError(str(path), "no article text found")
