"""One small store interface, two adapters fed by the same Cypher.

    with open_store("embedded") as store:        # FalkorDB, its own client
        store.write([(cypher, params), ...])     # one transaction where the store has them
        rows = store.read("MATCH (n) RETURN count(n) AS n")

    with open_store("bolt://localhost:7687") as store:   # Neo4j, the official driver
        ...
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from kg.config import EMBEDDED, GRAPH
from kg.errors import ConfigError

Statement = tuple[str, dict[str, Any]]
T = TypeVar("T")
RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0)  # seconds between attempts while a server is unreachable

log = logging.getLogger("kg.store")


def retrying(attempt: Callable[[], T], transient: Callable[[Exception], bool], uri: str) -> T:
    """Run `attempt`, again after each pause while it fails for a transient reason
    (a server restarting, a dropped connection); then let the error through."""
    for number, pause in enumerate((*RETRY_PAUSES, None), 1):
        try:
            return attempt()
        except Exception as exc:
            if pause is None or not transient(exc):
                raise
            log.warning("%s unreachable (attempt %d): %s; retrying in %.1fs", uri, number,
                        " ".join(masked(str(exc)).split()), pause)
            time.sleep(pause)
    raise AssertionError("unreachable")


class GraphStore(Protocol):
    uri: str
    dialect: str  # "falkordb" or "neo4j"

    def read(self, cypher: str, params: dict[str, Any] | None = None,
             timeout: float | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query; `timeout` (seconds) ends it on the server."""

    def write(self, statements: list[Statement]) -> None: ...

    def apply_schema(self) -> None: ...

    def close(self) -> None: ...


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKOR_SCHEMES = ("falkor", "redis")


def check_uri(uri: str) -> str:
    """The URI if kg knows its kind of store, else ConfigError naming the kinds."""
    if uri != EMBEDDED and urlsplit(uri).scheme not in BOLT_SCHEMES + FALKOR_SCHEMES:
        raise ConfigError(f"unknown store {masked(uri)!r}: use 'embedded', a Bolt URI (bolt://host:7687, "
                          "neo4j://…) or falkor://host:port")
    return uri


def masked(text: str) -> str:
    """`text` with the password of every store address in it replaced by ***, for printing."""
    return _USERINFO.sub(lambda m: f"{m.group(1)}{m.group(2)}:***@", text)


_USERINFO = re.compile(r"((?:bolt|neo4j|falkor|redis)(?:\+s|\+ssc)?://)([^:@/\s]*):[^@/\s]*@")


def credentials(uri: str) -> tuple[str, str | None, str | None]:
    """(the URI without user and password, user, password): drivers take them apart."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri, None, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.username or "") or None, \
        unquote(parts.password) if parts.password is not None else None


@contextlib.contextmanager
def open_store(uri: str = EMBEDDED, graph: str = GRAPH, wait: float | None = None,
               command: str = "kg") -> Iterator[GraphStore]:
    """`wait`: how long an embedded store waits for another kg command using it (None: as
    long as it takes; kg.store.lock.LockBusy past it)."""
    check_uri(uri)
    scheme = urlsplit(uri).scheme
    if uri == EMBEDDED:
        from kg.store.embedded import EmbeddedServer
        from kg.store.falkor import FalkorStore

        with EmbeddedServer(wait=wait, command=command) as state:
            store = FalkorStore("127.0.0.1", state.port, graph)
            try:
                yield store
            finally:
                store.close()
    elif scheme in BOLT_SCHEMES:
        from kg.store.neo4j import Neo4jStore

        store = Neo4jStore.from_env(uri)
        try:
            yield store
        finally:
            store.close()
    else:
        from kg.store.falkor import FalkorStore

        plain, _, password = credentials(uri)
        parts = urlsplit(plain)
        try:
            port = parts.port or 6379
        except ValueError as exc:
            raise ConfigError(f"{masked(uri)}: {exc}") from None
        store = FalkorStore(parts.hostname or "127.0.0.1", port, graph, uri=masked(uri), password=password)
        try:
            yield store
        finally:
            store.close()
