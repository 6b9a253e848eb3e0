"""HTML pieces the explorer and `kg show --html` share: an article with its stored
mentions marked (displaCy's entity markup), and the sentence a fact rests on."""

from __future__ import annotations

from html import escape

from kg.serve.style import colour

SENTENCE_ENDS = "。！？!?\n"
MENTION_TEMPLATE = (
    '<mark class="entity" data-type="{label}" style="background: {bg}; padding: 0.2em 0.35em; margin: 0 0.1em; '
    'line-height: 1.9; border-radius: 0.35em;"><a href="{href}" title="{name}">{text}</a>'
    '<span style="font-size: 0.7em; font-weight: bold; margin-left: 0.3rem">{label}</span></mark>')


def mention_spans(mentions: list[dict]) -> list[tuple[int, int, str, str, str]]:
    """(start, end, type, entity id, name) of every stored mention, in text order; the
    store keeps each entity's offsets as one flat list [start, end, start, end, …]."""
    return sorted((start, end, m["type"], m["entity"], m["name"]) for m in mentions
                  for start, end in zip((m["offsets"] or [])[::2], (m["offsets"] or [])[1::2], strict=False))


def marked_text(text: str, spans: list[tuple[int, int, str, str, str]], link: str | None = "/entity/{}",
                page: bool = False, title: str | None = None) -> str:
    """displaCy's entity view of the stored mentions (of overlapping ones the first is kept),
    each linked to `link` filled with the entity's id (no link when None)."""
    from spacy import displacy

    ents, last = [], -1
    for start, end, kind, entity_id, name in spans:
        if start >= last:
            href = link.format(entity_id) if link else "#"
            ents.append({"start": start, "end": end, "label": kind,
                         "params": {"href": escape(href), "name": escape(name)}})
            last = end
    options = {"colors": {kind: colour(kind) for _, _, kind, _, _ in spans}, "template": MENTION_TEMPLATE}
    return displacy.render({"text": text, "ents": ents, "title": title}, style="ent", manual=True, page=page,
                           options=options)


def parse_span(span: str) -> tuple[str, int, int] | None:
    """'article:start-end' -> (article, start, end); None for anything else."""
    article, _, offsets = span.rpartition(":")
    start, _, end = offsets.partition("-")
    if not article or not start.isdigit() or not end.isdigit():
        return None
    return article, int(start), int(end)


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, the span, after) within the sentence that holds text[start:end]."""
    first = max((text.rfind(c, 0, start) for c in SENTENCE_ENDS), default=-1) + 1
    if end > start and text[end - 1] in SENTENCE_ENDS:  # the span is a whole sentence
        return text[first:start].lstrip(), text[start:end], ""
    ends = [i for i in (text.find(c, end) for c in SENTENCE_ENDS) if i >= 0]
    last = min(ends) + 1 if ends else len(text)
    return text[first:start].lstrip(), text[start:end], text[end:last].rstrip()
