"""The benchmark data generator: deterministic, the sizes it promises, and data the importer takes."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from paths import ROOT, benchmark

from patentpool.core.countries import is_country
from patentpool.core.numbers import normalize
from patentpool.core.periods import Period
from patentpool.io.licensing_schema import PAYMENT_COLUMNS, SALES_COLUMNS
from patentpool.io.register_schema import PATENT_COLUMNS
from patentpool.services.imports import import_paths
from patentpool.services.royalties import royalties
from patentpool.storage.engine import session_for
from patentpool.storage.repository import load_register

GENERATOR = ROOT / "benchmarks" / "generate.py"
FILES = ("alliance.yaml", "licensing.yaml", "patents.csv", "payments.csv", "sales-2026Q1.csv")
LINES = 2_000  # sales lines for the S runs of these tests, to keep them fast



gen = benchmark("generate")


def _run_cli(out: Path, hash_seed: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    args = ["--size", "S", "--seed", "3", "--out", str(out), "--sales-lines", str(LINES)]
    return subprocess.run(
        [sys.executable, str(GENERATOR), *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Size S, seed 3, 2,000 sales lines, written by the command line."""
    out = tmp_path_factory.mktemp("bench") / "s"
    _run_cli(out, "1")
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_output_is_byte_identical_across_runs_and_processes(folder: Path, tmp_path: Path) -> None:
    # Another process with another hash seed, and the same process twice.
    _run_cli(tmp_path / "cli", "2")
    gen.generate(gen.SIZES["S"], 3, tmp_path / "a", LINES)
    gen.generate(gen.SIZES["S"], 3, tmp_path / "b", LINES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name in FILES:
        first = (folder / name).read_bytes()
        for other in ("cli", "a", "b"):
            assert (tmp_path / other / name).read_bytes() == first, f"{other}/{name} differs"


def test_another_seed_gives_other_data_and_the_register_ignores_sales_lines(
    folder: Path, tmp_path: Path
) -> None:
    gen.generate(gen.SIZES["S"], 4, tmp_path / "seed4", LINES)
    for name in FILES:
        assert (tmp_path / "seed4" / name).read_bytes() != (folder / name).read_bytes(), name
    gen.generate(gen.SIZES["S"], 3, tmp_path / "more", 3 * LINES)
    for name in ("alliance.yaml", "licensing.yaml", "patents.csv"):
        assert (tmp_path / "more" / name).read_bytes() == (folder / name).read_bytes(), name
    assert len(_rows(tmp_path / "more" / "sales-2026Q1.csv")) == 3 * LINES


def test_the_summary_line_says_what_was_written(tmp_path: Path) -> None:
    done = _run_cli(tmp_path / "out", "0")
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"size S, seed 3: wrote 10 members, 2,000 patents in 800 families over 10 offices "
        r"\([\d,]+ declarations\), 100 licensees in 70 groups, 2,000 sales lines for 2026Q1 "
        rf"over 40 countries and [\d,]+ payments to {re.escape(str(tmp_path / 'out'))} "
        r"in \d+\.\d s",
        lines[0],
    ), lines[0]


def test_the_size_table() -> None:
    table = {
        name: (s.members, s.patents, s.licensees, s.sales_lines) for name, s in gen.SIZES.items()
    }
    assert table == {
        "S": (10, 2_000, 100, 10_000),
        "M": (30, 15_000, 1_000, 200_000),
        "L": (60, 50_000, 3_000, 1_000_000),
    }
    large = gen.SIZES["L"]
    assert (large.families, large.jurisdictions, large.groups, large.countries) == (
        15_000,
        40,
        2_000,
        150,
    )


def test_l_families_licensee_groups_and_countries_have_their_sizes() -> None:
    large = gen.SIZES["L"]
    sizes = gen.family_sizes(large, gen.rng_for(1, "register"))
    assert (len(sizes), sum(sizes), min(sizes)) == (15_000, 50_000, 1)
    countries = gen.countries_of_sale(150)
    assert len(set(countries)) == 150
    assert all(is_country(c) for c in countries)
    licensees = gen.make_licensees(large, countries, gen.rng_for(1, "licensees"))
    assert len({li.id for li in licensees}) == 3_000
    assert len({li.group for li in licensees}) == 2_000
    assert {li.group for li in licensees} <= {li.id for li in licensees}


def test_every_office_gets_numbers_it_accepts() -> None:
    numbers = gen.Numbers(gen.rng_for(1, "numbers"))
    assert len(set(gen.OFFICES)) == 40
    keys = set()
    for office in gen.OFFICES:
        for written in (numbers.granted(office), numbers.pending(office, 2024)):
            parsed = normalize(written)
            assert parsed.jurisdiction == office, written
            assert str(parsed) == written  # already in canonical form
            keys.add(parsed.key)
    assert len(keys) == 80


def test_the_s_folder_holds_what_the_size_table_says(folder: Path) -> None:
    alliance = yaml.safe_load((folder / "alliance.yaml").read_text(encoding="utf-8"))
    assert alliance["alliance"]["name"] == "Synthetic Benchmark Alliance"
    assert "SYNTHETIC" in (folder / "alliance.yaml").read_text(encoding="utf-8").splitlines()[0]
    member_ids = [m["id"] for m in alliance["members"]]
    assert len(set(member_ids)) == 10
    sections = alliance["standards"][0]["versions"][-1]["sections"]
    assert 4 <= len(sections) <= 8

    # Every column the importer knows, in its order, less the optional ETSI licensing flags
    # (the generated register declares none).
    flags = ("frand", "reciprocity")
    assert _header(folder / "patents.csv") == [c for c in PATENT_COLUMNS if c not in flags]
    rows = _rows(folder / "patents.csv")
    keys = [normalize(r["publication_number"]).key for r in rows]
    assert len(set(keys)) == 2_000
    assert len({r["family"] for r in rows}) == 800
    assert len({normalize(r["publication_number"]).jurisdiction for r in rows}) == 10
    assert len(set(zip(keys, (r["version"] for r in rows), strict=True))) == len(rows)
    assert {r["owner"] for r in rows} <= set(member_ids)
    assert all(r["title"].startswith("Synthetic ") for r in rows)
    ep_granted = [r for r in rows if r["publication_number"].startswith("EP") and r["grant_date"]]
    assert ep_granted
    assert all(r["validated_states"] for r in ep_granted)
    statuses = Counter(r["status"] for r in rows)
    assert statuses["granted"] > len(rows) / 2

    licensing = yaml.safe_load((folder / "licensing.yaml").read_text(encoding="utf-8"))
    assert len(licensing["licensees"]) == 100
    assert len({li["group"] for li in licensing["licensees"]}) == 70
    schedule = licensing["programs"][0]["schedules"][0]
    assert set(schedule["categories"]) == {"tv", "phone", "codec", "settop"}
    assert schedule["annual_cap"] == "3500000"
    assert schedule["regions"]

    # The generated licensees report in the programme's currency: no optional currency column.
    optional = ("program", "currency")
    assert _header(folder / "sales-2026Q1.csv") == [c for c in SALES_COLUMNS if c not in optional]
    sales = _rows(folder / "sales-2026Q1.csv")
    assert len(sales) == LINES
    assert {r["period"] for r in sales} == {"2026Q1"}
    assert len({r["country_of_sale"] for r in sales}) == 40
    assert all(int(r["units"]) >= 0 for r in sales)
    assert all(r["net_sales"] for r in sales if r["category"] == "phone")
    optional = ("program", "invoice", "currency")  # a payments file may leave these out
    assert _header(folder / "payments.csv") == [c for c in PAYMENT_COLUMNS if c not in optional]


def test_the_s_folder_imports_and_its_quarter_is_priced(folder: Path, sqlite_url: str) -> None:
    payments = len(_rows(folder / "payments.csv"))
    with session_for(sqlite_url) as session:
        summary = import_paths(session, [folder])
    assert summary.changes[("patent", "added")] == 2_000
    assert summary.changes[("member", "added")] == 10
    assert summary.changes[("licensee", "added")] == 100
    assert summary.changes[("sales report", "added")] == 100
    assert summary.changes[("payment", "added")] == payments
    with session_for(sqlite_url) as session:
        register = load_register(session)
        result = royalties(session, "sbs-pool", Period.parse("2026Q1"))
    assert len(register.patents) == 2_000
    assert len(result.licensees) == 100
    lines = [line for item in result.licensees for line in item.lines]
    assert len(lines) == LINES
    assert any(line.rate is None for line in lines)  # some lines owe nothing...
    assert sum(line.rate is not None for line in lines) > LINES / 2  # ...most owe
    assert result.total_due > 0
