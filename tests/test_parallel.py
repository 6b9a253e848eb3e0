"""Worker processes change nothing but the speed: `kg extract` prints the same bytes and
`kg build` leaves the same store for any number of workers, and a long input is
streamed through a bounded window, not read whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import read_issue
from kg.loading import IssueLoader
from kg.parallel import WINDOW, Analyser
from kg.store import open_store
from tests.conftest import EXAMPLES, SHARED, run_kg
from tests.test_reload import snapshot


def _issue_files() -> list[Path]:
    seeds = SHARED / "corpus" / "seeds"
    return sorted(seeds.glob("*.txt")) if seeds.is_dir() else sorted(EXAMPLES.glob("*.txt"))


def _input_lines() -> str:
    """Every article of the seed issues (else the examples) as `kg extract` input, a bad line among them."""
    lines = [json.dumps({"id": a.id, "text": a.text, "date": a.date}, ensure_ascii=False)
             for f in _issue_files() for a in read_issue(f).articles]
    lines.insert(len(lines) // 2, "{not json")
    return "\n".join(lines) + "\n"


def test_extract_prints_the_same_lines_for_any_number_of_workers():
    text = _input_lines()
    one = run_kg("extract", "--jsonl", "--workers", "1", input=text)
    two = run_kg("extract", "--jsonl", "--workers", "2", input=text)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    out = one.stdout.splitlines()
    assert len(out) == len(text.splitlines())
    bad = text.splitlines().index("{not json")
    assert "invalid JSON" in json.loads(out[bad])["error"]
    assert all("error" not in json.loads(line) for i, line in enumerate(out) if i != bad)


@pytest.mark.store
def test_a_build_leaves_the_same_store_for_any_number_of_workers(tmp_path, monkeypatch):
    states = []
    for workers in (1, 2):
        monkeypatch.setenv("KG_HOME", str(tmp_path / f"w{workers}"))
        with open_store("embedded") as store, Analyser(workers) as analyser:
            loader = IssueLoader.open(store)
            loader.analyser = analyser
            assert loader.run(loader.plan(_issue_files())).errors == []
            states.append(snapshot(store))
    assert states[0] == states[1]
    assert states[0][0] and states[0][1]


def test_a_stream_is_read_a_window_at_a_time():
    articles = [a for f in _issue_files() for a in read_issue(f).articles]
    taken = []

    def endless():
        while True:
            for a in articles:
                taken.append(a)
                yield a

    with Analyser(2, chunk=4) as analyser:
        stream = analyser.stream(endless())
        first = next(stream)
        assert first.article.id == articles[0].id
        assert len(taken) <= (WINDOW * 2 + 1) * 4  # the window, not the endless input
