"""Stage 1: issue files -> Issue with Articles (repaired text, offsets, bylines, date)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.config import PAPER, PAPER_ID
from kg.errors import InputError
from kg.ingest.articles import segment
from kg.ingest.dates import CONFIDENT, infer_date
from kg.ingest.reader import TEXT_SUFFIXES, read_issue_file
from kg.models import Issue

__all__ = ["read_issue", "issue_files", "CONFIDENT"]


def issue_files(paths: list[str]) -> Iterator[Path]:
    """Files named on the command line, and the text files inside named folders, sorted."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                              and not f.name.startswith("."))
        else:
            yield p


def read_issue(path: str | Path, encoding: str | None = None, date: str | None = None) -> Issue:
    decoded = read_issue_file(path, encoding)
    guess = infer_date(str(path), decoded.text, date)
    stem = re.sub(r"[^0-9A-Za-z_-]+", "-", Path(path).stem).strip("-") or "issue"
    issue_id = f"{PAPER_ID}-{guess.date}" if guess.date else f"{PAPER_ID}-{stem}"
    articles, skipped = segment(issue_id, decoded.text)
    if not articles:
        raise InputError(str(path), "no article text found")
    issue = Issue(id=issue_id, paper=PAPER, source=str(path), sha256=decoded.sha256, date=guess,
                  encoding=decoded.encoding, text=decoded.text, articles=articles, skipped=skipped)
    for a in articles:
        a.date = guess.date
    if decoded.bad_spans:
        spans = ", ".join(f"{s}-{e}" for s, e in decoded.bad_spans[:5])
        issue.warnings.append(f"{path}: {len(decoded.bad_spans)} undecodable byte span(s) at {spans} "
                              f"(read as {decoded.encoding}, replaced with U+FFFD)")
    if guess.date is None:
        issue.warnings.append(f"{path}: issue date unknown ({'; '.join(guess.evidence)}); pass --date")
    elif guess.confidence < CONFIDENT:
        issue.warnings.append(f"{path}: issue date {guess.date} is a low-confidence guess "
                              f"({guess.confidence:.1f}: {'; '.join(guess.evidence)}); pass --date to fix it")
    return issue
