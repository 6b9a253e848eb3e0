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
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from kg.config import EMBEDDED
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
            log.warning("%s unreachable (attempt %d): %s; retrying in %.1fs", uri, number, exc, pause)
            time.sleep(pause)
    raise AssertionError("unreachable")


class GraphStore(Protocol):
    uri: str
    dialect: str  # "falkordb" or "neo4j"

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...

    def write(self, statements: list[Statement]) -> None: ...

    def apply_schema(self) -> None: ...

    def close(self) -> None: ...


@contextlib.contextmanager
def open_store(uri: str = EMBEDDED, graph: str = "kg") -> Iterator[GraphStore]:
    if uri == EMBEDDED:
        from kg.store.embedded import EmbeddedServer
        from kg.store.falkor import FalkorStore

        with EmbeddedServer() as state:
            store = FalkorStore("127.0.0.1", state.port, graph)
            try:
                yield store
            finally:
                store.close()
    elif uri.startswith(("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")):
        from kg.store.neo4j import Neo4jStore

        store = Neo4jStore.from_env(uri)
        try:
            yield store
        finally:
            store.close()
    elif uri.startswith(("falkor://", "redis://")):
        from kg.store.falkor import FalkorStore

        host_port = uri.split("://", 1)[1].rstrip("/")
        host, _, port = host_port.partition(":")
        store = FalkorStore(host or "127.0.0.1", int(port or 6379), graph, uri=uri)
        try:
            yield store
        finally:
            store.close()
    else:
        raise ConfigError(f"unknown store {uri!r}: use 'embedded', a Bolt URI (bolt://host:7687, neo4j://…) "
                          "or falkor://host:port")
