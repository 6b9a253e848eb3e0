"""The explorer's one way to the store: reads that never take the store's lock, so
pages answer while `kg reload` loads (each issue's write is all or nothing, so a
page sees an issue whole or not at all)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kg.config import EMBEDDED
from kg.errors import StoreError


class StoreReader:
    """`read(cypher, params)` on the store a URI names. The embedded server is started if
    need be (briefly under the lock) and kept from its idle stop by every read."""

    def __init__(self, uri: str, home: Path | None = None):
        self.uri = uri
        self.home = home  # the embedded store's KG_HOME (None: the environment's)
        self._store = None
        self._port: int | None = None
        self._guard = threading.Lock()

    def _embedded(self):
        from kg.store.embedded import EmbeddedServer
        from kg.store.falkor import FalkorStore

        state = EmbeddedServer(self.home, command="kg serve").ensure_up()
        with self._guard:
            if self._store is None or self._port != state.port:
                if self._store is not None:
                    self._store.close()
                self._store, self._port = FalkorStore("127.0.0.1", state.port), state.port
            return self._store

    def _other(self):
        with self._guard:
            if self._store is None:
                from kg.store import open_store

                self._context = open_store(self.uri)
                self._store = self._context.__enter__()
            return self._store

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        store = self._embedded() if self.uri == EMBEDDED else self._other()
        try:
            return store.read(cypher, params or {}, timeout=30)
        except StoreError:
            if self.uri != EMBEDDED:
                raise
            # the server stopped between our look and the read (kg store stop): once more
            return self._embedded().read(cypher, params or {}, timeout=30)

    def close(self) -> None:
        with self._guard:
            if self._store is not None and self.uri != EMBEDDED:
                self._context.__exit__(None, None, None)
            elif self._store is not None:
                self._store.close()
                from kg.config import store_idle
                from kg.store.embedded import EmbeddedServer

                server = EmbeddedServer(self.home, command="kg serve")
                state = server.read_state()
                if store_idle() <= 0 and state is not None and not state.persistent:
                    server.shut_down()  # no watchdog will stop it: as any command would
            self._store = None
