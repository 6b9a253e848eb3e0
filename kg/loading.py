"""Loading issue files into a store, one issue at a time: the stages wired together
for `kg build`, `kg reload` and `kg watch`.

An issue the store holds with the same content hash and pipeline version is
skipped. One it holds otherwise (changed text, a newer pipeline, or a load that
was cut short and never marked) has exactly its own facts replaced: forgotten
first (kg.writers.load.forget), then loaded and marked. The mark is written
last, so a crash at any point leaves the issue unmarked and the next run
replaces it again, without duplicates.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg import PIPELINE_VERSION
from kg.aliases.identity import IdentityRegistry
from kg.graph import assemble
from kg.ingest import read_issue_parts
from kg.pipeline import analyse
from kg.store import GraphStore
from kg.store.lock import StoreLock
from kg.writers.load import forget, forget_plan, identity_evidence, load_plan, loaded_issues, mark_plan

log = logging.getLogger("kg")


@dataclass
class LoadOutcome:
    issue_id: str
    action: str  # loaded, replaced, unchanged
    articles: int = 0


@dataclass
class IssueLoader:
    store: GraphStore
    manifest: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    identities: IdentityRegistry = field(default_factory=IdentityRegistry)
    lock: StoreLock | None = None

    @classmethod
    def open(cls, store: GraphStore, lock: StoreLock | None = None, schema: bool = True) -> IssueLoader:
        """A loader that knows what the store holds: its manifest and identity evidence
        (read after the lock is taken, so they are not a concurrent command's past)."""
        if schema:
            store.apply_schema()
        identities = IdentityRegistry.from_schemas()
        identities.seed(*identity_evidence(store))  # decide as the runs before this one did
        return cls(store, loaded_issues(store), identities, lock)

    def _write(self, statements) -> None:
        if self.lock:
            self.lock.check()
        self.store.write(statements)

    def load_file(self, path: str | Path, encoding: str | None = None, date: str | None = None,
                  force: bool = False) -> LoadOutcome:
        parts = read_issue_parts(path, encoding, date)
        first = next(parts)
        known = self.manifest.get(first.id)
        if not force and known == (first.sha256, PIPELINE_VERSION):
            log.info("%s: unchanged since it was loaded as %s; skipped", path, first.id)
            return LoadOutcome(first.id, "unchanged")
        replaced = first.id in self.manifest
        # its own facts go first: a changed issue is replaced, not merged into
        pending = forget_plan(self.store, first.id)[0] if replaced else []
        articles = 0
        for part in _with_last(itertools.chain([first], parts)):
            issue, last = part
            for warning in issue.warnings:
                log.warning(warning)
            results = list(analyse(issue.articles))
            self.identities.identify(results)
            g = assemble([issue], results)
            pending += load_plan(g) + (mark_plan([first]) if last else [])
            # one write per part: on Neo4j one transaction, so an issue read whole is
            # replaced all at once; on FalkorDB statement by statement, the mark last
            self._write(pending)
            pending = []
            articles += len(issue.articles)
        self.manifest[first.id] = (first.sha256, PIPELINE_VERSION)
        log.info("%s: %s as %s (%d articles)", path, "replaced" if replaced else "loaded", first.id, articles)
        return LoadOutcome(first.id, "replaced" if replaced else "loaded", articles)

    def forget(self, issue_id: str) -> int:
        """Remove one issue's facts (kg.writers.load.forget)."""
        if self.lock:
            self.lock.check()
        removed = forget(self.store, issue_id)
        self.manifest.pop(issue_id, None)
        return removed


@contextlib.contextmanager
def locked_loader(store: GraphStore, command: str, wait: float | None = None) -> Iterator[IssueLoader]:
    """An IssueLoader holding the store's lock (kg.store.lock) for as long as it is used.
    The schema comes first: on Neo4j the lock node's uniqueness constraint is what
    makes taking it safe."""
    store.apply_schema()
    with StoreLock(store, command, **({"wait": wait} if wait is not None else {})) as lock:
        yield IssueLoader.open(store, lock, schema=False)


def _with_last(items):
    """(item, is_last) pairs."""
    it = iter(items)
    try:
        current = next(it)
    except StopIteration:
        return
    for nxt in it:
        yield current, False
        current = nxt
    yield current, True
