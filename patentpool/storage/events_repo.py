"""A patent's dated events: rows of ``patent_events`` <-> :class:`PatentEvent` values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from operator import attrgetter

from sqlalchemy import Connection, Table, delete, insert, select
from sqlalchemy.orm import Session

from patentpool.core.model import Essentiality, EventKind, PatentEvent
from patentpool.core.records import records
from patentpool.storage.columns import read_columns
from patentpool.storage.models import PatentEventRow, PatentRow


def read_events(connection: Connection, keys: Mapping[int, str]) -> tuple[PatentEvent, ...]:
    """Every event, in the order of its patent, date and kind; ``keys``: each patent's key by
    its row id."""
    table = PatentEventRow.__table__
    assert isinstance(table, Table)
    patent_ids, day, kind, *rest, essentiality, evaluator, expiry, note, recorded = read_columns(
        connection, table, _EVENT_READ
    )
    values = (
        map(keys.__getitem__, patent_ids),
        day,
        map(EventKind, kind),
        *rest,  # country, owner, standard, version
        [Essentiality(e) if e else None for e in essentiality],
        evaluator,
        expiry,
        note,
        recorded,
    )
    events = records(PatentEvent, len(patent_ids), values)
    return tuple(sorted(events, key=_EVENT_KEY))


#: The columns of an event read, in the order of its fields.
_EVENT_READ = (
    "patent_id",
    "date",
    "kind",
    "country",
    "owner_id",
    "standard_id",
    "version_id",
    "essentiality",
    "evaluator",
    "expiry",
    "note",
    "recorded",
)
_EVENT_KEY = attrgetter("key")


def save_events(
    session: Session,
    events: Sequence[PatentEvent],
    patent_ids: Mapping[str, int] | None = None,
    recorded: dt.date | None = None,
) -> None:
    """Insert new events and replace changed ones (one event per key: patent, kind, date,
    country, standard, version), recorded on ``recorded``."""
    if not events:
        return
    ids = patent_ids
    if ids is None:
        ids = dict(session.execute(select(PatentRow.key, PatentRow.id)).all())
    t = PatentEventRow
    for e in events:
        session.execute(
            delete(t).where(
                t.patent_id == ids[e.patent],
                t.kind == e.kind.value,
                t.date == e.date,
                t.country.is_(None) if e.country is None else t.country == e.country,
                t.standard_id.is_(None) if e.standard is None else t.standard_id == e.standard,
                t.version_id.is_(None) if e.version is None else t.version_id == e.version,
            )
        )
    session.execute(
        insert(t),
        [
            {
                "patent_id": ids[e.patent],
                "date": e.date,
                "kind": e.kind.value,
                "country": e.country,
                "owner_id": e.owner,
                "standard_id": e.standard,
                "version_id": e.version,
                "essentiality": e.essentiality.value if e.essentiality else None,
                "evaluator": e.evaluator,
                "expiry": e.expiry,
                "note": e.note,
                "recorded": e.recorded or recorded,
            }
            for e in events
        ],
    )
