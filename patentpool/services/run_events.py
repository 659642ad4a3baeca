"""A distribution run's events: those that held on its period's last day, kept with its
inputs, and what ``runs diff`` says of an event one run knew and the other did not.

An event recorded late (a lapse recorded in September that took effect in February) changes a
re-run of the period; the diff names it with the day it took effect and the day it was
recorded, and what it did: ``EP2123456B1 lapsed in DE from 2026-02-01, recorded 2026-09-10:
beta -1 patent in DE``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from patentpool.core.model import EventKind, Register
from patentpool.core.periods import Period


def event_inputs(register: Register, period: Period) -> list[dict[str, str]]:
    """The events dated on or before the period's last day, as a run's inputs keep them."""
    day = period.last_day
    names = {p.key: p.publication_number for p in register.patents}
    return [
        {
            "patent": e.patent,
            "publication_number": names.get(e.patent, e.patent),
            "kind": e.kind.value,
            "country": e.country or "",
            "event": e.what(),
            "from": e.date.isoformat(),
            "recorded": e.recorded.isoformat() if e.recorded else "",
        }
        for e in sorted(register.events, key=lambda e: e.key)
        if e.date <= day
    ]


def late_events(in_a: Mapping[str, Any], in_b: Mapping[str, Any]) -> list[str]:
    """The events run ``b`` counted and run ``a`` did not, each with what it did to the
    counted patents of ``a`` and ``b`` (their owners and territories)."""
    known = {_identity(e) for e in in_a.get("events", [])}
    pat_a = {p["patent"]: p for p in in_a["patents"]}
    pat_b = {p["patent"]: p for p in in_b["patents"]}
    out = []
    for e in in_b.get("events", []):
        if _identity(e) in known:
            continue
        recorded = f", recorded {e['recorded']}" if e["recorded"] else ""
        effect = _effect(e, pat_a.get(e["patent"]), pat_b.get(e["patent"]))
        out.append(f"{e['publication_number']} {e['event']} from {e['from']}{recorded}: {effect}")
    return out


def _identity(event: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(event[k] for k in ("patent", "kind", "country", "event", "from"))


def _effect(
    event: Mapping[str, str], before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> str:
    """What the event did between the runs, in the member's counted patents."""
    if before == after:
        return "no change to the counted patents"
    kind, country = EventKind(event["kind"]), event["country"]
    where = f" in {country}" if country else ""
    if kind is EventKind.ASSIGNED:
        parts = []
        if before is not None:
            parts.append(f"{before['owner']} -1 patent")
        if after is not None:
            parts.append(f"{after['owner']} +1 patent")
        return ", ".join(parts)
    if before is not None and after is not None:
        if _territories(before) != _territories(after):
            lost = sorted(set(_territories(before)) - set(_territories(after)))
            gained = sorted(set(_territories(after)) - set(_territories(before)))
            return "; ".join(
                [f"{after['owner']} -1 patent in {c}" for c in lost]
                + [f"{after['owner']} +1 patent in {c}" for c in gained]
            )
        return f"{after['owner']} 1 patent changed ({', '.join(_changed(before, after))})"
    if before is not None:
        return f"{before['owner']} -1 patent{where}"
    assert after is not None
    return f"{after['owner']} +1 patent{where}"


def _territories(patent: Mapping[str, Any]) -> Sequence[str]:
    return list(patent["territories"])


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [k for k in sorted(after) if before.get(k) != after[k]]
