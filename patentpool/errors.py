"""Every error a user can cause, as named classes with a fixed message format."""

from __future__ import annotations


class PatentpoolError(Exception):
    """Base of every error the CLI reports as ``Error: ...`` with exit status 1."""


class NotFound(PatentpoolError):
    """A named thing (member, standard, licensee, programme...) does not exist."""

    def __init__(self, kind: str, name: str, detail: str | None = None) -> None:
        super().__init__(f"unknown {kind} {name!r}" + (f" ({detail})" if detail else ""))
        self.kind = kind
        self.name = name


class InvalidInput(PatentpoolError):
    """A value given on the command line or in a file is not acceptable."""
