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
