"""Every recorded change to a patent: imports, re-evaluations, ownership transfers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from patentpool.core.numbers import normalize
from patentpool.storage.models import ChangeRow, ImportRow


@dataclass(frozen=True, slots=True)
class Change:
    at: str
    import_id: int
    entity: str
    key: str
    action: str
    detail: str
    source: str


def patent_history(session: Session, raw_number: str) -> tuple[str, list[Change]]:
    """The patent's key and its changes, oldest first (its declarations and its dated events
    included: an event's detail says from when it holds, its time when it was recorded)."""
    key = normalize(raw_number).key
    rows = session.execute(
        select(ChangeRow, ImportRow.at)
        .join(ImportRow, ImportRow.id == ChangeRow.import_id)
        .where(
            or_(
                (ChangeRow.entity.in_(("patent", "event"))) & (ChangeRow.entity_key == key),
                (ChangeRow.entity == "declaration") & ChangeRow.entity_key.startswith(f"{key} "),
            )
        )
        .order_by(ChangeRow.id)
    )
    return key, [
        Change(
            at.isoformat(timespec="seconds"),
            row.import_id,
            row.entity,
            row.entity_key,
            row.action,
            row.detail,
            row.source,
        )
        for row, at in rows
    ]
