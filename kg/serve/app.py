"""The explorer's pages. Every page is a few parameterised reads (kg.serve.queries)
rendered by Jinja2 on the server; the neighbourhood view is drawn in the browser by
Cytoscape.js from /api/neighbourhood/ID."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kg.serve import queries as q
from kg.serve.reader import StoreReader
from kg.serve.render import marked_text, mention_spans, parse_span, sentence_around
from kg.serve.style import caption, colour, node_style, relationship_style
from kg.store import masked
from kg.writers import cypher

HERE = Path(__file__).resolve().parent
TOP = 10  # most-mentioned entities per type on the home page
CO_MENTIONED = 15
ARTICLES = 100
NEIGHBOURS = 40
SEARCH_LIMIT = 50
TYPE_NAMES = {"Person": "人物 Person", "Organization": "机构 Organization", "Place": "地点 Place",
              "Event": "事件 Event"}
ROLE_NAMES = {"ATTENDED": "attended", "CHAIRED": "chaired", "SPOKE": "spoke at", "HELD_IN": "held in"}


def create_app(reader: StoreReader) -> Starlette:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(colour=colour, type_names=TYPE_NAMES, role_names=ROLE_NAMES, drop_entry=drop_entry)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        return templates.TemplateResponse(request, name, {"store": masked(reader.uri), **context},
                                          status_code=status)

    def home(request: Request) -> Response:
        counts = {row["type"]: row["n"] for row in reader.read(q.counts())}
        top = {label: reader.read(q.most_mentioned(label), {"limit": TOP}) for label in q.ENTITY_LABELS}
        issues = reader.read(q.issues(), {"limit": 50})
        return page(request, "home.html", counts=counts, top=top, issues=issues)

    def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        if not text:
            return RedirectResponse("/", status_code=303)
        rows = reader.read(q.search(), {"q": text, "limit": SEARCH_LIMIT})
        return page(request, "search.html", q=text, rows=rows, limit=SEARCH_LIMIT)

    def stored_entity(request: Request) -> tuple[str, str, dict]:
        """The requested entity's id, label and properties; 404 if the store lacks it."""
        entity_id = request.path_params["id"]
        label = q.label_of(entity_id)
        found = reader.read(q.entity(label), {"id": entity_id}) if label else []
        if not found:
            raise HTTPException(404, f"no entity {entity_id!r} in the store")
        return entity_id, label, found[0]["props"]

    def entity(request: Request) -> Response:
        entity_id, label, props = stored_entity(request)
        args = {"id": entity_id}
        sections = [(title, reader.read(statement, args)) for title, statement in FACTS[label]]
        co = reader.read(q.co_mentions(label), {**args, "limit": CO_MENTIONED})
        articles = reader.read(q.entity_articles(label), {**args, "limit": ARTICLES})
        evidence = Evidence(reader)
        for _, rows in sections:
            evidence.want(rows)
        evidence.want(co)
        evidence.fetch()
        return page(request, "entity.html", id=entity_id, label=label, props=props, sections=sections,
                    co=co, articles=articles, evidence=evidence, article_limit=ARTICLES)

    def article(request: Request) -> Response:
        article_id = request.path_params["id"]
        found = reader.read(cypher.article_text(), {"id": article_id})
        if not found:
            raise HTTPException(404, f"no article {article_id!r} in the store")
        art = found[0]
        spans = mention_spans(reader.read(cypher.article_mentions(), {"id": article_id}))
        roles = reader.read(cypher.article_roles(), {"id": article_id})
        attendance = reader.read(cypher.article_attendance(), {"id": article_id})
        evidence = Evidence(reader, {article_id: art["text"] or ""})
        return page(request, "article.html", id=article_id, article=art,
                    marked=marked_text(art["text"] or "", spans), mentions=len(spans), roles=roles,
                    attendance=attendance, evidence=evidence)

    def issue(request: Request) -> Response:
        issue_id = request.path_params["id"]
        rows = reader.read(q.issue_articles(), {"id": issue_id})
        if not rows:
            raise HTTPException(404, f"no issue {issue_id!r} in the store")
        return page(request, "issue.html", id=issue_id, date=rows[0]["date"], rows=rows)

    def neighbourhood(request: Request) -> Response:
        entity_id, label, props = stored_entity(request)
        rows = reader.read(q.neighbourhood(label), {"id": entity_id, "limit": NEIGHBOURS})
        return JSONResponse(graph_json(entity_id, label, props, rows))

    def not_found(request: Request, exc: HTTPException) -> Response:
        return page(request, "error.html", status=exc.status_code, detail=exc.detail)

    app = Starlette(routes=[
        Route("/", home),
        Route("/search", search),
        Route("/entity/{id}", entity),
        Route("/article/{id}", article),
        Route("/issue/{id}", issue),
        Route("/api/neighbourhood/{id}", neighbourhood),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ], exception_handlers={HTTPException: not_found})
    return app


# Per label: the facts its page lists, each (heading, statement).
FACTS: dict[str, list[tuple[str, str]]] = {
    "Person": [("Posts", q.person_posts()), ("Events", q.person_events())],
    "Organization": [("People holding posts", q.organization_posts())],
    "Event": [("People", q.event_people()), ("Where", q.event_places())],
    "Place": [("Events held here", q.place_events())],
}


class Evidence:
    """The sentences facts rest on: gather the spans of a page's rows, read their articles
    once, then `sentence(span)` gives (article id, title, before, span, after)."""

    def __init__(self, reader: StoreReader, texts: dict[str, str] | None = None):
        self.reader = reader
        self.texts = dict(texts or {})
        self.titles: dict[str, str] = {}
        self.wanted: set[str] = set()

    def want(self, rows: list[dict]) -> None:
        for row in rows:
            for span in row.get("spans") or []:
                parsed = parse_span(span)
                if parsed and parsed[0] not in self.texts:
                    self.wanted.add(parsed[0])

    def fetch(self) -> None:
        if self.wanted:
            for row in self.reader.read(q.article_texts(), {"ids": sorted(self.wanted)}):
                self.texts[row["id"]] = row["text"] or ""
                self.titles[row["id"]] = row["title"] or ""

    def sentence(self, span: str) -> dict | None:
        parsed = parse_span(span)
        if parsed is None or parsed[0] not in self.texts:
            return None
        article_id, start, end = parsed
        before, found, after = sentence_around(self.texts[article_id], start, end)
        return {"article": article_id, "title": self.titles.get(article_id, ""), "before": before,
                "span": found, "after": after}


def drop_entry(fact: str, **names: str | None) -> str:
    """The schemas/curation.json entry that drops this fact (shown under "wrong?")."""
    import json

    entry = {"fact": fact, **{k: v for k, v in names.items() if v}, "why": "…"}
    return json.dumps(entry, ensure_ascii=False)


def graph_json(entity_id: str, label: str, props: dict, rows: list[dict]) -> dict:
    """Cytoscape.js elements for an entity and its neighbours, styled as style.grass says."""

    def node(node_id: str, node_label: str, values: dict, centre: bool = False) -> dict:
        style = node_style(node_label)
        size = int(str(style.get("diameter", "50px")).rstrip("px") or 50)
        return {"data": {"id": node_id, "label": node_label, "name": values.get("name"),
                         "caption": caption(style.get("caption", "{name}"), values), "colour": colour(node_label),
                         "border": style.get("border-color", "#9AA1AC"), "size": size + (20 if centre else 0),
                         "href": f"/entity/{node_id}", "centre": centre}}

    nodes = {entity_id: node(entity_id, label, props, centre=True)}
    edges = []
    for row in rows:
        nodes.setdefault(row["id"], node(row["id"], row["label"], row))
        style = relationship_style(row["type"])
        edges.append({"data": {"id": f"{row['source']}-{row['type']}-{row['target']}-{len(edges)}",
                               "source": row["source"], "target": row["target"], "type": row["type"],
                               "caption": caption(style.get("caption", "<type>"), row),
                               "width": int(str(style.get("shaft-width", "1px")).rstrip("px") or 1)}})
    return {"centre": entity_id, "nodes": list(nodes.values()), "edges": edges}
