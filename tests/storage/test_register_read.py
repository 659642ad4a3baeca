"""The register read back whole, as the records it was saved from, on SQLite and PostgreSQL;
records made a field at a time equal those made by their constructor."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError

import pytest

from patentpool.core.model import (
    Alliance,
    Declaration,
    Essentiality,
    EventKind,
    Member,
    Patent,
    PatentEvent,
    Register,
    Standard,
    StandardVersion,
    Status,
)
from patentpool.core.records import records
from patentpool.storage.engine import session_for
from patentpool.storage.events_repo import save_events
from patentpool.storage.models import StandardRow
from patentpool.storage.repository import (
    load_register,
    load_standards,
    save_alliance,
    save_declarations,
    save_members,
    save_patents,
    save_standards,
)

D = dt.date
STANDARDS = (
    Standard(
        "SBS",
        "Sample Broadcast",
        (
            StandardVersion("1.0", D(2015, 1, 1), None, ("video", "audio")),
            StandardVersion("2.0", D(2018, 6, 1), "1.0", ()),
        ),
    ),
)
MEMBERS = (
    Member("acme", "Acme", ("ACME Corp",), D(2020, 1, 2)),
    Member("bolt", "Bolt"),
)
PATENTS = (  # not in key order: the register holds them in key order
    Patent("US", "7000002", "bolt", D(2012, 3, 4), "B2", "F1", D(2014, 1, 1), None),
    Patent(
        "EP",
        "1000001",
        "acme",
        D(2010, 5, 6),
        kind="B1",
        status=Status.LAPSED,
        validated_states=frozenset({"DE", "FR"}),
        expiry_date=D(2030, 5, 6),
        title="A method",
    ),
    Patent("CN", "1000003", "acme", D(2011, 7, 8), status=Status.PENDING),
)
DECLARATIONS = (  # not in key order either
    Declaration("US7000002", "SBS", "2.0", frand=True, reciprocity=False),
    Declaration(
        "EP1000001",
        "SBS",
        "2.0",
        "video",
        Essentiality.ESSENTIAL,
        "Evaluator",
        D(2019, 2, 3),
        D(2016, 1, 1),
    ),
    Declaration("EP1000001", "SBS", "1.0", essentiality=Essentiality.NOT_ESSENTIAL),
    Declaration("CN1000003", "SBS", "1.0", declared_on=D(2016, 1, 1), frand=False),
)
EVENTS = (
    PatentEvent("US7000002", D(2025, 3, 1), EventKind.ASSIGNED, owner="acme", note="sold"),
    PatentEvent("EP1000001", D(2025, 2, 1), EventKind.LAPSED, country="DE"),
    PatentEvent(
        "EP1000001",
        D(2025, 1, 1),
        EventKind.EVALUATED,
        standard="SBS",
        version="2.0",
        essentiality=Essentiality.ESSENTIAL,
        evaluator="Evaluator",
    ),
)


def test_the_register_is_read_back_as_saved_in_key_order(db_url: str) -> None:
    with session_for(db_url) as session:
        assert load_register(session) == Register()
        save_alliance(session, Alliance("sbs", "SBS Alliance", illustrative=True))
        save_members(session, MEMBERS)
        save_standards(session, STANDARDS)
        ids = save_patents(session, PATENTS)
        save_declarations(session, DECLARATIONS, ids)
        save_events(session, EVENTS, ids, recorded=D(2025, 4, 1))
    with session_for(db_url) as session:
        register = load_register(session)
    assert register.alliance == Alliance("sbs", "SBS Alliance", illustrative=True)
    assert register.illustrative is True
    assert register.members == MEMBERS
    assert register.standards == STANDARDS
    assert register.patents == tuple(sorted(PATENTS, key=lambda p: p.key))
    assert register.declarations == tuple(sorted(DECLARATIONS, key=lambda d: d.key))
    assert [type(d.frand) for d in register.declarations] == [bool, type(None), type(None), bool]
    assert register.events == tuple(
        sorted((e.__class__(**{**_fields(e), "recorded": D(2025, 4, 1)}) for e in EVENTS),
               key=lambda e: e.key)
    )  # fmt: skip
    # the states of a patent without any are one shared empty set, as the constructor's default
    assert register.patents[0].validated_states == frozenset()


def _fields(event: PatentEvent) -> dict[str, object]:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}


def test_standards_read_see_what_the_session_has_not_written_yet(sqlite_url: str) -> None:
    with session_for(sqlite_url) as session:
        session.add(StandardRow(id="NEW", name="New standard"))
        assert load_standards(session) == (Standard("NEW", "New standard"),)


def test_records_made_by_fields_are_those_of_the_constructor() -> None:
    columns = (
        ["US", "EP"],
        ["1", "2"],
        ["acme", "bolt"],
        [D(2010, 1, 1), D(2011, 1, 1)],
        ["B2", None],
        [None, "F"],
        [None, D(2012, 1, 1)],
        [None, None],
        [Status.GRANTED, Status.EXPIRED],
        [frozenset(), frozenset({"DE"})],
        [None, "Title"],
    )
    made = records(Patent, 2, columns)
    expected = [
        Patent("US", "1", "acme", D(2010, 1, 1), "B2"),
        Patent(
            "EP", "2", "bolt", D(2011, 1, 1), None, "F", D(2012, 1, 1), None,
            Status.EXPIRED, frozenset({"DE"}), "Title",
        ),
    ]  # fmt: skip
    assert made == expected
    assert [hash(p) for p in made] == [hash(p) for p in expected]
    assert [repr(p) for p in made] == [repr(p) for p in expected]
    with pytest.raises(FrozenInstanceError):
        made[0].number = "3"  # type: ignore[misc]
    with pytest.raises(AssertionError, match="every field"):
        records(Patent, 2, columns[:-1])
