"""Write scripts/browser/guide.html, the Neo4j Browser guide that walks through
scripts/queries/*.cypher (one slide each, runnable). Run after changing a query:

    .venv/bin/python scripts/browser/make_guide.py
In Neo4j Browser: :play http://localhost:8001/guide.html (the compose file
serves this folder and allows it).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE.parent / "queries"
ORDER = ["who_attended_what", "people_at_an_event", "events_of_a_person", "events_between_dates",
         "events_and_venues", "posts_of_a_person", "post_holders_on_date", "posts_changed_between_issues",
         "most_mentioned_people", "co_mentioned_with", "organisations_co_mentioned_with_company",
         "people_co_mentioned_with_person", "articles_mentioning_both", "path_between_people"]


def slide(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [ln[2:].strip() for ln in lines if ln.startswith("//")]
    query = "\n".join(ln for ln in lines if not ln.startswith("//"))
    title = comments[0].split(":")[0] if comments else path.stem
    notes = "".join(f"<p>{html.escape(c)}</p>" for c in comments)
    return (f'<slide class="row-fluid"><div class="col-sm-12"><h3>{html.escape(title)}</h3>{notes}'
            f'<pre class="pre-scrollable code runnable">{html.escape(query)}</pre></div></slide>')


def guide() -> str:
    paths = [QUERIES / f"{name}.cypher" for name in ORDER]
    paths += sorted(p for p in QUERIES.glob("*.cypher") if p.stem not in ORDER)
    intro = ('<slide class="row-fluid"><div class="col-sm-12"><h3>kg: the Liaocheng Daily as a graph</h3>'
             "<p>People, organisations, places and events of the paper's issues. Set parameters first, e.g. "
             "<code>:param name =&gt; '柳庆发'</code>; each slide says which it needs. Style: drag "
             "scripts/browser/style.grass onto the Browser, or <code>:style</code> and paste it.</p>"
             "</div></slide>")
    slides = "\n".join([intro, *(slide(p) for p in paths)])
    return ('<article class="guide" ng-controller="AppCtrl"><carousel class="deck container-fluid">\n'
            f"{slides}\n</carousel></article>\n")


if __name__ == "__main__":
    (HERE / "guide.html").write_text(guide(), encoding="utf-8")
    print(f"wrote {HERE / 'guide.html'}")
