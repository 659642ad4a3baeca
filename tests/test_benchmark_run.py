"""benchmarks/run.py on a tiny S quarter, and the summary royalties it relies on being exact."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from paths import ROOT, benchmark

from patentpool.cli.progress import progress, shown
from patentpool.core.money import largest_remainder
from patentpool.core.periods import Period
from patentpool.services.imports import import_paths
from patentpool.services.royalties import royalties
from patentpool.storage.engine import session_for
from patentpool.storage.migrate import upgrade

RUN = ROOT / "benchmarks" / "run.py"



def test_run_has_the_steps_of_the_issue() -> None:
    assert list(benchmark("run").STEPS) == [
        "import-register", "import-sales", "royalties", "royalty-lines",
        "distribute-proportional", "distribute-per-patent-country", "distribute-per-family",
        "distribute-hybrid", "distribute-weighted", "shapley-20", "statements",
    ]  # fmt: skip
    # the whole quarter: every step but shapley and the per-line royalty document
    assert "shapley-20" not in benchmark("run").QUARTER
    assert "royalty-lines" not in benchmark("run").QUARTER


def test_a_step_imports_its_database_driver_before_the_clock_starts() -> None:
    # a fresh interpreter, so that nothing imported the driver before
    code = (
        "import sys; sys.path.insert(0, {bench!r}); from siblings import sibling; "
        "run = sibling('run'); assert 'psycopg' not in sys.modules; "
        "run._preload('postgresql+psycopg://u@127.0.0.1:1/x'); "
        "assert 'psycopg' in sys.modules; print('ok')"
    ).format(bench=str(ROOT / "benchmarks"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_run_times_steps_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "--size", "S", "--sales-lines", "300", "--data",
         str(tmp_path / "data"), "--json", str(out), "--quiet",
         "--steps", "import-sales,royalties,royalty-lines,distribute-proportional,shapley-20"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # --quiet, and not a terminal anyway
    assert "import-sales" in done.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    steps = {s["step"]: s for s in figures["steps"]}
    assert list(steps) == [
        "import-register", "import-sales", "royalties", "royalty-lines",
        "distribute-proportional", "shapley-20",
    ]  # fmt: skip
    assert steps["import-register"]["rows"] == 2_459  # declarations of the S register, seed 1
    assert steps["import-sales"]["rows"] == 300
    assert steps["royalties"]["rows"] == 300
    assert steps["royalty-lines"]["rows"] == 300
    assert steps["shapley-20"]["rows"] == 10  # the S register has 10 members only
    assert all(s["wall_s"] > 0 and s["peak_mb"] > 0 for s in figures["steps"])
    assert figures["database"] == "SQLite"


def test_summary_royalties_equal_the_detailed_ones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    upgrade(url)
    with session_for(url) as session:
        import_paths(session, [ROOT / "samples" / "igrs-v1"])
    with session_for(url) as session:
        for quarter in ("2026Q1", "2026Q2", "2026Q3", "2026Q4"):
            period = Period.parse(quarter)
            full = royalties(session, "igrs-v1", period)
            summary = royalties(session, "igrs-v1", period, detail=False)
            assert all(item.lines for item in full.licensees)
            assert not any(item.lines for item in summary.licensees)
            assert summary.total_due == full.total_due
            assert summary.royalties_by_country() == full.royalties_by_country()
            assert [
                (i.licensee, i.units, i.gross, i.cap_reduction, i.discount, i.due,
                 i.priced_lines)
                for i in summary.licensees
            ] == [
                (i.licensee, i.units, i.gross, i.cap_reduction, i.discount, i.due,
                 len(i.lines))
                for i in full.licensees
            ]  # fmt: skip
            assert sum(summary.royalties_by_country().values()) == full.total_due


def test_whole_number_weights_split_like_fractions() -> None:
    # 1.00 over 1:1:1 leaves one cent over: it goes to the smallest key on a tie
    assert largest_remainder(Decimal("1.00"), {2: 1, 0: 1, 1: 1}, "USD") == {
        2: Decimal("0.33"), 0: Decimal("0.34"), 1: Decimal("0.33"),
    }  # fmt: skip
    from fractions import Fraction

    weights = {0: 7, 1: 13, 2: 0, 3: 29}
    as_fractions = {k: Fraction(v, 3) for k, v in weights.items()}
    assert largest_remainder(Decimal("10.07"), weights, "USD") == largest_remainder(
        Decimal("10.07"), as_fractions, "USD"
    )


def test_progress_is_quiet_off_a_terminal() -> None:
    stream = io.StringIO()  # not a terminal
    assert not shown(False, stream)
    with progress("lines", 10, stream=stream) as advance:
        advance(10)
    assert stream.getvalue() == ""
