from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.conftest import EXAMPLES, kg_out, run_kg
from tests.test_graph_and_store import check_neo4j_import


def all_commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(cli)], ids=" ".join)
def test_every_command_has_help_that_teaches(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    cmd = dict(all_commands(cli))[path]
    assert cmd.help and len(cmd.help.strip()) > 20, f"kg {' '.join(path)} lacks a real --help text"


def test_required_commands_exist():
    names = {" ".join(p) for p, _ in all_commands(cli)}
    assert {"build", "extract", "ingest", "query", "stats", "export", "person", "show", "store start",
            "store stop", "store status"} <= names


def test_extract_contract_including_bad_lines():
    lines = [json.dumps({"id": "a-1", "text": "本报讯（记者 林晨） 12月27日，市委书记李长萍\n主持会议并讲话。",
                         "date": "2024-12-28"}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": "a-2", "text": ""})]
    result = run_kg("extract", "--jsonl", input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a-1", None, "a-2"]
    first = out[0]
    names = {(e["type"], e["name"]) for e in first["entities"]}
    assert ("Person", "李长萍") in names and ("Organization", "中共聊城市委") in names
    assert all(e["id"] for e in first["entities"])
    assert {"person": "李长萍", "title": "市委书记", "org": "中共聊城市委"} in first["roles"]
    assert "error" in out[1] and out[1]["entities"] == []
    assert out[2]["entities"] == [] and "error" not in out[2]


def test_build_query_stats_export_on_examples(tmp_path):
    built = run_kg("build", str(EXAMPLES), "--no-progress", "--example-query")
    assert built.returncode == 0, built.stderr
    assert "Loaded 2 issue(s), 5 article(s)" in built.stdout
    assert "Who attended what" in built.stdout and "周明远" in built.stdout
    counts = json.loads(kg_out("stats", "--json"))
    assert counts["nodes"]["Person"] == 11 and counts["nodes"]["Article"] == 5
    again = run_kg("build", str(EXAMPLES), "--no-progress")
    assert "2 unchanged file(s) skipped" in again.stdout
    assert json.loads(kg_out("stats", "--json")) == counts, "a second build must change nothing"
    forced = run_kg("build", str(EXAMPLES), "--no-progress", "--force")
    assert "Loaded 2 issue(s)" in forced.stdout
    assert json.loads(kg_out("stats", "--json")) == counts, "a forced reload must change nothing"
    q = run_kg("query", "MATCH (p:Person {name: $name})-[h:HOLDS]->(o) RETURN h.title AS t ORDER BY t",
               "--param", "name=李卫东", "--json")
    assert [json.loads(line) for line in q.stdout.splitlines()] == [{"t": "党组书记"}, {"t": "局长"}]
    table = run_kg("query", "MATCH (p:Person)-[:MENTIONED_IN]->(a:Article) RETURN p.name, count(a) "
                   "ORDER BY count(a) DESC, p.name LIMIT 5")
    assert table.returncode == 0 and "(5 rows)" in table.stdout
    shown = [json.loads(line) for line in kg_out("person", "李卫东", "--json").splitlines()]
    assert [(p["title"], p["organization"]) for p in shown[0]["posts"]] == [
        ("党组书记", "聊城市工业和信息化局"), ("局长", "聊城市工业和信息化局")]
    assert [(e["event"], e["roles"]) for e in shown[0]["events"]] == [("全市工业经济运行调度会", ["SPOKE"])]
    # each post and event with the sentence it rests on
    evidence = "市委常委、常务副市长孙立平出席会议并讲话，市工信局党组书记、局长李卫东汇报了一季度工业经济运行情况。"
    assert {p["evidence"]["sentence"] for p in shown[0]["posts"] + shown[0]["events"]} == {evidence}
    assert "“" + evidence + "” (lcrb-2031-03-16-01)" in kg_out("person", "李卫东")
    nobody = run_kg("person", "无此人")
    assert nobody.returncode != 0 and "no person called 无此人" in nobody.stderr
    out = tmp_path / "g.jsonl"
    exp = run_kg("export", "--format", "jsonl", str(out))
    assert exp.returncode == 0, exp.stderr and out.exists()
    assert again.returncode == 0
    # a bulk load's files carry the record of the files loaded, in an ID space of their own
    csv = run_kg("export", "--format", "neo4j-csv", str(tmp_path / "csv"))
    assert csv.returncode == 0, csv.stderr
    files = (tmp_path / "csv" / "nodes_IssueFile.csv").read_text(encoding="utf-8").splitlines()
    assert files[0].startswith("id:ID(IssueFile),") and len(files) == 3
    assert len((tmp_path / "csv" / "nodes_Issue.csv").read_text(encoding="utf-8").splitlines()) == 3
    check_neo4j_import(tmp_path / "csv")


def test_build_reports_bad_files_and_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    good = tmp_path / "lcrb-2031-03-16.txt"
    good.write_text((EXAMPLES / "lcrb-2031-03-16.txt").read_text(encoding="utf-8"), encoding="gb18030")
    result = run_kg("build", str(tmp_path), "--no-progress")
    assert result.returncode == 3, "partial"
    assert "empty.txt: empty file" in result.stderr and "binary.txt: binary file" in result.stderr
    assert "Loaded 1 issue(s), 2 article(s)" in result.stdout


def test_bad_store_uri_is_a_clear_error():
    result = run_kg("stats", "--store", "bolt://127.0.0.1:9")
    assert result.returncode == 1
    assert "bolt://127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr
    result = run_kg("stats", "--store", "mysql://x")
    assert result.returncode == 2 and "unknown store" in result.stderr  # a usage error


def test_store_start_status_stop():
    assert "not running" in run_kg("store", "status").stdout
    assert "running: pid" in run_kg("store", "start").stdout
    assert "running: pid" in run_kg("store", "status").stdout
    assert run_kg("stats", "--json").returncode == 0
    assert "running: pid" in run_kg("store", "status").stdout, "commands leave a started server running"
    assert "stopped" in run_kg("store", "stop").stdout
    assert "not running" in run_kg("store", "status").stdout


def test_show_prints_what_the_store_holds_of_an_article(tmp_path):
    assert run_kg("build", str(EXAMPLES), "--no-progress").returncode == 0
    shown = run_kg("show", "lcrb-2031-03-16-01")
    assert shown.returncode == 0, shown.stderr
    # the stored mentions (a form and the entity it resolved to), posts and attendance
    assert "市工信局 = 聊城市工业和信息化局  [62-66]" in shown.stdout
    assert "李卫东: 局长, 聊城市工业和信息化局" in shown.stdout
    assert "孙立平 SPOKE 全市工业经济运行调度会" in shown.stdout
    out = tmp_path / "a.html"
    result = run_kg("show", "lcrb-2031-03-15-01", "--html", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "韩立新" in page and "Person" in page and "第五届聊城国际农机装备博览会" in page
    missing = run_kg("show", "no-such-article", "--html", str(out))
    assert missing.returncode == 1 and "no article 'no-such-article'" in missing.stderr


def test_watch_loads_what_arrives_and_stops_cleanly_on_ctrl_c(tmp_path):
    import shutil
    import signal
    import subprocess
    import time

    first, second = sorted(EXAMPLES.glob("*.txt"))
    shutil.copy(first, tmp_path)
    one = run_kg("watch", str(tmp_path), "--cycles", "1")
    assert one.returncode == 0, one.stderr
    assert "loaded lcrb-2031-03-15 (3 articles)" in one.stdout
    shutil.copy(second, tmp_path)
    two = run_kg("watch", str(tmp_path), "--cycles", "1")
    lines = [ln for ln in two.stdout.splitlines() if " loaded " in ln]
    assert len(lines) == 1 and "lcrb-2031-03-16" in lines[0], two.stdout  # the first issue is unchanged
    exe = str(EXAMPLES.parent.parent / ".venv" / "bin" / "kg")
    proc = subprocess.Popen([exe, "watch", str(tmp_path), "--interval", "1s"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "kg watch: stopped after" in out


def test_make_run_builds_the_examples_into_a_store_of_their_own():
    import subprocess

    from tests.conftest import ROOT

    recipe = subprocess.run(["make", "-n", "-o", ".venv/.installed", "-o", "scripts/cypher-lint/node_modules/.installed",
                             "run"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    build = next(line for line in recipe.splitlines() if "kg build examples/issues" in line)
    assert build.startswith(f"KG_HOME={ROOT}/.kg-examples ")  # never the user's default store
    assert "store of their own" in recipe


def test_queries_by_name_file_and_format_with_errors_shown_where_they_are(tmp_path):
    from kg.cli import QUERIES, unknown_names

    # every shipped query speaks the schema's names
    for path in QUERIES.glob("*.cypher"):
        assert unknown_names(path.read_text(encoding="utf-8")) == [], path.name
    listed = run_kg("query", "--list")
    assert listed.returncode == 0 and "who_attended_what" in listed.stdout and "posts_of_a_person" in listed.stdout
    assert run_kg("build", str(EXAMPLES), "--no-progress").returncode == 0
    as_csv = run_kg("query", "posts_of_a_person", "--param", "name=李卫东", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    header, *rows = as_csv.stdout.splitlines()
    assert header.split(",")[0] and len(rows) == 2 and all("李卫东" in r or "局" in r for r in rows)
    tsv = run_kg("query", "MATCH (p:Person {name: $n}) RETURN p.name AS name", "--param", "n=李卫东", "--format", "tsv")
    assert tsv.stdout == "name\n李卫东\n"
    query_file = tmp_path / "q.cypher"
    query_file.write_text("MATCH (e:Event) RETURN count(e) AS events", encoding="utf-8")
    assert json.loads(kg_out("query", "--file", str(query_file), "--format", "json"))["events"] >= 1
    assert run_kg("query", "--file", str(tmp_path / "none.cypher")).returncode == 2
    assert run_kg("query", "no_such_query").returncode == 2
    bad = run_kg("query", "MATCH (p:Person) RETRN p.name")
    assert bad.returncode == 1
    err = bad.stderr.splitlines()
    at = err.index("  MATCH (p:Person) RETRN p.name")
    line, caret = err[at], err[at + 1]
    assert caret.strip() == "^" and caret.index("^") == line.index("RETRN") + 3  # where the parser stopped
    typo = run_kg("query", "MATCH (p:Persn) RETURN p.nme")
    assert typo.returncode == 0 and "label Persn" in typo.stderr and "property nme" in typo.stderr
