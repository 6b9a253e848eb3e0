"""The look of the graph, read from style.grass (the Neo4j Browser style kg ships), so
the explorer and Neo4j Browser colour and caption nodes alike."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

GRASS = Path(__file__).resolve().parent / "static" / "style.grass"
RULE = re.compile(r"(node|relationship)(?:\.(\w+))?\s*\{((?:[^{}]|\{\w*\})*)\}")  # captions hold {name}
PROPERTY = re.compile(r"([\w-]+)\s*:\s*([^;]+);")


@cache
def grass(path: Path = GRASS) -> dict[str, dict[str, dict[str, str]]]:
    """{"node": {"*": defaults, "Person": {...}}, "relationship": {...}}: each selector's
    properties, a label's own over the defaults."""
    rules: dict[str, dict[str, dict[str, str]]] = {"node": {}, "relationship": {}}
    for kind, label, body in RULE.findall(path.read_text(encoding="utf-8")):
        rules[kind][label or "*"] = {k: v.strip().strip('"') for k, v in PROPERTY.findall(body)}
    for kind in rules.values():
        defaults = kind.get("*", {})
        for label in [k for k in kind if k != "*"]:
            kind[label] = {**defaults, **kind[label]}
    return rules


def node_style(label: str) -> dict[str, str]:
    nodes = grass()["node"]
    return nodes.get(label, nodes.get("*", {}))


def relationship_style(rel_type: str) -> dict[str, str]:
    rels = grass()["relationship"]
    return rels.get(rel_type, rels.get("*", {}))


def colour(label: str) -> str:
    return node_style(label).get("color", "#A5ABB6")


def caption(template: str, values: dict) -> str:
    """A grass caption ("{name}", "<type>") filled in from a node's or relationship's values."""
    text = re.sub(r"\{(\w+)\}", lambda m: "" if values.get(m[1]) is None else str(values[m[1]]), template)
    return text.replace("<type>", str(values.get("type", "")))
