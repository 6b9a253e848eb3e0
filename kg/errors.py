"""Errors raised by kg. The CLI turns them into one clear line and an exit status."""


class KGError(Exception):
    """Base class: every error kg means to report to a user."""


class InputError(KGError):
    """An issue file that cannot be read: missing, empty, binary or undecodable."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(KGError):
    """The graph store cannot be reached or refused a statement."""


class StatementRejected(StoreError):
    """The store refused a statement (bad data in it, not an unreachable server):
    the write it belonged to applied nothing (Neo4j) or is undone by the caller."""


class ConfigError(KGError):
    """A setting, option or data file is wrong."""
