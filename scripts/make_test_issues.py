"""Test issues in the printed layout, made from the dev gold's articles (seeded).

    .venv/bin/python scripts/make_test_issues.py [--gold ../shared/gold/dev] [--out build/test-issues]
                                                 [--seed 15] [--count 16]

Five seed issues are too few to hold the reader to, so this lays the dev gold's
web articles out as printed issues, the way the seeds are printed:

- the two layouts of the seeds: hard-wrapped narrow columns with the headline
  after its body and blank lines at column breaks, wherever they fall (even
  inside a paragraph or a name), or one line per paragraph with the headline
  before it (a section label such as 要闻 above it now and then, a ——subtitle on
  its own line);
- bylines as the paper prints them (本报讯（记者 …）at the start of the first
  paragraph, "■ 本报记者 …" on a line of its own), for articles whose web text
  has none, with the names of the dev gold's own reporters; some articles open
  without one, as some do in print;
- full-width or half-width punctuation per issue, spaces around numbers
  ("6 月 24 日", "1000 家") at the seeds' rate;
- articles grouped by their dates (each issue's within WINDOW days, some year
  printed in it: the seeds have no masthead), the issue dated the latest of
  them (the dev gold's dates are those of the web pages).

For each issue it writes CORPUS/NNN_<hash>.txt and GOLD/NNN.jsonl, one record per
article in the seed gold's format (id, source, date, title, text as printed,
roles of its byline), so `scripts/eval_ingest.py` and `kg.ingest.evaluate` score
them beside the seeds. The same seed gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW = 120  # days between the first and the last article of an issue
YEAR = re.compile(r"(?:19|20)\d\d")
MIN_ARTICLES, MAX_ARTICLES = 3, 8
SECTION_LABELS = ("要闻", "经济新闻", "综合新闻", "县域新闻", "社会新闻", "时政新闻")
NO_TITLE = "[标题缺失]"  # the seed gold's mark for an article printed without a headline
HALF_WIDTH = str.maketrans("，：；（）！？", ",:;()!?")
FULL_WIDTH = str.maketrans(",:;()!?", "，：；（）！？")
BYLINE_AT_START = re.compile(r"^\s*(?:■|本报|本网|\(|（|[^\s，,。]{0,8}(?:记者|通讯员)|作者|[^\s，,。]{0,12}讯)")
# "■ 本报记者 赵艳君 本报通讯员 李爱明 张凯 12月8日，…": the paper prints the byline on a line of its own
SQUARE_BYLINE = re.compile(
    r"(■\s*(?:(?:本报)?(?:全媒体)?(?:记者|通讯员)(?:\s+[\u4e00-\u9fff]{2,3}(?![\u4e00-\u9fff]))+\s*)+)\s*(?=\S)")
BYLINE_CONTINUED = re.compile(r"(?:本报)?(?:通讯员|记者)\s+[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3})*$")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Style:
    """How one issue is printed."""
    columns: bool  # hard-wrapped narrow columns, headline after the body
    width: int  # characters per column line
    full_width: bool  # ，（） rather than ,()
    spaced_numbers: float  # share of numbers printed with spaces around them
    labels: float  # share of headlines with a section label above (paragraph layout)


@dataclass
class Printed:
    """One article as printed: the lines of the issue and the gold record."""
    lines: list[str]
    record: dict
    body: list[str] = field(default_factory=list)


def load_articles(gold_dir: Path) -> list[dict]:
    articles = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                articles.append(json.loads(line))
    return articles


def group_by_date(articles: list[dict], rng: random.Random) -> list[list[dict]]:
    """Dated articles in date order, cut into issues of MIN..MAX articles within WINDOW days."""
    # every printed article has a headline: pages saved without one are left out
    dated = sorted((a for a in articles if a.get("date") and a.get("title")), key=lambda a: (a["date"], a["id"]))
    groups: list[list[dict]] = []
    current: list[dict] = []
    size = rng.randint(MIN_ARTICLES + 1, MAX_ARTICLES)
    for a in dated:
        if current and (len(current) >= size or _days(current[0]["date"], a["date"]) > WINDOW):
            groups.append(current)
            current, size = [], rng.randint(MIN_ARTICLES + 1, MAX_ARTICLES)
        current.append(a)
    groups.append(current)
    # an issue needs some year in its text to be dated at all (the seeds print no masthead)
    return [g for g in groups if len(g) >= MIN_ARTICLES and any(YEAR.search(a["title"] + a["text"]) for a in g)]


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def reporter_names(articles: list[dict]) -> list[str]:
    """The names of the dev gold's reporters and correspondents (for bylines to print)."""
    return sorted({r[0] for a in articles for r in a.get("roles", []) if r[1] in ("记者", "通讯员")})


def make_style(rng: random.Random) -> Style:
    return Style(columns=rng.random() < 0.6, width=rng.randint(13, 17), full_width=rng.random() < 0.75,
                 spaced_numbers=rng.choice((0.0, 0.3, 0.5)), labels=rng.choice((0.0, 0.25)))


def with_byline(article: dict, style: Style, names: list[str], rng: random.Random) -> tuple[list[str], list[list]]:
    """The article's paragraphs, a byline in the paper's style in front when its web text
    has none (and a draw says so), and the byline's roles."""
    paragraphs = [p.strip() for p in article["text"].split("\n") if p.strip()]
    square = SQUARE_BYLINE.match(paragraphs[0]) if paragraphs else None
    if square and square.end() < len(paragraphs[0]):
        paragraphs[:1] = [square.group(1).strip(), paragraphs[0][square.end():]]
    while len(paragraphs) > 1 and paragraphs[0].startswith("■") and BYLINE_CONTINUED.match(paragraphs[1]):
        paragraphs[:2] = [paragraphs[0] + " " + paragraphs[1]]  # ■ 本报记者 赵艳君 本报通讯员 李爱明: one line
    roles = [r for r in article.get("roles", []) if r[1] in ("记者", "通讯员")]
    credited = any(r[0] in article["text"] for r in roles)  # a byline or a closing credit of its own
    if not paragraphs or credited or BYLINE_AT_START.match(paragraphs[0]) or rng.random() < 0.25:
        return paragraphs, roles  # it has one, or opens without one as some articles do
    reporters = rng.sample(names, rng.choice((1, 1, 2)))
    helpers = rng.sample([n for n in names if n not in reporters], rng.choice((0, 0, 1, 2)))
    roles = [[n, "记者", "聊城日报"] for n in reporters] + [[n, "通讯员", None] for n in helpers]
    if rng.random() < 0.6:  # 本报讯（记者 林晨 通讯员 王明） at the start of the first paragraph
        inside = "记者 " + " ".join(reporters) + ("".join(" 通讯员 " + n for n in helpers[:1])
                                               + "".join(" " + n for n in helpers[1:]))
        paragraphs[0] = f"本报讯（{inside}）" + ("" if rng.random() < 0.5 else " ") + paragraphs[0]
    else:  # ■ 本报记者 林晨 本报通讯员 王明, a line of its own
        line = "■ 本报记者 " + " ".join(reporters) + (" 本报通讯员 " + " ".join(helpers) if helpers else "")
        paragraphs.insert(0, line)
    return paragraphs, roles


def typeset(paragraph: str, style: Style, rng: random.Random) -> str:
    text = paragraph.translate(FULL_WIDTH if style.full_width else HALF_WIDTH)
    if style.spaced_numbers:
        text = NUMBER.sub(lambda m: f" {m.group()} " if rng.random() < style.spaced_numbers else m.group(), text)
    return text


NO_LINE_START = set("，。、；：！？）」”’》,.;:!?)")  # type-setting keeps these off a line's start


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrap at `width` characters; digits and Latin letters take half a character;
    closing punctuation stays at the end of the line before."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = 0.5 if ch.isascii() else 1.0
        if used + w > width and line and ch not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def print_article(article: dict, style: Style, names: list[str], rng: random.Random,
                  source: str, seq: int, issue_date: str) -> Printed:
    paragraphs, roles = with_byline(article, style, names, rng)
    paragraphs = [typeset(p, style, rng) for p in paragraphs]
    title = (article.get("title") or "").strip()
    head, _, subtitle = title.partition("——")
    body: list[str] = []
    if style.columns:
        since_break = rng.randint(0, 8)
        for p in paragraphs:
            for line in ([p] if p.startswith("■") else wrap(p, style.width)):
                body.append(line)
                since_break += 1
                if since_break >= rng.randint(9, 14):  # a column break: a blank line, wherever it falls
                    body.append("")
                    since_break = 0
            if body and body[-1] and rng.random() < 0.7:
                body.append("")
        if body and rng.random() < 0.3:
            body[0] = " " + body[0]
        heading = wrap(head, rng.randint(9, 13)) if head else []
        heading += ["——" + subtitle] if subtitle else []
        lines = [*body, "", *heading, ""] if heading else [*body, ""]
    else:
        for p in paragraphs:
            if len(p) > 120 and rng.random() < 0.2:  # a paragraph split by a column break
                cut = rng.randint(40, len(p) - 40)
                body += [p[:cut], "", p[cut:], ""]
            else:
                body += [p, ""]
        heading = []
        if head and rng.random() < style.labels:
            heading += [rng.choice(SECTION_LABELS), ""]
        heading += [head, ""] if head else []
        heading += ["——" + subtitle, ""] if subtitle else []
        lines = [*heading, *body]
    record = {"id": f"{Path(source).stem.split('_')[0]}-{seq:02d}", "source": source, "date": issue_date,
              "title": title or NO_TITLE, "text": "\n".join(body).strip("\n"), "roles": roles,
              "entities": [], "attendance": [], "from": article["id"]}
    return Printed(lines, record, body)


def make_issue(number: int, articles: list[dict], names: list[str], rng: random.Random) -> tuple[str, list[dict]]:
    """The text of one issue and its gold records."""
    style = make_style(rng)
    issue_date = max(a["date"] for a in articles)
    placeholder = f"{number:03d}"
    printed = [print_article(a, style, names, rng, placeholder, i + 1, issue_date) for i, a in enumerate(articles)]
    lead = ["", "", "", ""] if not style.columns and rng.random() < 0.5 else []
    text = "\n".join(lead + [line for p in printed for line in p.lines]).rstrip("\n") + "\n"
    source = f"{number:03d}_{hashlib.sha1(text.encode()).hexdigest()[:16]}.txt"
    for p in printed:
        p.record["source"] = source
    return text, [p.record for p in printed]


def make_issues(gold_dir: Path, out: Path, seed: int = 15, count: int = 16) -> list[Path]:
    """Write up to `count` issues to OUT/corpus and their gold to OUT/gold; the issue files."""
    rng = random.Random(seed)
    articles = load_articles(gold_dir)
    names = reporter_names(articles)
    groups = group_by_date(articles, rng)[:count]
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    paths = []
    for number, group in enumerate(groups):
        text, records = make_issue(number, group, names, rng)
        path = out / "corpus" / records[0]["source"]
        path.write_text(text, encoding="utf-8")
        (out / "gold" / f"{number:03d}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "test-issues")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--count", type=int, default=16)
    args = parser.parse_args(argv)
    if not args.gold.is_dir():
        print(f"make_test_issues: no gold at {args.gold} (the dev gold lives in ../shared)", file=sys.stderr)
        return 2
    paths = make_issues(args.gold, args.out, args.seed, args.count)
    print(f"wrote {len(paths)} issues to {args.out / 'corpus'} and their gold to {args.out / 'gold'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
