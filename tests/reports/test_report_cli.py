"""``patentpool report``: every kind end to end on a SQLite database, and the user's mistakes.

The data is the small register (tests/register_files.py) and licensing set
(tests/licensing_files.py): on 2025-12-31 Lenovo holds the two counted patents in force,
CN101000001 and EP1000002; 2025Q4's royalties are 680.00 due, 675.00 collected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write, write_register

from patentpool.cli import cli
from patentpool.cli.common import App
from patentpool.cli.report import report
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "samples" / "regimes" / "inline-demo.yaml"


@pytest.fixture(scope="module")
def register_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small register (read only: the reports change nothing)."""
    tmp_path = tmp_path_factory.mktemp("register")
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    upgrade(url)
    (tmp_path / "register").mkdir()
    folder = write_register(tmp_path / "register")
    with session_for(url) as session:
        import_paths(session, [folder])
    yield url
    dispose_all()


@pytest.fixture(scope="module")
def pool_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small register with its licensing set and a published 2025Q4 distribution run."""
    tmp_path = tmp_path_factory.mktemp("pool")
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    upgrade(url)
    (tmp_path / "register").mkdir()
    with session_for(url) as session:
        import_paths(session, [write_register(tmp_path / "register")])
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", url, "import", str(folder)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        cli, ["--db", url, "distribute", "--program", "demo-v1", "--period", "2025Q4"]
    )
    assert done.exit_code == 0, done.output
    for step in ("approve", "publish"):  # members see published runs only
        done = runner.invoke(cli, ["--db", url, "runs", step, "1"])
        assert done.exit_code == 0, done.output
    yield url
    dispose_all()


def invoke(url: str, *args: str) -> Result:
    return CliRunner().invoke(report, list(args), obj=App(url=url))


def test_pool_report_end_to_end(register_url: str, tmp_path: Path) -> None:
    out = tmp_path / "pool.html"
    result = invoke(register_url, "pool", "--as-of", "2025-12-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<h1>Pool report</h1>" in html
    assert "No licensing programme is recorded" in html


def test_pool_report_json_is_the_context(register_url: str) -> None:
    result = invoke(register_url, "pool", "--as-of", "2025-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2025-12-31"
    assert {"versions", "awaiting", "double_counted", "timeline"} <= set(doc)


def test_pool_report_counts_programmes(pool_url: str) -> None:
    result = invoke(pool_url, "pool", "--as-of", "2025-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [p["id"] for p in json.loads(result.stdout)["programs"]] == ["demo-v1"]


def test_member_report(pool_url: str) -> None:
    result = invoke(pool_url, "member", "--member", "lenovo", "--as-of", "2026-01-31",
                    "--format", "md")
    assert result.exit_code == 0, result.output
    assert "| demo-v1 | 2025Q4 | 2 patents | 100.00% | $607.50 | $607.50 |" in result.stdout


def test_license_report_docx(pool_url: str, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "licence.docx"
    result = invoke(pool_url, "license", "--licensee", "acme", "--program", "demo-v1",
                    "--as-of", "2025-12-31", "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    cells = {c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells}
    assert {"CN101000001B", "EP1000002B1"} <= cells


def test_distribution_report(pool_url: str) -> None:
    result = invoke(pool_url, "distribution", "--program", "demo-v1", "--period", "2025Q4",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["collected"], doc["admin_fee"], doc["distributable"]) == (
        "675.00", "67.50", "607.50"
    )


def test_invoice_report(pool_url: str) -> None:
    result = invoke(pool_url, "invoice", "--licensee", "acme", "--program", "demo-v1",
                    "--period", "2025Q4", "--issued", "2026-01-05", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "Please pay $675.00 by February 4, 2026 (30 days from issue)" in result.stdout


def test_compare_report(register_url: str) -> None:
    result = invoke(register_url, "compare", str(SCENARIO), "--sweep", "makers=1:4",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sweep_parameter"] == "makers"
    assert [p["value"] for p in doc["sweep"]] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["member", "--member", "nobody"], "Error: unknown member 'nobody'"),
        (["license", "--licensee", "nobody", "--program", "demo-v1"],
         "Error: unknown licensee 'nobody'"),
        (["license", "--licensee", "acme", "--program", "nope"], "Error: unknown programme 'nope'"),
        (["distribution", "--program", "demo-v1", "--period", "2024Q1"],
         "Error: --period: no distribution run of demo-v1 for 2024Q1"),
        (["distribution", "--program", "demo-v1", "--period", "2024-Q1"],
         "Error: --period: '2024-Q1' is not a quarter written YYYYQn, such as 2026Q1"),
        (["invoice", "--licensee", "beta", "--program", "demo-v1", "--period", "2026Q1"],
         "Error: beta reported no sales for demo-v1 in 2026Q1"),
        (["pool", "--locale", "xx_YY"], "Error: locale: unknown locale 'xx_YY'"),
    ],
)
def test_bad_input_is_an_error_not_a_traceback(
    pool_url: str, args: list[str], message: str
) -> None:
    result = invoke(pool_url, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_output_in_a_missing_folder_is_refused(register_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "pool.html"
    result = invoke(register_url, "pool", "-o", str(missing))
    assert result.exit_code == 1
    assert f"Error: -o: the folder {missing.parent} does not exist" in result.stderr
    assert not missing.parent.exists()


def test_output_that_is_a_folder_is_refused(register_url: str, tmp_path: Path) -> None:
    result = invoke(register_url, "pool", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "is a folder; give a file name" in result.stderr


def test_templates_folder_must_exist(register_url: str, tmp_path: Path) -> None:
    result = invoke(register_url, "pool", "--templates", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "Error: --templates: " in result.stderr


def test_template_folder_without_a_named_partial(register_url: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "pool.html").write_text('{% include "_our_logo.html" %}', encoding="utf-8")
    result = invoke(register_url, "pool", "--templates", str(mine))
    assert result.exit_code == 1
    assert (
        f"Error: template: '_our_logo.html' is not in {mine} or the default templates"
        in result.stderr
    )


def test_members_and_licensees_are_named_by_name_or_alias_too(pool_url: str) -> None:
    by_id = invoke(pool_url, "member", "--member", "lenovo", "--as-of", "2025-12-31",
                   "--format", "json")
    by_alias = invoke(pool_url, "member", "--member", "Lenovo", "--as-of", "2025-12-31",
                      "--format", "json")
    assert (by_alias.exit_code, by_alias.stderr) == (0, "'Lenovo' is member lenovo\n")
    assert by_alias.stdout == by_id.stdout
    invoice = invoke(pool_url, "invoice", "--licensee", "Acme Devices Ltd.", "--program",
                     "demo-v1", "--period", "2025Q4", "--issued", "2026-01-05", "--format", "md")
    assert (invoice.exit_code, invoice.stderr) == (0, "'Acme Devices Ltd.' is licensee acme\n")
    assert "Please pay $675.00 by February 4, 2026 (30 days from issue)" in invoice.stdout
    licence = invoke(pool_url, "license", "--licensee", "beta electronics", "--program",
                     "demo-v1", "--as-of", "2025-12-31", "--format", "md")
    assert (licence.exit_code, licence.stderr) == (0, "'beta electronics' is licensee beta\n")
