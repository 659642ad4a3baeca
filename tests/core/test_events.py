"""The register through time: :func:`standing` and :func:`register_on` on plain values."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.core.events import register_on, standing
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
from patentpool.core.register import count_declarations

D = dt.date
EP = Patent(
    "EP",
    "2123456",
    "alpha",
    D(2010, 1, 5),
    kind="B1",
    grant_date=D(2013, 6, 1),
    validated_states=frozenset({"DE", "FR", "GB"}),
)
US = Patent("US", "8123456", "alpha", D(2011, 3, 1), kind="B2", grant_date=D(2014, 1, 7))
DECL = Declaration(EP.key, "IGRS", "2.0")
Q1_END = D(2026, 3, 31)


def ev(kind: EventKind, day: dt.date, **kw: object) -> PatentEvent:
    return PatentEvent(EP.key, day, kind, **kw)  # type: ignore[arg-type]


def test_without_events_the_patent_stands_as_its_row() -> None:
    s = standing(EP, [DECL], [], Q1_END)
    assert s.owner == "alpha"
    assert s.in_force == {"DE", "FR", "GB"}
    assert s.expiry == D(2030, 1, 5)
    assert s.essentiality[("IGRS", "2.0")][0] is Essentiality.DECLARED
    assert not s.ended


def test_assigned_from_its_day_on() -> None:
    sale = ev(EventKind.ASSIGNED, Q1_END, owner="beta")
    assert standing(EP, [], [sale], D(2026, 3, 30)).owner == "alpha"
    assert standing(EP, [], [sale], Q1_END).owner == "beta"  # the quarter's last day counts
    assert standing(EP, [], [sale], D(2026, 4, 1)).owner == "beta"


def test_assigned_to_no_member_leaves_the_pool() -> None:
    sold = ev(EventKind.ASSIGNED, D(2026, 2, 1))
    assert standing(EP, [], [sold], D(2026, 2, 1)).owner is None
    assert standing(EP, [], [sold], D(2026, 1, 31)).owner == "alpha"


def test_a_later_assignment_wins() -> None:
    events = [
        ev(EventKind.ASSIGNED, D(2026, 5, 1), owner="gamma"),
        ev(EventKind.ASSIGNED, D(2026, 2, 1), owner="beta"),
    ]
    assert standing(EP, [], events, D(2026, 4, 30)).owner == "beta"
    assert standing(EP, [], events, D(2026, 5, 1)).owner == "gamma"


def test_lapsed_in_one_validated_state() -> None:
    lapse = ev(EventKind.LAPSED, D(2026, 2, 1), country="DE")
    assert standing(EP, [], [lapse], D(2026, 1, 31)).in_force == {"DE", "FR", "GB"}
    after = standing(EP, [], [lapse], D(2026, 2, 1))
    assert after.in_force == {"FR", "GB"}
    assert after.in_force_in("FR")
    assert not after.in_force_in("DE")
    assert after.ended is None


def test_lapsed_everywhere() -> None:
    lapse = ev(EventKind.LAPSED, Q1_END)
    s = standing(EP, [], [lapse], Q1_END)
    assert s.in_force == frozenset()
    assert s.ended
    assert not s.in_force_in()
    assert standing(EP, [], [lapse], D(2026, 3, 30)).in_force_in()


def test_restored_undoes_a_lapse_from_its_day() -> None:
    events = [
        ev(EventKind.LAPSED, D(2026, 2, 1), country="DE"),
        ev(EventKind.RESTORED, D(2026, 6, 30), country="DE"),
    ]
    assert "DE" not in standing(EP, [], events, D(2026, 6, 29)).in_force
    assert "DE" in standing(EP, [], events, D(2026, 6, 30)).in_force


def test_restored_on_the_day_of_the_lapse_undoes_it() -> None:
    events = [
        ev(EventKind.RESTORED, D(2026, 2, 1), country="DE"),
        ev(EventKind.LAPSED, D(2026, 2, 1), country="DE"),
    ]
    assert "DE" in standing(EP, [], events, D(2026, 2, 1)).in_force


def test_a_revocation_is_not_restored() -> None:
    events = [
        ev(EventKind.REVOKED, D(2026, 2, 1), country="GB"),
        ev(EventKind.RESTORED, D(2026, 3, 1), country="GB"),
    ]
    assert standing(EP, [], events, D(2026, 3, 1)).in_force == {"DE", "FR"}
    assert standing(EP, [], [ev(EventKind.REVOKED, D(2026, 2, 1))], Q1_END).in_force == set()


def test_a_national_patent_lapses_in_its_own_jurisdiction() -> None:
    lapse = PatentEvent(US.key, D(2026, 3, 31), EventKind.LAPSED, country="US")
    assert standing(US, [], [lapse], D(2026, 3, 30)).in_force == {"US"}
    assert standing(US, [], [lapse], D(2026, 3, 31)).in_force == set()


def test_evaluated_from_its_day() -> None:
    evaluated = ev(
        EventKind.EVALUATED,
        Q1_END,
        standard="IGRS",
        version="2.0",
        essentiality=Essentiality.ESSENTIAL,
        evaluator="Evalco",
    )
    before = standing(EP, [DECL], [evaluated], D(2026, 3, 30)).essentiality[("IGRS", "2.0")]
    assert before == (Essentiality.DECLARED, None, None)
    after = standing(EP, [DECL], [evaluated], Q1_END).essentiality[("IGRS", "2.0")]
    assert after == (Essentiality.ESSENTIAL, "Evalco", Q1_END)


def test_re_evaluated_not_essential() -> None:
    events = [
        ev(
            EventKind.EVALUATED,
            D(2025, 1, 1),
            standard="IGRS",
            version="2.0",
            essentiality=Essentiality.ESSENTIAL,
        ),
        ev(
            EventKind.EVALUATED,
            D(2026, 1, 1),
            standard="IGRS",
            version="2.0",
            essentiality=Essentiality.NOT_ESSENTIAL,
        ),
    ]
    graded = standing(EP, [DECL], events, Q1_END).essentiality[("IGRS", "2.0")]
    assert graded[0] is Essentiality.NOT_ESSENTIAL


def test_expiry_changed_from_its_day_kept_apart_from_the_row() -> None:
    extended = ev(EventKind.EXPIRY_CHANGED, D(2029, 6, 1), expiry=D(2031, 1, 5))
    assert standing(EP, [], [extended], D(2029, 5, 31)).expiry == D(2030, 1, 5)
    on = standing(EP, [], [extended], D(2030, 6, 1))
    assert on.expiry == D(2031, 1, 5)
    assert on.in_force_in("DE")
    assert EP.expiry_date is None
    shortened = ev(EventKind.EXPIRY_CHANGED, D(2026, 1, 1), expiry=D(2026, 3, 31))
    assert standing(EP, [], [shortened], D(2026, 3, 30)).in_force_in()
    assert not standing(EP, [], [shortened], Q1_END).in_force_in()  # expiry day: out


def test_a_lapsed_row_with_a_dated_lapse_is_in_force_before_it() -> None:
    row = Patent("US", "8123456", "alpha", D(2011, 3, 1), status=Status.LAPSED)
    lapse = PatentEvent(row.key, D(2026, 2, 1), EventKind.LAPSED)
    assert standing(row, [], [lapse], D(2025, 12, 31)).in_force == {"US"}
    assert standing(row, [], [lapse], D(2026, 2, 1)).in_force == set()
    assert standing(row, [], [], D(2025, 12, 31)).in_force == set()  # no date: never


def test_register_on_reflects_each_event() -> None:
    register = Register(
        members=(Member("alpha", "Alpha"), Member("beta", "Beta")),
        patents=(EP, US),
        declarations=(DECL, Declaration(US.key, "IGRS", "2.0")),
        events=(
            ev(EventKind.ASSIGNED, D(2026, 2, 1), owner="beta"),
            ev(EventKind.LAPSED, D(2026, 2, 1), country="DE"),
            PatentEvent(US.key, D(2026, 3, 1), EventKind.ASSIGNED),  # out of the pool
        ),
    )
    then = register_on(register, Q1_END)
    (ep,) = then.patents
    assert ep.owner == "beta"
    assert ep.validated_states == {"FR", "GB"}
    assert [d.patent for d in then.declarations] == [EP.key]
    rows, total = count_declarations(register, "IGRS", "2.0", Q1_END)
    assert {r.group: r.declared for r in rows} == {"alpha": 0, "beta": 1}
    assert total.in_force == 1
    rows, _ = count_declarations(register, "IGRS", "2.0", D(2026, 1, 31))
    assert {r.group: r.declared for r in rows} == {"alpha": 2, "beta": 0}


def test_a_register_without_events_is_itself_on_every_day() -> None:
    register = Register(patents=(EP, US), declarations=(DECL,))
    for day in (D(2000, 1, 1), Q1_END, D(2040, 1, 1)):
        assert register_on(register, day) is register


KINDS = st.sampled_from(list(EventKind))
DAYS = st.dates(min_value=D(2010, 1, 6), max_value=D(2032, 12, 31))


@st.composite
def events(draw: st.DrawFn) -> PatentEvent:
    kind = draw(KINDS)
    return PatentEvent(
        EP.key,
        draw(DAYS),
        kind,
        country=draw(st.sampled_from([None, "DE", "FR", "GB"])),
        owner=draw(st.sampled_from([None, "alpha", "beta"])),
        standard="IGRS",
        version="2.0",
        essentiality=draw(st.sampled_from(list(Essentiality))),
        expiry=draw(DAYS),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(events(), max_size=8), st.lists(events(), min_size=1, max_size=4), DAYS)
def test_an_event_after_the_day_never_changes_its_answer(
    known: list[PatentEvent], later: list[PatentEvent], day: dt.date
) -> None:
    before = [e for e in known if e.date <= day]
    after = [e for e in later if e.date > day]
    assert standing(EP, [DECL], before, day) == standing(EP, [DECL], before + after, day)
    register = Register(patents=(EP,), declarations=(DECL,), events=tuple(before))
    grown = Register(patents=(EP,), declarations=(DECL,), events=tuple(before + after))
    assert register_on(register, day).patents == register_on(grown, day).patents
    assert register_on(register, day).declarations == register_on(grown, day).declarations


def test_a_patent_ended_by_an_event_stands_lapsed_or_revoked() -> None:
    for kind, status in ((EventKind.LAPSED, Status.LAPSED), (EventKind.REVOKED, Status.REVOKED)):
        register = Register(patents=(US,), events=(PatentEvent(US.key, D(2026, 1, 1), kind),))
        assert register_on(register, D(2025, 12, 31)).patents[0].status is Status.GRANTED
        assert register_on(register, D(2026, 1, 1)).patents[0].status is status


def test_the_regime_projection_counts_holders_as_the_register_stood() -> None:
    from patentpool.core.holders import Counting, HolderSource, patent_counts
    from patentpool.core.model import Standard, StandardVersion

    register = Register(
        members=(Member("alpha", "Alpha"), Member("beta", "Beta")),
        standards=(Standard("IGRS", "IGRS", (StandardVersion("2.0"),)),),
        patents=(EP,),
        declarations=(DECL,),
        events=(
            ev(EventKind.ASSIGNED, D(2027, 1, 1), owner="beta"),
            ev(EventKind.EVALUATED, D(2028, 1, 1), standard="IGRS", version="2.0",
               essentiality=Essentiality.ESSENTIAL),
        ),
    )  # fmt: skip
    source = HolderSource("IGRS", "2.0", Counting.ESSENTIAL)
    assert patent_counts(register, source, D(2026, 12, 31)) == {}
    assert patent_counts(register, source, D(2028, 1, 1)) == {"beta": 1}
    declared = HolderSource("IGRS", "2.0")
    assert patent_counts(register, declared, D(2026, 12, 31)) == {"alpha": 1}
    assert patent_counts(register, declared, D(2027, 1, 1)) == {"beta": 1}
