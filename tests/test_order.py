"""The store is a function of the files it holds, not of the order they came in:
builds, reloads and forgets in any sequence equal a clean build of what remains,
identity decisions that rest on other articles included (kg.aliases.settle)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.ingest import describe
from kg.loading import IssueLoader
from kg.store import open_store
from tests.test_reload import snapshot

pytestmark = pytest.mark.store

# Two men called 王伟: a village secretary in 阳谷县 and a bank manager in 高唐县 (posts at no
# common body, in other counties), told apart; the one first in article order keeps the plain id.
PEOPLE = {
    "lcrb-2031-04-01.txt": "本报讯（记者 林晨）3月31日，阳谷县召开村民代表大会，阳谷县王庄村党支部书记王伟主持会议。"
                           "会议在阳谷县举行。",
    "lcrb-2031-04-02.txt": "本报讯（记者 林晨）4月1日，高唐县召开金融服务座谈会，高唐县农商银行行长王伟出席会议。"
                           "会议在高唐县举行。",
    "lcrb-2031-04-03.txt": "本报讯（记者 林晨）4月2日，高唐县召开农业产业化推进会，高唐县农商银行行长王伟出席会议。"
                           "会议在高唐县举行。",
}


def _state(home: Path, runs: list[list[Path]], forget: tuple[str, ...] = ()):
    """Each run a command of its own (a loader, as kg build opens one), then forgets."""
    os.environ["KG_HOME"] = str(home)
    for files in runs:
        with open_store("embedded") as store:
            loader = IssueLoader.open(store)
            assert loader.run(loader.plan(files)).errors == []
    with open_store("embedded") as store:
        loader = IssueLoader.open(store)
        for issue in forget:
            loader.forget(issue)
        return snapshot(store), store.read("MATCH (n:Organization) RETURN n.name AS name ORDER BY name")


@pytest.fixture
def seeds(shared) -> list[Path]:
    return sorted((shared / "corpus" / "seeds").glob("*.txt"))


def test_seed_issues_in_any_order_equal_a_clean_build(seeds, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    clean, orgs = _state(tmp_path / "clean", [seeds])
    assert [o for o in orgs if "乖宝" in o["name"]] == [{"name": "乖宝宠物食品集团股份有限公司"}], \
        "乖宝集团 is the one 乖宝…集团 the seeds know"
    orders = {"002 then 000 (the case reported)": [[seeds[2]], [seeds[0]], [seeds[1], seeds[3], seeds[4]]],
              "one by one, last first": [[s] for s in reversed(seeds)],
              "halves": [seeds[3:], seeds[:3]]}
    for name, runs in orders.items():
        assert _state(tmp_path / name.split()[0], runs)[0] == clean, name


def test_forget_undoes_what_the_forgotten_issue_decided(seeds, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    alone, orgs = _state(tmp_path / "alone", [[seeds[2]]])
    assert {"name": "乖宝集团"} in orgs, "without 000, nothing says which 乖宝…集团 乖宝集团 is"
    after = _state(tmp_path / "after", [[seeds[0], seeds[2]]], forget=(describe(seeds[0]).issue_id,))[0]
    assert after == alone


@pytest.fixture
def people_files(tmp_path, monkeypatch) -> list[Path]:
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    folder = tmp_path / "issues"
    folder.mkdir()
    for name, text in PEOPLE.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return sorted(folder.glob("*.txt"))


def test_people_of_one_name_are_told_apart_the_same_in_any_order(tmp_path, people_files):
    files = people_files
    clean = _state(tmp_path / "clean", [files])[0]
    people = {dict(props).get("name"): dict(props) for label, props in clean[0] if label == "Person"}
    assert "王伟" in people
    split = [dict(p) for label, p in clean[0] if label == "Person" and dict(p)["name"] == "王伟"]
    assert len(split) == 2, "two people called 王伟"
    for order in ([2, 1, 0], [1, 0, 2], [0, 2, 1]):
        assert _state(tmp_path / "".join(map(str, order)), [[files[i]] for i in order])[0] == clean, order


def test_forgetting_the_first_of_two_people_of_one_name_equals_never_loading_it(tmp_path, people_files):
    files = people_files
    rest = _state(tmp_path / "rest", [files[1:]])[0]
    assert len([p for label, p in rest[0] if label == "Person" and dict(p)["name"] == "王伟"]) == 1
    assert _state(tmp_path / "all", [files], forget=("lcrb-2031-04-01",))[0] == rest
