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
from kg.config import batch_size
from kg.graph import assemble
from kg.ingest import read_issue_parts
from kg.models import Issue
from kg.pipeline import analyse
from kg.store import GraphStore, Statement
from kg.store.lock import StoreLock
from kg.writers.load import forget, forget_plan, identity_evidence, load_plan, loaded_issues, mark_plan

log = logging.getLogger("kg")


@dataclass
class LoadOutcome:
    issue_id: str
    action: str  # loaded, replaced, unchanged
    articles: int = 0


@dataclass
class _Group:
    """Whole issues analysed but not yet written: written together, so a build of many
    small issues sends a few full batches instead of dozens of small statements each."""
    issues: list[Issue] = field(default_factory=list)
    results: list = field(default_factory=list)
    forget: list[Statement] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    mentions: int = 0  # what the group's size is judged by: each mention makes about two relationships

    def ids(self) -> set[str]:
        return {i.id for i in self.issues}


@dataclass
class IssueLoader:
    store: GraphStore
    manifest: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    identities: IdentityRegistry = field(default_factory=IdentityRegistry)
    lock: StoreLock | None = None
    # entity mentions to gather before writing; 0: write each issue as soon as it is read
    group_mentions: int = 0
    _group: _Group = field(default_factory=_Group)

    @classmethod
    def open(cls, store: GraphStore, lock: StoreLock | None = None, schema: bool = True,
             group_mentions: int = 0) -> IssueLoader:
        """A loader that knows what the store holds: its manifest and identity evidence
        (read after the lock is taken, so they are not a concurrent command's past)."""
        if schema:
            store.apply_schema()
        identities = IdentityRegistry.from_schemas()
        identities.seed(*identity_evidence(store))  # decide as the runs before this one did
        return cls(store, loaded_issues(store), identities, lock, group_mentions)

    def _write(self, statements: list[Statement]) -> None:
        if self.lock:
            self.lock.check()
        self.store.write(statements)

    def load_file(self, path: str | Path, encoding: str | None = None, date: str | None = None,
                  force: bool = False) -> LoadOutcome:
        """Read, analyse and load one issue file (with grouping on, the write may wait
        for flush(); the issue is marked only once written)."""
        parts = read_issue_parts(path, encoding, date)
        first = next(parts)
        known = self.manifest.get(first.id)
        if not force and known == (first.sha256, PIPELINE_VERSION):
            log.info("%s: unchanged since it was loaded as %s; skipped", path, first.id)
            return LoadOutcome(first.id, "unchanged")
        if first.id in self._group.ids():
            self.flush()  # the same issue twice in one run: its first load must be in the store to be replaced
        replaced = first.id in self.manifest
        # its own facts go first: a changed issue is replaced, not merged into
        forget_first = forget_plan(self.store, first.id)[0] if replaced else []
        action = "replaced" if replaced else "loaded"
        second = next(parts, None)
        if second is None:
            articles = len(first.articles)
            self._add(first, forget_first, f"{path}: {action} as {first.id} ({articles} articles)")
        else:
            articles = self._load_parts(itertools.chain([first, second], parts), forget_first)
            log.info("%s: %s as %s (%d articles, read in parts)", path, action, first.id, articles)
        self.manifest[first.id] = (first.sha256, PIPELINE_VERSION)
        return LoadOutcome(first.id, action, articles)

    def _analysed(self, issue: Issue) -> list:
        for warning in issue.warnings:
            log.warning(warning)
        results = list(analyse(issue.articles))
        self.identities.identify(results)
        return results

    def _add(self, issue: Issue, forget_first: list[Statement], done: str) -> None:
        results = self._analysed(issue)
        group = self._group
        group.issues.append(issue)
        group.results += results
        group.forget += forget_first
        group.logs.append(done)
        group.mentions += sum(len(r.facts.mentions) for r in results)
        if group.mentions >= self.group_mentions:
            self.flush()

    def flush(self) -> None:
        """Write the issues gathered so far: their old facts out, the new in, the marks
        last; on Neo4j one transaction (all or none), on FalkorDB statement by statement
        (a crash leaves them unmarked: the next run replaces them)."""
        group, self._group = self._group, _Group()
        if not group.issues:
            return
        g = assemble(group.issues, group.results)
        self._write(group.forget + load_plan(g, fresh_articles=True) + mark_plan(group.issues))
        for line in group.logs:
            log.info(line)

    def _load_parts(self, parts: Iterator[Issue], forget_first: list[Statement]) -> int:
        """An issue streamed in parts (a file over 8 MiB): one write per part, the mark
        with the last. Returns the number of articles."""
        self.flush()
        pending, articles, first = forget_first, 0, None
        for issue, last in _with_last(parts):
            first = first or issue
            g = assemble([issue], self._analysed(issue))
            self._write(pending + load_plan(g, fresh_articles=True) + (mark_plan([first]) if last else []))
            pending = []
            articles += len(issue.articles)
        return articles

    def forget(self, issue_id: str) -> int:
        """Remove one issue's facts (kg.writers.load.forget)."""
        self.flush()
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
        loader = IssueLoader.open(store, lock, schema=False, group_mentions=batch_size())
        yield loader
        loader.flush()  # not after an error: what was not written stays unmarked


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
