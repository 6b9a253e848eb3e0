"""Every query of scripts/queries on the embedded store over the example issues,
with its exact rows (the same files are linted by Neo4j's front end in
test_cypher_lint)."""

from __future__ import annotations

from kg.store import open_store
from tests.conftest import EXAMPLES, ROOT, run_kg

QUERIES = ROOT / "scripts" / "queries"
FAIR = "第五届聊城国际农机装备博览会"
EXPECTED = {
    "who_attended_what": ({}, [
        {"person": "孙立平", "role": "ATTENDED", "event": "全市工业经济运行调度会", "articles": ["lcrb-2031-03-16-01"]},
        {"person": "孙立平", "role": "SPOKE", "event": "全市工业经济运行调度会", "articles": ["lcrb-2031-03-16-01"]},
        {"person": "李卫东", "role": "SPOKE", "event": "全市工业经济运行调度会", "articles": ["lcrb-2031-03-16-01"]},
        {"person": "赵海燕", "role": "SPOKE", "event": "冠县举办春季招聘会", "articles": ["lcrb-2031-03-16-02"]},
        {"person": "周明远", "role": "CHAIRED", "event": FAIR, "articles": ["lcrb-2031-03-15-01"]},
        {"person": "贺东林", "role": "SPOKE", "event": FAIR, "articles": ["lcrb-2031-03-15-01"]},
        {"person": "韩立新", "role": "ATTENDED", "event": FAIR, "articles": ["lcrb-2031-03-15-01"]},
        {"person": "韩立新", "role": "SPOKE", "event": FAIR, "articles": ["lcrb-2031-03-15-01"]}]),
    "events_of_a_person": ({"name": "韩立新"}, [
        {"event": FAIR, "dates": ["2031-03-14"], "roles": ["ATTENDED", "SPOKE"]}]),
    "people_at_an_event": ({"event": FAIR}, [
        {"person": "周明远", "role": "CHAIRED"}, {"person": "贺东林", "role": "SPOKE"},
        {"person": "韩立新", "role": "ATTENDED"}, {"person": "韩立新", "role": "SPOKE"}]),
    "events_between_dates": ({"from": "2031-03-15", "to": "2031-03-15"}, [
        {"event": "冠县举办春季招聘会", "dates": ["2031-03-15"], "person": "赵海燕", "role": "SPOKE"}]),
    "posts_of_a_person": ({"name": "李卫东"}, [
        {"title": "党组书记", "organization": "聊城市工业和信息化局", "first_seen": "2031-03-16",
         "last_seen": "2031-03-16"},
        {"title": "局长", "organization": "聊城市工业和信息化局", "first_seen": "2031-03-16", "last_seen": "2031-03-16"}]),
    "post_holders_on_date": ({"title": "局长", "org": "聊城市工业和信息化局", "date": "2031-03-16"}, [
        {"person": "李卫东", "title": "局长", "organization": "聊城市工业和信息化局", "first_seen": "2031-03-16",
         "last_seen": "2031-03-16"}]),
    "posts_changed_between_issues": ({"from_issue": "lcrb-2031-03-15", "to_issue": "lcrb-2031-03-16"}, []),
    "organisations_co_mentioned_with_company": ({"name": "鲁丰农业集团"}, [
        {"organisation": "聊城星河机械有限公司", "kind": "company", "sentences": 2}]),
    "people_co_mentioned_with_person": ({"name": "韩立新"}, [
        {"person": "周明远", "sentences": 1, "articles": ["lcrb-2031-03-15-01"]}]),
    "articles_mentioning_both": ({"a": "韩立新", "b": "鲁丰农业集团"}, [
        {"article": "lcrb-2031-03-15-01", "title": "第五届聊城国际农机装备博览会开幕", "date": "2031-03-15"}]),
    "path_between_people": ({"a": "周明远", "b": "韩立新"}, None),  # a path: checked below
    "events_and_venues": ({}, None),  # checked below: rows depend on event venues, asserted by shape
}
# queries that return nodes, relationships and paths (drawn by Neo4j Browser): the names they draw
GRAPHS = {
    "neighbourhood_of_an_entity": ({"name": "星河机械"}, None),  # its neighbours, read another way below
    "post_holders_of_an_organisation": ({"org": "市工信局"}, {"李卫东", "聊城市工业和信息化局"}),
    "an_event_and_its_people": ({"event": FAIR}, {"韩立新", "周明远", "贺东林", FAIR, "聊城市"}),
    "path_between_people": ({"a": "周明远", "b": "韩立新"}, {"周明远", FAIR, "韩立新"}),
}


def drawn_names(rows: list[dict]) -> set[str]:
    """The names of the nodes in the rows' node and path values."""
    names = set()
    for row in rows:
        for value in row.values():
            if isinstance(value, dict) and "_labels" in value:
                names.add(value["name"])
            elif isinstance(value, dict) and "nodes" in value:
                names |= {n["name"] for n in value["nodes"]}
    return names


def test_every_shipped_query_gives_its_exact_rows():
    built = run_kg("build", str(EXAMPLES), "--no-progress")
    assert built.returncode == 0, built.stderr
    shipped = {p.stem for p in QUERIES.glob("*.cypher")}
    assert shipped <= set(EXPECTED) | set(GRAPHS) | {"co_mentioned_with", "most_mentioned_people"}, \
        "a query without expected rows"
    wrong = {}
    with open_store("embedded") as store:
        for name, (params, rows) in EXPECTED.items():
            got = store.read((QUERIES / f"{name}.cypher").read_text(encoding="utf-8"), params)
            if rows is not None and got != rows:
                wrong[name] = got
        venues = store.read((QUERIES / "events_and_venues.cypher").read_text(encoding="utf-8"), {})
        mentioned = store.read((QUERIES / "most_mentioned_people.cypher").read_text(encoding="utf-8"), {})
        co = store.read((QUERIES / "co_mentioned_with.cypher").read_text(encoding="utf-8"), {"name": "韩立新"})
        neighbours = store.read("MATCH (:Organization {name: '聊城星河机械有限公司'})-[]-(y) WHERE NOT y:Article "
                                "RETURN DISTINCT y.name AS name")
        assert len(neighbours) >= 5
        for name, (params, names) in GRAPHS.items():
            names = names or {"聊城星河机械有限公司"} | {r["name"] for r in neighbours}
            got = drawn_names(store.read((QUERIES / f"{name}.cypher").read_text(encoding="utf-8"), params))
            if got != names:
                wrong[name] = got
        path = store.read((QUERIES / "path_between_people.cypher").read_text(encoding="utf-8"),
                          {"a": "周明远", "b": "韩立新"})
    assert not wrong, wrong
    assert [(r["chain"], r["hops"]) for r in path] == [(["周明远", FAIR, "韩立新"], 2)]
    assert [r["_type"] for r in path[0]["path"]["relationships"]] == ["CHAIRED", "ATTENDED"]
    assert {v["event"] for v in venues} == {FAIR, "全市工业经济运行调度会", "冠县举办春季招聘会"}
    assert len(mentioned) == 10 and mentioned[0]["articles"] >= mentioned[-1]["articles"]
    assert {"name": "周明远", "label": "Person", "sentences": 1} in co


def test_queries_find_entities_by_any_alias_and_posts_by_their_printed_form():
    built = run_kg("build", str(EXAMPLES), "--no-progress")
    assert built.returncode == 0, built.stderr

    def rows(name: str, params: dict) -> list[dict]:
        with open_store("embedded") as store:
            return store.read((QUERIES / f"{name}.cypher").read_text(encoding="utf-8"), params)

    by_name = rows("co_mentioned_with", {"name": "聊城星河机械有限公司"})
    assert by_name and rows("co_mentioned_with", {"name": "星河机械"}) == by_name
    # 市工信局局长 as printed is 局长 at 市工信局; 书记 at 市委 is the printed 市委书记
    holders = rows("post_holders_on_date", {"title": "市工信局局长", "org": "市工信局", "date": "2031-03-16"})
    assert [(r["person"], r["title"]) for r in holders] == [("李卫东", "局长")]
    secretary = rows("post_holders_on_date", {"title": "书记", "org": "市委", "date": "2031-03-15"})
    assert [(r["person"], r["title"], r["organization"]) for r in secretary] == [("韩立新", "市委书记", "中共聊城市委")]


def test_every_shipped_query_answers_on_the_seed_issues_with_its_own_parameters(shared):
    """The `// params:` line of each query (what `kg query --list` and the Browser guide
    offer) gives rows on the real issues, and at least three queries draw a graph."""
    from kg.cli import query_header

    built = run_kg("build", str(shared / "corpus" / "seeds"), "--no-progress")
    assert built.returncode == 0, built.stderr
    empty, graphs = [], []
    with open_store("embedded") as store:
        for path in sorted(QUERIES.glob("*.cypher")):
            text = path.read_text(encoding="utf-8")
            rows = store.read(text, query_header(text)[1])
            if not rows:
                empty.append(path.stem)
            if drawn_names(rows):
                graphs.append(path.stem)
    assert not empty, f"no rows on the seed issues: {empty}"
    assert len(graphs) >= 3, graphs
