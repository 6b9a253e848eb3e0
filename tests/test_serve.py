"""`kg serve`: every page of the explorer over the example store, by HTTP (Starlette's
test client), and the command itself. Browser tests are in tests/test_browser.py."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.serve import queries as q
from kg.serve.app import create_app
from kg.serve.reader import StoreReader
from kg.serve.render import sentence_around
from kg.serve.style import colour, grass
from kg.store.embedded import EmbeddedServer
from tests.conftest import EXAMPLES, ROOT

LINK = re.compile(r'href="(/(?:entity|article|issue|search)[^"#]*)"')


def build_examples(home: Path) -> None:
    env = {**os.environ, "KG_HOME": str(home), "KG_STORE_IDLE": "0"}
    kg = Path(sys.executable).parent / "kg"
    done = subprocess.run([str(kg), "build", str(EXAMPLES), "--no-progress"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def examples_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("serve-home")
    build_examples(home)
    yield home
    EmbeddedServer(home).shut_down()


@pytest.fixture
def reader(examples_home):
    reader = StoreReader("embedded", home=examples_home)
    yield reader
    reader.close()


@pytest.fixture
def client(reader):
    with TestClient(create_app(reader)) as client:
        yield client


def entity_id(reader: StoreReader, label: str, name: str) -> str:
    rows = reader.read(f"MATCH (n:{label} {{name: $name}}) RETURN n.id AS id", {"name": name})
    assert len(rows) == 1, (label, name, rows)
    return rows[0]["id"]


def test_every_page_linked_from_the_start_answers(client):
    """Crawl from / through every link the pages give: all answer 200 with a page."""
    seen, todo = set(), ["/"]
    kinds = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert "</html>" in response.text and "Traceback" not in response.text, url
        kinds.add(url.split("/")[1].split("?")[0])
        todo.extend(unescape(link) for link in LINK.findall(response.text))
    assert {"", "entity", "article", "issue"} <= kinds
    assert len([u for u in seen if u.startswith("/entity/")]) >= 30, "every entity is reachable from the start"
    assert len([u for u in seen if u.startswith("/article/")]) == 5


def test_search_finds_names_and_aliases_with_type_and_article_counts(client, reader):
    page = client.get("/search", params={"q": "星河机械"}).text  # an alias: the article's short form
    assert "聊城星河机械有限公司" in page and "Organization" in page
    page = client.get("/search", params={"q": "市委"}).text  # 市委 = 中共聊城市委
    row = re.search(r"中共聊城市委</a></td><td>Organization</td>\s*<td>([^<]*)</td><td class=\"n\">(\d+)</td>", page)
    assert row, page
    articles = reader.read("MATCH (:Organization {name: '中共聊城市委'})-[:MENTIONED_IN]->(a:Article) "
                           "RETURN count(a) AS n")[0]["n"]
    assert "市委" in row[1] and int(row[2]) == articles >= 1
    none = client.get("/search", params={"q": "不存在的名字"}).text
    assert "No person, organisation, place or event" in none
    assert client.get("/search", params={"q": " "}, follow_redirects=False).status_code == 303


def test_search_ranks_an_exact_name_first(client):
    page = client.get("/search", params={"q": "聊城市"}).text
    names = re.findall(r'class="entity-link" href="/entity/[^"]+"><span[^>]*></span>([^<]+)</a>', page)
    assert names[0] == "聊城市" and len(names) > 1, names


def test_a_person_page_shows_posts_events_and_the_sentences_they_rest_on(client, reader):
    person = entity_id(reader, "Person", "周明远")
    page = client.get(f"/entity/{person}").text
    posts = page.split("<h2>Posts</h2>")[1].split("<h2>")[0]
    assert "副市长" in posts and "聊城市人民政府" in posts
    assert "2031-03-15" in posts, "a post shows the issue it was first seen in"
    assert "<mark>副市长周明远</mark>" in posts, "the post shows the words it was read from"
    assert 'href="/article/lcrb-2031-03-15-01"' in posts
    events = page.split("<h2>Events</h2>")[1].split("<h2>")[0]
    assert "chaired" in events and "第五届聊城国际农机装备博览会" in events
    assert "<h2>Most often named with</h2>" in page and f'data-entity="{person}"' in page


def test_an_organisation_page_lists_its_post_holders(client, reader):
    org = entity_id(reader, "Organization", "聊城市工业和信息化局")
    page = client.get(f"/entity/{org}").text
    assert "市工信局" in page, "aliases are shown"
    holders = page.split("<h2>People holding posts</h2>")[1].split("<h2>")[0]
    assert "李卫东" in holders and "局长" in holders


def test_an_article_page_marks_every_stored_mention_and_links_it(client, reader):
    article = "lcrb-2031-03-15-01"
    page = client.get(f"/article/{article}").text
    marks = re.findall(r'<mark class="entity" data-type="(\w+)"[^>]*><a href="(/entity/[^"]+)" title="([^"]*)">'
                       r"([^<]*)</a>", page)
    stored = reader.read("MATCH (e)-[m:MENTIONED_IN]->(:Article {id: $id}) RETURN e.id AS id, m.offsets AS o",
                         {"id": article})
    assert len(marks) == sum(len(r["o"]) // 2 for r in stored), "one mark per stored mention"
    assert {href.rsplit("/", 1)[1] for _, href, _, _ in marks} == {r["id"] for r in stored if r["o"]}
    assert ("Organization", "中共聊城市委") in {(t, title) for t, _, title, text in marks if text.strip() == "市委"}
    assert "Posts found here" in page and "韩立新" in page and "chaired" in page
    assert 'href="/issue/lcrb-2031-03-15"' in page


def test_the_neighbourhood_is_the_entity_and_its_neighbours_styled_as_the_grass_file(client, reader):
    event = entity_id(reader, "Event", "第五届聊城国际农机装备博览会")
    graph = client.get(f"/api/neighbourhood/{event}").json()
    neighbours = reader.read("MATCH (:Event {id: $id})-[]-(x) WHERE NOT x:Article RETURN DISTINCT x.id AS id",
                             {"id": event})
    assert {n["data"]["id"] for n in graph["nodes"]} == {event} | {r["id"] for r in neighbours}
    centre = next(n["data"] for n in graph["nodes"] if n["data"]["centre"])
    assert centre["colour"] == grass()["node"]["Event"]["color"] and centre["caption"] == "第五届聊城国际农机装备博览会"
    kinds = {e["data"]["type"] for e in graph["edges"]}
    assert {"CHAIRED", "SPOKE", "ATTENDED", "HELD_IN"} <= kinds
    assert all(e["data"]["source"] in {n["data"]["id"] for n in graph["nodes"]} for e in graph["edges"])


def test_unknown_ids_are_404_pages_not_errors(client):
    for url in ("/entity/per-0000", "/entity/nothing", "/article/x-1", "/issue/x", "/api/neighbourhood/per-0"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "no " in response.text and "Traceback" not in response.text


def test_what_a_user_types_is_escaped(client):
    page = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_pages_answer_while_a_load_holds_the_store(client, examples_home):
    with EmbeddedServer(examples_home, command="a load"):  # holds kg.lock, as kg reload does
        assert client.get("/").status_code == 200


def test_the_shipped_scripts_are_npm_s_and_carry_their_licence():
    vendor = ROOT / "kg" / "serve" / "static" / "vendor"
    assert "Permission is hereby granted" in (vendor / "cytoscape.LICENSE").read_text()
    npm = ROOT / "scripts" / "explorer" / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
    if not npm.exists():
        pytest.skip("scripts/explorer/node_modules is absent (make setup installs it)")
    assert (vendor / "cytoscape.min.js").read_bytes() == npm.read_bytes(), "run scripts/explorer/build.sh"


def test_pages_load_nothing_from_other_hosts(client, reader):
    person = entity_id(reader, "Person", "韩立新")
    for url in ("/", f"/entity/{person}", "/article/lcrb-2031-03-15-01"):
        page = client.get(url).text
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page), url


def test_the_style_is_read_from_the_grass_file():
    assert colour("Person") == "#F79767" and grass()["node"]["Organization"]["diameter"] == "65px"
    assert grass()["relationship"]["HOLDS"]["caption"] == "{title}"


@pytest.mark.parametrize("text, span, expected", [
    ("甲说。市委书记韩立新出席开幕式。乙说。", "韩立新", ("市委书记", "韩立新", "出席开幕式。")),
    ("第一句。整句是证据。下一句。", "整句是证据。", ("", "整句是证据。", "")),
    ("没有句号的文字", "句号", ("没有", "句号", "的文字")),
])
def test_the_sentence_a_fact_rests_on(text, span, expected):
    start = text.index(span)
    assert sentence_around(text, start, start + len(span)) == expected


def test_an_entity_id_says_its_label():
    assert [q.label_of(x) for x in ("per-1", "org-1", "plc-1", "evt-1", "lcrb-1", "")] == \
        ["Person", "Organization", "Place", "Event", None, None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kg_serve_serves_on_loopback_until_stopped(examples_home):
    import urllib.request

    port = free_port()
    env = {**os.environ, "KG_HOME": str(examples_home), "KG_STORE_IDLE": "0"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "kg"), "serve", "--port", str(port)], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 60, None
        while time.monotonic() < deadline and page is None:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
            except OSError:
                time.sleep(0.3)
        assert page and "What the store holds" in page
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out


def test_kg_serve_on_a_taken_port_is_a_usage_error(kg_home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = subprocess.run([str(Path(sys.executable).parent / "kg"), "serve", "--port",
                                 str(taken.getsockname()[1])], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "is not free" in result.stderr
    assert not (kg_home / "server.json").exists(), "no server is started for a command that cannot run"


def test_a_store_password_never_reaches_a_page():
    reader = StoreReader("bolt://neo4j:s3cret@127.0.0.1:9")
    reader.read = lambda *args, **kwargs: []  # no server: the page frame is what is checked
    with TestClient(create_app(reader)) as client:
        page = client.get("/").text
    assert "s3cret" not in page and "bolt://neo4j:***@127.0.0.1:9" in page


def test_kg_serve_on_a_dead_store_says_so(kg_home):
    result = subprocess.run([str(Path(sys.executable).parent / "kg"), "serve", "--port", str(free_port()),
                             "--store", "falkor://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


def test_the_explorer_reads_neo4j_through_the_official_driver(example_graph, bolt_server, monkeypatch):
    """The same pages over a Bolt store (FalkorDB's Bolt port standing in for Neo4j)."""
    from kg.store.neo4j import Neo4jStore
    from kg.writers.load import load_plan

    for name in ("NEO4J_USERNAME", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    store = Neo4jStore(bolt_server["bolt"], None)
    try:
        for stmt in load_plan(example_graph, size=8):  # small batches: see test_graph_and_store
            store.write([stmt])
    finally:
        store.close()
    reader = StoreReader(bolt_server["bolt"])
    try:
        with TestClient(create_app(reader)) as client:
            found = client.get("/search", params={"q": "星河机械"}).text
            assert "聊城星河机械有限公司" in found
            person = entity_id(reader, "Person", "周明远")
            page = client.get(f"/entity/{person}").text
            assert "副市长" in page and "<mark>副市长周明远</mark>" in page
            article = client.get("/article/lcrb-2031-03-15-01").text
            assert article.count('<mark class="entity"') >= 10
            assert len(client.get(f"/api/neighbourhood/{person}").json()["nodes"]) >= 3
    finally:
        reader.close()
