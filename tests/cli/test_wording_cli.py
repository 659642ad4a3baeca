"""Words in tables and reports, on the IGRS sample: regions by name, policies' rules in plain
words, each count named for what it counts, aliases kept apart."""

from __future__ import annotations

import json

import pytest
from clirun import run
from paths import SAMPLES


@pytest.fixture(scope="module")
def igrs(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('igrs') / 'pool.db'}"
    assert run(url, "db", "upgrade")[0] == 0
    code, _, err = run(url, "import", str(SAMPLES / "igrs-v1"))
    assert code == 0, err
    return url


def test_aliases_are_separated_by_semicolons(igrs: str) -> None:
    code, out, err = run(igrs, "members", "list")
    assert code == 0, err
    lenovo = next(line for line in out.splitlines() if line.startswith("lenovo "))
    assert lenovo.endswith("  74  LENOVO (BEIJING) LTD.; Lenovo")
    assert out.splitlines()[0].split() == ["id", "name", "joined", "declared_patents", "aliases"]
    code, out, _ = run(igrs, "members", "list", "--format", "csv")
    assert "lenovo,Lenovo Group Ltd.,2003-07-01,74,LENOVO (BEIJING) LTD.; Lenovo" in out
    code, out, _ = run(igrs, "members", "list", "--format", "json")
    lenovo_json = next(m for m in json.loads(out) if m["id"] == "lenovo")
    assert lenovo_json["aliases"] == ["LENOVO (BEIJING) LTD.", "Lenovo"]
    assert lenovo_json["declared_patents"] == 74


def test_counts_are_named_for_what_they_count(igrs: str) -> None:
    base = ("topdown", "--program", "igrs-v1", "--aggregate-rate", "5%", "--as-of", "2026-03-31")
    code, out, err = run(igrs, *base)
    assert code == 0, err
    assert out.splitlines()[0].split()[:2] == ["member", "declared_in_force"]
    code, out, _ = run(igrs, *base, "--by", "families")
    assert out.splitlines()[0].split()[:2] == ["member", "declared_families_in_force"]
    code, out, err = run(igrs, "compare", str(SAMPLES / "regimes" / "igrs.yaml"))
    assert code == 0, err
    assert "holder         declared in force  open (GSM-style)" in out
    assert "\nholder  " in out
    assert " patents  " not in out


def test_regions_are_named_with_their_number(igrs: str) -> None:
    code, out, err = run(
        igrs,
        "report",
        "license",
        "--licensee",
        "example-home",
        "--program",
        "igrs-v1",
        "--as-of",
        "2026-03-31",
        "--format",
        "md",
    )
    assert code == 0, err
    assert "- Region 2: sales in Brazil, Indonesia, India pay 50% of the royalty above." in out
    assert "region-2" not in out
    code, out, err = run(
        igrs,
        "report",
        "invoice",
        "--licensee",
        "sample-smarttv",
        "--program",
        "igrs-v1",
        "--period",
        "2026Q1",
        "--format",
        "html",
    )
    assert code == 0, err
    assert "<br>Region 2: × 0.5</td>" in out
    assert "region-2" not in out


def test_the_hybrid_rule_is_written_in_plain_words(igrs: str) -> None:
    code, _, err = run(
        igrs,
        "distribute",
        "--program",
        "igrs-v1",
        "--period",
        "2026Q1",
        "--policy",
        "hybrid",
        "--param",
        "alpha=0.2",
    )
    assert code == 0, err
    code, out, err = run(
        igrs,
        "report",
        "distribution",
        "--program",
        "igrs-v1",
        "--period",
        "2026Q1",
        "--format",
        "md",
    )
    assert code == 0, err
    assert (
        "4. Policy hybrid (alpha=0.2): A part alpha of the money split equally among the members "
        "with a counted patent, the rest in proportion to their counted patents. Patents count"
    ) in out
    assert "`alpha`" not in out
    assert "| Member | Counted in force | Numbers |" in out
