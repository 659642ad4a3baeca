"""`patentpool import-etsi`: the sample ETSI export into the IGRS sample register (with the
illustrative LTE standard of samples/etsi/lte.yaml), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from patentpool.cli import cli
from patentpool.core.model import Essentiality, Status
from patentpool.io.etsi import COLUMNS, SpecMatcher
from patentpool.services import commands
from patentpool.services.etsi import ImportFailed, import_etsi
from patentpool.services.imports import import_files

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "etsi" / "isld-export.csv"
SPECS = ("36.*", "TS 136 *")


@pytest.fixture
def register(db_url: str) -> str:
    import_files(db_url, [ROOT / "samples" / "igrs-v1", ROOT / "samples" / "etsi" / "lte.yaml"])
    return db_url


def _lte(url: str) -> tuple[dict[str, object], dict[str, object]]:
    reg = commands.register(url)
    declarations = {d.patent: d for d in reg.declarations if d.standard == "LTE"}
    patents = {p.key: p for p in reg.patents if p.key in declarations}
    return patents, declarations  # type: ignore[return-value]


def test_the_sample_s_rows_become_patents_and_declarations(register: str) -> None:
    summary = import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    assert (summary.rows_read, summary.kept) == (15, 8)
    assert dict(summary.skipped) == {
        "other company": 5,
        "no usable number": 1,
        "other specification": 1,
    }
    assert summary.unmatched == [("Example Radio Systems Oy", 3), ("Sample Telecom AB", 2)]
    assert summary.changes == {("patent", "added"): 7, ("declaration", "added"): 7}
    patents, declarations = _lte(register)
    assert sorted(patents) == [
        "CN106900001",
        "CNZL201710000100.8",
        "EP3100001",
        "EP3100011",
        "KR101900050",
        "US10100001",
        "WO2017120002",
    ]
    ep = patents["EP3100001"]
    assert ep.kind == "B1"  # the granted publication of "EP3100001 A1 | EP3100001 B1"
    assert ep.status is Status.GRANTED
    assert ep.owner == "lenovo"  # LENOVO (BEIJING) LTD. is an alias
    assert ep.jurisdiction == "EP"
    assert ep.family == "ETSI-90001"
    assert str(ep.filing_date) == "2017-01-05"
    assert patents["US10100001"].kind == "B2"  # US2017200001 A1 | US10100001 B2
    assert patents["CN106900001"].status is Status.PENDING  # an A publication only
    assert patents["CNZL201710000100.8"].status is Status.PENDING  # an application alone
    assert patents["WO2017120002"].family == "ETSI-77002"  # DIPG_PATF_ID -1: the group
    d = declarations["EP3100001"]
    assert (d.version, d.section, d.essentiality) == ("15", "5.3.5", Essentiality.DECLARED)
    assert str(d.declared_on) == "2018-03-12"  # the earlier of its two declarations
    assert (d.frand, d.reciprocity) == (True, False)
    assert declarations["EP3100011"].section is None  # no Illustrative_Part
    assert patents["EP3100011"].owner == "hisense"  # found by WOIT_ETSI_DELIVERABLE_NUMBER


def test_a_second_import_changes_nothing(register: str) -> None:
    import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    before = commands.register(register)
    again = import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    assert not again.changes
    assert "nothing changed" in again.lines()[-1]
    assert commands.register(register) == before


def test_a_comma_separated_copy_reads_the_same(register: str, tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    copy = tmp_path / "resaved.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    summary = import_etsi(register, copy, "LTE", "15", SPECS)
    assert (summary.rows_read, summary.kept) == (15, 8)
    assert summary.changes[("patent", "added")] == 7


def test_the_same_patent_for_another_version_is_another_declaration(
    register: str, tmp_path: Path
) -> None:
    import_files(register, [_second_version(tmp_path)])
    import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    summary = import_etsi(register, SAMPLE, "LTE", "16", SPECS)
    assert summary.changes == {("declaration", "added"): 7}
    reg = commands.register(register)
    assert {d.version for d in reg.declarations if d.patent == "EP3100001"} == {"15", "16"}


def _second_version(folder: Path) -> Path:
    path = folder / "lte16.yaml"
    path.write_text(
        "standards:\n  - id: LTE\n    name: \"LTE (3GPP E-UTRA), an illustrative entry\"\n"
        "    versions:\n      - {id: \"15\", published: 2018-06-01}\n"
        "      - {id: \"16\", published: 2020-07-01, supersedes: \"15\"}\n",
        encoding="utf-8",
    )
    return path


def test_every_problem_at_once_and_nothing_written(register: str, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join([text[0], text[1].replace('"2017-01-05"', '"5 Jan"'), text[2], text[3].replace(
            '"1";"0";"77001"', '"maybe";"0";"77001"'
        )]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failed:
        import_etsi(register, bad, "LTE", "15", SPECS)
    assert [str(p) for p in failed.value.problems] == [
        f"{bad}:2: PBPA_APP_DATE: '5 Jan' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        f"{bad}:4: LICD_DEC_PREP_TO_GRANT_FLAG: 'maybe' is not 1 or 0",
    ]
    assert _lte(register) == ({}, {})


def test_a_file_that_is_no_export_is_refused(register: str, tmp_path: Path) -> None:
    other = tmp_path / "patents.csv"
    shutil.copy(ROOT / "samples" / "igrs-v1" / "patents.csv", other)
    with pytest.raises(ImportFailed) as failed:
        import_etsi(register, other, "LTE", "15", SPECS)
    assert str(failed.value.problems[0]).startswith(f"{other}:1: header: not an ETSI ISLD export")


def test_spec_matching() -> None:
    matches = SpecMatcher(["36.331", "38.*"])
    assert matches("36.331")
    assert not matches("36.3310")
    assert matches("38.211")
    assert not matches("36.213")
    assert len(COLUMNS) == 40


def test_the_command_and_patents_list(register: str) -> None:
    args = ["--db", register, "import-etsi", str(SAMPLE), "--standard", "LTE", "--version", "15"]
    result = CliRunner().invoke(cli, [*args, "--spec", "36.*", "--spec", "TS 136 *"])
    assert result.exit_code == 0, result.output
    assert "15 rows read, 8 kept, 7 skipped" in result.stdout
    assert "        3  Example Radio Systems Oy" in result.stdout
    listed = CliRunner().invoke(
        cli, ["--db", register, "patents", "list", "--standard", "LTE", "--version", "15"]
    )
    assert "LTE 15 5.3.5: declared (declared 2018-03-12; FRAND yes; reciprocity no)" in (
        listed.stdout
    )
    unknown = CliRunner().invoke(cli, [*args[:4], "--standard", "NR", "--version", "1", "--spec", "3"])
    assert unknown.exit_code == 1
    assert unknown.output.startswith("Error:")


def test_a_line_break_in_a_cell_is_read_row_by_row_with_true_lines(
    register: str, tmp_path: Path
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    broken = tmp_path / "broken.csv"
    broken.write_text(
        text.replace("Invented uplink power control", "Invented uplink\r\npower control", 1)
        .replace('"2019-02-01"', '"1 Feb"', 1),
        encoding="utf-8",
        newline="",
    )
    with pytest.raises(ImportFailed) as failed:
        import_etsi(register, broken, "LTE", "15", SPECS)
    # the Konka row is the 15th row, on line 17: the title above it takes two lines
    assert [str(p) for p in failed.value.problems] == [
        f"{broken}:17: IPRD_SIGNATURE_DATE: '1 Feb' is not a date (YYYY-MM-DD or DD/MM/YYYY)"
    ]
    broken.write_text(
        text.replace("Invented uplink power control", "Invented uplink\r\npower control", 1),
        encoding="utf-8",
        newline="",
    )
    summary = import_etsi(register, broken, "LTE", "15", SPECS)
    assert (summary.rows_read, summary.kept) == (15, 8)
    assert commands.register(register).patent_index()["WO2017120002"].title == (
        "Invented uplink\r\npower control"
    )


def _flags(url: str) -> dict[str, tuple[bool | None, bool | None]]:
    _, declarations = _lte(url)
    return {key: (d.frand, d.reciprocity) for key, d in declarations.items()}  # type: ignore[attr-defined]


def test_the_frand_flags_survive_an_export_and_a_patents_reimport(
    register: str, tmp_path: Path
) -> None:
    from patentpool.io.exporter import export_register

    import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    flags = _flags(register)
    assert flags["EP3100001"] == (True, False)
    export_register(commands.register(register), tmp_path)
    exported = tmp_path / "patents.csv"
    with exported.open(newline="", encoding="utf-8") as fh:
        rows = {r["publication_number"]: r for r in csv.DictReader(fh) if r["standard"] == "LTE"}
    assert (rows["EP3100001B1"]["frand"], rows["EP3100001B1"]["reciprocity"]) == ("yes", "no")
    # the exported file imported again changes nothing
    assert not import_files(register, [exported]).changes
    assert _flags(register) == flags
    # a patents file without the columns (as members send them) keeps the flags known
    with exported.open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    plain = tmp_path / "plain.csv"
    columns = [c for c in table[0] if c not in ("frand", "reciprocity")]
    with plain.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    assert not import_files(register, [plain]).changes
    assert _flags(register) == flags
    # and the export read into a fresh register gives the same flags
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    from patentpool.storage.migrate import upgrade

    upgrade(fresh)
    import_files(fresh, [ROOT / "samples" / "etsi" / "lte.yaml", tmp_path / "alliance.yaml",
                         exported])  # fmt: skip
    assert _flags(fresh) == flags


def test_a_patents_file_may_set_or_change_a_flag(register: str, tmp_path: Path) -> None:
    from patentpool.io.exporter import export_register

    import_etsi(register, SAMPLE, "LTE", "15", SPECS)
    export_register(commands.register(register), tmp_path)
    exported = tmp_path / "patents.csv"
    text = exported.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("EP3100001B1,"))
    assert lines[at].endswith(",yes,no")
    lines[at] = lines[at][: -len("yes,no")] + "no,maybe"
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = CliRunner().invoke(cli, ["--db", register, "import", str(exported)])
    assert code.exit_code == 1
    assert f"{exported}:{at + 1}: reciprocity: 'maybe' is not yes or no" in code.stderr
    lines[at] = lines[at][: -len("no,maybe")] + "no,yes"
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_files(register, [exported]).changes == {("declaration", "updated"): 1}
    assert _flags(register)["EP3100001"] == (False, True)
