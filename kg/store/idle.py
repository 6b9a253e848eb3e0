"""The embedded server's idle watchdog: `python -m kg.store.idle KG_HOME`.

Started (detached) by the first command that leaves the server up; stops the
server once no command has used it for its KG_STORE_IDLE, then exits. It also
exits when the server is gone or `kg store start` made it permanent. One
watchdog per KG_HOME: it holds idle.lock while it runs."""

from __future__ import annotations

import fcntl
import logging
import sys
import time
from pathlib import Path

from kg.store.embedded import EmbeddedServer

LOOK_EVERY = 30.0  # seconds between looks, at most
LOOK_AGAIN = 1.0  # at least (a command holding the store for hours is looked at once a second)


def watch(home: Path) -> int:
    with open(home / "idle.lock", "a+") as held:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another watchdog has this home
        server = EmbeddedServer(home, command="kg idle watchdog")
        seen = server.read_state()
        while True:
            stopped = server.stop_if_idle()
            if stopped is not False:
                if stopped is None and seen is not None and server.read_state() is None:
                    server.stop_orphan(seen.pid)  # its record gone (a KG_HOME being removed): no one else stops it
                return 0
            state = seen = server.read_state() or seen
            left = (state.idle if state else 0) - server.idle_for()
            time.sleep(min(LOOK_EVERY, max(LOOK_AGAIN, left)))


if __name__ == "__main__":
    logging.basicConfig(filename=str(Path(sys.argv[1]) / "idle.log"), level=logging.INFO,
                        format="%(asctime)s kg idle watchdog: %(message)s")
    sys.exit(watch(Path(sys.argv[1])))
