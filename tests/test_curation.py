"""schemas/curation.json: a fact found wrong, dropped at every load. The entry is the
one the explorer offers under "wrong?", pasted in as a user would."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from starlette.testclient import TestClient

from kg.serve.app import create_app
from kg.serve.reader import StoreReader
from kg.store import open_store
from tests.conftest import EXAMPLES, ROOT, run_kg

ARTICLE = "lcrb-2031-03-15-01"


def offered(page: str, *words: str) -> dict:
    """The curation entry a page offers for the fact whose entry holds all `words`."""
    for block in re.findall(r"<details class=\"wrong\">.*?<pre>(.*?)</pre></details>", page, re.S):
        entry = json.loads(html.unescape(block))
        if all(w in entry.values() for w in words):
            return entry
    raise AssertionError(f"no entry with {words}")


def facts(store) -> set[tuple]:
    rows = store.read("MATCH (p:Person)-[r]->(x) WHERE type(r) IN ['HOLDS', 'ATTENDED', 'CHAIRED', 'SPOKE'] "
                      "RETURN p.name AS p, type(r) AS t, r.title AS title, x.name AS x")
    return {(r["p"], r["t"], r["title"], r["x"]) for r in rows}


def test_a_fact_dropped_by_the_entry_the_explorer_offers_stays_out_after_reloads(tmp_path, kg_home):
    assert run_kg("build", str(EXAMPLES), "--no-progress").returncode == 0
    reader = StoreReader("embedded", home=kg_home)
    with TestClient(create_app(reader)) as client:
        article = client.get(f"/article/{ARTICLE}").text
        post = offered(article, "周明远", "副市长")
        person = reader.read("MATCH (p:Person {name: '韩立新'}) RETURN p.id AS id")[0]["id"]
        spoke = offered(client.get(f"/entity/{person}").text, "SPOKE")
    reader.close()
    assert post == {"fact": "HOLDS", "person": "周明远", "title": "副市长", "organization": "聊城市人民政府",
                    "article": ARTICLE, "why": "…"}
    assert spoke["event"] == "第五届聊城国际农机装备博览会" and "article" not in spoke
    with open_store("embedded") as store:
        before = facts(store)

    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    curation = json.loads((schemas / "curation.json").read_text(encoding="utf-8"))
    curation["drop"] = [post, spoke]
    (schemas / "curation.json").write_text(json.dumps(curation, ensure_ascii=False), encoding="utf-8")
    env = {"KG_SCHEMAS": str(schemas)}
    assert run_kg("build", str(EXAMPLES), "--no-progress", "--force", env=env).returncode == 0
    assert run_kg("reload", str(EXAMPLES), "--no-progress", env=env).returncode == 0
    with open_store("embedded") as store:
        after = facts(store)
    assert before - after == {("周明远", "HOLDS", "副市长", "聊城市人民政府"), ("韩立新", "SPOKE", None, "第五届聊城国际农机装备博览会")}
    assert after <= before and ("韩立新", "ATTENDED", None, "第五届聊城国际农机装备博览会") in after


@pytest.mark.parametrize("article, kept", [("x-1", True), (ARTICLE, False), (None, False)])
def test_an_entry_names_entities_by_any_alias_and_may_be_limited_to_an_article(tmp_path, article, kept):
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    entry = {"fact": "HOLDS", "person": "周明远", "title": "副市长", "organization": "市政府"}  # an alias
    entry |= {"article": article} if article else {}
    (schemas / "curation.json").write_text(json.dumps({"drop": [entry]}), encoding="utf-8")
    assert run_kg("build", str(EXAMPLES), "--no-progress", env={"KG_SCHEMAS": str(schemas)}).returncode == 0
    with open_store("embedded") as store:
        assert (("周明远", "HOLDS", "副市长", "聊城市人民政府") in facts(store)) == kept


def test_a_malformed_entry_is_a_clear_error(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "curation.json").write_text(json.dumps({"drop": [{"fact": "HOLDS", "person": "周明远"}]}),
                                           encoding="utf-8")
    result = run_kg("build", str(EXAMPLES), "--no-progress", env={"KG_SCHEMAS": str(schemas)})
    assert result.returncode != 0 and "curation.json" in result.stderr and "Traceback" not in result.stderr
