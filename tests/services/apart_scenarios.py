"""A quarter priced apart, or not, in a process of its own (for test_priced_apart.py).

    python apart_scenarios.py URL SCENARIO

writes what SCENARIO gives, pickled, to standard output. A quarter is priced apart only by a
process without other threads; a test process holds some (a browser's event loop), so each
scenario runs in a new interpreter, where only the threads it starts itself run.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.errors import InvalidInput
from patentpool.services import priced_apart
from patentpool.services import royalties as royalty_service
from patentpool.services.distributions import run_distribution
from patentpool.services.priced_apart import Priced, summarize_apart
from patentpool.services.royalties import program_context, royalties
from patentpool.storage.engine import session_for
from patentpool.storage.shared_view import opened, shared_view

PROGRAM, PERIOD = "sbs-pool", Period.parse("2026Q1")
LOCK = f"distribute:{PROGRAM}:{PERIOD}"


def context(session: Session) -> Priced:
    ctx = program_context(session, PROGRAM)
    return Priced(ctx.program, ctx.register, ctx.licensees, ctx.counted)


def priced(url: str, processes: int) -> RoyaltyResult:
    """The quarter as `patentpool royalties` prices it, in up to ``processes`` processes."""
    with session_for(url, lock=LOCK) as session:
        return royalties(session, PROGRAM, PERIOD, detail=False, processes=processes)


def apart(url: str, processes: int = 2, lock: str | None = LOCK) -> RoyaltyResult | None:
    """The quarter priced apart, or None when it is handed back to be priced here."""
    with session_for(url, lock=lock) as session:
        return summarize_apart(session, context(session), PERIOD, processes)


def after_writing(url: str) -> tuple[bool, RoyaltyResult | None, RoyaltyResult]:
    """Whether the view is shared, and the quarter priced apart and by `royalties`, once the
    transaction has written a row (changed to what it was)."""
    with session_for(url, lock=LOCK) as session:
        ctx = context(session)
        session.execute(text("UPDATE licensees SET name = name"))
        shared = shared_view(session) is not None
        found = summarize_apart(session, ctx, PERIOD, 2)
        return shared, found, royalties(session, PROGRAM, PERIOD, detail=False, processes=2)


def beside_a_thread(url: str) -> RoyaltyResult | None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        return apart(url)
    finally:
        release.set()
        other.join()


def fork_refused(url: str) -> tuple[RoyaltyResult | None, RoyaltyResult]:
    def refused() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    os.fork = refused  # type: ignore[assignment]
    return apart(url, processes=3), priced(url, 3)


def share_failing(url: str) -> tuple[RoyaltyResult | None, RoyaltyResult]:
    def broken(view: object) -> object:
        raise RuntimeError("the other process cannot read")

    priced_apart.opened = broken  # type: ignore[assignment]  # in the forked processes too
    return apart(url), priced(url, 2)


def refused(url: str, processes: int) -> str:
    """The message the quarter stops with."""
    try:
        priced(url, processes)
    except InvalidInput as error:
        return str(error)
    raise AssertionError("the quarter was priced")


class _Undone(Exception):
    """Raised to roll a transaction back."""


def distributed(url: str, processes: int) -> tuple[bool, str, dict[str, object]]:
    """Whether the quarter was priced apart, and the checksum of the inputs and the result of
    its per-patent-country distribution, made before its totals were kept (and rolled back:
    each call prices the quarter anew)."""
    found: list[RoyaltyResult | None] = []

    def recorded(*args: object) -> RoyaltyResult | None:
        result = summarize_apart(*args)  # type: ignore[arg-type]
        found.append(result)
        return result

    royalty_service.summarize_apart = recorded  # type: ignore[assignment]
    try:
        with session_for(url, lock=LOCK) as session:
            run = run_distribution(
                session, PROGRAM, PERIOD, "per-patent-country", {}, "due", processes
            )
            raise _Undone
    except _Undone:
        pass
    return any(r is not None for r in found), run.inputs_sha256, run.result


def snapshot(url: str) -> tuple[int, int, int]:
    """Rows counted by this transaction, by a process forked from it after another
    transaction changed them, and once this one has ended."""
    count = text("SELECT count(*) FROM patents WHERE title = 'renamed'")
    with session_for(url) as session:
        before = int(session.execute(count).scalar_one())
        view = shared_view(session)
        assert view is not None
        assert view.snapshot
        with session_for(url) as other:  # committed once the snapshot was taken
            other.execute(text("UPDATE patents SET title = 'renamed'"))
        reads, writes = os.pipe()
        pid = os.fork()
        if pid == 0:  # the forked process: what it counts
            try:
                with opened(view) as forked:
                    os.write(writes, pickle.dumps(int(forked.execute(count).scalar_one())))
            finally:
                os._exit(0)
        os.close(writes)
        with os.fdopen(reads, "rb") as pipe:
            seen = pickle.loads(pipe.read())
        os.waitpid(pid, 0)
    with session_for(url) as session:
        after = int(session.execute(count).scalar_one())
    return before, seen, after


SCENARIOS: dict[str, Callable[[str], object]] = {
    "one": lambda url: priced(url, 1),
    "apart-2": lambda url: apart(url, 2),
    "apart-3": lambda url: apart(url, 3),
    "priced-2": lambda url: priced(url, 2),
    "apart-in-one": lambda url: apart(url, 1),
    "apart-without-lock": lambda url: apart(url, lock=None),
    "after-writing": after_writing,
    "beside-a-thread": beside_a_thread,
    "fork-refused": fork_refused,
    "share-failing": share_failing,
    "refused-1": lambda url: refused(url, 1),
    "refused-2": lambda url: refused(url, 2),
    "snapshot": snapshot,
    "distributed-1": lambda url: distributed(url, 1),
    "distributed-2": lambda url: distributed(url, 2),
}


if __name__ == "__main__":
    url, name = sys.argv[1:]
    assert threading.active_count() == 1
    sys.stdout.buffer.write(pickle.dumps(SCENARIOS[name](url)))
