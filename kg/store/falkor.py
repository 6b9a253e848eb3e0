"""FalkorDB adapter, through FalkorDB's own `falkordb` client (it handles
parameters and temporal values; the server's Bolt port does not)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from typing import Any

from kg.errors import StatementRejected, StoreError
from kg.store import Statement, retrying
from kg.writers import cypher

log = logging.getLogger("kg.store")
SOCKET_TIMEOUT = float(os.environ.get("KG_SOCKET_TIMEOUT", "900"))  # seconds
SCHEMA_READY = 60.0  # seconds to wait for indexes and constraints to be built


def plain(value: Any) -> Any:
    """Client objects -> JSON-ready values, shaped like the neo4j adapter's."""
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **{k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, Edge):
        return {"_type": value.relation, **{k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes()], "relationships": [plain(e) for e in value.edges()]}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


class FalkorStore:
    dialect = "falkordb"

    def __init__(self, host: str, port: int, graph: str = "kg", uri: str | None = None,
                 password: str | None = None):
        from falkordb import FalkorDB

        self.uri = uri or f"falkor://{host}:{port}"  # for messages: never with a password
        self.graph_name = graph
        try:
            # a server that stops answering (hung, or gone without closing) ends the command
            # with an error instead of hanging it; no write of kg's takes this long
            self.db = FalkorDB(host=host, port=port, password=password, socket_timeout=SOCKET_TIMEOUT)
            self.graph = self.db.select_graph(graph)
        except Exception as exc:  # noqa: BLE001 - any connection failure is the same to a user
            raise StoreError(f"{self.uri}: cannot connect: {exc}") from exc

    def _run(self, text: str, params: dict[str, Any] | None, read_only: bool, timeout: float | None = None):
        """One statement, retried with backoff while the server is unreachable for a moment
        (every statement kg sends is idempotent: merges, recomputes, removals)."""
        import redis

        def unreachable(exc: Exception) -> bool:
            return isinstance(exc, StoreError) and isinstance(exc.__cause__, redis.ConnectionError | redis.TimeoutError)

        return retrying(lambda: self._run_once(text, params, read_only, timeout), unreachable, self.uri)

    def _run_once(self, text: str, params: dict[str, Any] | None, read_only: bool, timeout: float | None = None):
        import redis

        ms = max(1, int(timeout * 1000)) if timeout else None  # the server ends the query then
        try:
            if read_only:
                try:
                    return self.graph.ro_query(text, params, timeout=ms)
                except redis.ResponseError as exc:
                    if "empty key" not in str(exc):
                        raise
                    self.graph.query("RETURN 0")  # a new store has no graph yet: create it, empty
                    return self.graph.ro_query(text, params, timeout=ms)
            return self.graph.query(text, params)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise StoreError(f"{self.uri}: server not reachable: {exc}") from exc
        except redis.ResponseError as exc:
            if "timed out" in str(exc).lower() or "timeout" in str(exc).lower():
                raise StoreError(f"{self.uri}: the query ran past its timeout of {timeout:g}s and was "
                                 "stopped (--timeout sets it)") from exc
            raise StoreError(f"{self.uri}: {exc} (query: {text[:200]})") from exc
        except (ValueError, TypeError) as exc:  # parameters the client cannot send (an empty name, …)
            raise StoreError(f"{self.uri}: bad query parameters: {exc}") from exc

    def read(self, text: str, params: dict[str, Any] | None = None,
             timeout: float | None = None) -> list[dict[str, Any]]:
        result = self._run(text, params, read_only=True, timeout=timeout)
        names = [h[1] if isinstance(h, list | tuple) else h for h in result.header]
        names = [n.decode() if isinstance(n, bytes) else n for n in names]
        return [dict(zip(names, (plain(v) for v in row), strict=True)) for row in result.result_set]

    def write(self, statements: list[Statement]) -> None:
        """All statements in one MULTI/EXEC: the server runs them as one block and writes
        them to its append-only file between MULTI and EXEC, which it reverts on restart
        when a crash tore it, so a write is all or nothing whatever is killed when.
        Unlike a Neo4j transaction, a statement that fails inside the block does not undo
        the others: StatementRejected says so, and the caller removes what was written.
        Retried only while the server refuses connections (nothing was sent)."""
        import redis

        if not statements:
            return

        def refused(exc: Exception) -> bool:
            return isinstance(exc, StoreError) and isinstance(exc.__cause__, redis.ConnectionError) \
                and "refused" in str(exc.__cause__).lower()

        replies = retrying(lambda: self._exec(statements), refused, self.uri)
        for (text, _), reply in zip(statements, replies, strict=True):
            if isinstance(reply, Exception):
                raise StatementRejected(f"{self.uri}: {reply} (query: {text[:200]})")

    def _exec(self, statements: list[Statement]) -> list:
        import redis
        from falkordb.helpers import stringify_param_value

        pipe = self.db.connection.pipeline(transaction=True)
        for text, params in statements:
            header = "".join(f"`{k}`={stringify_param_value(v)} " for k, v in (params or {}).items())
            pipe.execute_command("GRAPH.QUERY", self.graph_name, (f"CYPHER {header}" if header else "") + text,
                                 "--compact")
        try:
            return pipe.execute(raise_on_error=False)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise StoreError(f"{self.uri}: server not reachable: {exc}") from exc
        finally:
            pipe.reset()

    def apply_schema(self) -> None:
        import redis

        for text in cypher.falkordb_ddl():
            try:
                self.graph.query(text)
            except redis.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise StoreError(f"{self.uri}: {exc} (DDL: {text})") from exc
        for label, key in cypher.unique_keys():
            try:
                self.db.connection.execute_command("GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE",
                                                   "NODE", label, "PROPERTIES", 1, key)
            except redis.ResponseError as exc:
                if "already exists" not in str(exc):
                    raise StoreError(f"{self.uri}: unique constraint on {label}.{key}: {exc}") from exc
        self._wait_for_schema()

    def _wait_for_schema(self) -> None:
        """Indexes and constraints are built by the server in the background. Writes wait
        until they are: a MULTI/EXEC run while FalkorDB 4.16 still builds one was seen to
        deadlock the server (once in a few dozen fresh stores)."""
        deadline = time.monotonic() + SCHEMA_READY
        checks = ("CALL db.indexes() YIELD status WHERE status <> 'OPERATIONAL' RETURN count(*) AS pending",
                  "CALL db.constraints() YIELD status WHERE status <> 'OPERATIONAL' RETURN count(*) AS pending")
        while any(self.read(q)[0]["pending"] for q in checks):
            if time.monotonic() > deadline:
                raise StoreError(f"{self.uri}: indexes or constraints still not built after {SCHEMA_READY:.0f}s")
            time.sleep(0.02)

    def close(self) -> None:
        try:
            self.db.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection is not an error
            log.debug("closing %s failed", self.uri)
