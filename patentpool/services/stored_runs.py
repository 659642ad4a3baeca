"""Stored distribution runs for reports: which run (the latest revision of each period, or the
one asked for), with its stamp and what makes its shares degenerate."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.allocation import Distribution
from patentpool.core.degenerate import Degenerate
from patentpool.core.periods import Period
from patentpool.core.runs import RunStamp, StoredRun, diagnose_distribution
from patentpool.errors import NotFound
from patentpool.services.corrections import superseded_runs
from patentpool.services.distributions import Run, distribution_from
from patentpool.storage.models import DistributionRunRow, ProgramRow

#: The policies whose diagnosis needs the sections each member holds (read from the run's
#: stored inputs, which are large: only for these).
_NEEDS_HOLDINGS = frozenset({"shapley"})


def holdings_of(inputs: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """The sections in which each member holds a counted patent, from a run's stored inputs."""
    out: dict[str, set[str]] = {}
    for patent in inputs["patents"]:
        out.setdefault(patent["owner"], set()).update(patent["sections"])
    return {m: frozenset(s) for m, s in sorted(out.items())}


def degenerate_of(dist: Distribution, inputs_text: str | None) -> Degenerate | None:
    """Why ``dist`` is degenerate; ``inputs_text``: its run's stored inputs (or None)."""
    holdings = None
    if inputs_text is not None and dist.policy in _NEEDS_HOLDINGS:
        holdings = holdings_of(json.loads(inputs_text))
    return diagnose_distribution(dist, holdings)


def run_degenerate(session: Session, run: Run) -> Degenerate | None:
    """Why stored ``run``'s shares are degenerate, or None: from the run's document as it was
    read, not parsed again (its stored inputs are looked at only for a policy whose diagnosis
    needs them: the row the run was read from, still held by the session)."""
    inputs = None
    if run.policy in _NEEDS_HOLDINGS:
        row = session.get(DistributionRunRow, run.id)
        inputs = None if row is None else row.inputs
    return degenerate_of(distribution_from(run.result), inputs)


def _stored(session: Session, row: Any, revisions: int, superseded: str | None = None) -> StoredRun:
    """The stored run of ``row`` (id, revision, created_at, inputs_sha256, policy, result)."""
    run_id, revision, created, checksum, policy, result = row
    document = json.loads(result)
    dist = distribution_from(document)
    inputs = None
    if policy in _NEEDS_HOLDINGS:
        inputs = session.scalar(
            select(DistributionRunRow.inputs).where(DistributionRunRow.id == run_id)
        )
    made = document.get("created_at") or (created.isoformat() if created else "")
    stamp = RunStamp(run_id, revision, revisions, made, checksum)
    return StoredRun(stamp, dist, degenerate_of(dist, inputs), superseded)


def run_of(session: Session, run_id: int) -> tuple[str, Period]:
    """The programme and period of stored run ``run_id``."""
    found = session.execute(
        select(DistributionRunRow.program_id, DistributionRunRow.period).where(
            DistributionRunRow.id == run_id
        )
    ).first()
    if found is None:
        raise NotFound("distribution run", str(run_id))
    return found[0], Period.parse(found[1])


def stored_runs(
    session: Session,
    program_id: str,
    run_id: int | None = None,
    superseded: Mapping[int, str] | None = None,
    period: Period | None = None,
    published: frozenset[int] | None = None,
) -> list[StoredRun]:
    """The latest revision of each period's run of ``program_id``, ordered by period; the
    period of ``run_id`` (a run of this programme) shows that run instead. ``superseded``:
    :func:`superseded_runs` when the caller has it already; ``period``: only that quarter;
    ``published``: when given, only these runs are shown (members see published runs only)."""
    if session.get(ProgramRow, program_id) is None:
        raise NotFound("programme", program_id)
    query = (
        select(
            DistributionRunRow.period,
            DistributionRunRow.id,
            DistributionRunRow.revision,
            DistributionRunRow.created_at,
            DistributionRunRow.inputs_sha256,
            DistributionRunRow.policy,
            DistributionRunRow.result,
        )
        .where(DistributionRunRow.program_id == program_id)
        .order_by(DistributionRunRow.period, DistributionRunRow.revision)
    )
    if period is not None:
        query = query.where(DistributionRunRow.period == str(period))
    chosen: dict[str, Any] = {}  # period: the row shown (its latest, or run_id)
    revisions: dict[str, int] = defaultdict(int)
    pinned = None  # the period of run_id
    for of, *row in session.execute(query):
        revisions[of] += 1
        if published is not None and row[0] not in published:
            continue
        if row[0] == run_id:
            pinned = of
        if of != pinned or row[0] == run_id:
            chosen[of] = row
    if run_id is not None and pinned is None and period is None:
        raise NotFound("distribution run", f"{run_id} of {program_id}")
    if superseded is None:
        superseded = superseded_runs(session, program_id)
    return [
        _stored(session, row, revisions[of], superseded.get(row[0]))
        for of, row in sorted(chosen.items(), key=lambda kv: Period.parse(kv[0]))
    ]
