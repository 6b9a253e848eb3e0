"""The explorer in a real browser: Debian's Chromium, headless, driven by Playwright
(pointed at /usr/bin/chromium: nothing is downloaded), with a CJK font from Debian.
Search → entity → article is clicked through, the neighbourhood view is drawn, and
screenshots are saved to build/screenshots/ as the run's artefacts."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from kg.serve.app import create_app
from kg.serve.reader import StoreReader
from kg.store.embedded import EmbeddedServer
from tests.conftest import ROOT
from tests.test_serve import build_examples

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
# flags for a closed network: without them Chromium keeps calling Google's hosts
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("fc-list") is None,
                                reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium "
                                       "fonts-wqy-zenhei); the browser tests need it")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The explorer over the example store, served by uvicorn on a free loopback port."""
    import uvicorn

    home = tmp_path_factory.mktemp("browser-home")
    build_examples(home)
    reader = StoreReader("embedded", home=home)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(reader), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", reader
    server.should_exit = True
    thread.join(10)
    reader.close()
    EmbeddedServer(home).shut_down()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def shot(page, name: str, element=None) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    (element or page).screenshot(path=str(path), **({} if element else {"full_page": True}))
    assert path.stat().st_size > 10_000, f"{path} is too small to show anything"
    return path


def test_a_cjk_font_is_installed():
    import subprocess

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no Chinese font: pages would show boxes (apt-get install fonts-wqy-zenhei)"


def test_search_person_article_clicked_through(site, page):
    base, reader = site
    page.goto(base + "/")
    page.fill("input[name=q]", "周明")
    page.click("header button[type=submit]")
    page.wait_for_url("**/search?q=*")
    assert page.locator("table.results tbody tr").count() >= 1
    shot(page, "1-search")

    page.click("table.results >> text=周明远")
    page.wait_for_url("**/entity/per-*")
    assert page.locator("h1").inner_text().startswith("周明远")
    page.wait_for_selector("#graph[data-drawn=true]", timeout=15_000)
    posts = page.locator("section.facts", has_text="Posts")
    assert "副市长" in posts.inner_text()
    shot(page, "2-person")

    page.click("blockquote.evidence a.source >> nth=0")
    page.wait_for_url("**/article/lcrb-*")
    marks = page.locator("article.text mark.entity")
    assert marks.count() >= 10
    assert page.locator("article.text mark.entity[data-type=Person]").count() >= 3
    shot(page, "3-article")

    # a mention in the text leads to its entity's page
    page.click("article.text mark.entity[data-type=Event] a >> nth=0")
    page.wait_for_url("**/entity/evt-*")
    assert "第五届聊城国际农机装备博览会" in page.locator("h1").inner_text()


def test_the_neighbourhood_view_is_drawn_with_every_neighbour(site, page):
    base, reader = site
    event = reader.read("MATCH (e:Event {name: '第五届聊城国际农机装备博览会'}) RETURN e.id AS id")[0]["id"]
    neighbours = reader.read("MATCH (:Event {id: $id})-[]-(x) WHERE NOT x:Article RETURN count(DISTINCT x) AS n",
                             {"id": event})[0]["n"]
    page.goto(f"{base}/entity/{event}")
    box = page.wait_for_selector("#graph[data-drawn=true]", timeout=15_000)
    assert page.locator("#graph canvas").count() >= 1, "Cytoscape draws on canvas"
    assert int(box.get_attribute("data-nodes")) == neighbours + 1
    drawn = page.evaluate("window.kgGraph.nodes().map(n => [n.data('caption'), n.renderedBoundingBox().w])")
    assert all(width > 10 for _, width in drawn), "every node has a size on screen"
    assert "聊城市" in {caption for caption, _ in drawn}
    shot(page, "4-neighbourhood", element=page.locator("section.graph-section"))

    # clicking a node opens its page
    page.evaluate("window.kgGraph.nodes().filter(n => n.data('caption') === '聊城市').emit('tap')")
    page.wait_for_url("**/entity/plc-*")
    assert page.locator("h1").inner_text().startswith("聊城市")
