"""The events CSV (docs/formats.md): a patent's dated events, read and checked.

Told apart from a patents CSV by its ``event`` and ``date`` columns. Each row is read by
:class:`EventRowIn`, then checked against the register with the import's own patents,
members and declarations (:func:`check_events`): every problem ``FILE:LINE: field: message``,
nothing written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError

from patentpool.core.countries import normalize_country
from patentpool.core.model import (
    Declaration,
    Essentiality,
    EventKind,
    Member,
    Patent,
    PatentEvent,
    Register,
    Status,
)
from patentpool.core.names import NameIndex, member_names
from patentpool.core.numbers import InvalidPatentNumber, normalize
from patentpool.core.terms import territories
from patentpool.errors import PatentpoolError
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.readers import CsvTable, check_header
from patentpool.io.register_schema import Strict, enum_text
from patentpool.io.types import IsoDate, OptionalDate, OptionalText, Text

UNKNOWN_COLUMN = "unknown column (see docs/formats.md for the events CSV's columns)"


class EventRowIn(Strict):
    """One row of an events CSV: one dated event of one patent."""

    publication_number: Text
    date: IsoDate
    event: Annotated[EventKind, BeforeValidator(enum_text)]
    country: OptionalText = None
    owner: OptionalText = None
    standard: OptionalText = None
    version: OptionalText = None
    essentiality: Annotated[Essentiality | None, BeforeValidator(enum_text)] = None
    evaluator: OptionalText = None
    expiry: OptionalDate = None
    note: OptionalText = None


EVENT_COLUMNS = tuple(EventRowIn.model_fields)
EVENT_REQUIRED = tuple(n for n, f in EventRowIn.model_fields.items() if f.is_required())


def is_events_header(names: Iterable[str]) -> bool:
    """Does a CSV header make an events file (not a patents CSV)?"""
    return {"event", "date"} <= set(names)


@dataclass
class EventBatch:
    """The rows of the events files of one import, each with where it came from."""

    rows: list[tuple[EventRowIn, Source]] = field(default_factory=list)


def parse_events_csv(table: CsvTable, batch: EventBatch, problems: list[Problem]) -> None:
    """Each row of an events CSV as :class:`EventRowIn` reads it."""
    header_src = Source(table.file, table.header_line)
    if not check_header(
        table.header, EVENT_COLUMNS, EVENT_REQUIRED, header_src, problems, UNKNOWN_COLUMN
    ):
        return
    if not table.records:
        problems.append(Problem.at(header_src, "file", "has a header but no rows"))
    for record in table.records:
        if "__extra__" in record.values:
            problems.append(Problem.at(record.source, "row", "has more cells than the header"))
            continue
        written = {k: v for k, v in record.values.items() if k in EVENT_COLUMNS}
        try:
            batch.rows.append((EventRowIn.model_validate(written), record.source))
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, record.source))


@dataclass
class EventChanges:
    """The events an import adds or changes, and its log entries."""

    events: list[PatentEvent] = field(default_factory=list)
    log: list[tuple[str, str, str, str, Source]] = field(default_factory=list)


@dataclass(frozen=True)
class EventContext:
    """What the events are checked against: the register with the import's rows merged in."""

    patents: Mapping[str, Patent]
    declarations: frozenset[tuple[str, str, str]]
    owners: NameIndex

    @classmethod
    def of(
        cls,
        patents: Mapping[str, Patent],
        declarations: Iterable[Declaration],
        members: Iterable[Member],
    ) -> EventContext:
        return cls(
            patents,
            frozenset(d.key for d in declarations),
            member_names((m.id, m.name, m.aliases) for m in members),
        )


def check_events(
    existing: Register, context: EventContext, batch: EventBatch
) -> tuple[EventChanges, list[Problem]]:
    """The batch's events checked (each row's problems, then two events of one kind on one
    day that disagree), and those new or changed against the register's."""
    problems: list[Problem] = []
    found: dict[tuple[Any, ...], tuple[PatentEvent, Source]] = {}
    for row, source in batch.rows:
        event, row_problems = _event(row, context)
        if row_problems:
            problems.extend(Problem.at(source, f, m) for f, m in row_problems)
            continue
        assert event is not None
        first = found.get(event.key)
        if first is None:
            found[event.key] = (event, source)
        elif not first[0].same_facts(event):
            problems.append(
                Problem.at(
                    source,
                    _FACT_FIELD[event.kind],
                    f"{event.patent} has two {event.kind.value} events on "
                    f"{event.date.isoformat()} that disagree (the other on {first[1]})",
                )
            )
    out = EventChanges()
    held = {e.key: e for e in existing.events}
    for key, (event, source) in found.items():
        before = held.get(key)
        if before is None:
            out.events.append(event)
            out.log.append(("event", event.patent, "added", event.describe(), source))
        elif not before.same_facts(event) or before.note != event.note:
            out.events.append(event)
            out.log.append(
                ("event", event.patent, "updated", f"{before.what()} -> {event.describe()}", source)
            )
    return out, problems


_FACT_FIELD = {
    EventKind.ASSIGNED: "owner",
    EventKind.LAPSED: "note",
    EventKind.REVOKED: "note",
    EventKind.RESTORED: "note",
    EventKind.EVALUATED: "essentiality",
    EventKind.EXPIRY_CHANGED: "expiry",
}


def _event(
    row: EventRowIn, context: EventContext
) -> tuple[PatentEvent | None, list[tuple[str, str]]]:
    """The event a row gives, or its problems (field, message)."""
    try:
        key = normalize(row.publication_number).key
    except InvalidPatentNumber as exc:
        return None, [("publication_number", str(exc))]
    patent = context.patents.get(key)
    if patent is None:
        return None, [("publication_number", f"unknown patent {key}: it is not in the register")]
    found: list[tuple[str, str]] = []
    if row.date < patent.filing_date:
        found.append(
            (
                "date",
                f"{row.date.isoformat()} is before {key}'s filing date "
                f"{patent.filing_date.isoformat()}",
            )
        )
    owner, country = None, None
    if row.event is EventKind.ASSIGNED and row.owner is not None:
        try:
            owner = context.owners.resolve(row.owner)
        except PatentpoolError as exc:
            found.append(("owner", str(exc)))
    if row.country is not None:
        country, problem = _country(patent, row.country)
        if problem is not None:
            found.append(("country", problem))
    found += _kind_problems(row, key, context)
    if found:
        return None, found
    event = PatentEvent(
        patent=key,
        date=row.date,
        kind=row.event,
        country=country if row.event in _COUNTRY_KINDS else None,
        owner=owner,
        standard=row.standard if row.event is EventKind.EVALUATED else None,
        version=row.version if row.event is EventKind.EVALUATED else None,
        essentiality=row.essentiality if row.event is EventKind.EVALUATED else None,
        evaluator=row.evaluator if row.event is EventKind.EVALUATED else None,
        expiry=row.expiry if row.event is EventKind.EXPIRY_CHANGED else None,
        note=row.note,
    )
    return event, []


_COUNTRY_KINDS = frozenset({EventKind.LAPSED, EventKind.REVOKED, EventKind.RESTORED})
_EVALUATED = (Essentiality.ESSENTIAL, Essentiality.NOT_ESSENTIAL)


def _country(patent: Patent, written: str) -> tuple[str | None, str | None]:
    try:
        country = normalize_country(written)
    except ValueError as exc:
        return None, str(exc)
    where = territories(patent)
    if country in where:
        return country, None
    if patent.jurisdiction == "EP":
        states = " ".join(sorted(where)) or "none"
        return None, f"{patent.key} is not validated in {country} (validated: {states})"
    return (
        None,
        f"{patent.key} is a {patent.jurisdiction} patent: it is in force in no other country",
    )


def _kind_problems(row: EventRowIn, key: str, context: EventContext) -> list[tuple[str, str]]:
    """What an event of the row's kind needs and lacks."""
    kind = row.event
    if kind is EventKind.EVALUATED:
        if row.standard is None or row.version is None:
            return [("version", "an evaluated event names the standard and version evaluated")]
        if row.essentiality not in _EVALUATED:
            return [("essentiality", "an evaluated event is essential or not_essential")]
        if (key, row.standard, row.version) not in context.declarations:
            return [("version", f"{key} is not declared against {row.standard} {row.version}")]
    if kind is EventKind.EXPIRY_CHANGED:
        if row.expiry is None:
            return [("expiry", "an expiry_changed event gives the new expiry")]
        filed = context.patents[key].filing_date
        if row.expiry < filed:
            return [("expiry", f"{row.expiry.isoformat()} is before the filing date {filed}")]
    if kind is not EventKind.ASSIGNED and row.owner is not None:
        return [("owner", "only an assigned event names an owner")]
    return []


def undated_endings(patents: Iterable[Patent], events: Iterable[PatentEvent]) -> dict[Status, int]:
    """How many of ``patents`` are lapsed or revoked by their row with no dated event of that
    kind: they count as never in force."""
    dated = {(e.patent, e.kind.value) for e in events}
    out: dict[Status, int] = {}
    for p in patents:
        if p.status in (Status.LAPSED, Status.REVOKED) and (p.key, p.status.value) not in dated:
            out[p.status] = out.get(p.status, 0) + 1
    return out


def merged_events(
    existing: Register,
    batch: EventBatch,
    members: Iterable[Member],
    patents: Mapping[str, Patent],
    declarations: Iterable[Declaration],
) -> tuple[EventChanges, list[str], list[Problem]]:
    """The batch's events checked against the register with the import's ``patents``,
    ``declarations`` and ``members`` merged in; and the warnings of the import's patents
    lapsed or revoked with no dated event."""
    changes, problems = EventChanges(), list[Problem]()
    if batch.rows:
        merged = existing.patent_index()
        merged.update(patents)
        held = {d.key: d for d in existing.declarations}
        held.update({d.key: d for d in declarations})
        context = EventContext.of(merged, held.values(), members)
        changes, problems = check_events(existing, context, batch)
    undated = undated_endings(patents.values(), [*existing.events, *changes.events])
    warnings = [
        f"{n} {'patent' if n == 1 else 'patents'} {status.value} with no date: "
        "they count as never in force; give the date in an events file"
        for status, n in sorted(undated.items())
    ]
    return changes, warnings, problems
