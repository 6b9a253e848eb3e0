"""The embedded server outlives its command by KG_STORE_IDLE and is then stopped by
the idle watchdog (kg.store.idle), never under a command that is using it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store.embedded import EmbeddedServer, _alive, _ping
from tests.conftest import ROOT

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args: str, idle: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE_IDLE": idle}
    return subprocess.run([*KG, *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)


def watchdogs(home: Path) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"kg.store.idle" in argv and str(home).encode() in argv:
                out.append(int(entry.name))
    return out


def wait_until(test, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.1)
    return test()


@pytest.fixture
def server(kg_home):
    server = EmbeddedServer(kg_home)
    yield server
    server.shut_down()
    for pid in watchdogs(kg_home):
        os.kill(pid, 9)


def test_the_server_serves_the_next_command_then_stops_when_idle(server, kg_home):
    assert kg("stats", idle="3s").returncode == 0
    first = server.read_state()
    assert first is not None and _alive(first.pid), "the server must stay up after the command"
    assert first.idle == 3.0
    assert wait_until(lambda: len(watchdogs(kg_home)) == 1, 5), "one watchdog watches it"

    assert kg("stats", idle="3s").returncode == 0
    second = server.read_state()
    assert second is not None and second.pid == first.pid, "the second command must use the same server"
    assert len(watchdogs(kg_home)) == 1, "a second command must not start a second watchdog"

    assert wait_until(lambda: not _alive(first.pid), 20), "the idle server must stop itself"
    # (stop() removes the record right after the process is gone: wait for that moment too)
    assert wait_until(lambda: server.read_state() is None, 5), "server.json goes with the server"
    assert wait_until(lambda: not watchdogs(kg_home), 5), "the watchdog ends with the server"
    assert "KG_STORE_IDLE" in (kg_home / "idle.log").read_text()


def test_zero_idle_stops_the_server_with_the_command(server, kg_home):
    assert kg("stats", idle="0").returncode == 0
    assert server.read_state() is None
    assert not server.strays()
    assert not watchdogs(kg_home)


def test_store_stop_stops_an_idle_server_now(server, kg_home):
    assert kg("stats", idle="10m").returncode == 0
    state = server.read_state()
    assert state is not None and _alive(state.pid)
    stop = kg("store", "stop", idle="10m")
    assert stop.returncode == 0 and f"stopped pid {state.pid}" in stop.stdout
    assert not _alive(state.pid)
    assert wait_until(lambda: not watchdogs(kg_home), 40), "the watchdog must leave once the server is gone"


def test_the_watchdog_never_stops_a_server_a_command_is_using(server, kg_home, monkeypatch):
    monkeypatch.setenv("KG_STORE_IDLE", "1s")
    with EmbeddedServer(kg_home) as state:  # a command, using the server for longer than the idle time
        pass
    assert _alive(state.pid) and wait_until(lambda: watchdogs(kg_home), 5)
    with EmbeddedServer(kg_home) as again:
        assert again.pid == state.pid
        time.sleep(3)  # three idle times, with the lock held
        # (this test process started the server: stopped, it would linger as a zombie, so ask it)
        assert _ping(state.port), "the watchdog stopped a server under a running command"

    def stopped() -> bool:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(state.pid, os.WNOHANG)  # reap it, as the shell reaps a command's server
        return server.read_state() is None and not _alive(state.pid)

    assert wait_until(stopped, 20), "released, it must stop once idle"


def test_kept_running_by_store_start_is_not_stopped_when_idle(server, kg_home):
    assert kg("store", "start", idle="1s").returncode == 0
    assert kg("stats", idle="1s").returncode == 0
    state = server.read_state()
    time.sleep(3)
    assert state is not None and state.persistent and _alive(state.pid)


def test_a_bad_idle_time_is_a_clear_error_before_any_server_starts(kg_home):
    result = kg("stats", idle="soon")
    assert result.returncode == 1
    assert "KG_STORE_IDLE='soon'" in result.stderr and "Traceback" not in result.stderr
    assert not (kg_home / "server.json").exists() and not EmbeddedServer(kg_home).strays()


def test_a_deleted_home_takes_its_idle_server_with_it(server, kg_home):
    import shutil

    assert kg("stats", idle="2s").returncode == 0
    state = server.read_state()
    assert state is not None and wait_until(lambda: watchdogs(kg_home), 5)
    shutil.rmtree(kg_home)
    assert wait_until(lambda: not _alive(state.pid), 30), "a server of a deleted KG_HOME must not live on"


def test_a_port_taken_before_the_server_binds_it_is_chosen_again(server, kg_home, monkeypatch, caplog):
    import socket

    from kg.store import embedded

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1]])
        real = embedded._free_port
        monkeypatch.setattr(embedded, "_free_port", lambda: next(ports, None) or real())
        with caplog.at_level("WARNING", logger="kg.store"), EmbeddedServer(kg_home) as state:
            assert state.port != taken.getsockname()[1] and _ping(state.port)
    assert "starting again on another port" in caplog.text


@pytest.fixture
def started(monkeypatch) -> list[subprocess.Popen]:
    """The servers kg.store.embedded starts, as they start."""
    from kg.store import embedded

    procs: list[subprocess.Popen] = []
    real = embedded.subprocess.Popen
    monkeypatch.setattr(embedded.subprocess, "Popen", lambda *a, **k: procs.append(real(*a, **k)) or procs[-1])
    return procs


def test_a_server_that_goes_silent_while_starting_is_killed_and_started_again(server, kg_home, monkeypatch,
                                                                                 caplog, started):
    """FalkorDB 4.16.3 hung now and then reading its append-only file (seen in CI): the
    starting server never answered again. kg kills it and starts another."""
    from kg.store import embedded

    silent: list[int] = []  # the first server's port: it answers nothing, as a hung one
    real = embedded._answer

    def answer(port: int) -> str:
        silent[:] = silent or [port]
        return "silent" if port == silent[0] else real(port)

    monkeypatch.setattr(embedded, "_answer", answer)
    monkeypatch.setattr(embedded, "START_TIMEOUT", 1.0)
    with caplog.at_level("WARNING", logger="kg.store"), EmbeddedServer(kg_home) as state:
        assert state.port != silent[0] and _ping(state.port)
        assert len(started) == 2 and not _alive(started[0].pid), "the silent server must be killed, not left running"
    assert "did not answer within 1s while starting" in caplog.text and "after killing it" in caplog.text


def test_a_server_still_loading_its_files_is_waited_for(server, kg_home, monkeypatch, started):
    """A large store takes a while to load and says so ("LOADING"): that is no hang."""
    from kg.store import embedded

    began = time.monotonic()
    real = embedded._answer
    monkeypatch.setattr(embedded, "_answer", lambda port: "loading" if time.monotonic() - began < 2.5
                        else real(port))
    monkeypatch.setattr(embedded, "START_TIMEOUT", 1.0)
    with EmbeddedServer(kg_home) as state:
        assert _ping(state.port) and len(started) == 1, "a loading server is waited for, not replaced"


def test_stopping_a_server_whose_pid_is_now_another_programs_leaves_that_program_alone(server, kg_home):
    """A command whose server died stops "it" as it ends: by then its pid may be another
    program's (pid_max is 32768 here, and a test run goes round it)."""
    from kg.store.embedded import ServerState

    stranger = subprocess.Popen(["sleep", "30"])
    try:
        server.stop(ServerState(stranger.pid, 1, persistent=False))
        assert stranger.poll() is None, "a program that took a dead server's pid was signalled"
    finally:
        stranger.kill()
        stranger.wait()
