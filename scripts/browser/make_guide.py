"""Write scripts/browser/guide.html, the Neo4j Browser guide that walks through
scripts/queries/*.cypher (one slide each, runnable). Run after changing a query:

    .venv/bin/python scripts/browser/make_guide.py
In Neo4j Browser: :play http://localhost:8001/guide.html (the compose file
serves this folder and allows it).
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from kg.cli import query_header  # noqa: E402 - the guide reads the queries as kg query does

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
QUERIES = ROOT / "scripts" / "queries"
ORDER = ["who_attended_what", "an_event_and_its_people", "people_at_an_event", "events_of_a_person",
         "events_between_dates", "events_and_venues", "post_holders_of_an_organisation", "posts_of_a_person",
         "post_holders_on_date", "posts_changed_between_issues", "neighbourhood_of_an_entity",
         "most_mentioned_people", "co_mentioned_with", "organisations_co_mentioned_with_company",
         "people_co_mentioned_with_person", "articles_mentioning_both", "path_between_people"]


def param_command(name: str, value) -> str:
    """Neo4j Browser's `:param name => value`, the value as a Cypher literal."""
    if isinstance(value, str):
        return f":param {name} => '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f":param {name} => {json.dumps(value)}"


def slide(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    about, params = query_header(text)
    query = "\n".join(ln for ln in text.splitlines() if not ln.startswith("//"))
    title = about[0].rstrip(".") if about else path.stem
    notes = "".join(f"<p>{html.escape(line)}</p>" for line in about[1:])
    setup = ""
    if params:
        setup = ("<p>Set its parameters first (click, then run; change the value to ask about another):</p>"
                 + "".join(f'<pre class="code runnable">{html.escape(param_command(k, v))}</pre>'
                           for k, v in params.items()))
    return (f'<slide class="row-fluid"><div class="col-sm-12"><h3>{html.escape(title)}</h3>{notes}{setup}'
            f'<pre class="pre-scrollable code runnable">{html.escape(query)}</pre>'
            f"<p><small>kg query {path.stem}</small></p></div></slide>")


def guide() -> str:
    paths = [QUERIES / f"{name}.cypher" for name in ORDER]
    paths += sorted(p for p in QUERIES.glob("*.cypher") if p.stem not in ORDER)
    intro = ('<slide class="row-fluid"><div class="col-sm-12"><h3>kg: the Liaocheng Daily as a graph</h3>'
             "<p>People (Person), organisations (Organization), places (Place) and events (Event) of the "
             "paper's issues, the articles that name them, the posts people hold (HOLDS, with the first and "
             "last issue that reports each), who attended, chaired or spoke at what, and who is named with "
             "whom (CO_MENTIONED).</p>"
             "<p>Each slide sets its parameters with <code>:param</code>, values that answer on the issues "
             "of 2022 to 2024; the slides that return nodes and paths draw them as a graph.</p>"
             "<p>For kg's colours and captions per label, load its style (or drag "
             "kg/serve/static/style.grass onto this window):</p>"
             '<pre class="code runnable">:style http://localhost:8001/style.grass</pre></div></slide>')
    slides = "\n".join([intro, *(slide(p) for p in paths)])
    return ('<article class="guide" ng-controller="AppCtrl"><carousel class="deck container-fluid">\n'
            f"{slides}\n</carousel></article>\n")


if __name__ == "__main__":
    (HERE / "guide.html").write_text(guide(), encoding="utf-8")
    print(f"wrote {HERE / 'guide.html'}")
