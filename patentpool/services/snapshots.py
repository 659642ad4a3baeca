"""What a long-running process (a portal worker) keeps of the database between requests.

The register (tens of thousands of patents and declarations) is read once and kept until an
import changes it: each request reads the database's state (a few one-row queries, see
:mod:`patentpool.storage.state`) and reads the register again only when a register import
was made since, by this process or any other; a sales-only import keeps it. A quarter's
royalties and the documents built from them are kept for one state of the whole database
(any import, or a change of reference rates, computes them again).

Every value kept is immutable (core values, or the bytes of a document), so threads share
them; a miss is computed once while the other threads that need it wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program
from patentpool.core.model import Register
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.services import commands
from patentpool.services import royalties as royalty_service
from patentpool.services.licensing import load_programs
from patentpool.storage import engine, licensing_repo, repository, state
from patentpool.storage.state import DatabaseState

T = TypeVar("T")
#: A programme and the periods of the sales a value reads (see :func:`quarter_sales`).
Sales = tuple[str, tuple[str, ...]] | None

#: How many computed values (royalties, documents) are kept at most; the oldest goes first.
KEPT = 64


@dataclass(frozen=True, slots=True)
class _Kept:
    state: Hashable
    value: object


@dataclass(frozen=True, slots=True)
class Generations:
    """How many times the register, and the licensees and programmes, were seen to change
    (by this process): what the values built from them are kept for."""

    register: int = 0
    terms: int = 0


class Snapshots:
    """The values kept for the database at ``url``, for one process (one per app)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._seen: DatabaseState | None = None
        self._generations = Generations()
        self._register_lock = threading.Lock()
        self._register: tuple[int, Register] | None = None
        self._shared: tuple[Register, dict[tuple[object, ...], Any]] | None = None
        self._values: dict[Hashable, _Kept] = {}
        self._computing: dict[Hashable, threading.Lock] = {}

    def _observe(self, session: Session) -> Generations:
        """The generations for the database's state now (read in ``session``); inside
        :func:`one_state`, the request's from then on."""
        found = self._read_state(session)
        scope = _STATES.get()
        if scope is not None:
            scope[id(self)] = found
        return found

    def _state_now(self) -> Generations:
        """The generations of the database's state: this request's, or read now."""
        known = self._request_state()
        if known is None:
            with engine.session_for(self.url) as session:
                known = self._observe(session)
        return known

    def _request_state(self) -> Generations | None:
        """The generations this request read already (inside :func:`one_state`), or None."""
        scope = _STATES.get()
        return None if scope is None else scope.get(id(self))

    def _read_state(self, session: Session) -> Generations:
        now = state.database_state(session)
        with self._lock:
            seen, found = self._seen, self._generations
            if seen == now:
                return found
            if (
                seen is not None
                and now.last_import <= seen.last_import
                and now.last_change <= seen.last_change
                and (now.last_import, now.last_change) != (seen.last_import, seen.last_change)
            ):
                return found  # read before another request read the newer state
            if seen is None:
                found = Generations(found.register + 1, found.terms + 1)
            else:
                register = state.register_changed(session, seen)
                terms = state.terms_changed(session, seen)
                found = Generations(found.register + register, found.terms + terms)
            self._seen, self._generations = now, found
            return found

    def register(self) -> Register:
        """The whole register, as :func:`patentpool.services.commands.register` reads it."""
        generation = self._state_now().register
        # one reading at a time: the others wait for its result
        with self._register_lock:
            kept = self._register
            if kept is not None and kept[0] == generation:
                return kept[1]
            return self._read_register()

    def _read_register(self) -> Register:
        with engine.session_for(self.url) as session:
            generation = self._observe(session).register
            kept = self._register
            if kept is not None and kept[0] == generation:
                return kept[1]
            # the state is read before the register: an import committed in between makes
            # the next request read it again, never keeps an older register
            register = repository.load_register(session)
            self._register = (generation, register)
            return register

    def shared(self) -> dict[tuple[object, ...], Any]:
        """Scratch space for what is computed from the register and shared by many values
        (member statements' counts of the whole register, for one): empty again each time
        the register is read again."""
        register = self.register()
        with self._lock:
            if self._shared is None or self._shared[0] is not register:
                self._shared = (register, {})
            return self._shared[1]

    def kept(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        sales: Sales = None,
        also: Hashable = None,
    ) -> T:
        """The value of ``key``, computed by ``compute`` when not kept for the register's
        and the licensing terms' generations (and, with ``sales`` - a programme and its
        periods - for the state of those sales reports and of the reference rates; and for
        ``also``, what else the value was computed from, read by the caller)."""
        now: Hashable
        if sales is None:
            now = self._state_now()
        else:
            with engine.session_for(self.url) as session:
                now = self._request_state() or self._observe(session)
                now = (now, state.sales_state(session, *sales), state.rates_digest(session))
        if also is not None:
            now = (now, also)
        with self._lock:
            found = self._values.get(key)
            if found is not None and found.state == now:
                return found.value  # type: ignore[return-value]
            busy = self._computing.setdefault(key, threading.Lock())
        with busy:
            with self._lock:
                found = self._values.get(key)
                if found is not None and found.state == now:
                    return found.value  # type: ignore[return-value]
            value = compute()
            with self._lock:
                self._values.pop(key, None)
                self._values[key] = _Kept(now, value)
                while len(self._values) > KEPT:
                    del self._values[next(iter(self._values))]
            return value

    def licensing(self) -> tuple[dict[str, Licensee], dict[str, Program]]:
        """Licensees and programmes by id, as :func:`patentpool.services.commands.licensing`
        reads them (the same dictionaries for every request: not to be changed)."""
        return self.kept(("licensing",), lambda: commands.licensing(self.url))

    def royalties(self, program_id: str, period: Period) -> RoyaltyResult:
        """Every licensee's royalties of the quarter, their lines priced."""
        return self.kept(
            ("royalties", program_id, str(period)),
            lambda: self._compute_royalties(program_id, period),
            sales=quarter_sales(program_id, period),
        )

    def _compute_royalties(self, program_id: str, period: Period) -> RoyaltyResult:
        register = self.register()
        with engine.session_for(self.url) as session:
            ctx = royalty_service.program_context(session, program_id, register)
            return royalty_service.royalties(session, program_id, period, context=ctx)

    def warm(self) -> list[tuple[str, Period]]:
        """Read the register, and compute each programme's latest quarter of royalties, now
        (a worker starting), so that no request waits for them: those quarters."""
        self.register()
        with engine.session_for(self.url) as session:
            latest = {
                program: periods[-1]
                for program in load_programs(session)
                if (periods := licensing_repo.reported_periods(session, program))
            }
        for program, period in sorted(latest.items()):
            self.royalties(program, period)
        return sorted(latest.items())


#: What the stores read of the database's state in the current request (:func:`one_state`).
_STATES: ContextVar[dict[int, Generations] | None] = ContextVar("snapshot_states", default=None)


@contextmanager
def one_state() -> Iterator[None]:
    """One request that only reads: each store reads the database's state once inside it (a
    page asks for the register, the licensing and the values kept from them, each of which
    read the state again: a few queries each, round trips on PostgreSQL). Everything the
    request shows is then of one state of the database; an import committed meanwhile is
    seen by the next request."""
    token = _STATES.set({})
    try:
        yield
    finally:
        _STATES.reset(token)


def quarter_sales(program_id: str, period: Period) -> tuple[str, tuple[str, ...]]:
    """The sales a quarter's royalties read: the programme's, of the year to the quarter."""
    return program_id, tuple(str(p) for p in period.year_to_date())
