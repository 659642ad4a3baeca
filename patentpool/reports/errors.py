"""The errors a report can raise for the user: bad options, missing templates, missing tools."""

from __future__ import annotations

from patentpool.errors import InvalidInput, PatentpoolError


class ReportError(PatentpoolError):
    """A report that cannot be produced (template missing or broken, output not writable)."""


class UnknownLocale(InvalidInput):
    """A ``--locale`` that babel does not know."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"locale: unknown locale {name!r} (examples: en, en_GB, de, fr, ja, zh_Hans_CN)"
        )
        self.name = name


class MissingDependency(ReportError):
    """An output format whose library or system library is not installed."""

    def __init__(self, fmt: str, needs: str, detail: str) -> None:
        super().__init__(f"--format {fmt} needs {needs} ({detail}); see docs/reports.md")
        self.fmt = fmt
