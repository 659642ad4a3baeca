"""The quarter's books on the database at a URL: each use case in one transaction.

Accepting reports, approving and publishing runs, issuing and listing invoices,
receivables and statements of account, for the CLI (which never opens a session).
"""

from __future__ import annotations

import datetime as dt
import getpass

from patentpool.core.account import Statement
from patentpool.core.periods import Period
from patentpool.core.receivables import Receivable
from patentpool.services import closing, invoicing, lifecycle
from patentpool.services.closing import Closed
from patentpool.services.invoicing import Document, Issued
from patentpool.services.lifecycle import Accepted, RunState
from patentpool.storage import engine


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def accept_reports(
    url: str, program_id: str, period: Period, licensee: str | None, reason: str | None
) -> list[Accepted]:
    with engine.session_for(url, lock=f"reports:{program_id}:{period}") as session:
        return lifecycle.accept_reports(session, program_id, period, licensee, reason, _user())


def approve_run(url: str, run_id: int) -> RunState:
    with engine.session_for(url, lock=f"run:{run_id}") as session:
        return lifecycle.approve_run(session, run_id, _user())


def publish_run(url: str, run_id: int, reason: str | None) -> RunState:
    with engine.session_for(url, lock="publish") as session:
        return lifecycle.publish_run(session, run_id, reason, _user())


def run_states(url: str) -> dict[int, RunState]:
    with engine.session_for(url) as session:
        return lifecycle.run_states(session)


def issue_invoices(url: str, program_id: str, period: Period, issued: dt.date) -> Issued:
    """Issued under the programme's invoicing lock: numbers never collide nor skip."""
    with engine.session_for(url, lock=f"invoices:{program_id}") as session:
        return invoicing.issue_invoices(session, program_id, period, issued)


def list_invoices(url: str, program_id: str | None) -> list[Document]:
    with engine.session_for(url) as session:
        return invoicing.list_documents(session, program_id)


def receivables(
    url: str, as_of: dt.date, program_id: str | None
) -> list[tuple[str, str, Receivable]]:
    with engine.session_for(url) as session:
        return invoicing.program_receivables(session, as_of, program_id)


def account(
    url: str, program_id: str, licensee: str, as_of: dt.date
) -> tuple[Statement, Receivable | None, str]:
    """The statement of account, the licensee's ageing on the day, and the programme's late
    interest as written."""
    with engine.session_for(url) as session:
        return invoicing.account(session, program_id, licensee, as_of)


def close_quarter(
    url: str, program_id: str, period: Period, issued: dt.date, *, allow_missing: bool
) -> Closed:
    """``patentpool close``: one transaction under the programme's invoicing lock."""
    with engine.session_for(url, lock=f"invoices:{program_id}") as session:
        return closing.close_quarter(
            session, program_id, period, issued, allow_missing=allow_missing
        )
