"""What the statements of every member share, worked out once: the same figures as worked out
afresh for each member.

Counts of all standard versions in one pass, the register arranged by member once per register,
each distinct chart drawn once, each day written once per locale, and the garbage collector
paused while a report is made.
"""

from __future__ import annotations

import dataclasses
import gc
import re

import pytest
import report_data as data

from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.register import CountBy, count_declarations, count_versions
from patentpool.core.terms import in_force
from patentpool.gcpause import collector_paused
from patentpool.reports.charts import Chart, Series, svg
from patentpool.reports.jsonable import to_json
from patentpool.reports.member import member_context, shared_statements
from patentpool.reports.render import render

D = data.D


def _count_by_hand(
    register: Register, version: tuple[str, str], by: CountBy
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """count_declarations worked out the plain way: every group's items, then each count."""
    patents = register.patent_index()
    groups: dict[str, list[tuple[Patent, Declaration]]] = {}
    for d in register.declarations:
        if (d.standard, d.version) == version:
            p = patents[d.patent]
            group = {
                CountBy.MEMBER: p.owner,
                CountBy.JURISDICTION: p.jurisdiction,
                CountBy.STATUS: p.status.value,
                CountBy.ESSENTIALITY: d.essentiality.value,
            }[by]
            groups.setdefault(group, []).append((p, d))
    if by is CountBy.MEMBER:
        for m in register.members:
            groups.setdefault(m.id, [])

    def counts(items: list[tuple[Patent, Declaration]]) -> tuple[int, ...]:
        live = [(p, d) for p, d in items if in_force(p, data.AS_OF)]
        return (
            len(items),
            sum(d.essentiality is Essentiality.ESSENTIAL for _, d in items),
            sum(d.essentiality is Essentiality.NOT_ESSENTIAL for _, d in items),
            sum(d.essentiality is Essentiality.DECLARED for _, d in items),
            len(live),
            sum(d.essentiality is Essentiality.ESSENTIAL for _, d in live),
            len({p.family_key for p, _ in items}),
        )

    everything = [item for items in groups.values() for item in items]
    return {g: counts(items) for g, items in groups.items()}, counts(everything)


def _figures(row: object) -> tuple[int, ...]:
    fields = ("declared", "essential", "not_essential", "awaiting", "in_force")
    more = ("essential_in_force", "families")
    return tuple(getattr(row, f) for f in (*fields, *more))


@pytest.mark.parametrize("by", list(CountBy))
@pytest.mark.parametrize("register", [data.REGISTER, data.PREVIOUS_REGISTER])
def test_all_versions_counted_at_once_as_one_by_one(by: CountBy, register: Register) -> None:
    versions = [("IGX", "1.0"), ("IGX", "2.0"), ("IGX", "9.9")]  # 9.9: nothing declared
    counted = count_versions(register, versions, data.AS_OF, [by, CountBy.MEMBER])
    for version in versions:
        rows, total = counted[by][version]
        assert (rows, total) == count_declarations(register, *version, data.AS_OF, by)
        groups, whole = _count_by_hand(register, version, by)
        assert [r.group for r in rows] == sorted(groups)
        assert {r.group: _figures(r) for r in rows} == groups
        assert (total.group, _figures(total)) == ("total", whole)


def test_statements_are_the_same_however_often_the_register_is_shared() -> None:
    runs = list(data.distributions())
    for previous in (data.PREVIOUS_REGISTER, None):
        with shared_statements():
            shared = [
                to_json(member_context(data.REGISTER, m.id, runs, previous, data.AS_OF))
                for m in data.MEMBERS
            ]
        afresh = [
            to_json(member_context(data.REGISTER, m.id, runs, previous, data.AS_OF))
            for m in data.MEMBERS
        ]
        assert shared == afresh


def test_what_statements_share_is_kept_only_inside_a_shared_block(
    counted_registers: list[Register],
) -> None:
    """Counts of the register are worked out once for all the statements of a block, afresh
    for each statement made outside one: nothing outlives the block that made it."""
    counted = counted_registers
    runs = list(data.distributions())
    with shared_statements():
        for m in data.MEMBERS:
            member_context(data.REGISTER, m.id, runs, None, data.AS_OF)
    assert counted == [data.REGISTER]
    counted.clear()
    for m in data.MEMBERS[:2]:
        member_context(data.REGISTER, m.id, runs, None, data.AS_OF)
    assert counted == [data.REGISTER, data.REGISTER]


def test_a_changed_register_is_not_mistaken_for_the_one_before() -> None:
    runs = list(data.distributions())
    before = member_context(data.REGISTER, "acme", runs, None, data.AS_OF)
    moved = Register(
        data.REGISTER.alliance,
        data.REGISTER.members,
        data.REGISTER.standards,
        tuple(
            dataclasses.replace(p, owner="boreal") if p.owner == "acme" else p
            for p in data.REGISTER.patents
        ),
        data.REGISTER.declarations,
    )
    after = member_context(moved, "acme", runs, None, data.AS_OF)
    assert [p.patent.key for p in before.patents]
    assert after.patents == ()
    assert all(c.member.declared == 0 for c in after.counts)
    assert member_context(data.REGISTER, "acme", runs, None, data.AS_OF) == before


def _bar(title: str, value: float) -> Chart:
    return Chart("bar", title, ("q1",), (Series("share (%)", (value,)),), y_label="share (%)")


def test_a_chart_drawn_once_serves_every_title() -> None:
    first, second = svg(_bar("Share of A", 12.5)), svg(_bar("Share of <B>", 12.5))
    assert 'aria-label="Share of A"' in first
    assert 'aria-label="Share of &lt;B&gt;"' in second
    label = re.compile(r'aria-label="[^"]*"')
    assert label.sub("", first) == label.sub("", second)
    assert svg(_bar("Share of A", 12.5), prefix="other") != first  # ids follow the prefix
    assert label.sub("", svg(_bar("Share of A", 40.0))) != label.sub("", first)


def test_dates_are_written_in_the_locale_of_each_render() -> None:
    runs = list(data.distributions())
    report = member_context(data.REGISTER, "acme", runs, data.PREVIOUS_REGISTER, data.AS_OF)
    english = render("member", report, "html")
    german = render("member", report, "html", locale="de")
    again = render("member", report, "html")
    assert "Mar 31, 2026" in english
    assert "31.03.2026" in german
    assert "Mar 31, 2026" not in german
    assert isinstance(english, str)
    assert isinstance(again, str)
    footer = re.compile(r"<footer.*?</footer>", re.DOTALL)
    assert footer.sub("", again) == footer.sub("", english)


def test_the_collector_is_paused_meanwhile_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause leaves the outer one alone
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
