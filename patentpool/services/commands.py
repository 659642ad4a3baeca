"""The commands' use cases on the database at a URL, each in one transaction of its own.

The CLI calls these with the URL it was given and gets plain values back: it never opens a
session nor touches storage. Each function opens one session (committed when it ends,
rolled back on error; see :func:`patentpool.storage.engine.session_for`), calls the
services and storage, and returns core values or the services' records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from patentpool.core.degenerate import Degenerate
from patentpool.core.licensing import Licensee, Program
from patentpool.core.model import Register
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.core.runs import StoredRun
from patentpool.errors import NotFound
from patentpool.services import corrections, distributions, history, lifecycle, quarters
from patentpool.services import royalties as royalty_service
from patentpool.services import stored_runs as runs_service
from patentpool.services.corrections import Revision
from patentpool.services.distributions import MemberChange, Run
from patentpool.services.history import Change
from patentpool.services.licensing import load_programs
from patentpool.services.priced_apart import pricing_processes
from patentpool.services.royalties import ProgramContext, StatementRow
from patentpool.storage import engine, licensing_repo, repository

#: Names the licensee a user wrote (its id or name): ``(licensees, written) -> id``.
Resolve = Callable[[Iterable[Licensee], str], str]


class NoSuchRun(NotFound):
    """The distribution run a command names does not exist."""

    def __init__(self, run_id: int) -> None:
        super().__init__("distribution run", str(run_id))
        self.run_id = run_id


def shown_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    return engine.safe_url(url)


def register(url: str) -> Register:
    """The whole register as plain core values."""
    with engine.session_for(url) as session:
        return repository.load_register(session)


def illustrative(url: str) -> bool:
    """Is the register at ``url`` a sample with invented figures?"""
    with engine.session_for(url) as session:
        alliance = repository.load_alliance(session)
    return bool(alliance and alliance.illustrative)
def parties(url: str) -> Register:
    """The alliance and its members, without the patents (see :func:`register`)."""
    with engine.session_for(url) as session:
        return repository.load_parties(session)


def licensees(url: str) -> dict[str, Licensee]:
    """Every licensee by id."""
    with engine.session_for(url) as session:
        return licensing_repo.load_licensees(session)


def programs(url: str) -> dict[str, tuple[Program, str]]:
    """Every programme by id, with the JSON text of its definition."""
    with engine.session_for(url) as session:
        return load_programs(session)


def licensing(url: str) -> tuple[dict[str, Licensee], dict[str, Program]]:
    """Licensees and programmes by id."""
    with engine.session_for(url) as session:
        found = {k: v[0] for k, v in load_programs(session).items()}
        return licensing_repo.load_licensees(session), found


def program_context(url: str, program_id: str) -> ProgramContext:
    """What a computation for one programme reads: the register, the programme, licensees."""
    with engine.session_for(url) as session:
        return royalty_service.program_context(session, program_id)


def royalties(
    url: str, program_id: str, period: Period, licensee_id: str | None = None
) -> RoyaltyResult:
    """What is due for a quarter (see :func:`patentpool.services.royalties.royalties`)."""
    with engine.session_for(url) as session:
        return royalty_service.royalties(session, program_id, period, licensee_id)


def quarter_royalties(
    url: str,
    program_id: str,
    period: Period,
    licensee: str | None,
    resolve: Resolve,
    *,
    detail: bool,
) -> RoyaltyResult:
    """``patentpool royalties``: a quarter's royalties, of one licensee (named as ``resolve``
    finds it) or of all, whose totals are then kept for distributions."""
    with engine.session_for(url, lock=f"distribute:{program_id}:{period}") as session:
        ctx = royalty_service.program_context(session, program_id)
        if licensee is not None:
            licensee = resolve(ctx.licensees.values(), licensee)
        result = royalty_service.royalties(
            session, program_id, period, licensee, context=ctx, detail=detail,
            processes=pricing_processes(),
        )  # fmt: skip
        if licensee is None:  # the whole quarter: keep its totals for distributions
            quarters.remember(session, ctx, period, result)
    return result


def statement(url: str, licensee: str, resolve: Resolve) -> tuple[str, list[StatementRow]]:
    """A licensee's account (the licensee named as ``resolve`` finds it), with its id."""
    with engine.session_for(url) as session:
        found = resolve(licensing_repo.load_licensees(session).values(), licensee)
        return found, royalty_service.statement(session, found)


def distribute(
    url: str,
    program_id: str,
    period: Period,
    policy: str | None,
    params: dict[str, str],
    basis: str,
    *,
    note: bool,
) -> tuple[Run, Degenerate | None]:
    """``patentpool distribute``: the run, and (when ``note``) what is degenerate in it."""
    with engine.session_for(url, lock=f"distribute:{program_id}:{period}") as session:
        run = distributions.run_distribution(
            session, program_id, period, policy, params, basis, pricing_processes()
        )
        degenerate = runs_service.run_degenerate(session, run) if note else None
    return run, degenerate


def runs(url: str, program_id: str | None = None) -> list[Run]:
    """The stored distribution runs (of one programme when given)."""
    with engine.session_for(url) as session:
        return distributions.list_runs(session, program_id)


def run(url: str, run_id: int) -> tuple[Run, Degenerate | None]:
    """A stored run and what is degenerate in it."""
    with engine.session_for(url) as session:
        found = distributions.get_run(session, run_id)
        return found, runs_service.run_degenerate(session, found)


def diff_runs(url: str, a: int, b: int) -> tuple[Run, Run, list[MemberChange], list[str]]:
    """Who gained or lost what between two runs, and why."""
    with engine.session_for(url) as session:
        return distributions.diff_runs(session, a, b)


def report_runs(
    url: str,
    program_ids: Sequence[str],
    run_id: int | None,
    period: Period | None = None,
    *,
    published_only: bool = False,
) -> list[StoredRun]:
    """The latest run of each period of each programme (only ``period``'s, when given);
    ``run_id``'s period shows that run (:class:`NoSuchRun` when there is no such run).
    ``published_only``: the runs members see, the published run of each period (a ``run_id``
    not published is :class:`lifecycle.NotPublished`)."""
    with engine.session_for(url) as session:
        run_program = None
        if run_id is not None:
            try:
                run_program, _ = runs_service.run_of(session, run_id)
            except NotFound:
                raise NoSuchRun(run_id) from None
        published = None
        if published_only:
            published = lifecycle.published_everywhere(session)
            if run_id is not None and run_id not in published:
                raise lifecycle.NotPublished(run_id)
        superseded = corrections.superseded_runs(session)  # every programme's, read once
        found: list[StoredRun] = []
        for program_id in program_ids:
            chosen = run_id if run_program == program_id else None
            found.extend(
                runs_service.stored_runs(
                    session, program_id, chosen, superseded, period, published
                )
            )
        return found


def report_corrections(
    url: str, program_id: str, licensee_id: str, periods: Sequence[Period]
) -> tuple[str, ...]:
    """The corrections of a licensee's reports of the periods (for an invoice)."""
    with engine.session_for(url) as session:
        return corrections.report_corrections(session, program_id, licensee_id, periods)


def patent_history(url: str, patent: str) -> tuple[str, list[Change]]:
    """Every recorded change to a patent and its declarations, with its normalised number."""
    with engine.session_for(url) as session:
        return history.patent_history(session, patent)


def report_revisions(
    url: str, program_id: str | None, licensee_id: str | None, period: Period | None
) -> list[Revision]:
    """Every revision of the sales reports, as ``patentpool sales-reports`` lists them."""
    with engine.session_for(url) as session:
        return corrections.revisions(session, program_id, licensee_id, period)
