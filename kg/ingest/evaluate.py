"""How faithfully issues are cut into articles, measured against gold records.

Gold records (one per article: its source file, title, date and raw text lines)
are located in the raw issue text; a predicted article matches a gold article
when it holds at least MATCH_SHARE of the gold article's non-blank characters
and most of its own characters come from that gold article (one-to-one).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.ingest import read_issue

MATCH_SHARE = 0.9
NEAR_DAYS = 7


@dataclass
class IssueReport:
    source: str
    date_gold: str | None
    date_found: str | None
    gold_articles: int
    matched: int
    spurious: int
    bylines_gold: int
    bylines_found: int
    lost_chars: int
    titles_gold: int = 0
    titles_found: int = 0
    misses: list[str] = field(default_factory=list)
    lost_text: list[str] = field(default_factory=list)

    @property
    def date_ok(self) -> bool:
        return self.date_gold == self.date_found

    @property
    def year_ok(self) -> bool:
        return bool(self.date_gold and self.date_found) and self.date_gold[:4] == self.date_found[:4]

    @property
    def date_near(self) -> bool:
        """The right year and within a week: what a gold taken from web pages (dated the
        day of the event or some days after) can hold a reader to."""
        if not self.year_ok:
            return False
        return abs((date.fromisoformat(self.date_found) - date.fromisoformat(self.date_gold)).days) <= NEAR_DAYS


def gold_positions(raw: str, text: str, start_hint: int = 0) -> set[int]:
    """Raw offsets of a gold article's non-blank characters (its lines, found in order)."""
    positions: set[int] = set()
    pos = start_hint
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        i = raw.find(s, pos)
        if i < 0:
            i = raw.find(s)
        if i < 0:
            continue
        positions.update(i + k for k, ch in enumerate(s) if not ch.isspace())
        pos = i + len(s)
    return positions


def _title_key(text: str) -> str:
    return re.sub(r"[\s—\-－]|（资料图）|\(资料图\)", "", unicodedata.normalize("NFKC", text))


def title_matches(gold_title: str, article) -> bool:
    """The gold headline line (before a ——subtitle, kicker allowed in front) equals the predicted title."""
    gold_forms = {_title_key(gold_title), _title_key(gold_title.split("——")[0])}
    forms = {_title_key(a + b + c) for a in ("", article.kicker) for b in (article.title,)
             for c in ("", article.subtitle)}
    return bool(gold_forms & forms)


def _in_byline(name: str, text: str) -> bool:
    """Gold roles of 记者/通讯员 come from bylines, and from the story itself
    ("他当过孔繁森的通讯员"); only the first kind is a byline."""
    flat = re.sub(r"\s", "", text)  # a name may be broken by a line (郑⏎兆雷)
    head = flat[:60]
    tail = flat[flat.rfind("■"):] if "■" in flat[20:] else ""
    credit = re.search(r"(?:记者|通讯员)[:：]?[\u4e00-\u9fff]{0,12}?" + re.escape(name) + r"[^。！？]{0,20}[）)]?$", flat[-50:])
    return name in head or name in tail or credit is not None


def evaluate_issue(path: Path, gold: list[dict]) -> IssueReport:
    issue = read_issue(path)
    raw = issue.text
    predicted = [{raw_i for raw_i, ch in zip(a.offsets, a.text, strict=True) if not ch.isspace()}
                 for a in issue.articles]
    golds = [gold_positions(raw, g["text"]) for g in gold]
    used: set[int] = set()
    matched = titles_gold = titles_found = 0
    misses = []
    for g, gp in zip(gold, golds, strict=True):
        best = None
        for i, pp in enumerate(predicted):
            if i in used or not gp:
                continue
            inter = len(gp & pp)
            if inter >= MATCH_SHARE * len(gp) and inter >= 0.5 * len(pp):
                best = i
                break
        if best is None:
            misses.append(g["id"])
        else:
            used.add(best)
            matched += 1
        if not g["title"].startswith("[标题缺失]"):  # gold marks articles printed without a headline
            titles_gold += 1
            titles_found += best is not None and title_matches(g["title"], issue.articles[best])
    covered = set().union(*predicted) if predicted else set()
    covered |= {i for a in issue.articles for s, e in a.title_spans for i in range(s, e)}
    skipped = {i for s in issue.skipped for i in range(s.start, s.end)}
    lost = sum(1 for i, ch in enumerate(raw) if not ch.isspace() and i not in covered and i not in skipped)
    gold_bylines = {(r[0], r[1]) for g in gold for r in g.get("roles", [])
                    if r[1] in ("记者", "通讯员") and _in_byline(r[0], g["text"])}
    found = {(b.name, b.role) for a in issue.articles for b in a.bylines}
    lost_text = "".join(ch if not ch.isspace() and i not in covered and i not in skipped else " "
                        for i, ch in enumerate(raw)).split()
    return IssueReport(path.name, gold[0].get("date"), issue.date.date, len(gold), matched,
                       len(predicted) - matched, len(gold_bylines), len(gold_bylines & found), lost, titles_gold, titles_found, misses, lost_text)


def evaluate(corpus: Path, gold_dir: Path) -> list[IssueReport]:
    by_source: dict[str, list[dict]] = {}
    for f in sorted(gold_dir.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                by_source.setdefault(rec["source"], []).append(rec)
    return [evaluate_issue(corpus / src, recs) for src, recs in sorted(by_source.items())]


def format_reports(reports: Iterable[IssueReport]) -> str:
    reports = list(reports)
    lines = [f"{'issue':<28}{'date':>6}{'matched':>12}{'spurious':>10}{'titles':>10}{'bylines':>10}{'lost':>7}"]
    for r in reports:
        lines.append(f"{r.source:<28}{'ok' if r.date_ok else 'WRONG':>6}{r.matched:>6}/{r.gold_articles:<5}"
                     f"{r.spurious:>10}{r.titles_found:>6}/{r.titles_gold:<3}{r.bylines_found:>6}/{r.bylines_gold:<3}"
                     f"{r.lost_chars:>7}")
    g = sum(r.gold_articles for r in reports)
    m = sum(r.matched for r in reports)
    b = sum(r.bylines_gold for r in reports)
    bf = sum(r.bylines_found for r in reports)
    t_gold = sum(r.titles_gold for r in reports)
    t_found = sum(r.titles_found for r in reports)
    n = len(reports)
    lines.append(f"dates {sum(r.date_ok for r in reports)}/{n} (year right {sum(r.year_ok for r in reports)}/{n}, "
                 f"within {NEAR_DAYS} days {sum(r.date_near for r in reports)}/{n}); articles matched {m}/{g} "
                 f"({m / max(g, 1):.1%}); spurious {sum(r.spurious for r in reports)} "
                 f"(max {max((r.spurious for r in reports), default=0)} per issue); "
                 f"titles {t_found}/{t_gold} ({t_found / max(t_gold, 1):.1%}); "
                 f"bylines {bf}/{b} ({bf / max(b, 1):.1%}); lost characters {sum(r.lost_chars for r in reports)}")
    return "\n".join(lines)
