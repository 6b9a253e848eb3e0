"""Loading issue files into a store: the stages wired together for `kg build`,
`kg reload` and `kg watch`.

The unit of loading is a file: a whole issue, or one page of an issue delivered
one file per page (lcrb-2024-12-28-A01.txt, …-A02.txt: parts of one issue,
kg.ingest.page_of). A run first describes every file (issue, part, content
hash) and plans, before writing anything:

- a file the store holds with the same hash and pipeline version is skipped
  (one that moved only has its recorded path updated);
- one it holds otherwise (changed text, a newer pipeline, a load cut short and
  never recorded) has exactly its own facts replaced;
- two files that claim one issue (or one page) without being its pages are an
  error naming both, and the second is not loaded;
- with `remove_missing` (kg reload, kg watch), files recorded under the given
  folders that are gone (deleted, renamed) are forgotten, so the store equals a
  clean build of what is there.

Every write is all or nothing (one Neo4j transaction; one MULTI/EXEC on
FalkorDB; a first load into an empty FalkorDB, by GRAPH.BULK, builds its graph
under a key of its own and renames it over the store's in one step:
kg.store.bulk), and a file's manifest entry is written after its facts: a crash at
any moment leaves each file either loaded and recorded, loaded and unrecorded
(replaced by the next run), or untouched. A statement the store rejects
undoes its write and names its file; the other files go on.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg import PIPELINE_VERSION
from kg.aliases.identity import IdentityRegistry, touched
from kg.aliases.settle import StoreEvidence, replay, unsettled
from kg.config import batch_size
from kg.errors import InputError, KGError, StatementRejected, StoreError
from kg.graph import assemble
from kg.ingest import IssueFile, describe, page_order, read_issue_parts
from kg.models import Entity, Issue
from kg.parallel import Analyser, first_failure
from kg.store import GraphStore, Statement
from kg.store.lock import StoreLock
from kg.writers import cypher
from kg.writers.load import (
    checked,
    checked_plan,
    forget_plan,
    load_plan,
    loaded_files,
    mark_plan,
    repair_plan,
)

log = logging.getLogger("kg")
BULK_MENTIONS = 500_000  # entity mentions a first load gathers for its one bulk write (memory stays bounded)


@dataclass
class LoadOutcome:
    issue_id: str
    action: str  # loaded, replaced, unchanged, moved, forgotten
    articles: int = 0
    path: str = ""
    part: str = ""


@dataclass
class RunPlan:
    """What a run will do, decided before it writes."""
    load: list[IssueFile] = field(default_factory=list)
    unchanged: list[IssueFile] = field(default_factory=list)
    moved: list[IssueFile] = field(default_factory=list)  # unchanged content at a new path
    gone: list[dict] = field(default_factory=list)  # manifest entries whose files are gone
    errors: list[str] = field(default_factory=list)  # files not loaded, each with the reason


@dataclass
class RunReport:
    outcomes: list[LoadOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, *actions: str) -> int:
        return sum(1 for o in self.outcomes if o.action in actions)


@dataclass
class _Entry:
    issue: Issue
    path: str
    results: list
    forget: list[Statement]
    done: LoadOutcome


@dataclass
class IssueLoader:
    store: GraphStore
    manifest: dict[str, dict] = field(default_factory=dict)  # part id -> kg.writers.load.loaded_files row
    identities: IdentityRegistry = field(default_factory=IdentityRegistry)
    lock: StoreLock | None = None
    # entity mentions to gather before writing; 0: write each file as soon as it is read
    group_mentions: int = 0
    _group: list[_Entry] = field(default_factory=list)
    _mentions: int = 0
    report: RunReport = field(default_factory=RunReport)
    # person names and organisation brands whose identity this loader's writes may have moved
    _touched: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))
    analyser: Analyser = field(default_factory=Analyser)  # its worker processes (kg.parallel)
    # a first load into an empty FalkorDB goes by GRAPH.BULK (kg.store.bulk): all its files in one write
    bulk: bool = False

    @classmethod
    def open(cls, store: GraphStore, lock: StoreLock | None = None, schema: bool = True,
             group_mentions: int = 0) -> IssueLoader:
        """A loader that knows what the store holds: its manifest and identity evidence
        (read after the lock is taken, so they are not a concurrent command's past),
        once what an older version's crash left half-made is repaired."""
        if schema:
            store.apply_schema()
        if not checked(store):  # once per store: kg itself leaves nothing half-made
            plan, said = repair_plan(store)
            if plan:
                log.warning("repairing the store: %s", said)
            store.write(plan + checked_plan(True))
        return cls(store, loaded_files(store), _registry(store), lock, group_mentions)

    def _write(self, statements: list[Statement]) -> None:
        if self.lock:
            self.lock.check()
        self.store.write(statements)

    # ------------------------------------------------------------------------------ planning

    def plan(self, files: list[Path], encoding: str | None = None, date: str | None = None,
             force: bool = False, remove_missing: list[Path] | None = None) -> RunPlan:
        """Describe every file, then decide (see the module's doc). `remove_missing`: the
        folders and files given, under which recorded files that are gone are forgotten."""
        plan = RunPlan()
        described: list[IssueFile] = []
        for path in files:
            try:
                described.append(describe(path, encoding, date))
            except KGError as exc:
                plan.errors.append(str(exc))
        present = {str(_resolved(f.path)) for f in described} | {str(_resolved(p)) for p in files}
        given = {f.part for f in described}  # a part some file still gives moved, or changed, but is not gone
        gone = {part: row for part, row in self.manifest.items()
                if remove_missing is not None and part not in given and _under(row.get("path"), remove_missing)
                and str(_resolved(row["path"])) not in present}
        claims: dict[str, list[IssueFile]] = {}
        for f in sorted(described, key=lambda f: (f.issue_id, page_order(f.page), f.path.name, str(f.path))):
            claims.setdefault(f.issue_id, []).append(f)
        for issue_id, group in claims.items():
            stored = [row for row in self.manifest.values() if row["issue"] == issue_id and row["part"] not in gone]
            for f in self._admitted(group, stored, plan):
                known = self.manifest.get(f.part)
                if not force and known and (known["sha256"], known["pipeline_version"]) == (f.sha256, PIPELINE_VERSION):
                    # recorded again where the path changed, or in an older version's place (the issue)
                    same = known.get("path") == str(_resolved(f.path)) and not known.get("legacy")
                    (plan.unchanged if same else plan.moved).append(f)
                else:
                    plan.load.append(f)
        plan.gone = sorted(gone.values(), key=lambda r: r["part"])
        return plan

    def _admitted(self, group: list[IssueFile], stored: list[dict], plan: RunPlan) -> list[IssueFile]:
        """The files of one issue that may load: all its pages, or one whole file. A file
        that claims an issue (or page) another file of the run, or one the store holds from
        a file still there, already gives is refused, naming both."""
        admitted: list[IssueFile] = []
        in_run = {str(_resolved(g.path)) for g in group}
        # files the store holds this issue from that still exist and are not part of this run
        holders = {row["part"]: row for row in stored if _exists(row.get("path"))
                   and str(_resolved(row["path"])) not in in_run}
        for f in group:
            twin = next((g for g in admitted if g.part == f.part and g.sha256 == f.sha256), None)
            if twin is not None:
                log.info("%s: the same content as %s; skipped", f.path, twin.path)
                continue
            # two pages of one issue may both load; a whole file and anything else may not (the
            # same content as the file the store holds it from is that file, not a rival)
            rival = next((g for g in admitted if g.part == f.part or not (g.page and f.page)), None)
            held = next((str(_resolved(row["path"])) for part, row in holders.items()
                         if (part == f.part and row.get("sha256") != f.sha256)
                         or (part != f.part and (not f.page or part == f.issue_id))), None)
            if rival is not None or held is not None:
                other = str(rival.path) if rival is not None else held
                plan.errors.append(f"{f.path}: claims issue {f.issue_id}" + (f" page {f.page}" if f.page else "") +
                                   f", which {other} already gives, and they are not two pages of it "
                                   "(name page files …-A01.txt, …-A02.txt); not loaded")
                continue
            admitted.append(f)
        return admitted

    # ------------------------------------------------------------------------------ running

    def run(self, plan: RunPlan, encoding: str | None = None, date: str | None = None,
            progress: bool = False) -> RunReport:
        """Carry out a plan: forget what is gone, record moves, load the rest."""
        from tqdm import tqdm

        self.report.errors += plan.errors
        for row in plan.gone:
            self.forget_part(row, reason="its file is gone")
        if plan.moved:
            self._write(mark_plan([(_placeholder(f), str(_resolved(f.path))) for f in plan.moved]))
            for f in plan.moved:
                self.manifest[f.part]["path"] = str(_resolved(f.path))
                log.info("%s: unchanged, now at %s", f.part, f.path)
                self.report.outcomes.append(LoadOutcome(f.issue_id, "moved", path=str(f.path), part=f.part))
        for f in plan.unchanged:
            log.info("%s: unchanged since it was loaded as %s; skipped", f.path, f.part)
            self.report.outcomes.append(LoadOutcome(f.issue_id, "unchanged", path=str(f.path), part=f.part))
        for f in tqdm(plan.load, desc="issues", unit="file", disable=not progress):
            try:
                self.load_file(f.path, encoding, date, force=True)
            except StoreError:
                raise  # the store failing ends the run; a bad file does not
            except KGError as exc:
                self.report.errors.append(str(exc))
                log.error("skipped %s", exc)
        self.flush()
        self.settle()
        return self.report

    def load_file(self, path: str | Path, encoding: str | None = None, date: str | None = None,
                  force: bool = False) -> LoadOutcome:
        """Read, analyse and load one file (with grouping on, the write may wait for
        flush(); the file is recorded only once written)."""
        resolved = str(_resolved(path))  # the same file gives the same nodes, whichever path named it
        parts = read_issue_parts(resolved, encoding, date)
        first = next(parts)
        known = self.manifest.get(first.part)
        if not force and known and (known["sha256"], known["pipeline_version"]) == (first.sha256, PIPELINE_VERSION):
            log.info("%s: unchanged since it was loaded as %s; skipped", path, first.part)
            return LoadOutcome(first.id, "unchanged", path=str(path), part=first.part)
        if any(e.issue.part == first.part for e in self._group):
            self.flush()  # the same file twice in one run: its first load must be in the store to be replaced
        # its own facts go first: a changed file is replaced, not merged into, and so is one whose
        # facts are in but whose manifest entry is not (a crash between the two writes)
        forget_first, held = self._forget_plan(first.part, first.id)
        if not (known or held):
            forget_first = []
        action = "replaced" if known or held else "loaded"
        second = next(parts, None)
        if second is None:
            outcome = LoadOutcome(first.id, action, len(first.articles), str(path), first.part)
            self._add(first, resolved, forget_first, outcome)
        else:
            outcome = self._load_parts(itertools.chain([first, second], parts), resolved, forget_first, action)
        self.manifest[first.part] = {"part": first.part, "issue": first.id, "path": resolved,
                                     "sha256": first.sha256, "pipeline_version": PIPELINE_VERSION}
        return outcome

    def _analysed(self, issue: Issue) -> list:
        for warning in issue.warnings:
            log.warning(warning)
        results = self.analyser.analyse(issue.articles)
        failed = first_failure(results)
        if failed:
            raise KGError(f"{issue.id}: analysis failed ({failed}); its file was not loaded")
        self.identities.identify(results)
        evidence = self.identities.evidence
        decided = [(r.article.id, e) for r in results for e in r.entities.values()]
        # a new issue after everything stored moves no stored decision
        self._touch(*(evidence.moved(decided) if evidence is not None else touched(e for _, e in decided)))
        return results

    def _touch(self, names: set[str], brands: set[str]) -> None:
        """Names and brands whose stored identity decisions settle() is to check."""
        self._touched[0].update(names)
        self._touched[1].update(brands)

    def _forget_plan(self, part: str, issue: str, also: list[str] = ()) -> tuple[list[Statement], int]:
        """forget_plan, noting the names and brands whose identity the forgetting may move."""
        plan, removed = forget_plan(self.store, part, issue, also)
        params = plan[0][1] if plan else {}
        if params.get("ids"):
            entities = [Entity(r["id"], r["label"], r["name"]) for r in self.store.read(
                cypher.entity_names(), {"ids": params["ids"]}) if r["name"]]
            names, brands = touched(entities)
            # greedy in article order: forgetting articles after every other mention of a
            # name cannot move that name's earlier decisions (the newest issue, typically)
            first = min(params["articles"], default="")
            later = {r["name"] for r in self.store.read(cypher.latest_mentions(), {
                "names": sorted(names), "articles": params["articles"]}) if first <= (r["last"] or "")}
            self._touch(later, brands)
        return plan, removed

    def _add(self, issue: Issue, path: str, forget_first: list[Statement], done: LoadOutcome) -> None:
        results = self._analysed(issue)
        self._group.append(_Entry(issue, path, results, forget_first, done))
        self._mentions += sum(len(r.facts.mentions) for r in results)
        if self._mentions >= (BULK_MENTIONS if self.bulk else self.group_mentions):
            self.flush()  # a first load's bulk write takes many files at once, but not without end

    def flush(self) -> None:
        """Write the files gathered so far: their old facts out and the new in, as one
        write; then their manifest entries. A statement the store rejects undoes the
        write, and the files are tried one by one, so only the bad one is left out."""
        group, self._group, self._mentions = self._group, [], 0
        if not group:
            return
        try:
            self._write_entries(group)
        except StatementRejected as exc:
            self._undo([(e.issue, e.results) for e in group])
            if len(group) == 1:
                self._rejected(group[0], exc)
                return
            for entry in group:
                entry.forget = []  # undone already
                try:
                    self._write_entries([entry])
                except StatementRejected as one:
                    self._undo([(entry.issue, entry.results)])
                    self._rejected(entry, one)

    def _write_entries(self, group: list[_Entry]) -> None:
        issues = [e.issue for e in group]
        g = assemble(issues, [r for e in group for r in e.results])
        if self.bulk and not any(e.forget for e in group):
            from kg.store.bulk import bulk_write

            if self.lock:
                self.lock.check()
            self.bulk = False  # once: the graph it replaces must be empty
            bulk_write(self.store, g)
        else:
            self._write([s for e in group for s in e.forget] + load_plan(g, fresh_articles=True))
        self._write(mark_plan([(e.issue, e.path) for e in group]))
        for e in group:
            log.info("%s: %s as %s (%d articles)", e.path, e.done.action, e.issue.part, e.done.articles)
            self.report.outcomes.append(e.done)

    def _undo(self, written: list[tuple[Issue, list]]) -> None:
        """Remove what a rejected write left of these files (and anything it left dangling):
        their entities are looked at whether or not the write got as far as their mentions."""
        plan = [s for issue, results in written
                for s in self._forget_plan(issue.part, issue.id, _entity_ids(results))[0]]
        self._write(checked_plan(False))  # should the undo be cut short, the next run checks the store
        self._write(plan)
        repair, said = repair_plan(self.store)
        if repair:
            log.info("undoing a rejected write: %s", said)
        self._write(repair + checked_plan(True))

    def _rejected(self, entry: _Entry, exc: StatementRejected) -> None:
        self.manifest.pop(entry.issue.part, None)
        error = InputError(entry.path, f"the store rejected its facts, so none were loaded ({exc})")
        log.error("skipped %s", error)
        self.report.errors.append(str(error))

    def _load_parts(self, parts: Iterator[Issue], path: str, forget_first: list[Statement],
                    action: str) -> LoadOutcome:
        """A file read in parts (over 8 MiB): one write per part, the manifest entry after
        the last (a crash between parts leaves the file unrecorded: the next run replaces it)."""
        self.flush()
        pending, articles, first, written = forget_first, 0, None, []
        for issue in parts:
            first = first or issue
            results = self._analysed(issue)
            written += results
            g = assemble([issue], results)
            try:
                self._write(pending + load_plan(g, fresh_articles=True))
            except StatementRejected as exc:
                self._undo([(first, written)])
                raise InputError(path, f"the store rejected its facts, so none were loaded ({exc})") from exc
            pending = []
            articles += len(issue.articles)
        self._write(mark_plan([(first, path)]))
        outcome = LoadOutcome(first.id, action, articles, path, first.part)
        log.info("%s: %s as %s (%d articles, read in parts)", path, action, first.part, articles)
        self.report.outcomes.append(outcome)
        return outcome

    def forget_part(self, row: dict, reason: str = "") -> int:
        """Remove one file's facts (its manifest row) in one write."""
        removed = self._forget_rows([row])
        log.info("%s: forgot %d article(s)%s", row["part"], removed, f" ({reason}: {row.get('path')})" if reason else "")
        self.report.outcomes.append(LoadOutcome(row["issue"], "forgotten", removed, row.get("path") or "", row["part"]))
        return removed

    def forget(self, issue_id: str) -> int:
        """Remove one issue (every file of it) in one write; the number of articles removed."""
        rows = [row for row in self.manifest.values() if row["issue"] == issue_id] or \
            [{"part": issue_id, "issue": issue_id}]  # an issue whose load never finished
        removed = self._forget_rows(rows)
        log.info("%s: forgot %d article(s)", issue_id, removed)
        self.settle()
        return removed

    def _forget_rows(self, rows: list[dict]) -> int:
        """Forget these files (manifest rows) in one write; the number of articles removed."""
        self.flush()
        plans = [self._forget_plan(row["part"], row["issue"]) for row in rows]
        self._write([s for plan, _ in plans for s in plan])
        for row in rows:
            self.manifest.pop(row["part"], None)
        return sum(n for _, n in plans)

    # ------------------------------------------------------------------------------ identity

    def settle(self, rounds: int = 3) -> None:
        """Make every identity decision the writes touched the one the whole store implies
        (kg.aliases.settle): files whose articles were decided otherwise, because they
        arrived before or after the evidence that decides them, are loaded again with
        the replayed decisions imposed. Usually there is nothing to do, and finding so
        reads only the names and brands the writes touched."""
        self.flush()
        for _ in range(rounds):
            names, brands = self._touched
            if not (names or brands):
                return
            self._touched = (set(), set())
            _, decided, rows = replay(self.store, names, brands)
            articles = unsettled(rows, decided)
            if not articles:
                continue
            parts = {a["part"] for a in self.store.read(cypher.article_parts(), {"ids": sorted(articles)})}
            log.info("identity: %d article(s) in %d file(s) decided otherwise than the whole store implies; "
                     "loading them again", len(articles), len(parts))
            registry, decided, _ = replay(self.store)  # something moved: every decision, as a clean build
            registry.decided = decided
            for part in sorted(parts):
                self._redecide(part, registry)
            self.identities = _registry(self.store)
        if any(self._touched):
            log.warning("identity: decisions still moving after %d rounds; left as they are", rounds)

    def _redecide(self, part: str, registry: IdentityRegistry) -> None:
        """Load one stored file again, its identity decided by `registry`."""
        row = self.manifest.get(part)
        path = row.get("path") if row else None
        if not _exists(path):
            log.warning("identity: %s cannot be decided again: its file %s is gone", part, path)
            return
        kept, self.identities = self.identities, registry
        try:
            self.load_file(path, force=True)
            self.flush()
        finally:
            self.identities = kept


def bulk_allowed() -> bool:
    """KG_BULK=0 keeps a first load on the MERGE path."""
    import os

    return os.environ.get("KG_BULK", "1") != "0"


def _registry(store: GraphStore) -> IdentityRegistry:
    """A registry that reads the store's evidence of each name and brand as a run meets it."""
    registry = IdentityRegistry.from_schemas()
    registry.evidence = StoreEvidence(store)
    return registry


def _entity_ids(results: list) -> list[str]:
    return sorted({e.id for r in results for e in r.entities.values()})


def _resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def _exists(path: str | None) -> bool:
    return bool(path) and Path(path).is_file()


def _under(path: str | None, roots: list[Path]) -> bool:
    """Whether a recorded file lies under one of the given folders (or is one of the given files)."""
    if not path:
        return False
    p = _resolved(path)
    return any(p == r or r in p.parents for r in map(_resolved, roots))


def _placeholder(f: IssueFile) -> Issue:
    """An Issue carrying only what a manifest entry needs (a moved file is not read again)."""
    return Issue(id=f.issue_id, paper="", source=str(f.path), sha256=f.sha256, date=f.date, encoding="",
                 part=f.part, page=f.page)


@contextlib.contextmanager
def locked_loader(store: GraphStore, command: str, wait: float | None = None,
                  workers: int = 1) -> Iterator[IssueLoader]:
    """An IssueLoader holding the store's lock (kg.store.lock) for as long as it is used,
    analysing in `workers` processes. The schema comes first: on Neo4j the lock node's
    uniqueness constraint is what makes taking it safe."""
    store.apply_schema()
    with StoreLock(store, command, **({"wait": wait} if wait is not None else {})) as lock, \
            Analyser(workers) as analyser:
        loader = IssueLoader.open(store, lock, schema=False, group_mentions=batch_size())
        loader.analyser = analyser
        # a store that records no file and holds no node of data is empty (the manifest, already read, first)
        loader.bulk = bulk_allowed() and store.dialect == "falkordb" and not loader.manifest \
            and not store.read(cypher.any_data())
        yield loader
        loader.flush()  # not after an error: what was not written stays unrecorded
