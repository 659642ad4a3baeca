from __future__ import annotations

from patentpool.core.names import name_key


def test_one_company_spelled_three_ways_is_one_key() -> None:
    spellings = ["Lenovo Group Ltd.", "LENOVO GROUP LIMITED", "  lenovo   group ltd "]
    assert len({name_key(s) for s in spellings}) == 1


def test_different_companies_stay_different() -> None:
    assert name_key("TCL Corporation") != name_key("TCL Communication")


def test_ampersand_reads_as_and_and_fullwidth_folds() -> None:
    assert name_key("Smith & Co") == name_key("smith and company")
    assert name_key("ＴＣＬ") == name_key("TCL")
