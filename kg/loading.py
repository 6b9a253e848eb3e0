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

import itertools
import logging
from dataclasses import dataclass, field
from pathlib import Path

from kg import PIPELINE_VERSION
from kg.aliases.identity import IdentityRegistry
from kg.graph import assemble
from kg.ingest import read_issue_parts
from kg.pipeline import analyse
from kg.store import GraphStore
from kg.writers.load import forget, identity_evidence, load, loaded_issues, mark_loaded

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

    @classmethod
    def open(cls, store: GraphStore) -> IssueLoader:
        """A loader that knows what the store holds: its manifest and identity evidence."""
        store.apply_schema()
        identities = IdentityRegistry.from_schemas()
        identities.seed(*identity_evidence(store))  # decide as the runs before this one did
        return cls(store, loaded_issues(store), identities)

    def load_file(self, path: str | Path, encoding: str | None = None, date: str | None = None,
                  force: bool = False) -> LoadOutcome:
        parts = read_issue_parts(path, encoding, date)
        first = next(parts)
        known = self.manifest.get(first.id)
        if not force and known == (first.sha256, PIPELINE_VERSION):
            log.info("%s: unchanged since it was loaded as %s; skipped", path, first.id)
            return LoadOutcome(first.id, "unchanged")
        replaced = first.id in self.manifest
        if replaced:
            forget(self.store, first.id)  # its own facts go first: a changed issue is replaced, not merged into
        articles = 0
        for part in itertools.chain([first], parts):
            for warning in part.warnings:
                log.warning(warning)
            results = list(analyse(part.articles))
            self.identities.identify(results)
            load(self.store, assemble([part], results), progress=False, schema=False)
            articles += len(part.articles)
        mark_loaded(self.store, [first])
        self.manifest[first.id] = (first.sha256, PIPELINE_VERSION)
        log.info("%s: %s as %s (%d articles)", path, "replaced" if replaced else "loaded", first.id, articles)
        return LoadOutcome(first.id, "replaced" if replaced else "loaded", articles)

    def forget(self, issue_id: str) -> int:
        removed = forget(self.store, issue_id)
        self.manifest.pop(issue_id, None)
        return removed
