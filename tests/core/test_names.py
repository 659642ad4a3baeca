from __future__ import annotations

import pytest

from patentpool.core.names import licensee_names, member_names, name_key
from patentpool.errors import InvalidInput, NotFound


def test_one_company_spelled_three_ways_is_one_key() -> None:
    spellings = ["Lenovo Group Ltd.", "LENOVO GROUP LIMITED", "  lenovo   group ltd "]
    assert len({name_key(s) for s in spellings}) == 1


def test_different_companies_stay_different() -> None:
    assert name_key("TCL Corporation") != name_key("TCL Communication")


def test_ampersand_reads_as_and_and_fullwidth_folds() -> None:
    assert name_key("Smith & Co") == name_key("smith and company")
    assert name_key("ＴＣＬ") == name_key("TCL")


MEMBERS = member_names(
    [
        ("lenovo", "Lenovo Group Ltd.", ("Lenovo",)),
        ("tcl", "TCL Corporation", ()),
        ("tcl-comm", "TCL Communication", ("TCL Mobile",)),
    ]
)


def test_a_member_is_found_by_its_id_name_or_alias_in_any_spelling() -> None:
    assert [
        MEMBERS.resolve(w) for w in ("lenovo", "LENOVO GROUP LIMITED", "lenovo", "tcl mobile")
    ] == ["lenovo", "lenovo", "lenovo", "tcl-comm"]


def test_an_unknown_name_says_what_it_is_not_and_what_is_close() -> None:
    with pytest.raises(NotFound) as far:
        MEMBERS.resolve("Sony")
    assert str(far.value) == "unknown member 'Sony' (not a member id, name or alias)"
    with pytest.raises(NotFound) as near:
        MEMBERS.resolve("Lenovo Grop Ltd")
    assert str(near.value) == (
        "unknown member 'Lenovo Grop Ltd' (not a member id, name or alias; did you mean lenovo?)"
    )
    with pytest.raises(NotFound) as either:
        MEMBERS.resolve("TCL Corm")
    assert str(either.value).endswith("; did you mean tcl or tcl-comm?)")


def test_a_name_of_two_is_refused_and_licensees_go_by_id_or_name() -> None:
    twice = licensee_names([("acme", "Acme Ltd."), ("acme-us", "ACME LIMITED")])
    with pytest.raises(InvalidInput) as info:
        twice.resolve("Acme Limited")
    assert str(info.value) == "'Acme Limited' could be any of acme, acme-us"
    assert twice.resolve("acme") == "acme"
