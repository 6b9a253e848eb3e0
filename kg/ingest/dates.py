"""The issue date: from the file name, else inferred from the text, else unknown.

From the text: the issue appears the day after the latest event it reports
("12月12日下午…" in an issue of 13 December). The year comes from full dates
("2022年1月4日", read as the nearest plausible issue year) and, failing those,
from the latest bare year ("2022年度"). Every guess carries its evidence and a
confidence; below CONFIDENT the caller warns.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from kg.models import DateGuess

CONFIDENT = 0.7
_FILE_DATE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")


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
    events, full = _dated_mentions(text)
    years = [y for y, *_ in full] + [int(next(g for g in m.groups() if g)) for m in _ANY_YEAR.finditer(text)]
    recent = max((y for y in years if 1949 < y < 2100), default=None)
    if recent:  # "于1995年7月4日…批准建馆，9月14日正式开馆": the days of a year long past
        events = [e for e in events if e[3] is None or e[3] >= recent - 1] or events
    named = [(y, m, d, s) for m, d, s, _, y in events if y]  # "11月26日，…召开2024年度…大会": its year
    if not events:
        return None
    last_m, last_d, last_s = _latest(events)
    evidence = ["latest event date " + re.sub(r"\s", "", last_s)]
    year, year_conf, year_ev = _year(text, full + named, last_m, last_d)
    if year is None:
        return DateGuess(None, "text", 0.0, evidence + ["no year evidence"])
    evidence += year_ev
    event = _valid(year, last_m, last_d)
    if event is None:
        return DateGuess(None, "text", 0.0, evidence + ["invalid date"])
    issue = event + timedelta(days=1)
    return DateGuess(issue.isoformat(), "text", year_conf, evidence + ["issue is the day after"])


# "自1月5日起", "1月5日前": a rule taking effect or a deadline; "将于1月5日", "时间为1月2日": yet to come
_NOT_AFTER = re.compile(r"\s*(起|前|之前|以后|后)")
_NOT_BEFORE = re.compile(r"(将于|将在|拟于|定于|计划于|预计|时间为|会期为|定为)\s*$")
# "1月2日至3日，…大会将在聊城召开": an event the issue announces
_TO_COME = re.compile(r"将(?:在|于|举办|召开|举行|开幕)")
# "20160812山东省…": a web page's date run together
_DIGITS_DATE = re.compile(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


def _dated_mentions(text: str) -> tuple[list[tuple], list[tuple[int, int, int, str]]]:
    """Month-days of events already reported, each with the year its sentence gives it
    counting dates and not (see _years_of_sentence), and every date with its year."""
    events, full = [], []
    for m in _MONTH_DAY.finditer(text):
        month, day = int(m.group(2)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if m.group(1):
            full.append((int(m.group(1)), month, day, m.group(0)))
        rest = text[m.end(): m.end() + 60].split("。")[0]
        later = _MONTH_DAY.search(rest)
        rest = rest[: later.start()] if later else rest  # a 将 after the next date is that date's
        if not (_NOT_AFTER.match(text[m.end(): m.end() + 3]) or _NOT_BEFORE.search(text[max(0, m.start() - 4): m.start()])
                or _TO_COME.search(rest)):
            events.append((month, day, m.group(0), *_years_of_sentence(text, m.end())))
    for m in _DIGITS_DATE.finditer(text):
        full.append((int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)))
        events.append((int(m.group(2)), int(m.group(3)), m.group(0), int(m.group(1)), None))
    return events, full


def _years_of_sentence(text: str, pos: int) -> tuple[int | None, int | None]:
    """The years the sentence around `pos` gives it: counting the year of a date before
    it in the sentence ("于1995年7月4日…批准建馆，9月14日正式开馆"), and of the years it
    names alone, the nearest ("11月26日，…召开2024年度…大会"); never a target's or a plan's."""
    start = max(max(text.rfind(c, 0, pos) for c in "。！？") + 1, pos - 80)  # printed lines break sentences
    ends = [i for i in (text.find(c, pos) for c in "。！？") if i >= 0]
    end = min([*ends, pos + 60])
    bare = [(abs(start + m.start() - pos), int(m.group(1))) for m in _BARE_YEAR.finditer(text, start, end)
            if not _is_target(text, m) and not _PLAN_AFTER.match(text[m.end(): m.end() + 12].replace("\n", ""))]
    dated = bare + [(pos - m.start(), int(m.group(1))) for m in _YEAR.finditer(text, start, pos)]
    return (min(dated)[1] if dated else None), (min(bare)[1] if bare else None)


def _is_target(text: str, m: re.Match) -> bool:
    """"到2030年", "2030年前": a year aimed at."""
    return bool(_TARGET_BEFORE.search(text[max(0, m.start() - 4): m.start()]) or _TARGET_AFTER.match(text, m.end() - 1))


def _latest(events: list[tuple]) -> tuple[int, int, str]:
    """The end of the span of days the mentions cluster in: an issue reports the days
    before it, so its mentions crowd into a stretch of the calendar (December and
    January alike), and the widest empty stretch of the year comes right after the
    last of them."""
    days = sorted({((m - 1) * 31 + d, m, d, s) for m, d, s, *_ in events})
    if len(days) == 1:
        return days[0][1:]
    gaps = [((days[(i + 1) % len(days)][0] - days[i][0]) % 372, i) for i in range(len(days))]
    _, last = max(gaps)
    return days[last][1:]


# a year that is a target, not a date: "到2025年", "力争2030年前"
_TARGET_BEFORE = re.compile(r"(?:到|至|力争|争取|预计|截止到)\s*$")
_TARGET_AFTER = re.compile(r"\s*年?\s*(?:前|底前|远景)")
# an annual plan, printed in the last months of the year before or early in its own year
_PLAN_AFTER = re.compile(r"^.{0,8}?(计划|工作要点|重点工作|重大民生项目(?!建设情况)|将)")
_YEAR = re.compile(r"(\d{4})\s*年")
_BARE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d{1,2}\s*月)")
# 2024聊城市重点项目推介会, “云剑2024”: a year in a name
_NAME_YEAR = re.compile(r"(?<![\d年])(20\d\d)(?![年月])(?=[\u4e00-\u9fff“”·])|(?<=[\u4e00-\u9fff“])(20\d\d)(?!\s*[\d年月])")
_ANY_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年|" + _NAME_YEAR.pattern)
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")


def _year(text: str, full, last_m: int, last_d: int) -> tuple[int | None, float, list[str]]:
    """The issue's year from all its year evidence, each piece read as the issue year it
    points to: a full date or a month as the nearest plausible issue year ("2025年1月2日"
    in a 12月27日 issue -> 2024), an annual plan as its year or the year before for an
    issue of the last quarter ("2026年工作要点" printed in 2026 or late 2025), a year
    in a name or a review as itself. News reports the past, so the issue's year is the
    latest the evidence points to; targets ("到2035年") point nowhere, and a plan
    counts only up to a year past the other evidence."""
    votes: list[tuple[int, str, str]] = []
    for y, m, d, s in full:
        if 1949 < y < 2100:
            votes.append((_nearest_issue_year(last_m, last_d, y, m, d), "date", re.sub(r"\s", "", s)))
    for m in _YEAR_MONTH.finditer(text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1949 < y < 2100 and 1 <= mo <= 12 and not _TARGET_BEFORE.search(text[max(0, m.start() - 4): m.start()]):
            votes.append((_nearest_issue_year(last_m, last_d, y, mo, 15), "month", re.sub(r"\s", "", m.group(0))))
    for m in _BARE_YEAR.finditer(text):
        y = int(m.group(1))
        after = text[m.end(): m.end() + 12].replace("\n", "")
        if not (1949 < y < 2100) or _is_target(text, m):
            continue
        if _PLAN_AFTER.match(after):
            votes.append((y - 1 if last_m >= 10 else y, "plan", f"{y}年{after[:4]}"))
        else:
            votes.append((y, "year", f"{y}年"))
    for m in _NAME_YEAR.finditer(text):
        y = int(m.group(1) or m.group(2))
        if 1949 < y < 2100:
            votes.append((y, "name", text[m.start(): m.end() + 4].replace("\n", "")))
    if not votes:
        return None, 0.0, []
    past = [y for y, kind, _ in votes if kind != "plan"]
    ceiling = max(past) + 1 if past else None
    usable = [(y, kind, s) for y, kind, s in votes if ceiling is None or kind != "plan" or y <= ceiling]
    year = max(y for y, _, _ in usable)
    support = [(kind, s) for y, kind, s in usable if y == year]
    confidence = 0.8 if len(support) >= 2 or any(kind == "date" for kind, _ in support) else 0.6
    return year, confidence, [f"{kind} {s} -> {year}" for kind, s in support[:4]]


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
