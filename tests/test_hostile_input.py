"""Odd but legal input, and a user who does the unexpected: each case names its file or
option, affects only itself, and never prints a traceback or a password."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import StatementRejected
from kg.ingest import read_issue
from kg.loading import IssueLoader
from kg.store import masked, open_store
from tests.conftest import ROOT, kg_out, run_kg
from tests.test_reload import FIRST, SECOND, snapshot

GOOD = [{"id": "g-1", "text": "本报讯（记者 林晨）12月27日，市委书记李长萍主持会议并讲话。", "date": "2024-12-28"},
        {"id": "g-2", "text": "时风集团董事长刘成强出席签约仪式。", "date": "2024-12-28"}]


def _extract(lines: list[str]) -> subprocess.CompletedProcess:
    return run_kg("extract", "--jsonl", input="\n".join(lines) + "\n")


def test_a_bad_record_affects_only_itself():
    alone = _extract([json.dumps(r, ensure_ascii=False) for r in GOOD])
    assert alone.returncode == 0
    bad_date = {"id": "b-date", "text": "2月26日上午，聊城市重点项目开工仪式举行。", "date": "unknown"}
    mixed = _extract([json.dumps(GOOD[0], ensure_ascii=False), "{not json", json.dumps(bad_date, ensure_ascii=False),
                      json.dumps({"id": "b-text"}), "[1, 2]", json.dumps({"id": "b-type", "text": 5}),
                      json.dumps(GOOD[1], ensure_ascii=False)])
    assert mixed.returncode == 0, mixed.stderr
    out = mixed.stdout.splitlines()
    assert len(out) == 7
    assert [out[0], out[6]] == alone.stdout.splitlines(), "good records byte for byte as when they run alone"
    rows = [json.loads(line) for line in out]
    assert [("error" in r) for r in rows] == [False, True, False, True, True, True, False]
    assert "error" not in rows[2] and rows[2]["entities"], "a bad date is dropped, the record still read"
    assert "date 'unknown' is not YYYY-MM-DD" in mixed.stderr


@pytest.mark.parametrize("args", [
    ("build", "/no/such/folder"),
    ("reload", "/no/such/folder"),
    ("ingest", "/no/such/file.txt"),
    ("show", "lcrb-2031-03-15-01", "--html", "/no/such/folder/out.html"),
    ("export", "--format", "graphml", "/no/such/folder/g.graphml"),
    ("build", "examples/issues", "--encoding", "bogus"),
    ("build", "examples/issues", "--date", "banana"),
    ("build", "examples/issues", "--store", "mysql://x"),
    ("query", "RETURN 1", "--param", "=5"),
    ("query", "RETURN $x", "--param", 'x={"":1}'),
])
def test_usage_errors_come_before_any_work(args, kg_home):
    result = run_kg(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not (kg_home / "falkordb").exists(), "no server was started"


def test_a_folder_without_issue_files_exits_1(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    result = run_kg("build", str(tmp_path), "--no-progress")
    assert result.returncode == 1 and "no issue files" in result.stderr


@pytest.mark.store
def test_control_characters_past_the_first_4_kib_are_cleaned_not_fatal(tmp_path, shared):
    seed = sorted((shared / "corpus" / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    cut = len(text) // 2
    assert len(text[:cut].encode()) > 4096
    (folder / "lcrb-2024-01-02.txt").write_text(text[:cut] + "\x00\x0c\u200b" + text[cut:], encoding="utf-8")
    shutil.copy(FIRST, folder / FIRST.name)
    built = run_kg("build", str(folder), "--no-progress")
    assert built.returncode == 0, built.stderr
    assert "Loaded 2 issue(s)" in built.stdout
    texts = [json.loads(line)["t"] for line in
             kg_out("query", "MATCH (a:Article) RETURN a.text AS t", "--json").splitlines()]
    assert len(texts) > 3 and not any(c in t for t in texts for c in "\x00\x0c\u200b")


def test_a_zero_width_character_inside_a_name_makes_no_second_name(tmp_path):
    text = FIRST.read_text(encoding="utf-8")
    assert "星河机械" in text
    path = tmp_path / FIRST.name
    path.write_text(text.replace("星河机械", "星\u200b河机械"), encoding="utf-8")
    assert [a.text for a in read_issue(path).articles] == [a.text for a in read_issue(FIRST).articles]


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_files_are_read(tmp_path, encoding, bom):
    path = tmp_path / FIRST.name
    path.write_bytes(bom + FIRST.read_text(encoding="utf-8").encode(encoding))
    issue = read_issue(path)
    assert issue.encoding == "utf-16"
    assert [a.text for a in issue.articles] == [a.text for a in read_issue(FIRST).articles]


@pytest.mark.store
def test_a_statement_the_store_rejects_names_the_file_and_stops_only_that_issue(tmp_path, monkeypatch):
    """A write that fails half way (its first statements applied, then one rejected) is
    undone; the other file of the same group loads; the store equals a build without it."""
    monkeypatch.setenv("KG_HOME", str(tmp_path / "clean"))
    with open_store("embedded") as store:
        loader = IssueLoader.open(store)
        loader.run(loader.plan([FIRST]))
        clean = snapshot(store)
    monkeypatch.setenv("KG_HOME", str(tmp_path / "rejecting"))
    with open_store("embedded") as store:
        write = store.write

        def rejecting(statements):
            if any("lcrb-2031-03-16" in json.dumps(p, ensure_ascii=False) for _, p in statements) \
                    and any("MERGE (n:Article" in t for t, _ in statements):
                write(statements[: len(statements) // 2])  # what FalkorDB leaves: the statements before
                raise StatementRejected("errMsg: Invalid input (a test's rejection)")
            write(statements)

        store.write = rejecting
        loader = IssueLoader.open(store, group_mentions=100_000)  # both files in one write
        report = loader.run(loader.plan([FIRST, SECOND]))
        del store.write
        assert [e for e in report.errors if SECOND.name in e and "rejected" in e], report.errors
        assert [o.part for o in report.outcomes if o.action == "loaded"] == ["lcrb-2031-03-15"]
        assert snapshot(store) == clean


@pytest.mark.store
def test_an_abandoned_query_is_stopped_by_its_timeout_and_later_commands_go_on(kg_home):
    assert run_kg("build", str(FIRST), str(SECOND), "--no-progress").returncode == 0
    started = time.monotonic()
    slow = run_kg("query", "MATCH (a),(b),(c),(d),(e),(f) RETURN count(*)", "--timeout", "1s")
    assert slow.returncode == 1 and "timeout" in slow.stderr, slow.stderr
    assert "Traceback" not in slow.stderr
    assert run_kg("stats").returncode == 0
    assert time.monotonic() - started < 120  # not a timing target: a hang would take the test's own limit


@pytest.mark.store
def test_never_two_servers_on_one_data_folder(kg_home):
    assert run_kg("store", "start").returncode == 0
    state = json.loads((kg_home / "server.json").read_text())
    (kg_home / "server.json").unlink()  # its record lost
    try:
        assert run_kg("stats").returncode == 0
        data = (kg_home / "falkordb").resolve()
        servers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cwd(p) == data
                   and "redis-server" in _exe(p)]
        assert len(servers) <= 1 and int(state["pid"]) not in [int(p.name) for p in servers][1:]
    finally:
        run_kg("store", "stop")


def _cwd(proc: Path) -> Path | None:
    try:
        return Path(os.readlink(proc / "cwd"))
    except OSError:
        return None


def _exe(proc: Path) -> str:
    try:
        return os.readlink(proc / "exe")
    except OSError:
        return ""


@pytest.mark.parametrize("uri, env", [
    ("bolt://neo4j:s3cret@127.0.0.1:9", {}),
    (None, {"NEO4J_URI": "neo4j://u:s3cret@127.0.0.1:9"}),
    ("falkor://:s3cret@127.0.0.1:9", {}),
])
def test_a_password_in_a_store_address_is_never_printed(uri, env):
    result = run_kg("stats", *(["--store", uri] if uri else []), env=env)
    assert result.returncode == 1
    assert "s3cret" not in result.stderr + result.stdout
    assert "***" in result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1


def test_masked():
    assert masked("bolt://neo4j:pw@h:7687 and falkor://:pw@h:6379") == "bolt://neo4j:***@h:7687 and falkor://:***@h:6379"
    assert masked("bolt://h:7687") == "bolt://h:7687"


@pytest.mark.store
def test_graphml_is_valid_xml_whatever_an_older_store_holds(tmp_path):
    assert run_kg("build", str(FIRST), "--no-progress").returncode == 0
    with open_store("embedded") as store:  # what an older kg could store: pdftotext's form feed
        store.write([("MATCH (a:Article) SET a.text = a.text + $junk", {"junk": "\f\x01 end"})])
    out = tmp_path / "g.graphml"
    assert run_kg("export", "--format", "graphml", str(out)).returncode == 0
    g = nx.read_graphml(out)
    assert any(d.get("text", "").endswith("end") for _, d in g.nodes(data=True))


@pytest.mark.store
def test_lock_wait_0_does_not_wait_on_the_embedded_store(kg_home):
    import fcntl

    kg_home.mkdir(parents=True, exist_ok=True)
    with open(kg_home / "kg.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("`a test` (pid 1)\n")
        held.flush()
        result = run_kg("reload", str(FIRST), "--lock-wait", "0", "--no-progress")
    assert result.returncode == 4, result.stderr
    assert "busy" in result.stderr and "--lock-wait" in result.stderr


@pytest.mark.store
def test_kg_home_is_private(kg_home):
    assert run_kg("stats").returncode == 0
    assert stat.S_IMODE(kg_home.stat().st_mode) == 0o700
    for path in kg_home.rglob("*"):
        assert not stat.S_IMODE(path.stat().st_mode) & 0o007, f"{path} is readable by others"


def test_env_example_ships_no_password():
    env = (ROOT / ".env.example").read_text()
    assert "NEO4J_PASSWORD=\n" in env


def test_entity_index_answers_as_spacy_does(shared):
    """kg.relations.spans: the index gives what doc.ents and span.ents give, in order."""
    from kg.nlp import process, shared_nlp
    from kg.relations.spans import EntIndex

    seed = sorted((shared / "corpus" / "seeds").glob("*.txt"))[1]
    doc = process(shared_nlp(), [a.text for a in read_issue(seed).articles[:3]])[0]
    index = EntIndex(doc)
    assert index.ents == list(doc.ents)
    for sent in doc.sents:
        assert index.of(sent) == list(sent.ents)
    assert index.labelled("Person") == [e for e in doc.ents if e.label_ == "Person"]
    assert index.starting_in(10, 80) == [e for e in doc.ents if 10 <= e.start_char < 80]


@pytest.mark.store
def test_a_server_that_hangs_creating_its_graph_is_replaced(kg_home, monkeypatch, caplog):
    """FalkorDB 4.16.3 was seen to hang for good creating a fresh store's graph: the probe
    that creates it times out, and kg kills that server and starts another."""
    from kg.store import embedded

    started, answers = [], iter([False, True])
    real_start = embedded.EmbeddedServer._start_once

    def start_once(self):
        state = real_start(self)
        started.append(state.pid)
        return state

    monkeypatch.setattr(embedded.EmbeddedServer, "_start_once", start_once)
    monkeypatch.setattr(embedded, "_graph_ready", lambda port: next(answers))
    with open_store("embedded") as store:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    assert len(started) == 2 and not embedded._alive(started[0])
    assert "hung creating its graph" in caplog.text
