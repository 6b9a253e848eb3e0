"""Which files make which issue: pages of one issue, files that collide, files deleted
or renamed between reloads. The store after a reload equals a clean build of the files
that are there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.ingest import page_of, read_issue
from kg.store import open_store
from tests.conftest import EXAMPLES, kg_out, run_kg
from tests.test_reload import FIRST, SECOND, snapshot

pytestmark = pytest.mark.store


def _stats() -> dict:
    result = run_kg("stats", "--json")
    assert result.returncode == 0 and result.stdout, f"kg stats failed ({result.returncode}): {result.stderr}"
    return json.loads(result.stdout)["nodes"]


def _split_in_pages(source: Path, folder: Path, stem: str) -> tuple[Path, Path]:
    """An issue cut at its middle blank line into two page files."""
    text = source.read_text(encoding="utf-8")
    blanks = [i for i in range(len(text)) if text.startswith("\n\n", i)]
    cut = blanks[len(blanks) // 2]
    a01, a02 = folder / f"{stem}-A01.txt", folder / f"{stem}-A02.txt"
    folder.mkdir(parents=True, exist_ok=True)
    a01.write_text(text[:cut], encoding="utf-8")
    a02.write_text(text[cut:], encoding="utf-8")
    return a01, a02


@pytest.mark.parametrize("name, page, rest", [
    ("lcrb-2024-12-28-A01.txt", "A01", "lcrb-2024-12-28"),
    ("lcrb-2024-12-28-a1.txt", "A01", "lcrb-2024-12-28"),
    ("lcrb-2024-12-28-p3.txt", "03", "lcrb-2024-12-28"),
    ("lcrb-20241228_第2版.txt", "02", "lcrb-20241228"),
    ("issue_B02.txt", "B02", "issue"),
    ("lcrb-2024-12-28.txt", None, "lcrb-2024-12-28"),
    ("lcrb-2024-12-28-copy.txt", None, "lcrb-2024-12-28-copy"),
    ("000_87de89fc9e397aa6.txt", None, "000_87de89fc9e397aa6"),
])
def test_page_in_a_file_name(name, page, rest):
    assert page_of(name) == (page, rest)


def test_the_pages_of_an_issue_load_as_one_issue_and_a_changed_page_replaces_only_its_own(tmp_path):
    folder = tmp_path / "issues"
    a01, a02 = _split_in_pages(FIRST, folder, "lcrb-2031-03-15")
    pages = [read_issue(a01), read_issue(a02)]
    assert {p.id for p in pages} == {"lcrb-2031-03-15"} and [p.part for p in pages] == \
        ["lcrb-2031-03-15-A01", "lcrb-2031-03-15-A02"]
    built = run_kg("build", str(folder), "--no-progress")
    assert built.returncode == 0, built.stderr
    assert "Loaded 1 issue(s)" in built.stdout and "from 2 file(s)" in built.stdout
    assert _stats()["Article"] == sum(len(p.articles) for p in pages)
    assert _stats()["Issue"] == 1
    with open_store("embedded") as store:
        files = store.read("MATCH (f:IssueFile) RETURN f.id AS id, f.issue AS issue, f.page AS page ORDER BY id")
        first_page = store.read("MATCH (a:Article {part: 'lcrb-2031-03-15-A01'}) RETURN a.id AS id ORDER BY id")
    assert files == [{"id": "lcrb-2031-03-15-A01", "issue": "lcrb-2031-03-15", "page": "A01"},
                     {"id": "lcrb-2031-03-15-A02", "issue": "lcrb-2031-03-15", "page": "A02"}]
    assert first_page, "page A01's articles are kept"
    again = run_kg("reload", str(folder), "--no-progress")
    assert again.returncode == 0 and "Loaded 0 issue(s)" in again.stdout and "2 unchanged" in again.stdout
    a02.write_text(a02.read_text(encoding="utf-8") + "\n\n本报讯 一则新消息。\n", encoding="utf-8")
    changed = run_kg("reload", str(folder), "--no-progress")
    assert changed.returncode == 0, changed.stderr
    assert "replaced as lcrb-2031-03-15-A02" in changed.stderr
    assert "as lcrb-2031-03-15-A01 (" not in changed.stderr, "page A01 is not touched"
    with open_store("embedded") as store:
        assert store.read("MATCH (a:Article {part: 'lcrb-2031-03-15-A01'}) RETURN a.id AS id ORDER BY id") \
            == first_page
    # and the same as a clean build of the two pages as they are now
    with open_store("embedded") as store:
        after = snapshot(store)
    shutil.rmtree(tmp_path / "kg-home")
    assert run_kg("build", str(folder), "--no-progress").returncode == 0
    with open_store("embedded") as store:
        assert snapshot(store) == after


def test_two_files_that_claim_one_issue_are_an_error_naming_both(tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(FIRST, folder / FIRST.name)
    other = SECOND.read_text(encoding="utf-8")
    (folder / "lcrb-2031-03-15-copy.txt").write_text(other, encoding="utf-8")  # another text, the same date
    built = run_kg("build", str(folder), "--no-progress")
    assert built.returncode == 3, built.stderr
    error = next(line for line in built.stderr.splitlines() if "claims issue lcrb-2031-03-15" in line)
    assert str(folder / FIRST.name) in error and str(folder / "lcrb-2031-03-15-copy.txt") in error
    assert _stats()["Issue"] == 1
    # every later reload says so again, and never swaps one for the other
    before = kg_out("query", "MATCH (a:Article) RETURN a.id, a.title ORDER BY a.id", "--json")
    again = run_kg("reload", str(folder), "--no-progress")
    assert again.returncode == 3 and "claims issue" in again.stderr
    assert kg_out("query", "MATCH (a:Article) RETURN a.id, a.title ORDER BY a.id", "--json") == before


def test_a_page_file_beside_a_whole_issue_file_of_that_date_is_an_error(tmp_path):
    folder = tmp_path / "issues"
    a01, _ = _split_in_pages(FIRST, folder, "lcrb-2031-03-15")
    shutil.copy(SECOND, folder / "lcrb-2031-03-15.txt")
    built = run_kg("build", str(folder), "--no-progress")
    assert built.returncode == 3
    assert "claims issue lcrb-2031-03-15" in built.stderr


def test_reload_forgets_deleted_files_and_recognises_renamed_ones(tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    for f in (FIRST, SECOND):
        shutil.copy(f, folder / f.name)
    assert run_kg("build", str(folder), "--no-progress").returncode == 0
    # renamed: the file of 03-15 is now the issue of 03-17
    (folder / FIRST.name).rename(folder / "lcrb-2031-03-17.txt")
    renamed = run_kg("reload", str(folder), "--no-progress")
    assert renamed.returncode == 0, renamed.stderr
    assert "forgot 1 file(s) that are gone: lcrb-2031-03-15" in renamed.stdout
    assert (_stats()["Issue"], _stats()["Article"]) == (2, 5)
    with open_store("embedded") as store:
        after_rename = snapshot(store)
    home = tmp_path / "kg-home"
    shutil.move(home, tmp_path / "kept-home")
    assert run_kg("build", str(folder), "--no-progress").returncode == 0
    with open_store("embedded") as store:
        assert snapshot(store) == after_rename, "a reload after a rename equals a clean build"
    shutil.rmtree(home)
    shutil.move(tmp_path / "kept-home", home)
    # deleted, kept on request
    (folder / SECOND.name).unlink()
    kept = run_kg("reload", str(folder), "--no-progress", "--keep-missing")
    assert kept.returncode == 0 and _stats()["Issue"] == 2
    # deleted, forgotten by default and named
    gone = run_kg("reload", str(folder), "--no-progress")
    assert gone.returncode == 0, gone.stderr
    assert "lcrb-2031-03-16" in gone.stdout and "gone" in gone.stdout
    assert (_stats()["Issue"], _stats()["Article"]) == (1, 3)


def test_a_file_moved_unchanged_is_not_loaded_again(tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(FIRST, folder / FIRST.name)
    assert run_kg("build", str(folder), "--no-progress").returncode == 0
    (folder / "sub").mkdir()
    (folder / FIRST.name).rename(folder / "sub" / FIRST.name)
    moved = run_kg("reload", str(folder), "--no-progress")
    assert moved.returncode == 0 and "Loaded 0 issue(s)" in moved.stdout and "1 unchanged" in moved.stdout
    assert run_kg("reload", str(folder), "--no-progress").stdout.count("forgot") == 0
    assert EXAMPLES.is_dir()


def test_the_same_file_in_another_folder_is_the_same_file_not_a_rival(tmp_path):
    assert run_kg("build", str(FIRST), "--no-progress").returncode == 0
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(FIRST, copy / FIRST.name)
    shutil.copy(FIRST, copy / "lcrb-2031-03-15-again.txt")  # an identical duplicate in the run itself
    again = run_kg("build", str(copy), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "Loaded 0 issue(s)" in again.stdout and _stats()["Article"] == 3
