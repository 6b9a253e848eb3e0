"""The extraction path shared by `kg build` and `kg extract`: articles in,
facts and resolved entities out. Only the CLI wires stages to stores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.aliases import alias_table, resolve_article
from kg.aliases.keys import display_name
from kg.config import PAPER
from kg.ingest.articles import locate_bylines
from kg.ingest.bylines import parse_bylines
from kg.ingest.layout import repair, split_lines
from kg.ingest.reader import clean_invisible
from kg.models import Article, ArticleFacts, Entity
from kg.nlp import process, shared_nlp
from kg.relations import facts_from_doc

BATCH_ARTICLES = 32


@dataclass
class ArticleResult:
    article: Article
    facts: ArticleFacts
    entities: dict[tuple[str, str], Entity]
    district: str | None = None  # the county or district the article is about


def analyse(articles: Iterable[Article], batch: int = BATCH_ARTICLES) -> Iterator[ArticleResult]:
    """Facts and entities for each article, in order, NLP run in batches."""
    nlp = shared_nlp()
    table = alias_table()
    pending: list[Article] = []

    def flush() -> Iterator[ArticleResult]:
        docs = process(nlp, [a.text for a in pending], [[(b.start, b.end) for b in a.bylines] for a in pending])
        for article, doc in zip(pending, docs, strict=True):
            doc._.kg_article_id = article.id
            district = table.district_of([e.text for e in doc.ents if e.label_ == "Place"], article.text)
            facts = facts_from_doc(doc, article.id, article.issue_id, article.date, article.bylines,
                                   article.title, PAPER, lambda name, d=district: table.canonical(
                                       name, "Organization", d))
            yield ArticleResult(article, facts, resolve_article(facts, table, district), district)
        pending.clear()

    for article in articles:
        pending.append(article)
        if len(pending) >= batch:
            yield from flush()
    if pending:
        yield from flush()


def article_from_record(record: dict) -> Article:
    """An Article from a `kg extract --jsonl` input line: raw text, layout damage and all."""
    raw = clean_invisible(str(record.get("text") or ""))
    text, offsets = repair(split_lines(raw))
    return Article(id=str(record.get("id")), issue_id=None, seq=0, title=str(record.get("title") or ""),
                   text=text, raw_start=0, raw_end=len(raw), offsets=offsets,
                   bylines=locate_bylines(parse_bylines(raw), text), date=record.get("date"))


def _org_name(result: ArticleResult, canonical: str | None) -> str | None:
    """A role's body under the name its entity carries (聊城市工信局 -> 聊城市工业和信息化局)."""
    if canonical is None:
        return None
    ent = result.entities.get(("Organization", canonical))
    return ent.name if ent is not None else display_name(canonical)


def contract_record(result: ArticleResult) -> dict:
    """One output line of `kg extract --jsonl` (spec/extraction-contract.md)."""
    entities = []
    for ent in {e.id: e for e in result.entities.values()}.values():  # a body under two keys is one
        row = {"id": ent.id, "name": ent.name, "type": ent.type, "aliases": sorted(ent.aliases)}
        if ent.type == "Organization":
            row["kind"] = ent.kind or "other"
        entities.append(row)
    # a post read once with its body ("本报记者 夏旭光") and once without ("记者夏旭光") is one
    # post at that body; the same title at two bodies (部长 of two departments) stays two
    with_org = {(r.person, r.title) for r in result.facts.roles if r.org}
    roles = [{"person": p, "title": t, "org": _org_name(result, o)} for p, t, o in dict.fromkeys(
        (r.person, r.title, r.org) for r in result.facts.roles if r.org or (r.person, r.title) not in with_org)]
    attendance, seen_att = [], set()
    for a in result.facts.attendance:
        key = (a.person, a.role)
        if key not in seen_att:
            seen_att.add(key)
            attendance.append({"person": a.person, "role": a.role, "event": a.event})
    return {"id": result.article.id, "entities": entities, "roles": roles, "attendance": attendance}
