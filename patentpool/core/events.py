"""The register through time: a patent's dated events, and the register as it stood on a day.

A patent's life is a series of dated events (docs/expiry.md): it is assigned to another owner,
it lapses or is revoked in a country (or everywhere), a lapse is restored, its declaration is
evaluated, its term is changed. Each event holds from its date on, that day included: an event
on a quarter's last day counts for that quarter. :func:`standing` is the one answer to "who owns
patent P, where is it in force, and what is known of its declarations' essentiality, on day D";
:func:`register_on` gives the whole register as it stood on D, built from it, and is what every
dated answer (counts, lists, royalties, distributions, statements, reports) reads.

A register without events stands on every day exactly as it is held: :func:`register_on`
returns it unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from patentpool.core.model import (
    CountryCode,
    Declaration,
    Essentiality,
    EventKind,
    MemberId,
    Patent,
    PatentEvent,
    PatentKey,
    Register,
    StandardId,
    Status,
    VersionId,
)
from patentpool.core.terms import expiry_of, territories_in_force

#: A declaration's essentiality, its evaluator and the day of the evaluation in effect.
Graded = tuple[Essentiality, str | None, dt.date | None]


@dataclass(frozen=True, slots=True)
class Standing:
    """A patent as it stood on one day.

    ``owner``: the member it belonged to (None: no member: it is out of the pool's counts);
    ``in_force``: the countries where it was in force; ``expiry``: the expiry in effect;
    ``essentiality``: what was known of each declaration's essentiality, by (standard, version),
    with the evaluator and day of the evaluation in effect.
    """

    owner: MemberId | None
    in_force: frozenset[CountryCode]
    expiry: dt.date
    essentiality: Mapping[tuple[StandardId, VersionId], Graded]
    ended: Status | None = None  # LAPSED or REVOKED: in force nowhere because of an event

    def in_force_in(self, country: CountryCode | None = None) -> bool:
        """In force in ``country`` (anywhere when None)."""
        return bool(self.in_force) if country is None else country in self.in_force


def standing(
    patent: Patent,
    declarations: Iterable[Declaration],
    events: Iterable[PatentEvent],
    on: dt.date,
) -> Standing:
    """Who owned ``patent``, where it was in force and what its declarations' essentiality
    was, on ``on``, from its register row, its declarations and its events.

    Only events dated on or before ``on`` count. Before its first ``assigned`` event a patent
    belongs to its row's owner; before any ``evaluated`` event a declaration has its row's
    essentiality; before any ``expiry_changed`` event the patent expires as its row says
    (:func:`~patentpool.core.terms.expiry_of`). A row whose status is ``lapsed`` or ``revoked``
    counts as granted when a dated event of that kind says from when.
    """
    held = sorted((e for e in events if e.date <= on), key=_order)
    owner: MemberId | None = patent.owner
    expiry = expiry_of(patent)
    graded: dict[tuple[StandardId, VersionId], Graded] = {
        (d.standard, d.version): (d.essentiality, d.evaluator, d.evaluated_on) for d in declarations
    }
    for e in held:
        if e.kind is EventKind.ASSIGNED:
            owner = e.owner
        elif e.kind is EventKind.EXPIRY_CHANGED and e.expiry is not None:
            expiry = e.expiry
        elif e.kind is EventKind.EVALUATED and e.essentiality is not None:
            version = (e.standard or "", e.version or "")
            if version in graded:
                graded[version] = (e.essentiality, e.evaluator, e.date)
    base = replace(patent, expiry_date=expiry, status=_dated_status(patent, events))
    could = territories_in_force(base, on)
    where = frozenset(c for c in could if not _ended(held, c)) if could else could
    ended = None
    if could and not where:
        revoked = any(e.kind is EventKind.REVOKED for e in held)
        ended = Status.REVOKED if revoked else Status.LAPSED
    return Standing(owner, where, expiry, graded, ended)


def _order(event: PatentEvent) -> tuple[dt.date, int]:
    """Events in date order; on one day a restoration comes after the lapse it undoes."""
    return (event.date, 1 if event.kind is EventKind.RESTORED else 0)


def _dated_status(patent: Patent, events: Iterable[PatentEvent]) -> Status:
    """The row's status, or granted when the row's lapse or revocation has a dated event."""
    dated = patent.status in (Status.LAPSED, Status.REVOKED) and any(
        e.kind.value == patent.status.value for e in events
    )
    if dated:
        return Status.GRANTED
    return patent.status


def _ended(held: Sequence[PatentEvent], country: CountryCode) -> bool:
    """Does a lapse or revocation in ``country`` (or everywhere) hold after ``held``?"""
    ended = False
    for e in held:
        if e.country is not None and e.country != country:
            continue
        if e.kind is EventKind.REVOKED:
            return True  # a revocation is final
        if e.kind is EventKind.LAPSED:
            ended = True
        elif e.kind is EventKind.RESTORED:
            ended = False
    return ended


def events_by_patent(events: Iterable[PatentEvent]) -> dict[PatentKey, list[PatentEvent]]:
    out: dict[PatentKey, list[PatentEvent]] = defaultdict(list)
    for e in events:
        out[e.patent].append(e)
    return out


def register_on(register: Register, on: dt.date) -> Register:
    """The register as it stood on ``on``: each patent with events has the owner, the expiry
    and the force (as its status and validated states) that :func:`standing` gives it that
    day, and its declarations the essentiality; a patent that belonged to no member is left
    out with its declarations. The register returned holds no events: it is answered as it
    stood, whatever day it is asked of. Without events the register is returned as it is."""
    if not register.events:
        return register
    by_patent = events_by_patent(register.events)
    declared: dict[PatentKey, list[Declaration]] = defaultdict(list)
    for d in register.declarations:
        if d.patent in by_patent:
            declared[d.patent].append(d)
    patents: list[Patent] = []
    gone: set[PatentKey] = set()
    stood: dict[PatentKey, Standing] = {}
    for p in register.patents:
        events = by_patent.get(p.key)
        if not events:
            patents.append(p)
            continue
        s = stood[p.key] = standing(p, declared[p.key], events, on)
        if s.owner is None:
            gone.add(p.key)
            continue
        patents.append(_as_stood(p, s, on))
    declarations = tuple(
        _graded(d, stood[d.patent]) if d.patent in stood else d
        for d in register.declarations
        if d.patent not in gone
    )
    return replace(register, patents=tuple(patents), declarations=declarations, events=())


def _as_stood(patent: Patent, s: Standing, on: dt.date) -> Patent:
    """The patent's row as it stood: its force as :func:`terms.territories_in_force` reads
    it (a patent in force nowhere that day has the status that says so)."""
    status = patent.status
    states = patent.validated_states
    if s.in_force:
        status = Status.GRANTED
        if patent.jurisdiction == "EP":
            states = s.in_force
    elif s.ended is not None:
        status = s.ended
    return replace(
        patent,
        owner=s.owner or patent.owner,
        expiry_date=patent.expiry_date if s.expiry == expiry_of(patent) else s.expiry,
        status=status,
        validated_states=states,
    )


def _graded(d: Declaration, s: Standing) -> Declaration:
    found = s.essentiality.get((d.standard, d.version))
    if found is None or found == (d.essentiality, d.evaluator, d.evaluated_on):
        return d
    essentiality, evaluator, on = found
    return replace(d, essentiality=essentiality, evaluator=evaluator, evaluated_on=on)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A patent that changed hands on ``on``: owned by ``before`` the day before, by ``after``
    from that day (None: no member, outside the pool)."""

    patent: PatentKey
    on: dt.date
    before: MemberId | None
    after: MemberId | None


def transfers(register: Register, start: dt.date, end: dt.date) -> list[Transfer]:
    """The assignments that took effect after ``start``, up to ``end`` included, each with the
    owner before and after (an assignment to the owner it already had is none), by day."""
    patents = register.patent_index()
    out = []
    for key, events in events_by_patent(register.events).items():
        patent = patents.get(key)
        if patent is None:
            continue
        for e in events:
            if e.kind is EventKind.ASSIGNED and start < e.date <= end:
                before = standing(patent, (), events, e.date - dt.timedelta(days=1)).owner
                if before != e.owner:
                    out.append(Transfer(key, e.date, before, e.owner))
    return sorted(out, key=lambda t: (t.on, t.patent))


def recorded_late(register: Register, day: dt.date, after: dt.date) -> list[PatentEvent]:
    """The events that held on ``day`` (dated on or before it) but were recorded after
    ``after`` (the day an answer for ``day`` was given, a distribution run made)."""
    return sorted(
        (e for e in register.events if e.date <= day and e.recorded and e.recorded > after),
        key=lambda e: (e.date, e.patent),
    )
