"""Exceptions raised when a whole source cannot be processed."""

from __future__ import annotations

from .models import Status


class ListparseError(Exception):
    """Base class of every error listparse raises on purpose."""


class ReadError(ListparseError):
    """A source could not be read or decoded; `status` names the kind of failure."""

    def __init__(self, source: str, status: Status, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.status = status
        self.reason = reason



class WorkspaceError(ListparseError):
    """The temporary store a batch passes through could not be written (a full or read-only TMPDIR)."""


class NothingReadError(ListparseError):
    """Not one source could be read (none found, or every one missing or unreadable): nothing is written,
    so that a mistyped path or a glob the shell passed through unexpanded never replaces an output."""


class OutputError(ListparseError):
    """The output directory cannot be claimed: another run is writing it, or it holds files listparse
    did not write."""
