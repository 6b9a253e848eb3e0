from __future__ import annotations

import json
import re
import subprocess

import jsonschema
import yaml

from tests.conftest import ROOT


def test_docker_compose_follows_the_compose_specification():
    schema = json.loads((ROOT / "schemas" / "vendor" / "compose-spec.json").read_text())
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    jsonschema.Draft201909Validator(schema).validate(doc)
    neo4j = doc["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5-community"
    assert set(neo4j["ports"]) == {"127.0.0.1:7474:7474", "127.0.0.1:7687:7687"}
    assert "healthcheck" in neo4j and "neo4j-data" in doc["volumes"]
    kg = doc["services"]["kg"]
    assert kg["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert kg["command"][:2] == ["watch", "/data/issues"] and kg["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "localhost:8001" in neo4j["environment"]["NEO4J_browser_remote__content__hostname__allowlist"]
    assert (ROOT / "Dockerfile").is_file() and "ENTRYPOINT [\"kg\"]" in (ROOT / "Dockerfile").read_text()


def test_the_browser_guide_is_current_and_runs_every_query():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_guide", ROOT / "scripts" / "browser" / "make_guide.py")
    make_guide = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_guide)
    shipped = (ROOT / "scripts" / "browser" / "guide.html").read_text(encoding="utf-8")
    assert shipped == make_guide.guide(), "run scripts/browser/make_guide.py"
    import html

    from kg.cli import query_header, query_parameters

    for path in (ROOT / "scripts" / "queries").glob("*.cypher"):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("//"))
        assert html.escape(body) in shipped, f"{path.name} has no slide"
        _, params = query_header(text)
        assert set(params) == set(query_parameters(text)), f"{path.name}: its params line must set what it uses"
        for name in params:
            assert html.escape(f":param {name} => ") in shipped, f"{path.name}: no :param {name} in the guide"
    assert "--param" not in shipped and "falkor" not in shipped.lower(), "the guide speaks Neo4j Browser only"
    grass = ROOT / "kg" / "serve" / "static" / "style.grass"
    assert (ROOT / "scripts" / "browser" / "style.grass").resolve() == grass, "the guide service serves the style"
    assert ":style http://localhost:8001/style.grass" in shipped
    style = grass.read_text(encoding="utf-8")
    for label in ("Person", "Organization", "Place", "Event"):
        assert f"node.{label} {{" in style


def test_the_schema_check_can_fail():
    schema = json.loads((ROOT / "schemas" / "vendor" / "compose-spec.json").read_text())
    try:
        jsonschema.Draft201909Validator(schema).validate({"services": {"neo4j": {"ports": "7474"}}})
    except jsonschema.ValidationError:
        return
    raise AssertionError("an invalid compose file passed the schema")


def test_no_password_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ".env" not in tracked
    compose = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"NEO4J_AUTH:\s*\"neo4j/\$\{NEO4J_PASSWORD", compose)
