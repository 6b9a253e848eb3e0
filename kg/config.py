"""Settings from the environment, with documented defaults.

KG_HOME        where kg keeps its state (the embedded store's data, pid and
               lock files). Default: $XDG_DATA_HOME/kg, else ~/.local/share/kg.
KG_SCHEMAS     the schemas/ folder (default: the one beside the kg package).
KG_STORE_IDLE  how long the embedded server stays up after the last command that used
               it (10m by default; 30s, 1h; 0 stops it when each command ends).
NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE
               the names Neo4j's own tools use; NEO4J_URI picks the Neo4j store
               when --store is not given.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from kg.errors import ConfigError

PAPER = "聊城日报"
PAPER_ID = "lcrb"
EMBEDDED = "embedded"
GRAPH = "kg"  # the graph a store keeps kg's data in


STORE_IDLE = "10m"


def duration(value: str) -> float:
    """Seconds in "90", "30s", "10m" or "1h"; ValueError for anything else."""
    units = {"s": 1, "m": 60, "h": 3600}
    text = value.strip()
    seconds = float(text[:-1]) * units[text[-1]] if text[-1:] in units else float(text)
    if seconds < 0 or seconds != seconds:
        raise ValueError(value)
    return seconds


def store_idle() -> float:
    """KG_STORE_IDLE in seconds: how long the embedded server outlives its last command."""
    value = os.environ.get("KG_STORE_IDLE", STORE_IDLE)
    try:
        return duration(value)
    except ValueError:
        raise ConfigError(f"KG_STORE_IDLE={value!r}: use seconds or a number with s, m or h (10m)") from None


def kg_home() -> Path:
    env = os.environ.get("KG_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg"


def schemas_dir() -> Path:
    env = os.environ.get("KG_SCHEMAS")
    path = Path(env) if env else Path(__file__).resolve().parent.parent / "schemas"
    if not path.is_dir():
        raise ConfigError(f"schemas folder not found at {path} (set KG_SCHEMAS)")
    return path


@cache
def load_json(name: str) -> dict:
    """A JSON data file from schemas/, parsed once per process."""
    path = schemas_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A word list from schemas/: one entry a line, '#' starts a comment."""
    path = schemas_dir() / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return tuple(s for s in (line.split("#", 1)[0].strip() for line in lines) if s)


def store_uri(option: str | None) -> str:
    """--store wins, then NEO4J_URI, then the embedded store."""
    return option or os.environ.get("NEO4J_URI") or EMBEDDED


def batch_size() -> int:
    return int(os.environ.get("KG_BATCH_SIZE", "5000"))
