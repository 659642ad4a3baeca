"""A patent's dated events: rows of ``patent_events`` <-> :class:`PatentEvent` values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from patentpool.core.model import Essentiality, EventKind, PatentEvent
from patentpool.storage.models import PatentEventRow, PatentRow


def read_events(connection: Connection, keys: Mapping[int, str]) -> tuple[PatentEvent, ...]:
    """Every event, in the order of its patent, date and kind; ``keys``: each patent's key by
    its row id."""
    t = PatentEventRow
    rows = connection.execute(
        select(
            t.patent_id,
            t.date,
            t.kind,
            t.country,
            t.owner_id,
            t.standard_id,
            t.version_id,
            t.essentiality,
            t.evaluator,
            t.expiry,
            t.note,
            t.recorded,
        )
    )
    events = (
        PatentEvent(
            patent=keys[pid],
            date=day,
            kind=EventKind(kind),
            country=country,
            owner=owner,
            standard=standard,
            version=version,
            essentiality=Essentiality(essentiality) if essentiality else None,
            evaluator=evaluator,
            expiry=expiry,
            note=note,
            recorded=recorded,
        )
        for (
            pid,
            day,
            kind,
            country,
            owner,
            standard,
            version,
            essentiality,
            evaluator,
            expiry,
            note,
            recorded,
        ) in rows
    )
    return tuple(sorted(events, key=lambda e: e.key))


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
