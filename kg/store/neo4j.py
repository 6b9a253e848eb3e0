"""Neo4j adapter, through the official `neo4j` driver. Tested live against
FalkorDB's Bolt port (no temporal values cross it: dates are ISO strings)."""

from __future__ import annotations

import logging
import os
from typing import Any

from kg.errors import StoreError
from kg.store import Statement, credentials, masked, retrying
from kg.writers import cypher

log = logging.getLogger("kg.store")


def plain(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore:
    dialect = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None = None):
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        plain, user, password = credentials(uri)  # bolt://user:secret@host: the driver takes auth apart
        if user is not None:
            auth = (user, password or "")
        self.uri = masked(uri)  # for messages: never with a password
        self.database = database
        try:
            self.driver = GraphDatabase.driver(plain, auth=auth, connection_timeout=10,
                                               max_transaction_retry_time=30)
            # a server still starting (compose, a restart) is waited for; the driver
            # itself retries transactions that fail for transient reasons
            retrying(self.driver.verify_connectivity, lambda exc: isinstance(exc, ServiceUnavailable), self.uri)
        except AuthError as exc:
            raise StoreError(f"{self.uri}: authentication failed (check NEO4J_USERNAME / NEO4J_PASSWORD): "
                             f"{exc.message}") from exc
        except (ServiceUnavailable, OSError, ValueError) as exc:
            raise StoreError(f"{self.uri}: cannot connect: {masked(str(exc))}") from exc

    @classmethod
    def from_env(cls, uri: str) -> Neo4jStore:
        user = os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER")
        password = os.environ.get("NEO4J_PASSWORD", "")
        auth = (user, password) if user else None
        return cls(uri, auth, os.environ.get("NEO4J_DATABASE") or None)

    def _session(self):
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def read(self, text: str, params: dict[str, Any] | None = None,
             timeout: float | None = None) -> list[dict[str, Any]]:
        from neo4j import unit_of_work
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        @unit_of_work(timeout=timeout)  # the server ends the transaction then
        def work(tx):
            result = tx.run(text, params or {})
            return [{k: plain(v) for k, v in record.items()} for record in result]

        try:
            with self._session() as session:
                return session.execute_read(work)
        except ServiceUnavailable as exc:
            raise StoreError(f"{self.uri}: server not reachable: {exc}") from exc
        except Neo4jError as exc:
            raise StoreError(f"{self.uri}: {exc.message} (query: {text[:200]})") from exc

    def write(self, statements: list[Statement]) -> None:
        """All statements in one transaction, retried by the driver on transient errors."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        def work(tx):
            for text, params in statements:
                tx.run(text, params).consume()

        try:
            with self._session() as session:
                session.execute_write(work)
        except ServiceUnavailable as exc:
            raise StoreError(f"{self.uri}: server not reachable: {exc}") from exc
        except Neo4jError as exc:
            raise StoreError(f"{self.uri}: {exc.message}") from exc

    def apply_schema(self) -> None:
        from neo4j.exceptions import Neo4jError

        for text in cypher.neo4j_ddl():
            try:
                with self._session() as session:
                    session.run(text).consume()
            except Neo4jError as exc:
                raise StoreError(f"{self.uri}: {exc.message} (DDL: {text})") from exc

    def close(self) -> None:
        self.driver.close()
