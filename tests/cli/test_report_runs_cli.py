"""Which stored run a report shows (``--run N``), the run it names in every format, and the
line that says why a run's shares are degenerate; on the IGRS sample, whose Shapley
distribution gives everything to its veto player, hisense."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from clirun import run
from paths import SAMPLES


@pytest.fixture(scope="module")
def igrs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict[str, object]]]:
    """The IGRS sample with three published runs: 2026Q1 proportional (revision 1) and
    Shapley (revision 2, superseding it), and 2026Q2 proportional."""
    url = f"sqlite:///{tmp_path_factory.mktemp('igrs') / 'pool.db'}"
    assert run(url, "db", "upgrade")[0] == 0
    code, _, err = run(url, "import", str(SAMPLES / "igrs-v1"))
    assert code == 0, err
    runs = {}
    for name, args in {
        "q1": ("--period", "2026Q1"),
        "shapley": ("--period", "2026Q1", "--policy", "shapley"),
        "q2": ("--period", "2026Q2"),
    }.items():
        code, out, err = run(url, "distribute", "--program", "igrs-v1", *args, "--format", "json")
        assert code == 0, err
        runs[name] = json.loads(out)
        number = str(runs[name]["run_id"])
        reason = ("--reason", "Shapley values") if name == "shapley" else ()
        assert run(url, "runs", "approve", number)[0] == 0
        assert run(url, "runs", "publish", number, *reason)[0] == 0
    return url, runs


def test_distribution_report_shows_the_latest_run_or_the_one_asked_for(
    igrs: tuple[str, dict[str, dict[str, object]]],
) -> None:
    url, runs = igrs
    base = ("report", "distribution", "--program", "igrs-v1")
    code, out, err = run(url, *base, "--period", "2026Q1", "--format", "json")
    assert code == 0, err
    latest = json.loads(out)["run"]
    assert latest["run"] == runs["shapley"]["run_id"]
    assert (latest["revision"], latest["revisions"]) == (2, 2)
    assert latest["inputs_sha256"] == runs["shapley"]["inputs_sha256"]
    assert latest["created_at"] == runs["shapley"]["created_at"]
    first = runs["q1"]
    code, out, err = run(url, *base, "--run", str(first["run_id"]), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["run"]["run"] == first["run_id"]
    assert doc["run"]["revision"] == 1
    assert doc["policy"] == "proportional"
    assert doc["period"] == "2026Q1"
    stamp = (
        f"Distribution run {first['run_id']}: revision 1 of 2 for igrs-v1 2026Q1 "
        "(a later revision exists), made "
    )
    for fmt in ("md", "html"):
        code, out, err = run(url, *base, "--run", str(first["run_id"]), "--format", fmt)
        assert code == 0, err
        assert stamp in out
        assert str(first["inputs_sha256"]) in out


def test_distribution_report_run_stamp_in_pdf_and_docx(
    igrs: tuple[str, dict[str, dict[str, object]]], tmp_path: Path
) -> None:
    from docx import Document
    from pypdf import PdfReader

    url, runs = igrs
    first = runs["q1"]
    base = ("report", "distribution", "--program", "igrs-v1", "--run", str(first["run_id"]))
    pdf, docx = tmp_path / "d.pdf", tmp_path / "d.docx"
    assert run(url, *base, "--format", "pdf", "-o", str(pdf))[0] == 0
    assert run(url, *base, "--format", "docx", "-o", str(docx))[0] == 0
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"Distribution run {first['run_id']}: revision 1 of 2" in " ".join(text.split())
    assert str(first["inputs_sha256"])[:16] in text.replace("\n", "")
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(docx.read_bytes())).paragraphs)
    assert f"Distribution run {first['run_id']}: revision 1 of 2" in paragraphs
    assert str(first["inputs_sha256"]) in paragraphs


def test_member_report_shows_each_period_latest_run_unless_asked(
    igrs: tuple[str, dict[str, dict[str, object]]],
) -> None:
    url, runs = igrs
    base = ("report", "member", "--member", "lenovo", "--as-of", "2026-06-30")
    code, out, err = run(url, *base, "--format", "json")
    assert code == 0, err
    shown = {p["period"]: p["run"]["run"] for p in json.loads(out)["periods"]}
    assert shown == {"2026Q1": runs["shapley"]["run_id"], "2026Q2": runs["q2"]["run_id"]}
    code, out, err = run(url, *base, "--run", str(runs["q1"]["run_id"]), "--format", "json")
    assert code == 0, err
    shown = {p["period"]: p["run"]["run"] for p in json.loads(out)["periods"]}
    assert shown == {"2026Q1": runs["q1"]["run_id"], "2026Q2": runs["q2"]["run_id"]}
    code, out, err = run(url, *base, "--run", str(runs["q1"]["run_id"]), "--format", "md")
    assert f"Distribution run {runs['q1']['run_id']}: revision 1 of 2" in out
    assert str(runs["q2"]["inputs_sha256"]) in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--run", "99"), "Error: --run: there is no distribution run 99\n"),
        (
            ("--period", "2026Q1", "--run", "{q2}"),
            "Error: --run: run {q2} is of 2026Q2, not of 2026Q1\n",
        ),
        ((), "Error: --period: give the quarter (e.g. --period 2026Q1) or --run N\n"),
        (("--period", "2026Q3"), "Error: --period: no distribution run of igrs-v1 for 2026Q3\n"),
    ],
)
def test_distribution_report_refuses_a_run_it_cannot_show(
    igrs: tuple[str, dict[str, dict[str, object]]], args: tuple[str, ...], message: str
) -> None:
    url, runs = igrs
    q2 = str(runs["q2"]["run_id"])
    args = tuple(a.replace("{q2}", q2) for a in args)
    code, out, err = run(url, "report", "distribution", "--program", "igrs-v1", *args)
    assert (code, out, err) == (1, "", message.replace("{q2}", q2))


def test_member_report_shows_published_runs_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    assert run(url, "db", "upgrade")[0] == 0
    assert run(url, "import", str(SAMPLES / "igrs-v1"))[0] == 0
    assert run(url, "distribute", "--program", "igrs-v1", "--period", "2026Q1")[0] == 0
    base = ("report", "member", "--member", "lenovo", "--format", "json")
    code, out, err = run(url, *base)
    assert code == 0, err
    assert json.loads(out)["periods"] == []
    assert run(url, *base, "--run", "1") == (
        1,
        "",
        "Error: --run: run 1 is not published; members' statements show published runs only "
        "(`patentpool runs publish 1`)\n",
    )
    assert run(url, "runs", "approve", "1")[0] == 0
    assert run(url, "runs", "publish", "1")[0] == 0
    code, out, err = run(url, *base)
    assert [p["run"]["run"] for p in json.loads(out)["periods"]] == [1]


def test_member_report_refuses_an_unknown_run(
    igrs: tuple[str, dict[str, dict[str, object]]],
) -> None:
    url, _ = igrs
    code, out, err = run(url, "report", "member", "--member", "lenovo", "--run", "99")
    assert (code, out, err) == (1, "", "Error: --run: there is no distribution run 99\n")


VETO = (
    "hisense is a veto player: it alone holds a counted patent in section management, so no "
    "coalition without it holds every section; under Shapley it takes 100% of the "
    "distributable sum."
)


def test_degenerate_shapley_run_says_why_in_the_table_and_runs_show(
    igrs: tuple[str, dict[str, dict[str, object]]],
) -> None:
    url, runs = igrs
    code, out, err = run(
        url, "distribute", "--program", "igrs-v1", "--period", "2026Q1", "--policy", "shapley"
    )
    assert code == 0, err
    assert "reproduced the stored run" in out
    assert f"\nnote: {VETO}\n" in out
    code, out, err = run(url, "runs", "show", str(runs["shapley"]["run_id"]))
    assert code == 0
    assert json.loads(out)["run_id"] == runs["shapley"]["run_id"]  # the JSON stays as stored
    assert err == f"note: {VETO}\n"
    code, out, err = run(url, "runs", "show", str(runs["q1"]["run_id"]))
    assert (code, err) == (0, "")
    code, out, _ = run(url, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    assert "note:" not in out


def test_degenerate_shapley_run_says_why_in_the_reports(
    igrs: tuple[str, dict[str, dict[str, object]]],
) -> None:
    url, runs = igrs
    shapley = str(runs["shapley"]["run_id"])
    code, out, err = run(
        url, "report", "distribution", "--program", "igrs-v1", "--run", shapley, "--format", "md"
    )
    assert code == 0, err
    assert VETO.replace("hisense", "Hisense Group Co., Ltd.") in out
    # lenovo's statement says why it got nothing without naming the member who got it all
    code, out, err = run(url, "report", "member", "--member", "lenovo", "--as-of", "2026-06-30")
    assert code == 0, err
    assert (
        "igrs-v1 2026Q1: Under Shapley another member is a veto player (alone holding a counted "
        "patent in section management)"
    ) in out
    assert "Hisense" not in out
    assert "hisense" not in out
    code, out, err = run(
        url, "report", "member", "--member", "hisense", "--as-of", "2026-06-30", "--format", "json"
    )
    notes = {p["period"]: p["degenerate"] for p in json.loads(out)["periods"]}
    assert notes == {"2026Q1": VETO.replace("hisense", "Hisense Group Co., Ltd."), "2026Q2": None}


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    """The small register with its licensing files, on SQLite and PostgreSQL."""
    from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
    from register_files import write

    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    code, _out, err = run(small_register, "import", str(folder))
    assert code == 0, err
    return small_register


def test_runs_for_reports_on_both_databases(pool: str) -> None:
    args = ("distribute", "--program", "demo-v1", "--period", "2025Q4", "--format", "json")
    first = json.loads(run(pool, *args)[1])
    second = json.loads(run(pool, *args, "--basis", "due")[1])
    for step in ("approve", "publish"):  # members see published runs only
        assert run(pool, "runs", step, str(first["run_id"]))[0] == 0
    base = ("report", "distribution", "--program", "demo-v1", "--format", "json")
    code, out, err = run(pool, *base, "--period", "2025Q4")
    assert code == 0, err
    assert json.loads(out)["run"] == {
        "run": second["run_id"],
        "revision": 2,
        "revisions": 2,
        "created_at": second["created_at"],
        "inputs_sha256": second["inputs_sha256"],
    }
    code, out, err = run(pool, *base, "--run", str(first["run_id"]))
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["run"]["run"], doc["run"]["revision"], doc["collected"]) == (
        first["run_id"],
        1,
        "675.00",
    )
    # lenovo holds the only counted patents: the one member taking everything says why
    only = (
        "Lenovo Group Ltd. gets everything: it is the only member with a counted patent that "
        "earns a share under policy proportional."
    )
    assert doc["degenerate"] == only
    code, out, err = run(
        pool,
        "report",
        "member",
        "--member",
        "lenovo",
        "--as-of",
        "2025-12-31",
        "--run",
        str(first["run_id"]),
        "--format",
        "md",
    )
    assert code == 0, err
    assert f"Distribution run {first['run_id']}: revision 1 of 2 for demo-v1 2025Q4" in out
    assert f"demo-v1 2025Q4: {only}" in out
