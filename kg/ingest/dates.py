"""The issue date: from the file name, else inferred from the text, else unknown.

From the text: the issue appears the day after the latest event it reports
("12月12日下午…" in an issue of 13 December). The year comes from full dates
("2022年1月4日", read as the nearest plausible issue year) and, failing those,
from the latest bare year ("2022年度"). Every guess carries its evidence and a
confidence; below CONFIDENT the caller warns.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from kg.models import DateGuess

CONFIDENT = 0.7
_FILE_DATE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_BARE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d{1,2}\s*月)")


def date_from_filename(path: str) -> DateGuess | None:
    m = _FILE_DATE.search(Path(path).name)
    if not m:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return DateGuess(d.isoformat(), "filename", 1.0, [f"file name {Path(path).name}"])


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def date_from_text(text: str) -> DateGuess | None:
    mentions, events = [], []
    for m in _MONTH_DAY.finditer(text):
        item = (m.group(1), int(m.group(2)), int(m.group(3)), m.group(0))
        if not (1 <= item[1] <= 12 and 1 <= item[2] <= 31):
            continue
        mentions.append(item)
        # "自1月5日起": a rule taking effect, not an event already reported
        if not re.match(r"\s*(起|前|之前|以后|后)", text[m.end(): m.end() + 3]):
            events.append(item)
    if not events:
        return None
    anchor = Counter(m for _, m, _, _ in events).most_common(1)[0][0]
    previous = 12 if anchor == 1 else anchor - 1
    recent = [(m, d, s) for _, m, d, s in events if m in (anchor, previous)]

    def order(md: tuple[int, int]) -> tuple[int, int]:  # previous month sorts before anchor
        return (0 if md[0] == previous and previous != anchor else 1, md[1])

    last_m, last_d, last_s = max(recent, key=lambda x: order((x[0], x[1])))
    evidence = ["latest event date " + re.sub(r"\s", "", last_s)]
    year, year_conf, year_ev = _year(text, mentions, last_m, last_d)
    if year is None:
        return DateGuess(None, "text", 0.0, evidence + ["no year evidence"])
    evidence += year_ev
    event = _valid(year, last_m, last_d)
    if event is None:
        return DateGuess(None, "text", 0.0, evidence + ["invalid date"])
    issue = event + timedelta(days=1)
    return DateGuess(issue.isoformat(), "text", year_conf, evidence + ["issue is the day after"])


_PLAN_AFTER = re.compile(r"^.{0,8}?(计划|目标|预期|重大民生|工作要点|将)")


def _year(text: str, mentions, last_m: int, last_d: int) -> tuple[int | None, float, list[str]]:
    """Full dates first (each read as the nearest plausible issue year), then
    the latest bare year that is no plan for the future ("2023年协商工作计划" in
    a December issue), then months alone ("2023年3月")."""
    votes: Counter[int] = Counter()
    evidence: list[str] = []
    for y, m, d, s in mentions:
        if not y or not (1949 < int(y) < 2100):
            continue
        y = int(y)
        best = _nearest_issue_year(last_m, last_d, y, m, d)
        votes[best] += 1
        evidence.append(f"full date {s.replace(' ', '').replace(chr(10), '')} -> {best}")
    if votes:
        return max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0], 0.8, evidence
    bare: Counter[int] = Counter()
    for m in _BARE_YEAR.finditer(text):
        y = int(m.group(1))
        if 1949 < y < 2100 and not _PLAN_AFTER.match(text[m.end(): m.end() + 12].replace("\n", "")):
            bare[y] += 2 if text[m.end(): m.end() + 3].startswith("以来") else 1
    if bare:
        top = max(bare)
        return top, 0.7 if bare[top] >= 2 else 0.5, [f"latest year mentioned {top}年 (weight {bare[top]})"]
    for m in re.finditer(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1949 < y < 2100 and 1 <= mo <= 12:
            best = _nearest_issue_year(last_m, last_d, y, mo, 15)
            votes[best] += 1
            evidence.append(f"month {m.group(0).replace(' ', '')} -> {best}")
    if votes:
        return max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0], 0.5, evidence
    return None, 0.0, []


def _nearest_issue_year(month: int, day: int, y: int, m: int, d: int) -> int:
    """The issue year (y-1, y or y+1) that puts the dated mention y-m-d nearest
    the issue's own month and day: "2025年1月2日" in a 12月27日 issue -> 2024."""
    return min((y - 1, y, y + 1), key=lambda iy: _distance(iy, month, day, y, m, d))


def _distance(issue_year: int, im: int, idd: int, y: int, m: int, d: int) -> int:
    a, b = _valid(issue_year, im, min(idd, 28)), _valid(y, m, min(d, 28))
    if a is None or b is None:
        return 10**6
    return abs((a - b).days)


def infer_date(path: str, text: str, fallback: str | None = None) -> DateGuess:
    guess = date_from_filename(path)
    if guess:
        return guess
    guess = date_from_text(text)
    if guess and guess.date and (guess.confidence >= CONFIDENT or not fallback):
        return guess
    if fallback:
        return DateGuess(fallback, "option", 1.0, ["--date"])
    return guess or DateGuess(None, "unknown", 0.0, ["no date in file name or text"])
