"""One loading command at a time per store: a lease kept in the store itself.

Two `kg reload` (or a `kg watch` and a `kg forget`) on one store would each read
the manifest, then replace the same issues and recompute the same entities in
between each other's statements. So every command that writes holds a lease
first: a `(:KgLock {id: 'load'})` node naming the holder (host, pid, command),
renewed by a background thread while the command runs and deleted when it ends.
A second command waits for it (logging who holds it) up to --lock-wait seconds,
then stops and says why. A holder that died leaves a lease that lapses after
its time to live (TTL), or at once when the holder was a process on this host
that is gone.

It lives in the store, not on disk, because Neo4j and a shared FalkorDB are
reached from many machines (the embedded store is also serialised by the
kg.lock file of its KG_HOME).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

from kg.errors import StoreError
from kg.store import GraphStore
from kg.writers import cypher

log = logging.getLogger("kg.store")

LOCK_NAME = "load"
TTL_SECONDS = 120.0  # a lease not renewed for this long is free again
WAIT_SECONDS = 3600.0  # default --lock-wait
POLL_SECONDS = 2.0
REPORT_EVERY = 60.0  # seconds between "still waiting" log lines


class LockBusy(StoreError):
    """Another command holds the store's lease and did not let go in time."""


class LockLost(StoreError):
    """Our lease lapsed and another command took it: stop before writing more."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


@dataclass
class StoreLock:
    store: GraphStore
    command: str
    wait: float = WAIT_SECONDS
    ttl: float = TTL_SECONDS
    name: str = LOCK_NAME
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)
    lost: bool = False
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def _params(self, **extra) -> dict:
        return {"name": self.name, "holder": self.holder, "ttl_ms": int(self.ttl * 1000), **extra}

    def state(self) -> dict | None:
        rows = self.store.read(cypher.lock_state(), {"name": self.name})
        return rows[0] if rows else None

    def _try(self) -> dict | None:
        """Take the lease if it is free; None when taken, else who holds it."""
        held = self.state()
        host = socket.gethostname()
        dead = [held["pid"]] if held and held.get("host") == host and isinstance(held.get("pid"), int) \
            and not _pid_alive(held["pid"]) else []
        if dead:
            log.warning("the store's lock was held by pid %s on this host, which is gone: taking it over", dead[0])
        self.store.write([(cypher.lock_acquire(), self._params(host=host, pid=os.getpid(), command=self.command,
                                                               dead_pids=dead))])
        held = self.state()
        return None if held and held.get("holder") == self.holder else held

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        reported = 0.0
        while True:
            held = self._try()
            if held is None:
                log.debug("holding the lock of %s as %s", self.store.uri, self.holder)
                break
            who = describe(held)
            if time.monotonic() >= deadline:
                raise LockBusy(f"{self.store.uri}: busy: {who}; not waiting longer than {self.wait:.0f}s "
                               "(--lock-wait); try again later")
            if time.monotonic() - reported >= REPORT_EVERY or not reported:
                log.info("%s is busy: %s; waiting (up to %.0fs)", self.store.uri, who, self.wait)
                reported = time.monotonic()
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        self._thread = threading.Thread(target=self._keep, name="kg-lock", daemon=True)
        self._thread.start()

    def _keep(self) -> None:
        """Renew the lease every quarter of its TTL until released."""
        while not self._stop.wait(self.ttl / 4):
            try:
                self.store.write([(cypher.lock_renew(), self._params())])
                held = self.state()
            except StoreError as exc:
                log.warning("could not renew the store's lock: %s", exc)
                continue
            if not held or held.get("holder") != self.holder:
                self.lost = True
                log.error("%s: our lock lapsed and %s took it", self.store.uri, describe(held))
                return

    def check(self) -> None:
        """Raise LockLost when the lease is no longer ours (called before each write)."""
        if self.lost:
            raise LockLost(f"{self.store.uri}: this command's lock lapsed (was the store unreachable for "
                           f"over {self.ttl:.0f}s?); stopped before writing more")

    def release(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        try:
            self.store.write([(cypher.lock_release(), self._params())])
        except StoreError as exc:  # it lapses on its own after the TTL
            log.warning("could not release the store's lock (it lapses in %.0fs): %s", self.ttl, exc)

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def describe(held: dict | None) -> str:
    if not held:
        return "nobody"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(held["since"] / 1000)) if held.get("since") else "?"
    return (f"held by `{held.get('command')}` (pid {held.get('pid')} on {held.get('host')}) since {since}, "
            f"lease ends in {max(0, (held.get('expires_in_ms') or 0)) / 1000:.0f}s unless renewed")
