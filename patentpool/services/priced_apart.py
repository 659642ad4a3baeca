"""A quarter's royalties priced in several processes at once, one share of its licensee
groups each (a command run on its own, on a machine of more than one core).

Each licensee group is priced on its own (:mod:`patentpool.core.royalty_parts`), so the
groups are shared out by their lines; this process prices the first share and a process forked
from it each other one, through a session that reads what this process's transaction reads
(:mod:`patentpool.storage.shared_view`). The shares' royalties are joined: the same licensees,
amounts, total and due by country, to the cent, as one pricing of every group.

It is not done, and the caller prices the quarter in this process alone, when the process has
other threads (forking one is unsafe), when no other connection can be sure to read what this
transaction reads (it has written something, or on SQLite does not hold the write lock), or
when the quarter has a single group. When a share cannot be priced, the quarter is priced
again in this process alone, so that it stops at the very line it stops at when priced in one.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Collection, Mapping
from contextlib import closing, suppress
from dataclasses import dataclass

from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program
from patentpool.core.model import Declaration, Patent, PatentKey, Register
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult, summarize_groups
from patentpool.core.royalty_parts import joined, share_groups
from patentpool.gcpause import collector_paused
from patentpool.storage import licensing_repo
from patentpool.storage.shared_view import View, opened, shared_view

#: The most processes a quarter is priced in.
MOST_PROCESSES = 4
#: Set to a number of processes (1: this process alone) to override the machine's cores.
PROCESSES_VARIABLE = "PATENTPOOL_PRICING_PROCESSES"


def pricing_processes() -> int:
    """How many processes a command prices a quarter in: PATENTPOOL_PRICING_PROCESSES when
    it is set to a whole number (at least 1), else the cores this process may run on, at
    most :data:`MOST_PROCESSES`."""
    raw = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return max(1, min(MOST_PROCESSES, _cores()))


def _cores() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity on this system
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Priced:
    """What a quarter's pricing reads besides its lines: the programme, the register, the
    licensees and the programme's counted patents."""

    program: Program
    register: Register
    licensees: Mapping[str, Licensee]
    counted: Mapping[PatentKey, tuple[Patent, list[Declaration]]]


@dataclass(frozen=True, slots=True)
class _Child:
    pid: int
    reads: int  # the pipe's end its result is read from


def summarize_apart(
    session: Session, ctx: Priced, period: Period, processes: int
) -> RoyaltyResult | None:
    """The quarter's royalties of every licensee without their lines, priced in up to
    ``processes`` processes; None when they are not priced apart (see the module's text),
    for the caller to price them in this process."""
    if processes < 2 or not _can_fork():
        return None
    program = ctx.program.id
    quarters = period.year_to_date()
    lines: dict[str, int] = {}
    reporting = licensing_repo.reporting_lines(session, program, quarters, ctx.licensees)
    for lid, count in reporting.items():
        group = ctx.licensees[lid].group_key
        lines[group] = lines.get(group, 0) + count
    shares = share_groups(lines, processes)
    if len(shares) < 2:
        return None
    view = shared_view(session)
    if view is None:
        return None
    children: list[_Child] = []
    try:
        try:
            for share in shares[1:]:
                children.append(_fork(view, ctx, period, share))
            results = [_priced(session, ctx, period, shares[0])]
        except Exception:  # a process not forked, or a line not priced
            return None  # priced again in one process, to stop where that stops
        while children:
            found = _result_of(children.pop(0))
            if found is None:
                return None
            results.append(found)
    finally:
        for child in children:  # not waited for yet: stopped
            _stop(child)
    return joined(results)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _priced(session: Session, ctx: Priced, period: Period, share: Collection[str]) -> RoyaltyResult:
    """The royalties of the licensees of the groups ``share``, without their lines."""
    groups = licensing_repo.iter_sales_groups(
        session, ctx.program.id, period.year_to_date(), ctx.licensees, set(share)
    )
    with collector_paused(), closing(groups):
        return summarize_groups(
            ctx.program, ctx.register, ctx.licensees.values(), groups, period, counted=ctx.counted
        )


def _fork(view: View, ctx: Priced, period: Period, share: list[str]) -> _Child:
    """A process forked to price ``share``, its result written to a pipe."""
    reads, writes = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its result, or nothing when it fails; it never returns
        status = 1
        try:
            os.close(reads)
            with opened(view) as session:
                result = _priced(session, ctx, period, share)
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writes, "wb") as out:
                out.write(payload)
            status = 0
        except BaseException:  # its parent prices the quarter again
            if os.environ.get("PATENTPOOL_DEBUG"):
                traceback.print_exc()
        finally:
            os._exit(status)  # no clean-up of what the parent process owns
    os.close(writes)
    return _Child(pid, reads)


def _result_of(child: _Child) -> RoyaltyResult | None:
    """What ``child`` priced, once it has ended (it is waited for); None when it failed."""
    try:
        with os.fdopen(child.reads, "rb") as pipe:
            payload = pipe.read()
    finally:
        _, status = os.waitpid(child.pid, 0)
    if status != 0 or not payload:
        return None
    result = pickle.loads(payload)
    assert isinstance(result, RoyaltyResult)
    return result


def _stop(child: _Child) -> None:
    with suppress(OSError):
        os.close(child.reads)
    with suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(child.pid, 0)
