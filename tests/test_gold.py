"""`kg extract --jsonl` on every gold article of ../shared: runs to the end with
no error line; prints the scorer's figures and holds the F1 targets."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_kg


def extract_and_score(shared, gold: Path, env: dict | None = None) -> tuple[Path, dict]:
    """`kg extract --jsonl` on a gold file's inputs: one line per input, in order, no error
    line; returns the predictions' path and the scorer's figures."""
    score = shared / "tools" / "score.py"
    inputs = subprocess.run([sys.executable, str(score), "inputs", str(gold)], capture_output=True, text=True,
                            check=True).stdout
    result = run_kg("extract", "--jsonl", input=inputs, env=env)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(inputs.splitlines())
    assert [o["id"] for o in out] == [json.loads(line)["id"] for line in inputs.splitlines()]
    assert not [o for o in out if "error" in o]
    pred = gold.with_suffix(".pred")
    pred.write_text(result.stdout, encoding="utf-8")
    return pred, score_file(shared, gold, pred)


def score_file(shared, gold: Path, pred: Path) -> dict:
    return json.loads(subprocess.run([sys.executable, str(shared / "tools" / "score.py"), "score", str(gold),
                                      str(pred), "--json"], capture_output=True, text=True, check=True).stdout)


def test_extract_on_all_gold_articles(shared, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(p.read_text(encoding="utf-8") for p in sorted((shared / "gold" / "seeds").glob("*.jsonl"))),
                    encoding="utf-8")
    score = shared / "tools" / "score.py"
    pred, parsed = extract_and_score(shared, gold)
    with capsys.disabled():
        print("\nseed gold, kg extract --jsonl:\n" + ", ".join(
            f"{k} {v['f1']:.3f}" for k, v in parsed.items() if isinstance(v, dict)))
    assert parsed["missing_predictions"] == 0
    # the issues' targets (entities: issue 4; roles and attendance: issue 5): the scorer's
    # own figures are the assertion
    targets = {"entities": 0.92, "Person": 0.97, "Organization": 0.88, "Place": 0.90, "Event": 0.80,
               "roles": 0.90, "roles+org": 0.85, "attendance": 0.90, "identity": 0.95}
    missed = {k: parsed[k]["f1"] for k, floor in targets.items() if parsed[k]["f1"] < floor}
    assert not missed, f"F1 below target: {missed}"
    # issue 6: identity of every entity type above 0.90, by the scorer's own identity function
    per_type = identity_by_type(score, gold, pred)
    with capsys.disabled():
        print("identity by type: " + ", ".join(f"{t} {f:.3f}" for t, f in per_type.items()))
    assert all(f > 0.90 for f in per_type.values()), per_type


def identity_by_type(score, gold, pred) -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("score", score)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold_records, pred_records = scorer.read_jsonl(gold), scorer.read_jsonl(pred)
    out = {}
    for t in scorer.TYPES:
        g = [{**r, "entities": [e for e in r["entities"] if e["type"] == t]} for r in gold_records]
        p = {r["id"]: {**r, "entities": [e for e in r["entities"] if e["type"] == t]} for r in pred_records}
        out[t] = scorer.identity(g, p)["f1"]
    return out


def test_seed_corpus_builds(shared):
    result = run_kg("build", str(shared / "corpus" / "seeds"), "--no-progress")
    assert result.returncode == 0, result.stderr
    q = run_kg("query", "MATCH (p:Person)-[:MENTIONED_IN]->(a:Article) RETURN p.name, count(a) "
               "ORDER BY count(a) DESC LIMIT 5", "--json")
    rows = [json.loads(line) for line in q.stdout.splitlines()]
    assert len(rows) == 5 and rows[0]["count(a)"] >= rows[-1]["count(a)"]
    # identity across issues: one 柳庆发, his post seen in a 2023 and a 2024 issue
    q = run_kg("query", "MATCH (p:Person {name: '柳庆发'})-[h:HOLDS]->(o:Organization) "
               "RETURN p.id AS id, h.title AS title, o.name AS org, h.first_seen AS first, h.last_seen AS last", "--json")
    posts = [json.loads(line) for line in q.stdout.splitlines()]
    assert len({p["id"] for p in posts}) == 1
    assert {"id": posts[0]["id"], "title": "市委常委", "org": "中共聊城市委", "first": "2023-06-26",
            "last": "2024-12-28"} in posts
    # 中通客车 and 中通 are one company, named in issues of different years
    q = run_kg("query", "MATCH (o:Organization)-[:MENTIONED_IN]->(a:Article)-[:IN_ISSUE]->(i:Issue) "
               "WHERE '中通' IN o.aliases RETURN o.id AS id, o.name AS name, collect(DISTINCT i.date) AS dates",
               "--json")
    companies = [json.loads(line) for line in q.stdout.splitlines()]
    assert [c["name"] for c in companies] == ["中通客车"]
    assert len({d[:4] for d in companies[0]["dates"]}) >= 2


def test_articles_dates_and_bylines_on_the_seed_gold(shared, capsys):
    """Issue 3's figures: dates, one-to-one article matches, spurious articles,
    bylines and lost characters, per issue."""
    from kg.ingest.evaluate import evaluate, format_reports

    reports = evaluate(shared / "corpus" / "seeds", shared / "gold" / "seeds")
    with capsys.disabled():
        print("\nseed gold, article cutting:\n" + format_reports(reports))
    assert all(r.date_ok for r in reports)
    matched = sum(r.matched for r in reports) / sum(r.gold_articles for r in reports)
    assert matched >= 0.95
    assert max(r.spurious for r in reports) <= 1
    assert sum(r.titles_found for r in reports) >= 0.9 * sum(r.titles_gold for r in reports)
    assert sum(r.bylines_found for r in reports) == sum(r.bylines_gold for r in reports)
    assert sum(r.lost_chars for r in reports) == 0


def _make_test_issues(shared, out, seed: int = 15):
    spec = importlib.util.spec_from_file_location("make_test_issues", ROOT / "scripts" / "make_test_issues.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.make_issues(shared / "gold" / "dev", out, seed=seed)


def test_test_issues_are_made_the_same_every_time(shared, tmp_path):
    first = _make_test_issues(shared, tmp_path / "a")
    second = _make_test_issues(shared, tmp_path / "b")
    assert len(first) >= 12
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    gold_a = sorted((tmp_path / "a" / "gold").glob("*.jsonl"))
    assert [g.read_bytes() for g in gold_a] == [g.read_bytes() for g in sorted((tmp_path / "b" / "gold").glob("*.jsonl"))]
    # each gold article is the issue's own text: every line of it is printed there
    for path, gold in zip(first, gold_a, strict=True):
        issue = path.read_text(encoding="utf-8")
        for record in map(json.loads, gold.read_text(encoding="utf-8").splitlines()):
            assert record["source"] == path.name and record["date"]
            assert all(line in issue for line in record["text"].split("\n"))


def test_articles_dates_and_bylines_on_issues_the_reader_was_not_written_from(shared, tmp_path, capsys):
    """Issue 15: the dev gold laid out as printed issues (scripts/make_test_issues.py), scored
    as the seeds are. Targets held here: articles, spurious articles, titles and bylines;
    the dates measured are in the README (see there why the exact day falls short)."""
    from kg.ingest.evaluate import evaluate, format_reports

    _make_test_issues(shared, tmp_path)
    reports = evaluate(tmp_path / "corpus", tmp_path / "gold")
    with capsys.disabled():
        print("\ntest issues, article cutting:\n" + format_reports(reports))
    assert sum(r.matched for r in reports) >= 0.95 * sum(r.gold_articles for r in reports)
    assert max(r.spurious for r in reports) <= 1
    assert sum(r.titles_found for r in reports) >= 0.90 * sum(r.titles_gold for r in reports)
    assert sum(r.bylines_found for r in reports) >= 0.97 * sum(r.bylines_gold for r in reports)
    assert sum(r.lost_chars for r in reports) == 0
    assert sum(r.year_ok for r in reports) >= 9  # of 14: the others print no year but a target or a past one


def score_every_set(shared, tmp_path, env: dict | None = None) -> dict[str, dict]:
    """The scorer's figures for each gold set (seeds, dev-*) and for all of them, as eval-gold prints them."""
    sets = {"seeds": "".join(p.read_text(encoding="utf-8") for p in sorted((shared / "gold" / "seeds").glob("*.jsonl")))}
    for f in sorted((shared / "gold" / "dev").glob("*.jsonl")):
        sets[f"dev-{f.stem}"] = f.read_text(encoding="utf-8")
    figures, preds = {}, []
    for name, text in sets.items():
        gold = tmp_path / f"{name}.gold"
        gold.write_text(text, encoding="utf-8")
        pred, figures[name] = extract_and_score(shared, gold, env)
        preds.append(pred.read_text(encoding="utf-8"))
    gold, pred = tmp_path / "all.gold", tmp_path / "all.pred"  # all sets: their predictions, scored together
    gold.write_text("".join(sets.values()), encoding="utf-8")
    pred.write_text("".join(preds), encoding="utf-8")
    figures["all"] = score_file(shared, gold, pred)
    return figures


def test_entities_on_every_gold_set(shared, tmp_path, capsys):
    """The shipped pipeline (rules and the tagger trained on all the gold) on every set,
    and the rules alone, whose figures on sets they were not written from are the
    floor the tagger builds on. The honest figures for the tagger are scripts/train_ner.py
    --loso's: these are not, since it learned from these articles."""
    shipped = score_every_set(shared, tmp_path)
    rules = score_every_set(shared, tmp_path, env={"KG_NER_MODEL": "none"})
    with capsys.disabled():
        for title, figures in (("shipped", shipped), ("rules alone", rules)):
            print(f"\n{title}: " + ", ".join(f"{s} {f['entities']['f1']:.3f}" for s, f in figures.items()))
    assert all(f["entities"]["f1"] >= 0.90 for f in shipped.values()), "the tagger no longer fits its gold"
    assert rules["all"]["entities"]["f1"] >= 0.82
    assert min(f["entities"]["f1"] for s, f in rules.items() if s != "all") >= 0.77
