"""Stage 1: issue files -> Issue with Articles (repaired text, offsets, bylines, date)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.config import PAPER, PAPER_ID
from kg.errors import InputError
from kg.ingest.articles import headline_first, segment
from kg.ingest.dates import _FILE_DATE, CONFIDENT, infer_date
from kg.ingest.reader import TEXT_SUFFIXES, detect_encoding, file_digest, read_issue_file, stream_issue_file
from kg.models import DateGuess, Issue

__all__ = ["read_issue", "read_issue_parts", "issue_files", "describe", "IssueFile", "CONFIDENT"]

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


# A page of an issue delivered one file per page: what follows the date in the file name
# (lcrb-2024-12-28-A01.txt, …-p3.txt, …-第2版.txt), or, in a name with no date, an explicit
# page mark at its end (…_A01.txt, …-page2.txt).
_PAGE_AFTER_DATE = re.compile(r"^[-_. ]*(?:p|page|第)?([A-Za-z]?)0*(\d{1,3})(?:版|页)?$", re.I)
_PAGE_TAIL = re.compile(r"[-_. ](?:(?:p|page)[-_ ]?()0*(\d{1,3})|第()0*(\d{1,3})[版页]|([A-Z])0*(\d{1,2}))$", re.I)


def page_of(path: str | Path) -> tuple[str | None, str]:
    """(page, the name without it): ("A01", "lcrb-2024-12-28") for lcrb-2024-12-28-A01.txt;
    (None, stem) for a file that is a whole issue. Pages are normalised (A1 = A01)."""
    stem = Path(path).stem
    dated = _FILE_DATE.search(stem)
    if dated:
        m = _PAGE_AFTER_DATE.match(stem[dated.end():])
        if m and stem[dated.end():]:
            return f"{m.group(1).upper()}{int(m.group(2)):02d}", stem[: dated.end()]
        return None, stem
    m = _PAGE_TAIL.search(stem)
    if not m:
        return None, stem
    letter, number = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i + 1))
    return f"{letter.upper()}{int(number):02d}", stem[: m.start()]


def page_order(page: str | None) -> tuple[str, int]:
    """Pages sort by letter, then number (A02 before A10 before B01)."""
    if not page:
        return ("", 0)
    return (page.rstrip("0123456789"), int(page.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or 0))


def _issue_id(stem: str, guess) -> str:
    stem = re.sub(r"[^0-9A-Za-z_-]+", "-", stem).strip("-") or "issue"
    return f"{PAPER_ID}-{guess.date}" if guess.date else f"{PAPER_ID}-{stem}"


def _ids(path: str | Path, guess: DateGuess) -> tuple[str, str, str | None]:
    """(issue id, part id, page): a page file's part is its issue's id and its page."""
    page, stem = page_of(path)
    issue_id = _issue_id(stem, guess)
    return issue_id, (f"{issue_id}-{page}" if page else issue_id), page


@dataclass
class IssueFile:
    """What a file is before it is analysed: which issue, which part of it, its content hash."""

    path: Path
    sha256: str
    issue_id: str
    part: str
    page: str | None
    date: DateGuess


def describe(path: str | Path, encoding: str | None = None, date: str | None = None,
             stream_over: int | None = None) -> IssueFile:
    """Read a file only as far as needed to know its issue and part (the date, from its
    name or text; a large file's date from its first bytes, as read_issue_parts does)."""
    if _size(path) <= _stream_limit(stream_over):
        decoded = read_issue_file(path, encoding)
        text, digest = decoded.text, decoded.sha256
    else:
        text, digest = detect_encoding(path)[1], file_digest(path)
    guess = infer_date(str(path), text, date)
    issue_id, part, page = _ids(path, guess)
    return IssueFile(Path(path), digest, issue_id, part, page, guess)


def _size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def _stream_limit(stream_over: int | None) -> int:
    return stream_over if stream_over is not None else int(os.environ.get("KG_STREAM_OVER", STREAM_OVER))


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
    issue_id, part, page = _ids(path, guess)
    articles, skipped = segment(issue_id, decoded.text, part=part)
    if not articles:
        raise InputError(str(path), "no article text found")
    for a in articles:
        a.date = guess.date
    return Issue(id=issue_id, paper=PAPER, source=str(path), sha256=decoded.sha256, date=guess,
                 encoding=decoded.encoding, text=decoded.text, articles=articles, skipped=skipped,
                 warnings=_bad_bytes_warning(path, decoded.bad_spans, decoded.encoding) + _date_warning(path, guess),
                 part=part, page=page)


def read_issue_parts(path: str | Path, encoding: str | None = None, date: str | None = None,
                     stream_over: int | None = None) -> Iterator[Issue]:
    """An issue as one Issue, or a file larger than `stream_over` bytes as
    several Issue parts (same id, articles numbered on), read as a stream so
    memory stays bounded whatever the file's size."""
    if _size(path) <= _stream_limit(stream_over):
        yield read_issue(path, encoding, date)
        return
    detected, head = detect_encoding(path)  # also checks the file is text
    enc = encoding or detected
    digest = file_digest(path)
    bad: list[tuple[int, int]] = []
    guess = infer_date(str(path), head, date)  # from the first bytes, as describe() reads it
    issue_id, part_id, page = _ids(path, guess)
    seq, reported, found = 1, 0, False
    for part in stream_issue_file(path, enc, bad, headline_first(head)):
        found = True
        articles, skipped = segment(issue_id, part.text, part.base, seq, part=part_id)
        seq += len(articles)
        for a in articles:
            a.date = guess.date
        warnings = _bad_bytes_warning(path, bad[reported:], enc) + (_date_warning(path, guess) if part.base == 0 else [])
        reported = len(bad)
        yield Issue(id=issue_id, paper=PAPER, source=str(path), sha256=digest, date=guess, encoding=enc,
                    text="", articles=articles, skipped=skipped, warnings=warnings, part=part_id, page=page)
    if not found:
        raise InputError(str(path), "no article text found")
