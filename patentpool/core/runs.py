"""A stored distribution run as reports show it: the distribution, which run it is, and what
makes it degenerate (if anything)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from patentpool.core.allocation import Distribution
from patentpool.core.degenerate import Degenerate, diagnose
from patentpool.core.model import MemberId


@dataclass(frozen=True, slots=True)
class RunStamp:
    """Which stored run figures come from: its id, its revision among the runs of its
    programme and period (``revisions`` of them are stored), when it was made (ISO 8601, UTC)
    and the SHA-256 of its canonical inputs."""

    run: int
    revision: int
    revisions: int
    created_at: str
    inputs_sha256: str

    @property
    def latest(self) -> bool:
        return self.revision == self.revisions

    @property
    def made(self) -> str:
        """``created_at`` as ``2026-04-02 09:30:00 UTC``."""
        return self.created_at.replace("T", " ").replace("+00:00", " UTC")


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A stored run: ``degenerate`` says why its shares are degenerate (None: they are not);
    ``superseded`` is "superseded by a correction: ..." when a sales report it was computed
    from has been corrected since and no later run of its period was made (None otherwise)."""

    stamp: RunStamp
    distribution: Distribution
    degenerate: Degenerate | None = None
    superseded: str | None = None


def diagnose_distribution(
    dist: Distribution, holdings: Mapping[MemberId, frozenset[str]] | None = None
) -> Degenerate | None:
    """Why ``dist``'s shares are degenerate (see :func:`patentpool.core.degenerate.diagnose`)."""
    return diagnose(
        dist.policy, {m.member: m.share for m in dist.members}, dist.distributable, holdings
    )


def shown(
    item: StoredRun | Distribution,
) -> tuple[Distribution, StoredRun | None, Degenerate | None]:
    """What a report shows of ``item``: its distribution, the stored run (None for a
    distribution that was not stored) and why its shares are degenerate (None: they are not).
    A stored run's diagnosis is its own; a bare distribution's is made from its shares."""
    if isinstance(item, StoredRun):
        return item.distribution, item, item.degenerate
    return item, None, diagnose_distribution(item)
