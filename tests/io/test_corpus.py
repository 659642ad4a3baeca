"""The corpus of bad files: every importer refuses each one with exactly the problems listed.

Each file under ``tests/corpus/`` (see its README.md) is imported alone into a database that
already holds the good files of ``register_files`` and ``licensing_files``; ``EXPECTED`` holds
the exact lines patentpool prints for it, so this table shows every message an importer gives
for bad input. After each refused import every table of the database is as it was.

The files are imported from the folder they are copied to, under their own name, so the lines
name them as ``alliance-empty.yaml:1: ...`` whatever the temporary folder.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import ALLIANCE, HEADER, ROWS, write

from patentpool.cli import cli
from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

#: Cases imported into an empty database instead of one holding the good files.
ON_EMPTY_DATABASE = frozenset({"sales-no-programme.csv"})

#: Cases that show a bug outside the importers' shared readers and schemas: the expected lines
#: are what patentpool should print once the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}

EXPECTED: dict[str, list[str]] = {
    "alliance-alias-of-another-member.yaml": [
        "alliance-alias-of-another-member.yaml:2: members.aliases: 'TCL Corp.' names both 'tcl' and 'konka'; a name or alias must name one member",
    ],
    "alliance-bad-int-tag.yaml": [
        "alliance-bad-int-tag.yaml:2: file: is not valid YAML/JSON: 'Konka' is not a valid whole number",
    ],
    "alliance-bad-member-id.yaml": [
        "alliance-bad-member-id.yaml:2: members.0.id: 'Konka Group' is not a valid id (lower-case letters, digits, '.', '-' and '_', starting with a letter or digit)",
    ],
    "alliance-blank-name.yaml": [
        "alliance-blank-name.yaml:2: members.0.name: must not be empty",
    ],
    "alliance-comments-only.yaml": [
        "alliance-comments-only.yaml:1: file: is empty",
    ],
    "alliance-date-with-time.yaml": [
        "alliance-date-with-time.yaml:2: members.0.joined: not a date in YYYY-MM-DD form: '2020-01-01 09:30:00' (leave out the time)",
    ],
    "alliance-deep-nesting.yaml": [
        "alliance-deep-nesting.yaml:1: file: nests too deeply",
    ],
    "alliance-duplicate-key.yaml": [
        "alliance-duplicate-key.yaml:3: file: is not valid YAML/JSON: duplicate key 'members'",
    ],
    "alliance-empty.yaml": [
        "alliance-empty.yaml:1: file: is empty",
    ],
    "alliance-impossible-date.yaml": [
        "alliance-impossible-date.yaml:2: file: is not valid YAML/JSON: '2020-02-30' is not a valid date (day is out of range for month)",
    ],
    "alliance-lone-surrogate.json": [
        "alliance-lone-surrogate.json:1: file: is not valid YAML/JSON: 'Konka \\ud83d Group' is not valid text: it holds half of a surrogate pair",
    ],
    "alliance-member-id-twice.yaml": [
        "alliance-member-id-twice.yaml:3: members.id: member id 'konka' is already used for 'Konka Group' (alliance-member-id-twice.yaml:2); one id cannot name two members",
    ],
    "alliance-missing-name.yaml": [
        "alliance-missing-name.yaml:2: members.0.name: is required",
    ],
    "alliance-not-a-mapping.json": [
        "alliance-not-a-mapping.json:1: file: must be a mapping of sections (alliance, members, standards, licensees, programs), not a text",
    ],
    "alliance-not-a-mapping.yaml": [
        "alliance-not-a-mapping.yaml:1: file: must be a mapping of sections (alliance, members, standards, licensees, programs), not a list",
    ],
    "alliance-nul-character.yaml": [
        "alliance-nul-character.yaml:2: file: is not valid YAML/JSON: character #x0000 is not allowed",
    ],
    "alliance-nul-escape.yaml": [
        "alliance-nul-escape.yaml:2: file: is not valid YAML/JSON: 'Konka\\x00 Group' is not valid text: it holds a NUL character",
    ],
    "alliance-python-object-tag.yaml": [
        "alliance-python-object-tag.yaml:1: file: is not valid YAML/JSON: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    ],
    "alliance-scenario.yaml": [
        "alliance-scenario.yaml:1: file: is a regime scenario; run it with `patentpool compare FILE`",
    ],
    "alliance-supersedes-unknown.yaml": [
        "alliance-supersedes-unknown.yaml:2: versions.supersedes: version '2.0' of IGRS supersedes '1.5', which is not a version of IGRS",
    ],
    "alliance-tabs.yaml": [
        "alliance-tabs.yaml:2: file: is not valid YAML/JSON: found character '\\t' that cannot start any token",
    ],
    "alliance-unclosed-brace.json": [
        "alliance-unclosed-brace.json:2: file: is not valid YAML/JSON: expected ',' or '}', but got '<stream end>'",
    ],
    "alliance-unknown-key.yaml": [
        "alliance-unknown-key.yaml:2: members.0.joind: unknown key (check its spelling; see docs/formats.md)",
    ],
    "alliance-unknown-section.yaml": [
        "alliance-unknown-section.yaml:1: memebers: unknown section (expected one of: alliance, licensees, members, programs, standards)",
    ],
    "alliance-unquoted-version.yaml": [
        'alliance-unquoted-version.yaml:5: standards.0.versions.0.id: must be text; write it in quotes ("2.0") so it is not read as a number',
    ],
    "alliance-version-twice.yaml": [
        "alliance-version-twice.yaml:6: standards.0.versions.1.id: version '1.0' of DLNA is listed twice",
    ],
    "licensing-bad-counts.yaml": [
        "licensing-bad-counts.yaml:6: programs.0.counts: must be essential or declared, not 'everything'",
    ],
    "licensing-bad-licensee-id.yaml": [
        "licensing-bad-licensee-id.yaml:2: licensees.0.id: 'Gamma Inc' is not a valid id (lower-case letters, digits, '.', '-' and '_', starting with a letter or digit)",
    ],
    "licensing-decimal-comma-fee.yaml": [
        "licensing-decimal-comma-fee.yaml:6: programs.0.admin_fee: not a number: '7,5' (write decimals with a point, as in 1.5; a comma may only group thousands, as in 1,000)",
    ],
    "licensing-discount-over-100.yaml": [
        "licensing-discount-over-100.yaml:10: programs.0.schedules.0.discounts.good_standing: 110.0% is over 100%",
    ],
    "licensing-floor-above-cap.yaml": [
        "licensing-floor-above-cap.yaml:9: programs.0.schedules.0.categories.phone.base_floor: 200 is above base_cap 50",
    ],
    "licensing-huge-rate.yaml": [
        "licensing-huge-rate.yaml:9: programs.0.schedules.0.categories.tv.per_unit: 1e20 is too large (at most 15 digits before the decimal point)",
    ],
    "licensing-last-tier-bounded.yaml": [
        "licensing-last-tier-bounded.yaml:9: programs.0.schedules.0.categories.tv.tiers: the last tier must have no up_to (it is bounded at 1000); say what units above it cost",
    ],
    "licensing-licensee-twice.yaml": [
        "licensing-licensee-twice.yaml:3: licensees.id: licensee 'gamma' is listed twice (first on licensing-licensee-twice.yaml:2)",
    ],
    "licensing-missing-schedules.yaml": [
        "licensing-missing-schedules.yaml:2: programs.0.schedules: is required",
    ],
    "licensing-negative-fee.yaml": [
        "licensing-negative-fee.yaml:6: programs.0.admin_fee: must not be negative (-10%)",
    ],
    "licensing-negative-rate.yaml": [
        "licensing-negative-rate.yaml:9: programs.0.schedules.0.categories.tv.per_unit: must not be negative (-0.50)",
    ],
    "licensing-no-rate.yaml": [
        "licensing-no-rate.yaml:9: programs.0.schedules.0.categories.tv: give exactly one of per_unit, percent or tiers",
    ],
    "licensing-percent-over-100.yaml": [
        "licensing-percent-over-100.yaml:9: programs.0.schedules.0.categories.phone.percent: 150 is over 100",
    ],
    "licensing-percent-sign-only.yaml": [
        "licensing-percent-sign-only.yaml:6: programs.0.admin_fee: not a percentage: '%'",
    ],
    "licensing-programme-twice.yaml": [
        "licensing-programme-twice.yaml:10: programs.1.id: programme 'demo-v2' is listed twice (first on licensing-programme-twice.yaml:2)",
    ],
    "licensing-same-effective-from.yaml": [
        "licensing-same-effective-from.yaml:6: programs.0.schedules: two schedules of demo-v2 take effect on 2026-01-01",
    ],
    "licensing-tiers-not-ascending.yaml": [
        "licensing-tiers-not-ascending.yaml:9: programs.0.schedules.0.categories.tv.tiers: up_to must ascend strictly, got [500, 100]",
    ],
    "licensing-too-many-decimals.yaml": [
        "licensing-too-many-decimals.yaml:9: programs.0.schedules.0.categories.tv.per_unit: 0.0000000000001 has more than 12 decimal places",
    ],
    "licensing-too-many-decimals-discount.yaml": [
        "licensing-too-many-decimals-discount.yaml:10: programs.0.schedules.0.discounts.member: 0.00000000001% is the fraction 0.0000000000001, which has more than 12 decimal places",
    ],
    "licensing-too-many-decimals-fee.yaml": [
        "licensing-too-many-decimals-fee.yaml:6: programs.0.admin_fee: 10.00000000001% is the fraction 0.1000000000001, which has more than 12 decimal places",
    ],
    "licensing-two-rates.yaml": [
        "licensing-two-rates.yaml:9: programs.0.schedules.0.categories.tv: give exactly one of per_unit, percent or tiers (got per_unit, percent)",
    ],
    "licensing-unknown-country.yaml": [
        "licensing-unknown-country.yaml:2: licensees.0.country: unknown country code 'XZ'",
    ],
    "licensing-unknown-key.yaml": [
        "licensing-unknown-key.yaml:6: programs.0.royalty_free: unknown key (check its spelling; see docs/formats.md)",
    ],
    "licensing-unknown-standard.yaml": [
        "licensing-unknown-standard.yaml:2: programs.0.standard: unknown standard 'WIFI'",
    ],
    "licensing-unknown-version.yaml": [
        "licensing-unknown-version.yaml:2: programs.0.versions: IGRS has no version '2.0'",
    ],
    "patents-bad-essentiality.csv": [
        "patents-bad-essentiality.csv:2: essentiality: Input should be 'declared', 'essential' or 'not_essential'",
    ],
    "patents-bad-number.csv": [
        "patents-bad-number.csv:2: publication_number: invalid patent number 'XX12': unknown office code 'XX' (not an ISO 3166 country code nor EP, WO, EA, AP, OA, GC)",
    ],
    "patents-bad-status.csv": [
        "patents-bad-status.csv:2: status: Input should be 'pending', 'granted', 'lapsed', 'expired' or 'revoked'",
    ],
    "patents-blank-owner.csv": [
        "patents-blank-owner.csv:2: owner: must not be empty",
    ],
    "patents-duplicate-column.csv": [
        "patents-duplicate-column.csv:1: owner: column appears twice in the header",
    ],
    "patents-duplicate-declaration.csv": [
        "patents-duplicate-declaration.csv:3: version: duplicate declaration of CN101000009 for IGRS 1.0 (first on patents-duplicate-declaration.csv:2)",
    ],
    "patents-empty.csv": [
        "patents-empty.csv:1: file: is empty (a header line is required)",
    ],
    "patents-expiry-before-grant.csv": [
        "patents-expiry-before-grant.csv:2: expiry_date: is before the grant date",
    ],
    "patents-extra-cells.csv": [
        "patents-extra-cells.csv:2: row: has more cells than the header",
    ],
    "patents-formula-injection-owner.csv": [
        "patents-formula-injection-owner.csv:2: owner: unknown member \"=cmd|' /C calc'!A0\" (not a member id, name or alias)",
    ],
    "patents-grant-before-filing.csv": [
        "patents-grant-before-filing.csv:2: grant_date: 2007-06-01 is before the filing date 2008-05-01",
    ],
    "patents-header-only.csv": [
        "patents-header-only.csv:1: file: has a header but no rows",
    ],
    "patents-impossible-date.csv": [
        "patents-impossible-date.csv:2: filing_date: not a date in YYYY-MM-DD form: '2008-02-30'",
    ],
    "patents-latin1.csv": [
        "patents-latin1.csv:2: file: is not UTF-8 text (byte 0xe9 at line 2); save it as UTF-8 or name its encoding with --encoding cp1252 (or latin-1) and import it again",
    ],
    "patents-missing-columns.csv": [
        "patents-missing-columns.csv:1: filing_date: required column is missing",
        "patents-missing-columns.csv:1: version: required column is missing",
    ],
    "patents-rows-disagree.csv": [
        "patents-rows-disagree.csv:3: filing_date: CN101000009 has 2008-05-02 here but 2008-05-01 on patents-rows-disagree.csv:2; a patent's own fields must agree across its rows",
    ],
    "patents-slashed-date.csv": [
        "patents-slashed-date.csv:2: filing_date: not a date in YYYY-MM-DD form: '2008/05/01'",
    ],
    "patents-states-not-ep.csv": [
        "patents-states-not-ep.csv:2: validated_states: only European (EP) patents have validated states, not CN",
    ],
    "patents-unknown-column.csv": [
        "patents-unknown-column.csv:1: priority_date: unknown column (see docs/formats.md for the columns)",
    ],
    "patents-unknown-country.csv": [
        "patents-unknown-country.csv:2: validated_states: unknown country code 'XZ'",
    ],
    "patents-unknown-owner.csv": [
        "patents-unknown-owner.csv:2: owner: unknown member 'Sony Group' (not a member id, name or alias)",
    ],
    "patents-unknown-section.csv": [
        "patents-unknown-section.csv:2: section: IGRS 1.0 has no section 'security' (known: discovery, media)",
    ],
    "patents-unknown-standard.csv": [
        "patents-unknown-standard.csv:2: standard: unknown standard 'WIFI'",
    ],
    "patents-unknown-version.csv": [
        "patents-unknown-version.csv:2: version: IGRS has no version '9.9' (known: 1.0, 1.1)",
    ],
    "patents-unterminated-quote.csv": [
        "patents-unterminated-quote.csv:2: file: is not valid CSV: a quoted cell opened on line 2 is never closed",
    ],
    "patents-utf16-without-bom.csv": [
        "patents-utf16-without-bom.csv:1: file: is not valid CSV: it holds a NUL character (byte 0x00); save it as UTF-8 text and import it again",
    ],
    "payments-bad-amount.csv": [
        "payments-bad-amount.csv:2: amount: not a number: '675.OO'",
    ],
    "payments-crlf-bad-period.csv": [
        "payments-crlf-bad-period.csv:3: period: not a period in YYYYQn form (e.g. 2026Q1): '2025-Q4'",
    ],
    "payments-decimal-comma.csv": [
        "payments-decimal-comma.csv:2: amount: not a number: '675,00' (write decimals with a point, as in 1.5; a comma may only group thousands, as in 1,000)",
    ],
    "payments-header-only.csv": [
        "payments-header-only.csv:1: file: has a header but no rows",
    ],
    "payments-huge-amount.csv": [
        "payments-huge-amount.csv:2: amount: 1e999999 is too large (at most 15 digits before the decimal point)",
    ],
    "payments-impossible-date.csv": [
        "payments-impossible-date.csv:2: received: not a date in YYYY-MM-DD form: '2026-02-30'",
    ],
    "payments-missing-received.csv": [
        "payments-missing-received.csv:1: received: required column is missing",
    ],
    "payments-negative-amount.csv": [
        "payments-negative-amount.csv:2: amount: must not be negative (-675.00)",
    ],
    "payments-too-many-decimals.csv": [
        "payments-too-many-decimals.csv:2: amount: 675.0000000000001 has more than 12 decimal places",
    ],
    "payments-unknown-licensee.csv": [
        "payments-unknown-licensee.csv:2: licensee: unknown licensee 'zeta'",
    ],
    "payments-unknown-period.csv": [
        "payments-unknown-period.csv:2: period: no sales report from acme for 2026Q1 in demo-v1; a payment must be for a reported period",
    ],
    "payments-unknown-programme.csv": [
        "payments-unknown-programme.csv:2: program: unknown programme 'demo-v9'",
    ],
    "sales-quarter-five.csv": [
        "sales-quarter-five.csv:2: period: '2026Q5' has no quarter 5: the quarter must be 1-4",
    ],
    "payments-quarter-five.csv": [
        "payments-quarter-five.csv:2: period: '2026Q5' has no quarter 5: the quarter must be 1-4",
    ],
    "sales-bad-period.csv": [
        "sales-bad-period.csv:2: period: not a period in YYYYQn form (e.g. 2026Q1): '2026-Q1'",
    ],
    "sales-blank-units.csv": [
        "sales-blank-units.csv:2: units: is required",
    ],
    "sales-decimal-comma.csv": [
        "sales-decimal-comma.csv:2: net_sales: not a number: '1000,50' (write decimals with a point, as in 1.5; a comma may only group thousands, as in 1,000)",
    ],
    "sales-duplicate-column.csv": [
        "sales-duplicate-column.csv:1: units: column appears twice in the header",
    ],
    "sales-empty.csv": [
        "sales-empty.csv:1: file: is empty (a header line is required)",
    ],
    "sales-fractional-units.csv": [
        "sales-fractional-units.csv:2: units: units must be a whole number, not 2.5",
    ],
    "sales-header-only.csv": [
        "sales-header-only.csv:1: file: has a header but no rows",
    ],
    "sales-huge-net-sales.csv": [
        "sales-huge-net-sales.csv:2: net_sales: 1e500 is too large (at most 15 digits before the decimal point)",
    ],
    "sales-huge-units.csv": [
        "sales-huge-units.csv:2: units: units must be at most 1,000,000,000,000,000 (1e30 is more)",
    ],
    "sales-latin1.csv": [
        "sales-latin1.csv:2: file: is not UTF-8 text (byte 0xe9 at line 2); save it as UTF-8 or name its encoding with --encoding cp1252 (or latin-1) and import it again",
    ],
    "sales-missing-column.csv": [
        "sales-missing-column.csv:1: country_of_manufacture: required column is missing",
        "sales-missing-column.csv:1: country_of_sale: required column is missing",
    ],
    "sales-negative-net-sales.csv": [
        "sales-negative-net-sales.csv:2: net_sales: must not be negative (-1000.00)",
    ],
    "sales-negative-units.csv": [
        "sales-negative-units.csv:2: units: units must not be negative (-5)",
    ],
    "sales-no-programme.csv": [
        "sales-no-programme.csv:2: licensee: unknown licensee 'acme'",
        "sales-no-programme.csv:2: program: no licensing programme exists yet; import one (licensing YAML) first or with this file",
    ],
    "sales-percent-without-net-sales.csv": [
        "sales-percent-without-net-sales.csv:2: net_sales: is required: phone is charged a percent of the net selling price",
    ],
    "sales-period-before-schedule.csv": [
        "sales-period-before-schedule.csv:2: period: no schedule of demo-v1 is in force on 2024-12-31 (the first takes effect on 2025-01-01)",
    ],
    "sales-superscript-units.csv": [
        "sales-superscript-units.csv:2: units: not a whole number of units: '²'",
    ],
    "sales-unknown-category.csv": [
        "sales-unknown-category.csv:2: category: unknown category 'fridge' in demo-v1 (known: phone, tv)",
    ],
    "sales-unknown-column.csv": [
        "sales-unknown-column.csv:1: colour: unknown column (see docs/royalties.md)",
    ],
    "sales-unknown-currency.csv": [
        "sales-unknown-currency.csv:2: currency: unknown currency 'ZZZ' (ISO 4217; known: AUD, "
        "BHD, BRL, CAD, CHF, CNY, EUR, GBP, HKD, INR, JPY, KRW, KWD, SEK, SGD, TWD, USD)",
    ],
    "sales-currency-without-rate.csv": [
        "sales-currency-without-rate.csv:2: currency: no CNY rate for 2026Q1 (quarter_end: on "
        "or before 2026-03-31, within the quarter)",
    ],
    "sales-unknown-country.csv": [
        "sales-unknown-country.csv:2: country_of_sale: unknown country code 'XZ'",
    ],
    "sales-unknown-licensee.csv": [
        "sales-unknown-licensee.csv:2: licensee: unknown licensee 'zeta'",
    ],
    "sales-unknown-programme.csv": [
        "sales-unknown-programme.csv:2: program: unknown programme 'demo-v9'",
    ],
    "sales-unterminated-quote.csv": [
        "sales-unterminated-quote.csv:2: file: is not valid CSV: a quoted cell opened on line 2 is never closed",
    ],
}


# --- The databases ----------------------------------------------------------------------


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the SQLite database at ``url``, in a stable order."""
    path = url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in sorted(tables)}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """Two SQLite files: one holding the good register and licensing files, one empty."""
    folder = tmp_path_factory.mktemp("corpus-base")
    write(folder, "alliance.yaml", ALLIANCE)
    write(folder, "patents.csv", HEADER + ROWS)
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    paths = {True: folder / "empty.db", False: folder / "base.db"}
    for path in paths.values():
        upgrade(f"sqlite:///{path}")
    with session_for(f"sqlite:///{paths[False]}") as session:
        import_paths(session, [folder])
    dispose_all()
    return paths


@pytest.fixture
def place(
    templates: dict[bool, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], str]]:
    """``place(case)``: a fresh database for the case, the case's file copied into the
    current folder; returns the database URL."""

    def prepare(case: str) -> str:
        db = tmp_path / "pool.db"
        shutil.copyfile(templates[case in ON_EMPTY_DATABASE], db)
        folder = tmp_path / "files"
        folder.mkdir()
        shutil.copyfile(CORPUS / case, folder / case)
        monkeypatch.chdir(folder)
        return f"sqlite:///{db}"

    yield prepare
    dispose_all()


def refused(url: str, *names: str) -> list[str]:
    before = dump(url)
    with pytest.raises(ImportFailed) as info, session_for(url, check_schema=False) as session:
        import_paths(session, list(names))
    assert dump(url) == before, "a refused import must write nothing"
    return [str(p) for p in info.value.problems]


# --- The corpus -------------------------------------------------------------------------


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.name != "README.md" and p.name[0] != ".")


def test_every_file_has_its_expected_lines_and_a_line_in_the_readme() -> None:
    files = corpus_files()
    assert files == sorted(EXPECTED)
    assert len(files) >= 35
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert [f for f in files if f"| `{f}` |" not in readme] == []
    for prefix in ("alliance-", "patents-", "licensing-", "sales-", "payments-"):
        assert sum(f.startswith(prefix) for f in files) >= 5, prefix
    assert set(KNOWN_BUGS) <= set(EXPECTED)


CASES = [
    pytest.param(
        case,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case])]
        if case in KNOWN_BUGS
        else [],
        id=case,
    )
    for case in sorted(EXPECTED)
]


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_refused_with_exactly_its_problems(
    place: Callable[[str], str], case: str
) -> None:
    url = place(case)
    assert refused(url, case) == EXPECTED[case]


# --- Through the command line -----------------------------------------------------------

CLI_CASES = [
    "patents-latin1.csv",
    "alliance-python-object-tag.yaml",
    "licensing-tiers-not-ascending.yaml",
    "payments-unknown-period.csv",
    "patents-missing-columns.csv",
    "alliance-deep-nesting.yaml",
    "sales-latin1.csv",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_the_command_prints_the_problems_then_one_error(
    place: Callable[[str], str], case: str
) -> None:
    url = place(case)
    before = dump(url)
    result = CliRunner().invoke(cli, ["--db", url, "import", case])
    count = len(EXPECTED[case])
    summary = f"{count} problem{'s' if count > 1 else ''} in 1 file; nothing was imported"
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "".join(f"{line}\n" for line in EXPECTED[case]) + f"Error: {summary}\n"
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a traceback
    assert dump(url) == before


def test_several_bad_files_are_reported_together(place: Callable[[str], str]) -> None:
    cases = ["payments-negative-amount.csv", "alliance-tabs.yaml", "patents-bad-number.csv"]
    url = place(cases[0])
    for case in cases[1:]:
        shutil.copyfile(CORPUS / case, Path.cwd() / case)
    expected = sorted(line for case in cases for line in EXPECTED[case])
    assert refused(url, *cases) == expected
    result = CliRunner().invoke(cli, ["--db", url, "import", "."])
    assert result.exit_code == 1
    shown = [line.removeprefix("./") for line in result.stderr.splitlines()]
    assert shown == [*expected, "Error: 3 problems in 3 files; nothing was imported"]
