"""The database's state, read in a few cheap queries: what a process that keeps values read
from the register uses to know whether they are still those of the database.

Every change to the register or the licensing books is made by an import, which writes its
row in ``imports`` and its change log in ``changes`` (both only ever grow); reference rates
are the one import that writes no log (and may replace a rate in place), so what depends on
them is keyed by their digest too (:func:`rates_digest`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from patentpool.storage.models import ChangeRow, FxRateRow, ImportRow, SalesReportRow

#: The change log's entities that are the licensing books', not the register's: a change to
#: any other entity (one added later included) counts as a change to the register.
LICENSING_ENTITIES = ("licensee", "program", "sales report", "payment")


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """The latest import (its id and time: a database made again from nothing does not
    look like the one before) and the latest change logged."""

    last_import: int
    imported_at: dt.datetime | None
    last_change: int


def database_state(session: Session) -> DatabaseState:
    latest = session.execute(
        select(ImportRow.id, ImportRow.at).order_by(ImportRow.id.desc()).limit(1)
    ).first()
    last_change = session.scalar(select(func.max(ChangeRow.id))) or 0
    if latest is None:
        return DatabaseState(0, None, last_change)
    return DatabaseState(int(latest[0]), latest[1], last_change)


def rates_digest(session: Session) -> str:
    """The SHA-256 of every reference rate held (day, currency, rate)."""
    digest = hashlib.sha256()
    rows = session.execute(
        select(FxRateRow.day, FxRateRow.currency, FxRateRow.rate).order_by(
            FxRateRow.day, FxRateRow.currency
        )
    )
    for day, currency, rate in rows:
        digest.update(f"{day.isoformat()} {currency} {rate}\n".encode())
    return digest.hexdigest()


def changed_since(
    session: Session,
    since: DatabaseState,
    *,
    only: Sequence[str] | None = None,
    besides: Sequence[str] | None = None,
) -> bool:
    """Has an import after ``since`` (a state of this same database) changed an entity of
    ``only`` (or any entity but those ``besides``)? True when the database is not the one
    ``since`` was read from (made again from nothing: its imports are others)."""
    if since.last_import:
        at = session.scalar(select(ImportRow.at).where(ImportRow.id == since.last_import))
        if at is None or at != since.imported_at:
            return True
    later = select(ChangeRow.id).where(ChangeRow.id > since.last_change)
    if only is not None:
        later = later.where(ChangeRow.entity.in_(only))
    if besides is not None:
        later = later.where(ChangeRow.entity.not_in(besides))
    return bool(session.scalar(select(exists(later))))


def register_changed(session: Session, since: DatabaseState) -> bool:
    """Has the register changed after ``since``? False when only the licensing books did."""
    return changed_since(session, since, besides=LICENSING_ENTITIES)


def terms_changed(session: Session, since: DatabaseState) -> bool:
    """Have licensees or programmes changed after ``since`` (not counting sales reports and
    payments)?"""
    return changed_since(session, since, only=("licensee", "program"))


def sales_state(session: Session, program: str, periods: Sequence[str]) -> tuple[int, int]:
    """The count and the latest id of a programme's sales report revisions of ``periods``:
    a report imported, or corrected (a correction adds a revision), changes it."""
    row = session.execute(
        select(func.count(), func.max(SalesReportRow.id)).where(
            SalesReportRow.program_id == program, SalesReportRow.period.in_(periods)
        )
    ).one()
    return int(row[0]), int(row[1] or 0)
